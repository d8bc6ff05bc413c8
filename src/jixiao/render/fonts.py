"""Finding the print fonts, and glyph coverage: WeasyPrint silently drops characters no font has; we do not.

Before a PDF is written, every character of the table is looked up in the
character maps of the fonts the print CSS names. A character that none of them
covers stops the render with the character, its code point and the field it is in.

Where fontconfig's ``fc-match`` exists (Debian, Ubuntu, UOS, most Linux; macOS with
Homebrew), it says which file a family is, as WeasyPrint will find it. Where it does
not (Windows), the font folders (:func:`default_font_dirs`: ``%WINDIR%\\Fonts`` and the
per-user ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``) are searched by the family names
written in the font files themselves (English and localized: ``SimSun`` and ``宋体``
both find ``simsun.ttc``). Reading hundreds of name tables takes a moment, so what
was read is kept in a small cache file, keyed by each file's size and modification time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.errors import GlyphError

_FAMILY_LIST = re.compile(r"font-family\s*:\s*([^;]+);", re.S)
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_REGULAR = {"regular", "book", "normal", "roman", "medium", "常规", "標準", "标准"}
_CACHE_VERSION = 1


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


# -- where the fonts are ----------------------------------------------------------------------


def default_font_dirs() -> list[Path]:
    """The folders this system installs fonts in (for the search without fontconfig)."""
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for me only" (Windows 10 1809 and later)
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data / "fonts", home / ".fonts"]


def default_cache_file() -> Path:
    """Where the family names read from font files are kept between runs."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"]) / "jixiao"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "jixiao"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jixiao"
    return base / "fonts.json"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _faces(path: Path) -> list[dict[str, Any]]:
    """Each face of a font file: its family names (all languages) and whether it is the regular style."""
    from fontTools.ttLib import TTCollection, TTFont  # only here: most systems never need it

    collection = path.suffix.lower() in (".ttc", ".otc")
    try:
        container = TTCollection(str(path), lazy=True) if collection else TTFont(str(path), lazy=True)
    except Exception:  # not a font fontTools can read: not ours to report
        return []
    try:
        fonts = container.fonts if isinstance(container, TTCollection) else [container]
        faces: list[dict[str, Any]] = []
        for font in fonts:
            if "name" not in font:
                continue
            families: set[str] = set()
            styles: set[str] = set()
            for record in font["name"].names:
                if record.nameID not in (1, 2, 16, 17):
                    continue
                text = record.toUnicode(errors="replace").strip()
                if not text or "\ufffd" in text:
                    continue
                (families if record.nameID in (1, 16) else styles).add(text)
            if families:
                faces.append({"families": sorted(families),
                              "regular": any(_key(s) in _REGULAR for s in styles)})
        return faces
    except Exception:  # a broken table: skip the file, as a renderer would
        return []
    finally:
        container.close()


class FontFolders:
    """The fonts in some folders, found by the family names written in the files.

    ``dirs`` are searched recursively for .ttf, .otf, .ttc and .otc files; ``cache_file``
    (None: no cache) keeps each file's names keyed by its size and modification time,
    so a second run reads only new or changed files.
    """

    def __init__(self, dirs: Sequence[Path], cache_file: Path | None = None) -> None:
        self.dirs = list(dirs)
        self.cache_file = cache_file
        self._index: dict[str, list[tuple[bool, str]]] | None = None

    def find(self, family: str) -> Path | None:
        """The file of ``family`` (its regular style if there are several), or None."""
        found = self.index().get(_key(family))
        if not found:
            return None
        return Path(min(found, key=lambda f: (not f[0], len(f[1]), f[1]))[1])

    def families(self) -> list[str]:
        return sorted(self.index())

    def index(self) -> dict[str, list[tuple[bool, str]]]:
        """Family (case-folded) → [(regular, file)], built once."""
        if self._index is None:
            self._index = {}
            for path, faces in self._read().items():
                for face in faces:
                    for family in face["families"]:
                        self._index.setdefault(_key(family), []).append((bool(face["regular"]), path))
        return self._index

    def _files(self) -> Iterator[Path]:
        seen: set[Path] = set()
        for folder in self.dirs:
            if not folder.is_dir():
                continue
            for root, _dirs, names in os.walk(folder):
                for name in sorted(names):
                    path = Path(root) / name
                    if path.suffix.lower() in FONT_SUFFIXES and path not in seen:
                        seen.add(path)
                        yield path

    def _read(self) -> dict[str, list[dict[str, Any]]]:
        old = self._load_cache()
        entries: dict[str, dict[str, Any]] = {}
        changed = False
        for path in self._files():
            try:
                st = path.stat()
            except OSError:
                continue
            key = str(path)
            entry = old.get(key)
            if not (isinstance(entry, dict) and entry.get("size") == st.st_size
                    and entry.get("mtime") == st.st_mtime_ns and isinstance(entry.get("faces"), list)):
                entry = {"size": st.st_size, "mtime": st.st_mtime_ns, "faces": _faces(path)}
                changed = True
            entries[key] = entry
        if changed or set(entries) != set(old):
            self._save_cache(entries)
        return {key: entry["faces"] for key, entry in entries.items()}

    def _load_cache(self) -> dict[str, Any]:
        if self.cache_file is None:
            return {}
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION or not isinstance(data.get("files"), dict):
            return {}
        files: dict[str, Any] = data["files"]
        return files

    def _save_cache(self, entries: dict[str, dict[str, Any]]) -> None:
        if self.cache_file is None:
            return
        # A cache that cannot be written (read-only home) only costs time: never an error.
        with contextlib.suppress(OSError):
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".fonts-", suffix=".tmp", dir=self.cache_file.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"version": _CACHE_VERSION, "files": entries}, f, ensure_ascii=False)
                os.replace(tmp, self.cache_file)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise


