"""Build the Word shells of the built-in variants from their variant.yaml.

    .venv/bin/python scripts/build_docx_templates.py [TEMPLATE_DIR]

Writes src/jixiao/templates/variants/<表样>/shell.docx: page setup, styles, title and
year line with docxtpl placeholders (see jixiao.render.docx_shell). The output
is deterministic, so a rebuild that changes nothing leaves git clean;
tests/test_docx.py fails when a checked-in shell differs from what this builds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jixiao.render.docx_shell import build_shell
from jixiao.render.variant import BUILTIN_TEMPLATES, load_variant


def main(template_dir: Path = BUILTIN_TEMPLATES) -> None:
    for folder in sorted((template_dir / "variants").iterdir()):
        if (folder / "variant.yaml").is_file():
            shell = folder / "shell.docx"
            shell.write_bytes(build_shell(load_variant(template_dir, folder.name)))
            print(f"wrote {shell}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BUILTIN_TEMPLATES)
