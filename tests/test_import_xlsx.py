"""Import Excel workbooks (.xlsx): forms laid out like the official tables, and the flat workbook.

Every workbook here is made inside the test with openpyxl (or LibreOffice Calc), imported
with :func:`jixiao.importer.import_files` or the CLI, and the specs read back with the
project's own loader: the assertions are about the model a user would get.

* hand-made forms: merged labels, a blank spacer column, numbers stored as text, float
  noise (89.41000000000001) under ``0.00`` and General, dates as date cells, several forms
  on one sheet and on several sheets, a formula with and without its saved result;
* every demo spec → ``render --format xlsx`` → import → equal spec;
* the flat workbook (sheets 项目 and 绩效指标) of ``export --format xlsx`` of every demo spec
  → import → equal specs; and the same layout written by another program, amounts as
  floats with noise;
* a form sheet written by another program (LibreOffice Calc from jixiao's HTML);
* hostile workbooks: a compression bomb, a huge declared range, a huge used range, too
  many shared strings, a DTD, a workbook that is not a zip — each a located refusal.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from conftest import run_cli
from jixiao.export import to_data
from jixiao.importer import import_files, limits
from jixiao.importer.flat import indicator_columns, project_columns
from jixiao.importer.numfmt import shown
from jixiao.load.workspace import SpecFile, load_spec, load_workspace
from jixiao.model.project import Project, TargetFunds
from jixiao.model.vocab import FormKind
from test_import_roundtrip import normalised

ROOT = Path(__file__).resolve().parent.parent

# -- number formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(("stored", "code", "expected"), [
    ("89.41000000000001", "0.00", "89.41"),
    ("89.41000000000001", "General", "89.41"),  # Excel's 15 digits: the float's noise is not shown
    ("0.30000000000000004", "General", "0.3"),
    ("5254900", "#,##0.00", "5,254,900.00"),
    ("2.675", "0.00", "2.68"),  # rounded half up from the decimal text, as Excel shows it
    ("0.85", "0%", "85%"),
    ("1", "0.00%", "100.00%"),
    ("12", '0"万元"', "12万元"),
    ("-1234.5", "#,##0.00_);[Red](#,##0.00)", "(1,234.50)"),
    ("0", '#,##0.00;-#,##0.00;"-"', "-"),
    ("46023", 'yyyy"年"m"月"d"日"', "2026年1月1日"),
    ("46023", "yyyy-mm-dd", "2026-01-01"),
    ("1E-3", "General", "0.001"),
    ("100", "@", "100"),
])
def test_a_number_is_read_as_excel_shows_it(stored: str, code: str, expected: str) -> None:
    assert shown(stored, code) == expected


# -- hand-made forms ------------------------------------------------------------------------------

MERGE = "<"  # this cell belongs to the merged range started to its left
NOISE = 89.41000000000001  # 89.41 as a program that computed it stored it


def _target_form(ws: Worksheet, top: int, name: str, *, spacer: bool = True) -> None:
    """A 绩效目标表 (variant A) from row ``top``: labels in merged ranges, column B left blank
    as a spacer (when ``spacer``), amounts as noisy floats and as text, dates as date cells."""
    rows: list[list[Any]] = [
        ["财政项目支出绩效目标表", MERGE, MERGE, MERGE, MERGE, MERGE, MERGE, MERGE, MERGE],
        ["（2026年度）", MERGE, MERGE, MERGE, MERGE, MERGE, MERGE, MERGE, MERGE],
        ["项目名称", name, MERGE, MERGE, "项目类别", "专项资金 ☐ 经常性项目 ☑ 一次性项目 ☐", MERGE, MERGE, MERGE],
        ["主管部门", "闵行区浦江镇人民政府", MERGE, MERGE, "实施单位", "浦江镇社区事务受理服务中心", MERGE, MERGE, MERGE],
        ["计划开始日期", date(2026, 1, 1), MERGE, MERGE, "计划完成日期", date(2026, 12, 31), MERGE, MERGE, MERGE],
        ["项目资金\n（万元）", "项目资金总额", MERGE, NOISE, "年度资金申请总额", MERGE, "89.41", MERGE, MERGE],
        [None, "其中：财政资金", MERGE, NOISE, "其中：当年财政拨款", MERGE, "  89.41 ", MERGE, MERGE],
        [None, None, None, None, "上年结转资金", MERGE, None, MERGE, MERGE],
        [None, "其他资金", MERGE, None, "其他资金", MERGE, None, MERGE, MERGE],
        ["项目绩效目标", "项目总目标\n（2026年-2026年）", MERGE, MERGE, "年度总体目标", MERGE, MERGE, MERGE, MERGE],
        [None, "建成睦邻点网络", MERGE, MERGE, "1.全年运营睦邻点12个；\n2.提升居民满意度。", MERGE, MERGE, MERGE, MERGE],
        ["绩效指标", "一级指标", "二级指标", "三级指标", MERGE, MERGE, "年度指标值", MERGE, MERGE],
        [None, "产出指标", "数量指标", "指标1：睦邻点数量", MERGE, MERGE, 12, MERGE, MERGE],
        [None, None, None, "指标2：活动场次", MERGE, MERGE, "≥240场", MERGE, MERGE],
        [None, None, "质量指标", "活动覆盖率", MERGE, MERGE, 0.95, MERGE, MERGE],
        [None, "效益指标", "社会效益指标", "邻里互助氛围", MERGE, MERGE, "明显提升", MERGE, MERGE],
        [None, "满意度指标", "服务对象满意度指标", "居民满意度", MERGE, MERGE, "≥90%", MERGE, MERGE],
    ]
    vertical = {(6, 0): 4, (10, 0): 2, (12, 0): 6, (13, 1): 3, (13, 2): 2}  # (row, col) → rows merged down
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            col = c + 1 + (1 if spacer and c >= 1 else 0)  # a blank column B between A and the rest
            if value is MERGE or value is None:
                continue
            cell = ws.cell(top + r, col)
            cell.value = value
            if isinstance(value, date):
                cell.number_format = 'yyyy"年"m"月"d"日"'
            if value is NOISE:
                cell.number_format = "0.00" if r == 5 else "General"
            if value == 0.95:
                cell.number_format = "0%"
            end = c
            while end + 1 < len(row) and row[end + 1] is MERGE:
                end += 1
            down = vertical.get((r + 1, c), 1)
            last_col = end + 1 + (1 if spacer and end >= 1 else 0)
            if end > c or down > 1:
                ws.merge_cells(start_row=top + r, start_column=col, end_row=top + r + down - 1, end_column=last_col)


def _import(path: Path, out: Path) -> tuple[Any, dict[str, SpecFile]]:
    report = import_files([path], out)
    specs = {}
    for r in report.results:
        assert r.path is not None, (r.status, r.error, [m.format() for m in r.remarks])
        spec = load_spec(r.path)
        assert spec.project is not None, [d.format() for d in spec.diagnostics]
        specs[spec.project.name] = spec
    return report, specs


def test_a_hand_made_workbook_imports_as_the_form_says(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "目标表"
    _target_form(first, 1, "社区睦邻点运营经费")
    _target_form(first, 20, "睦邻点二期")  # a second form on the same sheet, after a blank row
    _target_form(book.create_sheet("另一张"), 3, "睦邻点三期", spacer=False)
    source = tmp_path / "手工表.xlsx"
    book.save(source)
    report, specs = _import(source, tmp_path / "ws")
    assert report.failed_files == []
    assert [r.status for r in report.results] == ["clean"] * 3, [[m.format() for m in r.remarks] for r in report.results]
    assert [r.source for r in report.results] == [f"{source} 工作表「目标表」 第1行", f"{source} 工作表「目标表」 第20行",
                                                  f"{source} 工作表「另一张」 第3行"]
    for name in ("社区睦邻点运营经费", "睦邻点二期", "睦邻点三期"):
        project = specs[name].project
        assert isinstance(project, Project) and isinstance(project.funds, TargetFunds)
        assert (project.department, project.unit, project.category) == ("闵行区浦江镇人民政府", "浦江镇社区事务受理服务中心",
                                                                         "经常性项目")
        assert (project.start, project.end) == (date(2026, 1, 1), date(2026, 12, 31))
        funds = project.funds
        assert funds.project is not None and funds.annual is not None
        # Float noise under 0.00 and under General, and text with stray spaces: all 89.41.
        assert (funds.project.total, funds.project.fiscal, funds.annual.total, funds.annual.current) == (
            Decimal("89.41"),) * 4
        assert project.annual_goal == "1.全年运营睦邻点12个；\n2.提升居民满意度。"
        assert project.overall_goal is not None and project.overall_goal.period == (2026, 2026)
        rows = [(l1.name, l2.name, i.name, i.target) for l1 in project.indicators for l2 in l1.children
                for i in l2.indicators]
        assert rows == [("产出指标", "数量指标", "睦邻点数量", "12"), ("产出指标", "数量指标", "活动场次", "≥240场"),
                        ("产出指标", "质量指标", "活动覆盖率", "95%"), ("效益指标", "社会效益指标", "邻里互助氛围", "明显提升"),
                        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%")]
    written = next((tmp_path / "ws").rglob("社区睦邻点运营经费.yaml")).read_text(encoding="utf-8")
    assert "89.41000000000001" not in written and "合计: 89.41" in written
    assert "日期格式: 2026年1月1日" in (tmp_path / "ws" / "闵行区浦江镇人民政府" / "2026" / "_defaults.yaml").read_text(
        encoding="utf-8")


def _set_cached(source: Path, cell: str, cached: str | None) -> None:
    """Give the formula in ``cell`` of the first sheet a saved result (openpyxl writes none)."""
    data = io.BytesIO(source.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml" and cached is not None:
                text = body.decode("utf-8")
                text, n = re.subn(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?', rf"\1<f>\2</f><v>{cached}</v>", text)
                assert n == 1, text[:2000]
                body = text.encode("utf-8")
            zout.writestr(item, body)
    source.write_bytes(out.getvalue())


def test_formulas_are_read_from_their_saved_result_and_never_evaluated(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    _target_form(book.active, 1, "公式表", spacer=False)
    ws = book.active
    ws["D6"] = "=D7+D9"  # the 项目资金总额: a formula whose saved result is read
    ws["D6"].number_format = "0.00"
    ws["G6"] = "=G7+G8+G9"  # 年度资金申请总额: a formula saved without a result
    source = tmp_path / "公式.xlsx"
    book.save(source)
    _set_cached(source, "D6", "89.410000000000011")
    report, specs = _import(source, tmp_path / "ws")
    [result] = report.results
    funds = specs["公式表"].project.funds
    assert isinstance(funds, TargetFunds) and funds.project is not None and funds.annual is not None
    assert funds.project.total == Decimal("89.41")
    assert funds.annual.total is None
    assert result.status == "remarks"
    assert [m.format() for m in result.remarks] == [
        f"{source} 工作表「Sheet」 G6: 「=G7+G8+G9」公式没有保存计算结果；jixiao 不计算公式，这一格按空格导入（请在 Excel 里打开、保存后再导入）"]


# -- the flat workbook (export --format xlsx) ------------------------------------------------------


def _demo_specs() -> list[SpecFile]:
    return [s for s in load_workspace([ROOT / "specs", ROOT / "tests" / "fixtures" / "variant_c"]).specs
            if s.project is not None]


def test_every_demo_form_rendered_as_xlsx_imports_back_equal(tmp_path: Path) -> None:
    from jixiao.render import Renderer

    specs = _demo_specs()
    assert len(specs) >= 82
    assert {s.project.form for s in specs if s.project} == set(FormKind)
    renderer = Renderer()
    for n, spec in enumerate(specs):
        renderer.render(spec, ["xlsx"], tmp_path / "xlsx", Path(f"{n:03d}"))
    files = sorted((tmp_path / "xlsx").rglob("*.xlsx"))
    assert len(files) == len(specs)
    report = import_files(files, tmp_path / "ws")
    assert report.failed_files == []
    assert [r.status for r in report.results] == ["clean"] * len(specs), [
        (r.source, [m.format() for m in r.remarks]) for r in report.results if r.status != "clean"]
    for result in report.results:
        n = int(Path(result.source.split(" ")[0]).stem)
        assert result.path is not None and result.source.startswith(f"{files[n]} 工作表「")
        back, spec = load_spec(result.path), specs[n]
        assert back.project is not None and spec.project is not None
        original = to_data(spec.project)
        assert normalised(to_data(back.project), original) == normalised(original, original)


def test_the_export_workbook_of_every_demo_spec_imports_back_equal(tmp_path: Path) -> None:
    from jixiao.export import export_xlsx, with_last_actuals

    specs = _demo_specs()
    data, unexported = export_xlsx(specs)
    assert unexported == []
    source = tmp_path / "导出.xlsx"
    source.write_bytes(data)
    # What export writes, and so what comes back: the project with 上年实际值 filled in from last
    # year's self-evaluation where the spec leaves it blank.
    filled = with_last_actuals(specs)
    _same_flat(specs, source, tmp_path / "ws", [filled.get(s.display, s.project) for s in specs])


def _same_flat(specs: list[SpecFile], source: Path, out: Path, expected: list[Project | None] | None = None) -> None:
    report = import_files([source], out)
    assert report.failed_files == [] and report.remarks == [], [m.format() for m in report.remarks]
    assert [r.status for r in report.results] == ["clean"] * len(specs)
    projects = expected or [s.project for s in specs]
    for project, result in zip(projects, report.results, strict=True):
        assert project is not None and result.path is not None
        back = load_spec(result.path)
        assert back.project is not None, [d.format() for d in back.diagnostics]
        assert (back.project.form, back.project.name) == (project.form, project.name)
        original = to_data(project)
        assert blank_blocks(normalised(to_data(back.project), original)) == blank_blocks(normalised(original, original))
        assert back.project.all_indicators() == project.all_indicators()  # details too, exactly
        assert back.project.previous == project.previous  # 上年项目: in the flat sheet, not on forms


def flat_workbook(projects: list[Project], path: Path) -> None:
    """The flat layout of ``export --format xlsx`` (docs/import.md), written here from the model's keys:
    amounts as numbers with float noise and a number format of their written decimals."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目"
    columns = list(project_columns())
    sheet.append(["项目编号", *columns])
    grid = book.create_sheet("绩效指标")
    details = list(indicator_columns())
    grid.append(["项目编号", "项目名称", "一级指标", "二级指标", *details])
    for n, project in enumerate(projects, 1):
        data = to_data(project)
        ident = f"P{n:03d}"
        row: list[Any] = [ident]
        for column in columns:
            value: Any = data
            for part in column.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            row.append(value)
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # 「=24个」 is text, never a formula
                amount = re.fullmatch(r"\d+(\.(\d+))?", cell.value)
                if amount and str(sheet.cell(1, cell.column).value).startswith("项目资金."):
                    places = len(amount.group(2) or "")
                    cell.value = float(cell.value) + 1e-12  # the noise of a program that computed it
                    cell.number_format = "0." + "0" * places if places else "0"
        for l1, level in data["绩效指标"].items():
            if level == "无":
                grid.append([ident, project.name, l1, "", ""])
                continue
            for l2, items in level.items():
                if items == "无":
                    grid.append([ident, project.name, l1, l2, ""])
                    continue
                for item in items:
                    grid.append([ident, project.name, l1, l2, *[item.get(k) for k in details]])
                    for cell in grid[grid.max_row]:
                        if isinstance(cell.value, str):
                            cell.data_type = "s"
    book.save(path)


