"""The PDFs: text, page size, fonts, metadata, page breaks, reproducibility, glyph coverage, ink.

Reads the demo workspace rendered once per test run (conftest's ``demo``, shared with
``test_render.py``, ``test_docx.py`` and ``test_import_roundtrip.py``) with poppler's tools and pypdf, and looks at page images as PGM.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, replace_once, run_cli
from jixiao.model.project import Project
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import (
    ROOT,
    DemoRender,
    expected_sequence,
    files_under,
    find_frame,
    find_in_order,
    ink_share,
    longest_run,
    pdffonts,
    pdftotext,
    rasterise,
    read_html,
    squash,
)

A4 = (595.28, 841.89)  # points
EPOCH = 1700000000  # 2023-11-14 22:13:20 UTC
SAMPLES = {  # one PDF per variant of the demo workspace: (part of 实施单位, 项目名称)
    "A": ("平安建设办公室", "安保经费"),
    "B": ("信访办", "劝导队经费"),
    "D": ("淞南镇城市运行管理中心", "综治中心事务"),
}
LONG = ("淞南镇城市运行管理中心", "平安办工作经费")  # seed 002's longest self-evaluation


def pages(pdf: Path) -> int:
    return len(pypdf.PdfReader(pdf).pages)


# -- contents -----------------------------------------------------------------------------------


def test_every_pdf_shows_every_field_amount_and_indicator_in_order(demo: DemoRender) -> None:
    assert demo.code == 0
    for project, pdf in demo.pdfs():
        assert find_in_order(pdftotext(pdf), expected_sequence(project)) == [], project.name


def test_every_pdf_page_is_a4_portrait(demo: DemoRender) -> None:
    for project, pdf in demo.pdfs():
        for page in pypdf.PdfReader(pdf).pages:
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == (595, 842), project.name
            assert abs(float(box.width) - A4[0]) < 0.5 and abs(float(box.height) - A4[1]) < 0.5
            assert page.get("/Rotate", 0) == 0


def test_every_pdf_embeds_subset_fonts_including_a_cjk_font(demo: DemoRender) -> None:
    for project, pdf in demo.pdfs():
        fonts = pdffonts(pdf)
        assert fonts, project.name
        assert all(f.emb and f.sub for f in fonts), (project.name, fonts)
        assert all(f.uni for f in fonts), (project.name, fonts)  # text can be copied and searched
        assert any("CJK" in f.name for f in fonts), (project.name, fonts)
        # a subset font's name carries a six-letter tag: ABCDEF+Noto-Serif-CJK-SC
        assert all(len(f.name) > 7 and f.name[6] == "+" and f.name[:6].isupper() for f in fonts)
    sizes = [pdf.stat().st_size for _, pdf in demo.pdfs()]
    assert max(sizes) < 1_000_000  # subset: a whole CJK font would be over 10 MB


def test_every_pdf_carries_title_author_and_subject(demo: DemoRender) -> None:
    for project, pdf in demo.pdfs():
        meta = pypdf.PdfReader(pdf).metadata
        assert meta is not None
        assert meta.title == f"{project.name} {project.form.title}（{project.year}年度）"
        assert meta.author == project.department
        assert meta.subject and project.name in meta.subject and project.unit in meta.subject
        html = read_html(pdf.with_suffix(".html"))
        assert html.title == meta.title and html.metas["author"] == meta.author


def test_pdf_without_source_date_epoch_carries_no_date(demo: DemoRender) -> None:
    for project, pdf in demo.pdfs():
        meta = pypdf.PdfReader(pdf).metadata
        assert meta is not None and "/CreationDate" not in meta and "/ModDate" not in meta, project.name
        assert "dcterms.created" not in read_html(pdf.with_suffix(".html")).metas


def test_long_table_repeats_the_indicator_header_on_every_page(demo: DemoRender) -> None:
    _, long = demo.find(*LONG)
    assert pages(demo.path(long, "pdf")) >= 2
    multi = [(p, pdf) for p, pdf in demo.pdfs() if pages(pdf) > 1]
    assert len(multi) >= 5
    for project, pdf in multi:
        for n in range(2, pages(pdf) + 1):
            text = pdftotext(pdf, first=n, last=n)
            head = ["绩效指标", "一级指标", "二级指标", "三级指标"]
            assert find_in_order(text, head) == [], (project.name, n)
            # and the page starts with that header, not with a cut-off row
            assert text.replace(" ", "").replace("\n", "").startswith("绩效指标"), (project.name, n, text[:40])


def test_every_indicator_row_has_its_first_and_second_level_labels_on_its_page(demo: DemoRender) -> None:
    """A page break may cut a 一级 or 二级 group between rows: the labels go on on the next
    page (效益指标（续）), so every 三级 is printed on a page that names its 一级 and 二级."""
    orphans, continued = [], 0
    for project, pdf in demo.pdfs():
        count = pages(pdf)
        if count == 1:
            continue
        # each page's indicator grid: from its header row on (a goal may quote an indicator)
        texts = [squash(pdftotext(pdf, first=n, last=n)) for n in range(1, count + 1)]
        texts = [t[t.find("一级指标"):] for t in texts]
        continued += sum(t.count("（续）") for t in texts)
        names = [squash(i.name) for level in project.indicators for c in level.children for i in c.indicators]
        for level in project.indicators:
            for child in level.children:
                for ind in child.indicators:
                    if sum(squash(ind.name) in other for other in names) > 1:
                        continue  # a name inside another (市民满意率 in 市民满意率同比上升情况)
                    on = [n for n, t in enumerate(texts, 1) if squash(ind.name) in t]
                    orphans += [f"{project.name} p.{n}: {ind.name} without {level.name}/{child.name}"
                                for n in on if squash(level.name) not in texts[n - 1]
                                or squash(child.name) not in texts[n - 1]]
    assert orphans == [], "\n".join(orphans)
    assert continued >= 5  # the demo's long tables do break inside groups


# -- reproducible -------------------------------------------------------------------------------


def _sample_specs(demo: DemoRender) -> list[tuple[str, Project]]:
    return [demo.find(*where) for where in SAMPLES.values()] + [demo.find(*LONG)]


def test_identical_input_gives_byte_identical_html_and_pdf(demo: DemoRender, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    samples = _sample_specs(demo)
    code, _out, err = run_cli("render", *(s for s, _ in samples), "-o", tmp_path)
    assert (code, err) == (0, "")
    again = files_under(tmp_path)
    assert len(again) == 2 * len(samples)
    for rel in again:
        assert (tmp_path / rel).read_bytes() == (demo.out / rel).read_bytes(), rel


def test_source_date_epoch_sets_the_date_and_stays_reproducible(demo: DemoRender, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    spec, project = demo.find(*SAMPLES["D"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    # once in this process, once in a fresh one
    code, _, err = run_cli("render", spec, "-o", tmp_path / "one")
    assert (code, err) == (0, "")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "jixiao", "render", spec, "-o", tmp_path / "two"],
                          capture_output=True, text=True, env=env, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    one, two = files_under(tmp_path / "one"), files_under(tmp_path / "two")
    assert one == two and len(one) == 2
    for rel in one:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel
    pdf = tmp_path / "one" / next(r for r in one if r.suffix == ".pdf")
    meta = pypdf.PdfReader(pdf).metadata
    assert meta is not None
    when = datetime.fromtimestamp(EPOCH, tz=UTC)
    assert meta.creation_date == when and meta.modification_date == when
    html = read_html(pdf.with_suffix(".html"))
    assert html.metas["dcterms.created"] == "2023-11-14T22:13:20Z"
    assert pdf.read_bytes() != demo.path(project, "pdf").read_bytes()  # the undated one


# -- glyph coverage -----------------------------------------------------------------------------

GLYPHS = {
    # code point, field as the message names it, how it gets into the spec
    "private use in 项目名称": ("\ue000", "项目名称", ("项目名称: 事业编残保金", "项目名称: 事业编残保金\ue000")),
    "CJK Ext. B in a 三级指标": ("\U00020000", "三级指标「事业编制人数\U00020000」",
                               ("三级指标: 事业编制人数", "三级指标: 事业编制人数\U00020000")),
    "new emoji in 年度总体目标": ("\U0001fae0", "年度总体目标",
                             ("当年及时、足额缴纳", "当年及时\U0001fae0足额缴纳")),
    "private use in 实施单位": ("\uf8ff", "实施单位",
                            ("实施单位: 浦江镇社区党群服务中心", "实施单位: 浦江镇社区党群服务中心\uf8ff")),
}


@pytest.mark.parametrize("case", GLYPHS, ids=list(GLYPHS))
def test_a_character_no_font_covers_stops_the_render(write_specs, case: str) -> None:
    char, field, (old, new) = GLYPHS[case]
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/x.yaml": replace_once(CLEAN_TARGET, old, new)})
    out = root / "out"
    out.mkdir()
    code, stdout, err = run_cli("render", "d", "-o", out)
    assert code == 1
    assert f"U+{ord(char):04X}" in err and f"「{char}」" in err
    assert f"「{field}」" in err and "d/x.yaml" in err
    assert err.startswith("错误：") and "字形" in err
    assert "Traceback" not in err and "内部错误" not in err
    assert "已生成" not in stdout
    assert files_under(out) == []  # nothing, not even a hidden temporary file


def test_a_character_no_font_covers_in_a_later_spec_writes_nothing(write_specs) -> None:
    """The run fails as a whole, as it does for validation errors: no half-done output folder."""
    bad = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", "项目名称: 最后一个\ue000")
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET, "d/z.yaml": bad})
    code, _stdout, err = run_cli("render", "d", "-o", root / "out")
    assert code == 1 and "U+E000" in err
    assert files_under(root / "out") == []


def test_a_field_that_is_not_printed_may_hold_any_character(write_specs) -> None:
    spec = CLEAN_TARGET + "备注: 私用区字符\ue000不打印\n"
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/x.yaml": spec})
    code, _, err = run_cli("render", "d", "-o", root / "out")
    assert (code, err) == (0, "")
    assert sorted(p.suffix for p in files_under(root / "out")) == [".html", ".pdf"]


def test_a_failed_write_leaves_no_temporary_file(write_specs, monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao.files as output

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full_disk)
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/x.yaml": CLEAN_TARGET})
    code, _, err = run_cli("render", "d", "--format", "html", "-o", root / "out")
    assert code == 1 and err.startswith("错误：无法写入") and "Traceback" not in err
    assert files_under(root / "out") == []


# -- on paper -----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", SAMPLES)
def test_first_page_has_a_centred_title_and_a_closed_table_frame(demo: DemoRender, tmp_path: Path,
                                                                 variant: str) -> None:
    _, project = demo.find(*SAMPLES[variant])
    img = rasterise(demo.path(project, "pdf"), 1, tmp_path, dpi=60)
    assert abs(img.width - 496) <= 1 and abs(img.height - 702) <= 1  # A4 at 60 dpi
    assert 0.02 < img.dark_share() < 0.25  # ink, but not a black page
    frame = find_frame(img)
    width = frame.right - frame.left
    assert width > 0.78 * img.width  # the table spans the text width (174 of 210 mm)
    assert abs(frame.left - (img.width - 1 - frame.right)) <= 3  # and is centred
    # the frame's top and bottom rules run the full width; the side rules the full height
    assert ink_share(img, frame.top, frame.left, frame.right) > 0.97
    assert ink_share(img, frame.bottom, frame.left, frame.right) > 0.97
    for x in (frame.left, frame.right):
        start, end = longest_run(img.column(x))
        assert start <= frame.top + 2 and end >= frame.bottom - 1
    # the title sits above the table, centred on the page
    ink = [(x, y) for y in range(frame.top - 2) for x, p in enumerate(img.row(y)) if p < 128]
    assert len(ink) > 100
    centre = sum(x for x, _ in ink) / len(ink)
    assert abs(centre - img.width / 2) < 0.03 * img.width
    # the table fills a fair part of the page
    assert frame.bottom - frame.top > 0.3 * img.height


def test_every_page_of_a_long_table_closes_its_frame(demo: DemoRender, tmp_path: Path) -> None:
    """Where a table breaks across pages, each page's part ends with a rule across the full width."""
    _, long = demo.find(*LONG)
    multi = [(p, pdf) for p, pdf in demo.pdfs() if pages(pdf) > 1]
    assert any(p is long for p, _ in multi)
    open_pages = []
    for project, pdf in multi:
        for n in range(1, pages(pdf) + 1):
            img = rasterise(pdf, n, tmp_path, dpi=60)
            frame = find_frame(img)
            for edge, y in (("top", frame.top), ("bottom", frame.bottom)):
                share = ink_share(img, y, frame.left, frame.right)
                if share <= 0.97:
                    open_pages.append(f"{project.name} p.{n}: {edge} rule covers {share:.0%} of the table width")
    assert open_pages == [], "\n".join(open_pages)


