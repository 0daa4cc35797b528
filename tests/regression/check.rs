//! Regression tests for the hardening of `check`, the exports and the text outputs against
//! hostile or unusual input, each named after the bug it pins. They drive the real binary on
//! the fixtures `tests/fixtures/check-*/`, whose expected diagnostics (`expected.txt`) were
//! checked by hand against the files (line and column of each offending term).

use crate::common::{assert_matches_file, fixture};
use assert_cmd::Command;

/// `casegraph check` run inside the fixture folder, so paths print as `data/...`:
/// (stdout, stderr, exit status).
fn check_in(case: &str) -> (String, String, Option<i32>) {
    let output = Command::cargo_bin("casegraph")
        .expect("binary built")
        .current_dir(fixture(case))
        .arg("check")
        .output()
        .expect("runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8 output"),
        String::from_utf8(output.stderr).expect("UTF-8 output"),
        output.status.code(),
    )
}

#[test]
fn regression_ill_typed_date_is_an_error_at_its_literal() {
    let (stdout, stderr, status) = check_in("check-literals");
    assert!(stdout.contains(
        "data/facts.ttl:6:12: error[ill-typed-literal]: \"27 June 2025\" is not a valid `xsd:date`: expected a date YYYY-MM-DD such as 2025-06-27"
    ), "{stdout}");
    assert!(stdout.contains(
        "data/facts.ttl:7:12: error[ill-typed-literal]: \"five\" is not a valid `xsd:integer`: expected an integer such as 42 or -7 (digits only)"
    ), "{stdout}");
    assert_eq!(status, Some(1), "ill-typed literals fail the check");
    assert_eq!(stderr, "13 errors, 3 warnings\n");
    // Every datatype family, valid forms not reported, N-Triples positions too.
    assert_matches_file(&stdout, "tests/fixtures/check-literals/expected.txt");
}

#[test]
fn regression_ill_typed_literal_ignores_valid_forms_and_strings() {
    let (stdout, _, _) = check_in("check-literals");
    for valid in [
        "\"2025-06-27\"",
        "\"5\"",
        "\"255\"",
        "\"27 June 2025\" is a",
    ] {
        assert!(!stdout.contains(valid), "{valid} reported:\n{stdout}");
    }
}

#[test]
fn regression_wrong_datatype_is_reported_at_the_value_in_its_own_file() {
    let (stdout, _, status) = check_in("check-locations");
    // Not at data/000.trig, where case:Acme is first written.
    assert!(stdout.contains(
        "data/002.trig:7:19: error[shacl:DatatypeConstraintComponent]: `case:Acme` violates shape `s:OrgShape-founded` on o:founded (value \"2019\"^^xsd:integer)"
    ), "{stdout}");
    assert!(!stdout.contains("000.trig"), "{stdout}");
    assert_eq!(status, Some(1));
}

#[test]
fn regression_missing_label_is_reported_where_the_entity_is_defined() {
    let (stdout, _, _) = check_in("check-locations");
    // At the subject of `case:Acme a o:Org` in data/entities.ttl, not in the claims files.
    assert!(stdout.contains(
        "data/entities.ttl:8:1: error[shacl:MinCountConstraintComponent]: `case:Acme` violates shape `s:OrgShape-label` on rdfs:label"
    ), "{stdout}");
    assert_matches_file(&stdout, "tests/fixtures/check-locations/expected.txt");
}

#[test]
fn regression_check_help_states_where_diagnostics_point() {
    let output = Command::cargo_bin("casegraph")
        .expect("binary built")
        .args(["check", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&output.stdout).replace('\n', " ");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("at that value"), "{help}");
    assert!(help.contains("rdf:type"), "{help}");
}

#[test]
fn regression_prefix_redeclared_with_another_namespace_is_an_error_at_each_declaration() {
    let (stdout, _, status) = check_in("check-prefixes");
    assert!(stdout.contains(
        "data/aaa.ttl:2:9: error[prefix-conflict]: prefix `case:` is bound here to <http://evil.example/> but to <https://example.org/case/> in ontology/onto.ttl:3:9"
    ), "{stdout}");
    // Also a redefinition inside one file, against the case's first binding.
    assert!(stdout.contains(
        "data/other.ttl:2:9: error[prefix-conflict]: prefix `o:` is bound here to <https://example.org/onto/> but to <https://example.org/onto#> in ontology/onto.ttl:2:9"
    ), "{stdout}");
    // The same binding declared again (data/entities.ttl, with SPARQL-style PREFIX) is fine.
    assert!(!stdout.contains("entities.ttl"), "{stdout}");
    assert_eq!(status, Some(1));
    assert_matches_file(&stdout, "tests/fixtures/check-prefixes/expected.txt");
}

