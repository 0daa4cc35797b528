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
"$bin" serve --bind 127.0.0.1:0 >"$tmp/out" 2>"$tmp/log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# The server prints its address once it listens.
for _ in $(seq 1 100); do
  grep -q 'http://' "$tmp/out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log"; exit 1; }
  sleep 0.1
done
address="$(grep -o 'http://[0-9.:]*' "$tmp/out" | head -1)"
echo "casegraph serve on $address (pid $pid)"
python3 tests/sparql_clients.py "$bin" "$address"
