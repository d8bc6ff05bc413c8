"""Importing files into a workspace: read, parse, place, write.

Each table becomes ``主管部门/年度/实施单位/项目名称.yaml`` under the output folder
(self-evaluation tables ``项目名称-自评.yaml``, as ``selfeval init`` names them).
A new department-year folder and unit folder get a ``_defaults.yaml`` holding
what all their tables share, so the project files hold only what is their own;
an existing ``_defaults.yaml`` is never changed (not even with ``force``), and
project files then spell out whatever it does not give. Spec files are not
overwritten without ``force``.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import OutputError, SourceError
from jixiao.files import remove_leftovers, safe_name, write_atomic
from jixiao.importer.departments import DepartmentSlip, department_slips
from jixiao.importer.emit import spec_text
from jixiao.importer.parse import OUTSIDE, Remark, Table, parse_table, split_tables
from jixiao.importer.sources import Note, read_source
from jixiao.load.workspace import DEFAULTS_NAME, Inheritance, display_path
from jixiao.model.vocab import FormKind
from jixiao.yamltext import scalar


@dataclass(frozen=True)
class TableResult:
    source: str  # file:line (or Word location) of the table's title
    line: int
    name: str
    status: str  # clean | remarks | failed | skipped
    path: Path | None
    remarks: tuple[Remark, ...]
    error: str | None = None


@dataclass
class ImportReport:
    results: list[TableResult] = field(default_factory=list)
    # Remarks not tied to any table: text before the first title, unreadable files.
    remarks: list[Remark] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)
    defaults_written: list[Path] = field(default_factory=list)
    # Departments of one file one character apart: a misspelt 主管部门 makes a folder of its own.
    department_slips: list[DepartmentSlip] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> int:
        """Every failure: tables that failed and files that could not be read at all."""
        return self.count("failed") + len(self.failed_files)

    @property
    def has_remarks(self) -> bool:
        return bool(self.remarks) or self.count("remarks") > 0


@dataclass
class _Planned:
    table: Table
    source: str
    path: Path


def import_files(paths: Sequence[Path], out_dir: Path, *, force: bool = False,
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import every table of ``paths`` under ``out_dir``; ``progress(path)`` hears of each file as it is read."""
    report = ImportReport()
    planned: list[_Planned] = []
    taken: dict[Path, int] = {}  # every path given out → the next number to try for its name
    for path in paths:
        if progress is not None:
            progress(path)
        display = display_path(path)
        try:
            read = read_source(path, display)
        except SourceError as exc:
            report.failed_files.append(str(exc))
            continue
        found, outside = split_tables(read.rows)
        tables = [parse_table(form, table_rows) for form, table_rows in found]
        _attach_notes(read.notes, tables, report)
        tables += read.tables
        report.department_slips += department_slips(display, [t.department for t in tables if not t.error])
        before = [Remark(c.where, c.text, OUTSIDE) for row in outside for c in row.cells]
        report.remarks += _without_running_headings(before, tables[0] if tables else None)
        if not tables:
            report.failed_files.append(f"{display}：没有找到「财政项目支出绩效…表」标题，不像是绩效表格")
        for n, table in enumerate(tables):
            table.remarks = _without_running_headings(table.remarks, tables[n + 1] if n + 1 < len(tables) else None)
            if table.error:
                report.results.append(TableResult(table.where, table.line, table.name, "failed", None,
                                                  tuple(table.remarks), table.error))
                continue
            target = _place(table, out_dir, taken)
            # Extracted text is located by its lines; the other readers name the table's place.
            source = f"{display} 第 {table.line}–{table.last_line} 行" if table.where.startswith(f"{display}:") \
                else table.where
            planned.append(_Planned(table, source, target))
    report.defaults_written = _write_defaults(planned, out_dir)
    inherited = Inheritance()  # after the defaults are written: they are what files inherit
    for item in planned:
        report.results.append(_write(item, force, inherited, out_dir))
    return report


def _attach_notes(notes: list[Note], tables: list[Table], report: ImportReport) -> None:
    """Each reader's note goes with the table whose rows hold its place; the others are the file's."""
    for note in notes:
        remark = Remark(note.where, note.text, note.message)
        owner = next((t for t in tables if t.line <= note.line <= t.last_line), None)
        (owner.remarks if owner is not None else report.remarks).append(remark)


def _without_running_headings(remarks: list[Remark], following: Table | None) -> list[Remark]:
    """``remarks`` without the lines just above the ``following`` table that only repeat
    its 项目名称 or 实施单位 (a disclosure document's running headings): nothing is lost."""
    if following is None:
        return remarks
    heading = {following.name, following.unit} - {""}
    end = len(remarks)
    while end and remarks[end - 1].message == OUTSIDE and remarks[end - 1].text in heading:
        end -= 1
    return remarks[:end]


# A project's other forms sit beside its target table, named as the commands that start them
# name them (selfeval init, monitor init). By the form's name: the flat workbook reads any form.
_NAME_SUFFIX = {FormKind.SELF_EVAL.value: "-自评", "绩效运行监控表": "-监控"}


