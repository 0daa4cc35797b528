//! The W3C SHACL test suite (`tests/w3c-shacl/`, vendored from w3c/data-shapes), run through
//! `casegraph check --format shacl`.
//!
//! Each `sht:Validate` test becomes a case in a temporary folder: its shapes graph under
//! `ontology/`, its data graph under `data/` (one file, when the test's data and shapes graph
//! are the same file, holds both: casegraph's data graph is the merge of every file of the
//! case). The case's base IRI (`casegraph.toml`) is the test file's own location, so that its
//! relative IRIs (`<>`) mean what the suite means by them. The report casegraph writes is
//! compared with the test's `mf:result` by the suite's rules: the same `sh:conforms`, and the
//! same results as a multiset, each keyed on its focus node, path, value, source constraint
//! component, severity, source shape and (for SHACL-SPARQL) source constraint
//! (`sh:resultMessage` is not compared), and as graphs:
//! the results' triples (those properties, a path as the expression it states) must be
//! isomorphic, so that a blank node is matched as the suite's isomorphism allows, any blank node
//! for any other, but one node named twice (as focus node and value, say) must be one node in
//! both reports. The keys, where a blank node is `[]` and a blank path node the path expression
//! it states, say what differs when a test fails.
//!
//! The SHACL-SPARQL tests (`sparql/`) are run the same way. A test whose `mf:result` is
//! `sht:Failure` passes when the check refuses to run (exit 2), as it must for a query that
//! pre-binding forbids.

use crate::common::{casegraph_in, root};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SH: &str = "http://www.w3.org/ns/shacl#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";
const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";

/// The properties of a result that the suite compares (not `sh:resultMessage`);
/// `sh:sourceConstraint` is in the SHACL-SPARQL tests' results only.
const FIELDS: [&str; 7] = [
    "focusNode",
    "resultPath",
    "value",
    "sourceConstraintComponent",
    "resultSeverity",
    "sourceShape",
    "sourceConstraint",
];

/// Core tests that do not pass, each with why. Empty: every core test passes. A test listed
/// here must fail, so that one that comes to pass is taken off the list.
const CORE_EXPECTED_FAILURES: &[&str] = &[];

/// The suite's folder. A checkout without it fails the runner: it is part of the repository.
fn suite() -> PathBuf {
    let dir = root().join("tests/w3c-shacl");
    assert!(
        dir.join("core/manifest.ttl").is_file(),
        "the W3C SHACL test suite is missing from {}",
        dir.display()
    );
    dir
}

fn iri(local: &str, namespace: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// A Turtle file parsed with its own location as base, as the suite intends.
fn parse(path: &Path) -> Graph {
    let base = url::Url::from_file_path(path).expect("an absolute path");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(base.as_str())
        .expect("a file: URL is an IRI")
        .for_slice(&bytes)
    {
        let quad = quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        graph.insert(quad.as_ref());
    }
    graph
}

fn object<'a>(
    graph: &'a Graph,
    subject: NamedOrBlankNodeRef<'_>,
    p: &NamedNode,
) -> Option<TermRef<'a>> {
    graph.object_for_subject_predicate(subject, p)
}

