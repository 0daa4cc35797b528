#!/usr/bin/env python3
"""Runs the W3C SHACL test suite (tests/w3c-shacl/) through pySHACL and through casegraph,
side by side, and says where the two differ and which one the suite agrees with.

Usage: shacl_suite_pyshacl.py SUITE_DIR CASEGRAPH_BINARY

Each sht:Validate test of core/ and sparql/ is run
  * by pySHACL: pyshacl.validate(data graph, shacl_graph=shapes graph), no inference, with
    SHACL-SPARQL (pySHACL supports it) but not SHACL-AF;
  * by casegraph: `check --format shacl` on a case made of the test (shapes in ontology/, data
    in data/, the test file's location as the case's base IRI), as tests/shacl_suite.rs does.
Both reports are compared with the test's mf:result by the suite's rules, as the Rust runner
compares them: sh:conforms, the results as a multiset keyed on focus node, path, value, source
constraint component, severity, source shape and source constraint (a blank node as [], a blank path node by the
path it states), and the results' triples isomorphic (one node named twice is one node). The expected report is read as written (rdflib's
literal normalisation off); pySHACL reads the test files as it always does.

Prints a table per folder (tests, passed by pySHACL, passed by casegraph) and each test where
one fails. Exits 1 if casegraph fails a test, or if the tests pySHACL fails are not
PYSHACL_KNOWN below (a new pySHACL that fixes or breaks one: update the list and
docs/checking.md).
"""

import logging
import pathlib
import subprocess
import sys
import tempfile
import warnings
from collections import Counter

import pyshacl
import rdflib
from rdflib import RDF, BNode, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")

# The tests pySHACL 0.40 fails, by the suite's rules, with why (docs/checking.md says more).
PYSHACL_KNOWN = {
    # rdflib, which pySHACL reads the files with, rewrites the ill-typed "2011-01-01"^^xsd:dateTime
    # as "2011-01-01T00:00:00": the result's value is not the data's.
    "core/property/datatype-001":
        "the ill-typed value is reported as rdflib rewrote it",
    # the same: rdflib reads the ill-typed "none"^^xsd:boolean as "false".
    "core/property/or-datatypes-001":
        "the ill-typed value is reported as rdflib rewrote it",
    # sh:uniqueLang "1"^^xsd:boolean: the specification names only true, so the suite expects
    # the constraint to be ignored; pySHACL takes "1" for true (rdflib compares values) and
    # reports a violation.
    "core/property/uniqueLang-002":
        "sh:uniqueLang \"1\"^^xsd:boolean taken for true",
    # pySHACL does not pre-bind $shapesGraph and refuses the query.
    "sparql/pre-binding/shapesGraph-001":
        "refuses $shapesGraph, which it does not support",
}


def parse(path, normalize=True):
    """A Turtle file, with its own location as base (rdflib's default for a file)."""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = normalize
    try:
        graph = rdflib.Graph()
        graph.parse(path, format="turtle")
        return graph
    finally:
        rdflib.NORMALIZE_LITERALS = before


def file_of(iri):
    return pathlib.Path(iri.replace("file://", "", 1))


def tests(suite, manifest, out):
    """Every sht:Validate test reached from `manifest` by mf:include and mf:entries."""
    graph = parse(manifest)
    for m in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(m, MF.include):
            tests(suite, file_of(str(include)), out)
        entries = graph.value(m, MF.entries)
        if entries is None:
            continue
        for node in rdflib.collection.Collection(graph, entries):
            if (node, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(node, MF.action)
            name = str(manifest.relative_to(suite).with_suffix(""))
            if isinstance(node, URIRef) and str(node) != manifest.as_uri():
                tail = str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                if not name.endswith(tail):
                    name = f"{name}#{tail}"
            out.append({
                "name": name,
                "manifest": manifest,
                "node": node,
                "data": file_of(str(graph.value(action, SHT.dataGraph))),
                "shapes": file_of(str(graph.value(action, SHT.shapesGraph))),
            })


def key_term(term):
    return "[]" if isinstance(term, BNode) else term.n3()


def key_path(graph, path):
    if not isinstance(path, BNode):
        return path.n3()
    if graph.value(path, RDF.first) is not None:
        members = rdflib.collection.Collection(graph, path)
        return "(" + " ".join(key_path(graph, m) for m in members) + ")"
    for kind in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath",
                 "zeroOrOnePath"):
        inner = graph.value(path, SH[kind])
        if inner is not None:
            return f"[{kind} {key_path(graph, inner)}]"
    return "[]"


FIELDS = ("focusNode", "resultPath", "value", "sourceConstraintComponent", "resultSeverity",
          "sourceShape", "sourceConstraint")


def results(graph, report):
    """sh:conforms and the results' keys, with how many times each is there."""
    conforms = graph.value(report, SH.conforms)
    conforms = None if conforms is None else str(conforms) in ("true", "1")
    keys = Counter()
    for result in graph.objects(report, SH.result):
        fields = []
        for field in FIELDS:
            value = graph.value(result, SH[field])
            if value is None:
                shown = "-"
            elif field == "resultPath":
                shown = key_path(graph, value)
            else:
                shown = key_term(value)
            fields.append(f"{field} {shown}")
        keys[", ".join(fields)] += 1
    return conforms, keys


