"""Output paths and atomic writes."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from jixiao.errors import JixiaoError
from jixiao.model.project import Project

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 180  # well under the 255-byte limit of common file systems, with room for suffixes


class OutputError(JixiaoError):
    """An output file could not be written."""


def safe_name(text: str, fallback: str = "未命名") -> str:
    """A file-name component that is valid on Linux, macOS and Windows alike.

    When the text had to be changed, a short digest of the original is appended,
    so that names which differ only in unsafe characters ("甲/乙", "甲:乙") stay
    apart — the same text always gives the same name.
    """
    name = _cleaned(text, fallback)
    if name != text:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
        while len(name.encode("utf-8")) > MAX_NAME_BYTES - 7:
            name = name[:-1]
        name = f"{name}-{digest}"
    return name


def _cleaned(text: str, fallback: str) -> str:
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if not name or set(name) <= {"_", " "}:
        name = fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name


def relative_path(project: Project) -> Path:
    """``主管部门/年度/实施单位/项目名称-表格``: stable from run to run."""
    return (Path(safe_name(project.department, "未知主管部门")) / safe_name(str(project.year or "未知年度"))
            / safe_name(project.unit, "未知实施单位") / f"{safe_name(project.name)}-{project.form.value}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror or exc}") from exc
