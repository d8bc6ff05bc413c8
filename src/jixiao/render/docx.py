"""The DOCX writer: the grid as Word tables inside the variant's docxtpl shell.

The shell (``templates/variants/<表样>/shell.docx``) carries page setup, styles,
title and year line; the tables are built here with python-docx from the
same grid as HTML and PDF and inserted as a docxtpl sub-document. Merged cells
are written as ``w:vMerge``/``w:gridSpan`` from the grid's spans (docxtpl's
``{% vm %}`` merges whole loop columns, not runs of equal cells).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Pt
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError

from jixiao.errors import TemplateError
from jixiao.render import measure
from jixiao.render.docx_common import deterministic_zip, set_properties, set_run_fonts
from jixiao.render.docx_shell import CONTEXT_VARIABLES, MARGIN_LR, PAGE_WIDTH
from jixiao.render.grid import Cell, Grid, Role, Section
from jixiao.render.sandbox import refusal_error, sandboxed_env

TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_LR
BORDER = "6"  # eighths of a point: 0.75 pt, as in print.css
SYMBOLS = "☑☐"
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}


def shell_path(template_dir: Path, variant: str) -> Path:
    return template_dir / "variants" / variant / "shell.docx"


def render_docx(grid: Grid, template_dir: Path) -> bytes:
    """The table in its variant's Word shell, which prints what the grid gives it around the table."""
    variant = grid.variant
    path = shell_path(template_dir, variant)
    if not path.is_file():
        raise TemplateError(f"表样「{variant}」缺少 Word 外壳 {path}；运行 scripts/build_docx_templates.py 生成")
    try:
        tpl = DocxTemplate(str(path))
        sub = tpl.new_subdoc()
        write_tables(sub, grid)
        context: dict[str, Any] = {**grid.shell, "表格": sub}
        assert set(context) == set(CONTEXT_VARIABLES)
        # The shell's body, headers, footers, footnotes and properties, all in the sandbox.
        tpl.render(context, jinja_env=sandboxed_env(autoescape=True), autoescape=True)
    except SecurityError as exc:
        raise refusal_error(exc, path, lines=False) from exc
    except (jinja2.TemplateError, zipfile.BadZipFile, KeyError, ValueError, OverflowError) as exc:
        raise TemplateError(f"Word 外壳 {path} 无法使用：{exc}；可用 jixiao templates check 检查") from exc
    set_properties(tpl.docx.core_properties, title=grid.meta["标题"], author=grid.meta["作者"],
                   subject=grid.meta["主题"])
    buffer = io.BytesIO()
    tpl.save(buffer)
    return deterministic_zip(buffer.getvalue())


# -- tables ---------------------------------------------------------------------------------------


def write_tables(doc: Any, grid: Grid) -> None:
    """The grid's sections as Word tables appended to ``doc`` (a document or a sub-document)."""
    for n, section in enumerate(grid.sections):
        if n:
            _spacer(doc)  # keeps Word from fusing the tables, so each keeps its own header row
        _table(doc, section, grid.font_pt)


def _table(doc: Any, section: Section, font_pt: float) -> None:
    rows = section.rows()
    ncols = len(section.widths)
    table = doc.add_table(rows=len(rows), cols=ncols)
    widths = [Emu(int(TEXT_WIDTH * w / sum(section.widths))) for w in section.widths]
    _fix_layout(table, widths)
    # A head with a cell spanning down into the bodies (a short grid's side label) is part
    # of the one block they make, not a header to repeat.
    repeat = section.repeat_head
    for r, tr in enumerate(table.rows):
        _row_flags(tr, header=repeat and r < len(section.head))
    cells = section.positions()
    runs = _continuation_runs(cells)
    for r, c, cell in cells:
        if cell.continuation and (r, c) not in runs:
            continue  # inside a run merged at its first cell
        height = runs.get((r, c), cell.rowspan)
        target = table.cell(r, c)
        if height > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + height - 1, c + cell.colspan - 1))
        room = measure.room_em(measure.TEXT_WIDTH_MM * sum(section.widths[c:c + cell.colspan])
                               / sum(section.widths), font_pt)
        _fill(target, cell, font_pt, room)
        if cell.continuation:
            # The cells under a long grid's side label (print.css ``td.cont``) are one
            # merged cell here: no rules inside it, its top rule under the label's own
            # cell, its bottom rule kept where the section ends or a page cuts it. Word
            # reads a merged cell's rules row by row, so every row below the first is marked.
            for row in range(r + 1, r + height):
                _hide_borders(_tc_at(table, row, c), "top")


