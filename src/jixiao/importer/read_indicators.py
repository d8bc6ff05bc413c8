"""The indicator grid: 一级, 二级 and 三级 indicators, each row placed by what it says.

The grid's first two columns are vertically merged cells, which extractors print
once (in the group's first row, or in its middle) and leave the other rows short.
So a row is read from the left: a 一级 name if it starts with one, then a 二级
name if one follows, then the indicator; a row without its own 一级 or 二级
belongs to the last one seen. Names come from the vocabulary; a non-standard
name (效果目标) is recognised by the standard name that follows it. The same
vocabulary finds the grid when its header row is not printed (:func:`starts_grid`).

A 一级 column left blank (no 一级 printed before a standard 二级) is filled in
from the framework — 数量指标 is an 产出指标 — with a remark to confirm; a 一级
the table does print stays as printed even where the 二级 does not belong to it
(``check`` reports that), and a 一级 printed later in the middle of its merged
cell withdraws the remark.

On self-evaluation forms a page break can cut a row in two; the parts are joined
again (:meth:`_GridReader.join_page_split`). On monitoring forms, whose rows leave
blank cells out (偏差原因 blank beside its remedy), the cells after the name are
placed under the column heads of the page's head row. A group cut by a page break goes on
under its label marked 续 (``效益指标（续）``, as jixiao prints it): the label
without the mark continues the group. ``无 | 无`` is the form's way of saying "no
indicator here" and becomes the placeholder ``无``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.importer.cells import drop_numbering, squeeze
from jixiao.importer.ledger import Ledger, Remark
from jixiao.importer.read_funds import place_by_column
from jixiao.importer.sources import SourceCell, SourceRow
from jixiao.importer.values import is_number
from jixiao.model.vocab import FRAMEWORK, PLACEHOLDER, FormKind, parent_of_level2

L1_NAMES = frozenset(FRAMEWORK)
L2_NAMES = frozenset(n for names in FRAMEWORK.values() for n in names)
_LEVEL_LIKE = re.compile(r"[\u4e00-\u9fff]{2,8}(指标|目标)")
_HEAD = {"绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "年度（/项目）指标值",
         "年度（项目）指标值", "指标目标值", "指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"}
_GRADE = re.compile(r"(?:自评)?等级[：:]?\s*([优良中差])")
# A 一级 or 二级 label printed again after a page break: 效益指标（续）, 效益指标(续).
_CONTINUED = re.compile(r"[（(]续[）)]$")
_CAPTION = "绩效指标"
# The monitoring form's columns after the name, by the spec's keys; 实际完成值 is headed with the
# period (1-7月实际完成值), so a head is matched by its ending.
MONITOR_KEYS = ("年度指标值", "实际完成值", "全年预计完成值", "完成目标可能性", "偏差原因", "原因说明及纠偏措施")
_MONITOR_HEAD = re.compile(r"(?:.{0,16}(实际完成值)|(全年预计完成值|完成目标可能性|偏差原因|原因说明及纠偏措施))")
NO_LEVEL1 = "未填写一级指标"
NO_LEVEL2 = "未填写二级指标"


@dataclass
class Indicator:
    """One 三级 indicator as written; None where the form has no such column (or the row no such cell)."""

    name: str
    target: str  # 年度指标值
    actual: str | None = None  # 实际完成值 (self-evaluation forms, as all below)
    weight: str | None = None  # 分值
    score: str | None = None  # 得分
    deviation: str | None = None  # 偏差原因分析及改进措施
    # Monitoring forms: every column after 年度指标值, by the spec's key (blank ones as None).
    monitor: dict[str, str | None] | None = None


Level = dict[str, list[Indicator] | str]  # 二级 → its indicators, or PLACEHOLDER
Grid = dict[str, Level | str]  # 一级 → its 二级, or PLACEHOLDER


@dataclass
class Indicators:
    grid: Grid = field(default_factory=dict)
    value_label: str = ""  # the head of the value column (指标目标值 marks variant C)
    total: str | None = None  # 总分 (self-evaluation)
    grade: str | None = None  # 自评等级
    columns: dict[str, int] = field(default_factory=dict)  # monitoring forms: key → the column its head is in


def is_grid_head(labels: list[str]) -> bool:
    """The grid's header row (or its repeat after a page break)."""
    return "一级指标" in labels


