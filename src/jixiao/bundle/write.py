"""Writing a disclosure document in the requested formats, atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jixiao.bundle import Disclosure
from jixiao.bundle.html_pdf import disclosure_html
from jixiao.render import Renderer
from jixiao.render.output import safe_name, write_atomic


def disclosure_path(d: Disclosure) -> Path:
    return Path(safe_name(d.department)) / str(d.year) / safe_name(d.title)


def write_disclosure(d: Disclosure, renderer: Renderer, formats: Sequence[str], out_dir: Path,
                     page_style: str) -> list[Path]:
    base = out_dir / disclosure_path(d)
    html = disclosure_html(d, renderer, page_style) if {"html", "pdf"} & set(formats) else ""
    written = []
    for fmt in formats:
        if fmt == "html":
            data = html.encode("utf-8")
        elif fmt == "pdf":
            data = renderer.pdf_bytes(html)
        else:
            from jixiao.bundle.docx import disclosure_docx

            data = disclosure_docx(d, renderer, page_style)
        path = base.with_name(f"{base.name}.{fmt}")
        write_atomic(path, data)
        written.append(path)
    return written
