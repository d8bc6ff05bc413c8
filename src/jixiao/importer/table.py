"""One imported table: the typed parts its readers returned, and the spec mapping they make.

The parts are typed by block (:class:`Header`, :class:`TargetFunds`,
:class:`SelfEvalFunds` or :class:`MonitorFunds`, :class:`Goals`, :class:`Indicators`), but their leaves are
the *written strings*, not the model's values. Import is faithful: a fund total
that does not add up, text in an amount cell, a 一级 name outside the framework
must reach the spec file as the table wrote them, for ``check`` to report with a
line number. Model objects (``Decimal`` amounts, enums) could not hold those, and
a side table of as-written texts would have to shadow every field; typed parts
with string leaves hold exactly what was read, say by their type which block it
came from, and leave the interpretation to the loader, as for a hand-written spec.
The only values read here are the year and the dates, which the form must give
readably (an unreadable date is reported and left out).

:meth:`Table.data` lays the parts out as the spec's mapping — keys named as the
model names them, a key present only when the table gave it — for
:mod:`jixiao.importer.emit` to write in the model's key order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.importer.ledger import Remark
from jixiao.importer.read_funds import MonitorFunds, SelfEvalFunds, TargetFunds
from jixiao.importer.read_goals import Goals
from jixiao.importer.read_header import Header
from jixiao.importer.read_indicators import Grid, Indicator, Indicators
from jixiao.model.vocab import FormKind


@dataclass
class Table:
    """One imported table: its parts in form order, and what the importer has to say about it.

    A table without 项目名称 is not read (``error`` says why): its parts are None.
    """

    where: str
    line: int
    last_line: int
    form: FormKind
    year: int | None = None
    variant: str = ""  # 表样 when the table says more than its form's default ("" = not written)
    header: Header | None = None
    funds: TargetFunds | SelfEvalFunds | MonitorFunds | None = None
    goals: Goals = field(default_factory=Goals)
    indicators: Indicators = field(default_factory=Indicators)
    remarks: list[Remark] = field(default_factory=list)
    error: str | None = None

    @property
    def name(self) -> str:
        return self.header.name if self.header else ""

    @property
    def department(self) -> str:
        return self.header.department if self.header else ""

    @property
    def unit(self) -> str:
        return self.header.unit if self.header else ""

    @property
    def money_unit(self) -> str | None:
        return self.funds.unit if self.funds else None

    @property
    def date_style(self) -> str | None:
        return self.header.date_style if self.header else None

    @property
    def data(self) -> dict[str, Any]:
        """The spec's mapping, ``{}`` for a table that was not read."""
        if self.header is None:
            return {}
        header = self.header
        data: dict[str, Any] = {"表格": self.form.value}
        if self.variant:
            data["表样"] = self.variant
        if self.year is not None:
            data["年度"] = self.year
        data["项目名称"] = header.name
        if header.nature is not None:
            data["项目性质"] = header.nature
        if header.category is not None:
            data["项目类别"] = header.category
        data["主管部门"] = header.department
        data["实施单位"] = header.unit
        if isinstance(self.funds, SelfEvalFunds):
            data.update(self._self_eval_data(self.funds))
        elif isinstance(self.funds, MonitorFunds):
            data.update(self._monitor_data(header, self.funds))
        elif self.funds is not None:
            data.update(self._planning_data(header, self.funds))
        return data

    def _planning_data(self, header: Header, funds: TargetFunds) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if header.start is not None:
            data["计划开始日期"] = header.start
        if header.end is not None:
            data["计划完成日期"] = header.end
        data["项目资金"] = {"单位": funds.unit, "项目资金总额": dict(funds.total),
                        "年度资金申请总额": dict(funds.annual)}
        text = "\n".join(self.goals.first)
        period = self.goals.period
        data["项目总目标"] = {"起止年度": f"{period[0]}-{period[1]}", "内容": text} if period else {"内容": text}
        data["年度总体目标"] = "\n".join(self.goals.second)
        data["绩效指标"] = _grid(self.indicators.grid)
        return data

    def _self_eval_data(self, funds: SelfEvalFunds) -> dict[str, Any]:
        money: dict[str, Any] = {"单位": funds.unit}
        for name in ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"):
            if name in funds.rows:
                money[name] = dict(funds.rows[name])
        for head in ("分值", "执行率", "得分"):
            money[head] = funds.scores.get(head)
        data: dict[str, Any] = {"项目资金": money, "预期目标": "\n".join(self.goals.first),
                                "实际完成情况": "\n".join(self.goals.second),
                                "绩效指标": _grid(self.indicators.grid), "总分": self.indicators.total}
        if self.indicators.grade:
            data["自评等级"] = self.indicators.grade
        return data

    def _monitor_data(self, header: Header, funds: MonitorFunds) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if header.cutoff is not None:
            data["监控截止"] = header.cutoff
        money: dict[str, Any] = {"单位": funds.unit}
        for name in ("年度资金总额", "财政资金", "其他资金"):
            if name in funds.rows:
                money[name] = dict(funds.rows[name])
        money["原因说明"] = funds.remedy
        data["项目资金"] = money
        data["年度总体目标"] = "\n".join(self.goals.first)
        data["目标执行情况"] = "\n".join(self.goals.second)
        data["绩效指标"] = _grid(self.indicators.grid)
        return data


def _grid(grid: Grid) -> dict[str, Any]:
    return {name1: level if isinstance(level, str) else
            {name2: items if isinstance(items, str) else [_indicator(i) for i in items]
             for name2, items in level.items()}
            for name1, level in grid.items()}


def _indicator(item: Indicator) -> dict[str, str | None]:
    out: dict[str, str | None] = {"三级指标": item.name, "年度指标值": item.target}
    if item.monitor is not None:  # every column, blank ones too, as monitor init writes them
        out.update(item.monitor)
        return out
    for key, value in (("实际完成值", item.actual), ("分值", item.weight), ("得分", item.score),
                       ("偏差原因分析及改进措施", item.deviation)):
        if value is not None:
            out[key] = value
    return out
