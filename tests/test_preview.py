"""jixiao preview: a real server on a free loopback port, real files edited on disk, pages
loaded over HTTP and in headless Chromium (driven through the DevTools protocol over a pipe:
``--remote-debugging-pipe``, no websocket library needed)."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from conftest import run_cli
from jixiao.cli_base import Jixiao
from jixiao.cli_preview import preview as preview_command
from jixiao.errors import UsageError
from jixiao.load.workspace import load_spec
from jixiao.preview import PreviewServer, check_host, is_loopback, open_preview
from jixiao.preview.marks import place
from jixiao.preview.state import Entry
from jixiao.render import Renderer
from jixiao.render.variant import copy_builtin_templates
from jixiao.validate import check_project

SPECS = Path(__file__).resolve().parent.parent / "specs"
DEPT = "闵行区浦江镇人民政府"
UNIT = "浦江镇司法所"
SPEC = "社区矫正安置帮教.yaml"
DEADLINE_S = 2.0  # a saved file shows in the page within this

T = TypeVar("T")


# -- a workspace, a server --------------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Two units of one department's 2026 targets, copied from the demo workspace."""
    ws = tmp_path / "ws"
    ws.mkdir()
    for name in ("jixiao.toml", "_defaults.yaml"):
        shutil.copy(SPECS / name, ws / name)
    (ws / DEPT / "2026").mkdir(parents=True)
    shutil.copy(SPECS / DEPT / "2026" / "_defaults.yaml", ws / DEPT / "2026" / "_defaults.yaml")
    for unit in (UNIT, "浦江镇信访办"):
        shutil.copytree(SPECS / DEPT / "2026" / unit, ws / DEPT / "2026" / unit)
    return ws


def spec_path(ws: Path, name: str = SPEC) -> Path:
    return ws / DEPT / "2026" / UNIT / name


@pytest.fixture
def served(workspace: Path, tmp_path: Path) -> Iterator[PreviewServer]:
    server = open_preview(workspace, tmp_path / "out")
    server.start(serve=True)
    armed(server)
    yield server
    server.close()


def armed(server: PreviewServer) -> None:
    """Wait until the watcher sees saves: rewrite a file unchanged until the workspace reloads."""
    defaults = server.preview.root / "_defaults.yaml"
    for _ in range(40):
        seen = server.preview.snapshot.version
        defaults.write_bytes(defaults.read_bytes())
        if server.preview.wait_change(seen, 0.5) != seen:
            return
    raise AssertionError("the watcher never reported a change")


def entry(server: PreviewServer, file_name: str = SPEC) -> Entry:
    [found] = [e for e in server.preview.snapshot.entries.values() if e.spec.path.name == file_name]
    return found


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """``path`` sent exactly as written (http.client does not normalise ``..``)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Host": host} if host is not None else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def text(server: PreviewServer, path: str) -> str:
    status, _, body = get(server, path)
    assert status == 200, (path, status, body[:300])
    return body.decode("utf-8")


def until(check: Callable[[], T | None], timeout: float = DEADLINE_S) -> tuple[T, float]:
    """``check()``'s first true value and how long it took; fails after ``timeout`` seconds."""
    start = time.monotonic()
    while True:
        found = check()
        elapsed = time.monotonic() - start
        if found:
            return found, elapsed
        assert elapsed < timeout, f"no change within {timeout} s"
        time.sleep(0.03)


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, old
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


# -- headless Chromium over the DevTools protocol ----------------------------------------------------