# --- The trimmed user-agent stylesheet (jixiao.render.pdf) -------------------------------

def test_pdfs_are_rendered_with_the_trimmed_user_agent_stylesheet() -> None:
    # If a WeasyPrint upgrade moves the hook, rendering falls back to the full sheet:
    # correct but slower. This test is where that shows.
    from jixiao.render.pdf import trimmed

    assert trimmed()


def test_trimmed_stylesheet_changes_no_byte_of_any_sample_table(demo: DemoRender) -> None:
    from jixiao.render.pdf import html_to_pdf

    base = str(BUILTIN_TEMPLATES)
    for _spec, project in _sample_specs(demo):
        html = demo.path(project, "html").read_text(encoding="utf-8")
        assert html_to_pdf(html, base) == html_to_pdf(html, base, trim=False), project.name


def test_kept_words_as_word_joiners_print_the_same_pixels_and_text_as_spans(demo: DemoRender, tmp_path: Path) -> None:
    # render/pdf.py writes a kept word (a nowrap span) as its characters joined by U+2060:
    # faster to lay out, and it must break lines at the same places and print the same.
    from jixiao.render.pdf import WORD_JOINER, html_to_pdf, joined_words

    base = str(BUILTIN_TEMPLATES)
    checked = 0
    for _spec, project in _sample_specs(demo):
        html = demo.path(project, "html").read_text(encoding="utf-8")
        assert html.count('<span class="word">') > 20, project.name  # words worth testing
        assert '<span class="word">' not in joined_words(html)
        joined, spans = tmp_path / "joined.pdf", tmp_path / "spans.pdf"
        joined.write_bytes(html_to_pdf(html, base))
        spans.write_bytes(html_to_pdf(html, base, join=False))
        assert joined.read_bytes() != spans.read_bytes()  # the joiners are really used
        text = pdftotext(joined)
        assert text == pdftotext(spans) and WORD_JOINER not in text, project.name
        for page in range(1, pages(joined) + 1):
            assert rasterise(joined, page, tmp_path, dpi=60) == rasterise(spans, page, tmp_path, dpi=60), \
                (project.name, page)
            checked += 1
    assert checked >= 3


