"""Readers: a source file → rows of located, cleaned cells.

Both readers produce the same thing, so one parser serves both: a row is the
non-empty cells of one table row (or one paragraph between tables), each with
its grid column and a human-readable location — ``file:line`` for extracted
text, ``file 表2 第3行 第4格`` for Word.

Imported files come from anywhere, so both readers treat them as hostile: every
size and count below is checked while the file is read, before it can cost
much memory or time, and everything wrong with a file — a damaged zip, XML that
is not well-formed, a merge over more columns than the table has — is a
:class:`SourceError` naming the file and, where there is one, the place in it.
A Word document is read as a stream: its ``word/document.xml`` is inflated in
chunks and parsed incrementally, and each paragraph or table row is dropped from
the tree as soon as it has been read, so memory follows the row being read, not
the document.
"""

from __future__ import annotations

import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]  # no stubs; used as Any

from jixiao.errors import SourceError
from jixiao.importer.cells import clean

# -- limits -----------------------------------------------------------------------------------
#
# Generous for real forms: the largest demo department's disclosure document (42 projects,
# `jixiao disclose --format docx`) is 88 KB zipped, a 1.5 MB word/document.xml with 169 tables,
# 1,135 rows, 3,330 paragraphs, 2,890 filled cells and 24,000 characters; its largest table
# row is under 400 XML tags. Word files typed by hand are several times wordier (revision ids
# and run properties on every run), and a real department may have hundreds of projects.

MAX_SOURCE_BYTES = 64 * 1024 * 1024  # a file as stored: .txt, or .docx still zipped
# Inflated size of any zip member read (document.xml above is 17 times its zip); the
# zip header's declared size is not trusted — the bytes are counted as they are inflated.
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_RELS_BYTES = 1024 * 1024  # _rels/.rels: a few hundred bytes in any real file
# A Word document has a few dozen zip members, a few hundred with many pictures. The central
# directory is read whole (hundreds of bytes per member in memory), so it is checked first.
MAX_ZIP_MEMBERS = 10_000
_MAX_CENTRAL_DIRECTORY = MAX_ZIP_MEMBERS * 400
# XML markup (each `<` or `=`, an upper bound on elements and attributes) of document.xml as
# a whole, and of what is held in memory at once: one paragraph or one table row with what
# precedes it since the last one read. lxml needs 100–350 bytes per element or attribute.
MAX_DOCUMENT_MARKUP = 8_000_000
MAX_BLOCK_MARKUP = 300_000
MAX_BLOCK_BYTES = 16 * 1024 * 1024
MAX_TABLES = 10_000  # Word tables; the disclosure above has four per project
# Forms (tables under a 财政项目支出绩效…表 title): each becomes a spec file to place and write,
# a few milliseconds each — a whole department is a few hundred.
MAX_FORMS = 1_000
MAX_PARAGRAPHS = 500_000  # every w:p, also the ones inside table cells
MAX_ROWS = 200_000  # table rows and paragraphs between tables; lines of a .txt
MAX_CELLS = 200_000  # cells with text
MAX_TEXT_PIECES = 1_000_000  # tab-separated pieces of a .txt, empty ones too
MAX_CELL_CHARS = 100_000  # one cell: a long 年度总体目标 is a few thousand characters
MAX_TEXT_CHARS = 16_000_000  # all the text kept, with the location of each cell
# Word's own limit on columns; a merge (w:gridSpan, w:gridBefore) reaching beyond it, or
# beyond the table's declared grid when that is wider, is an error of the file.
MAX_GRID_COLUMNS = 63
# Cleaning a cell strips markup with regular expressions whose work grows with the number of
# `<` times the distance to the next `>`: bounded per file (a real file needs < 1 million).
MAX_MARKUP_WORK = 50_000_000


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