def blank_blocks(data: Any) -> Any:
    """A block of blank cells compares equal to no block: the flat sheet cannot tell them apart."""
    if isinstance(data, dict):
        data = {k: blank_blocks(v) for k, v in data.items()}
        return None if data and all(v is None for v in data.values()) else data
    if isinstance(data, list):
        return [blank_blocks(v) for v in data]
    return data


def test_the_flat_layout_written_by_another_program_imports_back_equal(tmp_path: Path) -> None:
    # The same layout as export writes, but amounts stored as floats with noise (89.41 as
    # 89.41000000000101) under a number format of their decimals, as a program computing them would.
    specs = _demo_specs()
    source = tmp_path / "导出.xlsx"
    flat_workbook([s.project for s in specs if s.project], source)
    _same_flat(specs, source, tmp_path / "ws")


def test_a_flat_column_that_is_not_a_key_is_reported(tmp_path: Path) -> None:
    spec = next(s for s in _demo_specs() if s.project and s.project.name == "110非警务警情分流")
    source = tmp_path / "导出.xlsx"
    assert spec.project is not None
    flat_workbook([spec.project], source)
    book = openpyxl.load_workbook(source)
    sheet = book["项目"]
    sheet.cell(1, sheet.max_column + 1, "联系人")
    sheet.cell(2, sheet.max_column, "张三")
    book.save(source)
    report = import_files([source], tmp_path / "ws")
    assert [r.status for r in report.results] == ["clean"]
    column = openpyxl.utils.get_column_letter(sheet.max_column)
    assert [m.format() for m in report.remarks] == [f"{source} 工作表「项目」 {column}1: 「联系人」不是规格的键，这一列未导入"]


