"""Mid-year monitoring (docs/monitoring.md): arithmetic, the form in three formats, the
skeleton (`jixiao monitor init`), the summary document, and the self-evaluation after it.

The rules themselves, each with a failing case and its exact message, are in
tests/test_rules.py (``monitor-*``); their passing case is the clean ``MONITOR`` spec there
and the demo set, which check reports only the warnings it was written to show.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import SPECS, check, load, run_cli
from jixiao.bundle import Phase, plan
from jixiao.errors import TemplateError
from jixiao.load.workspace import load_workspace
from jixiao.model import monitoring
from jixiao.model.project import MonitorRow, SelfEvalFunds
from jixiao.model.vocab import FormKind
from jixiao.render import Renderer
from jixiao.selfeval import self_evaluation
from jixiao.validate.monitoring import shortfall
from render_helpers import DemoRender, read_html, squash

UNIT = SPECS / "闵行区浦江镇人民政府" / "2026" / "浦江镇司法所"
DEMO_FORM = UNIT / "社区矫正安置帮教-监控.yaml"


# -- arithmetic ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("executed", "adjusted", "printed"), [
    ("35", "60", "58.3"),  # 58.333…
    ("1", "16", "6.3"),  # 6.25: half-up, not to even
    ("1", "8", "12.5"),
    ("5.28", "9.26", "57.0"),  # 57.019…: the zero is printed
    ("0", "60", "0.0"),
    ("61", "60", "101.7"),
])
def test_the_printed_rate_is_the_exact_rate_to_one_decimal_half_up(executed: str, adjusted: str,
                                                                     printed: str) -> None:
    row = MonitorRow(executed=Decimal(executed), adjusted=Decimal(adjusted))
    assert monitoring.exact_rate(row) == Decimal(executed) / Decimal(adjusted) * 100
    assert str(monitoring.printed_rate(row)) == printed


@pytest.mark.parametrize(("written", "right"), [
    ("58.3", True), ("58.33", True), ("58.333", True), ("58", True),
    ("58.4", False), ("58.34", False), ("58.0", False), ("59", False),
])
def test_a_written_rate_is_checked_at_the_decimals_it_is_written_with(written: str, right: bool) -> None:
    assert monitoring.rate_agrees(Decimal(written), Decimal(35) / Decimal(60) * 100) is right


def test_no_rate_without_an_executed_amount_or_a_budget() -> None:
    assert monitoring.printed_rate(MonitorRow(adjusted=Decimal(60))) is None
    assert monitoring.printed_rate(MonitorRow(executed=Decimal(1), adjusted=Decimal(0))) is None
    assert monitoring.printed_rate(None) is None


@pytest.mark.parametrize(("cutoff", "label", "elapsed"), [
    (date(2026, 7, 31), "1-7月", Decimal(7) / 12 * 100),
    (date(2026, 1, 31), "1月", Decimal(1) / 12 * 100),
    (date(2026, 6, 30), "1-6月", Decimal(50)),
    (date(2026, 7, 15), "1月1日-7月15日", Decimal(196) / 365 * 100),
    (date(2028, 2, 29), "1-2月", Decimal(2) / 12 * 100),  # a leap year's February ends on the 29th
])
def test_the_period_and_the_time_elapsed_come_from_the_cutoff(cutoff: date, label: str, elapsed: Decimal) -> None:
    assert monitoring.period_label(cutoff) == label
    assert monitoring.elapsed(cutoff) == elapsed


@pytest.mark.parametrize(("target", "forecast", "short"), [
    ("≥24次", "20次", True), ("≥24次", "24次", False), ("≥24次", "24", False), (">24次", "24次", True),
    ("=100%", "95%", True), ("100%", "100%", False), ("≤0.2%", "0.3%", True), ("≤0.2%", "0", False),
    ("<5件", "5件", True), ("24小时内", "24小时内", False),
    ("及时", "基本及时", False),  # qualitative: 完成目标可能性 says it
    ("≥24次", "20人", False),  # another unit: not compared
])
def test_a_forecast_is_short_of_a_target_by_its_comparator(target: str, forecast: str, short: bool) -> None:
    assert shortfall(target, forecast) is short


# -- the demo set ----------------------------------------------------------------------------------


def test_the_demo_monitoring_set_shows_each_warning_it_was_written_for() -> None:
    report = check(UNIT)
    assert report.errors == 0
    assert sorted({d.rule for d in report.diagnostics}) == [
        "monitor-behind-schedule", "monitor-forecast-unexplained", "monitor-targets-differ", "monitor-unfilled"]


def test_the_form_prints_the_computed_rate_and_the_period(demo: DemoRender) -> None:
    (spec,) = [s for s in load_workspace([DEMO_FORM]).specs]
    assert spec.project is not None
    html = read_html(demo.path(spec.project, "html"))
    assert html.h1 == "财政项目支出绩效运行监控表"
    header = html.table("header").grid()
    assert [c.text for c in header[2]] == ["监控期间", "2026年1-7月", "监控截止日期", "2026-7-31"]  # 浦江镇 prints dates 2026-1-1
    (funds,) = html.parts("funds")
    rows = funds.grid()
    assert [squash(c.text) for c in rows[0][2:]] == ["年初预算数", "调整后预算数", "1-7月执行数", "1-7月执行率",
                                                      "全年预计执行数"]
    assert [c.text for c in rows[1][1:]] == ["年度资金总额", "9.26", "9.26", "5.28", "57.0%", "9.26"]
    assert rows[1][0] is rows[4][0] and squash(rows[0][0].text) == "项目资金（万元）"  # the side label spans the block
    assert rows[4][1].text == "原因说明" and rows[4][2].colspan == 5
    indicators = html.parts("indicators")[0].grid()
    assert [squash(c.text) for c in indicators[0][1:]] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "全年预计完成值", "完成目标可能性",
        "偏差原因", "原因说明及纠偏措施"]
    visit = next(r for r in indicators if r[3].text == "走访覆盖率")
    assert [c.text for c in visit[4:]] == ["100%", "52%", "95%", "有可能", "人员保障",
                                           "两名社工5月离职，走访暂由司法所干部分担；8月补员后按周排班补访。"]


def test_the_pdf_and_the_docx_print_the_same_form(demo: DemoRender) -> None:
    (spec,) = load_workspace([DEMO_FORM]).specs
    assert spec.project is not None
    text = squash("".join(page.extract_text() for page in PdfReader(demo.path(spec.project, "pdf")).pages))
    for printed in ("财政项目支出绩效运行监控表", "（2026年度）", "2026年1-7月", "1-7月执行率", "57.0%", "走访覆盖率",
                    "两名社工5月离职"):
        assert squash(printed) in text
    document = docx.Document(str(demo.path(spec.project, "docx")))
    cells = [squash(c.text) for table in document.tables for row in table.rows for c in row.cells]
    for printed in ("监控期间", "2026年1-7月", "1-7月执行数", "57.0%", "完成目标可能性", "有可能", "人员保障"):
        assert squash(printed) in cells
    # 项目资金（万元） is one merged cell down the funds block: python-docx repeats it in each row it covers.
    assert cells.count(squash("项目资金（万元）")) >= 5


def test_a_monitoring_spec_is_not_printed_with_a_planning_variant(tmp_path: Path) -> None:
    copy = tmp_path / "m.yaml"
    copy.write_text(DEMO_FORM.read_text(encoding="utf-8").replace("表格: 绩效运行监控表", "表格: 绩效运行监控表\n表样: A"),
                    encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (spec,) = load_workspace([copy]).specs
    with pytest.raises(TemplateError, match="表样「A」印的是绩效目标表，不能印绩效运行监控表"):
        Renderer().grid(spec)


# -- monitor init ----------------------------------------------------------------------------------


@pytest.fixture
def unit_copy(tmp_path: Path) -> Path:
    """浦江镇司法所's targets (with the workspace's _defaults.yaml files), without the demo's monitoring forms."""
    root = tmp_path / "ws"
    shutil.copytree(SPECS, root, ignore=shutil.ignore_patterns("*-监控.yaml"))
    return root / UNIT.relative_to(SPECS)


