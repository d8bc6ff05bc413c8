"""Stamp-ready forms, measured on the page: nothing is broken where a reader would stumble.

Geometric checks, without reference images, on what was really printed:

* no amount, score, percentage or date is split across two lines — in the PDF of every
  demo table (poppler's word boxes, ``pdftotext -bbox-layout``), in a handful of the DOCX
  printed by LibreOffice, and in the HTML laid out by headless Chromium at phone width
  (390 px), where the browser itself reports the line boxes of every figure;
* a 一级/二级 label of the standard vocabulary takes at most two lines;
* the side labels (项目资金, 项目绩效目标, 年度总体目标, 绩效指标) sit in the vertical middle
  of their cell, whose top and bottom rules are found on the page image;
* and the checks do catch a broken stylesheet (the old ``overflow-wrap: anywhere`` on amount
  cells in a narrow column).

What a table prints is read from its HTML (the same text every format prints), with the
standard library's parser: the figures are found in the cell texts by pattern, not taken
from the layout code under test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from conftest import DemoDisclosure, run_cli
from jixiao.model.project import Project
from jixiao.model.vocab import FRAMEWORK, FormKind
from render_helpers import (
    TEMPLATES,
    DemoRender,
    chromium,
    files_under,
    libreoffice_pdfs,
    rasterise,
    read_html,
    squash,
)

# -- what must stay on one line -----------------------------------------------------------------

# A figure as printed: an amount (5,254,900.00, 93.64992), a score (99.37), a percentage with
# its comparator (=100%, >=90%, ≥95%), a date (2026.01.01, 2023-12-31, 2023年1月1日).
_FIGURE = re.compile(
    r"(?<![\d.,])(?:"
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"
    r"|\d{4}(?:[.\-/]\s?\d{1,2}){1,2}(?![\d.])"
    r"|(?:[=<>≥≤＝＜＞]{1,2})?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?"
    r"|(?:[=<>≥≤＝＜＞]{1,2})?\d+(?:\.\d+)?%?"
    r")(?![\d])")


def figures(texts: list[str]) -> Counter[str]:
    """Every figure of two or more characters in ``texts``, with how often it is printed."""
    return Counter(m.group() for text in texts for m in _FIGURE.finditer(text) if len(m.group()) > 1)


def count_whole(token: str, lines: list[str]) -> int:
    """How many times ``token`` occurs whole (not inside a longer number) within one line."""
    spaced = r"\s?".join(re.escape(ch) for ch in token if not ch.isspace())
    pattern = re.compile(rf"(?<![\d.,]){spaced}(?!\.?\d)")
    return sum(len(pattern.findall(line)) for line in lines)


def split_figures(expected: Counter[str], lines: list[str]) -> list[str]:
    """The figures that are not found whole on a line as often as the table prints them."""
    return [f"{token} ({found} of {n} whole)" for token, n in sorted(expected.items())
            if (found := count_whole(token, lines)) < n]


def table_texts(html: Path) -> list[str]:
    """The text of every cell of the table(s) in an HTML page."""
    return read_html(html).cell_texts()


# -- the PDF's word boxes -----------------------------------------------------------------------

_NS = {"x": "http://www.w3.org/1999/xhtml"}


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Block:
    page: int  # 1-based
    lines: tuple[Box, ...]

    @property
    def text(self) -> str:
        return "".join(squash(line.text) for line in self.lines)

    @property
    def box(self) -> Box:
        return Box(self.text, min(b.x0 for b in self.lines), min(b.y0 for b in self.lines),
                   max(b.x1 for b in self.lines), max(b.y1 for b in self.lines))


@dataclass(frozen=True)
class PdfWords:
    size: tuple[float, float]  # page width, height in points
    lines: list[list[str]]  # per page, the text of every line (words joined by a space)
    blocks: list[Block]

    def all_lines(self) -> list[str]:
        return [line for page in self.lines for line in page]

    def stacks(self, texts: set[str]) -> list[Block]:
        """Every run of lines, one under the other and centred on each other, that spells one of
        ``texts``: a label as printed over one or more lines (a block of poppler's may hold one
        line of it only, as in LibreOffice's PDFs)."""
        out = []
        prefixes = {t[:k] for t in texts for k in range(1, len(t) + 1)}
        for page in {b.page for b in self.blocks}:
            lines = sorted((line for b in self.blocks if b.page == page for line in b.lines),
                           key=lambda box: (box.y0, box.x0))
            for n, first in enumerate(lines):
                chain, text = [first], squash(first.text)
                while text in prefixes and text not in texts and len(chain) < 5:
                    last = chain[-1]
                    height = last.y1 - last.y0
                    below = [b for b in lines[n + 1:] if last.y1 - 1 <= b.y0 <= last.y1 + 0.6 * height
                             and abs((b.x0 + b.x1) - (last.x0 + last.x1)) / 2 < 3
                             and text + squash(b.text) in prefixes]
                    if not below:
                        break
                    chain.append(below[0])
                    text += squash(below[0].text)
                if text in texts:
                    out.append(Block(page, tuple(chain)))
        # a label read from its second line on is not a label
        starts = {(b.page, line) for b in out for line in b.lines[1:]}
        return [b for b in out if (b.page, b.lines[0]) not in starts]


def pdf_words(pdf: Path) -> PdfWords:
    out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, check=True).stdout
    root = ET.fromstring(out)
    lines: list[list[str]] = []
    blocks: list[Block] = []
    size = (0.0, 0.0)
    for n, page in enumerate(root.iter(f"{{{_NS['x']}}}page"), 1):
        size = (float(page.get("width", 0)), float(page.get("height", 0)))
        lines.append([])
        for block in page.iter(f"{{{_NS['x']}}}block"):
            boxes = []
            for line in block.iter(f"{{{_NS['x']}}}line"):
                words = [w.text or "" for w in line.iter(f"{{{_NS['x']}}}word")]
                text = " ".join(words)
                lines[-1].append(text)
                boxes.append(Box(text, *(float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))))
            if boxes:
                blocks.append(Block(n, tuple(boxes)))
    return PdfWords(size, lines, blocks)


