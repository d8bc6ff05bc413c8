"""Cutting a file's rows into tables, and a table's rows into the blocks of the form.

A table starts at its title row (``财政项目支出绩效目标表`` …). Inside it the
blocks come in printed order — header, funds, goals, indicator grid — and a row's
labels move the cut on: a funds label (``项目资金（万元）``) opens the funds, a goal
label (``项目总目标…``, ``年度总体目标``, on self-evaluations ``预期目标``) the goals,
``一级指标`` the grid — or, in a table that prints no grid header, the first row
that only the grid can have (``产出指标 | 数量指标 | …``, by the standard
vocabulary). A goals block may open on its caption (``项目绩效目标``) when no
goal label is printed. Which labels those are is each reader's to say; this module
only cuts. Text below the grid that is not in the table (a Word paragraph such as
``填报人：``) ends the table; it is kept aside to be reported, never read as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.importer.cells import squeeze
from jixiao.importer.read_funds import is_funds_label
from jixiao.importer.read_goals import is_goal_label
from jixiao.importer.read_header import has_year, title_of
from jixiao.importer.read_indicators import is_grid_head, starts_grid
from jixiao.importer.sources import SourceRow
from jixiao.model.vocab import FormKind


@dataclass
class Blocks:
    """One table's rows by block; rows without cells are left out."""

    title: SourceRow
    year: SourceRow | None = None  # a row of its own for （2023年度）, when the title has no year
    header: list[SourceRow] = field(default_factory=list)
    funds: list[SourceRow] = field(default_factory=list)
    goal_labels: SourceRow | None = None  # the row that opened the goals block
    goals: list[SourceRow] = field(default_factory=list)
    indicators: list[SourceRow] = field(default_factory=list)
    after: list[SourceRow] = field(default_factory=list)  # below the table: reported, never read


def split_tables(rows: list[SourceRow]) -> tuple[list[tuple[FormKind, list[SourceRow]]], list[SourceRow]]:
    """Tables, each starting at its title row; and the rows before the first title."""
    tables: list[tuple[FormKind, list[SourceRow]]] = []
    outside: list[SourceRow] = []
    for row in rows:
        form = title_of(row)
        if form is not None:
            tables.append((form, [row]))
        elif tables:
            tables[-1][1].append(row)
        else:
            outside.append(row)
    return tables, outside


def split_blocks(form: FormKind, rows: list[SourceRow]) -> Blocks:
    """``rows`` (title first) cut into blocks; a block only ever gives way to a later one."""
    blocks = Blocks(rows[0])
    year_seen = has_year(rows[0])
    state = "header"  # the name of the Blocks list the rows go to
    for n, row in enumerate(rows[1:], 1):
        if not row.cells:
            continue
        if state == "indicators" and not row.in_table:
            blocks.after = rows[n:]
            break
        labels = [squeeze(c.text) for c in row.cells]
        if state == "header" and not year_seen and has_year(row):
            blocks.year, year_seen = row, True
            continue
        if state in ("header", "funds") and any(is_funds_label(t) for t in labels):
            state = "funds"
        elif state in ("header", "funds") and any(is_goal_label(t, form) for t in labels):
            state = "goals"
            blocks.goal_labels = row
            continue
        elif state != "indicators" and (is_grid_head(labels) or starts_grid(labels)):
            state = "indicators"
        getattr(blocks, state).append(row)
    return blocks
