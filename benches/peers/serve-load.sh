#!/usr/bin/env bash
# Load test of `casegraph serve`, side by side in one run with Oxigraph's own server on the
# same data and the same SPARQL (the same engine: what differs is the HTTP layer around it).
#
#   benches/peers/serve-load.sh            # 30 s per row, 16 connections
#
# Installs wrk (apt-get) and the `oxigraph` binary (pip, in a venv under $HOME/.cache) when
# missing, builds casegraph (--release, or LOAD_PROFILE), exports the shipped case as N-Quads,
# serves it from memory with `oxigraph serve --union-default-graph` (so that its default graph
# is the merge, as casegraph's is; loaded through its /store endpoint), and runs wrk on each server in turn: the timeline query, a small SELECT,
# and (casegraph only) an entity page. Memory is the server's resident set, sampled every
# second; CPU per request is the server's user and system time over the row, per request. Prints a Markdown table and writes it to benches/peers/results/serve-load.md.
#
# Environment: LOAD_SECONDS (30), LOAD_CONNECTIONS (16), LOAD_THREADS (wrk threads, 1),
# LOAD_ROUNDS (1: each row that many times, the servers taking turns within a round, so that
# the machine's noise falls on all of them alike), LOAD_BASELINE (another casegraph binary, e.g.
# the build of an earlier commit, served beside the others for a before-and-after in one run),
# LOAD_PROFILE (release: the Cargo profile casegraph is built with; release-lto builds it with
# the flags Oxigraph's own binary is built with).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
seconds=${LOAD_SECONDS:-30}
connections=${LOAD_CONNECTIONS:-16}
threads=${LOAD_THREADS:-1}
rounds=${LOAD_ROUNDS:-1}
baseline=${LOAD_BASELINE:-}
profile=${LOAD_PROFILE:-release}
out=benches/peers/results/serve-load.md

command -v wrk >/dev/null || { if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; $SUDO apt-get install -y -qq wrk >/dev/null; }
venv=$HOME/.cache/casegraph-bench-venv
[ -x "$venv/bin/oxigraph" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install --quiet oxigraph; }
oxigraph=$venv/bin/oxigraph
cargo build --profile "$profile" --locked --quiet --bin casegraph
casegraph=$target/$profile/casegraph

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$casegraph" export --format nquads --out "$work/case.nq"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "server at $1 did not start" >&2; return 1; }

cg_port=$(free_port)
"$casegraph" serve --bind "127.0.0.1:$cg_port" >/dev/null 2>"$work/casegraph.log" &
cg_pid=$!; pids+=("$cg_pid")
if [ -n "$baseline" ]; then
  base_port=$(free_port)
  "$baseline" serve --bind "127.0.0.1:$base_port" >/dev/null 2>"$work/baseline.log" &
  base_pid=$!; pids+=("$base_pid")
  wait_up "http://127.0.0.1:$base_port/sparql?query=ASK%7B%7D"
fi
ox_port=$(free_port)
# In memory, as casegraph's store is (no --location): the same engine on the same kind of
# store. Loaded over its Graph Store endpoint, then only queried.
"$oxigraph" serve --bind "127.0.0.1:$ox_port" --union-default-graph >/dev/null 2>&1 &
ox_pid=$!; pids+=("$ox_pid")
wait_up "http://127.0.0.1:$cg_port/sparql?query=ASK%7B%7D"
wait_up "http://127.0.0.1:$ox_port/query?query=ASK%7B%7D"
curl -fs -X POST -H 'Content-Type: application/n-quads' --data-binary "@$work/case.nq" "http://127.0.0.1:$ox_port/store" >/dev/null

encode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read()))'; }
timeline=$(encode < queries/timeline.rq)
small=$(printf 'PREFIX cg: <https://w3id.org/casegraph/ontology#>\nSELECT ?s WHERE { ?s a cg:SourceArticle }' | encode)

# The two servers must give the same answers, or the comparison means nothing.
same() {
  a=$(curl -fs -H 'Accept: text/csv' "http://127.0.0.1:$cg_port/sparql?query=$1" | sort)
  b=$(curl -fs -H 'Accept: text/csv' "http://127.0.0.1:$ox_port/query?query=$1" | sort)
  [ "$a" = "$b" ] || { echo "the servers disagree on a query" >&2; exit 1; }
}
same "$timeline"; same "$small"

# run NAME PID URL: wrk for $seconds with the server's memory sampled; prints a table row.
run() {
  local name=$1 pid=$2 url=$3 rss_log=$work/rss.$RANDOM
  ( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$pid/status"; sleep 1; done ) >"$rss_log" &
  local sampler=$!
  local report cpu_before cpu_after
  # The server's CPU time (user and system, in clock ticks), before and after.
  cpu_before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  report=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -H 'Accept: application/sparql-results+json' "$url")
  cpu_after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$sampler" 2>/dev/null || true
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$report")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$report")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$report")
  local mem
  mem=$(sort -n "$rss_log" | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.1f to %.1f", lo / 1024, hi / 1024}')
  # CPU per request: what the server spends on one, whatever share of the machine it got.
  local requests cpu
  requests=$(awk '/requests in/ {print $1}' <<<"$report")
  cpu=$(awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$cpu" "$p50" "$p99" "$errors" "$mem"
}

{
  echo "Load: wrk, $connections connections, $threads thread(s), ${seconds} s per row, $rounds round(s), casegraph built with --profile $profile, on $(nproc) cores shared by client and server; $(date -u +%Y-%m-%d)."
  echo
  echo "| what | requests/s | server CPU per request (µs) | p50 | p99 | errors | server memory (MiB) |"
  echo "|---|---|---|---|---|---|---|"
  for round in $(seq 1 "$rounds"); do
    tag=""; [ "$rounds" -gt 1 ] && tag=" (round $round)"
    run "timeline query: casegraph serve$tag" "$cg_pid" "http://127.0.0.1:$cg_port/sparql?query=$timeline"
    [ -z "$baseline" ] || run "timeline query: baseline casegraph serve$tag" "$base_pid" "http://127.0.0.1:$base_port/sparql?query=$timeline"
    run "timeline query: oxigraph serve (in memory)$tag" "$ox_pid" "http://127.0.0.1:$ox_port/query?query=$timeline"
    run "small SELECT: casegraph serve$tag" "$cg_pid" "http://127.0.0.1:$cg_port/sparql?query=$small"
    [ -z "$baseline" ] || run "small SELECT: baseline casegraph serve$tag" "$base_pid" "http://127.0.0.1:$base_port/sparql?query=$small"
    run "small SELECT: oxigraph serve (in memory)$tag" "$ox_pid" "http://127.0.0.1:$ox_port/query?query=$small"
    run "entity page: casegraph serve$tag" "$cg_pid" "http://127.0.0.1:$cg_port/entity/Hikvision"
    [ -z "$baseline" ] || run "entity page: baseline casegraph serve$tag" "$base_pid" "http://127.0.0.1:$base_port/entity/Hikvision"
  done
} | tee "$out"
echo "written to $out"
