#!/usr/bin/env python3
"""Feeds `casegraph export --format ftm` to the FollowTheMoney library's own command line, and
checks that it keeps everything casegraph wrote.

    python3 tests/ftm_consumer.py CASEGRAPH_BINARY FTM_COMMAND CASE_DIR

`ftm validate` re-parses every entity with the FtM model, but it is lenient: it drops unknown
properties and values it cannot clean (a bad date) without a word, and accepts references to
entities that are not there. So its output is compared with casegraph's: the same entities with
the same schemata, and no value dropped. Every entity reference must name an entity of the file.
Every property must be one of its schema's (inherited ones included), as the FtM model says.
`ftm export-gexf` and `ftm export-cypher` must then read the file and write something.
The statements table (`--format ftm-statements`) must roll up (`ftm aggregate-statements`)
into the same entities, every statement with an article as origin where the case has one,
and its ids must be FtM's own statement keys.
Run it with the Python that has `followthemoney` installed.

Exits 0 when every check passes, 1 with one line per failure otherwise.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from followthemoney import model
from followthemoney.statement import Statement
from followthemoney.statement.serialize import read_path_statements

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(*command):
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return result.stdout


def entities(text):
    return {e["id"]: e for e in map(json.loads, text.splitlines())}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, ftm, case = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    with tempfile.TemporaryDirectory() as tmp:
        exported = Path(tmp) / "case.ftm"
        run(binary, "-C", str(case), "export", "--format", "ftm", "--out", str(exported))
        written = entities(exported.read_text(encoding="utf-8"))
        validated = entities(run(ftm, "validate", "-i", str(exported)))
        check(written, "casegraph wrote no entity")
        check(
            set(written) == set(validated),
            f"ftm validate kept {len(validated)} of {len(written)} entities",
        )
        values = 0
        for id, entity in written.items():
            back = validated.get(id)
            if back is None:
                continue
            check(
                back["schema"] == entity["schema"],
                f"{id}: schema {entity['schema']} read back as {back['schema']}",
            )
            for prop, vals in entity["properties"].items():
                kept = set(back["properties"].get(prop, []))
                for value in vals:
                    values += 1
                    check(value in kept, f"{id}: ftm validate dropped {prop} {value!r}")
        for id, entity in written.items():
            schema = model.get(entity["schema"])
            check(schema is not None, f"{id}: no FtM schema {entity['schema']}")
            for prop, vals in entity["properties"].items():
                found = schema.get(prop) if schema is not None else None
                check(found is not None, f"{id}: {entity['schema']} has no property {prop}")
                if found is not None and found.type.name == "entity":
                    for value in vals:
                        check(value in written, f"{id}: {prop} {value} is no entity of the file")
        table = Path(tmp) / "case.csv"
        run(binary, "-C", str(case), "export", "--format", "ftm-statements", "--out", str(table))
        rolled = entities(run(ftm, "aggregate-statements", "-f", "csv", "-i", str(table)))
        check(set(rolled) == set(written), "the statements roll up into other entities")
        for id, entity in written.items():
            back = rolled.get(id, {})
            check(back.get("schema") == entity["schema"], f"{id}: statements give another schema")
            got = {p: set(v) for p, v in back.get("properties", {}).items()}
            want = {p: set(v) for p, v in entity["properties"].items()}
            check(got == want, f"{id}: statements give {got}, entities {want}")
        rows = list(read_path_statements(table, "csv"))
        for row in rows:
            key = Statement.make_key(row.dataset, row.entity_id, row.prop, row.value, False)
            check(row.id == key, f"statement {row.id} is not FtM's key {key}")
        origins = {row.origin for row in rows if row.origin}
        gexf = run(ftm, "export-gexf", "-i", str(exported))
        check("<gexf" in gexf, "ftm export-gexf wrote no GEXF")
        cypher = run(ftm, "export-cypher", "-i", str(exported))
        check("MERGE" in cypher, "ftm export-cypher wrote no MERGE statement")

    for failure in failures:
        print(f"FAIL {case}: {failure}")
    if failures:
        sys.exit(1)
    print(
        f"ok {case}: ftm validate keeps all {len(written)} entities and {values} values; "
        f"ftm export-gexf ({len(gexf)} bytes) and export-cypher ({len(cypher)} bytes) read it; "
        f"{len(rows)} statements from {len(origins)} articles roll up into the same entities"
    )


if __name__ == "__main__":
    main()