# -- the checks ---------------------------------------------------------------------------------

LEVELS = set(FRAMEWORK) | {name for names in FRAMEWORK.values() for name in names}


def side_labels(project: Project) -> set[str]:
    """The labels in the first column, each over a block of rows: 项目资金, the goals, 绩效指标."""
    unit = project.funds.unit.value if project.funds is not None and project.funds.unit else ""
    goals = "年度总体目标" if project.form in (FormKind.SELF_EVAL, FormKind.MONITOR) else "项目绩效目标"
    return {f"项目资金（{unit}）", goals, "绩效指标"}


def level_labels(html: Path) -> Counter[str]:
    """The 一级/二级 cells of the indicator table that hold a label of the vocabulary."""
    cells = {id(c): c for table in read_html(html).parts("indicators")
             for row in table.grid()[1:] for c in row[1:3] if squash(c.text) in LEVELS}
    return Counter(squash(c.text) for c in cells.values())


def label_problems(words: PdfWords, expected: Counter[str]) -> list[str]:
    """Each vocabulary label printed on at most two lines, as often as the table has it."""
    problems = []
    stacks = words.stacks(set(expected))
    found = Counter(b.text for b in stacks)
    for label, n in expected.items():
        if found[label] < n:
            problems.append(f"{label}: {found[label]} of {n} found")
    for b in stacks:
        if len(b.lines) > 2:
            problems.append(f"{b.text} on {len(b.lines)} lines: {' / '.join(x.text for x in b.lines)}")
    return problems


def centring_problems(pdf: Path, words: PdfWords, labels: set[str], tmp: Path, dpi: int = 100) -> list[str]:
    """Each side label's vertical middle against its cell's, the cell bounded by the nearest
    rules above and below the label (found on the page image beside the text)."""
    problems = []
    images = {}
    scale = dpi / 72
    blocks = [b for b in words.stacks(labels) if b.box.x0 < words.size[0] / 4]
    for block in blocks:
        if block.page not in images:
            images[block.page] = rasterise(pdf, block.page, tmp, dpi=dpi)
        img = images[block.page]
        box = block.box
        x = int((box.x0 - 2.5) * scale)  # inside the cell's padding, left of the text
        column = img.column(x)
        top, bottom = int(box.y0 * scale), int(box.y1 * scale)
        above = next((y for y in range(top - 1, -1, -1) if column[y] < 160), None)
        below = next((y for y in range(bottom + 1, img.height) if column[y] < 160), None)
        if above is None or below is None:
            problems.append(f"{block.text} p.{block.page}: no rule above or below")
            continue
        cell_mid = (above + below) / 2 / scale
        text_mid = (box.y0 + box.y1) / 2
        if abs(cell_mid - text_mid) > 3:  # points; a line is 13
            problems.append(f"{block.text} p.{block.page}: text middle {text_mid:.1f} pt, cell middle "
                            f"{cell_mid:.1f} pt (cell {above / scale:.0f}–{below / scale:.0f})")
    if {b.text for b in blocks} != labels:
        problems.append(f"side labels found: {sorted(b.text for b in blocks)}")
    return problems


