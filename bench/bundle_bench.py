"""The disclosure PDF laid out in parts: cold, after one edit, and its memory, in one run.

    .venv/bin/python bench/bundle_bench.py [--runs N] [--jobs N] [--big N] [--no-big]

Copies the specs of 浦江镇's largest document (闵行区浦江镇人民政府 2026, 42 projects) to a
temporary folder, and jixiao's source too (the build cache is keyed by jixiao's code:
another edit in the checkout during the run would make every build cold). Each command
is a fresh process, run under a small wrapper that reports the CPU time (user + system)
of the whole process tree, its wall time and the peak RSS of its largest process:

* LibreOffice converting the equivalent DOCX bundle (``soffice --headless --convert-to
  pdf``; its profile made before, untimed): the reference of every ratio;
* cold: ``jixiao disclose --format pdf -j N``, output folder and build cache empty;
* after one edit: one project's amount changed (a different amount each time, the totals
  with it), then rebuilt: its part and the front matter are laid out again;
* the same with ``-j 1``, for the peak RSS of one process doing everything;
* after one edit in the preview: ``jixiao preview -j N`` running, its disclosure PDF asked
  for over HTTP once it has reloaded the saved spec (CPU: the preview's and its workers');
* the floor of any rebuild in a fresh process: Python starting and importing jixiao's
  command line and WeasyPrint, nothing laid out;
* a generated department of ``--big`` projects (copies of 浦江镇's, renamed), cold, once:
  peak RSS (goal ≤ 400 MB), pages and pages per CPU second.

Prints min / median / max of each over ``--runs`` repetitions and the ratios of the medians
(goals of issue 16: cold ≤ 1.5× LibreOffice; after one edit ≤ 0.1× cold and ≤ 0.3×
LibreOffice). ``SOURCE_DATE_EPOCH`` is fixed, so every build is the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUJIANG = "闵行区浦江镇人民政府"
EDITED = "安保经费.yaml"
AMOUNT = "2035.58"  # 安保经费's 合计 and 财政资金, in both fund blocks: edited together, the sums still agree

# Runs ARGS and prints the CPU seconds of the tree it waited for, the wall seconds and the
# largest process's peak RSS (KiB): a fresh process, so the figures are this command's only.
WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if done.returncode != 0:
    sys.exit(done.stdout + done.stderr)
print(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss)
"""


@dataclass(frozen=True)
class Run:
    cpu: float
    wall: float
    rss_mb: float


