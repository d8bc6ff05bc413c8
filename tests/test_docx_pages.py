"""DOCX pages: one Word table per printed page, on the union of its sections' columns.

The sections of a page (header block, funds, goals, indicators) are one Word table, so
where two of them meet LibreOffice and Word print one rule, not the two that separate
tables print one under the other; a section marked ``new_page`` starts the next table
on a new page.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import replace
from pathlib import Path

import docx
import pypdf
from docx.oxml.ns import qn

from jixiao.load.workspace import load_workspace
from jixiao.render import Renderer
from jixiao.render.docx import render_docx, write_tables
from jixiao.render.grid import Cell, Grid, Role, Section
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import (
    DemoRender,
    find_frame,
    libreoffice_pdfs,
    pdftotext,
    rasterise,
    read_html,
    runs,
    squash,
)
from test_docx import (
    ANBAO,
    ZONGZHI,
    _pages,
    column_edges_mm,
    extent_mm,
    grid_of,
    near,
    section_extent_mm,
)

MM_PER_INCH = 25.4


def _grid(spec: Path) -> Grid:
    (loaded,) = load_workspace([spec]).specs
    return Renderer().grid(loaded)


def _tables(grid: Grid) -> docx.document.Document:
    document = docx.Document()
    write_tables(document, grid)
    return docx.Document(_saved(document))


def _saved(document: docx.document.Document) -> io.BytesIO:
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _page_break_before(table: docx.table.Table) -> bool:
    p = table._tbl.tr_lst[0].tc_lst[0].find(qn("w:p"))
    return p.pPr is not None and p.pPr.find(qn("w:pageBreakBefore")) is not None


def _header_rows(table: docx.table.Table) -> list[bool]:
    return [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in table._tbl.tr_lst]


def _row(*texts: str, role: Role = Role.VALUE) -> tuple[Cell, ...]:
    return tuple(Cell(t, role) for t in texts)


def test_edges_closer_than_half_a_millimetre_are_one_column_edge() -> None:
    # 50 % and 50.2 % of 174 mm are 0.35 mm apart: one edge, each cell within 0.2 mm of its
    # own width; 30 % is a column edge of its own. Edges of one section are never merged.
    a = Section((50.0, 50.0), ((_row("a1", "a2"),),), name="a")
    b = Section((50.2, 49.8), ((_row("b1", "b2"),),), name="b")
    c = Section((30.0, 0.2, 69.8), ((_row("c1", "c2", "c3"),),), name="c")
    grid = Grid("t", "y", (a, b, c))
    [table] = _tables(grid).tables
    edges = column_edges_mm(table)
    assert len(edges) == 5, edges  # 0, 52.2, 52.55, 87.17, 174
    assert all(y - x > 0.2 for x, y in itertools.pairwise(edges))
    rows = grid_of(table)
    for section, row in zip((a, b, c), rows, strict=True):
        for col, (cell, got) in enumerate(zip(section.rows()[0], row, strict=True)):
            assert got.text == cell.text
            assert near(extent_mm(table, got), section_extent_mm(section, col, 1), 0.25), (cell.text, got)
    assert rows[0][0].span == rows[1][0].span == 3  # over 30 %, c's narrow column and the rest


def test_repeated_head_rows_only_on_pages_after_the_first() -> None:
    head = (_row("甲", "乙", role=Role.HEAD),)
    first = Section((40.0, 60.0), ((_row("1", "2"),),), head=head, name="first")
    rest = Section((40.0, 60.0), ((_row("3", "4"), _row("5", "6")),), head=head, name="rest", new_page=True)
    more = Section((30.0, 70.0), ((_row("7", "8"),),), name="more")  # same page as rest
    document = _tables(Grid("t", "y", (first, rest, more)))
    one, two = document.tables
    assert _header_rows(one) == [False, False]
    assert _header_rows(two) == [True, False, False, False]
    assert not _page_break_before(one) and _page_break_before(two)
    assert [c.text for row in grid_of(two) for c in row] == ["甲", "乙", "3", "4", "5", "6", "7", "8"]


def _split_indicators(grid: Grid) -> tuple[Grid, list[str], list[str]]:
    """``grid`` with its indicators cut after the first 一级 group, the rest a section that
    starts a new page with the header row again; and the 三级 names of each part."""
    *others, indicators = grid.sections
    assert indicators.name == "indicators" and len(indicators.bodies) >= 2

    def part(bodies: tuple, new_page: bool) -> Section:
        label, *heads = indicators.head[0]
        rows = sum(len(body) for body in bodies)
        return replace(indicators, bodies=bodies, head=((replace(label, rowspan=1 + rows), *heads),),
                       new_page=new_page)

    one, two = part(indicators.bodies[:1], False), part(indicators.bodies[1:], True)
    names = [[row[-2].text for row in section.rows()[1:]] for section in (one, two)]
    return replace(grid, sections=(*others, one, two)), names[0], names[1]


def test_a_section_on_a_new_page_is_a_table_on_a_new_page(tmp_path: Path) -> None:
    grid, first_names, second_names = _split_indicators(_grid(ANBAO))
    path = tmp_path / "split.docx"
    path.write_bytes(render_docx(grid, BUILTIN_TEMPLATES))
    document = docx.Document(str(path))
    one, two = document.tables
    # between them a spacer paragraph (LibreOffice fuses adjacent tables), empty and 1 pt
    spacer = one._tbl.getnext()
    assert spacer.tag == qn("w:p") and spacer is two._tbl.getprevious()
    assert "".join(spacer.itertext()) == ""
    assert {sz.get(qn("w:val")) for sz in spacer.iter(qn("w:sz"))} == {"2"}  # half-points
    assert not _page_break_before(one) and _page_break_before(two)
    assert grid_of(two)[0][0].text == "绩效指标" and grid_of(two)[0][0].vmerge == "restart"
    assert not any(_header_rows(one) + _header_rows(two))  # the side label spans the head: no repeat

    [pdf] = libreoffice_pdfs([path], tmp_path / "lo")
    pages = [squash(pdftotext(pdf, first=n, last=n)) for n in (1, 2)]
    assert _pages(pdf) == 2
    assert "项目名称" in pages[0] and "项目名称" not in pages[1]
    assert all(name in pages[0] and name not in pages[1] for name in first_names)
    assert all(name in pages[1] and name not in pages[0] for name in second_names)
    assert "绩效指标" in pages[1] and "一级指标" in pages[1]
    # the second table starts at the top of page 2 (20 mm margin), not after a blank page
    img = rasterise(pdf, 2, tmp_path, dpi=60)
    assert find_frame(img).top * MM_PER_INCH / 60 < 25


def test_no_doubled_rules_where_sections_meet(demo: DemoRender, tmp_path: Path) -> None:
    """On paper every horizontal rule is one rule: down a line just inside the frame's left
    and right edges (clear of any text, in the cells' padding) the dark runs are each a
    single 0.75 pt rule and no two lie within 1.5 mm. Separate tables per section printed
    two rules 0.5 mm apart where header, funds, goals and indicators meet."""
    dpi = 150
    px_per_mm = dpi / MM_PER_INCH
    by_spec = {str(Path(s).resolve()): p for s, p in demo.projects}
    docs = [demo.path(by_spec[str(spec.resolve())], "docx") for spec in (ANBAO, ZONGZHI)]
    problems = []
    for pdf in libreoffice_pdfs(docs, tmp_path / "lo"):
        img = rasterise(pdf, 1, tmp_path, dpi=dpi)
        frame = find_frame(img)
        for x in (frame.left + 4, frame.right - 4):  # 0.7 mm inside the frame
            dark = runs(img.column(x))
            assert len(dark) >= 6, (pdf.name, x, dark)  # the rules between sections and rows are found
            for start, end in dark:
                if end - start > 0.6 * px_per_mm:
                    problems.append(f"{pdf.name} x={x}: rule {end - start} px thick at y={start}")
            for (_, end), (start, _) in itertools.pairwise(dark):
                if start - end < 1.5 * px_per_mm:
                    problems.append(f"{pdf.name} x={x}: rules {start - end} px apart at y={end}")
    assert problems == []


def _indicator_names_per_page(pdf: Path, names: list[str]) -> list[list[str]]:
    """Per page, the 三级 names printed on it, in order (a name inside another left out)."""
    own = [n for n in names if sum(n in other for other in names) == 1]
    out = []
    for page in range(1, pdf_pages(pdf) + 1):
        text = squash(pdftotext(pdf, first=page, last=page))
        text = text[text.find("一级指标"):] if "一级指标" in text else ""
        out.append(sorted((text.find(n), n) for n in own if n in text))
    return [[n for _, n in page] for page in out]


def pdf_pages(pdf: Path) -> int:
    return len(pypdf.PdfReader(pdf).pages)


def test_word_and_pdf_start_every_page_with_the_same_row(demo: DemoRender, tmp_path: Path) -> None:
    """Every demo table, printed from its DOCX by LibreOffice and from its PDF: the same
    number of pages, the page count the layout decided (render/paginate.py), and the same
    indicator rows on each page."""
    projects = [p for _, p in demo.projects]
    docs = []
    for n, project in enumerate(projects):  # plain names: LibreOffice writes <stem>.pdf
        docs.append(tmp_path / f"t{n}.docx")
        docs[-1].write_bytes(demo.path(project, "docx").read_bytes())
    problems, broken = [], 0
    for project, printed in zip(projects, libreoffice_pdfs(docs, tmp_path), strict=True):
        pdf = demo.path(project, "pdf")
        planned = 1 + sum("newpage" in t.classes for t in read_html(demo.path(project, "html")).tables)
        broken += planned > 1
        counts = (pdf_pages(pdf), pdf_pages(printed))
        if counts != (planned, planned):
            problems.append(f"{project.name}: PDF {counts[0]} pages, DOCX {counts[1]}, planned {planned}")
            continue
        names = [squash(i.name) for level in project.indicators for c in level.children for i in c.indicators]
        ours, word = _indicator_names_per_page(pdf, names), _indicator_names_per_page(printed, names)
        if ours != word:
            problems.append(f"{project.name}: pages start differently: PDF {ours} / DOCX {word}")
    assert broken >= 5  # the demo's long tables
    assert problems == [], "\n".join(problems)
