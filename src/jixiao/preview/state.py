"""What the preview shows: the workspace as last loaded and checked, and the forms made from it.

Every change of a file reloads and checks the whole workspace (the demo's 82
specs take about a tenth of a second; the cross-project rules need all of them
anyway) into a new immutable :class:`Snapshot` with a higher ``version``; pages
and the event stream only read snapshots. Forms are laid out when a page asks
for them and kept for that version.

Projects and departments are named in URLs by short ids derived from the
spec's path inside the workspace (and a department's name, year and phase),
never by a path: an id stays the same while a file is edited, and a URL can only
name what the loaded workspace holds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.bundle import Disclosure, plan
from jixiao.bundle.html_pdf import disclosure_html
from jixiao.bundle.write import disclosure_workers, write_disclosures
from jixiao.cache import CACHE_DIR_NAME, key_of
from jixiao.errors import Diagnostic, JixiaoError, Severity, WorkerError
from jixiao.jobs import Workers
from jixiao.load.workspace import (
    SpecFile,
    Workspace,
    load_workspace,
    workspace_root,
)
from jixiao.model.project import Project
from jixiao.preview.marks import Marks, place
from jixiao.render import Renderer
from jixiao.render.output import relative_path
from jixiao.validate import check_workspace

if TYPE_CHECKING:
    from jixiao.bundle.pdfmerge import Readers


def short_id(*parts: str) -> str:
    return key_of(*parts)[:12]


@dataclass(frozen=True)
class Entry:
    """One spec file as the tree and its page show it."""

    id: str
    spec: SpecFile
    diagnostics: tuple[Diagnostic, ...]
    # Where the tree files it: from the project, else (unreadable) as last read, else its folders.
    department: str
    year: str
    unit: str
    name: str

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def status(self) -> str:
        """✔, n 警告 or n 错误 (and n 警告)."""
        parts = [f"{n} {label}" for n, label in ((self.errors, "错误"), (self.warnings, "警告")) if n]
        return "、".join(parts) or "✔"


@dataclass(frozen=True)
class Department:
    id: str
    document: Disclosure

    def members(self, entries: Iterable[Entry]) -> list[Entry]:
        """Of ``entries``, the projects the document prints."""
        printed = {str(s.path) for s in self.document.specs}
        return [e for e in entries if str(e.spec.path) in printed]


@dataclass(frozen=True)
class Snapshot:
    version: int
    entries: dict[str, Entry] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    general: tuple[Diagnostic, ...] = ()  # findings in no spec (a _defaults.yaml …)
    skipped: tuple[str, ...] = ()
    problem: str = ""  # the workspace could not be loaded at all


@dataclass(frozen=True)
class Form:
    """A project's form as the HTML writer renders it, with its problems by cell."""

    html: str
    marks: Marks | None


@dataclass(frozen=True)
class Shown:
    """What a project page shows: the current form, or (``stale``) the last one that could be
    made, greyed out below ``failure`` (why the current one cannot be)."""

    form: Form | None
    stale: bool
    failure: str = ""
    excerpt: str = ""  # the source line with a caret under the column (a YAML syntax error)


