//! The property-graph formats (GraphML, GEXF, node-link JSON, Neo4j CSV, Mermaid), `render` and
//! `path`, driven through the real binary on the `mini` fixture, whose labels hold quotes, a
//! backslash, a line break, `<>&{}|` and CJK.
//!
//! Each writer is pinned by an exact file under `tests/expected/mini/`: those files are the
//! spec, read and checked by hand, so a failing test prints a diff and never rewrites them.

use crate::common::{assert_matches_file, casegraph, error_of, stdout_of};

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
fn gexf_matches_expected_file() {
    assert_matches_expected(
        &stdout_of("mini", &["export", "--format", "gexf"]),
        "mini.gexf",
    );
}

/// A GEXF node as an XML parser reads it back: its label, attribute values by attribute title,
/// and spells as `(start, end)`.
#[derive(Debug, Default, PartialEq)]
struct GexfNode {
    label: String,
    values: std::collections::BTreeMap<String, String>,
    spells: Vec<(String, String)>,
}

/// The nodes of a GEXF document by id, and its edges as `(source, target, kind, label)`, read
/// with quick-xml (every attribute unescaped, end tags checked).
fn read_gexf(
    xml: &str,
) -> (
    std::collections::BTreeMap<String, GexfNode>,
    Vec<[String; 4]>,
) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let attribute = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .expect("attribute")
            .map(|a| a.unescape_value().expect("unescapes").into_owned())
            .unwrap_or_default()
    };
    let (mut titles, mut nodes, mut edges) = (
        std::collections::BTreeMap::new(),
        std::collections::BTreeMap::new(),
        Vec::new(),
    );
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"attribute" => {
                    titles.insert(attribute(&e, "id"), attribute(&e, "title"));
                }
                b"node" => {
                    let id = attribute(&e, "id");
                    let node = GexfNode {
                        label: attribute(&e, "label"),
                        ..GexfNode::default()
                    };
                    nodes.insert(id.clone(), node);
                    current = Some(id);
                }
                b"edge" => {
                    current = None;
                    edges.push(["source", "target", "kind", "label"].map(|a| attribute(&e, a)));
                }
                b"attvalue" => {
                    if let Some(node) = current.as_ref().and_then(|id| nodes.get_mut(id)) {
                        let title = titles[&attribute(&e, "for")].clone();
                        node.values.insert(title, attribute(&e, "value"));
                    }
                }
                b"spell" => {
                    let node = current.as_ref().and_then(|id| nodes.get_mut(id));
                    node.expect("a spell inside a node")
                        .spells
                        .push((attribute(&e, "start"), attribute(&e, "end")));
                }
                _ => {}
            },
            _ => {}
        }
    }
    (nodes, edges)
}

#[test]
fn gexf_reads_back_with_its_labels_values_and_time() {
    let (nodes, edges) = read_gexf(&stdout_of("mini", &["export", "--format", "gexf"]));
    let labels: Vec<&str> = nodes.values().map(|n| n.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Acme \"Widgets\" Inc.",
            "Acme Canada <Ltd> & {Co} | \\ 加拿大",
            "Government of Canada",
            // A line break in an attribute value is a reference, so it is not read as a space.
            "Cessation order\nsecond line",
            "Article one",
            "Article two",
        ]
    );
    let order = &nodes["n3"];
    assert_eq!(order.values["ex:quote"], "The government \"ordered\" it.");
    assert_eq!(order.values["class"], "ex:Order");
    // The two articles give two dates: the order is on the timeline on both days.
    assert_eq!(
        order.spells,
        [
            ("2025-06-27".into(), "2025-06-27".into()),
            ("2025-06-28".into(), "2025-06-28".into())
        ]
    );
    assert!(
        nodes["n0"].spells.is_empty(),
        "an undated entity is always there"
    );
    assert_eq!(
        edges[1],
        ["n3", "n2", "ex:orderedBy", "ordered by"].map(String::from)
    );
}

