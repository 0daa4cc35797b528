#!/usr/bin/env bash
# The pages of `casegraph serve`, and the static site of `casegraph site` opened from disk, in
# a real browser: Debian's Chromium (installed by .ci/run when missing) driven by Python's
# Playwright, from a venv under ~/.cache. Playwright never downloads a browser here (no
# `playwright install`): it is pointed at /usr/bin/chromium.
# Screenshots go to ~/.cache/casegraph-artifacts/browser/ (override with ARTIFACTS=DIR).
# Run from anywhere after `cargo build`:  bash .ci/browser.sh [DOCS_IMAGE]
# (DOCS_IMAGE, e.g. docs/images/entity-page.png, gets the entity page's screenshot.)
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"
bin="$CARGO_TARGET_DIR/debug/casegraph"
[ -x "$bin" ] || cargo build --locked --quiet
[ -x /usr/bin/chromium ] || { echo "browser.sh: /usr/bin/chromium is missing (apt-get install chromium)"; exit 2; }

venv="$HOME/.cache/casegraph-browser-venv"
if ! "$venv/bin/python" -c 'import playwright' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check playwright
fi
"$venv/bin/python" -c 'from importlib.metadata import version; print("playwright", version("playwright"))'
/usr/bin/chromium --version 2>/dev/null || true

artefacts="${ARTIFACTS:-$HOME/.cache/casegraph-artifacts/browser}"
rm -f "$artefacts"/*.png
tmp="$(mktemp -d)"
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
. .ci/serve.sh
serve_case "$bin" "$tmp"
"$bin" site --out "$tmp/site" >/dev/null
"$venv/bin/python" tests/browser/pages.py "$address/" "$tmp/site" "$artefacts" "$@"
