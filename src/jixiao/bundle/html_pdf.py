"""The disclosure document as one HTML file, and through WeasyPrint as one PDF.

Contents page numbers come from CSS ``target-counter``, page numbers from
``@page`` margin boxes and bookmarks from ``bookmark-level``: the PDF is laid
out once, so every number printed is the page the table really starts on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import jinja2
from jinja2.exceptions import SecurityError

from jixiao import __version__
from jixiao.bundle import Disclosure
from jixiao.errors import TemplateError
from jixiao.model.vocab import MoneyUnit
from jixiao.render import Renderer
from jixiao.render.fonts import check_coverage
from jixiao.render.formatting import summary_amount
from jixiao.render.grid import Grid
from jixiao.render.html import source_date
from jixiao.render.sandbox import not_found, refusal_error

PAGE_CONTENT = {  # the @page margin box content of each style in model.project.PAGE_STYLES
    "第N页共M页": '"第 " counter(page) " 页 共 " counter(pages) " 页"',
    "-N-": '"- " counter(page) " -"',
}


def summary_formatter(d: Disclosure) -> Callable[[Decimal | str | None], str]:
    grouped = d.summary is not None and d.summary.money_unit is MoneyUnit.YUAN
    return lambda value: summary_amount(value, grouped)


@dataclass(frozen=True)
class Entry:
    n: int  # anchor number, 1-based in document order
    name: str
    grid: Grid


@dataclass(frozen=True)
class UnitEntries:
    name: str
    entries: list[Entry]


def laid_out(d: Disclosure, renderer: Renderer) -> list[UnitEntries]:
    """Every project's grid, in document order."""
    units, n = [], 0
    for unit in d.units:
        entries = []
        for spec in unit.specs:
            n += 1
            assert spec.project is not None
            entries.append(Entry(n, spec.project.name, renderer.grid(spec)))
        units.append(UnitEntries(unit.name, entries))
    return units


def disclosure_html(d: Disclosure, renderer: Renderer) -> str:
    units = laid_out(d, renderer)
    texts: list[tuple[str, str]] = [(d.title, "公开标题"), (d.department, "主管部门")]
    for unit in units:
        texts.extend((t, f"{e.name}：{src}") for e in unit.entries for t, src in e.grid.texts())
    check_coverage(texts, renderer.fonts, d.title)
    try:  # renderer.html.env: the sandbox every template runs in (render/sandbox.py)
        template = renderer.html.env.get_template("disclosure.html.j2")
        bundle_css = (renderer.template_dir / "disclosure.css").read_text(encoding="utf-8")
        return template.render(d=d, units=units, css=renderer.html.css, bundle_css=bundle_css,
                               page_content=PAGE_CONTENT[d.page_style], fmt=summary_formatter(d),
                               version=__version__, created=source_date())
    except SecurityError as exc:
        raise refusal_error(exc, renderer.template_dir / "disclosure.html.j2") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"公开文档模板出错：{not_found(exc)}") from exc
    except (OSError, jinja2.TemplateError, OverflowError) as exc:  # OverflowError: the sandbox's range() cap
        raise TemplateError(f"公开文档模板出错：{exc}") from exc
