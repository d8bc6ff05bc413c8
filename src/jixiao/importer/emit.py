"""An imported table as spec text, in the style of a hand-written spec.

Keys come in form order; values a folder's ``_defaults.yaml`` already gives are
left out; blank amount cells stay blank keys (``其他资金:``) as clerks write
them; every remark is a comment at the top, so the person who reviews the
import sees what to confirm before ``jixiao check`` does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from jixiao.importer.parse import PLACEHOLDER, Table
from jixiao.yamltext import block, scalar

# Keys of a whole value that may be written as one line of text.
_LONG_TEXT = ("年度总体目标", "预期目标", "实际完成情况")


def spec_text(table: Table, source: str, omit: frozenset[str], comments: list[str]) -> str:
    lines = [f"# 由 jixiao import 从 {source} 导入。"]
    lines += [f"# {c}" for c in comments]
    if table.remarks:
        lines.append("# 导入时需要核对：")
        lines += [f"#   {r.format()}" for r in table.remarks]
    for key, value in table.data.items():
        if key in omit:
            continue
        if key == "项目资金":
            lines += _mapping(key, value, "", omit_unit="项目资金.单位" in omit)
        elif key == "项目总目标":
            lines += _goal(value)
        elif key == "绩效指标":
            lines += list(_indicators(value))
        elif key in _LONG_TEXT:
            lines += block(key, str(value))
        else:
            lines.append(f"{key}: {_value(value)}".rstrip())
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return scalar(str(value))


def _mapping(key: str, value: Mapping[str, Any], indent: str, omit_unit: bool = False) -> list[str]:
    lines = [f"{indent}{key}:"]
    for k, v in value.items():
        if k == "单位" and (omit_unit or v is None):
            continue
        if isinstance(v, Mapping):
            lines += _mapping(k, v, indent + "  ")
        else:
            lines.append(f"{indent}  {k}: {_value(v)}".rstrip())
    return lines


def _goal(value: Mapping[str, Any]) -> list[str]:
    if "起止年度" not in value:
        return block("项目总目标", str(value.get("内容", "")))
    return ["项目总目标:", f"  起止年度: {value['起止年度']}", *block("内容", str(value.get("内容", "")), "  ")]


def _indicators(levels: Mapping[str, Any]) -> Iterator[str]:
    if not levels:
        yield "绩效指标:"
        return
    yield "绩效指标:"
    for name1, level in levels.items():
        if level == PLACEHOLDER or not level:
            yield f"  {scalar(name1)}: {PLACEHOLDER}"
            continue
        yield f"  {scalar(name1)}:"
        for name2, items in level.items():
            if items == PLACEHOLDER or not items:
                yield f"    {scalar(name2)}: {PLACEHOLDER}"
                continue
            yield f"    {scalar(name2)}:"
            for item in items:
                first = True
                for k, v in item.items():
                    lead = "      - " if first else "        "
                    first = False
                    yield f"{lead}{k}: {_value(v)}".rstrip()
