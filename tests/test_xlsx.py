"""XLSX out: the forms (``render --format xlsx``), the disclosure workbook and the flat export.

Every workbook is opened with openpyxl and read back: merged ranges, values, number
formats, print setup, sheet names. LibreOffice prints the forms' workbooks to PDF and
the text must be jixiao's own PDF's text; what a form sheet should hold is worked out
from the loaded project model, not from the writer under test.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdf
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from conftest import run_cli
from jixiao.bundle import plan
from jixiao.bundle.xlsx import SUMMARY_SHEET, disclosure_xlsx
from jixiao.export import export_xlsx
from jixiao.load.workspace import SpecFile, load_workspace
from jixiao.model.project import (
    FirstLevel,
    Indicator,
    Kind,
    Project,
    TargetFunds,
    model_keys,
)
from jixiao.model.vocab import FormKind
from jixiao.render import Renderer
from jixiao.render.output import relative_path
from jixiao.render.xlsx import put_number, render_xlsx, sheet_name
from render_helpers import SPECS, libreoffice_pdfs

TARGET = SPECS / "闵行区浦江镇人民政府/2026/浦江镇司法所/人民调解.yaml"
SELF_EVAL = SPECS / "吴泾镇人民政府/2023/吴泾镇城市运行管理中心/应急救援-自评.yaml"
# A form the paginator cuts onto two pages (its indicator grid continues, header repeated).
TWO_PAGES = SPECS / "闵行区浦江镇人民政府/2026/浦江镇司法所/法律服务.yaml"
SYMBOLS = "☑☐"  # printed in a fallback font by LibreOffice: extracted apart from their cell
ILLEGAL_IN_SHEET_NAMES = set("[]:*?/\\")


def spec_of(path: Path) -> SpecFile:
    spec = load_workspace([path]).specs[0]
    assert spec.project is not None, spec.diagnostics
    return spec


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def cell_texts(ws: Worksheet) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def shown(value: object, number_format: str) -> str:
    """What a number format such as ``#,##0.00`` shows for ``value`` (the formats jixiao writes)."""
    decimals = len(number_format.split(".")[1]) if "." in number_format else 0
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals))
    return f"{amount:,f}" if "," in number_format else f"{amount:f}"


def fund_amounts(project: Project) -> list[Decimal]:
    """Every amount (a 金额 key) written in the project's funds block, whatever the form."""
    out: list[Decimal] = []

    def walk(obj: object) -> None:
        for attr, k in model_keys(type(obj)):
            value = getattr(obj, attr)
            if k.kind is Kind.MONEY and isinstance(value, Decimal):
                out.append(value)
            elif k.kind is Kind.MODEL and value is not None:
                walk(value)

    if project.funds is not None:
        walk(project.funds)
    return out


def pdf_text(path: Path) -> str:
    """All the text of a PDF, whitespace removed (where lines break is the layout's business)."""
    return "".join("".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


# -- every demo form --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoXlsx:
    out: Path
    code: int
    stderr: str
    projects: tuple[Project, ...]

    def path(self, project: Project) -> Path:
        rel = relative_path(project)
        return self.out / rel.with_name(f"{rel.name}.xlsx")


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory: pytest.TempPathFactory) -> DemoXlsx:
    """``jixiao render specs/ --format xlsx``, once for this file."""
    out = tmp_path_factory.mktemp("demo-xlsx")
    projects = tuple(s.project for s in load_workspace([SPECS]).specs if s.project is not None)
    code, _, stderr = run_cli("render", SPECS, "--format", "xlsx", "-o", out, "--no-cache")
    return DemoXlsx(out, code, stderr, projects)


def test_every_demo_spec_renders_to_xlsx(demo_xlsx: DemoXlsx) -> None:
    assert demo_xlsx.code == 0, demo_xlsx.stderr
    assert len(demo_xlsx.projects) > 50
    for project in demo_xlsx.projects:
        wb = openpyxl.load_workbook(demo_xlsx.path(project))
        assert len(wb.worksheets) == 1
        ws = wb.worksheets[0]
        assert len(ws.title) <= 31 and not ILLEGAL_IN_SHEET_NAMES & set(ws.title)
        values = set(cell_texts(ws).values())
        assert project.name in values and project.department in values and project.unit in values
        # every fund amount of the form is a number cell that shows it as written
        numbers = {shown(c.value, c.number_format) for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None}
        for amount in fund_amounts(project):
            # as written, grouped, or grouped and padded to two decimals (the variants' 金额样式)
            assert {f"{amount:,f}", f"{amount:f}", f"{amount:,.2f}"} & numbers, (project.name, amount)
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"], "no formulas in a form"
        _check_print_setup(ws)


