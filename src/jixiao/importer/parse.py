"""One table's rows → a :class:`Table`, by what the cells say rather than where they sit.

Extracted tables shift cells freely: a merged cell shows up once and leaves the
rows below it short, a label slides into the next column, a page break splits a
row. So the rows are cut into the form's blocks by their labels
(:mod:`~jixiao.importer.blocks`), and each block has its reader, which places the
cells around the labels and names it knows and returns its typed part of the
table: :mod:`~jixiao.importer.read_header`, :mod:`~jixiao.importer.read_funds`
(target, self-evaluation and monitoring layouts), :mod:`~jixiao.importer.read_goals`,
:mod:`~jixiao.importer.read_indicators`. A new form layout touches the reader of
the block that changed. All readers keep one :class:`~jixiao.importer.ledger.Ledger`:
every non-empty cell none of them placed becomes a :class:`Remark`, so nothing
is dropped silently.

This module composes them; ``title_of``, ``split_tables`` and ``parse_table`` are
the importer's entry points.
"""

from __future__ import annotations

from jixiao.importer.blocks import split_blocks, split_tables
from jixiao.importer.cells import squeeze
from jixiao.importer.ledger import OUTSIDE, Ledger, Remark
from jixiao.importer.read_funds import (
    MonitorFunds,
    SelfEvalFunds,
    TargetFunds,
    read_monitor_funds,
    read_self_eval_funds,
    read_target_funds,
)
from jixiao.importer.read_goals import read_goals, read_monitor_goals
from jixiao.importer.read_header import (
    HeaderCells,
    read_header,
    read_header_cells,
    read_year,
    title_of,
)
from jixiao.importer.read_indicators import read_indicators
from jixiao.importer.sources import SourceRow
from jixiao.importer.table import Table
from jixiao.model.vocab import DECLARATION_NATURES, FormKind

__all__ = ["OUTSIDE", "Remark", "Table", "parse_table", "split_tables", "title_of"]


def parse_table(form: FormKind, rows: list[SourceRow]) -> Table:
    """``rows`` (the title row first) read block by block, in printed order."""
    blocks = split_blocks(form, rows)
    ledger = Ledger()
    title = blocks.title
    ledger.use(*title.cells[:1])
    table = Table(where=title.where, line=title.line, last_line=rows[-1].line, form=form)
    table.year = read_year(title.cells, ledger)
    if blocks.year is not None:
        table.year = read_year(blocks.year.cells, ledger)
    cells = read_header_cells(blocks.header, ledger)
    if form is FormKind.MONITOR:
        funds: TargetFunds | SelfEvalFunds | MonitorFunds = read_monitor_funds(blocks.funds, ledger)
        goals = read_monitor_goals(blocks.goal_labels, blocks.goals, ledger)
    else:
        funds = (read_self_eval_funds(blocks.funds, ledger) if form is FormKind.SELF_EVAL
                 else read_target_funds(blocks.funds, ledger))
        goals = read_goals(blocks.goal_labels, blocks.goals, form, ledger)
    indicators = read_indicators(blocks.indicators, form, ledger)
    # The header's values are read last: whether the form is variant C is told by the goals' and
    # the grid's labels, and it decides what the 项目类别 cell holds.
    if "项目名称" not in cells:
        table.error = "找不到项目名称，不是一张完整的表"
    else:
        table.variant = _variant(form, cells, indicators.value_label, goals.annual_label)
        table.header = read_header(cells, form, table.variant, ledger)
        table.funds, table.goals, table.indicators = funds, goals, indicators
    table.remarks = ledger.remarks + ledger.unplaced(rows, blocks.after)
    return table


def _variant(form: FormKind, cells: HeaderCells, value_label: str, annual_label: str) -> str:
    """``C`` for the public-security declaration form, told by what it prints differently.

    It has no 项目性质 row and prints the nature (新增项目 …) under 项目类别; its
    value column is headed 指标目标值 and its annual goal 年度总目标.
    """
    if form is not FormKind.DECLARATION:
        return ""
    if "项目性质" not in cells:
        category = cells.get("项目类别")
        if category is not None and squeeze(category.text) in DECLARATION_NATURES:
            return "C"
    if value_label == "指标目标值" or annual_label == "年度总目标":
        return "C" if "项目性质" not in cells else ""
    return ""
