"""The one writer of spec YAML in the hand-written style, readable back by jixiao's loader.

Spec files that jixiao writes (self-evaluation skeletons, imported tables, the
benchmark's workspaces) look like the ones clerks write: keys in form order,
plain scalars where they are safe, block text for long or multi-line goals,
blank keys (``其他资金:``) for empty cells, ``- 三级指标: …`` items. Callers say
*what* to write as a tree of :class:`Entry` — ``model/dump.py`` from a typed
model, ``importer/emit.py`` from values as the table wrote them — and
:func:`document` writes it; no other code spells out YAML syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\n]*")
# Inside a plain scalar, ": " (or ":" at the end) starts a value and " #" a comment.
_PLAIN_ENDS = re.compile(r":[ \t]|:$|[ \t]#")
# Characters a plain scalar or a `|` block cannot carry as they are: line breaks other than
# \n (\r, NEL, LS, PS fold or split lines on reading; str.splitlines also splits at \x0b …),
# what YAML does not allow raw in a file (control characters), and the byte-order mark.
_NOT_RAW = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# Plain words that read back as something other than the text: null (jixiao's loader reads
# them as an empty value), and the merge key.
_NOT_PLAIN_WORDS = frozenset({"~", "null", "Null", "NULL", "<<"})
_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}
_LONG = 60  # a paragraph longer than this is written as a `|` block even on one line


def scalar(text: str) -> str:
    """A YAML scalar that jixiao's loader reads back as exactly ``text``: plain where that is
    safe, else double-quoted (``1.0``, ``yes`` stay plain: the loader resolves no types)."""
    if not text:
        return '""'
    if _PLAIN_SAFE.fullmatch(text) and not _PLAIN_ENDS.search(text) and text == text.strip() \
            and not _NOT_RAW.search(text) and text not in _NOT_PLAIN_WORDS:
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; JSON leaves a few characters raw that
    # YAML reads as line breaks or refuses, so those are escaped too.
    return _NOT_RAW.sub(_escape, json.dumps(text, ensure_ascii=False))


def _escape(m: re.Match[str]) -> str:
    c = m.group()  # never above U+FFFF: those are all allowed raw
    return _ESCAPES.get(c) or f"\\u{ord(c):04X}"


def block(key: str, text: str, indent: str = "") -> list[str]:
    """``key: text`` on one line, or a ``|`` block for long and multi-line text."""
    if ("\n" not in text and len(text) <= _LONG) or _NOT_RAW.search(text):
        return [f"{indent}{key}: {scalar(text)}"]
    lines = text.splitlines()
    lead = lines[:next((i for i, line in enumerate(lines) if line.strip()), len(lines)) + 1]
    # Content that starts with spaces needs its indentation stated (`|2`): YAML would take
    # the first line's spaces for the block's indentation.
    head = "|2" if any(line[:1].isspace() for line in lead) else "|"
    return [f"{indent}{key}: {head}", *(f"{indent}  {line}" if line else "" for line in lines)]


def comment(text: str) -> list[str]:
    """``# text``, one comment line per line of ``text``: a line break (LF, CR, NEL, U+2028 …)
    would end the comment and leave the rest as YAML. What a YAML file may not hold at all
    (control characters, a lone surrogate from a file name that is not UTF-8) is written as
    its escape (``\\u0001``), so a comment never makes the file unreadable."""
    return [f"# {_comment_line(line)}" for line in text.splitlines() or [""]]


def _comment_line(line: str) -> str:
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04X}", line) if _NOT_RAW.search(line) else line


# -- what is written --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Raw:
    """A value written as it is: a number, a date, ``无`` — text known to be a safe plain scalar."""

    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """Text, quoted where YAML needs it; ``paragraph``: a goal's text, a ``|`` block when long.

    Multi-line text is a ``|`` block in any key."""

    text: str
    paragraph: bool = False


@dataclass(frozen=True, slots=True)
class Items:
    """A list of mappings, each item ``- key: value`` (the 三级指标 of a 二级指标)."""

    items: tuple[tuple[Entry, ...], ...]


# None: a blank key (``其他资金:``); a tuple of entries: a nested mapping.
Value = Raw | Text | Items | tuple["Entry", ...] | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key: value`` of a spec file, with an optional comment after the value."""

    key: str
    value: Value = None
    comment: str = ""


def write(entries: Iterable[Entry], indent: str = "") -> list[str]:
    """The lines of a mapping at ``indent``."""
    lines: list[str] = []
    for e in entries:
        key = scalar(e.key)
        value = e.value
        if value is None or (isinstance(value, Raw) and not value.text):
            own = [f"{indent}{key}:"]
        elif isinstance(value, Raw):
            own = [f"{indent}{key}: {value.text}"]
        elif isinstance(value, Text):
            own = block(key, value.text, indent) if value.paragraph or "\n" in value.text \
                else [f"{indent}{key}: {scalar(value.text)}"]
        elif isinstance(value, Items):
            own = [f"{indent}{key}:" if value.items else f"{indent}{key}: []"]
            for item in value.items:
                inner = indent + "    "
                body = write(item, inner)
                own += [f"{indent}  - {body[0][len(inner):]}", *body[1:]] if body else [f"{indent}  - {{}}"]
        else:
            own = [f"{indent}{key}:", *write(value, indent + "  ")] if value else [f"{indent}{key}: {{}}"]
        if e.comment:  # on the key's line: the comment's own line breaks become spaces
            own[0] += f"   # {' '.join(_comment_line(line) for line in e.comment.splitlines())}"
        lines += own
    return lines


def document(header: Sequence[str], entries: Iterable[Entry]) -> str:
    """A whole spec file: ``header`` as comment lines, then the entries."""
    lines = [line for text in header for line in comment(text)]
    return "\n".join(lines + write(entries)) + "\n"
