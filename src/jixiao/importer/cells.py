"""Cleaning the text of one table cell: what is presentation, and what is data.

Extractors leave markup (``<p>``, ``<div>``, ``<input type="checkbox"/>``),
entity escapes, and spaces where a line wrapped inside a cell (``项目 绩效 目标``,
``89. 41``). Those go; every character the author typed stays.
"""

from __future__ import annotations

import html
import re

CHECKED, UNCHECKED = "☑", "☐"

# Tags never contain "<": scanning for the closing ">" stops at the next "<", so a cell of
# unclosed "<" is read in linear time (with [^>]* every "<" rescanned to the end: quadratic).
_INPUT = re.compile(r"<input\b[^<>]*>", re.IGNORECASE)
_CHECKED = re.compile(r"\bchecked\b", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]+>")
# Characters around which a space is a line-wrap artefact, never the author's: CJK
# ideographs, CJK and full-width punctuation, and the curly quotes Chinese text uses.
_CJK = "\u2018\u2019\u201c\u201d\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WORD = rf"[{_CJK}0-9A-Za-z%]"
# A wrap space sits between two CJK characters, or between a CJK character and a digit or
# letter (``增长 10%``, ``2023 年度``); after ASCII punctuation (``, ``, ``1. ``) it is the author's.
_WRAP_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?={_WORD})|(?<={_WORD})[ \t\u00a0\u3000]+(?=[{_CJK}])")
# ``…凸显。 2. 源头…``: a numbered list flattened into one line by the extractor.
_LIST_ITEM = re.compile(r"(?<=[。；;！!])\s*(?=\d{1,2}\s*[.、．]\s*[^\d\s])")
_NUMBER_SPACE = re.compile(r"(?<=\d)\s*\.\s+(?=\d)|(?<=\d)\s+\.\s*(?=\d)")
_SPACES = re.compile(r"[ \t\u00a0]+")
# Checkbox glyphs a hand-filled Word form may use besides ☑/☐.
_BOXES = {"☑": CHECKED, "☒": CHECKED, "■": CHECKED, "√": CHECKED, "✔": CHECKED, "☐": UNCHECKED,
          "□": UNCHECKED}


def clean(raw: str, *, extracted: bool = True) -> str:
    """The cell's text without markup and wrap artefacts; paragraphs joined by newlines.

    ``extracted`` text comes from a PDF, where a space may be a line wrap; a Word
    document holds the author's own text, whose spaces stay.
    """
    text = _INPUT.sub(lambda tag: CHECKED if _CHECKED.search(tag.group()) else UNCHECKED, raw)
    text = _BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    raw_lines = text.replace("\r", "\n").split("\n")
    lines = (clean_line(line) if extracted else _SPACES.sub(" ", line.strip()) for line in raw_lines)
    return "\n".join(part.strip() for line in lines for part in line.split("\n") if part.strip())


def clean_line(line: str) -> str:
    line = _LIST_ITEM.sub("\n", line.strip())
    line = _WRAP_SPACE.sub("", line)
    line = _NUMBER_SPACE.sub(".", line)
    return _SPACES.sub(" ", line)


_WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """A label compared without any whitespace and with ASCII brackets: ``项目资金 (万元)`` → ``项目资金（万元）``."""
    return _WHITESPACE.sub("", text).replace("(", "（").replace(")", "）").replace(":", "：")


def boxes(text: str) -> list[tuple[str, bool]] | None:
    """``专项资金 ☐ 经常性项目 ☑ …`` → [(专项资金, False), (经常性项目, True), …]; None without boxes.

    Both orders are accepted: the label before its box (as printed by jixiao and
    in the seeds) or after it (``☑经常性项目``), judged by what the text starts with.
    """
    marks = [(m.start(), _BOXES[m.group()]) for m in re.finditer("[" + "".join(_BOXES) + "]", text)]
    if not marks:
        return None
    box_first = text.lstrip()[0] in _BOXES
    out = []
    edges = [pos for pos, _ in marks]
    for i, (pos, mark) in enumerate(marks):
        if box_first:
            end = edges[i + 1] if i + 1 < len(edges) else len(text)
            label = text[pos + 1:end]
        else:
            start = edges[i - 1] + 1 if i else 0
            label = text[start:pos]
        label = squeeze(label)
        if label:
            out.append((label, mark == CHECKED))
    return out


_INDICATOR_NUMBER = re.compile(r"^\s*指标\s*\d+\s*[：:.、]\s*")


def drop_numbering(name: str) -> str:
    """``指标1：社工数量`` → ``社工数量``: the numbering is the template's, not data."""
    return _INDICATOR_NUMBER.sub("", name, count=1)