def test_pdfs_made_in_several_threads_at_once_are_those_made_one_by_one(demo: DemoRender) -> None:
    # The preview makes downloads in the threads of its server; the font configuration and
    # stylesheets are shared within a process (render/pdf.py): layouts take turns.
    from concurrent.futures import ThreadPoolExecutor

    from jixiao.render.pdf import html_to_pdf

    base = str(BUILTIN_TEMPLATES)
    htmls = [demo.path(project, "html").read_text(encoding="utf-8") for _spec, project in _sample_specs(demo)[:3]]
    one_by_one = [html_to_pdf(h, base) for h in htmls]
    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(lambda h: html_to_pdf(h, base), htmls * 2)) == one_by_one * 2


def test_a_kept_word_with_markup_characters_is_joined_and_stays_escaped() -> None:
    from jixiao.render.pdf import WORD_JOINER, joined_words

    html = '<td><span class="word">A&amp;B</span>和<span class="word">&lt;汇总&gt;</span></td>'
    j = WORD_JOINER
    assert joined_words(html) == f"<td>A{j}&amp;{j}B和&lt;{j}汇{j}总{j}&gt;</td>"


def test_trimmed_stylesheet_keeps_list_markers_and_changes_no_byte_of_a_bundle(tmp_path: Path) -> None:
    # The smallest demo bundle (淞南镇, 5 projects): contents list, summary and tables.
    from jixiao.bundle import plan
    from jixiao.bundle.html_pdf import disclosure_html
    from jixiao.load.workspace import load_workspace
    from jixiao.render import Renderer
    from jixiao.render.pdf import html_to_pdf

    renderer = Renderer()
    bundle = min(plan(load_workspace([ROOT / "specs"]), page_style="-N-"), key=lambda d: len(d.specs))
    html = disclosure_html(bundle, renderer)
    base = str(renderer.template_dir)
    assert html_to_pdf(html, base) == html_to_pdf(html, base, trim=False)
    # Visible list markers (numbers in the margin) are drawn exactly as before.
    listed = ("<!DOCTYPE html><html lang='zh-CN'><body style='font-family: \"Noto Serif CJK SC\"'>"
              "<ol><li>安保经费</li><li>劝导队经费</li></ol><ul><li>综治中心事务</li></ul></body></html>")
    out = html_to_pdf(listed, base)
    assert out == html_to_pdf(listed, base, trim=False)
    (tmp_path / "list.pdf").write_bytes(out)
    text = pdftotext(tmp_path / "list.pdf").split()
    assert {"1.", "2.", "•"} <= set(text), text


