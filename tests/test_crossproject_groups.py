"""The checks across projects on a large department: what each project is told.

A district keeps hundreds of projects in one department folder; the cross-project
checks look at each project once (a group of copies is named by its first names, a
project's text looked up in one set of the group's bodies). These tests pin what a
large group reports, so that a faster implementation cannot change it.
"""

from __future__ import annotations

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, found, replace_once

GROUP = 60  # projects in one department folder
BODIES = ("杜行", "鲁汇", "召稼", "三林", "周浦", "航头", "新场", "坦直", "大团", "惠南", "祝桥", "泥城")
COPIED = "完全相同；是否复制后忘了改？"


def named(name: str, text: str = CLEAN_TARGET) -> str:
    return replace_once(text, "项目名称: 事业编残保金", f"项目名称: {name}")


def test_every_copy_in_a_large_group_is_told_of_the_first_others(write_specs) -> None:
    names = [f"残保金（{n}）" for n in range(1, GROUP + 1)]
    files = {"d/_defaults.yaml": PUJIANG_DEFAULTS} | {f"d/{n:03d}.yaml": named(name) for n, name in enumerate(names)}
    write_specs(files)
    by_rule: dict[str, dict[str, list[str]]] = {}
    for f in found("."):
        by_rule.setdefault(f.rule, {}).setdefault(f.where.split(":")[0], []).append(f.message)
    assert set(by_rule) == {"copied-indicators", "copied-goal"}
    first = names[:4]
    for n, name in enumerate(names):
        others = "、".join(f"「{o}」" for o in [o for o in first if o != name][:3]) + "等"
        file = f"d/{n:03d}.yaml"
        assert by_rule["copied-indicators"][file] == [f"绩效指标与{others}{COPIED}"]
        # Both goals are the same in every copy: 项目总目标内容 and 年度总体目标.
        assert sorted(by_rule["copied-goal"][file]) == sorted(
            [f"项目总目标内容与{others}{COPIED}", f"年度总体目标与{others}{COPIED}"])


def test_a_large_group_reports_each_foreign_body_where_it_is_written(write_specs) -> None:
    """Each project is named after its own police station; the indicator of every third one
    names the next project's station (a copy not edited), and one names a station that no
    project of the group is named after (not reported: nothing says whose it is)."""
    files = {"d/_defaults.yaml": PUJIANG_DEFAULTS}
    expected = []
    for n, body in enumerate(BODIES):
        text = named(f"{body}派出所公用事业费")
        if n % 3 == 0:
            sibling = BODIES[(n + 1) % len(BODIES)]
            text = replace_once(text, "      - 三级指标: 缴纳残保金准确率",
                                f"      - 三级指标: {sibling}派出所水、电、燃气使用率")
            expected.append(f"d/{n:02d}.yaml:26:15 [foreign-entity] 「{body}派出所公用事业费」是{body}派出所的项目，"
                            f"这里却写了「{sibling}派出所」（另一个项目的主体）；是否复制后没改？")
        elif n == 1:
            text = replace_once(text, "      - 三级指标: 缴纳残保金准确率", "      - 三级指标: 康桥派出所水电使用率")
        files[f"d/{n:02d}.yaml"] = text
    write_specs(files)
    got = [f"{f.where} [{f.rule}] {f.message}" for f in found(".") if f.rule == "foreign-entity"]
    assert got == expected
    assert len(got) == len(range(0, len(BODIES), 3))
