"""What kind of file is being imported: told by its first bytes as well as its name.

A clerk's folder holds every kind of file, and a suffix says little: a ``.xls``
saved under ``.xlsx``, a scan renamed ``.pdf``, a Word document mailed as
``.txt``. So the reader is chosen by content where the content says what it is
(a PDF, a zip package of Word or Excel, an old binary Office file, a picture),
and by the suffix only for plain text, which has no signature. A file jixiao
cannot read is refused with what to do instead, never read as text and
reported as "not UTF-8".
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import SourceError

TEXT_SUFFIXES = (".txt", ".tsv", ".md", ".markdown", "")
WORD_SUFFIXES = (".docx", ".docm", ".dotx")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
PDF_SUFFIXES = (".pdf",)

# Old binary (OLE2) Office files and the other formats clerks meet, by suffix: what to save as.
_SAVE_AS = {
    ".xls": "请用 Excel 或 WPS 另存为 .xlsx",
    ".et": "请用 WPS 表格另存为 .xlsx",
    ".ett": "请用 WPS 表格另存为 .xlsx",
    ".xlsb": "请用 Excel 另存为 .xlsx",
    ".ods": "请另存为 .xlsx",
    ".numbers": "请导出为 .xlsx",
    ".csv": "请另存为 .xlsx，或存为制表符分隔的 .txt",
    ".doc": "请用 Word 或 WPS 另存为 .docx",
    ".wps": "请用 WPS 文字另存为 .docx",
    ".wpt": "请用 WPS 文字另存为 .docx",
    ".dot": "请用 Word 另存为 .docx",
    ".rtf": "请用 Word 另存为 .docx",
    ".odt": "请另存为 .docx",
    ".pages": "请导出为 .docx",
    ".ofd": "请用版式阅读器另存为 PDF",
}
_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic")
OCR_ADVICE = "jixiao 不识别图片里的文字；请先用 OCR 工具（如 WPS、Adobe Acrobat 或 ocrmypdf）转成带文字的 PDF 或 Word 文档再导入"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_PICTURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")


def unsupported(suffix: str) -> str:
    """The refusal for a file type jixiao does not read, with what to do instead."""
    shown = suffix or "（无扩展名）"
    if suffix in _IMAGES:
        return f"不支持的文件类型：{shown}（图片）；{OCR_ADVICE}"
    advice = _SAVE_AS.get(suffix, "请另存为 .xlsx 或 .docx，或导出为 PDF")
    return f"不支持的文件类型：{shown}；{advice}"


def kind_of(path: Path, head: bytes, display: str) -> str:
    """``text``, ``docx``, ``xlsx`` or ``pdf``; a SourceError for anything else.

    ``head`` is the file's first KB. Content decides where it is recognisable; a
    recognisable content under a suffix that promises another kind is refused,
    saying what the file really is.
    """
    suffix = path.suffix.lower()
    if b"%PDF-" in head:  # the header may follow a few bytes of junk (the PDF standard allows it)
        if suffix in PDF_SUFFIXES or suffix in TEXT_SUFFIXES:
            return "pdf"
        raise SourceError(f"{display}：扩展名是 {suffix}，内容却是 PDF；请把扩展名改为 .pdf 再导入")
    if head.startswith(_ZIP):
        if suffix in EXCEL_SUFFIXES:
            return "xlsx"
        if suffix in WORD_SUFFIXES:
            return "docx"
        if suffix in PDF_SUFFIXES:
            raise SourceError(f"{display}：不是 PDF 文件（内容是 zip 压缩包，可能是 Word 或 Excel 文档，请改正扩展名）")
        if suffix in TEXT_SUFFIXES:
            raise SourceError(f"{display}：不是文字文件（内容是 zip 压缩包，可能是 Word 或 Excel 文档，请改正扩展名）")
        raise SourceError(f"{display}：{unsupported(suffix)}")
    if head.startswith(_OLE):
        if suffix in EXCEL_SUFFIXES:
            # Excel also stores a workbook with a password in this container.
            raise SourceError(f"{display}：扩展名是 {suffix}，内容却是旧版 Excel（.xls）的格式，或是加了密码的工作簿；"
                              "请用 Excel 或 WPS 取消密码、另存为 .xlsx")
        if suffix in WORD_SUFFIXES:
            raise SourceError(f"{display}：扩展名是 {suffix}，内容却是旧版 Word（.doc）的格式，或是加了密码的文档；"
                              "请用 Word 或 WPS 取消密码、另存为 .docx")
        if suffix in _SAVE_AS:
            raise SourceError(f"{display}：{unsupported(suffix)}")
        raise SourceError(f"{display}：不支持的文件类型：旧版 Office 文档（.doc、.xls 或 WPS 的二进制格式）；"
                          "请另存为 .xlsx 或 .docx")
    if head.startswith(_PICTURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise SourceError(f"{display}：是图片，不是表格文件；{OCR_ADVICE}")
    if suffix in PDF_SUFFIXES:
        raise SourceError(f"{display}：不是 PDF 文件（开头没有 %PDF- 标记）；文件可能已损坏，或不是真正的 PDF")
    if suffix in EXCEL_SUFFIXES:
        raise SourceError(f"{display}：不是可读的 Excel 文档（.xlsx）：不是 zip 压缩包；"
                          "文件可能已损坏，或是改了扩展名的其他文件（旧版 .xls 请另存为 .xlsx）")
    if suffix in WORD_SUFFIXES:
        raise SourceError(f"{display}：不是可读的 Word 文档（.docx）：不是 zip 压缩包；"
                          "文件可能已损坏，或是改了扩展名的其他文件（旧版 .doc 请另存为 .docx）")
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise SourceError(f"{display}：{unsupported(suffix)}")

