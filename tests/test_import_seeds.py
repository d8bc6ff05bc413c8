"""Import the seed tables (``../shared/seeds/*.txt``, beside the repository) and compare the written specs with
values transcribed by hand from the seed text (``tests/import_expectations.py``).

The specs are read back with the project's own loader, so what is checked is what a
user of the workspace would get: the model objects, with inherited ``_defaults.yaml``
values applied.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from import_expectations import FILES, PH, SEEDS, TABLE_COUNTS, TABLES, SFunds, Table, TFunds, money
from jixiao.importer import import_files
from jixiao.load.workspace import load_spec, load_workspace
from jixiao.model.project import Project, SelfEvalFunds, TargetFunds
from jixiao.model.vocab import FormKind, MoneyUnit

# -- the import, done once ------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("imported")
    (out / ".git").mkdir()  # stop the _defaults.yaml lookup at the workspace root
    seeds = [Path(SEEDS) / FILES[k] for k in sorted(FILES)]
    report = import_files(seeds, out)
    return out, list(report.results)


def results_of(results, key: str):
    return [r for r in results if Path(str(r.source).rsplit(":", 1)[0]).name == FILES[key]]


@pytest.fixture(scope="module")
def by_table(imported):
    """(file key, title line) -> TableResult."""
    _, results = imported
    found = {}
    for key in FILES:
        for r in results_of(results, key):
            found[(key, r.line)] = r
    return found


def project_of(by_table, t: Table) -> Project:
    r = by_table.get((t.file, t.line))
    assert r is not None, f"no table imported from {FILES[t.file]}:{t.line} (found lines "\
                          f"{sorted(line for k, line in by_table if k == t.file)})"
    assert r.status in ("clean", "remarks"), (r.status, r.remarks)
    assert r.path is not None
    spec = load_spec(Path(r.path))
    assert spec.project is not None, [str(d) for d in spec.diagnostics]
    return spec.project


# -- helpers --------------------------------------------------------------------------------


def flat(project: Project) -> list[tuple]:
    """The indicator tree as rows in table order (see import_expectations for the shapes)."""
    rows: list[tuple] = []
    self_eval = project.form is FormKind.SELF_EVAL
    for l1 in project.indicators:
        if not l1.children:
            rows.append((l1.name, PH))
        for l2 in l1.children:
            if l2.placeholder:
                assert l2.indicators == ()
                rows.append((l1.name, l2.name, PH))
                continue
            for ind in l2.indicators:
                if self_eval:
                    rows.append((l1.name, l2.name, ind.name, ind.target or "", ind.actual or "",
                                 ind.weight, ind.score, ind.deviation or ""))
                else:
                    rows.append((l1.name, l2.name, ind.name, ind.target or ""))
    return rows


def expected_rows(t: Table) -> list[tuple]:
    if t.form != "绩效自评表":
        return list(t.indicators)
    return [row if len(row) == 3 else (*row[:5], Decimal(row[5]), Decimal(row[6]), row[7]) for row in t.indicators]


def text_of(text: str | None) -> str:
    # Goal texts may span several paragraphs (`<p>`, numbered lists); whether the spec puts a
    # paragraph on its own line or after a space is layout, so every run of whitespace compares
    # as one space. Everything else, including which spaces were dropped, must match.
    # A line break after CJK punctuation (a list item split onto its own line) is layout too.
    text = re.sub(r"(?<=[。；！])\s+", "", text or "")
    return re.sub(r"\s+", " ", text).strip()


def amounts(obj, names):
    return {n: getattr(obj, n) for n in names}


def assert_decimals(values: dict) -> None:
    for name, v in values.items():
        assert v is None or isinstance(v, Decimal), f"{name} = {v!r} is {type(v).__name__}, not Decimal"


def expect_amounts(**kw: str | None) -> dict[str, Decimal | None]:
    return {k: money(v) for k, v in kw.items()}


# -- 1. every table of every seed is found, imported and loads -------------------------------


@pytest.mark.parametrize("key", sorted(FILES))
def test_every_table_found_imported_and_loadable(imported, key):
    _, results = imported
    mine = results_of(results, key)
    assert len(mine) == TABLE_COUNTS[key]
    lines = [r.line for r in mine]
    assert lines == sorted(lines), "results are not in source order"
    for r in mine:
        assert isinstance(r.line, int) and r.line >= 1
        assert str(r.source).endswith(f"{FILES[key]}:{r.line}")
        assert r.status != "failed", (r.source, r.remarks)
        assert r.status in ("clean", "remarks")
        assert r.path is not None and Path(r.path).is_file()
        for remark in r.remarks:
            assert isinstance(remark.where, str) and isinstance(remark.message, str)
        spec = load_spec(Path(r.path))
        assert isinstance(spec.project, Project), (r.source, [str(d) for d in spec.diagnostics])
        assert spec.project.name


def test_titles_are_where_the_tables_start(imported):
    # Each result's line points at the title of its table in the text file.
    _, results = imported
    for r in results:
        file, line = str(r.source).rsplit(":", 1)
        text = Path(file).read_text(encoding="utf-8").split("\n")[int(line) - 1]
        assert "财政项目支出绩效" in text, (r.source, text)


def test_workspace_loads_all_74_projects(imported):
    out, results = imported
    ws = load_workspace([out])
    projects = [s.project for s in ws.specs]
    assert len(projects) == sum(TABLE_COUNTS.values()) == len(results)
    assert all(isinstance(p, Project) for p in projects)
    # One file per table: the written paths are distinct.
    assert len({Path(r.path).resolve() for r in results}) == len(results)


def test_existing_files_are_skipped_unless_forced(tmp_path):
    (tmp_path / ".git").mkdir()
    seed = [Path(SEEDS) / FILES["001"]]
    first = list(import_files(seed, tmp_path).results)
    assert [r.status for r in first if r.status in ("failed", "skipped")] == []
    edited = Path(first[0].path)
    edited.write_text(edited.read_text(encoding="utf-8") + "# 手工修改\n", encoding="utf-8")

    again = list(import_files(seed, tmp_path).results)
    assert [r.status for r in again] == ["skipped"] * TABLE_COUNTS["001"]
    assert [Path(r.path) for r in again] == [Path(r.path) for r in first]
    assert edited.read_text(encoding="utf-8").endswith("# 手工修改\n")  # left alone

    forced = list(import_files(seed, tmp_path, force=True).results)
    assert all(r.status in ("clean", "remarks") for r in forced)
    assert not edited.read_text(encoding="utf-8").endswith("# 手工修改\n")  # rewritten


def test_spec_files_are_laid_out_by_department_year_unit(by_table):
    t = next(t for t in TABLES if t.name == "人口工作")
    r = by_table[(t.file, t.line)]
    parts = Path(r.path).parts
    assert parts[-1] == "人口工作.yaml"
    assert parts[-4:-1] == ("吴泾镇人民政府", "2023", "平安办")


# -- 2. the hand-transcribed sample, field by field ------------------------------------------


def test_sample_covers_all_files_and_kinds():
    assert len(TABLES) >= 20
    assert {t.file for t in TABLES} == set(FILES)
    assert {t.form for t in TABLES} == {"绩效目标表", "绩效目标申报表", "绩效自评表"}
    assert len({(t.file, t.line) for t in TABLES}) == len(TABLES)


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.id)
def test_header(by_table, t: Table):
    p = project_of(by_table, t)
    assert p.form is FormKind(t.form)
    assert p.year == t.year
    assert p.name == t.name
    assert p.department == t.department
    assert p.unit == t.unit
    if t.form == "绩效自评表":
        assert (p.category, p.nature, p.start, p.end, p.overall_goal) == (None, None, None, None, None)
        assert p.annual_goal == ""
    else:
        assert p.category == t.category
        assert p.nature == t.nature
        assert p.start == t.start
        assert p.end == t.end


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.id)
def test_goals(by_table, t: Table):
    p = project_of(by_table, t)
    if t.form == "绩效自评表":
        assert text_of(p.expected) == text_of(t.expected)
        assert text_of(p.achieved) == text_of(t.achieved)
        assert "<" not in p.expected + p.achieved
    else:
        assert p.overall_goal is not None
        assert p.overall_goal.period == t.period
        assert text_of(p.overall_goal.text) == text_of(t.overall)
        assert text_of(p.annual_goal) == text_of(t.annual_goal)
        assert "<p>" not in p.overall_goal.text + p.annual_goal  # markup dropped


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.id)
def test_funds(by_table, t: Table):
    p = project_of(by_table, t)
    f = p.funds
    assert f is not None
    assert f.unit is MoneyUnit(t.money_unit)
    e = t.funds
    if isinstance(e, TFunds):
        assert isinstance(f, TargetFunds)
        assert f.project is not None and f.annual is not None
        got_project = amounts(f.project, ("total", "fiscal", "other"))
        got_annual = amounts(f.annual, ("total", "current", "carryover", "other"))
        assert_decimals(got_project)
        assert_decimals(got_annual)
        assert got_project == expect_amounts(total=e.total, fiscal=e.fiscal, other=e.other)
        assert got_annual == expect_amounts(total=e.annual, current=e.current, carryover=e.carryover,
                                            other=e.annual_other)
    else:
        assert isinstance(e, SFunds)
        assert isinstance(f, SelfEvalFunds)
        for attr in ("total", "current", "carryover", "other"):
            row, want = getattr(f, attr), getattr(e, attr)
            assert row is not None, attr
            got = amounts(row, ("initial", "budget", "executed"))
            assert_decimals(got)
            assert got == expect_amounts(initial=want.initial, budget=want.budget, executed=want.executed), attr
        scored = amounts(f, ("weight", "rate", "score"))
        assert_decimals(scored)
        assert scored == expect_amounts(weight=e.weight, rate=e.rate, score=e.score)


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.id)
def test_indicators(by_table, t: Table):
    p = project_of(by_table, t)
    got, want = flat(p), expected_rows(t)
    # Compare row by row first so a failure names the first differing row.
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        assert g == w, f"row {i + 1}: got {g!r}, expected {w!r}"
    assert len(got) == len(want), f"got {len(got)} rows, expected {len(want)}; extra: {got[len(want):] or want[len(got):]}"
    for ind in p.all_indicators():
        assert not re.match(r"指标\s*\d+\s*[:：]", ind.name), ind.name  # numbering dropped
        for v in (ind.weight, ind.score):
            assert v is None or isinstance(v, Decimal)


@pytest.mark.parametrize("t", [t for t in TABLES if t.form == "绩效自评表"], ids=lambda t: t.id)
def test_self_eval_scores(by_table, t: Table):
    p = project_of(by_table, t)
    assert isinstance(p.total_score, Decimal)
    assert p.total_score == Decimal(t.total_score)
    assert p.grade == t.grade  # no 自评等级 printed in the seeds
