#!/usr/bin/env bash
# Feeds the graph exports to their real consumers: NetworkX reads the GraphML, the GEXF and
# the node-link JSON, xmllint reads the GEXF, the Neo4j CSV files pass a header and
# referential-integrity check, and Graphviz renders `casegraph render`'s drawing. Run from
# anywhere after `cargo build`:
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
  # Well-formedness only: the GEXF 1.3 XSD is published on gexf.net, which CI cannot reach,
  # and no Debian or PyPI package ships a copy of it. The structure is checked by NetworkX
  # above and by the tests' parse of the fixture (tests/graph_formats.rs).
  "$bin" -C "$case" export --format gexf --out "$tmp/case.gexf"
  xmllint --noout "$tmp/case.gexf"
  echo "ok $case: xmllint reads the GEXF as well-formed XML ($(wc -c <"$tmp/case.gexf") bytes)"
  if command -v dot >/dev/null 2>&1; then
    "$bin" -C "$case" render --out "$tmp/case.svg"
    grep -q '<svg' "$tmp/case.svg"
    "$bin" -C "$case" render --out "$tmp/case.png"
    echo "ok $case: Graphviz rendered SVG ($(wc -c <"$tmp/case.svg") bytes) and PNG"
  fi
done
