"""The normalised project as plain data, for ``jixiao export`` and other systems.

Inherited defaults are applied, computed figures are added under ``计算``,
and every amount is an exact decimal *string* (JSON numbers are floats in most
consumers, which is exactly what money must never become).

:func:`export_specs` exports every spec it can and says, per file, why the others
could not be exported (a file that does not build: its first error; a project whose
data cannot be exported: the error), so ``export --force`` never stops at one file
and never leaves one out silently.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from jixiao import __version__
from jixiao.errors import Severity
from jixiao.load.workspace import SpecFile
from jixiao.model import scoring
from jixiao.model.project import (
    FirstLevel,
    Project,
    SelfEvalFunds,
    TargetFunds,
    model_keys,
)
from jixiao.model.settings import Settings
from jixiao.model.values import fmt, zero
from jixiao.model.vocab import FormKind
from jixiao.validate.periods import is_one_year, project_years


def to_data(value: Any, form: FormKind | None = None) -> Any:
    """A model object as JSON-ready data with its Chinese keys, in form order.

    Keys that do not belong to ``form`` (a 分值 on a target table) are left out.
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Project):
        data = _fields(value, value.form)
        data["表样"] = value.effective_variant  # as it will be printed
        return data
    if isinstance(value, tuple) and all(isinstance(v, FirstLevel) for v in value):
        return _indicators(value, form)  # also the empty grid of a spec cut short (--force)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]}-{value[1]}"
    if isinstance(value, tuple | list):  # a list the model holds as a tuple: each item
        return [to_data(v, form) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v, form) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return _fields(value, form)
    raise TypeError(f"cannot export {type(value).__name__}")  # pragma: no cover


def _fields(obj: Any, form: FormKind | None) -> dict[str, Any]:
    return {k.name: to_data(getattr(obj, attr), form) for attr, k in model_keys(type(obj))
            if form is None or form in k.forms}


def _indicators(levels: tuple[FirstLevel, ...], form: FormKind | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for level in levels:
        children: dict[str, Any] = {}
        for child in level.children:
            children[child.name] = "无" if child.placeholder else [to_data(i, form) for i in child.indicators]
        out[level.name] = children if level.children else "无"
    return out


def computed(project: Project, settings: Settings) -> dict[str, Any]:
    """Figures derived from the spec, never typed by the author."""
    years = project_years(project)
    out: dict[str, Any] = {
        "项目期间": f"{years[0]}-{years[1]}" if years else None,
        "一年期项目": is_one_year(project),
        "三级指标数": sum(1 for _ in project.all_indicators()),
    }
    funds = project.funds
    if isinstance(funds, TargetFunds) and funds.project and funds.annual:
        p, a = funds.project, funds.annual
        out["项目资金总额（分项合计）"] = fmt(zero(p.fiscal) + zero(p.other))
        out["年度资金申请总额（分项合计）"] = fmt(zero(a.current) + zero(a.carryover) + zero(a.other))
    if isinstance(funds, SelfEvalFunds):
        rate = scoring.execution_rate(funds, settings)
        money = scoring.fund_score(funds, settings)
        total = scoring.total_score(project, settings)
        weights = scoring.weight_total(project)
        out["执行率"] = None if rate is None else f"{fmt(rate)}%"
        out["资金得分"] = None if money is None else fmt(money)
        out["分值合计"] = None if weights is None else fmt(weights)
        out["总分"] = None if total is None else fmt(total)
        out["自评等级"] = None if total is None else scoring.grade(total)
    return out


def export_spec(spec: SpecFile) -> dict[str, Any]:
    assert spec.project is not None
    data: dict[str, Any] = to_data(spec.project)
    data["计算"] = computed(spec.project, spec.settings)
    data["来源"] = spec.display
    return data


def export_document(specs: list[SpecFile]) -> dict[str, Any]:
    """The export of the specs that build (what :func:`export_specs` gives, without the list
    of those it could not export)."""
    return export_specs(specs).document


@dataclass(frozen=True)
class Unexported:
    """A spec file ``export`` could not export, and why (in Chinese, for the user)."""

    display: str
    reason: str

    def format(self) -> str:
        return f"{self.display}：{self.reason}"


@dataclass
class Exported:
    """What :func:`export_specs` made: the document, and the files left out with their reasons."""

    document: dict[str, Any]
    unexported: list[Unexported] = field(default_factory=list)


def export_specs(specs: Sequence[SpecFile]) -> Exported:
    """Export every spec that builds; every other one is listed with the reason.

    One file never stops the others: a project whose data cannot be exported (a
    jixiao defect) is listed with the error instead of ending the whole export.
    """
    projects: list[dict[str, Any]] = []
    unexported: list[Unexported] = []
    for spec in specs:
        if spec.skipped:
            continue  # not a project spec at all; the commands say so themselves
        if spec.project is None:
            unexported.append(Unexported(spec.display, why_not_built(spec)))
            continue
        try:
            projects.append(export_spec(spec))
        except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError) as exc:
            unexported.append(Unexported(spec.display, f"导出时出错（{type(exc).__name__}: {exc}）；"
                                                       "这是 jixiao 的缺陷，请报告"))
    return Exported({"jixiao": __version__, "项目": projects}, unexported)


def why_not_built(spec: SpecFile) -> str:
    """Why ``spec`` has no project: its first error, located (``第 2 行第 1 列：…``)."""
    errors = [d for d in spec.diagnostics if d.severity is Severity.ERROR] or list(spec.diagnostics)
    if not errors:
        return "无法读取为项目规格"
    d = min(errors, key=lambda d: (d.location.line, d.location.col))
    where = f"第 {d.location.line} 行第 {d.location.col} 列" if d.location.line > 0 else ""
    return f"无法读取为项目规格（{where}{'：' if where else ''}[{d.rule}] {d.message}）"

