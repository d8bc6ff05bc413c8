"""Files jixiao writes: names safe on every file system, atomic writes inside a root.

The lowest layer that writes: render, bundle, import and selfeval all write
through here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jixiao.errors import OutputError
from jixiao.model.names import without_invisible


def build_date() -> datetime | None:
    """The date written into documents: SOURCE_DATE_EPOCH, else none — never the clock,
    so the same input always gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), tz=UTC) if epoch.isdigit() else None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 180  # well under the 255-byte limit of common file systems, with room for suffixes


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
    # Invisible and bidi characters would make a name look like another one (`项目\u200b`)
    # or print reversed (`abc\u202egpj.exe`): they go, and the digest keeps such names apart.
    name = without_invisible(_UNSAFE.sub("_", name)).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if not name or set(name) <= {"_", " "}:
        name = fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name


@dataclass(frozen=True)
class Written:
    """A file a command was to write: ``created`` False when it existed and was left alone."""

    path: Path
    created: bool


def write_atomic(path: Path, data: bytes, root: Path) -> None:
    """Write ``path`` (inside ``root``) via a temporary file and a rename.

    Never a half-written file: the data goes to ``.名称.XXXXXXXX.tmp`` beside the
    target and is renamed over it. Temporaries of the same target left by a run
    that was killed are removed first. Refuses a path that leaves ``root`` —
    lexically, or through a symbolic link planted in the output folder.
    """
    _check_inside(path, root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
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


def write_if_changed(path: Path, data: bytes, root: Path) -> bool:
    """Write ``path`` as :func:`write_atomic` does unless it holds ``data`` already (its
    modification time then stays, for make-like tools and for the clerk); True if written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data and not path.is_symlink():
            _check_inside(path, root)
            return False
    except OSError:
        pass
    write_atomic(path, data, root)
    return True


TEMP_SUFFIX = ".tmp"
# What tempfile.mkstemp adds between our prefix and suffix: eight characters of this set.
_TEMP_MIDDLE = re.compile(r"[a-z0-9_]{8}")


def remove_leftovers(path: Path, root: Path) -> None:
    """Delete the temporaries of ``path`` (inside ``root``) that a killed run left behind."""
    _check_inside(path, root)
    _remove_leftovers(path)


def _remove_leftovers(path: Path) -> None:
    """Delete ``.名称.XXXXXXXX.tmp`` files of this target that a killed run left behind.

    Only this target's: another process of the same run (``-j``) may be writing its own
    file in the same folder right now.
    """
    for leftover in _leftovers_in(path.parent).pop(path.name, []):
        Path(leftover).unlink(missing_ok=True)


# Each folder is listed once per process, not once per file written (a folder of n files
# would cost n²). What the listing finds was left by earlier runs: this run's own
# temporaries are made after it. (A process that lives on — tests, a preview server —
# does not see leftovers that appear later; the next command does.)
_LEFTOVERS: dict[str, dict[str, list[str]]] = {}


def _leftovers_in(folder: Path) -> dict[str, list[str]]:
    """Leftover temporaries in ``folder``, by the name of the file they were for."""
    key = os.path.abspath(folder)
    if key not in _LEFTOVERS:
        found: dict[str, list[str]] = {}
        with contextlib.suppress(FileNotFoundError), os.scandir(folder) as entries:
            for entry in entries:
                target = _temporary_for(entry.name)
                if target is not None and entry.is_file(follow_symlinks=False):
                    found.setdefault(target, []).append(entry.path)
        _LEFTOVERS[key] = found
    return _LEFTOVERS[key]


def _temporary_for(name: str) -> str | None:
    """``a.html`` for ``.a.html.k2j3h4_a.tmp`` (mkstemp's pattern with our prefix), else None."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    target, dot, middle = name[1:-len(TEMP_SUFFIX)].rpartition(".")
    return target if dot and target and _TEMP_MIDDLE.fullmatch(middle) else None


def _check_inside(path: Path, root: Path) -> None:
    """Refuse to write anywhere but below ``root``, following no link inside it.

    ``root`` itself (the ``-o`` folder the user named) may be a link; the folders
    below it are checked one by one before any is created, since ``mkdir`` and
    ``open`` would follow a link such as ``out/某镇 -> /elsewhere``.
    """
    base = Path(os.path.abspath(root))
    target = Path(os.path.abspath(path))
    try:
        parts = target.relative_to(base).parts
    except ValueError:
        raise OutputError(f"{path} 不在输出目录 {root} 之内，不写入") from None
    current = root  # as the user named it, for the message
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise OutputError(f"输出目录里的 {current} 是符号链接（指向 {os.readlink(current)}），"
                              "为免写到输出目录之外，不写入；请删除这个链接后重试")