def starts_grid(labels: list[str]) -> bool:
    """A row that can only be the grid's, for a table that prints no header row.

    The grid's caption on a row of its own (``绩效 指标``), or a row that starts
    with a 一级 name (standard, or level-like as 效果目标) followed by a standard
    二级 name, or with a standard 二级 name followed by an indicator and its value.
    Goal texts never are a bare vocabulary name, so the goals block ends there.
    """
    names = [_CONTINUED.sub("", t) for t in labels if t != _CAPTION]
    if not names:
        return bool(labels)
    if len(names) >= 3 and names[1] in L2_NAMES:
        return names[0] in L1_NAMES or _LEVEL_LIKE.fullmatch(names[0]) is not None
    return len(names) >= 3 and names[0] in L2_NAMES


def read_indicators(rows: Iterable[SourceRow], form: FormKind, ledger: Ledger) -> Indicators:
    reader = _GridReader(form, ledger)
    for row in rows:
        labels = [squeeze(c.text) for c in row.cells]
        if is_grid_head(labels):
            reader.head(row)
        elif labels[0] == "总分":
            reader.flush()
            reader.total(row)
        else:
            reader.row(row)
    reader.flush()
    return reader.out


class _GridReader:
    """Reads the grid row by row; the open 一级 and 二级 carry over to rows that lack their own."""

    def __init__(self, form: FormKind, ledger: Ledger) -> None:
        self.form = form
        self.ledger = ledger
        self.out = Indicators()
        self.cur1: str | None = None  # the 一级 and 二级 that rows without their own belong to
        self.cur2: str | None = None
        self.fragment: SourceRow | None = None  # the first part of a page-split row, held
        # The remark on a 一级 inferred from its 二级 (the 一级 column blank), while that group is open.
        self.inferred: Remark | None = None

    @property
    def grid(self) -> Grid:
        return self.out.grid

    def head(self, row: SourceRow) -> None:
        """Header labels only name the columns: rows are placed by what their cells say."""
        columns: dict[str, int] = {}
        for cell in row.cells:
            t = squeeze(cell.text)
            m = _MONITOR_HEAD.fullmatch(t) if self.form is FormKind.MONITOR else None
            if m is not None:
                columns[m[1] or m[2]] = cell.col
                self.ledger.use(cell)
            elif t in _HEAD:
                self.ledger.use(cell)
                if "指标值" in t:
                    self.out.value_label = self.out.value_label or t
                    columns["年度指标值"] = cell.col
        if self.form is FormKind.MONITOR:
            # Each page's repeated head row gives that page's columns (a PDF's differ per page).
            self.out.columns = columns

    def total(self, row: SourceRow) -> None:
        """``总分 | 100 | 95 | 等级：优``: the last number is the score; the grade where it is printed."""
        self.ledger.use(row.cells[0])
        numbers = [c for c in row.cells[1:] if is_number(c)]
        for cell in row.cells[1:]:
            m = _GRADE.fullmatch(squeeze(cell.text))
            if m:
                self.out.grade = m.group(1)
                self.ledger.use(cell)
        if numbers:
            self.out.total = numbers[-1].text
            self.ledger.use_all(numbers[-2:])

    def flush(self) -> None:
        """A held part that no continuation followed: read it as the (incomplete) row it is."""
        if self.fragment is not None:
            fragment, self.fragment = self.fragment, None
            self.row(fragment, joinable=False)

    # -- one row ------------------------------------------------------------------------------

    def row(self, source: SourceRow, joinable: bool = True) -> None:
        row = self.join_page_split(source) if joinable and self.form is FormKind.SELF_EVAL else source
        if row is None:
            return
        cells = []
        for cell in row.cells:
            if squeeze(cell.text) == _CAPTION:  # the grid's caption, merged down its first column
                self.ledger.use(cell)
            else:
                cells.append(cell)
        if not cells:
            return
        texts = [_CONTINUED.sub("", squeeze(c.text)) for c in cells]
        l1 = self._level1(texts)
        i = 0
        if l1:
            self._enter_level1(texts[0], cells[0])
            i = 1
        rest = texts[i:]
        if rest and self._looks_level2(rest, l1):
            self._enter_level2(rest[0], cells[i])
            i += 1
        body = cells[i:]
        if body:
            self._body(body, first_level_only=l1 and i == 1)

    def _enter_level1(self, name: str, cell: SourceCell) -> None:
        self.ledger.use(cell)
        inferred, self.inferred = self.inferred, None
        if name == self.cur1:
            if inferred is not None and inferred in self.ledger.remarks:
                # The 一级 was printed after all, in the middle of its merged cell: nothing inferred.
                self.ledger.remarks.remove(inferred)
            return  # the 一级 typed again on every row instead of merged: the group goes on
        carried = self._carry_misplaced(name)
        self.cur1, self.cur2 = name, None
        level = self.grid.setdefault(name, {})
        if carried is not None and isinstance(level, dict):
            level[carried[0]] = carried[1]
            self.cur2 = carried[0]

    def _body(self, body: list[SourceCell], first_level_only: bool) -> None:
        names = [drop_numbering(c.text) for c in body]
        # 「无 | 无」 is the form's way of saying "no indicator here"; a lone 无 with a blank
        # value is an indicator named 无, kept as written for check to report.
        if len(names) >= 2 and all(n.strip() == PLACEHOLDER for n in names):
            self._placeholder(body, first_level_only)
            return
        if self.cur1 is None:
            self.cur1 = NO_LEVEL1
            self.grid.setdefault(self.cur1, {})
            self.ledger.note(body[0], f"这一行之前没有一级指标，归入「{NO_LEVEL1}」")
        if self.cur2 is None:
            self.ledger.note(body[0], f"一级指标「{self.cur1}」下这一行没有二级指标，归入「{NO_LEVEL2}」")
            self._enter_level2(NO_LEVEL2, None)
        indicator = self._indicator(body)
        level = self.grid[self.cur1]
        if not isinstance(level, dict):
            # The 一级 was written 无 (「效益指标 | 无 | 无」) and indicator rows still follow it:
            # they are kept, and the clerk told, rather than lost or fatal.
            self.ledger.note(body[0], f"一级指标「{self.cur1}」写了「无」，下面却还有指标；按指标导入")
            level = self.grid[self.cur1] = {}
        cur2 = self.cur2 or NO_LEVEL2
        bucket = level.get(cur2)
        if not isinstance(bucket, list):
            bucket = level[cur2] = []
        bucket.append(indicator)

    # -- page-split rows -------------------------------------------------------------------------

    def join_page_split(self, row: SourceRow) -> SourceRow | None:
        """A self-evaluation row cut in two by a page break, joined again; None while a part is held.

        The pattern: a short row (at most three cells) that has text but not the
        分值 and 得分 pair and does not start a 一级 or 二级, followed by a row that
        has the pair. The first part is held until the next row brings the scores,
        and the two are joined column by column.
        """
        fragment, self.fragment = self.fragment, None
        has_scores = sum(1 for c in row.cells if is_number(c)) >= 2
        starts_level = bool(row.cells) and _CONTINUED.sub("", squeeze(row.cells[0].text)) in L1_NAMES | L2_NAMES
        if fragment is None:
            placeholder = all(drop_numbering(c.text).strip() == PLACEHOLDER for c in row.cells)
            if not has_scores and not starts_level and not placeholder and len(row.cells) <= 3:
                self.fragment = row
                return None
            return row
        if not has_scores:
            self.fragment = fragment
            self.flush()
            return self.join_page_split(row)
        self.ledger.use_all(fragment.cells)
        self.ledger.use_all(row.cells)
        texts: dict[int, str] = {}
        for cell in (*fragment.cells, *row.cells):
            before = texts.get(cell.col, "")
            # A merged cell printed on both pages is taken once.
            texts[cell.col] = before if before.endswith(cell.text) else before + cell.text
        where = f"{fragment.where}–{row.line}"
        self.ledger.note_at(where, "被分页拆开的一行，已按栏合并为一行，请核对")
        joined = tuple(SourceCell(t, col, where) for col, t in sorted(texts.items()))
        self.ledger.joined.extend(joined)
        return SourceRow(joined, where, row.line)

    # -- levels ---------------------------------------------------------------------------------

    def _level1(self, texts: list[str]) -> bool:
        if len(texts) < 2:
            return texts[0] in L1_NAMES - L2_NAMES
        first, nxt = texts[0], texts[1]
        if first in L1_NAMES:
            # 成本指标 is both: a 二级 under 产出指标 (older framework) and a 一级 (newer).
            if first in L2_NAMES and first in FRAMEWORK.get(self.cur1 or "", ()):
                return nxt in FRAMEWORK[first]
            return True
        return _is_l1_like(first, texts[1:])

    def _looks_level2(self, rest: list[str], after_level1: bool) -> bool:
        """A 二级 name, or (right after a 一级) a level-like word with a full row after it."""
        cells_after = 4 if self.form is FormKind.SELF_EVAL else 3
        if rest[0] not in L2_NAMES and not (after_level1 and len(rest) >= cells_after
                                            and _LEVEL_LIKE.fullmatch(rest[0])):
            return False
        return len(rest) == 1 or not _is_l1_like(rest[0], rest[1:])

    def _carry_misplaced(self, new1: str) -> tuple[str, list[Indicator] | str] | None:
        """Move the current 二级 to ``new1`` when it belongs there and not where it landed.

        An extractor prints a vertically merged 一级 cell's text in the middle of
        its rows, so a group's first 二级 can show up before its 一级 (社会效益指标
        above 效益指标). The rows after the 一级 that have no 二级 of their own
        continue that 二级, as the merged cell says.
        """
        old1, name2 = self.cur1, self.cur2
        if old1 is None or name2 is None or old1 not in FRAMEWORK or new1 not in FRAMEWORK:
            return None
        if name2 in FRAMEWORK[old1] or name2 not in FRAMEWORK[new1]:
            return None
        level = self.grid[old1]
        if not isinstance(level, dict):
            return None
        items = level.pop(name2)
        if not level:
            del self.grid[old1]
        return name2, items

    def _enter_level2(self, name: str, cell: SourceCell | None) -> None:
        if cell is not None and (self.cur1 in (None, NO_LEVEL1) or self.inferred is not None):
            self._infer_level1(name, cell)
        if self.cur1 is None:
            self.cur1 = NO_LEVEL1
            self.grid.setdefault(self.cur1, {})
        level = self.grid[self.cur1]
        if not isinstance(level, dict):
            level = self.grid[self.cur1] = {}
        if name in level and self.cur2 != name and cell is not None:
            self.ledger.note(cell, f"一级指标「{self.cur1}」下二级指标「{name}」出现了两次，合并为一个")
        level.setdefault(name, [])
        self.cur2 = name
        if cell is not None:
            self.ledger.use(cell)

    def _infer_level1(self, name: str, cell: SourceCell) -> None:
        """A standard 二级 under a blank 一级 column: the 一级 is the one the framework puts it under.

        Only where the 一级 is blank (none printed yet, or the open one was itself
        inferred): a 一级 the table prints is kept, even when the 二级 does not
        belong to it, for ``check`` to report.
        """
        if self.inferred is not None and self.cur1 in FRAMEWORK and name in FRAMEWORK[self.cur1]:
            return  # the inferred group goes on
        parents = parent_of_level2(name)
        if len(parents) != 1:
            return
        parent = parents[0]
        self.cur1, self.cur2 = parent, None
        level = self.grid.setdefault(parent, {})
        if not isinstance(level, dict):
            self.grid[parent] = {}
        self.ledger.note(cell, f"一级指标栏空着，按这个二级指标推定一级指标为「{parent}」，请核对")
        self.inferred = self.ledger.remarks[-1]

    def _placeholder(self, body: list[SourceCell], first_level_only: bool) -> None:
        self.ledger.use_all(body)
        if first_level_only and self.cur1 is not None:
            if self.grid.get(self.cur1):  # it holds a 二级 carried over to it: that is kept
                self.ledger.note(body[0], f"一级指标「{self.cur1}」写了「无」，下面却还有指标；按指标导入")
                return
            self.grid[self.cur1] = PLACEHOLDER
            return
        if self.cur1 is None or self.cur2 is None:
            return
        level = self.grid[self.cur1]
        if isinstance(level, dict) and not level.get(self.cur2):
            level[self.cur2] = PLACEHOLDER

    # -- the indicator -----------------------------------------------------------------------------

    def _indicator(self, body: list[SourceCell]) -> Indicator:
        """Planning forms: name and value (the last cell). Self-evaluation: the scores are found from the right."""
        first = body[0]
        self.ledger.use(first)
        name = drop_numbering(first.text).replace("\n", "")
        rest = body[1:]
        if self.form is FormKind.MONITOR:
            return self._monitor_indicator(name, rest)
        if self.form is not FormKind.SELF_EVAL:
            if rest:
                self.ledger.use(rest[-1])
            return Indicator(name, rest[-1].text if rest else "")
        weight = score = deviation = None
        if len(rest) >= 2 and is_number(rest[-1]) and is_number(rest[-2]):
            weight, score, values = rest[-2], rest[-1], rest[:-2]
        elif len(rest) >= 3 and is_number(rest[-2]) and is_number(rest[-3]):
            weight, score, deviation, values = rest[-3], rest[-2], rest[-1], rest[:-3]
        else:
            values = rest
            if rest:
                self.ledger.note(first, "这一行找不到分值和得分两个数")
        if len(values) == 1:
            self.ledger.note(first, "这一行只有一个值，按年度指标值读入，实际完成值空着")
        self.ledger.use_all(values[:1] + values[-1:])
        out = Indicator(name, values[0].text if values else "",
                        actual=values[-1].text if len(values) >= 2 else None)
        for attr, cell in (("weight", weight), ("score", score), ("deviation", deviation)):
            if cell is not None:
                setattr(out, attr, cell.text)
                self.ledger.use(cell)
        return out

    def _monitor_indicator(self, name: str, rest: list[SourceCell]) -> Indicator:
        """The cells after the name under their column heads (the blank ones are not printed)."""
        values = _monitor_indicator_values(rest, self.out.columns, self.ledger)
        target = values.pop("年度指标值")
        return Indicator(name, target or "", monitor=values)


def _monitor_indicator_values(rest: list[SourceCell], columns: dict[str, int],
                              ledger: Ledger) -> dict[str, str | None]:
    values = place_by_column(rest, columns, MONITOR_KEYS, ledger)
    return {key: values[key].text.strip() if key in values else None for key in MONITOR_KEYS}


def _is_l1_like(first: str, rest: list[str]) -> bool:
    """A non-standard 一级 (效果目标, or a 二级 name used as 一级) shows itself by a 二级 after it."""
    return bool(rest) and bool(_LEVEL_LIKE.fullmatch(first)) and rest[0] in L2_NAMES
