"""Which cells of a table were read, and what the importer has to say about the rest.

Every reader marks the cells it places as used and notes the choices a person
should confirm; after all blocks are read, every non-empty cell nobody used
becomes a :class:`Remark`, so nothing a table says is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.importer.sources import SourceCell, SourceRow

OUTSIDE = "在表格之外，未导入"  # the remark on text after a table's end or before the first
UNPLACED = "无法归位，未导入"


@dataclass(frozen=True)
class Remark:
    """A cell the importer could not place, or a choice it made that a person should confirm."""

    where: str
    text: str
    message: str

    def format(self) -> str:
        shown = f"「{self.text}」" if self.text else ""
        return f"{self.where}: {shown}{self.message}"


@dataclass
class Ledger:
    """The used cells and the remarks of one table, in the order the readers made them."""

    used: set[SourceCell] = field(default_factory=set)
    remarks: list[Remark] = field(default_factory=list)
    # Cells made by joining a page-split row: not in any source row, but placed or reported.
    joined: list[SourceCell] = field(default_factory=list)

    def use(self, *cells: SourceCell) -> None:
        self.used.update(cells)

    def use_all(self, cells: Iterable[SourceCell]) -> None:
        self.used.update(cells)

    def note(self, cell: SourceCell, message: str) -> None:
        self.remarks.append(Remark(cell.where, cell.text, message))

    def note_at(self, where: str, message: str) -> None:
        self.remarks.append(Remark(where, "", message))

    def unplaced(self, rows: Iterable[SourceRow], after: Iterable[SourceRow]) -> list[Remark]:
        """A remark for every cell nobody used; ``after`` the table's end they are outside it."""
        below = {c for row in after for c in row.cells}
        cells = [c for row in rows for c in row.cells] + self.joined
        return [Remark(c.where, c.text, OUTSIDE if c in below else UNPLACED) for c in cells if c not in self.used]
