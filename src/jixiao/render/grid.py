"""The table grid: one layout model that every writer serialises.

A project becomes a :class:`Grid` once — sections of rows of cells with their
spans, roles and alignment — and the HTML writer (hence the PDF) and the
DOCX writer only turn that grid into markup. The grid knows nothing about
HTML or Word; the writers know nothing about the spec.

A grid is a list of *sections* (表头, 资金, 目标, 指标), each with its own column
widths (the header block and the indicator grid of the official forms do not
share vertical lines): HTML prints each as a table, Word prints the sections of
a page as one table on the union of their columns (``render/docx.py``). A
section may have *head* rows (the indicator header); a head cell may span down
over the body rows (the 绩效指标 side label, centred in the whole column as 项目资金
is in its block). Where the form breaks onto a new page is decided with the layout, by
``render/paginate.py``: a section marked ``new_page`` starts a page, and a long
indicator grid is several such sections, each repeating the header.

Column widths are computed from the content (``render/measure.py``): a column is
never narrower than what it must print whole. Cells say what must not break: a
``nowrap`` cell (an amount, a score, a percentage, a date) and the ``words`` of a
name or label (``render/words.py``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.render.words import pieces


class Role(enum.Enum):
    LABEL = "label"  # a printed field label: 项目名称, 主管部门 …
    VALUE = "value"  # author's text
    AMOUNT = "amount"  # money or a score: right-aligned, tabular
    HEAD = "head"  # a column header: 一级指标, 年初预算数 …
    BLOCK = "block"  # a block label in the first column: 项目资金（万元）, 绩效指标
    LONG = "long"  # long text (goals): top-left aligned, pre-wrapped


@dataclass(frozen=True, slots=True)
class Cell:
    text: str = ""
    role: Role = Role.VALUE
    colspan: int = 1
    rowspan: int = 1
    # Where the text came from, in the author's words ("项目名称", "绩效指标 › 产出指标 › …"),
    # so a problem found while printing (a missing glyph) can name the field.
    source: str = ""
    # Printed on one line: an amount, a score, a percentage, a date.
    nowrap: bool = False
    # The text cut into the pieces a line may break between (render/words.py), for names
    # and labels: ``("上海市", "公安局", "崇明分局(汇总)")``; empty: break as Chinese text does.
    words: tuple[str, ...] = ()
    # Running text (an indicator value, a goal), whose words are its figures: kept whole where
    # a writer can (HTML), but Word sets it itself — a line break written into the author's
    # text would become part of it.
    running: bool = False
    # Shown in the HTML view only (a tooltip, the ``title`` attribute), never printed: an
    # indicator's details the variant has no column for.
    note: str = ""

    @property
    def align(self) -> str:
        if self.role is Role.AMOUNT:
            return "right"
        if self.role in (Role.VALUE, Role.LONG):
            return "left"
        return "center"

    @property
    def pieces(self) -> tuple[tuple[str, bool], ...]:
        """(text, keep whole) in order, for the writers: a word of several characters is
        kept whole; a single character, a space or a line break is not a word to keep."""
        if not self.words:
            return ((self.text, False),)
        return pieces(self.words)


Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Section:
    widths: tuple[float, ...]  # relative column widths, summing to 100
    bodies: tuple[tuple[Row, ...], ...]
    head: tuple[Row, ...] = ()
    name: str = ""  # header / funds / goals / indicators, for styling and tests
    # The section starts a new page: where render/paginate.py breaks the form. Each page of
    # an indicator grid is a section of its own, its header repeated and the labels of the
    # groups it continues printed again (产出指标（续）).
    new_page: bool = False

    def rows(self) -> list[Row]:
        return [*self.head, *(row for body in self.bodies for row in body)]

    def positions(self) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell, columns resolved around the rowspans above."""
        return [placed for row in self._placed_rows() for placed in row]

    def _placed_rows(self) -> Iterator[list[tuple[int, int, Cell]]]:
        """Each row's cells with their columns: the one walk over rowspans and colspans.

        A row that overflows the columns, or leaves one empty, would print a ragged
        table: a layout bug, raised as ValueError.
        """
        carried = [0] * len(self.widths)  # rows still covered by a rowspan, per column
        for n, row in enumerate(self.rows()):
            col, placed = 0, []
            for cell in row:
                while col < len(carried) and carried[col]:
                    col += 1
                if col + cell.colspan > len(carried):
                    raise ValueError(f"section {self.name}: row {n} overflows {len(carried)} columns")
                placed.append((n, col, cell))
                for c in range(col, col + cell.colspan):
                    carried[c] = cell.rowspan
                col += cell.colspan
            if not all(carried):
                raise ValueError(f"section {self.name}: row {n} leaves columns empty")
            yield placed
            carried = [max(0, k - 1) for k in carried]

    @property
    def repeat_head(self) -> bool:
        """Whether the head rows can be repeated on every page: no head cell spans down
        into the bodies (a side label over the whole section makes the head part of it)."""
        return bool(self.head) and all(cell.rowspan <= len(self.head) - n
                                       for n, row in enumerate(self.head) for cell in row)

    def check_shape(self) -> None:
        """Every row, with the cells spanning down into it, fills exactly the columns."""
        for _ in self._placed_rows():
            pass


@dataclass(frozen=True, slots=True)
class Grid:
    title: str  # 财政项目支出绩效目标表
    year_line: str  # （2026年度）
    sections: tuple[Section, ...]
    # Document metadata: 标题, 作者 (主管部门), 主题.
    meta: dict[str, str] = field(default_factory=dict)
    # What a Word shell may print around the table (render/docx_shell.CONTEXT_VARIABLES
    # but 表格): 标题, 年度行, 年度, 项目名称, 主管部门, 实施单位.
    shell: dict[str, object] = field(default_factory=dict)
    variant: str = ""  # the variant's folder name: A, B, C, D or a workspace's own
    font_pt: float = 10.5  # type size of the table

    def cells(self) -> list[Cell]:
        return [cell for section in self.sections for row in section.rows() for cell in row]

    @property
    def pages(self) -> int:
        """The pages the form prints on: render/paginate.py decides where each begins."""
        return 1 + sum(section.new_page for section in self.sections)

    def texts(self) -> list[tuple[str, str]]:
        """(text, source) of everything printed, title first."""
        out = [(self.title, "表格标题"), (self.year_line, "年度")]
        out.extend((c.text, c.source or c.text) for c in self.cells() if c.text)
        return out
