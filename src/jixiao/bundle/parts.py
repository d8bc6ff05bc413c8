"""The disclosure PDF laid out in parts: the summary, one part per project, then the cover and contents.

Each project's table is a part of its own (its unit's heading with the unit's first
project), laid out by WeasyPrint on its own — in a worker process with ``-j`` — and kept
in the build cache under the hash of its HTML: editing one project lays out only that
part again, plus the summary when an amount or name changed. The summary is a part too,
and so are the cover and contents, laid out last: the contents print the page where
the summary and each table start, known once the other parts' lengths are. The
contents' own length moves every number: they are laid out with a guess of it (its
length at the last build of the same document, else an estimate from the number of
lines) and again when they come out longer or shorter.

Page numbers are not laid out with the parts (they would change with every part before
them): a stamp document of empty pages, made from the same template and CSS with the
numbers as literal text, gives each page its number, in chunks of :data:`STAMP_CHUNK`
pages. :mod:`jixiao.bundle.pdfmerge` puts it all together; nothing holds more than one
part's layout at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from jixiao.bundle import Disclosure
from jixiao.bundle.html_pdf import PAGE_CONTENT, Entry, UnitEntries, render_disclosure
from jixiao.bundle.pdfmerge import LaidOut, MergeError, merge
from jixiao.cache import key_of
from jixiao.render import Renderer
from jixiao.render.pdf import lay_out_part, parts_supported, union_fonts

PARTS_MARK = "jixiao:parts"  # a disclosure template that prints one part when given ``part``
STAMP_CHUNK = 100  # pages per stamp document
CONTENTS_LINES = 30  # contents lines a page holds, about: the first guess of the contents' length
STAMP_CONTENT = "string(jixiao-page)"


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


def template_has_parts(renderer: Renderer) -> bool:
    """Whether the disclosure PDF can be made in parts: a template that knows them, a
    WeasyPrint whose fonts can be embedded once."""
    try:
        source = (renderer.template_dir / "disclosure.html.j2").read_text(encoding="utf-8")
    except OSError:
        return False
    return PARTS_MARK in source and parts_supported()


def project_parts(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> list[str]:
    """Each project's part, as HTML, in document order."""
    return [render_disclosure(d, [UnitEntries(unit.name, [entry])], renderer, ProjectPart(entry, n == 0))
            for unit in units for n, entry in enumerate(unit.entries)]


def parts_before_contents(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> list[str]:
    """The parts laid out before the contents, as HTML: the summary, then each project's.
    None depends on another: they are laid out in parallel."""
    return [render_disclosure(d, units, renderer, SummaryPart()), *project_parts(d, units, renderer)]


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
    cache = renderer.cache
    todo = dict.fromkeys(h for h in htmls if cache is None
                         or not cache.has(key_of(renderer.identity, "bundle.part", key_of(h))))
    return list(todo)


def page_texts(style: str, total: int) -> Iterator[str]:
    """Each page's number as printed in ``style`` (PAGE_CONTENT's counters, written out)."""
    tokens = re.findall(r'"([^"]*)"|counter\((pages?)\)', PAGE_CONTENT[style])
    for n in range(1, total + 1):
        yield "".join(text if not counter else str(n if counter == "page" else total) for text, counter in tokens)


def assemble(d: Disclosure, units: list[UnitEntries], renderer: Renderer, parts: Sequence[bytes]) -> bytes:
    """The document's PDF from the parts of :func:`parts_before_contents` (packed, in order). Raises
    :class:`MergeError` when the fonts cannot be embedded once; the caller then lays the
    document out whole."""
    summary, *laid = [unpack(p) for p in parts]
    if not all(p.meta["mergeable"] for p in (summary, *laid)):
        raise MergeError("a part uses a font that cannot be merged")
    lengths = [p.meta["pages"] for p in laid]
    front = _contents(d, units, renderer, summary.meta["pages"], lengths)
    total = front.meta["pages"] + summary.meta["pages"] + sum(lengths)
    texts = list(page_texts(d.page_style, total))
    stamps = [_laid(renderer, "bundle.stamps",
                    render_disclosure(d, [], renderer, StampsPart(tuple(texts[i:i + STAMP_CHUNK])), STAMP_CONTENT))
              for i in range(0, total, STAMP_CHUNK)]
    fonts = _union([front, summary, *laid, *stamps])
    source = json.dumps(fonts, ensure_ascii=False, sort_keys=True)
    base = str(renderer.template_dir)
    probe = renderer.cached("bundle.fonts", key_of(source), partial(union_fonts, fonts, base))
    return merge([front, summary, *laid], [s.pdf for s in stamps], probe)


def _laid(renderer: Renderer, kind: str, html: str) -> LaidOut:
    return unpack(renderer.cached(kind, key_of(html), partial(_make_part, html, str(renderer.template_dir))))


def _contents(d: Disclosure, units: list[UnitEntries], renderer: Renderer, summary: int,
              lengths: Sequence[int]) -> LaidOut:
    """The cover and contents, laid out with the page of every anchor after them."""
    hint = key_of("contents pages", d.department, str(d.year), d.phase, d.title)
    entries = [e for u in units for e in u.entries]
    guess = 1 + max(1, -(-(1 + len(units) + len(entries)) // CONTENTS_LINES))
    if renderer.cache is not None and (known := renderer.cache.get(hint)) is not None and known.isdigit():
        guess = int(known)
    for _ in range(4):
        pages, start = {"summary": guess + 1}, guess + 1 + summary
        for entry, length in zip(entries, lengths, strict=True):
            pages[f"p-{entry.n}"] = start
            start += length
        front = _laid(renderer, "bundle.contents", render_disclosure(d, units, renderer, ContentsPart(pages)))
        if front.meta["pages"] == guess:
            break
        guess = front.meta["pages"]
    else:  # two lengths alternating (a number one digit longer wraps a line): laid out whole
        raise MergeError("the contents' length does not settle")
    if renderer.cache is not None:
        renderer.cache.put(hint, str(guess).encode("ascii"))
    return front


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
