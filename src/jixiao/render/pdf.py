"""HTML → PDF through WeasyPrint, with its user-agent stylesheet trimmed to what we print.

WeasyPrint's HTML user-agent stylesheet gives *every* element the pseudo-elements
``::footnote-call``, ``::footnote-marker``, ``::note-call``, ``::note-marker``,
``::note-callback`` and ``::marker``, and computes a style for each of them: six
styles per table cell, most of the cascade's work for our documents. Our tables
have no footnotes or notes, and only ``li`` (the contents page) has markers, so
those rules are dropped and ``::marker`` is kept for ``li``, the one element
WeasyPrint's sheet makes a list item (a custom template that makes other elements
list items gets their markers without ``tabular-nums``). The PDF is byte for byte
the same (``tests/test_render_pdf.py`` holds us to that); rendering is about 15%
faster (``bench/render_bench.py``).

The trimmed sheet replaces WeasyPrint's through ``HTML._ua_stylesheets``, which is
not public API: where that hook or the stylesheet's text is not where we expect it
(another WeasyPrint version), the untrimmed stylesheet is used and only speed is
lost. :func:`trimmed` tells which one is in use.

A word kept whole (``<span class="word">…</span>``, render/words.py) reaches WeasyPrint
as its characters joined by U+2060 WORD JOINER instead: the same places to break a
line (none inside the word, Unicode line breaking rule LB11), the same pixels and the
same text (a joiner has no glyph and is not in the PDF's text), but one text box per
cell instead of one per word: about a quarter less layout time for a table. So a
template's ``.word`` rule should say nothing but ``white-space: nowrap``: nothing else
of it reaches the PDF.

A process lays out every document with one WeasyPrint font configuration and parses
each stylesheet once: a new configuration per document made Pango load the fonts again
(a quarter of a part's time) and grew the process by about 10 MB every 40 documents.
Layouts in one process therefore take turns (a lock: the preview's threads).

WeasyPrint is imported through :func:`import_weasyprint` only (see there: a fifth of a
second less for every process that lays out).
"""

from __future__ import annotations

import ctypes.util
import gc
import io
import re
import sys
import threading
import types
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from functools import cache, lru_cache, wraps
from html import escape, unescape
from typing import Any, TypeVar, cast

from jixiao.render import htmltree

# Rules that give every element a pseudo-element no template of ours prints.
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z-]+\s*\{[^}]*\}[ \t]*\n", re.M)
_MARKER_RULE = "::marker {"
# The one element WeasyPrint's own sheet makes ``display: list-item``.
_LIST_ITEMS = "li::marker {"


@cache
def import_weasyprint() -> None:
    """Import WeasyPrint without asking ``ctypes.util.find_library`` where its libraries are.

    WeasyPrint opens GLib, Pango, HarfBuzz and fontconfig (cffi's ``dlopen``) by trying
    several names per library; cffi passes each name it cannot open as given to
    ``find_library``, which on Linux runs ``ldconfig -p`` and, for a name it does not
    know, ``gcc`` and ``ld``: 22 lookups, about 0.2 s of every process's start, a third
    of importing WeasyPrint, paid again by each worker. Every list of names also holds
    the library's file name (``libpango-1.0.so.0``, ``.dylib``, ``.dll``), which the
    system's loader finds by itself, so while WeasyPrint is imported every lookup answers
    "not found". Where the file names are not enough (a library only ``find_library``
    finds), the half-imported WeasyPrint is forgotten, its message not printed, and the
    caller's own ``import weasyprint`` loads it the usual way.
    """
    if "weasyprint" not in sys.modules:
        looked_up = ctypes.util.find_library
        ctypes.util.find_library = _not_found
        try:
            with redirect_stdout(io.StringIO()):
                import weasyprint  # noqa: F401  (imported for its side effect: loaded once)
        except OSError:
            _forget_weasyprint()
        finally:
            ctypes.util.find_library = looked_up


def _not_found(name: str) -> None:
    return None


def _forget_weasyprint() -> None:
    """Drop a half-imported WeasyPrint, so that the next import starts again."""
    for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
        del sys.modules[name]


def _trimmed_sheet() -> Any | None:
    """WeasyPrint's HTML stylesheet without the note rules, or None if it is not found."""
    try:
        import_weasyprint()
        import weasyprint
        from weasyprint import html as wp_html

        text: str = wp_html.UA
        # The sheet's @counter-style rules are already in WeasyPrint's UA_COUNTER_STYLE,
        # which rendering uses; parsing them into it again only logs warnings.
        counter_style = type(wp_html.UA_COUNTER_STYLE)()
        if not callable(getattr(weasyprint.HTML, "_ua_stylesheets", None)):
            return None
    except (ImportError, AttributeError):
        return None
    trimmed, notes = _NOTE_RULES.subn("", text)
    if notes == 0 or text.count(_MARKER_RULE) != 1:
        return None
    trimmed = trimmed.replace(_MARKER_RULE, _LIST_ITEMS)
    return weasyprint.CSS(string=trimmed, counter_style=counter_style)


