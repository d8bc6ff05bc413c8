"""The real defects of FORMS.md §8, as filed in the seed tables, are caught by ``check``.

Each folder under ``fixtures/seed_defects/`` is one department's tables from a
seed file, transcribed into the spec format with the defects kept as filed
(each file's header comment cites the seed file and lines). The table below
names, for every §8 row a spec can express, where ``check`` must report it.

Not covered, on purpose: "indicator header missing the 三级指标 column"
(003 L197, 维稳经费). It is a layout artefact of the printed table: a spec
has no header row, its 三级指标 key is always there, so a spec cannot express
the defect.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from jixiao.load.workspace import load_workspace
from jixiao.rules import RULES
from jixiao.validate import check_workspace

ROOT = Path(__file__).parent / "fixtures" / "seed_defects"

# FORMS.md §8, first column.
SECTION_8 = (
    "annual total ≠ its parts; project total ≠ annual total in a one-year project",
    "no 项目类别 box checked",
    "non-standard 一级指标",
    "a 三级指标 that is a value, not a name",
    "blank 指标值, or 无 as a placeholder indicator",
    "a year in a value outside the table year",
    "the same indicator twice in one table; one project's indicator set copied verbatim into another",
    "text copied from a sibling project naming the wrong entity",
    "主管部门 differing by a character from the rest of the department",
    "年度总体目标 that is just 无, or blank",
    "self-evaluation text where 实际完成情况 merely repeats 预期目标",
)
NOT_EXPRESSIBLE = "indicator header missing the 三级指标 column"


@dataclass(frozen=True)
class Defect:
    row: str  # the FORMS.md §8 row
    seed: str  # seed file and line, as cited in FORMS.md
    where: str  # folder/file.yaml:line:col in the fixture
    rule: str
    message: str

    @property
    def file(self) -> str:
        return self.where.split(":")[0]

    @property
    def folder(self) -> str:
        return self.file.split("/")[0]

    @property
    def line(self) -> str:
        severity = RULES[self.rule].severity.label
        return f"{self.where}: {severity} [{self.rule}] {self.message}"


R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11 = SECTION_8
P = "003_浦江镇平安办"
D = "003_浦江镇党群服务中心"
W = "000_吴泾镇平安办"
C = "001_吴泾镇城运中心"
S = "002_淞南镇城运中心"

NAME_IS_VALUE = "是一个数值，不是指标名称；名称写指标内容，数值写在年度指标值"
PLACEHOLDER = "三级指标「无」只是占位；不需要时把二级指标写成「…指标: 无」"
COPIED = "完全相同；是否复制后忘了改？"

DEFECTS = (
    Defect(R1, "003 L134", f"{D}/浦江镇村党群服务中心标准化规范化建设项目资金奖补.yaml:13:9", "fund-annual-sum",
           "年度资金申请总额 378.32 ≠ 当年财政拨款 120.05 + 上年结转资金 0 + 其他资金 0 = 120.05"),
    Defect(R1, "003 L134", f"{D}/浦江镇村党群服务中心标准化规范化建设项目资金奖补.yaml:10:9", "fund-one-year-mismatch",
           "项目只在 2026 年实施，项目资金总额 498.37 应等于年度资金申请总额 378.32（相差 120.05）；"
           "跨年项目请在项目总目标写明起止年度"),
    Defect(R2, "003 L209", f"{P}/安保经费.yaml:6:1", "category-missing",
           "没有勾选项目类别；绩效目标表应填「项目类别: 专项资金」（专项资金 / 经常性项目 / 一次性项目 之一）"),
    Defect(R2, "003 L260", f"{P}/警务辅助服务经费.yaml:3:1", "category-missing",
           "没有勾选项目类别；绩效目标表应填「项目类别: 专项资金」（专项资金 / 经常性项目 / 一次性项目 之一）"),
    Defect(R3, "003 L224", f"{P}/安保经费.yaml:38:3", "indicator-level1-unknown",
           "一级指标「社会效益指标」不规范；「社会效益指标」是二级指标，应写在一级指标「效益指标」下"),
    Defect(R3, "003 L250", f"{P}/社工点经费.yaml:37:3", "indicator-level1-unknown",
           "一级指标「社会效益指标」不规范；「社会效益指标」是二级指标，应写在一级指标「效益指标」下"),
    Defect(R3, "003 L293", f"{P}/第四届人民警察节升警旗暨鲁汇派出所新址揭牌仪式.yaml:35:3", "indicator-level1-unknown",
           "一级指标「效果目标」不规范；应写「效益指标」"),
    Defect(R3, "003 L379", f"{P}/禁毒与反邪教.yaml:46:3", "indicator-level1-unknown",
           "一级指标「社会效益指标」不规范；「社会效益指标」是二级指标，应写在一级指标「效益指标」下"),
    Defect(R3, "003 L382", f"{P}/禁毒与反邪教.yaml:54:3", "indicator-level1-unknown",
           "一级指标「可持续影响指标」不规范；「可持续影响指标」是二级指标，应写在一级指标「效益指标」下"),
    Defect(R3, "003 L510", f"{P}/浦江镇多媒体宣传投放服务.yaml:32:3", "indicator-level1-unknown",
           "一级指标「效果目标」不规范；应写「效益指标」"),
    Defect(R3, "003 L640", f"{P}/警察节民警慰问品采购项目.yaml:34:3", "indicator-level1-unknown",
           "一级指标「效果目标」不规范；应写「效益指标」"),
    Defect(R4, "000 L112", f"{W}/反恐工作经费.yaml:50:15", "indicator-name-is-value", f"三级指标「指标1：96%」{NAME_IS_VALUE}"),
    Defect(R4, "000 L138", f"{W}/非法客运整治经费.yaml:51:15", "indicator-name-is-value",
           f"三级指标「指标1：91%」{NAME_IS_VALUE}"),
    Defect(R4, "000 L161", f"{W}/安全风险评估经费.yaml:41:15", "indicator-name-is-value",
           f"三级指标「指标1：90%」{NAME_IS_VALUE}"),
    Defect(R4, "000 L260", f"{W}/禁毒工作经费.yaml:52:15", "indicator-name-is-value", f"三级指标「指标1：96%」{NAME_IS_VALUE}"),
    Defect(R5, "000 L20", f"{W}/人口工作.yaml:34:15", "indicator-value-blank", "三级指标「提供有效信息奖励费」的年度指标值为空"),
    Defect(R5, "000 L254", f"{W}/禁毒工作经费.yaml:33:15", "indicator-placeholder", PLACEHOLDER),
    Defect(R5, "001 L64", f"{C}/街面督查人员经费.yaml:31:15", "indicator-placeholder", PLACEHOLDER),
    Defect(R5, "001 L65", f"{C}/街面督查人员经费.yaml:35:15", "indicator-placeholder", PLACEHOLDER),
    Defect(R5, "001 L68", f"{C}/街面督查人员经费.yaml:44:15", "indicator-placeholder", PLACEHOLDER),
    Defect(R6, "003 L292", f"{P}/第四届人民警察节升警旗暨鲁汇派出所新址揭牌仪式.yaml:34:16", "value-year-outside-period",
           "「启动仪式举办时间」的年度指标值「2024年1月10日」提到 2024 年，不在项目期间 2026年-2026年内"),
    Defect(R6, "003 L552", f"{P}/杜行派出所新址修缮工程.yaml:36:16", "value-year-outside-period",
           "「年内竣工」的年度指标值「2022年竣工」提到 2022 年，不在项目期间 2025年-2026年内"),
    Defect(R6, "003 L639", f"{P}/警察节民警慰问品采购项目.yaml:33:16", "value-year-outside-period",
           "「走访慰问日期」的年度指标值「2024年1月10日」提到 2024 年，不在项目期间 2025年-2026年内"),
    Defect(R7, "003 L314", f"{P}/杜行派出所公用事业费.yaml:35:15", "indicator-duplicate",
           "三级指标「杜行派出所水、电、燃气使用率」重复，第 28 行已有同名指标"),
    Defect(R7, "003 L334", f"{P}/鲁汇派出所公用事业费.yaml:37:15", "indicator-duplicate",
           "三级指标「杜行派出所水、电、燃气使用率」重复，第 30 行已有同名指标"),
    Defect(R7, "003 L36 ≡ L100", f"{D}/党建活动.yaml:26:3", "copied-indicators",
           f"绩效指标与「闵行区街区党组织服务群众专项经费」{COPIED}"),
    Defect(R7, "003 L36 ≡ L100", f"{D}/闵行区街区党组织服务群众专项经费.yaml:22:3", "copied-indicators",
           f"绩效指标与「党建活动」{COPIED}"),
    Defect(R7, "003 L218 ≡ L244", f"{P}/安保经费.yaml:24:3", "copied-indicators", f"绩效指标与「社工点经费」{COPIED}"),
    Defect(R7, "003 L218 ≡ L244", f"{P}/社工点经费.yaml:23:3", "copied-indicators", f"绩效指标与「安保经费」{COPIED}"),
    Defect(R7, "003 L311 ≡ L331", f"{P}/杜行派出所公用事业费.yaml:23:3", "copied-indicators",
           f"绩效指标与「鲁汇派出所公用事业费」{COPIED}"),
    Defect(R7, "003 L311 ≡ L331", f"{P}/鲁汇派出所公用事业费.yaml:25:3", "copied-indicators",
           f"绩效指标与「杜行派出所公用事业费」{COPIED}"),
    # The copied 安保经费 / 社工点经费 pair also shares its 项目总目标 word for word.
    Defect(R7, "003 L217 ≡ L243", f"{P}/安保经费.yaml:21:7", "copied-goal", f"项目总目标内容与「社工点经费」{COPIED}"),
    Defect(R7, "003 L217 ≡ L243", f"{P}/社工点经费.yaml:20:7", "copied-goal", f"项目总目标内容与「安保经费」{COPIED}"),
    # 杜行派出所 is named twice in the 鲁汇 table (L332 and L334); one report per entity, at the first.
    Defect(R8, "003 L334", f"{P}/鲁汇派出所公用事业费.yaml:30:15", "foreign-entity",
           "「鲁汇派出所公用事业费」是鲁汇派出所的项目，这里却写了「杜行派出所」（另一个项目的主体）；是否复制后没改？"),
    Defect(R8, "003 L571", f"{P}/鲁汇派出所新址装修工程.yaml:21:7", "foreign-entity",
           "「鲁汇派出所新址装修工程」是鲁汇派出所的项目，这里却写了「杜行派出所」（另一个项目的主体）；是否复制后没改？"),
    Defect(R9, "000 L219", f"{W}/进博会防控工作.yaml:6:7", "department-name-typo",
           "主管部门「吴淞镇人民政府」与同部门其他 6 个项目的「吴泾镇人民政府」只差一个字；是否写错？"),
    Defect(R9, "000 L463", f"{W}/派出所案管室设备采购经费.yaml:7:7", "department-name-typo",
           "主管部门「吴淞镇人民政府」与同部门其他 6 个项目的「吴泾镇人民政府」只差一个字；是否写错？"),
    Defect(R9, "001 L8", f"{C}/残保金抚恤金专项.yaml:7:7", "department-name-typo",
           "主管部门「吴淞镇人民政府」与同部门其他 3 个项目的「吴泾镇人民政府」只差一个字；是否写错？"),
    Defect(R10, "000 L446", f"{W}/综治协管员午餐经费.yaml:20:9", "goal-placeholder",
           "年度总体目标只写了「无」；请写出本年度要达到的目标"),
    Defect(R10, "000 L470", f"{W}/派出所案管室设备采购经费.yaml:24:9", "goal-placeholder",
           "年度总体目标只写了「无」；请写出本年度要达到的目标"),
    Defect(R11, "002 L48", f"{S}/综治中心事务.yaml:23:9", "selfeval-actual-repeats-target",
           "实际完成情况与预期目标一字不差；请写出实际完成了什么"),
    Defect(R11, "002 L67", f"{S}/综治协管服务社.yaml:23:9", "selfeval-actual-repeats-target",
           "实际完成情况与预期目标一字不差；请写出实际完成了什么"),
    # Not a §8 row, but a real slip of the same seeds (FORMS.md §3: at least one 效益指标).
    Defect("§3 every 效益 二级 is 无", "000 L231–234", f"{W}/进博会防控工作.yaml:25:3", "indicator-missing-benefit",
           "没有任何效益指标（写「无」的不算）；至少需要一个"),
)

# Rules that compare projects: their defects need the whole department folder.
CROSS_PROJECT = {rule_id for rule_id, r in RULES.items() if r.group == "跨项目"}
STRUCTURAL = {"yaml-syntax", "yaml-too-large", "yaml-duplicate-key", "yaml-tag", "yaml-merge-key",
              "missing-key", "unknown-key", "not-for-form", "wrong-type", "empty-text", "invalid-value"}


@contextlib.contextmanager
def in_fixtures() -> Iterator[None]:
    with contextlib.chdir(ROOT):
        yield


@cache
def report_lines(*paths: str) -> tuple[str, ...]:
    """Formatted diagnostics of checking ``paths`` (relative to the fixture root)."""
    with in_fixtures():
        return tuple(d.format() for d in check_workspace(load_workspace(list(paths))).diagnostics)


def spec_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.yaml") if p.name != "_defaults.yaml")


def test_every_section_8_row_has_a_transcribed_defect() -> None:
    rows = {d.row for d in DEFECTS}
    assert set(SECTION_8) <= rows
    assert NOT_EXPRESSIBLE not in rows


def test_every_cited_fixture_exists_and_cites_its_seed() -> None:
    for defect in DEFECTS:
        path = ROOT / defect.file
        assert path.is_file(), defect.file
        header = path.read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("# 来源：seeds/"), defect.file
        seed_no = defect.seed.split()[0] if defect.seed[0].isdigit() else None
        if seed_no is not None:
            assert f"seeds/{seed_no}_" in header, defect.file


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: f"{d.seed}-{d.rule}")
def test_check_catches_the_seed_defect(defect: Defect) -> None:
    scope = defect.folder if defect.rule in CROSS_PROJECT else defect.file
    assert defect.line in report_lines(scope)


@pytest.mark.parametrize("spec", spec_files())
def test_fixture_is_a_well_formed_spec(spec: str) -> None:
    # The defects are the seeds' own, not transcription slips: every file reads cleanly.
    with in_fixtures():
        workspace = load_workspace([spec])
    (loaded,) = workspace.specs
    assert loaded.project is not None
    assert workspace.diagnostics == ()
    assert [d.format() for d in loaded.diagnostics if d.rule in STRUCTURAL] == []


@pytest.mark.parametrize("folder", sorted(p.name for p in ROOT.iterdir() if p.is_dir()))
def test_department_folder_reports_every_transcribed_defect(folder: str) -> None:
    expected = {d.line for d in DEFECTS if d.folder == folder}
    assert expected
    assert expected <= set(report_lines(folder))


def test_nothing_but_transcribed_defects_is_reported_for_the_003_party_folder() -> None:
    assert report_lines(D) == tuple(sorted(
        (d.line for d in DEFECTS if d.folder == D),
        key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2]))))
