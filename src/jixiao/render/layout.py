"""From a project and its variant to the table grid, as on the official forms."""

from __future__ import annotations

from jixiao.model import scoring
from jixiao.model.project import (
    AnnualRequest,
    FirstLevel,
    FundRow,
    Indicator,
    Project,
    ProjectTotal,
    SelfEvalFunds,
    TargetFunds,
)
from jixiao.model.settings import Settings
from jixiao.model.vocab import DECLARATION_CATEGORIES, TARGET_CATEGORIES, FormKind
from jixiao.render import formatting as f
from jixiao.render.grid import Cell, Grid, Role, Row, Section
from jixiao.render.variant import HeaderStyle, Variant

DASH = "—"
# An indicator grid of at most this many rows fits on a page below its header block, so it
# is kept whole; a longer one breaks between 一级 groups.
KEEP_ROWS = 15


def L(text: str, **kw: object) -> Cell:
    return Cell(text, Role.LABEL, **kw)  # type: ignore[arg-type]


def V(text: str, source: str, **kw: object) -> Cell:
    return Cell(text, Role.VALUE, source=source, **kw)  # type: ignore[arg-type]


def build_grid(project: Project, variant: Variant, settings: Settings, variant_name: str = "") -> Grid:
    year = project.year or 0
    widths = variant.widths
    if project.form is FormKind.SELF_EVAL:
        sections = (_self_eval_header(project, widths["表头"]),
                    _self_eval_funds(project, variant, settings, widths["资金"]),
                    _self_eval_goals(project, widths["目标"]),
                    _indicators(project, variant, widths["指标"], settings))
    else:
        sections = (_planning_header(project, variant, widths["表头"]),
                    _planning_funds(project, variant, widths["资金"]),
                    _planning_goals(project, variant, widths["目标"]),
                    _indicators(project, variant, widths["指标"], settings))
    for section in sections:
        section.check_shape()
    title = variant.title
    return Grid(
        title=title,
        year_line=variant.year_line.replace("{年度}", str(year)),
        sections=sections,
        meta={"标题": f"{project.name} {title}（{year}年度）", "作者": project.department,
              "主题": f"{project.unit} {project.name}"},
        variant=variant_name or project.effective_variant,
        font_pt=float(variant.font_pt),
    )


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
        (L("计划开始日期"), V(f.date_text(p.start, date_style), "计划开始日期"), L("计划完成日期"),
         V(f.date_text(p.end, date_style), "计划完成日期", colspan=span)),
    )
    return Section(widths, (rows,), name="header")


