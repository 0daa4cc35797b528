//! The property-graph formats (GraphML, node-link JSON, Neo4j CSV, Mermaid), `render` and
//! `path`, driven through the real binary on the `mini` fixture, whose labels hold quotes, a
//! backslash, a line break, `<>&{}|` and CJK.
//!
//! Each writer is pinned by an exact file under `tests/expected/mini/`: those files are the
//! spec, read and checked by hand, so a failing test prints a diff and never rewrites them.

use crate::common::{assert_matches_file, casegraph, stdout_of};

/// Compares `actual` with `tests/expected/mini/<name>`, printing a line diff when they differ.
fn assert_matches_expected(actual: &str, name: &str) {
    assert_matches_file(actual, &format!("tests/expected/mini/{name}"));
}

#[test]
fn graphml_matches_expected_file() {
    assert_matches_expected(
        &stdout_of("mini", &["export", "--format", "graphml"]),
        "mini.graphml",
    );
}

#[test]
fn node_link_json_matches_expected_file() {
    assert_matches_expected(
        &stdout_of("mini", &["export", "--format", "json"]),
        "mini.json",
    );
}

#[test]
fn mermaid_matches_expected_file() {
    assert_matches_expected(
        &stdout_of("mini", &["export", "--format", "mermaid"]),
        "mini.mmd",
    );
}

#[test]
fn neo4j_csv_folder_matches_expected_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("neo4j");
    let out_arg = out.to_str().expect("UTF-8 temp path");
    stdout_of("mini", &["export", "--format", "csv", "--out", out_arg]);
    for name in ["nodes.csv", "relationships.csv"] {
        let actual = std::fs::read_to_string(out.join(name)).expect("file written");
        assert_matches_expected(&actual, name);
    }
    let mut files: Vec<_> = std::fs::read_dir(&out)
        .expect("folder")
        .map(|e| e.expect("entry").file_name())
        .collect();
    files.sort();
    assert_eq!(files, ["nodes.csv", "relationships.csv"], "no stray files");
}

#[test]
fn neo4j_csv_to_stdout_asks_for_a_folder() {
    let output = casegraph("mini", &["export", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "casegraph: --format csv writes two files, nodes.csv and relationships.csv: \
         give the folder to write them in with --out DIR\n"
    );
}

#[test]
fn graph_formats_are_byte_identical_across_runs() {
    for format in ["graphml", "json", "mermaid"] {
        let args = ["export", "--format", format];
        assert_eq!(
            stdout_of("mini", &args),
            stdout_of("mini", &args),
            "{format}"
        );
    }
}

/// Blank nodes get fresh labels at every load; the graph formats name them canonically, as the
/// RDF exports do. The shipped case's ontology has blank nodes (its SHACL shapes).
#[test]
fn blank_nodes_are_named_the_same_in_every_run() {
    for format in ["dot", "graphml", "json", "mermaid"] {
        let args = ["export", "--format", format, "--with-ontology"];
        let first = stdout_of("../..", &args);
        assert!(first.contains("_:"), "{format}: no blank node drawn");
        assert_eq!(first, stdout_of("../..", &args), "{format}");
    }
}

#[test]
fn out_file_extension_picks_the_graph_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (file, expected) in [("case.graphml", "mini.graphml"), ("case.mmd", "mini.mmd")] {
        let path = dir.path().join(file);
        stdout_of(
            "mini",
            &["export", "--out", path.to_str().expect("UTF-8 path")],
        );
        let written = std::fs::read_to_string(&path).expect("written");
        assert_matches_expected(&written, expected);
    }
}

#[test]
fn construct_result_nodes_keep_their_class_from_the_store() {
    // The CONSTRUCT states only c:Acme's type; c:AcmeCanada's class and label come from the
    // store, as the DOT export's would.
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        "mini",
        &[
            "query",
            "neighbourhood",
            "--param",
            "entity=c:Acme",
            "--format",
            "json",
        ],
    ))
    .expect("JSON");
    assert_eq!(
        json["nodes"][1],
        serde_json::json!({
            "id": "https://example.org/case/AcmeCanada",
            "label": "Acme Canada <Ltd> & {Co} | \\ 加拿大",
            "name": "c:AcmeCanada",
            "class": ["ex:Organisation"],
            "iri": "https://example.org/case/AcmeCanada"
        })
    );
    assert_eq!(json["links"].as_array().map(Vec::len), Some(1));
    // A CONSTRUCT result has no named graphs: its links come from the default graph.
    assert_eq!(
        json["links"][0]["sources"],
        serde_json::json!(["(default)"])
    );
}

