"""Import PDFs: forms jixiao prints, the same forms printed by LibreOffice, disclosure documents.

Round trips: every demo spec → ``jixiao render --format pdf`` → import → the same spec, and
a sample of them → DOCX → LibreOffice's PDF (another layout engine) → import → the same
spec. "The same" is :func:`test_import_roundtrip.normalised` (amounts as numbers, computed
figures only where written, unprinted keys left out) and, for a PDF, text compared without
its whitespace: a PDF keeps lines, not paragraphs, and where a line wrapped at a space the
space is not there to read (docs/import.md, 「PDF」).

Also: a table continued over pages is joined, a disclosure document gives back its
projects, and hostile or unreadable PDFs are refused with a located message.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from conftest import run_cli
from jixiao.export import to_data
from jixiao.importer import import_files, limits
from jixiao.load.workspace import SpecFile, load_spec, load_workspace
from jixiao.model.vocab import FormKind
from jixiao.render import Renderer
from render_helpers import DemoRender
from test_import_roundtrip import normalised, unspaced

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "specs", ROOT / "tests" / "fixtures" / "variant_c"]
SPECS = [s for s in load_workspace(SOURCES).specs if s.project is not None]


def same(back: SpecFile, spec: SpecFile) -> None:
    assert back.project is not None and spec.project is not None, [d.format() for d in back.diagnostics]
    original = to_data(spec.project)
    assert unspaced(normalised(to_data(back.project), original)) == unspaced(normalised(original, original))


def _key(spec: SpecFile) -> tuple[str, str, str]:
    assert spec.project is not None
    return spec.project.unit, spec.project.name, spec.project.form.value


def imported_by_key(files: list[Path], out: Path) -> dict[tuple[str, str, str], tuple[str, SpecFile]]:
    report = import_files(files, out)
    assert report.failed_files == []
    found = {}
    for r in report.results:
        assert r.path is not None, (r.source, r.error)
        spec = load_spec(r.path)
        found[_key(spec)] = (r.status, spec)
        assert r.status == "clean", (r.source, [m.format() for m in r.remarks])
    return found


@pytest.fixture(scope="module")
def pdf_dir(demo: DemoRender, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``NNN.pdf`` and ``NNN.docx`` for ``SPECS[NNN]``: the demo's from the test run's one render, the others made here."""
    out = tmp_path_factory.mktemp("pdf")
    from_demo = {Path(spec).resolve(): project for spec, project in demo.projects}
    renderer = None
    for n, spec in enumerate(SPECS):
        project = from_demo.get(spec.path.resolve())
        if project is not None and demo.path(project, "pdf").is_file():
            shutil.copyfile(demo.path(project, "pdf"), out / f"{n:03d}.pdf")
            shutil.copyfile(demo.path(project, "docx"), out / f"{n:03d}.docx")
            continue
        renderer = renderer or Renderer()
        renderer.render(spec, ["pdf", "docx"], out, Path(f"{n:03d}"))
    return out


@pytest.fixture(scope="module")
def imported(pdf_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], tuple[str, SpecFile]]:
    return imported_by_key(sorted(pdf_dir.glob("*.pdf")), tmp_path_factory.mktemp("imported"))


def test_every_demo_spec_is_covered(imported: dict[tuple[str, str, str], tuple[str, SpecFile]]) -> None:
    assert len(SPECS) >= 82
    assert {s.project.form for s in SPECS if s.project} == set(FormKind)
    assert {_key(s) for s in SPECS} == set(imported)


@pytest.mark.parametrize("n", range(len(SPECS)), ids=[s.display for s in SPECS])
def test_pdf_round_trip(n: int, imported: dict[tuple[str, str, str], tuple[str, SpecFile]]) -> None:
    status, back = imported[_key(SPECS[n])]
    assert status == "clean"
    same(back, SPECS[n])


def test_tables_continued_over_pages_are_joined(pdf_dir: Path, tmp_path: Path) -> None:
    long = [p for p in sorted(pdf_dir.glob("*.pdf")) if len(pypdf.PdfReader(p).pages) > 1]
    assert len(long) >= 3  # the demo has forms whose indicator grid goes on to a second page
    report = import_files(long, tmp_path)
    # One table per file: the continuation (header row repeated, 「（续）」 labels) is the same table.
    assert [r.status for r in report.results] == ["clean"] * len(long)
    for path, result in zip(long, report.results, strict=True):
        assert result.source.startswith(f"{path} 第1页")
        n = int(path.stem)
        assert result.path is not None
        back = load_spec(result.path)
        same(back, SPECS[n])
        assert back.project is not None and SPECS[n].project is not None
        assert len(back.project.all_indicators()) == len(SPECS[n].project.all_indicators())


def _libreoffice_sample() -> list[int]:
    """One spec of every form kind and variant, and the longest grids (the ones that run over a page)."""
    chosen: dict[tuple[str, str], int] = {}
    for n, spec in enumerate(SPECS):
        assert spec.project is not None
        chosen.setdefault((spec.project.form.value, spec.project.effective_variant), n)
    longest = sorted(range(len(SPECS)), key=lambda n: -len(SPECS[n].project.all_indicators()))  # type: ignore[union-attr]
    return sorted(set(chosen.values()) | set(longest[:4]))


def test_forms_printed_by_libreoffice_import_back(pdf_dir: Path, tmp_path: Path) -> None:
    sample = _libreoffice_sample()
    assert len(sample) >= 6
    docx = [pdf_dir / f"{n:03d}.docx" for n in sample]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), *map(str, docx)],
                   check=True, capture_output=True, timeout=600)
    pdfs = [tmp_path / "lo" / f"{n:03d}.pdf" for n in sample]
    back = imported_by_key(pdfs, tmp_path / "ws")
    for n in sample:
        same(back[_key(SPECS[n])][1], SPECS[n])


