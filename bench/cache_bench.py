"""What the build cache saves: a rebuild after one edit, against the whole build, in one run.

    .venv/bin/python bench/cache_bench.py [--specs DIR] [--runs N] [--jobs N]

Copies the demo workspace (``specs/``) to a temporary folder and times ``jixiao render
--format html,pdf,docx`` and ``jixiao disclose --format pdf,docx`` as a clerk runs them,
each a fresh process, by the CPU time of the child (user + system, ``getrusage``):

* cold: output folder and cache empty (``--runs`` times, each from nothing);
* after one edit: one project's 年度总体目标 (or 实际完成情况) changed, a different change each
  time, then rebuilt (render: the whole demo; disclose: 浦江镇, the largest department, one of
  whose projects is edited);
* nothing changed: rebuilt as it is.

Prints min / median / max of each and the ratios of the medians to the cold build (the
goals of issue 16: a render after one edit ≤ 0.05×, a disclosure after one edit ≤ 0.1×).
``SOURCE_DATE_EPOCH`` is fixed, so every build is the same bytes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITED = "安保经费.yaml"  # a 浦江镇 project: its 年度总体目标 gets a different ending each time
PUJIANG = "闵行区浦江镇人民政府"


def cpu_of(args: list[str], cwd: Path) -> float:
    """CPU seconds (user + system) of ``jixiao ARGS`` run to completion in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "jixiao", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    if done.returncode != 0:
        raise SystemExit(f"jixiao {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def figures(values: list[float]) -> str:
    return f"{min(values):6.2f} / {statistics.median(values):6.2f} / {max(values):6.2f} s"


def measure(name: str, args: list[str], work: Path, runs: int, goal: float) -> None:
    spec = next((work / "specs").rglob(EDITED))
    original = spec.read_text(encoding="utf-8")
    counter = iter(range(1, 10_000))

    def edit() -> None:
        lines = [line + (f"（第{next(counter)}次修改）" if line.startswith("年度总体目标: ") else "")
                 for line in original.splitlines()]
        spec.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def cold() -> None:
        shutil.rmtree(work / "out", ignore_errors=True)

    timed: dict[str, list[float]] = {}
    for label, before in (("cold", cold), ("after one edit", edit), ("nothing changed", lambda: None)):
        prepare: Callable[[], None] = before
        timed[label] = []
        for _ in range(runs):
            prepare()
            timed[label].append(cpu_of(args, work))
    base = statistics.median(timed["cold"])
    print(f"\n{name}: {' '.join(args)}")
    for label, values in timed.items():
        ratio = statistics.median(values) / base
        print(f"  {label:16} {figures(values)}   {ratio:5.3f}× cold")
    ratio = statistics.median(timed["after one edit"]) / base
    print(f"  {'PASS' if ratio <= goal else 'OVER'}: {name}, new process, after one edit {ratio:.3f}× the cold build "
          f"(goal ≤ {goal}×)")
    spec.write_text(original, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, default=ROOT / "specs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    # Timed runs import jixiao as an installed copy would, from compiled modules (a checkout
    # run with PYTHONDONTWRITEBYTECODE=1 compiles some 90 modules in every run); the build
    # cache's code hash leaves __pycache__ out, so its keys do not change.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "jixiao")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(args.specs, work / "specs")
        print(f"build cache benchmark: {args.specs}, {args.runs} runs each, -j {args.jobs}; CPU time of each command")
        measure("render", ["render", "specs", "--format", "html,pdf,docx", "-o", "out", "-q", "-j", str(args.jobs)],
                work, args.runs, 0.05)
        measure("disclose", ["disclose", f"specs/{PUJIANG}", "--format", "pdf,docx", "-o", "out", "-q",
                             "-j", str(args.jobs)], work, args.runs, 0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
