"""Round trip: every demo spec → DOCX (jixiao's own renderer) → import → the same spec; and
every demo spec → HTML → the tab-separated text a table extractor makes of it → import → the
same spec (text compared without whitespace: the HTML's line breaks inside a cell are not text).

"The same" is compared on the exported data (``jixiao export``), normalised for
what a printed table cannot carry: amounts compare as numbers (``500000`` prints
as ``500,000.00``), the values the form computes and prints where the author left
them blank (执行率 — on the monitoring form one per fund row —, 资金得分, 总分, 自评等级)
are compared only where the author wrote them, and the keys that are never printed
(备注, 公开, 不公开原因, 上年项目) are left out.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.export import to_data
from jixiao.importer import import_files
from jixiao.load.workspace import SpecFile, load_spec, load_workspace
from jixiao.model.vocab import FormKind
from jixiao.render import Renderer
from render_helpers import DemoRender, read_html

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "specs", ROOT / "tests" / "fixtures" / "variant_c"]
NOT_PRINTED = ("备注", "公开", "不公开原因", "上年项目")
COMPUTED = {("项目资金", "执行率"), ("项目资金", "得分"), ("总分",), ("自评等级",),
            *(("项目资金", row, "执行率") for row in ("年度资金总额", "财政资金", "其他资金"))}


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


def unspaced(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: unspaced(v) for k, v in data.items()}
    if isinstance(data, list):
        return [unspaced(v) for v in data]
    if isinstance(data, str):
        return re.sub(r"\s+", "", data)
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
    assert len(SPECS) >= 82
    assert {s.project.effective_variant for s in SPECS if s.project} == {"A", "B", "C", "D", "M"}
    assert sum(1 for s in SPECS if s.project and s.project.form is FormKind.MONITOR) >= 7


@pytest.mark.parametrize("n", range(len(SPECS)), ids=[s.display for s in SPECS])
def test_docx_round_trip(n: int, imported: dict[int, Any]) -> None:
    original = to_data(SPECS[n].project)
    back = imported[n]
    assert back.project is not None, [d.format() for d in back.diagnostics]
    structural = [d.format() for d in back.diagnostics if d.rule in
                  ("missing-key", "unknown-key", "wrong-type", "invalid-value", "yaml-syntax", "empty-text")]
    assert structural == []
    assert normalised(to_data(back.project), original) == normalised(original, original)


def html_text(path: Path) -> str:
    """The page's tables as an extractor writes them: a row a line, its grid's cells separated by
    tabs, a merged cell's text in its first slot and its other slots empty; title and year first."""
    doc = read_html(path)
    lines = [doc.h1, doc.year_line]
    for table in doc.tables:
        seen: set[int] = set()
        for slots in table.grid():
            cells = []
            for cell in slots:
                cells.append("" if id(cell) in seen else " ".join(cell.text.split()))
                seen.add(id(cell))
            lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def text_imported(demo: DemoRender, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Any]:
    """``NNN.txt`` made from the HTML of ``SPECS[NNN]`` (the demo's, the others rendered here), imported."""
    out = tmp_path_factory.mktemp("text")
    from_demo = {Path(spec).resolve(): demo.path(project, "html") for spec, project in demo.projects}
    renderer = None
    for n, spec in enumerate(SPECS):
        html = from_demo.get(spec.path.resolve())
        if html is None or not html.is_file():
            renderer = renderer or Renderer()
            renderer.render(spec, ["html"], out / "html", Path(f"{n:03d}"))
            html = out / "html" / f"{n:03d}.html"
        (out / f"{n:03d}.txt").write_text(html_text(html), encoding="utf-8")
    report = import_files(sorted(out.glob("*.txt")), out / "imported")
    assert not report.failed_files
    assert [r.status for r in report.results] == ["clean"] * len(SPECS), [
        (r.source, [m.format() for m in r.remarks]) for r in report.results if r.status != "clean"]
    by_file = {}
    for r in report.results:
        assert r.path is not None
        by_file[int(Path(r.source.split(" ")[0]).stem)] = load_spec(r.path)
    return by_file


@pytest.mark.parametrize("n", range(len(SPECS)), ids=[s.display for s in SPECS])
def test_text_round_trip(n: int, text_imported: dict[int, Any]) -> None:
    original = to_data(SPECS[n].project)
    back = text_imported[n]
    assert back.project is not None, [d.format() for d in back.diagnostics]
    assert unspaced(normalised(to_data(back.project), original)) == unspaced(normalised(original, original))


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


@pytest.mark.parametrize("which", ["smallest", "monitoring"])
def test_a_disclosure_document_imports_back_into_its_projects(which: str, tmp_path: Path) -> None:
    # Last year's published DOCX is what a clerk may have to start from: every table in
    # it comes back as its spec, and the running headings above each table (unit, project
    # name) are not reported as lost text; the cover, contents and summary still are.
    from jixiao.bundle import plan
    from jixiao.bundle.docx import disclosure_docx

    # The smallest bundle, and the monitoring summary (监控情况汇总: its forms after a summary of rates).
    bundles = plan(load_workspace([ROOT / "specs"]))
    if which == "monitoring":
        [bundle] = [b for b in bundles if all(s.project and s.project.form is FormKind.MONITOR for s in b.specs)]
    else:
        bundle = min(bundles, key=lambda d: len(d.specs))
    source = tmp_path / "公开.docx"
    source.write_bytes(disclosure_docx(bundle, Renderer()))
    report = import_files([source], tmp_path / "imported")
    assert report.failed_files == []
    assert [r.status for r in report.results] == ["clean"] * len(bundle.specs), [
        [m.format() for m in r.remarks] for r in report.results]
    # The cover may wrap the title over two lines: compared without whitespace.
    assert {re.sub(r"\s+", "", r.text) for r in report.remarks} >= {re.sub(r"\s+", "", bundle.title), "项目汇总", "合计"}
    back = {load_spec(r.path).project.name: load_spec(r.path) for r in report.results if r.path}
    for spec in bundle.specs:
        assert spec.project is not None
        original = to_data(spec.project)
        got = back[spec.project.name].project
        assert got is not None
        assert normalised(to_data(got), original) == normalised(original, original)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_a_monitoring_form_cut_off_mid_month_imports_its_cutoff(fmt: str, tmp_path: Path) -> None:
    # Cut off mid-month the form prints 1月1日-7月15日 in its heads instead of 1-7月: the heads are
    # read by their ending, and 监控截止 from the full date in its own cell.
    spec = next(s for s in SPECS if s.project and s.project.form is FormKind.MONITOR)
    assert spec.project is not None and spec.project.cutoff == date(2026, 7, 31)
    mid = replace(spec, project=replace(spec.project, cutoff=date(2026, 7, 15)))
    Renderer().render(mid, [fmt], tmp_path, Path("表"))
    [source] = tmp_path.glob(f"*.{fmt}")
    report = import_files([source], tmp_path / "imported")
    [result] = report.results
    assert result.status == "clean", [m.format() for m in result.remarks]
    assert result.path is not None and result.path.name.endswith("-监控.yaml")
    back = load_spec(result.path)
    assert back.project is not None and back.project.cutoff == date(2026, 7, 15)
    assert mid.project is not None
    original = to_data(mid.project)
    assert unspaced(normalised(to_data(back.project), original)) == unspaced(normalised(original, original))
