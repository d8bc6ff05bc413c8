"""``jixiao preview``: the live preview's command (registered in :mod:`jixiao.cli`).

The command parses its options, opens the preview (:mod:`jixiao.preview`), says
the address and serves until Ctrl-C, which stops it cleanly (exit code 0).
"""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from jixiao.cli_base import Command, jobs_option


def _port(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
    if not 0 <= value <= 65535:
        raise click.BadParameter(f"应为 0 到 65535 之间的整数，得到 {value}")
    return value


@click.command("preview", cls=Command)
@click.argument("target", default=".", metavar="[工作区|目录|文件]",
                type=click.Path(exists=True, path_type=Path))
@click.option("--port", type=int, default=8642, metavar="端口", callback=_port,
              help="端口（默认 8642）；0 表示任选一个空闲端口。")
@click.option("--open", "open_browser", is_flag=True, help="启动后在默认浏览器里打开。")
@click.option("--host", metavar="地址",
              help="在这个地址上提供预览（默认只在本机 127.0.0.1）。写 0.0.0.0 或本机的网络地址时，"
                   "同一网络里能访问这台电脑的人都能看到工作区的全部表格和检查结果。")
@click.option("-o", "--output", "out_dir", default="output", metavar="目录",
              type=click.Path(file_okay=False, path_type=Path),
              help="下载的 PDF/DOCX 生成到这里（默认 output/；构建缓存也在这里）。")
@click.option("--template", "template_dir", metavar="目录", help="使用自己的模板目录（改动后页面同样自动更新）。",
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@jobs_option(most=2, help_text="下载部门公开文档的 PDF 时同时排版的进程数（默认为本机可用的 CPU 核数，最多 2 个；"
                               "第一次下载时启动，预览期间一直保留；1 表示在预览进程里逐个排版）。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
def preview(target: Path, port: int, open_browser: bool, host: str | None, out_dir: Path,
            template_dir: Path | None, jobs: int) -> None:
    """在浏览器里预览：改了规格一保存，表格和检查出的问题立刻更新。

    首页按 主管部门 → 年度 → 实施单位 → 项目 列出工作区，每个项目标出 ✔、n 警告或 n 错误。

    项目页显示与 render 生成的 HTML 相同的表格（屏幕和「打印预览」两种样式）；问题列在表格上方，并标在对应的格子上，
    鼠标移上去（手机上点一下）显示说明；可下载这个项目的 PDF、DOCX 等文件。部门页显示公开文档，可下载它的 PDF。

    保存规格、_defaults.yaml 或模板后，打开着的页面一秒内自动更新。只在本机地址上提供；按 Ctrl-C 停止。
    """
    # Imported here: every other command (render, check) would load the server and watcher.
    from jixiao.preview import LOOPBACK, is_loopback, open_preview

    server = open_preview(target, out_dir, template_dir, host or LOOPBACK, port, expose=host is not None, jobs=jobs)
    server.start()
    click.echo(f"预览地址：{server.url}")
    if host is not None and not is_loopback(host):
        click.echo(f"注意：预览在 {host} 上提供，没有密码；同一网络里能访问这台电脑的人都能看到"
                   f"{server.preview.root} 下全部项目的表格和检查结果，并能在 {out_dir} 里生成文件。", err=True)
    click.echo("按 Ctrl-C 停止。")
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a preview is meant to end
    finally:
        server.close()
    click.echo("预览已停止。")
