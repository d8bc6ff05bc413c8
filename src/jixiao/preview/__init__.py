"""Live preview: edit a spec, see its form and its problems in the browser at once.

:func:`open_preview` loads and checks a workspace (:class:`~jixiao.preview.state.Preview`),
binds a :class:`~jixiao.preview.server.PreviewServer` to the loopback address and
starts watching the workspace and the template folder; a saved file reloads the
workspace and every open page follows through server-sent events. Nothing here
prints: the command line (``jixiao.cli_preview``) says the address.

    server = open_preview(Path("specs"), Path("output"), port=0)
    server.start(serve=True)   # answer in a thread; or server.serve_forever() here
    ...
    server.close()
"""

from __future__ import annotations

from pathlib import Path

from jixiao.preview.server import LOOPBACK, PreviewServer, check_host, is_loopback
from jixiao.preview.state import Preview

__all__ = ["LOOPBACK", "Preview", "PreviewServer", "check_host", "is_loopback", "open_preview"]


def open_preview(target: Path, out_dir: Path, template_dir: Path | None = None, host: str = LOOPBACK,
                 port: int = 0, expose: bool = False, jobs: int = 1) -> PreviewServer:
    """A preview of ``target`` (workspace, folder or spec file), bound to ``host``:``port``
    (0: a free port), not yet answering. ``expose`` must be set to bind another address than
    loopback; ``jobs``: the processes that lay out a disclosure PDF. Raises
    :class:`~jixiao.errors.UsageError` for such an address otherwise, or when the port is taken."""
    check_host(host, expose)  # before loading anything
    preview = Preview(target, out_dir, template_dir, jobs)
    try:
        return PreviewServer(preview, host, port, expose)
    except OSError as exc:
        from jixiao.errors import UsageError

        raise UsageError(f"无法在 {host}:{port} 上提供预览：{exc.strerror or exc}（端口可能已被占用：换一个端口，"
                         "或用 --port 0 任选一个空闲端口）") from exc