def test_init_writes_one_skeleton_per_target_and_never_overwrites(unit_copy: Path) -> None:
    code, out, err = run_cli("monitor", "init", unit_copy / "普法.yaml", unit_copy / "诉讼.yaml")
    assert (code, err) == (0, "")
    assert out == f"已生成 {unit_copy / '普法-监控.yaml'}\n已生成 {unit_copy / '诉讼-监控.yaml'}\n"
    written = (unit_copy / "普法-监控.yaml").read_text(encoding="utf-8")
    (unit_copy / "普法-监控.yaml").write_text(written + "# 已填\n", encoding="utf-8")
    code, out, _ = run_cli("monitor", "init", unit_copy / "普法.yaml")
    assert (code, out) == (0, f"已存在，未改动 {unit_copy / '普法-监控.yaml'}\n")
    assert (unit_copy / "普法-监控.yaml").read_text(encoding="utf-8").endswith("# 已填\n")


def test_a_skeleton_copies_the_targets_and_check_lists_what_is_left_to_fill(unit_copy: Path) -> None:
    run_cli("monitor", "init", unit_copy / "社区矫正安置帮教.yaml", "--cutoff", "2026-06-30")
    path = unit_copy / "社区矫正安置帮教-监控.yaml"
    (form,) = load(path).specs
    (target,) = load(unit_copy / "社区矫正安置帮教.yaml").specs
    assert form.project is not None and target.project is not None
    assert form.project.form is FormKind.MONITOR and form.project.cutoff == date(2026, 6, 30)
    assert [(i.name, i.target) for i in form.project.all_indicators()] == \
        [(i.name, i.target) for i in target.project.all_indicators()]
    report = check(path, unit_copy / "社区矫正安置帮教.yaml")
    assert report.errors == 0
    assert {d.rule for d in report.diagnostics} == {"monitor-unfilled"}
    indicators = len(form.project.all_indicators())
    # 调整后预算数, 执行数, 全年预计执行数, 目标执行情况, and three per indicator
    assert report.warnings == 3 + 1 + 3 * indicators


