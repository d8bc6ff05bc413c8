"""Parsing the scalar values a spec holds, from their exact source text.

Nothing here ever goes through ``float``: money, scores and rates are
``Decimal`` built from the characters the author typed, so ``0.30`` keeps its
two decimals and ``89.41`` is exactly 89.41.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from jixiao.model.vocab import MoneyUnit

# A plain decimal, optionally with thousands separators as printed forms use them
# (``12,690,000.00``). Signs are accepted so that "negative" can be reported by a rule
# rather than as unreadable text.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


class ValueParseError(ValueError):
    """The text is not a value of the expected kind; the message is Chinese."""


def parse_decimal(text: str) -> Decimal:
    """``"3,082.53"`` → ``Decimal("3082.53")``; keeps trailing zeros."""
    cleaned = text.strip().replace("，", ",")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueParseError(f"「{text.strip()}」不是数字")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise ValueParseError(f"「{text.strip()}」不是数字") from exc


# Beyond these no form is plausible, and exact arithmetic on them would overflow the
# decimal context (28 digits) when scores and rates are rounded.
MAX_SCORE = Decimal(1000)
MAX_MONEY = Decimal(10) ** 15


def parse_score(text: str) -> Decimal:
    """分值 and 得分: a plain decimal of at most 1000 points."""
    value = parse_decimal(text)
    if abs(value) > MAX_SCORE:
        raise ValueParseError(f"「{text.strip()}」分不合理：一张表总共 100 分，单项不会超过 {MAX_SCORE}")
    return value


# ``120.35万元``, ``498,000 元``: the unit typed after the number, as a clerk would in Word.
_WITH_UNIT = re.compile(r"(.*?\d)\s*(万元|元|万)\s*")


def parse_money(text: str) -> Decimal:
    typed = _WITH_UNIT.fullmatch(text.strip())
    if typed and _NUMBER.fullmatch(typed.group(1).replace("，", ",")):
        unit = "万元" if typed.group(2) == "万" else typed.group(2)
        raise ValueParseError(f"「{text.strip()}」带了单位：去掉单位「{typed.group(2)}」，只写 {typed.group(1)}；"
                              f"单位写在「项目资金」的「单位」或 _defaults.yaml 的「金额单位」（{unit}）")
    value = parse_decimal(text)
    if abs(value) >= MAX_MONEY:
        raise ValueParseError(f"「{text.strip()}」大得不合理（不少于 10 的 15 次方）；请核对单位和位数")
    return value


def has_leading_zero(text: str) -> bool:
    """``05`` or ``007.5``: legal here, but an octal in YAML 1.1 and usually a slip."""
    t = text.strip().lstrip("+-")
    return len(t) > 1 and t[0] == "0" and t[1].isdigit()


def parse_percent(text: str) -> Decimal:
    """``"100.00%"`` → ``Decimal("100.00")`` (the number of percent)."""
    t = text.strip().replace("％", "%")
    if not t.endswith("%"):
        raise ValueParseError(f"「{text.strip()}」不是百分比（如 100.00%）")
    return parse_decimal(t[:-1])


_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*/\s*(\d{1,2})\s*/\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)


def parse_date(text: str) -> date:
    """A calendar date in any style seen on the forms: 2026-01-01, 2026.1.1, 2026年1月1日."""
    t = text.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(t)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError as exc:
                raise ValueParseError(f"「{t}」不是有效日期（{y}年没有{mo}月{d}日）") from exc
    raise ValueParseError(f"「{t}」不是完整日期；请写成 2026-01-01 这样的年月日")


def parse_year(text: str) -> int:
    t = text.strip().removesuffix("年").strip()
    if not re.fullmatch(r"\d{4}", t) or not 1990 <= int(t) <= 2100:
        raise ValueParseError(f"「{text.strip()}」不是年度（如 2026）")
    return int(t)


def parse_period(text: str) -> tuple[int, int]:
    """``2025-2026`` / ``2025年-2026年`` / ``2026`` → (first year, last year)."""
    t = text.strip().replace("－", "-").replace("—", "-").replace("至", "-").replace("~", "-")
    parts = [p for p in t.split("-")]
    if len(parts) == 1:
        y = parse_year(parts[0])
        return y, y
    if len(parts) == 2:
        return parse_year(parts[0]), parse_year(parts[1])
    raise ValueParseError(f"「{text.strip()}」不是起止年度（如 2025-2026）")


# -- indicator values (FORMS.md §6) -----------------------------------------------------------

_COMPARATORS = {
    "＝": "=", "=": "=", "≥": ">=", ">=": ">=", "≧": ">=", "＞": ">", ">": ">",
    "≤": "<=", "<=": "<=", "≦": "<=", "＜": "<", "<": "<",
}
_COMPARATOR_RE = re.compile(r"^(>=|<=|≥|≤|≧|≦|＝|=|＞|>|＜|<)\s*")
_WORD_COMPARATORS = (("不低于", ">="), ("不少于", ">="), ("不超过", "<="), ("不高于", "<="),
                     ("达到", ">="), ("大于", ">"), ("小于", "<"), ("低于", "<"))
_SUFFIX_COMPARATORS = (("以上", ">="), ("以内", "<="), ("以下", "<="), ("内", "<="))
# LaTeX that PDF-to-markdown converters write for a value's comparator and percent sign
# ($\geq 85\%$, $\ge$ 90%, $>$95%): read as the signs they print, the text kept as written.
_LATEX_SIGNS = {"geqslant": "≥", "geq": "≥", "ge": "≥", "leqslant": "≤", "leq": "≤", "le": "≤",
                "gt": ">", "lt": "<", "%": "%"}
_LATEX_SIGN = re.compile(r"\\(geqslant|leqslant|geq|leq|ge|le|gt|lt|%)(?![A-Za-z])")
_LATEX_WRAPPER = re.compile(r"\\(?:text|mathrm|rm|mathit)\s*\{([^{}]*)\}")
_LATEX_SPACE = re.compile(r"\\[,;:! ]|\\q?quad(?![A-Za-z])|[{}]")
_LATEX_MATH = re.compile(r"\$([^$]*)\$")
_LEADING_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*)$", re.S)
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """An indicator value as written, and what could be read from it.

    ``text`` is kept exactly for printing; ``comparator``/``number``/``unit``
    are filled when the value is quantitative (``≥90%``, ``360岗``, ``24小时内``).
    """

    text: str
    comparator: str | None = None  # one of = >= > <= <
    number: Decimal | None = None
    unit: str = ""

    @property
    def quantitative(self) -> bool:
        return self.number is not None

    @property
    def is_percent(self) -> bool:
        return self.unit.startswith("%")

    def years(self) -> list[int]:
        """Calendar years named in the text (``2024年1月10日`` → [2024])."""
        return [int(y) for y in _YEAR_IN_TEXT.findall(self.text)]


def without_latex(text: str) -> str:
    """``$\\geq 85\\%$`` → ``≥ 85%``: LaTeX math as the signs it prints; other text unchanged."""
    if "\\" not in text and "$" not in text:
        return text

    def signs(math: str) -> str:
        math = _LATEX_WRAPPER.sub(r"\1", _LATEX_SIGN.sub(lambda m: _LATEX_SIGNS[m.group(1)], math))
        return _LATEX_SPACE.sub(" ", math)

    if "$" in text:
        text = _LATEX_MATH.sub(lambda m: signs(m.group(1)), text)
    return signs(text) if _LATEX_SIGN.search(text) else text


@functools.lru_cache(maxsize=4096)  # the same few values ("100%", "及时") recur in every table
def parse_indicator_value(text: str) -> IndicatorValue:
    """Read comparator, number and unit where the value has them (LaTeX comparators
    such as ``$\\geq 85\\%$`` included: :func:`without_latex`); never fails."""
    raw = text
    t = without_latex(text).strip().replace("％", "%").replace("（", "(").replace("）", ")")
    comparator: str | None = None
    m = _COMPARATOR_RE.match(t)
    if m:
        comparator = _COMPARATORS[m.group(1)]
        t = t[m.end():]
    else:
        for word, op in _WORD_COMPARATORS:
            if t.startswith(word):
                comparator, t = op, t[len(word):].strip()
                break
    m = _LEADING_NUMBER.match(t)
    if not m:
        return IndicatorValue(raw)
    number = Decimal(m.group(1).replace(",", ""))
    unit = m.group(2).strip()
    if unit == "(百分比)":  # "=100.00(百分比)" as some systems export it
        unit = "%"
    for suffix, op in _SUFFIX_COMPARATORS:
        # 「达到80%以上」 says it twice: the suffix is never part of the unit.
        if unit.endswith(suffix):
            comparator, unit = comparator or op, unit[: -len(suffix)].strip()
            break
    # A value that is a number followed by a sentence ("2022年竣工") is a date or
    # a description, not a measurable target.
    if unit.startswith("年") and len(m.group(1)) == 4:
        return IndicatorValue(raw)
    return IndicatorValue(raw, comparator or "=", number, unit)


def fmt(number: Decimal) -> str:
    """An exact decimal as plain text: never ``1E+2``. A blank cell is not a number: callers
    say what it means — ``fmt(zero(x))`` where a blank counts as 0 (arithmetic messages),
    ``render.formatting`` where it prints blank."""
    return format(number, "f")


def convert(amount: Decimal, source: MoneyUnit | None, target: MoneyUnit) -> Decimal:
    """An amount in ``source`` units (``None``: already in ``target``) in ``target`` units,
    exactly: 1 万元 = 10000 元, so 4.0344 万元 is 40344.0000 元 (``normalize`` to drop zeros)."""
    if source is None or source is target:
        return amount
    return amount / _TEN_THOUSAND if target is MoneyUnit.WAN else amount * _TEN_THOUSAND


_TEN_THOUSAND = Decimal(10000)


def zero(number: Decimal | None) -> Decimal:
    """A blank amount cell means 0 for arithmetic (FORMS.md §4)."""
    return Decimal(0) if number is None else number
