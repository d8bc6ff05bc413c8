"""The DOCX writer: the grid as Word tables inside the variant's docxtpl shell.

The shell (``templates/variants/<表样>/shell.docx``) carries page setup, styles,
title and year line; the tables are built here with python-docx from the
same grid as HTML and PDF and inserted as a docxtpl sub-document.

Each printed page of the form is one Word table: its sections (header block, funds,
goals, indicators) share one column grid, the union of their column edges, so where
two sections meet there is one rule (separate tables print two, one under the other).
A section marked ``new_page`` begins the next table, after a tiny spacer paragraph
(adjacent tables would be fused) and with a page break before its first paragraph.
Merged cells are written as ``w:vMerge``/``w:gridSpan`` from the grid's spans over
that column grid (docxtpl's ``{% vm %}`` merges whole loop columns, not runs of equal
cells).
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt, Twips
from docx.table import _Cell
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

# Column edges of the sections of one table closer than this are one edge: no sliver columns.
SNAP_MM = 0.5
TEXT_TWIPS = int(TEXT_WIDTH) // 635  # 635 EMU = 1 twip


def write_tables(doc: Any, grid: Grid) -> None:
    """The grid as Word tables appended to ``doc`` (a document or a sub-document): one table
    per printed page, so the rules where two sections meet are one rule, not two."""
    for n, sections in enumerate(pages(grid.sections)):
        if n:
            _spacer(doc)  # keeps Word and LibreOffice from fusing the two pages' tables
        _page_table(doc, sections, grid.font_pt, first=n == 0)


def pages(sections: Sequence[Section]) -> list[list[Section]]:
    """The sections of each page: a page begins at every section marked ``new_page``."""
    out: list[list[Section]] = []
    for section in sections:
        if section.new_page or not out:
            out.append([])
        out[-1].append(section)
    return out


def section_edges_mm(section: Section) -> list[float]:
    """The column edges of ``section`` from the left of the text, in mm."""
    total = sum(section.widths)
    edges = [measure.TEXT_WIDTH_MM * acc / total for acc in itertools.accumulate(section.widths, initial=0.0)]
    edges[-1] = measure.TEXT_WIDTH_MM
    return edges


def union_columns(sections: Sequence[Section]) -> tuple[list[float], list[list[int]]]:
    """The column edges (mm) of one table holding ``sections``, and for each section, the
    index among them of each of its own edges.

    The edges of all sections, with those less than :data:`SNAP_MM` apart (and from different
    sections: a section's own columns stay apart) made one, in the middle of the cluster, so
    every cell keeps its width within that; the outer edges stay where they are.
    """
    points = sorted((edge, s, k) for s, section in enumerate(sections)
                    for k, edge in enumerate(section_edges_mm(section)))
    clusters: list[list[tuple[float, int, int]]] = []
    for point in points:
        if (clusters and point[0] - clusters[-1][0][0] < SNAP_MM
                and all(s != point[1] for _, s, _ in clusters[-1])):
            clusters[-1].append(point)
        else:
            clusters.append([point])
    edges: list[float] = []
    index = [[0] * (len(section.widths) + 1) for section in sections]
    for n, cluster in enumerate(clusters):
        if any(k == 0 for _, _, k in cluster):
            edges.append(0.0)
        elif any(k == len(sections[s].widths) for _, s, k in cluster):
            edges.append(measure.TEXT_WIDTH_MM)
        else:
            edges.append((cluster[0][0] + cluster[-1][0]) / 2)
        for _, s, k in cluster:
            index[s][k] = n
    return edges, index


def _twips(mm: float) -> int:
    return round(mm / measure.TEXT_WIDTH_MM * TEXT_TWIPS)


def _page_table(doc: Any, sections: Sequence[Section], font_pt: float, first: bool) -> None:
    """One page's sections as one table on the union of their column edges."""
    edges, index = union_columns(sections)
    at = [_twips(edge) for edge in edges]
    widths = [b - a for a, b in itertools.pairwise(at)]
    if min(widths) <= 0:
        raise ValueError(f"a column of no width in the table grid {widths}")  # a layout bug
    table = doc.add_table(rows=0, cols=len(widths))
    _fix_layout(table, [Twips(w) for w in widths])
    tbl = table._tbl
    # A page after the first begins with its section's head: Word repeats it should the page
    # overflow (the paginator's pages fit, so this is a fallback). The header block of the
    # first page is no header to repeat.
    lead = sections[0]
    header_rows = len(lead.head) if not first and lead.repeat_head else 0
    for s, section in enumerate(sections):
        # Per row, by first column: (span, the cell, or None in the rows under its first,
        # whether it spans rows), columns counted in the table's grid.
        slots: list[dict[int, tuple[int, Cell | None, bool]]] = [{} for _ in section.rows()]
        for r, c, placed in section.positions():
            a, b = index[s][c], index[s][c + placed.colspan]
            for k in range(placed.rowspan):
                slots[r + k][a] = (b - a, placed if k == 0 else None, placed.rowspan > 1)
        for row in slots:
            tr = tbl.add_tr()
            _row_flags(tr, header=len(tbl.tr_lst) <= header_rows)
            for a in sorted(row):
                span, cell, merged = row[a]
                tc = tr.add_tc()
                tc.width = Twips(sum(widths[a:a + span]))
                if span > 1:
                    tc.grid_span = span
                if merged:
                    tc.vMerge = "restart" if cell is not None else "continue"
                if cell is not None:
                    room = measure.room_em(edges[a + span] - edges[a], font_pt)
                    _fill(_Cell(tc, table), cell, font_pt, room)
    if not first:
        # LibreOffice honours a page break before the paragraph of a table's first row (not
        # one in a later row, nor a w:br inside a table).
        first_tc = tbl.tr_lst[0].tc_lst[0]
        _Cell(first_tc, table).paragraphs[0].paragraph_format.page_break_before = True


# Word rejects a document whose property elements are out of schema order.
_TBL_PR_AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
_TBL_PR_AFTER_LAYOUT = ("tblCellMar", "tblLook", "tblCaption", "tblDescription")


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
        tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
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
        grid_col.set(qn("w:w"), str(width.twips))


def _row_flags(tr: Any, header: bool) -> None:
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # a row is never cut across pages
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _fill(target: Any, cell: Cell, font_pt: float, room: float) -> None:
    target.vertical_alignment = (WD_CELL_VERTICAL_ALIGNMENT.TOP if cell.role is Role.LONG
                                 else WD_CELL_VERTICAL_ALIGNMENT.CENTER)
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


def _spacer(doc: Any) -> None:
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    run = para.add_run("")
    run.font.size = Pt(1)
    set_run_fonts(run)
