"""Checks across years (issue 18 §3): this year's targets against last year's tables.

Each rule has a failing and a passing case on a two-year workspace: ``d/2025/s.yaml`` is
last year's self-evaluation of 事业编残保金 (seed 003 L67–85, actuals written for the
test), ``d/2026/s.yaml`` this year's target table (the clean seed table). The rename
(``上年项目``), the linear matching, the demo workspace and the ``上年实际值`` that export
fills are tested below.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, check, load, replace_once
from jixiao.errors import Diagnostic, Severity
from jixiao.export import to_data
from jixiao.load.workspace import SpecFile
from jixiao.model.project import FirstLevel, Indicator, Project, SecondLevel
from jixiao.model.settings import Settings
from jixiao.model.vocab import FormKind
from jixiao.rules import RULES
from jixiao.validate import years
from jixiao.validate.years import fill_last_actuals, index_years, last_actuals

YEARS_RULES = ("years-target-below-last-actual", "years-target-still-too-easy", "years-indicator-dropped",
               "years-copied-unchanged", "years-previous-unknown")

LAST_DEFAULTS = PUJIANG_DEFAULTS.replace("年度: 2026", "年度: 2025").replace("表格: 绩效目标表", "表格: 绩效自评表")

# Last year's self-evaluation of the clean target table: same indicators and targets, every one
# met exactly, 年初预算数 20.00 as this year's request. Lines: 5 年初预算数  17 预期目标
# 22 事业编制人数  24 实际完成值  28 缴纳残保金准确率  30 实际完成值  34 支付及时性
LAST = """\
项目名称: 事业编残保金
实施单位: 浦江镇社区党群服务中心
项目资金:
  年度资金总额:
    年初预算数: 20.00
    全年预算数: 20.00
    全年执行数: 20.00
  当年财政拨款:
    年初预算数: 20.00
    全年预算数: 20.00
    全年执行数: 20.00
  上年结转资金: {}
  其他资金: {}
  分值: 10
  执行率: 100.00%
  得分: 10
预期目标: 根据通知要求，当年及时、足额缴纳残疾人就业保障金。
实际完成情况: 全年按时足额缴纳了残疾人就业保障金。
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 事业编制人数
        年度指标值: 42人
        实际完成值: 42人
        分值: 17
        得分: 17
    质量指标:
      - 三级指标: 缴纳残保金准确率
        年度指标值: 100%
        实际完成值: 100%
        分值: 17
        得分: 17
    时效指标:
      - 三级指标: 支付及时性
        年度指标值: 及时
        实际完成值: 及时
        分值: 16
        得分: 16
  效益指标:
    社会效益指标:
      - 三级指标: 改善残疾人生活质量的社会责任感
        年度指标值: 提高
        实际完成值: 提高
        分值: 30
        得分: 30
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 生活质量满意度
        年度指标值: 100%
        实际完成值: 100%
        分值: 10
        得分: 10
