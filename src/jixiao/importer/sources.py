"""Readers: a source file → rows of located, cleaned cells.

Both readers produce the same thing, so one parser serves both: a row is the
non-empty cells of one table row (or one paragraph between tables), each with
its grid column and a human-readable location — ``file:line`` for extracted
text, ``file 表2 第3行 第4格`` for Word.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.importer.cells import clean

MAX_SOURCE_BYTES = 64 * 1024 * 1024


class SourceError(JixiaoError):
    """A source file that cannot be read at all."""


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
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    if size > MAX_SOURCE_BYTES:
        raise SourceError(f"{display}：文件有 {size} 字节，超过上限 {MAX_SOURCE_BYTES} 字节")
    if path.suffix.lower() == ".docx":
        return read_docx(path, display)
    return read_text(path, display)


# -- extracted table text -----------------------------------------------------------------


def read_text(path: Path, display: str) -> list[SourceRow]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SourceError(f"{display}：无法读取：{exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{display}：第 {exc.start} 字节处不是 UTF-8 文字；请另存为 UTF-8") from exc
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{display}:{n}"
        cells = tuple(SourceCell(t, col, where) for col, raw in enumerate(line.split("\t"))
                      if (t := clean(raw)))
        rows.append(SourceRow(cells, where, n))
    return rows


# -- Word ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path, display: str) -> list[SourceRow]:
    """The body in reading order: paragraphs as one-cell rows, tables row by row.

    Cells are placed on the table's grid: a ``gridSpan`` cell occupies its columns,
    and the continuation of a vertical merge is empty, as extractors show it.
    """
    import docx  # python-docx; imported here so text imports do not pay for it
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, OSError) as exc:
        raise SourceError(f"{display}：不是可读的 Word 文档（.docx）：{exc}") from exc
    rows: list[SourceRow] = []
    table_no = 0
    for element in _unwrapped(document.element.body, ("p", "tbl")):
        if element.tag == f"{_W}p":
            text = clean(_text_of(element), extracted=False)
            where = f"{display} 第{len(rows) + 1}段"
            rows.append(SourceRow((SourceCell(text, 0, where),) if text else (), where, len(rows) + 1,
                                  in_table=False))
        else:
            table_no += 1
            rows.extend(_table_rows(element, display, table_no, len(rows)))
    return rows


# Containers Word wraps content in (content controls, custom XML): their content counts
# as if it stood where they are.
_WRAPPERS = (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag")


def _unwrapped(parent: Any, names: tuple[str, ...]) -> Iterator[Any]:
    tags = tuple(f"{_W}{n}" for n in names)
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _unwrapped(child, names)


def _table_rows(tbl: Any, display: str, table_no: int, offset: int) -> Iterator[SourceRow]:
    for r, tr in enumerate(_unwrapped(tbl, ("tr",)), 1):
        where = f"{display} 表{table_no} 第{r}行"
        cells = []
        # A row may start after deleted cells (w:gridBefore): its first cell is not in column 0.
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        col = int(before.get(f"{_W}val", "0")) if before is not None else 0
        for c, tc in enumerate(_unwrapped(tr, ("tc",)), 1):
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{_W}val", "1"))
                merge = props.find(f"{_W}vMerge")
                continued = merge is not None and merge.get(f"{_W}val", "continue") != "restart"
            if not continued:
                paragraphs = [_text_of(p) for p in tc.iter(f"{_W}p")]
                text = clean("\n".join(paragraphs), extracted=False)
                if text:
                    cells.append(SourceCell(text, col, f"{where} 第{c}格"))
            col += span
        yield SourceRow(tuple(cells), where, offset + r)


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
