"""Reading an Excel workbook (.xlsx) into source rows, as a stream.

Each worksheet is read row by row, in workbook order, its cells placed on their
column: a merged range's text sits in its first cell and the cells it covers are
empty, as Word's merged cells are read (:mod:`jixiao.importer.word`), so the
same parser reads both. A number cell is read as Excel shows it, through its
number format (:mod:`jixiao.importer.numfmt`), from the stored text — never a
float. Formulas are never evaluated: the result Excel saved with the formula is
read; a formula saved without one is an empty cell and a remark. The two sheets
of ``jixiao export --format xlsx`` (项目, 绩效指标) are read as the flat table
they are (:mod:`jixiao.importer.flat`).

The package is read as hostile, as a Word document is: the zip is checked before
it is opened, every part is inflated in chunks and counted (not trusting the
sizes the zip declares), XML is parsed by the same hardened lxml parser, a sheet
is dropped from memory row by row, and the shared strings, cells, a sheet's
declared range and the rows are counted against :mod:`jixiao.importer.limits`.
openpyxl's reader is not used for reading: it turns every number into a float
(the stored text is lost), and reads all shared strings at once, unbounded; its
tables of built-in number formats are (:mod:`jixiao.importer.numfmt`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # no stubs; used as Any

from jixiao.errors import SourceError
from jixiao.importer import limits
from jixiao.importer.numfmt import as_date, format_code, shown
from jixiao.importer.sources import Budget, Note, Read, SourceCell, SourceRow
from jixiao.importer.word import _CHUNK, _ZIP_ERRORS, _main_part, _parser, _zip

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
         "http://purl.oclc.org/ooxml/spreadsheetml/main")  # transitional, strict
_REL_ID = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
           "{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_MAX_COLUMNS, _MAX_ROWS = 16_384, 1_048_576  # Excel's own sheet size
FLAT_SHEETS = ("项目", "绩效指标")  # export --format xlsx
FLAT_FIRST = "项目编号"


def _tags(name: str) -> tuple[str, ...]:
    return tuple(f"{{{ns}}}{name}" for ns in _MAIN)


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass(frozen=True, slots=True)
class XlsxCell:
    """One cell as read: shown text, and for the flat workbook what it is."""

    col: int
    ref: str  # B12
    text: str
    kind: str  # text | number | date | bool | error
    day: date | None = None  # a date cell's date


@dataclass
class FlatSheet:
    """A sheet of the flat workbook: its rows of cells, each row with its location."""

    name: str
    rows: list[tuple[str, int, list[XlsxCell]]]  # (where, running row number, cells)


def read_xlsx(path: Path, display: str) -> Read:
    not_excel = f"{display}：不是可读的 Excel 文档（.xlsx）"
    try:
        f = path.open("rb")
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    with f, _zip(f, not_excel) as zf:
        book = _Book(zf, display, not_excel)
        read = book.read()
    if book.flat:
        from jixiao.importer.flat import read_flat

        read.tables += read_flat(book.flat, display, read.notes)
    return read


class _Book:
    def __init__(self, zf: zipfile.ZipFile, display: str, not_excel: str) -> None:
        self.zf, self.display, self.not_excel = zf, display, not_excel
        self.inflated = 0
        self.budget = Budget(display)
        self.read_out = Read()
        self.flat: dict[str, FlatSheet] = {}
        self.shared: list[str] = []
        self.styles: list[str] = []  # cellXfs index → format code
        self.date1904 = False
        self.cells = 0

    # -- the package ---------------------------------------------------------------------------

    def chunks(self, name: str, limit: int) -> Iterator[bytes]:
        """The part's bytes, inflated a chunk at a time, counted against ``limit`` and the workbook's total."""
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise SourceError(f"{self.not_excel}：缺少 {name}") from None
        if info.flag_bits & 0x1:
            raise SourceError(f"{self.not_excel}：{name} 加了密码；请在 Excel 里取消密码后另存再导入")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SourceError(f"{self.not_excel}：{name} 用了 Excel 不用的压缩方式（{info.compress_type}）")
        total = 0
        try:
            with self.zf.open(info) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    self.inflated += len(chunk)
                    if total > limit:
                        raise SourceError(f"{self.not_excel}：{name} 解压后超过上限 {limit} 字节（可能是压缩炸弹）")
                    if self.inflated > limits.MAX_WORKBOOK_BYTES:
                        raise SourceError(f"{self.not_excel}：解压后的内容超过上限 {limits.MAX_WORKBOOK_BYTES} 字节"
                                          "（可能是压缩炸弹）")
                    yield chunk
        except SourceError:
            raise
        except _ZIP_ERRORS as exc:
            raise SourceError(f"{self.not_excel}：{name} 读不出来：{exc}") from exc

    def whole(self, name: str, limit: int) -> Any:
        """A small part (workbook, relationships, styles) parsed whole."""
        data = b"".join(self.chunks(name, limit))
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            raise SourceError(f"{self.not_excel}：{name} 不是合法的 XML（{exc.msg}）；文件可能已损坏") from exc
        _no_dtd(root, f"{self.not_excel}：{name}")
        return root

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """id → (type, part name) of ``part``'s relationships; none if it has no .rels part."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.zf.namelist():
            return {}
        out = {}
        for rel in self.whole(rels, limits.MAX_RELS_BYTES).iter(f"{_RELS}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], name)
        return out

    def read(self) -> Read:
        main = _main_part(self.zf, self.not_excel)
        rels = self.relationships(main)
        workbook = self.whole(main, limits.MAX_STYLES_BYTES)
        if _local(workbook) != "workbook":
            raise SourceError(f"{self.not_excel}：{main} 里没有 Excel 工作簿（可能是 Word 文档，请改正扩展名）")
        properties = next((e for e in workbook if _local(e) == "workbookPr"), None)
        self.date1904 = properties is not None and properties.get("date1904", "0") in ("1", "true")
        by_type = {kind: name for kind, name in rels.values()}
        if "styles" in by_type:
            self._styles(by_type["styles"])
        if "sharedStrings" in by_type:
            self._shared(by_type["sharedStrings"])
        sheets = [s for e in workbook if _local(e) == "sheets" for s in e if _local(s) == "sheet"]
        if len(sheets) > limits.MAX_SHEETS:
            raise SourceError(f"{self.not_excel}：有 {len(sheets)} 个工作表，超过上限 {limits.MAX_SHEETS} 个")
        for sheet in sheets:
            rid = next((sheet.get(a) for a in _REL_ID if sheet.get(a)), "")
            kind, part = rels.get(rid or "", ("", ""))
            if kind == "worksheet":  # chart sheets and dialog sheets hold no cells
                self._sheet(sheet.get("name") or part, part)
        return self.read_out

    # -- styles and shared strings -----------------------------------------------------------------

    def _styles(self, part: str) -> None:
        root = self.whole(part, limits.MAX_STYLES_BYTES)
        custom: dict[int, str] = {}
        for e in root.iter(*_tags("numFmt")):
            try:
                custom[int(e.get("numFmtId", ""))] = e.get("formatCode") or "General"
            except ValueError:
                continue
        for xfs in root.iter(*_tags("cellXfs")):
            for xf in xfs:
                try:
                    number = int(xf.get("numFmtId", "0"))
                except ValueError:
                    number = 0
                self.styles.append(format_code(number, custom))
                if len(self.styles) > limits.MAX_SHARED_STRINGS:
                    raise SourceError(f"{self.not_excel}：{part} 的单元格样式超过上限 {limits.MAX_SHARED_STRINGS} 个")

    def _shared(self, part: str) -> None:
        parser = _parser(events=("end",), tag=_tags("si"))
        chars = 0
        try:
            for chunk in self.chunks(part, limits.MAX_PART_BYTES):
                parser.feed(chunk)
                for _, si in parser.read_events():
                    _no_dtd(si, f"{self.not_excel}：{part}")
                    text = _text_of(si)
                    self.shared.append(text)
                    chars += len(text)
                    if len(self.shared) > limits.MAX_SHARED_STRINGS:
                        raise SourceError(f"{self.not_excel}：共享字符串（{part}）超过上限 {limits.MAX_SHARED_STRINGS} 个，"
                                          "不像一份绩效表格文件")
                    if chars > limits.MAX_TEXT_CHARS:
                        raise SourceError(f"{self.not_excel}：共享字符串的文字超过上限 {limits.MAX_TEXT_CHARS} 字")
                    _drop(si)
            parser.close()
        except etree.XMLSyntaxError as exc:
            raise SourceError(f"{self.not_excel}：{part} 不是合法的 XML（{exc.msg}）；文件可能已损坏") from exc

    # -- a worksheet ----------------------------------------------------------------------------------

    def _sheet(self, name: str, part: str) -> None:
        here = f"{self.display} 工作表「{name}」"
        parser = _parser(events=("end",), tag=(*_tags("row"), *_tags("dimension")))
        state = _SheetState(here)
        markup = 0
        try:
            for chunk in self.chunks(part, limits.MAX_PART_BYTES):
                count = chunk.count(b"<") + chunk.count(b"=")
                markup += count
                state.pending += count
                if markup > limits.MAX_DOCUMENT_MARKUP:
                    raise SourceError(f"{here}：XML 标记超过上限 {limits.MAX_DOCUMENT_MARKUP} 个，不像一份绩效表格文件")
                if state.pending > limits.MAX_BLOCK_MARKUP:
                    raise SourceError(f"{state.after()}：一行（或行外的内容）的 XML 标记超过上限 {limits.MAX_BLOCK_MARKUP} 个，"
                                      "不像一份绩效表格文件")
                parser.feed(chunk)
                self._events(parser, state, name)
            parser.close()
            self._events(parser, state, name)
        except etree.XMLSyntaxError as exc:
            raise SourceError(f"{state.after()}：{part} 不是合法的 XML（{exc.msg}）；文件可能已损坏或被截断") from exc

    def _events(self, parser: Any, state: _SheetState, name: str) -> None:
        for _, element in parser.read_events():
            _no_dtd(element, f"{self.not_excel}：工作表「{name}」")
            if _local(element) == "dimension":
                _dimension(element.get("ref") or "", state.here)
                continue
            state.pending = 0
            cells = self._row(element, state)
            number = state.row
            where = f"{state.here} 第{number}行"
            self.budget.row(where)
            if name in FLAT_SHEETS and (name in self.flat or _flat_head(cells)):
                self.flat.setdefault(name, FlatSheet(name, [])).rows.append((where, len(self.read_out.rows) + 1,
                                                                             cells))
                _drop(element)
                continue
            kept = tuple(SourceCell(c.text, c.col, f"{state.here} {c.ref}") for c in cells)
            self.read_out.rows.append(self.budget.form(SourceRow(kept, where, len(self.read_out.rows) + 1)))
            _drop(element)

    def _row(self, row: Any, state: _SheetState) -> list[XlsxCell]:
        number = _index(row.get("r"), state.row + 1, _MAX_ROWS, f"{state.here} 第{state.row + 1}行的行号")
        state.row = number
        cells = []
        col = 0
        for c in row:
            if _local(c) != "c":
                continue
            self.cells += 1
            if self.cells > limits.MAX_SHEET_CELLS:
                raise SourceError(f"{state.here} 第{number}行：单元格超过上限 {limits.MAX_SHEET_CELLS} 个，不像一份绩效表格文件")
            ref = c.get("r")
            if ref:
                m = _REF.fullmatch(ref)
                if m is None or int(m.group(2)) != number:
                    raise SourceError(f"{state.here} 第{number}行：单元格地址「{ref[:20]}」不对；文件可能已损坏")
                col = _column(m.group(1))
            else:
                col += 1
            if col > _MAX_COLUMNS:
                raise SourceError(f"{state.here} 第{number}行：单元格排到了第 {col} 列，超出 Excel 的 {_MAX_COLUMNS} 列")
            ref = f"{_letters(col)}{number}"
            cell = self._cell(c, col, ref, state)
            if cell is not None:
                state.used(number, col)
                cells.append(cell)
        return cells

    def _cell(self, c: Any, col: int, ref: str, state: _SheetState) -> XlsxCell | None:
        kind = c.get("t", "n")
        where = f"{state.here} {ref}"
        value = next((e for e in c if _local(e) == "v"), None)
        raw = value.text if value is not None else None
        formula = next((e for e in c if _local(e) == "f"), None)
        if kind == "inlineStr":
            inline = next((e for e in c if _local(e) == "is"), None)
            raw, kind = (_text_of(inline) if inline is not None else None), "text"
        elif formula is not None and not raw:
            shown_formula = "=" + (formula.text or "…（共享公式）")
            self.read_out.notes.append(Note(where, shown_formula[:200], "公式没有保存计算结果；jixiao 不计算公式，"
                                            "这一格按空格导入（请在 Excel 里打开、保存后再导入）",
                                            len(self.read_out.rows) + 1))
            return None
        if raw is None or raw == "":
            return None
        day = None
        if kind == "s":
            try:
                raw = self.shared[int(raw)]
            except (ValueError, IndexError):
                raise SourceError(f"{where}：共享字符串的编号「{raw[:20]}」不存在；文件可能已损坏") from None
            kind = "text"
        elif kind == "str":
            kind = "text"
        elif kind == "b":
            raw, kind = ("TRUE" if raw.strip() in ("1", "true") else "FALSE"), "bool"
        elif kind == "e":  # #VALUE!, #DIV/0!: a formula that failed, never what the form means
            kind = "error"
            self.read_out.notes.append(Note(where, raw.strip()[:40], "是公式的错误值，照原样导入；请核对原表",
                                            len(self.read_out.rows) + 1))
        elif kind == "d":  # an ISO 8601 date, as some programs write them
            kind = "date"
            try:
                day = date.fromisoformat(raw.strip()[:10])
            except ValueError:
                kind = "text"
        else:
            code = self._format(c.get("s"), where)
            stored, raw = raw, shown(raw, code, date1904=self.date1904)
            kind = "number"
            if _is_date(code):
                kind, day = "date", as_date(stored, self.date1904)
        text = self.budget.text(raw, where, extracted=False)
        return XlsxCell(col, ref, text, kind, day) if text else None

    def _format(self, style: str | None, where: str) -> str:
        if not style:
            return self.styles[0] if self.styles else "General"
        try:
            return self.styles[int(style)]
        except (ValueError, IndexError):
            if not self.styles:
                return "General"  # no styles part: every cell is General
            raise SourceError(f"{where}：单元格样式编号「{style[:20]}」不存在；文件可能已损坏") from None


class _SheetState:
    def __init__(self, here: str) -> None:
        self.here = here
        self.row = 0
        self.pending = 0
        self.last_row = self.last_col = 0

    def after(self) -> str:
        return f"{self.here}（第{self.row}行之后）" if self.row else self.here

    def used(self, row: int, col: int) -> None:
        """A cell with text at (row, col): the used range, rows × columns, must stay within the limit."""
        self.last_row, self.last_col = max(self.last_row, row), max(self.last_col, col)
        if self.last_row * self.last_col > limits.MAX_SHEET_AREA:
            raise SourceError(f"{self.here} {_letters(col)}{row}：用到的范围（{self.last_row} 行 × {self.last_col} 列）"
                              f"超过上限 {limits.MAX_SHEET_AREA} 格，不像一份绩效表格")


def _dimension(ref: str, here: str) -> None:
    """The sheet's declared range (``A1:H40``): a range no form fills is refused before its cells are read."""
    corners = [_REF.fullmatch(part.replace("$", "")) for part in ref.split(":")]
    if not ref or not all(corners) or len(corners) > 2:
        return  # a declaration only: the cells are checked as they come
    rows = [int(m.group(2)) for m in corners if m]
    cols = [_column(m.group(1)) for m in corners if m]
    area = (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
    if area > limits.MAX_SHEET_AREA:
        raise SourceError(f"{here}：工作表的范围 {ref[:40]}（{max(rows) - min(rows) + 1} 行 × {max(cols) - min(cols) + 1} 列）"
                          f"超过上限 {limits.MAX_SHEET_AREA} 格，不像一份绩效表格")


def _flat_head(cells: list[XlsxCell]) -> bool:
    return bool(cells) and cells[0].col == 1 and cells[0].text == FLAT_FIRST


def _is_date(code: str) -> bool:
    from openpyxl.styles.numbers import is_date_format

    return bool(is_date_format(code))


def _index(value: str | None, default: int, most: int, what: str) -> int:
    if value is None:
        return default
    if not value.isdigit() or len(value) > 7 or not 1 <= int(value) <= most:
        raise SourceError(f"{what}「{value[:20]}」不对；文件可能已损坏")
    return int(value)


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _text_of(element: Any) -> str:
    """A string item's text: its runs, without the phonetic guide (rPh) East Asian workbooks carry."""
    parts = []
    for child in element:
        name = _local(child)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts += [t.text or "" for t in child if _local(t) == "t"]
    return "".join(parts)


def _drop(element: Any) -> None:
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _no_dtd(element: Any, what: str) -> None:
    if element.getroottree().docinfo.internalDTD is not None:
        raise SourceError(f"{what} 里有 DTD（<!DOCTYPE>），Excel 不会写，不能导入")