#[test]
fn regression_byte_order_mark_neither_breaks_nor_shifts_check_positions() {
    let bytes = std::fs::read(fixture("check-bom/data/facts.ttl")).expect("fixture");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the fixture starts with a BOM"
    );
    let (stdout, stderr, status) = check_in("check-bom");
    assert_eq!(status, Some(1), "{stderr}");
    // Line 1 of a file with a BOM: columns as an editor shows them.
    assert!(
        stdout.contains("data/facts.ttl:1:102: error[ill-typed-literal]: \"five\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("data/more.trig:2:70: error[ill-typed-literal]: \"2025-13-01\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("ontology/onto.ttl:1:9: warning[unused-prefix]: prefix `foaf:`"),
        "{stdout}"
    );
    assert_matches_file(&stdout, "tests/fixtures/check-bom/expected.txt");
}

#[test]
fn regression_unsupported_shacl_features_are_warnings_naming_the_shape() {
    let (stdout, stderr, status) = check_in("check-unsupported-shacl");
    // sh:target on a named shape, at the sh:target it is written with.
    assert!(stdout.contains(
        "ontology/shapes.ttl:9:5: warning[unsupported-shacl]: shape `s:OrgShape`: SPARQL-based targets (sh:target) are not run"
    ), "{stdout}");
    // The shape's sh:sparql runs (its target reaches it): no warning about it.
    assert!(
        !stdout.contains("shape `s:OrgShape`: SPARQL-based constraints"),
        "{stdout}"
    );
    // A blank-node shape is named by its parent shape and path, never by a blank-node label.
    // Inside a collection, at its sh:sparql: a shape only used inside sh:or is not run.
    assert!(stdout.contains(
        "ontology/shapes.ttl:24:48: warning[unsupported-shacl]: the shape on `o:note` in the sh:or of shape `s:ArticleShape`: SPARQL-based constraints (sh:sparql) are run only for a shape that a target reaches"
    ), "{stdout}");
    // A blank-node shape as a whole: at its `[`.
    assert!(stdout.contains(
        "ontology/shapes.ttl:15:17: warning[unsupported-shacl]: the property shape of shape `s:OrgShape` (no sh:path): a property shape without sh:path"
    ), "{stdout}");
    assert!(stdout.contains(
        "ontology/shapes.ttl:18:1: warning[unsupported-shacl]: shape `s:ArticleShape-note`: a property shape without sh:path"
    ), "{stdout}");
    assert!(!stdout.contains("_:"), "no blank-node label: {stdout}");
    assert_eq!(stderr, "0 errors, 5 warnings\n");
    assert_eq!(status, Some(0), "warnings only");
    assert_matches_file(
        &stdout,
        "tests/fixtures/check-unsupported-shacl/expected.txt",
    );
}

/// The label of `c:Canada` in `tests/fixtures/hostile-labels`: U+0001, U+0007 and an
/// `ESC ] 0 ; ... BEL` sequence, which retitles a terminal window.
const HOSTILE: &str = "Government\u{1}of\u{7}Canada \u{1b}]0;pwned\u{7} end";

/// Whether `text` holds a C0 control other than a line break or tab, DEL, or a C1 control.
fn has_raw_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn regression_fixture_label_holds_the_hostile_characters() {
    let out = crate::common::stdout_of("hostile-labels", &["export", "--format", "ntriples"]);
    assert!(
        out.contains("Government\\u0001of\\u0007Canada \\u001B]0;pwned\\u0007 end"),
        "{out}"
    );
    assert!(HOSTILE.contains('\u{1b}'));
}

#[test]
fn regression_rdfxml_export_refuses_control_characters_xml_cannot_hold() {
    let stderr = crate::common::error_of("hostile-labels", &["export", "--format", "rdfxml"]);
    assert_eq!(
        stderr,
        "casegraph: cannot write RDF/XML: \"Government\\u0001of\\u0007Canada \\u001B]0;pwned\\u0007 end\" holds U+0001, which RDF/XML cannot represent; fix the data (or choose another format, such as Turtle)\n"
    );
}

#[test]
fn regression_graphml_escapes_control_characters_visibly_instead_of_u_fffd() {
    let out = crate::common::stdout_of("hostile-labels", &["export", "--format", "graphml"]);
    assert!(
        out.contains(
            r#"<data key="label">Government\u{1}of\u{7}Canada \u{1b}]0;pwned\u{7} end</data>"#
        ),
        "{out}"
    );
    assert!(!out.contains('\u{FFFD}') && !has_raw_control(&out));
}

