"""Turning a check :class:`~jixiao.validate.Report` into text or JSON (no printing here)."""

from __future__ import annotations

import json

from jixiao.validate import Report


def summary(report: Report) -> str:
    n = len(report.files)
    if not report.diagnostics:
        return f"检查了 {n} 个文件：没有发现问题。"
    return f"检查了 {n} 个文件：{report.errors} 个错误，{report.warnings} 个警告。"


def as_text(report: Report) -> str:
    """One line per problem, a blank line between files, the summary last."""
    blocks = ["\n".join(d.format() for d in found) for found in report.by_file().values()]
    return "\n\n".join([*blocks, summary(report)]) + "\n"


def as_json(report: Report) -> str:
    data = {
        "files": len(report.files),
        "errors": report.errors,
        "warnings": report.warnings,
        "diagnostics": [d.as_record() for d in report.diagnostics],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
