"""Validation: every rule over every loaded spec, then across the workspace.

``check_workspace`` is the one entry point. It returns diagnostics sorted by
file and position, with each workspace's rule levels (``规则:`` in a
``_defaults.yaml``) applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from jixiao.errors import Diagnostic, Severity
from jixiao.load.workspace import Workspace
from jixiao.model.project import Project
from jixiao.model.settings import Settings
from jixiao.rules import RULES
from jixiao.validate.crossproject import check_across
from jixiao.validate.funds import check_target_funds
from jixiao.validate.header import check_header
from jixiao.validate.indicators import check_indicators
from jixiao.validate.magnitude import check_magnitude, check_magnitude_siblings
from jixiao.validate.monitoring import check_monitor, check_monitor_targets
from jixiao.validate.periods import check_dates
from jixiao.validate.selfeval import check_selfeval
from jixiao.validate.years import check_years

ProjectCheck = Callable[[Project, Settings], Iterator[Diagnostic]]

PROJECT_CHECKS: tuple[ProjectCheck, ...] = (
    check_header,
    check_dates,
    check_target_funds,
    check_magnitude,
    check_indicators,
    check_selfeval,
    check_monitor,
)


@dataclass(frozen=True)
class Report:
    """The outcome of a check: what was read and what was found."""

    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def by_file(self) -> dict[str, list[Diagnostic]]:
        out: dict[str, list[Diagnostic]] = {}
        for d in self.diagnostics:
            out.setdefault(d.location.file, []).append(d)
        return out


def check_project(project: Project, settings: Settings) -> list[Diagnostic]:
    found = [d for check in PROJECT_CHECKS for d in check(project, settings)]
    return [_in_own_file(d, project) for d in found]


def _in_own_file(d: Diagnostic, project: Project) -> Diagnostic:
    """A problem about one project is reported in that project's file.

    Rules point at the value involved; when that value was inherited from a
    ``_defaults.yaml``, every project of the folder would otherwise report the
    same line of the defaults file, and the clerk would not know which project
    is wrong.
    """
    own = project.pos.at
    if d.location.file == own.file:
        return d
    return replace(d, location=own, message=f"{d.message}（相关的值继承自 {d.location}）")


def check_workspace(workspace: Workspace, progress: Callable[[int, int], None] | None = None) -> Report:
    """Every rule on every spec; ``progress(done, total)`` hears of each spec checked."""
    found: list[Diagnostic] = list(workspace.diagnostics)
    settings_by_file: dict[str, Settings] = {}
    for n, spec in enumerate(workspace.specs, 1):
        if progress is not None:
            progress(n, len(workspace.specs))
        settings_by_file[spec.display] = spec.settings
        found.extend(spec.diagnostics)
        if spec.project is not None:
            found.extend(check_project(spec.project, spec.settings))
    found.extend(check_across(workspace.projects()))
    found.extend(check_magnitude_siblings(workspace.projects()))
    found.extend(check_monitor_targets(workspace.projects()))
    found.extend(check_years(workspace.projects()))
    levelled = _apply_levels(found, settings_by_file)
    unique = list(dict.fromkeys(levelled))
    unique.sort(key=Diagnostic.sort_key)
    return Report(tuple(s.display for s in workspace.specs), tuple(unique))


def _apply_levels(found: Iterable[Diagnostic], settings_by_file: dict[str, Settings]) -> Iterator[Diagnostic]:
    default = Settings()
    for d in found:
        levels = settings_by_file.get(d.location.file, default).rule_levels
        if d.rule not in levels:
            if d.rule not in RULES or not RULES[d.rule].off:  # a rule off by default reports only where a level is set
                yield d
            continue
        level = levels[d.rule]
        if level is not None:
            yield replace(d, severity=level)
