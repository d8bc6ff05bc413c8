"""DOCX output: real Word files, opened with python-docx and converted by LibreOffice."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import run_cli
from jixiao.load.workspace import SpecFile, load_workspace
from jixiao.render import Renderer
from jixiao.render.docx_common import CJK_FONT
from jixiao.render.docx_shell import build_shell
from jixiao.render.grid import Grid, Section
from jixiao.render.variant import BUILTIN_TEMPLATES, load_variant
from render_helpers import DemoRender, find_frame, ink_share, libreoffice_pdfs, rasterise

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
PUJIANG = SPECS / "闵行区浦江镇人民政府" / "2026"
ANBAO = PUJIANG / "闵行区浦江镇平安建设办公室" / "安保经费.yaml"
QUANDAO = PUJIANG / "浦江镇信访办" / "劝导队经费.yaml"
SONGNAN = SPECS / "淞南镇主管单位" / "2023" / "上海市宝山区淞南镇城市运行管理中心"
ZONGZHI = SONGNAN / "综治中心事务.yaml"
PINGAN = SONGNAN / "平安办工作经费.yaml"


@pytest.fixture(scope="module")
def rendered(demo: DemoRender) -> dict[str, Path]:
    """Every demo spec's DOCX (from the test run's one render of the demo), keyed by spec file path."""
    return {str(Path(spec).resolve()): demo.path(project, "docx") for spec, project in demo.projects}


def doc_of(rendered: dict[str, Path], spec: Path) -> docx.document.Document:
    return docx.Document(str(rendered[str(spec.resolve())]))


@dataclass
class XCell:
    text: str
    col: int
    span: int
    vmerge: str | None  # "restart", "continue" or None


def grid_of(table: docx.table.Table) -> list[list[XCell]]:
    rows = []
    for tr in table._tbl.findall(qn("w:tr")):
        col, cells = 0, []
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
            vm_el = pr.find(qn("w:vMerge")) if pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vmerge = None if vm_el is None else (vm_el.get(qn("w:val")) or "continue")
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p")))
            cells.append(XCell(text, col, span, vmerge))
            col += span
        rows.append(cells)
    return rows


def blocks(table: docx.table.Table, sections: tuple[Section, ...] | list[Section]) -> list[list[list[XCell]]]:
    """The rows of a page's one Word table, cut into its sections' rows."""
    rows, out = grid_of(table), []
    for section in sections:
        n = len(section.rows())
        out.append(rows[:n])
        rows = rows[n:]
    assert rows == [], "more rows than the sections have"
    return out


def page_sections(grid: Grid) -> list[list[Section]]:
    """The sections printed on each page: a page begins at each section marked new_page."""
    pages: list[list[Section]] = []
    for section in grid.sections:
        if section.new_page or not pages:
            pages.append([])
        pages[-1].append(section)
    return pages


MM_PER_TWIP = 25.4 / 1440


def column_edges_mm(table: docx.table.Table) -> list[float]:
    """The edges of the table's grid columns (w:gridCol), in mm from its left."""
    edges = [0.0]
    for col in table._tbl.tblGrid.findall(qn("w:gridCol")):
        edges.append(edges[-1] + int(col.get(qn("w:w"))) * MM_PER_TWIP)
    return edges


def extent_mm(table: docx.table.Table, cell: XCell) -> tuple[float, float]:
    edges = column_edges_mm(table)
    return edges[cell.col], edges[cell.col + cell.span]


def section_extent_mm(section: Section, col: int, span: int) -> tuple[float, float]:
    """Where a cell over ``span`` of the section's columns from ``col`` lies across the 174 mm of text."""
    total = sum(section.widths)
    return (174 * sum(section.widths[:col]) / total, 174 * sum(section.widths[:col + span]) / total)


def near(a: tuple[float, float], b: tuple[float, float], tolerance: float = 0.6) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


_GRIDS: dict[Path, Grid] = {}


def grid_for(spec: Path) -> Grid:
    if spec not in _GRIDS:
        _GRIDS[spec] = Renderer().grid(_one_spec(spec))
    return _GRIDS[spec]