总分: 100
"""

NOW = "d/2026/s.yaml"
BEFORE = "d/2025/s.yaml"


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        text = replace_once(text, old, new)
    return text


def two_years(last: str = LAST, now: str = CLEAN_TARGET) -> dict[str, str]:
    return {"d/2025/_defaults.yaml": LAST_DEFAULTS, BEFORE: last,
            "d/2026/_defaults.yaml": PUJIANG_DEFAULTS, NOW: now}


def across(rule_id: str | None = None) -> list[str]:
    """What the checks across years report (one rule's, or all of them), as the CLI prints it."""
    wanted = (rule_id,) if rule_id else YEARS_RULES
    return [d.format() for d in check(".").diagnostics if d.rule in wanted]


TOO_EASY_LAST = edit(LAST, ("        实际完成值: 42人\n", "        实际完成值: 60人\n"))
PREVIOUS_MISTYPED = edit(CLEAN_TARGET, ("项目类别:", "上年项目: 事业编残保经费\n项目类别:"))

# rule id → (a two-year workspace, what that rule reports on it): one failing case per rule, in the
# form of tests/test_rules.py's CASES (which takes them from here).
YEARS_CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "years-target-below-last-actual": (two_years(edit(LAST, ("        实际完成值: 42人\n", "        实际完成值: 45人\n"))), [
        "d/2026/s.yaml:24:16: 警告 [years-target-below-last-actual] 三级指标「事业编制人数」的年度指标值 42人 "
        "低于上年实际完成值 45人（d/2025/s.yaml:24:16）；目标定得偏低，请按上年实际水平设定，或说明降低的原因",
    ]),
    "years-target-still-too-easy": (two_years(TOO_EASY_LAST), [
        "d/2026/s.yaml:24:16: 警告 [years-target-still-too-easy] 三级指标「事业编制人数」的年度指标值 42人 不高于上年的 42人，"
        "而上年实际完成了 60人（d/2025/s.yaml:24:16，上年已报 selfeval-target-too-easy）；请按上年实际水平提高目标",
    ]),
    "years-indicator-dropped": (two_years(edit(LAST, ("      - 三级指标: 事业编制人数\n", "      - 三级指标: 残保金申报次数\n"),
                                               ("      - 三级指标: 支付及时性\n", "      - 三级指标: 缴费及时性\n"))), [
        "d/2026/s.yaml:22:5: 警告 [years-indicator-dropped] 上年的三级指标「残保金申报次数」（产出指标 / 数量指标，"
        "d/2025/s.yaml:22:15）今年没有了；删去或改名了就在申报说明里交代，漏写了就补上",
        "d/2026/s.yaml:29:15: 警告 [years-indicator-dropped] 三级指标「支付及时性」像是上年「缴费及时性」"
        "（d/2025/s.yaml:34:15）改了名；改名后两年的数值无法对照，没改名就忽略本提示",
    ]),
    "years-copied-unchanged": (two_years(now=CLEAN_TARGET.replace("20.00", "25.00")), [
        "d/2026/s.yaml:19:9: 警告 [years-copied-unchanged] 年度总体目标和全部 5 个三级指标（连同年度指标值）与上年的表"
        "（d/2025/s.yaml）完全相同，而年度资金由上年的年初预算数 20.00万元 变为 25.00万元；资金变了，请相应调整目标和指标值",
    ]),
    "years-previous-unknown": (two_years(now=PREVIOUS_MISTYPED), [
        "d/2026/s.yaml:2:7: 错误 [years-previous-unknown] 上年项目「事业编残保经费」不是上年的项目："
        "2025 年度实施单位「浦江镇社区党群服务中心」的 1 个项目中没有这个名称；是否想写「事业编残保金」？",
    ]),
}


def test_the_two_clean_years_report_nothing(write_specs) -> None:
    write_specs(two_years())
    assert [d.format() for d in check(".").diagnostics] == []


def test_every_rule_across_years_has_a_case() -> None:
    assert set(YEARS_CASES) == set(YEARS_RULES) == {r for r in RULES if r.startswith("years-")}
    assert all(RULES[r].group == "跨年度" for r in YEARS_RULES)


@pytest.mark.parametrize("rule_id", YEARS_RULES)
def test_rule_across_years(write_specs, rule_id: str) -> None:
    files, expected = YEARS_CASES[rule_id]
    write_specs(files)
    found = [d for d in check(".").diagnostics if d.rule in YEARS_RULES]
    assert [d.format() for d in found] == expected  # and no other rule across years
    assert all(d.severity is RULES[rule_id].severity for d in found)


# -- target below last year's actual -------------------------------------------------------------------


