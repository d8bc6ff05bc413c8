"""What the ``jixiao`` commands do, as functions a Python program can call too.

Each command of :mod:`jixiao.cli` parses its options, calls one of these (or a
stage package's entry point), and prints from what comes back. Nothing here
prints or knows about the command line: progress is reported through an optional
``progress`` callback, results are returned, and a refusal is raised as a
:class:`~jixiao.errors.JixiaoError` subclass carrying what the caller may want to
show (the check report of the specs that stopped the operation, say)::

    from jixiao.commands import load_checked, render_specs

    checked = load_checked(["specs/"])
    result = render_specs(checked.workspace, "html,pdf", Path("output"))
    print(len(result.files), "files")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.bundle import Disclosure, plan
from jixiao.bundle.write import write_disclosures
from jixiao.cache import CACHE_DIR_NAME
from jixiao.errors import SelfEvalError, Severity, SpecErrors, UnreadFiles, UsageError
from jixiao.importer import IMPORT_SUFFIXES, REFUSED_SUFFIXES
from jixiao.load.workspace import SpecFile, Workspace, load_workspace
from jixiao.model.vocab import FormKind
from jixiao.render import Rendered, Renderer, output_paths, parse_formats
from jixiao.selfeval import Filled, ScoreHint, suggested_scores, write_scores
from jixiao.validate import Report, check_workspace

# -- loading and checking ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A loaded and checked workspace that an operation may go on with."""

    workspace: Workspace
    report: Report
    broken: list[str]  # files with errors, gone on with because forced (sorted); [] otherwise

    @property
    def readable(self) -> list[SpecFile]:
        """The specs whose project could be built (with ``force``, possibly with errors)."""
        return [s for s in self.workspace.specs if s.project is not None]

    @property
    def unread(self) -> list[str]:
        """The spec files that could not be read at all (only possible with ``force``)."""
        return [s.display for s in self.workspace.specs if s.project is None]

    def fail_on_unread(self, what: str = "已跳过") -> None:
        """Raise :class:`UnreadFiles` if a file was skipped; ``what`` says what that meant (未生成 …)."""
        if unread := self.unread:
            raise UnreadFiles(f"{len(unread)} 个文件无法读取，{what}：{'、'.join(unread)}", unread)


def load_checked(paths: Sequence[str | Path], force: bool = False,
                 refusal: str = "{n} 个文件有错误：{files}") -> Checked:
    """Load and check ``paths``; refuse to go on when a spec has errors, unless ``force``.

    The refusal is a :class:`SpecErrors` whose message is ``refusal`` with ``{n}`` (how
    many files have errors) and ``{files}`` (their names) filled in.
    """
    workspace = load_workspace(paths)
    report = check_workspace(workspace)
    broken = sorted({d.location.file for d in report.diagnostics if d.severity is Severity.ERROR})
    if broken and not force:
        raise SpecErrors(refusal.format(n=len(broken), files="、".join(broken)), report, broken)
    return Checked(workspace, report, broken)


def _formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    """``"html,pdf"`` or ``["html", "pdf"]``, checked: a usage error names what is unknown."""
    return parse_formats(formats if isinstance(formats, str) else ",".join(formats))


# -- render -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderResult:
    rendered: list[Rendered]  # one per project, in the workspace's order

    @property
    def projects(self) -> int:
        return len(self.rendered)

    @property
    def files(self) -> list[Path]:
        return [path for r in self.rendered for path in r.files]

    @property
    def unchanged(self) -> list[Path]:
        """Files that already held what they should and were left alone."""
        return [path for r in self.rendered for path in r.unchanged]


def cache_folder(out_dir: Path, cache: bool) -> Path | None:
    """Where the build cache of an output folder is kept (None: no cache)."""
    return out_dir / CACHE_DIR_NAME if cache else None


def _prune(renderer: Renderer) -> None:
    """After a build: the cache's old entries beyond its limit deleted (jixiao.cache)."""
    if renderer.cache is not None:
        renderer.cache.prune()