def rowspan(rows: list[list[XCell]], text: str) -> int:
    """How many rows the merged cell starting with ``text`` covers."""
    for r, row in enumerate(rows):
        for cell in row:
            if cell.text == text and cell.vmerge == "restart":
                n = 1
                for below in rows[r + 1:]:
                    same = [c for c in below if c.col == cell.col]
                    if not same or same[0].vmerge != "continue":
                        break
                    n += 1
                return n
    raise AssertionError(f"no merged cell {text!r}")


def test_every_demo_spec_renders_to_docx(rendered: dict[str, Path]) -> None:
    assert len(rendered) == len([p for p in SPECS.rglob("*.yaml") if p.name != "_defaults.yaml"])
    renderer = Renderer()
    for spec in load_workspace([SPECS]).specs:
        document = docx.Document(str(rendered[str(spec.path.resolve())]))
        # one table per printed page: header, funds, goals and indicators in the first
        assert len(document.tables) == len(page_sections(renderer.grid(spec))), spec.display
        assert document.paragraphs[0].text.startswith("财政项目支出绩效")


def test_a_form_on_one_page_is_one_table(rendered: dict[str, Path]) -> None:
    grid = grid_for(ANBAO)
    assert not any(section.new_page for section in grid.sections)
    document = doc_of(rendered, ANBAO)
    assert len(document.tables) == 1
    rows = grid_of(document.tables[0])
    assert len(rows) == sum(len(section.rows()) for section in grid.sections)


def test_every_page_table_holds_its_sections_in_their_own_columns(rendered: dict[str, Path]) -> None:
    """For every demo form: each page's table has the rows of its sections, each cell as
    wide as its section's columns (the table's grid is the union of theirs, edges closer
    than half a millimetre made one); every page after the first starts on a new page
    after a spacer paragraph; no cell hides a rule."""
    renderer = Renderer()
    checked = 0
    for spec in load_workspace([SPECS]).specs:
        grid = renderer.grid(spec)
        document = docx.Document(str(rendered[str(spec.path.resolve())]))
        pages = page_sections(grid)
        assert len(document.tables) == len(pages), spec.display
        for n, (table, sections) in enumerate(zip(document.tables, pages, strict=True)):
            widths = [b - a for a, b in itertools.pairwise(column_edges_mm(table))]
            assert min(widths) > 0.2, (spec.display, widths)  # no sliver columns
            assert abs(sum(widths) - 174) < 0.1
            for section, rows in zip(sections, blocks(table, sections), strict=True):
                expected: list[list[tuple[float, float]]] = [[] for _ in rows]
                texts: list[list[str]] = [[] for _ in rows]
                for r, c, cell in section.positions():
                    texts[r].append(cell.text)
                    for k in range(cell.rowspan):
                        expected[r + k].append(section_extent_mm(section, c, cell.colspan))
                for r, row in enumerate(rows):
                    assert [x.text for x in row if x.vmerge != "continue"] == texts[r], (spec.display, r)
                    got = [extent_mm(table, x) for x in row]
                    assert len(got) == len(expected[r]), (spec.display, section.name, r)
                    for a, b in zip(got, sorted(expected[r]), strict=True):
                        assert near(a, b), (spec.display, section.name, r, a, b)
                        checked += 1
            first_p = table._tbl.tr_lst[0].tc_lst[0].find(qn("w:p"))
            breaks = first_p.find(qn("w:pPr")) is not None and first_p.pPr.find(qn("w:pageBreakBefore")) is not None
            assert breaks == (n > 0), (spec.display, n)
            if n:
                spacer = table._tbl.getprevious()
                assert spacer.tag == qn("w:p") and "".join(spacer.itertext()) == ""
        assert not list(document.element.body.iter(qn("w:tcBorders")))
    assert checked > 5000


def test_target_table_cells_and_merges(rendered: dict[str, Path]) -> None:
    document = doc_of(rendered, ANBAO)
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["财政项目支出绩效目标表", "（2026年度）"]
    [table] = document.tables
    header, funds, goals, indicators = blocks(table, grid_for(ANBAO).sections)
    assert [c.text for c in header[0]] == ["项目名称", "安保经费", "项目类别", "专项资金 ☐  经常性项目 ☑  一次性项目 ☐"]
    assert [c.text for c in header[2]] == ["计划开始日期", "2026.01.01", "计划完成日期", "2026.12.31"]
    assert rowspan(funds, "项目资金\n（万元）") == 4
    assert [c.text for c in funds[0]][1:] == ["项目资金总额", "2035.58", "年度资金申请总额", "2035.58"]
    assert rowspan(goals, "项目绩效目标") == 2
    assert [c.text for c in indicators[0]] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]
    assert rowspan(indicators, "产出指标") == 5
    assert rowspan(indicators, "数量指标") == 3
    assert rowspan(indicators, "社会效益指标") == 4
    names = [row[-2].text for row in indicators[1:]]
    assert names[:3] == ["特勤安保岗位数", "联动执法岗位数", "交通辅警岗位数"]


