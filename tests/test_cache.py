"""The build cache (jixiao.cache): what is laid out again, what is rewritten, and that a
cached build is byte for byte the build without one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import jixiao.bundle.parts
import jixiao.cache
import jixiao.render
from conftest import run_cli
from jixiao.cache import CACHE_DIR_NAME, BuildCache, key_of
from jixiao.render import Renderer
from jixiao.render.fonts import FontFile
from render_helpers import SPECS, TEMPLATES, files_under

SONGNAN = "淞南镇主管单位"  # 5 self-evaluations, one unit folder with its own _defaults.yaml


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a demo department, as the working directory, with a fixed PDF date."""
    shutil.copytree(SPECS / SONGNAN, tmp_path / "specs" / SONGNAN)
    (tmp_path / "specs" / "jixiao.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PDFs laid out by WeasyPrint in this process, by the start of their HTML's title."""
    seen: list[str] = []
    real = jixiao.render.html_to_pdf

    def counting(html: str, base: str) -> bytes:
        seen.append(html[html.find("<title>") + 7:html.find("</title>")])
        return real(html, base)

    monkeypatch.setattr(jixiao.render, "html_to_pdf", counting)
    return seen


def render(*extra: str) -> tuple[int, str, str]:
    return run_cli("render", "specs", "--format", "html,pdf,docx", "-o", "out", "-j", "1", *extra)


def snapshot(root: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: ((root / p).read_bytes(), (root / p).stat().st_mtime_ns) for p in files_under(root)}


def changed(before: dict[Path, tuple[bytes, int]], after: dict[Path, tuple[bytes, int]]) -> list[str]:
    """The output files rewritten between two snapshots (a new modification time)."""
    return sorted(p.name for p in after if before.get(p, (b"", 0))[1] != after[p][1])


def test_an_unchanged_workspace_is_neither_laid_out_nor_rewritten(work: Path, layouts: list[str]) -> None:
    code, out, _ = render()
    assert code == 0 and out.endswith("共生成 15 个文件（5 个项目）。\n") and len(layouts) == 5
    before = snapshot(work / "out")
    layouts.clear()
    code, out, _ = render()
    assert code == 0 and out.endswith("共生成 15 个文件（5 个项目），其中 15 个没有变化，未改写。\n")
    assert out.count("未变 out/") == 15
    assert layouts == []
    assert snapshot(work / "out") == before  # bytes and modification times


def test_one_edited_project_is_the_only_one_laid_out_again(work: Path, layouts: list[str]) -> None:
    render()
    before = snapshot(work / "out")
    layouts.clear()
    edit(work)
    assert render()[0] == 0
    assert [t.split()[0] for t in layouts] == ["网格化事务"]
    assert changed(before, snapshot(work / "out")) == [
        "网格化事务-绩效自评表.docx", "网格化事务-绩效自评表.html", "网格化事务-绩效自评表.pdf"]


def edit(work: Path) -> None:
    """A clerk's edit of one project's text (网格化事务's 实际完成情况)."""
    spec = next((work / "specs").rglob("网格化事务.yaml"))
    spec.write_text(spec.read_text(encoding="utf-8").replace("基本达到预期。", "基本达到预期（已核）。"), encoding="utf-8")


def test_a_changed_defaults_file_remakes_exactly_the_projects_below_it(work: Path, layouts: list[str]) -> None:
    unit = next(p for p in (work / "specs").rglob("_defaults.yaml") if p.parent.name.endswith("运行管理中心"))
    other = unit.parent.parent / "其他单位"  # one project in a unit of its own
    other.mkdir()
    (other / "_defaults.yaml").write_text("实施单位: 其他单位\n", encoding="utf-8")
    next(unit.parent.glob("网格化事务.yaml")).rename(other / "网格化事务.yaml")
    render()
    below = sorted(p.stem for p in unit.parent.glob("*.yaml") if p.name != "_defaults.yaml")
    assert len(below) == 4
    unit.write_text(unit.read_text(encoding="utf-8") + "金额单位: 万元\n", encoding="utf-8")  # prints （万元）
    layouts.clear()
    assert render()[0] == 0
    assert sorted(t.split()[0] for t in layouts) == below


def test_a_changed_template_folder_remakes_everything_it_prints(work: Path, layouts: list[str]) -> None:
    shutil.copytree(TEMPLATES, work / "tpl")
    assert run_cli("render", "specs", "--format", "pdf", "-o", "out", "-j", "1", "--template", "tpl")[0] == 0
    layouts.clear()
    assert run_cli("render", "specs", "--format", "pdf", "-o", "out", "-j", "1", "--template", "tpl")[0] == 0
    assert layouts == []
    css = work / "tpl" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a clerk's change */ .title { letter-spacing: 0.1em; }\n",
                   encoding="utf-8")
    assert run_cli("render", "specs", "--format", "pdf", "-o", "out", "-j", "1", "--template", "tpl")[0] == 0
    assert len(layouts) == 5


