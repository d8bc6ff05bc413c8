"""How fast does ``jixiao render`` turn the demo workspace into HTML and PDF?

    .venv/bin/python bench/render_bench.py [--specs DIR] [--runs N] [--keep DIR] [--no-disclosure]

Times the two halves of rendering every project of the demo workspace (``specs/``)
separately, in one process, the way ``jixiao render`` does them:

* HTML: ``load_workspace`` + grid (``Renderer.grid``) + the page template
  (``HtmlWriter.page_html``), for all projects; best of ``--runs`` (default 3);
* PDF: the glyph-coverage check + WeasyPrint (``Renderer.pdf_bytes``) for every
  project's HTML; one run (it dominates, and its timing is steady); then the same
  PDFs again in as many worker processes as there are CPUs (``jobs.run_jobs``, what
  ``jixiao render`` does by default), with their speed-up.

WeasyPrint is imported and the fonts are looked up before the clock starts (the
import costs about a second once per process and is printed on its own line).
Pages are counted in the generated PDFs with pypdf; the HTML of a project is one
table, so its "pages" are the pages of its PDF. Prints seconds per project and pages
per second for each half. Nothing is written unless ``--keep DIR`` is given (then
the files go there under their usual paths, after timing).

Then the disclosure bundle (issue 6): the department with the most projects is bundled
to one PDF (``disclosure_html`` + WeasyPrint, what ``jixiao disclose --format pdf``
does), and, in the same run, LibreOffice converts the equivalent DOCX bundle
(``disclosure_docx``) to PDF (``soffice --headless --convert-to pdf``, after one
untimed conversion that creates its profile, so its start-up is counted but not the
first-run setup). Prints both times, their pages and the ratio; issue 6 asks that our
PDF path be not slower than LibreOffice's conversion. Then the whole LibreOffice way
from the specs to a PDF (making the DOCX bundle, then converting it) against ours.
Skipped with ``--no-disclosure`` or when LibreOffice is not installed.

Last, a bound for splitting one bundle over the CPUs: the bundle's HTML is cut into as
many parts of about equal length as there are CPUs, at project boundaries, and the
parts are laid out and written at the same time in worker processes. No real split
can be faster than this figure: it leaves out joining the parts, numbering their
pages and linking the contents across them.

Exit status 0; 1 if a project cannot be rendered.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:  # the installed (editable) package, or another tree on PYTHONPATH to compare against
    import jixiao  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

import pypdf  # noqa: E402

from jixiao.bundle import Disclosure, plan  # noqa: E402
from jixiao.bundle.docx import disclosure_docx  # noqa: E402
from jixiao.bundle.html_pdf import disclosure_html  # noqa: E402
from jixiao.errors import JixiaoError  # noqa: E402
from jixiao.files import write_atomic  # noqa: E402
from jixiao.jobs import available_cpus, run_jobs  # noqa: E402
from jixiao.load.workspace import SpecFile, load_workspace  # noqa: E402
from jixiao.render import Renderer, output_paths  # noqa: E402
from jixiao.render.fonts import check_coverage  # noqa: E402
from jixiao.render.grid import Grid  # noqa: E402


def html_pass(specs_dir: Path, renderer: Renderer) -> tuple[float, list[tuple[SpecFile, Grid, str]]]:
    """Load + grid + HTML for every project; returns (seconds, [(spec, grid, html)])."""
    start = time.perf_counter()
    workspace = load_workspace([specs_dir])
    pages = []
    for spec in workspace.specs:
        if spec.project is None:
            continue
        grid = renderer.grid(spec)
        pages.append((spec, grid, renderer.html.page_html(grid)))
    return time.perf_counter() - start, pages


def pdf_pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def libreoffice_to_pdf(soffice: str, docx_path: Path, profile: Path, out_dir: Path) -> tuple[float, bytes]:
    start = time.perf_counter()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=600)
    seconds = time.perf_counter() - start
    return seconds, (out_dir / f"{docx_path.stem}.pdf").read_bytes()


def disclosure_bench(specs_dir: Path, renderer: Renderer) -> None:
    """Our disclosure PDF next to LibreOffice converting the DOCX bundle, same machine, same run."""
    print("\n公开文档（最大的部门）")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    bundles = plan(load_workspace([specs_dir]))
    if not bundles:
        print("  没有可汇编的部门，跳过")
        return
    d: Disclosure = max(bundles, key=lambda b: len(b.specs))
    print(f"  {d.title}：{len(d.units)} 个单位，{len(d.specs)} 个项目")
    start = time.perf_counter()
    html = disclosure_html(d, renderer)
    ours = renderer.pdf_bytes(html)
    our_seconds = time.perf_counter() - start
    print(f"  jixiao PDF（HTML+WeasyPrint）        {our_seconds:8.2f} s  {pdf_pages(ours):4d} 页")
    split_bound(html, renderer)
    if soffice is None:
        print("  没有安装 LibreOffice（soffice），无法比较；scripts/setup.sh --dev 会安装")
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        folder = Path(tmp)
        docx_path = folder / "bundle.docx"
        start = time.perf_counter()
        docx_path.write_bytes(disclosure_docx(d, renderer))
        docx_seconds = time.perf_counter() - start
        profile = folder / "lo-profile"
        libreoffice_to_pdf(soffice, docx_path, profile, folder / "warm")  # creates the profile: untimed
        lo_seconds, theirs = libreoffice_to_pdf(soffice, docx_path, profile, folder / "timed")
    print(f"  （生成 DOCX 汇编                     {docx_seconds:8.2f} s，不计入）")
    print(f"  LibreOffice DOCX→PDF                 {lo_seconds:8.2f} s  {pdf_pages(theirs):4d} 页")
    ratio = our_seconds / lo_seconds
    verdict = "不慢于 LibreOffice" if ratio <= 1 else "慢于 LibreOffice（要求：不慢于）"
    print(f"  比值 jixiao ÷ LibreOffice            {ratio:8.2f}    {verdict}")
    # From the specs to a PDF the LibreOffice way, the DOCX bundle has to be made first.
    both = docx_seconds + lo_seconds
    print(f"  经 LibreOffice 的整条路（DOCX+转换） {both:8.2f} s，比值 jixiao ÷ 它 {our_seconds / both:.2f}")


def split_bound(html: str, renderer: Renderer) -> None:
    """The bundle cut into one part per CPU, rendered at once: the floor of any split."""
    cpus = available_cpus()
    if cpus < 2:
        print("  （只有 1 个 CPU，不测拆分并行的下限）")
        return
    head, body = html.split("<body>", 1)
    body, tail = body.rsplit("</body>", 1)
    # Cut at project boundaries into parts of about equal HTML length (a fair proxy for
    # layout work: the pages are all tables); the front matter goes with the first part.
    pieces = re.split(r'(?=<section class="project")', body)
    share = len(body) / cpus
    parts: list[str] = [""]
    for piece in pieces:
        if len(parts[-1]) >= share and len(parts) < cpus:
            parts.append("")
        parts[-1] += piece
    docs = [f"{head}<body>{part}</body>{tail}" for part in parts]
    start = time.perf_counter()
    pdfs = list(run_jobs(renderer.pdf_bytes, docs, cpus))
    seconds = time.perf_counter() - start
    pages = "+".join(str(pdf_pages(p)) for p in pdfs)
    print(f"  拆成 {len(docs)} 份同时排版（下限，不含合并）{seconds:7.2f} s  {pages} 页")


def cell(text: str, width: int, left: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    pad = " " * max(0, width - sum(2 if ord(c) > 0x2E7F else 1 for c in text))
    return text + pad if left else pad + text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", type=Path, default=ROOT / "specs", help="workspace to render (default specs/)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the HTML half; the best counts")
    parser.add_argument("--keep", type=Path, help="write the HTML and PDF files here after timing")
    parser.add_argument("--no-disclosure", action="store_true",
                        help="skip the disclosure bundle and its LibreOffice comparison")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import weasyprint  # noqa: F401  (what Renderer.pdf_bytes imports late)

    renderer = Renderer()
    setup = time.perf_counter() - start

    html_times = []
    pages: list[tuple[SpecFile, Grid, str]] = []
    for _ in range(max(1, args.runs)):
        seconds, pages = html_pass(args.specs, renderer)
        html_times.append(seconds)
    html_seconds = min(html_times)
    if not pages:
        print(f"{args.specs} 中没有可生成的项目", file=sys.stderr)
        return 1

    pdfs: list[bytes] = []
    start = time.perf_counter()
    try:
        for spec, grid, html in pages:
            check_coverage(grid.texts(), renderer.fonts, spec.display)
            pdfs.append(renderer.pdf_bytes(html))
    except JixiaoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    pdf_seconds = time.perf_counter() - start
    cpus = available_cpus()
    start = time.perf_counter()
    parallel = list(run_jobs(renderer.pdf_bytes, [html for _, _, html in pages], cpus))
    parallel_seconds = time.perf_counter() - start
    if parallel != pdfs:
        print("并行生成的 PDF 与逐个生成的不同", file=sys.stderr)
        return 1

    page_counts = [len(pypdf.PdfReader(io.BytesIO(data)).pages) for data in pdfs]
    n_projects, n_pages = len(pages), sum(page_counts)
    variants = Counter(spec.project.effective_variant for spec, _, _ in pages if spec.project)
    spread = Counter(page_counts)

    print(f"工作区      {args.specs}")
    print(f"项目        {n_projects}（表样 {'、'.join(f'{v} {n}' for v, n in sorted(variants.items()))}）")
    print(f"PDF 页数    {n_pages}（{'，'.join(f'{k} 页 × {v}' for k, v in sorted(spread.items()))}）")
    print(f"准备        {setup:.2f} s（导入 WeasyPrint、查找字体，每个进程一次）")
    print()
    header = ("", "总时间 s", "s/项目", "页/s")
    print(cell(header[0], 28, left=True) + "".join(cell(h, 12) for h in header[1:]))
    rows = (("HTML（读取+网格+HTML）", html_seconds), ("PDF（字形检查+WeasyPrint）", pdf_seconds),
            ("合计", html_seconds + pdf_seconds), (f"PDF，{cpus} 个进程（-j {cpus}）", parallel_seconds))
    for label, seconds in rows:
        print(cell(label, 28, left=True) + cell(f"{seconds:.3f}", 12) + cell(f"{seconds / n_projects:.4f}", 12)
              + cell(f"{n_pages / seconds:.1f}", 12))
    print(f"\n{cpus} 个进程的加速比：{pdf_seconds / parallel_seconds:.2f}（PDF 与逐个生成的逐字节相同）")
    if len(html_times) > 1:
        print(f"\nHTML 各次：{'、'.join(f'{t:.3f}' for t in html_times)} s（取最快）")

    if args.keep:
        paths = output_paths([spec for spec, _, _ in pages])
        for (spec, _, html), pdf in zip(pages, pdfs, strict=True):
            rel = paths[spec.display]
            write_atomic(args.keep / rel.with_name(f"{rel.name}.html"), html.encode("utf-8"), args.keep)
            write_atomic(args.keep / rel.with_name(f"{rel.name}.pdf"), pdf, args.keep)
        print(f"\n已写入 {args.keep}（{2 * n_projects} 个文件）")
    if not args.no_disclosure:
        try:
            disclosure_bench(args.specs, renderer)
        except (JixiaoError, subprocess.CalledProcessError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
