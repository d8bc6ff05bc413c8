"""The year-end workflow: self-evaluation specs from the year's target specs.

``init`` writes a skeleton per target/declaration spec: the header carried
over, the indicators copied with their 年度指标值, the fund rows with 年初预算数
from the target's annual amounts, weights spread by practice (10 budget; 50/30/10
over 产出/效益/满意度, summing to 100), and every value only the clerk can know
left empty, so that ``check`` lists each of them until it is filled.

``fill_scores`` fills suggested scores into the empty 得分 of a filled-in spec,
editing the file's text in place so the author's layout and comments survive;
a score the author wrote is never touched. ``suggested_scores`` lists the
suggestion for every indicator that has one, filled in or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jixiao.errors import Location, SelfEvalError
from jixiao.files import Written, safe_name, write_atomic
from jixiao.load.workspace import SpecFile, load_workspace
from jixiao.model import scoring
from jixiao.model.dump import KEPT_BLANKS, dump
from jixiao.model.project import (
    FirstLevel,
    FundRow,
    Indicator,
    MonitorFunds,
    Project,
    SecondLevel,
    SelfEvalFunds,
    TargetFunds,
)
from jixiao.model.settings import Settings
from jixiao.model.suggest import Suggestion, suggest
from jixiao.model.values import convert, fmt
from jixiao.model.vocab import BENEFIT, COST, OUTPUT, SATISFACTION, FormKind, MoneyUnit
from jixiao.monitor import SUFFIX as MONITOR_SUFFIX
from jixiao.validate.indicators import effective_level1, is_placeholder

BUDGET = "预算执行"


# -- weights ----------------------------------------------------------------------------------


def split(points: Decimal, n: int) -> list[Decimal]:
    """``points`` over ``n`` indicators, summing exactly: whole points where possible."""
    if n == 0:
        return []
    if points % n == 0:
        return [points / n] * n
    if points >= n:
        base, rest = divmod(int(points), n)
        return [Decimal(base + (1 if i < rest else 0)) for i in range(n)]
    share = (points / n).quantize(Decimal("0.01"))
    return [share] * (n - 1) + [points - share * (n - 1)]


def propose_weights(project: Project, settings: Settings) -> tuple[Decimal, dict[int, Decimal]]:
    """(budget weight, indicator id → weight) by the workspace's practice weights.

    A first level with no real indicator hands its points to 产出指标, so the
    table still sums to 100.
    """
    by_level: dict[str, list[Indicator]] = {OUTPUT: [], BENEFIT: [], SATISFACTION: []}
    for level in project.indicators:
        target = effective_level1(level.name)
        target = OUTPUT if target in (COST, None) else target
        by_level[target].extend(i for i in level.indicators() if not is_placeholder(i))
    weights = settings.weights
    shares = {name: weights.get(name, Decimal(0)) for name in by_level}
    for name, members in by_level.items():
        if not members and name != OUTPUT:
            shares[OUTPUT] += shares[name]
            shares[name] = Decimal(0)
    out: dict[int, Decimal] = {}
    for name, members in by_level.items():
        for ind, w in zip(members, split(shares[name], len(members)), strict=True):
            out[id(ind)] = w
    return weights.get(BUDGET, Decimal(10)), out


# -- the skeleton -----------------------------------------------------------------------------


# What the clerk fills in: written blank in the skeleton, so that check lists each until it is.
TO_FILL = KEPT_BLANKS | {"achieved", "indicators.actual", "indicators.weight", "indicators.score",
                         "indicators.deviation"}
FROM_MONITORING = "全年预算数取自年中监控表 {source} 的调整后预算数；偏差原因分析先照录监控时的记录，请按全年情况改写。"
HEADER = ("绩效自评表骨架：由 jixiao selfeval init 从 {source} 生成。",
          "空着的实际完成值、全年执行数、得分等，jixiao check 会逐项提示，填完即可；",
          "分值按常规（预算执行 10、产出 50、效益 30、满意度 10）分配，可以调整，合计须为 100。")


def _amount(value: Decimal | None, source: MoneyUnit | None, target: MoneyUnit) -> Decimal | None:
    if value is None or source is target or source is None:
        return value
    return convert(value, source, target).normalize()  # 4.0344 万元 is 40344 元, not 40344.0000


def self_evaluation(spec: SpecFile, unit: MoneyUnit | None = None, monitored: Project | None = None) -> Project:
    """The self-evaluation of a target or declaration spec, before the clerk fills it in.

    With the project's mid-year monitoring form (``monitored``), 全年预算数 is its 调整后预算数
    and each indicator's 偏差原因分析及改进措施 starts from what monitoring recorded.
    """
    project = spec.project
    assert project is not None and project.form in (FormKind.TARGET, FormKind.DECLARATION)
    funds = project.funds
    assert isinstance(funds, TargetFunds) and funds.annual is not None
    target_unit = unit or funds.unit or MoneyUnit.WAN
    budget_weight, weights = propose_weights(project, spec.settings)
    annual = funds.annual
    adjusted = _adjusted(annual.carryover, funds.unit, monitored)

    def row(value: Decimal | None, budget: Decimal | None = None, budget_unit: MoneyUnit | None = None) -> FundRow:
        amount = _amount(value, funds.unit, target_unit)
        return FundRow(initial=amount, budget=amount if budget is None else _amount(budget, budget_unit, target_unit))

    budget_unit = monitored.funds.unit if monitored is not None and isinstance(monitored.funds, MonitorFunds) \
        else None
    remarks = _monitoring_remarks(monitored)
    return Project(
        form=FormKind.SELF_EVAL, year=project.year, name=project.name, department=project.department,
        unit=project.unit,
        funds=SelfEvalFunds(unit=target_unit, total=row(annual.total, adjusted.get("total"), budget_unit),
                            current=row(annual.current, adjusted.get("current"), budget_unit),
                            carryover=row(annual.carryover), other=row(annual.other, adjusted.get("other"), budget_unit),
                            weight=budget_weight),
        expected=project.annual_goal,
        indicators=tuple(_level(level, weights, remarks) for level in project.indicators))


def _adjusted(carryover: Decimal | None, carryover_unit: MoneyUnit | None,
              monitored: Project | None) -> dict[str, Decimal]:
    """全年预算数 from monitoring's 调整后预算数, by self-evaluation row (in monitoring's unit).

    Monitoring has one 财政资金 row for 当年财政拨款 and 上年结转资金 together: the
    carry-over is taken as filed, so an adjustment lands on 当年财政拨款.
    """
    if monitored is None or not isinstance(monitored.funds, MonitorFunds):
        return {}
    funds = monitored.funds
    out: dict[str, Decimal] = {}
    for name, row in (("total", funds.total), ("other", funds.other)):
        if row is not None and row.adjusted is not None:
            out[name] = row.adjusted
    if funds.fiscal is not None and funds.fiscal.adjusted is not None:
        carried = _amount(carryover, carryover_unit, funds.unit or carryover_unit or MoneyUnit.WAN) or Decimal(0)
        if funds.fiscal.adjusted >= carried:
            out["current"] = funds.fiscal.adjusted - carried
    return out


def _monitoring_remarks(monitored: Project | None) -> dict[tuple[str, str, str], str]:
    """Each monitored indicator's 偏差原因 and 原因说明及纠偏措施, as the start of its
    偏差原因分析及改进措施 (the clerk edits it)."""
    if monitored is None:
        return {}
    out = {}
    for level in monitored.indicators:
        for child in level.children:
            for ind in child.indicators:
                said = "；".join(t for t in (ind.reasons, ind.remedy) if t and t.strip())
                if said:
                    out[(level.name, child.name, ind.name)] = f"年中监控：{said}"
    return out


def skeleton(spec: SpecFile, unit: MoneyUnit | None = None, monitored: SpecFile | None = None) -> str:
    header = [HEADER[0].format(source=spec.display), *HEADER[1:]]
    comment = "预算有调整时改为调整后的预算"
    if monitored is not None:
        header.append(FROM_MONITORING.format(source=monitored.display))
        comment = "取自年中监控的调整后预算数；其后又有调整时改为调整后的预算"
    return dump(self_evaluation(spec, unit, monitored.project if monitored else None), blanks=TO_FILL,
                header=header, comments={"funds.total.budget": comment})


def _level(level: FirstLevel, weights: dict[int, Decimal],
           remarks: dict[tuple[str, str, str], str]) -> FirstLevel:
    # A 二级 without indicators is written 「无」 on the self-evaluation too.
    return FirstLevel(name=level.name, children=tuple(
        SecondLevel(name=child.name, placeholder=True) if child.placeholder or not child.indicators
        else SecondLevel(name=child.name, indicators=tuple(
            Indicator(name=ind.name, target=ind.target, weight=weights.get(id(ind)),
                      deviation=remarks.get((level.name, child.name, ind.name)),
                      # the details the target wrote go on (a workspace may require them)
                      explanation=ind.explanation, scoring=ind.scoring, measure_unit=ind.measure_unit,
                      source=ind.source, last_actual=ind.last_actual)
            for ind in child.indicators))
        for child in level.children))


def skeleton_path(spec: SpecFile, out_dir: Path | None) -> Path:
    project = spec.project
    assert project is not None
    if out_dir is None:
        return spec.path.with_name(f"{spec.path.stem}-自评.yaml")
    return (out_dir / safe_name(project.department) / str(project.year) / safe_name(project.unit)
            / f"{safe_name(project.name)}.yaml")


def init(specs: list[SpecFile], out_dir: Path | None, force: bool, unit: MoneyUnit | None) -> list[Written]:
    """A skeleton for every target or declaration spec (from its monitoring form, when there is
    one among ``specs`` or beside it: see :func:`find_monitoring`)."""
    out = []
    monitored = {_same_project(s.project): s for s in specs
                 if s.project is not None and s.project.form is FormKind.MONITOR}
    for spec in specs:
        if spec.project is None or spec.project.form not in (FormKind.TARGET, FormKind.DECLARATION):
            continue
        path = skeleton_path(spec, out_dir)
        if path.exists() and not force:
            out.append(Written(path, False))
            continue
        # Beside the target table unless -o says otherwise: the folder is the limit either way.
        found = monitored.get(_same_project(spec.project)) or find_monitoring(spec)
        write_atomic(path, skeleton(spec, unit, found).encode("utf-8"), out_dir or spec.path.parent)
        out.append(Written(path, True))
    return out


def _same_project(project: Project) -> tuple[str, int | None, str, str]:
    return project.department, project.year, project.unit, project.name


def find_monitoring(spec: SpecFile) -> SpecFile | None:
    """The monitoring form ``jixiao monitor init`` wrote beside ``spec`` (``安保经费-监控.yaml``),
    if it is there, readable, and the same project's."""
    assert spec.project is not None
    path = spec.path.with_name(f"{spec.path.stem}{MONITOR_SUFFIX}.yaml")
    if not path.is_file():
        return None
    found = load_workspace([path]).specs
    if len(found) != 1 or found[0].project is None or found[0].project.form is not FormKind.MONITOR \
            or _same_project(found[0].project) != _same_project(spec.project):
        return None
    return found[0]


