"""Regenerate the pictures in docs/images/ from the demo specs, as the README shows them.

Run by scripts/update_visual_refs.py after the visual references (one command for every
picture of the forms); on its own: ``.venv/bin/python scripts/make_doc_images.py``.

Each variant's sample table is rendered to PDF (page 1) and to DOCX, which
LibreOffice prints to PDF (page 1); the 浦江镇 disclosure PDF gives the cover,
contents, summary and a table page. Pages are rasterised with ``pdftoppm -r 80``
(poppler-utils and LibreOffice come with ``scripts/setup.sh --dev``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
# variant → (spec file, as the README's table shows it)
SAMPLES = {
    "A": ROOT / "specs/闵行区浦江镇人民政府/2026/闵行区浦江镇平安建设办公室/安保经费.yaml",
    "B": ROOT / "specs/闵行区浦江镇人民政府/2026/浦江镇信访办/劝导队经费.yaml",
    "C": ROOT / "tests/fixtures/variant_c/科技设备购置费.yaml",
    "D": ROOT / "specs/淞南镇主管单位/2023/上海市宝山区淞南镇城市运行管理中心/综治中心事务.yaml",
    "E": ROOT / "tests/fixtures/variant_e/劝导队经费.yaml",
    "M": ROOT / "specs/闵行区浦江镇人民政府/2026/浦江镇司法所/社区矫正安置帮教-监控.yaml",
}
DISCLOSURE = ROOT / "specs/闵行区浦江镇人民政府/2026"
# The department folder holds several documents (targets, monitoring summary): the targets'.
DISCLOSURE_NAME = "闵行区浦江镇人民政府2026年度项目支出绩效目标表.pdf"
# picture → page of the disclosure PDF
DISCLOSURE_PAGES = {"disclosure-cover": 1, "disclosure-contents": 2, "disclosure-summary": 4,
                    "disclosure-table": 6}


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def page_png(pdf: Path, page: int, name: str) -> None:
    """Page ``page`` of ``pdf`` as docs/images/NAME.png at 80 dpi."""
    with tempfile.TemporaryDirectory() as tmp:
        run("pdftoppm", "-png", "-r", "80", "-f", page, "-l", page, "-singlefile", pdf, Path(tmp) / "page")
        shutil.copy(Path(tmp) / "page.png", IMAGES / f"{name}.png")


def only(folder: Path, suffix: str) -> Path:
    [found] = sorted(folder.rglob(f"*{suffix}"))
    return found


def main() -> None:
    jixiao = [sys.executable, "-m", "jixiao"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for variant, spec in SAMPLES.items():
            folder = out / variant
            run(*jixiao, "render", spec, "--format", "pdf,docx", "-o", folder, "-j", "1", "-q")
            page_png(only(folder, ".pdf"), 1, f"variant-{variant}")
            converted = folder / "converted"
            run("soffice", "--headless", "--convert-to", "pdf", "--outdir", converted, only(folder, ".docx"))
            page_png(only(converted, ".pdf"), 1, f"docx-variant-{variant}")
        run(*jixiao, "disclose", DISCLOSURE, "--format", "pdf", "-o", out / "disclosure", "-j", "1")
        [document] = (out / "disclosure").rglob(DISCLOSURE_NAME)
        for name, page in DISCLOSURE_PAGES.items():
            page_png(document, page, name)
    print(f"已更新 {IMAGES.relative_to(ROOT)}/ 下的 {len(SAMPLES) * 2 + len(DISCLOSURE_PAGES)} 张图")


if __name__ == "__main__":
    main()
