"""The disclosure PDF assembled from parts (bundle/parts.py, bundle/pdfmerge.py), issue 16.

A small department (three projects in two units) is disclosed through the command line,
then compared with the same document laid out whole by WeasyPrint, as every PDF was
before: the same pages pixel for pixel (but the contents, whose dots are drawn another
way), the same text, bookmarks, named destinations and contents links, each font
embedded once, the file not much larger. The build cache
is then exercised: a warm cache, an empty one and ``-j 1`` give the same bytes, and an
edit lays out its own part again, no other.
"""

from __future__ import annotations

import io
import pickle
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, replace_once, run_cli
from jixiao.bundle import plan
from jixiao.bundle.html_pdf import disclosure_html, laid_out
from jixiao.bundle.parts import (
    PARTS_MARK,
    LaidOut,
    assemble,
    foreseen_front,
    lay_out,
    parts_before_contents,
    project_parts,
    unpack,
)
from jixiao.cache import CACHE_DIR_NAME, key_of
from jixiao.jobs import Workers
from jixiao.load.workspace import load_workspace
from jixiao.render import Renderer
from jixiao.render.pdf import get_ready
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import pdftotext, rasterise


def project(name: str, unit: str = "浦江镇社区党群服务中心", goal: str | None = None) -> str:
    text = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", f"项目名称: {name}")
    text = replace_once(text, "实施单位: 浦江镇社区党群服务中心", f"实施单位: {unit}")
    if goal is not None:
        lines = [f"年度总体目标: {goal}" if line.startswith("年度总体目标: ") else line for line in text.splitlines()]
        text = "\n".join(lines) + "\n"
    return text


WORKSPACE = {
    "d/_defaults.yaml": PUJIANG_DEFAULTS,
    "d/a/a1.yaml": project("残保金甲"),
    "d/a/a2.yaml": project("人才活动经费"),
    "d/b/b1.yaml": project("平安建设经费", unit="浦江镇平安建设办公室"),
}


def disclose(*args: str | Path) -> Path:
    code, out, err = run_cli("disclose", "d", "--format", "pdf", *args)
    assert (code, err) == (0, ""), out
    [pdf] = [p for p in Path(args[args.index("-o") + 1]).rglob("*.pdf")]
    return pdf


def numbered(text: str, n: int, total: int) -> bool:
    """Whether ``text`` holds "第 n 页 共 total 页" (pdftotext -layout keeps or drops its spaces)."""
    return re.search(rf"第\s*{n}\s*页\s*共\s*{total}\s*页", text) is not None


def whole_pdf(tmp: Path) -> Path:
    """The document laid out as one WeasyPrint document (every PDF before issue 16)."""
    renderer = Renderer()
    [d] = plan(load_workspace([Path("d")]))
    path = tmp / "whole.pdf"
    path.write_bytes(renderer.pdf_bytes(disclosure_html(d, renderer)))
    return path


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int, float, float]]:
    """(depth, title, page, left, top) of every bookmark, in order."""
    out = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                dest = item  # a pypdf Destination
                out.append((depth, str(dest.title), reader.get_destination_page_number(dest) + 1,  # type: ignore[arg-type]
                            round(float(dest.left), 2), round(float(dest.top), 2)))  # type: ignore[attr-defined]
    walk(reader.outline, 0)
    return out


def links(reader: pypdf.PdfReader) -> list[tuple[int, str, tuple[float, ...]]]:
    """(page, destination name, rectangle) of every link annotation."""
    out = []
    for n, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots", ()):
            annot = ref.get_object()
            out.append((n, str(annot.get("/Dest")), tuple(round(float(v), 2) for v in annot["/Rect"])))
    return out