# Run in a fresh interpreter: WeasyPrint is imported once per process.
_IMPORT_COUNTING_LOOKUPS = """
import ctypes.util
{prepare}
lookups = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: lookups.append(name) or real(name)
from jixiao.render.pdf import get_ready, html_to_pdf
get_ready()
pdf = html_to_pdf("<p>绩效</p>", ".")
print(len(lookups), pdf[:5].decode())
"""

# A system whose loader finds none of the libraries by file name: only find_library does.
_LOADER_FINDS_NOTHING = """
import cffi.api
real_load = cffi.api._load_backend_lib
def load(backend, name, flags):
    if ".so" in name or ".dylib" in name or ".dll" in name:
        raise OSError("not found by this name")
    return real_load(backend, name, flags)
cffi.api._load_backend_lib = load
"""


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_weasyprint_is_imported_without_looking_its_libraries_up() -> None:
    done = _run_python(_IMPORT_COUNTING_LOOKUPS.format(prepare=""))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "%PDF-"]


def test_weasyprint_is_imported_the_usual_way_where_its_libraries_need_looking_up() -> None:
    done = _run_python(_IMPORT_COUNTING_LOOKUPS.format(prepare=_LOADER_FINDS_NOTHING))
    assert done.returncode == 0, done.stderr
    lookups, head = done.stdout.split()
    assert int(lookups) > 0 and head == "%PDF-"
    assert "WeasyPrint could not import" not in done.stdout + done.stderr
