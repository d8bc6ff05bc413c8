"""A number cell of a workbook as Excel shows it: its stored value through its number format.

Excel stores a number as the text of a binary float (``89.41000000000001`` for
what a clerk typed as 89.41 and a program computed), and shows it through the
cell's number format (``0.00`` → ``89.41``). The form means what is shown, so
that is what is imported. The value is read as a :class:`~decimal.Decimal` from
the stored text — never through a float — and, as Excel does, taken to 15
significant digits first: Excel never shows more, and the 16th and 17th digits
of the stored text are the float's noise (General shows ``89.41``, the shortest
text that is the same number to Excel).

Only what forms use is rendered: General, text (``@``), fixed decimals with or
without thousands separators, percentages, quoted literals around them, and
dates (``yyyy-mm-dd``, ``yyyy"年"m"月"d"日"`` …). Anything rarer (fractions,
scientific notation) is shown as General would show the value.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

_SIGNIFICANT = 15  # Excel's precision: what it shows and computes with
_BRACKETS = re.compile(r"\[[^\]]*\]")  # [Red], [$-804], [>=100]
_QUOTED = re.compile(r'"([^"]*)"')
_PADDING = re.compile(r"_.|\*.")  # _) pads with the width of ")", *- repeats "-": layout only


def format_code(num_fmt_id: int, custom: dict[int, str]) -> str:
    """The format code of a style's numFmtId: the workbook's own, else Excel's built-in one."""
    if num_fmt_id in custom:
        return custom[num_fmt_id]
    if num_fmt_id in (27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58):
        return "yyyy-mm-dd"  # the CJK-locale built-in dates (年月日), whose codes depend on the locale
    if num_fmt_id in (14, 22):  # the system's short date: what a Chinese Windows shows
        return "yyyy/m/d" if num_fmt_id == 14 else "yyyy/m/d h:mm"
    return BUILTIN_FORMATS.get(num_fmt_id, "General")


def excel_decimal(raw: str) -> Decimal | None:
    """The stored text as Excel holds the number: 15 significant digits; None if not a number."""
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if value.is_zero():
        return Decimal(0)
    shift = _SIGNIFICANT - value.adjusted() - 1
    return value.scaleb(shift).quantize(Decimal(1), ROUND_HALF_UP).scaleb(-shift)


def general(value: Decimal) -> str:
    """``89.41``, ``5254900``, ``0.5``: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def shown(raw: str, code: str, *, date1904: bool = False) -> str:
    """The text of a number cell whose stored value is ``raw`` and whose format is ``code``."""
    value = excel_decimal(raw)
    if value is None:
        return raw.strip()
    if is_date_format(code):
        return _date(value, code, date1904) or general(value)
    sections = code.split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value  # the negative section prints its own sign, if any
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    return _number(value, section)


def _number(value: Decimal, section: str) -> str:
    section = _BRACKETS.sub("", section)
    literals = _QUOTED.findall(section)
    body = _PADDING.sub("", _QUOTED.sub("\x00", section)).replace("\\", "")
    bare = re.sub("(?i)general|@", "\x01", body, count=1)
    if not re.search(r"[0#?]", bare):  # General or text, perhaps with literals around it
        return _with_literals(bare, general(value), literals, "")
    if "E+" in body.upper() or "/" in body:
        return general(value)
    digits = re.search(r"[0#?,.]*[0#?][0#?,.]*", body)
    if digits is None:
        return _with_literals(body, general(value), literals, "")
    pattern = digits.group()
    if "%" in body:
        value *= 100
    places = len(re.sub(r"[^0#?]", "", pattern.split(".", 1)[1])) if "." in pattern else 0
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    grouping = "," in pattern.split(".", 1)[0].strip(",")
    number = format(rounded, ",f" if grouping else "f")
    if number.startswith("-") and rounded.is_zero():
        number = number[1:]
    return _with_literals(body, number, literals, pattern)


def _with_literals(body: str, number: str, literals: list[str], pattern: str) -> str:
    """``body`` with its number pattern replaced by ``number`` and its quoted literals put back."""
    out = body.replace(pattern, "\x01", 1) if pattern else body
    for literal in literals:
        out = out.replace("\x00", literal, 1)
    return out.replace("\x01", number).strip()


_DATE_TOKENS = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dd|d|hh|h|ss|s|am/pm|a/p|\x00|.", re.IGNORECASE)


def _date(value: Decimal, code: str, date1904: bool) -> str | None:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    try:
        moment = base + timedelta(days=float(value))  # a date has no money in it: float is fine here
    except (OverflowError, ValueError):
        return None
    if not date1904 and value < 61:  # Excel's 1900 leap-year bug: serials before 1 March 1900
        moment += timedelta(days=1)
    section = _BRACKETS.sub("", code.split(";")[0])
    literals = _QUOTED.findall(section)
    body = _PADDING.sub("", _QUOTED.sub("\x00", section)).replace("\\", "")
    out: list[str] = []
    after_hour = False
    for token in _DATE_TOKENS.findall(body):
        low = token.lower()
        if low == "\x00":
            out.append(literals.pop(0) if literals else "")
        elif low == "yyyy":
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low in ("mm", "m") and after_hour:
            out.append(f"{moment.minute:02d}" if low == "mm" else str(moment.minute))
        elif low in ("mmmm", "mmm", "mm", "m"):
            out.append(f"{moment.month:02d}" if low == "mm" else str(moment.month))
        elif low in ("dd", "d"):
            out.append(f"{moment.day:02d}" if low == "dd" else str(moment.day))
        elif low in ("hh", "h"):
            out.append(f"{moment.hour:02d}" if low == "hh" else str(moment.hour))
        elif low in ("ss", "s"):
            out.append(f"{moment.second:02d}" if low == "ss" else str(moment.second))
        elif low in ("am/pm", "a/p"):
            out.append("上午" if moment.hour < 12 else "下午")
        else:
            out.append(token)
        # m after h (and before s) is minutes; any other token ends the time.
        after_hour = low in ("hh", "h") or (after_hour and low == ":")
    return "".join(out).strip()


def as_date(raw: str, date1904: bool = False) -> date | None:
    """A date-formatted cell's value as a date (for the flat workbook, where a date is a date)."""
    value = excel_decimal(raw)
    if value is None:
        return None
    text = _date(value, "yyyy-mm-dd", date1904)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