# -- the demo, in PDF ---------------------------------------------------------------------------


def test_no_figure_is_split_across_lines_in_any_demo_pdf(demo: DemoRender) -> None:
    problems = []
    checked = 0
    for _, project in demo.projects:
        expected = figures(table_texts(demo.path(project, "html")))
        checked += sum(expected.values())
        split = split_figures(expected, pdf_words(demo.path(project, "pdf")).all_lines())
        if split:
            problems.append(f"{project.unit} {project.name}: {', '.join(split)}")
    assert checked > 1000  # every amount, score, percentage and date of the demo tables
    assert problems == [], "\n".join(problems)


def test_vocabulary_labels_take_at_most_two_lines_in_every_demo_pdf(demo: DemoRender) -> None:
    problems = []
    for _, project in demo.projects:
        expected = level_labels(demo.path(project, "html"))
        found = label_problems(pdf_words(demo.path(project, "pdf")), expected)
        problems += [f"{project.unit} {project.name}: {p}" for p in found]
    assert problems == [], "\n".join(problems)


def test_side_labels_are_centred_in_their_cells_in_every_demo_pdf(demo: DemoRender, tmp_path: Path) -> None:
    problems = []
    for _, project in demo.projects:
        pdf = demo.path(project, "pdf")
        found = centring_problems(pdf, pdf_words(pdf), side_labels(project), tmp_path)
        problems += [f"{project.unit} {project.name}: {p}" for p in found]
    assert problems == [], "\n".join(problems)


# -- the examples of the issue ------------------------------------------------------------------

# (part of 实施单位, 项目名称, form) of the tables the defects were seen in.
EXAMPLES = {
    "网格化事务": ("淞南镇城市运行管理中心", "网格化事务"),
    "标准网格化创建": ("吴泾镇城市运行管理中心", "标准网格化创建"),
    "街面督查人员经费": ("吴泾镇城市运行管理中心", "街面督查人员经费"),
    "人口工作": ("平安办", "人口工作"),
    "劝导队经费": ("信访办", "劝导队经费"),
}


def example(demo: DemoRender, key: str) -> Project:
    """The example's self-evaluation if it has one, else its target or declaration table."""
    unit, name = EXAMPLES[key]
    found = sorted((p for _, p in demo.projects if p.name == name and unit in p.unit),
                   key=lambda p: p.form is not FormKind.SELF_EVAL)
    assert found, key
    return found[0]


def test_the_scores_of_the_issue_print_whole(demo: DemoRender) -> None:
    for key, score in (("标准网格化创建", "99.37"), ("街面督查人员经费", "97.89")):
        project = example(demo, key)
        lines = pdf_words(demo.path(project, "pdf")).all_lines()
        assert count_whole(score, lines) == 1, (key, [line for line in lines if score[:2] in line])


# -- the DOCX, printed by LibreOffice -----------------------------------------------------------


def test_no_figure_is_split_in_the_docx_printed_by_libreoffice(demo: DemoRender, tmp_path: Path) -> None:
    projects = [example(demo, key) for key in EXAMPLES]
    docs = []
    for n, project in enumerate(projects):  # plain names: LibreOffice writes <stem>.pdf
        docs.append(tmp_path / f"t{n}.docx")
        shutil.copy(demo.path(project, "docx"), docs[-1])
    problems = []
    for project, pdf in zip(projects, libreoffice_pdfs(docs, tmp_path), strict=True):
        expected = figures(table_texts(demo.path(project, "html")))
        words = pdf_words(pdf)
        split = split_figures(expected, words.all_lines())
        if split:
            problems.append(f"{project.name}: {', '.join(split)}")
        problems += [f"{project.name}: {p}" for p in label_problems(words, level_labels(demo.path(project, "html")))]
    assert problems == [], "\n".join(problems)


# -- pages filled before they break ---------------------------------------------------------------

# The text area of an A4 page with 20 mm top and bottom margins (print.css), in points.
TOP, BODY = 20 / 25.4 * 72, 257 / 25.4 * 72
# A page of a table that goes on on the next page is at most this empty (issue 14).
MOST_EMPTY = 0.35