def _planning_funds(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    # A checked spec always has both halves; one rendered with --force may lack either (or
    # hold a self-evaluation block): what is missing prints blank, as on an unfilled form.
    funds = p.funds if isinstance(p.funds, TargetFunds) else TargetFunds()
    whole, annual = funds.project or ProjectTotal(), funds.annual or AnnualRequest()
    unit = funds.unit.value if funds.unit else ""

    def A(value: object, source: str) -> Cell:
        return Cell(f.amount(value, v.amounts), Role.AMOUNT, source=source)  # type: ignore[arg-type]

    rows: tuple[Row, ...] = (
        (Cell(f"项目资金\n（{unit}）", Role.BLOCK, rowspan=4), L("项目资金总额"), A(whole.total, "项目资金总额"),
         L("年度资金申请总额"), A(annual.total, "年度资金申请总额")),
        (L("其中：财政资金"), A(whole.fiscal, "财政资金"), L("其中：当年财政拨款"),
         A(annual.current, "当年财政拨款")),
        (L(""), Cell(""), L("上年结转资金"), A(annual.carryover, "上年结转资金")),
        (L("其他资金"), A(whole.other, "其他资金"), L("其他资金"), A(annual.other, "其他资金（年度）")),
    )
    return Section(widths, (rows,), name="funds")


def _planning_goals(p: Project, v: Variant, widths: tuple[float, ...]) -> Section:
    goal = p.overall_goal
    period = goal.period if goal is not None else None
    overall = "项目总目标" + (f"\n（{period[0]}年-{period[1]}年）" if period else "")
    rows: tuple[Row, ...] = (
        (Cell("项目绩效目标", Role.BLOCK, rowspan=2), L(overall), L(v.label("年度目标", "年度总体目标"))),
        (Cell(goal.text if goal else "", Role.LONG, source="项目总目标"),
         Cell(p.annual_goal, Role.LONG, source="年度总体目标")),
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
        return tuple(Cell(f.amount(getattr(row, attr) if row else None, v.amounts), Role.AMOUNT,
                          source=f"{label}.{name}")
                     for attr, name in (("initial", "年初预算数"), ("budget", "全年预算数"),
                                        ("executed", "全年执行数")))

    rate = scoring.execution_rate(funds, s)
    money_score = funds.score if funds.score is not None else scoring.fund_score(funds, s)
    rows: list[Row] = [
        (Cell(f"项目资金\n（{unit}）", Role.BLOCK, rowspan=5), L(""), *(Cell(h, Role.HEAD) for h in
                                                                    ("年初预算数", "全年预算数", "全年执行数",
                                                                     "分值", "执行率", "得分"))),
        (L("年度资金总额"), *money(funds.total, "年度资金总额"),
         Cell(f.score(funds.weight), Role.AMOUNT, source="分值"),
         Cell(f.percent(rate), Role.AMOUNT, source="执行率"),
         Cell(f.score(money_score), Role.AMOUNT, source="得分")),
    ]
    for label, row in funds.rows():
        rows.append((L(("其中：" if label == "当年财政拨款" else "") + label), *money(row, label),
                     Cell(DASH, Role.HEAD, colspan=3)))
    return Section(widths, (tuple(rows),), name="funds")


def _self_eval_goals(p: Project, widths: tuple[float, ...]) -> Section:
    rows: tuple[Row, ...] = (
        (Cell("年度\n总体目标", Role.BLOCK, rowspan=2), L("预期目标"), L("实际完成情况")),
        (Cell(p.expected, Role.LONG, source="预期目标"), Cell(p.achieved, Role.LONG, source="实际完成情况")),
    )
    return Section(widths, (rows,), name="goals")


# -- the indicator grid --------------------------------------------------------------------


def _indicators(p: Project, v: Variant, widths: tuple[float, ...], s: Settings) -> Section:
    self_eval = p.form is FormKind.SELF_EVAL
    heads = ["一级指标", "二级指标", "三级指标", v.label("指标值", "年度指标值")]
    if self_eval:
        heads += ["实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    head: Row = (Cell("绩效指标", Role.BLOCK), *(Cell(h, Role.HEAD) for h in heads))
    bodies = [_level_rows(level, v, self_eval) for level in p.indicators]
    bodies = [b for b in bodies if b]
    if self_eval:
        total = p.total_score if p.total_score is not None else scoring.total_score(p, s)
        weights = scoring.weight_total(p)
        grade = f"自评等级：{scoring.grade(total)}" if total is not None else ""
        bodies.append(((Cell("总分", Role.BLOCK, colspan=6), Cell(f.score(weights), Role.AMOUNT, source="分值合计"),
                        Cell(f.score(total), Role.AMOUNT, source="总分"), Cell(grade, Role.HEAD, source="自评等级")),))
    rows = sum(len(b) for b in bodies)
    return Section(widths, tuple(bodies), head=(head,), name="indicators", keep_together=rows <= KEEP_ROWS)


def _level_rows(level: FirstLevel, v: Variant, self_eval: bool) -> tuple[Row, ...]:
    """One 一级 group: its cell spans all its rows; each 二级 spans its 三级 rows."""
    lines: list[tuple[str, Indicator | None, int]] = []  # (二级 name, indicator, index within 二级)
    for child in level.children:
        if child.placeholder or not child.indicators:
            lines.append((child.name, None, 0))
        else:
            lines.extend((child.name, ind, i) for i, ind in enumerate(child.indicators, 1))
    if not lines:
        lines.append(("无", None, 0))
    rows: list[Row] = []
    for n, (name2, ind, index) in enumerate(lines):
        cells: list[Cell] = []
        if n == 0:
            cells.append(Cell("", Role.BLOCK, rowspan=len(lines), continuation=True))
            cells.append(Cell(level.name, Role.LABEL, rowspan=len(lines), source="一级指标"))
        if index <= 1:
            span = sum(1 for other in lines if other[0] == name2) if index == 1 else 1
            cells.append(Cell(name2, Role.LABEL, rowspan=span, source="二级指标"))
        cells.extend(_indicator_cells(ind, index, v, self_eval))
        rows.append(tuple(cells))
    return tuple(rows)


def _indicator_cells(ind: Indicator | None, index: int, v: Variant, self_eval: bool) -> list[Cell]:
    if ind is None:
        cells = [V("无", "三级指标"), V("无", "年度指标值")]
        return cells + ([V("", ""), V("", ""), V("", ""), V("", "")] if self_eval else [])
    name = f"指标{index}：{ind.name}" if v.numbering else ind.name
    src = f"三级指标「{ind.name}」"
    cells = [V(name, src), V(ind.target, f"{src}的年度指标值")]
    if self_eval:
        cells += [V(ind.actual or "", f"{src}的实际完成值"),
                  Cell(f.score(ind.weight), Role.AMOUNT, source=f"{src}的分值"),
                  Cell(f.score(ind.score), Role.AMOUNT, source=f"{src}的得分"),
                  V(ind.deviation or "", f"{src}的偏差原因")]
    return cells
