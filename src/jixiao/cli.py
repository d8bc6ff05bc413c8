"""The ``jixiao`` command line: a thin layer over the library.

Each command parses its options, calls the library (:mod:`jixiao.commands` or a
stage package), and prints. Errors are turned into messages and exit codes in
exactly one place, :meth:`jixiao.cli_base.Jixiao.main`, which both the ``jixiao`` console script
(:func:`main`) and click's ``CliRunner`` go through.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from jixiao import __version__
from jixiao.cache import CACHE_DIR_NAME
from jixiao.cache import clear as clear_cache
from jixiao.cli_base import DefaultGroup, Group, Jixiao, jobs_option
from jixiao.cli_preview import preview
from jixiao.commands import (
    Checked,
    Disclosed,
    DisclosureFile,
    Scored,
    disclose_specs,
    import_sources,
    load_checked,
    render_specs,
    score_suggestions,
)
from jixiao.errors import JixiaoError, Severity, UnreadFiles, UsageError
from jixiao.files import Written, write_if_changed
from jixiao.jsonschema import defaults_schema, project_schema
from jixiao.load.workspace import Skipped, display_path, load_workspace
from jixiao.model.project import PAGE_STYLES
from jixiao.model.values import fmt, parse_date
from jixiao.model.vocab import FormKind, MoneyUnit
from jixiao.monitor import init as monitor_specs
from jixiao.render import Rendered, parse_formats
from jixiao.render.variant import BUILTIN_TEMPLATES, copy_builtin_templates
from jixiao.reporting import REPORT_FORMATS
from jixiao.rules import RULES, rules_markdown
from jixiao.scaffold import new_department, new_project, new_unit, new_workspace
from jixiao.selfeval import init
from jixiao.validate import check_workspace

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# -- options and helpers shared by the commands ----------------------------------------------------


F = TypeVar("F", bound=Callable[..., Any])


def _options(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Several option decorators as one, listed in the order they show in --help."""
    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f
    return decorate


def _cache_option() -> Any:
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help=f"不用构建缓存，每个文件都重新排版（缓存在输出目录的 {CACHE_DIR_NAME} 里；jixiao cache clear 删除）。")


def _output_options(formats: str, formats_help: str, template_help: str) -> Callable[[F], F]:
    """--format, -o and --template of the commands that write tables (render, disclose)."""
    return _options(
        click.option("--format", "formats", default=formats, metavar="格式", help=formats_help),
        click.option("-o", "--output", "out_dir", default="output", metavar="目录", help="输出目录（默认 output/）。",
                     type=click.Path(file_okay=False, path_type=Path)),
        click.option("--template", "template_dir", metavar="目录", help=template_help,
                     type=click.Path(exists=True, file_okay=False, path_type=Path)),
    )


def _help_option() -> Any:
    return click.help_option("-h", "--help", help="显示本帮助并退出。")


def _quiet_option() -> Any:
    return click.option("-q", "--quiet", is_flag=True, help="只印最后的汇总（和错误）。")


