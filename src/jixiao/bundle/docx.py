"""The disclosure document as one Word file.

Cover, a real Word table-of-contents field, the summary, then each project in a
section of its own, with a page-number field in the footer. Word fields are
not computed by our tool chain, so the document asks Word to refresh them when
it is opened (``w:updateFields``); the contents field is pre-filled with the
entries (without page numbers) so that it is readable before the refresh.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

from jixiao.bundle import Disclosure
from jixiao.bundle.html_pdf import SUMMARY_PT, laid_out, summary_formatter, summary_widths
from jixiao.errors import TemplateError
from jixiao.render import Renderer, measure
from jixiao.render.docx import TEXT_WIDTH, shell_path, write_tables
from jixiao.render.docx_common import deterministic_zip, set_properties, set_run_fonts
from jixiao.render.words import bracket_words, name_words, title_words

PAGE_FIELDS = {"第N页共M页": ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"), "-N-": ("- ", "PAGE", " -")}


def disclosure_docx(d: Disclosure, renderer: Renderer) -> bytes:
    units = laid_out(d, renderer)
    variant = units[0].entries[0].grid.variant if units and units[0].entries else "A"
    path = shell_path(renderer.template_dir, variant)
    if not path.is_file():
        raise TemplateError(f"缺少 Word 外壳 {path}")
    document = docx.Document(str(path))
    body = document.element.body
    for child in list(body):  # keep the shell's styles and page setup, not its placeholders
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _style_headings(document)
    _cover(document, d)
    _contents(document, d, units)
    _summary(document, d)
    for unit in units:
        for n, entry in enumerate(unit.entries):
            document.add_section(WD_SECTION.NEW_PAGE)
            if n == 0:
                _paragraph(document, unit.name, 10.5, style="Heading 1", bold=True, after=2)
            _paragraph(document, entry.name, 9, style="Heading 2", after=4)
            _paragraph(document, entry.grid.title, 18, bold=True, center=True)
            _paragraph(document, entry.grid.year_line, 12, center=True, after=6)
            write_tables(document, entry.grid)
    _footer(document, d.page_style)
    _update_fields_on_open(document)
    set_properties(document.core_properties, title=d.title, author=d.department, subject=f"{d.year}年度{d.phase}")
    document.core_properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def _paragraph(document: Any, text: str, size: float, *, style: str | None = None, bold: bool = False,
               center: bool = False, after: float = 0) -> Any:
    para = document.add_paragraph(style=style)
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(after)
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    set_run_fonts(run)
    return para


def _style_headings(document: Any) -> None:
    """Headings feed the contents field; they print small and black, not in Word's blue."""
    for name, size, grey in (("Heading 1", 10.5, 0), ("Heading 2", 9, 0x44)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name == "Heading 1"
        style.font.color.rgb = RGBColor(grey, grey, grey)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)


COVER_TITLE_PT = 24


def _cover(document: Any, d: Disclosure) -> None:
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Pt(180)
    _paragraph(document, d.department, 16, center=True, after=24)
    # Broken only after the department or the year (render/words.py), as the HTML does:
    # Word cannot keep a word whole, so the breaks are written into the paragraph.
    room = measure.TEXT_WIDTH_MM / (COVER_TITLE_PT * measure.MM_PER_PT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    for n, line in enumerate(measure.lines(title_words(d.title, d.department), room)):
        run = title.add_run()
        if n:
            run.add_break()
        run.add_text(line)
        run.font.size = Pt(COVER_TITLE_PT)
        run.font.bold = True
        set_run_fonts(run)
    _paragraph(document, f"{d.year}年度{d.phase}", 14, center=True, after=6)
    if d.date:
        _paragraph(document, f"公开日期：{d.date}", 14, center=True)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _contents(document: Any, d: Disclosure, units: list[Any]) -> None:
    _paragraph(document, "目　录", 16, center=True, after=12)
    para = document.add_paragraph()
    _field_start(para, 'TOC \\o "1-2" \\h \\z')
    _paragraph(document, "项目汇总", 10.5, bold=True)  # the field's result until Word refreshes it
    for unit in units:
        _paragraph(document, unit.name, 10.5, bold=True)
        for entry in unit.entries:
            _paragraph(document, f"　　{entry.name}", 10.5)
    end = document.add_paragraph()
    _field_char(end, "end")
    end.add_run().add_break(WD_BREAK.PAGE)


def _summary(document: Any, d: Disclosure) -> None:
    assert d.summary is not None
    s = d.summary
    # A Heading 1 like the units, so the contents field lists it as the HTML/PDF contents do.
    _paragraph(document, "项目汇总", 16, style="Heading 1", bold=True, center=True, after=8)
    _paragraph(document, f"共 {len(d.units)} 个实施单位、{len(d.specs)} 个项目。金额单位：{s.money_unit.value}。",
               10.5, after=6)
    figure = summary_formatter(d.summary)
    headings = ("序号", "实施单位", "项目名称", *s.headings)
    table = document.add_table(rows=len(s.rows) + 2, cols=len(headings))
    table.style = document.styles["Table Grid"] if "Table Grid" in [st.name for st in document.styles] else None
    table.autofit = False
    rows = [headings, *((str(i), r.unit, r.name, *(figure(f, n) for n, f in enumerate(r.figures)))
                        for i, r in enumerate(s.rows, 1)),
            ("合计", "", "", *(figure(f, n) for n, f in enumerate(s.totals)))]
    weights = summary_widths(d)
    # Word reads the cells' widths, LibreOffice the table grid's: set both.
    widths = [Emu(int(TEXT_WIDTH * w / sum(weights))) for w in weights]
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(int(width) // 635))  # 635 EMU = 1 twip
    for col, width in zip(table.columns, widths, strict=True):
        for cell in col.cells:
            cell.width = width
    for r, (tr, values) in enumerate(zip(table.rows, rows, strict=True)):
        for c, (cell, value) in enumerate(zip(tr.cells, values, strict=True)):
            para = cell.paragraphs[0]
            if r == 0 or c == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c >= 3:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            # A heading breaks between its words, never inside its bracket (（万元）), a name
            # between its words (闵行区浦江镇 / 平安建设办公室): Word cannot keep a word whole.
            room = measure.room_em(measure.TEXT_WIDTH_MM * weights[c] / sum(weights), SUMMARY_PT)
            words = bracket_words(value) if r == 0 else name_words(value) if c in (1, 2) else (value,)
            parts = measure.lines(words, room)
            for k, part in enumerate(parts if "".join(parts) == value else [value]):
                run = para.add_run()
                if k:
                    run.add_break()
                run.add_text(part)
                run.font.size = Pt(SUMMARY_PT)
                run.font.bold = r == 0 or None
                set_run_fonts(run)
    total = table.rows[-1].cells
    total[0].merge(total[2])  # 合计 over 序号, 实施单位 and 项目名称
    for extra in total[0].paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))


def _footer(document: Any, page_style: str) -> None:
    footer = document.sections[0].footer
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in PAGE_FIELDS[page_style]:
        if piece in ("PAGE", "NUMPAGES"):
            _field_start(para, piece)
            run = para.add_run("1")
            run.font.size = Pt(9)
            set_run_fonts(run)
            _field_char(para, "end")
        else:
            run = para.add_run(piece)
            run.font.size = Pt(9)
            set_run_fonts(run)


def _field_start(para: Any, instruction: str) -> None:
    _field_char(para, "begin", dirty=True)
    run = para.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _field_char(para, "separate")


def _field_char(para: Any, kind: str, dirty: bool = False) -> None:
    run = para.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run._r.append(char)


def _update_fields_on_open(document: Any) -> None:
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
