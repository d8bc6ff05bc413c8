"""Helpers for the render tests: run the CLI, read HTML tables, PDFs and raster images.

Everything here is independent of ``jixiao.render``: the HTML is read back with the
standard library's parser, PDFs with poppler's command-line tools and pypdf, images
as PGM (``pdftoppm -gray``), and what a table should contain is worked out from the
loaded project model, not from the layout code under test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

from jixiao.cache import CACHE_DIR_NAME
from jixiao.model import monitoring
from jixiao.model.project import FundRow, MonitorFunds, Project, SelfEvalFunds, TargetFunds
from jixiao.model.vocab import FormKind
from jixiao.render.variant import BUILTIN_TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
TEMPLATES = BUILTIN_TEMPLATES
CHECKED, UNCHECKED = "☑", "☐"


# -- files ---------------------------------------------------------------------------------------


def files_under(folder: Path) -> list[Path]:
    """Every file below ``folder`` (hidden ones too, a leftover temporary file among them),
    relative, sorted; not the build cache kept in an output folder (tests/test_cache.py)."""
    if not folder.exists():
        return []
    return sorted(rel for p in folder.rglob("*")
                  if p.is_file() and (rel := p.relative_to(folder)).parts[0] != CACHE_DIR_NAME)


def expected_relative(project: Project) -> Path:
    """``主管部门/年度/实施单位/项目名称-表格`` for names that need no cleaning."""
    return Path(project.department) / str(project.year) / project.unit / f"{project.name}-{project.form.value}"


# -- HTML: a small table reader ----------------------------------------------------------------


@dataclass
class HCell:
    tag: str  # th / td
    attrs: dict[str, str]
    text: str = ""

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", "1"))

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", "1"))

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


@dataclass
class HRow:
    group: str  # thead / tbody#N
    cells: list[HCell] = field(default_factory=list)


@dataclass
class HTable:
    classes: set[str]
    cols: list[str] = field(default_factory=list)  # the style of each <col>
    rows: list[HRow] = field(default_factory=list)  # <thead> and <tbody> rows, in order
    foot: list[HRow] = field(default_factory=list)  # <tfoot> rows (printed at the bottom of each page)

    def cells(self) -> list[HCell]:
        return [c for r in [*self.rows, *self.foot] for c in r.cells]

    def grid(self) -> list[list[HCell]]:
        """The table as a full matrix (a spanning cell appears in every slot it covers).

        Raises ``AssertionError`` when a row overflows or leaves a slot empty: a ragged table.
        """
        width = len(self.cols)
        matrix: list[list[HCell | None]] = []
        for n, row in enumerate(self.rows):
            while len(matrix) <= n:
                matrix.append([None] * width)
            col = 0
            for cell in row.cells:
                while col < width and matrix[n][col] is not None:
                    col += 1
                assert col + cell.colspan <= width, f"row {n} overflows {width} columns at {cell.text!r}"
                for r in range(n, n + cell.rowspan):
                    while len(matrix) <= r:
                        matrix.append([None] * width)
                    for c in range(col, col + cell.colspan):
                        assert matrix[r][c] is None, f"cells overlap at row {r}, column {c}"
                        matrix[r][c] = cell
                col += cell.colspan
        assert len(matrix) == len(self.rows), f"a rowspan runs past the last row ({len(matrix)} > {len(self.rows)})"
        for row in self.foot:
            assert sum(c.colspan for c in row.cells) == width, "a <tfoot> row does not fill the table"
        for n, slots in enumerate(matrix):
            assert all(s is not None for s in slots), f"row {n} leaves a column empty"
        return matrix  # type: ignore[return-value]


@dataclass
class HtmlDoc:
    lang: str = ""
    title: str = ""
    metas: dict[str, str] = field(default_factory=dict)
    styles: list[str] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # every start tag
    tables: list[HTable] = field(default_factory=list)
    h1: str = ""
    year_line: str = ""
    body_text: list[str] = field(default_factory=list)  # text outside <style>/<title>, in order

    def table(self, name: str) -> HTable:
        found = self.parts(name)
        assert len(found) == 1, f"{len(found)} tables of class {name}"
        return found[0]

    def parts(self, name: str) -> list[HTable]:
        """The tables of class ``name``: one per page a section runs onto (render/paginate.py)."""
        return [t for t in self.tables if name in t.classes]

    def cell_texts(self) -> list[str]:
        return [c.text for t in self.tables for c in t.cells()]

    def printed(self) -> list[str]:
        """Title, year line and every cell, in document order."""
        return [self.h1, self.year_line, *self.cell_texts()]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = HtmlDoc()
        self._cell: HCell | None = None
        self._group = ""
        self._bodies = 0
        self._in: list[str] = []
        self._p_year = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.doc.tags.append((tag, a))
        if tag == "p":
            self._p_year = "year" in a.get("class", "").split()
        if tag == "html":
            self.doc.lang = a.get("lang", "")
        elif tag == "meta" and "name" in a:
            self.doc.metas[a["name"]] = a.get("content", "")
        elif tag == "table":
            self.doc.tables.append(HTable(set(a.get("class", "").split())))
            self._bodies = 0
        elif tag == "col":
            self.doc.tables[-1].cols.append(a.get("style", ""))
        elif tag in ("thead", "tfoot"):
            self._group = tag
        elif tag == "tbody":
            self._bodies += 1
            self._group = f"tbody#{self._bodies}"
        elif tag == "tr":
            table = self.doc.tables[-1]
            (table.foot if self._group == "tfoot" else table.rows).append(HRow(self._group))
        elif tag in ("td", "th"):
            self._cell = HCell(tag, a)
            table = self.doc.tables[-1]
            (table.foot if self._group == "tfoot" else table.rows)[-1].cells.append(self._cell)
        if tag not in ("meta", "col", "br", "link", "img", "input"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = None
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else ""
        if where == "style":
            self.doc.styles.append(data)
        elif where == "title":
            self.doc.title += data
        else:
            if where == "h1":
                self.doc.h1 += data
            elif where == "p" and self._p_year:
                self.doc.year_line += data
            if data.strip():
                self.doc.body_text.append(data)
            if self._cell is not None:
                self._cell.text += data


def read_html(path: Path | str) -> HtmlDoc:
    text = Path(path).read_text(encoding="utf-8") if isinstance(path, Path) else path
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.doc


# -- what a table must show, from the project ---------------------------------------------------

Expect = str | re.Pattern[str]


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction and wrapping move line breaks around."""
    return re.sub(r"\s+", "", text)