def test_every_demo_target_gives_a_skeleton_without_errors(tmp_path: Path) -> None:
    code, out, _ = run_cli("monitor", "init", SPECS / "闵行区浦江镇人民政府" / "2026", "-o", tmp_path / "m")
    assert code == 0
    written = sorted((tmp_path / "m").rglob("*-监控.yaml"))
    targets = [s for s in load(SPECS / "闵行区浦江镇人民政府" / "2026").specs
               if s.project is not None and s.project.form in (FormKind.TARGET, FormKind.DECLARATION)]
    assert len(written) == len(targets) > 40
    assert out.count("已生成") == len(written)
    (tmp_path / "m" / ".git").mkdir()
    report = check(tmp_path / "m")
    # What the targets themselves are warned of (copied indicators …) is warned of again; of
    # the monitoring rules only the blanks are reported.
    assert report.errors == 0
    assert {d.rule for d in report.diagnostics if d.rule.startswith("monitor-")} == {"monitor-unfilled"}


@pytest.mark.parametrize(("args", "message"), [
    (("--cutoff", "2025-07-31"), "错误：监控截止日期 2025-07-31 不在表格年度（2026 年）之内\n"),
    (("--cutoff", "2026-02-30"), "--cutoff"),
])
def test_a_cutoff_outside_the_year_or_not_a_date_is_refused(unit_copy: Path, args: tuple[str, ...],
                                                            message: str) -> None:
    code, out, err = run_cli("monitor", "init", unit_copy / "普法.yaml", *args)
    assert code == 2 and out == "" and message in err
    assert not (unit_copy / "普法-监控.yaml").exists()