# -- another program's workbook --------------------------------------------------------------------


@pytest.mark.parametrize(("name", "form"), [("劝导队经费", FormKind.DECLARATION),
                                          ("社区矫正安置帮教", FormKind.MONITOR)])
def test_a_form_sheet_saved_by_libreoffice_calc_imports(tmp_path: Path, name: str, form: FormKind) -> None:
    # Calc writes shared strings, styles and merges its own way; 85% is a number under 0%.
    spec = next(s for s in _demo_specs() if s.project and (s.project.name, s.project.form) == (name, form))
    from jixiao.render import Renderer

    Renderer().render(spec, ["html"], tmp_path, Path("表"))
    [html] = list(tmp_path.rglob("*.html"))
    subprocess.run(["soffice", "--headless", "--infilter=HTML (StarCalc)", "--convert-to", "xlsx", "--outdir",
                    str(tmp_path), str(html)], check=True, capture_output=True, timeout=180)
    source = tmp_path / (html.stem + ".xlsx")
    report, specs = _import(source, tmp_path / "ws")
    assert [r.status for r in report.results] == ["clean"], [m.format() for r in report.results for m in r.remarks]
    assert spec.project is not None
    original = to_data(spec.project)
    back = specs[name].project
    assert back is not None and back.form is form
    # Calc's HTML filter reads a line break inside a cell (a goal of several paragraphs) as a
    # space: text is compared without its whitespace, as for a PDF.
    assert unspaced(normalised(to_data(back), original)) == unspaced(normalised(original, original))


