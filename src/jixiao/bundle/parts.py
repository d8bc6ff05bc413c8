"""The disclosure PDF laid out in parts: the summary, one part per project, the cover and contents, the page numbers.

Each project's table is a part of its own (its unit's heading with the unit's first
project), laid out by WeasyPrint on its own — in a worker process with ``-j`` — and kept
in the build cache under the hash of its HTML: editing one project lays out only that
part again, plus the summary when an amount or name changed. The summary is a part too,
and so are the cover and contents: the contents print the page where the summary and
each table start. Those pages are foreseen (a table's length is known before it is laid
out; the summary's and the contents' own are taken from the last build of the document,
else estimated), so the contents are laid out with the other parts, in parallel; when
the parts come out other than foreseen, the contents are laid out again, as often as
their own length changes.

Page numbers are not laid out with the parts (they would change with every part before
them): a stamp document of empty pages, made from the same template and CSS with the
numbers as literal text, gives each page its number, in chunks of :data:`STAMP_CHUNK`
pages. :mod:`jixiao.bundle.pdfmerge` puts it all together; nothing holds more than one
part's layout at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.bundle import Disclosure
from jixiao.bundle.html_pdf import PAGE_CONTENT, Entry, UnitEntries, render_disclosure
from jixiao.cache import key_of
from jixiao.jobs import Workers
from jixiao.render import Renderer
from jixiao.render.pdf import lay_out_part, union_fonts

if TYPE_CHECKING:
    from jixiao.bundle.pdfmerge import Readers

PARTS_MARK = "jixiao:parts"  # a disclosure template that prints one part when given ``part``
STAMP_CHUNK = 100  # pages per stamp document
CONTENTS_LINES = 30  # contents lines a page holds, about: the first guess of the contents' length
SUMMARY_ROWS = 32  # summary rows a page holds, about: the first guess of the summary's length
STAMP_CONTENT = "string(jixiao-page)"


class MergeError(Exception):
    """The parts cannot be merged faithfully (a font not found again); the caller lays the
    document out whole instead."""


@dataclass(frozen=True)
class LaidOut:
    """A part laid out: its PDF (fonts without glyph data) and what the merge needs to know of it."""
    pdf: bytes
    meta: dict[str, Any]


@dataclass(frozen=True)
class ProjectPart:
    entry: Entry
    first: bool  # the first of its unit: the unit's heading is printed above it
    kind: str = "project"


@dataclass(frozen=True)
class ContentsPart:
    pages: dict[str, int]  # the page each anchor is on: summary, p-1, p-2 …
    kind: str = "contents"


@dataclass(frozen=True)
class SummaryPart:
    kind: str = "summary"


@dataclass(frozen=True)
class StampsPart:
    texts: tuple[str, ...]
    kind: str = "stamps"


def template_has_parts(template_dir: Path) -> bool:
    """Whether the disclosure PDF can be made in parts: a template that knows them. (Whether
    WeasyPrint can embed their fonts once is known where they are laid out: a part that
    cannot be merged makes :func:`assemble` give up.)"""
    try:
        source = (template_dir / "disclosure.html.j2").read_text(encoding="utf-8")
    except OSError:
        return False
    return PARTS_MARK in source


def project_parts(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> list[str]:
    """Each project's part, as HTML, in document order."""
    return [render_disclosure(d, [UnitEntries(unit.name, [entry])], renderer, ProjectPart(entry, n == 0))
            for unit in units for n, entry in enumerate(unit.entries)]


