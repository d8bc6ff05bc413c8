"""Which cell of the printed form a check problem is about.

A :class:`~jixiao.errors.Diagnostic` knows only a file, line and column. The
model knows more: every model object records where it and each of its fields
were written (:class:`~jixiao.model.project.Pos`), and the loader and the rules
locate a problem at exactly those positions (``pos.of("total")``, ``pos.at``).
The grid knows which field each cell prints (:attr:`Cell.source`). So the
mapping is made in two steps, both exact (no guessing from line numbers):

1. **Location → field.** The project is walked in form order; each field with a
   position in the spec's own file becomes a :class:`Target`: the position, and
   the cell that prints it, named as the layout names it (``source``, and for
   the 一级/二级 labels their text). Values inherited from a ``_defaults.yaml``
   have positions in that file and give no target (the rules then report them
   at the project, which marks no cell).
2. **Field → cell.** A target's cell is the *k*-th grid cell (in print order)
   with that source (and text), where *k* is how many model objects before it
   print a cell of that name: two indicators both called 「满意度」 are told apart
   by their order, which the layout keeps. Labels repeated on a continuation page
   end in （续） and never match.

One position may belong to several targets: a mapping's position is that of its
first key, so ``绩效指标``'s value and its first 一级指标 share one. Such a problem
goes to the target whose name the message quotes (「产出指标」), else to the
outermost target (the block: 绩效指标, 项目资金). A problem whose position is no
field's (an unknown key, a problem of the whole file) marks no cell; it is still
listed above the form.

The cells are numbered in the grid's print order; the page's script finds the
same cells as the ``td``/``th`` elements outside ``tfoot`` (the templates print the
grid's cells, in order, and add only footer rules). When a template prints
another number of cells, nothing is marked rather than the wrong cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.errors import Diagnostic, Location
from jixiao.model.project import (
    AnnualRequest,
    FundRow,
    Indicator,
    Pos,
    Project,
    ProjectTotal,
    SelfEvalFunds,
    TargetFunds,
)
from jixiao.render.grid import Grid, Role

# Project attribute → the source of the cell that prints it (render/layout.py).
HEADER_SOURCES = {
    "name": "项目名称", "nature": "项目性质", "category": "项目类别", "department": "主管部门",
    "unit": "实施单位", "start": "计划开始日期", "end": "计划完成日期", "annual_goal": "年度总体目标",
    "expected": "预期目标", "achieved": "实际完成情况", "total_score": "总分", "grade": "自评等级",
}
PROJECT_TOTAL = {"total": "项目资金总额", "fiscal": "财政资金", "other": "其他资金"}
ANNUAL = {"total": "年度资金申请总额", "current": "当年财政拨款", "carryover": "上年结转资金",
          "other": "其他资金（年度）"}
SELF_EVAL_ROWS = {"total": "年度资金总额", "current": "当年财政拨款", "carryover": "上年结转资金",
                  "other": "其他资金"}
FUND_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}
SELF_EVAL_FUNDS = {"weight": "分值", "rate": "执行率", "score": "得分"}
INDICATOR_FIELDS = {"target": "年度指标值", "actual": "实际完成值", "weight": "分值", "score": "得分",
                    "deviation": "偏差原因", "explanation": "指标解释", "scoring": "评分标准",
                    "measure_unit": "计量单位", "source": "指标来源", "last_actual": "上年实际值"}

# Block labels (项目资金（万元）, 绩效指标) have no source: found by role and how their text begins.
FUNDS_BLOCK = ("block", "项目资金")
INDICATORS_BLOCK = ("block", "绩效指标")


@dataclass(frozen=True)
class CellName:
    """A grid cell as the layout names it: its ``source`` (and ``text`` where the source
    is shared, the 一级/二级 labels), the ``nth`` of that name; or a block label."""

    source: str
    text: str | None = None
    nth: int = 0
    block: tuple[str, str] | None = None


@dataclass(frozen=True)
class Target:
    loc: Location
    cells: tuple[CellName, ...]  # in order of preference: a detail without a column → the name cell
    quoted: str = ""  # the name a message would quote (「产出指标」)
    depth: int = 0  # 0: a block; larger: further inside


@dataclass
class Marks:
    """The problems of one form by cell number (print order), and those on no cell."""

    count: int  # cells in the grid: the page checks it finds as many
    cells: dict[int, list[Diagnostic]] = field(default_factory=dict)
    unplaced: list[Diagnostic] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"count": self.count,
                "cells": {str(n): [{"severity": d.severity.value, "label": d.severity.label, "rule": d.rule,
                                    "message": d.message} for d in found]
                          for n, found in sorted(self.cells.items())}}


def targets(project: Project, file: str) -> list[Target]:
    """Every located field of ``project`` written in ``file``, with the cell that prints it."""
    found = list(_header(project)) + list(_funds(project)) + list(_indicators(project))
    return [t for t in found if t.loc.file == file and t.loc.line > 0]


def _at(pos: Pos, attr: str) -> Location | None:
    return pos.fields.get(attr)


def _header(p: Project) -> Iterator[Target]:
    for attr, source in HEADER_SOURCES.items():
        if (loc := _at(p.pos, attr)) is not None:
            yield Target(loc, (CellName(source),), depth=1)
    goal = p.overall_goal
    if goal is not None:
        yield Target(goal.pos.at, (CellName("项目总目标"),), depth=1)
        for attr in ("text", "period"):
            if (loc := _at(goal.pos, attr)) is not None:
                yield Target(loc, (CellName("项目总目标"),), depth=2)


def _funds(p: Project) -> Iterator[Target]:
    funds = p.funds
    block = CellName("", block=FUNDS_BLOCK)
    if (loc := _at(p.pos, "funds")) is not None:
        yield Target(loc, (block,))
    if funds is None:
        return
    yield Target(funds.pos.at, (block,))
    if (loc := _at(funds.pos, "unit")) is not None:
        yield Target(loc, (block,), depth=1)
    if isinstance(funds, TargetFunds):
        yield from _half(funds.project, PROJECT_TOTAL)
        yield from _half(funds.annual, ANNUAL)
    elif isinstance(funds, SelfEvalFunds):
        for attr, label in SELF_EVAL_ROWS.items():
            yield from _fund_row(getattr(funds, attr), label)
        for attr, source in SELF_EVAL_FUNDS.items():
            if (loc := _at(funds.pos, attr)) is not None:
                yield Target(loc, (CellName(source),), depth=1)


def _half(half: ProjectTotal | AnnualRequest | None, sources: dict[str, str]) -> Iterator[Target]:
    if half is None:
        return
    yield Target(half.pos.at, (CellName(sources["total"]),), depth=1)  # a missing 合计 is reported here
    for attr, source in sources.items():
        if (loc := _at(half.pos, attr)) is not None:
            yield Target(loc, (CellName(source),), depth=2)


def _fund_row(row: FundRow | None, label: str) -> Iterator[Target]:
    if row is None:
        return
    yield Target(row.pos.at, (CellName(f"{label}.年初预算数"),), depth=1)
    for attr, column in FUND_COLUMNS.items():
        if (loc := _at(row.pos, attr)) is not None:
            yield Target(loc, (CellName(f"{label}.{column}"),), depth=2)


def _indicators(p: Project) -> Iterator[Target]:
    block = CellName("", block=INDICATORS_BLOCK)
    if (loc := _at(p.pos, "indicators")) is not None:
        yield Target(loc, (block,))
    seen2: dict[str, int] = {}
    seen3: dict[str, int] = {}
    for level in p.indicators:
        yield Target(level.pos.at, (CellName("一级指标", level.name),), quoted=level.name, depth=1)
        for child in level.children:
            nth2 = seen2[child.name] = seen2.get(child.name, -1) + 1
            yield Target(child.pos.at, (CellName("二级指标", child.name, nth2),), quoted=child.name, depth=2)
            for ind in child.indicators:
                nth3 = seen3[ind.name] = seen3.get(ind.name, -1) + 1
                yield from _indicator(ind, nth3)


def _indicator(ind: Indicator, nth: int) -> Iterator[Target]:
    src = f"三级指标「{ind.name}」"
    name_cell = CellName(src, nth=nth)
    yield Target(ind.pos.at, (name_cell,), quoted=ind.name, depth=3)
    if (loc := _at(ind.pos, "name")) is not None:
        yield Target(loc, (name_cell,), quoted=ind.name, depth=4)
    for attr, what in INDICATOR_FIELDS.items():
        if (loc := _at(ind.pos, attr)) is not None:
            # A detail the variant prints no column for is shown in the name cell's tooltip.
            yield Target(loc, (CellName(f"{src}的{what}", nth=nth), name_cell), depth=4)


def cell_numbers(grid: Grid) -> dict[CellName, int]:
    """Every grid cell's name → its number in print order (the first, for a repeated name)."""
    numbers: dict[CellName, int] = {}
    counts: dict[tuple[str, str | None], int] = {}
    for n, cell in enumerate(grid.cells()):
        if cell.role is Role.BLOCK:
            for block in (FUNDS_BLOCK, INDICATORS_BLOCK):
                if cell.text.startswith(block[1]):
                    numbers.setdefault(CellName("", block=block), n)
            continue
        if not cell.source:
            continue
        text = cell.text if cell.source in ("一级指标", "二级指标") else None
        nth = counts[(cell.source, text)] = counts.get((cell.source, text), -1) + 1
        numbers.setdefault(CellName(cell.source, text, nth), n)
    return numbers


def place(diagnostics: list[Diagnostic], project: Project, file: str, grid: Grid) -> Marks:
    """The problems of ``file`` by the cell of ``grid`` they are about."""
    numbers = cell_numbers(grid)
    by_loc: dict[tuple[int, int], list[Target]] = {}
    for t in targets(project, file):
        by_loc.setdefault((t.loc.line, t.loc.col), []).append(t)
    marks = Marks(len(grid.cells()))
    for d in diagnostics:
        found = by_loc.get((d.location.line, d.location.col), []) if d.location.file == file else []
        cell = _cell(_choose(found, d.message), numbers)
        if cell is None:
            marks.unplaced.append(d)
        else:
            marks.cells.setdefault(cell, []).append(d)
    return marks


def _choose(found: list[Target], message: str) -> Target | None:
    """Of the targets at one position: the one the message quotes by name, else the outermost."""
    if not found:
        return None
    quoted = [t for t in found if t.quoted and f"「{t.quoted}」" in message]
    return max(quoted, key=lambda t: t.depth) if quoted else min(found, key=lambda t: t.depth)


def _cell(target: Target | None, numbers: dict[CellName, int]) -> int | None:
    if target is None:
        return None
    return next((numbers[name] for name in target.cells if name in numbers), None)
