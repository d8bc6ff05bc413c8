"""The command line's frame: click speaking Chinese, and where errors become messages.

:class:`Jixiao` is the ``jixiao`` group; its :meth:`Jixiao.main` is the one place
where errors become Chinese messages and exit codes. :class:`Command` and
:class:`Group` print click's help headings in Chinese, and click's own refusals
(usage errors) are translated here. The commands themselves are in
:mod:`jixiao.cli`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import click

from jixiao.errors import JixiaoError, SpecErrors
from jixiao.jobs import available_cpus
from jixiao.reporting import as_text


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


class DefaultGroup(Group):
    """A group whose first argument, when it names none of its commands, goes to
    ``default``: ``jixiao new 目录`` is ``jixiao new workspace 目录``."""

    def __init__(self, *args: Any, default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


# -- the one place where errors become messages -------------------------------------------------

_CLICK_MESSAGES = (
    (re.compile(r"No such option:? '?([^'.]+)'?\.?"), r"没有这个选项：\1"),
    (re.compile(r"No such command '(.+)'\.(?: Did you mean '(.+)'\?)?"), r"没有这个命令：\1"),
    (re.compile(r"Missing argument '(.+)'\."), r"缺少参数 \1"),
    (re.compile(r"Option '(.+)' requires an argument\."), r"选项 \1 需要一个值"),
    (re.compile(r"Invalid value for '(.+?)': '(.+?)' is not one of (.+)\."), r"\1 的值「\2」无效，可选：\3"),
    (re.compile(r"Invalid value for '(.+?)': (.+)"), r"\1 的值无效：\2"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"多余的参数：\1"),
)


# Click's reasons for refusing a path value.
_CLICK_REASONS = (
    (re.compile(r"Directory '(.+)' is a file\."), r"「\1」是文件，不是目录"),
    (re.compile(r"File '(.+)' is a directory\."), r"「\1」是目录，不是文件"),
    (re.compile(r"(?:File|Directory|Path) '(.+)' does not exist\."), r"路径不存在：\1"),
    (re.compile(r"'([^']*)' is not a valid integer\."), r"应为整数，得到「\1」"),
)


def _translate(message: str) -> str:
    message = re.sub(r"\s*Did you mean '?(.+?)'?\?$", r"（是否想用 \1？）", message)
    # "'-o' / '--output'" names one option.
    message = re.sub(r"'(-[\w-]+)' / '(--[\w-]+)'", r"'\1/\2'", message)
    for pattern, chinese in _CLICK_REASONS:
        message = pattern.sub(chinese, message)
    for pattern, chinese in _CLICK_MESSAGES:
        if pattern.search(message):
            return pattern.sub(chinese, message)
    return message


class Jixiao(Group):
    """The ``jixiao`` group. Its :meth:`main` is the one place where errors become messages."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the command line; in standalone mode (the default) every error is a Chinese message
        on stderr and an exit code: 1 refused, 2 usage error, 70 a jixiao bug, 130 interrupted.
        """
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            super().main(args, prog_name or "jixiao", complete_var, standalone_mode=False, **extra)
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
            if isinstance(exc, SpecErrors):
                click.echo(as_text(exc.report), nl=False, err=True)
            click.echo(f"错误：{exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("已中止。", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug in jixiao itself: say so plainly, keep the details opt-in
            if os.environ.get("JIXIAO_DEBUG"):
                raise
            click.echo(f"jixiao 内部错误（{type(exc).__name__}: {exc}）。这是 jixiao 的缺陷，不是你的规格的问题；"
                       "请报告，设置环境变量 JIXIAO_DEBUG=1 重新运行可看到详细信息。", err=True)
            sys.exit(70)
        return None


def _jobs(most: int | None, _ctx: click.Context, _param: click.Parameter, value: int | None) -> int:
    """-j N as given, at least 1; not given: every CPU this process may use, up to ``most``."""
    if value is None:
        return min(available_cpus(), most or available_cpus())
    if value < 1:
        raise click.BadParameter(f"应为 1 或更大的整数，得到 {value}")
    return value


F = TypeVar("F", bound=Callable[..., Any])


def jobs_option(most: int | None = None,
                help_text: str = "同时生成的进程数（默认为本机可用的 CPU 核数；1 表示逐个生成）。") -> Callable[[F], F]:
    """-j of the commands that lay out PDFs in several processes (render, disclose, preview);
    not given, as many as CPUs, up to ``most``."""
    return click.option("-j", "--jobs", type=int, metavar="N", callback=partial(_jobs, most), help=help_text)
