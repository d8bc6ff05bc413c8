"""``jixiao render``: the demo workspace, the HTML grid, options, output paths, templates, doctor.

The whole demo workspace is rendered once per test run (conftest's ``demo``); the PDF side of
that output is tested in ``test_render_pdf.py``, the DOCX side in ``test_docx.py``. Smaller
workspaces are written per test with conftest's ``write_specs`` and rendered as HTML only
unless the test is about PDFs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, SEED_003_L134, replace_once, run_cli
from jixiao.model.vocab import TARGET_CATEGORIES, FormKind
from render_helpers import (
    CHECKED,
    TEMPLATES,
    UNCHECKED,
    DemoRender,
    cells_in_order,
    expected_relative,
    expected_sequence,
    files_under,
    pdftotext,
    read_html,
    squash,
)

ANBAO = ("平安建设办公室", "安保经费")  # seed 003 L209–228, variant A
ZONGZHI = ("淞南镇城市运行管理中心", "综治中心事务")  # seed 002 L38–55, variant D
QUANDAO = ("信访办", "劝导队经费")  # seed 003 L147–160, variant B
RENKOU = ("平安办", "人口工作")  # 吴泾镇, variant A, 20 indicator rows: longer than a page keeps whole


def html_of(demo: DemoRender, where: tuple[str, str]):
    _, project = demo.find(*where)
    return read_html(demo.path(project, "html"))


def workspace(write_specs, **specs: str) -> Path:
    """``d/_defaults.yaml`` (浦江镇, 2026, 绩效目标表, 万元) plus ``d/<name>.yaml`` for each spec."""
    return write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, **{f"d/{k}.yaml": v for k, v in specs.items()}})


def named(name: str, text: str = CLEAN_TARGET) -> str:
    """CLEAN_TARGET with another 项目名称 (quoted as a YAML string)."""
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\x01", "\\x01").replace("\t", "\\t") + '"'
    return replace_once(text, "项目名称: 事业编残保金", f"项目名称: {quoted}")


# -- the demo workspace ------------------------------------------------------------------------------


def test_every_demo_spec_renders_to_html_pdf_and_docx(demo: DemoRender) -> None:
    assert (demo.code, demo.stderr) == (0, "")
    # 74 transcribed from the seeds; examples of the cycle: 8 + 4 year-end self-evaluations, 7 monitoring forms
    assert len(demo.projects) == 93
    expected = sorted(expected_relative(p).with_name(f"{expected_relative(p).name}.{ext}")
                      for _, p in demo.projects for ext in ("html", "pdf", "docx"))
    assert files_under(demo.out) == expected
    assert demo.stdout.endswith("共生成 279 个文件（93 个项目）。\n")
    assert {p.effective_variant for _, p in demo.projects} == {"A", "B", "D", "M"}


def test_every_demo_table_is_rectangular(demo: DemoRender) -> None:
    """Rows plus the cells spanning into them fill exactly the <col>s of their table."""
    for _, project in demo.projects:
        doc = read_html(demo.path(project, "html"))
        classes = [t.classes for t in doc.tables]
        # the indicator grid goes on on a new page as many times as the layout breaks it
        assert classes[:4] == [{"grid", n} for n in ("header", "funds", "goals", "indicators")]
        assert all(c == {"grid", "indicators", "newpage"} for c in classes[4:])
        for table in doc.tables:
            assert table.cols and all(re.fullmatch(r"width: [\d.]+%", c) for c in table.cols)
            assert abs(sum(float(re.findall(r"[\d.]+", c)[0]) for c in table.cols) - 100) < 0.1
            table.grid()


def test_every_demo_html_shows_every_field_amount_and_indicator_in_order(demo: DemoRender) -> None:
    for _, project in demo.projects:
        doc = read_html(demo.path(project, "html"))
        assert cells_in_order(doc.printed(), expected_sequence(project)) == [], project.name


def test_html_is_one_accessible_self_contained_file(demo: DemoRender) -> None:
    for _, project in demo.projects:
        path = demo.path(project, "html")
        raw = path.read_text(encoding="utf-8")
        doc = read_html(path)
        assert doc.lang == "zh-CN"
        assert ("meta", {"charset": "utf-8"}) in doc.tags
        tags = [t for t, _ in doc.tags]
        assert tags.count("style") == 1 and "@page" in doc.styles[0]
        assert not {"link", "script", "img", "iframe", "object", "embed", "base"} & set(tags)
        assert not [(t, a) for t, a in doc.tags if {"src", "href", "srcset"} & set(a)]
        assert "url(" not in raw and "@import" not in raw and "http" not in raw.replace("http-equiv", "")
        ths = [c for table in doc.tables for c in table.cells() if c.tag == "th"]
        assert ths and all(c.attrs.get("scope") in {"row", "col", "rowgroup", "colgroup"} for c in ths)
        # the indicator header: the side label 绩效指标 heads the rows, the others their columns
        head = [c for c in doc.parts("indicators")[0].rows[0].cells if c.tag == "th"]
        assert [c.attrs["scope"] for c in head] == ["row"] + ["col"] * (len(head) - 1)
        assert doc.title == f"{project.name} {project.form.title}（{project.year}年度）"
        assert doc.metas["author"] == project.department
        assert doc.h1 == project.form.title and doc.year_line == f"（{project.year}年度）"


def test_anbao_first_and_second_level_cells_span_their_rows(demo: DemoRender) -> None:
    table = html_of(demo, ANBAO).table("indicators")
    assert [squash(c.text) for c in table.rows[0].cells] == ["绩效指标", "一级指标", "二级指标", "三级指标",
                                                             "年度指标值"]
    spans = [(c.text, c.rowspan) for c in table.cells() if c.tag == "th" and c.attrs["scope"] == "row"]
    # 绩效指标 is one cell over the header and all ten indicator rows, centred in it as
    # 项目资金 is in its block (a grid this short is kept on one page)
    assert spans == [("绩效指标", 11), ("产出指标", 5), ("数量指标", 3), ("质量指标", 1), ("时效指标", 1),
                     ("效益指标", 4), ("社会效益指标", 4), ("满意度指标", 1), ("服务对象满意度指标", 1)]
    grid = table.grid()
    column = [[cell.text for cell in row] for row in grid[1:]]
    assert [r[1] for r in column] == ["产出指标"] * 5 + ["效益指标"] * 4 + ["满意度指标"]
    assert [r[2] for r in column[:5]] == ["数量指标"] * 3 + ["质量指标", "时效指标"]
    assert [r[3:] for r in column[:3]] == [["特勤安保岗位数", "360岗"], ["联动执法岗位数", "12岗"],
                                          ["交通辅警岗位数", "52岗"]]
    # one row group: a cell cannot span two
    assert [r.group for r in table.rows] == ["tbody#1"] * 11


def test_long_indicator_grid_goes_on_on_a_new_page_with_its_header_and_continued_labels(
        demo: DemoRender) -> None:
    first, second = html_of(demo, RENKOU).parts("indicators")
    # page 1 holds the 产出 group (8 rows) and the three 经济效益 rows of 效益 under the header
    # block; the rest goes on on page 2 below the header row again, 绩效指标 spanning its rows
    assert [len(first.rows), len(second.rows)] == [1 + 11, 1 + 9]
    heads = [[squash(c.text) for c in t.rows[0].cells] for t in (first, second)]
    assert heads[0] == heads[1] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]
    assert [t.rows[0].cells[0].rowspan for t in (first, second)] == [12, 10]
    # the 效益指标 cell cut by the break: 3 rows on page 1, 7 under 效益指标（续） on page 2
    cut = first.rows[9].cells[0]
    assert (squash(cut.text), cut.rowspan) == ("效益指标", 3)
    assert [squash(c.text) for c in second.rows[1].cells[:2]] == ["效益指标（续）", "社会效益指标"]
    assert [c.rowspan for c in second.rows[1].cells[:2]] == [7, 2]
    assert "newpage" in second.classes and "newpage" not in first.classes


def test_self_evaluation_total_row(demo: DemoRender) -> None:
    table = html_of(demo, ZONGZHI).table("indicators")
    grid = table.grid()
    head = [squash(c.text) for c in grid[0]]
    assert head[:5] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]
    last = [c.text for c in grid[-1]]
    assert last[0] == "总分" and set(last[:6]) == {"总分"}  # one cell over the six label columns
    assert last[head.index("分值")] == "100"
    assert last[head.index("得分")] == "94"
    assert "优" in last[-1]
    # every indicator's 分值 and 得分 sits in its column
    rows = {r[3].text: r for r in grid[1:-1]}
    assert rows["社会治安综合治理能力"][head.index("分值")].text == "10"
    assert rows["社会治安综合治理能力"][head.index("得分")].text == "8"


def test_self_evaluation_funds_block(demo: DemoRender) -> None:
    grid = html_of(demo, ZONGZHI).table("funds").grid()
    head = [squash(c.text) for c in grid[0]]
    total = {h: grid[1][i].text for i, h in enumerate(head)}
    assert squash(grid[1][1].text) == "年度资金总额"
    assert (total["年初预算数"], total["全年预算数"], total["全年执行数"]) == ("500,000.00", "327,298.72",
                                                                        "327,298.72")
    assert (total["分值"], total["执行率"], total["得分"]) == ("10", "100.00%", "10")
    assert [grid[r][head.index("分值")].text for r in (2, 3, 4)] == ["—"] * 3


def test_checkboxes_show_the_category_of_every_target_table(demo: DemoRender) -> None:
    targets = [p for _, p in demo.projects if p.effective_variant == "A"]
    assert len(targets) >= 50
    for project in targets:
        cell = read_html(demo.path(project, "html")).table("header").rows[0].cells[3].text
        assert cell.count(CHECKED) == 1 and cell.count(UNCHECKED) == 2, cell
        for option in TARGET_CATEGORIES:
            mark = CHECKED if option == project.category else UNCHECKED
            assert re.search(rf"{option}\s*{mark}", cell), (project.name, cell)


def test_declaration_table_prints_nature_and_category_as_text(demo: DemoRender) -> None:
    doc = html_of(demo, QUANDAO)
    first = [squash(c.text) for c in doc.table("header").rows[0].cells]
    assert first == ["项目名称", "劝导队经费", "项目性质", "经常性项目", "项目类别", "运转类项目"]
    assert CHECKED not in "".join(doc.cell_texts()) and UNCHECKED not in "".join(doc.cell_texts())
    assert squash(doc.table("indicators").rows[0].cells[-1].text) == "年度(/项目)指标值"


# -- user text is text ------------------------------------------------------------------------------

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_INDICATOR = '"><img src=x onerror=alert(2)>'
LITERAL_ENTITY = "保持&amp;提升 </td></tr></table>"


def test_user_text_is_escaped(write_specs) -> None:
    spec = named(HOSTILE_NAME)
    spec = replace_once(spec, "三级指标: 事业编制人数", f"三级指标: '{HOSTILE_INDICATOR}'")
    spec = replace_once(spec, "年度总体目标: 根据通知要求，当年及时、足额缴纳残疾人就业保障金。",
                        f"年度总体目标: '{LITERAL_ENTITY}'")
    workspace(write_specs, x=spec)
    code, _out, err = run_cli("render", "d", "-o", "out")
    assert code == 0, err
    [html] = [p for p in Path("out").rglob("*.html")]
    doc = read_html(html)
    assert not {"script", "img"} & {t for t, _ in doc.tags}
    assert [t for t, _ in doc.tags].count("table") == 4  # the </table> in the goal closed nothing
    texts = doc.cell_texts()
    assert HOSTILE_NAME in texts and HOSTILE_INDICATOR in texts and LITERAL_ENTITY in texts
    assert doc.title.startswith(HOSTILE_NAME)
    raw = html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "&amp;amp;" in raw
    # and the PDF prints the characters themselves
    [pdf] = [p for p in Path("out").rglob("*.pdf")]
    text = squash(pdftotext(pdf))
    assert squash(HOSTILE_NAME) in text and squash(HOSTILE_INDICATOR) in text and squash(LITERAL_ENTITY) in text


# -- formats -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, suffixes", [("html", {".html"}), ("PDF", {".pdf"}), ("html,pdf,html", {".html", ".pdf"})])
def test_format_option_writes_only_the_chosen_formats(write_specs, fmt: str, suffixes: set[str]) -> None:
    workspace(write_specs, x=CLEAN_TARGET)
    code, _out, err = run_cli("render", "d", "--format", fmt, "-o", "out")
    assert (code, err) == (0, "")
    files = files_under(Path("out"))
    assert {p.suffix for p in files} == suffixes and len(files) == len(suffixes)


@pytest.mark.parametrize("fmt", ["svg", "html,svg", ",", "htm"])
def test_unknown_format_is_a_usage_error(write_specs, fmt: str) -> None:
    workspace(write_specs, x=CLEAN_TARGET)
    code, out, err = run_cli("render", "d", "--format", fmt, "-o", "out")
    assert code == 2
    assert "错误：不支持的格式" in err and "可选 html,pdf,docx" in err
    assert "Traceback" not in err and out == ""
    assert not Path("out").exists()


# -- validation errors and --force -------------------------------------------------------------------


def test_render_refuses_a_spec_with_errors(write_specs) -> None:
    workspace(write_specs, a=CLEAN_TARGET, bad=SEED_003_L134)
    code, out, err = run_cli("render", "d", "-o", "out")
    assert code == 1
    assert "d/bad.yaml:8:9: 错误 [fund-one-year-mismatch]" in err
    assert "d/bad.yaml:12:9: 错误 [fund-annual-sum]" in err
    assert "未生成任何表格" in err and "--force" in err
    assert "已生成" not in out
    assert files_under(Path("out")) == []  # not even the clean spec


def test_force_renders_with_a_warning_and_no_stamp(write_specs) -> None:
    """--force warns on stderr; the document is exactly the one the spec gives with the rules off."""
    rules_off = PUJIANG_DEFAULTS + "规则:\n  fund-one-year-mismatch: 关闭\n  fund-annual-sum: 关闭\n"
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/bad.yaml": SEED_003_L134,
                 "e/_defaults.yaml": rules_off, "e/bad.yaml": SEED_003_L134})
    code, out, err = run_cli("render", "d", "-o", "forced", "--force")
    assert code == 0 and out.count("已生成") == 2
    assert err.startswith("警告：") and "--force" in err and "d/bad.yaml" in err
    code, _out, err = run_cli("render", "e", "-o", "clean")
    assert (code, err) == (0, "")
    forced, clean = files_under(Path("forced")), files_under(Path("clean"))
    assert forced == clean and len(forced) == 2
    for rel in forced:
        assert (Path("forced") / rel).read_bytes() == (Path("clean") / rel).read_bytes(), rel
    html = read_html(Path("forced") / next(r for r in forced if r.suffix == ".html"))
    assert not re.search("错误|警告|草稿|force|强制", "".join(html.body_text))


# -- output paths ------------------------------------------------------------------------------------

UNSAFE_NAMES = ["../../逃逸", "a/b\\c", "..", "C:项目", "名称\x01含控制符\t字符", "CON", "nul.txt", "com1",
                "   ", "项目*?<>|\"名", "长" * 120]
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def test_unsafe_project_names_give_safe_paths_inside_the_output_folder(write_specs) -> None:
    specs = {f"n{i:02d}": named(name).replace("当年及时", f"第{i}号：当年及时") for i, name in enumerate(UNSAFE_NAMES)}
    root = workspace(write_specs, **specs)
    out = root / "deep" / "out"
    code, _stdout, err = run_cli("render", "d", "--format", "html", "-o", out, "--force")
    assert code == 0, err
    files = files_under(out)
    assert len(files) == len(UNSAFE_NAMES)  # one file each: names made safe stay apart (a digest)
    for rel in files:
        full = (out / rel).resolve()
        assert full.is_relative_to(out.resolve())
        assert rel.parts[:3] == ("浦江镇人民政府", "2026", "浦江镇社区党群服务中心"), rel
        name = rel.parts[3]
        assert not re.search(r'[\x00-\x1f\x7f/\\:*?"<>|]', name), name
        assert name not in (".", "..") and not name.startswith(".") and name == name.strip()
        assert name.split(".")[0].upper() not in RESERVED, name
        assert re.search(r"-绩效目标表\.html$", name), name
        assert len(name.encode("utf-8")) <= 255
    # every spec's own text is in one of the files
    seen = "".join(t for rel in files for t in read_html(out / rel).cell_texts())
    assert all(f"第{i}号" in seen for i in range(len(UNSAFE_NAMES)))


def test_unsafe_department_and_unit_stay_inside_the_output_folder(write_specs) -> None:
    spec = replace_once(CLEAN_TARGET, "实施单位: 浦江镇社区党群服务中心", "实施单位: ../../../tmp")
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS.replace("浦江镇人民政府", "'../..'"), "d/x.yaml": spec})
    code, _, err = run_cli("render", "d", "--format", "html", "-o", root / "out", "--force")
    assert code == 0, err
    [rel] = files_under(root / "out")
    assert len(rel.parts) == 4 and ".." not in rel.parts and "." not in rel.parts
    assert (root / "out" / rel).resolve().is_relative_to((root / "out").resolve())


def test_output_paths_are_stable_across_runs(write_specs) -> None:
    specs = {f"n{i}": named(n) for i, n in enumerate(["甲/乙", "CON", "..", "丙"])}
    workspace(write_specs, **specs)
    for out in ("one", "two"):
        code, _, err = run_cli("render", "d", "--format", "html", "-o", out, "--force")
        assert code == 0, err
    assert files_under(Path("one")) == files_under(Path("two"))
    assert len(files_under(Path("one"))) == 4
    for rel in files_under(Path("one")):
        assert (Path("one") / rel).read_bytes() == (Path("two") / rel).read_bytes()


def test_two_specs_with_the_same_path_are_refused_before_anything_is_written(write_specs) -> None:
    """Same 主管部门, 年度, 实施单位, 项目名称 and 表格: one file for two tables. Refused, not suffixed:
    a suffix would depend on what else is rendered, and a later run could overwrite the other table."""
    workspace(write_specs, a=CLEAN_TARGET.replace("当年及时", "版本1：当年及时"),
              b=CLEAN_TARGET.replace("当年及时", "版本2：当年及时"))
    code, _out, err = run_cli("render", "d", "--format", "html", "-o", "out")
    assert code == 1
    assert "d/a.yaml 和 d/b.yaml 会写到同一个文件" in err and "Traceback" not in err
    assert not Path("out").exists()


def test_three_specs_with_the_same_path_are_refused(write_specs) -> None:
    """Same 项目名称 and 实施单位, and the same file name in three folders."""
    files = {"d/_defaults.yaml": PUJIANG_DEFAULTS}
    for n, folder in enumerate(["d", "d/sub1", "d/sub2"], 1):
        files[f"{folder}/x.yaml"] = CLEAN_TARGET.replace("当年及时", f"版本{n}：当年及时")
    write_specs(files)
    code, _out, err = run_cli("render", "d", "--format", "html", "-o", "out")
    assert code == 1 and "会写到同一个文件" in err
    assert not Path("out").exists()


def test_the_path_of_a_spec_does_not_depend_on_what_else_is_rendered(write_specs) -> None:
    """A spec's output path comes from its own project only."""
    workspace(write_specs, a=CLEAN_TARGET.replace("当年及时", "版本1：当年及时"),
              b=CLEAN_TARGET.replace("项目名称: 事业编残保金", "项目名称: 残保金（二）"))
    code, out, err = run_cli("render", "d", "--format", "html", "-o", "both")
    assert code == 0 and out.count("已生成") == 2, err
    code, _out, err = run_cli("render", "d/b.yaml", "--format", "html", "-o", "alone")
    assert code == 0, err
    [alone] = files_under(Path("alone"))
    assert alone in files_under(Path("both"))


