"""Readers: a source file → rows of located, cleaned cells.

Every reader produces the same thing, so one parser serves all: a row is the
non-empty cells of one table row (or one paragraph between tables), each with
its grid column and a human-readable location — ``file:line`` for extracted
text, ``file 表2 第3行 第4格`` for Word (:mod:`jixiao.importer.word`),
``file 工作表「表1」 B12`` for Excel (:mod:`jixiao.importer.xlsx`), ``file 第2页 表1
第3行 第4格`` for PDF (:mod:`jixiao.importer.pdf`). Which reader reads a file is
told by its content (:mod:`jixiao.importer.filetype`).

Imported files come from anywhere, so every reader treats them as hostile: every
size and count of :mod:`jixiao.importer.limits` is checked while the file is
read, and everything wrong with a file is a :class:`SourceError` naming the file
and, where there is one, the place in it.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import SourceError
from jixiao.importer import limits
from jixiao.importer.cells import clean
from jixiao.importer.filetype import kind_of


@dataclass(frozen=True, slots=True)
class SourceCell:
    text: str
    col: int
    where: str


@dataclass(frozen=True, slots=True)
class SourceRow:
    cells: tuple[SourceCell, ...]
    where: str
    line: int  # 1-based line (text) or running row number (Word), for ordering and messages
    # False for a Word paragraph between tables: after the indicator grid it ends the table.
    in_table: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    """What a reader has to say about a place in the file (a formula without its result …);
    ``line`` is the row it belongs to, so it goes with that row's table."""

    where: str
    text: str
    message: str
    line: int


@dataclass
class Read:
    """What a reader made of one file: its rows for the parser, notes about places in it,
    and tables it read itself (the flat workbook of ``export --format xlsx``)."""

    rows: list[SourceRow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)  # jixiao.importer.table.Table (it imports this module)


def read_source(path: Path, display: str) -> Read:
    """The file read by the reader its content calls for (:mod:`jixiao.importer.filetype`)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"{display}：不是普通文件（是目录、设备或管道），不能导入")
    if info.st_size > limits.MAX_SOURCE_BYTES:
        raise SourceError(f"{display}：文件有 {info.st_size} 字节，超过上限 {limits.MAX_SOURCE_BYTES} 字节")
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    kind = kind_of(path, head, display)
    # Each reader's library is imported only when a file of its kind is imported.
    if kind == "docx":
        from jixiao.importer.word import read_docx

        return Read(read_docx(path, display))
    if kind == "xlsx":
        from jixiao.importer.xlsx import read_xlsx

        return read_xlsx(path, display)
    if kind == "pdf":
        from jixiao.importer.pdf import read_pdf

        return read_pdf(path, display)
    return Read(read_text(path, display))


# -- text of a cell ---------------------------------------------------------------------------

# What YAML does not allow in a file and jixiao's loader refuses (C0 controls but tab and line
# ends, DEL, C1 controls, U+FFFE/U+FFFF): never text a clerk typed, so dropped, not imported.
_NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks to YAML besides \n and \r: inside a value they would fold into a space on reading.
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UNWANTED = re.compile(f"{_NOT_TEXT.pattern}|{_LINE_BREAKS.pattern}")


def plain(text: str) -> str:
    return _NOT_TEXT.sub("", _LINE_BREAKS.sub("\n", text))


class Budget:
    """What one file may still produce; each reader counts as it goes and stops at a limit."""

    def __init__(self, display: str) -> None:
        # The parser knows what a title is; it imports this module, so it is imported here.
        from jixiao.importer.parse import title_of

        self.display = display
        self.rows = self.cells = self.chars = self.work = self.forms = 0
        self._title_of = title_of

    def form(self, row: SourceRow) -> SourceRow:
        """``row``, counted if it is a form's title."""
        if row.cells and self._title_of(row) is not None:
            self.forms += 1
            if self.forms > limits.MAX_FORMS:
                raise SourceError(f"{row.where}：表格标题（财政项目支出绩效…表）超过上限 {limits.MAX_FORMS} 个；"
                                  "请把文件分成几份导入")
        return row

    def row(self, where: str) -> None:
        self.rows += 1
        if self.rows > limits.MAX_ROWS:
            raise SourceError(f"{where}：文件的行数（表格行、段落或文字行）超过上限 {limits.MAX_ROWS} 行，不像一份绩效表格文件")
        self._chars(len(where), where)

    def text(self, raw: str, where: str, *, extracted: bool) -> str:
        """``raw`` cleaned, or a SourceError if it is more than a cell of a form holds."""
        if not raw or raw.isspace():
            return ""
        if len(raw) > limits.MAX_CELL_CHARS:
            raise SourceError(f"{where}：格子里有 {len(raw)} 个字，超过上限 {limits.MAX_CELL_CHARS} 个字")
        if _UNWANTED.search(raw):
            raw = plain(raw)
        text = clean(raw, extracted=extracted)
        if _UNWANTED.search(text):  # written as an entity (&#x2028;) in extracted text
            text = "\n".join(part.strip() for part in plain(text).split("\n") if part.strip())
        if text:
            self.cells += 1
            if self.cells > limits.MAX_CELLS:
                raise SourceError(f"{where}：有文字的格子超过上限 {limits.MAX_CELLS} 个，不像一份绩效表格文件")
            self._chars(len(text) + len(where), where)
        return text

    def _chars(self, n: int, where: str) -> None:
        self.chars += n
        if self.chars > limits.MAX_TEXT_CHARS:
            raise SourceError(f"{where}：读出的文字（连同每格的位置）超过上限 {limits.MAX_TEXT_CHARS} 字，不像一份绩效表格文件")