def compare(test, graph, report):
    """What differs between a report and the test's expected one ([] when they agree)."""
    manifest = parse(test["manifest"], normalize=False)
    expected = manifest.value(test["node"], MF.result)
    if expected == SHT.Failure:
        return ["ran where the suite expects a failure"]
    want_conforms, want = results(manifest, expected)
    got_conforms, got = results(graph, report)
    problems = []
    if want_conforms != got_conforms:
        problems.append(f"sh:conforms {got_conforms}, expected {want_conforms}")
    for key in sorted(set(want) | set(got)):
        if want[key] != got[key]:
            problems.append(f"{got[key]} result(s), expected {want[key]}: {key}")
    if not problems and not isomorphic(results_graph(manifest, expected),
                                       results_graph(graph, report)):
        problems.append("the same results, but a blank node named twice in one report is two "
                        "nodes in the other")
    return problems


def results_graph(graph, report):
    """The results' six keyed properties as a graph of their own, a path as the expression it
    states (one path node shared by two results, as pySHACL writes them, or one each, states
    the same path); other blank nodes are leaves, so one node named twice must be one node."""
    out = rdflib.Graph()
    root = URIRef("urn:casegraph:report")
    for result in graph.objects(report, SH.result):
        out.add((root, SH.result, result))
        for field in FIELDS:
            for value in graph.objects(result, SH[field]):
                if field == "resultPath":
                    value = rdflib.Literal(key_path(graph, value))
                out.add((result, SH[field], value))
    return out


def failure_expected(test):
    manifest = parse(test["manifest"], normalize=False)
    return manifest.value(test["node"], MF.result) == SHT.Failure


def run_pyshacl(test):
    data, shapes = parse(test["data"]), parse(test["shapes"])
    try:
        # allow_warnings and allow_infos stay off: with them sh:conforms would be true with
        # warnings, which the specification does not allow.
        _, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                              advanced=False)
    except Exception as error:  # pySHACL refuses the shapes: what sht:Failure asks for
        return [] if failure_expected(test) else [f"refused: {error}"]
    if not isinstance(report_graph, rdflib.Graph):  # a ValidationFailure, in place of a report
        return [] if failure_expected(test) else [f"refused: {report_graph}"]
    report = report_graph.value(None, RDF.type, SH.ValidationReport, any=True)
    return compare(test, report_graph, report)


def run_casegraph(test, binary):
    with tempfile.TemporaryDirectory() as dir:
        case = pathlib.Path(dir)
        (case / "ontology").mkdir()
        (case / "data").mkdir()
        (case / "ontology" / test["shapes"].name).write_bytes(test["shapes"].read_bytes())
        if test["data"] != test["shapes"]:
            (case / "data" / test["data"].name).write_bytes(test["data"].read_bytes())
        (case / "casegraph.toml").write_text(f'base = "{test["shapes"].as_uri()}"\n')
        run = subprocess.run([binary, "-C", str(case), "check", "--format", "shacl"],
                             capture_output=True)
    if run.returncode == 2:
        return [] if failure_expected(test) else [f"did not run: {run.stderr.decode()}"]
    # Read as written: rdflib's normalisation would rewrite casegraph's values.
    rdflib.NORMALIZE_LITERALS = False
    try:
        graph = rdflib.Graph()
        graph.parse(data=run.stdout, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = True
    report = graph.value(None, RDF.type, SH.ValidationReport, any=True)
    return compare(test, graph, report)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    suite, binary = pathlib.Path(sys.argv[1]).resolve(), sys.argv[2]
    # rdflib logs each ill-typed literal of the suite with a traceback, and pySHACL each
    # shape it finds odd; the table says what matters.
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    pyshacl_fails, casegraph_fails = {}, []
    for folder in ("core", "sparql"):
        all_tests = []
        tests(suite / folder, suite / folder / "manifest.ttl", all_tests)
        table = {}
        for test in all_tests:
            group = test["name"].split("/")[0]
            row = table.setdefault(group, [0, 0, 0])
            row[0] += 1
            theirs, ours = run_pyshacl(test), run_casegraph(test, binary)
            row[1] += not theirs
            row[2] += not ours
            name = f"{folder}/{test['name']}"
            if theirs:
                pyshacl_fails[name] = theirs
                print(f"pySHACL fails {name}:\n    " + "\n    ".join(theirs))
            if ours:
                casegraph_fails.append(name)
                print(f"casegraph fails {name}:\n    " + "\n    ".join(ours))
        print(f"| {folder}/ | tests | pySHACL {pyshacl.__version__} | casegraph |")
        for group, (count, theirs, ours) in sorted(table.items()):
            print(f"| {group} | {count} | {theirs} | {ours} |")
        totals = [sum(row[i] for row in table.values()) for i in range(3)]
        print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} |")
    status = 0
    if casegraph_fails:
        print(f"casegraph fails tests: {casegraph_fails}")
        status = 1
    if set(pyshacl_fails) != set(PYSHACL_KNOWN):
        print("the tests pySHACL fails are not the known ones:")
        print(f"  newly failing: {sorted(set(pyshacl_fails) - set(PYSHACL_KNOWN))}")
        print(f"  no longer failing: {sorted(set(PYSHACL_KNOWN) - set(pyshacl_fails))}")
        status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