#[test]
fn focus_applies_to_every_graph_format() {
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        "mini",
        &["export", "--format", "json", "--focus", "c:Acme"],
    ))
    .expect("JSON");
    let ids: Vec<&str> = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/case/Acme",
            "https://example.org/case/AcmeCanada"
        ]
    );
}

#[test]
fn stats_counts_what_the_graph_formats_write() {
    let stats: serde_json::Value =
        serde_json::from_str(&stdout_of("mini", &["stats", "--format", "json"])).expect("JSON");
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of("mini", &["export", "--format", "json"])).expect("JSON");
    assert_eq!(
        json["nodes"].as_array().map(Vec::len),
        stats["nodes"].as_u64().map(|n| n as usize)
    );
    assert_eq!(
        json["links"].as_array().map(Vec::len),
        stats["edges"].as_u64().map(|n| n as usize)
    );
    assert_eq!(
        stats["attributes"],
        serde_json::json!(["ex:date", "ex:quote"])
    );
}

#[test]
fn path_prints_chains_with_arrows_in_their_direction_and_sources() {
    assert_eq!(
        stdout_of("mini", &["path", "c:Canada", "c:Acme"]),
        "Government of Canada ←ordered by— Cessation order second line [source-1, source-2] \
         —targets→ Acme Canada <Ltd> & {Co} | \\ 加拿大 [source-1, source-2] \
         —subsidiary of→ Acme \"Widgets\" Inc. [source-1]\n"
    );
}

#[test]
fn path_lists_shortest_chains_first_and_tells_parallel_links_apart() {
    // A—C directly (a link walked against its direction), then A—B—C once per link between
    // A and B. The properties have no label, so their prefixed names are shown.
    assert_eq!(
        stdout_of("paths", &["path", "p:a", "p:c"]),
        "A ←ex:cites— C [art2]\n\
         A —ex:knows→ B [art1] —ex:knows→ C [art1, art2]\n\
         A —ex:likes→ B [art2] —ex:knows→ C [art1, art2]\n"
    );
    assert_eq!(
        stdout_of("paths", &["path", "p:a", "p:c", "--max", "1"]),
        "A ←ex:cites— C [art2]\n"
    );
}

#[test]
fn path_as_dot_draws_only_the_chain() {
    let dot = stdout_of(
        "mini",
        &["path", "c:Canada", "c:AcmeCanada", "--format", "dot"],
    );
    assert!(dot.starts_with("digraph casegraph {"), "{dot}");
    assert!(
        dot.contains("\"https://example.org/case/Order1\" -> \"https://example.org/case/Canada\"")
    );
    assert!(!dot.contains("https://example.org/case/Acme\" ["), "{dot}");
    assert!(!dot.contains("source-1\" ["), "{dot}");
}

#[test]
fn path_without_a_chain_exits_1() {
    let output = casegraph("mini", &["path", "c:source-1", "c:Acme"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "casegraph: no chain of relations links c:source-1 and c:Acme\n"
    );
}

#[test]
fn path_to_an_unknown_entity_is_an_error() {
    let output = casegraph("mini", &["path", "c:Canada", "c:Nobody"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "casegraph: TO `c:Nobody`: no such entity in the case\n"
    );
}

fn dot_on_path() -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("dot").is_file()))
        .unwrap_or(false)
}

#[test]
fn render_writes_svg_through_graphviz() {
    if !dot_on_path() {
        eprintln!("skipped: Graphviz `dot` is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("case.svg");
    stdout_of(
        "mini",
        &["render", "--out", svg.to_str().expect("UTF-8 path")],
    );
    let text = std::fs::read_to_string(&svg).expect("SVG written");
    assert!(text.starts_with("<?xml"), "{text}");
    assert!(text.contains("<svg"), "{text}");
    // The hostile label arrives whole, escaped for XML by Graphviz.
    assert!(text.contains("加拿大"), "{text}");
}

#[test]
fn render_without_graphviz_says_how_to_install_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("case.svg");
    let output = casegraph(
        "mini",
        &["render", "--out", svg.to_str().expect("UTF-8 path")],
    )
    .env("PATH", "")
    .output()
    .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "casegraph: Graphviz `dot` was not found on PATH; install Graphviz \
         (apt-get install graphviz, or brew install graphviz), or write DOT with \
         `casegraph export --format dot`\n"
    );
    assert!(!svg.exists(), "no file is left behind");
}
