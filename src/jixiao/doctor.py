"""``jixiao doctor``: is this machine able to render? What to install if not, on this system.

Every check is guarded: a check that itself fails (a template folder without
``print.css``, a library that crashes on loading) is reported as a finding, never
as a traceback. The fixes are written for the system doctor runs on: Debian, Ubuntu
and UOS (apt), Windows (downloads and the Fonts folders), macOS (Homebrew), and
other Linux (the distribution's package manager).
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao import __version__

APT = "apt-get install -y"
SYMBOL_FONT = "DejaVu Sans"  # ☑ ☐ in the print CSS; every other family there is a CJK text face

# Official releases of the CJK serif faces the print CSS names first.
NOTO_CJK_RELEASES = "https://github.com/notofonts/noto-cjk/releases（Google 官方，下载 NotoSerifCJKsc 或 Noto Serif CJK 的 OTF/TTC）"
SOURCE_HAN_RELEASES = "https://github.com/adobe-fonts/source-han-serif/releases（Adobe 官方，思源宋体 SourceHanSerifSC）"
WINDOWS_INSTALL = ("右键字体文件选「为所有用户安装」（装到 %WINDIR%\\Fonts）或「安装」（只为自己，"
                   "装到 %LOCALAPPDATA%\\Microsoft\\Windows\\Fonts）")


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def system_kind() -> str:
    """``windows``, ``macos``, ``debian`` (Debian, Ubuntu, UOS, Deepin and their kin) or ``linux``."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    try:
        release = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        release = ""
    ids = " ".join(line.split("=", 1)[1] for line in release.splitlines()
                   if line.startswith(("id=", "id_like=")))
    if any(name in ids for name in ("debian", "ubuntu", "uos", "deepin", "kylin")) or shutil.which("apt-get"):
        return "debian"
    return "linux"


def _fix(system: str, *, debian: str, windows: str, macos: str, linux: str) -> str:
    return {"debian": debian, "windows": windows, "macos": macos}.get(system, linux)


def _weasyprint(system: str) -> Finding:
    fix = _fix(system,
               debian=f"{APT} libpango-1.0-0 libpangoft2-1.0-0，然后 bash scripts/setup.sh",
               windows="安装 WeasyPrint 需要的 Pango：装 MSYS2（https://www.msys2.org/）后在它的终端运行 "
                       "pacman -S mingw-w64-ucrt-x86_64-pango；WeasyPrint 在 C:\\msys64\\ucrt64\\bin 里找它，"
                       "装在别处时设环境变量 WEASYPRINT_DLL_DIRECTORIES 为那个 bin 目录（见 WeasyPrint 文档 First Steps → Windows）",
               macos="brew install pango",
               linux="用系统的包管理器安装 Pango（如 dnf install pango）")
    from jixiao.render.pdf import import_weasyprint

    try:
        import_weasyprint()
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        return Finding("WeasyPrint", False, f"无法载入：{exc}", fix)
    v = pango.pango_version()
    return Finding("WeasyPrint", True, f"{weasyprint.__version__}（Pango {v // 10000}.{v // 100 % 100}.{v % 100}）")


