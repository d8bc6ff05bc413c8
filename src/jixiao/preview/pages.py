"""The preview's own pages: the tree, a project, a department; and the form as served.

Every piece of text from a spec is escaped here (``html.escape``); the form itself
comes from the HTML writer (its templates escape). Scripts carry the response's
nonce: the server's Content-Security-Policy runs no other script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from jixiao.errors import Diagnostic
from jixiao.preview.state import Department, Entry, Form, Shown, Snapshot

DOWNLOAD_LABELS = {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": "Excel（XLSX）"}
MODES = {"screen": "屏幕", "print": "打印预览"}

STYLE = """
body { font: 15px/1.5 "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 0; color: #222;
       background: #f4f4f2; }
header { background: #2c3e50; color: #fff; padding: 8px 16px; }
header a { color: #fff; } main { padding: 8px 16px; max-width: 1100px; margin: 0 auto; }
a { color: #1a5fb4; } h1 { font-size: 20px; margin: 8px 0; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.2em; margin: 2px 0; } ul.tree { padding-left: 0; }
.dept > span, .year > span { font-weight: bold; } .unit > span { color: #444; }
.status { display: inline-block; font-size: 13px; padding: 0 6px; border-radius: 8px; margin-left: 6px; }
.status.ok { color: #1b7f3b; } .status.warning { background: #fff3cd; color: #7a5a00; }
.status.error { background: #fde2e1; color: #a4161a; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.toolbar a.button, .toolbar span.button { padding: 4px 10px; border: 1px solid #999; border-radius: 4px;
  background: #fff; text-decoration: none; color: #222; }
.toolbar .button.on { background: #2c3e50; color: #fff; border-color: #2c3e50; }
.toolbar .button.off { color: #999; border-color: #ccc; cursor: not-allowed; }
ol.problems { background: #fff; border: 1px solid #ddd; padding: 8px 8px 8px 2.4em; margin: 8px 0; }
ol.problems li { margin: 4px 0; cursor: default; } ol.problems li[data-cell] { cursor: pointer; }
.sev { font-weight: bold; } li.error .sev { color: #a4161a; } li.warning .sev { color: #7a5a00; }
.where { color: #555; font-size: 13px; } .rule { color: #777; font-size: 13px; }
pre.excerpt { background: #272822; color: #f8f8f2; padding: 6px 10px; overflow-x: auto; margin: 4px 0; }
.failure { background: #fde2e1; border: 1px solid #e5a0a0; padding: 8px 12px; margin: 8px 0; }
#frame-wrap { background: #fff; border: 1px solid #ddd; } #frame-wrap.stale { filter: grayscale(1); opacity: .45; }
#frame-wrap.stale::before { content: "以下是上一次能生成的表格（已过时）"; display: block; padding: 4px 8px; }
iframe { width: 100%; border: 0; height: 80vh; display: block; }
.ok-all { color: #1b7f3b; }
"""

# Live update: the server says the workspace's version on /events; when it differs from
# the page's, the page fetches its fragment again and reloads its frame.
SCRIPT = """
(() => {
  const body = document.body, live = document.getElementById('live');
  const wrap = document.getElementById('frame-wrap'), frame = document.getElementById('frame');
  // The frame as tall as its form (shrunk first: a document is never shorter than its frame).
  const fit = () => { try { frame.style.height = '10px';
    frame.style.height = frame.contentDocument.documentElement.scrollHeight + 'px'; } catch (e) {} };
  if (frame) frame.addEventListener('load', fit);
  async function refresh() {
    const r = await fetch(body.dataset.live, {cache: 'no-store'});
    if (r.status === 404) live.innerHTML = '<div class="failure">这一页的项目已不在工作区里（文件改名或删除了）。' +
      '<a href="/">回到项目列表</a></div>';
    if (!r.ok) return;
    const j = await r.json();
    body.dataset.version = j.version;
    live.innerHTML = j.live;
    if (!frame) return;
    wrap.classList.toggle('stale', j.stale);
    wrap.hidden = !j.frame;
    if (j.frame && j.frame !== frame.getAttribute('src')) frame.src = j.frame;
  }
  new EventSource('/events').onmessage = e => { if (e.data !== body.dataset.version) refresh(); };
  live.addEventListener('click', e => {
    const item = e.target.closest('[data-cell]');
    if (item && frame && frame.contentWindow.jxShow) frame.contentWindow.jxShow(+item.dataset.cell);
  });
})();
"""

# In the form's frame: mark the cells the problems are about, show a message on hover or tap.
FORM_STYLE = """
.jx-mark { outline: 2px solid #d62828; outline-offset: -2px; background: #fde2e1 !important; cursor: help; }
.jx-mark.jx-warning { outline-color: #e0a800; background: #fff3cd !important; }
.jx-tip { position: absolute; z-index: 10; max-width: 28em; background: #222; color: #fff; padding: 6px 8px;
  border-radius: 4px; font: 13px/1.45 sans-serif; white-space: pre-line; box-shadow: 0 2px 6px #0006; }
.jx-flash { animation: jx-flash 1s 2; } @keyframes jx-flash { 50% { outline-width: 5px; } }
"""

FORM_SCRIPT = """
(() => {
  const marks = JSON.parse(document.getElementById('jx-marks').textContent);
  const cells = [...document.querySelectorAll('td, th')].filter(c => !c.closest('tfoot'));
  if (cells.length !== marks.count) return;  // another template: the list above the form says it all
  for (const [n, found] of Object.entries(marks.cells)) {
    const cell = cells[+n];
    cell.classList.add('jx-mark', found.some(d => d.severity === 'error') ? 'jx-error' : 'jx-warning');
    cell.dataset.jxMessage = found.map(d => d.label + ' [' + d.rule + '] ' + d.message).join('\\n');
    cell.tabIndex = 0;
  }
  const tip = document.createElement('div');
  tip.className = 'jx-tip'; tip.hidden = true; document.body.append(tip);
  const show = cell => {
    const r = cell.getBoundingClientRect();
    tip.textContent = cell.dataset.jxMessage; tip.hidden = false;
    tip.style.left = Math.max(4, r.left + scrollX) + 'px'; tip.style.top = (r.bottom + scrollY + 4) + 'px';
  };
  const at = e => { const c = e.target.closest && e.target.closest('.jx-mark'); if (c) show(c); else tip.hidden = true; };
  document.addEventListener('mouseover', at); document.addEventListener('click', at);
  document.addEventListener('focusin', at);
  window.jxShow = n => { const c = cells[n]; if (!c || !c.dataset.jxMessage) return;
    c.scrollIntoView({block: 'center'}); show(c); c.classList.remove('jx-flash'); void c.offsetWidth; c.classList.add('jx-flash'); };
})();
"""

# 打印预览: the page as printed — the template's print rules on, its screen rules off — on a
# sheet of A4 with the @page margins, a rule where the layout starts a new page.
PRINT_STYLE = """
html { background: #888 !important; }
body { background: #fff; width: 210mm; box-sizing: border-box; padding: %(top)s %(right)s %(bottom)s %(left)s;
       margin: 12px auto !important; box-shadow: 0 2px 8px #0008; }
.jx-break { border-top: 2px dashed #888; margin: 10mm -%(right)s 10mm -%(left)s; text-align: center; color: #666;
            font: 12px sans-serif; }
"""
PRINT_SCRIPT = """
document.querySelectorAll('table.newpage').forEach(t => {
  const rule = document.createElement('div'); rule.className = 'jx-break'; rule.textContent = '分页';
  t.before(rule); t.style.marginTop = '0';
});
"""

_PAGE_MARGIN = re.compile(r"@page\s*{[^}]*?margin:\s*([^;}]+)")


def page(title: str, body: str, *, nonce: str, live_url: str, version: int, frame: str = "",
         stale: bool = False, crumbs: str = "") -> str:
    frame_html = ""
    if frame or live_url.startswith("/p/") or live_url.startswith("/d/"):
        frame_html = (f'<div id="frame-wrap" class="{"stale" if stale else ""}"{"" if frame else " hidden"}>'
                      f'<iframe id="frame" title="表格" src="{escape(frame)}"></iframe></div>')
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f'<style>{STYLE}</style></head>'
            f'<body data-live="{escape(live_url)}" data-version="{version}">'
            f'<header><a href="/">jixiao 预览</a>{crumbs}</header><main>{body}{frame_html}</main>'
            f'<script nonce="{nonce}">{SCRIPT}</script></body></html>')


def status_badge(errors: int, warnings: int) -> str:
    if errors:
        return f'<span class="status error">{errors} 错误{f"、{warnings} 警告" if warnings else ""}</span>'
    if warnings:
        return f'<span class="status warning">{warnings} 警告</span>'
    return '<span class="status ok" title="没有问题">✔</span>'


# -- the tree --------------------------------------------------------------------------------------


def tree_live(snapshot: Snapshot) -> str:
    if snapshot.problem:
        return f'<div class="failure">无法读取工作区：{escape(snapshot.problem)}</div>'
    entries = snapshot.entries.values()
    errors, warnings = sum(e.errors for e in entries), sum(e.warnings for e in entries)
    parts = [f'<p>{len(entries)} 个项目{status_badge(errors, warnings)}</p>', _tree(snapshot)]
    if snapshot.general:
        parts.append("<h2>其他文件的问题</h2>" + problem_list(snapshot.general, {}))
    if snapshot.skipped:
        parts.append("<h2>已跳过</h2><ul>" + "".join(f"<li>{escape(s)}</li>" for s in snapshot.skipped) + "</ul>")
    return "".join(parts)


def _tree(snapshot: Snapshot) -> str:
    nested: dict[str, dict[str, dict[str, list[Entry]]]] = {}
    for e in sorted(snapshot.entries.values(), key=lambda e: (e.department, e.year, e.unit, str(e.spec.path))):
        nested.setdefault(e.department, {}).setdefault(e.year, {}).setdefault(e.unit, []).append(e)
    if not nested:
        return "<p>这里没有项目规格。用 <code>jixiao new project</code> 新建一个。</p>"
    docs: dict[tuple[str, str], list[Department]] = {}
    for d in snapshot.departments.values():
        docs.setdefault((d.document.department, str(d.document.year)), []).append(d)
    out = ['<ul class="tree">']
    for dept, years in nested.items():
        out.append(f'<li class="dept"><span>{escape(dept)}</span><ul>')
        for year, units in years.items():
            links = "".join(f' · <a href="/d/{d.id}">{escape(d.document.phase)}文档</a>'
                            for d in sorted(docs.get((dept, year), []), key=lambda d: d.document.phase))
            out.append(f'<li class="year"><span>{escape(year or "（年度未填）")}</span>{links}<ul>')
            for unit, entries in units.items():
                out.append(f'<li class="unit"><span>{escape(unit or "（实施单位未填）")}</span><ul>')
                out.extend(_project_item(e) for e in entries)
                out.append("</ul></li>")
            out.append("</ul></li>")
        out.append("</ul></li>")
    out.append("</ul>")
    return "".join(out)


def _project_item(e: Entry) -> str:
    kind = e.spec.project.form.value if e.spec.project is not None else "无法读取"
    return (f'<li class="project" data-id="{e.id}"><a href="/p/{e.id}">{escape(e.name or e.spec.path.name)}</a>'
            f' <span class="where">{escape(kind)} · {escape(e.spec.path.name)}</span>'
            f'{status_badge(e.errors, e.warnings)}</li>')


# -- a project ---------------------------------------------------------------------------------------


def project_crumbs(e: Entry) -> str:
    return " › " + " › ".join(escape(x) for x in (e.department, e.year, e.unit) if x)


def project_body(e: Entry, mode: str, formats: Iterable[str], live: str) -> str:
    modes = "".join(f'<a class="button{" on" if m == mode else ""}" href="/p/{e.id}?mode={m}">{label}</a>'
                    for m, label in MODES.items())
    downloads = "".join(
        f'<a class="button" href="/p/{e.id}/download/{fmt}" download>下载 {DOWNLOAD_LABELS.get(fmt, fmt.upper())}</a>'
        if not e.errors and e.spec.project is not None else
        f'<span class="button off" title="有错误的规格不生成；改正后再下载">下载 {DOWNLOAD_LABELS.get(fmt, fmt.upper())}</span>'
        for fmt in formats)
    return (f'<h1>{escape(e.name)}</h1><div class="toolbar">{modes}<span>·</span>{downloads}</div>'
            f'<div id="live">{live}</div>')


def project_live(e: Entry, shown: Shown) -> str:
    failure = ""
    if shown.failure:
        excerpt = f'<pre class="excerpt">{escape(shown.excerpt)}</pre>' if shown.excerpt else ""
        failure = f'<div class="failure"><b>无法生成表格：</b>{escape(shown.failure)}{excerpt}</div>'
    marks = shown.form.marks if shown.form is not None and not shown.stale else None
    placed = {d: n for n, found in (marks.cells.items() if marks else ()) for d in found}
    head = (f'<p>{escape(e.spec.display)} {status_badge(e.errors, e.warnings)}</p>')
    if not e.diagnostics:
        return head + failure + '<p class="ok-all">检查没有发现问题。</p>'
    return head + failure + problem_list(e.diagnostics, placed)


def problem_list(found: Iterable[Diagnostic], placed: dict[Diagnostic, int]) -> str:
    items = []
    for d in found:
        cell = placed.get(d)
        attr = f' data-cell="{cell}" title="点击在表上找到它"' if cell is not None else ""
        where = f"第 {d.location.line} 行第 {d.location.col} 列" if d.location.line > 0 else escape(d.location.file)
        excerpt = f'<pre class="excerpt">{escape(d.excerpt)}</pre>' if d.excerpt else ""
        items.append(f'<li class="{d.severity.value}"{attr}><span class="sev">{d.severity.label}</span> '
                     f'<span class="where">{where}</span> {escape(d.message)} '
                     f'<span class="rule">[{escape(d.rule)}]</span>{excerpt}</li>')
    return f'<ol class="problems">{"".join(items)}</ol>'


def form_url(e: Entry, mode: str, version: int) -> str:
    return f"/p/{e.id}/form?mode={quote(mode)}&v={version}"


def form_page(form: Form, mode: str, nonce: str, stale: bool) -> str:
    """The form as the HTML writer made it, with the marks (and, in 打印预览, the print rules)."""
    html = form.html
    head, tail = "", ""
    if mode == "print":
        html = _print_rules(html)
        head += f"<style>{PRINT_STYLE % _margins(html)}</style>"
        tail += f'<script nonce="{nonce}">{PRINT_SCRIPT}</script>'
    if form.marks is not None and not stale:
        # No "<" at all inside the script element: a message quoting "</script>" or "<!--" stays data.
        data = json.dumps(form.marks.as_json(), ensure_ascii=False).replace("<", "\\u003c")
        head += f"<style>{FORM_STYLE}</style>"
        tail += (f'<script type="application/json" id="jx-marks">{data}</script>'
                 f'<script nonce="{nonce}">{FORM_SCRIPT}</script>')
    return _insert(_insert(html, "</head>", head), "</body>", tail)


def _print_rules(html: str) -> str:
    """Screen-only rules off, print-only rules on: the page as the print CSS lays it out."""
    return re.sub(r"@media\s+print\b", "@media all", re.sub(r"@media\s+screen\b", "@media not all", html))


def _margins(html: str) -> dict[str, str]:
    """The @page margins (top right bottom left), as CSS writes them; 20mm 18mm by default."""
    found = _PAGE_MARGIN.search(html)
    values = found.group(1).split()[:4] if found else ["20mm", "18mm"]
    # CSS: one value for all sides; two: vertical, horizontal; three: top, horizontal, bottom.
    top, right, bottom, left = {1: values * 4, 2: values * 2, 3: [*values, values[1]]}.get(len(values), values)
    return {"top": top, "right": right, "bottom": bottom, "left": left}


def _insert(html: str, before: str, text: str) -> str:
    at = html.rfind(before)
    return html + text if at < 0 else html[:at] + text + html[at:]


# -- a department ---------------------------------------------------------------------------------


def department_body(d: Department, live: str, entries: Iterable[Entry]) -> str:
    doc = d.document
    if any(e.errors for e in d.members(entries)):
        download = '<span class="button off" title="有错误的规格不生成；改正后再下载">下载 PDF</span>'
    else:
        download = f'<a class="button" href="/d/{d.id}/download/pdf" download>下载 PDF</a>'
    return (f'<h1>{escape(doc.title)}</h1><p>{escape(doc.phase)} · {doc.year} 年度</p>'
            f'<div class="toolbar">{download}</div><div id="live">{live}</div>')


def department_live(d: Department, entries: Iterable[Entry]) -> str:
    mine = d.members(entries)
    errors = sum(e.errors for e in mine)
    lines = [f'<p>{len(mine)} 个项目{status_badge(errors, sum(e.warnings for e in mine))}'
             + ('（有错误时 jixiao disclose 不生成；这里仍显示，以便对照）' if errors else "") + "</p>"]
    if d.document.excluded:
        lines.append("<p>不公开、未收录：" + "、".join(
            f'<a href="/p/{e.id}">{escape(e.name)}</a>' for e in mine_excluded(d, entries)) + "</p>")
    return "".join(lines)


def mine_excluded(d: Department, entries: Iterable[Entry]) -> list[Entry]:
    names = {str(x.spec.path) for x in d.document.excluded}
    return [e for e in entries if str(e.spec.path) in names]


def document_url(d: Department, version: int) -> str:
    return f"/d/{d.id}/doc?v={version}"


def message_page(title: str, message: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f'<body style="font-family: sans-serif; padding: 1em"><h1>{escape(title)}</h1>'
            f'<p>{escape(message)}</p><p><a href="/" target="_top">回到项目列表</a></p></body></html>')