class _Progress:
    """What a long command says while it works.

    On a terminal: one line that counts, ``[12/74] 名称``, rewritten in place. Otherwise
    (a pipe, a log, CI): a line per file, as before, for scripts to read. With
    ``--quiet``: nothing but the summary.

    With ``err``, the counting line goes to stderr and depends on stderr being a
    terminal (``check``, whose stdout is the report); :meth:`count` draws only there.
    """

    INTERVAL = 0.1  # seconds between redraws of a fast count

    def __init__(self, total: int, quiet: bool, *, err: bool = False) -> None:
        self.total, self.done, self.quiet, self.err = total, 0, quiet, err
        self.live = not quiet and (sys.stderr if err else sys.stdout).isatty()
        self.drawn = False
        self._last = 0.0

    @property
    def lines(self) -> bool:
        """Whether the per-file lines are printed (not a terminal, not quiet)."""
        return not self.live and not self.quiet

    def step(self, label: str, lines: Sequence[str] = ()) -> None:
        """One piece done: redraw the count on a terminal, else print its ``lines``."""
        self.done += 1
        if self.live:
            self._draw(f"[{self.done}/{self.total}] {label}")
        elif not self.quiet:
            for line in lines:
                click.echo(line)

    def count(self, label: str, done: int, total: int) -> None:
        """``[done/total] label`` on a terminal, redrawn at most every INTERVAL (and at the end); else nothing."""
        self.done, self.total = done, total
        now = time.monotonic()
        if self.live and (done == total or now - self._last >= self.INTERVAL):
            self._last = now
            self._draw(f"[{done}/{total}] {label}")

    def note(self, line: str) -> None:
        """A line that stays (unless quiet): printed above the counting line, which the next step redraws."""
        if not self.quiet:
            self.close()
            click.echo(line)

    def _draw(self, text: str) -> None:
        click.echo(f"\r\033[K{text}", nl=False, err=self.err)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            click.echo("\r\033[K", nl=False, err=self.err)
            self.drawn = False


# check counts on a terminal only from this many files: fewer are done before it would show.
_CHECK_COUNT_FROM = 200


def _say_skipped(skipped: Sequence[Skipped]) -> None:
    for s in skipped:
        click.echo(f"已跳过 {s.display}：{s.reason}", err=True)


def _checked(paths: Sequence[str], refusal: str, force: bool = False) -> Checked:
    """:func:`~jixiao.commands.load_checked`, saying which files with errors --force goes on with."""
    checked = load_checked(paths, force, refusal)
    _say_skipped(checked.workspace.skipped)
    if checked.broken:
        click.echo(f"警告：以下 {len(checked.broken)} 个文件有错误，按 --force 仍然继续：", err=True)
        for name in checked.broken:
            click.echo(f"  {name}", err=True)
    return checked


@click.group("jixiao", cls=Jixiao, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="jixiao",
                      message="%(prog)s %(version)s", help="显示版本并退出。")
@_help_option()
def cli() -> None:
    """jixiao（绩效）：把 YAML 项目规格变成财政项目支出绩效目标表、申报表、运行监控表和自评表。

    \b
    常用：
      jixiao check specs/          检查全部规格
      jixiao preview specs/ --open 在浏览器里边改边看
      jixiao export specs/ --format json
      jixiao schema > project.schema.json
    """


cli.add_command(preview)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="text",
              help="输出格式：text（默认）每个问题一行；json 机器可读；github 为 GitHub Actions 的注释（在代码旁显示）。")
@click.option("--strict", is_flag=True, help="警告也算错误（退出码 1）。")
@_help_option()
def check(paths: Sequence[str], fmt: str, strict: bool) -> None:
    """检查规格文件（文件或目录），一次列出全部问题。

    每个问题一行：路径:行:列: 错误|警告 [规则编号] 说明。没有错误时退出码为 0，有错误时为 1，用法错误为 2。规则一览见 jixiao rules。
    """
    shown = _Progress(0, quiet=False, err=True)

    def counting(label: str) -> Callable[[int, int], None]:
        def count(done: int, total: int) -> None:
            if total >= _CHECK_COUNT_FROM:
                shown.count(label, done, total)
        return count

    workspace = load_workspace(paths, counting("读取规格文件"))
    shown.close()
    _say_skipped(workspace.skipped)
    report = check_workspace(workspace, counting("检查"))
    shown.close()
    click.echo(REPORT_FORMATS[fmt](report), nl=False)
    failed = report.errors > 0 or (strict and report.warnings > 0)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json",
              help="输出格式：json（默认，印到标准输出）或 xlsx（预算系统导入用的「项目」「绩效指标」两张表，须用 -o 指定文件）。")
@click.option("-o", "--output", "output", metavar="文件", type=click.Path(dir_okay=False, path_type=Path),
              help="写到这个文件（xlsx 必须指定）。")
