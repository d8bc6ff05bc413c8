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

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jixiao import __version__
from jixiao.errors import Severity
from jixiao.load.workspace import SpecFile
from jixiao.model import scoring
from jixiao.model.project import (
    FirstLevel,
    Indicator,
    Key,
    Kind,
    Project,
    SelfEvalFunds,
    TargetFunds,
    funds_model,
    model_keys,
)
from jixiao.model.settings import Settings
from jixiao.model.values import fmt, zero
from jixiao.model.vocab import FormKind
from jixiao.render import measure, xlsx
from jixiao.validate.periods import is_one_year, project_years
from jixiao.validate.years import fill_last_actuals


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


def export_spec(spec: SpecFile, project: Project | None = None) -> dict[str, Any]:
    """``project``: the spec's project with what the other specs add to it (``上年实际值`` from
    last year's self-evaluation, :func:`with_last_actuals`); default as read."""
    project = project or spec.project
    assert project is not None
    data: dict[str, Any] = to_data(project)
    data["计算"] = computed(project, spec.settings)
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
    filled = with_last_actuals(specs)
    for spec in specs:
        if spec.skipped:
            continue  # not a project spec at all; the commands say so themselves
        if spec.project is None:
            unexported.append(Unexported(spec.display, why_not_built(spec)))
            continue
        try:
            projects.append(export_spec(spec, filled.get(spec.display)))
        except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError) as exc:
            unexported.append(Unexported(spec.display, f"导出时出错（{type(exc).__name__}: {exc}）；"
                                                       "这是 jixiao 的缺陷，请报告"))
    return Exported({"jixiao": __version__, "项目": projects}, unexported)


def with_last_actuals(specs: Sequence[SpecFile]) -> dict[str, Project]:
    """Spec (as displayed) → its project with a blank ``上年实际值`` filled from last year's
    self-evaluation of the same project, when that is among ``specs`` (validate/years.py)."""
    return fill_last_actuals((s, s.project) for s in specs if s.project is not None and not s.skipped)


def why_not_built(spec: SpecFile) -> str:
    """Why ``spec`` has no project: its first error, located (``第 2 行第 1 列：…``)."""
    errors = [d for d in spec.diagnostics if d.severity is Severity.ERROR] or list(spec.diagnostics)
    if not errors:
        return "无法读取为项目规格"
    d = min(errors, key=lambda d: (d.location.line, d.location.col))
    where = f"第 {d.location.line} 行第 {d.location.col} 列" if d.location.line > 0 else ""
    return f"无法读取为项目规格（{where}{'：' if where else ''}[{d.rule}] {d.message}）"



# -- the flat workbook budget systems import (``export --format xlsx``) --------------------------

PROJECT_SHEET, INDICATOR_SHEET = "项目", "绩效指标"
NUMBER_COLUMN = "项目编号"
LEVEL_COLUMNS = ("项目名称", "一级指标", "二级指标")
_NUMERIC = (Kind.MONEY, Kind.SCORE)
# Column widths (characters) of the flat sheets: wide enough to read, capped for long text.
MIN_WIDTH, MAX_WIDTH = 8, 40


@dataclass(frozen=True)
class Column:
    """One column of a flat sheet: its heading, the dotted YAML key path, and the key names
    along it (the value is looked up by name in whatever model holds it: the funds block of
    each form is a model of its own)."""

    heading: str
    names: tuple[str, ...]


def project_columns() -> tuple[Column, ...]:
    """The 项目 sheet's columns after 项目编号: every scalar key of the project model, named by
    its dotted YAML key path, in model order (every form's funds block, in form order), without
    绩效指标 (the other sheet)."""
    out: dict[str, Column] = {}

    def walk(cls: type, names: tuple[str, ...]) -> None:
        for _attr, k in model_keys(cls):
            path = (*names, k.name)
            if k.kind is Kind.INDICATORS:
                continue
            if k.kind is Kind.MODEL:
                assert k.model is not None
                walk(k.model, path)
            elif k.kind is Kind.FUNDS:
                for model in dict.fromkeys(funds_model(form) for form in FormKind):
                    walk(model, path)
            else:
                out.setdefault(".".join(path), Column(".".join(path), path))

    walk(Project, ())
    return tuple(out.values())


def indicator_columns() -> tuple[Column, ...]:
    """The 绩效指标 sheet's columns after 项目编号, 项目名称, 一级指标, 二级指标: every key of the
    indicator model, in model order."""
    return tuple(Column(k.name, (k.name,)) for _, k in model_keys(Indicator))


_BY_NAME: dict[type, dict[str, tuple[str, Key]]] = {}


def _keys_by_name(cls: type) -> dict[str, tuple[str, Key]]:
    """(attribute, Key) of a model class's keys by YAML name (looked up for every cell)."""
    if cls not in _BY_NAME:
        _BY_NAME[cls] = {k.name: (attr, k) for attr, k in model_keys(cls)}
    return _BY_NAME[cls]


