"""Independent pieces of work spread over worker processes, results in input order.

Writing PDFs is almost all WeasyPrint, which is pure Python and holds the
interpreter lock: threads would not run it in parallel, processes do. Workers are *forked*, so they start at
once with WeasyPrint already imported and inherit the work (prepared tables, the
renderer) instead of receiving it pickled; only the results (file paths) and errors
travel back. Where ``fork`` does not exist (Windows), or there is one job or one
piece of work, everything runs in this process, in order.

Each piece of work must be independent of the others: in jixiao each writes its own
files, atomically, so the outcome is the same whatever the order they finish in.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from jixiao.errors import WorkerError

T = TypeVar("T")
R = TypeVar("R")

# The work of the pool being run: set before the workers are forked, read by them.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def available_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool and reports
    # once, instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call(index: int) -> Any:
    assert _WORK is not None
    fn, items = _WORK
    return fn(items[index])


def run_jobs(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """``fn(item)`` for every item, yielded in the order of ``items``.

    With ``jobs > 1`` the calls run in up to ``jobs`` forked processes; an exception
    raised by a call is raised here, when its result's turn comes, and the remaining
    work is cancelled. A worker that dies (killed, out of memory) raises
    :class:`WorkerError` instead of leaving the caller waiting.
    """
    workers = min(jobs, len(items))
    global _WORK
    # One pool at a time: a pool inside a worker, or a second one, runs in-process.
    if workers <= 1 or not can_fork() or _WORK is not None:
        for item in items:
            yield fn(item)
        return
    _WORK = (fn, items)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
            try:
                # chunksize 1: the pieces differ a lot in size (one table, or a
                # department's bundle), and there are few of them.
                yield from pool.map(_call, range(len(items)), chunksize=1)
            except BrokenProcessPool as exc:
                raise WorkerError("生成文件的子进程意外退出（可能是内存不足或被终止）；"
                                  "可用 -j 1 在一个进程里逐个生成后重试") from exc
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _WORK = None
