"""The XLSX writer: the grid as one worksheet, and the workbook helpers the other XLSX
writers share (``bundle/xlsx.py``, ``export.py``).

A form is laid out from the same grid as the HTML, PDF and DOCX: the sections sit on one
column grid, the union of their column edges (``render/docx.union_columns``, as one Word
table per page), so where two sections meet there is one rule. Spans become merged
ranges, every cell gets thin borders, column widths are the grid's (in mm of the A4 text
width) and row heights the paginator's estimate (``render/paginate.row_heights``, which
errs on the tall side), so the text fits. The pages are cut where the paginator cut them:
a manual row break before every section marked ``new_page``; those sections already
begin with the indicator header again (and the 一级/二级 labels marked 续), so the sheet
sets no repeated print-title rows, which would print that header twice.

Amounts and scores are numbers, their number format written with the decimals and
thousands separators the form prints (``0.00``, ``#,##0.00``, ``0.00000``), and the
cell's XML holds the amount's exact decimal text (openpyxl would write a float's 16
digits: ``78.90000000000001``). Percentages, dates and all other text stay text, as
printed. No formulas: the sheet prints the same in any program.

Same grid, same bytes: fixed zip timestamps and document dates (SOURCE_DATE_EPOCH or a
fixed date, as the DOCX: ``render/docx_common.py``).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Collection, Sequence
from copy import copy
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.errors import OutputError
from jixiao.render import measure
from jixiao.render.docx import union_columns
from jixiao.render.docx_common import (
    CJK_FONT,
    LATIN_FONT,
    MAX_PROPERTY_CHARS,
    deterministic_zip,
    document_date,
)
from jixiao.render.grid import Cell, Grid, Role
from jixiao.render.paginate import (
    LINE_EM,
    TITLE_GAP_MM,
    TITLE_PT,
    YEAR_GAP_MM,
    YEAR_PT,
    row_heights,
)

# Margins as print.css (@page: 20 mm top and bottom, 18 mm left and right), in inches.
MM_PER_INCH = 25.4
MARGIN_TB_IN = 20.0 / MM_PER_INCH
MARGIN_LR_IN = measure.MARGIN_LR_MM / MM_PER_INCH
# Excel measures a column in digits of the workbook's default font (BASE_FONT: 7 px wide
# at 96 dpi): one unit is 7 px = 7 × 25.4 / 96 mm.
MM_PER_CHAR = 7 * MM_PER_INCH / 96
PT_PER_MM = 72 / MM_PER_INCH

BASE_FONT = Font(name=LATIN_FONT, sz=10.5, family=1)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# Excel keeps a number in a double: 15 significant digits are exact, more are not. An
# amount written with more stays text rather than print other digits than the author's.
MAX_DIGITS = 15
_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?")
# Excel refuses these in a sheet name, and a name longer than 31 characters.
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31
CREATOR = "jixiao"


def render_xlsx(grid: Grid) -> bytes:
    """The form as a workbook of one worksheet, named after the project."""
    wb = new_workbook()
    ws = wb.create_sheet(sheet_name(str(grid.shell.get("项目名称") or grid.title), ()))
    write_form(ws, grid)
    return save_workbook(wb, title=grid.meta.get("标题", grid.title), author=grid.meta.get("作者", ""),
                         subject=grid.meta.get("主题", ""))


# -- the workbook ---------------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (no sheet yet: the writers add theirs), its default font
    :data:`BASE_FONT`."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    # Column widths are counted in digits of the default font. openpyxl's default, Calibri, is
    # missing on Linux: LibreOffice measures DejaVu Sans's wider digits there and prints the
    # form at 74 %. Times New Roman 10.5 pt (Liberation Serif on Linux, same metrics) has
    # 7 px digits at 96 dpi, as MM_PER_CHAR counts, in Excel and LibreOffice alike.
    # openpyxl has no public setter for the default font: its font list and Normal style.
    wb._fonts = IndexedList([BASE_FONT])  # type: ignore[attr-defined]
    normal = wb._named_styles["Normal"]  # type: ignore[attr-defined]
    normal.font = copy(BASE_FONT)
    return wb


def save_workbook(wb: Workbook, *, title: str, author: str, subject: str) -> bytes:
    """The workbook's bytes: fixed document properties, dates and zip timestamps."""
    props = wb.properties
    props.title, props.creator, props.subject = (text[:MAX_PROPERTY_CHARS] for text in (title, author or CREATOR,
                                                                                         subject))
    props.lastModifiedBy = CREATOR
    props.created = props.modified = document_date().replace(tzinfo=None)
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps ``modified`` with the clock here: deterministic_zip resets it
    return deterministic_zip(buffer.getvalue())


def sheet_name(text: str, taken: Collection[str]) -> str:
    """``text`` as a legal, unused worksheet name: no ``[]:*?/\\`` (each becomes ``_``), no
    apostrophe at either end, at most 31 characters (UTF-16 units, as Excel counts them),
    and unlike every name in ``taken`` (Excel compares names case-insensitively): a
    repeated name gets ``(2)``, ``(3)`` … within the limit."""
    base = _SHEET_ILLEGAL.sub("_", " ".join(text.split())).strip("'") or "表"
    used = {name.casefold() for name in taken}
    n = 1
    while True:
        suffix = f"({n})" if n > 1 else ""
        name = _fit(base, MAX_SHEET_NAME - len(suffix)).rstrip("'") + suffix
        if name.casefold() not in used:
            return name
        n += 1


def _fit(text: str, units: int) -> str:
    out = ""
    for ch in text:
        if len((out + ch).encode("utf-16-le")) // 2 > units:
            break
        out += ch
    return out