def summary_part(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> str:
    return render_disclosure(d, units, renderer, SummaryPart())


def parts_before_contents(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> list[str]:
    """The parts laid out before the contents, as HTML: the summary, then each project's.
    None depends on another: they are laid out in parallel."""
    return [summary_part(d, units, renderer), *project_parts(d, units, renderer)]


def pack(pdf: bytes, meta: dict[str, Any]) -> bytes:
    """A laid-out part as one cache entry: its facts as a JSON line, then the PDF."""
    return json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" + pdf


def unpack(data: bytes) -> LaidOut:
    head, _, pdf = data.partition(b"\n")
    return LaidOut(pdf, json.loads(head))


def lay_out(renderer: Renderer, html: str) -> bytes:
    """A part laid out (packed), from the build cache when it holds it. Module level and
    taking the renderer first: a worker's job (jobs.run_jobs)."""
    make = partial(_make_part, html, str(renderer.template_dir))
    return renderer.cached("bundle.part", key_of(html), make)


def _make_part(html: str, base_url: str) -> bytes:
    return pack(*lay_out_part(html, base_url))


def to_lay_out(renderer: Renderer, htmls: Sequence[str]) -> list[str]:
    """Of ``htmls``, those the build cache does not hold (each once)."""
    return list(dict.fromkeys(h for h in htmls if not renderer.has_cached("bundle.part", key_of(h))))


def page_texts(style: str, total: int) -> Iterator[str]:
    """Each page's number as printed in ``style`` (PAGE_CONTENT's counters, written out)."""
    tokens = re.findall(r'"([^"]*)"|counter\((pages?)\)', PAGE_CONTENT[style])
    for n in range(1, total + 1):
        yield "".join(text if not counter else str(n if counter == "page" else total) for text, counter in tokens)


@dataclass(frozen=True)
class Lengths:
    """A document's length in pages, part by part: laid out, or foreseen before."""
    front: int  # the cover and contents
    summary: int
    parts: tuple[int, ...]  # each project's

    @property
    def total(self) -> int:
        return self.front + self.summary + sum(self.parts)


def foreseen_front(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> list[str]:
    """The contents and page numbers as they will be if every part is as long as foreseen, as
    HTML: laid out with the parts, in parallel, instead of after them. A table's length is
    known before it is laid out (render/paginate.py breaks its pages: ``Grid.pages``); the
    summary's and the contents' are those of the last build of the document, else estimated
    from their lines. A wrong guess costs time only: :func:`assemble` lays out what it needs."""
    entries = [e for u in units for e in u.entries]
    rows = len(d.summary.rows) if d.summary is not None else 0
    known = _known_lengths(d, renderer)
    guess = Lengths(_front_guess(known, units, len(entries)),
                    known.get("summary") or max(1, -(-rows // SUMMARY_ROWS)),
                    tuple(e.grid.pages for e in entries))
    return [_contents_html(d, units, renderer, guess), *_stamps_html(d, renderer, guess.total)]


def assemble(d: Disclosure, units: list[UnitEntries], renderer: Renderer, parts: Sequence[str],
             lay: Callable[[str], LaidOut], workers: Workers, readers: Readers | None = None) -> bytes:
    """The document's PDF from the parts of :func:`parts_before_contents` (HTML, in order),
    each laid out by ``lay``, as are the contents and the page numbers; the fonts embedded
    by one of ``workers`` (which has WeasyPrint ready); ``readers``: the parts' PDFs read
    by earlier merges (pdfmerge.Readers). Raises :class:`MergeError` when the fonts cannot
    be embedded once; the caller then lays the document out whole."""
    summary, *laid = [lay(h) for h in parts]
    if not all(p.meta["mergeable"] for p in (summary, *laid)):
        raise MergeError("a part uses a font that cannot be merged")
    front = _contents(d, units, renderer, lay, summary.meta["pages"], tuple(p.meta["pages"] for p in laid))
    total = front.meta["pages"] + summary.meta["pages"] + sum(p.meta["pages"] for p in laid)
    stamps = [lay(h) for h in _stamps_html(d, renderer, total)]
    fonts = _embedded_fonts(renderer, _union([front, summary, *laid, *stamps]), workers)
    from jixiao.bundle.pdfmerge import merge  # pypdf: only when a PDF is assembled

    return merge([front, summary, *laid], [s.pdf for s in stamps], fonts, readers)


def _embedded_fonts(renderer: Renderer, fonts: dict[str, dict[str, Any]], workers: Workers) -> Callable[[], bytes]:
    """The PDF that embeds ``fonts`` (render.pdf.union_fonts), when asked for: from the build
    cache, or made by a worker, started now, while the pages are being merged here."""
    kind, source = "bundle.fonts", key_of(json.dumps(fonts, ensure_ascii=False, sort_keys=True))
    base = str(renderer.template_dir)
    if renderer.has_cached(kind, source):  # made only if the entry turns out damaged
        return partial(renderer.cached, kind, source, partial(workers.call, union_fonts, fonts, base))
    return partial(renderer.cached, kind, source, workers.later(union_fonts, fonts, base))


def _contents_html(d: Disclosure, units: list[UnitEntries], renderer: Renderer, lengths: Lengths) -> str:
    """The cover and contents, with the page of every anchor after them."""
    pages, start = {"summary": lengths.front + 1}, lengths.front + 1 + lengths.summary
    for entry, length in zip((e for u in units for e in u.entries), lengths.parts, strict=True):
        pages[f"p-{entry.n}"] = start
        start += length
    return render_disclosure(d, units, renderer, ContentsPart(pages))


def _stamps_html(d: Disclosure, renderer: Renderer, total: int) -> list[str]:
    """The page numbers of a document of ``total`` pages, in stamp documents of STAMP_CHUNK pages."""
    texts = list(page_texts(d.page_style, total))
    return [render_disclosure(d, [], renderer, StampsPart(tuple(texts[i:i + STAMP_CHUNK])), STAMP_CONTENT)
            for i in range(0, total, STAMP_CHUNK)]


def _contents(d: Disclosure, units: list[UnitEntries], renderer: Renderer, lay: Callable[[str], LaidOut],
              summary: int, parts: tuple[int, ...]) -> LaidOut:
    """The cover and contents, laid out with the page of every anchor after them. Their own
    length moves every number: laid out with a guess of it, and again when it is wrong."""
    guess = _front_guess(_known_lengths(d, renderer), units, len(parts))
    for _ in range(4):
        front = lay(_contents_html(d, units, renderer, Lengths(guess, summary, parts)))
        if front.meta["pages"] == guess:
            break
        guess = front.meta["pages"]
    else:  # two lengths alternating (a number one digit longer wraps a line): laid out whole
        raise MergeError("the contents' length does not settle")
    if renderer.cache is not None:
        known = json.dumps({"front": guess, "summary": summary}, sort_keys=True)
        renderer.cache.put(_lengths_key(d), known.encode("ascii"))
    return front


def _front_guess(known: dict[str, int], units: list[UnitEntries], projects: int) -> int:
    """The cover and contents' length: as at the last build (``known``), else from the contents' lines."""
    lines = 1 + len(units) + projects
    return known.get("front") or 1 + max(1, -(-lines // CONTENTS_LINES))


def _lengths_key(d: Disclosure) -> str:
    return key_of("document lengths", d.department, str(d.year), d.phase, d.title)


def _known_lengths(d: Disclosure, renderer: Renderer) -> dict[str, int]:
    """The front matter's and summary's lengths at the last build of the same document (a
    hint: anything unreadable is no hint)."""
    found = renderer.cache.get(_lengths_key(d)) if renderer.cache is not None else None
    try:
        known = json.loads(found) if found else {}
    except ValueError:
        return {}
    if not isinstance(known, dict):
        return {}
    return {k: v for k, v in known.items() if k in ("front", "summary") and isinstance(v, int) and 0 < v < 10_000}


def _union(parts: Sequence[LaidOut]) -> dict[str, dict[str, Any]]:
    """Every font of ``parts`` with the glyphs all of them use (the first part's width and
    text of a glyph where two differ)."""
    out: dict[str, dict[str, Any]] = {}
    for part in parts:
        for key, use in part.meta["fonts"].items():
            known = out.setdefault(key, {"family": use["family"], "weight": use["weight"], "style": use["style"],
                                         "widths": {}, "text": {}})
            for field in ("widths", "text"):
                for glyph, value in use[field].items():
                    known[field].setdefault(glyph, value)
    for use in out.values():
        for field in ("widths", "text"):
            use[field] = dict(sorted(use[field].items(), key=lambda item: int(item[0])))
    return dict(sorted(out.items()))
