"""How fast does ``jixiao render`` turn the demo workspace into HTML and PDF?

    .venv/bin/python bench/render_bench.py [--specs DIR] [--runs N] [--keep DIR]

Times the two halves of rendering every project of the demo workspace (``specs/``)
separately, in one process, the way ``jixiao render`` does them:

* HTML: ``load_workspace`` + grid (``Renderer.grid``) + the page template
  (``HtmlWriter.page_html``), for all projects; best of ``--runs`` (default 3);
* PDF: the glyph-coverage check + WeasyPrint (``Renderer.pdf_bytes``) for every
  project's HTML; one run (it dominates, and its timing is steady).

WeasyPrint is imported and the fonts are looked up before the clock starts (the
import costs about a second once per process and is printed on its own line).
Pages are counted in the generated PDFs with pypdf; the HTML of a project is one
table, so its "pages" are the pages of its PDF. Prints seconds per project and pages
per second for each half. Nothing is written unless ``--keep DIR`` is given (then
the files go there under their usual paths, after timing). Exit status 0; 1 if a
project cannot be rendered.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:  # the installed (editable) package, or another tree on PYTHONPATH to compare against
    import jixiao  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

import pypdf  # noqa: E402

from jixiao.errors import JixiaoError  # noqa: E402
from jixiao.load.workspace import SpecFile, load_workspace  # noqa: E402
from jixiao.render import Renderer, output_paths  # noqa: E402
from jixiao.render.fonts import check_coverage  # noqa: E402
from jixiao.render.grid import Grid  # noqa: E402
from jixiao.render.output import write_atomic  # noqa: E402


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
            ("合计", html_seconds + pdf_seconds))
    for label, seconds in rows:
        print(cell(label, 28, left=True) + cell(f"{seconds:.3f}", 12) + cell(f"{seconds / n_projects:.4f}", 12)
              + cell(f"{n_pages / seconds:.1f}", 12))
    if len(html_times) > 1:
        print(f"\nHTML 各次：{'、'.join(f'{t:.3f}' for t in html_times)} s（取最快）")

    if args.keep:
        paths = output_paths([spec for spec, _, _ in pages])
        for (spec, _, html), pdf in zip(pages, pdfs, strict=True):
            rel = paths[spec.display]
            write_atomic(args.keep / rel.with_name(f"{rel.name}.html"), html.encode("utf-8"))
            write_atomic(args.keep / rel.with_name(f"{rel.name}.pdf"), pdf)
        print(f"\n已写入 {args.keep}（{2 * n_projects} 个文件）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
