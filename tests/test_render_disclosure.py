"""``jixiao disclose``: one document per department and year (FORMS.md §7, issue 6).

The demo workspace is bundled once per test run in every format (conftest's
``demo_disclosure``); the PDF is read back with pypdf and poppler (contents, bookmarks,
page numbers), the HTML with the standard library's parser (the summary), the DOCX with
python-docx. Smaller workspaces, written
per test, cover what the demo does not hold: projects left out, 元 and 万元 side by
side, the ``-N-`` page style, specs with errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from conftest import (
    CLEAN_TARGET,
    PUJIANG_DEFAULTS,
    SEED_003_L134,
    DemoDisclosure,
    replace_once,
    run_cli,
)
from jixiao.bundle import plan
from jixiao.export import export_document
from jixiao.load.workspace import load_workspace
from jixiao.model.project import Project
from jixiao.model.vocab import FormKind
from render_helpers import SPECS, chromium, files_under, pdftotext, read_html, squash


@dataclass(frozen=True)
class Document:
    folder: str  # under specs/
    title: str  # from its _defaults.yaml (公开标题, or 决算公开标题 for self-evaluations)
    units: int
    projects: int
    year: int
    self_eval: bool = False


# 吴泾镇 files both kinds for 2023 in the same folders: one 预算公开 and one 决算公开 document.
DOCUMENTS = {
    "浦江": Document("闵行区浦江镇人民政府", "闵行区浦江镇人民政府2026年度项目支出绩效目标表", 5, 42, 2026),
    "吴泾": Document("吴泾镇人民政府", "吴泾镇人民政府2023年度项目支出绩效目标表", 2, 27, 2023),
    "吴泾自评": Document("吴泾镇人民政府", "吴泾镇人民政府2023年度项目支出绩效自评表", 1, 8, 2023, self_eval=True),
    "淞南": Document("淞南镇主管单位", "宝山区淞南镇2023年度项目支出绩效自评表", 1, 5, 2023, self_eval=True),
}


@dataclass(frozen=True)
class Bundle:
    folder: str
    pdf: Path
    html: Path
    docx: Path


@pytest.fixture(scope="module")
def bundled(demo_disclosure: DemoDisclosure) -> dict[str, Bundle]:
    out, code, stdout, err = demo_disclosure.out, demo_disclosure.code, demo_disclosure.stdout, demo_disclosure.stderr
    assert (code, err) == (0, "")
    bundles = {}
    for key, d in DOCUMENTS.items():
        # 浦江镇 also has a 2025 folder and other phases: the document is found by its title
        [base] = [p.with_suffix("") for p in (out / d.folder).glob(f"*/{d.title}.pdf")]
        for ext in ("pdf", "docx", "html"):
            assert f"已生成 {base}.{ext}（{d.units} 个单位，{d.projects} 个项目）" in stdout
        bundles[key] = Bundle(d.folder, base.with_suffix(".pdf"), base.with_suffix(".html"),
                              base.with_suffix(".docx"))
    assert len(files_under(out)) == 3 * len(plan(load_workspace([SPECS])))  # every document, every format
    return bundles


def in_document(project: Project, d: Document) -> bool:
    """Whether ``project`` belongs in ``d``: its year (浦江镇 also files 2025) and its kind (the
    self-evaluations, or the targets; monitoring forms have documents of their own)."""
    if project.year != d.year:
        return False
    return project.form is FormKind.SELF_EVAL if d.self_eval else project.form in (FormKind.TARGET,
                                                                                  FormKind.DECLARATION)


def planned(d: Document) -> list[tuple[str, list[str]]]:
    """(实施单位, [项目名称 …]) in the documented order: by spec file path."""
    specs = sorted((s for s in load_workspace([SPECS / d.folder]).specs if s.project and s.project.publish
                    and in_document(s.project, d)), key=lambda s: str(s.path))
    units: dict[str, list[str]] = {}
    for s in specs:
        assert s.project is not None
        units.setdefault(s.project.unit, []).append(s.project.name)
    return list(units.items())


def page_texts(pdf: Path) -> list[str]:
    return [pdftotext(pdf, first=n, last=n, mode="-layout") for n in range(1, len(pypdf.PdfReader(pdf).pages) + 1)]


# A contents line: its name, the dots (text in a document laid out whole, a background in
# one laid out in parts: then only a wide gap in the text), its page number.
_TOC_LINE = re.compile(r"^(.+?)(?:\s*\.{3,}\s*|\s{3,})(\d+)$")


def contents(texts: list[str]) -> list[tuple[str, int]]:
    """(entry, page number) as printed on the contents pages (before the summary)."""
    out = []
    for text in texts[1:]:
        if "共" in text and "个项目" in text:  # the summary page: the contents are over
            break
        for line in text.splitlines():
            if m := _TOC_LINE.match(line.strip()):
                out.append((m[1].strip(), int(m[2])))
    return out


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark, in order."""
    def walk(items: list[object], depth: int) -> Iterator[tuple[int, str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item) + 1  # type: ignore[attr-defined]
    return list(walk(reader.outline, 0))


# -- the PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", DOCUMENTS)
def test_contents_give_the_page_where_each_table_really_starts(bundled: dict[str, Bundle], folder: str) -> None:
    texts = page_texts(bundled[folder].pdf)
    toc = contents(texts)
    units = planned(DOCUMENTS[folder])
    expected = ["项目汇总", *(n for unit, names in units for n in (unit, *names))]
    assert [name for name, _ in toc] == expected
    pages = dict(toc)
    assert "项目汇总" in squash(texts[pages["项目汇总"] - 1])[:10]
    starts = []
    for unit, names in units:
        assert pages[unit] == pages[names[0]]  # a unit starts with its first table
        for name in names:
            page = squash(texts[pages[name] - 1])
            # the page opens with the running header (unit, then project) and the table's title
            head = page[:len(unit) + len(name) + 20]
            assert squash(name) in head and "财政项目支出绩效" in head, (name, head)
            starts.append(pages[name])
    # each table starts on a page of its own, in document order
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


@pytest.mark.parametrize("folder", DOCUMENTS)
def test_bookmarks_are_the_units_and_their_projects(bundled: dict[str, Bundle], folder: str) -> None:
    reader = pypdf.PdfReader(bundled[folder].pdf)
    marks = outline(reader)
    units = planned(DOCUMENTS[folder])
    expected = [(0, "目　录"), (0, "项目汇总"), *((d, n) for unit, names in units
                                                for d, n in ((0, unit), *((1, x) for x in names)))]
    assert [(d, t) for d, t, _ in marks] == expected
    toc = dict(contents(page_texts(bundled[folder].pdf)))
    assert all(page == toc[title] for _, title, page in marks if title in toc)


@pytest.mark.parametrize("folder", DOCUMENTS)
def test_every_page_is_numbered(bundled: dict[str, Bundle], folder: str) -> None:
    texts = page_texts(bundled[folder].pdf)
    total = len(texts)
    assert total >= DOCUMENTS[folder].projects + 3  # cover, contents, summary, a page per table at least
    missing = [n for n, text in enumerate(texts, 1) if f"第 {n} 页 共 {total} 页" not in text]
    assert missing == []


def test_pdf_metadata_and_fonts(bundled: dict[str, Bundle]) -> None:
    for key, d in DOCUMENTS.items():
        meta = pypdf.PdfReader(bundled[key].pdf).metadata
        assert meta is not None and meta.title == d.title and meta.author
        assert "/CreationDate" not in meta


def test_summary_total_is_printed_once_after_the_last_project(bundled: dict[str, Bundle]) -> None:
    """A long summary runs over two pages; 合计 must not sit at the foot of the first one."""
    texts = page_texts(bundled["浦江"].pdf)
    toc = dict(contents(texts))
    first_table = min(page for name, page in toc.items() if name != "项目汇总")
    summary = [squash(t) for t in texts[toc["项目汇总"] - 1:first_table - 1]]
    assert len(summary) == 2  # 42 projects do not fit on one page
    assert [t.count("合计") for t in summary] == [0, 1]
    assert summary[-1].index("鲁汇派出所新址装修工程") < summary[-1].index("合计")


# -- the summary ------------------------------------------------------------------------------------


def exported(d: Document) -> list[dict[str, object]]:
    specs = [s for s in load_workspace([SPECS / d.folder]).specs if s.project is not None and in_document(s.project, d)]
    return export_document(specs)["项目"]  # type: ignore[no-any-return]


def summary_rows(html: Path) -> tuple[list[list[str]], list[str]]:
    table = read_html(html).table("summary-table")
    rows = [[c.text for c in r.cells] for r in table.rows if r.group != "thead"]
    return rows, [c.text for c in table.foot[0].cells]


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@pytest.mark.parametrize("folder", ["浦江", "吴泾"])
def test_planning_summary_totals_are_the_sum_of_the_exported_amounts(bundled: dict[str, Bundle], folder: str) -> None:
    projects = exported(DOCUMENTS[folder])
    rows, foot = summary_rows(bundled[folder].html)
    assert len(rows) == len(projects) == DOCUMENTS[folder].projects
    by_name = {(p["实施单位"], p["项目名称"]): p["项目资金"] for p in projects}
    whole = annual = Decimal(0)
    for _, unit, name, printed_whole, printed_annual in rows:
        funds = by_name[(unit, name)]
        assert isinstance(funds, dict) and funds["单位"] == "万元"
        w, a = Decimal(funds["项目资金总额"]["合计"]), Decimal(funds["年度资金申请总额"]["合计"])
        assert (dec(printed_whole), dec(printed_annual)) == (w, a), name
        whole, annual = whole + w, annual + a
    assert foot[0] == "合计" and (dec(foot[1]), dec(foot[2])) == (whole, annual)
    assert squash(f"{foot[1]}") in squash(pdftotext(bundled[folder].pdf))


@pytest.mark.parametrize("folder", ["浦江", "吴泾", "淞南", "吴泾自评"])
def test_summary_amounts_have_one_number_of_decimals_per_column(bundled: dict[str, Bundle], folder: str) -> None:
    """4.0344 beside 485.00 and 93.64992: every amount of a column is printed with the most
    decimals any of them has (padded with zeros, never rounded), so that right-aligned they
    line up on the decimal point; a heading never breaks inside its bracket."""
    rows, foot = summary_rows(bundled[folder].html)
    amounts = 2  # the first two figure columns are amounts, in every summary
    for column in range(3, 3 + amounts):
        printed = [r[column] for r in rows] + [foot[column - 2]]
        decimals = {len(p.split(".")[1]) if "." in p else 0 for p in printed}
        assert len(decimals) == 1 and decimals.pop() >= 2, (column, printed)
    html = bundled[folder].html.read_text(encoding="utf-8")
    head = html[html.index('<table class="summary-table">'):html.index("</thead>")]
    unit = "元" if folder == "淞南" else "万元"
    assert head.count(f'<span class="word">（{unit}）</span>') == 2
    summary_page = next(t for t in page_texts(bundled[folder].pdf) if "个实施单位" in t)
    assert summary_page.count(f"（{unit}）") == 2, summary_page[:600]


def test_pujiang_summary_prints_the_most_precise_amount_as_written(bundled: dict[str, Bundle]) -> None:
    rows, _foot = summary_rows(bundled["浦江"].html)
    printed = {r[2]: r[3] for r in rows}
    assert printed["劝导队经费"] == "4.03440" and printed["维稳经费"] == "485.00000"
    assert any(p.endswith("64992") for p in printed.values())  # 93.64992, written so


@pytest.mark.parametrize("folder", ["淞南", "吴泾自评"])
def test_self_evaluation_summary(bundled: dict[str, Bundle], folder: str) -> None:
    projects = exported(DOCUMENTS[folder])
    rows, foot = summary_rows(bundled[folder].html)
    assert len(rows) == len(projects) == DOCUMENTS[folder].projects
    by_name = {p["项目名称"]: p for p in projects}
    budget = executed = Decimal(0)
    for _, _, name, b, e, rate, total, grade in rows:
        p = by_name[name]
        funds = p["项目资金"]
        assert isinstance(funds, dict)
        row = funds["年度资金总额"]
        assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d+", b), b  # 元 grouped as the forms print them; 万元 exact
        assert (dec(b), dec(e)) == (Decimal(row["全年预算数"]), Decimal(row["全年执行数"]))
        assert rate == f"{funds['执行率']}%"
        assert total == p["总分"]  # points as written: 96, 99.8 — not 96.00
        assert grade == "优"
        budget, executed = budget + dec(b), executed + dec(e)
    assert (dec(foot[1]), dec(foot[2])) == (budget, executed)
    assert foot[3] == f"{(executed / budget * 100).quantize(Decimal('0.01'))}%"


# -- the HTML and the DOCX --------------------------------------------------------------------------


def test_html_contents_link_to_every_table(bundled: dict[str, Bundle]) -> None:
    doc = read_html(bundled["吴泾"].html)
    links = [a["href"] for tag, a in doc.tags if tag == "a"]
    ids = {a["id"] for _, a in doc.tags if "id" in a}
    assert links and all(h.startswith("#") and h[1:] in ids for h in links)
    assert doc.lang == "zh-CN"
    # one indicator grid per project, some going on on a new page (render/paginate.py)
    assert len([t for t in doc.tables if "indicators" in t.classes and "newpage" not in t.classes]) == 27


def print_in_chromium(html: Path, pdf: Path) -> None:
    """Headless Chromium's "print to PDF" of ``html``: what a reader of the website gets on paper."""
    chromium(pdf.parent, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())


@pytest.mark.parametrize("folder", ["淞南", "吴泾"])
def test_html_printed_from_a_browser_keeps_pages_numbers_and_a_table_per_page(
        bundled: dict[str, Bundle], tmp_path: Path, folder: str) -> None:
    pdf = tmp_path / "chromium.pdf"
    print_in_chromium(bundled[folder].html, pdf)
    reader = pypdf.PdfReader(pdf)
    assert all(abs(float(p.mediabox.width) - 595.3) < 1 and abs(float(p.mediabox.height) - 841.9) < 1
               for p in reader.pages)  # A4 portrait, from the @page rule
    texts = page_texts(pdf)
    total = len(texts)
    assert [n for n, t in enumerate(texts, 1) if not re.search(rf"第\s*{n}\s*页\s*共\s*{total}\s*页", t)] == []
    # Every project's table starts a page, headed by its name, in the documented order.
    firsts = [[line.strip() for line in t.splitlines() if line.strip()][:2] for t in texts]
    starts = [n for name in (p for _unit, names in planned(DOCUMENTS[folder]) for p in names)
              for n, lines in enumerate(firsts, 1) if name in lines]
    assert len(starts) == DOCUMENTS[folder].projects and starts == sorted(set(starts))
    assert starts[0] > 3  # after the cover, contents and summary
    # The indicator header repeats where a table runs onto another page.
    continued = [n for n in range(starts[0] + 1, total + 1) if n not in starts]
    assert [n for n in continued if "三级指标" not in texts[n - 1]] == []


def test_docx_has_a_contents_field_page_numbers_and_a_section_per_table(bundled: dict[str, Bundle]) -> None:
    path = bundled["淞南"].docx
    document = docx.Document(str(path))
    assert len(document.sections) == 1 + 5  # cover, contents and summary; then one per table
    instructions = [t.text.strip() for t in document.element.body.iter(qn("w:instrText"))]
    assert any(i.startswith("TOC") for i in instructions)
    footer = [t.text.strip() for t in document.sections[0].footer._element.iter(qn("w:instrText"))]
    assert footer == ["PAGE", "NUMPAGES"]
    assert document.settings.element.find(qn("w:updateFields")) is not None
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "项目汇总" and headings[1] == "上海市宝山区淞南镇城市运行管理中心"
    summary = document.tables[0]
    last = [c.text for c in summary.rows[-1].cells]
    assert last[0] == "合计" and last[3] == "25,267,119.92"
    right = summary.rows[1].cells[3].paragraphs[0].alignment
    assert right is not None and int(right) == 2  # figures right-aligned, as in the PDF
    grid = [int(g.get(qn("w:w"))) for g in summary._tbl.tblGrid.findall(qn("w:gridCol"))]
    # the grid LibreOffice lays out: 序号 narrow (wide enough for 序号 on one line), amounts wide
    assert grid[0] * 2 < grid[1] and grid[3] > grid[6]


def test_same_input_same_bytes(bundled: dict[str, Bundle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    code, _out, err = run_cli("disclose", SPECS / "淞南镇主管单位", "-o", tmp_path)
    assert (code, err) == (0, "")
    bundle = bundled["淞南"]
    for ours in (bundle.pdf, bundle.docx, bundle.html):
        [again] = [p for p in tmp_path.rglob(f"*{ours.suffix}")]
        assert again.read_bytes() == ours.read_bytes(), ours.suffix


# -- small workspaces -------------------------------------------------------------------------------


def named(name: str, text: str = CLEAN_TARGET) -> str:
    return replace_once(text, "项目名称: 事业编残保金", f"项目名称: {name}")


def in_yuan(text: str) -> str:
    """CLEAN_TARGET with its 20.00 万元 as 123456.78 元."""
    return text.replace("20.00", "123456.78")


def test_projects_not_for_publication_are_left_out_and_listed(write_specs) -> None:
    hidden = named("涉密项目") + "公开: false\n不公开原因: 涉及国家秘密\n"
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET, "d/b.yaml": hidden,
                 "d/c.yaml": named("人才活动")})
    code, out, err = run_cli("disclose", "d", "-o", "out")
    assert (code, err) == (0, "")
    assert "未收录 d/b.yaml：标为不公开（涉及国家秘密）" in out
    assert "（1 个单位，2 个项目）" in out
    [pdf] = Path("out").rglob("*.pdf")
    [html] = Path("out").rglob("*.html")
    [word] = Path("out").rglob("*.docx")
    text = squash(pdftotext(pdf))
    assert "事业编残保金" in text and "人才活动" in text and "涉密项目" not in text
    assert "涉密项目" not in html.read_text(encoding="utf-8")
    document = docx.Document(str(word))
    assert "涉密项目" not in "".join(p.text for p in document.paragraphs)
    assert "涉密项目" not in "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    rows, foot = summary_rows(html)
    assert [r[2] for r in rows] == ["事业编残保金", "人才活动"]
    assert (dec(foot[1]), dec(foot[2])) == (Decimal("40.00"), Decimal("40.00"))


def test_amounts_in_yuan_and_wan_are_converted_exactly(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET,
                 "d/y/_defaults.yaml": "金额单位: 元\n", "d/y/b.yaml": in_yuan(named("元项目"))})
    code, _out, err = run_cli("disclose", "d", "--format", "html", "-o", "out")
    assert (code, err) == (0, "")
    [html] = Path("out").rglob("*.html")
    rows, foot = summary_rows(html)
    assert "金额单位：万元" in html.read_text(encoding="utf-8")
    # one column, one number of decimals: the most any project has (12.345678), padded
    assert {r[2]: (r[3], r[4]) for r in rows} == {"事业编残保金": ("20.000000", "20.000000"),
                                                  "元项目": ("12.345678", "12.345678")}
    assert (foot[1], foot[2]) == ("32.345678", "32.345678")