def test_declaration_header_spans_six_columns(rendered: dict[str, Path]) -> None:
    [table] = doc_of(rendered, QUANDAO).tables
    sections = grid_for(QUANDAO).sections
    header, _, _, indicators = blocks(table, sections)
    assert [c.text for c in header[0]] == ["项目名称", "劝导队经费", "项目性质", "经常性项目", "项目类别", "运转类项目"]
    unit = header[1][-1]
    assert unit.text == "浦江镇信访办"
    assert near(extent_mm(table, unit), section_extent_mm(sections[0], 3, 3))  # three of the header's six
    assert indicators[0][-1].text == "年度(/项目)指标值"


def test_self_evaluation_scores_and_spans(rendered: dict[str, Path]) -> None:
    [table] = doc_of(rendered, ZONGZHI).tables
    sections = grid_for(ZONGZHI).sections
    _, funds, _, indicators = blocks(table, sections)
    assert [c.text for c in funds[1]][1:] == ["年度资金总额", "500,000.00", "327,298.72", "327,298.72", "10",
                                              "100.00%", "10"]
    dash = funds[2][-1]
    assert dash.text == "—" and near(extent_mm(table, dash), section_extent_mm(sections[1], 5, 3))
    total = indicators[-1]
    assert [c.text for c in total] == ["总分", "100", "94", "自评等级：优"]
    assert near(extent_mm(table, total[0]), section_extent_mm(sections[3], 0, 6))


def test_header_row_repeats_and_rows_never_split(rendered: dict[str, Path]) -> None:
    # A page's table repeats its first section's head should the page overflow, where that
    # head is a header of its own (not under a side label spanning the whole section);
    # the first page, which starts with the header block, repeats nothing.
    document = doc_of(rendered, PINGAN)
    pages = page_sections(grid_for(PINGAN))
    assert len(document.tables) == len(pages) >= 2
    for n, (table, sections) in enumerate(zip(document.tables, pages, strict=True)):
        repeated = len(sections[0].head) if n and sections[0].repeat_head else 0
        rows = table._tbl.findall(qn("w:tr"))
        for r, tr in enumerate(rows):
            pr = tr.find(qn("w:trPr"))
            assert pr is not None and pr.find(qn("w:cantSplit")) is not None
            is_header = pr.find(qn("w:tblHeader")) is not None
            assert is_header == (r < repeated), (n, r)
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_every_run_is_set_in_a_chinese_face_and_language(rendered: dict[str, Path]) -> None:
    for spec in (ANBAO, ZONGZHI):
        body = doc_of(rendered, spec).element.body
        runs = list(body.iter(qn("w:r")))
        assert len(runs) > 50
        for run in runs:
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            pr = run.find(qn("w:rPr"))
            fonts, lang = pr.find(qn("w:rFonts")), pr.find(qn("w:lang"))
            assert lang.get(qn("w:eastAsia")) == "zh-CN", text
            expected = "Segoe UI Symbol" if text in ("☑", "☐") else CJK_FONT
            assert fonts.get(qn("w:eastAsia")) == expected, text