def _check_print_setup(ws: Worksheet) -> None:
    setup = ws.page_setup
    assert setup.paperSize == int(ws.PAPERSIZE_A4) and setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    margins = ws.page_margins
    assert round(margins.left * 25.4, 1) == round(margins.right * 25.4, 1) == 18.0  # print.css
    assert round(margins.top * 25.4, 1) == round(margins.bottom * 25.4, 1) == 20.0


def test_target_form_cells_merges_and_formats() -> None:
    spec = spec_of(TARGET)
    project = spec.project
    assert project is not None and isinstance(project.funds, TargetFunds)
    ws = workbook(render_xlsx(Renderer().grid(spec))).worksheets[0]
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = ws.max_column
    letter = openpyxl.utils.get_column_letter(last)
    assert {f"A1:{letter}1", f"A2:{letter}2"} <= merged  # title and year line across the form
    assert ws["A1"].value == "财政项目支出绩效目标表" and ws["A2"].value == f"（{project.year}年度）"
    assert ws["A1"].font.b and ws["A1"].font.name == "Noto Serif CJK SC"
    # the side labels span their blocks: 项目资金 its four rows, 绩效指标 header and indicators
    side = {ws.cell(row=r.min_row, column=r.min_col).value: r for r in ws.merged_cells.ranges if r.min_col == 1}
    assert side["项目资金\n（万元）"].size["rows"] == 4
    indicator_rows = sum(max(1, len(child.indicators)) for level in project.indicators for child in level.children)
    assert side["绩效指标"].size["rows"] == 1 + indicator_rows
    # every cell of the table has thin rules on all four sides; a merged range on its edges
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=last):
        for c in row:
            if not isinstance(c, MergedCell):
                assert {c.border.left.style, c.border.right.style, c.border.top.style,
                        c.border.bottom.style} == {"thin"}, c.coordinate
    for r in ws.merged_cells.ranges:
        if r.min_row > 2:
            assert ws.cell(row=r.max_row, column=r.min_col).border.bottom.style == "thin", str(r)
            assert ws.cell(row=r.min_row, column=r.max_col).border.right.style == "thin", str(r)
    total = project.funds.project.total if project.funds.project else None
    assert total is not None
    found = [c for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert found and all(c.alignment.horizontal == "right" for c in found)
    assert any(Decimal(str(c.value)) == total and shown(c.value, c.number_format) == f"{total:f}" for c in found)
    # dates and percentages stay text as printed
    assert "2026-1-1" in set(cell_texts(ws).values()) or "2026-01-01" in set(cell_texts(ws).values())
    assert all(isinstance(v, str) for v in cell_texts(ws).values() if isinstance(v, str) and v.endswith("%"))
    # columns are as wide as the A4 text: 174 mm in Excel's character units (7 px at 96 dpi)
    width_mm = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(n)].width for n in range(1, last + 1)) \
        * 7 * 25.4 / 96
    assert abs(width_mm - 174) < 0.5


def test_row_breaks_where_the_paginator_cut(tmp_path: Path) -> None:
    spec = spec_of(TWO_PAGES)
    renderer = Renderer()
    grid = renderer.grid(spec)
    pages = 1 + sum(1 for s in grid.sections if s.new_page)
    assert pages == 2
    ws = workbook(render_xlsx(grid)).worksheets[0]
    assert len(ws.row_breaks.brk) == pages - 1
    row = ws.row_breaks.brk[0].id + 1  # the first row of the second page: the indicator header again
    assert ws.cell(row=row, column=2).value == "一级指标"
    assert ws.cell(row=row, column=1).value == "绩效指标"
    assert not ws.print_title_rows  # the header is on the page already; a print title would repeat it


