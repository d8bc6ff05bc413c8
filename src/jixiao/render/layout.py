"""From a project and its variant to the table grid, as on the official forms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from jixiao.errors import TemplateError
from jixiao.model import monitoring, scoring
from jixiao.model.project import (
    INDICATOR_DETAILS,
    AnnualRequest,
    FirstLevel,
    FundRow,
    Indicator,
    MonitorFunds,
    MonitorRow,
    Project,
    ProjectTotal,
    SelfEvalFunds,
    TargetFunds,
)
from jixiao.model.settings import Settings
from jixiao.model.vocab import DECLARATION_CATEGORIES, FRAMEWORK, TARGET_CATEGORIES, FormKind
from jixiao.render import formatting as f
from jixiao.render import measure
from jixiao.render.grid import Cell, Grid, Role, Row, Section
from jixiao.render.paginate import paginate
from jixiao.render.variant import SECTIONS, HeaderStyle, Variant
from jixiao.render.words import is_figure, label_words, name_words, text_words

DASH = "—"

# How an indicator detail is named where the form names it (the key 评分标准 is printed
# 评（扣）分标准).
DETAIL_LABELS = {"评分标准": "评（扣）分标准"}

# The fields printed as names: they break between words only (render/words.py).
NAMES = ("项目名称", "主管部门", "实施单位")


def L(text: str, **kw: object) -> Cell:
    return Cell(text, Role.LABEL, words=label_words(text), **kw)  # type: ignore[arg-type]


def H(text: str) -> Cell:
    """A column header: 一级指标, 年初预算数 …"""
    return Cell(text, Role.HEAD, words=label_words(text))


def V(text: str, source: str, **kw: object) -> Cell:
    """A value: a name breaks between its words, a figure (``=100%``, ``4.9``) not at all."""
    if source in NAMES:
        return Cell(text, Role.VALUE, source=source, words=name_words(text), **kw)  # type: ignore[arg-type]
    if is_figure(text):
        return Cell(text, Role.VALUE, source=source, nowrap=True, **kw)  # type: ignore[arg-type]
    return Cell(text, Role.VALUE, source=source, words=text_words(text), running=True, **kw)  # type: ignore[arg-type]


def T(text: str, source: str, colspan: int = 1) -> Cell:
    """Long text (a goal): top-left, its figures kept whole."""
    return Cell(text, Role.LONG, source=source, colspan=colspan, words=text_words(text), running=True)


def A(text: str, source: str, **kw: object) -> Cell:
    """An amount, a score or a percentage: right-aligned, on one line."""
    return Cell(text, Role.AMOUNT, source=source, nowrap=True, **kw)  # type: ignore[arg-type]


def D(text: str, source: str, colspan: int = 1) -> Cell:
    """A date, on one line."""
    return Cell(text, Role.VALUE, source=source, colspan=colspan, nowrap=True)


def B(text: str, **kw: object) -> Cell:
    """A side label (项目资金（万元）, 项目绩效目标, 绩效指标): centred. Its lines are set by
    the text (项目资金 / （万元）) and its column's width, which holds each on at most two
    lines between words (:func:`cell_min_em`): no word markup needed."""
    return Cell(text, Role.BLOCK, **kw)  # type: ignore[arg-type]


def build_grid(project: Project, variant: Variant, settings: Settings, variant_name: str = "",
               prelude_mm: float = 0.0) -> Grid:
    """The project's form, cut into pages (``prelude_mm``: room taken above its first page)."""
    year = project.year or 0
    if _family(project.form) is not variant.header.form_family:
        raise TemplateError(f"表样「{variant_name or project.effective_variant}」印的是{variant.form.value}，"
                            f"不能印{project.form.value}；请在规格里写对应的 表样")
    font_pt = float(variant.font_pt)
    sections = _sections(project, variant, settings, variant.widths)
    for section in sections:
        section.check_shape()
    title = variant.title
    year_line = variant.year_line.replace("{年度}", str(year))
    return paginate(Grid(
        title=title,
        year_line=year_line,
        sections=tuple(fitted(section, font_pt) for section in sections),
        meta={"标题": f"{project.name} {title}（{year}年度）", "作者": project.department,
              "主题": f"{project.unit} {project.name}"},
        shell={"标题": title, "年度行": year_line, "年度": project.year or "",
               "项目名称": project.name, "主管部门": project.department, "实施单位": project.unit},
        variant=variant_name or project.effective_variant,
        font_pt=font_pt,
    ), prelude_mm)


