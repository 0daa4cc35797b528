//! End-to-end tests of the core commands: the real binary on fixture cases.

use crate::common::{assert_matches_file, casegraph, error_of, fixture, stdout_of};
use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, GraphName, GraphNameRef, NamedNode, Quad, QuadRef};
use std::path::{Path, PathBuf};

const ONTOLOGY_GRAPH: &str = "https://w3id.org/casegraph/graph/ontology";

/// Reads the fixture's data files straight with Oxigraph's parser: what the store should hold.
fn fixture_dataset(case: &str, with_ontology: bool) -> Dataset {
    let mut dataset = Dataset::new();
    let mut files = Vec::new();
    for part in ["data", "ontology"] {
        if part == "ontology" && !with_ontology {
            continue;
        }
        let mut stack = vec![fixture(case).join(part)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixture folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push((part, path));
                }
            }
        }
    }
    for (part, path) in files {
        let format = RdfFormat::from_extension(path.extension().unwrap().to_str().unwrap())
            .expect("RDF file");
        let mut parser = RdfParser::from_format(format);
        if part == "ontology" {
            parser = parser.with_default_graph(NamedNode::new_unchecked(ONTOLOGY_GRAPH));
        }
        for quad in parser.for_reader(std::fs::File::open(&path).unwrap()) {
            dataset.insert(&quad.expect("fixture parses"));
        }
    }
    dataset
}

fn parse_dataset(text: &str, format: RdfFormat) -> Dataset {
    let mut dataset = Dataset::new();
    for quad in RdfParser::from_format(format).for_slice(text.as_bytes()) {
        dataset.insert(&quad.expect("exported RDF parses back"));
    }
    dataset
}

fn merged(dataset: &Dataset) -> Dataset {
    dataset
        .iter()
        .map(|q| {
            let mut q: Quad = q.into_owned();
            q.graph_name = GraphName::DefaultGraph;
            q
        })
        .collect()
}

fn assert_isomorphic(mut actual: Dataset, mut expected: Dataset, what: &str) {
    actual.canonicalize(CanonicalizationAlgorithm::Unstable);
    expected.canonicalize(CanonicalizationAlgorithm::Unstable);
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: {} quads exported, {} expected",
        actual.len(),
        expected.len()
    );
    assert!(actual == expected, "{what}: not the same graph as the case");
}

#[test]
fn every_rdf_export_parses_back_to_the_same_graph() {
    let expected = fixture_dataset("mini", false);
    for (name, format) in [
        ("turtle", RdfFormat::Turtle),
        ("trig", RdfFormat::TriG),
        ("ntriples", RdfFormat::NTriples),
        ("nquads", RdfFormat::NQuads),
        ("rdfxml", RdfFormat::RdfXml),
        ("jsonld", RdfFormat::from_extension("jsonld").unwrap()),
    ] {
        let text = stdout_of("mini", &["export", "--format", name]);
        let actual = parse_dataset(&text, format);
        if format.supports_datasets() {
            assert_isomorphic(actual, expected.clone(), name);
        } else {
            assert_isomorphic(actual, merged(&expected), name);
        }
    }
}

#[test]
fn with_ontology_exports_the_ontology_graph() {
    let text = stdout_of("mini", &["export", "--format", "nquads", "--with-ontology"]);
    assert_isomorphic(
        parse_dataset(&text, RdfFormat::NQuads),
        fixture_dataset("mini", true),
        "nquads --with-ontology",
    );
}

#[test]
fn exports_are_byte_identical_across_runs() {
    for format in ["turtle", "trig", "nquads", "dot", "jsonld"] {
        let first = stdout_of("mini", &["export", "--format", format]);
        let second = stdout_of("mini", &["export", "--format", format]);
        assert_eq!(first, second, "{format} output changed between runs");
    }
}

