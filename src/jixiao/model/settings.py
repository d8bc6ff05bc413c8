"""Workspace settings: what a chain of ``_defaults.yaml`` files configures.

Project values (主管部门, 年度 …) are inherited by the builder; the settings
here configure the tool itself for the projects below a folder: which
indicator framework, how severe each rule is, how self-evaluations score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.errors import Severity
from jixiao.model.project import Defaults
from jixiao.model.vocab import PRACTICE_WEIGHTS, Framework


def _practice_weights() -> Mapping[str, Decimal]:
    return {name: Decimal(points) for name, points in PRACTICE_WEIGHTS.items()}


@dataclass(frozen=True)
class Settings:
    framework: Framework = Framework.ANY
    # rule id → severity, or None to switch the rule off; absent = the rule's default.
    rule_levels: Mapping[str, Severity | None] = field(default_factory=dict)
    cap_fund_score: bool = True
    decimals: int = 2
    weights: Mapping[str, Decimal] = field(default_factory=_practice_weights)
    # Qualitative bands in percent of the points; absent = the practice values (model/suggest.py).
    bands: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    date_style: str | None = None
    disclosure_title: str | None = None
    accounts_title: str | None = None
    page_style: str | None = None
    # How many percentage points 执行率 may lag the time elapsed at a monitoring cut-off.
    monitor_tolerance: Decimal = Decimal(10)

    @classmethod
    def from_chain(cls, chain: Iterable[Defaults]) -> Settings:
        """Fold defaults files from the outermost folder to the innermost."""
        settings = cls()
        for d in chain:
            settings = settings._with(d)
        return settings

    def _with(self, d: Defaults) -> Settings:
        s = self
        if d.framework is not None:
            s = replace(s, framework=d.framework)
        if d.rules:
            levels = dict(s.rule_levels)
            for rule_id, level in d.rules.items():
                levels[rule_id] = Severity(level) if level else None
            s = replace(s, rule_levels=levels)
        if d.date_style is not None:
            s = replace(s, date_style=d.date_style)
        if d.disclosure_title is not None:
            s = replace(s, disclosure_title=d.disclosure_title)
        if d.accounts_title is not None:
            s = replace(s, accounts_title=d.accounts_title)
        if d.page_style is not None:
            s = replace(s, page_style=d.page_style)
        if d.selfeval is not None:
            if d.selfeval.cap is not None:
                s = replace(s, cap_fund_score=d.selfeval.cap)
            if d.selfeval.decimals is not None:
                s = replace(s, decimals=d.selfeval.decimals)
            if d.selfeval.weights:
                s = replace(s, weights={**s.weights, **d.selfeval.weights})
            if d.selfeval.bands:
                s = replace(s, bands={**s.bands, **d.selfeval.bands})
        if d.monitor is not None and d.monitor.tolerance is not None:
            s = replace(s, monitor_tolerance=d.monitor.tolerance)
        return s