fn subject_of(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn file_of(term: TermRef<'_>) -> PathBuf {
    let TermRef::NamedNode(n) = term else {
        panic!("a graph of the suite is named by an IRI, not {term}")
    };
    let url = url::Url::parse(n.as_str()).expect("a URL");
    url.to_file_path().expect("a file: URL")
}

/// The members of an RDF list.
fn list<'a>(graph: &'a Graph, mut node: TermRef<'a>) -> Vec<TermRef<'a>> {
    let mut members = Vec::new();
    while let Some(cell) = subject_of(node) {
        if node == rdf::NIL.into() {
            break;
        }
        match object(graph, cell, &rdf::FIRST.into()) {
            Some(first) => members.push(first),
            None => break,
        }
        match object(graph, cell, &rdf::REST.into()) {
            Some(rest) => node = rest,
            None => break,
        }
    }
    members
}

/// One `sht:Validate` test.
struct Test {
    /// Its name: the path of its manifest file under the suite's folder, with the test's
    /// fragment or name when it is not the file itself (`node/class-001`, `node/qualified-001`).
    name: String,
    /// The manifest file that holds the expected report.
    manifest: PathBuf,
    data: PathBuf,
    shapes: PathBuf,
    /// The test node, in the manifest's graph.
    node: NamedOrBlankNode,
}

/// Every `sht:Validate` test reached from `manifest` by `mf:include` and `mf:entries`.
fn tests(suite: &Path, manifest: &Path, out: &mut Vec<Test>) {
    let graph = parse(manifest);
    let manifests: Vec<NamedOrBlankNode> = graph
        .subjects_for_predicate_object(rdf::TYPE, &iri("Manifest", MF))
        .map(NamedOrBlankNodeRef::into_owned)
        .collect();
    for m in &manifests {
        for include in graph.objects_for_subject_predicate(m, &iri("include", MF)) {
            tests(suite, &file_of(include), out);
        }
        let Some(entries) = object(&graph, m.as_ref(), &iri("entries", MF)) else {
            continue;
        };
        for entry in list(&graph, entries) {
            let node = subject_of(entry).expect("a test node");
            let validate = graph
                .objects_for_subject_predicate(node, rdf::TYPE)
                .any(|t| t == iri("Validate", SHT).as_ref().into());
            if !validate {
                continue;
            }
            let action = object(&graph, node, &iri("action", MF))
                .and_then(subject_of)
                .expect("a test's mf:action");
            let data =
                file_of(object(&graph, action, &iri("dataGraph", SHT)).expect("sht:dataGraph"));
            let shapes =
                file_of(object(&graph, action, &iri("shapesGraph", SHT)).expect("sht:shapesGraph"));
            let file = manifest
                .strip_prefix(suite)
                .expect("under the suite")
                .with_extension("");
            let mut name = file.display().to_string();
            if let NamedOrBlankNodeRef::NamedNode(n) = node {
                let own = url::Url::from_file_path(manifest).expect("a file: URL");
                if n.as_str() != own.as_str() {
                    let tail = n.as_str().rsplit(['/', '#']).next().unwrap_or_default();
                    if !name.ends_with(tail) {
                        name = format!("{name}#{tail}");
                    }
                }
            }
            out.push(Test {
                name,
                manifest: manifest.to_owned(),
                data,
                shapes,
                node: node.into_owned(),
            });
        }
    }
}

/// A term for a result key: an IRI or literal as N-Triples writes it, any blank node as `[]`.
fn key_term(term: TermRef<'_>) -> String {
    match term {
        TermRef::BlankNode(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

/// A SHACL path for a result key: the path expression a blank path node states, so that two
/// reports' path nodes compare by what they say (`^<p>`, `(<p> <q>)`, `[alternative (...)]`).
fn key_path(graph: &Graph, path: TermRef<'_>) -> String {
    let Some(node @ NamedOrBlankNodeRef::BlankNode(_)) = subject_of(path) else {
        return key_term(path);
    };
    if object(graph, node, &rdf::FIRST.into()).is_some() {
        let members: Vec<String> = list(graph, path)
            .into_iter()
            .map(|m| key_path(graph, m))
            .collect();
        return format!("({})", members.join(" "));
    }
    for kind in [
        "inversePath",
        "alternativePath",
        "zeroOrMorePath",
        "oneOrMorePath",
        "zeroOrOnePath",
    ] {
        if let Some(inner) = object(graph, node, &iri(kind, SH)) {
            return format!("[{kind} {}]", key_path(graph, inner));
        }
    }
    "[]".to_owned()
}

/// `sh:conforms` and the results of the report `report` in `graph`, each result's key with
/// how many times it is there.
fn results(
    graph: &Graph,
    report: NamedOrBlankNodeRef<'_>,
) -> (Option<bool>, BTreeMap<String, usize>) {
    let conforms = object(graph, report, &iri("conforms", SH)).and_then(|t| match t {
        TermRef::Literal(l) => Some(l.value() == "true" || l.value() == "1"),
        _ => None,
    });
    let mut keys = BTreeMap::new();
    for result in graph.objects_for_subject_predicate(report, &iri("result", SH)) {
        let result = subject_of(result).expect("a result node");
        let field = |local: &str| {
            object(graph, result, &iri(local, SH))
                .map(|t| {
                    if local == "resultPath" {
                        key_path(graph, t)
                    } else {
                        key_term(t)
                    }
                })
                .unwrap_or_else(|| "-".to_owned())
        };
        let key = FIELDS.map(|f| format!("{f} {}", field(f))).join(", ");
        *keys.entry(key).or_insert(0) += 1;
    }
    (conforms, keys)
}

/// The results of the report `report` in `graph` as a graph of their own, for an isomorphism
/// test: each result's keyed properties under one report node, a path as the expression
/// it states (one path node shared by two results, or one each, states the same path), any
/// other blank node (a focus node, a value, a shape) as a leaf, so that one node named by two
/// results (or as focus node and value) must be one node.
fn results_graph(graph: &Graph, report: NamedOrBlankNodeRef<'_>) -> Graph {
    let root = NamedNode::new_unchecked("urn:casegraph:report");
    let mut out = Graph::new();
    for result in graph.objects_for_subject_predicate(report, &iri("result", SH)) {
        let node = subject_of(result).expect("a result node");
        out.insert(oxigraph::model::TripleRef::new(
            &root,
            &iri("result", SH),
            result,
        ));
        for field in FIELDS {
            let predicate = iri(field, SH);
            for value in graph.objects_for_subject_predicate(node, &predicate) {
                let path;
                let value = if field == "resultPath" {
                    path = Literal::new_simple_literal(key_path(graph, value));
                    path.as_ref().into()
                } else {
                    value
                };
                out.insert(oxigraph::model::TripleRef::new(node, &predicate, value));
            }
        }
    }
    out.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    out
}

/// How one test went.
enum Outcome {
    Passed,
    /// The report differs from the expected one, or the check could not run: what differs.
    Failed(String),
}

/// The test as a case in a temporary folder.
fn make_case(test: &Test) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path();
    std::fs::create_dir_all(case.join("ontology")).expect("mkdir");
    std::fs::create_dir_all(case.join("data")).expect("mkdir");
    let name = |p: &Path| p.file_name().expect("a file name").to_owned();
    std::fs::copy(&test.shapes, case.join("ontology").join(name(&test.shapes))).expect("copies");
    if test.data != test.shapes {
        std::fs::copy(&test.data, case.join("data").join(name(&test.data))).expect("copies");
    }
    let base = url::Url::from_file_path(&test.shapes).expect("a file: URL");
    std::fs::write(case.join("casegraph.toml"), format!("base = \"{base}\"\n")).expect("writes");
    dir
}

/// Runs one test: the case made, checked, its report compared.
fn run(test: &Test) -> Outcome {
    let dir = make_case(test);
    let case = dir.path();
    let output = casegraph_in(case, &["check", "--format", "shacl"])
        .output()
        .expect("runs");
    let manifest = parse(&test.manifest);
    let failure = object(&manifest, test.node.as_ref(), &iri("result", MF))
        == Some(iri("Failure", SHT).as_ref().into());
    if output.status.code() == Some(2) {
        if failure {
            return Outcome::Passed;
        }
        return Outcome::Failed(format!(
            "the check did not run: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut actual = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&output.stdout) {
        match quad {
            Ok(quad) => actual.insert(quad.as_ref()),
            Err(e) => return Outcome::Failed(format!("the report is not Turtle: {e}")),
        };
    }
    let Some(report) = actual
        .subjects_for_predicate_object(rdf::TYPE, &iri("ValidationReport", SH))
        .next()
    else {
        return Outcome::Failed("no sh:ValidationReport in the output".to_owned());
    };
    if failure {
        // The validator must refuse the shapes, which a report with results is not.
        return Outcome::Failed(format!(
            "the check ran (exit {:?}), where the suite expects a failure",
            output.status.code()
        ));
    }
    let expected_report = object(&manifest, test.node.as_ref(), &iri("result", MF))
        .and_then(subject_of)
        .expect("a test's mf:result");
    let (want_conforms, want) = results(&manifest, expected_report);
    let (got_conforms, got) = results(&actual, report);
    let mut problems = Vec::new();
    if want_conforms != got_conforms {
        problems.push(format!(
            "sh:conforms {got_conforms:?}, expected {want_conforms:?}"
        ));
    }
    for key in want.keys().chain(got.keys()) {
        let (w, g) = (
            want.get(key).copied().unwrap_or(0),
            got.get(key).copied().unwrap_or(0),
        );
        if w != g && !problems.iter().any(|p| p.ends_with(key.as_str())) {
            problems.push(format!("{g} result(s), expected {w}: {key}"));
        }
    }
    if problems.is_empty()
        && results_graph(&manifest, expected_report) != results_graph(&actual, report)
    {
        problems.push(
            "the same results, but not the same graph: a blank node that the expected report names twice (as focus node and value, or in two results) is two nodes in casegraph's, or the other way round".to_owned(),
        );
    }
    if problems.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(problems.join("\n    "))
    }
}

/// Runs every test under `folder` of the suite; returns the tests and the failures by name,
/// and prints a table: tests and passed, per sub-folder.
fn run_suite(folder: &str) -> (Vec<Test>, BTreeMap<String, String>) {
    let suite = suite();
    let mut all = Vec::new();
    tests(
        &suite.join(folder),
        &suite.join(folder).join("manifest.ttl"),
        &mut all,
    );
    let mut failures = BTreeMap::new();
    let mut table: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for test in &all {
        let group = test.name.split('/').next().unwrap_or_default().to_owned();
        let row = table.entry(group).or_default();
        row.0 += 1;
        match run(test) {
            Outcome::Passed => row.1 += 1,
            Outcome::Failed(why) => {
                failures.insert(test.name.clone(), why);
            }
        }
    }
    println!("| {folder}/ | tests | passed |");
    for (group, (count, passed)) in &table {
        println!("| {group} | {count} | {passed} |");
    }
    let (count, passed) = table.values().fold((0, 0), |(c, p), (n, k)| (c + n, p + k));
    println!("| all | {count} | {passed} |");
    for (name, why) in &failures {
        println!("FAILED {name}:\n    {why}");
    }
    (all, failures)
}

/// Runs every test under `folder` and fails on any test that fails unless it is listed in
/// `expected_failures`, and on a listed test that passes.
fn assert_suite_passes(folder: &str, expected_failures: &[&str]) {
    let (_, failures) = run_suite(folder);
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|(name, _)| !expected_failures.contains(&name.as_str()))
        .map(|(name, why)| format!("{name}:\n    {why}"))
        .collect();
    let passing: Vec<_> = expected_failures
        .iter()
        .filter(|name| !failures.contains_key(**name))
        .collect();
    assert!(
        unexpected.is_empty() && passing.is_empty(),
        "{folder} tests that fail:\n{}\nlisted as failing but passing: {passing:?}",
        unexpected.join("\n")
    );
}

#[test]
fn the_w3c_shacl_core_suite_passes() {
    assert_suite_passes("core", CORE_EXPECTED_FAILURES);
}

/// SHACL-SPARQL tests that do not pass, each with why. Empty: every test passes, the seven
/// that expect a failure (`sht:Failure`) by the check refusing the shapes (exit 2).
const SPARQL_EXPECTED_FAILURES: &[&str] = &[];

#[test]
fn the_w3c_shacl_sparql_suite_passes() {
    assert_suite_passes("sparql", SPARQL_EXPECTED_FAILURES);
}