#[test]
fn turtle_declares_only_the_prefixes_it_uses() {
    let text = stdout_of("mini", &["export", "--format", "turtle"]);
    let prefixes: Vec<&str> = text.lines().filter(|l| l.starts_with("@prefix")).collect();
    assert_eq!(
        prefixes,
        vec![
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
            "@prefix c: <https://example.org/case/> .",
            "@prefix ex: <https://example.org/onto#> .",
        ]
    );
    // One block per subject: each subject opens exactly one statement.
    let subjects: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("c:"))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let mut unique = subjects.clone();
    unique.dedup();
    assert_eq!(subjects, unique);
    assert_eq!(subjects.len(), 6);
}

#[test]
fn dot_with_hostile_labels_matches_expected_file() {
    let text = stdout_of("mini", &["export", "--format", "dot"]);
    assert_matches_file(&text, "tests/expected/mini/case.dot");
}

#[test]
fn dot_focus_keeps_the_neighbourhood() {
    let text = stdout_of(
        "mini",
        &[
            "export", "--format", "dot", "--focus", "c:Acme", "--depth", "1",
        ],
    );
    assert!(text
        .contains("\"https://example.org/case/AcmeCanada\" -> \"https://example.org/case/Acme\""));
    assert!(
        !text.contains("\"https://example.org/case/Order1\" ["),
        "{text}"
    );
    let two = stdout_of(
        "mini",
        &[
            "export", "--format", "dot", "--focus", "c:Acme", "--depth", "2",
        ],
    );
    assert!(
        two.contains("\"https://example.org/case/Order1\" ["),
        "{two}"
    );
    assert!(
        !two.contains("\"https://example.org/case/Canada\" ["),
        "{two}"
    );
}

/// `--focus` draws a neighbourhood; an RDF syntax writes every statement, so the option is
/// refused there rather than passed over.
#[test]
fn focus_with_an_rdf_syntax_is_refused() {
    let output = casegraph(
        "mini",
        &["export", "--format", "turtle", "--focus", "c:Acme"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--focus c:Acme draws one entity's neighbourhood"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn out_file_format_comes_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.nq");
    casegraph("mini", &["export", "--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_isomorphic(
        parse_dataset(&text, RdfFormat::NQuads),
        fixture_dataset("mini", false),
        "--out case.nq",
    );
}

#[test]
fn failed_export_leaves_the_previous_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.ttl");
    std::fs::write(&out, "previous contents\n").unwrap();
    casegraph(
        "mini",
        &[
            "export",
            "--out",
            out.to_str().unwrap(),
            "--focus",
            "c:Nobody",
            "--format",
            "dot",
        ],
    )
    .assert()
    .code(2);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous contents\n"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn select_prints_an_aligned_table_with_prefixed_names() {
    assert_eq!(
        stdout_of("mini", &["query", "orders"]),
        "order     by        target        source\n\
         --------  --------  ------------  ----------\n\
         c:Order1  c:Canada  c:AcmeCanada  c:source-1\n\
         c:Order1  c:Canada  c:AcmeCanada  c:source-2\n"
    );
}

#[test]
fn union_default_graph_counts_a_triple_once() {
    // c:Order1 ex:target c:AcmeCanada is stated by both articles: the merge holds it once.
    let text = stdout_of(
        "mini",
        &[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { ?o ex:target ?t }",
            "--format",
            "csv",
        ],
    );
    assert_eq!(text, "n\r\n1\r\n");
    let per_graph = stdout_of(
        "mini",
        &[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?o ex:target ?t } }",
            "--format",
            "csv",
        ],
    );
    assert_eq!(per_graph, "n\r\n2\r\n");
}

#[test]
fn no_union_sees_the_default_graph_only() {
    let text = stdout_of(
        "mini",
        &[
            "query",
            "--no-union",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { ?o ex:target ?t }",
            "--format",
            "csv",
        ],
    );
    assert_eq!(text, "n\r\n0\r\n");
}