def test_target_at_last_years_actual_or_in_another_unit_passes(write_specs) -> None:
    # A bare 42 is taken in the target's unit (as the suggested scores take it): not below 42人.
    write_specs(two_years(edit(LAST, ("        实际完成值: 42人\n", "        实际完成值: 42\n"))))
    assert across() == []
    # 45 万元 is not a number of people.
    write_specs(two_years(edit(LAST, ("        实际完成值: 42人\n", "        实际完成值: 45万元\n"))))
    assert across() == []
    # A bare 0 is a ceiling (有责投诉率 0%), not a level to reach: last year's 2 is not above it.
    write_specs(two_years(edit(LAST, ("        年度指标值: 42人\n        实际完成值: 42人\n",
                                      "        年度指标值: 0人\n        实际完成值: 2人\n")),
                          edit(CLEAN_TARGET, ("        年度指标值: 42人\n", "        年度指标值: 0人\n"))))
    assert across() == []


ACCURACY_LAST = "      - 三级指标: 缴纳残保金准确率\n        年度指标值: 100%\n        实际完成值: 100%\n"
ACCURACY_NOW = "      - 三级指标: 缴纳残保金准确率\n        年度指标值: 100%\n"


def test_a_ceiling_looser_than_last_years_actual(write_specs) -> None:
    # ≤ targets: smaller is better, so a ceiling above last year's result is the easy one.
    last = edit(LAST, (ACCURACY_LAST, ACCURACY_LAST.replace("100%\n", "≤5%\n", 1).replace("100%\n", "2%\n")))
    now = edit(CLEAN_TARGET, (ACCURACY_NOW, ACCURACY_NOW.replace("100%", "≤5%")))
    write_specs(two_years(last, now))
    assert across() == [
        "d/2026/s.yaml:27:16: 警告 [years-target-below-last-actual] 三级指标「缴纳残保金准确率」的年度指标值 ≤5%（越小越好）"
        "比上年实际完成值 2% 还宽（d/2025/s.yaml:30:16）；目标定得偏松，请按上年实际水平设定，或说明放宽的原因",
    ]
    write_specs(two_years(last, edit(now, ("        年度指标值: ≤5%\n", "        年度指标值: ≤2%\n"))))
    assert across() == []


# -- last year's target was too easy --------------------------------------------------------------------

def test_still_too_easy_is_said_once_beside_last_years_rule(write_specs) -> None:
    files, expected = YEARS_CASES["years-target-still-too-easy"]
    write_specs(files)
    # Last year's file has the rule within one self-evaluation; this year's names it, once, and
    # not also as a target below last year's actual.
    assert [d.format() for d in check(".").diagnostics if d.rule.startswith(("years-", "selfeval-target"))] == [
        "d/2025/s.yaml:24:16: 警告 [selfeval-target-too-easy] 三级指标「事业编制人数」的实际完成值 60人 是年度指标值 42人 的 "
        "1.4 倍；目标定得偏低，下一年度请按实际水平设定",
        *expected,
    ]


def test_target_raised_to_last_years_actual_passes(write_specs) -> None:
    write_specs(two_years(TOO_EASY_LAST, edit(CLEAN_TARGET, ("        年度指标值: 42人\n", "        年度指标值: 60人\n"))))
    assert across() == []


def test_target_raised_but_still_below_last_years_actual(write_specs) -> None:
    # Above last year's too-easy target, below what was reached: the plain rule.
    write_specs(two_years(TOO_EASY_LAST, edit(CLEAN_TARGET, ("        年度指标值: 42人\n", "        年度指标值: 50人\n"))))
    assert [line.split(" [")[1].split("]")[0] for line in across()] == ["years-target-below-last-actual"]


# -- indicators dropped or renamed -------------------------------------------------------------------


def test_dropped_is_the_lowest_level_there_is() -> None:
    # Dropping or renaming an indicator is often right: an information, were there such a level.
    assert RULES["years-indicator-dropped"].severity is Severity.WARNING
    assert {s.value for s in Severity} == {"error", "warning"}


