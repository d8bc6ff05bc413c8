"""Where the printed form breaks onto a new page: decided once, for every writer.

A browser engine (WeasyPrint), Word and LibreOffice each paginate a table their
own way, and none continues a merged cell on the next page as the official
forms do (WeasyPrint prints a cell that spans a page break in its first part
only). So the layout breaks the form itself: it estimates every row's height
from its text and column widths (``render/measure.py``), fills A4 pages and
cuts the indicator grid between rows where a page is full. Each page after the
first is a section of its own (``Section.new_page``) that repeats the indicator
header and prints the 一级/二级 labels it continues again, marked 续. The writers
force the break there (CSS ``break-before``, Word ``pageBreakBefore``), so the
PDF, the DOCX printed by Word or LibreOffice and the printed HTML start every
page with the same row.

The estimate errs on the tall side (a line is 1.5 em; a Chinese character 1 em,
see ``measure.char_em``), so a page it fills is never overfull in a renderer:
a page is at worst a few lines short of full. The header block (表头, 资金,
目标) is never cut; a form whose header block alone is longer than a page is
left to the renderers' own breaks.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import replace

from jixiao.render import measure
from jixiao.render.grid import Cell, Grid, Role, Section

# The page: A4, 20 mm top and bottom margins (templates/print.css, render/docx_shell.py).
PAGE_HEIGHT_MM = 297.0 - 2 * 20.0
# The disclosure document prints a unit heading and the project's name above a table's
# first page (templates/disclosure.html.j2, bundle/docx.py): the room a bundle keeps for them.
PRELUDE_MM = 15.0
# Line height (em): print.css sets 1.45; Word and LibreOffice set Noto Serif CJK about
# 1.44. Estimated a little taller, never shorter.
LINE_EM = 1.46
# A cell's vertical padding, each side: print.css pads 1.2 mm (Word: none), plus the rule.
CELL_PAD_MM = 1.2
RULE_MM = 0.3
# The title (18 pt, bold) and the year line (12 pt) with their margins (print.css).
TITLE_PT, TITLE_GAP_MM, YEAR_PT, YEAR_GAP_MM = 18.0, 2.0, 12.0, 4.0
CONTINUED = "（续）"


def paginate(grid: Grid, prelude_mm: float = 0.0) -> Grid:
    """``grid`` with its indicator section cut into pages where they are full; the first
    page has ``prelude_mm`` less room (what a bundle prints above the table)."""
    left = PAGE_HEIGHT_MM - prelude_mm - _heading_mm(grid)  # room on the current page
    sections: list[Section] = []
    for section in grid.sections:
        if section.head:
            parts = _cut(section, left, at_top=not sections, font_pt=grid.font_pt)
        else:
            # A block of the header is never cut: it moves to a new page whole if it must.
            moves = bool(sections) and sum(row_heights(section, grid.font_pt)) > left
            parts = [replace(section, new_page=True)] if moves else [section]
        for part in parts:
            if part.new_page:
                left = PAGE_HEIGHT_MM
            left -= sum(row_heights(part, grid.font_pt))
        sections.extend(parts)
    return replace(grid, sections=tuple(sections))


def _cut(section: Section, room: float, at_top: bool, font_pt: float = 10.5) -> list[Section]:
    """``section`` as its pages: the first in the ``room`` left on the current page, the
    others each on a page of its own."""
    heights = row_heights(section, font_pt)
    n = _first_break(section, heights, room, at_top)
    if n is None:
        return [section]
    if n == 0:
        return _cut(replace(section, new_page=True), PAGE_HEIGHT_MM, at_top=True, font_pt=font_pt)
    # A label cut at the break spans fewer rows above it and may need them taller (a long
    # 二级 name over one row): the page is measured again, and the break moves up a row
    # until it fits.
    head = len(section.head)
    first, rest = split(section, n)
    while sum(row_heights(first, font_pt)) > room and n > head + 1:
        n -= 1
        first, rest = split(section, n)
    if sum(row_heights(first, font_pt)) > room and not at_top:
        return _cut(replace(section, new_page=True), PAGE_HEIGHT_MM, at_top=True, font_pt=font_pt)
    return [first, *_cut(rest, PAGE_HEIGHT_MM, at_top=True, font_pt=font_pt)]


def _first_break(section: Section, heights: Sequence[float], room: float, at_top: bool) -> int | None:
    """The row (index into ``section.rows()``) that must start the next page, or None when
    the section fits in ``room``. The header rows never end a page (0: the whole section
    moves on), and the last indicator row goes with the 总分 row below it. A row too tall
    for a page of its own is left to the renderer to cut; the next row starts a page."""
    head = len(section.head)
    rows = len(heights)
    total_last = _ends_with_total(section)
    left = room
    for n in range(rows):
        need = heights[n]
        if n + 2 == rows and total_last:
            need += heights[n + 1]
        if need > left:
            if n > head:
                return n
            if not at_top:
                return 0
            if n == head and n + 1 < rows:
                return n + 1
            return None
        left -= heights[n]
    return None


def _ends_with_total(section: Section) -> bool:
    rows = section.rows()
    return bool(rows) and any(cell.source == "总分" for cell in rows[-1])


# -- cutting a section ----------------------------------------------------------------------------


def split(section: Section, at: int) -> tuple[Section, Section]:
    """``section`` cut before row ``at`` (a body row): the rest starts a new page with the
    header rows again (the side label spanning its rows), and every cell spanning down
    across the cut is cut in two, its lower part printing the label again, marked 续."""
    head = len(section.head)
    assert head < at < len(section.rows())
    placed = section.positions()
    upper: dict[int, list[tuple[int, Cell]]] = {}
    lower: dict[int, list[tuple[int, Cell]]] = {}
    for r, c, cell in placed:
        end = r + cell.rowspan
        if r >= at:
            lower.setdefault(r, []).append((c, cell))
            continue
        upper.setdefault(r, []).append((c, replace(cell, rowspan=min(end, at) - r)))
        if r < head:  # the header again on the new page; a side label spans its rows
            span = cell.rowspan if end <= head else head - r + end - at
            lower.setdefault(r - head, []).append((c, replace(cell, rowspan=span)))
        elif end > at:
            lower.setdefault(at, []).append((c, continued(cell, end - at)))
    first, rest = (_section_of(section, rows, head) for rows in (upper, lower))
    return first, replace(rest, new_page=True)


def _section_of(section: Section, rows: dict[int, list[tuple[int, Cell]]], head: int) -> Section:
    ordered = [tuple(cell for _, cell in sorted(rows[r], key=lambda p: p[0])) for r in sorted(rows)]
    part = replace(section, head=tuple(ordered[:head]), bodies=(tuple(ordered[head:]),))
    part.check_shape()
    return part


def continued(cell: Cell, rowspan: int) -> Cell:
    """The part of a cut label on the next page: the label again, marked 续."""
    if not cell.text or cell.role not in (Role.LABEL, Role.BLOCK, Role.HEAD):
        return replace(cell, rowspan=rowspan)
    words = (*(cell.words or (cell.text,)), CONTINUED)
    return replace(cell, text=cell.text + CONTINUED, words=words, rowspan=rowspan)


# -- heights --------------------------------------------------------------------------------------


def _heading_mm(grid: Grid) -> float:
    line = measure.MM_PER_PT * LINE_EM
    return TITLE_PT * line * _title_lines(grid.title) + TITLE_GAP_MM + YEAR_PT * line + YEAR_GAP_MM


def _title_lines(title: str) -> int:
    room = measure.TEXT_WIDTH_MM / (TITLE_PT * measure.MM_PER_PT)
    return len(measure.lines(list(title), room))


def row_heights(section: Section, font_pt: float) -> list[float]:
    """Each row's height (mm): the tallest cell that starts in it, and room for a cell that
    spans rows given to the last of them."""
    total = sum(section.widths)
    heights = [0.0] * len(section.rows())
    spanning: list[tuple[int, int, float]] = []
    for r, c, cell in section.positions():
        width = measure.TEXT_WIDTH_MM * sum(section.widths[c:c + cell.colspan]) / total
        need = cell_height(cell, width, font_pt)
        if cell.rowspan == 1:
            heights[r] = max(heights[r], need)
        else:
            spanning.append((r, cell.rowspan, need))
    empty = cell_height(Cell(""), 10.0, font_pt)
    heights = [max(h, empty) for h in heights]
    for r, span, need in spanning:
        have = sum(heights[r:r + span])
        if need > have:
            heights[r + span - 1] += need - have
    return heights


# A page is measured again after every cut (render/paginate._cut): the cells are the same.
@functools.lru_cache(maxsize=1 << 14)
def cell_height(cell: Cell, width_mm: float, font_pt: float) -> float:
    room = measure.room_em(width_mm, font_pt)
    count = sum(len(measure.lines(tokens, room)) for tokens in _paragraph_tokens(cell))
    return count * font_pt * LINE_EM * measure.MM_PER_PT + 2 * CELL_PAD_MM + RULE_MM


def _paragraph_tokens(cell: Cell) -> Iterator[list[str]]:
    """The pieces a line may break between (render/words.py: running text is cut into its
    characters and its figures, a name or label into its words), per paragraph."""
    if cell.nowrap or not cell.text:
        yield from ([line] for line in (cell.text or "").split("\n"))
        return
    yield from measure.split_lines(cell.words or tuple(cell.text))