def _windows_dll(name: str) -> str | None:
    """``name`` in the folders WeasyPrint loads its libraries from on Windows, or on PATH."""
    dirs = os.environ.get("WEASYPRINT_DLL_DIRECTORIES", r"C:\msys64\ucrt64\bin;C:\msys64\mingw64\bin").split(";")
    for folder in [*dirs, *os.environ.get("PATH", "").split(os.pathsep)]:
        if folder and (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    return None


def _harfbuzz_subset(system: str) -> Finding:
    lib = ctypes.util.find_library("harfbuzz-subset")
    if lib is None and system == "windows":
        lib = _windows_dll("libharfbuzz-subset-0.dll")
    fix = _fix(system,
               debian=f"{APT} libharfbuzz-subset0",
               windows="随 Pango 一起装好（MSYS2：pacman -S mingw-w64-ucrt-x86_64-harfbuzz）",
               macos="brew install harfbuzz",
               linux="用系统的包管理器安装 HarfBuzz（如 dnf install harfbuzz）")
    return Finding("HarfBuzz 字体子集化", lib is not None, lib or "未找到 libharfbuzz-subset",
                   f"{fix}（没有它 PDF 生成很慢、文件很大）")


def cjk_font_fix(system: str, families: list[str]) -> str:
    """How to install a CJK serif face the print CSS names, on ``system``."""
    if system == "windows":
        simsun = ("Windows 自带宋体（SimSun，%WINDIR%\\Fonts\\simsun.ttc），样式表已列出 SimSun；"
                  if "SimSun" in families else "在模板 print.css 的 font-family 里加上 \"SimSun\"，即可用 Windows 自带的宋体；")
        return (f"{simsun}或安装 Noto Serif CJK SC：{NOTO_CJK_RELEASES}，也可用 {SOURCE_HAN_RELEASES}；"
                f"{WINDOWS_INSTALL}")
    return _fix(system,
                debian="sudo apt install fonts-noto-cjk（Debian、Ubuntu、统信 UOS）",
                windows="",
                macos="brew install --cask font-noto-serif-cjk-sc（macOS 自带的宋体 Songti SC 也可以）",
                linux=f"用系统的包管理器安装 Noto Serif CJK SC（如 dnf install google-noto-serif-cjk-sc-fonts），"
                      f"或从 {NOTO_CJK_RELEASES} 下载放进 ~/.local/share/fonts/")


def _symbol_font_fix(system: str) -> str:
    return _fix(system,
                debian=f"{APT} fonts-dejavu-core",
                windows=f"从 https://dejavu-fonts.github.io/ 下载 DejaVu 字体（dejavu-fonts-ttf），安装其中的 DejaVuSans.ttf："
                        f"{WINDOWS_INSTALL}",
                macos="brew install --cask font-dejavu",
                linux="用系统的包管理器安装 DejaVu Sans（如 dnf install dejavu-sans-fonts）")


def _fonts(template_dir: Path, system: str, find: Callable[[str], Path | None]) -> list[Finding]:
    from jixiao.render.fonts import css_families, font_lookup

    css_path = template_dir / "print.css"
    try:
        css = css_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Finding("中文字体", False, f"读不了样式表 {css_path}：{exc}",
                        "用 jixiao templates check 检查模板目录，或用 jixiao templates copy 重新复制内置模板")]
    families = css_families(css)
    found = {name: find(name) for name in families}
    cjk = [n for n, p in found.items() if p is not None and n != SYMBOL_FONT]
    wanted = [n for n in families if n != SYMBOL_FONT]
    missing = (f"样式表要求的 {'、'.join(wanted)} 都没有安装（查找方式：{font_lookup()}）" if wanted
               else f"样式表 {css_path} 的 font-family 没有列出中文字体")
    findings = [Finding("中文字体", bool(cjk), "、".join(f"{n}（{found[n]}）" for n in cjk) or missing,
                        cjk_font_fix(system, families))]
    symbol = found.get(SYMBOL_FONT)
    findings.append(Finding("☑ ☐ 符号字体", symbol is not None, str(symbol or f"未找到 {SYMBOL_FONT}"),
                            _symbol_font_fix(system)))
    return findings


def _tool(name: str, fix: str, purpose: str) -> Finding:
    path = shutil.which(name)
    return Finding(name, path is not None, path or "未找到", f"{fix}（{purpose}）", required=False)


def _guarded(name: str, check: Callable[[], list[Finding]]) -> list[Finding]:
    """A check that fails in itself is a finding too: doctor never ends in a traceback."""
    try:
        return check()
    except Exception as exc:
        return [Finding(name, False, f"检查时出错：{type(exc).__name__}: {exc}",
                        "设置环境变量 JIXIAO_DEBUG=1 重新运行并报告此问题")]


def diagnose(template_dir: Path, find: Callable[[str], Path | None] | None = None,
             system: str | None = None) -> list[Finding]:
    """Everything rendering needs, found or not, with the fix for ``system`` (default: this one).

    ``find`` (default :func:`jixiao.render.fonts.find_font`) says which file a font family is.
    """
    from jixiao.render.fonts import find_font

    finder = find or find_font
    kind = system or _guarded_kind()
    tools: list[Finding] = []
    if kind != "windows":  # on Windows the font folders are searched instead
        tools.append(_tool("fc-match", _fix(kind, debian=f"{APT} fontconfig", windows="", macos="brew install fontconfig",
                                            linux="用系统的包管理器安装 fontconfig"), "查找字体"))
    tools.append(_tool("pdftoppm", _fix(kind, debian=f"{APT} poppler-utils", windows="MSYS2：pacman -S mingw-w64-ucrt-x86_64-poppler",
                                        macos="brew install poppler", linux="用系统的包管理器安装 poppler-utils"),
                       "测试中把 PDF 转成图片；使用 jixiao 不需要"))
    return [
        Finding("jixiao", True, __version__),
        Finding("Python", sys.version_info >= (3, 11), sys.version.split()[0], "需要 Python 3.11 或更新版本"),
        *_guarded("WeasyPrint", lambda: [_weasyprint(kind)]),
        *_guarded("HarfBuzz 字体子集化", lambda: [_harfbuzz_subset(kind)]),
        *_guarded("中文字体", lambda: _fonts(template_dir, kind, finder)),
        *tools,
    ]


def _guarded_kind() -> str:
    try:
        return system_kind()
    except Exception:
        return "windows" if os.name == "nt" else "linux"
