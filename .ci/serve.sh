# Sourced by the CI scripts that need a running server:  serve_case BIN TMPDIR
# Starts `BIN serve` on a free loopback port, waits until it says where it listens, and sets
# `pid` and `address` (http://127.0.0.1:PORT, no trailing slash). The caller's EXIT trap stops
# it by pid.
serve_case() {
  local bin=$1 tmp=$2
  "$bin" serve --bind 127.0.0.1:0 >"$tmp/out" 2>"$tmp/log" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q 'http://' "$tmp/out" && break
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/log"; return 1; }
    sleep 0.1
  done
  address="$(grep -o 'http://[0-9.:]*' "$tmp/out" | head -1)"
  [ -n "$address" ] || { echo "casegraph serve printed no address" >&2; cat "$tmp/log"; return 1; }
  echo "casegraph serve on $address (pid $pid)"
}