@cache
def _html_class() -> tuple[type, bool]:
    """The ``HTML`` class to render with, and whether its stylesheet is the trimmed one."""
    import_weasyprint()
    import weasyprint

    sheet = _trimmed_sheet()
    if sheet is None:
        return weasyprint.HTML, False

    class TrimmedHTML(weasyprint.HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            # Forms are never rendered (we do not ask for them); keep WeasyPrint's
            # behaviour there rather than guess.
            return super()._ua_stylesheets(forms) if forms else [sheet]

    return TrimmedHTML, True


def get_ready() -> None:
    """Import WeasyPrint and trim its stylesheet: what every layout needs first (a worker
    does it while the work is being prepared, jobs.Workers)."""
    _html_class()


def trimmed() -> bool:
    """Whether PDFs are rendered with the trimmed user-agent stylesheet."""
    return _html_class()[1]


# One layout at a time in a process: the font configuration and the stylesheets are shared,
# and the parts' hooks replace module functions of WeasyPrint while a part is written. The
# preview serves downloads from several threads; WeasyPrint holds the interpreter lock
# anyway, so nothing runs slower for it.
_LAYOUT = threading.RLock()
F = TypeVar("F", bound=Callable[..., Any])


def _one_at_a_time(fn: F) -> F:
    @wraps(fn)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LAYOUT:
            return fn(*args, **kwargs)
    return cast(F, locked)


WORD_JOINER = "\u2060"
# A kept word as the templates write it: escaped text, no markup inside.
_KEPT_WORD = re.compile(r'<span class="word">([^<]*)</span>')


def _joined(found: re.Match[str]) -> str:
    return escape(WORD_JOINER.join(unescape(found.group(1))), quote=False)


def joined_words(html: str) -> str:
    """``html`` with each kept word's span replaced by its characters joined by WORD JOINER."""
    return _KEPT_WORD.sub(_joined, html)


@_one_at_a_time
def html_to_pdf(html: str, base_url: str, *, trim: bool = True, join: bool = True) -> bytes:
    """The PDF of ``html``; ``trim=False`` renders with WeasyPrint's own stylesheet,
    ``join=False`` with the kept words as spans (the references the tests hold us to)."""
    import_weasyprint()  # imported late: it is slow to import and only PDF needs it
    import weasyprint

    cls = _html_class()[0] if trim else weasyprint.HTML
    pdf: bytes = _laid_out(cls, joined_words(html) if join else html, base_url).write_pdf()
    release_layout()
    return pdf


def _laid_out(cls: Any, html: str, base_url: str) -> Any:
    """``html`` laid out by WeasyPrint's ``cls``, its stylesheet parsed once per process and its
    fonts from the process's one font configuration."""
    body, sheet = _without_style(html, base_url)
    with _parsed_by_htmltree(body):
        document = cls(string=body, base_url=base_url)
    return document.render(stylesheets=[sheet] if sheet else None, font_config=_font_config())


class _Parsed:
    """Stands in for the tinyhtml5 module inside WeasyPrint: its ``parse`` gives a tree made before."""

    def __init__(self, tree: ET.Element) -> None:
        self.tree = tree

    def parse(self, *args: Any, **kwargs: Any) -> ET.Element:
        return self.tree


@contextmanager
def _parsed_by_htmltree(html: str) -> Iterator[None]:
    """Inside, WeasyPrint's ``HTML`` takes the tree of ``html`` that render/htmltree.py builds
    (the same tree, eight times faster) instead of parsing it with tinyhtml5, unless that
    page is not plain enough for it. WeasyPrint calls ``tinyhtml5.parse`` through its
    module's global ``tinyhtml5``, which is not public API: where that is not there (another
    WeasyPrint), tinyhtml5 parses as before and only time is lost. Called under the layout
    lock: no other thread is laying out meanwhile."""
    import weasyprint

    tree = htmltree.parse(html) if _tinyhtml5_in(weasyprint) else None
    if tree is None:
        yield
        return
    weasyprint.tinyhtml5 = _Parsed(tree)
    try:
        yield
    finally:
        weasyprint.tinyhtml5 = sys.modules["tinyhtml5"]


def _tinyhtml5_in(weasyprint: types.ModuleType) -> bool:
    found = getattr(weasyprint, "tinyhtml5", None)
    return found is not None and found is sys.modules.get("tinyhtml5") and callable(getattr(found, "parse", None))


def release_layout() -> None:
    """Free a laid-out document now. It is a web of reference cycles (boxes and their parents)
    and each of its fonts holds a copy of the font file (26 MB for Noto CJK): left to the
    collector, a process writing table after table grows by hundreds of MB. What survives
    the collection (modules, WeasyPrint's caches) is then frozen, so the next collection walks
    only what the next document made, not the whole heap again (a full walk per document
    cost about an eighth of a department's layout time)."""
    gc.collect()
    gc.freeze()


# -- parts: laid out one by one, their fonts embedded once when merged (bundle/pdfmerge.py) ----------
#
# A part's PDF is never shown as it is: its pages are merged with the others', and every
# font is embedded once, as a subset over the glyphs all parts use. Subsetting a CJK font
# costs WeasyPrint about 0.07 s a font a document, so a part is written without it: the
# glyph data is left out (an empty font file) and only what the merge needs is kept —
# the glyph widths and text of each font (recorded here, also in the PDF) and how to
# find the font again (family, weight, style). WeasyPrint has no public hook there:
# ``weasyprint.pdf.build_fonts_dictionary`` is wrapped while one document is written.
# Where it is not found (another WeasyPrint), :func:`parts_supported` says so and the
# document is laid out whole, as before.

SCALE = 0.75  # PDF points per CSS pixel (WeasyPrint's, at zoom 1)


@cache
def parts_supported() -> bool:
    """Whether this WeasyPrint lets fonts be embedded once for merged parts."""
    try:
        import_weasyprint()
        import weasyprint.pdf as wp_pdf
        from weasyprint.pdf.fonts import Font
    except ImportError:
        return False
    return callable(getattr(wp_pdf, "build_fonts_dictionary", None)) and callable(getattr(Font, "clean", None))


@contextmanager
def _before_fonts_are_built(change: Callable[[Any], None]) -> Iterator[None]:
    """Call ``change(font)`` on every font of the document written inside, before it is embedded."""
    import weasyprint.pdf as wp_pdf

    original = wp_pdf.build_fonts_dictionary

    def build(pdf: Any, fonts: dict[Any, Any], *args: Any, **kwargs: Any) -> Any:
        for font in fonts.values():
            change(font)
        return original(pdf, fonts, *args, **kwargs)

    wp_pdf.build_fonts_dictionary = build
    try:
        yield
    finally:
        wp_pdf.build_fonts_dictionary = original


@contextmanager
def _font_files_unread() -> Iterator[None]:
    """Inside, WeasyPrint does not copy a font's file into each font it writes (26 MB for
    Noto CJK, a font a part: about a twentieth of a part's time): a part's fonts carry no
    glyph data. ``weasyprint.pdf.fonts.get_hb_object_data`` is not public API either: where
    it is not found, the file is copied, then dropped (only time is lost)."""
    try:
        import weasyprint.pdf.fonts as wp_fonts

        original = wp_fonts.get_hb_object_data
    except (ImportError, AttributeError):
        yield
        return
    wp_fonts.get_hb_object_data = _no_data
    try:
        yield
    finally:
        wp_fonts.get_hb_object_data = original


@contextmanager
def _no_object_streams() -> Iterator[None]:
    """Inside, pydyf writes each object on its own, not packed into a compressed object
    stream (its streams are compressed all the same): pypdf reads a part written so four
    times faster when it is merged (浦江镇's 43 parts: 0.12 → 0.03 s), for 40 % more bytes in
    the cache. The merged PDF is the same bytes: pypdf writes the objects it copies afresh.
    ``pydyf.PDF.write``'s ``compress`` keyword is public, but WeasyPrint decides it: the
    method is wrapped while a part is written (under the layout lock)."""
    try:
        import pydyf

        original = pydyf.PDF.write
    except (ImportError, AttributeError):
        yield
        return

    def write(self: Any, output: Any, version: bytes = b"1.7", identifier: Any = False, compress: bool = False) -> Any:
        return original(self, output, version, identifier, False)

    pydyf.PDF.write = write
    try:
        yield
    finally:
        pydyf.PDF.write = original


def _no_data(*args: Any) -> bytes:
    return b""


def _no_subset(to_unicode: Any, hinting: Any) -> None:
    """A font's ``clean`` in a part: no subset (the merge makes one over every part's glyphs).
    A plain function, not bound to the font: a font referring to itself would be freed only
    by the cycle collector, and each holds its whole font file (26 MB for Noto CJK)."""


# A part's HTML holds the whole print and disclosure CSS in its <style>: the same text in
# every part, parsed once per process instead of once per part (with the HTML parser
# reading it character by character, about a tenth of a part's time).
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _without_style(html: str, base_url: str) -> tuple[str, Any]:
    """``html`` without its <style> element, and that stylesheet parsed (cached by its text)."""
    found = _STYLE.search(html)
    if found is None:
        return html, None
    return html[:found.start()] + html[found.end():], _stylesheet(found.group(1), base_url)


@lru_cache(maxsize=8)
def _stylesheet(css: str, base_url: str) -> Any:
    import_weasyprint()
    import weasyprint

    return weasyprint.CSS(string=css, base_url=base_url, font_config=_font_config())


@cache
def _font_config() -> Any:
    """One font configuration for every part a process lays out, as WeasyPrint means it to be
    shared: made once instead of once a part, and the stylesheet's ``@font-face`` rules
    (a template's own fonts), registered when it is parsed, are there for every part."""
    import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@_one_at_a_time
def lay_out_part(html: str, base_url: str) -> tuple[bytes, dict[str, Any]]:
    """A part's PDF, its fonts without glyph data, and what the merge needs to know of it:
    ``pages``, ``bookmarks`` (level, label, page, x, y, state; PDF coordinates) and
    ``fonts`` (by WeasyPrint's font key: family, weight, style, glyph widths and text),
    ``mergeable`` (false for a font the merge cannot embed again: a bitmap font, or
    glyphs missing)."""
    if not parts_supported():  # the fonts could not be embedded once: the document is laid out whole
        return b"", {"pages": 0, "bookmarks": [], "fonts": {}, "mergeable": False}
    fonts: dict[str, dict[str, Any]] = {}
    mergeable = True

    def record(font: Any) -> None:
        nonlocal mergeable
        use = fonts.setdefault(font.hash, {"family": font.family, "weight": int(font.weight),
                                           "style": int(font.style), "widths": {}, "text": {}})
        use["widths"].update({str(g): w for g, w in sorted(font.widths.items())})
        use["text"].update({str(g): t for g, t in sorted(font.to_unicode.items())})
        if font.bitmap or font.missing:
            mergeable = False
        else:
            font.clean = _no_subset
            # No glyph data in a part, nor widths and text (recorded above): the merge replaces
            # the part's fonts, so they would only make the part longer to store and read back.
            font.file_content = b""
            font.widths, font.to_unicode = {}, {}

    document = _laid_out(_html_class()[0], joined_words(html), base_url)
    bookmarks = [[level, label, n, SCALE * x, SCALE * (page.height - y), state]
                 for n, page in enumerate(document.pages)
                 for level, label, (x, y), state in page.bookmarks]
    with _before_fonts_are_built(record), _font_files_unread(), _no_object_streams():
        pdf: bytes = document.write_pdf()
    pages = len(document.pages)
    del document  # one process holds one part's layout at a time
    release_layout()
    return pdf, {"pages": pages, "bookmarks": bookmarks, "fonts": fonts, "mergeable": mergeable}


_PANGO_STYLES = {0: "normal", 1: "oblique", 2: "italic"}


@_one_at_a_time
def union_fonts(fonts: dict[str, dict[str, Any]], base_url: str) -> bytes:
    """A small PDF whose fonts are those of ``fonts`` (by key), each embedded as WeasyPrint
    embeds it in one document whose text used every glyph of ``fonts``: one character of
    each font is laid out, then its glyph widths and text become the union's before it
    is subset. A key missing from the result is a font this probe could not find again."""
    paragraphs = []
    for use in fonts.values():
        sample = next((t for t in use["text"].values() if len(t) == 1 and not t.isspace()), None)
        if sample is None:
            continue
        family = use["family"].replace("\\", "\\\\").replace("'", "\\'")
        style = _PANGO_STYLES.get(use["style"], "normal")
        paragraphs.append(f"<p style=\"font-family: '{escape(family)}'; font-weight: {use['weight']}; "
                          f"font-style: {style}\">{escape(sample)}</p>")
    html = f"<!DOCTYPE html><html><body>{''.join(paragraphs)}</body></html>"

    def widen(font: Any) -> None:
        use = fonts.get(font.hash)
        if use is not None:
            font.widths = {int(g): w for g, w in use["widths"].items()}
            font.to_unicode = {int(g): t for g, t in use["text"].items()}

    with _before_fonts_are_built(widen):
        return _html_class()[0](string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]
