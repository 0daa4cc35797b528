#!/usr/bin/env bash
# `casegraph push` of the synthetic case to real SPARQL stores, side by side in one run with each
# engine's own bulk loader on the same data (issue #12, point 5: target within 2x of the loader).
#
#   benches/peers/store-load.sh [SIZE]          default size: 1m
#
# Rows, each on a fresh store that is stopped before the next row starts:
#   oxigraph load        `oxigraph load --location DIR --file data.nq` (offline, RocksDB)
#   oxigraph /store      curl POST of the same N-Quads to a running `oxigraph serve` (the Graph
#                        Store protocol without casegraph: what HTTP and the server cost), once
#                        in one transaction (the default) and once with `?no_transaction`, which
#                        makes the server use its bulk loader
#   oxigraph push        casegraph push to a running `oxigraph serve --location DIR`
#   virtuoso ld_dir      ld_dir + rdf_loader_run() + checkpoint through isql-vt
#   virtuoso push        casegraph push to Virtuoso's /sparql-graph-crud-auth (digest auth)
# Seconds are wall time of the load alone (servers are started before the clock starts). The
# loaders read the case's data as one N-Quads file; push also writes the ontology graph and the
# merge graph, so "quads on store" is printed beside the seconds and the ratio is conservative.
# Statements in the default graph go to the graph <$case_ns/default> on Virtuoso (ld_dir's
# fallback graph: Virtuoso has no default graph of its own) and to the default graph on Oxigraph.
#
# The case is the one benches/peers/compare.sh generates (same folder, reused when present):
# `cargo run --release --example generate -- DIR/nq SIZE 42 nquads`, its data concatenated into
# DIR/nq.nq. This builds casegraph --release and the generator unless STORE_LOAD_NQ is set.
#
# Environment: STORE_LOAD_WORK (cases, default $CARGO_TARGET_DIR/casegraph-compare, shared with
# compare.sh), STORE_LOAD_NQ=FILE (measure only the engines' own loaders, and the /store row, on
# that N-Quads file: no build and no casegraph), STORE_LOAD_ENGINES ("oxigraph virtuoso"),
# STORE_LOAD_OUT (the table, default benches/peers/results/store-load.md, or a temp file with
# STORE_LOAD_NQ).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
work=${STORE_LOAD_WORK:-$target/casegraph-compare}
size=${1:-1m}
engines=${STORE_LOAD_ENGINES:-oxigraph virtuoso}
out=${STORE_LOAD_OUT:-benches/peers/results/store-load.md}
case_ns=https://w3id.org/casegraph/case/synthetic
fallback_graph=$case_ns/default

# shellcheck source=.ci/stores.sh
. .ci/stores.sh
stores_init
oxigraph_install
virtuoso_install

# --- the data ------------------------------------------------------------------------------
casegraph=""
if [ -n "${STORE_LOAD_NQ:-}" ]; then
  nq=$(cd "$(dirname "$STORE_LOAD_NQ")" && pwd)/$(basename "$STORE_LOAD_NQ")
  case_dir=""
  size=$(basename "$nq")
  # A table of the loaders alone is a check of this script, not a result to keep.
  out=${STORE_LOAD_OUT:-${TMPDIR:-/tmp}/store-load-$size.md}
else
  cargo build --release --locked --quiet --bin casegraph --example generate
  casegraph=$target/release/casegraph
  case_dir=$work/$size/nq
  nq=$work/$size/nq.nq
  if [ ! -s "$nq" ]; then
    mkdir -p "$work/$size"
    "$target/release/examples/generate" "$case_dir" "$size" 42 nquads >&2
    find "$case_dir/data" -name '*.nq' | LC_ALL=C sort | xargs cat >"$nq"
  fi
fi
lines=$(wc -l <"$nq")

# --- helpers -------------------------------------------------------------------------------
# seconds_since START: wall seconds since START (an $EPOCHREALTIME reading), 1 decimal.
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
rows=()
# row ENGINE WHAT SECONDS QUADS
row() { rows+=("$1|$2|$3|$4"); printf 'store-load: %s, %s: %s (seconds), %s quads on the store\n' "$1" "$2" "$3" "$4" >&2; }