def test_indicator_added_this_year_is_not_reported(write_specs) -> None:
    now = edit(CLEAN_TARGET, ("      - 三级指标: 支付及时性\n        年度指标值: 及时\n",
                              "      - 三级指标: 支付及时性\n        年度指标值: 及时\n"
                              "      - 三级指标: 申报及时性\n        年度指标值: 及时\n"))
    write_specs(two_years(now=now))
    assert across() == []


# -- goals and indicators copied while the money changed -------------------------------------------------


def test_copied_passes_when_the_money_is_the_same_in_another_unit_or_a_target_changed(write_specs) -> None:
    # 200000 元 is 20 万元: the money did not change.
    in_yuan = edit(LAST, ("  年度资金总额:\n", "  单位: 元\n  年度资金总额:\n")).replace(": 20.00", ": 200000.00")
    write_specs(two_years(in_yuan))
    assert across() == []
    changed = edit(CLEAN_TARGET.replace("20.00", "25.00"), (ACCURACY_NOW, ACCURACY_NOW.replace("100%", "100.00%")))
    write_specs(two_years(now=changed))
    assert across() == []


def test_last_years_target_table_is_preferred_to_its_self_evaluation(write_specs) -> None:
    # Last year's target table (its 年度资金申请总额 20.00) is what this year's copies.
    last_target = CLEAN_TARGET.replace("2026", "2025")
    files = two_years(LAST.replace("    年初预算数: 20.00\n", "    年初预算数: 25.00\n"), CLEAN_TARGET.replace("20.00", "25.00"))
    files["d/2025/t.yaml"] = "表格: 绩效目标表\n" + last_target
    write_specs(files)
    assert across() == [
        "d/2026/s.yaml:19:9: 警告 [years-copied-unchanged] 年度总体目标和全部 5 个三级指标（连同年度指标值）与上年的表"
        "（d/2025/t.yaml）完全相同，而年度资金由上年的年度资金申请总额 20.00万元 变为 25.00万元；资金变了，请相应调整目标和指标值",
    ]


# -- 上年项目: the rename ------------------------------------------------------------------------------


def test_renamed_project_is_matched_through_its_previous_name(write_specs) -> None:
    last = edit(LAST, ("项目名称: 事业编残保金", "项目名称: 残保金"),
                ("        实际完成值: 42人\n", "        实际完成值: 45人\n"))
    now = edit(CLEAN_TARGET, ("项目类别:", "上年项目: 残保金\n项目类别:"))
    write_specs(two_years(last, now))
    assert [line.split(" [")[1].split("]")[0] for line in across()] == ["years-target-below-last-actual"]
    # Without 上年项目 the two are different projects: nothing to compare.
    write_specs(two_years(last))
    assert across() == []


def test_previous_name_is_not_checked_without_last_year_in_the_workspace(write_specs) -> None:
    write_specs({"d/2026/_defaults.yaml": PUJIANG_DEFAULTS, NOW: PREVIOUS_MISTYPED})
    assert across() == []


def test_other_units_and_departments_do_not_match(write_specs) -> None:
    # Same name, another unit: not the same project, so the copied table is not reported.
    last = edit(LAST, ("实施单位: 浦江镇社区党群服务中心", "实施单位: 浦江镇司法所"))
    write_specs(two_years(last, CLEAN_TARGET.replace("20.00", "25.00")))
    assert across() == []


# -- matching is one index and one look-up per project --------------------------------------------------


def _entry(year: int, n: int, form: FormKind) -> tuple[SpecFile, Project]:
    ind = Indicator(name="人数", target="10人", actual="12人" if form is FormKind.SELF_EVAL else None)
    p = Project(form=form, year=year, name=f"项目{n}", department="某镇", unit=f"单位{n % 7}",
                indicators=(FirstLevel(name="产出指标", children=(SecondLevel(name="数量指标", indicators=(ind,)),)),))
    display = f"某镇/{year}/{n}-{form.value}.yaml"
    return SpecFile(Path(display), display, p, (), Settings(), Path("某镇")), p


