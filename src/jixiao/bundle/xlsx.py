"""The disclosure document as one workbook: a 汇总 sheet, then one sheet per project.

The 汇总 sheet is the document's summary (``Disclosure.summary``): 序号, 实施单位, 项目名称
and the figures, each amount a number with its column's decimals, and a 合计 row whose
amounts are ``=SUM(…)`` formulas over the column, so a reviewer sees them recompute.
openpyxl writes a formula without its result; the workbook asks for a full calculation
when it is opened (Excel, LibreOffice and WPS compute it then). A column holding an amount
Excel cannot hold exactly (more than 15 digits, kept as text) gets the exact total as a
value instead, since SUM would skip the text.

Each project's sheet is its form, laid out as ``jixiao render --format xlsx`` lays it out
(``render/xlsx.write_form``), named after the project: unique in the workbook, at most 31
characters, none of ``[]:*?/\\`` (``render/xlsx.sheet_name``).
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.bundle import Disclosure, Summary
from jixiao.bundle.html_pdf import SUMMARY_PT, summary_widths
from jixiao.model.vocab import MoneyUnit
from jixiao.render import Renderer, measure
from jixiao.render.docx_common import CJK_FONT
from jixiao.render.words import name_words
from jixiao.render.xlsx import (
    BORDER,
    PT_PER_MM,
    a4_portrait,
    column_widths,
    exact_in_excel,
    new_workbook,
    printed_number,
    put_number,
    save_workbook,
    set_text,
    sheet_name,
    write_form,
)

SUMMARY_SHEET = "汇总"
FIRST_ROW = 4  # below the title, the count line and the column headings
LINE_PT = SUMMARY_PT * 1.46  # a line of the summary's type (print.css: line-height 1.45)
PAD_PT = 2 * 1.2 * PT_PER_MM + 1  # a cell's padding above and below, and the rule


def disclosure_xlsx(d: Disclosure, renderer: Renderer) -> bytes:
    """The workbook of one department, year and phase."""
    wb = new_workbook()
    taken: list[str] = [SUMMARY_SHEET]
    summary = wb.create_sheet(SUMMARY_SHEET)
    if d.summary is not None:
        _summary(summary, d, d.summary)
    for spec in d.specs:
        assert spec.project is not None
        ws = wb.create_sheet(sheet_name(spec.project.name, taken))
        taken.append(ws.title)
        write_form(ws, renderer.grid(spec))
    # No formula result is stored (openpyxl cannot compute one): compute them on opening.
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    return save_workbook(wb, title=d.title, author=d.department, subject=f"{d.year}年度{d.phase}")


def _summary(ws: Worksheet, d: Disclosure, s: Summary) -> None:
    headings = ("序号", "实施单位", "项目名称", *s.headings)
    last = len(headings)
    widths = [measure.TEXT_WIDTH_MM * w / 100 for w in summary_widths(d)]
    column_widths(ws, widths)
    _line(ws, 1, d.title, 16, bold=True, columns=last)
    _line(ws, 2, f"{d.year}年度{d.phase}　共 {len(d.units)} 个实施单位、{len(d.specs)} 个项目。"
                 f"金额单位：{s.money_unit.value}。", SUMMARY_PT, bold=False, columns=last)
    for col, heading in enumerate(headings, 1):
        _cell(ws, 3, col, heading, bold=True, align="center")
    grouped = s.money_unit is MoneyUnit.YUAN
    for n, row in enumerate(s.rows):
        r = FIRST_ROW + n
        put_number(ws.cell(row=r, column=1), Decimal(n + 1), "0")
        _style(ws, r, 1, align="center")
        _cell(ws, r, 2, row.unit, align="left")
        _cell(ws, r, 3, row.name, align="left")
        for k, figure in enumerate(row.figures):
            _figure(ws, r, 4 + k, figure, _places(s, k), grouped)
    total_row = FIRST_ROW + len(s.rows)
    _cell(ws, total_row, 1, "合计", bold=True, align="center")
    for col in (2, 3):
        _style(ws, total_row, col, align="center")
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=3)
    for k, total in enumerate(s.totals):
        col = 4 + k
        places = _places(s, k)
        column = [row.figures[k] for row in s.rows]
        if places is not None and s.rows and all(isinstance(v, Decimal) and exact_in_excel(v) for v in column):
            letter = get_column_letter(col)
            cell = ws.cell(row=total_row, column=col, value=f"=SUM({letter}{FIRST_ROW}:{letter}{total_row - 1})")
            cell.number_format = _format(places, grouped)
            _style(ws, total_row, col, align="right")
        else:
            _figure(ws, total_row, col, total, places, grouped)
    for r in range(3, total_row + 1):
        ws.row_dimensions[r].height = round(LINE_PT * _row_lines(s, r - FIRST_ROW, widths) + PAD_PT, 2)
    ws.print_title_rows = "3:3"  # a long summary repeats its column headings on every page
    ws.print_area = f"A1:{get_column_letter(last)}{total_row}"
    ws.freeze_panes = "A4"
    a4_portrait(ws)


def _row_lines(s: Summary, n: int, widths: list[float]) -> int:
    """Lines of the tallest cell of summary row ``n``, a name broken between its words as
    the HTML breaks it (the heading row: two, for 项目资金总额（万元）)."""
    if n < 0 or n >= len(s.rows):
        return 2 if n < 0 else 1
    row = s.rows[n]
    return max(len(measure.lines(name_words(text), measure.room_em(width, SUMMARY_PT)))
               for text, width in ((row.unit, widths[1]), (row.name, widths[2])))


def _places(s: Summary, k: int) -> int | None:
    return s.decimals[k] if k < len(s.decimals) else None


def _format(places: int, grouped: bool) -> str:
    return ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")


def _figure(ws: Worksheet, row: int, col: int, value: Decimal | str | None, places: int | None,
            grouped: bool) -> None:
    """An amount with its column's decimals; 总分 (written as text) a number as printed;
    执行率 and 等级 text."""
    if isinstance(value, Decimal) and exact_in_excel(value):
        put_number(ws.cell(row=row, column=col), value, _format(places if places is not None else 2, grouped))
    elif isinstance(value, str) and (number := printed_number(value)) is not None:
        exponent = number.as_tuple().exponent
        put_number(ws.cell(row=row, column=col), number,
                   _format(-exponent if isinstance(exponent, int) and exponent < 0 else 0, False))
    elif value is not None:
        set_text(ws.cell(row=row, column=col), f"{value:f}" if isinstance(value, Decimal) else value, "项目汇总")
    _style(ws, row, col, align="right")


def _cell(ws: Worksheet, row: int, col: int, text: str, *, bold: bool = False, align: str = "left") -> None:
    set_text(ws.cell(row=row, column=col), text, "项目汇总")
    _style(ws, row, col, bold=bold, align=align)


def _style(ws: Worksheet, row: int, col: int, *, bold: bool = False, align: str = "left") -> None:
    cell = ws.cell(row=row, column=col)
    cell.font = Font(name=CJK_FONT, size=SUMMARY_PT, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=align != "right")
    cell.border = BORDER


def _line(ws: Worksheet, row: int, text: str, pt: float, *, bold: bool, columns: int) -> None:
    cell = ws.cell(row=row, column=1)
    set_text(cell, text, "公开标题")
    cell.font = Font(name=CJK_FONT, size=pt, bold=bold)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.row_dimensions[row].height = round(pt * 1.46 * (2 if len(text) * pt > 450 else 1) + 6, 2)