def _value_at(obj: Any, names: Sequence[str], form: FormKind) -> tuple[Any, Key | None]:
    """The value at a key path and its key, or (None, None) where the path leaves the object
    (another form's funds block, a block not written) or a key is not on the form."""
    key: Key | None = None
    for name in names:
        if obj is None:
            return None, None
        found = _keys_by_name(type(obj)).get(name)
        if found is None or form not in found[1].forms:
            return None, None
        obj, key = getattr(obj, found[0]), found[1]
    return obj, key


def scalar_text(k: Key, value: Any) -> str:
    """A scalar as the YAML writer (``model/dump.py``) writes it."""
    if k.kind is Kind.ENUM:
        return str(value.value)
    if k.kind is Kind.BOOL:
        return "true" if value else "false"
    if k.kind in (Kind.MONEY, Kind.SCORE):
        return fmt(value)
    if k.kind is Kind.PERCENT:
        return f"{fmt(value)}%"
    if k.kind is Kind.DATE:
        return str(value.isoformat())
    if k.kind is Kind.PERIOD:
        return f"{value[0]}-{value[1]}"
    return str(value)


def _put(cell: Any, k: Key | None, value: Any, where: str) -> None:
    """An amount or a score as a number showing its written decimals (text when Excel cannot
    hold it exactly); everything else as the YAML writer's text; a blank stays blank."""
    if k is None or value is None or value == "":
        return
    if k.kind in _NUMERIC and isinstance(value, Decimal) and xlsx.exact_in_excel(value):
        xlsx.put_number(cell, value, xlsx.number_format(value))
    else:
        xlsx.set_text(cell, scalar_text(k, value), where)


def _indicator_rows(project: Project) -> list[tuple[str, str, Indicator | None]]:
    """(一级, 二级, indicator) of every row: a 二级 written as 无 is one row without an
    indicator; a 一级 written as 无 is one row without a 二级."""
    rows: list[tuple[str, str, Indicator | None]] = []
    for level in project.indicators:
        if not level.children:
            rows.append((level.name, "", None))
        for child in level.children:
            if child.placeholder or not child.indicators:
                rows.append((level.name, child.name, None))
            rows.extend((level.name, child.name, ind) for ind in child.indicators)
    return rows


def _sheet(wb: Any, title: str, headings: Sequence[str]) -> Any:
    ws = wb.create_sheet(title)
    for col, heading in enumerate(headings, 1):
        xlsx.set_text(ws.cell(row=1, column=col), heading, heading)
        ws.cell(row=1, column=col).font = Font(bold=True)
    ws.freeze_panes = "A2"
    return ws


def _finish(ws: Any, columns: int) -> None:
    """Filters on the header row, and columns as wide as their text (within bounds)."""
    last = get_column_letter(columns)
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    for col in range(1, columns + 1):
        longest = max((measure.text_em(str(c.value)) for (c,) in ws.iter_rows(min_col=col, max_col=col)
                       if c.value is not None), default=0.0)
        ws.column_dimensions[get_column_letter(col)].width = round(min(MAX_WIDTH, max(MIN_WIDTH, 2 * longest + 2)), 1)


def export_xlsx(specs: Sequence[SpecFile]) -> tuple[bytes, list[Unexported]]:
    """The flat workbook of every spec that builds (documented in docs/xlsx.md), and the
    files left out with their reasons, as :func:`export_specs`."""
    wb = xlsx.new_workbook()
    pcols, icols = project_columns(), indicator_columns()
    projects = _sheet(wb, PROJECT_SHEET, (NUMBER_COLUMN, *(c.heading for c in pcols)))
    indicators = _sheet(wb, INDICATOR_SHEET, (NUMBER_COLUMN, *LEVEL_COLUMNS, *(c.heading for c in icols)))
    unexported: list[Unexported] = []
    filled = with_last_actuals(specs)
    number = 0
    for spec in specs:
        if spec.skipped:
            continue
        if spec.project is None:
            unexported.append(Unexported(spec.display, why_not_built(spec)))
            continue
        number += 1
        project = filled.get(spec.display, spec.project)
        row = projects.max_row + 1
        xlsx.put_number(projects.cell(row=row, column=1), Decimal(number), "0")
        for col, column in enumerate(pcols, 2):
            value, k = _value_at(project, column.names, project.form)
            _put(projects.cell(row=row, column=col), k, value, f"{spec.display} {column.heading}")
        for level1, level2, ind in _indicator_rows(project):
            r = indicators.max_row + 1
            xlsx.put_number(indicators.cell(row=r, column=1), Decimal(number), "0")
            for col, text in enumerate((project.name, level1, level2), 2):
                if text:
                    xlsx.set_text(indicators.cell(row=r, column=col), text, spec.display)
            for col, column in enumerate(icols, 5):
                value, k = _value_at(ind, column.names, project.form)
                _put(indicators.cell(row=r, column=col), k, value, f"{spec.display} {column.heading}")
    _finish(projects, 1 + len(pcols))
    _finish(indicators, 4 + len(icols))
    return xlsx.save_workbook(wb, title="jixiao 导出", author="jixiao", subject="项目与绩效指标"), unexported
