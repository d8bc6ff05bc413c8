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
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Rules that give every element a pseudo-element no template of ours prints.
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z-]+\s*\{[^}]*\}[ \t]*\n", re.M)
_MARKER_RULE = "::marker {"
# The one element WeasyPrint's own sheet makes ``display: list-item``.
_LIST_ITEMS = "li::marker {"


def _trimmed_sheet() -> Any | None:
    """WeasyPrint's HTML stylesheet without the note rules, or None if it is not found."""
    try:
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


def trimmed() -> bool:
    """Whether PDFs are rendered with the trimmed user-agent stylesheet."""
    return _html_class()[1]


def html_to_pdf(html: str, base_url: str, *, trim: bool = True) -> bytes:
    """The PDF of ``html``; ``trim=False`` renders with WeasyPrint's own stylesheet."""
    import weasyprint  # imported late: it is slow to import and only PDF needs it

    cls = _html_class()[0] if trim else weasyprint.HTML
    return cls(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]
