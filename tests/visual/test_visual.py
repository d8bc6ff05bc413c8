"""Visual regression: pages of the demo as printed, against reference images in references/.

What is compared (see README.md here): page 1 of one table of each variant A–D and both
pages of a two-page table, printed by WeasyPrint; the same four tables' DOCX printed by
LibreOffice; the cover, contents, summary and a table page of the 浦江镇 disclosure; one
table's HTML printed by headless Chromium on A4 and its screenshot at a phone's width
(390 px). PDFs are rasterised with ``pdftoppm -gray`` at 50 dpi (an A4 page is 414 × 585
pixels and its PNG 7–35 KB, so the references stay small in git).

Images are read, compared and written with Pillow. Pillow is not a dependency of ours but
WeasyPrint's (``Requires: … Pillow …``), so it is installed wherever jixiao renders PDFs;
the references are plain 8-bit grayscale PNG, which any viewer and GitHub's image diff show.

Pixels differ between machines (font hinting and anti-aliasing, poppler's and Chromium's
versions), so the comparison looks at what a reader sees, not at the pixels themselves:
both images are reduced to half size (2 × 2 box average, about 1 mm a pixel) and blurred
(Gaussian, radius 1), and a pixel counts as different when the two grayscale values are
more than ``LEVEL`` apart; the page fails when more than ``MAX_SHARE`` of its pixels do.
Edge noise (a glyph one pixel wider, lighter anti-aliasing) stays below ``LEVEL`` after
the blur; a moved rule, a thicker border, a line broken elsewhere or a missing glyph does
not. The measurements behind the two numbers are in README.md.

A failing page writes ``<name>-diff.png`` into the test's ``tmp_path`` — reference, current
and the differences in red over the current page, side by side — and the assertion message
gives its path. To accept a change of the printed pages::

    .venv/bin/python scripts/update_visual_refs.py

which runs this module with ``JIXIAO_UPDATE_VISUAL=1``: the current images are written over
the references instead of being compared with them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter

from conftest import DemoDisclosure, run_cli
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import DemoRender, chromium, libreoffice_pdfs

HERE = Path(__file__).resolve().parent
REFERENCES = HERE / "references"
VARIANT_C = HERE.parent / "fixtures" / "variant_c"
UPDATE = os.environ.get("JIXIAO_UPDATE_VISUAL") == "1"

DPI = 50
LEVEL = 48  # grey levels (of 255) two softened pixels may differ by before they count
MAX_SHARE = 0.002  # share of a page's (softened) pixels that may differ: 0.2 %

# variant → (part of 实施单位, 项目名称) of its sample table, as in docs/images/ (C is not in
# the demo workspace: tests/fixtures/variant_c).
SAMPLES = {
    "A": ("平安建设办公室", "安保经费"),
    "B": ("信访办", "劝导队经费"),
    "D": ("淞南镇城市运行管理中心", "综治中心事务"),
}
TWO_PAGES = ("平安办", "人口工作")  # 吴泾镇, variant A: the indicator table runs onto page 2
DISCLOSURE = "闵行区浦江镇人民政府"
DISCLOSURE_PAGES = {"cover": 1, "contents": 2, "summary": 4, "table": 6}
PHONE = (390, 1200)  # the screenshot's window, CSS pixels

CASES = (
    *(f"pdf-{v}" for v in "ABCD"), "pdf-two-page-1", "pdf-two-page-2",
    *(f"docx-{v}" for v in "ABCD"),
    *(f"disclosure-{k}" for k in DISCLOSURE_PAGES),
    "html-print-A", "html-phone-A",
)


# -- rasterising ----------------------------------------------------------------------------------


def page_image(pdf: Path, page: int, out: Path) -> Image.Image:
    """Page ``page`` of ``pdf`` at ``DPI``, grayscale."""
    prefix = out / f"{pdf.stem}-p{page}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, capture_output=True)
    with Image.open(prefix.with_suffix(".png")) as img:
        return img.convert("L")


def chromium_print(html: Path, out: Path) -> Path:
    """Chromium's "print to PDF": A4 from the page's @page rule, no header or footer."""
    pdf = out / f"chromium-{html.stem}.pdf"
    chromium(out, "--hide-scrollbars", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    return pdf


def chromium_phone(html: Path, out: Path) -> Image.Image:
    """A screenshot of ``html`` in a window as wide as a phone's screen."""
    png = out / f"phone-{html.stem}.png"
    chromium(out, "--hide-scrollbars", f"--window-size={PHONE[0]},{PHONE[1]}", "--force-device-scale-factor=1", f"--screenshot={png}",
             html.as_uri())
    with Image.open(png) as img:
        return img.convert("L")