/// GRAPH-only, default-only and mixed queries, each loading only what it reads, count what
/// Oxigraph's own parse of the fixture's files says, whatever `--no-union` and
/// `--with-ontology` say.
#[test]
fn each_kind_of_query_counts_the_graphs_it_reads() {
    let all = fixture_dataset("mini", true);
    let ontology = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
    let csv_count = |n: usize| format!("n\r\n{n}\r\n");
    for (union, with_ontology) in [(true, false), (true, true), (false, false), (false, true)] {
        let in_named_scope = |g: &GraphName| match g {
            GraphName::DefaultGraph => false,
            GraphName::NamedNode(n) => with_ontology || *n != ontology,
            GraphName::BlankNode(_) => true,
        };
        let named: Vec<Quad> = all
            .iter()
            .map(|q| q.into_owned())
            .filter(|q| in_named_scope(&q.graph_name))
            .collect();
        // The union's default graph is every graph merged, the ontology's included; without
        // it, the files' default graph.
        let default = if union {
            merged(&all)
        } else {
            all.iter()
                .filter(|q| q.graph_name.is_default_graph())
                .map(|q| q.into_owned())
                .collect()
        };
        let in_default = |q: &Quad| {
            default.contains(QuadRef::new(
                &q.subject,
                &q.predicate,
                &q.object,
                GraphNameRef::DefaultGraph,
            ))
        };
        let mixed = named.iter().filter(|q| in_default(q)).count();
        for (what, query, expected) in [
            (
                "GRAPH-only",
                "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
                named.len(),
            ),
            (
                "default-only",
                "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                default.len(),
            ),
            (
                "mixed",
                "SELECT (COUNT(*) AS ?n) { ?s ?p ?o . GRAPH ?g { ?s ?p ?o } }",
                mixed,
            ),
        ] {
            let mut args = vec!["query", "-e", query, "--format", "csv"];
            if !union {
                args.push("--no-union");
            }
            if with_ontology {
                args.push("--with-ontology");
            }
            assert_eq!(
                stdout_of("mini", &args),
                csv_count(expected),
                "{what}, union {union}, with ontology {with_ontology}"
            );
        }
    }
}

#[test]
fn graph_patterns_do_not_reach_the_ontology_unless_asked() {
    let q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    assert_eq!(
        stdout_of("mini", &["query", "-e", q, "--format", "csv"]),
        "n\r\n2\r\n"
    );
    assert_eq!(
        stdout_of(
            "mini",
            &["query", "-e", q, "--format", "csv", "--with-ontology"]
        ),
        "n\r\n3\r\n"
    );
}

#[test]
fn select_results_in_w3c_formats() {
    let csv = stdout_of("mini", &["query", "orders", "--format", "csv"]);
    assert!(
        csv.starts_with("order,by,target,source\r\nhttps://example.org/case/Order1,"),
        "{csv}"
    );
    let tsv = stdout_of("mini", &["query", "orders", "--format", "tsv"]);
    assert!(
        tsv.starts_with("?order\t?by\t?target\t?source\n<https://example.org/case/Order1>\t"),
        "{tsv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of("mini", &["query", "orders", "--format", "json"])).unwrap();
    assert_eq!(
        json["head"]["vars"],
        serde_json::json!(["order", "by", "target", "source"])
    );
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 2);
    let xml = stdout_of("mini", &["query", "orders", "--format", "xml"]);
    assert!(xml.contains("<variable name=\"order\"/>"), "{xml}");
}

#[test]
fn parameters_are_bound_as_terms() {
    assert_eq!(
        stdout_of(
            "mini",
            &["query", "orders-against", "--param", "company=c:AcmeCanada"]
        ),
        "company       order     date\n\
         ------------  --------  ----------\n\
         c:AcmeCanada  c:Order1  2025-06-27\n\
         c:AcmeCanada  c:Order1  2025-06-28\n"
    );
    // A full IRI works the same; an organisation with no orders gives no rows.
    assert_eq!(
        stdout_of(
            "mini",
            &[
                "query",
                "orders-against",
                "--param",
                "company=<https://example.org/case/AcmeCanada>",
                "--format",
                "csv"
            ]
        )
        .lines()
        .count(),
        3
    );
    assert_eq!(
        stdout_of(
            "mini",
            &[
                "query",
                "orders-against",
                "--param",
                "company=c:Acme",
                "--format",
                "csv"
            ]
        ),
        "company,order,date\r\n"
    );
}