def unspaced(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: unspaced(v) for k, v in data.items()}
    if isinstance(data, list):
        return [unspaced(v) for v in data]
    return re.sub(r"\s+", "", data) if isinstance(data, str) else data


# -- hostile workbooks -----------------------------------------------------------------------------


def _workbook_with(tmp_path: Path, sheet_xml: str | bytes, *, shared: int = 0, name: str = "坏.xlsx") -> Path:
    """A minimal workbook whose first sheet is ``sheet_xml`` (and ``shared`` shared strings)."""
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    out = tmp_path / name
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml if isinstance(sheet_xml, bytes) else sheet_xml.encode("utf-8")
            zout.writestr(item, body)
        if shared:
            items = "".join(f"<si><t>文字{n}</t></si>" for n in range(shared))
            zout.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_NS}" count="{shared}">{items}</sst>')
    if shared:  # the workbook must name the part for it to be read
        _add_shared_rel(out)
    return out


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _add_shared_rel(path: Path) -> None:
    data = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item)
            if item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            zout.writestr(item, body)
    path.write_bytes(out.getvalue())


def _sheet(body: str, dimension: str = "A1") -> str:
    return f'<worksheet xmlns="{_NS}"><dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'


def _refusal(path: Path, tmp_path: Path) -> str:
    report = import_files([path], tmp_path / "ws")
    assert report.results == [] and len(report.failed_files) == 1, report.failed_files
    return report.failed_files[0]


