"""The element tree of a plainly written HTML page, eight times faster than tinyhtml5.

WeasyPrint parses HTML with tinyhtml5, a pure-Python HTML5 parser: about 8 ms of the
70 ms a one-page table takes to lay out. The pages jixiao's templates write are plain:
every element closed where it ends, tables with their row groups, text escaped. For
such a page the HTML5 tree-building rules come down to a few facts, and the standard
library's tokenizer (:class:`html.parser.HTMLParser`, regular expressions) builds the
same tree in about 1 ms:

* the doctype leaves no trace; whitespace before ``<head>`` is dropped, inside it is kept
  as text, between ``</head>`` and ``<body>`` it is the head's tail, and after
  ``</body>`` and ``</html>`` it belongs to the body (HTML5 keeps the body open);
* CR LF and CR are read as LF; a void element (``<br>``, ``<col>`` …) has no end tag;
* an attribute without a value has the empty string as its value.

:func:`parse` builds that tree, or gives None for a page that is not that plain, and
tinyhtml5 then parses it: any element outside a known list (anything whose parsing
HTML5 treats specially: scripts, forms, ``<pre>``, foreign content …), an element left
open or closed out of order, an element where HTML5 would move or close something (a
``<tr>`` straight in a ``<table>``, a block in a ``<p>``, text in a table outside its
cells, a ``<li>`` outside a list, a link in a link, a heading in a heading), a comment,
a tag or a character reference written in an unusual way. ``tests/test_htmltree.py``
compares the two trees for every page the demo prints and for thousands of generated
ones, plain and not.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

VOID = frozenset({"meta", "link", "base", "br", "col", "img", "hr", "wbr"})
IN_HEAD = frozenset({"meta", "link", "base", "title", "style"})
PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "img",
                      "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
                      "var", "wbr"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
FLOW = frozenset({"address", "article", "aside", "blockquote", "div", "figcaption", "figure", "footer",
                  "header", "hr", "main", "nav", "ol", "p", "section", "table", "ul", "li"}) | HEADINGS
ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
# What may stand directly in each table element; their text must be whitespace only.
TABLE_CHILDREN = {
    "table": frozenset({"caption", "colgroup"}) | ROW_GROUPS,
    "colgroup": frozenset({"col"}),
    "thead": frozenset({"tr"}), "tbody": frozenset({"tr"}), "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
}
# Each of these only directly in its table element (else HTML5 adds or drops elements).
TABLE_PARTS = frozenset().union(*TABLE_CHILDREN.values())
BODY_ELEMENTS = PHRASING | FLOW | TABLE_PARTS | {"style"}
HTML_SPACE = " \t\n\f"

# A start tag as written by a template: lower-case-insensitive name, attributes with
# double- or single-quoted values or plain unquoted ones, an optional slash (void only).
_START_TAG = re.compile(r"""<[a-zA-Z][a-zA-Z0-9]*(?:[ \t\n\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"""
                        r"""(?:[ \t\n\f]*=[ \t\n\f]*(?:"[^"]*"|'[^']*'|[^ \t\n\f"'=<>`]+))?)*[ \t\n\f]*/?>\Z""")
# Every "&" must start one of these references (HTML5 reads others, in attributes
# especially, in ways html.unescape does not).
_REFERENCE = re.compile(r"&(?:(?:amp|lt|gt|quot|apos|nbsp);|#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});)")
_AMPERSAND = re.compile(r"&")
# A "<" that opens no tag, <!-- comments -->, CDATA, processing instructions, a second
# doctype; a NUL (HTML5 drops it in places), other controls, surrogates, noncharacters
# (HTML5 reports them: left to tinyhtml5).
_REFUSED = re.compile("<(?![a-zA-Z/])|<!|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_DOCTYPE = re.compile(r"[ \t\n\f]*<!DOCTYPE html>", re.I)


class NotPlain(Exception):
    """The page is not plain enough for :func:`parse`: tinyhtml5 parses it."""


def parse(html: str) -> ET.Element | None:
    """The tree tinyhtml5 builds for ``html`` (``namespace_html_elements=False``), or None when
    ``html`` is not a plainly written page."""
    text = html.replace("\r\n", "\n").replace("\r", "\n")
    doctype = _DOCTYPE.match(text)
    if doctype is None:
        return None
    text = text[doctype.end():]
    if _REFUSED.search(text) or not _references_plain(text):
        return None
    builder = _Builder()
    try:
        builder.feed(text)
        builder.close()
        return builder.finish()
    except NotPlain:
        return None


def _references_plain(text: str) -> bool:
    """Every "&" starts a reference of :data:`_REFERENCE`, none to a code point HTML5 replaces."""
    for found in _AMPERSAND.finditer(text):
        reference = _REFERENCE.match(text, found.start())
        if reference is None:
            return False
        decimal, hexadecimal = reference.groups()
        if decimal or hexadecimal:
            code = int(decimal, 10) if decimal else int(hexadecimal, 16)
            if _REFUSED.match(chr(code) if code <= 0x10FFFF else "\x00") or code == 0xD:
                return False
    return True


class _Builder(HTMLParser):
    """The tree, token by token: html → head → after head → body → after body → done."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: ET.Element | None = None
        self.body: ET.Element | None = None
        self.stack: list[ET.Element] = []
        self.stage = "start"

    # -- tokens ------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or ""
        if not _START_TAG.match(written) or (written.endswith("/>") and tag not in VOID):
            raise NotPlain  # HTML5 ignores the slash: <div/> opens a div
        attrib: dict[str, str] = {}
        for name, value in attrs:
            if name in attrib:
                raise NotPlain  # HTML5 keeps the first, html.parser the last
            attrib[name] = "" if value is None else value
        self._open(tag, attrib)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "html" and self.stage == "after body":
            self.stage = "done"
            return
        if tag in VOID or tag == "html" or self.stage not in ("head", "body") or self.stack[-1].tag != tag:
            raise NotPlain
        if tag == "body":  # HTML5 keeps the body open: whitespace after it goes into it
            self.stage = "after body"
            return
        self.stack.pop()
        if tag == "head":
            self.stage = "after head"

    def handle_data(self, data: str) -> None:
        blank = not data.strip(HTML_SPACE)
        if self.stage in ("start", "html"):
            if not blank:
                raise NotPlain
            return  # before <head>: dropped
        parent = self.stack[-1]
        if blank:
            # Between </head> and <body>: the head's tail; after </body> or </html>: in the body.
            self._append_text(self.body if self.stage in ("after body", "done") else parent, data)
            return
        if (self.stage != "body" and parent.tag not in ("title", "style")) or parent.tag in TABLE_CHILDREN:
            raise NotPlain
        self._append_text(parent, data)

    def handle_decl(self, decl: str) -> None:
        raise NotPlain

    def handle_comment(self, data: str) -> None:
        raise NotPlain

    def handle_pi(self, data: str) -> None:
        raise NotPlain

    def unknown_decl(self, data: str) -> None:
        raise NotPlain

    # -- the tree ----------------------------------------------------------------------------

    def _open(self, tag: str, attrib: dict[str, str]) -> None:
        if self.stage == "start" and tag == "html":
            self.root = ET.Element(tag, attrib)
            self.stack.append(self.root)
            self.stage = "html"
        elif self.stage == "html" and tag == "head":
            self._add(tag, attrib)
            self.stage = "head"
        elif self.stage == "after head" and tag == "body":
            self.body = self._add(tag, attrib)
            self.stage = "body"
        elif self._allowed_in_head(tag) or self._allowed_in_body(tag):
            self._add(tag, attrib)
        else:
            raise NotPlain

    def _allowed_in_head(self, tag: str) -> bool:
        return self.stage == "head" and tag in IN_HEAD and self.stack[-1].tag == "head"

    def _allowed_in_body(self, tag: str) -> bool:
        if self.stage != "body":
            return False
        parent = self.stack[-1].tag
        if tag not in BODY_ELEMENTS or parent in ("title", "style"):
            return False
        if parent in TABLE_CHILDREN:
            return tag in TABLE_CHILDREN[parent]
        if tag in TABLE_PARTS:
            return False  # a cell, row or row group outside its table element
        if tag == "li":
            return parent in ("ul", "ol")
        if tag == "a" and any(e.tag == "a" for e in self.stack):
            return False
        if tag in HEADINGS and parent in HEADINGS:
            return False
        # HTML5 closes an open <p> when a block starts, wherever it is in the button scope;
        # here no element but phrasing ones may stand in a <p> at all.
        return tag in PHRASING or not any(e.tag == "p" for e in self.stack)

    def _add(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        element = ET.SubElement(self.stack[-1], tag, attrib)
        if tag not in VOID:
            self.stack.append(element)
        return element

    @staticmethod
    def _append_text(parent: ET.Element | None, data: str) -> None:
        assert parent is not None
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data

    def finish(self) -> ET.Element:
        if self.stage != "done" or self.root is None:
            raise NotPlain
        return self.root