#[test]
fn a_parameter_cannot_inject_query_text() {
    // If the value were pasted into the query, this would match every order.
    let message = error_of(
        "mini",
        &[
            "query",
            "orders-against",
            "--param",
            "company=?x } UNION { ?order ex:target ?y",
        ],
    );
    assert!(message.contains("--param company"), "{message}");
    assert_eq!(
        stdout_of(
            "mini",
            &[
                "query",
                "orders-against",
                "--param",
                "company=\"c:AcmeCanada\"",
                "--format",
                "csv"
            ]
        ),
        "company,order,date\r\n"
    );
}

#[test]
fn ask_prints_the_answer_and_sets_the_exit_status() {
    casegraph("mini", &["query", "has-orders"])
        .assert()
        .code(0)
        .stdout("true\n");
    casegraph("mini", &["query", "-e", "ASK { ?s a ex:Nothing }"])
        .assert()
        .code(1)
        .stdout("false\n");
}

#[test]
fn construct_writes_rdf_or_dot() {
    let turtle = stdout_of(
        "mini",
        &["query", "neighbourhood", "--param", "entity=c:Acme"],
    );
    let graph = parse_dataset(&turtle, RdfFormat::Turtle);
    assert_eq!(graph.len(), 3, "{turtle}"); // type, label, and the subsidiary link
    let dot = stdout_of(
        "mini",
        &[
            "query",
            "neighbourhood",
            "--param",
            "entity=c:Acme",
            "--format",
            "dot",
        ],
    );
    assert!(dot.starts_with("digraph casegraph {"), "{dot}");
    assert!(dot.contains("[label=\"subsidiary of\""), "{dot}");
}

#[test]
fn queries_lists_titles_descriptions_and_parameters() {
    assert_eq!(
        stdout_of("mini", &["queries"]),
        "has-orders: Any orders?\n    Whether the case holds any order.\n\
         \x20   reads classes: <https://example.org/onto#Order>\n    reads properties: rdf:type\n\
         neighbourhood (entity): Neighbourhood\n    Everything said about an entity and everything that points at it.\n    --param entity=...  the entity (an IRI)\n\
         \x20   reads classes: none\n    reads properties: none\n\
         orders: Orders\n    Every order with who issued it and whom it targets, with the articles that say so.\n\
         \x20   reads classes: none\n    reads properties: ex:orderedBy ex:target\n\
         orders-against (company): Orders against an organisation\n    Orders whose target is the organisation.\n    --param company=...  the organisation (an IRI, e.g. c:AcmeCanada)\n\
         \x20   reads classes: none\n    reads properties: ex:date ex:target\n"
    );
}

#[test]
fn stats_counts_graphs_classes_and_properties() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of("mini", &["stats", "--format", "json"])).unwrap();
    assert_eq!(json["quads"], 20);
    assert_eq!(json["triples"], 18);
    assert_eq!(json["nodes"], 6);
    assert_eq!(json["edges"], 3);
    assert_eq!(
        json["graphs"],
        serde_json::json!([
            {"name": "(default)", "count": 12},
            {"name": "c:source-1", "count": 5},
            {"name": "c:source-2", "count": 3}
        ])
    );
    assert_eq!(
        json["classes"][1],
        serde_json::json!({"name": "ex:Organisation", "count": 3})
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    assert_closed_pipe_is_fine(&[
        "-C",
        fixture("mini").to_str().unwrap(),
        "export",
        "--format",
        "nquads",
    ]);
}

