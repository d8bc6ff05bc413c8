"""The demo workspace in specs/ is valid, and its exported figures add up."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.errors import Severity
from jixiao.export import export_spec
from jixiao.load.workspace import Workspace, load_workspace
from jixiao.validate import check_workspace

SPECS = Path(__file__).resolve().parent.parent / "specs"


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return load_workspace([SPECS])


def test_demo_workspace_has_no_errors(workspace: Workspace) -> None:
    report = check_workspace(workspace)
    errors = [d.format() for d in report.diagnostics if d.severity is Severity.ERROR]
    assert errors == []


def test_demo_workspace_covers_the_variants(workspace: Workspace) -> None:
    projects = [p for _, p in workspace.projects()]
    assert len(projects) >= 20
    assert len({p.department for p in projects}) >= 3
    variants = Counter(p.effective_variant for p in projects)
    assert {"A", "B", "D"} <= set(variants)


def _d(text: Any) -> Decimal:
    return Decimal(0) if text is None else Decimal(text)


def test_exported_amounts_add_up_to_the_declared_totals(workspace: Workspace) -> None:
    checked = 0
    for spec, project in workspace.projects():
        data = export_spec(spec)
        funds = data["项目资金"]
        if project.form.value == "绩效自评表":
            for column in ("年初预算数", "全年预算数", "全年执行数"):
                rows = [funds[name] for name in ("当年财政拨款", "上年结转资金", "其他资金") if funds.get(name)]
                if rows and funds["年度资金总额"][column] is not None:
                    assert _d(funds["年度资金总额"][column]) == sum(_d(r[column]) for r in rows), spec.display
            assert data["总分"] == data["计算"]["总分"] or _d(data["总分"]) == _d(data["计算"]["总分"])
        elif project.form.value == "绩效运行监控表":
            for column in ("年初预算数", "调整后预算数", "执行数", "全年预计执行数"):
                rows = [funds[name] for name in ("财政资金", "其他资金") if funds.get(name)]
                assert _d(funds["年度资金总额"][column]) == sum(_d(r[column]) for r in rows), spec.display
        else:
            whole, annual = funds["项目资金总额"], funds["年度资金申请总额"]
            assert _d(whole["合计"]) == _d(whole["财政资金"]) + _d(whole["其他资金"]), spec.display
            assert _d(annual["合计"]) == (_d(annual["当年财政拨款"]) + _d(annual["上年结转资金"])
                                          + _d(annual["其他资金"])), spec.display
            assert _d(annual["合计"]) <= _d(whole["合计"])
        checked += 1
    assert checked >= 20


def test_amounts_keep_the_precision_written(workspace: Workspace) -> None:
    """万元 amounts print with the decimals the author wrote: 20.00 stays 20.00, 93.64992 stays exact."""
    for spec, _ in workspace.projects():
        text = spec.path.read_text(encoding="utf-8")
        data = export_spec(spec)
        funds = data["项目资金"]
        total = funds.get("项目资金总额", funds.get("年度资金总额"))
        amount = total.get("合计") or total.get("年初预算数")
        if amount is not None:
            assert amount in text.replace(",", ""), (spec.display, amount)
