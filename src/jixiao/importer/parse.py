"""One table's rows → spec data, by what the cells say rather than where they sit.

Extracted tables shift cells freely: a merged cell shows up once and leaves the
rows below it short, a label slides into the next column, a page break splits a
row. So the parser reads labels (``项目资金总额``, ``年度总体目标``, ``一级指标`` …)
and names from the vocabulary (``产出指标``, ``数量指标`` …) and places the cells
around them; columns only break ties (which half of the funds block a
``其他资金`` belongs to). Every non-empty cell it does not place becomes a
:class:`Remark`, so nothing is dropped silently.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from jixiao.importer.cells import boxes, drop_numbering, squeeze
from jixiao.importer.sources import SourceCell, SourceRow
from jixiao.model.project import DATE_STYLES
from jixiao.model.values import ValueParseError, parse_decimal
from jixiao.model.vocab import (
    DECLARATION_NATURES,
    FRAMEWORK,
    TARGET_CATEGORIES,
    FormKind,
)
from jixiao.render.formatting import date_text

PLACEHOLDER = "无"

_TITLE = re.compile(r"财政项目支出绩效(目标申报表|目标表|自评表)")
_FORMS = {"目标申报表": FormKind.DECLARATION, "目标表": FormKind.TARGET, "自评表": FormKind.SELF_EVAL}
_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年\s*度?\s*[)）]")
_PERIOD = re.compile(r"（(\d{4})((?:[.．]\d{1,2})?)年?[-—–~至](\d{4})((?:[.．]\d{1,2})?)年?）")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_LEVEL_LIKE = re.compile(r"[\u4e00-\u9fff]{2,8}(指标|目标)")

L1_NAMES = frozenset(FRAMEWORK)
L2_NAMES = frozenset(n for names in FRAMEWORK.values() for n in names)


OUTSIDE = "在表格之外，未导入"  # the remark on text after a table's end or before the first


@dataclass(frozen=True)
class Remark:
    """A cell the importer could not place, or a choice it made that a person should confirm."""

    where: str
    text: str
    message: str

    def format(self) -> str:
        shown = f"「{self.text}」" if self.text else ""
        return f"{self.where}: {shown}{self.message}"


@dataclass
class Table:
    """One imported table: spec data in form order, and what the importer has to say about it."""

    where: str
    line: int
    last_line: int
    form: FormKind
    data: dict[str, Any] = field(default_factory=dict)
    date_style: str | None = None
    remarks: list[Remark] = field(default_factory=list)
    error: str | None = None

    @property
    def name(self) -> str:
        return str(self.data.get("项目名称") or "")


def title_of(row: SourceRow) -> FormKind | None:
    for cell in row.cells[:1]:
        m = _TITLE.match(squeeze(cell.text))
        if m:
            return _FORMS[m.group(1)]
    return None


def split_tables(rows: list[SourceRow]) -> tuple[list[tuple[FormKind, list[SourceRow]]], list[SourceRow]]:
    """Tables, each starting at its title row; and the rows before the first title."""
    tables: list[tuple[FormKind, list[SourceRow]]] = []
    outside: list[SourceRow] = []
    for row in rows:
        form = title_of(row)
        if form is not None:
            tables.append((form, [row]))
        elif tables:
            tables[-1][1].append(row)
        else:
            outside.append(row)
    return tables, outside


def parse_table(form: FormKind, rows: list[SourceRow]) -> Table:
    return _Parser(form, rows).run()


# -- values ---------------------------------------------------------------------------------


def amount(cell: SourceCell, remarks: list[Remark]) -> str | None:
    """An amount cell as exact decimal text: ``89. 41`` → ``89.41``, ``5,254,900`` → ``5254900``."""
    text = cell.text.replace("，", ",").strip()
    if text in ("", "—", "-", "/"):
        return None
    parts = text.split()
    if len(parts) > 1 and len(set(parts)) == 1:
        remarks.append(Remark(cell.where, cell.text, "同一个数重复印了两次，按一个读入"))
        text = parts[0]
    text = "".join(text.split())
    try:
        value = parse_decimal(text)
    except ValueParseError:
        remarks.append(Remark(cell.where, cell.text, "不是金额，未导入"))
        return None
    return _plain(value)


def _plain(value: Decimal) -> str:
    return f"{value:f}"


def parse_loose_date(text: str, end: bool) -> date | None:
    """2023. 1. 1, 2026-1-1, 2023年1月1日; month-only 2023.12 is the month's first or last day."""
    t = re.sub(r"\s+", "", text)
    m = re.fullmatch(r"(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?", t)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{4})[.\-/年](\d{1,2})月?", t)
        if m:
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
    except ValueError:
        return None
    return None


