"""The preview's HTTP server: the standard library's ``ThreadingHTTPServer``, a handful of routes.

What the server may be asked for is fixed: the tree (``/``), a project
(``/p/<id>``), a department's document (``/d/<id>``), their fragments, a
project's file to download and the event stream. Ids are looked up in the
loaded workspace; nothing the browser sends is used as a path. A request whose
path holds ``..`` (written or percent-encoded), a backslash or a NUL is refused
before routing (403). Files are read only where the server has just written
them (a download, in the output folder).

Bound to the loopback address unless the caller explicitly exposes it; then too,
only these routes answer. On loopback, a request whose ``Host`` is not the
loopback address is refused, so a web page that points its own domain name at
127.0.0.1 (DNS rebinding) cannot read the forms.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import socket
import threading
from collections.abc import Callable
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from jixiao.errors import JixiaoError, UsageError
from jixiao.preview import pages
from jixiao.preview.state import Preview
from jixiao.preview.watch import Watcher
from jixiao.render import FORMATS

LOOPBACK = "127.0.0.1"
KEEPALIVE_S = 15.0  # an event-stream comment this often: a closed tab is noticed, proxies keep the line

_ROUTE = re.compile(r"^/(?:(?P<kind>[pd])/(?P<id>[0-9a-f]{12})(?:/(?P<what>live|form|doc|download/(?P<fmt>[a-z]+)))?"
                    r"|(?P<root>live|events)?)$")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, expose: bool) -> None:
    """Refuse an address other than loopback unless the caller said to expose the preview."""
    if not expose and not is_loopback(host):
        raise UsageError(f"预览只在本机地址（127.0.0.1）上提供；要在 {host} 上提供，请明确写 --host {host}"
                         "（同一网络里的任何人都能看到工作区里的全部表格）。")


def download_formats() -> list[str]:
    """The formats a project page offers to download: what the renderer knows, but HTML."""
    return [fmt for fmt in FORMATS if fmt != "html"]


def refused_path(raw_path: str) -> bool:
    """A request path that names anything path-like: ``..`` (also percent-encoded, twice), a
    backslash or a NUL."""
    text = raw_path
    for _ in range(3):  # %252e%252e is %2e%2e once decoded
        text = unquote(text)
    segments = re.split(r"[/\\]", text)
    return ".." in segments or "\\" in text or "\x00" in text or any(s.startswith("..") for s in segments)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not keep the process alive
    block_on_close = False

    def __init__(self, preview: Preview, host: str = LOOPBACK, port: int = 0, expose: bool = False) -> None:
        check_host(host, expose)
        self.preview = preview
        self.expose = expose
        if ":" in host.strip("[]"):
            self.address_family = socket.AF_INET6
        super().__init__((host.strip("[]"), port), Handler)
        self.watcher = Watcher(preview.root, preview.out_dir, preview.renderer.template_dir,
                               preview.reload, preview.templates_changed)
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/"

    def host_allowed(self, header: str | None) -> bool:
        """On loopback, only requests addressed to loopback (see the module's docstring)."""
        if self.expose:
            return True
        if not header:
            return False
        name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
        return is_loopback(name)

    def start(self, serve: bool = False) -> None:
        """Start watching (and, with ``serve``, answering in a thread of its own)."""
        self.watcher.start()
        if serve:
            self._thread = threading.Thread(target=self.serve_forever, name="jixiao-preview", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop answering, close the socket, stop the watcher, end the event streams."""
        if self._closed:
            return
        self._closed = True
        self.preview.stop()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(5)
        self.server_close()
        self.watcher.stop()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "jixiao-preview"
    sys_version = ""
    head_only = False
    nonce = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for the address and errors, not every request."""

    # -- the one entry ------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _refuse_method(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "只支持 GET。".encode(),
                   extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse_method

    def _answer(self, head: bool) -> None:
        self.head_only = head
        self.nonce = secrets.token_urlsafe(16)
        if not self.server.host_allowed(self.headers.get("Host")):
            return self._text(HTTPStatus.FORBIDDEN, "只接受发往本机地址的请求。")
        if refused_path(self.path):
            return self._text(HTTPStatus.FORBIDDEN, "不提供文件路径。")
        url = urlsplit(self.path)
        found = _ROUTE.match(url.path)
        if found is None:
            return self._text(HTTPStatus.NOT_FOUND, "没有这个页面。")
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            self._route(found, query)
        except JixiaoError as exc:
            self._send(HTTPStatus.CONFLICT, "text/html; charset=utf-8",
                       pages.message_page("无法生成", str(exc)).encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away
        except Exception as exc:  # a bug in jixiao: this page says so, the server goes on
            self._text(HTTPStatus.INTERNAL_SERVER_ERROR,
                       f"jixiao 内部错误（{type(exc).__name__}: {exc}）；这是 jixiao 的缺陷，请报告。")

    def _route(self, found: re.Match[str], query: dict[str, str]) -> None:
        kind, entry_id, what = found["kind"], found["id"], found["what"]
        mode = query.get("mode") if query.get("mode") in pages.MODES else "screen"
        assert mode is not None
        if kind is None:
            routes: dict[str | None, Callable[[], None]] = {
                None: self._tree, "live": self._tree_live, "events": self._events}
            return routes[found["root"]]()
        if kind == "p":
            return self._project(entry_id, what, mode, found["fmt"])
        return self._department(entry_id, what)

    # -- pages ------------------------------------------------------------------------------------

    def _tree(self) -> None:
        snapshot = self.server.preview.snapshot
        body = f'<h1>工作区 {escape(str(self.server.preview.root))}</h1><div id="live">{pages.tree_live(snapshot)}</div>'
        self._html(pages.page("jixiao 预览", body, nonce=self.nonce, live_url="/live", version=snapshot.version))

    def _tree_live(self) -> None:
        snapshot = self.server.preview.snapshot
        self._json({"version": snapshot.version, "live": pages.tree_live(snapshot), "frame": "", "stale": False})

    def _project(self, entry_id: str, what: str | None, mode: str, fmt: str | None) -> None:
        found = self.server.preview.shown(entry_id)
        if found is None:
            return self._text(HTTPStatus.NOT_FOUND, "没有这个项目（文件可能已改名或删除）。")
        snapshot, entry, shown = found
        if what == "form":
            if shown.form is None:
                return self._text(HTTPStatus.NOT_FOUND, "这个项目还没有能生成的表格。")
            return self._html(pages.form_page(shown.form, mode, self.nonce, shown.stale))
        if what and what.startswith("download/"):
            return self._download(entry_id, fmt or "")
        if what not in (None, "live"):
            return self._text(HTTPStatus.NOT_FOUND, "没有这个页面。")
        frame = pages.form_url(entry, mode, snapshot.version) if shown.form is not None else ""
        live = pages.project_live(entry, shown)
        if what == "live":
            return self._json({"version": snapshot.version, "live": live, "frame": frame, "stale": shown.stale})
        live_url = f"/p/{entry_id}/live?mode={mode}"
        body = pages.project_body(entry, mode, download_formats(), live)
        self._html(pages.page(entry.name, body, nonce=self.nonce, live_url=live_url, version=snapshot.version,
                              frame=frame, stale=shown.stale, crumbs=pages.project_crumbs(entry)))

    def _download(self, entry_id: str, fmt: str) -> None:
        if fmt not in download_formats():
            return self._text(HTTPStatus.NOT_FOUND, "不支持这种格式。")
        made = self.server.preview.download(entry_id, fmt)
        if made is None:
            return self._text(HTTPStatus.NOT_FOUND, "没有这个项目。")
        path, data = made
        self._send(HTTPStatus.OK, _MEDIA.get(fmt, "application/octet-stream"), data,
                   extra={"Content-Disposition": _attachment(path)})

    def _department(self, department_id: str, what: str | None) -> None:
        preview = self.server.preview
        snapshot = preview.snapshot
        department = snapshot.departments.get(department_id)
        if department is None or what not in (None, "live", "doc", "download/pdf"):
            return self._text(HTTPStatus.NOT_FOUND, "没有这份公开文档。")
        if what == "download/pdf":
            return self._document_pdf(department_id)
        if what == "doc":
            try:
                html = preview.document(department_id)
            except JixiaoError as exc:
                return self._html(pages.message_page("无法生成公开文档", str(exc)))
            return self._html(html or "")
        live = pages.department_live(department, snapshot.entries.values())
        frame = pages.document_url(department, snapshot.version)
        if what == "live":
            return self._json({"version": snapshot.version, "live": live, "frame": frame, "stale": False})
        body = pages.department_body(department, live, snapshot.entries.values())
        self._html(pages.page(department.document.title, body, nonce=self.nonce,
                              live_url=f"/d/{department_id}/live", version=snapshot.version, frame=frame))

    def _document_pdf(self, department_id: str) -> None:
        try:
            made = self.server.preview.document_pdf(department_id)
        except JixiaoError as exc:
            return self._html(pages.message_page("无法生成公开文档", str(exc)))
        if made is None:
            return self._text(HTTPStatus.NOT_FOUND, "没有这份公开文档。")
        path, data = made
        self._send(HTTPStatus.OK, _MEDIA["pdf"], data, extra={"Content-Disposition": _attachment(path)})

    # -- the event stream ---------------------------------------------------------------------------

    def _events(self) -> None:
        """Server-sent events: the workspace's version now, then each new one."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self._security_headers()
        self.end_headers()
        if self.head_only:
            return
        seen = preview.snapshot.version
        self._event(f"retry: 1000\ndata: {seen}\n\n")
        while not preview.stopping:
            now = preview.wait_change(seen, KEEPALIVE_S)
            if preview.stopping:
                break
            self._event(f"data: {now}\n\n" if now != seen else ": 保持连接\n\n")
            seen = now
        self.close_connection = True

    def _event(self, text: str) -> None:
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()

    # -- answers ------------------------------------------------------------------------------------

    def _security_headers(self) -> None:
        self.send_header("Content-Security-Policy",
                         f"default-src 'none'; script-src 'nonce-{self.nonce}'; style-src 'unsafe-inline'; "
                         "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; "
                         "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _send(self, status: HTTPStatus, media: str, data: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self._security_headers()
        self.end_headers()
        if not self.head_only:
            self.wfile.write(data)

    def _html(self, text: str) -> None:
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", text.encode("utf-8"))

    def _json(self, data: dict[str, object]) -> None:
        self._send(HTTPStatus.OK, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def _text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", message.encode("utf-8"))


_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _attachment(path: Path) -> str:
    """A download's file name, for every browser: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    return f"attachment; filename=\"jixiao.{path.suffix.lstrip('.')}\"; filename*=UTF-8''{quote(path.name)}"
