# Sourced by .ci/run and the scripts that test casegraph against real SPARQL stores: installs
# Oxigraph server and Virtuoso, starts them on loopback ports nobody else holds, waits until they
# answer, and stops them by pid whatever happens (an EXIT trap set by `stores_init`).
#
#   . .ci/stores.sh
#   stores_init                       # temp folder + the trap; chains an EXIT trap already set
#   oxigraph_start [DIR [PORT]]       # exports CASEGRAPH_TEST_OXIGRAPH_{QUERY,UPDATE,STORE,PID,...}
#   virtuoso_start [DIR]              # exports CASEGRAPH_TEST_VIRTUOSO_{QUERY,STORE,USER,PASSWORD,...}
#   virtuoso_isql <<<'checkpoint;'    # SQL on stdin, the password never on a command line
#   oxigraph_stop; virtuoso_stop      # by pid (the trap does it too)
#
# DIR defaults to a folder under the temp folder; pass the same DIR (and PORT) again to restart a
# server on the data it had. Everything listens on 127.0.0.1 only.
#
# Secrets: Virtuoso's dba password is replaced at first start by a random one, kept in
# DIR/dba.password (mode 600) and exported as CASEGRAPH_TEST_VIRTUOSO_PASSWORD, so that
# `casegraph push --password-env CASEGRAPH_TEST_VIRTUOSO_PASSWORD` and curl (through the netrc
# file CASEGRAPH_TEST_VIRTUOSO_NETRC) use it. It is never an argument of any process: isql-vt is
# started without one (`isql-vt DSN=HOST:PORT UID=dba`, which delays the connection) and reads
# `SET PWD=...;` on its stdin, written by bash's builtin printf. An environment variable is not in
# `ps` output; /proc/PID/environ is readable by the same user only.
#
# Needs python3 (venv, pip), curl, ss (iproute2); Virtuoso from Debian's
# virtuoso-opensource-7-bin (virtuoso-t, isql-vt), installed with apt-get when missing.

stores_venv=${CASEGRAPH_STORES_VENV:-$HOME/.cache/casegraph-stores-venv}
stores_tmp=""
stores_pids=()

stores_log() { printf 'stores: %s\n' "$*" >&2; }

