"""元 and 万元 mixed up: rules fund-magnitude (absolute bound) and fund-magnitude-siblings
(against the median of the department's projects of the same year).

The specs are seed 003's 事业编残保金 (``CLEAN_TARGET``, amounts on lines 8–10 and
12–13, values at column 9 for 合计 and 11 for 财政资金) with its amounts replaced.
"""

from __future__ import annotations

import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, check, replace_once, run_cli
from jixiao.errors import Severity
from jixiao.rules import RULES as RULES_BY_ID
from jixiao.validate.magnitude import MIN_SIBLINGS, SPREAD, WAN_MAX, YUAN_MIN
from render_helpers import SPECS
from test_rules import SELF_EVAL_DEFAULTS, ZONGZHI

RULES = ("fund-magnitude", "fund-magnitude-siblings")
FACTOR = 10000  # 1 万元 = 10000 元

YUAN_DEFAULTS = PUJIANG_DEFAULTS.replace("金额单位: 万元", "金额单位: 元")


def spec(amount: str, name: str = "事业编残保金") -> str:
    """CLEAN_TARGET with all four amounts (20.00) replaced by ``amount``."""
    text = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", f"项目名称: {name}")
    return text.replace("20.00", amount)


def department(amounts: list[str], defaults: str = PUJIANG_DEFAULTS) -> dict[str, str]:
    """One department and year: project ``p0.yaml`` … with the given amounts."""
    files = {"d/_defaults.yaml": defaults}
    for i, amount in enumerate(amounts):
        files[f"d/p{i}.yaml"] = spec(amount, f"项目{i}")
    return files


def reported(*paths: str, rules: tuple[str, ...] = RULES) -> list[str]:
    return [d.format() for d in check(*paths).diagnostics if d.rule in rules]


# -- absolute bound ---------------------------------------------------------------------------------


