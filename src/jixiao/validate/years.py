"""A continuing project's tables of the year before (issue 18 §3).

When a workspace holds a department's previous year beside this one
(``DEPT/2025/`` and ``DEPT/2026/``), a project of this year continues one of last
year: same 主管部门, same 实施单位, and the same 项目名称 — or, when the project was
renamed, the name its ``上年项目`` gives. Last year's self-evaluation (绩效自评表)
holds last year's actuals; last year's target or declaration table, when it is
there too, holds what was planned.

Matching is one pass to index every project by (主管部门, 年度, 实施单位, 项目名称)
and one dictionary look-up per project: linear in the workspace, however many
years and departments it holds.

:func:`last_actuals` and :func:`fill_last_actuals` are what ``export`` needs to
carry ``上年实际值``; :func:`check_years` is what ``check`` runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.errors import Diagnostic, Location
from jixiao.load.structure import suggest
from jixiao.load.workspace import SpecFile
from jixiao.model.project import Indicator, Project, SelfEvalFunds, TargetFunds
from jixiao.model.values import IndicatorValue, convert, fmt, parse_indicator_value
from jixiao.model.vocab import FormKind, MoneyUnit
from jixiao.rules import rule
from jixiao.validate.indicators import is_placeholder, strip_numbering
from jixiao.validate.selfeval import too_easy

Entry = tuple[SpecFile, Project]
# (主管部门, 年度, 实施单位, 项目名称): a project's identity within a workspace.
ProjectKey = tuple[str, int, str, str]

PLANNING_FORMS = frozenset({FormKind.TARGET, FormKind.DECLARATION})


@dataclass
class LastYear:
    """The tables of one project of one year: its self-evaluation and its targets, if loaded.

    Two files of the same project and kind (reported by ``duplicate-project-name``): the
    first in path order is used.
    """

    selfeval: Entry | None = None
    planning: Entry | None = None  # 绩效目标表 or 绩效目标申报表

    @property
    def targets(self) -> Entry | None:
        """What was planned: the target table, else the self-evaluation (whose 年度指标值 and
        预期目标 are the targets as filed)."""
        return self.planning or self.selfeval


@dataclass
class YearIndex:
    """Every project of a workspace by :data:`ProjectKey`, and the names per department-year."""

    projects: dict[ProjectKey, LastYear] = field(default_factory=dict)
    # (主管部门, 年度) → 实施单位 → project names (a dict as an ordered set: a unit may have
    # hundreds): whether a year is loaded at all, and the names a mistyped 上年项目 is compared with.
    names: dict[tuple[str, int], dict[str, dict[str, None]]] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        p = entry[1]
        if p.year is None or not p.name:
            return
        slot = self.projects.setdefault((p.department, p.year, p.unit, p.name), LastYear())
        if p.form is FormKind.SELF_EVAL:
            slot.selfeval = slot.selfeval or entry
        elif p.form in PLANNING_FORMS:
            slot.planning = slot.planning or entry
        else:
            return  # a monitoring form says nothing about last year's targets or results
        self.names.setdefault((p.department, p.year), {}).setdefault(p.unit, {})[p.name] = None

    def previous_key(self, p: Project) -> ProjectKey | None:
        """Where last year's tables of ``p`` would be: its ``上年项目`` or its own name."""
        if p.year is None:
            return None
        return (p.department, p.year - 1, p.unit, p.previous or p.name)

    def previous(self, p: Project) -> LastYear | None:
        """Last year's tables of ``p``, if the workspace holds them."""
        k = self.previous_key(p)
        return None if k is None else self.projects.get(k)

    def has_year(self, department: str, year: int) -> bool:
        return (department, year) in self.names


def index_years(entries: Iterable[Entry]) -> YearIndex:
    index = YearIndex()
    for entry in entries:
        index.add(entry)
    return index