def areas(found: list[tuple[int, str, tuple[float, ...]]]) -> dict[tuple[int, str], tuple[float, ...]]:
    """The rectangle around all link annotations to one destination on one page (WeasyPrint
    writes one for each box of a link: its text, its ::after …)."""
    out: dict[tuple[int, str], tuple[float, ...]] = {}
    for page, dest, (x0, y0, x1, y1) in found:
        left, bottom, right, top = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
        if (page, dest) in out:
            a, b, c, d = out[page, dest]
            left, bottom, right, top = min(a, left), min(b, bottom), max(c, right), max(d, top)
        out[page, dest] = (left, bottom, right, top)
    return out


def destinations(reader: pypdf.PdfReader) -> dict[str, int]:
    return {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


def font_files(reader: pypdf.PdfReader) -> tuple[int, int]:
    """How many fonts the pages use (by name), and how many font programs the file holds."""
    names, programs = set(), set()
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            names.add(str(name))
            descendant = ref.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            key = next(k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor)
            programs.add(descriptor.raw_get(key).idnum)
    return len(names), len(programs)


def test_parts_merge_to_the_document_laid_out_whole(write_specs, tmp_path: Path) -> None:
    write_specs(WORKSPACE)
    merged = disclose("-o", "out", "--no-cache", "-j", "1")
    whole = whole_pdf(tmp_path)
    ours, theirs = pypdf.PdfReader(merged), pypdf.PdfReader(whole)
    assert len(ours.pages) == len(theirs.pages) == 3 + 3  # cover, contents, summary; a page per table
    for n in range(1, len(ours.pages) + 1):
        if n == 2:  # the contents: the whole document's dots are leader("."), text; the parts' a background
            leader = re.compile(r"\.+")
            assert [w for w in pdftotext(whole, first=n, last=n).split() if not leader.fullmatch(w)] == \
                pdftotext(merged, first=n, last=n).split()
            continue
        assert pdftotext(merged, first=n, last=n) == pdftotext(whole, first=n, last=n), n
        assert rasterise(merged, n, tmp_path, dpi=50) == rasterise(whole, n, tmp_path, dpi=50), n
    assert numbered(pdftotext(merged, first=6, last=6, mode="-layout"), 6, 6)
    assert outline(ours) == outline(theirs)
    assert [t for _, t, *_ in outline(ours)] == ["目\u3000录", "项目汇总", "浦江镇社区党群服务中心", "残保金甲",
                                                 "人才活动经费", "浦江镇平安建设办公室", "平安建设经费"]
    assert destinations(ours) == destinations(theirs) == {"contents": 2, "summary": 3, "p-1": 4, "p-2": 5, "p-3": 6}
    # The same links, each over its whole line (in parts, the name, dots and number are one block).
    assert {(n, d) for n, d, _ in links(ours)} == {(n, d) for n, d, _ in links(theirs)}
    assert {d for _, d, _ in links(ours)} == {"summary", "p-1", "p-2", "p-3"}
    ours_areas, theirs_areas = areas(links(ours)), areas(links(theirs))
    for where, (left, bottom, right, top) in theirs_areas.items():
        o_left, o_bottom, o_right, o_top = ours_areas[where]
        assert o_left <= left + 1 and o_right >= right - 1 and abs(o_bottom - bottom) < 3 and abs(o_top - top) < 3, where
    assert ours.metadata == theirs.metadata and ours.trailer["/Root"]["/Lang"] == "zh-CN"
    fonts, programs = font_files(ours)
    assert fonts == programs == font_files(theirs)[1]  # each font embedded once, as in one document
    # … and no other font in the file: not one of a part's (no glyph data), left in the
    # resources of a pattern (the contents' dots are one) or a form.
    listed = subprocess.run(["pdffonts", str(merged)], capture_output=True, text=True, check=True)
    assert listed.stderr == "" and len(listed.stdout.splitlines()) == 2 + programs, listed
    assert merged.stat().st_size <= 1.3 * whole.stat().st_size


def test_warm_cache_empty_cache_and_one_job_give_the_same_bytes(write_specs) -> None:
    write_specs(WORKSPACE)
    cold = disclose("-o", "out", "-j", "2").read_bytes()
    # Keep the laid-out parts, drop the assembled PDF: the next build merges from the cache.
    renderer = Renderer(cache_dir=Path("out") / CACHE_DIR_NAME)
    [d] = plan(load_workspace([Path("d")]))
    units = laid_out(d, renderer)  # the PDF's key: its parts and front matter (bundle/write.py)
    made_of = [*parts_before_contents(d, units, renderer), *foreseen_front(d, units, renderer)]
    final = key_of(renderer.identity, "bundle.pdf", key_of(*made_of))
    entry = renderer.cache._path(final) if renderer.cache else None
    assert entry is not None and entry.is_file()
    entry.unlink()
    warm = disclose("-o", "out", "-j", "2").read_bytes()
    single = disclose("-o", "single", "--no-cache", "-j", "1").read_bytes()
    assert warm == cold and single == cold


def part_keys(renderer: Renderer) -> list[str]:
    [d] = plan(load_workspace([Path("d")]))
    parts = project_parts(d, laid_out(d, renderer), renderer)
    return [key_of(renderer.identity, "bundle.part", key_of(html)) for html in parts]


def test_an_edit_lays_out_its_own_part_again_and_no_other(write_specs) -> None:
    write_specs(WORKSPACE)
    disclose("-o", "out", "-j", "1")
    renderer = Renderer(cache_dir=Path("out") / CACHE_DIR_NAME)
    cache = Path("out") / CACHE_DIR_NAME
    # An entry written again is a new file (written atomically: a new inode); one that was only
    # used has a new modification time (the cache's record of its last use) but the same inode.
    before = {p.name: p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    old = part_keys(renderer)
    assert set(old) <= set(before)
    Path("d/a/a2.yaml").write_text(project("人才活动经费", goal="人才活动按期举办（已修改）"), encoding="utf-8")
    pdf = disclose("-o", "out", "-j", "2")
    new = part_keys(renderer)
    after = {p.name: p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    assert [n for n, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [1]  # the second project
    # The other parts are neither laid out nor written again.
    assert all(after[k] == before[k] for k in new if k in before) and new[1] in after
    text = pdftotext(pdf, mode="-layout")
    assert "（已修改）" in text and numbered(text, 6, 6)


def test_a_template_without_parts_is_laid_out_whole(write_specs, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_TEMPLATES, templates)
    page = templates / "disclosure.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace(PARTS_MARK, "whole"), encoding="utf-8")
    write_specs(WORKSPACE)
    pdf = disclose("-o", "out", "--template", templates)
    texts = [pdftotext(pdf, first=n, last=n, mode="-layout") for n in range(1, 7)]
    assert all(numbered(t, n, 6) for n, t in enumerate(texts, 1))
    assert pdf.read_bytes() == whole_pdf(tmp_path).read_bytes()  # the marker is in a comment: same HTML


def test_a_weasyprint_without_the_font_hooks_lays_the_document_out_whole(write_specs, tmp_path: Path,
                                                                       monkeypatch) -> None:
    # Another WeasyPrint, where render/pdf.py does not find build_fonts_dictionary: every
    # part says it cannot be merged, and the document is laid out whole, as it was before.
    import jixiao.render.pdf

    monkeypatch.setattr(jixiao.render.pdf, "parts_supported", lambda: False)
    write_specs(WORKSPACE)
    pdf = disclose("-o", "out", "--no-cache", "-j", "1")
    assert pdf.read_bytes() == whole_pdf(tmp_path).read_bytes()


def test_dash_page_numbers_are_stamped(write_specs) -> None:
    write_specs(WORKSPACE)
    pdf = disclose("-o", "out", "--page-style", "-N-")
    texts = [pdftotext(pdf, first=n, last=n, mode="-layout") for n in range(1, 7)]
    # pdftotext drops the thin spaces of "- 3 -"
    assert all(re.search(rf"(?m)^\s*-\s*{n}\s*-\s*$", t) for n, t in enumerate(texts, 1)), texts


def test_the_contents_and_page_numbers_are_foreseen_right_and_laid_out_with_the_parts(write_specs) -> None:
    write_specs(WORKSPACE)
    renderer = Renderer()
    [d] = plan(load_workspace([Path("d")]))
    units = laid_out(d, renderer)
    parts, front = parts_before_contents(d, units, renderer), foreseen_front(d, units, renderer)
    asked: list[str] = []

    def lay(html: str) -> LaidOut:
        asked.append(html)
        return unpack(lay_out(renderer, html))

    with Workers(1, get_ready) as workers:
        assemble(d, units, renderer, parts, lay, workers)
    assert asked == [*parts, *front]  # nothing laid out after the parts but what was foreseen


def test_contents_foreseen_wrong_are_laid_out_again(write_specs) -> None:
    write_specs(WORKSPACE)
    right = disclose("-o", "a", "--no-cache", "-j", "1").read_bytes()
    renderer = Renderer(cache_dir=Path("b") / CACHE_DIR_NAME)
    [d] = plan(load_workspace([Path("d")]))
    assert renderer.cache is not None
    # A hint from a build when the summary and the contents were longer.
    renderer.cache.put(key_of("document lengths", d.department, str(d.year), d.phase, d.title),
                       b'{"front": 4, "summary": 3}')
    wrong = laid_out(d, renderer)
    assert foreseen_front(d, wrong, renderer) != foreseen_front(d, wrong, Renderer())
    assert disclose("-o", "b", "-j", "2").read_bytes() == right


def test_damaged_cache_entries_of_a_bundle_are_made_again_never_used(write_specs) -> None:
    write_specs(WORKSPACE)
    first = disclose("-o", "out", "-j", "2").read_bytes()
    entries = [p for p in (Path("out") / CACHE_DIR_NAME).rglob("*") if p.is_file()]
    assert len(entries) > 8  # the parts, the front matter, the fonts, the PDF, the lengths hint
    for entry in entries:  # one byte of every payload changed: its digest no longer matches
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert disclose("-o", "out", "-j", "2").read_bytes() == first


def _tiny_pdf(text: str) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_readers_keep_what_they_read_up_to_their_limit() -> None:
    from jixiao.bundle.pdfmerge import Readers

    first, second, third = (_tiny_pdf(t) for t in ("一", "二", "三"))
    readers = Readers(limit=len(first) + len(second))
    kept = readers.read(first)
    assert readers.read(bytes(first)) is kept  # by content, not by object
    readers.read(second)
    readers.read(first)  # used again: the most recently used
    readers.read(third)  # over the limit: the least recently used (second) dropped
    assert readers.read(first) is kept
    assert readers.read(second) is not readers.read(third)
    none = Readers(limit=0)
    assert none.read(first) is not none.read(first)  # 0: nothing kept


def test_a_renderer_sent_to_a_worker_is_made_again_when_its_templates_change(tmp_path: Path) -> None:
    """A worker that outlives a template edit (the preview's) lays out with the new templates
    and keys its cache entries as the process that sent the work does."""
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_TEMPLATES, templates)
    before = Renderer(templates)
    assert pickle.loads(pickle.dumps(before)) is pickle.loads(pickle.dumps(before))  # made once a process
    css = templates / "disclosure.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.cover { color: #111; }\n", encoding="utf-8")
    after = Renderer(templates)
    assert after.identity != before.identity
    rebuilt = pickle.loads(pickle.dumps(after))
    assert rebuilt.identity == after.identity and rebuilt is not pickle.loads(pickle.dumps(before))


BOTH = ("disclose", "d", "--format", "pdf,html,docx", "-o", "out", "-q")


def outputs() -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_ino, p.read_bytes()) for p in sorted(Path("out").glob("*/*/*.*"))}


