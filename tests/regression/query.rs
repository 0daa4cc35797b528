//! Regression tests for hostile or mistaken input to the commands that read files and run
//! SPARQL: runaway queries, SERVICE, deep nesting, misleading errors, byte order marks and
//! parser messages over several lines. Each test is named after the bug it pins.

use crate::common::{casegraph, error_of, fixture, root, stdout_of};
use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;

/// The cross product of every triple with every other, twice: about 10^9 rows on the shipped
/// case, which no query run ends in reasonable time.
const CROSS_COUNT: &str = "SELECT (COUNT(*) AS ?n) {?a ?b ?c.?d ?e ?f.?g ?h ?i}";
const CROSS_ALL: &str = "SELECT * {?a ?b ?c.?d ?e ?f.?g ?h ?i}";
const SERVICE: &str = "<http://127.0.0.1:9/sparql>";

/// `casegraph args...` on the shipped case: run from the crate root, without -C.
fn shipped(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("casegraph").expect("binary built");
    cmd.current_dir(root()).args(args);
    cmd
}

/// A copy of `tests/fixtures/mini` in a temporary folder, to add a hostile file to.
struct TempCase {
    dir: tempfile::TempDir,
}

impl TempCase {
    fn mini() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::common::copy_tree(&fixture("mini"), &dir.path().join("case"));
        Self { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("case")
    }

    fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a folder")).expect("creates folder");
        std::fs::write(path, contents).expect("writes");
        self
    }

    /// `casegraph -C case args...`, run in the temporary folder so paths in messages are short.
    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("casegraph")
            .expect("binary built")
            .current_dir(self.dir.path())
            .arg("-C")
            .arg("case")
            .args(args)
            .output()
            .expect("runs")
    }

    fn error(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "expected exit 2 from {args:?}; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stderr).expect("UTF-8 message")
    }

    fn stdout(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "casegraph {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }
}

const CASE_PREFIXES: &str = "c, ex, owl, rdf, rdfs, xsd";

// 1. Runaway queries.

#[test]
fn regression_count_cross_product_stops_at_timeout() {
    let output = shipped(&["query", "--timeout", "1s", "-e", CROSS_COUNT])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "casegraph: query `<inline query>` stopped after 1s (--timeout); a query that runs this long often joins unrelated patterns into a cross product: check that its patterns share variables, or give it more time\n"
    );
}

