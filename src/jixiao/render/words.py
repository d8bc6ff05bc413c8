"""Where printed text may break: words of names and labels, figures that never break.

Chinese text may break between any two characters, which is right for running
text but wrong for the short things a form prints in narrow columns: an amount
(``92.56``), a percentage (``=100%``), a label (``数量指标`` must not become
``数量指`` / ``标``), a name (``上海市公安局崇明分局(汇总)`` must not break
inside ``(汇总)``). This module cuts such texts into *words*, the pieces a line
may break between; the writers keep each word whole (HTML: a ``nowrap`` span;
Word, which has no such thing: a line break placed between words, see
``render/docx.py``) and the layout makes columns wide enough for their widest
word (``render/measure.py``).

There is no dictionary of Chinese here: names break after the parts of an
address or an organisation (``…市``, ``…区``, ``…镇``, ``…局``, ``…办公室``,
``…中心``), labels between the morphemes of the indicator vocabulary, and a
piece longer than :data:`LONGEST_WORD` characters is left breakable anywhere,
as Chinese text normally is.
"""

from __future__ import annotations

import re

# A word longer than this is not kept whole: a narrow column could not hold it.
LONGEST_WORD = 8

# A value that is a number: an amount, a score, a percentage, with a comparator
# (``=100%``, ``>=90%``, ``≥95%``, ``4.9``, ``5,254,900``); printed without a break.
_FIGURE = re.compile(r"[=＝<>＜＞≤≥]{0,2}\s?[-+]?\d[\d,]*(?:\.\d+)?\s?%?")


def is_figure(text: str) -> bool:
    return bool(_FIGURE.fullmatch(text.strip())) if text else False


# A figure inside running text: a date (2025年11月, 2026.1.1), an amount, a percentage.
_FIGURE_IN_TEXT = re.compile(
    r"(?<![\d.,])(?:\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}(?:[.\-/]\d{1,2}){1,2}(?![\d.])"
    r"|[=＝<>＜＞≤≥]{0,2}\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[=＝<>＜＞≤≥]{0,2}\d+(?:\.\d+)?%?)(?!\d)")


def text_words(text: str) -> tuple[str, ...]:
    """Running text with its figures as words (``同比减少``, ``58%``; ``2025年11月``): a line
    breaks anywhere else, as Chinese text does, but not inside a date or a number."""
    out: list[str] = []
    at = 0
    for m in _FIGURE_IN_TEXT.finditer(text):
        out.extend(text[at:m.start()])
        out.append(m.group())
        at = m.end()
    out.extend(text[at:])
    return tuple(out)


# -- labels ---------------------------------------------------------------------------------------

# The words of the indicator vocabulary (model/vocab.py FRAMEWORK, LEVEL1_ALIASES) and of the
# forms' own labels: 服务对象|满意度|指标, 可持续|影响|指标, 偏差原因|分析|及|改进措施 …
# Longest first, so 指标值 wins over 指标.
_LABEL_WORDS = tuple(sorted((
    "服务对象", "生态环境", "满意度", "可持续", "指标", "目标", "效益", "效果", "成本", "影响", "数量", "质量", "时效",
    "产出", "经济", "社会", "生态", "绩效", "项目", "资金", "总体", "年度", "一级", "二级", "三级", "指标值", "实际",
    "完成值", "完成", "情况", "偏差原因", "分析", "改进措施", "年初", "全年", "预算数", "执行数", "执行率", "分值",
    "得分", "预期", "总目标", "自评", "等级", "其中", "当年", "财政", "拨款", "上年", "结转", "其他", "申请", "总额"),
    key=len, reverse=True))


def label_words(text: str) -> tuple[str, ...]:
    """``服务对象满意度指标`` → ``服务对象``, ``满意度``, ``指标``; other characters one by one."""
    out: list[str] = []
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            out.append("\n")
        i = 0
        while i < len(line):
            bracket = _BRACKET.match(line, i)
            if bracket:
                out.append(bracket.group())
                i = bracket.end()
                continue
            word = next((w for w in _LABEL_WORDS if line.startswith(w, i)), line[i])
            out.append(word)
            i += len(word)
    return tuple(out)


