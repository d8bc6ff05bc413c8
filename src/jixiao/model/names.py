"""Names that end up in file names, folder names and document properties.

A spec's 项目名称, 主管部门 and 实施单位 become output folders and files, and 表样
names a folder of the template directory. Specs are not trusted (anyone who can
edit the department's repository writes them), so a name must not be able to
point anywhere, look like another name, or exceed what a writer can hold.
"""

from __future__ import annotations

import re
import unicodedata

# Real names are under 40 characters (the longest of the published seed tables has 24);
# 100 leaves room and stays well inside every writer's limits (Word's document
# properties hold 255 characters, file names 255 bytes).
MAX_NAME_CHARS = 100

# A variant is a folder of the template directory: one plain path component. No
# separators (/ \), no drive colon, no control characters, not hidden (., ..).
_PLAIN = re.compile(r"[^/\\:.\x00-\x1f\x7f][^/\\:\x00-\x1f\x7f]*")

# Characters that print as nothing or reorder what follows: format characters
# (U+200B zero-width space, U+202E right-to-left override, U+FEFF …), controls,
# line/paragraph separators, and the Hangul fillers that render blank.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp", "Cs"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def is_plain_name(text: str) -> bool:
    """A single path component that cannot leave the folder it is looked up in."""
    return bool(_PLAIN.fullmatch(text)) and text.strip() == text


def is_invisible(char: str) -> bool:
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def invisible_chars(text: str) -> list[str]:
    """The invisible or bidi characters in a name (tabs and newlines excepted), in order."""
    return [c for c in text if c not in "\t\n" and is_invisible(c)]


def without_invisible(text: str) -> str:
    return "".join(c for c in text if not is_invisible(c))


def code_points(chars: list[str]) -> str:
    """``U+202E、U+200B`` for a message."""
    return "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in chars))
