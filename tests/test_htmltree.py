"""render/htmltree.py builds the tree tinyhtml5 builds, or says the page is not plain enough.

Compared on every page the demo prints, every part of a disclosure document, and
thousands of generated pages, plain and not; the PDFs laid out from its trees are the
same bytes as from tinyhtml5's.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5

from conftest import DemoDisclosure
from jixiao.render import htmltree
from jixiao.render.htmltree import parse
from jixiao.render.pdf import joined_words
from render_helpers import DemoRender

ROOT = Path(__file__).resolve().parent.parent


def canon(element: ET.Element) -> tuple[Any, ...]:
    tag = element.tag if isinstance(element.tag, str) else "#comment"
    return tag, sorted(element.attrib.items()), element.text, element.tail, [canon(c) for c in element]


def tinyhtml5_tree(html: str) -> tuple[Any, ...]:
    return canon(tinyhtml5.parse(html, namespace_html_elements=False))


def assert_same_tree(html: str) -> None:
    ours = parse(html)
    assert ours is not None, html[:300]
    assert canon(ours) == tinyhtml5_tree(html)


def test_every_page_the_demo_prints_is_parsed_as_tinyhtml5_parses_it(demo: DemoRender,
                                                                     demo_disclosure: DemoDisclosure) -> None:
    pages = sorted(demo.out.rglob("*.html")) + sorted(demo_disclosure.out.rglob("*.html"))
    assert len(pages) > 90
    for page in pages:
        assert_same_tree(joined_words(page.read_text(encoding="utf-8")))


def test_every_part_of_a_disclosure_is_parsed_as_tinyhtml5_parses_it() -> None:
    from jixiao.bundle import plan
    from jixiao.bundle.html_pdf import check_glyphs, laid_out
    from jixiao.bundle.parts import foreseen_front, parts_before_contents
    from jixiao.load.workspace import load_workspace
    from jixiao.render import Renderer

    renderer = Renderer()
    document = min(plan(load_workspace([ROOT / "specs"])), key=lambda d: len(d.specs))
    units = laid_out(document, renderer)
    check_glyphs(document, units, renderer)
    parts = parts_before_contents(document, units, renderer) + foreseen_front(document, units, renderer)
    assert len(parts) >= 7
    for part in parts:
        assert_same_tree(joined_words(part))


PLAIN = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>表 &amp; 汇总</title>
<style>td { color: #000 }</style>
</head>
<body class="x">
{body}
</body>
</html>
"""


@pytest.mark.parametrize("body", [
    "<table><tr><td>1</td></tr></table>",  # HTML5 adds a <tbody>
    "<table><col><tbody><tr><td>1</td></tr></tbody></table>",  # and a <colgroup>
    "<table><tbody><tr><td>1</td></tr>x</tbody></table>",  # text in a table goes before it
    "<p>段落<div>块</div></p>",  # a block closes the paragraph
    "<p>一<p>二</p></p>",
    "<ul><li>一<li>二</li></li></ul>",
    "<a href='#a'>一<a href='#b'>二</a></a>",
    "<h1>标题<h2>小标题</h2></h1>",
    "<div>未关闭",
    "<div><span>交错</div></span>",
    "<div/>",
    "<!-- 注释 -->",
    "<pre>\n预排</pre>",
    "<script>1</script>",
    "<svg><rect/></svg>",
    "<td>1</td>",
    "<p>&copy 版权</p>",
    "<p title='&amp'>x</p>",
    "<p>&#0;</p>",
    "<p>&#128;</p>",
    "<p id=a id=b>x</p>",
    "<p>1 < 2</p>",
    "<p>NUL\x00</p>",
    "<body>",
])
def test_a_page_not_plain_enough_is_left_to_tinyhtml5(body: str) -> None:
    assert parse(PLAIN.replace("{body}", body)) is None


@pytest.mark.parametrize("html", [
    PLAIN.replace("{body}", "<p>一<br>二<br/>三</p>"),
    PLAIN.replace("{body}", "<table>\n<colgroup><col span=2><col></colgroup>\n<thead><tr><th colspan='2'>甲</th></tr></thead>\n"
                            "<tbody>\n  <tr>\n<td>&lt;1&gt;&nbsp;&#x4E00;&#20108;</td></tr></tbody></table>"),
    PLAIN.replace("{body}", "<ol><li><ul><li>嵌套</li></ul></li></ol>").replace("\n", "\r\n"),
    PLAIN.replace("{body}", "<td>") .replace("<td>", "<section><h1>标题</h1><p><a href=\"#x\">链接</a></p></section>"),
    PLAIN.replace("</html>\n", "</html>\n\n  \n"),  # whitespace after the end goes into the body
    PLAIN.replace("{body}", "") .replace("</head>\n", "</head>\n \n"),
    "  <!doctype html><html><head></head><body></body></html>",
])
def test_a_plain_page_gives_tinyhtml5s_tree(html: str) -> None:
    assert_same_tree(html)


# -- generated pages ----------------------------------------------------------------------------

# Pieces of pages: the first of each list are what plain pages are made of.
_TEXT = (["一", "项目", " ", "\n", "\r\n", "\t", "&amp;", "&lt;", "&nbsp;", "&#20108;", "&#x1F600;", "x", "\u2060",
          "\u3000", "\f"],
         ["&copy", "&bogus;", "<", "&#128;", "&", "<3", "\x01"])
