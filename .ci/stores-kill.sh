#!/usr/bin/env bash
# Killing the store mid-push is a clear error, and the next push completes (issue #12, point 4):
# `casegraph push` to Oxigraph server in the background; as soon as the first graph of the case
# is on the store, the server is killed by pid (SIGKILL, as a crash would); push must exit 2 with
# a message naming the endpoint, not a panic. Oxigraph is restarted on the same folder and port,
# the push is run again and must exit 0, and the store must then hold, graph by graph, what a
# push to a fresh store holds.
#
# Run from anywhere after `cargo build` (or `cargo test`, which builds the generator example):
#   bash .ci/stores-kill.sh [CASE_DIR]
# CASEGRAPH_BIN=PATH runs another casegraph binary (the default is the debug build).
# CASE_DIR defaults to a synthetic case of CASEGRAPH_KILL_SIZE statements (200k) made by the
# generator example: many article graphs, so that the kill lands between two of them. A case that
# is pushed before the kill can land fails the check rather than passing it unseen.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"
bin="${CASEGRAPH_BIN:-$CARGO_TARGET_DIR/debug/casegraph}"
generate="$CARGO_TARGET_DIR/debug/examples/generate"
[ -x "$bin" ] || cargo build --locked --quiet
# shellcheck source=.ci/stores.sh
. .ci/stores.sh
stores_init

case_dir=${1:-}
if [ -z "$case_dir" ]; then
  [ -x "$generate" ] || cargo build --locked --quiet --example generate
  case_dir=$stores_tmp/case
  "$generate" "$case_dir" "${CASEGRAPH_KILL_SIZE:-200k}" 42 trig >/dev/null
fi

fail() { echo "stores-kill: FAILED: $*" >&2; exit 1; }
push() { "$bin" -C "$case_dir" push --namespace https://w3id.org/casegraph/case/synthetic/ --endpoint "$CASEGRAPH_TEST_OXIGRAPH_QUERY" --graph-store "$CASEGRAPH_TEST_OXIGRAPH_STORE"; }
# graph_counts QUERY_URL: "graph,count" lines, sorted, for the default graph and every named one.
graph_counts() {
  curl -fsS -G -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?g (COUNT(*) AS ?n) WHERE {
      { ?s ?p ?o BIND ("(default graph)" AS ?g) } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g' "$1" \
    | tail -n +2 | tr -d '\r' | LC_ALL=C sort
}
has_graph() {
  curl -fsS -G -H 'Accept: text/csv' --data-urlencode 'query=ASK { GRAPH ?g { ?s ?p ?o } }' "$1" 2>/dev/null \
    | tail -1 | grep -q true
}

# The reference: the same case pushed to a fresh store, undisturbed.
oxigraph_start "$stores_tmp/reference"
push >"$stores_tmp/reference.out" 2>&1 || { cat "$stores_tmp/reference.out" >&2; fail "a push to a fresh store failed"; }
graph_counts "$CASEGRAPH_TEST_OXIGRAPH_QUERY" >"$stores_tmp/reference.counts"
[ -s "$stores_tmp/reference.counts" ] || fail "the reference push wrote no named graph"
oxigraph_stop

# 1. Kill the server while the push runs.
oxigraph_start "$stores_tmp/killed"
dir=$CASEGRAPH_TEST_OXIGRAPH_DIR port=$CASEGRAPH_TEST_OXIGRAPH_PORT server=$CASEGRAPH_TEST_OXIGRAPH_PID
push >"$stores_tmp/killed.out" 2>"$stores_tmp/killed.err" &
push_pid=$!
for ((i = 0; i < 600; i++)); do
  has_graph "$CASEGRAPH_TEST_OXIGRAPH_QUERY" && break
  kill -0 "$push_pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$push_pid" 2>/dev/null || fail "the push ended before the server could be killed: use a bigger case (CASEGRAPH_KILL_SIZE)"
kill -KILL "$server"
stores_stop_pid "$server"
echo "stores-kill: killed oxigraph (pid $server) during the push (pid $push_pid)"
# Push retries idempotent requests on a reset connection, with backoff: give it time to give up.
rc=0
for ((i = 0; i < 1200; i++)); do kill -0 "$push_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$push_pid" 2>/dev/null; then
  kill "$push_pid"
  fail "the push still ran 120 s after the server was killed"
fi
wait "$push_pid" || rc=$?
err=$(cat "$stores_tmp/killed.err")
printf '%s\n' "$err" | sed 's/^/  push said: /'
[ "$rc" = 2 ] || fail "the push exited $rc after the server was killed, not 2"
grep -q "127.0.0.1:$port" <<<"$err" || fail "the error does not name the endpoint 127.0.0.1:$port"
! grep -qi 'panicked' <<<"$err" || fail "the push panicked"

# 2. The server again, on the data it had when it was killed; the next push completes.
oxigraph_start "$dir" "$port"
push >"$stores_tmp/again.out" 2>&1 || { cat "$stores_tmp/again.out" >&2; fail "the push after the restart failed"; }
graph_counts "$CASEGRAPH_TEST_OXIGRAPH_QUERY" >"$stores_tmp/again.counts"
diff -u "$stores_tmp/reference.counts" "$stores_tmp/again.counts" >&2 \
  || fail "after the restart and a second push the store differs from a clean push"
echo "ok: killing the server mid-push is exit 2 naming the endpoint; the next push completes ($(wc -l <"$stores_tmp/again.counts") graphs as in a clean push)"
