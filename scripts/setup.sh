#!/usr/bin/env bash
# Set up everything jixiao needs, on a fresh Debian/Ubuntu machine or an existing checkout.
#   bash scripts/setup.sh          runtime: system packages + .venv with jixiao
#   bash scripts/setup.sh --dev    also the test and lint tools
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# System packages the project needs (one per line in scripts/apt-packages.txt; the tests
# need scripts/apt-packages-dev.txt as well).
lists=(scripts/apt-packages.txt)
[ $dev = 1 ] && lists+=(scripts/apt-packages-dev.txt)
missing=()
while read -r pkg; do
  pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
  [ -z "$pkg" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < <(cat "${lists[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    say "missing system packages: ${missing[*]} — run as root or: sudo apt-get install ${missing[*]}"
    exit 1
  else
    say "not a Debian/Ubuntu machine; make sure these are installed: ${missing[*]}"
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  say "jixiao needs Python 3.11 or newer; found: $("$python" --version 2>&1 || echo none)"
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$python" -m venv .venv
fi

extra=""
[ $dev = 1 ] && extra="[dev]"
stamp=".venv/.jixiao-installed$extra"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing jixiao$extra into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".$extra"
  echo "$want" > "$stamp"
fi
say "ready: .venv/bin/jixiao"
