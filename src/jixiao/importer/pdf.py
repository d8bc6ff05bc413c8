"""Reading a PDF (a published form, a disclosure document) into source rows.

Tables are found by their ruling lines (pdfplumber's lattice finder), cell by
cell: a merged cell is one cell on the table's grid, placed in its first column,
and the grid positions it covers are empty — as Word's and Excel's merged cells
are read, so one parser reads all. Text outside the tables (titles, the year
line, headings of a disclosure document) becomes rows of its own, in reading
order, marked as outside a table.

A PDF keeps no paragraphs, only lines: a cell's lines are joined where a line
reaches the cell's right edge (the text wrapped there) and kept apart where a
line ends short of it (the author ended the paragraph). A table continued on the
next page (the indicator grid, its header row repeated, its labels marked
「（续）」) is read as one table: what stands between the two parts in the page
margins — page numbers, running headings that repeat the project's unit or
name — is page furniture, not the table's text.

A PDF is read as hostile: the page count, each page's content streams (inflated
and counted before the PDF library decodes them), characters and drawn objects
are bounded by :mod:`jixiao.importer.limits`; a PDF without any text (a scan) is
refused with the advice to OCR it first.
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import SourceError
from jixiao.importer import limits
from jixiao.importer.filetype import OCR_ADVICE
from jixiao.importer.sources import Budget, Read, SourceCell, SourceRow

# What a broken or hostile PDF makes pdfminer raise, besides its own exceptions.
_PDF_ERRORS: tuple[type[BaseException], ...] = (ValueError, TypeError, KeyError, IndexError, AttributeError,
                                                 AssertionError, OverflowError, RecursionError, zlib.error,
                                                 UnicodeDecodeError, EOFError, OSError, ZeroDivisionError)
_PAGE_NUMBER = re.compile(r"(第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|\d+)")
_MARGIN = 72.0  # a page's header and footer zone, in points (one inch)


@dataclass
class _Line:
    """A run of characters on one baseline."""

    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    chars: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        out = []
        last = None
        for ch in sorted(self.chars, key=lambda c: c["x0"]):
            if last is not None and ch["x0"] - last["x1"] > 0.25 * max(ch["size"], 1) and ch["text"] != " ":
                out.append(" ")
            out.append(ch["text"])
            last = ch
        return "".join(out)


@dataclass
class _Item:
    """A page's table row or text line, in reading order."""

    top: float
    cells: list[tuple[int, str]]  # (grid column, text)
    in_table: bool
    table: int  # which table of the page (-1 outside)
    row: int  # the row's number in its table, 1-based (0 outside)


def read_pdf(path: Path, display: str) -> Read:
    import pdfplumber  # only when a PDF is imported: it loads pdfminer
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    errors: tuple[type[BaseException], ...] = (PSException, PdfminerException, MalformedPDFException, *_PDF_ERRORS)
    try:
        pdf = pdfplumber.open(path)
    except errors as exc:
        raise _unreadable(display, exc) from exc
    with pdf:
        try:
            return _Reader(display).read(pdf)
        except SourceError:
            raise
        except errors as exc:
            raise _unreadable(display, exc) from exc


