"""Writing disclosure documents in the requested formats, atomically, the PDF's parts in parallel.

A document whose sources have not changed since the last build (its options, and the
bytes of every spec it is made from and of their _defaults.yaml files, as ``render``
keys a table: Disclosure.sources) is written from the build cache as that build left it,
without laying out its tables or making its HTML, and without starting a worker when no
document needs one: each file it wrote is recorded in the cache under those sources
(:func:`_made_before`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.bundle import Disclosure
from jixiao.bundle.html_pdf import UnitEntries, check_glyphs, laid_out, render_disclosure
from jixiao.bundle.parts import (
    LaidOut,
    MergeError,
    assemble,
    foreseen_front,
    lay_out,
    project_parts,
    summary_part,
    template_has_parts,
    to_lay_out,
    unpack,
)
from jixiao.cache import is_key, key_of
from jixiao.files import safe_name, write_if_changed
from jixiao.jobs import Workers
from jixiao.render import Renderer
from jixiao.render.pdf import get_ready

if TYPE_CHECKING:
    from jixiao.bundle.pdfmerge import Readers


def disclosure_path(d: Disclosure) -> Path:
    return Path(safe_name(d.department)) / str(d.year) / safe_name(d.title)


def disclosure_workers(formats: Sequence[str], template_dir: Path, jobs: int, threaded: bool = False) -> Workers:
    """The worker processes that lay out the disclosure PDF's parts (none: one job, or no
    PDF in parts), started now, each importing WeasyPrint: by :func:`write_disclosures`
    for its run, or by the preview at its first download, kept until it stops (the caller
    stops them: a context manager). ``threaded``: see jobs.start_method."""
    in_parts = "pdf" in formats and template_has_parts(template_dir)
    return Workers(jobs if in_parts else 1, get_ready, threaded)


@dataclass
class _Document:
    d: Disclosure
    units: list[UnitEntries]
    renderer: Renderer
    sources: str | None = None  # Disclosure.sources, with a build cache: where its files are recorded
    parts: list[str] = field(default_factory=list)  # the summary's and each project's part (HTML)
    front: list[str] = field(default_factory=list)  # its contents and page numbers as foreseen (HTML)

    @cached_property
    def html(self) -> str:
        """The whole document's HTML: the HTML output, and the key of the other formats (of
        the PDF too, when it is not assembled from parts). Made when first asked for."""
        return render_disclosure(self.d, self.units, self.renderer)

    def source(self, fmt: str) -> str:
        """What the ``fmt`` file is made from, hashed: for a PDF assembled from parts, the
        parts and the contents and page numbers as foreseen (every input of the merged PDF
        is in them: the contents as laid out differ only in page numbers, which the parts'
        lengths decide), so a PDF-only build never renders the whole document."""
        return key_of(*self.parts, *self.front) if fmt == "pdf" and self.parts else key_of(self.html)


def write_disclosures(bundles: Sequence[Disclosure], renderer: Renderer, formats: Sequence[str],
                      out_dir: Path, jobs: int = 1,
                      file_done: Callable[[Disclosure, str, Path], None] | None = None,
                      workers: Workers | None = None, readers: Readers | None = None,
                      ) -> Iterator[tuple[Disclosure, list[Path]]]:
    """Write every document in every format; yields each document with its files, in order.

    ``file_done(document, format, path)`` hears of each file as it comes back, before
    its document is yielded. ``workers`` (:func:`disclosure_workers`, kept by the caller,
    which stops them) lay out the parts instead of ``jobs`` processes started here;
    ``readers`` keeps the parts read by one merge for the next (the preview's).

    Every document's HTML (or, for a PDF alone, its parts' HTML) is made, and its glyphs
    checked, before any file is written, so a character no font has, in the last
    department, leaves no document of the first ones behind. The PDF is assembled from
    parts (bundle/parts.py): the summary, every project, and the contents and page numbers
    as foreseen, of every document, are laid out first (those not in the build cache), in
    up to ``jobs`` processes, one part at a time each; then, here, each document is merged
    (the contents laid out again if they were foreseen wrong). The processes are started
    first, to import WeasyPrint while the documents are prepared here; the summary's part,
    the longest but for the front matter, is started as soon as it is made. A document
    whose sources did not change since it was last written is read back from the cache
    first (see the module), and none of this is done for it: no processes are started
    when no document needs them.
    """
    in_parts = "pdf" in formats and template_has_parts(renderer.template_dir)
    sources = [d.sources() if renderer.cache is not None else None for d in bundles]
    made = [_made_before(key, renderer, formats) for key in sources]
    todo = [(d, key) for d, key, files in zip(bundles, sources, made, strict=True) if files is None]
    pool: AbstractContextManager[Workers] = nullcontext(workers) if workers is not None \
        else disclosure_workers(formats if todo else (), renderer.template_dir, jobs)
    with pool as running:
        docs: list[_Document] = []
        laying: dict[str, Callable[[], bytes]] = {}  # each part being laid out, by its HTML
        start = partial(_start, renderer, running, laying)
        for d, key in todo:  # a document's parts are laid out while the next one is prepared
            docs.append(_prepare(d, key, renderer, formats, in_parts, start))
            if in_parts:
                _start_parts(docs[-1], start)
        # Without a build cache the parts are kept here, by their HTML (a few tens of KB
        # each: no glyph data); with one, they are read from it when merged.
        laid: dict[str, bytes] = {}
        for html, wait in laying.items():
            data = wait()
            if renderer.cache is None:
                laid[html] = data
        prepared = iter(docs)
        for d, before in zip(bundles, made, strict=True):
            doc = next(prepared) if before is None else None
            files: list[Path] = []
            for fmt in formats:
                if doc is not None:
                    files.append(_write_one(doc, fmt, renderer, out_dir, laid, running, readers))
                else:
                    assert before is not None
                    files.append(_write(d, fmt, before[fmt], out_dir))
                if file_done is not None:
                    file_done(d, fmt, files[-1])
            yield d, files


def _prepare(d: Disclosure, sources: str | None, renderer: Renderer, formats: Sequence[str], in_parts: bool,
             start: Callable[[Sequence[str]], None]) -> _Document:
    """A document's tables in grids, its glyphs checked, its parts' HTML made (a PDF in parts;
    the summary's ``start``-ed as soon as it is made: the longest but for the front matter,
    and after one edit the part the merge waits for), and its whole HTML unless only that
    PDF is asked for: made now, so that a template error stops the run before any file is
    written."""
    units = laid_out(d, renderer)
    summary = summary_part(d, units, renderer) if in_parts else ""
    if in_parts:  # before the glyphs are checked: a part laid out writes no file
        start([summary])
    check_glyphs(d, units, renderer)
    doc = _Document(d, units, renderer, sources)
    if in_parts:
        doc.parts = [summary, *project_parts(d, units, renderer)]
        doc.front = foreseen_front(d, units, renderer)
    if not in_parts or set(formats) != {"pdf"}:
        doc.html  # noqa: B018 -- the cached property made
    return doc


def _start_parts(doc: _Document, start: Callable[[Sequence[str]], None]) -> None:
    """Start laying out the parts of ``doc`` not started yet, unless the build cache holds the
    whole PDF. Longest first, so that the last to finish, while the other processes wait,
    is a short one: the front matter (the page numbers' empty pages take longest, for the
    least HTML), then the parts by the length of their HTML, about their layout time."""
    if doc.renderer.has_cached("bundle.pdf", doc.source("pdf")):
        to_lay_out(doc.renderer, [*doc.parts, *doc.front])  # counted as used: kept when the cache is pruned
        return
    front = set(doc.front)
    start(sorted([*doc.parts, *doc.front], key=lambda h: (h not in front, -len(h))))


def _start(renderer: Renderer, workers: Workers, laying: dict[str, Callable[[], bytes]],
           htmls: Sequence[str]) -> None:
    """Start laying out, in order, the parts of ``htmls`` that neither the build cache holds
    nor ``laying`` has (adding them to it)."""
    for html in to_lay_out(renderer, [h for h in htmls if h not in laying]):
        laying[html] = workers.later(lay_out, renderer, html)


def _pdf(doc: _Document, renderer: Renderer, laid: dict[str, bytes], workers: Workers,
         readers: Readers | None) -> bytes:
    if doc.parts:
        try:
            return assemble(doc.d, doc.units, renderer, doc.parts, partial(_laid, renderer, laid), workers, readers)
        except MergeError:
            pass  # laid out whole, as a template without parts is
    return renderer.pdf_bytes(doc.html)


def _laid(renderer: Renderer, laid: dict[str, bytes], html: str) -> LaidOut:
    """A part: laid out in this run (without a build cache), else from the cache or now."""
    return unpack(laid.get(html) or lay_out(renderer, html))


def _write_one(doc: _Document, fmt: str, renderer: Renderer, out_dir: Path, laid: dict[str, bytes],
               workers: Workers, readers: Readers | None) -> Path:
    source = doc.source(fmt)
    if fmt == "html":
        data = renderer.cached("bundle.html", source, partial(str.encode, doc.html, "utf-8"))
    elif fmt == "pdf":
        data = renderer.cached("bundle.pdf", source, partial(_pdf, doc, renderer, laid, workers, readers))
    elif fmt == "xlsx":
        from jixiao.bundle.xlsx import disclosure_xlsx

        data = renderer.cached("bundle.xlsx", source, partial(disclosure_xlsx, doc.d, renderer))
    else:
        from jixiao.bundle.docx import disclosure_docx

        data = renderer.cached("bundle.docx", source, partial(disclosure_docx, doc.d, renderer))
    _remember(doc, fmt, source)
    return _write(doc.d, fmt, data, out_dir)


def _write(d: Disclosure, fmt: str, data: bytes, out_dir: Path) -> Path:
    base = out_dir / disclosure_path(d)
    path = base.with_name(f"{base.name}.{fmt}")
    write_if_changed(path, data, out_dir)
    return path


# -- a document unchanged since the last build ------------------------------------------------------


def _remember(doc: _Document, fmt: str, source: str) -> None:
    """Record under the document's sources where its ``fmt`` file is in the cache, and (a PDF
    in parts) its parts, which a build served this way still counts as used."""
    if doc.renderer.cache is None or doc.sources is None:
        return
    uses = [doc.renderer.cache_key("bundle.part", key_of(h)) for h in (*doc.parts, *doc.front)] if fmt == "pdf" else []
    record = {"entry": doc.renderer.cache_key(f"bundle.{fmt}", source), "uses": uses}
    doc.renderer.cache.put(doc.renderer.cache_key(f"bundle.{fmt}.made", doc.sources), json.dumps(record).encode("ascii"))


def _made_before(sources: str | None, renderer: Renderer, formats: Sequence[str]) -> dict[str, bytes] | None:
    """Each ``formats`` file of the document made from ``sources`` (Disclosure.sources) as the
    last build from them made it, from the cache; None unless every one is there, whole."""
    if renderer.cache is None or sources is None:
        return None
    files: dict[str, bytes] = {}
    for fmt in formats:
        found = renderer.cache.get(renderer.cache_key(f"bundle.{fmt}.made", sources))
        try:
            record = json.loads(found) if found else None
        except ValueError:
            return None
        if not isinstance(record, dict) or not is_key(record.get("entry")) or not isinstance(record.get("uses"), list):
            return None
        data = renderer.cache.get(record["entry"])
        if data is None:
            return None
        for used in record["uses"]:
            if is_key(used):
                renderer.cache.has(used)  # counted as used: kept when the cache is pruned
        files[fmt] = data
    return files