def test_an_unchanged_document_is_written_from_the_cache_without_laying_anything_out(
        write_specs, monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao.bundle.write as write

    write_specs(WORKSPACE)
    assert run_cli(*BOTH, "-j", "2")[0] == 0
    before = outputs()
    assert len(before) == 3
    monkeypatch.setattr(write, "laid_out", lambda *args: pytest.fail("a table laid out again"))
    started: list[tuple[str, ...]] = []
    real = write.disclosure_workers
    monkeypatch.setattr(write, "disclosure_workers",
                        lambda formats, *args: started.append(tuple(formats)) or real(formats, *args))
    assert run_cli(*BOTH, "-j", "2")[:2] == (0, "共生成 3 个文件（1 份公开文档）。\n")
    assert started == [()] and outputs() == before  # no worker started, no file written again


@pytest.mark.parametrize("change", ["date", "defaults", "spec", "published"])
def test_any_source_of_a_document_changed_makes_it_again(write_specs, change: str) -> None:
    """What the document is made from: its options, its specs (which ones too: an excluded
    project made public) and their _defaults.yaml files. (jixiao's code, templates and fonts
    are in every key: tests/test_cache.py.)"""
    write_specs({**WORKSPACE, "d/b/b2.yaml": project("不公开的项目", unit="浦江镇平安建设办公室") + "公开: false\n"})
    assert run_cli(*BOTH)[0] == 0
    before = outputs()
    extra: tuple[str, ...] = ()
    if change == "date":
        extra = ("--date", "2026-01-20")
    elif change == "defaults":
        Path("d/_defaults.yaml").write_text(PUJIANG_DEFAULTS + "页码样式: -N-\n", encoding="utf-8")
    elif change == "spec":
        Path("d/a/a2.yaml").write_text(project("人才活动经费", goal="人才活动按期举办（已修改）"), encoding="utf-8")
    else:
        Path("d/b/b2.yaml").write_text(project("不公开的项目", unit="浦江镇平安建设办公室"), encoding="utf-8")
    assert run_cli(*BOTH, *extra)[0] == 0
    after = outputs()
    html = next(p for p in after if p.suffix == ".html")
    assert after[html][1] != before[html][1]  # the document as it now is
    fresh = Path("fresh")
    assert run_cli(*BOTH[:-3], "-o", fresh, "-q", "--no-cache", *extra)[0] == 0
    assert {p.name: data for p, (_, data) in after.items()} == {p.name: p.read_bytes() for p in fresh.glob("*/*/*.*")}


def test_a_damaged_or_forged_record_of_a_document_is_not_used(write_specs, monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao.bundle.write as write

    write_specs(WORKSPACE)
    pdf = disclose("-o", "out")
    good = pdf.read_bytes()
    renderer = Renderer(cache_dir=Path("out") / CACHE_DIR_NAME)
    [d] = plan(load_workspace([Path("d")]))
    sources = d.sources()
    assert renderer.cache is not None and sources is not None
    record = renderer.cache_key("bundle.pdf.made", sources)
    outside = Path("outside")
    outside.write_bytes(b"x")
    laid: list[object] = []
    real = write.laid_out
    monkeypatch.setattr(write, "laid_out", lambda *args: laid.append(args) or real(*args))
    for forged in (b"not json", b'{"entry": "../../../outside", "uses": []}', b'["a"]'):
        renderer.cache.put(record, forged)
        pdf.unlink()
        assert disclose("-o", "out").read_bytes() == good
    assert len(laid) == 3  # made the long way each time (its parts from the cache)


def test_a_part_is_written_without_object_streams_its_streams_compressed() -> None:
    """pypdf reads it back four times faster when merging (render/pdf.py _no_object_streams)."""
    from jixiao.render.pdf import lay_out_part

    html = "<!DOCTYPE html><html><body><p>项目汇总 123</p></body></html>"
    pdf, meta = lay_out_part(html, str(BUILTIN_TEMPLATES))
    assert meta["pages"] == 1 and b"/ObjStm" not in pdf and b"/FlateDecode" in pdf
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    import pydyf

    assert pydyf.PDF.write.__name__ == "write" and pydyf.PDF.write.__qualname__.startswith("PDF.")  # put back
