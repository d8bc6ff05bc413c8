"""What does a whole district's year cost on one machine? Every table and every bundle.

    .venv/bin/python bench/district_bench.py [--projects 2000] [--departments 20] [--jobs 2]
                                             [--runs 1] [--keep DIR] [--no-reference]

Generates a synthetic district in a temporary folder: ``--projects`` spec files (default
2,000) over ``--departments`` 主管部门 (default 20), each department a copy of one of the
demo workspace's (``specs/``) department-years, renamed to another town:

* 吴泾镇 2023 (绩效目标表 and 绩效自评表, 万元), 闵行区浦江镇 2026 (绩效目标表 and, in
  浦江镇信访办, 绩效目标申报表, 万元) and 淞南镇 2023 (绩效自评表, 元), in the ratio 2 : 2 : 1;
* its ``_defaults.yaml`` files and every spec file as the demo has them (so the texts,
  indicator counts and amounts are real ones), the town's name replaced everywhere;
* as many rounds of its 实施单位 as the department's share of projects needs: round 2 of
  平安办 is 平安办（二）, and its projects are named …（二期）, so that no two projects of a
  department share a name or a table path.

The district is checked first (``load_workspace`` + ``check_workspace``, in this process):
it must have no errors (the copies do draw ``copied-*`` warnings: the same goals and
indicators in several departments), or the bench stops. Then it runs, as a clerk would,
each in a fresh process:

* ``jixiao render DISTRICT --format pdf,docx,html -j N`` (every table), then
* ``jixiao disclose DISTRICT --format pdf,docx,html -j N`` (every department's bundle),

into an empty output folder (so with an empty build cache: the cost of a whole year's
first build), and prints for each the wall time, the CPU time of the process and its
workers (user + system, ``getrusage(RUSAGE_CHILDREN)`` in a small wrapper process, so
the figures are the command's alone), the peak RSS of the largest single process
(``ru_maxrss``) and of the whole process tree (the sum over the command
and its workers, sampled from ``/proc`` every 0.1 s, Linux only), files and PDF pages
(counted with pypdf). Then the totals, pages per CPU-second, and the same figures for
the demo workspace measured in the same run as the reference (``--no-reference`` leaves
it out): pages per CPU-second district / demo shows whether cost grows in proportion.

With ``--runs N`` every command is run N times (each from an empty output folder) and
min / median / max are printed. At 2,000 projects one run takes hours of CPU on a small
machine: ``--projects 200`` gives a quick look.

Exit status 0; 2 when the generated district does not check clean.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:  # the installed (editable) package, or another tree on PYTHONPATH to compare against
    import jixiao  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

import pypdf  # noqa: E402

from jixiao.errors import Severity  # noqa: E402
from jixiao.load.workspace import load_workspace  # noqa: E402
from jixiao.validate import check_workspace  # noqa: E402

DEMO = ROOT / "specs"
# (department folder, year, the town's stem as the texts write it), weighted 2 : 2 : 1.
TEMPLATES = (("吴泾镇人民政府", "2023", "吴泾"), ("闵行区浦江镇人民政府", "2026", "浦江"),
             ("淞南镇主管单位", "2023", "淞南"), ("吴泾镇人民政府", "2023", "吴泾"),
             ("闵行区浦江镇人民政府", "2026", "浦江"))
# Towns of Shanghai's suburban districts; the generator keeps those whose department
# names differ from every other's in at least two characters (else department-name-typo).
TOWNS = ("莘庄", "七宝", "颛桥", "华漕", "梅陇", "古美", "江川", "新虹", "虹桥", "马桥", "庙行", "罗店",
         "顾村", "大场", "泗塘", "友谊", "朱泾", "枫泾", "亭林", "廊下", "张堰", "金山", "高境", "杨行",
         "月浦", "罗泾", "华亭", "徐行", "安亭", "外冈", "嘉定", "南翔", "江桥", "黄渡", "封浜", "曹王")
NUMERALS = "一二三四五六七八九十"
COMMANDS = (("render", "render (every table)"), ("disclose", "disclose (every bundle)"))
FORMATS = "pdf,docx,html"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


# -- the district --------------------------------------------------------------------------------


def numeral(n: int) -> str:
    """一 … 十, 十一 … 九十九 (rounds of a unit are few)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def towns(count: int) -> list[str]:
    """``count`` town stems, no two sharing a character (their departments' names then differ
    in two characters at least, and no check takes one for a misspelling of another)."""
    chosen: list[str] = []
    for town in TOWNS:
        if all(not set(town) & set(other) for other in chosen):
            chosen.append(town)
        if len(chosen) == count:
            return chosen
    raise SystemExit(f"--departments {count}: only {len(chosen)} towns with distinct characters are listed")