/// Runs casegraph with `args`, its stdout closed before it writes: it must still succeed.
fn assert_closed_pipe_is_fine(args: &[&str]) {
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("casegraph"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `stats --format json` writes through serde_json, whose error for a closed pipe did not show
/// its io::Error: the output must be larger than the write buffer for the pipe to close under
/// it, so the case has 600 graphs.
#[test]
fn regression_a_closed_pipe_under_json_output_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let mut trig = String::new();
    for i in 0..600 {
        trig.push_str(&format!(
            "<https://example.org/graph/{i}> {{ <https://example.org/s> <https://example.org/p> {i} . }}\n"
        ));
    }
    std::fs::write(dir.path().join("data/many.trig"), trig).unwrap();
    assert_closed_pipe_is_fine(&[
        "-C",
        dir.path().to_str().unwrap(),
        "stats",
        "--format",
        "json",
    ]);
}

// Error messages: one line, exit status 2, naming what is wrong and where.

#[test]
fn rdf_syntax_error_names_file_line_and_column() {
    assert_eq!(
        error_of("bad-syntax", &["stats"]),
        "casegraph: tests/fixtures/bad-syntax/data/broken.ttl:4:11: Unexpected end of file\n"
    );
}

#[test]
fn sparql_syntax_error_names_query_file_line_and_column() {
    assert_eq!(
        error_of("bad-query", &["query", "broken"]),
        "casegraph: tests/fixtures/bad-query/queries/broken.rq:4:7: SPARQL syntax error: expected one of HAVING, OFFSET, OPTIONAL, VALUES, ['0'..='9']\n"
    );
}

#[test]
fn unknown_query_lists_the_available_ones() {
    assert_eq!(
        error_of("mini", &["query", "nope"]),
        "casegraph: no query named `nope` in tests/fixtures/mini/queries; available: has-orders, neighbourhood, orders, orders-against\n"
    );
}

#[test]
fn unknown_prefix_in_param_is_named() {
    assert_eq!(
        error_of("mini", &["query", "orders-against", "--param", "company=zz:Acme"]),
        "casegraph: --param company `zz:Acme`: unknown prefix `zz:`; the case declares: c, ex, owl, rdf, rdfs, xsd\n"
    );
}

#[test]
fn undeclared_parameter_is_refused() {
    assert_eq!(
        error_of("mini", &["query", "orders", "--param", "company=c:Acme"]),
        "casegraph: query `orders` declares no parameter `company`; it declares: none\n"
    );
}

#[test]
fn missing_parameter_is_refused() {
    assert_eq!(
        error_of("mini", &["query", "orders-against"]),
        "casegraph: query `orders-against` needs --param company=VALUE: the organisation (an IRI, e.g. c:AcmeCanada)\n"
    );
}

#[test]
fn missing_case_folder_says_which_folder() {
    assert_eq!(
        error_of("does-not-exist", &["stats"]),
        "casegraph: case folder `tests/fixtures/does-not-exist` does not exist (a case is a folder holding ontology/, data/ and queries/; use -C DIR to point at one)\n"
    );
    assert_eq!(
        error_of("mini/queries", &["stats"]),
        "casegraph: `tests/fixtures/mini/queries` is not a case folder: expected `tests/fixtures/mini/queries/data` (a case holds ontology/, data/ and queries/)\n"
    );
}

#[test]
fn select_cannot_be_written_as_rdf() {
    assert_eq!(
        error_of("mini", &["query", "orders", "--format", "turtle"]),
        "casegraph: --format turtle: a SELECT query gives a table, not a graph; use table, csv, tsv, json, xml\n"
    );
}

/// Writes a case whose one data file is an N-Quads file large enough to be parsed in pieces.
fn large_nquads_case(dir: &Path, broken_line: Option<usize>) -> PathBuf {
    let case = dir.join("large");
    std::fs::create_dir_all(case.join("data")).unwrap();
    let mut text = String::new();
    let lines = 200_000; // about 12 MiB: over the 8 MiB split threshold
    for i in 1..=lines {
        if Some(i) == broken_line {
            text.push_str("<http://e.org/s> <http://e.org/p> \"unterminated <http://e.org/g> .\n");
        } else if i == 1 || i == lines {
            // The same blank node at both ends of the file, so in different pieces.
            text.push_str(&format!(
                "_:shared <http://e.org/n> \"{i}\" <http://e.org/g> .\n"
            ));
        } else {
            text.push_str(&format!(
                "<http://e.org/s{i}> <http://e.org/p> \"value number {i}\" <http://e.org/g> .\n"
            ));
        }
    }
    std::fs::write(case.join("data/big.nq"), text).unwrap();
    case
}

#[test]
fn large_line_based_files_are_parsed_in_pieces_as_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = large_nquads_case(dir.path(), None);
    let output = Command::cargo_bin("casegraph")
        .unwrap()
        .arg("-C")
        .arg(&case)
        .args([
            "query",
            "-e",
            "SELECT (COUNT(DISTINCT ?b) AS ?blank) (COUNT(*) AS ?all) WHERE { GRAPH ?g { ?b ?p ?o } FILTER(isBlank(?b)) }",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "blank,all\r\n1,2\r\n"
    );
}

/// The whole case as N-Triples, read from the files a piece at a time into ids, is byte for
/// byte what the same triples give when a CONSTRUCT answers them from a store: the two ways of
/// gathering quads for the sorted writer agree (blank node across pieces, scope, merge).
#[test]
fn export_read_from_the_files_writes_what_a_construct_of_every_triple_writes() {
    let dir = tempfile::tempdir().unwrap();
    let case = large_nquads_case(dir.path(), None);
    let export = |query: &[&str]| {
        let output = Command::cargo_bin("casegraph")
            .unwrap()
            .arg("-C")
            .arg(&case)
            .args(["export", "--format", "ntriples"])
            .args(query)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let from_files = export(&[]);
    let constructed = export(&["-e", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"]);
    assert_eq!(from_files.iter().filter(|&&b| b == b'\n').count(), 200_000);
    assert!(from_files == constructed, "the two N-Triples differ");
}

#[test]
fn syntax_errors_in_a_piece_of_a_large_file_give_the_line_in_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = large_nquads_case(dir.path(), Some(187_654));
    let output = Command::cargo_bin("casegraph")
        .unwrap()
        .arg("-C")
        .arg(&case)
        .arg("stats")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    let expected = format!("casegraph: {}:187654:", case.join("data/big.nq").display());
    assert!(message.starts_with(&expected), "{message}");
}

#[test]
fn export_refuses_a_query_that_answers_with_a_table() {
    assert_eq!(
        error_of("mini", &["export", "-e", "SELECT * { ?s ?p ?o }"]),
        "casegraph: query `<inline query>` must be a CONSTRUCT or DESCRIBE query to be exported as a graph (SELECT and ASK answer with tables)\n"
    );
    assert_eq!(
        error_of("mini", &["export", "--query", "has-orders"]),
        "casegraph: query `has-orders` must be a CONSTRUCT or DESCRIBE query to be exported as a graph (SELECT and ASK answer with tables)\n"
    );
}

/// `stats` reads the files without a store, which would hold each quad once: a quad stated
/// twice, in one file or in two, is still counted once.
#[test]
fn stats_counts_a_quad_stated_twice_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    let triples = "<urn:x:a> <urn:x:p> <urn:x:b> .\n<urn:x:a> a <urn:x:C> .\n";
    std::fs::write(data.join("a.ttl"), format!("{triples}{triples}")).expect("write");
    std::fs::write(data.join("b.nt"), "<urn:x:a> <urn:x:p> <urn:x:b> .\n").expect("write");
    let output = crate::common::casegraph_in(dir.path(), &["stats", "--format", "json"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(stats["quads"], 2, "{stats}");
    assert_eq!(stats["triples"], 2, "{stats}");
    assert_eq!(stats["graphs"][0]["count"], 2, "{stats}");
    assert_eq!(stats["classes"][0]["count"], 1, "{stats}");
}
