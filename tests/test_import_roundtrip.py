"""Round trip: every demo spec → DOCX (jixiao's own renderer) → import → the same spec.

"The same" is compared on the exported data (``jixiao export``), normalised for
what a printed table cannot carry: amounts compare as numbers (``500000`` prints
as ``500,000.00``), the values the form computes and prints where the author left
them blank (执行率, 资金得分, 总分, 自评等级) are compared only where the author
wrote them, and the keys that are never printed (备注, 公开, 不公开原因) are left out.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.export import to_data
from jixiao.importer import import_files
from jixiao.load.workspace import SpecFile, load_spec, load_workspace
from jixiao.render import Renderer
from render_helpers import DemoRender

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "specs", ROOT / "tests" / "fixtures" / "variant_c"]
NOT_PRINTED = ("备注", "公开", "不公开原因")
COMPUTED = {("项目资金", "执行率"), ("项目资金", "得分"), ("总分",), ("自评等级",)}


def _specs() -> list[SpecFile]:
    return [s for s in load_workspace(SOURCES).specs if s.project is not None]


SPECS = _specs()


def normalised(data: Any, original: Any = None, path: tuple[str, ...] = ()) -> Any:
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k in NOT_PRINTED:
                continue
            orig = original.get(k) if isinstance(original, dict) else None
            if (*path, k) in COMPUTED and orig is None:
                continue
            out[k] = normalised(v, orig, (*path, k))
        return out
    if isinstance(data, list):
        return [normalised(v, original[i] if isinstance(original, list) and i < len(original) else None, path)
                for i, v in enumerate(data)]
    if isinstance(data, str):
        try:
            return Decimal(data.replace(",", "").removesuffix("%")) if data[:1].isdigit() else data
        except ArithmeticError:
            return data
    return data


@pytest.fixture(scope="module")
def docx_dir(demo: DemoRender, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``NNN.docx`` for ``SPECS[NNN]``: the demo's from the test run's one render of it, the others made here."""
    out = tmp_path_factory.mktemp("docx")
    from_demo = {Path(spec).resolve(): demo.path(project, "docx") for spec, project in demo.projects}
    renderer = None
    for n, spec in enumerate(SPECS):
        if (done := from_demo.get(spec.path.resolve())) is not None:
            shutil.copyfile(done, out / f"{n:03d}.docx")
            continue
        renderer = renderer or Renderer()
        renderer.render(spec, ["docx"], out, Path(f"{n:03d}"))
    return out


@pytest.fixture(scope="module")
def imported(docx_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Any]:
    out = tmp_path_factory.mktemp("imported")
    files = sorted(docx_dir.glob("*.docx"))
    report = import_files(files, out)
    assert not report.failed_files
    assert [r.status for r in report.results] == ["clean"] * len(SPECS), [
        (r.source, [m.format() for m in r.remarks]) for r in report.results if r.status != "clean"]
    by_file = {}
    for r in report.results:
        assert r.path is not None
        by_file[int(Path(r.source.split(" ")[0]).stem)] = load_spec(r.path)
    return by_file


def test_the_demo_workspace_is_covered() -> None:
    assert len(SPECS) >= 75
    assert {s.project.effective_variant for s in SPECS if s.project} == {"A", "B", "C", "D"}


@pytest.mark.parametrize("n", range(len(SPECS)), ids=[s.display for s in SPECS])
def test_docx_round_trip(n: int, imported: dict[int, Any]) -> None:
    original = to_data(SPECS[n].project)
    back = imported[n]
    assert back.project is not None, [d.format() for d in back.diagnostics]
    structural = [d.format() for d in back.diagnostics if d.rule in
                  ("missing-key", "unknown-key", "wrong-type", "invalid-value", "yaml-syntax", "empty-text")]
    assert structural == []
    assert normalised(to_data(back.project), original) == normalised(original, original)


def test_import_keeps_the_source_unchanged_and_refuses_to_overwrite(docx_dir: Path, tmp_path: Path) -> None:
    source = sorted(docx_dir.glob("*.docx"))[0]
    before = source.read_bytes()
    first = import_files([source], tmp_path)
    path = first.results[0].path
    assert path is not None and path.is_file()
    path.write_text("# 手工改过\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    again = import_files([source], tmp_path)
    assert again.results[0].status == "skipped"
    assert path.read_text(encoding="utf-8").startswith("# 手工改过")
    forced = import_files([source], tmp_path, force=True)
    assert forced.results[0].status == "clean"
    assert not path.read_text(encoding="utf-8").startswith("# 手工改过")
    assert source.read_bytes() == before


def test_a_disclosure_document_imports_back_into_its_projects(tmp_path: Path) -> None:
    # Last year's published DOCX is what a clerk may have to start from: every table in
    # it comes back as its spec, and the running headings above each table (unit, project
    # name) are not reported as lost text; the cover, contents and summary still are.
    from jixiao.bundle import plan
    from jixiao.bundle.docx import disclosure_docx

    bundle = min(plan(load_workspace([ROOT / "specs"])), key=lambda d: len(d.specs))
    source = tmp_path / "公开.docx"
    source.write_bytes(disclosure_docx(bundle, Renderer()))
    report = import_files([source], tmp_path / "imported")
    assert report.failed_files == []
    assert [r.status for r in report.results] == ["clean"] * len(bundle.specs), [
        [m.format() for m in r.remarks] for r in report.results]
    assert {r.text for r in report.remarks} >= {bundle.title, "项目汇总", "合计"}
    back = {load_spec(r.path).project.name: load_spec(r.path) for r in report.results if r.path}
    for spec in bundle.specs:
        assert spec.project is not None
        original = to_data(spec.project)
        got = back[spec.project.name].project
        assert got is not None
        assert normalised(to_data(got), original) == normalised(original, original)