def date_style_of(text: str, value: date) -> str | None:
    """Which of jixiao's print styles writes ``value`` exactly as the table did."""
    for spaced in (False, True):
        for style in DATE_STYLES:
            printed = date_text(value, style)
            if printed == text.strip() or (spaced and re.sub(r"\s+", "", printed) == re.sub(r"\s+", "", text)):
                return style
    return None


# -- the parser -----------------------------------------------------------------------------

_HEADER_LABELS = {"项目名称": "项目名称", "项目类别": "项目类别", "项目性质": "项目性质", "主管部门": "主管部门",
                  "实施单位": "实施单位", "计划开始日期": "计划开始日期", "计划完成日期": "计划完成日期",
                  "开始日期": "计划开始日期", "完成日期": "计划完成日期"}
_FUND_LABELS = {"项目资金总额": ("left", "合计"), "其中：财政资金": ("left", "财政资金"),
                "财政资金": ("left", "财政资金"), "年度资金申请总额": ("right", "合计"),
                "其中：当年财政拨款": ("right", "当年财政拨款"), "当年财政拨款": ("right", "当年财政拨款"),
                "上年结转资金": ("right", "上年结转资金")}
_OTHER = "其他资金"
_OTHER_FRAGMENTS = ("金", "资金", "他资金")  # a 其他资金 label split by the extractor (003 L241)
_SE_FUND_ROWS = {"年度资金总额": "年度资金总额", "其中：当年财政拨款": "当年财政拨款", "当年财政拨款": "当年财政拨款",
                 "上年结转资金": "上年结转资金", "其他资金": "其他资金"}
_SE_FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
_GOAL_BLOCK_LABELS = {"项目绩效目标", "绩效目标"}
_SE_GOAL_BLOCK_LABELS = {"年度", "总体目标", "年度总体目标"}
_ANNUAL_GOAL_LABELS = {"年度总体目标", "年度总目标", "年度目标"}
_INDICATOR_HEAD = {"绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "年度（/项目）指标值",
                   "年度（项目）指标值", "指标目标值", "指标值", "实际完成值", "分值", "得分",
                   "偏差原因分析及改进措施"}