@dataclass
class Template:
    """One demo department-year: its defaults and its units' files, as text."""

    department: str
    year: str
    town: str
    defaults: dict[str, str]  # path below the department folder → text (the year's _defaults.yaml)
    units: dict[str, dict[str, str]] = field(default_factory=dict)  # unit folder → {file name: text}

    @property
    def specs(self) -> int:
        return sum(1 for files in self.units.values() for name in files if name != "_defaults.yaml")


def read_template(department: str, year: str, town: str) -> Template:
    folder = DEMO / department / year
    template = Template(department, year, town, {"_defaults.yaml": (folder / "_defaults.yaml").read_text("utf-8")})
    for unit in sorted(p for p in folder.iterdir() if p.is_dir()):
        template.units[unit.name] = {p.name: p.read_text("utf-8") for p in sorted(unit.glob("*.yaml"))}
    return template


_NAME_LINE = re.compile(r"^(项目名称:[ \t]*)(.*?)[ \t]*$", re.M)


def renamed(text: str, suffix: str) -> str:
    """The spec with ``suffix`` added to its 项目名称 (plain or quoted)."""
    def add(m: re.Match[str]) -> str:
        value = m.group(2)
        if value[:1] in "\"'" and len(value) > 1 and value[-1] == value[0]:
            return f"{m.group(1)}{value[:-1]}{suffix}{value[-1]}"
        return f"{m.group(1)}{value}{suffix}"

    out, n = _NAME_LINE.subn(add, text, count=1)
    if n != 1:
        raise SystemExit("a demo spec writes 项目名称 in a way this bench does not rename; update renamed()")
    return out