def _continuation_runs(cells: list[tuple[int, int, Cell]]) -> dict[tuple[int, int], int]:
    """(row, column) of the first of each run of continuation cells stacked in one column,
    with the run's height in rows. The grid gives one per 一级 group; Word would draw a
    rule between two of them, so they are written as one cell."""
    runs: dict[tuple[int, int], int] = {}
    open_run: dict[int, tuple[int, int]] = {}  # column -> (first row, next row)
    for r, c, cell in sorted(cells, key=lambda p: (p[1], p[0])):
        if not cell.continuation:
            continue
        first, nxt = open_run.get(c, (r, r))
        if nxt != r:
            first = r
        open_run[c] = (first, r + cell.rowspan)
        runs[(first, c)] = r + cell.rowspan - first
    return runs


# Word rejects a document whose property elements are out of schema order.
_TBL_PR_AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
_TBL_PR_AFTER_LAYOUT = ("tblCellMar", "tblLook", "tblCaption", "tblDescription")
_TC_PR_AFTER_BORDERS = ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def _insert(parent: Any, child: Any, successors: tuple[str, ...]) -> None:
    """Insert ``child`` before the first of ``successors`` present, else at the end."""
    for name in successors:
        found = parent.find(qn(f"w:{name}"))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _fix_layout(table: Any, widths: Sequence[Length]) -> None:
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(int(w) // 635 for w in widths)))  # 635 EMU = 1 twip
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), BORDER)
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    _insert(tbl_pr, borders, _TBL_PR_AFTER_BORDERS)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _insert(tbl_pr, layout, _TBL_PR_AFTER_LAYOUT)
    grid_cols = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for grid_col, width in zip(grid_cols, widths, strict=True):
        grid_col.set(qn("w:w"), str(int(width) // 635))
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
        for cell in col.cells:
            cell.width = width


def _row_flags(tr: Any, header: bool) -> None:
    tr_pr = tr._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # a row is never cut across pages
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _fill(target: Any, cell: Cell, font_pt: float, room: float) -> None:
    target.vertical_alignment = (WD_CELL_VERTICAL_ALIGNMENT.TOP if cell.role is Role.LONG
                                 else WD_CELL_VERTICAL_ALIGNMENT.CENTER)
    paragraphs = target.paragraphs
    for extra in paragraphs[1:]:  # merged cells leave one empty paragraph each
        extra._p.getparent().remove(extra._p)
    for n, parts in enumerate(word_lines(cell, room)):
        para = target.paragraphs[0] if n == 0 else target.add_paragraph()
        para.alignment = _ALIGN[cell.align]
        bold = cell.role in (Role.HEAD, Role.BLOCK)
        for k, part in enumerate(parts):
            if k:  # a line break between words, never inside one
                _run(para, "", font_pt, bold, symbol=False).add_break()
            _add_text(para, part, font_pt, bold)


def word_lines(cell: Cell, room: float) -> list[list[str]]:
    """Each paragraph of ``cell`` (its ``\\n``-separated lines) as the lines Word should set.

    Word has no way to keep a word whole, so a name or label that needs more than one line
    in a column ``room`` em wide is broken here, between its words (render/words.py), where
    the HTML breaks it; other text is left to Word.
    """
    texts = cell.text.split("\n") if cell.text else [""]
    if cell.running or not any(keep for _, keep in cell.pieces):
        return [[text] for text in texts]
    out = []
    for text, words in zip(texts, measure.split_lines(cell.words), strict=True):
        parts = measure.lines(words, room)
        out.append(parts if "".join(parts) == text else [text])
    return out


def _add_text(para: Any, text: str, font_pt: float, bold: bool) -> None:
    """Runs with the right fonts; ☑ ☐ in a symbol font so they print everywhere."""
    chunk = ""
    for ch in text + "\0":
        if ch in SYMBOLS or ch == "\0":
            if chunk:
                _run(para, chunk, font_pt, bold, symbol=False)
                chunk = ""
            if ch != "\0":
                _run(para, ch, font_pt, bold, symbol=True)
        else:
            chunk += ch
    if not text:
        _run(para, "", font_pt, bold, symbol=False)


def _run(para: Any, text: str, font_pt: float, bold: bool, symbol: bool) -> Any:
    run = para.add_run(text)
    run.font.size = Pt(font_pt)
    run.font.bold = bold or None
    set_run_fonts(run, symbol=symbol)
    return run


def _tc_at(table: Any, row: int, col: int) -> Any:
    """The ``w:tc`` of ``row`` that starts at grid column ``col``."""
    at = 0
    for tc in table._tbl.tr_lst[row].tc_lst:
        if at == col:
            return tc
        at += tc.grid_span
    raise IndexError(f"no cell at row {row}, column {col}")


def _hide_borders(tc: Any, *sides: str) -> None:
    tc_pr = tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _insert(tc_pr, borders, _TC_PR_AFTER_BORDERS)


def _spacer(doc: Any) -> None:
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    run = para.add_run("")
    run.font.size = Pt(1)
    set_run_fonts(run)