def indicator_key(ind: Indicator) -> str:
    """How an indicator is matched across years: its 三级指标 name without a ``指标1：`` number."""
    return strip_numbering(ind.name)


def indicators_by_name(p: Project) -> dict[str, Indicator]:
    """A project's 三级指标 by :func:`indicator_key`; placeholders (``无``) left out, the first
    of a duplicated name kept (``indicator-duplicate`` reports the other)."""
    out: dict[str, Indicator] = {}
    for ind in p.all_indicators():
        if not is_placeholder(ind):
            out.setdefault(indicator_key(ind), ind)
    return out


def _actuals(p: Project) -> dict[str, str]:
    return {name: ind.actual.strip() for name, ind in indicators_by_name(p).items()
            if ind.actual and ind.actual.strip()}


def last_actuals(entries: Iterable[Entry]) -> dict[str, dict[str, str]]:
    """Spec file (as displayed) → 三级指标 name → last year's 实际完成值, for every project of
    ``entries`` whose previous year's self-evaluation is among ``entries`` too."""
    entries = list(entries)
    index = index_years(entries)
    out: dict[str, dict[str, str]] = {}
    for spec, p in entries:
        last = index.previous(p)
        if last is not None and last.selfeval is not None:
            found = _actuals(last.selfeval[1])
            if found:
                out[spec.display] = found
    return out


def with_last_actuals(project: Project, actuals: Mapping[str, str]) -> Project:
    """``project`` with ``上年实际值`` taken from ``actuals`` (name → text) where it is blank;
    a value the spec writes is kept."""

    def filled(ind: Indicator) -> Indicator:
        if (ind.last_actual or "").strip():
            return ind
        value = actuals.get(indicator_key(ind))
        return ind if value is None else replace(ind, last_actual=value)

    levels = tuple(
        replace(level, children=tuple(replace(child, indicators=tuple(filled(i) for i in child.indicators))
                                      for child in level.children))
        for level in project.indicators)
    return replace(project, indicators=levels)


def fill_last_actuals(entries: Iterable[Entry]) -> dict[str, Project]:
    """Spec file (as displayed) → its project with ``上年实际值`` filled from last year's
    self-evaluation where blank; only the projects that have such a self-evaluation."""
    entries = list(entries)
    found = last_actuals(entries)
    return {spec.display: with_last_actuals(p, found[spec.display]) for spec, p in entries
            if spec.display in found}


# -- the checks ---------------------------------------------------------------------------------

# A dropped indicator and a new one of the same 二级指标 at least this alike are taken for
# one renamed (居民满意率 → 居民满意度 is 0.8; 调解案件数量 → 诉讼率 is 0).
RENAMED = 0.5
_REACH = (">=", ">", "=")  # targets to reach or pass
_STAY_UNDER = ("<=", "<")  # targets to stay under: smaller is better