def test_matching_is_a_dictionary_look_up(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 500
    entries = [_entry(2025, i, FormKind.SELF_EVAL) for i in range(n)] + [_entry(2026, i, FormKind.TARGET) for i in range(n)]
    index = index_years(entries)
    assert type(index.projects) is dict
    assert len(index.projects) == 2 * n
    assert index.projects[("某镇", 2025, "单位3", "项目3")].selfeval == entries[3]
    # The names per unit (for a mistyped 上年项目) are an ordered set, not a list searched per project.
    assert type(index.names[("某镇", 2025)]["单位3"]) is dict and list(index.names[("某镇", 2025)]["单位3"]) == [f"项目{i}" for i in range(3, n, 7)]
    assert all(index.previous(p) is index.projects[("某镇", 2025, p.unit, p.name)] for _, p in entries[n:])
    # check_years compares each continuing project with its own last year once, never with the others.
    compared: list[tuple[str, str]] = []
    original = years._against_actuals

    def counting(p: Project, last: tuple[SpecFile, Project]) -> Iterator[Diagnostic]:
        compared.append((p.name, last[1].name))
        return original(p, last)

    monkeypatch.setattr(years, "_against_actuals", counting)
    found = list(years.check_years(entries))
    assert compared == [(f"项目{i}", f"项目{i}") for i in range(n)]
    assert len(found) == n and {d.rule for d in found} == {"years-target-below-last-actual"}


# -- 上年实际值 for export ------------------------------------------------------------------------------


def test_last_actuals_fill_the_blank_last_actual(write_specs) -> None:
    now = edit(CLEAN_TARGET, (ACCURACY_NOW, ACCURACY_NOW + "        上年实际值: 99%\n"))
    write_specs(two_years(edit(LAST, ("        实际完成值: 42人\n", "        实际完成值: 45人\n")), now))
    entries = load(".").projects()
    assert last_actuals(entries) == {NOW: {"事业编制人数": "45人", "缴纳残保金准确率": "100%", "支付及时性": "及时",
                                           "改善残疾人生活质量的社会责任感": "提高", "生活质量满意度": "100%"}}
    filled = fill_last_actuals(entries)
    assert list(filled) == [NOW]  # last year's self-evaluation has no year before it here
    data = to_data(filled[NOW])["绩效指标"]
    assert data["产出指标"]["数量指标"][0]["上年实际值"] == "45人"
    assert data["产出指标"]["质量指标"][0]["上年实际值"] == "99%"  # written in the spec: kept
    assert data["满意度指标"]["服务对象满意度指标"][0]["上年实际值"] == "100%"
    spec = next(s for s, _ in entries if s.display == NOW)
    assert to_data(spec.project)["绩效指标"]["产出指标"]["数量指标"][0]["上年实际值"] is None  # the spec is unchanged


def test_no_last_actuals_without_last_years_self_evaluation(write_specs) -> None:
    files = two_years()
    files[BEFORE] = "表格: 绩效目标表\n" + CLEAN_TARGET.replace("2026", "2025")
    write_specs(files)
    assert last_actuals(load(".").projects()) == {}


# -- the demo workspace ---------------------------------------------------------------------------------

DEMO = Path(__file__).resolve().parent.parent / "specs"


def test_demo_workspace_shows_the_checks_across_years() -> None:
    report = check(DEMO)
    fired = {d.rule for d in report.diagnostics}
    # years-previous-unknown is an error: the demo has none (a 上年项目 naming no project).
    assert set(YEARS_RULES) - fired == {"years-previous-unknown"}
    assert report.errors == 0
    mine = [d for d in report.diagnostics if d.rule in YEARS_RULES]
    assert {Path(d.location.file).parts[-3:-1] for d in mine} == {("2026", "浦江镇司法所")}
    assert all("/2025/浦江镇司法所/" in d.message for d in mine)
