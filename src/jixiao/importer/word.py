"""Reading a Word document (.docx) into source rows, as a stream.

Only ``_rels/.rels`` and the main document part are read. The part is inflated
in chunks, its bytes counted as they come out (the zip header's sizes are not
trusted), and parsed incrementally by a hardened lxml parser; each paragraph or
table row is dropped from the tree as soon as it has been read, so memory
follows the row being read, not the document.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]  # no stubs; used as Any

from jixiao.errors import SourceError
from jixiao.importer import limits
from jixiao.importer.sources import Budget, SourceCell, SourceRow

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
        return _Body(display).read(_member_chunks(zf, main, limits.MAX_PART_BYTES, not_word), main)


def _zip(f: IO[bytes], not_word: str) -> zipfile.ZipFile:
    """``f`` opened as a zip, once its central directory is known to be of a sane size."""
    try:
        members = _zip_members(f)
        if members is not None and members[1] > limits.MAX_CENTRAL_DIRECTORY:
            raise SourceError(f"{not_word}：压缩包的目录有 {members[1]} 字节，超过上限 {limits.MAX_CENTRAL_DIRECTORY} 字节"
                              f"（约 {limits.MAX_ZIP_MEMBERS} 个文件）")
        zf = zipfile.ZipFile(f)
    except _ZIP_ERRORS as exc:
        raise SourceError(f"{not_word}：{exc}") from exc
    if len(zf.infolist()) > limits.MAX_ZIP_MEMBERS:
        zf.close()
        raise SourceError(f"{not_word}：压缩包里有 {len(zf.infolist())} 个文件，超过上限 {limits.MAX_ZIP_MEMBERS} 个")
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
    data = b"".join(_member_chunks(zf, "_rels/.rels", limits.MAX_RELS_BYTES, not_word))
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
        self.budget = Budget(display)
        self.rows: list[SourceRow] = []
        self.body: Any = None  # the first w:body, the one read (as python-docx)
        self.tables = self.paragraphs = 0
        self.table: Any = None  # the table whose rows are being read, its rows and grid width
        self.table_rows = 0
        self.grid = limits.MAX_GRID_COLUMNS
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
                if markup > limits.MAX_DOCUMENT_MARKUP:
                    raise SourceError(f"{self._here()}：Word 正文的 XML 标记超过上限 {limits.MAX_DOCUMENT_MARKUP} 个，"
                                      "不像一份绩效表格文件")
                if self.pending > limits.MAX_BLOCK_MARKUP or self.pending_bytes > limits.MAX_BLOCK_BYTES:
                    raise SourceError(f"{self._here()}：一个段落或表格行的 XML 超过上限"
                                      f"（{limits.MAX_BLOCK_MARKUP} 个标记或 {limits.MAX_BLOCK_BYTES} 字节），不像一份绩效表格文件")
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
                if self.paragraphs > limits.MAX_PARAGRAPHS:
                    raise SourceError(f"{self._here()}：段落超过上限 {limits.MAX_PARAGRAPHS} 个，不像一份绩效表格文件")
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
        if self.pending <= limits.MAX_BLOCK_MARKUP // 4 and self.pending_bytes <= limits.MAX_BLOCK_BYTES // 4:
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
        if self.tables > limits.MAX_TABLES:
            raise SourceError(f"{self._here()}：表格超过上限 {limits.MAX_TABLES} 张，不像一份绩效表格文件")
        self.table, self.table_rows = tbl, 0
        self.grid = max(len(tbl.findall(f"{_W}tblGrid/{_W}gridCol")), limits.MAX_GRID_COLUMNS)

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
