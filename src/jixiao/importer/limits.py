"""How much one imported file may hold: every size and count the readers check as they read.

Imported files come from anywhere; each limit is checked while the file is read,
before it can cost much memory or time. The readers look the limits up on this
module (``limits.MAX_ROWS``), so a test can lower one.

Generous for real forms: the largest demo department's disclosure document (42
projects, ``jixiao disclose --format docx``) is 88 KB zipped, a 1.5 MB
word/document.xml with 169 tables, 1,135 rows, 3,330 paragraphs, 2,890 filled
cells and 24,000 characters; its largest table row is under 400 XML tags. Word
files typed by hand are several times wordier (revision ids and run properties on
every run), and a real department may have hundreds of projects.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 64 * 1024 * 1024  # a file as stored: .txt, or .docx still zipped
# Inflated size of any zip member read (document.xml above is 17 times its zip); the
# zip header's declared size is not trusted — the bytes are counted as they are inflated.
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_RELS_BYTES = 1024 * 1024  # _rels/.rels: a few hundred bytes in any real file
# A Word document has a few dozen zip members, a few hundred with many pictures. The central
# directory is read whole (hundreds of bytes per member in memory), so it is checked first.
MAX_ZIP_MEMBERS = 10_000
MAX_CENTRAL_DIRECTORY = MAX_ZIP_MEMBERS * 400
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

# Excel workbooks (.xlsx): the parts are inflated and counted as for Word (MAX_PART_BYTES each);
# all parts read together may inflate to twice that. A form sheet holds a few hundred cells; a
# department's flat export (export --format xlsx) a few thousand rows of about 40 columns.
MAX_WORKBOOK_BYTES = 2 * MAX_PART_BYTES
MAX_STYLES_BYTES = 16 * 1024 * 1024  # workbook.xml and styles.xml, read whole
MAX_SHEETS = 1_000
MAX_SHARED_STRINGS = 200_000  # distinct texts (and cell styles); each a cell's text at most
MAX_SHEET_CELLS = 1_000_000  # <c> elements, empty styled ones too
# Rows × columns of a sheet's used range (and of the range it declares): 1,000 rows of 60
# columns is a large form sheet; 200,000 rows × 25 columns bounds what the other limits allow.
MAX_SHEET_AREA = 5_000_000

# PDF (.pdf): pages are read one at a time; a page whose content stream or objects are out of
# all proportion to a form is refused before its table is looked for.
MAX_PDF_PAGES = 2_000  # a department's disclosure document is a few hundred pages
MAX_PAGE_CHARS = 50_000  # characters drawn on one page; a dense A4 page of text is about 3,000
MAX_PAGE_OBJECTS = 100_000  # lines, rectangles and curves on one page (ruling lines of a form: a few hundred)
# A page's content streams, inflated (a form page of jixiao's is about 25 KB), and all pages'
# together: checked before the PDF library decodes and interprets them, its slowest work.
MAX_PAGE_CONTENT_BYTES = 2 * 1024 * 1024
MAX_PDF_CONTENT_BYTES = 64 * 1024 * 1024
