"""The year-end workflow: skeletons from targets, suggested scores, --write."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from jixiao.errors import Severity
from jixiao.load.workspace import SpecFile, load_workspace
from jixiao.model.project import Indicator
from jixiao.model.settings import Settings
from jixiao.model.suggest import suggest
from jixiao.model.vocab import MoneyUnit
from jixiao.selfeval import init, split, write_scores
from jixiao.validate import check_workspace
from jixiao.validate.indicators import is_placeholder

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def targets() -> list[SpecFile]:
    return [s for s in load_workspace([SPECS]).specs
            if s.project is not None and s.project.form.value in ("绩效目标表", "绩效目标申报表")]


@pytest.fixture(scope="module")
def skeletons(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SpecFile]]:
    out = tmp_path_factory.mktemp("selfeval")
    sources = targets()
    written = init(sources, out, force=False, unit=None)
    assert len(written) == len(sources) and all(w.created for w in written)
    return out, sources


def real(indicators: list[Indicator]) -> list[tuple[str, str]]:
    return [(i.name, i.target) for i in indicators if not is_placeholder(i)]


def test_init_from_every_demo_target_gives_a_loadable_skeleton(skeletons: tuple[Path, list[SpecFile]]) -> None:
    out, sources = skeletons
    loaded = {(s.project.department, s.project.unit, s.project.name): s  # type: ignore[union-attr]
              for s in load_workspace([out]).specs}
    assert len(loaded) == len(sources)
    structural = {"yaml-syntax", "wrong-type", "unknown-key", "not-for-form", "invalid-value", "missing-key"}
    for source in sources:
        p = source.project
        assert p is not None
        skeleton = loaded[(p.department, p.unit, p.name)]
        s = skeleton.project
        assert s is not None and s.form.value == "绩效自评表" and s.year == p.year
        assert not [d for d in skeleton.diagnostics if d.rule in structural], skeleton.display
        assert real(s.all_indicators()) == real(p.all_indicators())
        assert [lv.name for lv in s.indicators] == [lv.name for lv in p.indicators]
        weights = [i.weight for i in s.all_indicators() if not is_placeholder(i)]
        assert s.funds.weight == 10  # type: ignore[union-attr]
        assert Decimal(10) + sum(w for w in weights if w is not None) == 100, skeleton.display
        annual = p.funds.annual  # type: ignore[union-attr]
        assert s.funds.total.initial == annual.total  # type: ignore[union-attr]
        assert s.funds.current.initial == annual.current  # type: ignore[union-attr]


def test_check_lists_exactly_the_unfilled_fields(skeletons: tuple[Path, list[SpecFile]]) -> None:
    out, _ = skeletons
    workspace = load_workspace([out])
    report = check_workspace(workspace)
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    assert {d.rule for d in errors} == {"selfeval-unfilled"}
    expected = 0
    for _, project in workspace.projects():
        real_rows = [i for i in project.all_indicators() if not is_placeholder(i)]
        # 实际完成值 and 得分 per indicator; 全年执行数, 资金得分, 总分, 实际完成情况 per project.
        expected += 2 * len(real_rows) + 4
    assert len(errors) == expected


def fill_in(path: Path) -> None:
    """What a clerk does: actuals as targeted, money fully spent, a summary written."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(年度指标值: (.*)\n\s+实际完成值:)", r"\1 \2", text)
    text = re.sub(r"(全年预算数: ([\d.]+)[^\n]*\n\s+全年执行数:)", r"\1 \2", text)
    text = text.replace("实际完成情况:\n", "实际完成情况: 全年按计划完成各项任务，资金按进度支付。\n")
    path.write_text(text, encoding="utf-8")


def test_a_filled_skeleton_passes(skeletons: tuple[Path, list[SpecFile]], tmp_path: Path) -> None:
    out, _ = skeletons
    unit_dir = next(p for p in out.rglob("*") if p.is_dir() and "平安办" in p.name)
    copy = tmp_path / "copy"
    shutil.copytree(unit_dir, copy)
    for path in copy.glob("*.yaml"):
        fill_in(path)
    for spec in load_workspace([copy]).specs:
        filled = write_scores(spec)
        assert any(f.what == "总分" for f in filled), spec.display
    report = check_workspace(load_workspace([copy]))
    assert [d.format() for d in report.diagnostics if d.severity is Severity.ERROR] == []
    for _, project in load_workspace([copy]).projects():
        assert project.total_score == 100


