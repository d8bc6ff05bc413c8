"""The header block: title, year, and the labelled cells above the funds (项目名称 … 计划完成日期;
on the monitoring form 监控期间 and 监控截止日期).

Labels name the cell that follows them: a row ``项目名称 | X | 项目类别 | Y`` gives
two values, and so does ``项目名称 | 项目类别 | X | Y`` (labels first, as an
extractor prints a row whose label cells were merged). The cells themselves are
interpreted only once the whole table is read, because whether the form is
variant C (which prints 项目性质 under the label 项目类别) is decided by other blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from jixiao.importer.cells import boxes, squeeze
from jixiao.importer.ledger import Ledger
from jixiao.importer.sources import SourceCell, SourceRow
from jixiao.importer.values import date_style_of, parse_loose_date
from jixiao.model.vocab import TARGET_CATEGORIES, FormKind

_TITLE = re.compile(r"财政项目支出绩效(目标申报表|目标表|自评表|运行监控表)")
_FORMS = {"目标申报表": FormKind.DECLARATION, "目标表": FormKind.TARGET, "自评表": FormKind.SELF_EVAL,
          "运行监控表": FormKind.MONITOR}
_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年\s*度?\s*[)）]")

_LABELS = {"项目名称": "项目名称", "项目类别": "项目类别", "项目性质": "项目性质", "主管部门": "主管部门",
           "实施单位": "实施单位", "计划开始日期": "计划开始日期", "计划完成日期": "计划完成日期",
           "开始日期": "计划开始日期", "完成日期": "计划完成日期",
           # The monitoring form: 监控期间 (2026年1-7月) only restates the cutoff, which is read
           # from 监控截止日期 alone — the period's wording varies (1-7月, 1月1日-7月15日).
           "监控期间": "监控期间", "监控截止日期": "监控截止", "监控截止": "监控截止"}

HeaderCells = dict[str, SourceCell]  # label (as the spec names it) → the cell that holds its value


@dataclass
class Header:
    """The header as written; a key the table did not give (or not readably) is None."""

    name: str
    department: str
    unit: str
    nature: str | None = None  # 项目性质 (declaration forms)
    category: str | None = None  # 项目类别: the ticked box, or the text when the form has no boxes
    start: date | None = None
    end: date | None = None
    cutoff: date | None = None  # 监控截止 (monitoring forms)
    date_style: str | None = None  # the print style that writes the dates as the table did


def title_of(row: SourceRow) -> FormKind | None:
    for cell in row.cells[:1]:
        m = _TITLE.match(squeeze(cell.text))
        if m:
            return _FORMS[m.group(1)]
    return None


def has_year(row: SourceRow) -> bool:
    return any(_YEAR.search(cell.text) for cell in row.cells)


def read_year(cells: Iterable[SourceCell], ledger: Ledger) -> int | None:
    """``（2023年度）`` in the title or on its own line; the cell is used when that is all it says."""
    for cell in cells:
        m = _YEAR.search(cell.text)
        if m:
            rest = _TITLE.sub("", squeeze(_YEAR.sub("", cell.text)))
            if not rest:
                ledger.use(cell)
            return int(m.group(1))
    return None


def read_header_cells(rows: Iterable[SourceRow], ledger: Ledger) -> HeaderCells:
    """Each label's value cell: the first non-label cell after it, labels queued in row order."""
    found: HeaderCells = {}
    for row in rows:
        pending: list[str] = []
        for cell in row.cells:
            key = _LABELS.get(squeeze(cell.text).rstrip("："))
            if key is not None:
                pending.append(key)
                ledger.use(cell)
            elif pending:
                found.setdefault(pending.pop(0), cell)
                ledger.use(cell)
    return found


def read_header(cells: HeaderCells, form: FormKind, variant: str, ledger: Ledger) -> Header:
    """The header's values; ``cells`` must hold 项目名称 (a table without it is not read)."""
    header = Header(name=_line(cells["项目名称"]), department=_line(cells.get("主管部门")),
                    unit=_line(cells.get("实施单位")))
    if form is FormKind.SELF_EVAL:
        return header  # the self-evaluation form prints neither category nor dates
    _category(header, cells, form, variant, ledger)
    if form is FormKind.MONITOR:
        _cutoff(header, cells, ledger)
    else:
        _dates(header, cells, ledger)
    return header


def _line(cell: SourceCell | None) -> str:
    return cell.text.replace("\n", "") if cell else ""


def _category(header: Header, cells: HeaderCells, form: FormKind, variant: str, ledger: Ledger) -> None:
    cell = cells.get("项目类别")
    nature = cells.get("项目性质")
    if variant == "C":  # variant C prints the declaration's 项目性质 under the label 项目类别
        if cell is not None:
            header.nature = squeeze(cell.text)
        return
    if nature is not None:  # the declaration table prints 项目性质 first
        header.nature = squeeze(nature.text)
    if cell is None:
        return
    ticks = boxes(cell.text)
    if ticks is None:
        header.category = squeeze(cell.text)
        return
    chosen = [label for label, on in ticks if on]
    if len(chosen) > 1:
        ledger.note(cell, f"勾了 {len(chosen)} 个项目类别，按第一个「{chosen[0]}」读入")
    if chosen:
        header.category = chosen[0]
    unknown = [label for label, _ in ticks if label not in TARGET_CATEGORIES]
    if unknown and form is FormKind.TARGET:
        ledger.note(cell, f"不认识的项目类别：{'、'.join(unknown)}")


def _dates(header: Header, cells: HeaderCells, ledger: Ledger) -> None:
    for key, end in (("计划开始日期", False), ("计划完成日期", True)):
        cell = cells.get(key)
        if cell is None:
            continue
        value = parse_loose_date(cell.text, end)
        if value is None:
            ledger.note(cell, f"{key}不是可读的日期，未导入")
            continue
        if end:
            header.end = value
        else:
            header.start = value
        header.date_style = header.date_style or date_style_of(cell.text, value)


def _cutoff(header: Header, cells: HeaderCells, ledger: Ledger) -> None:
    """监控截止 from its full date; the 监控期间 cell beside it is not read (it follows from the date)."""
    cell = cells.get("监控截止")
    if cell is None:
        return
    value = parse_loose_date(cell.text, True)
    month_only = re.fullmatch(r"\s*\d{4}\s*[.\-/年]\s*\d{1,2}\s*月?\s*", cell.text)
    if value is None or month_only:
        ledger.note(cell, "监控截止日期不是可读的完整日期（年、月、日），未导入")
        return
    header.cutoff = value
    header.date_style = date_style_of(cell.text, value)
