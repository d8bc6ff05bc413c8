#!/usr/bin/env bash
# Quick start 1: set up, check the demo workspace in specs/, and build its tables into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/jixiao check specs/
.venv/bin/jixiao render specs/ --format html,pdf -o output/ >/dev/null
echo "表格已生成到 output/（$(find output -name '*.pdf' | wc -l) 个 PDF，$(find output -name '*.html' | wc -l) 个 HTML）"