def test_the_fonts_code_and_date_are_part_of_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"one")
    renderer = Renderer()
    renderer.fonts = [FontFile("Noto Serif CJK SC", font)]
    first = renderer.identity
    other = Renderer()
    other.fonts = [FontFile("Noto Serif CJK SC", font)]
    assert other.identity == first
    font.write_bytes(b"a new release of the font")
    again = Renderer()
    again.fonts = [FontFile("Noto Serif CJK SC", font)]
    assert again.identity != first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    dated = Renderer()
    dated.fonts = [FontFile("Noto Serif CJK SC", font)]
    assert dated.identity not in (first, again.identity)


def test_a_damaged_entry_is_rebuilt_not_used(work: Path, layouts: list[str]) -> None:
    render()
    entries = sorted(p for p in (work / "out" / CACHE_DIR_NAME).rglob("*") if p.is_file())
    assert len(entries) == 15  # each project's HTML, PDF and DOCX
    good = {p: p.read_bytes() for p in entries}
    for entry in entries:  # a flipped byte in every payload, a truncated file
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF
        entry.write_bytes(bytes(data[:-5]) if entry == entries[0] else bytes(data))
    before = snapshot(work / "out")
    layouts.clear()
    assert render()[0] == 0
    assert len(layouts) == 5  # every PDF laid out again (the damaged entries were seen as such)
    assert {p: p.read_bytes() for p in entries} == good  # and the entries whole again
    after = snapshot(work / "out")
    assert {p: b for p, (b, _) in after.items()} == {p: b for p, (b, _) in before.items()}


def test_warm_cold_and_uncached_builds_are_byte_identical(work: Path) -> None:
    def files(folder: str) -> dict[Path, bytes]:
        root = work / folder
        return {p: (root / p).read_bytes() for p in files_under(root)}

    assert run_cli("render", "specs", "--format", "html,pdf,docx", "-o", "cold", "-j", "2")[0] == 0
    assert run_cli("render", "specs", "--format", "html,pdf,docx", "-o", "cold", "-j", "2")[0] == 0  # warm
    assert run_cli("render", "specs", "--format", "html,pdf,docx", "-o", "plain", "-j", "1", "--no-cache")[0] == 0
    assert not (work / "plain" / CACHE_DIR_NAME).exists()
    assert files("cold") == files("plain") and len(files("plain")) == 15


