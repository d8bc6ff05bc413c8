"""The goals block: two texts side by side (or one above the other) under their labels.

Target and declaration forms print 项目总目标 (its label may carry the period,
``项目总目标（2023-2025年）``) beside 年度总体目标; self-evaluation forms print
预期目标 beside 实际完成情况; monitoring forms 年度总体目标 beside its 执行情况
(:func:`read_monitor_goals`). A row with two text cells gives one line to each;
a row with one cell gives it to the side whose label column it sits under.
The block's own caption (项目绩效目标, 年度 / 总体目标 …) is used and not read.

Planning forms are printed in more ways than that, and each is read by what it says:

* the period on a line of its own, above or beside the texts (``(2023年-2023年)``,
  ``（2023年 - 2023年）``, ``2023年-2025年``) is the 起止年度, not a line of text;
* a label glued to its text (``年度总目标为切实加强…``, ``项目总目标：…``) names
  the side of that text, and is stripped from it;
* labels one above the other (``年度总目标``, its text, then ``项目总目标``, its
  text) give each text to the label above it, in whatever order they come;
* when the 年度总目标 label is not printed and only the annual goal can hold a
  text (a second column, or a second text under the first), it goes there, with
  a remark saying what was inferred; a text is never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.importer.cells import squeeze
from jixiao.importer.ledger import Ledger
from jixiao.importer.sources import SourceCell, SourceRow
from jixiao.model.vocab import FormKind

# A period as printed: 2023年-2025年, 2023-2025年, 2023.1-2023.12; brackets and spaces around it optional.
_SPAN = (r"(\d{4})\s*((?:[.．]\s*\d{1,2})?)\s*年?\s*[-—–~～至到]\s*"
         r"(\d{4})\s*((?:[.．]\s*\d{1,2})?)\s*年?")
_PERIOD = re.compile(rf"[（(]?\s*{_SPAN}\s*[)）]?")
# A goal label at the start of a cell, with the period it may carry and what joins it to a text
# glued to it (项目总目标：…, 年度总目标为…). Spaces are wrap artefacts anywhere in it.
_LABEL = re.compile(
    r"\s*(?P<label>项\s*目\s*总\s*目\s*标|年\s*度\s*总\s*体?\s*目\s*标|年\s*度\s*目\s*标)"
    rf"\s*(?P<period>[（(]?\s*{_SPAN}\s*[)）]?)?\s*(?P<join>[：:]|为(?!止))?\s*")
# A bracket right after a label that is not a period (项目总目标（2023年度）): the label's, not the text's.
_ASIDE = re.compile(r"([（(][^（()）\n]{0,8}\d{4}[^（()）\n]{0,12}[)）])\s*(?:[：:]|为(?!止))?\s*")
_SQUEEZED_LABEL = re.compile(r"项目总目标|年度总体?目标|年度目标")
_CAPTIONS = {"项目绩效目标", "绩效目标"}
_SE_CAPTIONS = {"年度", "总体目标", "年度总体目标"}
_ACHIEVED = "实际完成情况"
_EXPECTED = "预期目标"
FIRST, SECOND = "first", "second"
_INFERRED = "没有印「年度总目标」标签，推定这段文字是年度总体目标，请核对"
_UNSPLIT = "没有印「年度总目标」标签，分不清哪段是年度总体目标，都读入项目总目标，请核对"


@dataclass
class Goals:
    """The two goal texts as written, one line per row of the table."""

    first: list[str] = field(default_factory=list)  # 项目总目标 内容, or 预期目标
    second: list[str] = field(default_factory=list)  # 年度总体目标, or 实际完成情况
    period: tuple[int, int] | None = None  # 项目总目标's 起止年度, when the table prints them
    annual_label: str = "年度总体目标"  # how the form names the annual goal (年度总目标: variant C)


def is_goal_label(text: str, form: FormKind) -> bool:
    """A label (or the block's caption) that opens the goals block; ``text`` is squeezed."""
    if form is FormKind.SELF_EVAL:
        return text == _EXPECTED
    if form is FormKind.MONITOR:  # the whole label: a 原因说明 above may open with the same words
        return text == _ANNUAL or text in _CAPTIONS
    return text in _CAPTIONS or _SQUEEZED_LABEL.match(text) is not None


@dataclass
class _Text:
    cell: SourceCell
    text: str
    row: int  # index of its row in the block
    side: str | None = None  # named by a label glued to it


@dataclass
class _Label:
    row: int
    col: int


class _GoalReader:
    def __init__(self, form: FormKind, ledger: Ledger) -> None:
        self.planning = form is not FormKind.SELF_EVAL
        self.captions = _CAPTIONS if self.planning else _SE_CAPTIONS
        self.ledger = ledger
        self.goals = Goals()
        self.labels: dict[str, _Label] = {}
        self.texts: list[_Text] = []
        self.widths: dict[int, int] = {}  # row → its cells other than the caption

    def row(self, n: int, row: SourceRow) -> None:
        self.widths[n] = len(row.cells)
        for cell in row.cells:
            t = squeeze(cell.text)
            if t in self.captions:
                self.widths[n] -= 1
                self.ledger.use(cell)
            elif self.planning:
                self._planning_cell(n, cell)
            elif t in (_EXPECTED, _ACHIEVED):
                self.labels.setdefault(FIRST if t == _EXPECTED else SECOND, _Label(n, cell.col))
                self.ledger.use(cell)
            else:
                self.texts.append(_Text(cell, cell.text, n))

    def _planning_cell(self, n: int, cell: SourceCell) -> None:
        text = cell.text
        if self._period(text, cell):
            self.ledger.use(cell)
            return
        m = _LABEL.match(text)
        if m is not None and _loose_words(m, text):
            m = None
        side = None
        if m is not None:
            name = re.sub(r"\s+", "", m["label"])
            side = FIRST if name == "项目总目标" else SECOND
            if side not in self.labels:
                self.labels[side] = _Label(n, cell.col)
                if side == SECOND:
                    self.goals.annual_label = name
            if m["period"] is not None:
                self._period(m["period"], cell)
            text = text[m.end():]
            aside = _ASIDE.match(text) if m["period"] is None and m["join"] is None else None
            if aside is not None:  # 项目总目标（2023年度）: part of the label, but no period to read
                self.ledger.note(cell, f"标签后的「{aside[1]}」不是起止年度，未导入")
                text = text[aside.end():]
        lines = text.split("\n")
        if side in (None, FIRST) and len(lines) > 1 and self._period(lines[0], cell):
            text = "\n".join(lines[1:])  # the period on the first line of the text's own cell
        if text.strip():
            self.texts.append(_Text(cell, text.strip(), n, side))  # used when placed
        else:
            self.ledger.use(cell)

    def _period(self, text: str, cell: SourceCell) -> bool:
        """Whether ``text`` is a period and nothing else; the first one read is 起止年度."""
        m = _PERIOD.fullmatch(text.strip())
        if m is None:
            return False
        period = (int(m[1]), int(m[3]))
        if self.goals.period is None:
            self.goals.period = period
            if m[2] or m[4]:
                self.ledger.note(cell, "起止年度写了月份，按年份读入")
        elif period != self.goals.period:
            start, end = self.goals.period
            self.ledger.note(cell, f"起止年度印了两个不同的，按先印的「{start}-{end}」读入")
        return True

    # -- placing the texts ---------------------------------------------------------------------

    def finish(self) -> Goals:
        first, second = self.labels.get(FIRST), self.labels.get(SECOND)
        loose: list[_Text] = []  # texts that only the missing annual label could have claimed
        if first is not None and second is not None and self._stacked_labels(first, second):
            self._stacked()
        else:
            for row in sorted({t.row for t in self.texts}):
                loose += self._columns([t for t in self.texts if t.row == row])
        if loose:
            self._infer(loose)
        return self.goals

    def _stacked_labels(self, first: _Label, second: _Label) -> bool:
        """Labels one above the other: on different rows, in one column or each alone on its row.

        A label glued to a text in a later row beside the other goal's text
        (``两年内… | 年度总体目标：…``) is still side by side.
        """
        if first.row == second.row:
            return False
        return first.col == second.col or self.widths.get(first.row) == self.widths.get(second.row) == 1

    def _add(self, side: str, text: _Text) -> None:
        (self.goals.first if side == FIRST else self.goals.second).append(text.text)
        self.ledger.use(text.cell)

    def _stacked(self) -> None:
        """Labels one above the other: a text belongs to the label on its row or the last one above."""
        marks = sorted((label.row, side) for side, label in self.labels.items())
        for text in self.texts:
            above = [side for row, side in marks if row <= text.row]
            self._add(text.side or (above[-1] if above else marks[0][1]), text)

    def _columns(self, texts: list[_Text]) -> list[_Text]:
        """One row's texts placed under the labels' columns; those only inference can place are returned."""
        for text in texts:
            if text.side is not None:
                self._add(text.side, text)
        texts = [t for t in texts if t.side is None]
        if not texts:
            return []
        first, second = self.labels.get(FIRST), self.labels.get(SECOND)
        # The sides left to right: by their labels' columns; 项目总目标 first where a label is missing.
        order = [SECOND, FIRST] if first and second and second.col < first.col else [FIRST, SECOND]
        if len(texts) >= 2:  # one text for each side (a third in between is left unplaced)
            self._add(order[0], texts[0])
            self._add(order[1], texts[-1])
            if second is None and self.planning:
                self.ledger.note(texts[-1].cell, _INFERRED)
            return []
        if second is not None:
            right = self.labels[order[1]]
            self._add(order[1] if texts[0].cell.col >= right.col else order[0], texts[0])
            return []
        return texts

    def _infer(self, loose: list[_Text]) -> None:
        """Texts without the annual label to tell their side: the annual goal takes what only it can hold."""
        if self.goals.second or not self.planning:
            for text in loose:
                self._add(FIRST, text)
            return
        left = min(t.cell.col for t in loose)
        first = self.labels.get(FIRST)
        base = min(left, first.col) if first is not None else left
        if any(t.cell.col > base for t in loose) and any(t.cell.col == base for t in loose):
            for text in loose:  # a second column of text: the annual goal's, though unlabelled
                self._add(SECOND if text.cell.col > base else FIRST, text)
                if text.cell.col > base:
                    self.ledger.note(text.cell, _INFERRED)
            return
        if len(loose) == 2 and not self.goals.first:
            self._add(FIRST, loose[0])
            self._add(SECOND, loose[1])
            self.ledger.note(loose[1].cell, _INFERRED)
            return
        if len(loose) > 2:
            self.ledger.note(loose[0].cell, _UNSPLIT)
        for text in loose:
            self._add(FIRST, text)


def _loose_words(m: re.Match[str], text: str) -> bool:
    """``年度目标任务…``: words that open a text, not the short label 年度目标 glued to it."""
    name = re.sub(r"\s+", "", m["label"])
    return name == "年度目标" and m["join"] is None and m["period"] is None and bool(text[m.end():].strip())


def read_goals(labels: SourceRow | None, rows: Iterable[SourceRow], form: FormKind, ledger: Ledger) -> Goals:
    reader = _GoalReader(form, ledger)
    for n, row in enumerate([labels, *rows] if labels is not None else rows):
        reader.row(n, row)
    return reader.finish()


# -- monitoring forms ---------------------------------------------------------------------------

_PROGRESS = re.compile(r".{0,16}执行情况")
_ANNUAL = "年度总体目标"


def read_monitor_goals(labels: SourceRow | None, rows: Iterable[SourceRow], ledger: Ledger) -> Goals:
    """年度总体目标 beside its 执行情况 (headed with the period, 1-7月执行情况): ``first`` and ``second``.

    The block's caption is printed as 年度总体目标 too, left of the label of the same
    words; a text belongs to the side whose label column it sits under, and of two
    texts in a row the left one is the goal.
    """
    goals = Goals()
    progress_col: int | None = None
    for cell in labels.cells if labels is not None else ():
        t = squeeze(cell.text)
        if t == _ANNUAL or t in _CAPTIONS:
            ledger.use(cell)
        elif _PROGRESS.fullmatch(t):
            progress_col = cell.col
            ledger.use(cell)
    for row in rows:
        texts = [c for c in row.cells if c.text.strip()]
        if len(texts) >= 2:
            placed = [(goals.first, texts[0]), (goals.second, texts[-1])]
        elif texts:
            right = progress_col is not None and texts[0].col >= progress_col
            placed = [(goals.second if right else goals.first, texts[0])]
        else:
            placed = []
        for side, cell in placed:
            side.append(cell.text.strip())
            ledger.use(cell)
    return goals
