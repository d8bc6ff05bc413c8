"""The Word document shell of a variant: page setup, styles, title and year line.

``scripts/build_docx_templates.py`` calls :func:`build_shell` to write
``templates/variants/<表样>/shell.docx``; the file is checked in so that a user
can open it in Word, restyle it, and use it with ``jixiao render --template``.
The shell holds docxtpl placeholders; the table itself is written by
``render/docx.py`` from the same grid as HTML and PDF.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jixiao.render import measure
from jixiao.render.docx_common import (
    CJK_ALT_NAMES,
    CJK_FONT,
    LATIN_FONT,
    LATIN_LANG,
    deterministic_zip,
    set_run_fonts,
)
from jixiao.render.variant import Variant

# Mirrors templates/print.css: A4 portrait, 20 mm top/bottom, 18 mm left/right (the text
# width the layout fits the columns into, render/measure.py).
PAGE_WIDTH, PAGE_HEIGHT = Mm(measure.PAGE_WIDTH_MM), Mm(297)
MARGIN_TB, MARGIN_LR = Mm(20), Mm(measure.MARGIN_LR_MM)
BODY_PT, TITLE_PT, YEAR_PT = 10.5, 18, 12

# The variables a shell may use; render/docx.py supplies exactly these.
CONTEXT_VARIABLES = {
    "标题": "表格标题",
    "年度行": "标题下的年度行，如「（2026年度）」",
    "年度": "表格年度",
    "项目名称": "项目名称",
    "主管部门": "主管部门",
    "实施单位": "实施单位",
    "表格": "正式表格本身（必须以 {{p 表格 }} 单独成段）",
}
TABLE_PLACEHOLDER = "{{p 表格 }}"


def build_shell(variant: Variant) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = section.bottom_margin = MARGIN_TB
    section.left_margin = section.right_margin = MARGIN_LR

    _chinese_defaults(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)

    _line(doc, "{{ 标题 }}", TITLE_PT, bold=True, after=2)
    _line(doc, "{{ 年度行 }}", YEAR_PT, after=6)
    doc.add_paragraph(TABLE_PLACEHOLDER)

    props = doc.core_properties
    props.title = variant.title
    props.subject = variant.name
    props.author = "jixiao"
    props.comments = "jixiao 表样文档外壳：可在 Word 中修改样式；双花括号占位符由 jixiao 填写。"
    buffer = io.BytesIO()
    doc.save(buffer)
    return deterministic_zip(buffer.getvalue(), core_dates=True)


def _chinese_defaults(doc: Any) -> None:
    """Document defaults in Chinese: fonts named outright (not the Japanese theme fonts of
    python-docx's default template) and language zh-CN (Latin text in English, as runs
    have it: docx_common.LATIN_LANG), plus the font-table entry that
    tells Word which installed face stands in for the CJK font."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT),
                       ("w:eastAsia", CJK_FONT)):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    for attr, value in (("w:val", LATIN_LANG), ("w:eastAsia", "zh-CN")):
        lang.set(qn(attr), value)
    table = doc.part.part_related_by(RT.FONT_TABLE)
    entry = (f'<w:font w:name="{CJK_FONT}"><w:altName w:val="{",".join(CJK_ALT_NAMES)}"/>'
             '<w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/>'
             '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    table._blob = table.blob.replace(b"</w:fonts>", entry.encode() + b"</w:fonts>")


def _line(doc: object, text: str, size: float, *, bold: bool = False, after: float = 0) -> None:
    para = doc.add_paragraph()  # type: ignore[attr-defined]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(after)
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    set_run_fonts(run)
