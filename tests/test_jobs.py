"""Parallel writing (``jixiao.jobs``, ``render -j``, ``disclose -j``).

Work spread over forked processes must give exactly what one process gives: the
same files, byte for byte, and the same output lines in the same order; an error in
a worker must reach the user as the same Chinese message and exit code.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from conftest import run_cli
from jixiao.errors import (
    Diagnostic,
    JixiaoError,
    Location,
    OutputError,
    Severity,
    SpecLoadError,
    WorkerError,
)
from jixiao.jobs import Workers, available_cpus, can_fork, run_jobs
from render_helpers import SPECS, files_under

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork on this system: everything runs in one process")


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _fail_on_three(n: int) -> int:
    if n == 3:
        raise OutputError(f"无法写入第 {n} 个文件")
    return n


def test_available_cpus_is_at_least_one() -> None:
    assert available_cpus() >= 1


@needs_fork
def test_results_come_back_in_input_order_from_other_processes() -> None:
    results = list(run_jobs(_pid_and_square, list(range(20)), jobs=2))
    assert [square for _pid, square in results] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for pid, _square in results}


def test_one_job_runs_in_this_process() -> None:
    results = list(run_jobs(_pid_and_square, [1, 2, 3], jobs=1))
    assert results == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]


@needs_fork
def test_an_error_in_a_worker_is_raised_here_with_its_type_and_message() -> None:
    seen = []
    with pytest.raises(OutputError, match="无法写入第 3 个文件"):
        for n in run_jobs(_fail_on_three, [1, 2, 3, 4, 5], jobs=2):
            seen.append(n)
    assert seen == [1, 2]


def _die_on_two(n: int) -> int:
    if n == 2:
        os._exit(3)  # as a worker killed by the kernel would vanish: no answer, no exception
    return n


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(WorkerError, match=r"子进程意外退出.*-j 1"):
        list(run_jobs(_die_on_two, [1, 2, 3, 4], jobs=2))


_READY_MARK = "JIXIAO_TEST_WORKER_READY"


def _mark_ready() -> None:
    os.environ[_READY_MARK] = str(os.getpid())


def _pid_and_ready(n: int) -> tuple[int, str, int]:
    return os.getpid(), os.environ.get(_READY_MARK, ""), n * n


@needs_fork
def test_workers_are_ready_before_their_work_and_answer_in_order() -> None:
    with Workers(2, _mark_ready) as workers:
        waits = [workers.later(_pid_and_ready, n) for n in range(12)]  # all started, then waited for
        results = [wait() for wait in waits]
        called = workers.call(_pid_and_ready, 5)
    assert [square for *_, square in results] == [n * n for n in range(12)]
    # Each ran ready() in its own process first; none of this ran here.
    assert all(ready == str(pid) for pid, ready, _ in [*results, called])
    assert os.getpid() not in {pid for pid, *_ in results} and _READY_MARK not in os.environ


def test_one_worker_means_this_process_and_no_readying() -> None:
    with Workers(1, _mark_ready) as workers:
        assert [workers.later(_pid_and_square, n)() for n in (2, 3)] == [(os.getpid(), 4), (os.getpid(), 9)]
        assert workers.call(_pid_and_square, 4) == (os.getpid(), 16)
    assert _READY_MARK not in os.environ


@needs_fork
def test_workers_raise_a_workers_error_and_a_dead_worker_is_an_error_not_a_hang() -> None:
    with Workers(2, _mark_ready) as workers, pytest.raises(OutputError, match="无法写入第 3 个文件"):
        [wait() for wait in [workers.later(_fail_on_three, n) for n in (1, 2, 3, 4)]]
    with Workers(2, _mark_ready) as workers, pytest.raises(WorkerError, match=r"子进程意外退出.*-j 1"):
        workers.call(_die_on_two, 2)


@needs_fork
def test_work_given_to_workers_one_of_which_died_is_a_workers_error() -> None:
    """Kept workers (the preview's), one killed between two calls: the pool is broken when
    the next work is given, which must say so as the death itself does."""
    with Workers(2, _mark_ready) as workers:
        with pytest.raises(WorkerError):
            workers.call(_die_on_two, 2)
        with pytest.raises(WorkerError, match=r"子进程意外退出"):
            workers.later(_pid_and_square, 3)()


def test_every_domain_error_survives_pickling_with_its_attributes() -> None:
    # What a worker's error goes through on its way back; SpecLoadError's __init__
    # takes a Diagnostic, not the message it is pickled with.
    diagnostic = Diagnostic("load.yaml", Severity.ERROR, "YAML 语法错误", Location("a.yaml", 3, 5))
    for error in (JixiaoError("甲"), OutputError("乙"), SpecLoadError(diagnostic)):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert str(back) == str(error)
        assert back.__dict__ == error.__dict__


SONGNAN = SPECS / "淞南镇主管单位"  # 5 projects, one disclosure document


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_render_in_two_processes_writes_the_same_bytes_and_lines_as_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """Workers forked (Linux) or spawned (Windows, macOS: the work is pickled to them)."""
    if method == "fork" and not can_fork():
        pytest.skip("no fork on this system")
    monkeypatch.setenv("JIXIAO_START_METHOD", method)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one, two = tmp_path / "one", tmp_path / "two"
    code1, out1, err1 = run_cli("render", SONGNAN, "--format", "html,pdf,docx", "-o", one, "-j", "1")
    code2, out2, err2 = run_cli("render", SONGNAN, "--format", "html,pdf,docx", "-o", two, "-j", "2")
    assert (code1, err1, code2, err2) == (0, "", 0, "")
    assert out2.replace(str(two), str(one)) == out1
    assert files_under(one) == files_under(two) and len(files_under(one)) == 15
    for rel in files_under(one):
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


@needs_fork
def test_disclose_in_two_processes_writes_the_same_bytes_and_lines_as_in_one(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    code1, out1, err1 = run_cli("disclose", SONGNAN, "-o", one, "-j", "1")
    code2, out2, err2 = run_cli("disclose", SONGNAN, "-o", two, "-j", "2")
    assert (code1, err1, code2, err2) == (0, "", 0, "")
    assert out2.replace(str(two), str(one)) == out1
    assert [p.suffix for p in files_under(one)] == [".docx", ".html", ".pdf"]
    for rel in files_under(one):
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


@needs_fork
def test_a_write_error_in_a_worker_is_reported_in_chinese_without_a_traceback(tmp_path: Path) -> None:
    # The department's folder is taken by a file: every worker's write fails.
    (tmp_path / "淞南镇主管单位").write_text("不是目录", encoding="utf-8")
    code, out, err = run_cli("render", SONGNAN, "--format", "pdf", "-o", tmp_path, "-j", "2")
    assert code == 1
    assert out == ""
    assert err.startswith("错误：") and "Traceback" not in err
    assert files_under(tmp_path) == [Path("淞南镇主管单位")]


@pytest.mark.parametrize(("value", "reason"), [("0", "应为 1 或更大的整数，得到 0"), ("两", "应为整数，得到「两」")])
def test_jobs_must_be_a_positive_integer(tmp_path: Path, value: str, reason: str) -> None:
    code, out, err = run_cli("render", SONGNAN, "-o", tmp_path, "-j", value)
    assert (code, out) == (2, "")
    assert err.endswith(f"错误：-j/--jobs 的值无效：{reason}\n")
    assert files_under(tmp_path) == []


def _nested_pids(n: int) -> list[int]:
    return [pid for pid, _square in run_jobs(_pid_and_square, [n, n + 1], jobs=2)]


@needs_fork
def test_a_pool_asked_for_inside_a_worker_runs_in_that_worker() -> None:
    with Workers(2, _mark_ready) as workers:
        inner = workers.call(_nested_pids, 1)
        outer = workers.call(os.getpid)
    assert len(set(inner)) == 1 and os.getpid() not in inner and outer != os.getpid()
