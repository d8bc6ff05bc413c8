"""The disclosure document as one HTML file, or one part of it (bundle/parts.py).

In the HTML (and the PDF of a template that cannot be laid out in parts), contents
page numbers come from CSS ``target-counter``, page numbers from ``@page`` margin
boxes and bookmarks from ``bookmark-level``. The PDF is assembled from parts laid
out one by one; the template prints each part when given ``part``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

import jinja2
from jinja2.exceptions import SecurityError

from jixiao import __version__
from jixiao.bundle import Disclosure, Summary
from jixiao.errors import TemplateError
from jixiao.model.vocab import MoneyUnit
from jixiao.render import Renderer, measure
from jixiao.render.fonts import check_coverage
from jixiao.render.formatting import summary_amount
from jixiao.render.grid import Grid
from jixiao.render.html import source_date
from jixiao.render.paginate import PRELUDE_MM
from jixiao.render.sandbox import not_found, refusal_error
from jixiao.render.words import bracket_words, name_words, title_words
from jixiao.render.words import pieces as words_pieces

PAGE_CONTENT = {  # the @page margin box content of each style in model.project.PAGE_STYLES
    "第N页共M页": '"第 " counter(page) " 页 共 " counter(pages) " 页"',
    "-N-": '"- " counter(page) " -"',
}


class SummaryFormat(Protocol):
    def __call__(self, value: Decimal | str | None, column: int | None = None) -> str: ...


def summary_formatter(summary: Summary | None) -> SummaryFormat:
    """``fmt(value, column)``: a summary figure as printed, with its column's decimals (the
    column's index among the figures; without it, at least two)."""
    grouped = summary is not None and summary.money_unit is MoneyUnit.YUAN
    decimals = summary.decimals if summary is not None else ()

    def fmt(value: Decimal | str | None, column: int | None = None) -> str:
        places = decimals[column] if column is not None and column < len(decimals) else None
        return summary_amount(value, grouped, places)

    return fmt


# Relative widths of the summary's columns: 序号, 实施单位, 项目名称, then the figures
# (two amounts; or two amounts, 执行率, 总分, 等级; or, for monitoring, 调整后预算数, 执行数, 执行率 and
# 全年预计执行数). Widened where the content needs it.
SUMMARY_WEIGHTS = {2: (6, 24, 34, 18, 18), 4: (5, 18, 24, 14, 14, 11, 14), 5: (4, 23, 19, 15, 15, 10, 7, 7)}
SUMMARY_PT = 9.5  # disclosure.css .summary-table


def summary_widths(d: Disclosure) -> tuple[float, ...]:
    """The summary table's column widths (percent): every figure on one line, no heading
    broken inside its bracket, no name inside a word (render/measure.py)."""
    assert d.summary is not None
    return _summary_widths(d.summary)


@lru_cache(maxsize=8)  # every part of a document is rendered with them: measured once
def _summary_widths(s: Summary) -> tuple[float, ...]:
    fmt = summary_formatter(s)
    weights = SUMMARY_WEIGHTS.get(len(s.headings), (1,) * (3 + len(s.headings)))
    columns: list[list[float]] = [
        [measure.text_em("序号"), measure.text_em(str(len(s.rows)))],
        [measure.text_em("实施单位"), *(measure.widest_word_em(name_words(r.unit)) for r in s.rows)],
        [measure.text_em("项目名称"), *(measure.widest_word_em(name_words(r.name)) for r in s.rows)],
    ]
    for n, heading in enumerate(s.headings):
        figures = [r.figures[n] for r in s.rows] + [s.totals[n]]
        columns.append([measure.two_line_em(bracket_words(heading)),
                        *(measure.text_em(fmt(v, n)) for v in figures)])
    minimum = [measure.cell_mm(max(c, default=0.0), SUMMARY_PT) for c in columns]
    widths = measure.fit_widths(weights, minimum, measure.TEXT_WIDTH_MM)
    return tuple(round(100 * w / measure.TEXT_WIDTH_MM, 2) for w in widths)


def pieces(text: str, kind: str = "name") -> tuple[tuple[str, bool], ...]:
    """For templates: ``text`` as (piece, keep whole) — the words of a name (``kind``
    ``name``), a heading (``heading``: brackets kept whole) or a title (``title``)."""
    if kind == "heading":
        return words_pieces(bracket_words(text))
    return words_pieces(title_words(text) if kind == "title" else name_words(text))


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
            entries.append(Entry(n, spec.project.name, renderer.grid(spec, prelude_mm=PRELUDE_MM)))
        units.append(UnitEntries(unit.name, entries))
    return units


def disclosure_html(d: Disclosure, renderer: Renderer) -> str:
    units = laid_out(d, renderer)
    check_glyphs(d, units, renderer)
    return render_disclosure(d, units, renderer)


def check_glyphs(d: Disclosure, units: list[UnitEntries], renderer: Renderer) -> None:
    """Every character of the document in a print font (render/fonts.py), before anything is written."""
    texts: list[tuple[str, str]] = [(d.title, "公开标题"), (d.department, "主管部门")]
    for unit in units:
        texts.extend((t, f"{e.name}：{src}") for e in unit.entries for t, src in e.grid.texts())
    check_coverage(texts, renderer.fonts, d.title)


def render_disclosure(d: Disclosure, units: list[UnitEntries], renderer: Renderer, part: object | None = None,
                      page_content: str | None = None) -> str:
    """The document's HTML; with ``part`` (bundle/parts.py), only that part of it."""
    extra = {} if part is None else {"part": part}
    try:  # renderer.html.env: sandboxed unless the templates are jixiao's own (render/sandbox.py)
        template = renderer.html.env.get_template("disclosure.html.j2")
        bundle_css = (renderer.template_dir / "disclosure.css").read_text(encoding="utf-8")
        return template.render(d=d, units=units, css=renderer.html.css, bundle_css=bundle_css,
                               page_content=page_content or PAGE_CONTENT[d.page_style], fmt=summary_formatter(d.summary),
                               summary_widths=summary_widths(d), pieces=pieces,
                               title_pieces=words_pieces(title_words(d.title, d.department)),
                               version=__version__, created=source_date(), **extra)
    except SecurityError as exc:
        raise refusal_error(exc, renderer.template_dir / "disclosure.html.j2") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"公开文档模板出错：{not_found(exc)}") from exc
    except (OSError, jinja2.TemplateError, OverflowError) as exc:  # OverflowError: the sandbox's range() cap
        raise TemplateError(f"公开文档模板出错：{exc}") from exc