def page_fill(words: PdfWords) -> list[float]:
    """Per page, the share of the text area above the lowest printed line (the page number in
    the bottom margin left out)."""
    bottoms = [0.0] * len(words.lines)
    for block in words.blocks:
        for line in block.lines:
            if line.y0 < TOP + BODY:
                bottoms[block.page - 1] = max(bottoms[block.page - 1], line.y1)
    return [(b - TOP) / BODY for b in bottoms]


def page_tops(words: PdfWords) -> list[str]:
    """Per page, the first printed line (squashed)."""
    tops: dict[int, tuple[float, str]] = {}
    for block in words.blocks:
        for line in block.lines:
            if block.page not in tops or line.y0 < tops[block.page][0]:
                tops[block.page] = (line.y0, squash(line.text))
    return [tops.get(n, (0.0, ""))[1] for n in range(1, len(words.lines) + 1)]


def underfilled(words: PdfWords, continued: list[bool]) -> list[str]:
    """Pages followed by a page that continues their table, and more than MOST_EMPTY empty."""
    fill = page_fill(words)
    return [f"p.{n + 1} {1 - fill[n]:.0%} empty" for n in range(len(fill) - 1)
            if continued[n + 1] and 1 - fill[n] > MOST_EMPTY]


def test_no_page_of_a_demo_table_is_left_a_third_empty(demo: DemoRender) -> None:
    """A table breaks between rows where the page is full (render/paginate.py): no page that
    the table goes on from is more than 35 % empty."""
    problems, checked = [], 0
    for _, project in demo.projects:
        words = pdf_words(demo.path(project, "pdf"))
        checked += len(words.lines) - 1
        problems += [f"{project.unit} {project.name}: {p}" for p in underfilled(words, [True] * len(words.lines))]
    assert checked >= 5  # the pages the demo's long tables go on from
    assert problems == [], "\n".join(problems)


def test_no_table_page_of_a_demo_disclosure_is_left_a_third_empty(demo_disclosure: DemoDisclosure) -> None:
    """In the bundles too: a page whose next page goes on with the same table (it starts with
    the indicator header again) is at most 35 % empty."""
    assert demo_disclosure.code == 0, demo_disclosure.stderr
    problems, continued_pages = [], 0
    for pdf in sorted(demo_disclosure.out.rglob("*.pdf")):
        words = pdf_words(pdf)
        continued = [top.startswith(("绩效指标", "一级指标")) for top in page_tops(words)]
        continued_pages += sum(continued)
        problems += [f"{pdf.name}: {p}" for p in underfilled(words, continued)]
    assert continued_pages >= 5
    assert problems == [], "\n".join(problems)


# -- the HTML at phone width, laid out by Chromium ----------------------------------------------

# Injected into a copy of the page: Chromium lays the page out at the window's width (screen
# media) and reports, for every figure in a cell, the line boxes its characters sit on, and
# for every cell how many lines its text takes; written into the DOM that --dump-dom prints.
_MEASURE = r"""
<script>
(function () {
  const figure = /(?<![\d.,])(?:\d{4}(?:[.\-\/]\d{1,2}){1,2}|(?:[=<>≥≤＝]{1,2})?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?:[=<>≥≤＝]{1,2})?\d+(?:\.\d+)?%?)(?!\d)/g;
  const tops = (range) => new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
  const out = {split: [], crushed: [], figures: 0, scroll: []};
  for (const cell of document.querySelectorAll("td, th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let text = "", nodes = [];
    while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
    if (!text.trim()) continue;
    const rangeOf = (start, end) => {
      const r = document.createRange();
      for (const [node, at] of nodes) {
        if (start >= at && start <= at + node.data.length) r.setStart(node, start - at);
        if (end >= at && end <= at + node.data.length) { r.setEnd(node, end - at); break; }
      }
      return r;
    };
    for (const m of text.matchAll(figure)) {
      if (m[0].length < 2) continue;
      out.figures += 1;
      if (tops(rangeOf(m.index, m.index + m[0].length)).size > 1) out.split.push(m[0] + " in " + text.trim().slice(0, 30));
    }
    const chars = text.replace(/\s/g, "").length;
    const lines = tops(rangeOf(0, text.length)).size;
    if (chars >= 4 && lines >= chars) out.crushed.push(text.trim().slice(0, 30) + " on " + lines + " lines");
  }
  for (const sheet of document.querySelectorAll(".sheet")) out.scroll.push([sheet.scrollWidth, sheet.clientWidth]);
  out.width = document.documentElement.clientWidth;
  const report = parent.document;  // the page is in a 390 px frame; the report goes outside it
  const pre = report.createElement("pre");
  pre.id = "layout-report";
  pre.textContent = JSON.stringify(out);
  report.body.appendChild(pre);
})();
</script>
"""