@click.option("--force", is_flag=True, help="即使规格有错误也导出。")
@_help_option()
def export(paths: Sequence[str], fmt: str, output: Path | None, force: bool) -> None:
    """导出规范化后的项目：继承的默认值已填入，计算值在「计算」下，金额为精确的十进制字符串；xlsx 的列见 docs/xlsx.md。

    上年实际值空着时，若一起给出的规格里有同一项目上一年度的自评表，取其实际完成值。
    """
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx 需要用 -o 指定输出文件，如 -o 导出.xlsx")
    from jixiao.export import export_specs, export_xlsx  # openpyxl: only where used

    checked = _checked(paths, "规格有错误，未导出；改正后重试，或用 --force 强制导出。", force)
    if fmt == "xlsx":
        assert output is not None
        data, unexported = export_xlsx(checked.workspace.specs)
        write_if_changed(output, data, output.resolve().parent)
        click.echo(f"已生成 {output}")
    else:
        exported = export_specs(checked.workspace.specs)
        text = json.dumps(exported.document, ensure_ascii=False, indent=2)
        if output is not None:
            write_if_changed(output, (text + "\n").encode("utf-8"), output.resolve().parent)
            click.echo(f"已生成 {output}")
        else:
            click.echo(text)
        unexported = exported.unexported
    for u in unexported:
        click.echo(f"未导出 {u.format()}", err=True)
    if names := [u.display for u in unexported]:
        raise UnreadFiles(f"{len(names)} 个文件无法读取，未导出：{'、'.join(names)}", names)


@cli.command()
@click.option("--kind", type=click.Choice(["project", "defaults"]), default="project",
              help="project（默认）：项目文件；defaults：目录的 _defaults.yaml。")
@_help_option()
def schema(kind: str) -> None:
    """输出规格文件的 JSON Schema（中文说明），供编辑器补全和悬停提示。

    在 YAML 文件第一行写：# yaml-language-server: $schema=<schema 文件路径>
    """
    data = project_schema() if kind == "project" else defaults_schema()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command()
@click.option("--markdown", is_flag=True, help="输出 Markdown 表格（docs/rules.md 即由此生成）。")
@_help_option()
def rules(markdown: bool) -> None:
    """列出全部检查规则及其编号、级别和说明。"""
    if markdown:
        click.echo(rules_markdown(), nl=False)
        return
    for r in RULES.values():
        click.echo(f"{r.id:32} {r.level_label}  {r.title}")


# -- new workspaces, departments, units, projects -------------------------------------------------


@cli.group(cls=DefaultGroup, default="workspace")
@_help_option()
def new() -> None:
    """新建工作区、主管部门、实施单位或项目规格，已有的文件不动。

    \b
    jixiao new 目录                          新建工作区（同 jixiao new workspace 目录）
    jixiao new department 主管部门 --year 2027
    jixiao new unit 实施单位 --in 主管部门/2027
    jixiao new project 项目名称 --in 主管部门/2027/实施单位
    """


def _in_option() -> Any:
    return click.option("--in", "folder", type=click.Path(file_okay=False), default=".", show_default=True,
                        metavar="目录", help="在哪个目录里新建（默认当前目录）。")


def _say_written(written: Sequence[Written]) -> None:
    for w in written:
        shown = display_path(w.path)
        click.echo(f"已创建 {shown}" if w.created else f"已存在，未改动 {shown}")


@new.command("workspace")
@click.argument("folder", type=click.Path(file_okay=False), metavar="目录")
@_help_option()
def new_workspace_cmd(folder: str) -> None:
    """新建工作区：标记文件 jixiao.toml、忽略生成表格的 .gitignore，以及让 VS Code 按 JSON Schema 检查、补全规格文件的设置。

    在已有的工作区里运行，只补上缺少的文件，并把 schema 更新到当前 jixiao 的版本。
    """
    _say_written(new_workspace(Path(folder)))
    click.echo(f"下一步：jixiao new department 主管部门名称 --year 年度 --in {folder}")


