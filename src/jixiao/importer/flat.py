"""The flat workbook of ``jixiao export --format xlsx``: sheets 项目 and 绩效指标, read back into specs.

The layout is the model's, not a hand list: sheet 项目 has ``项目编号`` and then a
column per scalar key of :class:`~jixiao.model.project.Project`, named by its
dotted YAML key path (``项目资金.项目资金总额.合计``); sheet 绩效指标 has
``项目编号``, ``项目名称``, ``一级指标``, ``二级指标`` and a column per key of
:class:`~jixiao.model.project.Indicator`. A row with an empty 三级指标 is a
placeholder: the 二级 is ``无`` (or, with an empty 二级 too, the 一级). Both are
derived here from :func:`~jixiao.model.project.model_keys`, so a key added to the
model is read without touching this module.

Values are imported as written (amounts as the cell shows them), as for the
forms; a column that is not a key of the model, or a key that does not belong
to the row's form kind, is reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jixiao.importer.ledger import Remark
from jixiao.importer.read_header import Header
from jixiao.importer.sources import Note
from jixiao.importer.table import Table
from jixiao.importer.xlsx import FLAT_FIRST, FlatSheet, XlsxCell
from jixiao.model.project import (
    Indicator,
    Key,
    Kind,
    Project,
    funds_model,
    model_keys,
)
from jixiao.model.vocab import PLACEHOLDER, FormKind

INDICATOR_HEAD = (FLAT_FIRST, "项目名称", "一级指标", "二级指标")


def project_columns() -> dict[str, Key]:
    """Dotted key path → Key, for every scalar key of a project (every form's funds block), in model order."""
    out: dict[str, Key] = {}

    def walk(cls: type, prefix: str) -> None:
        for _, k in model_keys(cls):
            path = prefix + k.name
            if k.kind is Kind.MODEL and k.model is not None:
                walk(k.model, path + ".")
            elif k.kind is Kind.FUNDS:  # each form kind's funds block, in form order
                for model in dict.fromkeys(funds_model(form) for form in FormKind):
                    walk(model, path + ".")
            elif k.kind is not Kind.INDICATORS:
                out.setdefault(path, k)

    walk(Project, "")
    return out


def indicator_columns() -> dict[str, Key]:
    return {k.name: k for _, k in model_keys(Indicator)}


@dataclass
class FlatTable(Table):
    """A project read from the flat workbook: its spec mapping is built here, not from a form's blocks."""

    spec: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        return self.spec

    @property
    def money_unit(self) -> str | None:
        funds = self.spec.get("项目资金")
        unit = funds.get("单位") if isinstance(funds, dict) else None
        return unit if isinstance(unit, str) else None


Row = tuple[str, int, list[XlsxCell]]


def read_flat(sheets: dict[str, FlatSheet], display: str, notes: list[Note]) -> list[Table]:
    projects = sheets.get("项目")
    if projects is None:
        sheet = sheets["绩效指标"]
        notes.append(Note(sheet.rows[0][0], "绩效指标", "只有「绩效指标」工作表，没有「项目」工作表，未导入", sheet.rows[0][1]))
        return []
    head, body = _columns(projects, project_columns(), notes)
    grids, levels_at = _grids(sheets.get("绩效指标"), notes)
    tables: list[Table] = []
    for where, line, cells in body:
        values = {head[c.col]: c for c in cells if c.col in head}
        ident = values.pop(FLAT_FIRST, None)
        if not values:
            continue
        table = _table(where, line, values)
        key = ident.text if ident is not None else ""
        if isinstance(table, FlatTable) and table.header is not None:
            grid = grids.pop(key, None)
            if grid is not None:
                table.spec["绩效指标"] = grid
                named = levels_at.get(key)
                if named is not None and named[1] != table.header.name:
                    table.remarks.append(Remark(named[0], named[1], f"绩效指标表里这个项目编号的项目名称与「项目」表的"
                                                                    f"「{table.header.name}」不同；按项目编号导入"))
        tables.append(table)
    for key, _ in grids.items():
        where, name = levels_at[key]
        notes.append(Note(where, key, f"绩效指标表里的项目编号在「项目」表里没有（{name}），这些指标未导入", 0))
    return tables


def _columns(sheet: FlatSheet, known: dict[str, Key] | tuple[str, ...], notes: list[Note]) -> tuple[dict[int, str], list[Row]]:
    """Column → key path from the header row; a column that names no key is reported."""
    where, line, cells = sheet.rows[0]
    head = {}
    for cell in cells:
        if cell.text in known or cell.text in (FLAT_FIRST, *INDICATOR_HEAD):
            head[cell.col] = cell.text
        else:
            notes.append(Note(f"{where.rsplit(' ', 1)[0]} {cell.ref}", cell.text,
                              "不是规格的键，这一列未导入", line))
    return head, sheet.rows[1:]


def _table(where: str, line: int, values: dict[str, XlsxCell]) -> Table:
    form_cell = values.get("表格")
    form = next((f for f in FormKind if form_cell is not None and f.value == form_cell.text), None)
    if form is None:
        shown = form_cell.text if form_cell is not None else ""
        return Table(where=where, line=line, last_line=line, form=FormKind.TARGET,
                     error=f"「表格」是「{shown}」，不是绩效目标表、绩效目标申报表或绩效自评表")
    columns = project_columns()
    spec = _nested(Project, "", values, columns, form, top=True)
    table = FlatTable(where=where, line=line, last_line=line, form=form, spec=spec)
    for path, cell in values.items():
        key = columns.get(path)
        if key is not None and form not in key.forms and cell.text:
            table.remarks.append(Remark(f"{where.rsplit(' ', 1)[0]} {cell.ref}", cell.text,
                                        f"「{path}」不属于{form.value}，未导入"))
        elif path.startswith("项目资金.") and not _funds_path(path, form) and cell.text:
            table.remarks.append(Remark(f"{where.rsplit(' ', 1)[0]} {cell.ref}", cell.text,
                                        f"「{path}」不属于{form.value}的项目资金，未导入"))
    name = spec.get("项目名称")
    if not name:
        table.error = "找不到项目名称，不是一个完整的项目"
        return table
    year = spec.get("年度")
    table.year = year if isinstance(year, int) else None
    variant = spec.pop("表样", None)
    table.variant = variant if isinstance(variant, str) else ""
    if table.variant:
        spec["表样"] = table.variant
    table.header = Header(name=str(name), department=str(spec.get("主管部门") or ""), unit=str(spec.get("实施单位") or ""))
    return table


def _funds_path(path: str, form: FormKind) -> bool:
    model = funds_model(form)
    parts = path.split(".")[1:]
    keys = dict((k.name, k) for _, k in model_keys(model))
    first = keys.get(parts[0])
    if first is None:
        return False
    if len(parts) == 1:
        return first.kind is not Kind.MODEL
    return first.model is not None and parts[1] in {k.name for _, k in model_keys(first.model)}


def _nested(cls: type, prefix: str, values: dict[str, XlsxCell], columns: dict[str, Key], form: FormKind,
            *, top: bool = False) -> dict[str, Any]:
    """The mapping of ``cls`` from the row's cells: at the top only what is written (and the required
    keys); inside a block every key that has a column, blank cells as blank keys (as clerks write them)."""
    out: dict[str, Any] = {}
    for _, k in model_keys(cls):
        if form not in k.forms:
            continue
        path = prefix + k.name
        if k.kind is Kind.MODEL and k.model is not None:
            # A block all of whose cells are blank is not written (上年结转资金 of a self-evaluation
            # that has none), unless the form requires it (项目资金总额).
            if any(p.startswith(path + ".") and c.text for p, c in values.items()) or (
                    k.required and any(p.startswith(path + ".") for p in columns)):
                out[k.name] = _nested(k.model, path + ".", values, columns, form)
        elif k.kind is Kind.FUNDS:
            if any(p.startswith(path + ".") for p in values):
                out[k.name] = _nested(funds_model(form), path + ".", values, columns, form)
        elif k.kind is Kind.INDICATORS:
            continue
        elif path in values:
            value = _typed(k, values[path])
            if top and (value is None or value == "") and not k.required:
                continue
            if top and k.kind is Kind.BOOL and value is k_default(k, cls):
                continue
            out[k.name] = "" if value is None and top else value
        elif not top and path in columns:
            out[k.name] = None
    return out


def k_default(k: Key, cls: type) -> Any:
    """The model's default for the field of key ``k`` (a 公开 of true is not written)."""
    from dataclasses import MISSING, fields

    for f in fields(cls):
        if f.metadata.get("key") is k:
            return f.default if f.default is not MISSING else None
    return None


def _typed(k: Key, cell: XlsxCell) -> Any:
    """The cell's value in the shape the spec writer needs: dates, years and flags typed, the rest as shown."""
    text = cell.text
    if not text:
        return None
    if k.kind is Kind.DATE:
        if cell.day is not None:
            return cell.day
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if k.kind in (Kind.YEAR, Kind.INT) and text.isdigit():
        return int(text)
    if k.kind is Kind.BOOL and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if k.kind is Kind.PERCENT and cell.kind == "number" and not text.endswith("%"):
        return text + "%"  # a rate stored as the number of percent (100.00), as export writes it
    return text


def _grids(sheet: FlatSheet | None, notes: list[Note]) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str]]]:
    """项目编号 → the 一级 → 二级 → [三级] grid; and 项目编号 → (where, 项目名称) of its first row."""
    grids: dict[str, dict[str, Any]] = {}
    first: dict[str, tuple[str, str]] = {}
    if sheet is None:
        return grids, first
    keys = indicator_columns()
    head, body = _columns(sheet, tuple(keys), notes)
    for where, _, cells in body:
        values = {head[c.col]: c.text for c in cells if c.col in head}
        ident = values.get(FLAT_FIRST, "")
        if not any(values.values()):
            continue
        first.setdefault(ident, (where, values.get("项目名称", "")))
        grid = grids.setdefault(ident, {})
        l1, l2 = values.get("一级指标", ""), values.get("二级指标", "")
        item = {name: values[name] for name in keys if values.get(name)}
        if not item.get("三级指标"):
            if not l2 or l2 == PLACEHOLDER:
                grid[l1] = PLACEHOLDER
            else:
                level = grid.setdefault(l1, {})
                if isinstance(level, dict):
                    level[l2] = PLACEHOLDER
            continue
        level = grid.get(l1)
        if not isinstance(level, dict):
            level = grid[l1] = {}
        bucket = level.get(l2)
        if not isinstance(bucket, list):
            bucket = level[l2] = []
        bucket.append(item)
    return grids, first
