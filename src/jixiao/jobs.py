"""Independent pieces of work spread over worker processes, results in input order.

Writing PDFs is almost all WeasyPrint, which is pure Python and holds the
interpreter lock: threads would not run it in parallel, processes do.

Where ``fork`` is the way to start processes (Linux), workers are *forked*: they
start at once with WeasyPrint already imported and inherit the work (prepared
tables, the renderer) instead of receiving it pickled; only the results (file
paths) and errors travel back. Where it is not (Windows has no ``fork``; on macOS
forking a process that has loaded system frameworks is unsafe, and ``spawn`` is
Python's default there), workers are *spawned*: each is a fresh interpreter that
receives the function once, when it starts, and then one pickled piece of work at a
time. The function must then be picklable (a module-level function, a
:func:`functools.partial` of one, or a bound method of a picklable object; not a
closure), and so must the pieces of work. Objects that are expensive to send or
cannot be pickled as they are (a renderer with its loaded templates) should pickle
as the recipe to rebuild them (``__reduce__``): each worker then prepares them
again once.

The environment variable ``JIXIAO_START_METHOD`` (``fork``, ``spawn`` or
``forkserver``) forces the start method, to test the ``spawn`` path on Linux or to
work around a platform's ``fork`` problems.

With one job or one piece of work, everything runs in this process, in order.

:func:`run_jobs` starts its workers when the work is known (``render``: every table
prepared). :class:`Workers` starts them before (``disclose``: they import WeasyPrint
while the documents are prepared) and takes work as it comes; its work is always
pickled.

Each piece of work must be independent of the others: in jixiao each writes its own
files, atomically, so the outcome is the same whatever the order they finish in.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

from jixiao.errors import UsageError, WorkerError

T = TypeVar("T")
R = TypeVar("R")

START_METHOD_ENV = "JIXIAO_START_METHOD"

# The work of the pool being run. Forked workers inherit it (function and items, set
# before they start); spawned ones get the function from _start_worker and no items.
_WORK: tuple[Callable[[Any], Any], Sequence[Any] | None] | None = None


def _mappingproxy(items: dict[Any, Any]) -> Mapping[Any, Any]:
    return types.MappingProxyType(items)


def _reduce_mappingproxy(proxy: types.MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _mappingproxy, (dict(proxy),)


# The spec model keeps read-only mappings (positions of keys); pickle has no recipe for
# them. Registered with multiprocessing's pickler only, for work sent to spawned workers.
ForkingPickler.register(types.MappingProxyType, _reduce_mappingproxy)


def available_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def start_method(threaded: bool = False) -> str:
    """How workers are started: ``JIXIAO_START_METHOD`` if set, else ``fork`` where it is safe, else ``spawn``.
    ``threaded``: started by a process whose other threads may hold locks meanwhile (the
    preview's server), which a forked worker would find held forever: never ``fork``."""
    methods = multiprocessing.get_all_start_methods()
    forced = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if forced:
        if forced not in methods:
            raise UsageError(f"环境变量 {START_METHOD_ENV} 的值「{forced}」在本机不可用；可选：{'、'.join(methods)}")
        return forced
    return "fork" if can_fork() and sys.platform != "darwin" and not threaded else "spawn"


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool and reports
    # once, instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker(fn: Callable[[Any], Any]) -> None:
    """Set up a spawned worker: the function arrives once, the items one by one."""
    global _WORK
    _ignore_interrupts()
    _WORK = (fn, None)


def _call(index: int) -> Any:
    assert _WORK is not None
    fn, items = _WORK
    assert items is not None
    return fn(items[index])


def _call_with(item: Any) -> Any:
    assert _WORK is not None
    return _WORK[0](item)


def run_jobs(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """``fn(item)`` for every item, yielded in the order of ``items``.

    With ``jobs > 1`` the calls run in up to ``jobs`` worker processes (see the module
    for how they are started and what must be picklable); an exception raised by a
    call is raised here, when its result's turn comes, and the remaining work is
    cancelled. A worker that dies (killed, out of memory) raises :class:`WorkerError`
    instead of leaving the caller waiting.
    """
    workers = min(jobs, len(items))
    global _WORK
    # One pool at a time: a pool inside a worker, or a second one, runs in-process.
    if workers <= 1 or _WORK is not None:
        for item in items:
            yield fn(item)
        return
    method = start_method()
    context = multiprocessing.get_context(method)
    forked = method == "fork"
    _WORK = (fn, items)  # forked workers inherit it; here it says a pool is running
    try:
        if forked:
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)
        else:
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(fn,))
        with pool:
            try:
                # chunksize 1: the pieces differ a lot in size (one table, or a
                # department's bundle), and there are few of them.
                if forked:
                    yield from pool.map(_call, range(len(items)), chunksize=1)
                else:
                    yield from pool.map(_call_with, items, chunksize=1)
            except BrokenProcessPool as exc:
                raise _broken() from exc
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _WORK = None


class Workers:
    """Up to ``jobs`` worker processes started at once, before their work is known, so that
    each gets ready (``ready()``: importing WeasyPrint, half a second) while this process
    prepares the work; :meth:`later` and :meth:`call` then give them work as it comes.

    Workers started before the work existed cannot inherit it: every call and its
    arguments are pickled, as for spawned workers (see the module), forked or not; an
    object that pickles as a recipe should rebuild itself once per process, not once per
    call. With one job, or inside another pool, everything runs in this process. A
    context manager: leaving it (or :meth:`close`) waits for the workers to finish what
    they were given (at most getting ready) and stops them. ``threaded``: see
    :func:`start_method`.
    """

    def __init__(self, jobs: int, ready: Callable[[], None], threaded: bool = False) -> None:
        self._pool: ProcessPoolExecutor | None = None
        if jobs <= 1 or _WORK is not None:
            return
        context = multiprocessing.get_context(start_method(threaded))
        self._pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_get_ready, initargs=(ready,))
        for _ in range(jobs):  # a process is started for each call while none is idle: all now
            self._pool.submit(_idle)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def call(self, fn: Callable[..., R], *args: Any) -> R:
        """``fn(*args)`` in a worker (ready), or here without workers."""
        return self.later(fn, *args)()

    def later(self, fn: Callable[..., R], *args: Any) -> Callable[[], R]:
        """``fn(*args)`` started in a worker now; the function returned waits for its result
        (without workers, it calls ``fn`` here, then)."""
        if self._pool is None:
            return partial(fn, *args)
        try:
            future = self._pool.submit(fn, *args)
        except BrokenProcessPool as exc:  # a worker died since the last call
            raise _broken() from exc

        def result() -> R:
            try:
                return future.result()
            except BrokenProcessPool as exc:
                raise _broken() from exc

        return result


def _get_ready(ready: Callable[[], None]) -> None:
    global _WORK
    _ignore_interrupts()
    _WORK = (_as_is, None)  # a worker: a pool asked for in it runs in-process
    ready()


def _idle() -> None:
    pass


def _as_is(item: Any) -> Any:
    return item


def _broken() -> WorkerError:
    return WorkerError("生成文件的子进程意外退出（可能是内存不足或被终止）；可用 -j 1 在一个进程里逐个生成后重试")
