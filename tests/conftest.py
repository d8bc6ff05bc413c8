"""Shared helpers for the loader, rule and CLI tests.

* ``write_specs`` writes a small workspace into ``tmp_path`` (with a ``.git``
  folder so that ``_defaults.yaml`` lookup stops there) and makes ``tmp_path``
  the current directory, so every printed path is short and relative.
* ``check`` loads and checks paths in-process and returns the report.
* ``run_cli`` calls :func:`jixiao.cli.main` in-process and returns
  ``(exit code, stdout, stderr)``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.errors import Diagnostic
from jixiao.load.workspace import Workspace, load_workspace
from jixiao.validate import Report, check_workspace

Files = Mapping[str, str | bytes]


@dataclass(frozen=True)
class Found:
    """A diagnostic reduced to what a test compares: ``path:line:col``, severity, rule, message."""

    where: str
    severity: str
    rule: str
    message: str

    @classmethod
    def of(cls, d: Diagnostic) -> Found:
        return cls(str(d.location), d.severity.label, d.rule, d.message)


def dedent(text: str) -> str:
    """Strip the common indentation of a triple-quoted spec and its first newline."""
    return textwrap.dedent(text).lstrip("\n")


def _write(root: Path, files: Files) -> Path:
    (root / ".git").mkdir(exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def write_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Files], Path]:
    """``write_specs({relpath: yaml_text})`` → the workspace root (also the cwd)."""
    monkeypatch.chdir(tmp_path)

    def write(files: Files) -> Path:
        return _write(tmp_path, files)

    return write


def load(*paths: str | Path) -> Workspace:
    return load_workspace(list(paths) or ["."])


def check(*paths: str | Path) -> Report:
    return check_workspace(load(*paths))


def found(*paths: str | Path) -> list[Found]:
    return [Found.of(d) for d in check(*paths).diagnostics]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``jixiao ARGS`` in-process; ``SystemExit`` becomes the exit code."""
    capsys.readouterr()  # drop anything printed before
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err