def read_source(path: Path, display: str) -> list[SourceRow]:
    try:
        info = path.stat()
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"{display}：不是普通文件（是目录、设备或管道），不能导入")
    if info.st_size > MAX_SOURCE_BYTES:
        raise SourceError(f"{display}：文件有 {info.st_size} 字节，超过上限 {MAX_SOURCE_BYTES} 字节")
    if path.suffix.lower() == ".docx":
        return read_docx(path, display)
    return read_text(path, display)


# -- text of a cell ---------------------------------------------------------------------------

# What YAML does not allow in a file and jixiao's loader refuses (C0 controls but tab and line
# ends, DEL, C1 controls, U+FFFE/U+FFFF): never text a clerk typed, so dropped, not imported.
_NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks to YAML besides \n and \r: inside a value they would fold into a space on reading.
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UNWANTED = re.compile(f"{_NOT_TEXT.pattern}|{_LINE_BREAKS.pattern}")
_INPUT_TAG = re.compile("<input", re.IGNORECASE)
_CHECKED_WORD = re.compile("checked", re.IGNORECASE)


def _plain(text: str) -> str:
    return _NOT_TEXT.sub("", _LINE_BREAKS.sub("\n", text))


class _Budget:
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
            if self.forms > MAX_FORMS:
                raise SourceError(f"{row.where}：表格标题（财政项目支出绩效…表）超过上限 {MAX_FORMS} 个；"
                                  "请把文件分成几份导入")
        return row

    def row(self, where: str) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise SourceError(f"{where}：文件的行数（表格行、段落或文字行）超过上限 {MAX_ROWS} 行，不像一份绩效表格文件")
        self._chars(len(where), where)

    def text(self, raw: str, where: str, *, extracted: bool) -> str:
        """``raw`` cleaned, or a SourceError if it is more than a cell of a form holds."""
        if not raw or raw.isspace():
            return ""
        if len(raw) > MAX_CELL_CHARS:
            raise SourceError(f"{where}：格子里有 {len(raw)} 个字，超过上限 {MAX_CELL_CHARS} 个字")
        if "<" in raw:
            self._markup_work(raw, where)
        if _UNWANTED.search(raw):
            raw = _plain(raw)
        text = clean(raw, extracted=extracted)
        if _UNWANTED.search(text):  # written as an entity (&#x2028;) in extracted text
            text = "\n".join(part.strip() for part in _plain(text).split("\n") if part.strip())
        if text:
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise SourceError(f"{where}：有文字的格子超过上限 {MAX_CELLS} 个，不像一份绩效表格文件")
            self._chars(len(text) + len(where), where)
        return text

    def _chars(self, n: int, where: str) -> None:
        self.chars += n
        if self.chars > MAX_TEXT_CHARS:
            raise SourceError(f"{where}：读出的文字（连同每格的位置）超过上限 {MAX_TEXT_CHARS} 字，不像一份绩效表格文件")

    def _markup_work(self, raw: str, where: str) -> None:
        # clean() matches `<[^>]+>` and `<input\b[^>]*\bchecked\b[^>]*/?>` from every `<`: each
        # scans to the next `>`, and the second backtracks over every `checked` on the way.
        for run in raw.split(">"):
            opened = run.count("<")
            if opened:
                inputs = len(_INPUT_TAG.findall(run)) if opened > 1 or "<input" in run.lower() else 0
                checked = len(_CHECKED_WORD.findall(run)) if inputs else 0
                self.work += len(run) * (opened + 20 * inputs + inputs * checked)
        if self.work > MAX_MARKUP_WORK:
            raise SourceError(f"{where}：文字里有大量没有闭合的「<」（或「<input」），不像表格文字；请检查文件")


# -- extracted table text -----------------------------------------------------------------

# What str.splitlines() splits at, as UTF-8: counted in the bytes before anything is decoded.
_LINE_ENDS = (b"\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8",
              b"\xe2\x80\xa9")