def chromium_layout(html: Path, tmp: Path, width: int = 390) -> dict[str, object]:
    """Chromium's layout of ``html`` at a phone's width: the page in a frame ``width`` px wide
    (a headless window is at least 500 px), so its media queries see a phone's viewport."""
    measured = html.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>")
    page = tmp / f"measured-{html.stem}.html"
    page.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe style="width:{width}px;height:2000px;'
                    f'border:0" srcdoc="{escape(measured, quote=True)}"></iframe></body></html>', encoding="utf-8")
    dom = chromium(tmp, "--window-size=800,2000", "--hide-scrollbars", "--dump-dom", page.as_uri())
    m = re.search(r'<pre id="layout-report">(.*?)</pre>', dom, re.S)
    assert m, dom[-500:]
    report: dict[str, object] = json.loads(m.group(1).replace("&amp;", "&").replace("&lt;", "<")
                                           .replace("&gt;", ">").replace("&quot;", '"'))
    return report


def test_html_at_phone_width_breaks_no_figure_and_scrolls_sideways(demo: DemoRender,
                                                                  demo_disclosure: DemoDisclosure,
                                                                  tmp_path: Path) -> None:
    pages = [demo.path(example(demo, key), "html") for key in ("网格化事务", "标准网格化创建", "人口工作")]
    [bundle] = [demo_disclosure.out / p for p in files_under(demo_disclosure.out)
                if p.suffix == ".html" and "淞南镇" in str(p)]
    for page in [*pages, bundle]:
        report = chromium_layout(page, tmp_path)
        assert report["width"] == 390, report["width"]
        assert isinstance(report["figures"], int) and report["figures"] > 20, page.name
        assert report["split"] == [], (page.name, report["split"])
        assert report["crushed"] == [], (page.name, report["crushed"])
        # the tables keep their printed width and the frame around them scrolls
        scroll = report["scroll"]
        assert isinstance(scroll, list) and scroll
        assert all(inner > outer for inner, outer in scroll), (page.name, scroll)


def test_page_has_a_viewport_and_print_is_not_narrow(demo: DemoRender) -> None:
    html = demo.path(example(demo, "网格化事务"), "html")
    doc = read_html(html)
    assert doc.metas["viewport"] == "width=device-width, initial-scale=1"
    css = doc.styles[0]
    narrow = css[css.index("@media screen and (max-width"):]
    assert "overflow-x: auto" in narrow


# -- a broken stylesheet is caught ----------------------------------------------------------------


def test_the_checks_catch_the_old_stylesheet(demo: DemoRender, tmp_path: Path) -> None:
    """``overflow-wrap: anywhere`` on amount cells, in a column narrower than the amount (the
    old 得分 column): the total score breaks, and the no-split check says so."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* the old rule, in the old narrow column */\n"
                   "td.amount { white-space: normal !important; overflow-wrap: anywhere !important; "
                   "padding-left: 7mm !important; }\n", encoding="utf-8")
    project = example(demo, "标准网格化创建")
    spec = next(s for s, p in demo.projects if p is project)
    code, _out, err = run_cli("render", spec, "--template", templates, "--format", "html,pdf", "-o", tmp_path / "out")
    assert (code, err) == (0, "")
    [pdf] = [tmp_path / "out" / p for p in files_under(tmp_path / "out") if p.suffix == ".pdf"]
    split = split_figures(figures(table_texts(pdf.with_suffix(".html"))), pdf_words(pdf).all_lines())
    assert any(s.startswith("99.37 ") for s in split), split
    # and the same check passes on the table as jixiao prints it
    good = demo.path(project, "pdf")
    assert split_figures(figures(table_texts(good.with_suffix(".html"))), pdf_words(good).all_lines()) == []


def test_figure_pattern() -> None:
    assert figures(["5,254,900.00", "=100%", ">=90%", "≥95%", "4.9", "2026.01.01", "2023-12-31",
                    "同比减少58%", "2023年1月1日", "10", "5"]) == Counter(
        {"5,254,900.00": 1, "=100%": 1, ">=90%": 1, "≥95%": 1, "4.9": 1, "2026.01.01": 1, "2023-12-31": 1,
         "58%": 1, "2023年1月1日": 1, "10": 1})
    assert count_whole("99.37", ["99.3", "7"]) == 0
    assert count_whole("10", ["10 100.00% 10"]) == 2
    assert count_whole("2026.1.1", ["2026. 1. 1"]) == 1

