#!/usr/bin/env bash
# Cross-checks `casegraph check`'s SHACL results with pySHACL (an independent validator) on the
# check-defects fixture and on the shipped case: the same (focus node, shape) pairs must fail.
# Run from anywhere: `bash .ci/shacl-crosscheck.sh` (builds the binary if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"

python3 -c 'import pyshacl' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pyshacl
cargo build --quiet
bin="$CARGO_TARGET_DIR/debug/casegraph"
python3 tests/shacl_crosscheck.py tests/fixtures/check-defects "$bin"
python3 tests/shacl_crosscheck.py . "$bin"
