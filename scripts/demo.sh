#!/usr/bin/env bash
# Quick start 1: set up, check the demo workspace in specs/, and build everything into output/:
# every table as HTML, PDF and DOCX, and each department's disclosure documents.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/jixiao check specs/
.venv/bin/jixiao render specs/ --format html,pdf,docx -o output/   # a count on a terminal, a line per file in a log
.venv/bin/jixiao disclose specs/ --format pdf,docx,html -o output/
echo "已生成到 output/：$(find output -name '*.pdf' | wc -l) 个 PDF，$(find output -name '*.docx' | wc -l) 个 DOCX，$(find output -name '*.html' | wc -l) 个 HTML"