def run(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    cpu, wall, rss = done.stdout.split()
    return Run(float(cpu), float(wall), int(rss) / 1024)


class Preview:
    """``jixiao preview`` of the workspace in ``work``, its disclosure PDF asked for over HTTP:
    the rebuild after one edit in a process that is already running (WeasyPrint imported,
    grids and fonts ready), as a clerk editing with the preview open gets it."""

    def __init__(self, command: list[str], work: Path, env: dict[str, str], jobs: int) -> None:
        # Ctrl-C's default action, as from a terminal: a bench run in a background job would
        # otherwise pass on an ignored SIGINT, and the preview would not stop.
        self.process = subprocess.Popen([*command, "preview", "specs", "--port", "0", "-o", "preview-out",
                                         "-j", str(jobs)],
                                        cwd=work, env=env, stdout=subprocess.PIPE, text=True,
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip().split("：", 1)[1].rstrip("/")
        department = re.search(r"/d/([0-9a-f]{12})", self.get("/").decode("utf-8"))
        assert department is not None, "the preview lists no disclosure document"
        self.pdf_path = f"/d/{department.group(1)}/download/pdf"

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=120) as response:
            data: bytes = response.read()
            return data

    def version(self) -> int:
        return int(json.loads(self.get("/live"))["version"])

    def tree(self) -> list[int]:
        """The preview's process and its descendants (the workers laying out parts), alive."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue  # ended meanwhile
        found = [self.process.pid]
        for pid in found:
            found.extend(child for child, parent in parents.items() if parent == pid)
        return found

    def cpu(self) -> float:
        """CPU seconds (user + system) of the preview and its workers so far, with what their
        ended children used."""
        total = 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(f) for f in fields[11:15])
        return total / os.sysconf("SC_CLK_TCK")

    def peak_mb(self) -> float:
        """The peak RSS of the largest process of the preview's tree."""
        peaks = [0]
        for pid in self.tree():
            try:
                found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
            except OSError:
                continue
            peaks.append(int(found.group(1)) if found else 0)
        return max(peaks) / 1024

    def rebuild(self, save: Callable[[], object]) -> tuple[Run, float]:
        """The PDF asked for after ``save()`` once the preview has reloaded: its CPU and wall
        time; and how long the reload took to be seen (the watcher's debounce included)."""
        seen, start = self.version(), time.perf_counter()
        save()
        while self.version() == seen:
            time.sleep(0.01)
        reloaded = time.perf_counter() - start
        cpu, start = self.cpu(), time.perf_counter()
        pdf = self.get(self.pdf_path)
        wall = time.perf_counter() - start
        assert pdf.startswith(b"%PDF")
        return Run(self.cpu() - cpu, wall, self.peak_mb()), reloaded

    def close(self) -> None:
        """Ctrl-C, as a clerk stops it; its output read meanwhile (a full pipe would block it)."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            print("  warning: the preview did not stop within 30 s of Ctrl-C: killed", file=sys.stderr)


def figures(values: list[float], unit: str) -> str:
    return f"{min(values):7.2f} / {statistics.median(values):7.2f} / {max(values):7.2f} {unit}"


def document_specs(specs: Path, source: Path) -> list[Path]:
    """The spec files of the department's largest document (by the library's own plan)."""
    sys.path.insert(0, str(source))
    from jixiao.bundle import plan
    from jixiao.load.workspace import load_workspace

    documents = plan(load_workspace([specs / PUJIANG]))
    largest = max(documents, key=lambda d: len(d.specs))
    return [s.path for s in largest.specs]


def copy_document(specs: Path, paths: list[Path], target: Path) -> None:
    """``paths`` and every ``_defaults.yaml`` above them, under ``target`` as under ``specs``."""
    for path in paths:
        relative = path.relative_to(specs)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)
        folder = path.parent
        while folder != specs.parent:
            defaults = folder / "_defaults.yaml"
            if defaults.is_file():
                (target / defaults.relative_to(specs)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(defaults, target / defaults.relative_to(specs))
            folder = folder.parent


def big_department(specs: Path, paths: list[Path], target: Path, count: int) -> None:
    """``count`` projects: copies of ``paths`` renamed (项目名称 …（第N份）), each unit's folder as in 浦江镇."""
    copy_document(specs, paths, target)
    originals = [target / p.relative_to(specs) for p in paths]
    made = len(originals)
    copy = 1
    while made < count:
        copy += 1
        for path in originals:
            if made == count:
                break
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^项目名称: (.+)$", rf"项目名称: \1（第{copy}份）", text, count=1)
            path.with_name(f"{path.stem}-{copy}.yaml").write_text(text, encoding="utf-8")
            made += 1


