"""Finding spec files and applying their folders' ``_defaults.yaml``.

A workspace is a folder of ``*.yaml`` project files, its root marked by a
``jixiao.toml`` (``jixiao new`` writes it). Every folder from a project's own up
to the workspace root may hold a ``_defaults.yaml``; a project inherits from all
of them, the nearest winning. Without a marker the root is the repository's (the
folder holding ``.git``), else the folder named on the command line.

A YAML file that is plainly not a project (its top-level keys are not the forms'
Chinese labels: ``.pre-commit-config.yaml``, a CI workflow) is skipped and said.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from jixiao.errors import Diagnostic, Location, SpecLoadError, UsageError
from jixiao.load.structure import Builder, Inherited
from jixiao.load.yamlsafe import YMap, YNode, parse_yaml, read_spec_text
from jixiao.model.project import INHERITED, Defaults, Project
from jixiao.model.settings import Settings
from jixiao.model.vocab import FormKind
from jixiao.rules import rule

DEFAULTS_NAME = "_defaults.yaml"
SPEC_SUFFIXES = (".yaml", ".yml")
WORKSPACE_MARKER = "jixiao.toml"


@dataclass(frozen=True)
class SpecFile:
    """One project file as loaded: the model (if it could be built) and its findings."""

    path: Path
    display: str  # the path as shown in messages
    project: Project | None
    diagnostics: tuple[Diagnostic, ...]
    settings: Settings
    group: Path  # the department folder, for cross-project checks
    # Not a project at all (why): skipped by the commands, and said.
    skipped: str = ""


@dataclass(frozen=True)
class Skipped:
    """A YAML file that is not a project spec, and why it was taken not to be one."""

    display: str
    reason: str


@dataclass(frozen=True)
class Workspace:
    specs: tuple[SpecFile, ...]
    # Findings in _defaults.yaml files, reported once each.
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    def projects(self) -> list[tuple[SpecFile, Project]]:
        return [(s, s.project) for s in self.specs if s.project is not None]


@dataclass(frozen=True)
class Found:
    """The spec files named by the command line, each with the workspace it belongs to."""

    roots: dict[Path, Path]  # spec file → its workspace root
    # Folders that are links out of their workspace: not entered, reported.
    outside: tuple[Diagnostic, ...] = ()

    @property
    def files(self) -> list[Path]:
        return list(self.roots)


def find_spec_files(paths: Sequence[str | Path]) -> Found:
    """Expand files and folders into a sorted, de-duplicated list of spec files."""
    roots: dict[Path, Path] = {}
    outside: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise UsageError(f"路径不存在：{raw}")
        root = workspace_root(p)
        if p.is_file():
            if p.name != DEFAULTS_NAME:  # applied to the projects, never checked as one
                roots.setdefault(p, root)
            continue
        # os.walk does not descend into linked folders; one that leads out is said, not skipped silently.
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            outside += [d for name in dirnames if (d := link_out_of(Path(dirpath) / name, root))]
            for name in sorted(filenames):
                if name.endswith(SPEC_SUFFIXES) and name != DEFAULTS_NAME and not name.startswith("."):
                    roots.setdefault(Path(dirpath) / name, root)
    return Found(roots, tuple(outside))


def workspace_root(path: Path) -> Path:
    """The workspace a path is in: the nearest folder holding ``jixiao.toml``; without one,
    the repository's root (the folder holding ``.git``); else the folder named."""
    return _bounded_root(path) or _folder(path)


def _folder(path: Path) -> Path:
    absolute = Path(os.path.abspath(path))
    return absolute if absolute.is_dir() else absolute.parent


def _bounded_root(path: Path) -> Path | None:
    """The marked workspace or the repository ``path`` is in, if any."""
    folder = _folder(path)
    for marker in (WORKSPACE_MARKER, ".git"):
        for p in (folder, *folder.parents):
            if (p / marker).exists():
                return p
    return None


def link_out_of(path: Path, root: Path) -> Diagnostic | None:
    """A finding when ``path`` is, or passes through, a symbolic link leading out of ``root``.

    Specs are not trusted: a link committed to the department's repository must not
    make jixiao read (and print) a file from elsewhere on the machine.
    """
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
        return None
    return rule("link-outside").at(Location(display_path(path)),
                                   f"这是指向工作区之外（{real}）的符号链接，jixiao 不读取；请把文件复制到工作区里")


def display_path(path: Path, cwd: str | None = None, absolute: str | None = None) -> str:
    """Relative to the working directory when below it, as users typed it. ``cwd`` and
    ``absolute`` (the path made absolute) when the caller already has them."""
    absolute = absolute or os.path.abspath(path)
    cwd = cwd or os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1:]
    return str(path)


@dataclass(frozen=True)
class _Folder:
    """What every spec in one folder shares: computed once per folder and load."""

    chain: list[tuple[Path, Defaults]]  # the defaults from the outermost folder to this one
    settings: Settings
    inherited: dict[str, Inherited]
    group: Path  # the department folder, for cross-project checks