def test_rerunning_init_without_force_changes_nothing(tmp_path: Path) -> None:
    target = SPECS / "闵行区浦江镇人民政府" / "2026" / "浦江镇信访办"
    code, out, _ = run_cli("selfeval", "init", str(target), "-o", str(tmp_path))
    assert code == 0 and out.count("已生成") == 3
    files = sorted(tmp_path.rglob("*.yaml"))
    before = {p: p.read_bytes() for p in files}
    files[0].write_text(files[0].read_text(encoding="utf-8") + "# 我的修改\n", encoding="utf-8")
    mine = files[0].read_bytes()
    code, out, _ = run_cli("selfeval", "init", str(target), "-o", str(tmp_path))
    assert code == 0 and out.count("已存在，未改动") == 3 and "已生成" not in out
    assert files[0].read_bytes() == mine
    assert all(p.read_bytes() == before[p] for p in files[1:])
    code, out, _ = run_cli("selfeval", "init", str(target), "-o", str(tmp_path), "--force")
    assert out.count("已生成") == 3 and files[0].read_bytes() == before[files[0]]


def test_init_converts_units_exactly(tmp_path: Path) -> None:
    spec = load_workspace([SPECS / "闵行区浦江镇人民政府" / "2026" / "浦江镇信访办" / "劝导队经费.yaml"]).specs
    (written,) = init(list(spec), tmp_path, force=False, unit=MoneyUnit.YUAN)
    text = written.path.read_text(encoding="utf-8")
    assert "单位: 元" in text and "年初预算数: 40344\n" in text  # 4.0344 万元 × 10000, exact


def ind(target: str, actual: str, weight: str) -> Indicator:
    return Indicator(name="x", target=target, actual=actual, weight=Decimal(weight))


@pytest.mark.parametrize(("target", "actual", "weight", "score", "low", "high"), [
    # Quantitative, met in full: full marks.
    ("=100%", "=100%", "5", "5.00", "4.50", "5"),
    (">=90%", "96%", "10", "10.00", "9.00", "10"),
    # Quantitative, not met: actual ÷ target × 分值 (seed 002 综治协管服务社: ≥98% planned, 96% reached).
    (">=98%", "=96%", "20", "19.59", "17.59", "20"),
    # Seed 002 网格化事务: =100% planned, =99.9% reached, 5 points: 4.995 rounds half up.
    ("=100%", "=99.9%", "5", "5.00", "4.50", "5"),
    ("=24个", "=18个", "20", "15.00", "13.00", "17.00"),
    # ≤ targets: full within the target, falling to 0 at twice the target.
    ("≤5%", "4%", "10", "10.00", "9.00", "10"),
    ("≤5%", "7%", "10", "6.00", "5.00", "7.00"),
    ("≤5%", "12%", "10", "0.00", "0", "1.00"),
    # 「达到80%以上」 states its comparator twice (达到 … 以上): still ≥ 80 %.
    ("达到80%以上", "85%", "10", "10.00", "9.00", "10"),
    ("达到80%以上", "72%", "10", "9.00", "8.00", "10.00"),
    # Qualitative bands: 达成 80–100 %, 部分达成 60–80 %, 未达成 0–60 % of 分值.
    ("及时", "及时", "10", "10.00", "8.00", "10.00"),
    ("提升", "部分完成", "10", "8.00", "6.00", "8.00"),
    ("按时完成", "未完成", "10", "6.00", "0.00", "6.00"),
])
def test_suggested_scores(target: str, actual: str, weight: str, score: str, low: str, high: str) -> None:
    hint = suggest(ind(target, actual, weight), Settings())
    assert hint is not None
    assert (hint.score, hint.low, hint.high) == (Decimal(score), Decimal(low), Decimal(high))


def test_vague_qualitative_actuals_get_no_suggestion() -> None:
    assert suggest(ind("提升", "较稳定", "10"), Settings()) is None


def test_bands_are_configurable(tmp_path: Path) -> None:
    (tmp_path / "_defaults.yaml").write_text("自评规则:\n  分档:\n    达成: 90-100\n", encoding="utf-8")
    settings = Settings.from_chain([load_defaults(tmp_path)])
    hint = suggest(ind("及时", "及时", "10"), settings)
    assert hint is not None and hint.low == Decimal("9.00")


def load_defaults(folder: Path):  # type: ignore[no-untyped-def]
    from jixiao.load.workspace import _DefaultsCache

    defaults = _DefaultsCache()._load(folder)
    assert defaults is not None
    return defaults


SEED_002 = SPECS / "淞南镇主管单位" / "2023" / "上海市宝山区淞南镇城市运行管理中心" / "综治中心事务.yaml"