def check_years(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    """This year's target and declaration tables against last year's tables of the same project."""
    index = index_years(entries)
    for _, p in entries:
        if p.previous:
            yield from _unknown_previous(p, index)
        if p.form not in PLANNING_FORMS:
            continue  # this year's self-evaluation repeats its targets: reported once, on the targets
        last = index.previous(p)
        if last is None:
            continue
        if last.selfeval is not None:
            yield from _against_actuals(p, last.selfeval)
        if last.targets is not None:
            yield from _dropped(p, last.targets)
            yield from _copied(p, last.targets)


def _file(entry: Entry, at: Location | None = None) -> str:
    """Last year's file as a message names it: its path, with the line of the value when known."""
    return str(at) if at is not None and at.file == entry[0].display else entry[0].display


def _unknown_previous(p: Project, index: YearIndex) -> Iterator[Diagnostic]:
    k = index.previous_key(p)
    if k is None or not index.has_year(p.department, k[1]) or k in index.projects:
        return  # last year is not in the workspace: nothing to say either way
    units = index.names[(p.department, k[1])]
    same_unit = list(units.get(p.unit, {}))
    hint = suggest(k[3], same_unit) or suggest(k[3], [n for names in units.values() for n in names])
    where = (f"{k[1]} 年度实施单位「{p.unit}」的 {len(same_unit)} 个项目中没有这个名称" if same_unit
             else f"{k[1]} 年度「{p.department}」没有实施单位「{p.unit}」的项目")
    yield rule("years-previous-unknown").at(
        p.pos.of("previous"), f"上年项目「{k[3]}」不是上年的项目：{where}{hint or '；没有改名就删去这一项'}")


def _comparable(target: IndicatorValue, actual: IndicatorValue) -> bool:
    """Both numbers, the actual a plain value, in the same unit (a bare actual ``3`` is taken in
    the target's unit, as the suggested scores take it)."""
    return (target.number is not None and actual.number is not None and actual.comparator in (None, "=")
            and actual.unit in (target.unit, ""))


def _against_actuals(p: Project, last: Entry) -> Iterator[Diagnostic]:
    before = indicators_by_name(last[1])
    for ind in p.all_indicators():
        old = before.get(indicator_key(ind))
        if old is None or not (old.actual or "").strip() or is_placeholder(ind):
            continue
        if any(too_easy(old)) and _at_or_below(ind, old):
            yield _still_too_easy(ind, old, last)
        else:
            yield from _below_last_actual(ind, old, last)


def _at_or_below(ind: Indicator, old: Indicator) -> bool:
    """This year's target to reach is no higher than last year's, in the same unit."""
    target, before = parse_indicator_value(ind.target), parse_indicator_value(old.target)
    return (target.number is not None and before.number is not None and target.unit == before.unit
            and target.comparator in _REACH and target.number <= before.number)


def _still_too_easy(ind: Indicator, old: Indicator, last: Entry) -> Diagnostic:
    """Last year's actual passed its target by more than 30 % (``selfeval-target-too-easy`` said
    so on last year's file) and this year's target is no higher than that target: said once,
    here, rather than also as a target below last year's actual."""
    return rule("years-target-still-too-easy").at(
        ind.pos.of("target"),
        f"三级指标「{ind.name}」的年度指标值 {ind.target} 不高于上年的 {old.target}，而上年实际完成了 {old.actual}"
        f"（{_file(last, old.pos.of('actual'))}，上年已报 selfeval-target-too-easy）；请按上年实际水平提高目标")


def _below_last_actual(ind: Indicator, old: Indicator, last: Entry) -> Iterator[Diagnostic]:
    target, actual = parse_indicator_value(ind.target), parse_indicator_value(old.actual or "")
    if not _comparable(target, actual):
        return
    assert target.number is not None and actual.number is not None
    where = _file(last, old.pos.of("actual"))
    # A target of 0 to "reach" (有责投诉率 0%) is a ceiling written without its ≤, as too_easy takes it.
    if target.comparator in _REACH and 0 < target.number < actual.number:
        yield rule("years-target-below-last-actual").at(
            ind.pos.of("target"),
            f"三级指标「{ind.name}」的年度指标值 {ind.target} 低于上年实际完成值 {old.actual}（{where}）；"
            "目标定得偏低，请按上年实际水平设定，或说明降低的原因")
    elif target.comparator in _STAY_UNDER and target.number > actual.number:
        yield rule("years-target-below-last-actual").at(
            ind.pos.of("target"),
            f"三级指标「{ind.name}」的年度指标值 {ind.target}（越小越好）比上年实际完成值 {old.actual} 还宽（{where}）；"
            "目标定得偏松，请按上年实际水平设定，或说明放宽的原因")


def _slots(p: Project) -> dict[str, tuple[str, str, Location]]:
    """三级指标 name → (一级, 二级, where its 二级指标 is written)."""
    return {indicator_key(i): (level.name, child.name, child.pos.at)
            for level in p.indicators for child in level.children for i in child.indicators
            if not is_placeholder(i)}


def _dropped(p: Project, last: Entry) -> Iterator[Diagnostic]:
    """Last year's indicators this year's table no longer has: each taken for renamed when a new
    indicator of the same 二级指标 is alike enough (:data:`RENAMED`), else for dropped."""
    now, before = _slots(p), _slots(last[1])
    new = {name: slot for name, slot in now.items() if name not in before}
    by_slot: dict[tuple[str, str], list[str]] = {}
    for name, (level1, level2, _) in new.items():
        by_slot.setdefault((level1, level2), []).append(name)
    renamed_to: set[str] = set()
    now_inds, old_inds = indicators_by_name(p), indicators_by_name(last[1])
    slot_at = {(level1, level2): at for level1, level2, at in now.values()}
    for name, (level1, level2, _) in before.items():
        if name in now:
            continue
        candidates = [n for n in by_slot.get((level1, level2), []) if n not in renamed_to]
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=RENAMED)
        was = _file(last, old_inds[name].pos.of("name"))
        if close:
            renamed_to.add(close[0])
            ind = now_inds[close[0]]
            yield rule("years-indicator-dropped").at(
                ind.pos.of("name"), f"三级指标「{close[0]}」像是上年「{name}」（{was}）改了名；"
                                    "改名后两年的数值无法对照，没改名就忽略本提示")
        else:
            where = slot_at.get((level1, level2), p.pos.of("indicators"))
            yield rule("years-indicator-dropped").at(
                where, f"上年的三级指标「{name}」（{level1} / {level2}，{was}）今年没有了；"
                       "删去或改名了就在申报说明里交代，漏写了就补上")


