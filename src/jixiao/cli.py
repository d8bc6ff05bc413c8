"""The ``jixiao`` command line: a thin layer over the library.

Each command parses its options, calls the library, and prints. Errors are
turned into messages in exactly one place, :func:`main`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from jixiao import __version__
from jixiao.errors import JixiaoError
from jixiao.export import export_document
from jixiao.jsonschema import defaults_schema, project_schema
from jixiao.load.workspace import load_workspace
from jixiao.reporting import as_json, as_text
from jixiao.rules import RULES, rules_markdown
from jixiao.validate import check_workspace

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _ChineseHelp:
    """Click prints its help headings in English; these are the Chinese ones."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [r for p in self.get_params(ctx)  # type: ignore[attr-defined]
                if isinstance(p, click.Option) and (r := p.get_help_record(ctx))]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(name, cmd.get_short_help_str(limit=80))
                        for name in self.list_commands(ctx)
                        if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
            if commands:
                with formatter.section("命令"):
                    formatter.write_dl(commands)


class Command(_ChineseHelp, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(_ChineseHelp, click.Group):
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)


def _help_option() -> Any:
    return click.help_option("-h", "--help", help="显示本帮助并退出。")


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="jixiao",
                      message="%(prog)s %(version)s", help="显示版本并退出。")
@_help_option()
def cli() -> None:
    """jixiao（绩效）：把 YAML 项目规格变成财政项目支出绩效目标表、申报表和自评表。

    \b
    常用：
      jixiao check specs/          检查全部规格
      jixiao export specs/ --format json
      jixiao schema > project.schema.json
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="输出格式：text（默认）每个问题一行；json 机器可读。")
@click.option("--strict", is_flag=True, help="警告也算错误（退出码 1）。")
@_help_option()
def check(paths: Sequence[str], fmt: str, strict: bool) -> None:
    """检查规格文件（文件或目录），一次列出全部问题。

    每个问题一行：路径:行:列: 错误|警告 [规则编号] 说明。没有错误时退出码为 0，有错误时为 1，用法错误为 2。规则一览见 jixiao rules。
    """
    report = check_workspace(load_workspace(paths))
    click.echo(as_json(report) if fmt == "json" else as_text(report), nl=False)
    failed = report.errors > 0 or (strict and report.warnings > 0)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json",
              help="输出格式（目前只有 json）。")
@click.option("--force", is_flag=True, help="即使规格有错误也导出。")
@_help_option()
def export(paths: Sequence[str], fmt: str, force: bool) -> None:
    """导出规范化后的项目：继承的默认值已填入，计算值在「计算」下，金额为精确的十进制字符串。"""
    workspace = load_workspace(paths)
    report = check_workspace(workspace)
    if report.errors and not force:
        click.echo(as_text(report), nl=False, err=True)
        raise JixiaoError("规格有错误，未导出；改正后重试，或用 --force 强制导出。")
    data = export_document([s for s in workspace.specs if s.project is not None])
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
        click.echo(f"{r.id:32} {r.severity.label}  {r.title}")


# -- the one place where errors become messages -------------------------------------------------

_CLICK_MESSAGES = (
    (re.compile(r"No such option: (.+)"), r"没有这个选项：\1"),
    (re.compile(r"No such command '(.+)'\.(?: Did you mean '(.+)'\?)?"), r"没有这个命令：\1"),
    (re.compile(r"Missing argument '(.+)'\."), r"缺少参数 \1"),
    (re.compile(r"Option '(.+)' requires an argument\."), r"选项 \1 需要一个值"),
    (re.compile(r"Invalid value for '(.+?)': '(.+?)' is not one of (.+)\."), r"\1 的值「\2」无效，可选：\3"),
    (re.compile(r"Invalid value for '(.+?)': (.+)"), r"\1 的值无效：\2"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"多余的参数：\1"),
)


def _translate(message: str) -> str:
    message = re.sub(r"\s*Did you mean '?(.+?)'?\?$", r"（是否想用 \1？）", message)
    for pattern, chinese in _CLICK_MESSAGES:
        if pattern.search(message):
            return pattern.sub(chinese, message)
    return message


def main(argv: Sequence[str] | None = None) -> None:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="jixiao", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
        sys.exit(2)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"提示：用 {exc.ctx.command_path} --help 查看帮助。", err=True)
        click.echo(f"错误：{_translate(exc.format_message())}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(1)
    except JixiaoError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("已中止。", err=True)
        sys.exit(130)