def _unreadable(display: str, exc: BaseException) -> SourceError:
    """What is wrong with a PDF pdfminer could not read (pdfplumber wraps its exceptions)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return SourceError(f"{display}：PDF 加了密码，不能读取；请先取消密码再导入")
    detail = str(cause)[:200] or type(cause).__name__
    return SourceError(f"{display}：不是可读的 PDF 文件（{detail}）；文件可能已损坏或被截断")


class _Reader:
    def __init__(self, display: str) -> None:
        self.display = display
        self.budget = Budget(display)
        self.rows: list[SourceRow] = []
        self.chars = 0
        self.images = 0
        self.content = 0  # bytes of page content streams, inflated

    def read(self, pdf: Any) -> Read:
        try:
            pages = pdf.pages
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(f"{self.display}：不是可读的 PDF 文件：找不到页面（{exc}）") from exc
        if len(pages) > limits.MAX_PDF_PAGES:
            raise SourceError(f"{self.display}：有 {len(pages)} 页，超过上限 {limits.MAX_PDF_PAGES} 页；请把文件分成几份导入")
        previous: list[_Item] = []
        for number, page in enumerate(pages, 1):
            items = self._page(page, number)
            self._emit(previous, items, number)
            previous = items
            page.close()  # frees the page's parsed objects: memory follows the page being read
        if self.chars == 0:
            scan = "（有图片，多半是扫描件）" if self.images else ""
            raise SourceError(f"{self.display}：PDF 里没有文字{scan}；{OCR_ADVICE}")
        return Read(self.rows)

    # -- one page -------------------------------------------------------------------------------

    def _page(self, page: Any, number: int) -> list[_Item]:
        where = f"{self.display} 第{number}页"
        self.content += _check_streams(page, where)
        if self.content > limits.MAX_PDF_CONTENT_BYTES:
            raise SourceError(f"{where}：各页内容解压后合计超过上限 {limits.MAX_PDF_CONTENT_BYTES} 字节，不像一份绩效表格文件")
        chars = [c for c in page.chars if c.get("upright", True) and (c.get("text") or "").strip()]
        self.chars += len(chars)
        if len(page.chars) > limits.MAX_PAGE_CHARS:
            raise SourceError(f"{where}：有 {len(page.chars)} 个字符，超过上限 {limits.MAX_PAGE_CHARS} 个，不像一页绩效表格")
        drawn = len(page.lines) + len(page.rects) + len(page.curves)
        if drawn > limits.MAX_PAGE_OBJECTS:
            raise SourceError(f"{where}：有 {drawn} 条线、框，超过上限 {limits.MAX_PAGE_OBJECTS} 个，不像一页绩效表格")
        self.images += len(page.images)
        tables = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
        items: list[_Item] = []
        inside: list[tuple[float, float, float, float]] = []
        for t_index, table in enumerate(sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])), 1):
            inside.append(table.bbox)
            for r_index, row in enumerate(table.rows, 1):
                cells = []
                for col, bbox in enumerate(row.cells):
                    if bbox is None:
                        continue
                    text = _cell_text(bbox, chars)
                    if text:
                        cells.append((col, text))
                items.append(_Item(row.bbox[1], cells, True, t_index, r_index))
        loose = [c for c in chars if not any(_within(c, box) for box in inside)]
        for line in _lines(loose):
            in_margin = line.top < _MARGIN or line.bottom > float(page.height) - _MARGIN
            if in_margin and _PAGE_NUMBER.fullmatch(line.text.replace(" ", "")):
                continue  # a page number: the page's, not the document's text
            items.append(_Item(line.top, [(0, line.text)], False, -1, 0))
        items.sort(key=lambda i: (i.top, i.table))
        return items

    def _emit(self, previous: list[_Item], items: list[_Item], number: int) -> None:
        """Rows of the page, in order; furniture between a table and its continuation is left out."""
        start = 0
        if previous and _ends_in_table(previous) and _continues(items):
            first_table = next(i for i, item in enumerate(items) if item.in_table)
            start = first_table
            # Furniture at the foot of the previous page and the head of this one: page numbers
            # are dropped; other text is kept in the table's flow, to be reported where it is.
            while self.rows and not self.rows[-1].in_table and _furniture(self.rows[-1]):
                self.rows.pop()
            kept = [item for item in items[:first_table] if not _is_page_number(item)]
            for n, item in enumerate(kept):
                self._row(item, number, f"页首{n + 1}", in_table=True)
        for n, item in enumerate(items[start:], start + 1):
            label = f"表{item.table} 第{item.row}行" if item.in_table else f"第{n}行文字"
            self._row(item, number, label, in_table=item.in_table)

    def _row(self, item: _Item, page: int, label: str, *, in_table: bool) -> None:
        where = f"{self.display} 第{page}页 {label}"
        self.budget.row(where)
        cells = []
        for col, raw in item.cells:
            cell_where = f"{where} 第{col + 1}格" if item.in_table else where
            text = self.budget.text(raw, cell_where, extracted=True)
            if text:
                cells.append(SourceCell(text, col, cell_where))
        self.rows.append(self.budget.form(SourceRow(tuple(cells), where, len(self.rows) + 1, in_table=in_table)))


def _furniture(row: SourceRow) -> bool:
    return len(row.cells) == 1 and bool(_PAGE_NUMBER.fullmatch(row.cells[0].text.replace(" ", "")))


def _is_page_number(item: _Item) -> bool:
    return not item.in_table and len(item.cells) == 1 and bool(_PAGE_NUMBER.fullmatch(item.cells[0][1].replace(" ", "")))


def _ends_in_table(items: list[_Item]) -> bool:
    """The page's last element, page numbers aside, is a table row."""
    rest = [i for i in items if not _is_page_number(i)]
    return bool(rest) and rest[-1].in_table


