"""The funds block, in its three layouts.

Target and declaration forms print two halves side by side: 项目资金总额 with its
parts on the left, 年度资金申请总额 with its parts on the right, each label followed
by its amount. Self-evaluation forms print a grid: a row of column heads
(年初预算数 … 得分) and one row per fund, its label first; so do monitoring forms
(年初预算数 … 全年预计执行数, then a 原因说明 row of text).

Amounts are kept as written (a total that does not add up stays, for check to
report); an amount cell holding text is reported and left blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.importer.cells import squeeze
from jixiao.importer.ledger import Ledger
from jixiao.importer.sources import SourceCell, SourceRow
from jixiao.importer.values import amount

_SIDES = {"项目资金总额": ("left", "合计"), "其中：财政资金": ("left", "财政资金"),
          "财政资金": ("left", "财政资金"), "年度资金申请总额": ("right", "合计"),
          "其中：当年财政拨款": ("right", "当年财政拨款"), "当年财政拨款": ("right", "当年财政拨款"),
          "上年结转资金": ("right", "上年结转资金")}
_OTHER = "其他资金"  # printed in both halves: which one is told by its place
# An extractor may cut the 其他资金 label in two and print the halves as cells of their own.
_OTHER_FRAGMENTS = ("金", "资金", "他资金")
_SE_ROWS = {"年度资金总额": "年度资金总额", "其中：当年财政拨款": "当年财政拨款", "当年财政拨款": "当年财政拨款",
            "上年结转资金": "上年结转资金", "其他资金": "其他资金"}
_SE_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
_SE_AMOUNTS = _SE_COLUMNS[:3]
_SE_SCORES = _SE_COLUMNS[3:]
_DASHES = ("—", "-", "——")


@dataclass
class TargetFunds:
    """项目资金 of a target or declaration form: each half's amounts by the spec's key."""

    unit: str | None
    total: dict[str, str | None]  # 项目资金总额: 合计, 财政资金, 其他资金
    annual: dict[str, str | None]  # 年度资金申请总额: 合计, 当年财政拨款, 上年结转资金, 其他资金


@dataclass
class SelfEvalFunds:
    """项目资金 of a self-evaluation form: the fund rows the table has, and the funds' score."""

    unit: str | None
    # fund row (年度资金总额 …) → 年初预算数, 全年预算数, 全年执行数, every one present (blank = None)
    rows: dict[str, dict[str, str | None]] = field(default_factory=dict)
    scores: dict[str, str] = field(default_factory=dict)  # 分值, 执行率, 得分 as written


def is_funds_label(text: str) -> bool:
    """``项目资金（万元）``: the label that opens the funds block and names its unit."""
    return text.startswith("项目资金") and ("元）" in text or text.endswith("元")) and len(text) <= 12


class _Unit:
    """The unit named by the block's label, whichever row of the block prints it."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.value: str | None = None

    def others(self, cells: Iterable[SourceCell]) -> list[SourceCell]:
        """``cells`` without the unit label, taking the unit from it."""
        out = []
        for cell in cells:
            t = squeeze(cell.text)
            if is_funds_label(t):
                self.value = "万元" if "万元" in t else "元"
                self.ledger.use(cell)
            else:
                out.append(cell)
        return out


# -- target and declaration forms -------------------------------------------------------------


def read_target_funds(rows: Iterable[SourceRow], ledger: Ledger) -> TargetFunds:
    unit = _Unit(ledger)
    halves = _Halves(ledger)
    for row in rows:
        halves.row(unit.others(row.cells))
    left, right = halves.amounts["left"], halves.amounts["right"]
    return TargetFunds(
        unit.value,
        {key: left.get(key) for key in ("合计", "财政资金", "其他资金")},
        {key: right.get(key) for key in ("合计", "当年财政拨款", "上年结转资金", "其他资金")})


class _Halves:
    """The two halves' amounts; a key keeps the first amount given to it."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.amounts: dict[str, dict[str, str | None]] = {"left": {}, "right": {}}
        self.right_col: int | None = None  # where the right half starts, once a row has shown it

    def row(self, cells: list[SourceCell]) -> None:
        """Labels queue up per half; each value cell goes to the oldest waiting label of the half last named."""
        pending: dict[str, list[str]] = {"left": [], "right": []}
        side_now = "left"
        right_seen = False
        last_value = None
        for i, cell in enumerate(cells):
            label = _side_label(cells, i, right_seen, self.right_col, self.ledger)
            if label is not None:
                side, key = label
                if side == "right":
                    if not right_seen:
                        pending["left"].clear()  # the left half of this row is blank
                    right_seen = True
                    if key == "合计" and self.right_col is None:
                        self.right_col = cell.col
                pending[side].append(key)
                side_now = side
                self.ledger.use(cell)
                continue
            queue = pending[side_now]
            if queue:
                self.amounts[side_now].setdefault(queue.pop(0), amount(cell, self.ledger))
                self.ledger.use(cell)
                last_value = cell.text
            elif cell.text == last_value:
                self.ledger.use(cell)  # a merged amount cell printed again by the extractor in the next column


