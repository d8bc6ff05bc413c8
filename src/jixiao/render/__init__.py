"""Rendering: project → grid (``layout``) → HTML (``html``) → PDF (WeasyPrint).

:class:`Renderer` is the library entry point: it loads a template directory
once, then turns each project into the requested formats, writing every file
atomically under the output folder. With a cache folder, a PDF or DOCX whose
inputs have not changed is taken from the build cache (``jixiao.cache``) instead of
being laid out again, and a file that already holds its bytes is not rewritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial
from pathlib import Path

from jixiao.cache import (
    BuildCache,
    code_identity,
    files_identity,
    key_of,
    tree_identity,
    writers_identity,
)
from jixiao.errors import OutputError, UsageError
from jixiao.files import write_if_changed
from jixiao.jobs import run_jobs
from jixiao.load.workspace import SpecFile, defaults_files
from jixiao.render.fonts import check_coverage, installed_fonts
from jixiao.render.grid import Grid
from jixiao.render.html import HtmlWriter
from jixiao.render.layout import build_grid
from jixiao.render.output import relative_path
from jixiao.render.pdf import html_to_pdf
from jixiao.render.variant import BUILTIN_TEMPLATES, Variant, load_variant

FORMATS = ("html", "pdf", "docx", "xlsx")
MAX_REMEMBERED_GRIDS = 5000


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"不支持的格式：{'、'.join(unknown) or '（空）'}；可选 {','.join(FORMATS)}")
    return chosen


@dataclass
class Rendered:
    spec: SpecFile
    files: list[Path] = field(default_factory=list)
    # Of ``files``, those that already held these bytes and were left alone.
    unchanged: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    """A project laid out and checked, ready to be written in any format; or, when every
    format it is asked for is in the build cache, only named there (no grid, no HTML)."""

    spec: SpecFile
    grid: Grid | None
    html: str | None
    relative: Path
    # The hash of what the project is read from (the spec's bytes and its _defaults.yaml
    # files) and of the renderer's identity: the build cache's key for its outputs.
    sources: str = ""


class Renderer:
    def __init__(self, template_dir: Path | None = None, cache_dir: Path | None = None,
                 remember_grids: bool = False) -> None:
        self.template_dir = template_dir or BUILTIN_TEMPLATES
        self.cache_dir = cache_dir
        self.cache = BuildCache(cache_dir) if cache_dir is not None else None
        # A long-lived renderer (the preview) keeps each project's grid by what it is read
        # from, so a department's document after one edit lays out one table again. Off for
        # a build: a district's grids would all stay in memory for nothing.
        self._grids: dict[str, Grid] | None = {} if remember_grids else None
        self.html = HtmlWriter(self.template_dir, builtin=self.template_dir == BUILTIN_TEMPLATES)
        self.fonts = installed_fonts(self.html.css)
        self._variants: dict[str, Variant] = {}

    def __reduce__(self) -> tuple[Callable[[Path, Path | None, str], Renderer], tuple[Path, Path | None, str]]:
        # Sent to a worker as the recipe: the worker loads the templates again, once, and
        # again when they have changed (a worker that outlives a template edit: the preview's).
        return renderer_for, (self.template_dir, self.cache_dir, self.identity)

    @cached_property
    def identity(self) -> str:
        """What every output of this renderer depends on besides its own content: jixiao's
        code, the libraries that write the files, the template folder, the fonts,
        SOURCE_DATE_EPOCH (the PDF's date)."""
        return key_of(code_identity(), writers_identity(), tree_identity(self.template_dir),
                      files_identity(f.path for f in self.fonts), os.environ.get("SOURCE_DATE_EPOCH", ""))

    def cached(self, kind: str, source: str, make: Callable[[], bytes]) -> bytes:
        """``make()``, or the bytes it gave before for the same ``source`` and identity."""
        if self.cache is None:
            return make()
        return self.cache.get_or_make(self.cache_key(kind, source), make)

    def has_cached(self, kind: str, source: str) -> bool:
        """Whether :meth:`cached` would give the bytes without making them."""
        return self.cache is not None and self.cache.has(self.cache_key(kind, source))

    def cache_key(self, kind: str, source: str) -> str:
        """The build cache's key of a ``kind`` of output made from ``source`` (a hash)."""
        return key_of(self.identity, kind, source)

    def variant(self, name: str) -> Variant:
        if name not in self._variants:
            self._variants[name] = load_variant(self.template_dir, name)
        return self._variants[name]

    def grid(self, spec: SpecFile, prelude_mm: float = 0.0) -> Grid:
        if self._grids is None:
            return self._grid(spec, prelude_mm)
        read_from = key_of(*(f.read_bytes() for f in (spec.path, *defaults_files(spec.path))), str(prelude_mm))
        if read_from not in self._grids:
            if len(self._grids) >= MAX_REMEMBERED_GRIDS:  # every edit adds one: start again
                self._grids.clear()
            self._grids[read_from] = self._grid(spec, prelude_mm)
        return self._grids[read_from]

    def _grid(self, spec: SpecFile, prelude_mm: float) -> Grid:
        assert spec.project is not None
        project = spec.project
        variant = self.variant(project.effective_variant)
        if spec.settings.date_style:
            variant = replace(variant, date_style=spec.settings.date_style)
        return build_grid(project, variant, spec.settings, prelude_mm=prelude_mm)

    def pdf_bytes(self, html: str) -> bytes:
        return html_to_pdf(html, str(self.template_dir))

    def prepare(self, spec: SpecFile, formats: Sequence[str], relative: Path) -> Prepared:
        """Lay the project out and check what printing needs, writing nothing yet. With a
        build cache that holds every format asked for, nothing needs laying out: the
        project is only named by its sources (its glyphs were checked when it was made)."""
        sources = self._sources(spec)
        if self.cache is not None and all(self.cache.has(key_of(sources, fmt)) for fmt in formats):
            return Prepared(spec, None, None, relative, sources)
        grid = self.grid(spec)
        if "pdf" in formats:
            check_coverage(grid.texts(), self.fonts, spec.display)
        return Prepared(spec, grid, self.html.page_html(grid), relative, sources)

    def _sources(self, spec: SpecFile) -> str:
        if self.cache is None:
            return ""
        # The bytes, in order, not the paths: a workspace moved elsewhere keeps its cache.
        return key_of(self.identity, *(f.read_bytes() for f in (spec.path, *defaults_files(spec.path))))

    def write(self, prepared: Prepared, formats: Sequence[str], out_dir: Path) -> Rendered:
        result = Rendered(prepared.spec)
        for fmt in formats:
            data = self._output(prepared, fmt)
            relative = prepared.relative
            path = out_dir / relative.with_name(f"{relative.name}.{fmt}")
            if not write_if_changed(path, data, out_dir):
                result.unchanged.append(path)
            result.files.append(path)
        return result

    def _output(self, prepared: Prepared, fmt: str) -> bytes:
        """The bytes of one format: from the build cache by the project's sources, else made
        (and kept there)."""
        if self.cache is not None:
            found = self.cache.get(key_of(prepared.sources, fmt))
            if found is not None:
                return found
        grid = prepared.grid if prepared.grid is not None else self.grid(prepared.spec)
        html = prepared.html if prepared.html is not None else self.html.page_html(grid)
        if fmt == "html":
            data = html.encode("utf-8")
        elif fmt == "pdf":
            data = self.pdf_bytes(html)
        elif fmt == "xlsx":
            from jixiao.render.xlsx import render_xlsx  # openpyxl only when a workbook is asked for

            data = render_xlsx(grid)
        else:
            from jixiao.render.docx import render_docx  # python-docx and docxtpl only for Word

            data = render_docx(grid, self.template_dir)
        if self.cache is not None:
            self.cache.put(key_of(prepared.sources, fmt), data)
        return data

    def write_all(self, prepared: Sequence[Prepared], formats: Sequence[str], out_dir: Path,
                  jobs: int = 1) -> Iterator[Rendered]:
        """Write every prepared project, in up to ``jobs`` processes; results in order."""
        write_one = partial(_write_files, self, tuple(formats), out_dir)  # picklable, for spawned workers
        # What the build cache holds costs a file comparison: only projects to lay out are
        # worth a process (one edited project is made here, without starting any).
        jobs = max(1, min(jobs, sum(1 for item in prepared if item.grid is not None)))
        for item, (files, unchanged) in zip(prepared, run_jobs(write_one, prepared, jobs), strict=True):
            yield Rendered(item.spec, files, unchanged)

    def render(self, spec: SpecFile, formats: Sequence[str], out_dir: Path, relative: Path) -> Rendered:
        """Prepare and write one project."""
        return self.write(self.prepare(spec, formats, relative), formats, out_dir)


@lru_cache(maxsize=4)
def renderer_for(template_dir: Path, cache_dir: Path | None, identity: str) -> Renderer:
    """A renderer from its recipe (``Renderer.__reduce__``), made once per process and
    identity: a worker given many calls that each carry the renderer loads the templates once."""
    return Renderer(template_dir, cache_dir)


def _write_files(renderer: Renderer, formats: Sequence[str], out_dir: Path,
                 item: Prepared) -> tuple[list[Path], list[Path]]:
    done = renderer.write(item, formats, out_dir)
    return done.files, done.unchanged


def output_paths(specs: Sequence[SpecFile]) -> dict[str, Path]:
    """Each spec's output path (without suffix), derived from its project alone.

    Two projects that would write the same file are refused rather than given
    run-dependent suffixes: a suffix would change with what else is rendered,
    and a later run could overwrite the other project's table.
    """
    taken: dict[Path, str] = {}
    out: dict[str, Path] = {}
    for spec in specs:
        assert spec.project is not None
        path = relative_path(spec.project)
        if path in taken:
            raise OutputError(f"{taken[path]} 和 {spec.display} 会写到同一个文件 {path}（主管部门、年度、实施单位、"
                              "项目名称和表格都相同）；请改正重复的项目名称")
        taken[path] = spec.display
        out[spec.display] = path
    return out