@pytest.fixture
def part_layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The parts of disclosure PDFs laid out by WeasyPrint in this process (their HTML)."""
    seen: list[str] = []
    real = jixiao.bundle.parts.lay_out_part

    def counting(html: str, base: str) -> tuple[bytes, dict[str, object]]:
        seen.append(html)
        return real(html, base)

    monkeypatch.setattr(jixiao.bundle.parts, "lay_out_part", counting)
    return seen


def test_disclose_takes_an_unchanged_document_from_the_cache(work: Path, part_layouts: list[str]) -> None:
    disclose: Callable[[], tuple[int, str, str]] = lambda: run_cli(  # noqa: E731
        "disclose", "specs", "--format", "pdf,docx", "-o", "out", "-j", "1")
    assert disclose()[0] == 0
    first = len(part_layouts)
    assert first > 5  # each project, the summary, the cover and contents, the page numbers
    before = snapshot(work / "out")
    part_layouts.clear()
    assert disclose()[0] == 0 and part_layouts == []
    assert changed(before, snapshot(work / "out")) == []
    edit(work)
    assert disclose()[0] == 0
    # The edited project's part is laid out again, with what depends on it (front matter,
    # page numbers); the other projects' parts come from the cache.
    assert 0 < len(part_layouts) < first
    assert len([h for h in part_layouts if "基本达到预期（已核）" in h]) == 1
    assert len(changed(before, snapshot(work / "out"))) == 2  # the document's PDF and DOCX


def test_cache_clear(work: Path) -> None:
    render()
    assert run_cli("cache", "clear", "-o", "out") == (0, f"已删除 out/{CACHE_DIR_NAME}（15 项）。\n", "")
    assert run_cli("cache", "clear", "-o", "out") == (0, "out 里没有构建缓存。\n", "")


def test_keys_and_entries(tmp_path: Path) -> None:
    assert key_of("ab", "c") != key_of("a", "bc")  # parts are length-prefixed
    cache = BuildCache(tmp_path)
    assert cache.get("00ff") is None
    cache.put("00ff", b"%PDF")
    assert cache.get("00ff") == b"%PDF"
    assert cache.get_or_make("00ff", lambda: b"never made") == b"%PDF"
    assert cache.get_or_make("11ee", lambda: b"made") == b"made" and cache.get("11ee") == b"made"


def _aged(cache: BuildCache, key: str, data: bytes, seconds_ago: float) -> Path:
    cache.put(key, data)
    path = cache.folder / key[:2] / key
    when = cache.opened - seconds_ago
    os.utime(path, (when, when))
    return path


def test_pruning_deletes_the_least_recently_used_entries_beyond_the_limit(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    oldest = _aged(cache, "a1", b"x" * 1000, 300)
    older = _aged(cache, "b2", b"x" * 1000, 200)
    old = _aged(cache, "c3", b"x" * 1000, 100)
    assert cache.get("a1") is not None  # read now: used by this build
    cache.put("d4", b"x" * 1000)  # made by this build
    assert cache.prune(limit=2200) == 2  # 4 × 1,065 bytes: the two least recently used go
    assert (oldest.exists(), older.exists(), old.exists()) == (True, False, False)
    assert cache.get("d4") is not None


def test_pruning_never_deletes_an_entry_the_build_used(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    kept = _aged(cache, "a1", b"x" * 1000, 300)
    assert cache.has("a1")  # asked whether it is there: used
    cache.put("b2", b"x" * 1000)
    assert cache.prune(limit=0) == 0 and kept.exists()
    assert BuildCache(tmp_path).prune(limit=0) == 0  # a later run: used within the clock's slack
    later = BuildCache(tmp_path)
    later.opened += 60
    assert later.prune(limit=0) == 2 and files_under(tmp_path) == []


def test_a_build_prunes_its_cache_and_keeps_what_it_used(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert render()[0] == 0
    cache = work / "out" / CACHE_DIR_NAME
    first = set(files_under(cache))
    long_ago = 1_000_000_000
    for entry in first:
        os.utime(cache / entry, (long_ago, long_ago))
    edit(work)
    monkeypatch.setattr(jixiao.cache, "CACHE_LIMIT", 0)
    assert render()[0] == 0
    after = set(files_under(cache))
    # Every entry of the edited project's old tables is gone; the others were used again.
    gone = first - after
    assert len(gone) == 3 and len(after - first) == 3 and len(after) == len(first)