def put_number(cell: XlCell | MergedCell, value: Decimal, number_format: str) -> None:
    """``value`` as a number cell holding its exact decimal text (``89.41``, never the
    ``89.41000000000001`` a float's 16 digits give), shown with ``number_format``.

    openpyxl writes a number's ``<v>`` with ``"%.16g" % value`` (a float); the value is
    given as its text with the numeric type set, which openpyxl writes as it is.
    """
    assert isinstance(cell, XlCell), cell.coordinate  # never the covered part of a merged range
    cell.value = _plain(value)
    cell.data_type = "n"
    cell.number_format = number_format


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return "0" if text in ("-0", "") else text


def number_format(value: Decimal, grouped: bool = False) -> str:
    """The number format that shows ``value`` with the decimals it is written with."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")


def exact_in_excel(value: Decimal) -> bool:
    """Whether Excel's double holds ``value`` to every written digit."""
    return len(value.as_tuple().digits) <= MAX_DIGITS


def printed_number(text: str) -> Decimal | None:
    """The amount a printed figure (``1,234.50``, ``93.64992``, ``-5``) states, or None for
    text that is not a plain number (``100%``, ``—``, ``≥90%``)."""
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    return value if exact_in_excel(value) else None


def set_text(cell: XlCell | MergedCell, text: str, where: str) -> None:
    """``text`` as the cell's text; a control character Excel cannot hold is refused, located."""
    assert isinstance(cell, XlCell), cell.coordinate  # never the covered part of a merged range
    try:
        cell.value = text
    except IllegalCharacterError as exc:
        raise OutputError(f"「{where}」含有 Excel 不能保存的控制字符，无法写入 XLSX；请删去该字符") from exc
    if text.startswith("="):  # a value, never a formula (an indicator value such as =100%)
        cell.data_type = "s"


def a4_portrait(ws: Worksheet, fit_width: bool = True) -> None:
    """A4 portrait, print.css's margins, one page wide (as tall as it needs)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_IN
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TB_IN
    ws.page_margins.header = ws.page_margins.footer = 0.0
    if fit_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = True


# -- the form -------------------------------------------------------------------------------------


def write_form(ws: Worksheet, grid: Grid) -> None:
    """The grid on ``ws`` from its first row: title, year line, then every section's rows on
    the union of the sections' columns, a row break where the paginator starts a page."""
    edges, index = union_columns(grid.sections)
    widths = [b - a for a, b in itertools.pairwise(edges)]
    if min(widths) <= 0:
        raise ValueError(f"a column of no width in the sheet grid {widths}")  # a layout bug
    column_widths(ws, widths)
    last = len(widths)
    _heading(ws, 1, grid.title, TITLE_PT, bold=True, columns=last,
             height_mm=TITLE_PT * LINE_EM / PT_PER_MM * _lines(grid.title, TITLE_PT) + TITLE_GAP_MM)
    _heading(ws, 2, grid.year_line, YEAR_PT, bold=False, columns=last,
             height_mm=YEAR_PT * LINE_EM / PT_PER_MM + YEAR_GAP_MM)
    grouped = any(c.role is Role.AMOUNT and "," in c.text for c in grid.cells())
    top = 3
    for s, section in enumerate(grid.sections):
        if section.new_page:
            ws.row_breaks.append(Break(id=top - 1))  # the break follows row ``top - 1``
        heights = row_heights(section, grid.font_pt)
        for k, height in enumerate(heights):
            ws.row_dimensions[top + k].height = round(height * PT_PER_MM, 2)
        for r, c, cell in section.positions():
            a, b = index[s][c], index[s][c + cell.colspan]
            _put(ws, top + r, a + 1, top + r + cell.rowspan - 1, b, cell, grid.font_pt, grouped)
        top += len(heights)
    ws.print_area = f"A1:{get_column_letter(last)}{top - 1}"
    a4_portrait(ws)
    ws.sheet_view.showGridLines = False  # the form's own rules, not the screen grid


def _lines(text: str, pt: float) -> int:
    return len(measure.lines(list(text), measure.TEXT_WIDTH_MM / (pt / PT_PER_MM)))


def _heading(ws: Worksheet, row: int, text: str, pt: float, *, bold: bool, columns: int, height_mm: float) -> None:
    cell = ws.cell(row=row, column=1)
    set_text(cell, text, "表格标题")
    cell.font = Font(name=CJK_FONT, size=pt, bold=bold)
    cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.row_dimensions[row].height = round(height_mm * PT_PER_MM, 2)


def _put(ws: Worksheet, row: int, col: int, end_row: int, end_col: int, cell: Cell, font_pt: float,
         grouped: bool) -> None:
    target = ws.cell(row=row, column=col)
    value = printed_number(cell.text) if cell.role is Role.AMOUNT else None
    if value is not None:
        put_number(target, value, number_format(value, grouped))
    elif cell.text:
        set_text(target, cell.text, cell.source or cell.text)
    target.font = Font(name=CJK_FONT, size=font_pt, bold=cell.role in (Role.HEAD, Role.BLOCK))
    target.alignment = Alignment(horizontal=_horizontal(cell), vertical="top" if cell.role is Role.LONG else "center",
                                 wrap_text=not cell.nowrap)
    target.border = BORDER
    if end_row > row or end_col > col:
        # openpyxl gives the merged range's edge cells the first cell's borders
        ws.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)


def _horizontal(cell: Cell) -> str:
    return "justify" if cell.role is Role.LONG else cell.align


def column_widths(ws: Worksheet, widths_mm: Sequence[float]) -> None:
    """Set the columns of ``ws`` to ``widths_mm`` (mm each, from column A)."""
    for n, width in enumerate(widths_mm, 1):
        ws.column_dimensions[get_column_letter(n)].width = round(width / MM_PER_CHAR, 2)