# count_http QUERY_URL [CURL_ARGS...]: quads in every graph but Virtuoso's own system graphs.
count_http() {
  local url=$1
  shift
  curl -fsS -G "$@" -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE {
      { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o }
        FILTER (?g NOT IN (<http://www.openlinksw.com/schemas/virtrdf#>, <http://www.w3.org/ns/ldp#>,
                           <http://localuriqaserver/sparql>)) } }' "$url" | tail -1 | tr -d '"\r'
}
# count_virtuoso: the same on Virtuoso, whose default graph is already the union of all graphs.
count_virtuoso() {
  curl -fsS -G -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER (?g NOT IN (<http://www.openlinksw.com/schemas/virtrdf#>, <http://www.w3.org/ns/ldp#>,
                           <http://localuriqaserver/sparql>)) }' "$CASEGRAPH_TEST_VIRTUOSO_QUERY" | tail -1 | tr -d '"\r'
}

# push ENGINE [ARGS...]: casegraph push of the case; the row says so when push is not there yet.
# >>> The casegraph half: needs `casegraph push` (issue #12, being written). <<<
have_push() { [ -n "$casegraph" ] && "$casegraph" push --help >/dev/null 2>&1; }

# --- Oxigraph ------------------------------------------------------------------------------
if [[ " $engines " == *" oxigraph "* ]]; then
  dir=$stores_tmp/ox-load
  mkdir -p "$dir"
  t=$EPOCHREALTIME
  "$OXIGRAPH" load --location "$dir/db" --file "$nq" >"$dir/load.log" 2>&1
  s=$(seconds_since "$t")
  n=$("$OXIGRAPH" query --location "$dir/db" --results-format csv \
    --query 'SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }' | tail -1 | tr -d '\r')
  row oxigraph "oxigraph load (bulk, offline)" "$s" "$n"
  rm -rf "$dir"

  # The server's own two write paths: one transaction per request (the default), and its bulk
  # loader (`?no_transaction`, not atomic), each on a fresh store.
  for param in "" "?no_transaction"; do
    oxigraph_start "$stores_tmp/ox-http"
    t=$EPOCHREALTIME
    curl -fsS -X POST -H 'Content-Type: application/n-quads' --data-binary "@$nq" "$CASEGRAPH_TEST_OXIGRAPH_STORE$param" >/dev/null
    s=$(seconds_since "$t")
    row oxigraph "curl POST N-Quads to /store$param" "$s" "$(count_http "$CASEGRAPH_TEST_OXIGRAPH_QUERY")"
    oxigraph_stop
    rm -rf "$stores_tmp/ox-http"
  done

  if have_push; then
    oxigraph_start "$stores_tmp/ox-push"
    t=$EPOCHREALTIME
    "$casegraph" -C "$case_dir" push --namespace "$case_ns/" --endpoint "$CASEGRAPH_TEST_OXIGRAPH_QUERY" \
      --graph-store "$CASEGRAPH_TEST_OXIGRAPH_STORE" >"$stores_tmp/ox-push.log" 2>&1 || { tail -20 "$stores_tmp/ox-push.log" >&2; exit 1; }
    s=$(seconds_since "$t")
    row oxigraph "casegraph push" "$s" "$(count_http "$CASEGRAPH_TEST_OXIGRAPH_QUERY")"
    oxigraph_stop
    rm -rf "$stores_tmp/ox-push"
  else
    row oxigraph "casegraph push" "not measured: casegraph push is not built" "-"
  fi
fi

# --- Virtuoso ------------------------------------------------------------------------------
if [[ " $engines " == *" virtuoso "* ]]; then
  virtuoso_start "$stores_tmp/v-load"
  # A hard link when the file system allows it: ld_dir reads only from DirsAllowed.
  ln "$nq" "$CASEGRAPH_TEST_VIRTUOSO_DIR/load/data.nq" 2>/dev/null || cp "$nq" "$CASEGRAPH_TEST_VIRTUOSO_DIR/load/data.nq"
  t=$EPOCHREALTIME
  virtuoso_isql >"$stores_tmp/v-load.log" <<EOF
ld_dir ('$CASEGRAPH_TEST_VIRTUOSO_DIR/load', 'data.nq', '$fallback_graph');
rdf_loader_run ();
checkpoint;
EOF
  s=$(seconds_since "$t")
  # rdf_loader_run() records a file it could not load in load_list instead of failing.
  errors=$(virtuoso_isql <<<"SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;" | awk 'NF { v = $1 } END { print v }')
  if [ "$errors" != 0 ]; then
    virtuoso_isql <<<"SELECT ll_file, ll_error FROM DB.DBA.load_list;" >&2
    echo "store-load: Virtuoso's bulk loader failed on $nq" >&2
    exit 1
  fi
  row virtuoso "ld_dir + rdf_loader_run() + checkpoint" "$s" "$(count_virtuoso)"
  virtuoso_stop

  if have_push; then
    virtuoso_start "$stores_tmp/v-push"
    t=$EPOCHREALTIME
    "$casegraph" -C "$case_dir" push --namespace "$case_ns/" --endpoint "$CASEGRAPH_TEST_VIRTUOSO_QUERY" \
      --graph-store "$CASEGRAPH_TEST_VIRTUOSO_STORE" --user "$CASEGRAPH_TEST_VIRTUOSO_USER" \
      --password-env CASEGRAPH_TEST_VIRTUOSO_PASSWORD >"$stores_tmp/v-push.log" 2>&1 || { tail -20 "$stores_tmp/v-push.log" >&2; exit 1; }
    s=$(seconds_since "$t")
    row virtuoso "casegraph push" "$s" "$(count_virtuoso)"
    virtuoso_stop
  else
    row virtuoso "casegraph push" "not measured: casegraph push is not built" "-"
  fi
fi

# --- the table -----------------------------------------------------------------------------
{
  echo "Load into real SPARQL stores, $size ($lines lines of N-Quads), run on $(date -u +%Y-%m-%d) at $(git rev-parse --short HEAD):"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -h | awk '/^Mem:/ {print $2}') memory;"
  echo "oxigraph $CASEGRAPH_TEST_OXIGRAPH_VERSION (PyPI wheel), Virtuoso $CASEGRAPH_TEST_VIRTUOSO_VERSION (Debian). Ratio: seconds over the engine's own loader."
  echo
  echo "| engine | what | seconds | quads on the store | ratio |"
  echo "|---|---|---|---|---|"
  declare -A base=()
  for r in "${rows[@]}"; do
    IFS='|' read -r engine what s n <<<"$r"
    ratio="-"
    if [[ "$what" == "oxigraph load"* || "$what" == ld_dir* ]]; then
      base[$engine]=$s
    elif [[ "$s" =~ ^[0-9.]+$ ]] && [ -n "${base[$engine]:-}" ]; then
      ratio=$(awk -v a="$s" -v b="${base[$engine]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
    fi
    echo "| $engine | $what | $s | $n | $ratio |"
  done
} >"$stores_tmp/table.md"
mkdir -p "$(dirname "$out")"
cp "$stores_tmp/table.md" "$out"
cat "$out"
echo "written to $out" >&2
