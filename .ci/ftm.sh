#!/usr/bin/env bash
# Feeds `casegraph export --format ftm` and `--format ftm-statements` to the FollowTheMoney
# library's `ftm` command (validate, aggregate-statements, export-gexf, export-cypher) and
# checks that it drops no entity and no value.
# followthemoney pins many packages of its own, so it lives in a virtual environment of its own
# rather than beside NetworkX. Run from anywhere: `bash .ci/ftm.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casegraph-target}"
bin="$CARGO_TARGET_DIR/debug/casegraph"
[ -x "$bin" ] || cargo build --locked --quiet

venv="${CASEGRAPH_FTM_VENV:-$HOME/.cache/casegraph-ftm-venv}"
if ! "$venv/bin/python" -c 'import followthemoney' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check followthemoney
fi
"$venv/bin/python" -c 'import followthemoney; print("followthemoney", followthemoney.__version__)'

cases=(tests/fixtures/ftm)
if [ -d data ]; then cases+=(.); fi
for case in "${cases[@]}"; do
  "$venv/bin/python" tests/ftm_consumer.py "$bin" "$venv/bin/ftm" "$case"
done