def test_a_compression_bomb_is_refused_while_inflating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 4 * 1024 * 1024)
    padding = b" " * (8 * 1024 * 1024)  # 8 MB of blanks: a few KB zipped
    bomb = _workbook_with(tmp_path, _sheet("").encode().replace(b"<sheetData>", b"<sheetData>" + padding))
    assert bomb.stat().st_size < 64 * 1024
    assert _refusal(bomb, tmp_path) == (f"{bomb}：不是可读的 Excel 文档（.xlsx）：xl/worksheets/sheet1.xml 解压后超过上限 "
                                        f"{4 * 1024 * 1024} 字节（可能是压缩炸弹）")


def test_a_huge_declared_range_is_refused(tmp_path: Path) -> None:
    path = _workbook_with(tmp_path, _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
                                           "A1:XFD1048576"))
    assert _refusal(path, tmp_path) == (f"{path} 工作表「Sheet」：工作表的范围 A1:XFD1048576（1048576 行 × 16384 列）"
                                        f"超过上限 {limits.MAX_SHEET_AREA} 格，不像一份绩效表格")


def test_a_huge_used_range_is_refused(tmp_path: Path) -> None:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
    path = _workbook_with(tmp_path, _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' + far))
    assert _refusal(path, tmp_path) == (f"{path} 工作表「Sheet」 XFD1048576：用到的范围（1048576 行 × 16384 列）"
                                        f"超过上限 {limits.MAX_SHEET_AREA} 格，不像一份绩效表格")


def test_too_many_shared_strings_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SHARED_STRINGS", 50)
    path = _workbook_with(tmp_path, _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared=51)
    assert _refusal(path, tmp_path) == (f"{path}：不是可读的 Excel 文档（.xlsx）：共享字符串（xl/sharedStrings.xml）"
                                        "超过上限 50 个，不像一份绩效表格文件")


def test_a_sheet_with_a_dtd_is_refused(tmp_path: Path) -> None:
    doctype = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    path = _workbook_with(tmp_path, doctype + _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'))
    assert "里有 DTD（<!DOCTYPE>），Excel 不会写，不能导入" in _refusal(path, tmp_path)


def test_a_broken_cell_reference_is_located(tmp_path: Path) -> None:
    path = _workbook_with(tmp_path, _sheet('<row r="3"><c r="B7" t="inlineStr"><is><t>x</t></is></c></row>'))
    assert _refusal(path, tmp_path) == f"{path} 工作表「Sheet」 第3行：单元格地址「B7」不对；文件可能已损坏"


# -- files that are not what they say, and types jixiao does not read --------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.mark.parametrize(("name", "content", "message"), [
    ("旧表.xls", OLE, "不支持的文件类型：.xls；请用 Excel 或 WPS 另存为 .xlsx"),
    ("旧表.et", OLE, "不支持的文件类型：.et；请用 WPS 表格另存为 .xlsx"),
    ("旧文档.doc", OLE, "不支持的文件类型：.doc；请用 Word 或 WPS 另存为 .docx"),
    ("旧文档.wps", OLE, "不支持的文件类型：.wps；请用 WPS 文字另存为 .docx"),
    ("网页导出.xls", b"<html><table><tr><td>1</td></tr></table></html>",
     "不支持的文件类型：.xls；请用 Excel 或 WPS 另存为 .xlsx"),
    ("表.csv", "项目名称,金额\n".encode(), "不支持的文件类型：.csv；请另存为 .xlsx，或存为制表符分隔的 .txt"),
    ("扫描.png", PNG, "是图片，不是表格文件；jixiao 不识别图片里的文字；请先用 OCR 工具（如 WPS、Adobe Acrobat 或 ocrmypdf）"
                    "转成带文字的 PDF 或 Word 文档再导入"),
    ("表.xlsx", b"not a zip", "不是可读的 Excel 文档（.xlsx）：不是 zip 压缩包；文件可能已损坏，或是改了扩展名的其他文件"
                             "（旧版 .xls 请另存为 .xlsx）"),
    ("表.xlsx", OLE, "扩展名是 .xlsx，内容却是旧版 Excel（.xls）的格式，或是加了密码的工作簿；请用 Excel 或 WPS 取消密码、另存为 .xlsx"),
    ("表.pdf", "财政项目支出绩效目标表\n".encode(), "不是 PDF 文件（开头没有 %PDF- 标记）；文件可能已损坏，或不是真正的 PDF"),
])
def test_unsupported_and_mislabelled_files_are_refused_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   name: str, content: bytes, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(content)
    code, stdout, stderr = run_cli("import", name, "-o", "ws")
    assert (code, stderr) == (1, "")
    assert stdout.splitlines() == [
        f"失败 {name}：{message}",
        "",
        "找到 0 张表：0 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖；1 个文件无法导入。",
    ]
    assert not Path("ws").exists()


def test_a_folder_is_searched_for_workbooks_and_pdfs(tmp_path: Path) -> None:
    from jixiao.importer import IMPORT_SUFFIXES

    assert {".xlsx", ".pdf"} <= set(IMPORT_SUFFIXES)
    book = openpyxl.Workbook()
    _target_form(book.active, 1, "目录里的表")
    (tmp_path / "in").mkdir()
    book.save(tmp_path / "in" / "a.xlsx")
    code, stdout, _ = run_cli("import", str(tmp_path / "in"), "-o", str(tmp_path / "ws"))
    assert code == 0 and stdout.splitlines()[-1] == "找到 1 张表：1 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖。"

