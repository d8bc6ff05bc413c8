"""Glyph coverage is read once per font file: kept in the user's cache folder by the file's
path, size and modification time, and the union over the print fonts built once per run.

The font is a real one (DejaVu Sans, which ``jixiao doctor`` requires), copied into the
test's folder so that its modification time can be changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao.errors import GlyphError
from jixiao.render import fonts
from jixiao.render.fonts import FontFile, check_coverage, find_font


@pytest.fixture
def font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of DejaVu Sans, with the cache folder (XDG_CACHE_HOME) in the test's folder
    and the in-process caches empty before and after."""
    installed = find_font("DejaVu Sans")
    assert installed is not None, "DejaVu Sans is needed (fonts-dejavu-core)"
    copy = tmp_path / "fonts" / "DejaVuSans.ttf"
    copy.parent.mkdir()
    shutil.copy2(installed, copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fonts._cmap.cache_clear()
    fonts._covered.cache_clear()
    yield copy
    fonts._cmap.cache_clear()
    fonts._covered.cache_clear()


def stored(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "jixiao" / "cmap").glob("*.json"))


def test_a_font_is_read_once_and_then_taken_from_the_cache_folder(font: Path, tmp_path: Path) -> None:
    codes = fonts._cmap(font)
    assert ord("A") in codes and ord("é") in codes and ord("中") not in codes
    assert fonts._cmap(font) is codes  # once per process
    (entry,) = stored(tmp_path)
    # The font's bytes replaced by others of the same size and time: a second process (the
    # in-process cache emptied) must read the stored ranges, not the file, or it would fail.
    stat = font.stat()
    font.write_bytes(b"\0" * stat.st_size)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    fonts._cmap.cache_clear()
    assert fonts._cmap(font) == codes
    assert stored(tmp_path) == [entry]


def test_a_changed_font_file_is_read_again(font: Path, tmp_path: Path) -> None:
    first = fonts._cmap(font)
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    fonts._cmap.cache_clear()
    assert fonts._cmap(font) == first
    assert len(stored(tmp_path)) == 2  # a new entry for the new modification time


def test_a_damaged_cache_entry_is_read_from_the_font_again(font: Path, tmp_path: Path) -> None:
    codes = fonts._cmap(font)
    (entry,) = stored(tmp_path)
    entry.write_text("[[65, ", encoding="utf-8")
    fonts._cmap.cache_clear()
    assert fonts._cmap(font) == codes


def test_the_covered_set_is_built_once_for_all_projects(font: Path) -> None:
    used = [FontFile("DejaVu Sans", font)]
    check_coverage([("Aé", "三级指标")], used, "a.yaml")
    covered = fonts._covered((font,))
    check_coverage([("Bè", "年度指标值")], used, "b.yaml")
    assert fonts._covered((font,)) is covered
    with pytest.raises(GlyphError, match="「中」（U\\+4E2D）"):
        check_coverage([("中", "项目名称")], used, "c.yaml")