def _side_label(cells: list[SourceCell], i: int, right_seen: bool, right_col: int | None,
                ledger: Ledger) -> tuple[str, str] | None:
    """(half, key) when cell ``i`` is a fund label; 其他资金 is placed by what came before and where it sits."""
    cell = cells[i]
    t = squeeze(cell.text)
    label = _SIDES.get(t)
    if label is not None or not (t == _OTHER or t in _OTHER_FRAGMENTS):
        return label
    if t != _OTHER:
        ledger.note(cell, "按「其他资金」标签读入（抽取时被拆开）")
    # Left of the right half's column it is the left half's, unless another 其他资金 follows in the row.
    later_other = any(squeeze(c.text) == _OTHER for c in cells[i + 1:])
    right = right_seen or (right_col is not None and cell.col >= right_col and not later_other)
    return ("right" if right else "left", "其他资金")


# -- self-evaluation forms --------------------------------------------------------------------


def read_self_eval_funds(rows: Iterable[SourceRow], ledger: Ledger) -> SelfEvalFunds:
    unit = _Unit(ledger)
    funds = SelfEvalFunds(None)
    columns: dict[str, int] = {}
    for row in rows:
        cells = unit.others(row.cells)
        heads = [c for c in cells if squeeze(c.text) in _SE_COLUMNS]
        if heads:
            columns = {squeeze(c.text): c.col for c in heads}
            ledger.use_all(heads)
        elif cells:
            _self_eval_row(cells, columns, funds, ledger)
    funds.unit = unit.value
    return funds


def _self_eval_row(cells: list[SourceCell], columns: dict[str, int], funds: SelfEvalFunds, ledger: Ledger) -> None:
    name = _SE_ROWS.get(squeeze(cells[0].text))
    if name is None:
        return
    ledger.use(cells[0])
    values = place_by_column(cells[1:], columns, _SE_COLUMNS, ledger)
    # Every column of the row, blank ones included, as a hand-written spec lists them.
    funds.rows[name] = {h: amount(values[h], ledger) if h in values else None for h in _SE_AMOUNTS}
    if name == "年度资金总额":
        for head in _SE_SCORES:
            if head in values:
                funds.scores[head] = values[head].text.strip()



# -- monitoring forms ---------------------------------------------------------------------------

_MON_ROWS = {"年度资金总额": "年度资金总额", "其中：财政资金": "财政资金", "财政资金": "财政资金",
             "其他资金": "其他资金"}
_MON_COLUMNS = ("年初预算数", "调整后预算数", "执行数", "执行率", "全年预计执行数")
_MON_AMOUNTS = ("年初预算数", "调整后预算数", "执行数", "全年预计执行数")
_MON_REMEDY = "原因说明"


@dataclass
class MonitorFunds:
    """项目资金 of a monitoring form: each fund row's columns as written, and the 原因说明 text."""

    unit: str | None
    # fund row (年度资金总额, 财政资金, 其他资金) → every column, blank ones as None
    rows: dict[str, dict[str, str | None]] = field(default_factory=dict)
    remedy: str | None = None


def _monitor_head(text: str) -> str | None:
    """The column a head names; 执行数 and 执行率 carry the period (1-7月执行数, 1月1日-7月15日执行率)."""
    if text in ("年初预算数", "调整后预算数", "全年预计执行数"):
        return text
    for head in ("执行数", "执行率"):
        if text.endswith(head) and len(text) <= 16:
            return head
    return None


def read_monitor_funds(rows: Iterable[SourceRow], ledger: Ledger) -> MonitorFunds:
    unit = _Unit(ledger)
    funds = MonitorFunds(None)
    columns: dict[str, int] = {}
    for row in rows:
        cells = unit.others(row.cells)
        heads = [(c, h) for c in cells if (h := _monitor_head(squeeze(c.text))) is not None]
        if heads:
            columns = {h: c.col for c, h in heads}
            ledger.use_all(c for c, _ in heads)
        elif cells and squeeze(cells[0].text) == _MON_REMEDY:
            ledger.use_all(cells)
            text = "\n".join(c.text for c in cells[1:]).strip()
            funds.remedy = text or None
        elif cells:
            _monitor_row(cells, columns, funds, ledger)
    funds.unit = unit.value
    return funds


def _monitor_row(cells: list[SourceCell], columns: dict[str, int], funds: MonitorFunds, ledger: Ledger) -> None:
    name = _MON_ROWS.get(squeeze(cells[0].text))
    if name is None:
        return
    ledger.use(cells[0])
    values = place_by_column(cells[1:], columns, _MON_COLUMNS, ledger)
    row: dict[str, str | None] = {}
    for head in _MON_COLUMNS:
        cell = values.get(head)
        if cell is None:
            row[head] = None
        elif head in _MON_AMOUNTS:
            row[head] = amount(cell, ledger)
        else:  # the rate as printed: the loader reads it (check compares it with the amounts)
            row[head] = cell.text.strip()
    funds.rows[name] = row


def place_by_column(cells: list[SourceCell], columns: dict[str, int], order: tuple[str, ...],
                    ledger: Ledger) -> dict[str, SourceCell]:
    """Each value under its column head; one whose column is unknown (or taken) takes the next free one.

    Extractors shift cells left when a merged cell leaves a gap, so a column number
    is a hint; the order of the values is what holds.
    """
    by_col = {col: head for head, col in columns.items()}
    values: dict[str, SourceCell] = {}
    last = -1
    for cell in cells:
        if cell.text.strip() in _DASHES:
            ledger.use(cell)
            continue
        head = by_col.get(cell.col)
        if head is None or head in values:
            free = [h for h in order[last + 1:] if h not in values]
            head = free[0] if free else None
        if head is None:
            continue
        values[head] = cell
        last = order.index(head)
        ledger.use(cell)
    return values
