"""Rewrite the pictures of the forms from the current output: the visual regression
references in tests/visual/references/ and the README's pictures in docs/images/.

    .venv/bin/python scripts/update_visual_refs.py

Runs tests/visual with ``JIXIAO_UPDATE_VISUAL=1``: each page is rendered, rasterised and
written over its reference instead of being compared with it; then, if that passed,
scripts/make_doc_images.py draws docs/images/ from the same demo specs. Look at the
changed PNGs (``git diff --stat``, GitHub's image diff) before committing them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import make_doc_images  # scripts/ is on sys.path when this file is run

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = {**os.environ, "JIXIAO_UPDATE_VISUAL": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/visual", "-q", "-p", "no:cacheprovider",
                           *sys.argv[1:]], cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        return done.returncode
    refs = sorted((ROOT / "tests" / "visual" / "references").glob("*.png"))
    size = sum(p.stat().st_size for p in refs)
    print(f"已更新 tests/visual/references/ 下的 {len(refs)} 张参考图（共 {size / 1024:.0f} KB）")
    make_doc_images.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
