"""``jixiao doctor``: is this machine able to render? What to install if not."""

from __future__ import annotations

import ctypes.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from jixiao import __version__

APT = "apt-get install -y"


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _weasyprint() -> Finding:
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        return Finding("WeasyPrint", False, f"无法载入：{exc}",
                       f"{APT} libpango-1.0-0 libpangoft2-1.0-0，然后 bash scripts/setup.sh")
    v = pango.pango_version()
    return Finding("WeasyPrint", True, f"{weasyprint.__version__}（Pango {v // 10000}.{v // 100 % 100}.{v % 100}）")


def _harfbuzz_subset() -> Finding:
    lib = ctypes.util.find_library("harfbuzz-subset")
    return Finding("HarfBuzz 字体子集化", lib is not None, lib or "未找到 libharfbuzz-subset",
                   f"{APT} libharfbuzz-subset0（没有它 PDF 生成很慢、文件很大）")


def _fonts(template_dir: Path) -> list[Finding]:
    from jixiao.render.fonts import css_families, find_font

    css = (template_dir / "print.css").read_text(encoding="utf-8")
    families = css_families(css)
    found = {name: find_font(name) for name in families}
    # Every family the print CSS names before the symbol font is a CJK text face.
    cjk = [n for n, p in found.items() if p is not None and n != "DejaVu Sans"]
    findings = [Finding("中文字体", bool(cjk), "、".join(f"{n}（{found[n]}）" for n in cjk) or
                        f"样式表要求的 {'、'.join(families)} 都没有安装", f"{APT} fonts-noto-cjk")]
    symbol = found.get("DejaVu Sans")
    findings.append(Finding("☑ ☐ 符号字体", symbol is not None, str(symbol or "未找到 DejaVu Sans"),
                            f"{APT} fonts-dejavu-core"))
    return findings


def _tool(name: str, package: str, purpose: str) -> Finding:
    path = shutil.which(name)
    return Finding(name, path is not None, path or "未找到", f"{APT} {package}（{purpose}）", required=False)


def diagnose(template_dir: Path) -> list[Finding]:
    return [
        Finding("jixiao", True, __version__),
        Finding("Python", sys.version_info >= (3, 11), sys.version.split()[0], "需要 Python 3.11 或更新版本"),
        _weasyprint(),
        _harfbuzz_subset(),
        *_fonts(template_dir),
        _tool("fc-match", "fontconfig", "查找字体"),
        _tool("pdftoppm", "poppler-utils", "测试中把 PDF 转成图片"),
    ]