def test_a_disclosure_document_gives_back_its_projects(tmp_path: Path) -> None:
    folder = ROOT / "specs" / "淞南镇主管单位" / "2023"
    code, _, stderr = run_cli("disclose", str(folder), "--format", "pdf", "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    [pdf] = list((tmp_path / "out").rglob("*.pdf"))
    report = import_files([pdf], tmp_path / "ws")
    specs = [s for s in load_workspace([folder]).specs if s.project is not None]
    assert report.failed_files == []
    assert [r.status for r in report.results] == ["clean"] * len(specs), [
        [m.format() for m in r.remarks] for r in report.results]
    # Cover, contents and the summary table are not project tables: listed, never read as data.
    outside = {r.text for r in report.remarks}
    assert {"目录", "项目汇总", "序号"} <= outside
    assert not any(re.fullmatch(r"第\d+页共\d+页", t) for t in outside)  # page numbers are the pages'
    back = {load_spec(r.path).project.name: load_spec(r.path) for r in report.results if r.path}  # type: ignore[union-attr]
    for spec in specs:
        assert spec.project is not None
        same(back[spec.project.name], spec)



def test_a_monitoring_summary_gives_back_its_monitoring_forms(tmp_path: Path) -> None:
    # 监控情况汇总: a summary table of execution rates, then every monitoring form of the unit.
    folder = ROOT / "specs" / "闵行区浦江镇人民政府" / "2026" / "浦江镇司法所"
    code, _, stderr = run_cli("disclose", str(folder), "--format", "pdf", "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    [pdf] = list((tmp_path / "out").rglob("*监控情况汇总.pdf"))
    report = import_files([pdf], tmp_path / "ws")
    specs = [s for s in load_workspace([folder]).specs if s.project is not None and s.project.form is FormKind.MONITOR]
    assert len(specs) == 7
    assert report.failed_files == []
    assert [r.status for r in report.results] == ["clean"] * len(specs), [
        [m.format() for m in r.remarks] for r in report.results]
    assert all(r.path is not None and r.path.name.endswith("-监控.yaml") for r in report.results)
    outside = {r.text for r in report.remarks}
    assert {"2026年度运行监控", "1-7月执行率"} <= outside  # the cover and the summary's head: not data
    back = {load_spec(r.path).project.name: load_spec(r.path) for r in report.results if r.path}  # type: ignore[union-attr]
    for spec in specs:
        assert spec.project is not None
        same(back[spec.project.name], spec)


# -- refusals -----------------------------------------------------------------------------------------


def _refusal(path: Path, tmp_path: Path) -> str:
    report = import_files([path], tmp_path / "ws")
    assert report.results == [] and len(report.failed_files) == 1, report.failed_files
    return report.failed_files[0]


def test_a_scan_without_text_is_refused_with_ocr_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (600, 800), "white").save("扫描件.pdf")
    code, stdout, stderr = run_cli("import", "扫描件.pdf", "-o", "ws")
    assert (code, stderr) == (1, "")
    assert stdout.splitlines() == [
        "失败 扫描件.pdf：PDF 里没有文字（有图片，多半是扫描件）；jixiao 不识别图片里的文字；"
        "请先用 OCR 工具（如 WPS、Adobe Acrobat 或 ocrmypdf）转成带文字的 PDF 或 Word 文档再导入",
        "",
        "找到 0 张表：0 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖；1 个文件无法导入。",
    ]


def test_a_truncated_pdf_is_reported_not_crashed(pdf_dir: Path, tmp_path: Path) -> None:
    data = (pdf_dir / "000.pdf").read_bytes()
    broken = tmp_path / "截断.pdf"
    broken.write_bytes(data[: len(data) // 3])
    message = _refusal(broken, tmp_path)
    assert message.startswith(f"{broken}："), message
    assert "Traceback" not in message


def test_a_pdf_with_a_password_is_refused(pdf_dir: Path, tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=pdf_dir / "000.pdf")
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "加密.pdf"
    with locked.open("wb") as f:
        writer.write(f)
    assert _refusal(locked, tmp_path) == f"{locked}：PDF 加了密码，不能读取；请先取消密码再导入"


def _pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is ``content``, deflated."""
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_compression_bomb_in_a_page_is_refused_before_it_is_decoded(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PAGE_CONTENT_BYTES", 1024 * 1024)
    bomb = tmp_path / "炸弹.pdf"
    bomb.write_bytes(_pdf_with_content(b" " * (8 * 1024 * 1024)))  # 8 MB of blanks: a few KB deflated
    assert bomb.stat().st_size < 64 * 1024
    assert _refusal(bomb, tmp_path) == (f"{bomb} 第1页：页面内容解压后超过上限 {1024 * 1024} 字节（可能是压缩炸弹），"
                                        "不像一页绩效表格")


def test_too_many_pages_are_refused(pdf_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long = next(p for p in sorted(pdf_dir.glob("*.pdf")) if len(pypdf.PdfReader(p).pages) > 1)
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 1)
    assert _refusal(long, tmp_path) == f"{long}：有 {len(pypdf.PdfReader(long).pages)} 页，超过上限 1 页；请把文件分成几份导入"


def test_a_page_of_too_many_characters_is_refused(pdf_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PAGE_CHARS", 100)
    source = pdf_dir / "000.pdf"
    message = _refusal(source, tmp_path)
    assert re.fullmatch(rf"{re.escape(str(source))} 第1页：有 \d+ 个字符，超过上限 100 个，不像一页绩效表格", message), message