@cache
def system_font_folders() -> FontFolders:
    return FontFolders(default_font_dirs(), default_cache_file())


def has_fontconfig() -> bool:
    return shutil.which("fc-match") is not None


def font_lookup() -> str:
    """How fonts are found here, for ``jixiao doctor``."""
    if has_fontconfig():
        return "fontconfig（fc-match）"
    return "按字体文件里的字族名查找：" + "、".join(str(d) for d in system_font_folders().dirs)


def _fontconfig(family: str) -> Path | None:
    out = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family],
                         capture_output=True, text=True, check=False).stdout.splitlines()
    if len(out) < 2:
        return None
    families = [f.strip() for f in out[0].split(",")]
    return Path(out[1]) if family in families else None


@cache
def find_font(family: str) -> Path | None:
    """The file of ``family``, if that family is really installed (fontconfig's, else the font folders')."""
    if has_fontconfig():
        return _fontconfig(family)
    return system_font_folders().find(family)


# -- coverage ---------------------------------------------------------------------------------


@cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points ``path`` has glyphs for (every face of a collection). Reading the
    character maps of a CJK collection takes about a second, so they are kept between
    runs as ranges in the user's cache folder, keyed by the file's path, size and mtime."""
    stored = _cmap_file(path)
    if stored is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            ranges = json.loads(stored.read_text(encoding="utf-8"))
            return frozenset(c for first, last in ranges for c in range(first, last + 1))
    codes = _read_cmap(path)
    if stored is not None:
        _store_ranges(stored, codes)
    return codes


def _read_cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts
    else:
        fonts = [TTFont(str(path), lazy=True)]
    codes: set[int] = set()
    for font in fonts:
        codes.update(font.getBestCmap() or {})
    return frozenset(codes)


def _cmap_file(path: Path) -> Path | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    name = hashlib.sha256(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    return default_cache_file().parent / "cmap" / f"{name}.json"


def _store_ranges(target: Path, codes: frozenset[int]) -> None:
    ranges: list[list[int]] = []
    for c in sorted(codes):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    # A cache that cannot be written (read-only home) only costs time: never an error.
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cmap-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(ranges, handle)
        os.replace(tmp, target)


@cache
def _covered(paths: tuple[Path, ...]) -> frozenset[int]:
    """What any of the fonts covers: made once per run, not once per project."""
    return frozenset().union(*(_cmap(p) for p in paths))


def installed_fonts(css: str) -> list[FontFile]:
    return [FontFile(name, path) for name in css_families(css) if (path := find_font(name)) is not None]


def check_coverage(texts: list[tuple[str, str]], fonts: list[FontFile], where: str) -> None:
    """Raise :class:`GlyphError` for the first character no font covers."""
    if not fonts:
        raise GlyphError("找不到打印用的字体（如 Noto Serif CJK SC）；运行 jixiao doctor 查看如何安装")
    covered = _covered(tuple(f.path for f in fonts))
    for text, source in texts:
        for ch in text:
            if ch.isspace() or ord(ch) in covered:
                continue
            names = "、".join(f.family for f in fonts)
            raise GlyphError(f"{where}：「{source}」中的字符「{ch}」（U+{ord(ch):04X}）在所用字体（{names}）中都没有字形，"
                             "打印出来会是空白；请改用常用字，或安装含此字的字体")
