"""Diagnostics and the domain-error hierarchy.

Two kinds of failure exist in jixiao:

* *Diagnostics* are findings about a spec (a fund total that does not add up,
  an unknown key ...). They are data: collected, sorted, counted and printed
  by the CLI. A run may produce thousands of them.
* *Errors* (subclasses of :class:`JixiaoError`) stop an operation: a path that
  does not exist, an output that cannot be written. The CLI catches them in
  one place and turns them into a Chinese message and an exit code.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the report type only: validate imports this module
    from jixiao.validate import Report


class Location(NamedTuple):
    """Where a value came from: file path, 1-based line and column.

    A named tuple rather than a dataclass: every scalar of every spec gets one,
    and a tuple is several times cheaper to create.
    """

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a spec, with a stable rule id."""

    rule: str
    severity: Severity
    message: str
    location: Location
    # The source line with a caret under the column, for problems the file's text shows
    # best (a YAML syntax error); printed below the message by the text report.
    excerpt: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.col, self.rule)

    def format(self) -> str:
        return f"{self.location}: {self.severity.label} [{self.rule}] {self.message}"

    def as_record(self) -> dict[str, object]:
        loc = self.location
        return {
            "file": loc.file,
            "line": loc.line,
            "column": loc.col,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
        }


class JixiaoError(Exception):
    """Base of every error that stops a jixiao operation.

    The message is user-facing Chinese text; the CLI prints it as is.
    """

    exit_code = 1

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel back from worker processes (jixiao.jobs) pickled. Rebuild them
        # from their arguments and attributes as they are, whatever a subclass's
        # __init__ takes.
        return (_rebuild_error, (type(self), self.args, dict(self.__dict__)))


def _rebuild_error(cls: type[JixiaoError], args: tuple[object, ...], state: dict[str, object]) -> JixiaoError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UsageError(JixiaoError):
    """The command was called wrongly (a path that does not exist ...)."""

    exit_code = 2


class SpecLoadError(JixiaoError):
    """A spec file could not be read at all. Carries the located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


class TemplateError(JixiaoError):
    """A template directory or variant file is unusable; carries located diagnostics."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        details = "\n".join(d.format() for d in diagnostics or [])
        super().__init__(f"{message}\n{details}" if details else message)
        self.diagnostics = diagnostics or []


class OutputError(JixiaoError):
    """An output file could not be written."""


class GlyphError(JixiaoError):
    """Text that would print as nothing: no font covers a character."""


class WorkerError(JixiaoError):
    """A worker process died without an answer (killed, out of memory)."""


class SelfEvalError(JixiaoError):
    """A self-evaluation cannot be made from the given tables."""


class SourceError(JixiaoError):
    """A file given to import that cannot be read at all (too large, not a form, malformed)."""


class SpecErrors(JixiaoError):
    """Specs have errors, so the operation was refused; carries the check report.

    The command line prints :attr:`report` (every finding) before the message.
    """

    def __init__(self, message: str, report: Report, broken: Sequence[str]) -> None:
        super().__init__(message)
        self.report = report
        self.broken = list(broken)


class UnreadFiles(JixiaoError):
    """With ``force``, files that could not be read at all were skipped: a script must see it."""

    def __init__(self, message: str, unread: Sequence[str]) -> None:
        super().__init__(message)
        self.unread = list(unread)
