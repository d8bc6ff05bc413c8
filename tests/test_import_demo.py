"""Importing the seeds reproduces the demo workspace, but for its listed corrections.

The demo projects under ``specs/`` were transcribed from ``shared/seeds/`` and then
corrected where ``check`` found real errors (``specs/CORRECTIONS.md``). Importing the
same seeds must give the transcription back wherever nothing was corrected: for each
project, the form fields in which the import differs from the demo spec are exactly
the ones its corrections changed. Whitespace is layout and is not compared (a wrapped
line in a goal, 「原因：… 措施：…」 read as one run by the extractor).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from import_expectations import SEEDS
from jixiao.export import to_data
from jixiao.importer import import_files
from jixiao.load.workspace import load_workspace
from test_import_roundtrip import normalised

ROOT = Path(__file__).resolve().parent.parent
CORRECTIONS = (ROOT / "specs" / "CORRECTIONS.md").read_text(encoding="utf-8")
# 浦江镇: the department's two spellings unified in its _defaults.yaml (one row of
# CORRECTIONS.md, "继承到 20 个项目"): every project there differs in 主管部门.
UNIFIED_DEPARTMENT = "闵行区浦江镇人民政府/"

# Demo spec → the fields its corrections changed.
CORRECTED = {
    "吴泾镇人民政府/2023/吴泾镇城市运行管理中心/城运中心指挥大厅建设.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/吴泾镇城市运行管理中心/残保金抚恤金专项.yaml": {'主管部门', '实施单位'},
    "吴泾镇人民政府/2023/吴泾镇城市运行管理中心/街面督查人员经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/人口工作.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/区级社工及借调人员工作经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/反恐工作经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/反电信诈骗.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/图像监控人员经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/安全风险评估经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/平安家园工程.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/派出所案管室设备采购经费.yaml": {'主管部门', '年度总体目标', '项目总目标'},
    "吴泾镇人民政府/2023/平安办/特种安保人员经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/社工站经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/禁毒工作经费.yaml": {'绩效指标'},
    "吴泾镇人民政府/2023/平安办/综治协管员午餐经费.yaml": {'年度总体目标', '绩效指标'},
    "吴泾镇人民政府/2023/平安办/进博会防控工作.yaml": {'主管部门', '绩效指标'},
    "吴泾镇人民政府/2023/平安办/非法客运整治经费.yaml": {'绩效指标'},
    "淞南镇主管单位/2023/上海市宝山区淞南镇城市运行管理中心/平安办工作经费.yaml": {'绩效指标'},
    "淞南镇主管单位/2023/上海市宝山区淞南镇城市运行管理中心/综治中心事务.yaml": {'实际完成情况'},
    "淞南镇主管单位/2023/上海市宝山区淞南镇城市运行管理中心/综治协管服务社.yaml": {'实际完成情况'},
    "淞南镇主管单位/2023/上海市宝山区淞南镇城市运行管理中心/网格化事务.yaml": {'实际完成情况'},
    "闵行区浦江镇人民政府/2026/浦江镇信访办/信访代理员经费.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇信访办/劝导队经费.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇信访办/维稳经费.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇党建工作办公室（人才）条线/人才健康体检.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇党建工作办公室（人才）条线/人才活动.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇党建工作办公室（人才）条线/人才驿站建设.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/110非警务警情分流.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/人民调解.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/普法.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/法律服务.yaml": {'主管部门', '绩效指标'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/社区矫正安置帮教.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/诉讼.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇司法所/诉调对接.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/下拨经费.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/事业编残保金.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/党建活动.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/党群中心（南区）规范化建设质保金.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/浦江镇村党群服务中心标准化规范化建设项目资金奖补.yaml": {'主管部门', '项目资金'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/社工.yaml": {'主管部门', '绩效指标'},
    "闵行区浦江镇人民政府/2026/浦江镇社区党群服务中心/闵行区街区党组织服务群众专项经费.yaml": {'主管部门'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/下发基层书报费.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/安保经费.yaml": {'绩效指标', '项目类别'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/杜行派出所公用事业费.yaml": {'年度总体目标', '绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/杜行派出所新址修缮工程.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/杜行派出所智能案管柜采购项目.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/浦江镇多媒体宣传投放服务.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/浦江镇实有人口移动信息采集终端租赁服务.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/社工点经费.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/禁毒与反邪教.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/突发事件.yaml": {'年度总体目标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/第四届人民警察节升警旗暨鲁汇派出所新址揭牌仪式.yaml": {'绩效指标', '项目总目标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/警务辅助服务经费.yaml": {'项目类别'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/警察节民警慰问品采购项目.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/重精患者监护人奖励费.yaml": {'绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/鲁汇派出所公用事业费.yaml": {'年度总体目标', '绩效指标'},
    "闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/鲁汇派出所新址装修工程.yaml": {'项目总目标'},
}


def squeezed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: squeezed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [squeezed(v) for v in value]
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def differences(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    out = tmp_path_factory.mktemp("imported")
    import_files(sorted(Path(SEEDS).glob("*.txt")), out)
    demo = {s.project.name: s for s in load_workspace([ROOT / "specs"]).specs
            if s.project is not None and not s.path.name.endswith(("-自评.yaml", "-监控.yaml"))}
    found: dict[str, set[str]] = {}
    imported = [s for s in load_workspace([out]).specs if s.project is not None]
    assert len(imported) == len(demo) == 74
    for spec in imported:
        assert spec.project is not None
        original = demo[spec.project.name]
        want = to_data(original.project)
        a, b = squeezed(normalised(to_data(spec.project), want)), squeezed(normalised(want, want))
        keys = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
        if keys:
            found[str(original.path.relative_to(ROOT / "specs"))] = keys
    return found


def test_the_import_differs_from_the_demo_only_where_it_was_corrected(differences: dict[str, set[str]]) -> None:
    assert differences == CORRECTED


@pytest.mark.parametrize("path", sorted(CORRECTED))
def test_every_difference_is_a_listed_correction(path: str) -> None:
    if CORRECTED[path] == {"主管部门"}:
        assert path.startswith(UNIFIED_DEPARTMENT) or Path(path).name in CORRECTIONS
    else:
        assert Path(path).name in CORRECTIONS, f"{path} differs from the seed but CORRECTIONS.md does not say why"