@new.command("department")
@click.argument("name", metavar="主管部门")
@click.option("--year", type=click.IntRange(1990, 2100), required=True, metavar="年度", help="年度，如 2027。")
@click.option("--form", type=click.Choice([f.value for f in FormKind]), default=FormKind.TARGET.value,
              show_default=True, help="这一年度的项目填哪种表格。")
@click.option("--unit", "money_unit", type=click.Choice([u.value for u in MoneyUnit]), default=MoneyUnit.WAN.value,
              show_default=True, help="金额单位。")
@_in_option()
@_help_option()
def new_department_cmd(name: str, year: int, form: str, money_unit: str, folder: str) -> None:
    """新建主管部门：部门目录的 _defaults.yaml（主管部门、金额单位）和年度目录的 _defaults.yaml（年度、表格、公开标题）。"""
    _say_written(new_department(Path(folder), name, year, FormKind(form), MoneyUnit(money_unit)))


@new.command("unit")
@click.argument("name", metavar="实施单位")
@_in_option()
@_help_option()
def new_unit_cmd(name: str, folder: str) -> None:
    """新建实施单位：年度目录下的单位目录和它的 _defaults.yaml（实施单位）。"""
    _say_written(new_unit(Path(folder), name))


@new.command("project")
@click.argument("name", metavar="项目名称")
@click.option("--form", type=click.Choice([f.value for f in FormKind]),
              help="表格种类（默认按目录 _defaults.yaml 的「表格」，再没有是绩效目标表）。")
@_in_option()
@_help_option()
def new_project_cmd(name: str, folder: str, form: str | None) -> None:
    """新建项目规格：表格的全部栏目按印出的顺序列好，空着的地方等你填写。"""
    written = new_project(Path(folder), name, FormKind(form) if form else None)
    shown = display_path(written.path)
    click.echo(f"已创建 {shown}")
    click.echo(f"填写空着的地方后运行 jixiao check {shown}：还没填的会逐项列出。")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_output_options("html,pdf", formats_help="要生成的格式，逗号分隔：html、pdf、docx、xlsx（默认 html,pdf）。",
                 template_help="使用自己的模板目录（用 jixiao templates copy 复制出内置模板后修改）。")
@click.option("--force", is_flag=True, help="规格有错误也生成（表上不加任何标记，只在终端提示）。")
@jobs_option()
@_cache_option()
@_quiet_option()
@_help_option()
def render(paths: Sequence[str], formats: str, out_dir: Path, template_dir: Path | None, force: bool,
           jobs: int, quiet: bool, no_cache: bool) -> None:
    """把项目规格生成正式表格：每个项目一份 HTML / PDF / DOCX / XLSX。

    文件按「主管部门/年度/实施单位/项目名称-表格」放在输出目录下。有错误的规格不生成（会印出错误的表），除非 --force。
    在终端上显示进度（[已完成/总数] 项目）；输出到管道或文件时每个文件一行「已生成 …」（内容没变、没有改写的文件是「未变 …」）。
    规格、模板、字体都没变的表格从构建缓存取出，不再排版；已是最新的文件不改写（修改时间不变）。
    """
    chosen = parse_formats(formats)
    checked = _checked(paths, "{n} 个文件有错误，未生成任何表格；改正后重试，或用 --force 强制生成。", force)

    shown = _Progress(len(checked.readable), quiet)

    def progress(rendered: Rendered) -> None:
        shown.step(rendered.spec.display, [f"{'未变' if path in rendered.unchanged else '已生成'} {path}"
                                           for path in rendered.files])

    result = render_specs(checked.workspace, chosen, out_dir, template_dir, jobs, progress, cache=not no_cache)
    shown.close()
    same = f"，其中 {len(result.unchanged)} 个没有变化，未改写" if result.unchanged else ""
    click.echo(f"共生成 {len(result.files)} 个文件（{result.projects} 个项目）{same}。")
    checked.fail_on_unread("未生成")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_output_options("pdf,docx,html", formats_help="要生成的格式，逗号分隔：pdf、docx、html、xlsx（默认 pdf,docx,html）。",
                 template_help="使用自己的模板目录。")
