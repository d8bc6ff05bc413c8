"""Glyph coverage: WeasyPrint silently drops characters no font has; we do not.

Before a PDF is written, every character of the table is looked up in the
character maps of the fonts the print CSS names (as fontconfig resolves them).
A character that none of them covers stops the render with the character,
its code point and the field it is in.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from jixiao.errors import GlyphError

_FAMILY_LIST = re.compile(r"font-family\s*:\s*([^;]+);", re.S)
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path


def css_families(css: str) -> list[str]:
    """Font families named in the CSS, in order, without generic names."""
    names: list[str] = []
    for decl in _FAMILY_LIST.findall(css):
        for raw in decl.split(","):
            name = raw.strip().strip("\"'")
            if name and name not in _GENERIC and name not in names:
                names.append(name)
    return names


@cache
def find_font(family: str) -> Path | None:
    """The file fontconfig uses for ``family``, if that family is really installed."""
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family],
                         capture_output=True, text=True, check=False).stdout.splitlines()
    if len(out) < 2:
        return None
    families = [f.strip() for f in out[0].split(",")]
    return Path(out[1]) if family in families else None


@cache
def _cmap(path: Path) -> frozenset[int]:
    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts
    else:
        fonts = [TTFont(str(path), lazy=True)]
    codes: set[int] = set()
    for font in fonts:
        codes.update(font.getBestCmap() or {})
    return frozenset(codes)


def installed_fonts(css: str) -> list[FontFile]:
    return [FontFile(name, path) for name in css_families(css) if (path := find_font(name)) is not None]


def check_coverage(texts: list[tuple[str, str]], fonts: list[FontFile], where: str) -> None:
    """Raise :class:`GlyphError` for the first character no font covers."""
    if not fonts:
        raise GlyphError("找不到打印用的字体（如 Noto Serif CJK SC）；运行 jixiao doctor 查看如何安装")
    covered = frozenset().union(*(_cmap(f.path) for f in fonts))
    for text, source in texts:
        for ch in text:
            if ch.isspace() or ord(ch) in covered:
                continue
            names = "、".join(f.family for f in fonts)
            raise GlyphError(f"{where}：「{source}」中的字符「{ch}」（U+{ord(ch):04X}）在所用字体（{names}）中都没有字形，"
                             "打印出来会是空白；请改用常用字，或安装含此字的字体")