#[test]
fn regression_query_table_shows_control_characters_escaped() {
    let out = crate::common::stdout_of(
        "hostile-labels",
        &[
            "query",
            "-e",
            "SELECT ?label WHERE { <https://example.org/case/Canada> <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        ],
    );
    assert!(!has_raw_control(&out), "{out:?}");
    assert!(
        out.contains(r"Government\u{1}of\u{7}Canada \u{1b}]0;pwned\u{7} end"),
        "{out}"
    );
}

#[test]
fn regression_path_sentence_shows_control_characters_escaped() {
    let out = crate::common::stdout_of("hostile-labels", &["path", "c:Canada", "c:Acme"]);
    assert!(!has_raw_control(&out), "{out:?}");
    assert!(
        out.starts_with(r"Government\u{1}of\u{7}Canada \u{1b}]0;pwned\u{7} end ←ordered by— "),
        "{out}"
    );
}

#[test]
fn regression_drawings_carry_no_raw_control_characters() {
    for format in ["dot", "mermaid", "json", "turtle"] {
        let out = crate::common::stdout_of("hostile-labels", &["export", "--format", format]);
        assert!(!has_raw_control(&out), "{format}: {out:?}");
    }
}

#[test]
fn regression_blank_node_labels_are_per_file_for_shacl_and_stats() {
    // data/a.ttl and data/b.ttl each give their own `_:x` one o:p; a sh:maxCount 1 shape
    // must not see one node with two values. Only data/c.ttl breaks the shape.
    let (stdout, stderr, status) = check_in("check-blank-nodes");
    assert!(
        !stdout.contains("data/a.ttl") && !stdout.contains("data/b.ttl"),
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("error[shacl:MaxCountConstraintComponent]")
            .count(),
        3,
        "{stdout}"
    );
    assert_eq!(stderr, "3 errors, 0 warnings\n");
    assert_eq!(status, Some(1));
    // The store counts the two `_:x` as two things too (with the three of data/c.ttl).
    let stats = crate::common::stdout_of("check-blank-nodes", &["stats"]);
    assert!(
        stats
            .lines()
            .any(|l| l.split_whitespace().eq(["o:Thing", "5"])),
        "{stats}"
    );
}

/// A scratch case with `shapes` as its ontology and `data` as its data: `check`'s
/// (stdout, exit status).
fn check_scratch(shapes: &str, data: &str, args: &[&str]) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path();
    std::fs::create_dir_all(case.join("ontology")).expect("mkdir");
    std::fs::create_dir_all(case.join("data")).expect("mkdir");
    std::fs::write(case.join("ontology/shapes.ttl"), shapes).expect("writes");
    std::fs::write(case.join("data/data.ttl"), data).expect("writes");
    let output = Command::cargo_bin("casegraph")
        .expect("binary built")
        .current_dir(case)
        .arg("check")
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8 output"),
        output.status.code(),
    )
}

const PREFIXES: &str =
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n";

#[test]
fn regression_shapes_not_typed_as_shapes_are_validated() {
    // The specification recognises a shape by its target as well as by its type (W3C core
    // suite misc/severity-002); such a case used to get `no-shapes` and no validation.
    let shapes = format!(
        "{PREFIXES}ex:S sh:targetNode ex:x ;\n  sh:property ex:S-p .\nex:S-p sh:path ex:p ;\n  sh:minCount 1 .\n"
    );
    let (stdout, status) = check_scratch(&shapes, "", &[]);
    assert!(!stdout.contains("no-shapes"), "{stdout}");
    assert!(
        stdout.contains(
            "error[shacl:MinCountConstraintComponent]: `ex:x` violates shape `ex:S-p` on ex:p"
        ),
        "{stdout}"
    );
    assert_eq!(status, Some(1));
}

#[test]
fn regression_one_shape_reached_from_two_parents_gives_two_results() {
    // ex:s3 is reached through ex:p and through ex:q: the report has two results for ex:j
    // (W3C core suite validation-reports/shared); they used to be merged into one.
    let shapes = format!(
        "{PREFIXES}ex:s1 a sh:NodeShape ; sh:targetNode ex:i ; sh:property ex:s2a , ex:s2b .\n\
         ex:s2a sh:path ex:p ; sh:property ex:s3 .\n\
         ex:s2b sh:path ex:q ; sh:property ex:s3 .\n\
         ex:s3 sh:path ex:r ; sh:class ex:C .\n"
    );
    let data = format!("{PREFIXES}ex:i ex:p ex:j ; ex:q ex:j .\nex:j ex:r ex:k .\n");
    let (report, status) = check_scratch(&shapes, &data, &["--format", "shacl"]);
    assert_eq!(
        report
            .matches("sh:focusNode <http://example.org/j>")
            .count(),
        2,
        "{report}"
    );
    assert_eq!(status, Some(1));
}
