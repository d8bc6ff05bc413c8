"""The goals block: two texts side by side under a row of labels.

Target and declaration forms print 项目总目标 (its label may carry the period,
``项目总目标（2023-2025年）``) beside 年度总体目标; self-evaluation forms print
预期目标 beside 实际完成情况. A row with two text cells gives one line to each;
a row with one cell gives it to the side whose label column it sits under.
The block's own caption (项目绩效目标, 年度 / 总体目标 …) is used and not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.importer.cells import squeeze
from jixiao.importer.ledger import Ledger
from jixiao.importer.sources import SourceRow
from jixiao.model.vocab import FormKind

_PERIOD = re.compile(r"（(\d{4})((?:[.．]\d{1,2})?)年?[-—–~至](\d{4})((?:[.．]\d{1,2})?)年?）")
_CAPTIONS = {"项目绩效目标", "绩效目标"}
_SE_CAPTIONS = {"年度", "总体目标", "年度总体目标"}
_ANNUAL_LABELS = {"年度总体目标", "年度总目标", "年度目标"}
_ACHIEVED = "实际完成情况"
_EXPECTED = "预期目标"


@dataclass
class Goals:
    """The two goal texts as written, one line per row of the table."""

    first: list[str] = field(default_factory=list)  # 项目总目标 内容, or 预期目标
    second: list[str] = field(default_factory=list)  # 年度总体目标, or 实际完成情况
    period: tuple[int, int] | None = None  # 项目总目标's 起止年度, when its label gives them
    annual_label: str = "年度总体目标"  # how the form names the annual goal (年度总目标: variant C)


def is_goal_label(text: str, form: FormKind) -> bool:
    """A label that opens the goals block."""
    if form is FormKind.SELF_EVAL:
        return text == _EXPECTED
    return text.startswith("项目总目标") or text in _ANNUAL_LABELS


def read_goals(labels: SourceRow | None, rows: Iterable[SourceRow], form: FormKind, ledger: Ledger) -> Goals:
    captions = _SE_CAPTIONS if form is FormKind.SELF_EVAL else _CAPTIONS
    goals = Goals()
    columns = _label_columns(labels, captions, goals, ledger) if labels is not None else {}
    for row in rows:
        texts = []
        for cell in row.cells:
            if squeeze(cell.text) in captions:
                ledger.use(cell)
            else:
                texts.append(cell)
        if len(texts) == 1:
            split = columns.get("second")
            side = goals.second if split is not None and texts[0].col >= split else goals.first
            side.append(texts[0].text)
            ledger.use(texts[0])
        elif len(texts) >= 2:
            goals.first.append(texts[0].text)
            goals.second.append(texts[-1].text)
            ledger.use(texts[0], texts[-1])
    return goals


def _label_columns(row: SourceRow, captions: set[str], goals: Goals, ledger: Ledger) -> dict[str, int]:
    """The column of each side's label (``first``, ``second``); the period and annual label on the way."""
    cols: dict[str, int] = {}
    for cell in row.cells:
        t = squeeze(cell.text)
        if t in captions:
            pass
        elif t.startswith("项目总目标"):
            m = _PERIOD.search(t)
            if m:
                goals.period = (int(m[1]), int(m[3]))
                if m[2] or m[4]:
                    ledger.note(cell, "起止年度写了月份，按年份读入")
            cols["first"] = cell.col
        elif t in _ANNUAL_LABELS or t == _ACHIEVED:
            cols["second"] = cell.col
            if t != _ACHIEVED:
                goals.annual_label = t
        elif t == _EXPECTED:
            cols["first"] = cell.col
        else:
            continue
        ledger.use(cell)
    return cols
