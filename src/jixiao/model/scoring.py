"""Self-evaluation arithmetic (FORMS.md §5), computed exactly.

The validator compares these figures with what the author wrote; the
exporter and the renderer print them. Rounding is half-up to the workspace's
number of decimals (2 by default), as clerks round by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jixiao.model.project import Project, SelfEvalFunds
from jixiao.model.settings import Settings
from jixiao.model.vocab import GRADES

HUNDRED = Decimal(100)


def quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def execution_rate(funds: SelfEvalFunds, settings: Settings) -> Decimal | None:
    """执行率 in percent = 全年执行数 ÷ 全年预算数 (the adjusted budget), rounded."""
    row = funds.total
    if row is None or row.executed is None or not row.budget:
        return None
    return quantize(row.executed / row.budget * HUNDRED, settings.decimals)


def fund_score(funds: SelfEvalFunds, settings: Settings) -> Decimal | None:
    """资金得分 = 分值 × 执行率 (the printed, rounded rate), capped at 分值 by default."""
    rate = execution_rate(funds, settings)
    if rate is None or funds.weight is None:
        return None
    score = funds.weight * rate / HUNDRED
    if settings.cap_fund_score:
        score = min(score, funds.weight)
    return quantize(score, settings.decimals)


def total_score(project: Project, settings: Settings) -> Decimal | None:
    """资金得分 + Σ 指标得分; ``None`` while any part is unfilled."""
    funds = project.funds
    if not isinstance(funds, SelfEvalFunds):
        return None
    money = funds.score if funds.score is not None else fund_score(funds, settings)
    scores = [ind.score for ind in project.all_indicators()]
    if money is None or any(s is None for s in scores):
        return None
    return money + sum((s for s in scores if s is not None), Decimal(0))


def weight_total(project: Project) -> Decimal | None:
    funds = project.funds
    if not isinstance(funds, SelfEvalFunds) or funds.weight is None:
        return None
    weights = [ind.weight for ind in project.all_indicators()]
    if any(w is None for w in weights):
        return None
    return funds.weight + sum((w for w in weights if w is not None), Decimal(0))


def grade(total: Decimal) -> str:
    """优 ≥ 90, 良 80–90, 中 60–80, 差 < 60."""
    for name, floor in GRADES:
        if total >= floor:
            return name
    return GRADES[-1][0]