# -- comparing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    share: float  # of the reduced pixels, how many differ by more than LEVEL
    worst: int  # the largest difference of two reduced pixels
    mask: Image.Image  # the differing pixels (255), at the reduced size

    @property
    def passed(self) -> bool:
        return self.share <= MAX_SHARE


def _softened(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("L", size, 255)  # a page a pixel taller elsewhere is padded with paper
    canvas.paste(img.convert("L"), (0, 0))
    return canvas.reduce(2).filter(ImageFilter.GaussianBlur(1))


def compare(reference: Image.Image, current: Image.Image) -> Comparison:
    size = (max(reference.width, current.width), max(reference.height, current.height))
    diff = ImageChops.difference(_softened(reference, size), _softened(current, size))
    mask = diff.point(lambda v: 255 if v > LEVEL else 0)
    differing = mask.histogram()[255]
    _lo, hi = diff.getextrema()
    return Comparison(differing / (mask.width * mask.height), int(str(hi)), mask)


def diff_picture(reference: Image.Image, current: Image.Image, result: Comparison) -> Image.Image:
    """Reference | current | the differing pixels in red over a faded current page."""
    w, h = max(reference.width, current.width), max(reference.height, current.height)
    faded = Image.new("L", (w, h), 255)
    faded.paste(current, (0, 0))
    faded = faded.point(lambda v: 155 + v * 100 // 255)
    red = result.mask.resize((w, h), Image.Resampling.NEAREST)
    overlay = Image.composite(Image.new("RGB", (w, h), (230, 0, 0)), faded.convert("RGB"), red)
    out = Image.new("RGB", (3 * w + 20, h), (255, 255, 255))
    for n, img in enumerate((reference.convert("RGB"), current.convert("RGB"), overlay)):
        out.paste(img, (n * (w + 10), 0))
    return out


def check_against_reference(name: str, current: Image.Image, tmp_path: Path) -> Comparison | None:
    """Compare ``current`` with references/NAME.png (or, when updating, replace the reference)."""
    path = REFERENCES / f"{name}.png"
    if UPDATE:
        REFERENCES.mkdir(exist_ok=True)
        current.save(path, optimize=True)
        return None
    assert path.is_file(), f"no reference {path}: run .venv/bin/python scripts/update_visual_refs.py"
    with Image.open(path) as img:
        reference = img.convert("L")
    result = compare(reference, current)
    if not result.passed:
        current.save(tmp_path / f"{name}-current.png")
        picture = tmp_path / f"{name}-diff.png"
        diff_picture(reference, current, result).save(picture)
        pytest.fail(f"{name}: {result.share:.2%} of the page differs (allowed {MAX_SHARE:.2%}, worst "
                    f"{result.worst} grey levels); reference | current | differences: {picture}\n"
                    f"if the change is intended: .venv/bin/python scripts/update_visual_refs.py",
                    pytrace=False)
    return result


# -- the pages, as printed now --------------------------------------------------------------------


@pytest.fixture(scope="module")
def variant_c(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The variant C sample rendered (it is not in the demo workspace); the folder it went to."""
    out = tmp_path_factory.mktemp("visual-variant-c")
    code, _out, err = run_cli("render", VARIANT_C, "--format", "pdf,docx", "-o", out, "-j", "1")
    assert (code, err) == (0, "")
    return out


def sample(demo: DemoRender, variant_c: Path, variant: str, ext: str) -> Path:
    if variant == "C":
        [found] = variant_c.rglob(f"*.{ext}")
        return found
    _spec, project = demo.find(*SAMPLES[variant])
    return demo.path(project, ext)


@pytest.fixture(scope="module")
def current(demo: DemoRender, demo_disclosure: DemoDisclosure, variant_c: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Image.Image]:
    """Each case's image as printed now, made when first asked for (LibreOffice converts all
    four DOCX in one run)."""
    out = tmp_path_factory.mktemp("visual-current")
    assert demo.code == 0 and demo_disclosure.code == 0
    made: dict[str, Image.Image] = {}

    def docx_pages() -> None:
        docs = []
        for v in "ABCD":  # plain names: LibreOffice writes <stem>.pdf
            docs.append(out / f"docx-{v}.docx")
            shutil.copy(sample(demo, variant_c, v, "docx"), docs[-1])
        for v, pdf in zip("ABCD", libreoffice_pdfs(docs, out), strict=True):
            made[f"docx-{v}"] = page_image(pdf, 1, out)

    def make(name: str) -> Image.Image:
        if name in made:
            return made[name]
        kind, _, rest = name.partition("-")
        if kind == "pdf" and rest in "ABCD":
            made[name] = page_image(sample(demo, variant_c, rest, "pdf"), 1, out)
        elif kind == "pdf":
            _spec, project = demo.find(*TWO_PAGES)
            made[name] = page_image(demo.path(project, "pdf"), int(rest[-1]), out)
        elif kind == "docx":
            docx_pages()
        elif kind == "disclosure":
            # The department also has its 2025 self-evaluations and its monitoring summary.
            [pdf] = (demo_disclosure.out / DISCLOSURE).rglob(f"{DISCLOSURE}2026年度项目支出绩效目标表.pdf")
            made[name] = page_image(pdf, DISCLOSURE_PAGES[rest], out)
        elif name == "html-print-A":
            made[name] = page_image(chromium_print(sample(demo, variant_c, "A", "html"), out), 1, out)
        elif name == "html-phone-A":
            made[name] = chromium_phone(sample(demo, variant_c, "A", "html"), out)
        return made[name]

    return make


# -- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_page_looks_like_its_reference(current: Callable[[str], Image.Image], name: str, tmp_path: Path) -> None:
    check_against_reference(name, current(name), tmp_path)


# (sample variant, rule appended to print.css): each breaks the page in a way a reader sees.
BROKEN = {
    "heavy-rules": ("A", "th, td { border-width: 1.5pt !important; }"),
    "amounts-break": ("D", "td.amount { white-space: normal !important; overflow-wrap: anywhere !important; "
                           "padding-left: 7mm !important; }"),
}


@pytest.mark.skipif(UPDATE, reason="updating the references")
@pytest.mark.parametrize("breakage", BROKEN)
def test_a_broken_stylesheet_is_caught(demo: DemoRender, tmp_path: Path, breakage: str) -> None:
    """A copy of the built-in templates with one rule added fails the comparison: table rules of
    1.5 pt instead of 0.75 pt, or amounts allowed to break inside the narrow 分值/得分 columns
    (the old stylesheet of the issue)."""
    variant, rule = BROKEN[breakage]
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_TEMPLATES, templates)
    css = templates / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + f"\n/* deliberately broken */\n{rule}\n", encoding="utf-8")
    spec, _project = demo.find(*SAMPLES[variant])
    code, _out, err = run_cli("render", spec, "--template", templates, "--format", "pdf", "-o", tmp_path / "out")
    assert (code, err) == (0, "")
    [pdf] = (tmp_path / "out").rglob("*.pdf")
    with Image.open(REFERENCES / f"pdf-{variant}.png") as img:
        reference = img.convert("L")
    broken = compare(reference, page_image(pdf, 1, tmp_path))
    assert not broken.passed, f"only {broken.share:.3%} differs"
    assert broken.share > 5 * MAX_SHARE  # well clear of the threshold, not just over it


def test_rasteriser_noise_is_tolerated(demo: DemoRender, tmp_path: Path) -> None:
    """What another machine's fonts and renderer versions do, imitated: the page drawn by another
    rasteriser (cairo, not poppler's splash), at 100 dpi, moved by a quarter millimetre (one
    pixel) and reduced to 50 dpi — glyph and rule edges fall differently. It passes, with room."""
    _spec, project = demo.find(*SAMPLES["D"])
    pdf = demo.path(project, "pdf")
    prefix = tmp_path / "cairo"
    subprocess.run(["pdftocairo", "-png", "-gray", "-r", str(2 * DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(prefix)], check=True, capture_output=True)
    ours = page_image(pdf, 1, tmp_path)
    with Image.open(prefix.with_suffix(".png")) as cairo:
        moved = Image.new("L", cairo.size, 255)
        moved.paste(cairo.convert("L"), (1, 1))
    result = compare(ours, moved.resize(ours.size, Image.Resampling.BOX))
    assert result.share < MAX_SHARE / 2, f"{result.share:.3%} differs"