def libreoffice(work: Path, env: dict[str, str], runs: int) -> list[Run]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("没有安装 LibreOffice（soffice），无法比较；scripts/setup.sh --dev 会安装")
    jixiao = [sys.executable, "-m", "jixiao"]
    run([*jixiao, "disclose", "specs", "--format", "docx", "-o", "docx", "-q", "--no-cache"], work, env)
    [docx] = (work / "docx").rglob("*.docx")
    profile = (work / "lo-profile").as_uri()
    convert = [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir"]
    run([*convert, str(work / "lo-warm"), str(docx)], work, env)  # makes the profile: untimed
    return [run([*convert, str(work / f"lo-{n}"), str(docx)], work, env) for n in range(runs)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--big", type=int, default=500, help="projects of the generated department")
    parser.add_argument("--no-big", action="store_true", help="skip the generated department")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "src"
        shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(source)}
        paths = document_specs(ROOT / "specs", source)
        copy_document(ROOT / "specs", paths, work / "specs")
        jixiao = [sys.executable, "-m", "jixiao"]
        disclose = [*jixiao, "disclose", "specs", "--format", "pdf", "-o", "out", "-q"]
        print(f"disclosure bundle benchmark: {PUJIANG}, {len(paths)} projects, {args.runs} runs each, "
              f"-j {args.jobs}; CPU = the process tree's user + system time")

        reference = libreoffice(work, env, args.runs)
        spec = next((work / "specs").rglob(EDITED))
        original = spec.read_text(encoding="utf-8")
        timed: dict[str, list[Run]] = {"LibreOffice DOCX→PDF": reference}
        for label, jobs in ((f"cold -j {args.jobs}", args.jobs), ("cold -j 1", 1)):
            timed[label] = []
            for _ in range(args.runs):
                shutil.rmtree(work / "out", ignore_errors=True)
                timed[label].append(run([*disclose, "-j", str(jobs)], work, env))
        # What any rebuild in a fresh process costs before it lays out anything: the
        # interpreter, jixiao's command line and WeasyPrint imported.
        imports = "import jixiao.cli; from jixiao.render.pdf import import_weasyprint; import_weasyprint()"
        timed["floor: imports only"] = [run([sys.executable, "-c", imports], work, env) for _ in range(args.runs)]
        timed[f"after one edit -j {args.jobs}"] = []
        for n in range(args.runs):
            spec.write_text(original.replace(AMOUNT, f"2035.{60 + n:02d}"), encoding="utf-8")
            timed[f"after one edit -j {args.jobs}"].append(run([*disclose, "-j", str(args.jobs)], work, env))
        spec.write_text(original, encoding="utf-8")
        [pdf] = (work / "out").rglob("*.pdf")
        preview = Preview(jixiao, work, env, args.jobs)
        try:
            preview.get(preview.pdf_path)  # the first one: every part laid out (untimed)
            warm, reloads = [], []
            for n in range(args.runs):
                edited = original.replace(AMOUNT, f"2035.{70 + n:02d}")
                done, reloaded = preview.rebuild(partial(spec.write_text, edited, encoding="utf-8"))
                warm.append(done)
                reloads.append(reloaded)
            timed["after one edit, preview"] = warm
        finally:
            preview.close()
            spec.write_text(original, encoding="utf-8")

        print(f"\n{'':28} {'CPU min / median / max':>28}   {'wall min / median / max':>28}   peak RSS")
        for label, values in timed.items():
            print(f"  {label:26} {figures([v.cpu for v in values], 's')}   {figures([v.wall for v in values], 's')}"
                  f"   {max(v.rss_mb for v in values):6.0f} MB")
        lo_cpu = statistics.median(v.cpu for v in reference)
        lo_wall = statistics.median(v.wall for v in reference)
        cold = timed[f"cold -j {args.jobs}"]
        edit = timed[f"after one edit -j {args.jobs}"]
        cold_wall = statistics.median(v.wall for v in cold)
        cold_cpu = statistics.median(v.cpu for v in cold)
        edit_wall = statistics.median(v.wall for v in edit)
        edit_cpu = statistics.median(v.cpu for v in edit)
        print(f"\n  PDF: {pdf.stat().st_size:,} bytes")
        verdicts = [
            (f"cold -j {args.jobs} ÷ LibreOffice, wall", cold_wall / lo_wall, 1.5),
            (f"cold -j {args.jobs} ÷ LibreOffice, CPU", cold_cpu / lo_cpu, 1.5),
            ("one edit, new process ÷ cold, wall", edit_wall / cold_wall, 0.1),
            ("one edit, new process ÷ cold, CPU", edit_cpu / cold_cpu, 0.1),
            ("one edit, new process ÷ LibreOffice, wall", edit_wall / lo_wall, 0.3),
            ("one edit, new process ÷ LibreOffice, CPU", edit_cpu / lo_cpu, 0.3),
        ]
        for label, ratio, goal in verdicts:
            print(f"  {'PASS' if ratio <= goal else 'OVER'}: {label:42} {ratio:6.3f}× (goal ≤ {goal}×)")
        floor = statistics.median(v.wall for v in timed["floor: imports only"])
        print(f"  the imports alone, wall: {floor / lo_wall:.3f}× LibreOffice, {floor / cold_wall:.3f}× cold "
              "(what any new process costs first)")
        warm_wall = statistics.median(v.wall for v in warm)
        warm_cpu = statistics.median(v.cpu for v in warm)
        print(f"\n  In the preview (a running process; the PDF asked for once it has reloaded the saved spec,\n"
              f"  which took {figures(reloads, 's')} after the save, the watcher's wait included):")
        for label, ratio, goal in [("one edit, preview ÷ cold, wall", warm_wall / cold_wall, 0.1),
                                   ("one edit, preview ÷ cold, CPU", warm_cpu / cold_cpu, 0.1),
                                   ("one edit, preview ÷ LibreOffice, wall", warm_wall / lo_wall, 0.3),
                                   ("one edit, preview ÷ LibreOffice, CPU", warm_cpu / lo_cpu, 0.3)]:
            print(f"  {'PASS' if ratio <= goal else 'OVER'}: {label:42} {ratio:6.3f}× (goal ≤ {goal}×)")

        if not args.no_big:
            big = work / "big"
            big_department(ROOT / "specs", paths, big, args.big)
            result = run([*jixiao, "disclose", "big", "--format", "pdf", "-o", "big-out", "-q", "-j", str(args.jobs)],
                         work, env)
            [big_pdf] = (work / "big-out").rglob("*.pdf")
            pages = len(re.findall(rb"/Type\s*/Page\b", big_pdf.read_bytes()))
            verdict = "PASS" if result.rss_mb <= 400 else "OVER"
            print(f"\n  {args.big} projects, cold -j {args.jobs}: {pages} pages, CPU {result.cpu:.1f} s, wall "
                  f"{result.wall:.1f} s, {pages / result.cpu:.1f} pages per CPU second, "
                  f"{big_pdf.stat().st_size:,} bytes")
            print(f"  {verdict}: peak RSS of the largest process {result.rss_mb:.0f} MB (goal ≤ 400 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