class _DefaultsCache:
    """Parses each ``_defaults.yaml`` once, however many projects inherit from it."""

    def __init__(self) -> None:
        self.by_dir: dict[Path, Defaults | None] = {}
        self.chains: dict[Path, list[tuple[Path, Defaults]]] = {}
        self.settings: dict[Path, Settings] = {}
        self.folders: dict[str, _Folder] = {}
        self.real: dict[str, str] = {}  # folder as written → its real path
        self.real_roots: dict[Path, str] = {}
        self.diagnostics: list[Diagnostic] = []

    def chain(self, spec: Path) -> list[tuple[Path, Defaults]]:
        """Defaults from the outermost folder to the spec's own."""
        return self._chain(Path(os.path.abspath(spec)).parent)

    def _chain(self, start: Path) -> list[tuple[Path, Defaults]]:
        if start not in self.chains:
            found = [(folder, d) for folder in _ancestors(start) if (d := self._load(folder)) is not None]
            self.chains[start] = list(reversed(found))
        return self.chains[start]

    def settings_for(self, spec: Path) -> Settings:
        return self._settings(Path(os.path.abspath(spec)).parent)

    def _settings(self, start: Path) -> Settings:
        if start not in self.settings:
            self.settings[start] = Settings.from_chain(d for _, d in self._chain(start))
        return self.settings[start]

    def folder(self, absolute: str) -> _Folder:
        """The shared facts of the folder of the spec at ``absolute`` (an absolute path)."""
        name = os.path.dirname(absolute)
        known = self.folders.get(name)
        if known is None:
            start = Path(name)
            chain = self._chain(start)
            group = next((folder for folder, d in reversed(chain) if d.department), start)
            known = self.folders[name] = _Folder(chain, self._settings(start), _inherited(chain), group)
        return known

    def link_out(self, path: Path, root: Path) -> Diagnostic | None:
        """:func:`link_out_of`, with the real paths of folders and roots resolved once: a
        file's real path is its folder's plus its name, unless the file itself is a link."""
        if os.path.islink(path):
            return link_out_of(path, root)
        folder, name = os.path.split(path)
        if folder not in self.real:
            self.real[folder] = os.path.realpath(folder)
        if root not in self.real_roots:
            self.real_roots[root] = os.path.realpath(root)
        real, base = os.path.join(self.real[folder], name), self.real_roots[root]
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            return None
        return link_out_of(path, root)  # outside: said as for any link, with where it leads

    def _load(self, folder: Path) -> Defaults | None:
        if folder not in self.by_dir:
            path = folder / DEFAULTS_NAME
            self.by_dir[folder] = self._parse(path) if path.is_file() and not self._outside(path) else None
        return self.by_dir[folder]

    def _outside(self, path: Path) -> bool:
        """A ``_defaults.yaml`` linked from outside the workspace is reported, not applied."""
        root = _bounded_root(path)
        if root is None:
            return False  # no workspace: every folder up to / is the workspace, as inheritance is
        problem = link_out_of(path, root)
        if problem is not None:
            self.diagnostics.append(problem)
        return problem is not None

    def _parse(self, path: Path) -> Defaults | None:
        display = display_path(path)
        try:
            tree, problems = parse_yaml(read_spec_text(path, display), display)
        except SpecLoadError as exc:
            self.diagnostics.append(exc.diagnostic)
            return None
        self.diagnostics.extend(problems)
        if tree is None:
            return Defaults()
        builder = Builder()
        defaults = builder.build(Defaults, tree, "")
        self.diagnostics.extend(builder.diagnostics)
        return defaults


def defaults_files(spec: Path) -> list[Path]:
    """The ``_defaults.yaml`` files a spec at ``spec`` inherits from, nearest first: with the
    spec's own bytes, everything its project and settings are read from."""
    start = Path(os.path.abspath(spec)).parent
    return [p / DEFAULTS_NAME for p in _ancestors(start) if (p / DEFAULTS_NAME).is_file()]


def _ancestors(folder: Path) -> Iterable[Path]:
    """The folder and its parents, up to and including the workspace root."""
    root = _bounded_root(folder)
    for p in (folder, *folder.parents):
        yield p
        if p == root:
            return