def read_text(path: Path, display: str) -> list[SourceRow]:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"{display}：文件超过上限 {MAX_SOURCE_BYTES} 字节")
    lines = sum(data.count(end) for end in _LINE_ENDS) - data.count(b"\r\n")
    lines += bool(data) and not data.endswith(_LINE_ENDS)  # a last line without its end
    if lines > MAX_ROWS:
        raise SourceError(f"{display}：文件有 {lines} 行，超过上限 {MAX_ROWS} 行，不像一份绩效表格文件")
    pieces = lines + data.count(b"\t")
    if pieces > MAX_TEXT_PIECES:
        raise SourceError(f"{display}：文件有 {pieces} 个格子（以制表符分隔），超过上限 {MAX_TEXT_PIECES} 个")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{display}：第 {exc.start} 字节处不是 UTF-8 文字；请另存为 UTF-8") from exc
    del data
    budget = _Budget(display)
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{display}:{n}"
        budget.row(where)
        cells = tuple(SourceCell(t, col, where) for col, raw in enumerate(line.split("\t"))
                      if (t := budget.text(raw, where, extracted=True)))
        rows.append(budget.form(SourceRow(cells, where, n)))
    return rows


# -- Word: the package ---------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CHUNK = 64 * 1024

# zipfile is not written for hostile archives: on damaged ones it raises any of these.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError,
               NotImplementedError, zlib.error, struct.error, IndexError, KeyError, OverflowError)


def _parser(**events: Any) -> Any:
    """lxml, hardened: no entities expanded, no DTD or network access, at most 256 levels deep
    and 10 MB per text node (libxml2's limits without ``huge_tree``)."""
    options = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False,
               "remove_blank_text": True}  # as python-docx parses Word XML
    if events:
        return etree.XMLPullParser(**events, **options)
    return etree.XMLParser(**options)


def read_docx(path: Path, display: str) -> list[SourceRow]:
    """The body in reading order: paragraphs as one-cell rows, tables row by row.

    Cells are placed on the table's grid: a ``gridSpan`` cell occupies its columns,
    and the continuation of a vertical merge is empty, as extractors show it.
    """
    not_word = f"{display}：不是可读的 Word 文档（.docx）"
    try:
        f = path.open("rb")
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    with f, _zip(f, not_word) as zf:
        main = _main_part(zf, not_word)
        return _Body(display).read(_member_chunks(zf, main, MAX_PART_BYTES, not_word), main)


def _zip(f: IO[bytes], not_word: str) -> zipfile.ZipFile:
    """``f`` opened as a zip, once its central directory is known to be of a sane size."""
    try:
        members = _zip_members(f)
        if members is not None and members[1] > _MAX_CENTRAL_DIRECTORY:
            raise SourceError(f"{not_word}：压缩包的目录有 {members[1]} 字节，超过上限 {_MAX_CENTRAL_DIRECTORY} 字节"
                              f"（约 {MAX_ZIP_MEMBERS} 个文件）")
        zf = zipfile.ZipFile(f)
    except _ZIP_ERRORS as exc:
        raise SourceError(f"{not_word}：{exc}") from exc
    if len(zf.infolist()) > MAX_ZIP_MEMBERS:
        zf.close()
        raise SourceError(f"{not_word}：压缩包里有 {len(zf.infolist())} 个文件，超过上限 {MAX_ZIP_MEMBERS} 个")
    return zf