def money(value: Decimal | None, grouped: bool) -> str | None:
    if value is None:
        return None
    return f"{value:,.2f}" if grouped else format(value, "f")


def date_pattern(value: object) -> re.Pattern[str]:
    """2026-01-01 printed in any of the forms' styles: 2026.1.1, 2026. 01. 01, 2026年1月1日 …"""
    y, m, d = value.year, value.month, value.day  # type: ignore[attr-defined]
    # The day is left out by month-only styles such as 2023.1 (吴泾镇's tables).
    return re.compile(rf"{y}\D{{1,3}}0?{m}(?:\D{{1,3}}0?{d}日?)?")


def expected_sequence(project: Project) -> list[Expect]:
    """Every field, amount and indicator of ``project``, in reading order (labels left out)."""
    seq: list[Expect] = [project.form.title, re.compile(rf"[（(]?{project.year}年度[）)]?"), project.name]
    if project.form is FormKind.SELF_EVAL:
        seq += [project.department, project.unit]
        funds = project.funds
        assert isinstance(funds, SelfEvalFunds)
        rows: list[FundRow | None] = [funds.total, funds.current, funds.carryover, funds.other]
        for n, row in enumerate(rows):
            if row is None:
                continue
            seq += [m for m in (money(row.initial, True), money(row.budget, True), money(row.executed, True)) if m]
            if n == 0:
                seq.append(format(funds.weight, "f"))
                if row.budget and row.executed is not None:
                    rate = (row.executed / row.budget * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                    seq.append(f"{rate}%")
                if funds.score is not None:
                    seq.append(format(funds.score, "f"))
        seq += [project.expected, project.achieved]
    elif project.form is FormKind.MONITOR:
        seq += [project.category or "", project.department, project.unit]
        if project.cutoff is not None:
            seq += [f"{project.year}年{monitoring.period_label(project.cutoff)}", date_pattern(project.cutoff)]
        mfunds = project.funds
        assert isinstance(mfunds, MonitorFunds)
        for _label, mrow in mfunds.rows():
            if mrow is None:
                continue
            rate = monitoring.printed_rate(mrow)
            seq += [m for m in (money(mrow.initial, False), money(mrow.adjusted, False), money(mrow.executed, False),
                                f"{rate}%" if rate is not None else None, money(mrow.forecast, False)) if m]
        seq += [mfunds.remedy or "", project.annual_goal, project.progress]
    else:
        if project.form is FormKind.DECLARATION:
            seq += [project.nature or "", project.category or ""]
        seq += [project.department, project.unit]
        seq += [date_pattern(d) for d in (project.start, project.end) if d is not None]
        funds = project.funds
        assert isinstance(funds, TargetFunds) and funds.project and funds.annual
        whole, annual = funds.project, funds.annual
        for v in (whole.total, annual.total, whole.fiscal, annual.current, annual.carryover, whole.other,
                  annual.other):
            m = money(v, False)
            if m:
                seq.append(m)
        goal = project.overall_goal
        if goal is not None and goal.period:
            # part of the label cell: 项目总目标（2026年-2026年）
            seq.append(re.compile(rf"[^（]*（{goal.period[0]}年-{goal.period[1]}年）"))
        seq += [goal.text if goal else "", project.annual_goal]
    for level in project.indicators:
        seq.append(level.name)
        for child in level.children:
            seq.append(child.name)
            if child.placeholder or not child.indicators:
                seq += ["无", "无"]
                continue
            for ind in child.indicators:
                seq += [ind.name, ind.target]
                if project.form is FormKind.MONITOR:
                    seq += [ind.actual or "", ind.forecast or "", ind.likelihood or "", ind.reasons or "",
                            ind.remedy or ""]
                if project.form is FormKind.SELF_EVAL:
                    seq += [ind.actual or "", format(ind.weight, "f") if ind.weight is not None else "",
                            format(ind.score, "f") if ind.score is not None else "", ind.deviation or ""]
    if project.form is FormKind.SELF_EVAL:
        seq.append("总分")
        if project.total_score is not None:
            seq.append(format(project.total_score, "f"))
    return [e for e in seq if not isinstance(e, str) or squash(e)]


def find_in_order(text: str, expected: Sequence[Expect]) -> list[str]:
    """The expected items not found in ``text`` in order (whitespace ignored); [] when all are."""
    flat = squash(text)
    pos = 0
    missing: list[str] = []
    for item in expected:
        if isinstance(item, re.Pattern):
            m = item.search(flat, pos)
            start, end = (m.start(), m.end()) if m else (-1, -1)
        else:
            start = flat.find(squash(item), pos)
            end = start + len(squash(item))
        if start < 0:
            missing.append(item.pattern if isinstance(item, re.Pattern) else item)
        else:
            pos = end
    return missing


def cells_in_order(cells: Sequence[str], expected: Sequence[Expect]) -> list[str]:
    """Like :func:`find_in_order`, but each item must be the whole text of a cell."""
    texts = [squash(c) for c in cells]
    pos = 0
    missing: list[str] = []
    for item in expected:
        for n in range(pos, len(texts)):
            t = texts[n]
            if (item.fullmatch(t) if isinstance(item, re.Pattern) else t == squash(item)):
                pos = n + 1
                break
        else:
            missing.append(item.pattern if isinstance(item, re.Pattern) else item)
    return missing


# -- PDF ----------------------------------------------------------------------------------------


def pdftotext(pdf: Path, *, first: int | None = None, last: int | None = None, mode: str = "-raw") -> str:
    args = ["pdftotext", mode, "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    emb: bool
    sub: bool
    uni: bool


def pdffonts(pdf: Path) -> list[PdfFont]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object ID (two numbers)
        m = re.match(r"(\S*)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert m, f"unreadable pdffonts line: {line!r}"
        fonts.append(PdfFont(m[1], m[2], m[4] == "yes", m[5] == "yes", m[6] == "yes"))
    return fonts


# -- raster images (PGM, as pdftoppm -gray writes them) ------------------------------------------


@dataclass(frozen=True)
class Gray:
    width: int
    height: int
    pixels: bytes  # row-major, 0 = black, 255 = white

    def row(self, y: int) -> bytes:
        return self.pixels[y * self.width:(y + 1) * self.width]

    def column(self, x: int) -> bytes:
        return self.pixels[x::self.width]

    def dark_share(self, threshold: int = 128) -> float:
        return sum(1 for p in self.pixels if p < threshold) / len(self.pixels)


def read_pgm(path: Path) -> Gray:
    data = path.read_bytes()
    tokens: list[bytes] = []
    pos = 0
    while len(tokens) < 4:  # magic, width, height, maxval; '#' comments allowed between them
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        tokens.append(data[pos:end])
        pos = end
    assert tokens[0] == b"P5", f"not a binary PGM: {tokens[0]!r}"
    width, height, maxval = (int(t) for t in tokens[1:])
    assert maxval == 255
    pixels = data[pos + 1:pos + 1 + width * height]
    assert len(pixels) == width * height
    return Gray(width, height, pixels)


def rasterise(pdf: Path, page: int, out_dir: Path, dpi: int = 60) -> Gray:
    prefix = out_dir / f"{pdf.stem}-p{page}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, capture_output=True)
    return read_pgm(prefix.with_name(prefix.name + ".pgm"))


def runs(line: bytes, threshold: int = 200) -> list[tuple[int, int]]:
    """(start, end) of the runs of dark pixels in a row or column."""
    out: list[tuple[int, int]] = []
    start = None
    for i, p in enumerate(line):
        if p < threshold and start is None:
            start = i
        elif p >= threshold and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(line)))
    return out


def longest_run(line: bytes, threshold: int = 200) -> tuple[int, int]:
    return max(runs(line, threshold), key=lambda r: r[1] - r[0], default=(0, 0))


@dataclass(frozen=True)
class Frame:
    """The table's outer frame as found on a page image."""

    left: int
    right: int
    top: int
    bottom: int  # the lowest row with any ink between left and right


def find_frame(img: Gray) -> Frame:
    """The outer frame: the long vertical rules furthest left and right, and their extent.

    A rule is a vertical run of ink longer than 1/25 of the page (12 mm): taller than any
    character, shorter than a table that holds a header row and one indicator.
    """
    tall = []
    for x in range(img.width):
        start, end = longest_run(img.column(x))
        if end - start > img.height // 25:
            tall.append((x, start, end))
    assert tall, "no vertical rule on the page"
    left, right = tall[0], tall[-1]
    top = min(left[1], right[1])
    bottom = 0
    for y in range(img.height):
        if any(p < 200 for p in img.row(y)[left[0]:right[0] + 1]):
            bottom = y
    return Frame(left[0], right[0], top, bottom)


def ink_share(img: Gray, y: int, x0: int, x1: int, threshold: int = 200) -> float:
    """Share of dark pixels in row ``y`` (or the row next to it: a thin rule may straddle two)."""
    best = 0.0
    for yy in (y - 1, y, y + 1):
        if 0 <= yy < img.height:
            seg = img.row(yy)[x0:x1 + 1]
            best = max(best, sum(1 for p in seg if p < threshold) / len(seg))
    return best


def unique(items: Iterable[object]) -> bool:
    seen = list(items)
    return len(seen) == len(set(seen))


# -- the demo workspace, rendered once per test run (conftest's ``demo``) ---------------------


@dataclass(frozen=True, repr=False)
class DemoRender:
    """``jixiao render specs/ --format html,pdf,docx``: where it wrote, what it printed, what it read."""

    out: Path
    code: int
    stdout: str
    stderr: str
    projects: tuple[tuple[str, Project], ...]  # (spec path, project) for every demo spec

    def __repr__(self) -> str:
        return f"DemoRender({self.out}, exit {self.code}, {len(self.projects)} projects)"

    def path(self, project: Project, ext: str) -> Path:
        rel = expected_relative(project)
        return self.out / rel.with_name(f"{rel.name}.{ext}")

    def find(self, unit_part: str, name: str) -> tuple[str, Project]:
        found = [(s, p) for s, p in self.projects if p.name == name and unit_part in p.unit]
        assert len(found) == 1, f"{len(found)} demo projects named {name} under {unit_part}"
        return found[0]

    def pdfs(self) -> list[tuple[Project, Path]]:
        return [(p, self.path(p, "pdf")) for _, p in self.projects]


# -- other programs that print what jixiao makes ------------------------------------------------


def libreoffice_pdfs(docs: list[Path], out: Path) -> list[Path]:
    """``docs`` (.docx) printed to PDF by LibreOffice into ``out``, in one call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh --dev"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, docs)], check=True, capture_output=True, timeout=300)
    return [out / f"{d.stem}.pdf" for d in docs]


def chromium(profile: Path, *args: str) -> str:
    """Headless Chromium with ``args`` (its profile in ``profile``); what it printed to stdout.

    The flags keep a root, offline, display-less Chromium from stalling on its sandbox,
    GPU and background connections.
    """
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "Chromium is installed by scripts/setup.sh --dev"
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile / 'chromium-profile'}", *args],
                          check=True, capture_output=True, text=True, timeout=180)
    return done.stdout