# stores_init: the temp folder (stores_tmp) and the trap that stops every server started here.
# Ctrl-C, TERM and HUP become exits so that the EXIT trap runs for them too.
stores_init() {
  [ -z "$stores_tmp" ] || return 0
  stores_tmp=$(mktemp -d "${TMPDIR:-/tmp}/casegraph-stores.XXXXXX")
  local previous="" t words
  # `trap -p EXIT` prints `trap -- 'COMMAND' EXIT`, quoted to be read back by the shell.
  t=$(trap -p EXIT)
  if [ -n "$t" ]; then eval "words=($t)"; previous=${words[2]}; fi
  # shellcheck disable=SC2064  # expanded now on purpose: the caller's trap, kept after ours
  trap "stores_cleanup${previous:+; $previous}" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# stores_cleanup: stops every server this shell started, then removes the temp folder
# (kept with CASEGRAPH_STORES_KEEP=1, to read the servers' logs).
stores_cleanup() {
  local pid
  for pid in "${stores_pids[@]}"; do stores_stop_pid "$pid"; done
  stores_pids=()
  if [ -n "$stores_tmp" ] && [ "${CASEGRAPH_STORES_KEEP:-0}" != 1 ]; then rm -rf "$stores_tmp"; fi
  stores_tmp=""
}

# stores_stop_pid PID: TERM, up to 30 s for a clean exit, then KILL. Forgets the pid.
stores_stop_pid() {
  local pid=$1 i rest=()
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      stores_log "pid $pid still running after 30 s: KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  for i in "${stores_pids[@]}"; do [ "$i" = "$pid" ] || rest+=("$i"); done
  stores_pids=("${rest[@]}")
}

# stores_free_port: a loopback port free right now. Another process can take it before the
# server binds it, so the start functions check that their own pid holds it (stores_pid_listens)
# and retry with another port if the server could not bind.
stores_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stores_listening_ports PID: the loopback TCP ports PID listens on, one per line.
stores_listening_ports() {
  ss -ltnpH 2>/dev/null | awk -v pid="pid=$1," 'index($0, pid) { n = split($4, a, ":"); print a[n] }'
}

# stores_pid_listens PID PORT: true when PID itself (not another process) listens on PORT.
stores_pid_listens() { stores_listening_ports "$1" | grep -qx "$2"; }

# stores_wait_http URL PID [SECONDS]: until URL answers 200, while PID is alive.
stores_wait_http() {
  local url=$1 pid=$2 limit=${3:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# --- Oxigraph server --------------------------------------------------------------------------

# oxigraph_install: the `oxigraph` binary of PyPI's oxigraph wheel (a compiled server, not a
# Python entry point), 0.5.x as casegraph's own Oxigraph, in a venv under ~/.cache. Sets OXIGRAPH.
oxigraph_install() {
  OXIGRAPH=$stores_venv/bin/oxigraph
  if ! "$OXIGRAPH" --version 2>/dev/null | grep -q '^oxigraph 0\.5\.'; then
    python3 -m venv "$stores_venv" || return 1
    "$stores_venv/bin/pip" install --quiet --disable-pip-version-check 'oxigraph>=0.5,<0.6' || return 1
  fi
  if [ "$(head -c 4 "$OXIGRAPH" | od -An -c | tr -d ' ')" != '177ELF' ]; then
    stores_log "$OXIGRAPH is not the compiled oxigraph binary"
    return 1
  fi
  CASEGRAPH_TEST_OXIGRAPH_VERSION=$("$OXIGRAPH" --version | awk '{print $2}')
  export CASEGRAPH_TEST_OXIGRAPH_VERSION
}

# oxigraph_start [DIR [PORT]]: `oxigraph serve` on DIR/db (RocksDB), on PORT or a port the kernel
# picks (bind to port 0, then read which port the pid holds: no race with other processes).
# Exports CASEGRAPH_TEST_OXIGRAPH_{URL,QUERY,UPDATE,STORE,PID,PORT,DIR}; the log is DIR/server.log.
# shellcheck disable=SC2120  # DIR and PORT are optional
oxigraph_start() {
  stores_init
  [ -n "${OXIGRAPH:-}" ] || oxigraph_install || return 1
  local dir=${1:-$stores_tmp/oxigraph} port=${2:-0} pid i
  mkdir -p "$dir"
  "$OXIGRAPH" serve --location "$dir/db" --bind "127.0.0.1:$port" >>"$dir/server.log" 2>&1 &
  pid=$!
  stores_pids+=("$pid")
  for ((i = 0; i < 300; i++)); do
    if [ "$port" = 0 ]; then port=$(stores_listening_ports "$pid" | head -1); port=${port:-0}; fi
    [ "$port" != 0 ] && stores_pid_listens "$pid" "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$port" = 0 ] || ! stores_wait_http "http://127.0.0.1:$port/query?query=ASK%7B%7D" "$pid" 30 \
    || ! stores_pid_listens "$pid" "$port"; then
    stores_log "oxigraph serve did not start on 127.0.0.1:$port; its log:"
    tail -20 "$dir/server.log" >&2
    stores_stop_pid "$pid"
    return 1
  fi
  export CASEGRAPH_TEST_OXIGRAPH_PID=$pid CASEGRAPH_TEST_OXIGRAPH_PORT=$port
  export CASEGRAPH_TEST_OXIGRAPH_DIR=$dir
  export CASEGRAPH_TEST_OXIGRAPH_URL=http://127.0.0.1:$port
  export CASEGRAPH_TEST_OXIGRAPH_QUERY=$CASEGRAPH_TEST_OXIGRAPH_URL/query
  export CASEGRAPH_TEST_OXIGRAPH_UPDATE=$CASEGRAPH_TEST_OXIGRAPH_URL/update
  export CASEGRAPH_TEST_OXIGRAPH_STORE=$CASEGRAPH_TEST_OXIGRAPH_URL/store
  stores_log "oxigraph $CASEGRAPH_TEST_OXIGRAPH_VERSION on $CASEGRAPH_TEST_OXIGRAPH_URL (pid $pid, data $dir/db)"
}

oxigraph_stop() { [ -z "${CASEGRAPH_TEST_OXIGRAPH_PID:-}" ] || stores_stop_pid "$CASEGRAPH_TEST_OXIGRAPH_PID"; }

# --- Virtuoso ---------------------------------------------------------------------------------

# virtuoso_install: Debian's Virtuoso 7.2 binaries (no service, no VAD packages: the SPARQL and
# Graph Store endpoints are built into a new database).
virtuoso_install() {
  if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq -o DPkg::Lock::Timeout=600 || return 1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
      virtuoso-opensource-7-bin >/dev/null || return 1
  fi
  # `virtuoso-t -?` prints its version and exits 1.
  CASEGRAPH_TEST_VIRTUOSO_VERSION=$({ virtuoso-t -? 2>&1 || true; } | awk '/^Version/ {print $2; exit}')
  export CASEGRAPH_TEST_VIRTUOSO_VERSION
}

# virtuoso_write_ini DIR SQL_PORT HTTP_PORT: the smallest configuration that serves SPARQL and
# the Graph Store protocol on loopback, with the database, its logs and the bulk loader's folder
# (DIR/load, the only one ld_dir may read) all inside DIR.
virtuoso_write_ini() {
  local dir=$1 sql_port=$2 http_port=$3
  # Buffers: 8 KiB pages; 170000 (about 1.3 GiB) is Virtuoso's own advice for 2 GB of memory
  # to spare and keeps a 1M-triple load in memory. CASEGRAPH_TEST_VIRTUOSO_BUFFERS lowers it.
  local buffers=${CASEGRAPH_TEST_VIRTUOSO_BUFFERS:-170000}
  cat >"$dir/virtuoso.ini" <<EOF
; Written by .ci/stores.sh for a test server on loopback; rewritten at every start.
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:$sql_port
DisableUnixSocket  = 1
DirsAllowed        = ., $dir/load
NumberOfBuffers    = $buffers
MaxDirtyBuffers    = $((buffers * 3 / 4))
ServerThreads      = 10
CheckpointInterval = 60
O_DIRECT           = 0
CaseMode           = 2
MaxStaticCursorRows = 5000
TempAllocationPct  = 50
ThreadCleanupInterval = 0
ThreadThreshold    = 10
ResourcesCleanupInterval = 0
SingleCPU          = 0
AllowOSCalls       = 0
DefaultIsolation   = 2

[HTTPServer]
ServerPort         = 127.0.0.1:$http_port
ServerRoot         = $dir/www
ServerThreads      = 10
MaxClientConnections = 10
MaxKeepAlives      = 10
KeepAliveTimeout   = 10
HTTPThreadSize     = 280000
HttpPrintWarningsInOutput = 0
Charset            = UTF-8
EnabledGzipContent = 1

[SPARQL]
; Virtuoso cuts a result at ResultSetMaxRows without an error, so it is set far above what a
; case returns; a run-away query is stopped by the client's timeout rather than by
; MaxQueryExecutionTime, which would return partial ("anytime") results as if complete.
ResultSetMaxRows           = 10000000
MaxQueryExecutionTime      = 0
MaxQueryCostEstimationTime = 0
MaxSortedTopRows           = 10000000
DefaultQuery               = SELECT * WHERE { ?s ?p ?o } LIMIT 10
DeferInferenceRulesInit    = 0
EOF
}

# virtuoso_start [DIR]: virtuoso-t in the foreground of a background job, on two fresh ports;
# ready when isql logs in and /sparql answers. At the first start on DIR the dba password becomes
# a random one (DIR/dba.password); a restart on the same DIR keeps it. Exports
# CASEGRAPH_TEST_VIRTUOSO_{URL,QUERY,STORE,STORE_NOAUTH,USER,PASSWORD,NETRC,PID,SQL_PORT,HTTP_PORT,DIR}.
# shellcheck disable=SC2120  # DIR is optional
virtuoso_start() {
  stores_init
  virtuoso_install || return 1
  local dir=${1:-$stores_tmp/virtuoso} sql_port http_port pid attempt i fresh=1
  mkdir -p "$dir/load" "$dir/www"
  [ ! -e "$dir/virtuoso.db" ] || fresh=0
  for ((attempt = 1; attempt <= 5; attempt++)); do
    sql_port=$(stores_free_port)
    http_port=$(stores_free_port)
    [ "$sql_port" != "$http_port" ] || continue
    virtuoso_write_ini "$dir" "$sql_port" "$http_port"
    : >"$dir/virtuoso.log"
    virtuoso-t +configfile "$dir/virtuoso.ini" +foreground >>"$dir/stdout.log" 2>&1 &
    pid=$!
    stores_pids+=("$pid")
    # "Server online at" comes after both listeners are up; 2 to 6 s on a fresh database.
    for ((i = 0; i < 600; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      grep -q 'Server online at' "$dir/virtuoso.log" 2>/dev/null && break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null && stores_pid_listens "$pid" "$sql_port" \
      && stores_pid_listens "$pid" "$http_port"; then
      break
    fi
    stores_log "virtuoso-t did not start on ports $sql_port/$http_port (attempt $attempt); its log:"
    tail -5 "$dir/virtuoso.log" >&2
    stores_stop_pid "$pid"
    pid=""
  done
  [ -n "$pid" ] || return 1
  export CASEGRAPH_TEST_VIRTUOSO_PID=$pid CASEGRAPH_TEST_VIRTUOSO_DIR=$dir
  export CASEGRAPH_TEST_VIRTUOSO_SQL_PORT=$sql_port CASEGRAPH_TEST_VIRTUOSO_HTTP_PORT=$http_port
  export CASEGRAPH_TEST_VIRTUOSO_USER=dba

  if [ "$fresh" = 1 ]; then
    # The password file is written before the change, so a failed change leaves nothing unknown.
    (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(16))' >"$dir/dba.password")
    CASEGRAPH_TEST_VIRTUOSO_PASSWORD=dba
    virtuoso_isql <<<"USER_SET_PASSWORD ('dba', '$(cat "$dir/dba.password")');" >/dev/null || return 1
  fi
  CASEGRAPH_TEST_VIRTUOSO_PASSWORD=$(cat "$dir/dba.password")
  export CASEGRAPH_TEST_VIRTUOSO_PASSWORD
  (umask 077 && printf 'machine 127.0.0.1 login dba password %s\n' "$CASEGRAPH_TEST_VIRTUOSO_PASSWORD" >"$dir/netrc")
  export CASEGRAPH_TEST_VIRTUOSO_NETRC=$dir/netrc
  virtuoso_isql <<<'SELECT 1;' >/dev/null || return 1

  export CASEGRAPH_TEST_VIRTUOSO_URL=http://127.0.0.1:$http_port
  export CASEGRAPH_TEST_VIRTUOSO_QUERY=$CASEGRAPH_TEST_VIRTUOSO_URL/sparql
  export CASEGRAPH_TEST_VIRTUOSO_STORE=$CASEGRAPH_TEST_VIRTUOSO_URL/sparql-graph-crud-auth
  export CASEGRAPH_TEST_VIRTUOSO_STORE_NOAUTH=$CASEGRAPH_TEST_VIRTUOSO_URL/sparql-graph-crud
  if ! stores_wait_http "$CASEGRAPH_TEST_VIRTUOSO_QUERY?query=ASK%7B%7D" "$pid" 30; then
    stores_log "Virtuoso's /sparql does not answer on $CASEGRAPH_TEST_VIRTUOSO_URL"
    return 1
  fi
  stores_log "virtuoso $CASEGRAPH_TEST_VIRTUOSO_VERSION on $CASEGRAPH_TEST_VIRTUOSO_URL, SQL on 127.0.0.1:$sql_port (pid $pid, data $dir)"
}

# virtuoso_isql: runs the SQL on stdin as dba; prints isql's output and fails when isql does or
# when the output has a Virtuoso error (isql itself carries on after a failed statement).
# The password reaches isql on its stdin, never in its arguments (see the top of this file).
virtuoso_isql() {
  local out rc=0
  out=$({ printf 'SET PWD=%s;\n' "$CASEGRAPH_TEST_VIRTUOSO_PASSWORD"; cat; printf '\nEXIT;\n'; } \
    | isql-vt "DSN=127.0.0.1:$CASEGRAPH_TEST_VIRTUOSO_SQL_PORT" "UID=$CASEGRAPH_TEST_VIRTUOSO_USER" \
      VERBOSE=OFF BANNER=OFF PROMPT=OFF 2>&1) || rc=$?
  # isql echoes a failed statement, which may be the one that set the password.
  out=${out//"$CASEGRAPH_TEST_VIRTUOSO_PASSWORD"/***}
  printf '%s\n' "$out"
  if [ "$rc" != 0 ] || grep -q '^\*\*\* Error' <<<"$out"; then
    stores_log "isql-vt failed (exit $rc)"
    return 1
  fi
}

virtuoso_stop() { [ -z "${CASEGRAPH_TEST_VIRTUOSO_PID:-}" ] || stores_stop_pid "$CASEGRAPH_TEST_VIRTUOSO_PID"; }