class Chromium:
    """One headless Chromium and one page, spoken to through ``--remote-debugging-pipe``
    (file descriptors 3 and 4: JSON messages ended by NUL)."""

    def __init__(self, profile: Path) -> None:
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        assert browser, "Chromium is installed by scripts/setup.sh --dev"
        to_browser, self._in = os.pipe()
        self._out, from_browser = os.pipe()
        # The pipes must be fds 3 and 4 in Chromium: a small launcher moves them there.
        launcher = ("import os, sys; a, b = os.dup(int(sys.argv[1])), os.dup(int(sys.argv[2])); "
                    "os.dup2(a, 3); os.dup2(b, 4); os.set_inheritable(3, True); os.set_inheritable(4, True); "
                    "os.execv(sys.argv[3], sys.argv[3:])")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", launcher, str(to_browser), str(from_browser), browser, "--headless", "--no-sandbox",
             "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-pipe", "--hide-scrollbars"],
            pass_fds=(to_browser, from_browser), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._n = 0
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        self._n += 1
        message: dict[str, Any] = {"id": self._n, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._in, json.dumps(message).encode("utf-8") + b"\0")
        end = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self._n:
                    assert "error" not in answer, answer["error"]
                    result: dict[str, Any] = answer["result"]
                    return result
            left = end - time.monotonic()
            assert left > 0, f"Chromium did not answer {method}"
            if select.select([self._out], [], [], left)[0]:
                chunk = os.read(self._out, 1 << 16)
                assert chunk, "Chromium exited"
                self._buffer += chunk

    def page(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.send(method, params, self.session)

    def goto(self, url: str, width: int = 1200, height: int = 900) -> None:
        self.page("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.page("Page.navigate", {"url": url})
        until(lambda: self.eval("document.readyState") == "complete", 20)

    def eval(self, expression: str) -> Any:
        result = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        finally:
            self.proc.wait(20)
            os.close(self._in)
            os.close(self._out)


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    browser = Chromium(Path(tempfile.mkdtemp(dir=tmp_path)))
    yield browser
    browser.close()


FRAME = "document.getElementById('frame').contentDocument"
FORM_TEXT = f"(() => {{ const d = {FRAME}; return d && d.body ? d.body.innerText : ''; }})()"
# The 年度指标值 cell of the indicator 帮困对象数.
TARGET = (f"(() => {{ const d = {FRAME}; if (!d) return ''; const c = [...d.querySelectorAll('td')]"
          ".find(c => c.innerText.trim() === '帮困对象数'); return c ? c.nextElementSibling.innerText.trim() : ''; })()")
MARKED = (f"(() => {{ const d = {FRAME}; if (!d) return null; "
          "return [...d.querySelectorAll('.jx-mark')].map(c => [c.innerText, c.dataset.jxMessage]); })()")


# -- in the browser ------------------------------------------------------------------------------


def test_saved_value_then_arithmetic_error_show_in_the_open_page(served: PreviewServer, chromium: Chromium) -> None:
    spec = spec_path(served.preview.root)
    chromium.goto(f"{served.url}p/{entry(served).id}")
    until(lambda: "帮困对象数" in chromium.eval(FORM_TEXT), 10)
    assert chromium.eval(TARGET) == "20人"
    assert chromium.eval(MARKED) == []

    edit(spec, "年度指标值: 20人", "年度指标值: 26人")
    _, took = until(lambda: chromium.eval(TARGET) == "26人")
    assert took < DEADLINE_S

    # 年度资金申请总额 9.26 = 当年财政拨款 9.26: the right-hand 拨款 becomes 8.26
    edit(spec, "    当年财政拨款: 9.26", "    当年财政拨款: 8.26")
    marked, took = until(lambda: chromium.eval(MARKED))
    assert took < DEADLINE_S
    [(cell_text, message)] = marked
    assert cell_text.strip() == "9.26"  # the 年度资金申请总额 cell, where check points
    assert "fund-annual-sum" in message and "8.26" in message
    # listed above the form too, with its line
    listed = chromium.eval("document.getElementById('live').innerText")
    assert "fund-annual-sum" in listed and "第 13 行" in listed
    # the message shows on hover
    tip = chromium.eval(f"(() => {{ const d = {FRAME}; const c = d.querySelector('.jx-mark'); "
                        "c.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); "
                        "const t = d.querySelector('.jx-tip'); return t.hidden ? '' : t.textContent; })()")
    assert "年度资金申请总额 9.26 ≠ 当年财政拨款 8.26" in tip
    # a click on the problem in the list shows it on the form
    chromium.eval(f"{FRAME}.querySelector('.jx-tip').hidden = true")
    chromium.eval("document.querySelector('#live li[data-cell]').click()")
    assert chromium.eval(f"{FRAME}.querySelector('.jx-tip').hidden") is False
    shot = chromium.page("Page.captureScreenshot", {"format": "png"})["data"]
    assert len(shot) > 10_000


def test_yaml_syntax_error_shows_the_line_and_greys_the_last_form(served: PreviewServer, chromium: Chromium) -> None:
    spec = spec_path(served.preview.root)
    chromium.goto(f"{served.url}p/{entry(served).id}")
    until(lambda: "帮困对象数" in chromium.eval(FORM_TEXT), 10)
    edit(spec, "项目类别: 经常性项目", "项目类别: [经常性项目")
    failure, took = until(lambda: chromium.eval(
        "(() => { const f = document.querySelector('.failure'); return f ? f.innerText : ''; })()"))
    assert took < DEADLINE_S
    assert "yaml-syntax" in failure and "方括号" in failure
    assert "\n5 | 计划开始日期" in failure and failure.rstrip().endswith("^")  # the line, a caret under it
    assert chromium.eval("document.getElementById('frame-wrap').classList.contains('stale')") is True
    until(lambda: "帮困对象数" in chromium.eval(FORM_TEXT))  # the previous form, still there, greyed
    edit(spec, "项目类别: [经常性项目", "项目类别: 经常性项目")
    until(lambda: chromium.eval("document.getElementById('frame-wrap').classList.contains('stale')") is False)
    assert chromium.eval("document.querySelector('.failure')") is None
    spec.unlink()  # renamed or deleted: the page says so
    gone, _ = until(lambda: chromium.eval(
        "(() => { const f = document.querySelector('.failure'); return f ? f.innerText : ''; })()"))
    assert "已不在工作区里" in gone


def test_tree_in_the_browser_follows_a_new_error(served: PreviewServer, chromium: Chromium) -> None:
    chromium.goto(served.url)
    item = f"document.querySelector('li.project[data-id=\"{entry(served).id}\"]').innerText"
    assert "✔" in chromium.eval(item)
    edit(spec_path(served.preview.root), "    当年财政拨款: 9.26", "    当年财政拨款: 8.26")
    shown, _ = until(lambda: "1 错误" in (chromium.eval(item) or "") and chromium.eval(item))
    assert "社区矫正安置帮教" in shown


def test_dotdot_urls_are_refused_in_the_browser(served: PreviewServer, chromium: Chromium) -> None:
    (served.preview.root / "secret.txt").write_text("机密内容", encoding="utf-8")
    for path in ("p/../../secret.txt", "%2e%2e/%2e%2e/etc/passwd", f"p/{entry(served).id}/%2e%2e/%2e%2e/secret.txt"):
        chromium.goto(served.url + path)
        body = chromium.eval("document.body.innerText")
        assert "机密内容" not in body and "root:" not in body
        assert "没有这个页面" in body or "不提供文件路径" in body, body


# -- over HTTP ----------------------------------------------------------------------------------------


def test_tree_lists_department_year_unit_and_projects_with_status(served: PreviewServer) -> None:
    edit(spec_path(served.preview.root, "诉讼.yaml"), "项目名称: 诉讼", "项目名称: 诉讼\n不认识的键: 1")
    served.preview.reload()
    page = text(served, "/")
    for name in (DEPT, "2026", UNIT, "浦江镇信访办", "社区矫正安置帮教", "预算公开文档"):
        assert name in page
    assert page.index(DEPT) < page.index("2026") < page.index(UNIT) < page.index("社区矫正安置帮教")
    specs = [p for p in served.preview.root.rglob("*.yaml") if p.name != "_defaults.yaml"]
    assert page.count('class="project"') == len(served.preview.snapshot.entries) == len(specs)
    assert "1 错误" in page and "✔" in page
    live = json.loads(text(served, "/live"))
    assert live["version"] == served.preview.snapshot.version and "社区矫正安置帮教" in live["live"]


def test_form_is_the_html_writers_page_with_marks_added(served: PreviewServer) -> None:
    e = entry(served)
    form = text(served, f"/p/{e.id}/form?mode=screen")
    written = Renderer().html.page_html(Renderer().grid(e.spec))
    head, body = written.split("</head>")
    assert form.startswith(head)  # the writer's own head and CSS, unchanged
    assert body.replace("</body>\n</html>\n", "") in form  # and its whole body
    printed = text(served, f"/p/{e.id}/form?mode=print")
    assert "@media not all" in printed and "@media screen" not in printed and "width: 210mm" in printed


def test_project_page_lists_problems_and_offers_downloads(served: PreviewServer) -> None:
    spec = spec_path(served.preview.root)
    e = entry(served)
    page = text(served, f"/p/{e.id}")
    for fmt in served_formats():
        assert f"/p/{e.id}/download/{fmt}" in page
    assert "检查没有发现问题" in page
    edit(spec, "    当年财政拨款: 9.26", "    当年财政拨款: 8.26")
    served.preview.reload()
    live = json.loads(text(served, f"/p/{e.id}/live"))
    assert "fund-annual-sum" in live["live"] and 'data-cell="' in live["live"] and live["stale"] is False
    assert live["frame"] == f"/p/{e.id}/form?mode=screen&v={served.preview.snapshot.version}"
    status, _, body = get(served, f"/p/{e.id}/download/pdf")
    assert status == 409 and "有 1 个错误" in body.decode("utf-8")


def served_formats() -> list[str]:
    from jixiao.preview.server import download_formats

    return download_formats()


def test_download_writes_into_the_output_folder_through_the_build_cache(served: PreviewServer) -> None:
    e = entry(served, "普法.yaml")
    status, headers, pdf = get(served, f"/p/{e.id}/download/pdf")
    assert status == 200 and pdf.startswith(b"%PDF") and headers["content-type"] == "application/pdf"
    written = served.preview.out_dir / DEPT / "2026" / UNIT / "普法-绩效目标表.pdf"
    assert written.read_bytes() == pdf
    assert "filename*=UTF-8''" in headers["content-disposition"]
    cached = list((served.preview.out_dir / ".jixiao-cache").rglob("*"))
    before = written.stat().st_mtime_ns
    status, _, again = get(served, f"/p/{e.id}/download/pdf")
    assert status == 200 and again == pdf and written.stat().st_mtime_ns == before  # not rewritten
    assert list((served.preview.out_dir / ".jixiao-cache").rglob("*")) == cached  # nothing new laid out
    for fmt in served_formats()[1:]:  # DOCX (and XLSX where the renderer writes it): zip files
        status, _, data = get(served, f"/p/{e.id}/download/{fmt}")
        assert status == 200 and data.startswith(b"PK"), fmt
        assert (written.with_suffix(f".{fmt}")).read_bytes() == data
    assert get(served, f"/p/{e.id}/download/html")[0] == 404
    assert get(served, f"/p/{e.id}/download/exe")[0] == 404


def test_event_stream_says_each_new_version(served: PreviewServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    conn.request("GET", "/events")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/event-stream")

    def next_data() -> str:
        while True:
            line = response.fp.readline().decode("utf-8")
            assert line, "stream closed"
            if line.startswith("data: "):
                return line[6:].strip()

    first = int(next_data())
    assert first == served.preview.snapshot.version
    start = time.monotonic()
    edit(spec_path(served.preview.root), "年度指标值: 20人", "年度指标值: 21人")
    assert int(next_data()) > first
    assert time.monotonic() - start < DEADLINE_S
    conn.close()


def test_defaults_and_template_changes_reach_the_form(workspace: Path, tmp_path: Path) -> None:
    templates = tmp_path / "tpl"
    copy_builtin_templates(templates)
    server = open_preview(workspace, tmp_path / "out", templates)
    server.start(serve=True)
    try:
        armed(server)
        form = f"/p/{entry(server).id}/form"
        assert "浦江镇司法所" in text(server, form)
        edit(workspace / DEPT / "2026" / UNIT / "_defaults.yaml", "实施单位: 浦江镇司法所", "实施单位: 浦江镇司法所（改）")
        until(lambda: "浦江镇司法所（改）" in text(server, form))
        with (templates / "print.css").open("a", encoding="utf-8") as css:
            css.write("\n.title { color: #123456; }\n")
        until(lambda: "#123456" in text(server, form))
        # A template file missing for a while (an editor saving it): said on the pages, and
        # the preview keeps watching.
        css = (templates / "print.css").read_text(encoding="utf-8")
        (templates / "print.css").unlink()
        until(lambda: "缺少" in text(server, "/") and "模板目录改好后自动恢复" in text(server, "/"))
        (templates / "print.css").write_text(css.replace("#123456", "#654321"), encoding="utf-8")
        until(lambda: b"#654321" in get(server, form)[2])
    finally:
        server.close()


def test_department_page_shows_the_disclosure_html_and_follows_edits(served: PreviewServer) -> None:
    [dept] = [d for d in served.preview.snapshot.departments.values() if d.document.phase == "预算公开"]
    page = text(served, f"/d/{dept.id}")
    assert "闵行区浦江镇人民政府2026年度项目支出绩效目标表" in page and f"/d/{dept.id}/doc?v=" in page
    doc = text(served, f"/d/{dept.id}/doc")
    assert "社区矫正安置帮教" in doc and "<html" in doc
    assert any((served.preview.out_dir / ".jixiao-cache").rglob("*"))  # kept in the build cache
    edit(spec_path(served.preview.root), "项目名称: 社区矫正安置帮教", "项目名称: 社区矫正与安置帮教")
    until(lambda: "社区矫正与安置帮教" in text(served, f"/d/{dept.id}/doc"))


# -- what the server refuses -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/../jixiao.toml", "/p/../../jixiao.toml", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2Fjixiao.toml",
    "/p/%2e%2e%2f%2e%2e%2fjixiao.toml", "/%252e%252e/jixiao.toml", "/p/..%5c..%5cjixiao.toml", "/p/x%00",
])
def test_path_like_urls_are_refused(served: PreviewServer, path: str) -> None:
    status, _, body = get(served, path)
    assert status == 403, (path, status)
    assert "jixiao" not in body.decode("utf-8") and "root:" not in body.decode("utf-8")


def test_only_generated_pages_are_served(served: PreviewServer) -> None:
    rel = quote(f"{DEPT}/2026/{UNIT}/{SPEC}")
    for path in (f"/{rel}", "/jixiao.toml", "/p/000000000000", "/d/000000000000/doc", "/static/x.js",
                 f"/p/{entry(served).id}/doc"):
        assert get(served, path)[0] == 404, path
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    conn.request("POST", "/", body=b"x")
    assert conn.getresponse().status == 405
    conn.close()


def test_a_page_asked_for_under_another_host_name_is_refused(served: PreviewServer) -> None:
    # A web page that points its own name at 127.0.0.1 (DNS rebinding) sends its name as Host.
    assert get(served, "/", host="evil.example")[0] == 403
    assert get(served, "/", host=f"localhost:{served.port}")[0] == 200
    status, headers, _ = get(served, "/")
    assert status == 200 and "script-src 'nonce-" in headers["content-security-policy"]


def test_non_loopback_address_is_refused_without_host(workspace: Path, tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        with pytest.raises(UsageError, match="--host"):
            open_preview(workspace, tmp_path / "out", host=host)
        check_host(host, expose=True)  # said explicitly: allowed
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue  # ended meanwhile
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs: not ended, nor a zombie (one whose new parent, this machine's
    init, has not collected it yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_preview_command_prints_the_address_and_stops_on_ctrl_c(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    group = Jixiao("jixiao")
    group.add_command(preview_command)
    help_text = runner.invoke(group, ["preview", "--help"]).output
    assert "--port" in help_text and "0 表示任选一个空闲端口" in help_text and "--host" in help_text
    assert "最多 2" in help_text and "预览期间一直保留" in help_text  # -j: the workers stay while it runs
    refused = runner.invoke(group, ["preview", str(workspace), "-j", "0"])
    assert refused.exit_code == 2 and "应为 1 或更大的整数，得到 0" in refused.output

    script = "import sys; from jixiao.cli_preview import preview; preview.main(sys.argv[1:], prog_name='jixiao preview')"
    # Started as from a terminal: with Ctrl-C's default action, even when these tests run in a
    # background job (whose shell makes its commands, and so their children, ignore SIGINT).
    proc = subprocess.Popen([sys.executable, "-c", script, str(workspace), "--port", "0", "-o", str(tmp_path / "out"),
                             "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=_interruptible)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("预览地址：http://127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1].strip(" /\n"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/")
        home = conn.getresponse().read().decode("utf-8")
        assert "社区矫正安置帮教" in home
        document = re.search(r'href="(/d/[0-9a-f]+)"', home)
        assert document is not None
        conn.request("GET", f"{document.group(1)}/download/pdf")  # its parts laid out by two workers
        assert conn.getresponse().read().startswith(b"%PDF")
        conn.close()
        workers = [pid for pid in children(proc.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2
        events = socket.create_connection(("127.0.0.1", port))  # an open event stream must not hold it up
        events.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        assert b"200" in events.recv(100)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        events.close()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "预览已停止" in out
    # Stopped with it, none left running (a process that has ended may be seen a moment longer).
    until(lambda: not [pid for pid in workers if alive(pid)], timeout=10)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


# -- problems to cells ----------------------------------------------------------------------------


def test_problems_are_placed_on_the_cells_of_the_fields_they_name(workspace: Path) -> None:
    spec = spec_path(workspace)
    edit(spec, "    当年财政拨款: 9.26", "    当年财政拨款: 8.26")
    edit(spec, "  产出指标:", "  产出指标甲:")  # an unknown 一级: reported where 绩效指标's value starts too
    edit(spec, "        年度指标值: 20人", "        年度指标值: 20人\n        指标来源: 乱写")
    loaded = load_spec(spec)
    assert loaded.project is not None
    found = check_project(loaded.project, loaded.settings) + list(loaded.diagnostics)
    grid = Renderer().grid(loaded)
    marks = place(found, loaded.project, loaded.display, grid)
    cells = grid.cells()
    placed = {d.rule: (cells[n].source, cells[n].text) for n, ds in marks.cells.items() for d in ds}
    assert placed["fund-annual-sum"] == ("年度资金申请总额", "9.26")
    assert placed["indicator-level1-unknown"] == ("一级指标", "产出指标甲")  # the one the message names
    # 指标来源 has no column on this variant: the indicator's name cell, whose tooltip shows it
    assert placed["invalid-value"][0] == "三级指标「帮困对象数」"
    assert marks.count == len(cells)
    assert all(d.location.file == loaded.display for d in found)


def test_text_from_specs_is_escaped_everywhere(served: PreviewServer) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    edit(spec_path(served.preview.root), "项目名称: 社区矫正安置帮教", f'项目名称: "{hostile}"\n"</script><b>": 1')
    served.preview.reload()
    e = entry(served)
    pages_ = [text(served, "/"), text(served, f"/p/{e.id}"), text(served, f"/p/{e.id}/form"),
              json.loads(text(served, f"/p/{e.id}/live"))["live"]]
    for page in pages_:
        assert hostile not in page and "</script><b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages_[0]
    assert "unknown-key" in pages_[3] and "&lt;/script&gt;&lt;b&gt;" in pages_[3]


def test_the_department_document_after_one_edit_lays_out_one_table(workspace: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's renderer remembers grids by what they are read from (render/__init__.py)."""
    import jixiao.render
    from jixiao.bundle import plan
    from jixiao.bundle.html_pdf import disclosure_html
    from jixiao.load.workspace import load_workspace
    from jixiao.render import Renderer

    root = workspace / DEPT / "2026" / "浦江镇司法所"
    built: list[str] = []
    real = jixiao.render.build_grid

    def counting(project, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(project.name)
        return real(project, *args, **kwargs)

    monkeypatch.setattr(jixiao.render, "build_grid", counting)
    renderer = Renderer(remember_grids=True)

    def document() -> str:
        [targets] = [d for d in plan(load_workspace([workspace])) if d.phase == "预算公开"]
        return disclosure_html(targets, renderer)

    first = document()
    assert len(built) > 7 and "普法" in built  # every table of the two units
    built.clear()
    assert document() == first and built == []
    spec = root / "普法.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("2000份", "2100份"), encoding="utf-8")
    assert '<span class="word">2100</span>份' in document() and built == ["普法"]


def test_department_pdf_is_made_here_and_after_an_edit_lays_out_only_what_changed(
        served: PreviewServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdf

    import jixiao.bundle.parts

    laid: list[str] = []
    real = jixiao.bundle.parts._make_part
    monkeypatch.setattr(jixiao.bundle.parts, "_make_part", lambda html, base: laid.append(html) or real(html, base))
    [dept] = [d for d in served.preview.snapshot.departments.values() if d.document.phase == "预算公开"]
    assert f"/d/{dept.id}/download/pdf" in text(served, f"/d/{dept.id}")
    status, headers, pdf = get(served, f"/d/{dept.id}/download/pdf")
    assert status == 200 and headers["content-type"] == "application/pdf"
    written = served.preview.out_dir / DEPT / "2026" / f"{dept.document.title}.pdf"
    assert written.read_bytes() == pdf and "filename*=UTF-8''" in headers["content-disposition"]
    projects = len(dept.document.specs)
    assert len(laid) >= projects + 3  # every project, the summary, the contents, the page numbers
    assert len(pypdf.PdfReader(written).pages) > projects
    other = served.preview.out_dir.parent / "disclosed"
    assert run_cli("disclose", served.preview.root, "--format", "pdf", "-o", other, "-q", "-j", "1")[0] == 0
    assert (other / written.relative_to(served.preview.out_dir)).read_bytes() == pdf  # as `disclose` makes it

    laid.clear()
    seen = served.preview.snapshot.version
    edit(spec_path(served.preview.root), "项目名称: 社区矫正安置帮教", "项目名称: 社区矫正与安置帮教")
    until(lambda: served.preview.snapshot.version != seen)
    status, _, again = get(served, f"/d/{dept.id}/download/pdf")
    assert status == 200 and again != pdf and written.read_bytes() == again
    assert "社区矫正与安置帮教" in "".join(page.extract_text() for page in pypdf.PdfReader(written).pages)
    # The edited project's part, the summary and the contents (each names it), not the other
    # projects' parts nor the page numbers (as many pages as before).
    assert len(laid) == 3
    # Merged again from the parts read for the first download (pdfmerge.Readers), which that
    # merge changed: still what a fresh `disclose` makes.
    assert run_cli("disclose", served.preview.root, "--format", "pdf", "-o", other, "-q", "-j", "1")[0] == 0
    assert (other / written.relative_to(served.preview.out_dir)).read_bytes() == again


def test_department_pdf_parts_are_laid_out_by_workers_kept_between_downloads(workspace: Path, tmp_path: Path) -> None:
    server = open_preview(workspace, tmp_path / "out", jobs=2)
    server.start(serve=True)
    try:
        armed(server)
        [dept] = [d for d in server.preview.snapshot.departments.values() if d.document.phase == "预算公开"]
        status, _, pdf = get(server, f"/d/{dept.id}/download/pdf")
        assert status == 200 and pdf.startswith(b"%PDF")
        workers = multiprocessing.active_children()
        assert len(workers) >= 2  # spawned at the first download, and still there for the next
        seen = server.preview.snapshot.version
        edit(spec_path(server.preview.root), "项目名称: 社区矫正安置帮教", "项目名称: 社区矫正与安置帮教")
        until(lambda: server.preview.snapshot.version != seen)
        status, _, again = get(server, f"/d/{dept.id}/download/pdf")
        assert status == 200 and again != pdf
        assert all(w.is_alive() for w in workers)  # the same processes laid the edit out
        other = tmp_path / "disclosed"
        assert run_cli("disclose", server.preview.root, "--format", "pdf", "-o", other, "-q", "-j", "1")[0] == 0
        assert (other / DEPT / "2026" / f"{dept.document.title}.pdf").read_bytes() == again

        os.kill(workers[0].pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        seen = server.preview.snapshot.version
        edit(spec_path(server.preview.root), "项目名称: 社区矫正与安置帮教", "项目名称: 社区矫正和安置帮教")
        until(lambda: server.preview.snapshot.version != seen)
        status, _, said = get(server, f"/d/{dept.id}/download/pdf")
        assert status == 200 and "子进程意外退出" in said.decode("utf-8") and "再下载一次会重新启动" in said.decode("utf-8")
        status, _, retried = get(server, f"/d/{dept.id}/download/pdf")  # new workers
        assert status == 200 and retried.startswith(b"%PDF") and retried not in (pdf, again)
        assert len(multiprocessing.active_children()) >= 2 and not set(workers) & set(multiprocessing.active_children())
    finally:
        server.close()
    assert not multiprocessing.active_children()  # stopped with the preview


def test_department_pdf_is_refused_while_a_spec_has_errors(served: PreviewServer) -> None:
    [dept] = [d for d in served.preview.snapshot.departments.values() if d.document.phase == "预算公开"]
    seen = served.preview.snapshot.version
    edit(spec_path(served.preview.root), "项目名称: 社区矫正安置帮教", "项目名称: ''")
    until(lambda: served.preview.snapshot.version != seen)
    page = text(served, f"/d/{dept.id}")
    assert f"/d/{dept.id}/download/pdf" not in page and "下载 PDF" in page
    status, _, body = get(served, f"/d/{dept.id}/download/pdf")
    assert status == 200 and "无法生成公开文档" in body.decode("utf-8") and "有错误" in body.decode("utf-8")
    assert not (served.preview.out_dir / DEPT).exists()