def bracket_words(text: str) -> tuple[str, ...]:
    """A column header: every character breakable except a bracketed part
    (``项目资金总额（万元）`` never breaks inside ``（万元）``)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        bracket = _BRACKET.match(text, i)
        word = bracket.group() if bracket else text[i]
        out.append(word)
        i += len(word)
    return tuple(out)


def pieces(words: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """(text, keep whole) of each word, for a template: a word of several characters is
    kept whole; a single character, a space or a line break is not a word to keep."""
    return tuple((w, len(w) > 1 and not w.isspace()) for w in words)


# -- names ----------------------------------------------------------------------------------------

_BRACKET = re.compile(r"[（(][^（）()\n]{1,14}[）)]")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/]*")
# Where a part of a name ends: longest first, so 办公室 wins over 办 and 人民政府 over 政府.
_NAME_ENDS = ("人民政府", "办公室", "委员会", "中心", "分局", "街道", "政府", "条线", "单位", "社区", "公司")
_NAME_END_CHARS = "省市区县镇乡村局所办队站"


def name_words(text: str) -> tuple[str, ...]:
    """``上海市公安局崇明分局(汇总)`` → ``上海市``, ``公安局``, ``崇明分局(汇总)``.

    A bracketed part is one word, joined to the word before it when both fit in one;
    Latin letters and digits stay together; a part longer than :data:`LONGEST_WORD`
    breaks anywhere.
    """
    parts: list[str] = []
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            parts.append("\n")
        parts.extend(_name_parts(line))
    out: list[str] = []
    for part in parts:
        if part == "\n" or len(part) <= LONGEST_WORD or (_LATIN.fullmatch(part) and len(part) <= 2 * LONGEST_WORD):
            out.append(part)  # a code such as 2040219KJ stays whole, as Latin text does anyway
        else:
            out.extend(part)
    return tuple(out)


def _name_parts(line: str) -> list[str]:
    parts: list[str] = []
    current = ""
    i = 0

    def close() -> None:
        nonlocal current
        if current:
            parts.append(current)
            current = ""

    while i < len(line):
        bracket = _BRACKET.match(line, i)
        latin = _LATIN.match(line, i)
        if bracket:
            if current and len(current) + len(bracket.group()) <= LONGEST_WORD:
                current += bracket.group()
            elif parts and not current and parts[-1] != "\n" and \
                    len(parts[-1]) + len(bracket.group()) <= LONGEST_WORD:
                parts[-1] += bracket.group()
            else:
                close()
                parts.append(bracket.group())
            close()
            i = bracket.end()
            continue
        if latin:
            close()
            parts.append(latin.group())
            i = latin.end()
            continue
        if line[i].isspace():
            close()
            parts.append(line[i])
            i += 1
            continue
        end = next((e for e in _NAME_ENDS if line.startswith(e, i)), None)
        if end is not None:
            current += end
            i += len(end)
            close()
            continue
        current += line[i]
        i += 1
        if line[i - 1] in _NAME_END_CHARS:
            close()
    close()
    return parts


# -- titles ---------------------------------------------------------------------------------------

_YEAR = re.compile(r"\d{4}\s?年度?")
_TITLE_WORDS = ("项目支出", "财政项目支出", "绩效目标申报表", "绩效目标表", "绩效自评表", "预算公开", "决算公开")


def title_words(title: str, department: str = "") -> tuple[str, ...]:
    """A title's words: the department, the year, the form's name, each kept whole.

    ``闵行区浦江镇人民政府2026年度项目支出绩效目标表`` breaks only after the department
    or the year: ``闵行区浦江镇人民政府`` · ``2026年度`` · ``项目支出绩效目标表``.
    """
    out: list[str] = []
    rest = title
    if department and rest.startswith(department):
        out.extend([department] if len(department) <= 2 * LONGEST_WORD else name_words(department))
        rest = rest[len(department):]
    year = _YEAR.search(rest)
    if year:
        out.extend(_title_rest(rest[:year.start()]))
        out.append(year.group())
        rest = rest[year.end():]
    out.extend(_title_rest(rest))
    return tuple(w for w in out if w)


def _title_rest(text: str) -> list[str]:
    """The form's name whole when short; otherwise its known words whole, the rest breakable."""
    if len(text) <= 2 * LONGEST_WORD:
        return [text]
    out: list[str] = []
    i = 0
    while i < len(text):
        word = next((w for w in _TITLE_WORDS if text.startswith(w, i)), text[i])
        out.append(word)
        i += len(word)
    return out