# -- the summary and the self-evaluation after monitoring ------------------------------------------


def test_the_monitoring_forms_make_their_own_summary_document() -> None:
    documents = plan(load(UNIT))
    (summary,) = [d for d in documents if d.phase == Phase.MONITOR]
    assert summary.title == "闵行区浦江镇人民政府2026年度项目支出绩效运行监控情况汇总"
    assert summary.summary is not None
    assert summary.summary.headings == ("调整后预算数（万元）", "1-7月执行数（万元）", "1-7月执行率", "全年预计执行数（万元）")
    rows = {r.name: r.figures for r in summary.summary.rows}
    assert rows["社区矫正安置帮教"] == (Decimal("9.26"), Decimal("5.28"), "57.0%", Decimal("9.26"))
    adjusted = sum((r[0] for r in rows.values() if isinstance(r[0], Decimal)), Decimal(0))
    executed = sum((r[1] for r in rows.values() if isinstance(r[1], Decimal)), Decimal(0))
    assert summary.summary.totals[:2] == (adjusted, executed)
    assert summary.summary.totals[2] == f"{(executed / adjusted * 100).quantize(Decimal('0.1'))}%"
    assert len([d for d in documents if d.phase == Phase.BUDGET]) == 1  # the targets' document as before


def test_selfeval_init_takes_the_adjusted_budget_and_the_remarks_from_monitoring(unit_copy: Path) -> None:
    form = unit_copy / "社区矫正安置帮教-监控.yaml"
    text = DEMO_FORM.read_text(encoding="utf-8").replace("调整后预算数: 9.26  # 预算未调整时同年初预算数",
                                                          "调整后预算数: 8.50").replace(
        "  财政资金:\n    年初预算数: 9.26\n    调整后预算数: 9.26", "  财政资金:\n    年初预算数: 9.26\n    调整后预算数: 8.50")
    form.write_text(text, encoding="utf-8")
    (monitored,) = load(form).specs
    (target,) = load(unit_copy / "社区矫正安置帮教.yaml").specs
    evaluation = self_evaluation(target, monitored=monitored.project)
    funds = evaluation.funds
    assert isinstance(funds, SelfEvalFunds) and funds.total is not None and funds.current is not None
    assert (funds.total.initial, funds.total.budget) == (Decimal("9.26"), Decimal("8.50"))
    assert funds.current.budget == Decimal("8.50")
    deviations = {i.name: i.deviation for i in evaluation.all_indicators()}
    assert deviations["走访覆盖率"] == "年中监控：人员保障；两名社工5月离职，走访暂由司法所干部分担；8月补员后按周排班补访。"
    assert deviations["帮困对象数"] is None
    # Through the command: the monitoring file beside the target is found without being named.
    code, _out, _ = run_cli("selfeval", "init", unit_copy / "社区矫正安置帮教.yaml")
    assert code == 0
    skeleton = (unit_copy / "社区矫正安置帮教-自评.yaml").read_text(encoding="utf-8")
    assert f"全年预算数取自年中监控表 {form} 的调整后预算数" in skeleton
    assert "全年预算数: 8.50" in skeleton and "年中监控：人员保障" in skeleton


def test_selfeval_init_over_a_folder_skips_the_monitoring_forms(unit_copy: Path) -> None:
    run_cli("monitor", "init", unit_copy)
    code, out, _ = run_cli("selfeval", "init", unit_copy)
    assert code == 0
    assert "-监控-自评.yaml" not in out and out.count("已生成") == 7


def test_the_clean_monitoring_form_of_the_rule_cases_passes_every_rule(write_specs) -> None:  # type: ignore[no-untyped-def]
    """The passing case of each monitor-* rule: tests/test_rules.py edits this form to fail one."""
    from test_rules import MONITOR

    write_specs({"d/m.yaml": MONITOR})
    assert check(".").diagnostics == ()
