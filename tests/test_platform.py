"""Beyond Debian: workers started without ``fork``, fonts found without fontconfig, doctor's fixes.

* ``JIXIAO_START_METHOD=spawn`` starts the workers as Windows (and macOS) do: the
  work is pickled to them, and the files must come out byte for byte as from one
  process; a worker's error must reach the user as the same Chinese message.
* On Windows there is no ``fc-match``: the font folders are searched by the family
  names written in the files. A fake ``%WINDIR%\\Fonts`` and per-user fonts folder
  (with a copy of an installed CJK font and a tiny generated 宋体) stand in for them.
* ``doctor`` on a machine without the fonts lists how to install them and exits 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_cli
from jixiao import doctor
from jixiao.errors import OutputError
from jixiao.jobs import START_METHOD_ENV, run_jobs, start_method
from jixiao.render import fonts
from jixiao.render.fonts import FontFolders, css_families, default_font_dirs
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import SPECS, files_under

SONGNAN = SPECS / "淞南镇主管单位"  # 5 projects, one disclosure document


@pytest.fixture
def spawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


# -- workers without fork ----------------------------------------------------------------------------


def _fail_on_three(n: int) -> int:
    if n == 3:
        raise OutputError(f"无法写入第 {n} 个文件")
    return n


def test_the_start_method_can_be_forced_and_a_wrong_one_is_a_chinese_usage_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv(START_METHOD_ENV, "teleport")
    code, out, err = run_cli("render", SONGNAN, "--format", "html", "-o", "nowhere", "-j", "2")
    assert (code, out) == (2, "")
    assert err.startswith(f"错误：环境变量 {START_METHOD_ENV} 的值「teleport」在本机不可用；可选：")
    monkeypatch.delenv(START_METHOD_ENV)
    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")


def test_spawned_workers_raise_the_workers_error_here(spawn) -> None:
    seen = []
    with pytest.raises(OutputError, match="无法写入第 3 个文件"):
        for n in run_jobs(_fail_on_three, [1, 2, 3, 4, 5], jobs=2):
            seen.append(n)
    assert seen == [1, 2]


# render under spawn: tests/test_jobs.py runs its two-process test with both start methods.


def test_disclose_with_spawned_workers_writes_the_same_bytes_as_one_process(spawn, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli("disclose", SONGNAN, "--format", "html,docx", "-o", one, "-j", "1")[0] == 0
    assert run_cli("disclose", SONGNAN, "--format", "html,docx", "-o", two, "-j", "2")[0] == 0
    assert files_under(one) == files_under(two) and len(files_under(one)) == 2
    for rel in files_under(one):
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_write_error_in_a_worker_is_the_same_chinese_message_under_fork_and_spawn(
        method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if method == "fork" and sys.platform == "win32":
        pytest.skip("no fork on Windows")
    monkeypatch.setenv(START_METHOD_ENV, method)
    (tmp_path / "淞南镇主管单位").write_text("不是目录", encoding="utf-8")  # every worker's write fails
    code, out, err = run_cli("render", SONGNAN, "--format", "html", "-o", tmp_path, "-j", "2")
    monkeypatch.delenv(START_METHOD_ENV)
    code1, out1, err1 = run_cli("render", SONGNAN, "--format", "html", "-o", tmp_path, "-j", "1")
    assert (code, out, err) == (code1, out1, err1) == (1, "", err1)
    assert err.startswith("错误：") and "Traceback" not in err
    assert files_under(tmp_path) == [Path("淞南镇主管单位")]


# -- fonts without fontconfig ------------------------------------------------------------------------


def _installed_cjk_font() -> Path:
    try:  # (not shutil.which: sys.platform says win32 here)
        out = subprocess.run(["fc-match", "-f", "%{file}", "Noto Serif CJK SC"], capture_output=True, text=True,
                             check=False).stdout
    except FileNotFoundError:
        pytest.skip("no fontconfig to find an installed CJK font with")
    if "CJK" not in out:
        pytest.skip("Noto Serif CJK SC is not installed")
    return Path(out)


def _tiny_font(path: Path, family: str, chinese: str) -> None:
    """A font of one glyph whose family is ``family`` in English and ``chinese`` in Chinese (as simsun.ttc)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "song"])
    builder.setupCharacterMap({ord("宋"): "song"})
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({".notdef": glyph, "song": glyph})
    builder.setupHorizontalMetrics({".notdef": (1000, 100), "song": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": {"en": family, "zh-CN": chinese}, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    collection = TTCollection()
    collection.fonts = [builder.font]
    collection.save(str(path))


@pytest.fixture
def windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """This test's machine made to look like Windows without fontconfig: (Fonts folder, per-user fonts folder)."""
    system, user = tmp_path / "Windows" / "Fonts", tmp_path / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    user.mkdir(parents=True)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.setattr(fonts, "has_fontconfig", lambda: False)
    fonts.find_font.cache_clear()
    fonts.system_font_folders.cache_clear()
    yield system, user
    fonts.find_font.cache_clear()
    fonts.system_font_folders.cache_clear()


def test_windows_font_folders_are_searched_by_the_family_names_in_the_files(
        windows: tuple[Path, Path], tmp_path: Path) -> None:
    system, user = windows
    assert default_font_dirs() == [system, user]
    _tiny_font(system / "simsun.ttc", "SimSun", "宋体")
    shutil.copy(_installed_cjk_font(), user / "NotoSerifCJKsc-Regular.otc")
    (system / "broken.ttf").write_bytes(b"not a font")
    assert fonts.find_font("SimSun") == system / "simsun.ttc"
    assert fonts.find_font("宋体") == system / "simsun.ttc"  # the Chinese name in the file
    assert fonts.find_font("Noto Serif CJK SC") == user / "NotoSerifCJKsc-Regular.otc"
    assert fonts.find_font("Source Han Serif SC") is None
    css = (BUILTIN_TEMPLATES / "print.css").read_text(encoding="utf-8")
    assert [f.family for f in fonts.installed_fonts(css)] == ["Noto Serif CJK SC", "SimSun"]
    assert (tmp_path / "AppData" / "Local" / "jixiao" / "fonts.json").is_file()


def test_the_font_cache_is_used_and_notices_a_changed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = tmp_path / "fonts", tmp_path / "cache" / "fonts.json"
    folder.mkdir()
    _tiny_font(folder / "a.ttc", "SimSun", "宋体")
    assert FontFolders([folder], cache).find("simsun") == folder / "a.ttc"
    read: list[Path] = []
    real = fonts._faces
    monkeypatch.setattr(fonts, "_faces", lambda path: read.append(path) or real(path))
    assert FontFolders([folder], cache).find("SimSun") == folder / "a.ttc" and read == []  # from the cache
    _tiny_font(folder / "a.ttc", "Songti SC", "宋体-简")
    assert FontFolders([folder], cache).find("SimSun") is None and read == [folder / "a.ttc"]
    cache.write_text("{broken", encoding="utf-8")
    assert FontFolders([folder], cache).find("Songti SC") == folder / "a.ttc"  # a broken cache is read again


def test_the_print_css_names_simsun_so_windows_prints_with_its_own_songti() -> None:
    families = css_families((BUILTIN_TEMPLATES / "print.css").read_text(encoding="utf-8"))
    assert families[:3] == ["Noto Serif CJK SC", "Source Han Serif SC", "SimSun"]


# -- doctor ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("system", "fix"), [
    ("debian", "sudo apt install fonts-noto-cjk（Debian、Ubuntu、统信 UOS）"),
    ("windows", "Windows 自带宋体（SimSun，%WINDIR%\\Fonts\\simsun.ttc）"),
    ("macos", "brew install --cask font-noto-serif-cjk-sc"),
])
def test_doctor_without_fonts_says_how_to_install_them_here_and_exits_1(
        system: str, fix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "system_kind", lambda: system)
    monkeypatch.setattr(fonts, "find_font", lambda _family: None)
    code, out, err = run_cli("doctor")
    assert code == 1
    lines = out.splitlines()
    assert "✗ 中文字体：样式表要求的 Noto Serif CJK SC、Source Han Serif SC、SimSun、Songti SC、STSong 都没有安装" in out
    [font_fix, symbol_fix] = [line for line in lines if line.startswith("    修复：")][-2:]
    assert fix in font_fix
    assert "DejaVu" in symbol_fix or "dejavu" in symbol_fix
    if system == "windows":
        assert "notofonts/noto-cjk" in font_fix and "%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts" in font_fix
        assert not any(line.startswith(("✓ fc-match", "－ fc-match")) for line in lines)
    assert err == "错误：有 2 项缺失，暂时无法生成 PDF；按上面的「修复」安装后再试。\n"
    assert "Traceback" not in out + err


def test_doctor_never_crashes_on_a_broken_check_or_a_template_without_print_css(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_family: str) -> Path | None:
        raise RuntimeError("字体库坏了")

    monkeypatch.setattr(fonts, "find_font", broken)
    code, out, err = run_cli("doctor")
    assert code == 1 and "✗ 中文字体：检查时出错：RuntimeError: 字体库坏了" in out and "Traceback" not in err
    monkeypatch.undo()
    code, out, err = run_cli("doctor", "--template", tmp_path)
    assert code == 1 and "✗ 中文字体：读不了样式表" in out and "jixiao templates copy" in out
    assert err.startswith("错误：有 1 项缺失")