def _place(table: Table, out_dir: Path, taken: dict[Path, int]) -> Path:
    """``主管部门/年度/实施单位/项目名称.yaml``; the second table of that name ``…（2）.yaml`` …

    ``taken`` remembers the next number per name, so a file of 1,000 same-named tables
    is placed in linear time.
    """
    folder = (out_dir / safe_name(table.department) / str(table.year or "未知年度")
              / safe_name(table.unit))
    stem = safe_name(table.name) + _NAME_SUFFIX.get(table.form.value, "")
    if f"{stem}.yaml" == DEFAULTS_NAME:  # a folder's defaults, never read as a project
        stem += "（项目）"
    base = folder / f"{stem}.yaml"
    n = taken.get(base, 1)
    path = base if n == 1 else folder / f"{stem}（{n}）.yaml"
    while path in taken:  # also a table whose own name is 「…（2）」
        n += 1
        path = folder / f"{stem}（{n}）.yaml"
    taken[base] = n + 1
    taken.setdefault(path, 1)
    if path != base:
        table.remarks.append(Remark(table.where, table.name, f"同一单位同一年度已有同名的表，写成 {path.name}"))
    return path


# -- defaults -----------------------------------------------------------------------------------

_SHARED = ("表格", "金额单位", "日期格式")


def _shared_values(table: Table) -> dict[str, Any]:
    return {"表格": table.form.value, "金额单位": table.money_unit, "日期格式": table.date_style}


def _majority(tables: list[Table], key: str) -> Any:
    values = Counter(v for t in tables if (v := _shared_values(t)[key]) is not None)
    return values.most_common(1)[0][0] if values else None


def _write_defaults(planned: list[_Planned], root: Path) -> list[Path]:
    """A ``_defaults.yaml`` for each department-year and unit folder that has none.

    Never in a folder that already holds other spec files: a new defaults file would
    change what they inherit. An existing ``_defaults.yaml`` is never replaced, even
    with ``--force`` — it may carry settings (公开标题, 规则 …) a table cannot know.
    """
    ours = {item.path for item in planned}
    by_dept: dict[Path, list[_Planned]] = {}
    for item in planned:
        by_dept.setdefault(item.path.parent.parent, []).append(item)
    written = []
    for dept_dir, items in sorted(by_dept.items()):
        if _holds_other_specs(dept_dir, ours):
            continue
        tables = [i.table for i in items]
        dept: dict[str, Any] = {"主管部门": tables[0].department, "年度": tables[0].year}
        dept.update({k: _majority(tables, k) for k in _SHARED})
        if _write_one(dept_dir / DEFAULTS_NAME, dept, "部门、年度共用的设置", root):
            written.append(dept_dir / DEFAULTS_NAME)
        by_unit: dict[Path, list[Table]] = {}
        for item in items:
            by_unit.setdefault(item.path.parent, []).append(item.table)
        for unit_dir, unit_tables in sorted(by_unit.items()):
            unit: dict[str, Any] = {"实施单位": unit_tables[0].unit}
            for k in _SHARED:
                values = {_shared_values(t)[k] for t in unit_tables}
                if len(values) == 1 and (v := values.pop()) is not None and v != dept[k]:
                    unit[k] = v
            if _holds_other_specs(unit_dir, ours):
                continue
            if _write_one(unit_dir / DEFAULTS_NAME, unit, "本单位各表共用的设置", root):
                written.append(unit_dir / DEFAULTS_NAME)
    return written


def _holds_other_specs(folder: Path, ours: set[Path]) -> bool:
    if not folder.is_dir():
        return False
    return any(p not in ours and p.name != DEFAULTS_NAME for p in folder.rglob("*.y*ml"))


def _write_one(path: Path, values: dict[str, Any], what: str, root: Path) -> bool:
    if path.exists():
        return False
    lines = [f"# 由 jixiao import 生成：{what}，本目录下的项目文件继承。"]
    lines += [f"{k}: {scalar(str(v))}" for k, v in values.items() if v not in (None, "")]
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"), root)
    return True


# -- project files ------------------------------------------------------------------------------


def _write(item: _Planned, force: bool, inherited: Inheritance, root: Path) -> TableResult:
    table, path = item.table, item.path
    status = "remarks" if table.remarks else "clean"
    if path.exists() and not force:
        with contextlib.suppress(OutputError):  # a killed earlier import may have left its temporary
            remove_leftovers(path, root)
        return TableResult(table.where, table.line, table.name, "skipped", path, tuple(table.remarks))
    omit, comments = _inherited_omissions(table, inherited(path))
    try:
        write_atomic(path, spec_text(table, item.source, omit, comments).encode("utf-8"), root)
    except OutputError as exc:  # this table's folder is unusable (a link out of -o …): the others go on
        return TableResult(table.where, table.line, table.name, "failed", None, tuple(table.remarks), str(exc))
    return TableResult(table.where, table.line, table.name, status, path, tuple(table.remarks))


def _inherited_omissions(table: Table, inherited: dict[str, object]) -> tuple[frozenset[str], list[str]]:
    """Keys the folder's defaults already give with the same value; notes where they differ."""
    omit = set()
    form = table.form
    pairs: dict[str, tuple[str, object]] = {
        "表格": ("form", form), "年度": ("year", table.year),
        "主管部门": ("department", table.department), "实施单位": ("unit", table.unit)}
    for key, (attr, value) in pairs.items():
        if inherited.get(attr) == value and value is not None:
            omit.add(key)
    variant = table.variant or form.default_variant
    if (inherited.get("variant") or form.default_variant) == variant:
        omit.add("表样")
    else:
        table.variant = variant  # the folder names another variant: this table must say its own
    unit = table.money_unit
    if unit is not None and getattr(inherited.get("money_unit"), "value", None) == unit:
        omit.add("项目资金.单位")
    comments = []
    style = inherited.get("date_style")
    if table.date_style and style and style != table.date_style:
        comments.append(f"原表日期的写法是「{table.date_style}」的样子，本目录按「{style}」打印。")
    return frozenset(omit), comments