# -- template directories ----------------------------------------------------------------------------


@pytest.fixture
def template_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-templates"
    shutil.copytree(TEMPLATES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(replace_once(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")


def test_template_directory_labels_change_the_output(write_specs, template_copy: Path) -> None:
    variant = template_copy / "variants" / "A" / "variant.yaml"
    edit(variant, "  指标值: 年度指标值", "  指标值: 指标目标值")
    edit(variant, "标题: 财政项目支出绩效目标表", "标题: 某区财政项目支出绩效目标表")
    workspace(write_specs, x=CLEAN_TARGET)
    for out, template in (("own", ["--template", template_copy]), ("builtin", [])):
        code, _, err = run_cli("render", "d", "--format", "html", "-o", out, *template)
        assert code == 0, err
    [own] = files_under(Path("own"))
    mine, builtin = read_html(Path("own") / own), read_html(Path("builtin") / own)
    assert squash(mine.table("indicators").rows[0].cells[-1].text) == "指标目标值"
    assert squash(builtin.table("indicators").rows[0].cells[-1].text) == "年度指标值"
    assert mine.h1 == "某区财政项目支出绩效目标表" and builtin.h1 == "财政项目支出绩效目标表"
    assert "年度指标值" not in "".join(mine.cell_texts())


BROKEN_VARIANTS = {
    "unknown enum value": ("表头样式: 勾选项目类别", "表头样式: 勾选", r"variant\.yaml:7:\d+: 错误 .*表头样式"),
    "yaml syntax": ("  指标: [16, 14, 18, 32, 20]", "  指标: [14, 14, 18, 34, 20", r"variant\.yaml:\d+:\d+: 错误 .*YAML"),
    "not a number": ("  表头: [16, 26, 16, 42]", "  表头: [14, 26, abc, 46]", r"variant\.yaml:19:\d+: 错误 .*栏宽"),
    "unknown key": ("指标编号: false", "指标编码: false", r"variant\.yaml:\d+:\d+: 错误 .*指标编码"),
    # five columns in the indicator grid; four widths cannot lay it out
    "wrong number of widths": ("  指标: [16, 14, 18, 32, 20]", "  指标: [14, 14, 18, 34]", r"variant\.yaml.*栏宽"),
}


@pytest.mark.parametrize("case", BROKEN_VARIANTS, ids=list(BROKEN_VARIANTS))
def test_broken_variant_yaml_gives_a_located_chinese_error(write_specs, template_copy: Path, case: str) -> None:
    old, new, message = BROKEN_VARIANTS[case]
    edit(template_copy / "variants" / "A" / "variant.yaml", old, new)
    workspace(write_specs, x=CLEAN_TARGET)
    code, _out, err = run_cli("render", "d", "-o", "out", "--template", template_copy)
    assert code == 1, err
    assert err.startswith("错误：表样「A」") and re.search(message, err), err
    assert "Traceback" not in err and "内部错误" not in err
    assert not Path("out").exists()


def test_broken_table_template_names_the_file_and_line(write_specs, template_copy: Path) -> None:
    table = template_copy / "table.html.j2"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "{% if %}")  # becomes line 21
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace(write_specs, x=CLEAN_TARGET)
    code, _out, err = run_cli("render", "d", "--format", "html", "-o", "out", "--template", template_copy)
    assert code == 1 and err.startswith("错误：")
    assert "Traceback" not in err and "内部错误" not in err
    assert re.search(r"table\.html\.j2\D{0,8}21", err), err
    assert not Path("out").exists()


def test_missing_variant_is_named(write_specs, template_copy: Path) -> None:
    shutil.rmtree(template_copy / "variants" / "A")
    workspace(write_specs, x=CLEAN_TARGET)
    code, _out, err = run_cli("render", "d", "-o", "out", "--template", template_copy)
    assert code == 1
    assert "表样「A」不存在" in err and "B、C、D" in err
    assert not Path("out").exists()


# -- doctor ------------------------------------------------------------------------------------------


def test_doctor_finds_everything_on_this_machine() -> None:
    code, out, err = run_cli("doctor")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    for name in ("WeasyPrint", "HarfBuzz", "中文字体"):
        [line] = [x for x in lines if name in x]
        assert line.startswith("✓"), line
    [fonts] = [x for x in lines if "中文字体" in x]
    assert "CJK" in fonts and re.search(r"\.(ttc|otf|ttf)", fonts)
    assert "libharfbuzz-subset" in "".join(lines)
    assert lines[-1] == "一切就绪。"


def test_demo_self_evaluation_uses_the_self_evaluation_form(demo: DemoRender) -> None:
    selfevals = [p for _, p in demo.projects if p.form is FormKind.SELF_EVAL]
    # 淞南镇 (seed 002), 吴泾镇城运中心 (made with selfeval init), 浦江镇司法所 2025 (examples, years checks)
    assert len(selfevals) == 5 + 8 + 4
    for project in selfevals:
        doc = read_html(demo.path(project, "html"))
        head = [squash(c.text) for c in doc.parts("indicators")[0].rows[0].cells]
        assert head == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                        "偏差原因分析及改进措施"]
        assert doc.h1 == "财政项目支出绩效自评表"


# -- variant C (not in the demo workspace) -----------------------------------------------------------

VARIANT_C = Path(__file__).resolve().parent / "fixtures" / "variant_c"


def test_variant_c_prints_yuan_with_separators_and_nature_as_category(tmp_path: Path) -> None:
    code, _out, err = run_cli("render", VARIANT_C, "--format", "html,pdf", "-o", tmp_path)
    assert (code, err) == (0, "")
    [html] = [p for p in files_under(tmp_path) if p.suffix == ".html"]
    doc = read_html(tmp_path / html)
    assert doc.h1 == "财政项目支出绩效目标申报表" and doc.year_line == "（2023年度）"
    header = [[squash(c.text) for c in r.cells] for r in doc.table("header").rows]
    assert header[0] == ["项目名称", "2040219KJ科技设备购置费", "项目类别", "经常性项目"]
    assert header[1] == ["主管部门", "上海市公安局崇明分局(汇总)", "实施单位", "上海市公安局崇明分局"]
    assert header[2] == ["计划开始日期", "2023-01-01", "计划完成日期", "2023-12-31"]
    funds = [[c.text for c in r.cells] for r in doc.table("funds").rows]
    assert funds[0][0] == "项目资金\n（元）"
    # the decimals as written: 5254900.00 and 0 (金额格式 千分位)
    assert funds[0][2] == funds[0][4] == "5,254,900.00" and funds[3][1] == funds[3][3] == "0"
    goals = [squash(c.text) for c in doc.table("goals").rows[0].cells]
    assert goals == ["项目绩效目标", "项目总目标（2023年-2023年）", "年度总目标"]
    indicators = doc.table("indicators")
    assert squash(indicators.rows[0].cells[-1].text) == "指标目标值"
    values = [r[-1].text for r in indicators.grid()[1:]]
    assert values == ["=94", "=100%", "及时", ">=5%", "提升", "健全", ">85%"]
    [pdf] = [p for p in files_under(tmp_path) if p.suffix == ".pdf"]
    text = squash(pdftotext(tmp_path / pdf))
    assert "5,254,900.00" in text and "指标目标值" in text and ">=5%" in text


def test_variant_c_prints_an_amount_with_the_decimals_it_was_written_with(tmp_path: Path) -> None:
    """5,254,900 (as the bureau's tables print it) stays 5,254,900; the name breaks between
    its words, 崇明分局(汇总) kept whole."""
    specs = tmp_path / "specs"
    shutil.copytree(VARIANT_C, specs)
    spec = specs / "科技设备购置费.yaml"
    text = spec.read_text(encoding="utf-8").replace("合计: 5254900.00", "合计: 5,254,900")
    spec.write_text(text.replace("当年财政拨款: 5254900.00", "当年财政拨款: 5,254,900")
                    .replace("财政资金: 5254900.00", "财政资金: 5,254,900"), encoding="utf-8")
    code, _out, err = run_cli("render", specs, "--format", "html", "-o", tmp_path / "out")
    assert (code, err) == (0, "")
    [html] = [p for p in files_under(tmp_path / "out") if p.suffix == ".html"]
    doc = read_html(tmp_path / "out" / html)
    funds = [[c.text for c in r.cells] for r in doc.table("funds").rows]
    assert funds[0][2] == funds[0][4] == funds[1][1] == funds[1][3] == "5,254,900"
    raw = (tmp_path / "out" / html).read_text(encoding="utf-8")
    assert '<span class="word">崇明分局(汇总)</span>' in raw