def _family(form: FormKind) -> FormKind:
    """Target and declaration tables are printed by the same kinds of header."""
    return FormKind.TARGET if form is FormKind.DECLARATION else form


def _sections(project: Project, variant: Variant, settings: Settings,
              widths: Mapping[str, tuple[float, ...]]) -> tuple[Section, ...]:
    """The four parts of the form, in print order: 表头, 资金, 目标, 指标."""
    if project.form is FormKind.MONITOR:
        return (_monitor_header(project, variant, widths["表头"]),
                _monitor_funds(project, variant, widths["资金"]),
                _monitor_goals(project, widths["目标"]),
                _indicators(project, variant, widths["指标"], settings))
    if project.form is FormKind.SELF_EVAL:
        return (_self_eval_header(project, widths["表头"]),
                _self_eval_funds(project, variant, settings, widths["资金"]),
                _self_eval_goals(project, widths["目标"]),
                _indicators(project, variant, widths["指标"], settings))
    return (_planning_header(project, variant, widths["表头"]),
            _planning_funds(project, variant, widths["资金"]),
            _planning_goals(project, variant, widths["目标"]),
            _indicators(project, variant, widths["指标"], settings))


def column_counts(header: HeaderStyle, details: int = 0) -> dict[str, int]:
    """How many columns each part of a form with this header (and ``details`` 指标明细栏)
    has: counted from the rows built above for an empty project (a part's first row has no
    cell spanning into it), so a variant's 栏宽 is checked against the layout itself."""
    form = header.form_family
    probe = Variant(header=header, widths={section: (1.0,) for section in SECTIONS},
                    details={name: name for name in INDICATOR_DETAILS[:details]})
    parts = _sections(Project(form=form), probe, Settings(), probe.widths)
    return {section: sum(cell.colspan for cell in part.rows()[0]) for section, part in zip(SECTIONS, parts, strict=True)}


# -- column widths ---------------------------------------------------------------------------------

# The 一级 and 二级 columns of the indicator grid hold every label of the standard
# vocabulary on at most two lines (数量指标 on one, 服务对象满意度指标 on two), whatever
# the table holds, so every table of a variant has the same label columns.
LEVEL1_WORDS = tuple(label_words(name) for name in FRAMEWORK)
LEVEL2_WORDS = tuple(label_words(name) for names in FRAMEWORK.values() for name in names)
LEVEL_SOURCES = {"一级指标": LEVEL1_WORDS, "二级指标": LEVEL2_WORDS}
# A field label this wide (em) or narrower is printed on one line.
SHORT_LABEL_EM = 6.0


def cell_min_em(cell: Cell) -> float:
    """The width (em) below which ``cell`` would print badly: a figure on one line, no word
    broken, a label or column header on at most two lines."""
    if cell.nowrap:
        return measure.text_em(cell.text)
    if cell.source in LEVEL_SOURCES:
        return max(measure.two_line_em(w) for w in (*LEVEL_SOURCES[cell.source], cell.words))
    if cell.role in (Role.BLOCK, Role.HEAD):
        return measure.two_line_em(cell.words or label_words(cell.text))
    if cell.role is Role.LABEL:
        # a short field label on one line (计划开始日期, not 计划开始日 / 期), a longer one on two
        one_line = measure.text_em(cell.text)
        return one_line if one_line <= SHORT_LABEL_EM else measure.two_line_em(cell.words)
    return measure.widest_word_em(cell.words)


def fitted(section: Section, font_pt: float) -> Section:
    """``section`` with column widths (percent of the text width) from its variant's
    proportions, widened where a column's content needs it (render/measure.py)."""
    minimum = [0.0] * len(section.widths)
    for _row, col, cell in section.positions():
        if cell.colspan == 1 and cell.text:
            minimum[col] = max(minimum[col], measure.cell_mm(cell_min_em(cell), font_pt))
    widths = measure.fit_widths(section.widths, minimum, measure.TEXT_WIDTH_MM)
    return replace(section, widths=tuple(round(100 * w / measure.TEXT_WIDTH_MM, 3) for w in widths))


