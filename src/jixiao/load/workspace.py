"""Finding spec files and applying their folders' ``_defaults.yaml``.

A workspace is any folder of ``*.yaml`` project files. Every ancestor folder
(up to the repository root, marked by ``.git``) may hold a ``_defaults.yaml``;
a project inherits from all of them, the nearest winning.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
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


@dataclass(frozen=True)
class SpecFile:
    """One project file as loaded: the model (if it could be built) and its findings."""

    path: Path
    display: str  # the path as shown in messages
    project: Project | None
    diagnostics: tuple[Diagnostic, ...]
    settings: Settings
    group: Path  # the department folder, for cross-project checks


@dataclass(frozen=True)
class Workspace:
    specs: tuple[SpecFile, ...]
    # Findings in _defaults.yaml files, reported once each.
    diagnostics: tuple[Diagnostic, ...] = ()

    def projects(self) -> list[tuple[SpecFile, Project]]:
        return [(s, s.project) for s in self.specs if s.project is not None]


def find_spec_files(paths: Sequence[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted, de-duplicated list of spec files."""
    found: dict[Path, None] = {}
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise UsageError(f"路径不存在：{raw}")
        if p.is_file():
            if p.name != DEFAULTS_NAME:  # applied to the projects, never checked as one
                found[p] = None
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(SPEC_SUFFIXES) and name != DEFAULTS_NAME and not name.startswith("."):
                    found[Path(dirpath) / name] = None
    return list(found)


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, as users typed it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1:]
    return str(path)


class _DefaultsCache:
    """Parses each ``_defaults.yaml`` once, however many projects inherit from it."""

    def __init__(self) -> None:
        self.by_dir: dict[Path, Defaults | None] = {}
        self.chains: dict[Path, list[tuple[Path, Defaults]]] = {}
        self.settings: dict[Path, Settings] = {}
        self.diagnostics: list[Diagnostic] = []

    def chain(self, spec: Path) -> list[tuple[Path, Defaults]]:
        """Defaults from the outermost folder to the spec's own."""
        start = Path(os.path.abspath(spec)).parent
        if start not in self.chains:
            found = [(folder, d) for folder in _ancestors(start) if (d := self._load(folder)) is not None]
            self.chains[start] = list(reversed(found))
        return self.chains[start]

    def settings_for(self, spec: Path) -> Settings:
        start = Path(os.path.abspath(spec)).parent
        if start not in self.settings:
            self.settings[start] = Settings.from_chain(d for _, d in self.chain(spec))
        return self.settings[start]

    def _load(self, folder: Path) -> Defaults | None:
        if folder not in self.by_dir:
            path = folder / DEFAULTS_NAME
            self.by_dir[folder] = self._parse(path) if path.is_file() else None
        return self.by_dir[folder]

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


def _ancestors(folder: Path) -> Iterable[Path]:
    """The folder and its parents, up to and including the repository root."""
    for p in (folder, *folder.parents):
        yield p
        if (p / ".git").exists():
            return


def load_workspace(paths: Sequence[str | Path]) -> Workspace:
    cache = _DefaultsCache()
    specs = [load_spec(path, cache) for path in find_spec_files(paths)]
    return Workspace(tuple(specs), tuple(cache.diagnostics))


def load_spec(path: Path, cache: _DefaultsCache | None = None) -> SpecFile:
    cache = cache or _DefaultsCache()
    display = display_path(path)
    chain = cache.chain(path)
    settings = cache.settings_for(path)
    group = next((folder for folder, d in reversed(chain) if d.department), Path(os.path.abspath(path)).parent)
    try:
        tree, problems = parse_yaml(read_spec_text(path, display), display)
    except SpecLoadError as exc:
        return SpecFile(path, display, None, (exc.diagnostic,), settings, group)
    if tree is None:
        empty = rule("missing-key").at(Location(display, 1, 1), "文件是空的；至少需要项目名称、项目资金和绩效指标")
        return SpecFile(path, display, None, (empty,), settings, group)
    inherited = _inherited(chain)
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


