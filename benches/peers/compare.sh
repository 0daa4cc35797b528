#!/usr/bin/env bash
# casegraph side by side with the tools people would otherwise use, on the same generated files.
#
#   benches/peers/compare.sh [SIZE...]        default sizes: 10k 100k 1m (and 10m with COMPARE_10M=1)
#
# Installs the peers when missing (pyoxigraph and rdflib with pip, rapper and hyperfine with
# apt-get; the oxigraph CLI with `cargo install oxigraph-cli` only when COMPARE_OXIGRAPH_CLI=1,
# since it takes about 17 minutes to build), generates the synthetic cases as TriG and N-Quads
# (and the TriG case again in files of 500 statements, for the load-files row), builds
# casegraph --release, runs every tool on every task and size in one run, prints a Markdown table
# of wall time, peak memory and ratios, and writes it to benches/peers/results/latest.md.
#
# With COMPARE_STORE=1 it also builds casegraph with the rocksdb feature (a long C++ build the
# first time) and measures `load --store` and the queries on that on-disk store.
#
# Environment: COMPARE_WORK (where the cases go, default $CARGO_TARGET_DIR/casegraph-compare),
# COMPARE_RUNS (runs per command, median kept), COMPARE_TIMEOUT (seconds per command, 900),
# COMPARE_DOT_TIMEOUT (seconds for rapper -o dot, 120), COMPARE_REUSE=1 (keep cases generated
# by an earlier run), COMPARE_OUT (the table's file, default benches/peers/results/latest.md), and
# COMPARE_TASKS / COMPARE_TOOLS to re-measure only some rows (see benches/peers/measure.py).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
work=${COMPARE_WORK:-$target/casegraph-compare}
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(10k 100k 1m)
    if [ "${COMPARE_10M:-0}" = 1 ]; then sizes+=(10m); fi
fi

# --- peers -----------------------------------------------------------------------------------
if ! python3 -c 'import pyoxigraph, rdflib' 2>/dev/null; then
    python3 -m pip install --quiet pyoxigraph rdflib
fi
missing=()
command -v rapper >/dev/null || missing+=(raptor2-utils)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if [ "${COMPARE_OXIGRAPH_CLI:-0}" = 1 ] && ! command -v oxigraph >/dev/null; then
    cargo install oxigraph-cli --locked
fi

# --- casegraph and the cases -----------------------------------------------------------------
cargo build --release --quiet --bin casegraph --example generate
casegraph=$target/release/casegraph
if [ "${COMPARE_STORE:-0}" = 1 ]; then
    # The on-disk store needs the rocksdb feature: its own target folder, as in .ci/run.
    store_target=${COMPARE_STORE_TARGET:-$HOME/.cache/casegraph-target-rocksdb}
    CARGO_TARGET_DIR=$store_target cargo build --release --quiet --features rocksdb --bin casegraph
    export COMPARE_STORE_BIN=$store_target/release/casegraph
fi
generate=$target/release/examples/generate
for size in "${sizes[@]}"; do
    dir=$work/$size
    if [ "${COMPARE_REUSE:-0}" = 1 ] && [ -s "$dir/nq.nq" ] && [ -d "$dir/files" ]; then continue; fi
    mkdir -p "$dir"
    "$generate" "$dir/trig" "$size" 42 trig >&2
    "$generate" "$dir/nq" "$size" 42 nquads >&2
    # The same statements in files of 500 (2,000 files for a million): the load-files row.
    "$generate" "$dir/files" "$size" 42 trig 500 >&2
    # The peers read the data of the N-Quads form as one file (rapper reads one file at a time).
    find "$dir/nq/data" -name '*.nq' | LC_ALL=C sort | xargs cat >"$dir/nq.nq"
done

# --- run -------------------------------------------------------------------------------------
{
    echo "Run on $(date -u +%Y-%m-%d) at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml || echo ' (with local changes)'):"
    echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -h | awk '/^Mem:/ {print $2}') memory;"
    echo "pyoxigraph $(python3 -c 'import pyoxigraph; print(pyoxigraph.__version__)'), rdflib $(python3 -c 'import rdflib; print(rdflib.__version__)'), $(rapper --version 2>&1 | sed 's/^/rapper /')."
    echo
} >"$work/header.md"
python3 benches/peers/measure.py "$work" "$casegraph" "${sizes[@]}" --out "$work/table.md"
out=${COMPARE_OUT:-benches/peers/results/latest.md}
mkdir -p "$(dirname "$out")"
cat "$work/header.md" "$work/table.md" >"$out"
echo "written to $out" >&2