def test_dash_page_style(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET})
    code, _out, err = run_cli("disclose", "d", "--format", "pdf,docx", "--page-style", "-N-", "-o", "out")
    assert (code, err) == (0, "")
    [pdf] = Path("out").rglob("*.pdf")
    texts = page_texts(pdf)
    assert len(texts) == 4  # cover, contents, summary, the table
    # pdftotext drops the thin spaces of "- 3 -"
    assert all(re.search(rf"(?m)^\s*-\s*{n}\s*-\s*$", t) for n, t in enumerate(texts, 1))
    assert not any(re.search(r"第 \d+ 页", t) for t in texts)
    [word] = Path("out").rglob("*.docx")
    footer = docx.Document(str(word)).sections[0].footer
    assert [t.text for t in footer._element.iter(qn("w:t"))] == ["- ", "1", " -"]


def test_page_style_set_in_the_department_defaults_and_overridden_on_the_command_line(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS + "页码样式: -N-\n", "d/a.yaml": CLEAN_TARGET})
    code, _out, err = run_cli("disclose", "d", "--format", "pdf,docx", "-o", "out")
    assert (code, err) == (0, "")
    [pdf] = Path("out").rglob("*.pdf")
    texts = page_texts(pdf)
    assert all(re.search(rf"(?m)^\s*-\s*{n}\s*-\s*$", t) for n, t in enumerate(texts, 1))
    [word] = Path("out").rglob("*.docx")
    assert [t.text for t in docx.Document(str(word)).sections[0].footer._element.iter(qn("w:t"))] == ["- ", "1", " -"]
    # --page-style wins over the folder's setting.
    code, _out, err = run_cli("disclose", "d", "--format", "pdf", "--page-style", "第N页共M页", "-o", "again")
    assert (code, err) == (0, "")
    [pdf] = Path("again").rglob("*.pdf")
    texts = page_texts(pdf)
    assert len(texts) == 4
    # pdftotext -layout keeps or drops the spaces of "第 1 页 共 4 页" depending on the page
    assert all(re.search(rf"第\s*{n}\s*页\s*共\s*4\s*页", t) for n, t in enumerate(texts, 1)), texts


def test_an_unknown_page_style_in_the_defaults_is_a_located_error(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS + "页码样式: 第N页\n", "d/a.yaml": CLEAN_TARGET})
    code, out, _err = run_cli("check", "d")
    assert code == 1
    assert "d/_defaults.yaml:" in out and "页码样式" in out and "-N-" in out and "第N页共M页" in out


def test_page_styles_are_laid_out_in_every_format() -> None:
    from jixiao.bundle.docx import PAGE_FIELDS
    from jixiao.bundle.html_pdf import PAGE_CONTENT
    from jixiao.model.project import PAGE_STYLES

    assert set(PAGE_CONTENT) == set(PAGE_FIELDS) == set(PAGE_STYLES)


def test_a_spec_with_errors_blocks_the_bundle(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET, "d/bad.yaml": SEED_003_L134})
    code, out, err = run_cli("disclose", "d", "-o", "out")
    assert code == 1
    assert "公开文档不能收录错误的表格" in err and "d/bad.yaml" in err
    assert "已生成" not in out and not Path("out").exists()
