#!/usr/bin/env bash
# Quick start 1: set up, then check the demo workspace in specs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/jixiao check specs/