def _continues(items: list[_Item]) -> bool:
    """The page starts with a table (page numbers aside) that does not start a new form."""
    rest = [i for i in items if not _is_page_number(i)]
    if not rest or not rest[0].in_table:
        return False
    first = rest[0].cells[0][1] if rest[0].cells else ""
    return "财政项目支出绩效" not in first.replace(" ", "")


def _within(ch: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _lines(chars: list[dict[str, Any]]) -> list[_Line]:
    """Characters grouped into lines: by vertical overlap, then ordered left to right."""
    lines: list[_Line] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        middle = (ch["top"] + ch["bottom"]) / 2
        line = next((ln for ln in reversed(lines[-3:]) if ln.top <= middle <= ln.bottom), None)
        if line is None:
            line = _Line(ch["top"], ch["bottom"], ch["x0"], ch["x1"], ch["size"])
            lines.append(line)
        line.chars.append(ch)
        line.x0, line.x1 = min(line.x0, ch["x0"]), max(line.x1, ch["x1"])
        line.size = max(line.size, ch["size"])
    return lines


def _cell_text(bbox: tuple[float, float, float, float], chars: list[dict[str, Any]]) -> str:
    """The cell's lines, joined where the text wrapped: where the next line's first word (with the
    punctuation that may not start a line) would not have fitted on the line before it."""
    lines = _lines([c for c in chars if _within(c, bbox)])
    if not lines:
        return ""
    # The cell's padding, taken to be the same on both sides: its text starts this far in.
    pad = max(min(ln.x0 for ln in lines) - bbox[0], 0.0)
    edge = bbox[2] - pad
    out = lines[0].text
    for before, line in itertools.pairwise(lines):
        wrapped = before.x1 + _first_word(line) > edge - 0.25 * before.size
        if not wrapped:
            out += "\n"
        elif out[-1:].isascii() and out[-1:].isalnum() and line.text[:1].isascii() and line.text[:1].isalpha():
            out += " "  # a Latin word wrapped at its space
        out += line.text
    return out


# Punctuation a line may not start with: the line breaker keeps it with the character before.
_CLOSING = set("，。、；：！？）》」』】%)]}…·．,.;:!?")
# Quotation marks glue to both neighbours (Unicode line breaking, class QU); opening brackets
# to the character after them.
_QUOTES = set("“”‘’\"'")
_OPENING = set("（《「『【([{")


def _first_word(line: _Line) -> float:
    """The width of what the line breaker could not have left on the line above: the first
    character (a whole run of Latin letters and digits) with the punctuation glued to it."""
    chars = sorted(line.chars, key=lambda c: c["x0"])
    end = 0
    if chars[0]["text"].isascii() and chars[0]["text"].isalnum():
        while end + 1 < len(chars) and chars[end + 1]["text"].isascii() and chars[end + 1]["text"] != " " \
                and chars[end + 1]["x0"] - chars[end]["x1"] < 0.25 * max(chars[end]["size"], 1):
            end += 1
    while end + 1 < len(chars):
        here, after = chars[end]["text"], chars[end + 1]["text"]
        if after in _CLOSING or after in _QUOTES or here in _QUOTES or here in _OPENING:
            end += 1
        else:
            break
    return float(chars[end]["x1"] - chars[0]["x0"])


def _check_streams(page: Any, where: str) -> int:
    """The page's content streams, inflated and counted before pdfminer decodes them whole:
    a stream that inflates beyond the limit (a compression bomb) is refused."""
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    total = 0
    for ref in streams:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        raw = stream.rawdata if stream.rawdata is not None else b""
        filters = [getattr(f, "name", f) for f in stream.get_filters()] if hasattr(stream, "get_filters") else []
        names = [f[0] if isinstance(f, tuple) else f for f in filters]
        names = [getattr(n, "name", n) for n in names]
        if names and names[0] in ("FlateDecode", "Fl"):
            inflater = zlib.decompressobj()
            try:
                out = inflater.decompress(raw, limits.MAX_PAGE_CONTENT_BYTES + 1)
            except zlib.error:
                continue  # pdfminer reports a broken stream itself
            size = len(out)
        else:
            size = len(raw)
        total += size
        if total > limits.MAX_PAGE_CONTENT_BYTES:
            raise SourceError(f"{where}：页面内容解压后超过上限 {limits.MAX_PAGE_CONTENT_BYTES} 字节（可能是压缩炸弹），"
                              "不像一页绩效表格")
    return total