_ATTRS = (["", ' class="a"', " class='b c'", " id=x", " colspan=2", " hidden", ' title="&amp;&quot;"',
           ' style="color: red"', " data-x='1/2'"],
          [' title="a&b"', " class=a class=b", " a=`b`"])
_CONTAINERS = (["div", "p", "span", "a", "b", "em", "section", "h1", "h2", "nav", "blockquote"],
               ["ul", "ol", "li", "table", "tbody", "tr", "td", "colgroup", "caption", "pre", "form", "font",
                "button", "select", "textarea", "template", "svg", "math"])
_VOIDS = (["br", "br/", "img", "hr", "wbr"], ["col", "input", "meta", "link"])
_ODD = ["<!-- c -->", "</p>", "</br>", "<p/>", "<![CDATA[x]]>", "<?pi?>"]


def _pick(rng: random.Random, pieces: tuple[list[str], list[str]], wild: bool) -> str:
    return rng.choice(pieces[0] + pieces[1] if wild else pieces[0])


def _body(rng: random.Random, depth: int, wild: bool) -> str:
    out = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.35 or depth == 0:
            out.append(_pick(rng, _TEXT, wild) * rng.randint(1, 2))
        elif roll < 0.45:
            void = _pick(rng, _VOIDS, wild)
            slash = void.endswith("/")
            out.append(f"<{void.rstrip('/')}{_pick(rng, _ATTRS, wild)}{'/' if slash else ''}>")
        elif roll < 0.48 and wild:
            out.append(rng.choice(_ODD))
        else:
            tag = _pick(rng, _CONTAINERS, wild)
            if tag in ("ul", "ol"):
                inner = "".join(f"<li>{_body(rng, depth - 1, wild)}</li>" for _ in range(2))
            else:
                inner = _body(rng, depth - 1, wild)
            close = "" if wild and rng.random() < 0.05 else f"</{tag}>"
            out.append(f"<{tag}{_pick(rng, _ATTRS, wild)}>{inner}{close}")
    return "".join(out)


def _table(rng: random.Random, wild: bool) -> str:
    """A table as a template writes one: row groups, rows, cells, whitespace between."""
    ws = lambda: rng.choice(["", "\n", "  \n  "])  # noqa: E731
    rows = "".join(f"{ws()}<tr>{''.join(f'{ws()}<td{_pick(rng, _ATTRS, wild)}>{_body(rng, 1, wild)}</td>' for _ in range(2))}"
                   f"{ws()}</tr>" for _ in range(rng.randint(1, 3)))
    group = rng.choice(["tbody", "thead", "tfoot"] + (["", "div"] if wild else []))
    rows = f"<{group}>{rows}{ws()}</{group}>" if group else rows
    cols = rng.choice(["", "<colgroup><col><col span=2></colgroup>"] + (["<col>", "<colgroup>x</colgroup>"] if wild else []))
    return f"<table>{ws()}{cols}{ws()}{rows}{ws()}</table>"


def _page(rng: random.Random) -> str:
    wild = rng.random() < 0.5
    body = "".join(_table(rng, wild) if rng.random() < 0.4 else _body(rng, 3, wild) for _ in range(rng.randint(1, 3)))
    page = PLAIN.replace("{body}", body)
    if wild and rng.random() < 0.2:
        page = page.replace("</head>", rng.choice(["<p>x</p></head>", "x</head>", "<base href='a'></head>"]))
    if wild and rng.random() < 0.2:
        page = page.replace("</html>\n", rng.choice(["</html>\n x", "</html><p>", "", "</html>\n\n"]))
    return page


def test_generated_pages_are_parsed_as_tinyhtml5_parses_them_or_left_to_it() -> None:
    rng = random.Random(20261203)
    plain = 0
    for n in range(3000):
        page = _page(rng)
        ours = parse(page)
        if ours is not None:
            plain += 1
            assert canon(ours) == tinyhtml5_tree(page), (n, page)
    assert 1200 < plain < 2400, plain  # both kinds of page were generated, and compared


# -- the PDFs --------------------------------------------------------------------------------------

def test_pdfs_laid_out_from_its_trees_are_those_from_tinyhtml5s(demo: DemoRender, monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.render.pdf import html_to_pdf, lay_out_part
    from jixiao.render.variant import BUILTIN_TEMPLATES

    base = str(BUILTIN_TEMPLATES)
    pages = [path.read_text(encoding="utf-8") for path in sorted(demo.out.rglob("*.html"))[:4]]
    used = []
    real_parse = htmltree.parse

    def counted(html: str) -> ET.Element | None:
        tree = real_parse(html)
        used.append(tree is not None)
        return tree

    monkeypatch.setattr(htmltree, "parse", counted)
    fast = [html_to_pdf(page, base) for page in pages] + [lay_out_part(page, base)[0] for page in pages[:2]]
    assert used == [True] * 6
    monkeypatch.setattr(htmltree, "parse", lambda html: None)
    slow = [html_to_pdf(page, base) for page in pages] + [lay_out_part(page, base)[0] for page in pages[:2]]
    assert fast == slow
