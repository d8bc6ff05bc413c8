"""How fast does ``jixiao import`` read tables?

    .venv/bin/python bench/import_bench.py [--copies N] [--runs N]

Two sources, timed separately in one process, each best of ``--runs`` (default 3):

* extracted table text: the four seed files of ``shared/seeds/`` (74 tables), each
  repeated ``--copies`` times (default 13: 962 tables, under the 1,000 tables a file may hold) into one large file, the size of a
  department's years of forms;
* Word: every demo spec rendered once to DOCX by jixiao (untimed), then imported.

Each run imports into a fresh temporary workspace (parse, place, write the spec files
and ``_defaults.yaml``), so the figures include writing. Prints tables per second and
the peak memory of one text import (tracemalloc).

Exit status 0; 1 if any table fails to import.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jixiao.importer import import_files  # noqa: E402
from jixiao.load.workspace import load_workspace  # noqa: E402
from jixiao.render import Renderer  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def timed(sources: list[Path], runs: int) -> tuple[float, int, int]:
    best, tables, failed = float("inf"), 0, 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            report = import_files(sources, Path(out))
            best = min(best, time.perf_counter() - start)
            tables, failed = len(report.results), report.count("failed") + len(report.failed_files)
    return best, tables, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=13)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "seeds.txt"
        big.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))) * args.copies,
                       encoding="utf-8")
        seconds, tables, failed = timed([big], args.runs)
        print(f"extracted text: {tables} tables ({big.stat().st_size:,} bytes) in {seconds:.3f} s best of "
              f"{args.runs} = {tables / seconds:,.0f} tables/s; {failed} failed")
        status |= failed > 0
        tracemalloc.start()
        with tempfile.TemporaryDirectory() as out:
            import_files([big], Path(out))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  peak memory of one text import: {peak / 2**20:.1f} MiB traced")

        renderer = Renderer()
        specs = [s for s in load_workspace([ROOT / "specs"]).specs if s.project is not None]
        docx_dir = Path(tmp) / "docx"
        for n, spec in enumerate(specs):
            renderer.render(spec, ["docx"], docx_dir, Path(f"{n:03d}"))
        files = sorted(docx_dir.glob("*.docx"))
        seconds, tables, failed = timed(files, args.runs)
        print(f"Word: {tables} tables from {len(files)} .docx files in {seconds:.3f} s best of {args.runs} = "
              f"{tables / seconds:,.0f} tables/s; {failed} failed")
        status |= failed > 0
    return status


if __name__ == "__main__":
    sys.exit(main())
