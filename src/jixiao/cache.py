"""The build cache: each output file kept under the hash of everything it depends on.

A clerk edits one project and rebuilds many times a day; laying a PDF out is what
costs (WeasyPrint, about a quarter of a second a page). An output's *key* hashes
what it is made from: the page's HTML (for a DOCX, the grid) — which holds the
spec and everything it inherited, as laid out — plus jixiao's own code, the versions
of the libraries that write the files (:data:`WRITERS`), every file of the template
folder, the fonts' identity (path, size, modification time) and ``SOURCE_DATE_EPOCH``. A key found in the cache gives the bytes without layout;
an output file that already holds them is not written again (its mtime stays).

Entries are files named by their key under the cache folder (by default
``.jixiao-cache`` in the output folder), each the hex digest of its payload, a line
break, then the payload: written atomically, so concurrent runs and interrupts leave
whole entries or none; an entry whose payload does not match its digest (a damaged
disk, a truncated copy) is deleted and rebuilt, never used.

Every edit leaves entries no later build asks for (the edited table's old PDF, the
document's old parts and PDF: about 2 MB for a rebuild of 浦江镇), so after each build
:meth:`BuildCache.prune` deletes the least recently used entries beyond
:data:`CACHE_LIMIT`, never one the build used (an entry's modification time is its
last use: a hit touches it). Concurrent runs may delete each other's entries: an
entry gone when asked for is made again, never missed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from jixiao.files import write_atomic

CACHE_DIR_NAME = ".jixiao-cache"
# What a build cache keeps beyond the entries its last build used: a few hundred edits'
# worth of old entries for a department (the demo workspace's whole build takes 42 MB).
CACHE_LIMIT = 512 * 2**20
# How old an entry's modification time may look and still count as used by this build
# (file systems that keep times to 2 s).
CLOCK_SLACK = 2.0
PACKAGE = Path(__file__).resolve().parent


def is_key(text: object) -> bool:
    """Whether ``text`` is a key as :func:`key_of` makes them (a key read back from an entry
    names no path outside the cache)."""
    return isinstance(text, str) and len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def key_of(*parts: str | bytes) -> str:
    """The sha256 of ``parts``, each length-prefixed (no two lists of parts collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@functools.cache
def code_identity() -> str:
    """jixiao's own code: every source file of the package (an edit in a checkout counts,
    not only a new version number)."""
    return tree_identity(PACKAGE, suffixes=(".py",))


# The libraries whose output is kept: another WeasyPrint may lay out otherwise (and name
# its fonts otherwise: parts of two versions must never be merged), another python-docx,
# docxtpl or openpyxl write other bytes.
WRITERS = ("weasyprint", "pydyf", "fonttools", "python-docx", "docxtpl", "openpyxl", "pypdf", "jinja2")


@functools.cache
def writers_identity() -> str:
    """The installed versions of :data:`WRITERS`: the names of their metadata folders
    (``weasyprint-66.0.dist-info``), read from the import path's folders. Not through
    ``importlib.metadata``, which takes a tenth of a second for these eight."""
    wanted = {name.replace("-", "_").lower() for name in WRITERS}
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found += [n for n in names if n.endswith((".dist-info", ".egg-info")) and n.split("-")[0].lower() in wanted]
    return key_of(*sorted(set(found)))


def tree_identity(folder: Path, suffixes: tuple[str, ...] = ()) -> str:
    """Every file under ``folder`` (names and bytes), or those ending in ``suffixes``. Read
    each time it is asked (once per renderer): a template folder may change between two
    renders of one process (tests, a preview server)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and (not suffixes or p.suffix in suffixes)
                   and "__pycache__" not in p.parts)
    return key_of(*(part for p in files for part in (p.relative_to(folder).as_posix(), p.read_bytes())))


def files_identity(paths: Iterable[Path]) -> str:
    """Files by path, size and modification time (fonts: large, and replaced as a whole)."""
    parts = []
    for path in paths:
        try:
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:missing")
    return key_of(*parts)


class BuildCache:
    """Output bytes by key, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.opened = time.time()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` exists (whole or not: :meth:`get` checks); if so, it
        counts as used now."""
        path = self._path(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        except OSError:
            pass  # read-only media
        return path.is_file()

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        digest, _, payload = raw.partition(b"\n")
        if digest.decode("ascii", "replace") != hashlib.sha256(payload).hexdigest():
            path.unlink(missing_ok=True)  # damaged: rebuilt by the caller, never used
            return None
        with contextlib.suppress(OSError):  # a cache on read-only media is still read
            os.utime(path)  # used now: the last to be pruned
        return payload

    def put(self, key: str, data: bytes) -> None:
        entry = hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data
        write_atomic(self._path(key), entry, self.folder)

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The bytes for ``key``: from the cache, else ``make()`` (and kept)."""
        data = self.get(key)
        if data is None:
            data = make()
            self.put(key, data)
        return data

    def prune(self, limit: int | None = None) -> int:
        """Delete the least recently used entries until the cache holds at most ``limit``
        bytes (:data:`CACHE_LIMIT`), none used since this cache was opened; how many were
        deleted."""
        limit = CACHE_LIMIT if limit is None else limit
        entries = sorted(_entries(self.folder))  # oldest first
        total = sum(size for _, size, _ in entries)
        deleted = 0
        for used, size, path in entries:
            if total <= limit or used >= self.opened - CLOCK_SLACK:
                break
            try:
                path.unlink()
            except FileNotFoundError:
                pass  # pruned by a run beside this one
            except OSError:
                continue
            total -= size
            deleted += 1
        return deleted


def _entries(folder: Path) -> Iterable[tuple[float, int, Path]]:
    """(last use, size, path) of every entry and leftover temporary file in ``folder``."""
    try:
        shards = [d for d in os.scandir(folder) if d.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for shard in shards:
        try:
            found = list(os.scandir(shard.path))
        except OSError:
            continue
        for entry in found:
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.is_file(follow_symlinks=False):
                yield stat.st_mtime, stat.st_size, Path(entry.path)


def clear(folder: Path) -> int:
    """Remove the cache in ``folder``; how many entries it held."""
    if not folder.is_dir():
        return 0
    count = sum(len(files) for _, _, files in os.walk(folder))
    shutil.rmtree(folder)
    return count