@click.option("--page-style", type=click.Choice(list(PAGE_STYLES)),
              help="页码样式：第N页共M页或 -N-；不写时用部门 _defaults.yaml 的「页码样式」，再不写为第N页共M页。")
@click.option("--date", "date", metavar="日期", help="封面上的公开日期，如 2026-01-20（默认不印）。")
@jobs_option()
@_cache_option()
@_quiet_option()
@_help_option()
def disclose(paths: Sequence[str], formats: str, out_dir: Path, template_dir: Path | None, page_style: str | None,
             date: str | None, jobs: int, quiet: bool, no_cache: bool) -> None:
    """汇编公开文档：每个主管部门、每个年度一份（预算公开：目标表；决算公开：自评表；另有运行监控表的监控情况汇总，不公开）。

    文档含封面、目录、项目汇总和每个项目的表格（按实施单位分组，各占新页），带页码和 PDF 书签。标为「公开: false」的项目不收录并列出；任何规格有错误时不生成。
    在终端上显示进度（[已完成/总数] 部门 年度 格式）和最后的汇总；输出到管道或文件时每个文件一行「已生成 …」。
    """
    chosen = parse_formats(formats)
    checked = _checked(paths, "{n} 个文件有错误，公开文档不能收录错误的表格；请先改正：{files}")
    shown = _Progress(0, quiet)

    def file_progress(f: DisclosureFile) -> None:
        shown.total = f.total
        d = f.document
        shown.step(f"{d.department} {d.year} {d.phase} {f.format.upper()}")

    def progress(done: Disclosed) -> None:
        d = done.document
        for item in d.excluded:
            shown.note(f"未收录 {item.spec.display}：标为不公开（{item.reason}）")
        if shown.lines:
            for path in done.files:
                click.echo(f"已生成 {path}（{len(d.units)} 个单位，{len(d.specs)} 个项目）")

    result = disclose_specs(checked.workspace, chosen, out_dir, template_dir, date, page_style, jobs, progress,
                            file_progress, cache=not no_cache)
    shown.close()
    if not shown.lines:  # a terminal or --quiet: the lines above were not printed, say what was done
        excluded = sum(len(r.document.excluded) for r in result)
        click.echo(f"共生成 {sum(len(r.files) for r in result)} 个文件（{len(result)} 份公开文档）"
                   + (f"；{excluded} 个项目标为不公开，未收录" if excluded else "") + "。")


@cli.group(cls=Group)
@_help_option()
def selfeval() -> None:
    """年终自评：由绩效目标表生成自评表骨架，并给出建议得分。"""


@selfeval.command("init")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), metavar="目录",
              help="写到这个目录（按 主管部门/年度/实施单位/项目名称.yaml）；默认写在目标表旁边，文件名加「-自评」。")
@click.option("--unit", type=click.Choice([u.value for u in MoneyUnit]), help="自评表的金额单位（默认沿用目标表），换算精确。")
@click.option("--force", is_flag=True, help="覆盖已有的自评表文件。")
@_help_option()
def selfeval_init(paths: Sequence[str], out_dir: str | None, unit: str | None, force: bool) -> None:
    """为每个绩效目标表 / 申报表写一份绩效自评表骨架。

    表头、指标和年度指标值照搬，年初预算数取目标表的年度资金，分值按常规分配（合计 100）；实际完成值、全年执行数、得分留空，由 jixiao check 逐项提示。已有的文件不覆盖，除非 --force。
    """
    checked = _checked(paths, "目标表有错误，未生成自评表；请先改正：{files}")
    money_unit = MoneyUnit(unit) if unit else None
    written = init(list(checked.workspace.specs), Path(out_dir) if out_dir else None, force, money_unit)
    for item in written:
        click.echo(f"已生成 {item.path}" if item.created else f"已存在，未改动 {item.path}（覆盖请加 --force）")
    if not written:
        click.echo("没有找到绩效目标表或申报表。")


