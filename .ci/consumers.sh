#!/usr/bin/env bash
# Feeds the graph exports to their real consumers: NetworkX reads the GraphML and the
# node-link JSON, the Neo4j CSV files pass a header and referential-integrity check, and
# Graphviz renders `casegraph render`'s drawing. Run from anywhere after `cargo build`:
#   bash .ci/consumers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"
bin="$CARGO_TARGET_DIR/debug/casegraph"
[ -x "$bin" ] || cargo build --locked --quiet

if ! python3 -c 'import networkx' 2>/dev/null; then
  python3 -m pip install --quiet networkx
fi
python3 -c 'import networkx; print("networkx", networkx.__version__)'

cases=(tests/fixtures/mini)
if [ -d data ]; then cases+=(.); fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for case in "${cases[@]}"; do
  python3 tests/consumers.py "$bin" "$case"
  if command -v dot >/dev/null 2>&1; then
    "$bin" -C "$case" render --out "$tmp/case.svg"
    grep -q '<svg' "$tmp/case.svg"
    "$bin" -C "$case" render --out "$tmp/case.png"
    echo "ok $case: Graphviz rendered SVG ($(wc -c <"$tmp/case.svg") bytes) and PNG"
  fi
done