def _signature(p: Project) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((level.name, child.name, indicator_key(i), i.target.strip())
                 for level in p.indicators for child in level.children for i in child.indicators
                 if not is_placeholder(i))


def _goal(p: Project) -> str:
    """The annual goal as written, without white space: 年度总体目标, or a self-evaluation's 预期目标."""
    return "".join((p.expected if p.form is FormKind.SELF_EVAL else p.annual_goal).split())


def _annual_amount(p: Project) -> tuple[Decimal, MoneyUnit | None] | None:
    """The year's money as planned: 年度资金申请总额, or a self-evaluation's 年初预算数."""
    funds = p.funds
    if isinstance(funds, TargetFunds) and funds.annual is not None and funds.annual.total is not None:
        return funds.annual.total, funds.unit
    if isinstance(funds, SelfEvalFunds) and funds.total is not None:
        amount = funds.total.initial if funds.total.initial is not None else funds.total.budget
        return None if amount is None else (amount, funds.unit)
    return None


def _copied(p: Project, last: Entry) -> Iterator[Diagnostic]:
    """Goal and every indicator with its 年度指标值 as last year's, though the money changed."""
    old = last[1]
    goal, signature = _goal(p), _signature(p)
    if not goal or not signature or goal != _goal(old) or signature != _signature(old):
        return
    now, before = _annual_amount(p), _annual_amount(old)
    if now is None or before is None:
        return
    # Compared in 元, exactly: 9.26 万元 is 92600 元.
    if convert(now[0], now[1], MoneyUnit.YUAN) == convert(before[0], before[1], MoneyUnit.YUAN):
        return
    shown = [f"{fmt(amount)}{unit.value if unit else ''}" for amount, unit in (before, now)]
    what = "年初预算数" if old.form is FormKind.SELF_EVAL else "年度资金申请总额"
    yield rule("years-copied-unchanged").at(
        p.pos.of("annual_goal"),
        f"年度总体目标和全部 {len(signature)} 个三级指标（连同年度指标值）与上年的表（{_file(last)}）完全相同，"
        f"而年度资金由上年的{what} {shown[0]} 变为 {shown[1]}；资金变了，请相应调整目标和指标值")