@cli.group(cls=Group)
@_help_option()
def monitor() -> None:
    """年中运行监控：由绩效目标表生成绩效运行监控表骨架。"""


def _cutoff(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@monitor.command("init")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--cutoff", callback=_cutoff, metavar="日期",
              help="监控截止日期，如 2026-07-31（默认为表格年度的 7 月 31 日，印作「1-7月」）。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), metavar="目录",
              help="写到这个目录（按 主管部门/年度/实施单位/项目名称-监控.yaml）；默认写在目标表旁边，文件名加「-监控」。")
@_help_option()
def monitor_init(paths: Sequence[str], cutoff: date | None, out_dir: str | None) -> None:
    """为每个绩效目标表 / 申报表写一份绩效运行监控表骨架。

    表头、年度总体目标、指标和年度指标值照搬，年初预算数取目标表的年度资金申请；调整后预算数、执行数、实际完成值、全年预计数等留空，由 jixiao check 逐项提示。已有的文件从不覆盖。
    """
    checked = _checked(paths, "目标表有错误，未生成监控表；请先改正：{files}")
    specs = list(checked.workspace.specs)
    if cutoff is not None:
        wrong = sorted({str(s.project.year) for s in specs if s.project is not None and s.project.year != cutoff.year})
        if wrong:
            raise UsageError(f"监控截止日期 {cutoff.isoformat()} 不在表格年度（{'、'.join(wrong)} 年）之内")
    written = monitor_specs(specs, Path(out_dir) if out_dir else None, cutoff)
    for item in written:
        click.echo(f"已生成 {item.path}" if item.created else f"已存在，未改动 {item.path}")
    if not written:
        click.echo("没有找到绩效目标表或申报表。")


@selfeval.command("score")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--write", is_flag=True, help="把建议得分写进空着的得分（以及执行率、资金得分、总分）；已填的得分不动。")
@_help_option()
def selfeval_score(paths: Sequence[str], write: bool) -> None:
    """列出每个指标的建议得分；加 --write 填进空着的得分。"""

    def progress(scored: Scored) -> None:
        if write:
            for f in scored.filled:
                click.echo(f"{f.where}: 填入{f.what} {f.value}")
            if not scored.filled:
                click.echo(f"{scored.spec.display}: 没有可填的空得分")
        for h in scored.hints:
            s = h.suggestion
            click.echo(f"{h.where}: 「{h.name}」得分 {'未填' if h.score is None else fmt(h.score)}，建议 {fmt(s.score)}"
                       f"（{fmt(s.low)}–{fmt(s.high)}，{s.basis}）")

    score_suggestions(paths, write, progress)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), metavar="目录",
              help="写到这个工作区目录（按 主管部门/年度/实施单位/项目名称.yaml）；必填。")