#[test]
fn regression_select_star_cross_product_streams_to_a_reader_that_stops_early() {
    // Before, every row was collected before the first was written: the command grew by
    // ~100 MB/s and `| head` never ended. The time limit is only a safety net: a run that hit
    // it would exit 2, not 0.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("casegraph"))
        .current_dir(root())
        .args([
            "query",
            "--timeout",
            "10m",
            "--format",
            "csv",
            "-e",
            CROSS_ALL,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("piped");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(5)
        .collect::<Result<_, _>>()
        .expect("reads rows");
    assert_eq!(lines[0], "a,b,c,d,e,f,g,h,i");
    assert_eq!(lines.len(), 5);
    // The pipe is closed here; the next write fails and the command ends.
    let output = child.wait_with_output().expect("ends");
    assert_eq!(
        output.status.code(),
        Some(0),
        "a closed pipe is not an error: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn regression_timeout_also_applies_while_results_stream() {
    // The first rows come at once; the limit must still stop the rest.
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("casegraph"))
        .current_dir(root())
        .args([
            "query",
            "--timeout",
            "1s",
            "--format",
            "tsv",
            "-e",
            CROSS_ALL,
        ])
        .stdout(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("stopped after 1s (--timeout)"));
}

#[test]
fn regression_export_query_stops_at_timeout() {
    let case = TempCase::mini();
    case.write(
        "queries/cross.rq",
        "CONSTRUCT { ?a ?b ?c } { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    );
    let error = case.error(&["export", "--query", "cross", "--timeout", "500ms"]);
    assert!(
        error.starts_with("casegraph: query `cross` stopped after 500ms (--timeout);"),
        "{error}"
    );
}

#[test]
fn regression_timeout_rejects_a_duration_without_unit() {
    for bad in ["10", "1.5s", "0s", "ten seconds"] {
        let output = shipped(&["query", "--timeout", bad, "-e", "ASK {}"])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("`{bad}`")), "{stderr}");
    }
    assert_eq!(
        stdout_of("mini", &["query", "--timeout", "2m", "-e", "ASK {}"]),
        "true\n"
    );
}

// 2. SERVICE makes outbound HTTP.

#[test]
fn regression_service_is_refused_without_allow_service() {
    let query = format!("SELECT * {{ SERVICE {SERVICE} {{ ?s ?p ?o }} }}");
    assert_eq!(
        error_of("mini", &["query", "-e", &query]),
        format!("casegraph: query `<inline query>` calls SERVICE {SERVICE}, which would send requests to another server; casegraph makes no network requests unless asked: pass --allow-service to let it\n")
    );
}

#[test]
fn regression_service_silent_nested_in_exists_and_subquery_is_refused() {
    for query in [
        format!("SELECT * {{ SERVICE SILENT {SERVICE} {{ ?s ?p ?o }} }}"),
        format!("ASK {{ FILTER EXISTS {{ SERVICE SILENT {SERVICE} {{ ?s ?p ?o }} }} }}"),
        format!(
            "SELECT * {{ {{ SELECT ?s {{ OPTIONAL {{ SERVICE {SERVICE} {{ ?s ?p ?o }} }} }} }} }}"
        ),
    ] {
        let error = error_of("mini", &["query", "-e", &query]);
        assert!(error.contains("pass --allow-service"), "{query}: {error}");
    }
}

#[test]
fn regression_named_query_with_service_in_a_case_folder_is_refused() {
    let case = TempCase::mini();
    case.write(
        "queries/remote.rq",
        format!("SELECT * {{ SERVICE {SERVICE} {{ ?s ?p ?o }} }}"),
    );
    assert_eq!(
        case.error(&["export", "--query", "remote"]),
        format!("casegraph: query `remote` calls SERVICE {SERVICE}, which would send requests to another server; casegraph makes no network requests unless asked: pass --allow-service to let it\n")
    );
}

#[test]
fn regression_allow_service_gets_past_the_refusal() {
    let query = format!("SELECT * {{ SERVICE {SERVICE} {{ ?s ?p ?o }} }}");
    let error = error_of("mini", &["query", "--allow-service", "-e", &query]);
    assert!(!error.contains("--allow-service"), "{error}");
    assert!(
        error.starts_with(&format!(
            "casegraph: query `<inline query>` failed: SERVICE {SERVICE}: "
        )),
        "{error}"
    );
}

#[test]
fn regression_service_silent_with_allow_service_gives_an_empty_result() {
    let query = format!("SELECT * {{ SERVICE SILENT {SERVICE} {{ ?s ?p ?o }} }}");
    // SILENT turns the failed call into one solution that binds nothing.
    assert_eq!(
        stdout_of(
            "mini",
            &["query", "--allow-service", "--format", "csv", "-e", &query]
        ),
        "o,p,s\r\n,,\r\n"
    );
}

// 3. Deep nesting aborts the process.

fn query_file_error(name: &str, text: &str) -> String {
    let case = TempCase::mini();
    case.write(&format!("queries/{name}.rq"), text);
    case.error(&["query", name])
}

#[test]
fn regression_20000_nested_parentheses_are_an_error_not_an_abort() {
    let text = format!(
        "SELECT * {{\n  FILTER({}1{})\n}}\n",
        "(".repeat(20000),
        ")".repeat(20000)
    );
    assert_eq!(
        query_file_error("parens", &text),
        "casegraph: case/queries/parens.rq:2:72: brackets nested more than 64 deep; casegraph refuses deeper queries, whose parsing could exhaust the stack\n"
    );
}

#[test]
fn regression_50000_nested_braces_are_an_error_not_an_abort() {
    let text = format!("SELECT * {}{}", "{".repeat(50000), "}".repeat(50000));
    assert_eq!(
        query_file_error("braces", &text),
        "casegraph: case/queries/braces.rq:1:74: brackets nested more than 64 deep; casegraph refuses deeper queries, whose parsing could exhaust the stack\n"
    );
}

#[test]
fn regression_20000_step_property_path_is_an_error_not_an_abort() {
    let text = format!("SELECT * {{ ?s {} ?o }}", vec!["ex:p"; 20000].join("/"));
    let error = query_file_error("path", &text);
    assert_eq!(
        error,
        format!("casegraph: case/queries/path.rq:1:{}: more than 64 chained operators (property path steps, ||, &&, +, UNION, groups, ...) in one group; casegraph refuses longer chains, whose parsing could exhaust the stack\n", 15 + 64 * 5 + 4)
    );
}

#[test]
fn regression_20000_groups_side_by_side_are_an_error_not_an_abort() {
    let text = format!("SELECT * {{ {} }}", "{ ?s ?p ?o }".repeat(20000));
    let error = query_file_error("groups", &text);
    assert!(error.contains("more than 64 chained operators"), "{error}");
}

#[test]
fn regression_a_64_step_path_still_runs() {
    let text = format!("ASK {{ ?s {} ?o }}", vec!["ex:p"; 64].join("/"));
    let case = TempCase::mini();
    case.write("queries/long.rq", text);
    let output = case.run(&["query", "long"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// JSON-LD of `depth` node objects, each the value of the one around it.
fn nested_jsonld(depth: usize) -> String {
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("{{\"@id\":\"http://example.org/n{i}\""));
        if i + 1 < depth {
            text.push_str(",\"http://example.org/p\":");
        }
    }
    text.push_str(&"}".repeat(depth));
    text
}

#[test]
fn regression_1000_nested_jsonld_objects_load() {
    let case = TempCase::mini();
    case.write("data/deep.jsonld", nested_jsonld(1000));
    assert_eq!(
        case.stdout(&[
            "query",
            "--format",
            "csv",
            "-e",
            "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/p> ?o }"
        ]),
        "n\r\n999\r\n"
    );
}

#[test]
fn regression_jsonld_nested_past_the_limit_is_an_error_at_its_position() {
    let case = TempCase::mini();
    let text = nested_jsonld(5000);
    case.write("data/deep.jsonld", &text);
    // The 1001st `{` opens the object past the limit.
    let column = text
        .match_indices('{')
        .nth(1000)
        .map(|(i, _)| i + 1)
        .expect("deep");
    assert_eq!(
        case.error(&["stats"]),
        format!("casegraph: case/data/deep.jsonld:1:{column}: JSON nested more than 1000 objects or arrays deep; casegraph reads no deeper JSON-LD\n")
    );
}

#[test]
fn regression_deep_turtle_collections_and_blank_node_lists_load() {
    let case = TempCase::mini();
    let prefix = "@prefix : <http://example.org/> .\n";
    case.write(
        "data/lists.ttl",
        format!(
            "{prefix}:s :p {}{} .\n",
            "(".repeat(20000),
            ")".repeat(20000)
        ),
    );
    case.write(
        "data/bnodes.ttl",
        format!(
            "{prefix}:s :q {}:o{} .\n",
            "[ :q ".repeat(20000),
            " ]".repeat(20000)
        ),
    );
    assert_eq!(
        case.stdout(&[
            "query",
            "--format",
            "csv",
            "-e",
            "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/q> ?o }"
        ]),
        "n\r\n20001\r\n"
    );
}

// 4. Misleading SPARQL errors.

#[test]
fn regression_misspelled_query_form_names_the_forms() {
    assert_eq!(
        error_of("mini", &["query", "-e", "PREFIX ex: <http://e/>\nSELEC * {}"]),
        "casegraph: <inline query>:2:1: expected a query form: SELECT, CONSTRUCT, ASK or DESCRIBE\n"
    );
}

#[test]
fn regression_garbage_names_the_query_forms() {
    assert_eq!(
        error_of("mini", &["query", "-e", "  %%% garbage"]),
        "casegraph: <inline query>:1:3: expected a query form: SELECT, CONSTRUCT, ASK or DESCRIBE\n"
    );
}

#[test]
fn regression_update_in_query_command_says_read_only() {
    assert_eq!(
        error_of("mini", &["query", "-e", "INSERT DATA { <a> <b> <c> }"]),
        "casegraph: <inline query>:1:1: this is a SPARQL Update (INSERT DATA); casegraph runs read-only queries\n"
    );
    assert_eq!(
        error_of("mini", &["query", "-e", "# tidy up\nDROP ALL"]),
        "casegraph: <inline query>:2:1: this is a SPARQL Update (DROP); casegraph runs read-only queries\n"
    );
}

#[test]
fn regression_unknown_prefix_is_named_with_the_case_prefixes() {
    assert_eq!(
        error_of("mini", &["query", "-e", "SELECT * { foo:x ?p ?o }"]),
        format!("casegraph: <inline query>:1:12: unknown prefix `foo:`; declare it with PREFIX foo: <...> or use one the case declares: {CASE_PREFIXES}\n")
    );
}

#[test]
fn regression_empty_query_says_it_is_empty() {
    for text in ["", "  \n", "# only a comment\n"] {
        assert_eq!(
            error_of("mini", &["query", "-e", text]),
            "casegraph: <inline query>: the query is empty\n"
        );
    }
}

// 5. Byte order marks.

const BOM: &str = "\u{feff}";

#[test]
fn regression_bom_at_the_start_of_data_files_is_accepted() {
    let case = TempCase::mini();
    let triple = "<http://example.org/s> <http://example.org/bom> \"x\" .\n";
    case.write("data/a.ttl", format!("{BOM}{triple}"));
    case.write("data/b.nt", format!("{BOM}{triple}"));
    case.write(
        "data/c.trig",
        format!("{BOM}<http://example.org/g> {{ {triple} }}\n"),
    );
    case.write(
        "data/d.nq",
        format!(
            "{BOM}<http://example.org/s> <http://example.org/bom> \"y\" <http://example.org/g> .\n"
        ),
    );
    assert_eq!(
        case.stdout(&[
            "query",
            "--format",
            "csv",
            "-e",
            "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/bom> ?o }"
        ]),
        "n\r\n2\r\n"
    );
}

#[test]
fn regression_bom_keeps_later_error_positions_right() {
    let case = TempCase::mini();
    case.write(
        "data/a.ttl",
        format!("{BOM}<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n<http://example.org/s> <http://example.org/p> .\n"),
    );
    assert_eq!(
        case.error(&["stats"]),
        "casegraph: case/data/a.ttl:2:47: . is not a valid RDF object\n"
    );
    let case = TempCase::mini();
    case.write(
        "data/a.nt",
        format!("{BOM}<http://example.org/s> <http://example.org/p> ."),
    );
    assert_eq!(
        case.error(&["stats"]),
        "casegraph: case/data/a.nt:1:47: The object of a triple must be an IRI, a blank node or a literal\n"
    );
}

#[test]
fn regression_bom_in_a_query_file_is_accepted() {
    let case = TempCase::mini();
    case.write(
        "queries/bom.rq",
        format!("{BOM}# title: with a BOM\nASK {{}}\n"),
    );
    assert_eq!(case.stdout(&["query", "bom"]), "true\n");
    case.write("queries/bad.rq", format!("{BOM}SELEC * {{}}\n"));
    assert_eq!(
        case.error(&["query", "bad"]),
        "casegraph: case/queries/bad.rq:1:1: expected a query form: SELECT, CONSTRUCT, ASK or DESCRIBE\n"
    );
}

// 6. Parser errors on one line.

#[test]
fn regression_multi_line_parser_message_is_one_line() {
    // The RDF/XML parser quotes the bad IRI, line break and all.
    let case = TempCase::mini();
    case.write(
        "data/bad.rdf",
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"a\nb\"/></rdf:RDF>",
    );
    let error = case.error(&["stats"]);
    assert_eq!(error.lines().count(), 1, "{error}");
    assert_eq!(
        error,
        "casegraph: case/data/bad.rdf: error while parsing IRI 'a; b': Invalid IRI code point '; '\n"
    );
}

#[test]
fn regression_help_says_there_is_no_default_timeout() {
    let help = String::from_utf8(
        casegraph("mini", &["query", "--help"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("UTF-8");
    assert!(help.contains("No limit by default"), "{help}");
    assert!(help.contains("--allow-service"), "{help}");
}
