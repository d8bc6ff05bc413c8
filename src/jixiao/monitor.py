"""Mid-year monitoring: a 绩效运行监控表 skeleton from each target spec.

``init`` writes, beside each target or declaration spec (``安保经费-监控.yaml``) or
under ``-o``, the monitoring form the unit fills in at the cut-off (docs/monitoring.md):
the header and the indicators with their 年度指标值 copied from the targets as filed,
年初预算数 from the annual request (财政资金 = 当年财政拨款 + 上年结转资金), and every
figure only the unit can know left blank, so that ``check`` lists each until it is
filled. An existing file is never overwritten: it may hold the unit's figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from jixiao.files import Written, safe_name, write_atomic
from jixiao.load.workspace import SpecFile
from jixiao.model.dump import KEPT_BLANKS, dump
from jixiao.model.project import (
    FirstLevel,
    Indicator,
    MonitorFunds,
    MonitorRow,
    Project,
    SecondLevel,
    TargetFunds,
)
from jixiao.model.vocab import FormKind

# What the unit fills in at the cut-off: written blank, so that check lists each until it is.
TO_FILL = KEPT_BLANKS | {"progress", "funds.remedy", "indicators.actual", "indicators.forecast",
                         "indicators.likelihood", "indicators.reasons", "indicators.remedy"}
HEADER = ("绩效运行监控表骨架：由 jixiao monitor init 从 {source} 生成。",
          "指标和年度指标值照绩效目标表，年初预算数取目标表的年度资金申请（财政资金 = 当年财政拨款 + 上年结转资金）。",
          "空着的调整后预算数、执行数、实际完成值等，jixiao check 会逐项提示；执行率可不写，由 jixiao 算出。")
SUFFIX = "-监控"
PLANNING = (FormKind.TARGET, FormKind.DECLARATION)


def default_cutoff(year: int) -> date:
    """The usual cut-off of mid-year monitoring: the end of July (1-7月)."""
    return date(year, 7, 31)


def monitoring_form(target: Project, cutoff: date | None = None) -> Project:
    """The monitoring form of a target or declaration project, before the unit fills it in."""
    assert target.form in PLANNING and isinstance(target.funds, TargetFunds)
    funds = target.funds
    annual = funds.annual
    assert annual is not None
    fiscal = None if annual.current is None and annual.carryover is None \
        else (annual.current or Decimal(0)) + (annual.carryover or Decimal(0))
    return Project(
        form=FormKind.MONITOR, variant=FormKind.MONITOR.default_variant if target.variant else "",
        year=target.year, name=target.name, category=target.category or target.nature,
        department=target.department, unit=target.unit,
        cutoff=cutoff or default_cutoff(target.year or date.today().year),
        funds=MonitorFunds(unit=funds.unit, total=MonitorRow(initial=annual.total),
                           fiscal=MonitorRow(initial=fiscal), other=MonitorRow(initial=annual.other)),
        annual_goal=target.annual_goal,
        indicators=tuple(_level(level) for level in target.indicators))


def _level(level: FirstLevel) -> FirstLevel:
    return FirstLevel(name=level.name, children=tuple(
        SecondLevel(name=child.name, placeholder=True) if child.placeholder or not child.indicators
        else SecondLevel(name=child.name, indicators=tuple(
            Indicator(name=ind.name, target=ind.target) for ind in child.indicators))
        for child in level.children))


SCHEMA_LINE = "# yaml-language-server: $schema="


def skeleton(spec: SpecFile, cutoff: date | None = None, beside: bool = True) -> str:
    """The skeleton's text; ``beside`` the target, it keeps the target's editor schema line
    (a path relative to the folder, right for a file in the same folder)."""
    assert spec.project is not None
    header = [HEADER[0].format(source=spec.display), *HEADER[1:]]
    text = dump(monitoring_form(spec.project, cutoff), blanks=TO_FILL, header=header,
                comments={"funds.total.adjusted": "预算未调整时同年初预算数"})
    first = spec.path.read_text(encoding="utf-8").split("\n", 1)[0]
    return f"{first}\n{text}" if beside and first.startswith(SCHEMA_LINE) else text


def skeleton_path(spec: SpecFile, out_dir: Path | None) -> Path:
    project = spec.project
    assert project is not None
    if out_dir is None:
        return spec.path.with_name(f"{spec.path.stem}{SUFFIX}.yaml")
    return (out_dir / safe_name(project.department) / str(project.year) / safe_name(project.unit)
            / f"{safe_name(project.name)}{SUFFIX}.yaml")


def init(specs: list[SpecFile], out_dir: Path | None, cutoff: date | None = None) -> list[Written]:
    """A skeleton for every target or declaration spec; existing files are left alone."""
    out = []
    for spec in specs:
        if spec.project is None or spec.project.form not in PLANNING or not isinstance(spec.project.funds,
                                                                                        TargetFunds):
            continue
        path = skeleton_path(spec, out_dir)
        if path.exists():
            out.append(Written(path, False))
            continue
        # Beside the target table unless -o says otherwise: the folder is the limit either way.
        write_atomic(path, skeleton(spec, cutoff, beside=out_dir is None).encode("utf-8"),
                     out_dir or spec.path.parent)
        out.append(Written(path, True))
    return out