def test_sheet_names_are_legal_and_unique() -> None:
    assert sheet_name("a[b]c:d*e?f/g\\h", ()) == "a_b_c_d_e_f_g_h"
    long = "上海市闵行区浦江镇人民政府社区党群服务中心标准化规范化建设项目资金奖补"
    assert sheet_name(long, ()) == long[:31]
    assert sheet_name(long, [long[:31]]) == long[:28] + "(2)"
    assert sheet_name("Sheet", ["sheet"]) == "Sheet(2)"  # Excel compares names ignoring case
    assert sheet_name("'引号'", ()) == "引号"
    assert sheet_name("", ()) == "表"
    emoji = "😀" * 20  # outside the BMP: two UTF-16 units each, as Excel counts
    assert len(sheet_name(emoji, ()).encode("utf-16-le")) // 2 <= 31


# -- numbers ----------------------------------------------------------------------------------------

NOISY = ("89.41", "78.9", "809492285.68", "69487864.6", "0.30", "12814895.16", "93.64992")


@pytest.mark.parametrize("text", NOISY)
def test_amounts_are_exact_numbers_without_float_noise(text: str) -> None:
    wb = openpyxl.Workbook()
    value = Decimal(text)
    places = -value.as_tuple().exponent  # type: ignore[operator]
    put_number(wb.active["A1"], value, "0." + "0" * places)  # type: ignore[index]
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert f"<v>{text}</v>" in sheet  # the decimal as written: a float's 16 digits give 78.90000000000001
    cell = workbook(buffer.getvalue()).active["A1"]  # type: ignore[index]
    assert cell.data_type == "n" and Decimal(str(cell.value)) == value
    assert shown(cell.value, cell.number_format) == text


