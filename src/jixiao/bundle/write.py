"""Writing disclosure documents in the requested formats, atomically, in parallel."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jixiao.bundle import Disclosure
from jixiao.bundle.html_pdf import disclosure_html
from jixiao.cache import key_of
from jixiao.files import safe_name, write_if_changed
from jixiao.jobs import run_jobs
from jixiao.render import Renderer


def disclosure_path(d: Disclosure) -> Path:
    return Path(safe_name(d.department)) / str(d.year) / safe_name(d.title)


@dataclass(frozen=True)
class _Job:
    """One document in one format: the unit of parallel work."""

    d: Disclosure
    fmt: str
    html: str  # the document's HTML, for html and pdf; "" for docx
    source: str  # the digest of the document's HTML, for the build cache ("" without one)


def write_disclosures(bundles: Sequence[Disclosure], renderer: Renderer, formats: Sequence[str],
                      out_dir: Path, jobs: int = 1,
                      file_done: Callable[[Disclosure, str, Path], None] | None = None,
                      ) -> Iterator[tuple[Disclosure, list[Path]]]:
    """Write every document in every format; yields each document with its files, in order.

    ``file_done(document, format, path)`` hears of each file as it comes back, before
    its document is yielded.

    Every document's HTML is made (and its glyphs checked) before any file is written,
    so a character no font has, in the last department, leaves no document of the
    first ones behind. The documents and formats are then written in up to ``jobs``
    processes: the largest department's PDF takes most of the time, the others run
    beside it.
    """
    # The HTML is also what a cached DOCX is looked up by: it holds everything printed.
    needs_html = bool({"html", "pdf"} & set(formats)) or renderer.cache is not None
    htmls = [disclosure_html(d, renderer) if needs_html else "" for d in bundles]
    work = [_Job(d, fmt, html if fmt != "docx" else "", key_of(html) if html else "")
            for d, html in zip(bundles, htmls, strict=True) for fmt in formats]

    written = run_jobs(partial(_write_one, renderer=renderer, out_dir=out_dir), work, jobs)
    for d in bundles:
        files: list[Path] = []
        for fmt in formats:
            files.append(next(written))
            if file_done is not None:
                file_done(d, fmt, files[-1])
        yield d, files


def _write_one(job: _Job, renderer: Renderer, out_dir: Path) -> Path:
    if job.fmt == "html":
        data = job.html.encode("utf-8")
    elif job.fmt == "pdf":
        data = renderer.cached("bundle.pdf", job.source, partial(renderer.pdf_bytes, job.html))
    else:
        from jixiao.bundle.docx import disclosure_docx

        data = renderer.cached("bundle.docx", job.source, partial(disclosure_docx, job.d, renderer))
    base = out_dir / disclosure_path(job.d)
    path = base.with_name(f"{base.name}.{job.fmt}")
    write_if_changed(path, data, out_dir)
    return path
