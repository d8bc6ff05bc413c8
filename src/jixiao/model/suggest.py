"""Suggested self-evaluation scores (FORMS.md §5, practice values, configurable).

* Quantitative indicator (``≥90%``, ``=3个``, ``24小时内``): met in full → full
  marks; otherwise ``actual ÷ target × 分值``. For a ``≤``/``<`` target: full
  if the actual is within it, falling linearly to 0 at twice the target.
* Qualitative indicator (``提升``, ``及时``): a band by what the actual says —
  达成年度指标 80–100 %, 部分达成 60–80 %, 未达成 0–60 % of 分值.

The author's 得分 always stands; ``check`` warns where it is outside the band
or far from the suggestion, and ``jixiao selfeval score --write`` fills only
empty scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.project import Indicator
from jixiao.model.scoring import quantize
from jixiao.model.settings import Settings
from jixiao.model.values import parse_indicator_value

BANDS = {"达成": (Decimal(80), Decimal(100)), "部分达成": (Decimal(60), Decimal(80)),
         "未达成": (Decimal(0), Decimal(60))}
_NOT_MET = ("未完成", "未达到", "未达成", "没有完成", "未能", "较差", "滞后")
_PARTLY = ("部分", "基本", "略有", "大部分", "有所")
_MET = ("完成", "达成", "达到", "实现", "符合", "按时", "及时")


@dataclass(frozen=True)
class Suggestion:
    low: Decimal  # the band a defensible score lies in
    high: Decimal
    score: Decimal  # the single value `score --write` fills in
    basis: str  # why, in Chinese, for messages

    def contains(self, score: Decimal) -> bool:
        return self.low <= score <= self.high


def suggest(ind: Indicator, settings: Settings) -> Suggestion | None:
    if ind.weight is None or ind.actual is None or not ind.actual.strip():
        return None
    target, actual = parse_indicator_value(ind.target), parse_indicator_value(ind.actual)
    # "3" reached against "=3个": a bare number is taken in the target's unit.
    if target.number is not None and actual.number is not None and actual.unit in (target.unit, ""):
        return _quantitative(ind.weight, target.comparator or "=", target.number, actual.number, settings)
    return _qualitative(ind, settings)


def _quantitative(weight: Decimal, comparator: str, target: Decimal, actual: Decimal,
                  settings: Settings) -> Suggestion:
    if comparator in ("<=", "<"):
        if actual <= target or target == 0:
            ratio = Decimal(1) if actual <= target else Decimal(0)
        else:
            ratio = max(Decimal(0), (2 * target - actual) / target)
        basis = f"越小越好：目标 {target}，实际 {actual}"
    else:
        ratio = Decimal(1) if target == 0 else min(Decimal(1), actual / target)
        basis = f"目标 {target}，实际 {actual}"
    score = quantize(weight * ratio, settings.decimals)
    tolerance = quantize(weight / 10, settings.decimals)  # within a tenth of the points is "close"
    return Suggestion(max(Decimal(0), score - tolerance), min(weight, score + tolerance), score, basis)


def _qualitative(ind: Indicator, settings: Settings) -> Suggestion | None:
    assert ind.weight is not None and ind.actual is not None
    actual, target = ind.actual.strip(), ind.target.strip()
    if any(word in actual for word in _NOT_MET):
        band = "未达成"
    elif any(word in actual for word in _PARTLY):
        band = "部分达成"
    elif actual == target or any(word in actual for word in _MET):
        band = "达成"
    else:
        return None  # "提升", "改善" … say too little to grade by; the author's judgement stands
    low, high = settings.bands.get(band, BANDS[band])
    w = ind.weight
    top = quantize(w * high / 100, settings.decimals)
    return Suggestion(quantize(w * low / 100, settings.decimals), top, top, f"定性指标：{band}年度指标")