def test_wan_amount_of_a_billion_is_read_as_yuan(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/s.yaml": spec("421800.00")})
    report = check("d")
    found = [d for d in report.diagnostics if d.rule in RULES]
    assert [d.format() for d in found] == [
        f"d/s.yaml:{line}:{col}: 警告 [fund-magnitude] 「{label}」金额 421800.00 万元（42.18 亿元）对一个项目不合常理，"
        "是否按元填写？应为 42.18 万元"
        for line, col, label in ((8, 9, "项目资金总额.合计"), (9, 11, "项目资金总额.财政资金"),
                                 (12, 9, "年度资金申请总额.合计"), (13, 13, "年度资金申请总额.当年财政拨款"))
    ]
    assert all(d.severity is Severity.WARNING for d in found)
    assert report.errors == 0  # a warning: the figures still add up


def test_suggested_value_is_exact(write_specs) -> None:
    # 12,345,678.91 元 typed into a 万元 table: 1234.567891 万元, not a rounded float.
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/s.yaml": spec("12,345,678.91")})
    first = reported("d")[0]
    assert first == ("d/s.yaml:8:9: 警告 [fund-magnitude] 「项目资金总额.合计」金额 12345678.91 万元"
                     "（1234.567891 亿元）对一个项目不合常理，是否按元填写？应为 1234.567891 万元")


def test_yuan_total_under_100_yuan_is_read_as_wan(write_specs) -> None:
    write_specs({"d/_defaults.yaml": YUAN_DEFAULTS, "d/s.yaml": spec("35.5")})
    # Only the totals: a part of a project (其他资金 35.5 元) may well be that small.
    assert reported("d") == [
        "d/s.yaml:8:9: 警告 [fund-magnitude] 「项目资金总额.合计」金额 35.5 元对一个项目不合常理，是否按万元填写？应为 355000 元",
        "d/s.yaml:12:9: 警告 [fund-magnitude] 「年度资金申请总额.合计」金额 35.5 元对一个项目不合常理，是否按万元填写？"
        "应为 355000 元",
    ]


def test_self_evaluation_amounts_are_checked(write_specs) -> None:
    # ZONGZHI (元): 年度资金总额.年初预算数 on line 4, value at column 12.
    text = replace_once(ZONGZHI, "    年初预算数: 500,000.00", "    年初预算数: 50.00")
    write_specs({"d/_defaults.yaml": SELF_EVAL_DEFAULTS, "d/s.yaml": text})
    assert reported("d", rules=("fund-magnitude",)) == [
        "d/s.yaml:4:12: 警告 [fund-magnitude] 「年度资金总额.年初预算数」金额 50.00 元对一个项目不合常理，"
        "是否按万元填写？应为 500000 元",
    ]


@pytest.mark.parametrize(("unit", "amount", "warned"), [
    ("万元", "99999.99", False),
    ("万元", "99999.999999", False),
    ("万元", "100000", True),
    ("万元", "100000.00", True),
    ("万元", "0.01", False),  # the real 0.01 万元 placeholder budgets of 吴泾镇 2023
    ("元", "100", False),
    ("元", "100.00", False),
    ("元", "99.99", True),
    ("元", "0.01", True),
    ("元", "0", False),  # blank or zero is no amount to judge
    ("元", "12,814,895.16", False),  # the largest real 元 amount (seed 002, 淞南镇 平安办工作经费)
    ("万元", "3082.53", False),  # the largest real 万元 amount (seed 003, 浦江镇 社工)
])
def test_absolute_bounds(write_specs, unit: str, amount: str, warned: bool) -> None:
    defaults = PUJIANG_DEFAULTS if unit == "万元" else YUAN_DEFAULTS
    write_specs({"d/_defaults.yaml": defaults, "d/s.yaml": spec(amount)})
    assert bool(reported("d")) is warned


def test_bounds_are_the_documented_ones() -> None:
    # The thresholds the rule catalogue (docs/rules.md) states are the ones the code uses.
    absolute, siblings = RULES_BY_ID["fund-magnitude"].title, RULES_BY_ID["fund-magnitude-siblings"].title
    assert f"不少于 {WAN_MAX} 万元" in absolute and f"不足 {YUAN_MIN} 元" in absolute
    assert f"至少另有 {MIN_SIBLINGS} 个" in siblings
    assert f"超过中位数的 {SPREAD} 倍" in siblings and f"不足中位数的 1/{SPREAD}" in siblings
    assert f"{FACTOR}" in siblings


# -- against the department's other projects ----------------------------------------------------------


def test_yuan_typed_into_a_wan_table(write_specs) -> None:
    # 50000 元 typed as 万元 among projects of 20–40 万元: median (30 + 40) / 2 = 35 万元.
    write_specs(department(["20.00", "30.00", "40.00", "50000.00"]))
    assert reported("d") == [
        "d/p3.yaml:8:9: 警告 [fund-magnitude-siblings] 「项目资金总额」50000.00 万元是同一主管部门、同一年度 4 个项目"
        "资金总额的中位数 35 万元的约 1429 倍，可能把元当作万元填写；按元计应为 5 万元",
    ]


def test_wan_typed_into_a_yuan_table(write_specs) -> None:
    # 120 万元 typed as 元 among projects of 300,000–400,000 元: median 327,500 元.
    write_specs(department(["300000.00", "355000.00", "400000.00", "120.00"], YUAN_DEFAULTS))
    assert reported("d") == [
        "d/p3.yaml:8:9: 警告 [fund-magnitude-siblings] 「项目资金总额」120.00 元只有同一主管部门、同一年度 4 个项目"
        "资金总额的中位数 327500 元的约 1/2729，可能把万元当作元填写；按万元计应为 1200000 元",
    ]


def test_no_sibling_warning_when_the_group_is_too_small(write_specs) -> None:
    write_specs(department(["20.00", "30.00", "50000.00"]))  # two other projects only
    assert reported("d") == []


def test_other_departments_and_years_are_not_siblings(write_specs) -> None:
    files = department(["20.00", "30.00", "50000.00"])
    other_year = PUJIANG_DEFAULTS.replace("年度: 2026", "年度: 2025")
    files |= {"e/_defaults.yaml": other_year, "e/x.yaml": spec("40.00", "项目x")}
    files |= {"f/_defaults.yaml": PUJIANG_DEFAULTS.replace("浦江镇人民政府", "吴泾镇人民政府"),
              "f/y.yaml": spec("40.00", "项目y")}
    write_specs(files)
    assert reported("d", "e", "f") == []


def test_amounts_in_another_unit_are_converted_exactly(write_specs) -> None:
    # One project of the 万元 department writes its funds in 元: 350000.00 元 is 35 万元, no slip.
    files = department(["30.00", "35.00", "40.00"])
    files["d/p3.yaml"] = replace_once(spec("350000.00", "项目3"), "项目资金:\n", "项目资金:\n  单位: 元\n")
    write_specs(files)
    assert reported("d") == []


def test_an_absolute_slip_is_not_reported_twice(write_specs) -> None:
    write_specs(department(["20.00", "30.00", "40.00", "421800.00"]))
    assert {line.split("[")[1].split("]")[0] for line in reported("d")} == {"fund-magnitude"}


@pytest.mark.parametrize(("unit", "siblings", "amount", "warned"), [
    # 万元 table, siblings 1 万元: reported above 1000 times the median.
    ("万元", "1.00", "1000.00", False),
    ("万元", "1.00", "1000.01", True),
    ("万元", "1.00", "99999.99", True),
    # 万元 table, tiny siblings (0.000001 万元): in range once divided by 10000 up to 10 万元.
    ("万元", "0.000001", "0.001", False),
    ("万元", "0.000001", "0.001001", True),
    ("万元", "0.000001", "10", True),
    ("万元", "0.000001", "10.000001", False),
    # 元 table, siblings 1,000,000 元: reported below 1/1000 of the median.
    ("元", "1000000.00", "1000.00", False),
    ("元", "1000000.00", "999.99", True),
    # 元 table, huge siblings (10^10 元): in range once multiplied by 10000 down to 1000 元.
    ("元", "10000000000", "1000", True),
    ("元", "10000000000", "999.99", False),
    ("元", "10000000000", "10000000", False),
    ("元", "10000000000", "9999999.99", True),
    # The direction a slip cannot produce: small in a 万元 table, large in a 元 table.
    ("万元", "19.2", "0.01", False),
    ("元", "1000.00", "99999999.99", False),
])
def test_sibling_thresholds(write_specs, unit: str, siblings: str, amount: str, warned: bool) -> None:
    defaults = PUJIANG_DEFAULTS if unit == "万元" else YUAN_DEFAULTS
    write_specs(department([siblings] * MIN_SIBLINGS + [amount], defaults))
    assert bool(reported("d", rules=("fund-magnitude-siblings",))) is warned


# -- the demo workspace and rule levels ---------------------------------------------------------------


def test_demo_workspace_has_no_magnitude_warning() -> None:
    assert reported(str(SPECS)) == []


def test_cli_on_the_demo_workspace_prints_no_magnitude_warning() -> None:
    code, out, _ = run_cli("check", SPECS)
    assert code == 0
    assert "fund-magnitude" not in out


def test_rules_can_be_switched_off_in_defaults(write_specs) -> None:
    files = department(["20.00", "30.00", "40.00", "50000.00", "421800.00"])
    write_specs(files)
    assert {line.split("[")[1].split("]")[0] for line in reported("d")} == set(RULES)
    write_specs({"_defaults.yaml": "规则:\n  fund-magnitude: 关闭\n  fund-magnitude-siblings: 关闭\n"})
    assert reported("d") == []
    assert "fund-magnitude" not in run_cli("check", "d")[1]


def test_rules_can_be_promoted_to_errors(write_specs) -> None:
    files = department(["20.00", "30.00", "40.00", "50000.00"])
    files["_defaults.yaml"] = "规则:\n  fund-magnitude-siblings: 错误\n"
    write_specs(files)
    report = check("d")
    assert [d.severity for d in report.diagnostics if d.rule in RULES] == [Severity.ERROR]
    assert run_cli("check", "d")[0] == 1