class _Parser:
    def __init__(self, form: FormKind, rows: list[SourceRow]) -> None:
        self.form = form
        self.rows = rows
        self.used: set[SourceCell] = set()
        self.remarks: list[Remark] = []
        self.header: dict[str, SourceCell] = {}
        self.year: int | None = None
        self.unit: str | None = None
        self.target_funds: dict[str, dict[str, str | None]] = {"left": {}, "right": {}}
        self.se_funds: dict[str, dict[str, str | None]] = {}
        self.se_scores: dict[str, str | None] = {}
        self.period: tuple[int, int] | None = None
        self.goal_texts: tuple[list[str], list[str]] = ([], [])
        self.value_label = ""
        self.levels: dict[str, dict[str, list[dict[str, Any]] | str] | str] = {}
        self.total: str | None = None
        self.grade: str | None = None
        self.cur1: str | None = None  # the 一级 and 二级 that rows without their own belong to
        self.cur2: str | None = None
        self.annual_label = "年度总体目标"
        self._right_col: int | None = None  # where the funds block's right half starts
        self._se_cols: dict[str, int] = {}
        self._fragment: SourceRow | None = None
        self.after: list[SourceRow] = []  # rows below the table, reported, never read as data
        self._joined_cells: list[SourceCell] = []
        self._goal_block = (_SE_GOAL_BLOCK_LABELS if form is FormKind.SELF_EVAL else _GOAL_BLOCK_LABELS)

    # The sections of the form, in printed order; a row's labels move the parser on.
    def run(self) -> Table:
        title = self.rows[0]
        self._year_from(title.cells)
        self.used.update(title.cells[:1])
        state = "header"
        goal_cols: dict[str, int] = {}
        for n, row in enumerate(self.rows[1:], 1):
            if not row.cells:
                continue
            if state == "indicators" and not row.in_table:
                # Text below the grid (填报人、联系电话 …) is not part of the table.
                self.after = self.rows[n:]
                break
            labels = [squeeze(c.text) for c in row.cells]
            if state == "header" and self.year is None and self._year_from(row.cells):
                continue
            if state in ("header", "funds") and any(_is_funds_label(t) for t in labels):
                state = "funds"
            elif state in ("header", "funds") and any(self._is_goal_trigger(t) for t in labels):
                state = "goals"
                goal_cols = self._goal_labels(row)
                continue
            elif state != "indicators" and "一级指标" in labels:
                state = "indicators"
            if state == "header":
                self._header_row(row)
            elif state == "funds":
                self._funds_row(row)
            elif state == "goals":
                self._goal_row(row, goal_cols)
            elif "一级指标" in labels:  # the header row, or its repeat after a page break
                self._indicator_head(row)
            elif labels[0] == "总分":
                if self._fragment is not None:
                    self._flush_fragment(self._fragment)
                self._total_row(row)
            else:
                self._indicator_row(row)
        if self._fragment is not None:
            self._flush_fragment(self._fragment)
        return self._table()

    # -- title and header ------------------------------------------------------------------

    def _year_from(self, cells: Iterable[SourceCell]) -> bool:
        for cell in cells:
            m = _YEAR.search(cell.text)
            if m:
                self.year = int(m.group(1))
                rest = _TITLE.sub("", squeeze(_YEAR.sub("", cell.text)))
                if not rest:
                    self.used.add(cell)
                return True
        return False

    def _header_row(self, row: SourceRow) -> None:
        pending: list[str] = []
        for cell in row.cells:
            key = _HEADER_LABELS.get(squeeze(cell.text).rstrip("："))
            if key is not None:
                pending.append(key)
                self.used.add(cell)
            elif pending:
                self.header.setdefault(pending.pop(0), cell)
                self.used.add(cell)

    # -- funds -----------------------------------------------------------------------------

    def _funds_row(self, row: SourceRow) -> None:
        if self.form is FormKind.SELF_EVAL:
            self._self_eval_funds_row(row)
        else:
            self._target_funds_row(row)

    def _unit_label(self, cell: SourceCell) -> bool:
        t = squeeze(cell.text)
        if not _is_funds_label(t):
            return False
        self.unit = "万元" if "万元" in t else "元"
        self.used.add(cell)
        return True

    def _target_funds_row(self, row: SourceRow) -> None:
        cells = [c for c in row.cells if not self._unit_label(c)]
        pending: dict[str, list[str]] = {"left": [], "right": []}
        side_now = "left"
        right_seen = False
        last_value = None
        for i, cell in enumerate(cells):
            t = squeeze(cell.text)
            label = _FUND_LABELS.get(t)
            if label is None and (t == _OTHER or t in _OTHER_FRAGMENTS):
                if t != _OTHER:
                    self.remarks.append(Remark(cell.where, cell.text, "按「其他资金」标签读入（抽取时被拆开）"))
                later_other = any(squeeze(c.text) == _OTHER for c in cells[i + 1:])
                right = right_seen or (self._right_col is not None and cell.col >= self._right_col
                                       and not later_other)
                label = ("right" if right else "left", "其他资金")
            if label is not None:
                side, key = label
                if side == "right":
                    if not right_seen:
                        pending["left"].clear()  # the left half of this row is blank
                    right_seen = True
                    if key == "合计" and self._right_col is None:
                        self._right_col = cell.col
                pending[side].append(key)
                side_now = side
                self.used.add(cell)
                continue
            queue = pending[side_now]
            if queue:
                key = queue.pop(0)
                self.target_funds[side_now].setdefault(key, amount(cell, self.remarks))
                self.used.add(cell)
                last_value = cell.text
            elif cell.text == last_value:
                self.used.add(cell)  # a merged cell's text repeated by the extractor (003 L500)

    def _self_eval_funds_row(self, row: SourceRow) -> None:
        cells = [c for c in row.cells if not self._unit_label(c)]
        if any(squeeze(c.text) in _SE_FUND_COLUMNS for c in cells):
            self._se_cols = {squeeze(c.text): c.col for c in cells if squeeze(c.text) in _SE_FUND_COLUMNS}
            self.used.update(c for c in cells if squeeze(c.text) in _SE_FUND_COLUMNS)
            return
        if not cells:
            return
        name = _SE_FUND_ROWS.get(squeeze(cells[0].text))
        if name is None:
            return
        self.used.add(cells[0])
        by_col = {col: head for head, col in self._se_cols.items()}
        order = list(_SE_FUND_COLUMNS)
        values: dict[str, SourceCell] = {}
        last = -1
        for cell in cells[1:]:
            if cell.text.strip() in ("—", "-", "——"):
                self.used.add(cell)
                continue
            head = by_col.get(cell.col)
            if head is None or head in values:
                free = [h for h in order[last + 1:] if h not in values]
                head = free[0] if free else None
            if head is None:
                continue
            values[head] = cell
            last = order.index(head)
            self.used.add(cell)
        # Every column of the row, blank ones included, as a hand-written spec lists them.
        self.se_funds[name] = {h: amount(values[h], self.remarks) if h in values else None for h in order[:3]}
        if name == "年度资金总额":
            for head in order[3:]:
                if head in values:
                    self.se_scores[head] = values[head].text.strip()

    # -- goals -----------------------------------------------------------------------------

    def _is_goal_trigger(self, t: str) -> bool:
        if self.form is FormKind.SELF_EVAL:
            return t == "预期目标"
        return t.startswith("项目总目标") or t in _ANNUAL_GOAL_LABELS

    def _goal_labels(self, row: SourceRow) -> dict[str, int]:
        cols: dict[str, int] = {}
        for cell in row.cells:
            t = squeeze(cell.text)
            if t in self._goal_block:
                pass
            elif t.startswith("项目总目标"):
                m = _PERIOD.search(t)
                if m:
                    self.period = (int(m[1]), int(m[3]))
                    if m[2] or m[4]:
                        self.remarks.append(Remark(cell.where, cell.text, "起止年度写了月份，按年份读入"))
                cols["first"] = cell.col
            elif t in _ANNUAL_GOAL_LABELS or t == "实际完成情况":
                cols["second"] = cell.col
                if t != "实际完成情况":
                    self.annual_label = t
            elif t == "预期目标":
                cols["first"] = cell.col
            else:
                continue
            self.used.add(cell)
        return cols

    def _goal_row(self, row: SourceRow, cols: dict[str, int]) -> None:
        texts = []
        for cell in row.cells:
            if squeeze(cell.text) in self._goal_block:
                self.used.add(cell)
            else:
                texts.append(cell)
        first, second = self.goal_texts
        if len(texts) == 1:
            split = cols.get("second")
            (second if split is not None and texts[0].col >= split else first).append(texts[0].text)
            self.used.add(texts[0])
        elif len(texts) >= 2:
            first.append(texts[0].text)
            second.append(texts[-1].text)
            self.used.update((texts[0], texts[-1]))

    # -- indicators ------------------------------------------------------------------------

    def _indicator_head(self, row: SourceRow) -> None:
        """Header labels only name the columns: rows are placed by what their cells say."""
        for cell in row.cells:
            t = squeeze(cell.text)
            if t in _INDICATOR_HEAD:
                self.used.add(cell)
                if "指标值" in t:
                    self.value_label = self.value_label or t

    def _indicator_row(self, source: SourceRow, joinable: bool = True) -> None:
        joining = joinable and self.form is FormKind.SELF_EVAL
        row = self._join_page_split(source) if joining else source
        if row is None:
            return
        cells = []
        for cell in row.cells:
            if squeeze(cell.text) == "绩效指标":
                self.used.add(cell)
            else:
                cells.append(cell)
        if not cells:
            return
        texts = [squeeze(c.text) for c in cells]
        i = 0
        l1 = self._level1(texts)
        if l1 and texts[0] == self.cur1:
            self.used.add(cells[0])  # the 一级 typed again on every row instead of merged
            i = 1
        elif l1:
            carried = self._carry_misplaced(texts[0])
            self.cur1, self.cur2 = texts[0], None
            level = self.levels.setdefault(texts[0], {})
            if carried is not None and isinstance(level, dict):
                level[carried[0]] = carried[1]
                self.cur2 = carried[0]
            self.used.add(cells[0])
            i = 1
        rest = texts[i:]
        if rest and self._looks_level2(rest, bool(l1)):
            self._enter_level2(rest[0], cells[i])
            i += 1
        body = cells[i:]
        if not body:
            return
        names = [drop_numbering(c.text) for c in body]
        # 「无 | 无」 is the form's way of saying "no indicator here"; a lone 无 with a blank
        # value is an indicator named 无, kept as written for check to report.
        if len(names) >= 2 and all(n.strip() == PLACEHOLDER for n in names):
            self._placeholder(body, bool(l1 and i == 1))
            return
        if self.cur1 is None:
            self.cur1 = "未填写一级指标"
            self.levels.setdefault(self.cur1, {})
            self.remarks.append(Remark(body[0].where, body[0].text, "这一行之前没有一级指标，归入「未填写一级指标」"))
        if self.cur2 is None:
            self.remarks.append(Remark(body[0].where, body[0].text,
                                       f"一级指标「{self.cur1}」下这一行没有二级指标，归入「未填写二级指标」"))
            self._enter_level2("未填写二级指标", None)
        indicator = self._indicator(body)
        level = self.levels[self.cur1]
        assert isinstance(level, dict) and self.cur2 is not None
        bucket = level.get(self.cur2)
        if not isinstance(bucket, list):
            bucket = level[self.cur2] = []
        bucket.append(indicator)

    def _join_page_split(self, row: SourceRow) -> SourceRow | None:
        """A self-evaluation row cut in two by a page break (002 L122–124), joined again.

        The first part has text but not the 分值 and 得分 pair; it is held until the
        next row brings them, and the two are joined column by column.
        """
        fragment, self._fragment = self._fragment, None
        has_scores = sum(1 for c in row.cells if _is_number(c)) >= 2
        starts_level = bool(row.cells) and squeeze(row.cells[0].text) in L1_NAMES | L2_NAMES
        if fragment is None:
            placeholder = all(drop_numbering(c.text).strip() == PLACEHOLDER for c in row.cells)
            if not has_scores and not starts_level and not placeholder and len(row.cells) <= 3:
                self._fragment = row
                return None
            return row
        if not has_scores:
            self._flush_fragment(fragment)
            return self._join_page_split(row)
        self.used.update(fragment.cells)
        self.used.update(row.cells)
        texts: dict[int, str] = {}
        for cell in (*fragment.cells, *row.cells):
            before = texts.get(cell.col, "")
            texts[cell.col] = before if before.endswith(cell.text) else before + cell.text
        where = f"{fragment.where}–{row.line}"
        self.remarks.append(Remark(where, "", "被分页拆开的一行，已按栏合并为一行，请核对"))
        joined = tuple(SourceCell(t, col, where) for col, t in sorted(texts.items()))
        self._joined_cells.extend(joined)
        return SourceRow(joined, where, row.line)

    def _flush_fragment(self, fragment: SourceRow) -> None:
        """A held part that no continuation followed: read it as the (incomplete) row it is."""
        self._fragment = None
        self._indicator_row(fragment, joinable=False)

    def _looks_level2(self, rest: list[str], after_level1: bool) -> bool:
        """A 二级 name, or (right after a 一级) a level-like word with a full row after it."""
        cells_after = 4 if self.form is FormKind.SELF_EVAL else 3
        if rest[0] not in L2_NAMES and not (after_level1 and len(rest) >= cells_after
                                            and _LEVEL_LIKE.fullmatch(rest[0])):
            return False
        return len(rest) == 1 or not self._is_l1_like(rest[0], rest[1:])

    def _carry_misplaced(self, new1: str) -> tuple[str, list[dict[str, Any]] | str] | None:
        """Move the current 二级 to ``new1`` when it belongs there and not where it landed.

        An extractor prints a vertically merged 一级 cell's text in the middle of
        its rows, so a group's first 二级 can show up before its 一级 (002 L93:
        社会效益指标 above 效益指标). The rows after the 一级 that have no 二级 of
        their own continue that 二级, as the merged cell says.
        """
        old1, name2 = self.cur1, self.cur2
        if old1 is None or name2 is None or old1 not in FRAMEWORK or new1 not in FRAMEWORK:
            return None
        if name2 in FRAMEWORK[old1] or name2 not in FRAMEWORK[new1]:
            return None
        level = self.levels[old1]
        if not isinstance(level, dict):
            return None
        items = level.pop(name2)
        if not level:
            del self.levels[old1]
        return name2, items

    def _level1(self, texts: list[str]) -> bool:
        if len(texts) < 2:
            return texts[0] in L1_NAMES - L2_NAMES
        first, nxt = texts[0], texts[1]
        if first in L1_NAMES:
            # 成本指标 is both: a 二级 under 产出指标 (older framework) and a 一级 (newer).
            if first in L2_NAMES and first in FRAMEWORK.get(self.cur1 or "", ()):
                return nxt in FRAMEWORK[first]
            return True
        return self._is_l1_like(first, texts[1:])

    @staticmethod
    def _is_l1_like(first: str, rest: list[str]) -> bool:
        """A non-standard 一级 (效果目标, or a 二级 name used as 一级) shows itself by a 二级 after it."""
        return bool(rest) and bool(_LEVEL_LIKE.fullmatch(first)) and rest[0] in L2_NAMES

    def _enter_level2(self, name: str, cell: SourceCell | None) -> None:
        if self.cur1 is None:
            self.cur1 = "未填写一级指标"
            self.levels.setdefault(self.cur1, {})
        level = self.levels[self.cur1]
        if not isinstance(level, dict):
            level = self.levels[self.cur1] = {}
        if name in level and self.cur2 != name and cell is not None:
            self.remarks.append(Remark(cell.where, cell.text,
                                       f"一级指标「{self.cur1}」下二级指标「{name}」出现了两次，合并为一个"))
        level.setdefault(name, [])
        self.cur2 = name
        if cell is not None:
            self.used.add(cell)

    def _placeholder(self, body: list[SourceCell], first_level_only: bool) -> None:
        self.used.update(body)
        if first_level_only and self.cur1 is not None:
            self.levels[self.cur1] = PLACEHOLDER
            return
        if self.cur1 is None or self.cur2 is None:
            return
        level = self.levels[self.cur1]
        if isinstance(level, dict) and not level.get(self.cur2):
            level[self.cur2] = PLACEHOLDER

    def _indicator(self, body: list[SourceCell]) -> dict[str, Any]:
        name = drop_numbering(body[0].text).replace("\n", "")
        self.used.add(body[0])
        out: dict[str, Any] = {"三级指标": name}
        rest = body[1:]
        if self.form is not FormKind.SELF_EVAL:
            if rest:
                out["年度指标值"] = rest[-1].text
                self.used.add(rest[-1])
            else:
                out["年度指标值"] = ""
            return out
        weight = score = deviation = None
        if len(rest) >= 2 and _is_number(rest[-1]) and _is_number(rest[-2]):
            weight, score, values = rest[-2], rest[-1], rest[:-2]
        elif len(rest) >= 3 and _is_number(rest[-2]) and _is_number(rest[-3]):
            weight, score, deviation, values = rest[-3], rest[-2], rest[-1], rest[:-3]
        else:
            values = rest
            if rest:
                self.remarks.append(Remark(body[0].where, body[0].text, "这一行找不到分值和得分两个数"))
        out["年度指标值"] = values[0].text if values else ""
        if len(values) >= 2:
            out["实际完成值"] = values[-1].text
        if len(values) == 1:
            self.remarks.append(Remark(body[0].where, body[0].text, "这一行只有一个值，按年度指标值读入，实际完成值空着"))
        self.used.update(values[:1] + values[-1:])
        for key, cell in (("分值", weight), ("得分", score), ("偏差原因分析及改进措施", deviation)):
            if cell is not None:
                out[key] = cell.text
                self.used.add(cell)
        return out

    def _total_row(self, row: SourceRow) -> None:
        self.used.add(row.cells[0])
        numbers = [c for c in row.cells[1:] if _is_number(c)]
        for cell in row.cells[1:]:
            m = re.fullmatch(r"(?:自评)?等级[：:]?\s*([优良中差])", squeeze(cell.text))
            if m:
                self.grade = m.group(1)
                self.used.add(cell)
        if numbers:
            self.total = numbers[-1].text
            self.used.update(numbers[-2:])

    # -- the result ------------------------------------------------------------------------

    def _table(self) -> Table:
        title = self.rows[0]
        table = Table(where=title.where, line=title.line, last_line=self.rows[-1].line, form=self.form)
        table.remarks = self.remarks
        name_cell = self.header.get("项目名称")
        if name_cell is None:
            table.error = "找不到项目名称，不是一张完整的表"
            table.remarks.extend(self._unplaced())
            return table
        data = table.data
        data["表格"] = self.form.value
        variant = self._variant()
        if variant:
            data["表样"] = variant
        if self.year is not None:
            data["年度"] = self.year
        data["项目名称"] = name_cell.text.replace("\n", "")
        if self.form is not FormKind.SELF_EVAL:
            self._category(data, variant)
        for key in ("主管部门", "实施单位"):
            cell = self.header.get(key)
            data[key] = cell.text.replace("\n", "") if cell else ""
        if self.form is FormKind.SELF_EVAL:
            self._self_eval_data(data)
        else:
            self._planning_data(table)
        table.remarks.extend(self._unplaced())
        return table

    def _variant(self) -> str:
        if self.form is FormKind.DECLARATION and "项目性质" not in self.header:
            category = self.header.get("项目类别")
            if category is not None and squeeze(category.text) in DECLARATION_NATURES:
                return "C"
        if self.form is FormKind.DECLARATION and (self.value_label == "指标目标值" or self.annual_label == "年度总目标"):
            return "C" if "项目性质" not in self.header else ""
        return ""

    def _category(self, data: dict[str, Any], variant: str) -> None:
        cell = self.header.get("项目类别")
        nature = self.header.get("项目性质")
        if variant == "C":
            if cell is not None:
                data["项目性质"] = squeeze(cell.text)
            return
        if nature is not None:  # the declaration table prints 项目性质 first
            data["项目性质"] = squeeze(nature.text)
        if cell is not None:
            ticks = boxes(cell.text)
            if ticks is None:
                data["项目类别"] = squeeze(cell.text)
            else:
                chosen = [label for label, on in ticks if on]
                if len(chosen) > 1:
                    self.remarks.append(Remark(cell.where, cell.text,
                                               f"勾了 {len(chosen)} 个项目类别，按第一个「{chosen[0]}」读入"))
                if chosen:
                    data["项目类别"] = chosen[0]
                unknown = [label for label, _ in ticks if label not in TARGET_CATEGORIES]
                if unknown and self.form is FormKind.TARGET:
                    self.remarks.append(Remark(cell.where, cell.text, f"不认识的项目类别：{'、'.join(unknown)}"))

    def _dates(self, table: Table) -> None:
        for key, end in (("计划开始日期", False), ("计划完成日期", True)):
            cell = self.header.get(key)
            if cell is None:
                continue
            value = parse_loose_date(cell.text, end)
            if value is None:
                self.remarks.append(Remark(cell.where, cell.text, f"{key}不是可读的日期，未导入"))
                continue
            table.data[key] = value
            table.date_style = table.date_style or date_style_of(cell.text, value)

    def _planning_data(self, table: Table) -> None:
        self._dates(table)
        data = table.data
        left, right = self.target_funds["left"], self.target_funds["right"]
        data["项目资金"] = {
            "单位": self.unit,
            "项目资金总额": {"合计": left.get("合计"), "财政资金": left.get("财政资金"), "其他资金": left.get("其他资金")},
            "年度资金申请总额": {"合计": right.get("合计"), "当年财政拨款": right.get("当年财政拨款"),
                           "上年结转资金": right.get("上年结转资金"), "其他资金": right.get("其他资金")},
        }
        first, second = self.goal_texts
        text = "\n".join(first)
        data["项目总目标"] = ({"起止年度": f"{self.period[0]}-{self.period[1]}", "内容": text} if self.period
                         else {"内容": text})
        data["年度总体目标"] = "\n".join(second)
        data["绩效指标"] = self.levels

    def _self_eval_data(self, data: dict[str, Any]) -> None:
        funds: dict[str, Any] = {"单位": self.unit}
        for name in ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"):
            if name in self.se_funds:
                funds[name] = self.se_funds[name]
        for head in ("分值", "执行率", "得分"):
            funds[head] = self.se_scores.get(head)
        data["项目资金"] = funds
        first, second = self.goal_texts
        data["预期目标"] = "\n".join(first)
        data["实际完成情况"] = "\n".join(second)
        data["绩效指标"] = self.levels
        data["总分"] = self.total
        if self.grade:
            data["自评等级"] = self.grade

    def _unplaced(self) -> list[Remark]:
        after = {c for row in self.after for c in row.cells}
        cells = [c for row in self.rows for c in row.cells] + self._joined_cells
        return [Remark(c.where, c.text, OUTSIDE if c in after else "无法归位，未导入")
                for c in cells if c not in self.used]


def _is_funds_label(t: str) -> bool:
    return t.startswith("项目资金") and ("元）" in t or t.endswith("元")) and len(t) <= 12


def _is_number(cell: SourceCell) -> bool:
    return bool(_NUMBER.fullmatch(cell.text.strip()))