#[test]
fn gexf_spans_each_date_at_its_precision() {
    let (nodes, _) = read_gexf(&stdout_of("dates", &["export", "--format", "gexf"]));
    let spells: Vec<(&str, Vec<(&str, &str)>)> = nodes
        .values()
        .map(|n| {
            let spells = n.spells.iter().map(|(s, e)| (s.as_str(), e.as_str()));
            (n.label.as_str(), spells.collect())
        })
        .collect();
    assert_eq!(
        spells,
        [
            // Year -44: no xs:date Gephi reads; the value stays an attribute.
            ("d:ancient", vec![]),
            ("A company\twith a tab", vec![]),
            ("d:day", vec![("2025-06-27", "2025-06-27")]),
            // Two articles, two days.
            (
                "d:disputed",
                vec![("2025-06-27", "2025-06-27"), ("2025-07-01", "2025-07-01")]
            ),
            ("d:month", vec![("2024-02-01", "2024-02-29")]),
            // A year and a day inside it: one interval, as GEXF forbids overlapping ones.
            ("d:nested", vec![("2021-01-01", "2021-12-31")]),
            // 30 February is no date.
            ("d:wrong", vec![]),
            ("d:year", vec![("2019-01-01", "2019-12-31")]),
            ("d:zoned", vec![("2023-03-05", "2023-03-05")]),
        ]
    );
    assert_eq!(nodes["n0"].values["ex:date"], "-0044");
    assert_eq!(nodes["n6"].values["ex:date"], "2025-02-30");
}

#[test]
fn gexf_without_dates_is_a_static_graph() {
    let gexf = stdout_of("paths", &["export", "--format", "gexf"]);
    assert!(
        gexf.contains(r#"<graph defaultedgetype="directed" mode="static">"#),
        "{gexf}"
    );
    assert!(!gexf.contains("<spell"), "{gexf}");
    // Two properties between the same two nodes are parallel edges of different kinds.
    let (_, edges) = read_gexf(&gexf);
    let kinds: Vec<&str> = edges
        .iter()
        .filter(|[s, t, _, _]| (s.as_str(), t.as_str()) == ("n0", "n1"))
        .map(|[_, _, kind, _]| kind.as_str())
        .collect();
    assert_eq!(kinds, ["ex:knows", "ex:likes"]);
}

#[test]
fn ftm_entities_match_expected_file_and_warn_of_what_is_unmapped() {
    let output = casegraph("ftm", &["export", "--format", "ftm"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert_matches_file(
        &String::from_utf8_lossy(&output.stdout),
        "tests/expected/ftm/entities.ftm",
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "casegraph: warning: FtM export: not mapped by the ontology's cg:ftmSchema and \
         cg:ftmProperty annotations, so left out: 1 property (ex:subsidiaryOf on Organization)\n"
    );
}

#[test]
fn ftm_references_point_at_entities_in_the_file_and_dates_keep_their_precision() {
    let text = stdout_of("ftm", &["export", "--format", "ftm"]);
    let entities: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let ids: Vec<&str> = entities.iter().filter_map(|e| e["id"].as_str()).collect();
    let order = entities
        .iter()
        .find(|e| e["schema"] == "Sanction")
        .expect("the order is a Sanction");
    for id in order["properties"]["entity"]
        .as_array()
        .expect("references")
    {
        assert!(ids.contains(&id.as_str().expect("an id")), "{id}");
    }
    // FtM's `authority` is a name, not a reference: cg:ftmLabelProperty writes the label.
    assert_eq!(
        order["properties"]["authority"],
        serde_json::json!(["Government of Canada"])
    );
    assert_eq!(
        order["properties"]["startDate"],
        serde_json::json!(["2025-06-27", "2025-06-28"])
    );
    // The same case gives the same ids on every run.
    assert_eq!(text, stdout_of("ftm", &["export", "--format", "ftm"]));
}

#[test]
fn ftm_statements_match_expected_file() {
    // One row per entity, property, value and article; the dataset is the ontology's
    // cg:ftmDataset; ids are FtM's statement keys (checked against FtM in .ci/ftm.sh).
    assert_matches_file(
        &stdout_of("ftm", &["export", "--format", "ftm-statements"]),
        "tests/expected/ftm/statements.csv",
    );
}

#[test]
fn ftm_of_a_query_result_is_refused() {
    let args = [
        "query",
        "-e",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "--format",
        "ftm",
    ];
    assert_eq!(
        error_of("ftm", &args),
        "casegraph: FtM entities are written from the case, mapped by its ontology's \
         annotations; a query's result does not carry them: use `casegraph export --format ftm`\n"
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
    for format in ["graphml", "gexf", "json", "mermaid"] {
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
    for format in ["dot", "graphml", "gexf", "json", "mermaid"] {
        let args = ["export", "--format", format, "--with-ontology"];
        let first = stdout_of("../..", &args);
        assert!(first.contains("_:"), "{format}: no blank node drawn");
        assert_eq!(first, stdout_of("../..", &args), "{format}");
    }
}

#[test]
fn out_file_extension_picks_the_graph_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (file, expected) in [
        ("case.graphml", "mini.graphml"),
        ("case.gexf", "mini.gexf"),
        ("case.mmd", "mini.mmd"),
    ] {
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