# -- extracted table text -----------------------------------------------------------------

# What str.splitlines() splits at, as UTF-8: counted in the bytes before anything is decoded.
_LINE_ENDS = (b"\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8",
              b"\xe2\x80\xa9")


def read_text(path: Path, display: str) -> list[SourceRow]:
    try:
        with path.open("rb") as f:
            data = f.read(limits.MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    if len(data) > limits.MAX_SOURCE_BYTES:
        raise SourceError(f"{display}：文件超过上限 {limits.MAX_SOURCE_BYTES} 字节")
    lines = sum(data.count(end) for end in _LINE_ENDS) - data.count(b"\r\n")
    lines += bool(data) and not data.endswith(_LINE_ENDS)  # a last line without its end
    if lines > limits.MAX_ROWS:
        raise SourceError(f"{display}：文件有 {lines} 行，超过上限 {limits.MAX_ROWS} 行，不像一份绩效表格文件")
    pieces = lines + data.count(b"\t")
    if pieces > limits.MAX_TEXT_PIECES:
        raise SourceError(f"{display}：文件有 {pieces} 个格子（以制表符分隔），超过上限 {limits.MAX_TEXT_PIECES} 个")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{display}：第 {exc.start} 字节处不是 UTF-8 文字；请另存为 UTF-8") from exc
    del data
    budget = Budget(display)
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{display}:{n}"
        budget.row(where)
        if is_markdown_rule(line):
            continue  # a markdown table's |---|---| line: layout, not a row of the form
        cells = tuple(SourceCell(t, col, where) for col, raw in enumerate(split_cells(line))
                      if (t := budget.text(raw, where, extracted=True)))
        rows.append(budget.form(SourceRow(cells, where, n)))
    return rows


# Converters that turn a PDF into markdown write a table as | a | b | lines under a
# |---|:---:| rule line; the rule is layout, the rows are rows.
_MARKDOWN_RULE = re.compile(r"[ \t|:-]*")
_MARKDOWN_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*")
_PIPE = re.compile(r"(?<!\\)\|")


def is_markdown_rule(line: str) -> bool:
    """``|---|---|``, ``| --- | :---: |``, ``---|---``: a markdown table's separator line."""
    return "-" in line and "|" in line and bool(_MARKDOWN_RULE.fullmatch(line))


def split_cells(line: str) -> list[str]:
    """The cells of one line of extracted text: tab-separated, or a markdown row ``| a | b |``
    (without tabs; ``\\|`` is a ``|`` inside a cell)."""
    if "\t" in line or not _MARKDOWN_ROW.fullmatch(line):
        return line.split("\t")
    return [cell.replace("\\|", "|") for cell in _PIPE.split(line.strip())[1:-1]]