@click.option("--strict", is_flag=True, help="有无法归位的单元格或需要核对的地方也算失败（退出码 1）。")
@click.option("--force", is_flag=True, help="覆盖已有的规格文件（已有的 _defaults.yaml 从不覆盖）。")
@_quiet_option()
@_help_option()
def import_cmd(paths: Sequence[str], out_dir: str | None, strict: bool, force: bool, quiet: bool) -> None:
    """把已有的表格导入为规格文件：Word 文档（.docx）、Excel 工作簿（.xlsx，也读 export --format xlsx 的平表）、PDF，或抽出的表格文字（.txt）。

    不支持的文件（.xls、.doc、图片……）逐个报为失败，并说另存为什么格式。

    每张表一个文件，原样导入（算错的金额照录，由 jixiao check 报告），只去掉排版痕迹（「指标1：」编号、标记、数字中的空格）。无法归位的单元格逐个列出；已有的文件不覆盖，除非 --force。有失败的表时退出码为 1。
    在终端上显示进度（[已完成/总数] 文件），之后只列出失败、备注和未覆盖的；-q 只印失败和汇总。
    """
    if out_dir is None:
        raise UsageError("请用 -o 目录 指定导入到哪个工作区目录")
    from jixiao.importer import import_files  # the readers: only where used

    sources = import_sources(paths)
    shown = _Progress(len(sources), quiet)
    report = import_files(sources, Path(out_dir), force=force, progress=lambda path: shown.step(display_path(path)))
    shown.close()
    said = False

    def say(line: str, *, failure: bool = False, notice: bool = False) -> None:
        # Failures always; what needs a look (remarks, files left alone) unless quiet; the rest as lines only.
        nonlocal said
        if failure or (notice and not quiet) or shown.lines:
            click.echo(line)
            said = True

    for problem in report.failed_files:
        say(f"失败 {problem}", failure=True)
    for remark in report.remarks:
        say(f"  备注 {remark.format()}", notice=True)
    for path in report.defaults_written:
        say(f"已生成 {path}")
    for r in report.results:
        if r.status == "failed":
            say(f"失败 {r.source}：{r.error}", failure=True)
        elif r.status == "skipped":
            say(f"已存在，未覆盖 {r.path}（覆盖请加 --force）", notice=True)
        else:
            say(f"已导入 {r.path}（{r.source}）", notice=bool(r.remarks))
        for remark in r.remarks:
            say(f"  备注 {remark.format()}", notice=True)
    for slip in report.department_slips:
        say(f"注意 {slip.format()}", notice=True)
    click.echo(("\n" if said or shown.lines else "") + f"找到 {len(report.results)} 张表：{report.count('clean')} 张导入无误，{report.count('remarks')} 张有备注，"
               f"{report.count('failed')} 张失败，{report.count('skipped')} 张已存在未覆盖"
               + (f"；{len(report.failed_files)} 个文件无法导入" if report.failed_files else "") + "。")
    failed = report.count("failed") > 0 or bool(report.failed_files) or (strict and report.has_remarks)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("year_dir", type=click.Path(), metavar="年度目录")
@click.option("--to", "to_year", type=int, metavar="年度", help="新的年度，须晚于源目录的年度，如 2027（必填）。")
@click.option("--amounts", type=click.Choice(["keep", "clear"]), default="keep",
              help="keep（默认）保留金额；clear 清空项目资金的每个金额，由经办人按新年度预算填写。")
@click.option("--dry-run", is_flag=True, help="只列出将生成的文件和改动，不写入任何文件。")
@_help_option()
def rollover(year_dir: str, to_year: int | None, amounts: str, dry_run: bool) -> None:
    """由本年度的规格开始新年度：把目标表和申报表复制到「主管部门/新年度」目录。

    例：jixiao rollover specs/某镇人民政府/2026 --to 2027。实施单位子目录和 _defaults.yaml 一并复制；年度改为新年度，计划开始/完成日期顺延，一年期项目的起止年度顺延，其余文字（包括注释）原样保留。自评表不复制；已有的文件不覆盖。有文件未能复制时退出码为 1。详见 docs/rollover.md。
    """
    from jixiao.rollover import rollover as roll_over

    if to_year is None:
        raise click.UsageError("缺少选项 --to：请写新的年度，如 --to 2027", ctx=click.get_current_context())
    report = roll_over(year_dir, to_year, amounts, dry_run)
    verb = "将生成" if dry_run else "已生成"
    for item in report.written:
        click.echo(f"{verb} {item.display}")
        if dry_run:
            for c in item.changes:
                click.echo(f"  改动：{c.what} {c.old} → {c.new}" if c.new else f"  改动：{c.what} {c.old} → （清空）")
        for note in item.review:
            click.echo(f"  请核对：{note}")
    for item in report.existing:
        click.echo(f"已存在，未覆盖 {item.display}")
    for s in report.skipped:
        click.echo(f"跳过 {s.display}：{s.reason}")
    for f in report.failed:
        click.echo(f"失败 {f.display}：{f.reason}")
    reminders = report.reminders()
    if reminders:
        click.echo("")
        for line in reminders:
            click.echo(f"请核对：{line}")
    written = len(report.written)
    click.echo(f"\n{report.from_year} → {report.to_year}：{verb} {written} 个文件（{report.projects} 个项目、"
               f"{written - report.projects} 个 _defaults.yaml），{len(report.existing)} 个已存在未覆盖，"
               f"跳过 {len(report.skipped)} 个，失败 {len(report.failed)} 个。"
               + ("（试运行，未写入任何文件）" if dry_run else ""))
    sys.exit(1 if report.failed else 0)