def test_a_form_amount_reads_back_with_its_format() -> None:
    """89.41 (a float prints 89.41000000000001 at 17 digits) as the project's total: the sheet
    holds 89.41, and openpyxl reads a number shown as 89.41."""
    spec = spec_of(TARGET)
    project = spec.project
    assert project is not None and isinstance(project.funds, TargetFunds) and project.funds.project
    funds = replace(project.funds, project=replace(project.funds.project, total=Decimal("89.41")))
    data = render_xlsx(Renderer().grid(replace(spec, project=replace(project, funds=funds))))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>89.41</v>" in sheet and "89.4100000" not in sheet
    cells = [c for row in workbook(data).worksheets[0].iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert [c.number_format for c in cells if c.value == 89.41] == ["0.00"]


def test_two_renders_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    grid = Renderer().grid(spec_of(SELF_EVAL))
    first = render_xlsx(grid)
    assert render_xlsx(grid) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2 and ">jixiao<" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    dated = render_xlsx(grid)
    with zipfile.ZipFile(io.BytesIO(dated)) as z:
        assert z.read("docProps/core.xml").decode().count("2026-01-01T00:00:00Z") == 2


# -- LibreOffice prints the sheet as jixiao prints the form ------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, list[str]]]:
    """For the target, the self-evaluation and the two-page form: (LibreOffice's PDF of the
    XLSX, jixiao's own PDF, the texts of the grid)."""
    out = tmp_path_factory.mktemp("xlsx-lo")
    renderer = Renderer()
    made: dict[str, tuple[Path, Path, list[str]]] = {}
    for name, path in (("target", TARGET), ("selfeval", SELF_EVAL), ("pages", TWO_PAGES)):
        grid = renderer.grid(spec_of(path))
        (out / f"{name}.xlsx").write_bytes(render_xlsx(grid))
        (out / f"{name}-jixiao.pdf").write_bytes(renderer.pdf_bytes(renderer.html.page_html(grid)))
        made[name] = (out / f"{name}.pdf", out / f"{name}-jixiao.pdf", [t for t, _ in grid.texts()])
    libreoffice_pdfs([out / f"{name}.xlsx" for name in made], out)
    return made


@pytest.mark.parametrize("name", ["target", "selfeval", "pages"])
def test_libreoffice_prints_the_text_of_jixiaos_pdf(printed: dict[str, tuple[Path, Path, list[str]]],
                                                      name: str) -> None:
    """Same characters, the same number of times, and every cell's text in one piece in both.

    Legitimate differences, left out by the comparison: where lines break inside a cell
    (Calc breaks Chinese text anywhere, the HTML between words: whitespace is removed), and
    the order in which cells are drawn (Calc draws wrapped and merged cells after the
    others, so the PDFs' text streams are permutations of the same cells); ☑ ☐ are drawn
    by LibreOffice in a fallback font, apart from their cell's text, so they are compared
    by count only.
    """
    calc, ours, texts = printed[name]
    a, b = pdf_text(calc), pdf_text(ours)
    assert Counter(a) == Counter(b)
    plain_a, plain_b = (re.sub(f"[{SYMBOLS}]", "", t) for t in (a, b))
    for text in texts:
        piece = re.sub(f"[{SYMBOLS}\\s]", "", text)
        assert piece in plain_a and piece in plain_b, piece
    assert len(pypdf.PdfReader(calc).pages) == len(pypdf.PdfReader(ours).pages)


# -- the disclosure workbook -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def disclosures() -> list[tuple[object, bytes]]:
    renderer = Renderer()
    workspace = load_workspace([SPECS])
    documents = plan(workspace)
    # the smallest of each phase: every sheet of it is read back below
    chosen = [min((d for d in documents if d.phase == phase), key=lambda d: len(d.specs))
              for phase in {d.phase for d in documents}]
    return [(d, disclosure_xlsx(d, renderer)) for d in chosen]


def test_disclosure_workbook_sheets(disclosures: list[tuple[object, bytes]]) -> None:
    for d, data in disclosures:
        wb = workbook(data)
        names = wb.sheetnames
        assert names[0] == SUMMARY_SHEET
        assert len(names) == 1 + len(d.specs)  # type: ignore[attr-defined]
        assert len({n.casefold() for n in names}) == len(names)
        assert all(len(n) <= 31 and not ILLEGAL_IN_SHEET_NAMES & set(n) for n in names)
        for ws, spec in zip(wb.worksheets[1:], d.specs, strict=True):  # type: ignore[attr-defined]
            assert spec.project.name in set(cell_texts(ws).values())
            assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
        _check_summary(wb[SUMMARY_SHEET], d)
        assert wb.calculation.fullCalcOnLoad  # no result is stored with the SUM: computed on opening


def test_disclosure_workbook_is_deterministic(disclosures: list[tuple[object, bytes]]) -> None:
    d, data = disclosures[0]
    assert disclosure_xlsx(d, Renderer()) == data  # type: ignore[arg-type]


def _check_summary(ws: Worksheet, d: object) -> None:
    summary = d.summary  # type: ignore[attr-defined]
    rows = summary.rows
    first, total_row = 4, 4 + len(rows)
    assert [ws.cell(row=3, column=c).value for c in range(1, 4)] == ["序号", "实施单位", "项目名称"]
    for n, row in enumerate(rows):
        assert ws.cell(row=first + n, column=3).value == row.name
    for k, heading in enumerate(summary.headings):
        col = 4 + k
        assert ws.cell(row=3, column=col).value == heading
        if summary.decimals[k] is None:
            continue
        letter = openpyxl.utils.get_column_letter(col)
        total = ws.cell(row=total_row, column=col)
        assert total.value == f"=SUM({letter}{first}:{letter}{total_row - 1})"
        assert total.number_format.endswith("." + "0" * summary.decimals[k])
        column = [Decimal(str(ws.cell(row=first + n, column=col).value)) for n in range(len(rows))]
        assert sum(column) == summary.totals[k]  # the figures add up to jixiao's exact total
    assert ws.print_title_rows and ws.freeze_panes == "A4"
    _check_print_setup(ws)


def test_libreoffice_computes_the_summary_totals(disclosures: list[tuple[object, bytes]],
                                                 tmp_path: Path) -> None:
    """openpyxl stores the SUM without its result; LibreOffice computes it on opening and
    prints jixiao's exact total."""
    from jixiao.bundle.html_pdf import summary_formatter

    d, data = disclosures[0]
    (tmp_path / "bundle.xlsx").write_bytes(data)
    pdf = libreoffice_pdfs([tmp_path / "bundle.xlsx"], tmp_path)[0]
    first_page = "".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
    summary = d.summary  # type: ignore[attr-defined]
    fmt = summary_formatter(summary)
    for k, total in enumerate(summary.totals):
        if summary.decimals[k] is not None:
            assert fmt(total, k) in first_page
    assert len(pypdf.PdfReader(pdf).pages) >= 1 + len(d.specs)  # type: ignore[attr-defined]


# -- the flat export ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported() -> tuple[list[Project], openpyxl.Workbook, bytes]:
    specs = load_workspace([SPECS]).specs
    data, unexported = export_xlsx(specs)
    assert unexported == []
    return [s.project for s in specs if s.project is not None], workbook(data), data


def _rows(ws: Worksheet) -> Iterator[dict[str, object]]:
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        yield {str(h): c for h, c in zip(header, row, strict=True)}


def test_export_project_sheet(exported: tuple[list[Project], openpyxl.Workbook, bytes]) -> None:
    projects, wb, _ = exported
    assert wb.sheetnames == ["项目", "绩效指标"]
    ws = wb["项目"]
    header = [c.value for c in ws[1]]
    assert header[0] == "项目编号" and "绩效指标" not in header
    for name in ("表格", "年度", "项目名称", "主管部门", "实施单位", "计划开始日期", "项目资金.单位",
                 "项目资金.项目资金总额.合计", "项目资金.年度资金总额.年初预算数", "项目总目标.起止年度",
                 "项目总目标.内容", "年度总体目标"):
        assert name in header, name
    assert header.index("项目资金.项目资金总额.合计") < header.index("项目资金.年度资金总额.年初预算数")
    assert header.index("项目名称") < header.index("项目资金.单位") < header.index("年度总体目标")
    assert len(header) == len(set(header))
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{1 + len(projects)}"
    assert ws.freeze_panes == "A2"
    for n, (project, row) in enumerate(zip(projects, _rows(ws), strict=True), 1):
        assert row["项目编号"].value == n  # type: ignore[attr-defined]
        assert row["项目名称"].value == project.name  # type: ignore[attr-defined]
        assert row["表格"].value == project.form.value  # type: ignore[attr-defined]
        assert row["年度"].value == str(project.year)  # type: ignore[attr-defined]
        funds = project.funds
        if isinstance(funds, TargetFunds) and funds.project and funds.project.total is not None:
            cell = row["项目资金.项目资金总额.合计"]
            assert cell.data_type == "n"  # type: ignore[attr-defined]
            assert shown(cell.value, cell.number_format) == f"{funds.project.total:f}"  # type: ignore[attr-defined]
            assert row["项目资金.年度资金总额.年初预算数"].value is None  # type: ignore[attr-defined]
        if project.start is not None:
            assert row["计划开始日期"].value == project.start.isoformat()  # type: ignore[attr-defined]
        if project.form is FormKind.SELF_EVAL:
            assert row["项目总目标.内容"].value is None  # type: ignore[attr-defined]


def test_export_indicator_sheet(exported: tuple[list[Project], openpyxl.Workbook, bytes]) -> None:
    projects, wb, _ = exported
    ws = wb["绩效指标"]
    header = [c.value for c in ws[1]]
    keys = [k.name for _, k in model_keys(Indicator)]
    assert header == ["项目编号", "项目名称", "一级指标", "二级指标", *keys]
    rows = list(_rows(ws))
    expected = [(n, project.name, level, child.name, ind)
                for n, project in enumerate(projects, 1) for level, child, ind in _expected_lines(project.indicators)]
    assert len(rows) == len(expected)
    for row, (n, name, level, level2, ind) in zip(rows, expected, strict=True):
        assert (row["项目编号"].value, row["项目名称"].value, row["一级指标"].value) == (n, name, level)  # type: ignore[attr-defined]
        assert (row["二级指标"].value or "") == level2  # type: ignore[attr-defined]
        if ind is None:
            assert row["三级指标"].value is None  # type: ignore[attr-defined]
            continue
        assert row["三级指标"].value == ind.name and (row["年度指标值"].value or "") == ind.target  # type: ignore[attr-defined]
        if ind.weight is not None:
            cell = row["分值"]
            assert cell.data_type == "n" and shown(cell.value, cell.number_format) == f"{ind.weight:f}"  # type: ignore[attr-defined]
    assert ws.auto_filter.ref and ws.freeze_panes == "A2"


@dataclass(frozen=True)
class _Named:
    name: str


def _expected_lines(levels: tuple[FirstLevel, ...]) -> Iterator[tuple[str, _Named, Indicator | None]]:
    for level in levels:
        if not level.children:
            yield level.name, _Named(""), None
        for child in level.children:
            if child.placeholder or not child.indicators:
                yield level.name, _Named(child.name), None
            for ind in child.indicators:
                yield level.name, _Named(child.name), ind


def test_export_is_deterministic(exported: tuple[list[Project], openpyxl.Workbook, bytes]) -> None:
    _, _, data = exported
    again, _ = export_xlsx(load_workspace([SPECS]).specs)
    assert again == data