def _zip_members(f: IO[bytes]) -> tuple[int, int] | None:
    """(members, bytes) of the zip's central directory as its end record says — what
    zipfile would read whole — or None where zipfile itself will find no end record."""
    f.seek(0, 2)
    size = f.tell()
    tail_size = min(size, 22 + 65535)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    locator = tail[at - 20:at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07":  # ZIP64: the real counts are in the ZIP64 end record
        (offset,) = struct.unpack("<Q", locator[8:16])
        if offset <= size - 56:
            f.seek(offset)
            record = f.read(56)
            if record[:4] == b"PK\x06\x06":
                count64, directory64 = struct.unpack("<QQ", record[32:48])
                count, directory = max(count, count64), max(directory, directory64)
    return count, directory


def _member_chunks(zf: zipfile.ZipFile, name: str, limit: int, not_word: str) -> Iterator[bytes]:
    """The member's bytes, inflated a chunk at a time and counted against ``limit``."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise SourceError(f"{not_word}：缺少 {name}") from None
    if info.flag_bits & 0x1:
        raise SourceError(f"{not_word}：{name} 加了密码")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # bzip2 and lzma members inflate a whole read at once, without a bound: Word never uses them.
        raise SourceError(f"{not_word}：{name} 用了 Word 不用的压缩方式（{info.compress_type}）")
    total = 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise SourceError(f"{not_word}：{name} 解压后超过上限 {limit} 字节（可能是压缩炸弹）")
                yield chunk
    except SourceError:
        raise
    except _ZIP_ERRORS as exc:
        raise SourceError(f"{not_word}：{name} 读不出来：{exc}") from exc


def _main_part(zf: zipfile.ZipFile, not_word: str) -> str:
    """The zip member holding the document body, as the package's relationships name it."""
    data = b"".join(_member_chunks(zf, "_rels/.rels", MAX_RELS_BYTES, not_word))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{not_word}：_rels/.rels 不是合法的 XML：{exc}") from exc
    targets = [rel.get("Target") or "" for rel in root.iter(f"{_RELS}Relationship")
               if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External"]
    if len(targets) != 1:
        raise SourceError(f"{not_word}：_rels/.rels 里{'没有' if not targets else '有不止一个'}正文部件")
    return posixpath.normpath(posixpath.join("/", targets[0])).lstrip("/")


# -- Word: the body --------------------------------------------------------------------------------

# Containers Word wraps content in (content controls, custom XML): their content counts
# as if it stood where they are.
_WRAPPERS = (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag")


class _Body:
    """``word/document.xml`` fed in chunks to a pull parser; paragraphs and table rows of the
    body are read as they end, then removed from the tree with all that came before them."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.budget = _Budget(display)
        self.rows: list[SourceRow] = []
        self.body: Any = None  # the first w:body, the one read (as python-docx)
        self.tables = self.paragraphs = 0
        self.table: Any = None  # the table whose rows are being read, its rows and grid width
        self.table_rows = 0
        self.grid = MAX_GRID_COLUMNS
        self.checked_doctype = False
        # Markup and bytes fed since the tree was last swept: a bound on what it holds.
        self.pending = self.pending_bytes = 0
        # What a parent element holds (see _holder), for parents seen since the last sweep;
        # the elements are kept with their answer so that their ids stay theirs.
        self._holders: dict[int, tuple[Any, str, Any]] = {}

    def read(self, chunks: Iterator[bytes], part: str) -> list[SourceRow]:
        parser = _parser(events=("end",), tag=(f"{_W}p", f"{_W}tbl", f"{_W}tr"))
        markup = 0
        try:
            for chunk in chunks:
                count = chunk.count(b"<") + chunk.count(b"=")
                markup += count
                self.pending += count
                self.pending_bytes += len(chunk)
                if markup > MAX_DOCUMENT_MARKUP:
                    raise SourceError(f"{self._here()}：Word 正文的 XML 标记超过上限 {MAX_DOCUMENT_MARKUP} 个，"
                                      "不像一份绩效表格文件")
                if self.pending > MAX_BLOCK_MARKUP or self.pending_bytes > MAX_BLOCK_BYTES:
                    raise SourceError(f"{self._here()}：一个段落或表格行的 XML 超过上限"
                                      f"（{MAX_BLOCK_MARKUP} 个标记或 {MAX_BLOCK_BYTES} 字节），不像一份绩效表格文件")
                parser.feed(chunk)
                self._events(parser, count, len(chunk))
            root = parser.close()
            self._events(parser, 0, 0)
        except etree.XMLSyntaxError as exc:
            line, column = exc.position if exc.position else (0, 0)
            raise SourceError(f"{self._here()}：Word 正文（{part}）第 {line} 行第 {column} 列不是合法的 XML"
                              f"（{exc.msg}）；文件可能已损坏或被截断") from exc
        self._doctype(root)
        if root.tag != f"{_W}document" or (self.body is None and root.find(f"{_W}body") is None):
            raise SourceError(f"{self.display}：不是可读的 Word 文档（.docx）：{part} 里没有 Word 正文（w:body）")
        return self.rows

    def _here(self) -> str:
        """The file, and where reading got to: for what is wrong just after it."""
        if not self.rows:
            return self.display
        return f"{self.display}（{self.rows[-1].where.removeprefix(self.display).strip()} 之后）"

    def _doctype(self, element: Any) -> None:
        if not self.checked_doctype:
            self.checked_doctype = True
            if element.getroottree().docinfo.internalDTD is not None:
                # Word never writes one; entities declared in it would be read as nothing.
                raise SourceError(f"{self.display}：Word 正文里有 DTD（<!DOCTYPE>），Word 文档不会有，不能导入")

    def _events(self, parser: Any, count: int, size: int) -> None:
        for _, element in parser.read_events():
            self._doctype(element)
            tag = element.tag
            if tag == f"{_W}p":
                self.paragraphs += 1
                if self.paragraphs > MAX_PARAGRAPHS:
                    raise SourceError(f"{self._here()}：段落超过上限 {MAX_PARAGRAPHS} 个，不像一份绩效表格文件")
                if self._holder(element.getparent())[0] != "body":
                    continue
                self._paragraph(element)
            elif tag == f"{_W}tr":
                what, table = self._holder(element.getparent())
                if what != "rows":
                    continue
                self._row(table, element)
            else:
                if self._holder(element.getparent())[0] != "body":
                    continue
                if element is not self.table:  # a body table without rows still has its number
                    self._new_table(element)
                self.table = None
            self._drop(element, count, size)

    def _holder(self, parent: Any) -> tuple[str, Any]:
        """What ``parent``'s children are: ``("body", None)`` for the body or a wrapper in it,
        ``("rows", tbl)`` for a body table or a wrapper in it, else ``("", None)``."""
        chain = []
        element = parent
        what: tuple[str, Any] = ("", None)
        while element is not None:
            known = self._holders.get(id(element))
            if known is not None:
                what = known[1:]
                break
            tag = element.tag
            if tag in _WRAPPERS:
                chain.append(element)
                element = element.getparent()
                continue
            if tag == f"{_W}body":
                above = element.getparent()
                if above is not None and above.getparent() is None:
                    self.body = element if self.body is None else self.body
                    what = ("body", None) if element is self.body else what
                chain.append(element)
            elif tag == f"{_W}tbl":
                if self._holder(element.getparent())[0] == "body":
                    what = ("rows", element)
                chain.append(element)
            break
        for seen in chain:
            self._holders[id(seen)] = (seen, *what)
        return what

    def _drop(self, element: Any, count: int, size: int) -> None:
        """Free what was read: ``element``'s content and what precedes it in its parent; and,
        once enough has come in since the last time, what precedes each of its containers."""
        element.clear(keep_tail=False)
        parent = element.getparent()
        while element.getprevious() is not None:
            del parent[0]
        if self.pending <= MAX_BLOCK_MARKUP // 4 and self.pending_bytes <= MAX_BLOCK_BYTES // 4:
            return
        holders = {}
        while parent is not None:
            known = self._holders.get(id(parent))
            if known is not None:
                holders[id(parent)] = known
            while element.getprevious() is not None:
                del parent[0]
            element, parent = parent, parent.getparent()
        self._holders = holders  # only open elements can be parents of what is still to come
        self.pending, self.pending_bytes = count, size  # at most this chunk is left unread

    def _paragraph(self, p: Any) -> None:
        where = f"{self.display} 第{len(self.rows) + 1}段"
        self.budget.row(where)
        text = self.budget.text(_text_of(p), where, extracted=False)
        self.rows.append(self.budget.form(SourceRow((SourceCell(text, 0, where),) if text else (), where,
                                                    len(self.rows) + 1, in_table=False)))

    def _new_table(self, tbl: Any) -> None:
        self.tables += 1
        if self.tables > MAX_TABLES:
            raise SourceError(f"{self._here()}：表格超过上限 {MAX_TABLES} 张，不像一份绩效表格文件")
        self.table, self.table_rows = tbl, 0
        self.grid = max(len(tbl.findall(f"{_W}tblGrid/{_W}gridCol")), MAX_GRID_COLUMNS)

    def _row(self, tbl: Any, tr: Any) -> None:
        if tbl is not self.table:
            self._new_table(tbl)
        self.table_rows += 1
        where = f"{self.display} 表{self.tables} 第{self.table_rows}行"
        self.budget.row(where)
        cells = []
        # A row may start after deleted cells (w:gridBefore): its first cell is not in column 0.
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        col = 0 if before is None else _number(before, "0", f"{where}：行首空出的列数（w:gridBefore）", 0, self.grid)
        for c, tc in enumerate(_unwrapped(tr, ("tc",)), 1):
            cell_where = f"{where} 第{c}格"
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = _number(grid_span, "1", f"{cell_where}：合并的列数（w:gridSpan）", 1, self.grid)
                merge = props.find(f"{_W}vMerge")
                continued = merge is not None and merge.get(f"{_W}val", "continue") != "restart"
            if col + span > self.grid:
                raise SourceError(f"{cell_where}：这一格排到了第 {col + span} 列，超出表格的 {self.grid} 列"
                                  "（w:gridBefore、w:gridSpan 的值不对）；文件可能已损坏")
            if not continued:
                paragraphs = [_text_of(p) for p in tc.iter(f"{_W}p")]
                text = self.budget.text("\n".join(paragraphs), cell_where, extracted=False)
                if text:
                    cells.append(SourceCell(text, col, cell_where))
            col += span
        self.rows.append(self.budget.form(SourceRow(tuple(cells), where, len(self.rows) + 1)))


def _number(element: Any, default: str, what: str, least: int, most: int) -> int:
    """A count in ``w:val`` (an xsd:integer) from ``least`` to ``most``; anything else is an error."""
    value = element.get(f"{_W}val", default)
    shown = value if len(value) <= 20 else value[:20] + "…"
    m = re.fullmatch(r"\s*\+?0*([0-9]*)\s*", value)
    if m is None or value.strip() in ("", "+") or int(m.group(1)[:10] or "0") < least:
        raise SourceError(f"{what}是「{shown}」，应为{'正' if least else '非负'}整数；文件可能已损坏")
    if len(m.group(1)) > 9 or int(m.group(1) or "0") > most:
        raise SourceError(f"{what}是「{shown}」，超出表格的 {most} 列；文件可能已损坏")
    return int(m.group(1) or "0")


def _unwrapped(parent: Any, names: tuple[str, ...]) -> Iterator[Any]:
    tags = tuple(f"{_W}{n}" for n in names)
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _unwrapped(child, names)


# Checkbox glyphs typed as symbols (Insert ▸ Symbol), by font: code → ticked?
_SYMBOL_BOXES = {
    "WINGDINGS": {"FE": True, "FD": True, "FC": True, "FB": True, "78": True, "A8": False, "6F": False,
                  "71": False},
    "WINGDINGS 2": {"52": True, "54": True, "50": True, "51": True, "A3": False, "2A": False},
}


def _symbol(node: Any) -> str:
    code = node.get(f"{_W}char", "").upper()
    code = code[2:] if len(code) == 4 and code.startswith("F0") else code
    font = node.get(f"{_W}font", "Wingdings").upper()
    ticked = _SYMBOL_BOXES.get(font, _SYMBOL_BOXES["WINGDINGS"]).get(code)
    if ticked is None:
        return "\ufffd"  # a symbol we cannot read: shown, so the cell is reported, never guessed
    return "☑" if ticked else "☐"


def _text_of(paragraph: Any) -> str:
    parts = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}sym"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}sym":
            parts.append(_symbol(node))
        else:
            parts.append(" " if node.tag == f"{_W}tab" else "\n")
    return "".join(parts)
