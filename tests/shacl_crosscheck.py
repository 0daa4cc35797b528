#!/usr/bin/env python3
"""Cross-checks `casegraph check`'s SHACL results against pySHACL, an independent validator.

Usage: shacl_crosscheck.py CASE_DIR CASEGRAPH_BINARY

Both validators get the same graphs, built the way `casegraph check` builds them:
  * shapes graph: every triple of the files under CASE_DIR/ontology/;
  * data graph: the RDF merge of every graph of every file under ontology/ and data/
    (named graphs merged away, ontology included so that rdfs:subClassOf is visible).
The script compares the sets of (focus node, source shape) of the results of severity
sh:Violation or sh:Warning, and exits 1 (printing both differences) if they differ.
Results whose focus node or shape is a blank node are compared as "_:" (labels differ;
casegraph names a blank node by where it sits, a name with spaces, where pySHACL has a label).
"""

import json
import pathlib
import subprocess
import sys

import pyshacl
import rdflib
from rdflib.namespace import SH

FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads",
           ".rdf": "xml", ".owl": "xml", ".jsonld": "json-ld"}


def rdf_files(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)


def merged(files):
    """Every triple of `files`, named graphs merged into one graph."""
    graph = rdflib.Graph()
    for path in files:
        dataset = rdflib.Dataset()
        dataset.parse(path, format=FORMATS[path.suffix.lower()])
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    return graph


def key(term):
    return "_:" if isinstance(term, rdflib.BNode) else str(term)


def pyshacl_results(case):
    shapes = merged(rdf_files(case / "ontology"))
    data = merged(rdf_files(case / "ontology") + rdf_files(case / "data"))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                    advanced=False, allow_warnings=True)
    found = set()
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity not in (SH.Violation, SH.Warning):
            continue
        found.add((key(report.value(result, SH.focusNode)),
                   key(report.value(result, SH.sourceShape))))
    return found


def iri_or_blank(name):
    """An IRI as it is; a blank node's name ("the property shape of ...") as "_:"."""
    return "_:" if name.startswith("_:") or " " in name else name


def casegraph_results(case, binary):
    run = subprocess.run([binary, "-C", str(case), "check", "--format", "json"],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"casegraph check could not run (exit {run.returncode}): {run.stderr}")
    found = set()
    for line in run.stdout.splitlines():
        d = json.loads(line)
        if d["code"].startswith("shacl:"):
            found.add((iri_or_blank(d["focus_node"]), iri_or_blank(d.get("source_shape", "_:"))))
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    case, binary = pathlib.Path(sys.argv[1]), sys.argv[2]
    ours, theirs = casegraph_results(case, binary), pyshacl_results(case)
    if ours == theirs:
        print(f"{case}: casegraph and pySHACL agree on {len(ours)} (focus node, shape) results")
        return
    for label, only in (("only casegraph", ours - theirs), ("only pySHACL", theirs - ours)):
        for focus, shape in sorted(only):
            print(f"{case}: {label}: focus {focus} shape {shape}")
    sys.exit(1)


if __name__ == "__main__":
    main()
