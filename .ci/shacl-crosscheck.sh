#!/usr/bin/env bash
# Cross-checks `casegraph check`'s SHACL results with pySHACL (an independent validator): on the
# check-defects fixture and on the shipped case the same (focus node, shape) pairs must fail;
# on the SHACL-SPARQL fixture too; on the W3C SHACL test suite (tests/w3c-shacl/) both are run
# side by side, casegraph must pass every test and pySHACL must fail only the tests
# docs/checking.md lists.
# pySHACL lives in a virtual environment (CASEGRAPH_SHACL_VENV, by default
# ~/.cache/casegraph-shacl-venv), made here if missing.
# Run from anywhere: `bash .ci/shacl-crosscheck.sh` (builds the binary if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"

venv="${CASEGRAPH_SHACL_VENV:-$HOME/.cache/casegraph-shacl-venv}"
if ! "$venv/bin/python" -c 'import pyshacl' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pyshacl
fi
python="$venv/bin/python"
"$python" -c 'import pyshacl; print("pySHACL", pyshacl.__version__)'
cargo build --quiet
bin="$CARGO_TARGET_DIR/debug/casegraph"
"$python" tests/shacl_crosscheck.py tests/fixtures/check-defects "$bin"
"$python" tests/shacl_crosscheck.py tests/fixtures/check-shacl-sparql "$bin"
"$python" tests/shacl_crosscheck.py . "$bin"
"$python" tests/shacl_suite_pyshacl.py tests/w3c-shacl "$bin"