class Preview:
    """The workspace at ``target`` (a workspace, folder or file), kept loaded and checked."""

    def __init__(self, target: Path, out_dir: Path, template_dir: Path | None = None, jobs: int = 1) -> None:
        self.target = target
        self.root = workspace_root(target)
        self.out_dir = out_dir
        self.template_dir = template_dir
        self.jobs = jobs  # processes laying out a disclosure PDF's parts
        self._workers: Workers | None = None  # started at the first disclosure PDF asked for
        self._readers: Readers | None = None
        self.changed = threading.Condition()
        self.stopping = False
        self._lock = threading.RLock()
        self._renderer = self._new_renderer()
        self._template_problem = ""  # the template folder as last read could not be used
        self._forms: dict[tuple[int, str], Shown] = {}
        self._documents: dict[tuple[int, str], str] = {}
        self._last_good: dict[str, Form] = {}
        self._last_place: dict[str, tuple[str, str, str, str]] = {}
        self.snapshot = Snapshot(0)
        self.reload()

    # -- loading ----------------------------------------------------------------------------------

    def _new_renderer(self) -> Renderer:
        # Grids remembered: after one edit, the department page lays out one table again.
        return Renderer(self.template_dir, self.out_dir / CACHE_DIR_NAME, remember_grids=True)

    @property
    def renderer(self) -> Renderer:
        with self._lock:
            return self._renderer

    def templates_changed(self) -> None:
        """A template was saved: the next forms come from a renderer that reads it again. A
        template folder that cannot be read now (a file missing while an editor saves it)
        is said on every page until it can; the preview keeps watching."""
        try:
            renderer = self._new_renderer()
        except JixiaoError as exc:
            self._template_problem = f"{exc}（模板目录改好后自动恢复）"
        else:
            with self._lock:
                self._renderer = renderer
            self._template_problem = ""
        self.reload()

    def reload(self) -> None:
        """Load and check the workspace again; wake every page waiting for a change."""
        with self._lock:
            snapshot = self._load(self.snapshot.version + 1)
            self.snapshot = snapshot
            self._forms.clear()
            self._documents.clear()
        with self.changed:
            self.changed.notify_all()

    def _load(self, version: int) -> Snapshot:
        if self._template_problem:
            return Snapshot(version, problem=self._template_problem)
        try:
            workspace = load_workspace([self.target])
            report = check_workspace(workspace)
        except JixiaoError as exc:
            return Snapshot(version, problem=str(exc))
        except Exception as exc:  # a bug in jixiao: said on the page; the preview keeps watching
            return Snapshot(version, problem=f"jixiao 内部错误（{type(exc).__name__}: {exc}）；这是 jixiao 的缺陷，请报告")
        by_file = report.by_file()
        entries = {e.id: e for e in (self._entry(s, tuple(by_file.get(s.display, []))) for s in workspace.specs)}
        shown = {s.display for s in workspace.specs}
        general = tuple(d for d in report.diagnostics if d.location.file not in shown)
        return Snapshot(version, entries, self._departments(workspace), general,
                        tuple(f"{s.display}：{s.reason}" for s in workspace.skipped))

    def _entry(self, spec: SpecFile, diagnostics: tuple[Diagnostic, ...]) -> Entry:
        entry_id = short_id("spec", self._inside(spec.path))
        if spec.project is not None:
            p = spec.project
            self._last_place[entry_id] = (p.department, str(p.year or ""), p.unit, p.name)
        place_ = self._last_place.get(entry_id) or self._by_folders(spec.path)
        return Entry(entry_id, spec, diagnostics, *place_)

    def _inside(self, path: Path) -> str:
        absolute = path.resolve()
        return absolute.relative_to(self.root.resolve()).as_posix() if absolute.is_relative_to(self.root.resolve()) \
            else absolute.as_posix()

    def _by_folders(self, path: Path) -> tuple[str, str, str, str]:
        """部门/年度/单位/项目 guessed from the folders, for a file never read."""
        parts = Path(self._inside(path)).parts
        folders = [*parts[:-1], "", "", ""][:3]
        return (folders[0] or "（未读出）", folders[1], folders[2], Path(parts[-1]).stem)

    def _departments(self, workspace: Workspace) -> dict[str, Department]:
        try:
            documents = plan(workspace)
        except JixiaoError:
            return {}
        return {d.id: d for d in (Department(short_id("department", doc.department, str(doc.year), doc.phase), doc)
                                  for doc in documents)}

    # -- waiting for changes ------------------------------------------------------------------------

    def wait_change(self, seen: int, timeout: float) -> int:
        """The version, once it is past ``seen`` (or after ``timeout`` seconds, or at stop)."""
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot.version != seen or self.stopping, timeout)
            return self.snapshot.version

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()
        with self._lock:
            workers = self._workers
        if workers is not None:
            self._drop_workers(workers)

    # -- forms --------------------------------------------------------------------------------------

    def shown(self, entry_id: str) -> tuple[Snapshot, Entry, Shown] | None:
        """A project's form, with the snapshot and entry it was made from (None: no such project)."""
        with self._lock:
            snapshot = self.snapshot
            entry = snapshot.entries.get(entry_id)
            if entry is None:
                return None
            key = (snapshot.version, entry_id)
            if key not in self._forms:
                self._forms[key] = self._make(entry)
            return snapshot, entry, self._forms[key]

    def _make(self, entry: Entry) -> Shown:
        project = entry.spec.project
        if project is None:
            first = next((d for d in entry.diagnostics if d.severity is Severity.ERROR), None)
            return Shown(self._last_good.get(entry.id), True, first.format() if first else "文件无法读取",
                         first.excerpt if first else "")
        try:
            grid = self._renderer.grid(entry.spec)
            html = self._renderer.html.page_html(grid)
        except JixiaoError as exc:
            return Shown(self._last_good.get(entry.id), True, str(exc))
        except (ValueError, LookupError, TypeError, ArithmeticError) as exc:
            # A spec with errors may leave the layout something it cannot print; the page
            # says so and keeps the last form rather than failing.
            return Shown(self._last_good.get(entry.id), True, f"这份规格的错误使表格无法排版（{exc}）")
        form = Form(html, place(list(entry.diagnostics), project, entry.spec.display, grid))
        self._last_good[entry.id] = form
        return Shown(form, False)

    # -- files made on demand ------------------------------------------------------------------

    def download(self, entry_id: str, fmt: str) -> tuple[Path, bytes] | None:
        """The project's file in ``fmt``, written into the output folder (from the build cache
        when its sources are unchanged); None: no such project. Raises JixiaoError when the
        spec cannot be printed."""
        with self._lock:
            entry = self.snapshot.entries.get(entry_id)
            renderer = self._renderer
        if entry is None:
            return None
        project = _printable(entry)
        done = renderer.render(entry.spec, [fmt], self.out_dir, relative_path(project))
        path = done.files[0]
        return path, path.read_bytes()

    def document(self, department_id: str) -> str | None:
        """A department's disclosure document as HTML (None: no such document). Laid out
        outside the lock (a large department takes a second or two): pages stay served."""
        with self._lock:
            snapshot = self.snapshot
            department = snapshot.departments.get(department_id)
            renderer = self._renderer
            key = (snapshot.version, department_id)
            if department is None or key in self._documents:
                return None if department is None else self._documents[key]
        html = _document_html(department.document, renderer)
        with self._lock:
            self._documents[key] = html
        return html

    def document_pdf(self, department_id: str) -> tuple[Path, bytes] | None:
        """A department's disclosure PDF, written into the output folder as ``disclose`` writes
        it (None: no such document). Its parts are laid out by worker processes kept from one
        download to the next (``jobs`` of them; with one, in this process), WeasyPrint and
        the fonts ready in each; after one edit only the edited project's part and the
        summary are laid out again, in parallel, the others come from the build cache, and
        the merge reads only those two again. Raises JixiaoError when one of its specs has
        errors (``disclose`` would not make it either)."""
        with self._lock:
            snapshot = self.snapshot
            department = snapshot.departments.get(department_id)
            renderer = self._renderer
        if department is None:
            return None
        wrong = [e.spec.display for e in department.members(snapshot.entries.values()) if e.errors]
        if wrong:
            raise JixiaoError(f"{len(wrong)} 个文件有错误：{'、'.join(wrong)}；jixiao disclose 不生成有错误的公开文档，"
                              "改正后再下载。")
        workers, readers = self._kept(renderer)
        try:
            [(_, [path])] = write_disclosures([department.document], renderer, ["pdf"], self.out_dir,
                                              workers=workers, readers=readers)
        except WorkerError as exc:  # a worker killed (out of memory): new ones at the next download
            self._drop_workers(workers)
            raise WorkerError(f"{exc}（预览已停下其余子进程，再下载一次会重新启动）") from exc
        return path, path.read_bytes()

    def _drop_workers(self, workers: Workers) -> None:
        with self._lock:
            if self._workers is workers:
                self._workers = None
        workers.close()

    def _kept(self, renderer: Renderer) -> tuple[Workers, Readers]:
        """The workers and the parts read, kept between downloads, made at the first. The
        workers are spawned, not forked: the server's other threads may hold locks meanwhile."""
        with self._lock:
            if self._workers is None or self._readers is None:
                from jixiao.bundle.pdfmerge import Readers  # pypdf: only once a PDF is merged

                self._workers = disclosure_workers(["pdf"], renderer.template_dir, self.jobs, threaded=True)
                self._readers = Readers()
            return self._workers, self._readers


def _document_html(doc: Disclosure, renderer: Renderer) -> str:
    """From the build cache when the document's sources are unchanged."""
    source = doc.sources()
    if source is None:  # a file went away while being read: the next reload shows it
        return disclosure_html(doc, renderer)
    data = renderer.cached("preview-disclosure-html", source, lambda: disclosure_html(doc, renderer).encode("utf-8"))
    return data.decode("utf-8")


def _printable(entry: Entry) -> Project:
    if entry.spec.project is None or entry.errors:
        raise JixiaoError(f"{entry.spec.display} 有 {entry.errors or 1} 个错误，未生成；改正后再下载"
                          "（jixiao render --force 可以强制生成）。")
    return entry.spec.project