def load_workspace(paths: Sequence[str | Path], progress: Callable[[int, int], None] | None = None) -> Workspace:
    """The spec files under ``paths``, read; ``progress(done, total)`` hears of each file read."""
    cache = _DefaultsCache()
    found = find_spec_files(paths)
    loaded: list[SpecFile] = []
    cwd = os.getcwd()
    with collector_paused():
        for path, root in found.roots.items():
            loaded.append(load_spec(path, cache, root, cwd))
            if progress is not None:
                progress(len(loaded), len(found.roots))
    specs = tuple(s for s in loaded if not s.skipped)
    skipped = tuple(Skipped(s.display, s.skipped) for s in loaded if s.skipped)
    return Workspace(specs, (*found.outside, *cache.diagnostics), skipped)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while specs are read, back as it was after.

    Loading makes a great many small objects (a tuple per YAML node, a model per
    indicator) and keeps them all; the collector, run every few hundred allocations,
    would walk the growing heap again and again to find nothing: the trees and models
    hold no reference cycles. After the pause, what was made is put in the oldest
    generation without walking it (``freeze`` then ``unfreeze``: two list splices),
    else each of the next young-generation runs would walk all of it once more.
    Together about a fifth of a large check's CPU time. Garbage with cycles made
    meanwhile is collected by the next full collection, as it would be anyway.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if gc.get_freeze_count() == 0:  # never thaw what someone else froze
            gc.freeze()
            gc.unfreeze()


def not_a_spec(tree: YNode) -> str:
    """Why ``tree`` is plainly not a project spec (``""``: it may be one). A spec's keys are
    the forms' Chinese labels; a file whose top-level keys are all ASCII (``repos:``,
    ``jobs:``) is some other tool's file."""
    if not isinstance(tree, YMap):
        return ""
    keys = tree.keys()
    if keys and all(k.isascii() for k in keys):
        shown = "、".join(keys[:3]) + ("……" if len(keys) > 3 else "")
        return f"不是项目规格（顶层的键 {shown} 都不是表格上的中文标签）"
    return ""


def load_spec(path: Path, cache: _DefaultsCache | None = None, root: Path | None = None,
              cwd: str | None = None) -> SpecFile:
    """One spec file with what it inherits; ``root``: its workspace (default: its repository);
    ``cwd``: the working directory, when the caller has it (paths are shown relative to it)."""
    cache = cache or _DefaultsCache()
    absolute = os.path.abspath(path)
    display = display_path(path, cwd, absolute)
    shared = cache.folder(absolute)
    settings, group = shared.settings, shared.group
    outside = cache.link_out(path, root or workspace_root(path))
    if outside is not None:
        return SpecFile(path, display, None, (outside,), settings, group)
    try:
        tree, problems = parse_yaml(read_spec_text(path, display), display)
    except SpecLoadError as exc:
        return SpecFile(path, display, None, (exc.diagnostic,), settings, group)
    if tree is None:
        empty = rule("missing-key").at(Location(display, 1, 1), "文件是空的；至少需要项目名称、项目资金和绩效指标")
        return SpecFile(path, display, None, (empty,), settings, group)
    if reason := not_a_spec(tree):
        return SpecFile(path, display, None, (), settings, group, skipped=reason)
    inherited = shared.inherited
    form = _form_of(tree, inherited)
    builder = Builder(form)
    project = builder.build(Project, tree, "", inherited)
    if project is not None and project.form is not form:
        # 表格 was missing or unreadable (already reported): judge by the guessed kind.
        project = replace(project, form=form)
    return SpecFile(path, display, project, (*problems, *builder.diagnostics), settings, group)


class Inheritance:
    """What specs at given paths would inherit; one per batch of writes, parsing each folder once."""

    def __init__(self) -> None:
        self._cache = _DefaultsCache()

    def __call__(self, path: Path) -> dict[str, object]:
        return inherited_for(path, self._cache)


def inherited_for(path: Path, cache: _DefaultsCache | None = None) -> dict[str, object]:
    """What a spec at ``path`` would inherit (Project attribute → value), and its ``date_style``.

    Used by writers of spec files to leave out what the folders already say.
    """
    chain = (cache or _DefaultsCache()).chain(path)
    values: dict[str, object] = {attr: inh.value for attr, inh in _inherited(chain).items()}
    for _, d in chain:
        if d.date_style is not None:
            values["date_style"] = d.date_style
    return values


def _inherited(chain: list[tuple[Path, Defaults]]) -> dict[str, Inherited]:
    values: dict[str, Inherited] = {}
    for _, d in chain:
        for project_attr, defaults_attr in (*INHERITED.items(), ("money_unit", "money_unit")):
            v = getattr(d, defaults_attr)
            if v is not None:
                values[project_attr] = Inherited(v, d.pos.of(defaults_attr))
    return values


def _form_of(tree: YNode, inherited: dict[str, Inherited]) -> FormKind:
    """The form kind decides which keys exist; read it before building the rest.

    An unreadable or missing 表格 is reported by the builder; here we only
    pick the most plausible kind so the other keys are judged sensibly.
    """
    if isinstance(tree, YMap):
        node = tree.get("表格")
        for kind in FormKind:
            if node is not None and getattr(node, "text", "").strip() == kind.value:
                return kind
    if "form" in inherited:
        form: FormKind = inherited["form"].value
        return form
    if isinstance(tree, YMap):
        funds = tree.get("项目资金")
        if isinstance(funds, YMap) and funds.get("年度资金总额") is not None:
            return FormKind.SELF_EVAL
        if tree.get("项目性质") is not None:
            return FormKind.DECLARATION
    return FormKind.TARGET