def test_write_fills_only_empty_scores(tmp_path: Path) -> None:
    text = SEED_002.read_text(encoding="utf-8")
    # Empty two scores, the fund score and the total; keep the author's 8 on 社会治安综合治理能力.
    text = text.replace("        得分: 30\n", "        得分:\n", 1)
    text = text.replace("        得分: 10\n", "        得分:\n", 1)
    text = re.sub(r"\n  得分: 10\n", "\n  得分:\n", text)
    text = re.sub(r"\n总分: 94\n", "\n总分:\n", text)
    path = tmp_path / "d" / "x.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    for defaults in (SEED_002.parent.parent / "_defaults.yaml", SEED_002.parent / "_defaults.yaml"):
        if defaults.exists():  # 表格, 单位 … come from the department's defaults
            text_d = defaults.read_text(encoding="utf-8")
            target = path.parent / "_defaults.yaml"
            target.write_text((target.read_text(encoding="utf-8") if target.exists() else "") + text_d,
                              encoding="utf-8")
    author_lines = [line for line in text.splitlines() if re.match(r"\s+得分: \d", line)]
    code, out, _ = run_cli("selfeval", "score", str(path), "--write")
    assert code == 0
    assert "填入三级指标「中心内设部门数」的得分 30" in out
    assert "填入资金得分 10\n" in out and "填入总分 94\n" in out
    after = path.read_text(encoding="utf-8")
    for line in author_lines:
        assert line in after
    assert "得分: 8\n" in after
    report = check_workspace(load_workspace([path]))
    assert [d.format() for d in report.diagnostics if d.severity is Severity.ERROR] == []
    code, out, _ = run_cli("selfeval", "score", str(path), "--write")
    assert "没有可填的空得分" in out and path.read_text(encoding="utf-8") == after


def test_check_warns_where_a_score_is_far_from_the_suggestion(tmp_path: Path) -> None:
    text = SEED_002.read_text(encoding="utf-8").replace("实际完成值: 3\n", "实际完成值: =2个\n")
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    found = [d for d in check_workspace(load_workspace([path])).diagnostics
             if d.rule == "selfeval-score-suggestion"]
    assert len(found) == 1
    assert found[0].message == "三级指标「中心内设部门数」得分 30，建议在 17.00–23.00 之间（目标 3，实际 2）"


def test_split_sums_exactly() -> None:
    assert split(Decimal(50), 3) == [17, 17, 16]
    assert split(Decimal(30), 4) == [8, 8, 7, 7]
    assert sum(split(Decimal(10), 12)) == 10
    assert split(Decimal(10), 0) == []


def test_write_fills_explicitly_null_scores_and_reports_only_what_it_wrote(
        tmp_path: Path) -> None:
    """``得分: ~`` and ``总分: null`` are empty too; a filled-in value is never reported as written."""
    folder = tmp_path / "d"
    folder.mkdir()
    defaults = "".join(p.read_text(encoding="utf-8") for p in (SEED_002.parent.parent / "_defaults.yaml",
                                                               SEED_002.parent / "_defaults.yaml"))
    (folder / "_defaults.yaml").write_text(defaults, encoding="utf-8")
    text = SEED_002.read_text(encoding="utf-8").replace("        得分: 30\n", "        得分: ~   # 待定\n", 1)
    text = text.replace("\n总分: 94\n", "\n总分: null\n")
    path = folder / "x.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("selfeval", "score", str(path), "--write")
    assert code == 0
    after = path.read_text(encoding="utf-8")
    assert "        得分: 30 # 待定\n" in after and "\n总分: 94\n" in after
    assert out.count("填入") == 2
    report = check_workspace(load_workspace([path]))
    assert [d.format() for d in report.diagnostics if d.severity is Severity.ERROR] == []


def test_a_self_evaluation_in_wan_prints_the_amounts_as_written(tmp_path: Path) -> None:
    """init keeps the target's 万元; the self-evaluation form (variant D, grouped amounts) must
    not round 93.64992 万元 to 93.65."""
    source = SPECS / "闵行区浦江镇人民政府" / "2026" / "闵行区浦江镇平安建设办公室" / "警务辅助服务经费.yaml"
    (written,) = init(list(load_workspace([source]).specs), tmp_path / "se", force=False, unit=None)
    fill_in(written.path)
    (spec,) = load_workspace([written.path]).specs
    write_scores(spec)
    report = check_workspace(load_workspace([written.path]))
    assert [d.format() for d in report.diagnostics if d.severity is Severity.ERROR] == []
    (spec,) = load_workspace([written.path]).specs
    from jixiao.render import Renderer

    (html,) = Renderer().render(spec, ["html"], tmp_path / "out", Path("x")).files
    text = html.read_text(encoding="utf-8")
    assert "项目资金\n（万元）" in text
    assert text.count(">93.64992<") == 6 and "93.65" not in text  # 年初/全年预算数 × 2 rows, 全年执行数 × 2
