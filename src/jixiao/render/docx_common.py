"""Word details shared by the shell builder and the DOCX writer."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jixiao.files import build_date

# The East-Asian face of every run. 宋体 is what an official form is set in, but a
# document naming 宋体 is printed by LibreOffice on Linux in a mix of faces it picks
# itself (Noto Sans CJK for bold, Noto Serif CJK for the rest: measured with pdffonts).
# So runs name Noto Serif CJK SC, which Linux has, and the font table gives 宋体 /
# SimSun as its alternate name, with SimSun's PANOSE and the GB2312 charset, which
# Word uses to substitute 宋体 where Noto is not installed.
CJK_FONT = "Noto Serif CJK SC"
CJK_ALT_NAMES = ("宋体", "SimSun")
LATIN_FONT = "Times New Roman"
SYMBOL_FONT = "Segoe UI Symbol"  # ☑ ☐ on Windows; LibreOffice falls back to DejaVu Sans
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)


def document_date() -> datetime:
    """The build date (:func:`jixiao.files.build_date`), else a fixed one: Word files need a date."""
    return build_date() or FIXED_DATE


# python-docx refuses a core property of more than 255 characters (ValueError). A title
# made from a long project name, or a long 公开标题, is cut there rather than crash.
MAX_PROPERTY_CHARS = 255


def set_properties(props: Any, *, title: str, author: str, subject: str) -> None:
    """Title, author and subject of a generated document; a fixed date and author of record."""
    props.title, props.author, props.subject = (text[:MAX_PROPERTY_CHARS] for text in (title, author, subject))
    props.created = props.modified = document_date().replace(tzinfo=None)
    props.last_modified_by, props.revision = "jixiao", 1


# The language of a run's Latin letters and digits. Not zh-CN: LibreOffice breaks a line
# anywhere inside digits it takes for Chinese text (``5`` / ``8%``, ``16.2`` / ``9``); as
# English (what Word sets in a Chinese document) a number is one word, as in Word.
LATIN_LANG = "en-US"


def set_run_fonts(run: Any, symbol: bool = False) -> None:
    """East-Asian font and zh-CN language on a run, so no renderer guesses Japanese; Latin
    letters and digits in English (:data:`LATIN_LANG`)."""
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    latin = SYMBOL_FONT if symbol else LATIN_FONT
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin),
                       ("w:eastAsia", SYMBOL_FONT if symbol else CJK_FONT)):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LATIN_LANG)
    lang.set(qn("w:eastAsia"), "zh-CN")


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def deterministic_zip(data: bytes, core_dates: bool = True) -> bytes:
    """Same document, same bytes: fixed zip timestamps and document dates."""
    stamp = document_date().strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if core_dates and info.filename == "docProps/core.xml":
                blob = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, blob)
    return out.getvalue()