def test_font_table_names_songti_as_the_alternate(rendered: dict[str, Path]) -> None:
    with zipfile.ZipFile(rendered[str(ANBAO.resolve())]) as archive:
        table = archive.read("word/fontTable.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    assert f'<w:font w:name="{CJK_FONT}"><w:altName w:val="宋体,SimSun"/>' in table
    assert 'w:eastAsia="zh-CN"' in styles and "ja-JP" not in styles


def test_user_text_is_escaped_in_word(tmp_path: Path) -> None:
    spec_dir = tmp_path / "d"
    spec_dir.mkdir()
    text = ANBAO.read_text(encoding="utf-8").replace("项目名称: 安保经费", "项目名称: 安保 <b>&amp; 经费</b>")
    (spec_dir / "x.yaml").write_text(text, encoding="utf-8")
    (spec_dir / "_defaults.yaml").write_text((PUJIANG / "_defaults.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    spec = _one(spec_dir)
    (path,) = Renderer().render(spec, ["docx"], tmp_path / "out", Path("x")).files
    # (a name too long for its cell is broken between its words: a w:br, not in the w:t text)
    assert grid_of(docx.Document(str(path)).tables[0])[0][1].text == "安保 <b>&amp; 经费</b>"


def _one(folder: Path) -> SpecFile:
    (spec,) = load_workspace([folder]).specs
    assert spec.project is not None
    return spec


def test_same_input_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _one_spec(ZONGZHI)
    first = Renderer().render(spec, ["docx"], tmp_path / "a", Path("x")).files[0].read_bytes()
    second = Renderer().render(spec, ["docx"], tmp_path / "b", Path("x")).files[0].read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    assert "<dc:creator>淞南镇主管单位</dc:creator>" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = Renderer().render(spec, ["docx"], tmp_path / "c", Path("x")).files[0].read_bytes()
    with zipfile.ZipFile(io.BytesIO(dated)) as archive:
        assert "2023-11-14T22:13:20Z" in archive.read("docProps/core.xml").decode()


def _one_spec(path: Path) -> SpecFile:
    workspace = load_workspace([path])
    (spec,) = workspace.specs
    return spec


@pytest.mark.parametrize("variant", ["A", "B", "C", "D"])
def test_checked_in_shells_are_what_the_build_script_makes(variant: str) -> None:
    built = build_shell(load_variant(BUILTIN_TEMPLATES, variant))
    assert (BUILTIN_TEMPLATES / "variants" / variant / "shell.docx").read_bytes() == built, \
        "run scripts/build_docx_templates.py"


# -- jixiao templates check ------------------------------------------------------------------------


def _patch_shell(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].decode().replace(old, new).encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, blob in parts.items():
            dst.writestr(name, blob)


def test_templates_check_accepts_the_builtin_templates() -> None:
    code, out, _ = run_cli("templates", "check", str(BUILTIN_TEMPLATES))
    assert code == 0 and "可以使用" in out


def test_templates_check_finds_unknown_variables_and_missing_table(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(BUILTIN_TEMPLATES, mine)
    _patch_shell(mine / "variants" / "A" / "shell.docx", "{{ 年度行 }}", "{{ 项目名 }}")
    _patch_shell(mine / "variants" / "B" / "shell.docx", "{{p 表格 }}", "表格")
    code, out, err = run_cli("templates", "check", str(mine))
    assert code == 1
    assert re.search(r"variants/A/shell\.docx: 错误 \[template-variable\] Word 外壳使用了变量「项目名」，"
                     r"jixiao 不提供；是否想写「项目名称」？", out), out
    assert re.search(r"variants/B/shell\.docx: 错误 \[template-missing-part\] Word 外壳里没有表格占位符", out)
    assert "错误：模板目录有 2 个错误。" in err


def test_a_restyled_shell_is_used(tmp_path: Path) -> None:
    """A user restyles the shell in Word: jixiao renders into it, keeping their changes."""
    mine = tmp_path / "mine"
    shutil.copytree(BUILTIN_TEMPLATES, mine)
    _patch_shell(mine / "variants" / "A" / "shell.docx", "{{ 年度行 }}", "{{ 年度行 }}（{{ 主管部门 }}）")
    (path,) = Renderer(mine).render(_one_spec(ANBAO), ["docx"], tmp_path / "out", Path("x")).files
    assert docx.Document(str(path)).paragraphs[1].text == "（2026年度）（闵行区浦江镇人民政府）"


# -- LibreOffice: the DOCX prints like the PDF -------------------------------------------------------


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("spec_path", [ANBAO, QUANDAO, ZONGZHI, PINGAN], ids=["A", "B", "D", "D-3pages"])
def test_libreoffice_prints_the_docx_like_the_pdf(spec_path: Path, tmp_path: Path) -> None:
    spec = _one_spec(spec_path)
    files = Renderer().render(spec, ["docx", "pdf"], tmp_path, Path("x"))
    docx_path, pdf_path = files.files
    [lo_pdf] = libreoffice_pdfs([docx_path], tmp_path / "lo")
    assert _pages(lo_pdf) == _pages(pdf_path)
    ours, theirs = _pdf_text(pdf_path), _pdf_text(lo_pdf)
    assert spec.project is not None
    # Narrow cells wrap names over lines that interleave with other columns; the first four
    # characters of a name stay together. Each must be found after the previous one: same rows,
    # same order, in both PDFs.
    names = [ind.name[:4] for ind in spec.project.all_indicators()]
    for text in (ours, theirs):
        flat, at = re.sub(r"\s+", "", text), 0
        for name in names:
            found = flat.find(name, at)
            assert found >= 0, (name, flat[at:at + 200])
            at = found + len(name)
    fonts = subprocess.run(["pdffonts", str(lo_pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" not in fonts
    # On paper: every page's table is a closed frame, as in our PDF (a continuation cell
    # of the block column used to drop the bottom rule of the last row, or of a page).
    open_edges = []
    for n in range(1, _pages(lo_pdf) + 1):
        img = rasterise(lo_pdf, n, tmp_path, dpi=60)
        frame = find_frame(img)
        for edge, y in (("top", frame.top), ("bottom", frame.bottom)):
            if (share := ink_share(img, y, frame.left, frame.right)) <= 0.97:
                open_edges.append(f"p.{n} {edge}: {share:.0%}")
    assert open_edges == []


def test_side_label_is_one_cell_over_its_grid(rendered: dict[str, Path]) -> None:
    # 绩效指标 is one merged cell over the header row and every indicator row of its page,
    # centred in it (as 项目资金 is in its block); D's 总分 row runs under it.
    for spec in (ANBAO, ZONGZHI, PINGAN):
        document = doc_of(rendered, spec)
        seen = 0
        for table, sections in zip(document.tables, page_sections(grid_for(spec)), strict=True):
            offset = 0
            for section, rows in zip(sections, blocks(table, sections), strict=True):
                if section.name == "indicators":
                    seen += 1
                    column = [row[0] for row in rows]
                    assert column[0].text == "绩效指标" and column[0].vmerge == "restart", spec
                    under = [c.vmerge for c in column[1:] if c.text != "总分"]
                    assert under == ["continue"] * len(under) and len(under) >= len(rows) - 2, spec
                    first = table._tbl.tr_lst[offset].tc_lst[0]
                    assert first.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center"
                offset += len(rows)
        assert seen == len(document.tables), spec


def test_templates_check_reports_syntax_and_fonts(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(BUILTIN_TEMPLATES, mine)
    page = mine / "page.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ css | safe }}", "{{ css | safe }"),
                    encoding="utf-8")
    css = mine / "print.css"
    css.write_text(re.sub(r"font-family:[^;]+;", 'font-family: "方正小标宋";', css.read_text(encoding="utf-8")),
                   encoding="utf-8")
    code, out, _ = run_cli("templates", "check", str(mine))
    assert code == 1
    assert re.search(r"page\.html\.j2:17:1: 错误 \[template-syntax\] Jinja2 语法错误", out), out
    assert re.search(r"print\.css: 警告 \[template-font\] font-family 中的字体一个也没有安装", out), out


def test_templates_check_warns_of_a_stylesheet_without_the_page_breaks(tmp_path: Path) -> None:
    """A print.css copied before pagination moved into the layout has no rule for the tables
    that start a page: the PDF would break elsewhere than the DOCX."""
    mine = tmp_path / "mine"
    shutil.copytree(BUILTIN_TEMPLATES, mine)
    css = mine / "print.css"
    css.write_text(css.read_text(encoding="utf-8").replace("table.grid.newpage { break-before: page; }", ""),
                   encoding="utf-8")
    code, out, _ = run_cli("templates", "check", str(mine))
    assert code == 0
    assert f"{css}: 警告 [template-page-break] 没有 `table.grid.newpage {{ break-before: page; }}`" in out, out
    assert run_cli("templates", "check", str(BUILTIN_TEMPLATES))[1] == f"模板目录 {BUILTIN_TEMPLATES} 可以使用。\n"
