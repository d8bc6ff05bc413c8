"""Every figure of issue 16 (fast rebuilds), in one command: the four benches in turn, then their verdicts.

    .venv/bin/python bench/fast_rebuilds.py [--runs N] [--jobs N] [--district-projects N]

Runs, each in its own process and one after the other (they time the machine, so never
two at once), printing their whole output as it comes:

* ``check_bench.py``: ``check`` of 1,000 specs against a bare libyaml parse (CPU, ≤ 2×);
* ``cache_bench.py``: ``render`` of the demo after one edit (≤ 0.05× the full render) and
  with nothing changed (no file rewritten);
* ``bundle_bench.py``: 浦江镇's disclosure PDF cold ``-j N`` (≤ 1.5× LibreOffice), after
  one edit in a fresh process and in the preview (≤ 0.1× cold, ≤ 0.3× LibreOffice), and
  the peak RSS of a 500-project department (≤ 400 MB);
* ``district_bench.py``: a district of 2,000 projects, every table and every bundle:
  total time, pages per CPU second, peak RSS (figures without a goal: its last line is
  gathered).

Then every PASS/OVER line again, together, with the bench it came from. Exit status: 0
when every bench ran (a verdict of OVER included: the figures are the output), 1 when
one failed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The lines gathered at the end: each bench's verdicts; the district's figures (no goal).
VERDICT = re.compile(r"^\s*(PASS|OVER)\b.*$|^\s*the imports alone.*$|^\s*the district's year.*$", re.M)


def benches(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    runs, jobs = str(args.runs), str(args.jobs)
    return [
        ("check_bench.py", []),
        ("cache_bench.py", ["--runs", runs]),
        ("bundle_bench.py", ["--runs", runs, "--jobs", jobs]),
        ("district_bench.py", ["--projects", str(args.district_projects), "--jobs", jobs]),
    ]


def run(name: str, extra: list[str]) -> tuple[int, str]:
    """The bench's exit status and output, its output printed as it comes."""
    print(f"\n==== {name} {' '.join(extra)}", flush=True)
    process = subprocess.Popen([sys.executable, str(HERE / name), *extra], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    return process.wait(), "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each timed command (default 3)")
    parser.add_argument("--jobs", type=int, default=2, help="-j of the timed builds (default 2)")
    parser.add_argument("--district-projects", type=int, default=2000, help="projects of the district (default 2,000)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    failed: list[str] = []
    verdicts: list[str] = []
    for name, extra in benches(args):
        status, output = run(name, extra)
        # check_bench says OVER with status 1: a figure, not a failure of the bench.
        if status not in (0, 1) or (status == 1 and "OVER" not in output):
            failed.append(f"{name} (exit status {status})")
        verdicts.extend(f"  {name:18} {found.group(0).strip()}" for found in VERDICT.finditer(output))
    print(f"\n==== issue 16's verdicts ({time.perf_counter() - start:.0f} s in all)")
    print("\n".join(verdicts))
    for name in failed:
        print(f"  FAILED: {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
