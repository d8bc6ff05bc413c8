"""How wide printed text is, and column widths that give every column room for its content.

Widths are estimated from the characters, in em at the table's type size: a Chinese
character or full-width sign is 1 em, a digit about 0.56 em (Noto Serif CJK; Times
New Roman's are 0.5), a point or comma a third — rounded up, so an estimate is never
narrower than the printed text in the fonts print.css and the Word writer name.

A variant's 栏宽 gives the proportions of a section's columns. :func:`fit_widths`
keeps them where the content allows and widens a column that is too narrow for what
it must hold on one line (an amount, a score, a date) or in two (a 一级/二级 label), taking
the room from the other columns in proportion to their widths — so mostly from the
wide text columns (三级指标, 偏差原因分析及改进措施).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Iterable, Sequence

# The text width of an A4 page with 18 mm side margins: print.css (@page) and the Word
# shell (render/docx_shell.py) both use it.
PAGE_WIDTH_MM, MARGIN_LR_MM = 210.0, 18.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_LR_MM
# A cell's padding on each side: print.css pads 1.5 mm, Word's default cell margin is
# 1.9 mm (0.08 in); the wider one, so a column fits in both. Plus the rules (0.75 pt)
# and a little slack for rounding in the renderers.
CELL_PADDING_MM = 1.9
RULE_MM = 0.3
SLACK_EM = 0.3
MM_PER_PT = 25.4 / 72

_NARROW = {**dict.fromkeys("0123456789", 0.6), **dict.fromkeys(".,:;'!|", 0.34), **dict.fromkeys("()[]", 0.4),
           "%": 0.95, "-": 0.36, " ": 0.3, "\n": 0.0, **dict.fromkeys("mwMW@", 1.0)}


def char_em(ch: str) -> float:
    if ch in _NARROW:
        return _NARROW[ch]
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0  # Chinese, full-width and ambiguous signs (≥ “ ☑): a CJK font prints them 1 em wide
    if ch.isupper():
        return 0.75
    return 0.62


# Word and LibreOffice put a little space between Chinese and Latin letters or digits
# (``同比减少 5%``); counted where the two meet.
AUTOSPACE_EM = 0.25


def line_em(line: str) -> float:
    width = sum(char_em(ch) for ch in line)
    # Chinese (True) or Latin letter/digit (False), other signs left out
    kinds = [char_em(ch) == 1.0 for ch in line if char_em(ch) == 1.0 or (ch.isascii() and ch.isalnum())]
    return width + AUTOSPACE_EM * sum(1 for a, b in itertools.pairwise(kinds) if a != b)


# The same words and figures come back in every table (labels, 100%, 指标): measured once.
@functools.lru_cache(maxsize=1 << 16)
def text_em(text: str) -> float:
    """The width of the widest line of ``text``, in em."""
    return max((line_em(line) for line in text.split("\n")), default=0.0)


def cell_mm(em: float, font_pt: float) -> float:
    """The column width (mm) that holds ``em`` of text on a line at ``font_pt``."""
    return (em + SLACK_EM) * font_pt * MM_PER_PT + 2 * CELL_PADDING_MM + RULE_MM


def room_em(width_mm: float, font_pt: float) -> float:
    """How much text (em) a column ``width_mm`` wide holds on a line. A column made for
    ``em`` by :func:`cell_mm` holds a little more (the slack), so what was measured to fit
    does fit here, whatever the rounding."""
    return (width_mm - 2 * CELL_PADDING_MM - RULE_MM) / (font_pt * MM_PER_PT)


def lines(words: Sequence[str], room: float) -> list[str]:
    """``words`` filled into lines of at most ``room`` em (a word wider than that gets a line
    of its own); ``"\\n"`` ends a line."""
    out: list[str] = []
    line, width = "", 0.0
    for word in words:
        if word == "\n":
            out.append(line)
            line, width = "", 0.0
            continue
        w = text_em(word)
        if line and width + w > room:
            out.append(line)
            line, width = "", 0.0
        if not line and word.isspace():
            continue  # a space where a line breaks is not printed
        line += word
        width += w
    out.append(line)
    return out


def two_line_em(words: Sequence[str]) -> float:
    """The narrowest width (em) in which ``words`` fit on at most two lines per printed line."""
    best = 0.0
    for part in split_lines(words):
        if not part:
            continue
        widths = [text_em(w) for w in part]
        total = sum(widths)
        fit = total
        for k in range(1, len(part)):
            left = sum(widths[:k])
            fit = min(fit, max(left, total - left))
        best = max(best, fit)
    return best


def widest_word_em(words: Iterable[str]) -> float:
    return max((text_em(w) for w in words if w != "\n"), default=0.0)


def split_lines(words: Sequence[str]) -> list[list[str]]:
    """``words`` cut at the ``"\\n"`` among them: the words of each printed line."""
    out: list[list[str]] = [[]]
    for w in words:
        if w == "\n":
            out.append([])
        else:
            out[-1].append(w)
    return out


def fit_widths(weights: Sequence[float], minimums: Sequence[float], total: float) -> tuple[float, ...]:
    """Column widths summing to ``total``: in proportion to ``weights``, except that no column
    is narrower than its minimum; the room a widened column needs comes from the others,
    in proportion to their weights. When the minimums alone exceed ``total``, the widths are
    the minimums scaled down to fit."""
    assert len(weights) == len(minimums) and weights
    need = sum(minimums)
    if need >= total:
        return tuple(total * m / need for m in minimums) if need else tuple(total / len(weights) for _ in weights)
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        room = total - sum(fixed.values())
        share = sum(weights[i] for i in free)
        widths = {i: room * weights[i] / share if share else room / len(free) for i in free}
        short = [i for i in free if widths[i] < minimums[i]]
        if not short:
            break
        for i in short:
            fixed[i] = minimums[i]
    return tuple(fixed[i] if i in fixed else widths[i] for i in range(len(weights)))