def generate(root: Path, projects: int, departments: int) -> Counter[str]:
    """Write the district under ``root``; the number of spec files of each demo template."""
    templates = [read_template(*t) for t in TEMPLATES]
    root.mkdir(parents=True)
    (root / "jixiao.toml").write_text((DEMO / "jixiao.toml").read_text("utf-8"), encoding="utf-8")
    (root / "_defaults.yaml").write_text((DEMO / "_defaults.yaml").read_text("utf-8"), encoding="utf-8")
    used: Counter[str] = Counter()
    shares = [projects // departments + (1 if d < projects % departments else 0) for d in range(departments)]
    for d, (town, share) in enumerate(zip(towns(departments), shares, strict=True)):
        template = templates[d % len(templates)]

        def local(text: str, town: str = town, template: Template = template) -> str:
            return text.replace(template.town, town)

        base = root / local(template.department) / template.year
        base.mkdir(parents=True)
        (base / "_defaults.yaml").write_text(local(template.defaults["_defaults.yaml"]), encoding="utf-8")
        written, round_ = 0, 1
        while written < share:
            for unit, files in template.units.items():
                if written >= share:
                    break
                suffix = "" if round_ == 1 else f"（{numeral(round_)}）"
                unit_dir = base / (local(unit) + suffix)
                unit_dir.mkdir()
                for name, text in files.items():
                    text = local(text)
                    if name == "_defaults.yaml":
                        text = text.replace(f"实施单位: {local(unit)}", f"实施单位: {local(unit)}{suffix}")
                    elif written < share:
                        if round_ > 1:
                            text = renamed(text, f"（{numeral(round_)}期）")
                        written += 1
                        used[f"{template.department} {template.year}"] += 1
                    else:
                        continue
                    (unit_dir / name).write_text(text, encoding="utf-8")
            round_ += 1
    return used


# -- measuring a command -----------------------------------------------------------------------


class TreeRss:
    """The peak of the summed RSS of all descendants of a process, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self.sample())
            self._stop.wait(self.interval)

    def sample(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(f"/proc/{entry.name}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        total, todo = 0, list(children.get(self.pid, []))  # the wrapper itself left out
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            m = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            total += int(m.group(1)) if m else 0
        return total


@dataclass
class Run:
    wall: float
    cpu: float
    largest_mib: float  # ru_maxrss of the largest process of the tree
    tree_mib: float  # sampled peak of the tree's summed RSS (0 where /proc is missing)


# Runs the command and writes the CPU time and largest RSS of it and all its descendants
# (getrusage of the children: each waited-for process's figures include its own waited-for
# children's) to the file named first: so the figures are this command's alone.
WRAPPER = """import json, resource, subprocess, sys
done = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    json.dump([done.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.stdout[-3000:]], f)
"""


def run(args: list[str], cwd: Path) -> Run:
    """``jixiao ARGS`` in a fresh process, to completion."""
    figures = cwd / "figures.json"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, str(figures), sys.executable, "-m", "jixiao", *args],
                            cwd=cwd, env=ENV)
    with TreeRss(proc.pid) as tree:
        proc.wait()
    wall = time.perf_counter() - start
    code, cpu, maxrss, out = json.loads(figures.read_text())
    if proc.returncode != 0 or code != 0:
        raise SystemExit(f"jixiao {' '.join(args)} failed ({code}):\n{out}")
    return Run(wall, cpu, maxrss / 1024, tree.peak_kib / 1024)  # ru_maxrss: KiB on Linux


def pages_in(folder: Path) -> tuple[int, int]:
    """(files, PDF pages) under ``folder``, the build cache left out."""
    files = [p for p in folder.rglob("*") if p.is_file() and ".jixiao-cache" not in p.parts]
    pages = sum(len(pypdf.PdfReader(p).pages) for p in files if p.suffix == ".pdf")
    return len(files), pages


@dataclass
class Measured:
    runs: dict[str, list[Run]] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)

    def total_cpu(self) -> list[float]:
        return [sum(r.cpu for r in group) for group in zip(*self.runs.values(), strict=True)]

    def total_wall(self) -> list[float]:
        return [sum(r.wall for r in group) for group in zip(*self.runs.values(), strict=True)]

    def pages_per_cpu_second(self) -> list[float]:
        pages = sum(self.pages.values())
        return [pages / cpu for cpu in self.total_cpu()]


def measure(workspace: Path, work: Path, jobs: int, runs: int) -> Measured:
    """Every table, then every bundle, of ``workspace``, each from an empty output folder."""
    result = Measured()
    for command, _ in COMMANDS:
        result.runs[command] = []
        for _ in range(runs):
            out = work / f"out-{command}"
            shutil.rmtree(out, ignore_errors=True)
            result.runs[command].append(
                run([command, str(workspace), "--format", FORMATS, "-o", str(out), "-q", "-j", str(jobs)], work))
        result.files[command], result.pages[command] = pages_in(work / f"out-{command}")
        shutil.rmtree(work / f"out-{command}", ignore_errors=True)
    return result


# -- printing ------------------------------------------------------------------------------------


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    if len(values) == 1:
        return fmt.format(values[0])
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def report(name: str, m: Measured, runs: int) -> None:
    what = "min / median / max of " + str(runs) + " runs" if runs > 1 else "one run"
    print(f"\n{name} ({what}):")
    print(f"  {'':26} {'wall s':>18} {'CPU s':>18} {'largest RSS MiB':>16} {'tree RSS MiB':>14} {'files':>6} {'pages':>6}")
    for command, label in COMMANDS:
        rs = m.runs[command]
        print(f"  {label:26} {spread([r.wall for r in rs]):>18} {spread([r.cpu for r in rs]):>18} "
              f"{spread([r.largest_mib for r in rs], '{:.0f}'):>16} {spread([r.tree_mib for r in rs], '{:.0f}'):>14} "
              f"{m.files[command]:>6} {m.pages[command]:>6}")
    print(f"  {'total':26} {spread(m.total_wall()):>18} {spread(m.total_cpu()):>18} "
          f"{'':>16} {'':>14} {sum(m.files.values()):>6} {sum(m.pages.values()):>6}")
    print(f"  pages per CPU-second: {spread(m.pages_per_cpu_second(), '{:.2f}')}")


def check_district(root: Path) -> tuple[int, int, Counter[str], float]:
    """(specs, errors, forms, CPU seconds) of ``check`` on the district; the errors printed."""
    start = time.process_time()
    workspace = load_workspace([root])
    found = check_workspace(workspace)
    cpu = time.process_time() - start
    errors = [d for d in found.diagnostics if d.severity is Severity.ERROR]
    for d in errors[:10]:
        print("  " + d.format())
    forms = Counter(p.form.value for _, p in workspace.projects())
    warnings = Counter(d.rule for d in found.diagnostics if d.severity is Severity.WARNING)
    print(f"  check: {len(workspace.specs)} specs, {len(errors)} errors, {sum(warnings.values())} warnings ("
          + ", ".join(f"{r} {n}" for r, n in warnings.most_common()) + f"); {cpu:.1f} s CPU")
    return len(workspace.specs), len(errors), forms, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=2000, help="spec files in the district (default 2000)")
    parser.add_argument("--departments", type=int, default=20, help="主管部门 (default 20)")
    parser.add_argument("--jobs", type=int, default=2, help="-j of render and disclose (default 2)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each command (default 1)")
    parser.add_argument("--keep", type=Path, help="generate the district here (emptied first) and keep it")
    parser.add_argument("--no-reference", action="store_true", help="do not measure the demo workspace")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jixiao-district-") as tmp:
        work = Path(tmp)
        root = args.keep.resolve() if args.keep else work / "district"
        if args.keep and root.exists():
            shutil.rmtree(root)
        used = generate(root, args.projects, args.departments)
        units = sum(1 for p in root.glob("*/*/*") if p.is_dir())
        print(f"district benchmark: {args.projects} projects in {args.departments} departments, {units} units "
              f"(copies of {', '.join(f'{k}: {v}' for k, v in used.items())}); -j {args.jobs}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        specs, errors, forms, check_cpu = check_district(root)
        print("  forms: " + ", ".join(f"{k} {v}" for k, v in forms.most_common()))
        if errors or specs != args.projects:
            print(f"GENERATOR BROKEN: {errors} errors, {specs} specs for {args.projects} generated")
            return 2
        district = measure(root, work, args.jobs, args.runs)
        report(f"district, {specs} projects", district, args.runs)
        if not args.no_reference:
            demo = measure(DEMO, work, args.jobs, args.runs)
            report("reference: the demo workspace (specs/), same commands", demo, args.runs)
            ratio = statistics.median(district.pages_per_cpu_second()) / statistics.median(demo.pages_per_cpu_second())
            print(f"\n  pages per CPU-second, district / demo: {ratio:.2f}× (1.0: cost in proportion to pages)")
        cpu = statistics.median(district.total_cpu())
        print(f"\n  the district's year: {cpu / 3600:.2f} CPU-hours for {sum(district.pages.values())} pages "
              f"(+ {check_cpu:.0f} s for check); on {args.jobs} cores about "
              f"{cpu / args.jobs / 3600:.2f} h if the cores are free")
    return 0


if __name__ == "__main__":
    sys.exit(main())
