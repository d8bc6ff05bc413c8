"""Turning a check :class:`~jixiao.validate.Report` into text, JSON or CI annotations (no printing here)."""

from __future__ import annotations

import json
from collections.abc import Callable

from jixiao.errors import Diagnostic, Severity
from jixiao.validate import Report


def summary(report: Report) -> str:
    n = len(report.files)
    if not report.diagnostics:
        return f"检查了 {n} 个文件：没有发现问题。"
    return f"检查了 {n} 个文件：{report.errors} 个错误，{report.warnings} 个警告。"


def as_text(report: Report) -> str:
    """One line per problem, a blank line between files, the summary last."""
    blocks = ["\n".join(_with_excerpt(d) for d in found) for found in report.by_file().values()]
    return "\n\n".join([*blocks, summary(report)]) + "\n"


def _with_excerpt(d: Diagnostic) -> str:
    if not d.excerpt:
        return d.format()
    return d.format() + "".join(f"\n    {line}" for line in d.excerpt.split("\n"))


def as_json(report: Report) -> str:
    data = {
        "files": len(report.files),
        "errors": report.errors,
        "warnings": report.warnings,
        "diagnostics": [d.as_record() for d in report.diagnostics],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_github(report: Report) -> str:
    """GitHub Actions workflow commands: each problem shown beside its line in the pull
    request (``::error file=…,line=…,col=…,title=…::message``), then the summary."""
    lines = [_annotation(d) for d in report.diagnostics]
    return "\n".join([*lines, summary(report)]) + "\n"


def _annotation(d: Diagnostic) -> str:
    level = "error" if d.severity is Severity.ERROR else "warning"
    loc = d.location
    props = [f"file={_property(loc.file)}"]
    if loc.line > 0:
        props += [f"line={loc.line}", f"col={max(loc.col, 1)}"]
    props.append(f"title={_property(d.rule)}")
    return f"::{level} {','.join(props)}::{_data(d.message)}"


def _data(text: str) -> str:
    # The escapes GitHub's runner undoes in a command's message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


REPORT_FORMATS: dict[str, Callable[[Report], str]] = {"text": as_text, "json": as_json, "github": as_github}
