"""Writing spec YAML by hand-written conventions, readable back by jixiao's loader.

Spec files that jixiao writes (self-evaluation skeletons, imported tables) look
like the ones clerks write: keys in form order, plain scalars where they are
safe, block text for long or multi-line goals.
"""

from __future__ import annotations

import json
import re

_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\n]*")


def scalar(text: str) -> str:
    """A YAML scalar that jixiao's loader reads back as exactly ``text``."""
    if not text:
        return '""'
    if _PLAIN_SAFE.fullmatch(text) and ": " not in text and " #" not in text and text == text.strip() \
            and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def block(key: str, text: str, indent: str = "") -> list[str]:
    """``key: text`` on one line, or a ``|`` block for long and multi-line text."""
    if "\n" not in text and len(text) <= 60:
        return [f"{indent}{key}: {scalar(text)}"]
    return [f"{indent}{key}: |", *(f"{indent}  {line}" if line else "" for line in text.splitlines())]
