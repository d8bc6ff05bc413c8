"""Public disclosure: one document per department, year and phase (FORMS.md §7).

Planning (:func:`plan`) decides what goes into each document — which projects,
in which order, which are left out and why — and computes the summary exactly.
The writers (``bundle/html_pdf.py``, ``bundle/docx.py``) only lay it out.

Order, documented for users in docs/disclosure.md: units in the order of their
first spec file, projects by spec file path (both by the Unicode order of
folder and file names, as ``jixiao check`` lists them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.cache import key_of
from jixiao.load.workspace import SpecFile, Workspace, defaults_files
from jixiao.model import monitoring, scoring
from jixiao.model.project import PAGE_STYLES, MonitorFunds, Project, SelfEvalFunds, TargetFunds
from jixiao.model.values import convert, fmt, zero
from jixiao.model.vocab import FormKind, MoneyUnit

DEFAULT_PAGE_STYLE = PAGE_STYLES[0]


class Phase:
    BUDGET = "预算公开"  # target and declaration tables
    ACCOUNTS = "决算公开"  # self-evaluation tables
    MONITOR = "运行监控"  # mid-year monitoring forms: a department's 监控情况汇总, not published


def phase_of(form: FormKind) -> str:
    if form is FormKind.SELF_EVAL:
        return Phase.ACCOUNTS
    return Phase.MONITOR if form is FormKind.MONITOR else Phase.BUDGET


@dataclass(frozen=True)
class Excluded:
    spec: SpecFile
    reason: str


@dataclass(frozen=True)
class Unit:
    name: str
    specs: tuple[SpecFile, ...]


@dataclass(frozen=True)
class SummaryRow:
    unit: str
    name: str
    figures: tuple[Decimal | str | None, ...]


@dataclass(frozen=True)
class Summary:
    headings: tuple[str, ...]
    rows: tuple[SummaryRow, ...]
    totals: tuple[Decimal | str | None, ...]
    money_unit: MoneyUnit
    # Per figure column, the decimals every amount in it prints with: the most any project
    # in it has, at least two (None: not an amount column). One column, one number of
    # decimals, so right-aligned amounts line up on the decimal point; padded, never rounded.
    decimals: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    department: str
    year: int
    phase: str
    title: str
    units: tuple[Unit, ...]
    excluded: tuple[Excluded, ...] = ()
    summary: Summary | None = None
    date: str | None = None
    page_style: str = DEFAULT_PAGE_STYLE

    @property
    def specs(self) -> list[SpecFile]:
        return [s for u in self.units for s in u.specs]

    def sources(self) -> str | None:
        """What the document is made from, hashed: its options, its units as :func:`plan`
        grouped them, and the bytes of every spec it prints or lists as excluded and of their
        _defaults.yaml files, in document order (jixiao's code, the libraries, templates and
        fonts are in every build-cache key: Renderer.identity). None when a file cannot be
        read now: the document is then made the long way, which says why."""
        try:
            read = [path.read_bytes() for spec in (*self.specs, *(e.spec for e in self.excluded))
                    for path in (spec.path, *defaults_files(spec.path))]
        except OSError:
            return None
        grouping = json.dumps([[u.name, len(u.specs)] for u in self.units], ensure_ascii=False)
        return key_of("document sources", self.department, str(self.year), self.phase, self.title, self.date or "",
                      self.page_style, grouping, *read)


def plan(workspace: Workspace, date: str | None = None, page_style: str | None = None) -> list[Disclosure]:
    """Group the workspace's projects into disclosure documents.

    ``page_style`` (the command line's) overrides the 页码样式 of the departments'
    ``_defaults.yaml``.
    """
    groups: dict[tuple[str, int, str], list[SpecFile]] = {}
    for spec, project in workspace.projects():
        phase = phase_of(project.form)
        groups.setdefault((project.department, project.year or 0, phase), []).append(spec)
    phases: dict[tuple[str, int], set[str]] = {}
    for department, year, phase in groups:
        phases.setdefault((department, year), set()).add(phase)
    out = []
    for (department, year, phase), specs in groups.items():
        specs = sorted(specs, key=lambda s: str(s.path))
        included = [s for s in specs if _project(s).publish]
        excluded = tuple(Excluded(s, _project(s).no_publish_reason or "未说明原因") for s in specs
                         if not _project(s).publish)
        units: dict[str, list[SpecFile]] = {}
        for s in included:
            units.setdefault(_project(s).unit, []).append(s)
        title = next((t for s in specs if (t := _title(s, phase, phases[(department, year)]))), None)
        kind = {Phase.ACCOUNTS: "绩效自评表", Phase.MONITOR: "绩效运行监控情况汇总"}.get(phase, "绩效目标表")
        style = page_style or next((st for s in specs if (st := s.settings.page_style)), DEFAULT_PAGE_STYLE)
        out.append(Disclosure(
            department=department, year=year, phase=phase,
            title=title or f"{department}{year}年度项目支出{kind}",
            units=tuple(Unit(name, tuple(members)) for name, members in units.items()),
            excluded=excluded, summary=summarise(included, phase), date=date, page_style=style))
    return sorted(out, key=lambda d: (d.department, d.year, d.phase))


def _title(spec: SpecFile, phase: str, phases: set[str]) -> str | None:
    """决算公开标题 names the self-evaluation document; 公开标题 the other, or the only one.

    A department that files both in one folder must not publish its self-evaluations
    under the title of its targets.
    """
    if phase == Phase.MONITOR:
        return None  # the titles a workspace sets name its published documents
    if phase == Phase.ACCOUNTS:
        if spec.settings.accounts_title:
            return spec.settings.accounts_title
        return spec.settings.disclosure_title if phases == {Phase.ACCOUNTS} else None
    return spec.settings.disclosure_title


def _project(spec: SpecFile) -> Project:
    assert spec.project is not None
    return spec.project


# -- the summary ----------------------------------------------------------------------------------


def summary_unit(specs: Sequence[SpecFile]) -> MoneyUnit:
    """The projects' own unit when they agree, else 万元 (converted exactly)."""
    units = {f.unit for s in specs if (f := _project(s).funds) is not None and f.unit is not None}
    return units.pop() if len(units) == 1 else MoneyUnit.WAN


def summarise(specs: Sequence[SpecFile], phase: str) -> Summary:
    unit = summary_unit(specs) if specs else MoneyUnit.WAN
    if phase == Phase.ACCOUNTS:
        return _self_eval_summary(specs, unit)
    if phase == Phase.MONITOR:
        return _monitor_summary(specs, unit)
    rows, whole_total, annual_total = [], Decimal(0), Decimal(0)
    for s in specs:
        p = _project(s)
        funds = p.funds
        assert isinstance(funds, TargetFunds)
        whole = _in(zero(funds.project.total if funds.project else None), funds.unit, unit)
        annual = _in(zero(funds.annual.total if funds.annual else None), funds.unit, unit)
        whole_total += whole
        annual_total += annual
        rows.append(SummaryRow(p.unit, p.name, (whole, annual)))
    totals = (whole_total, annual_total)
    return Summary((f"项目资金总额（{unit.value}）", f"年度资金申请总额（{unit.value}）"), tuple(rows),
                   totals, unit, _decimals(rows, totals))


def _self_eval_summary(specs: Sequence[SpecFile], unit: MoneyUnit) -> Summary:
    rows, budget_total, executed_total = [], Decimal(0), Decimal(0)
    for s in specs:
        p = _project(s)
        funds = p.funds
        assert isinstance(funds, SelfEvalFunds)
        row = funds.total
        budget = _in(zero(row.budget if row else None), funds.unit, unit)
        executed = _in(zero(row.executed if row else None), funds.unit, unit)
        budget_total += budget
        executed_total += executed
        rate = scoring.execution_rate(funds, s.settings)
        total = p.total_score if p.total_score is not None else scoring.total_score(p, s.settings)
        # 总分 is points, printed as written (96, 99.8), not as an amount with two decimals.
        rows.append(SummaryRow(p.unit, p.name, (budget, executed, f"{rate}%" if rate is not None else None,
                                                fmt(total) if total is not None else None,
                                                scoring.grade(total) if total is not None else None)))
    overall = (scoring.quantize(executed_total / budget_total * scoring.HUNDRED, 2) if budget_total else None)
    totals = (budget_total, executed_total, f"{overall}%" if overall is not None else None, None, None)
    return Summary((f"全年预算数（{unit.value}）", f"全年执行数（{unit.value}）", "执行率", "总分", "等级"),
                   tuple(rows), totals, unit, _decimals(rows, totals))


def _monitor_summary(specs: Sequence[SpecFile], unit: MoneyUnit) -> Summary:
    """调整后预算数, 执行数, 执行率 and 全年预计执行数 of each project's 年度资金总额."""
    rows, sums = [], [Decimal(0)] * 3
    for s in specs:
        p = _project(s)
        funds = p.funds
        assert isinstance(funds, MonitorFunds)
        row = funds.total
        # A figure not yet filled in prints blank (and counts 0 in the total), not as 0.00.
        figures = [None if (v := getattr(row, attr) if row else None) is None else _in(v, funds.unit, unit)
                   for attr in ("adjusted", "executed", "forecast")]
        sums = [a + zero(b) for a, b in zip(sums, figures, strict=True)]
        rate = monitoring.printed_rate(row)
        rows.append(SummaryRow(p.unit, p.name, (figures[0], figures[1], f"{rate}%" if rate is not None else None,
                                                figures[2])))
    overall = scoring.quantize(sums[1] / sums[0] * scoring.HUNDRED, monitoring.PRINTED_DECIMALS) if sums[0] else None
    totals = (sums[0], sums[1], f"{overall}%" if overall is not None else None, sums[2])
    periods = {monitoring.period_label(_project(s).cutoff) for s in specs}
    period = periods.pop() if len(periods) == 1 else ""  # one cut-off: 1-7月执行数; several: 执行数
    return Summary((f"调整后预算数（{unit.value}）", f"{period}执行数（{unit.value}）", f"{period}执行率",
                    f"全年预计执行数（{unit.value}）"), tuple(rows), totals, unit, _decimals(rows, totals))


def _in(amount: Decimal, source: MoneyUnit | None, target: MoneyUnit) -> Decimal:
    """An amount in the summary's unit: as written when the project's unit is the summary's;
    converted exactly otherwise, without the zeros conversion adds (4.0344 万元 is 40344 元,
    not 40344.0000)."""
    if source is None or source is target:
        return amount
    return convert(amount, source, target).normalize()


def _decimals(rows: Sequence[SummaryRow], totals: Sequence[Decimal | str | None]) -> tuple[int | None, ...]:
    """Each figure column's decimals: the most of any amount in it (the total included), at
    least two; None for a column of text (执行率, 总分, 等级)."""
    out: list[int | None] = []
    for n, total in enumerate(totals):
        column = [r.figures[n] for r in rows] + [total]
        amounts = [v for v in column if isinstance(v, Decimal)]
        if not amounts or len(amounts) < len([v for v in column if v is not None]):
            out.append(None)
            continue
        out.append(max(2, *(decimal_places(v) for v in amounts)))
    return tuple(out)


def decimal_places(value: Decimal) -> int:
    """How many decimals ``value`` is written with: 485.00 → 2, 4.0344 → 4, 27 → 0."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