def render_specs(workspace: Workspace, formats: str | Sequence[str], out_dir: Path,
                 template_dir: Path | None = None, jobs: int = 1,
                 progress: Callable[[Rendered], None] | None = None, cache: bool = True) -> RenderResult:
    """Write every readable project of ``workspace`` in ``formats`` under ``out_dir``.

    Every project is laid out and checked before any file is written, so a problem
    in the last one leaves none of the first ones written. Files are then written in
    up to ``jobs`` processes; ``progress`` hears of each project as its files are done.
    With ``cache``, outputs whose inputs did not change come from the build cache in
    the output folder and files already up to date are left alone (``jixiao.cache``).
    """
    chosen = _formats(formats)
    renderer = Renderer(template_dir, cache_folder(out_dir, cache))
    specs = [s for s in workspace.specs if s.project is not None]
    paths_by_spec = output_paths(specs)
    prepared = [renderer.prepare(spec, chosen, paths_by_spec[spec.display]) for spec in specs]
    done: list[Rendered] = []
    for rendered in renderer.write_all(prepared, chosen, out_dir, jobs):
        done.append(rendered)
        if progress is not None:
            progress(rendered)
    _prune(renderer)
    return RenderResult(done)


# -- disclose ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disclosed:
    document: Disclosure
    files: list[Path]  # one per format, in the order asked for


@dataclass(frozen=True)
class DisclosureFile:
    """One file of a disclosure document, written: the ``done``-th of ``total``."""

    document: Disclosure
    format: str
    path: Path
    done: int
    total: int


def disclose_specs(workspace: Workspace, formats: str | Sequence[str], out_dir: Path,
                   template_dir: Path | None = None, date: str | None = None,
                   page_style: str | None = None, jobs: int = 1,
                   progress: Callable[[Disclosed], None] | None = None,
                   file_progress: Callable[[DisclosureFile], None] | None = None,
                   cache: bool = True) -> list[Disclosed]:
    """Write a disclosure document per department, year and phase (预算/决算) of ``workspace``.

    Every document is made (and its glyphs checked) before any file is written;
    ``file_progress`` hears of each file (document × format) as it is done, ``progress``
    of each document once all its files are.
    """
    chosen = _formats(formats)
    renderer = Renderer(template_dir, cache_folder(out_dir, cache))
    documents = plan(workspace, date, page_style)
    total = len(documents) * len(chosen)
    written = 0

    def file_done(document: Disclosure, fmt: str, path: Path) -> None:
        nonlocal written
        written += 1
        if file_progress is not None:
            file_progress(DisclosureFile(document, fmt, path, written, total))

    out: list[Disclosed] = []
    for document, files in write_disclosures(documents, renderer, chosen, out_dir, jobs, file_done):
        out.append(Disclosed(document, files))
        if progress is not None:
            progress(out[-1])
    _prune(renderer)
    return out


# -- selfeval score ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One self-evaluation: its suggested scores, or (``write``) what was filled in."""

    spec: SpecFile
    hints: list[ScoreHint] = field(default_factory=list)
    filled: list[Filled] = field(default_factory=list)


def score_suggestions(paths: Sequence[str | Path], write: bool = False,
                      progress: Callable[[Scored], None] | None = None) -> list[Scored]:
    """Suggested scores of every self-evaluation under ``paths``; with ``write``, filled into empty scores.

    Scores the author wrote are never changed. Raises :class:`SelfEvalError` when
    ``paths`` hold no readable self-evaluation.
    """
    workspace = load_workspace(paths)
    specs = [s for s in workspace.specs if s.project is not None and s.project.form is FormKind.SELF_EVAL]
    if not specs:
        raise SelfEvalError("没有找到绩效自评表。")
    out: list[Scored] = []
    for spec in specs:
        out.append(Scored(spec, filled=write_scores(spec)) if write else Scored(spec, hints=suggested_scores(spec)))
        if progress is not None:
            progress(out[-1])
    return out


# -- import -----------------------------------------------------------------------------------


def import_sources(paths: Sequence[str | Path]) -> list[Path]:
    """The files to import: files as given; folders searched for what import reads, and for the
    old Office formats it refuses, so that each of those is reported rather than passed over."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise UsageError(f"路径不存在：{raw}")
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMPORT_SUFFIXES + REFUSED_SUFFIXES)
        else:
            found.append(p)
    if not found:
        raise UsageError(f"没有找到可导入的文件（{'、'.join(IMPORT_SUFFIXES)}）")
    return found