@cli.command()
@click.option("--template", "template_dir", type=click.Path(exists=True, file_okay=False), metavar="目录",
              help="检查这个模板目录所用的字体。")
@_help_option()
def doctor(template_dir: str | None) -> None:
    """检查本机能否生成表格：WeasyPrint、字体、系统库，并给出缺什么、怎么装。"""
    from jixiao.doctor import diagnose

    findings = diagnose(Path(template_dir) if template_dir else BUILTIN_TEMPLATES)
    for f in findings:
        mark = "✓" if f.ok else ("✗" if f.required else "－")
        click.echo(f"{mark} {f.name}：{f.detail}")
        if not f.ok and f.fix:
            click.echo(f"    修复：{f.fix}")
    missing = [f for f in findings if f.required and not f.ok]
    if missing:
        raise JixiaoError(f"有 {len(missing)} 项缺失，暂时无法生成 PDF；按上面的「修复」安装后再试。")
    click.echo("一切就绪。")


@cli.group(cls=Group)
@_help_option()
def cache() -> None:
    """构建缓存（输出目录里的 .jixiao-cache）：输入没变的表格不再排版。

    render 把每张表的 HTML、PDF、DOCX，disclose 把每份文档的 PDF、DOCX，按其全部输入（规格和继承的 _defaults.yaml、模板目录、字体、jixiao 本身）的指纹存起来；
    输入没变时直接取出，已是最新的文件不改写。每次生成后，超出 512 MB 的部分删去最久没用的条目（这次用到的不删）。
    --no-cache 不用缓存，jixiao cache clear 删除它。
    """


@cache.command("clear")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, metavar="目录", help="输出目录。")
@_help_option()
def cache_clear(out_dir: Path) -> None:
    """删除输出目录里的构建缓存（下次生成时全部重新排版）。"""
    removed = clear_cache(out_dir / CACHE_DIR_NAME)
    click.echo(f"已删除 {out_dir / CACHE_DIR_NAME}（{removed} 项）。" if removed else f"{out_dir} 里没有构建缓存。")


@cli.group(cls=Group)
@_help_option()
def templates() -> None:
    """模板目录的工具。"""


@templates.command("check")
@click.argument("template_dir", type=click.Path(exists=True, file_okay=False), metavar="模板目录")
@_help_option()
def templates_check(template_dir: str) -> None:
    """检查（自定义的）模板目录：文件齐全、语法正确、Word 外壳只用 jixiao 提供的变量。"""
    from jixiao.render.templates_check import check_template_dir  # docxtpl

    found = check_template_dir(Path(template_dir))
    for d in found:
        click.echo(d.format())
    errors = sum(d.severity is Severity.ERROR for d in found)
    if errors:
        raise JixiaoError(f"模板目录有 {errors} 个错误。")
    click.echo(f"模板目录 {template_dir} 可以使用。")


@templates.command("copy")
@click.argument("dest", type=click.Path(), metavar="新目录")
@_help_option()
def templates_copy(dest: str) -> None:
    """把内置的模板目录复制出来，改成本区的表样，再用 render --template 新目录 使用。"""
    copy_builtin_templates(Path(dest))
    click.echo(f"已复制内置模板到 {dest}；改好后用 jixiao templates check {dest} 检查。")


def main(argv: Sequence[str] | None = None) -> None:
    """The ``jixiao`` console script: ``jixiao ARGV`` (default: the process's arguments)."""
    cli.main(list(argv) if argv is not None else None, prog_name="jixiao")
