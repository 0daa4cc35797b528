#!/usr/bin/env bash
# Third-party SPARQL clients read `casegraph serve`: Python's SPARQLWrapper and rdflib's
# SPARQLStore, against a server started here on a free loopback port and stopped by pid.
# Run from anywhere after `cargo build`:  bash .ci/sparql-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"
bin="$CARGO_TARGET_DIR/debug/casegraph"
[ -x "$bin" ] || cargo build --locked --quiet

if ! python3 -c 'import SPARQLWrapper, rdflib' 2>/dev/null; then
  python3 -m pip install --quiet sparqlwrapper rdflib
fi
python3 -c 'import SPARQLWrapper, rdflib; print("SPARQLWrapper", SPARQLWrapper.__version__, "rdflib", rdflib.__version__)'

tmp="$(mktemp -d)"
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
. .ci/serve.sh
serve_case "$bin" "$tmp"
python3 tests/sparql_clients.py "$bin" "$address"