# -- target / declaration ----------------------------------------------------------------


def _planning_header(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    date_style = v.date_style
    if v.header is HeaderStyle.NATURE_AND_CATEGORY:
        first: Row = (L("项目名称"), V(p.name, "项目名称"), L("项目性质"), V(p.nature or "", "项目性质"),
                      L("项目类别"), V(p.category or "", "项目类别"))
        span = 3  # the second value spans 项目性质 … 项目类别 …
    elif v.header is HeaderStyle.NATURE_AS_CATEGORY:
        first = (L("项目名称"), V(p.name, "项目名称"), L("项目类别"), V(p.nature or "", "项目性质"))
        span = 1
    else:
        options = TARGET_CATEGORIES if p.form is FormKind.TARGET else DECLARATION_CATEGORIES
        first = (L("项目名称"), V(p.name, "项目名称"), L("项目类别"),
                 V(f.checkboxes(options, p.category), "项目类别"))
        span = 1
    rows: tuple[Row, ...] = (
        first,
        (L("主管部门"), V(p.department, "主管部门"), L("实施单位"), V(p.unit, "实施单位", colspan=span)),
        (L("计划开始日期"), D(f.date_text(p.start, date_style), "计划开始日期"), L("计划完成日期"),
         D(f.date_text(p.end, date_style), "计划完成日期", colspan=span)),
    )
    return Section(widths, (rows,), name="header")


def _planning_funds(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    # A checked spec always has both halves; one rendered with --force may lack either (or
    # hold a self-evaluation block): what is missing prints blank, as on an unfilled form.
    funds = p.funds if isinstance(p.funds, TargetFunds) else TargetFunds()
    whole, annual = funds.project or ProjectTotal(), funds.annual or AnnualRequest()
    unit = funds.unit.value if funds.unit else ""

    def M(value: object, source: str) -> Cell:
        return A(f.amount(value, v.amounts), source)  # type: ignore[arg-type]

    rows: tuple[Row, ...] = (
        (B(f"项目资金\n（{unit}）", rowspan=4), L("项目资金总额"), M(whole.total, "项目资金总额"),
         L("年度资金申请总额"), M(annual.total, "年度资金申请总额")),
        (L("其中：财政资金"), M(whole.fiscal, "财政资金"), L("其中：当年财政拨款"),
         M(annual.current, "当年财政拨款")),
        (L(""), Cell(""), L("上年结转资金"), M(annual.carryover, "上年结转资金")),
        (L("其他资金"), M(whole.other, "其他资金"), L("其他资金"), M(annual.other, "其他资金（年度）")),
    )
    return Section(widths, (rows,), name="funds")


def _planning_goals(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    goal = p.overall_goal
    period = goal.period if goal is not None else None
    overall = "项目总目标" + (f"\n（{period[0]}年-{period[1]}年）" if period else "")
    rows: tuple[Row, ...] = (
        (B("项目绩效目标", rowspan=2), L(overall), L(v.label("年度目标", "年度总体目标"))),
        (T(goal.text if goal else "", "项目总目标"), T(p.annual_goal, "年度总体目标")),
    )
    return Section(widths, (rows,), name="goals")


# -- self-evaluation -----------------------------------------------------------------------


def _self_eval_header(p: Project, widths: tuple[float, ...]) -> Section:
    rows: tuple[Row, ...] = (
        (L("项目名称"), V(p.name, "项目名称", colspan=3)),
        (L("主管部门"), V(p.department, "主管部门"), L("实施单位"), V(p.unit, "实施单位")),
    )
    return Section(widths, (rows,), name="header")


def _self_eval_funds(p: Project, v: Variant, s: Settings, widths: tuple[float, ...]) -> Section:
    funds = p.funds if isinstance(p.funds, SelfEvalFunds) else SelfEvalFunds()  # see _planning_funds
    unit = funds.unit.value if funds.unit else ""

    def money(row: FundRow | None, label: str) -> tuple[Cell, ...]:
        return tuple(A(f.amount(getattr(row, attr) if row else None, v.amounts), f"{label}.{name}")
                     for attr, name in (("initial", "年初预算数"), ("budget", "全年预算数"),
                                        ("executed", "全年执行数")))

    rate = scoring.execution_rate(funds, s)
    money_score = funds.score if funds.score is not None else scoring.fund_score(funds, s)
    rows: list[Row] = [
        (B(f"项目资金\n（{unit}）", rowspan=5), L(""),
         *(H(h) for h in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"))),
        (L("年度资金总额"), *money(funds.total, "年度资金总额"), A(f.score(funds.weight), "分值"),
         A(f.percent(rate), "执行率"), A(f.score(money_score), "得分")),
    ]
    for label, row in funds.rows():
        rows.append((L(("其中：" if label == "当年财政拨款" else "") + label), *money(row, label),
                     Cell(DASH, Role.HEAD, colspan=3)))
    return Section(widths, (tuple(rows),), name="funds")


def _self_eval_goals(p: Project, widths: tuple[float, ...]) -> Section:
    rows: tuple[Row, ...] = (
        (B("年度\n总体目标", rowspan=2), L("预期目标"), L("实际完成情况")),
        (T(p.expected, "预期目标"), T(p.achieved, "实际完成情况")),
    )
    return Section(widths, (rows,), name="goals")


# -- mid-year monitoring (docs/monitoring.md) ----------------------------------------------


def _monitor_header(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    period = monitoring.period_label(p.cutoff)
    rows: tuple[Row, ...] = (
        (L("项目名称"), V(p.name, "项目名称"), L("项目类别"), V(p.category or "", "项目类别")),
        (L("主管部门"), V(p.department, "主管部门"), L("实施单位"), V(p.unit, "实施单位")),
        (L("监控期间"), V(f"{p.year}年{period}" if period else "", "监控截止"), L("监控截止日期"),
         D(f.date_text(p.cutoff, v.date_style), "监控截止")),
    )
    return Section(widths, (rows,), name="header")


def _monitor_funds(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    funds = p.funds if isinstance(p.funds, MonitorFunds) else MonitorFunds()  # see _planning_funds
    unit = funds.unit.value if funds.unit else ""
    period = monitoring.period_label(p.cutoff)
    heads = ("年初预算数", "调整后预算数", f"{period}执行数", f"{period}执行率", "全年预计执行数")

    def cells(row: MonitorRow | None, label: str) -> tuple[Cell, ...]:
        def money(attr: str, name: str) -> Cell:
            return A(f.amount(getattr(row, attr) if row else None, v.amounts), f"{label}.{name}")

        # The rate printed is the one computed (check reports a written one that differs);
        # a rate written where none can be computed (执行数 blank) prints as written.
        rate = monitoring.printed_rate(row)
        if rate is None and row is not None:
            rate = row.rate
        return (money("initial", "年初预算数"), money("adjusted", "调整后预算数"), money("executed", "执行数"),
                A(f.percent(rate), f"{label}.执行率"), money("forecast", "全年预计执行数"))

    rows: list[Row] = [(B(f"项目资金\n（{unit}）", rowspan=5), L(""), *(H(h) for h in heads))]
    for label, row in funds.rows():
        rows.append((L(("其中：" if label == "财政资金" else "") + label), *cells(row, label)))
    rows.append((L("原因说明"), T(funds.remedy or "", "原因说明", colspan=len(heads))))
    return Section(widths, (tuple(rows),), name="funds")


def _monitor_goals(p: Project, widths: tuple[float, ...]) -> Section:
    period = monitoring.period_label(p.cutoff)
    rows: tuple[Row, ...] = (
        (B("年度\n总体目标", rowspan=2), L("年度总体目标"), L(f"{period}执行情况")),
        (T(p.annual_goal, "年度总体目标"), T(p.progress, "目标执行情况")),
    )
    return Section(widths, (rows,), name="goals")


# -- the indicator grid --------------------------------------------------------------------


def _indicators(p: Project, v: Variant, widths: tuple[float, ...], s: Settings) -> Section:
    self_eval = p.form is FormKind.SELF_EVAL
    heads = ["一级指标", "二级指标", "三级指标", v.label("指标值", "年度指标值"), *(v.details or {}).values()]
    if self_eval:
        heads += ["实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    elif p.form is FormKind.MONITOR:
        heads += [f"{monitoring.period_label(p.cutoff)}实际完成值", *MONITOR_COLUMNS[1:]]
    rows = sum(len(_lines(level)) for level in p.indicators)
    # The side label spans the header and every indicator row, centred as 项目资金 is in
    # its block; render/paginate.py splits it (and the 一级/二级 cells) where a page breaks.
    head: Row = (B("绩效指标", rowspan=1 + rows), *(H(h) for h in heads))
    bodies = [_level_rows(level, v, p.form) for level in p.indicators]
    if self_eval:
        total = p.total_score if p.total_score is not None else scoring.total_score(p, s)
        weights = scoring.weight_total(p)
        grade = f"自评等级：{scoring.grade(total)}" if total is not None else ""
        label = B("总分", colspan=6 + len(v.details or {}))  # up to 实际完成值
        bodies.append(((label, A(f.score(weights), "分值合计"), A(f.score(total), "总分"),
                        Cell(grade, Role.HEAD, source="自评等级")),))
    return Section(widths, tuple(bodies), head=(head,), name="indicators")


def _lines(level: FirstLevel) -> list[tuple[str, Indicator | None, int]]:
    """(二级 name, indicator, index within its 二级) of every row of a 一级 group."""
    lines: list[tuple[str, Indicator | None, int]] = []  # (二级 name, indicator, index within 二级)
    for child in level.children:
        if child.placeholder or not child.indicators:
            lines.append((child.name, None, 0))
        else:
            lines.extend((child.name, ind, i) for i, ind in enumerate(child.indicators, 1))
    if not lines:
        lines.append(("无", None, 0))
    return lines


def _level_rows(level: FirstLevel, v: Variant, form: FormKind) -> tuple[Row, ...]:
    """One 一级 group: its cell spans all its rows; each 二级 spans its 三级 rows."""
    lines = _lines(level)
    rows: list[Row] = []
    for n, (name2, ind, index) in enumerate(lines):
        cells: list[Cell] = []
        if n == 0:
            cells.append(Cell(level.name, Role.LABEL, rowspan=len(lines), source="一级指标",
                              words=label_words(level.name)))
        if index <= 1:
            span = sum(1 for other in lines if other[0] == name2) if index == 1 else 1
            cells.append(Cell(name2, Role.LABEL, rowspan=span, source="二级指标", words=label_words(name2)))
        cells.extend(_indicator_cells(ind, index, v, form))
        rows.append(tuple(cells))
    return tuple(rows)


# The monitoring form's columns after 年度指标值 (the first printed with its period, 1-7月).
MONITOR_COLUMNS = ("实际完成值", "全年预计完成值", "完成目标可能性", "偏差原因", "原因说明及纠偏措施")


def _indicator_cells(ind: Indicator | None, index: int, v: Variant, form: FormKind) -> list[Cell]:
    columns = v.details or {}
    self_eval = form is FormKind.SELF_EVAL
    if ind is None:
        cells = [V("无", "三级指标"), V("无", "年度指标值"), *(V("", "") for _ in columns)]
        if form is FormKind.MONITOR:
            return cells + [V("", "") for _ in MONITOR_COLUMNS]
        return cells + ([V("", ""), V("", ""), V("", ""), V("", "")] if self_eval else [])
    name = f"指标{index}：{ind.name}" if v.numbering else ind.name
    src = f"三级指标「{ind.name}」"
    details = ind.details()
    # The details the variant has no column for are shown in the HTML view only, as the
    # 三级指标 cell's tooltip: the printed form (PDF, DOCX, print) does not change.
    hidden = "\n".join(f"{DETAIL_LABELS.get(k, k)}：{t}" for k, t in details.items() if k not in columns)
    cells = [V(name, src, note=hidden), V(ind.target, f"{src}的年度指标值"),
             *(V(details.get(key, ""), f"{src}的{key}") for key in columns)]
    if self_eval:
        cells += [V(ind.actual or "", f"{src}的实际完成值"),
                  A(f.score(ind.weight), f"{src}的分值"), A(f.score(ind.score), f"{src}的得分"),
                  V(ind.deviation or "", f"{src}的偏差原因")]
    elif form is FormKind.MONITOR:
        cells += [V(ind.actual or "", f"{src}的实际完成值"), V(ind.forecast or "", f"{src}的全年预计完成值"),
                  V(ind.likelihood or "", f"{src}的完成目标可能性"), V(ind.reasons or "", f"{src}的偏差原因"),
                  V(ind.remedy or "", f"{src}的原因说明及纠偏措施")]
    return cells