# -- suggested scores, and filling them in --------------------------------------------------------


@dataclass(frozen=True)
class ScoreHint:
    """The suggested score of one indicator, beside the score written (None: not yet)."""

    where: Location  # the indicator's 得分
    name: str
    score: Decimal | None
    suggestion: Suggestion


def suggested_scores(spec: SpecFile) -> list[ScoreHint]:
    """Every indicator of the self-evaluation that a score can be suggested for, in order."""
    project = spec.project
    if project is None:
        return []
    return [ScoreHint(ind.pos.of("score"), ind.name, ind.score, hint) for ind in project.all_indicators()
            if (hint := suggest(ind, spec.settings)) is not None]


@dataclass(frozen=True)
class Filled:
    where: Location
    what: str
    value: str


def _points(value: Decimal) -> str:
    """Points as a clerk writes them: 15, 9.8, 6.72 — the rounding is exact, the zeros are not needed."""
    return fmt(value.normalize())


def fill_scores(spec: SpecFile) -> tuple[str, list[Filled]]:
    """The spec's text with suggested scores in its empty score fields, and what was filled."""
    project = spec.project
    if project is None or not isinstance(project.funds, SelfEvalFunds):
        raise SelfEvalError(f"{spec.display} 不是可读的绩效自评表")
    settings: Settings = spec.settings
    edits: list[Filled] = []
    suggested: dict[int, Decimal] = {}
    for ind in project.all_indicators():
        hint = suggest(ind, settings)
        if ind.score is None and hint is not None and "score" in ind.pos.fields:
            suggested[id(ind)] = hint.score
            edits.append(Filled(ind.pos.of("score"), f"三级指标「{ind.name}」的得分", _points(hint.score)))
    funds = project.funds
    rate = scoring.execution_rate(funds, settings)
    if funds.rate is None and rate is not None and "rate" in funds.pos.fields:
        edits.append(Filled(funds.pos.of("rate"), "执行率", f"{fmt(rate)}%"))
    money = scoring.fund_score(funds, settings)
    if funds.score is None and money is not None and "score" in funds.pos.fields:
        edits.append(Filled(funds.pos.of("score"), "资金得分", _points(money)))
    total = _total_after(project, suggested, funds.score if funds.score is not None else money)
    if project.total_score is None and total is not None and "total_score" in project.pos.fields:
        edits.append(Filled(project.pos.of("total_score"), "总分", _points(total)))
    text = spec.path.read_text(encoding="utf-8")
    lines = text.split("\n")
    applied: list[Filled] = []
    for edit in sorted(edits, key=lambda e: (e.where.line, e.where.col), reverse=True):
        line = lines[edit.where.line - 1]
        cut = edit.where.col - 1
        head, rest = line[:cut].rstrip(), line[cut:]
        value, hash_, comment = rest.partition("#")
        if not head.endswith(":") or value.strip() not in _EMPTY:
            continue  # not a plain `key:` line we can fill safely: leave the text alone
        lines[edit.where.line - 1] = f"{head} {edit.value}" + (f" {hash_}{comment}" if hash_ else "")
        applied.append(edit)
    # Only what really went into the text is reported (and counted by write_scores).
    return "\n".join(lines), sorted(applied, key=lambda e: (e.where.line, e.where.col))


# What an empty field may hold in YAML: nothing, or an explicit null.
_EMPTY = frozenset({"", "~", "null", "Null", "NULL"})


def _total_after(project: Project, suggested: dict[int, Decimal], money: Decimal | None) -> Decimal | None:
    scores = [ind.score if ind.score is not None else suggested.get(id(ind))
              for ind in project.all_indicators() if not is_placeholder(ind)]
    if money is None or any(s is None for s in scores):
        return None
    return money + sum((s for s in scores if s is not None), Decimal(0))


def write_scores(spec: SpecFile) -> list[Filled]:
    text, filled = fill_scores(spec)
    if filled:
        write_atomic(spec.path, text.encode("utf-8"), spec.path.parent)
    return filled
