"""An imported table as spec text, in the style of a hand-written spec.

The table's values are written *as the table wrote them* (a fund total that does not
add up, text in an amount cell): the readers' typed parts hold the written strings,
not model values (why: :mod:`jixiao.importer.table`), so this walks the model's key
declarations for the order and the shape of each key of :attr:`Table.data` (funds
block by form kind, 项目总目标, the indicator grid) and hands the values to the one
YAML writer, ``jixiao.yamltext``, that ``model.dump`` writes typed models with.

Values a folder's ``_defaults.yaml`` already gives are left out (``omit``: the keys'
names, ``项目资金.单位`` for the funds' unit); blank amount cells stay blank keys
(``其他资金:``) as clerks write them; every remark is a comment at the top, so the
person who reviews the import sees what to confirm before ``jixiao check`` does.

Every text is read back with jixiao's own YAML reader before it is handed out: a table
whose spec would not load (over the reader's size or node limits) raises
:class:`UnloadableSpec`, an :class:`~jixiao.errors.OutputError`, so the table is reported
as failed with the reason instead of leaving a file that ``check`` cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from jixiao.errors import OutputError, SpecLoadError
from jixiao.importer.parse import Table
from jixiao.load.yamlsafe import MAX_FILE_BYTES, YMap, parse_yaml
from jixiao.model.project import Indicator, Key, Kind, Project, funds_model, model_keys
from jixiao.model.vocab import PLACEHOLDER, FormKind
from jixiao.yamltext import Entry, Items, Raw, Text, Value, document


def spec_text(table: Table, source: str, omit: frozenset[str], comments: list[str]) -> str:
    header = [f"由 jixiao import 从 {source} 导入。", *comments]
    if table.remarks:
        header += ["导入时需要核对：", *(f"  {r.format()}" for r in table.remarks)]
    data = table.data
    declared = model_keys(Project)
    names = {k.name for _, k in declared}
    entries = [Entry(k.name, _value(k, data[k.name], k.name, table.form, omit))
               for _, k in declared if k.name in data and k.name not in omit]
    # Nothing else is imported today; should a key outside the model appear, it is kept for check.
    entries += [Entry(key, _plain(value)) for key, value in data.items() if key not in names and key not in omit]
    text = document(header, entries)
    loadable(text, source)
    return text


class UnloadableSpec(OutputError):
    """A table's spec text that jixiao's reader would refuse: the table is not written."""


def loadable(text: str, source: str) -> None:
    """Raise :class:`UnloadableSpec` unless ``text`` reads back as a mapping within the reader's limits."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise UnloadableSpec(f"这张表写成规格文件有 {size} 字节，超过规格文件的上限 {MAX_FILE_BYTES} 字节，"
                             "未导入；请检查表格文字是否完整、有没有大段重复")
    try:
        tree, _ = parse_yaml(text, source)
    except SpecLoadError as exc:
        d = exc.diagnostic
        raise UnloadableSpec(f"这张表写成的规格文件无法读回（第 {d.location.line} 行：{d.message}），未导入；"
                             "这是 jixiao 的缺陷，请报告") from exc
    if not isinstance(tree, YMap):
        raise UnloadableSpec("这张表没有可写入规格文件的内容，未导入")


def _value(k: Key, value: Any, path: str, form: FormKind, omit: frozenset[str]) -> Value:
    if value is None:
        return None
    if k.kind is Kind.FUNDS:
        return _mapping(funds_model(form), value, path, form, omit)
    if k.kind is Kind.MODEL:
        assert k.model is not None
        return _mapping(k.model, value, path, form, omit)
    if k.kind is Kind.INDICATORS:
        return _grid(value) if value else None
    if k.paragraph:
        return Text(str(value), paragraph=True)
    return _plain(value)


def _plain(value: Any) -> Value:
    """A value as the table wrote it."""
    if value is None:
        return None
    if isinstance(value, date):
        return Raw(value.isoformat())
    if isinstance(value, bool):  # a flag of the flat workbook (公开)
        return Raw("true" if value else "false")
    if isinstance(value, int):
        return Raw(str(value))
    return Text(str(value))


def _mapping(cls: type, value: Mapping[str, Any], path: str, form: FormKind, omit: frozenset[str]) -> Value:
    """The keys of ``value`` in the order ``cls`` declares them; ``项目总目标: 文字`` when only its text is known."""
    declared = model_keys(cls)
    shorthand = getattr(cls, "shorthand", None)
    if shorthand is not None:
        text_key = dict(declared)[shorthand]
        if list(value) == [text_key.name]:
            return _value(text_key, value[text_key.name], path, form, omit)
    entries = []
    for _, k in declared:
        sub = f"{path}.{k.name}"
        if k.name not in value or sub in omit or (k.inheritable and value[k.name] is None):
            continue  # a unit the table did not print is left to the folder's defaults
        entries.append(Entry(k.name, _value(k, value[k.name], sub, form, omit)))
    return tuple(entries)


def _grid(levels: Mapping[str, Any]) -> Value:
    out = []
    for name1, level in levels.items():
        if level == PLACEHOLDER or not level:
            out.append(Entry(name1, Raw(PLACEHOLDER)))
            continue
        out.append(Entry(name1, tuple(
            Entry(name2, Raw(PLACEHOLDER) if items == PLACEHOLDER or not items else Items(tuple(
                tuple(Entry(k.name, _plain(item[k.name])) for _, k in model_keys(Indicator) if k.name in item)
                for item in items)))
            for name2, items in level.items())))
    return tuple(out)
