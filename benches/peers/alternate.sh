#!/usr/bin/env bash
# Two casegraph binaries on the same arguments in alternating rounds (before, after, before,
# after, ...), for before/after figures measured in one run on a shared machine: the wall time
# and peak resident memory of each run, by /usr/bin/time, as a Markdown table.
#
#   benches/peers/alternate.sh ROUNDS BEFORE AFTER ARG...
#
# e.g. benches/peers/alternate.sh 2 ./casegraph-before target/release/casegraph \
#          -C "$CARGO_TARGET_DIR/casegraph-compare/1m/nq" export --format ntriples
# Output goes to /dev/null; a run that fails stops the script.
set -euo pipefail

if [ $# -lt 4 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
rounds=$1 before=$2 after=$3
shift 3
[ -x /usr/bin/time ] || { echo "alternate.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
report=$(mktemp)
trap 'rm -f "$report"' EXIT
echo "| round | binary | wall s | peak MB |"
echo "|---|---|---:|---:|"
for round in $(seq "$rounds"); do
    for which in before after; do
        if [ "$which" = before ]; then bin=$before; else bin=$after; fi
        /usr/bin/time -o "$report" -f '%e %M' "$bin" "$@" >/dev/null
        read -r wall kilobytes <"$report"
        echo "| $round | $which | $wall | $((kilobytes / 1000)) |"
    done
done
