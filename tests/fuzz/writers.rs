//! Fuzz-style property tests of the writers' escaping: generated hostile strings (control
//! characters, quotes, `<>&`, backslashes, bidirectional controls, long tokens) as labels and
//! literals never make a writer panic, nor write output that the format's real consumer rejects:
//! Graphviz `dot` for DOT, an XML parser for GraphML and GEXF, Oxigraph's RDF/XML parser (same graph
//! back) for RDF/XML, and a terminal for tables (no raw control character).
//!
//! Bounded (a few dozen cases of a few short strings) so that the whole file runs in seconds.

use casegraph::export::{self, GraphFormat, WriteContext};
use casegraph::graph::{GraphOptions, Labels};
use casegraph::query::table::{escape_controls, write_table};
use casegraph::rdf::prefixes::Prefixes;
use casegraph::Error;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term, Triple, Variable};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

/// Characters that break formats: XML and DOT syntax, escapes, controls, bidi, non-characters.
const HOSTILE: &[char] = &[
    '\u{0}',
    '\u{1}',
    '\u{7}',
    '\u{8}',
    '\t',
    '\n',
    '\u{b}',
    '\u{c}',
    '\r',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{9b}',
    '"',
    '\'',
    '<',
    '>',
    '&',
    '\\',
    '{',
    '}',
    '[',
    ']',
    '|',
    '#',
    ';',
    '`',
    ']',
    '\u{200e}',
    '\u{200f}',
    '\u{202e}',
    '\u{2066}',
    '\u{feff}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{fffd}',
    'é',
    '加',
    '\u{10ffff}',
    ' ',
];

fn hostile_string() -> impl Strategy<Value = String> {
    let c = prop_oneof![3 => proptest::sample::select(HOSTILE), 1 => any::<char>(), 2 => proptest::char::range('a', 'z')];
    prop_oneof![
        8 => proptest::collection::vec(c, 0..24).prop_map(|cs| cs.into_iter().collect()),
        // A huge token: one long word with a hostile character inside.
        1 => (1usize..3000, proptest::sample::select(HOSTILE))
            .prop_map(|(n, h)| format!("{}{h}{}", "w".repeat(n), "x".repeat(n / 2))),
    ]
}

fn iri(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("https://example.org/case/{local}"))
}

/// Entities `e0`, `e1`, ... labelled with `labels`, each with a literal property holding the
/// label again, chained by a property whose label is the first string.
fn quads_of(labels: &[String]) -> Vec<Quad> {
    let label = NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");
    let note = NamedNode::new_unchecked("https://example.org/onto#note");
    let link = NamedNode::new_unchecked("https://example.org/onto#link");
    let mut quads = vec![Quad::new(
        link.clone(),
        label.clone(),
        Literal::from(labels.first().cloned().unwrap_or_default()),
        GraphName::DefaultGraph,
    )];
    for (i, text) in labels.iter().enumerate() {
        let node = iri(&format!("e{i}"));
        let graph = GraphName::from(iri(&format!("source-{}", i % 2)));
        quads.push(Quad::new(
            node.clone(),
            label.clone(),
            Literal::from(text.as_str()),
            graph.clone(),
        ));
        quads.push(Quad::new(
            node.clone(),
            note.clone(),
            Literal::new_language_tagged_literal_unchecked(text.as_str(), "en"),
            graph.clone(),
        ));
        if i > 0 {
            quads.push(Quad::new(
                iri(&format!("e{}", i - 1)),
                link.clone(),
                node,
                graph,
            ));
        }
    }
    quads
}

fn write(format: GraphFormat, quads: Vec<Quad>) -> casegraph::error::Result<Vec<u8>> {
    let mut prefixes = Prefixes::well_known();
    prefixes.add("c", "https://example.org/case/");
    prefixes.add("ex", "https://example.org/onto#");
    let labels = Labels::from_dataset(&quads);
    let graph = GraphOptions::default();
    let context = WriteContext {
        prefixes: &prefixes,
        labels: &labels,
        graph: &graph,
    };
    let mut out = Vec::new();
    export::write(&mut out, format, quads, &context)?;
    Ok(out)
}

/// A character XML 1.0 cannot hold, even as a reference.
fn not_xml_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Well-formed XML: quick-xml reads it to the end with matching end tags, every text and
/// attribute unescapes (no bad entity), and no character XML forbids appears, raw or as a
/// character reference (quick-xml does not check characters; the XML 1.0 Char rule is
/// what rdflib and rapper enforce).
fn assert_well_formed_xml(xml: &str) {
    use quick_xml::events::Event;
    assert!(
        !xml.chars().any(not_xml_char),
        "raw forbidden character in {xml:?}"
    );
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Text(text)) => {
                let text = text.unescape().unwrap_or_else(|e| panic!("{e}: {xml:?}"));
                assert!(
                    !text.chars().any(not_xml_char),
                    "forbidden reference in {xml:?}"
                );
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for attribute in e.attributes() {
                    let attribute = attribute.unwrap_or_else(|e| panic!("{e}: {xml:?}"));
                    let value = attribute
                        .unescape_value()
                        .unwrap_or_else(|e| panic!("{e}: {xml:?}"));
                    assert!(
                        !value.chars().any(not_xml_char),
                        "forbidden reference in {xml:?}"
                    );
                }
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML ({e}): {xml:?}"),
        }
    }
}

/// The `label` attributes of the `<node>` elements, unescaped.
fn node_labels(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut labels = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == b"node" => {
                if let Some(label) = e.try_get_attribute("label").expect("attribute") {
                    labels.push(label.unescape_value().expect("unescapes").into_owned());
                }
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML ({e}): {xml:?}"),
        }
    }
    labels
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn graphml_is_well_formed_xml(labels in proptest::collection::vec(hostile_string(), 1..6)) {
        let out = write(GraphFormat::GraphMl, quads_of(&labels)).expect("GraphML is always written");
        assert_well_formed_xml(&String::from_utf8(out).expect("UTF-8"));
    }

    #[test]
    fn gexf_is_well_formed_xml_and_keeps_labels_whole(labels in proptest::collection::vec(hostile_string(), 1..6)) {
        let out = write(GraphFormat::Gexf, quads_of(&labels)).expect("GEXF is always written");
        let xml = String::from_utf8(out).expect("UTF-8");
        assert_well_formed_xml(&xml);
        // Every value is an attribute: what XML can hold comes back as it was, line breaks
        // and tabs included (a parser would fold raw ones into spaces).
        let read: BTreeSet<String> = node_labels(&xml).into_iter().collect();
        for label in labels.iter().filter(|l| !l.chars().any(not_xml_char)) {
            prop_assert!(read.contains(label), "{:?} not read back from {:?}", label, xml);
        }
    }

    #[test]
    fn rdfxml_is_refused_or_reads_back_as_the_same_graph(labels in proptest::collection::vec(hostile_string(), 1..6)) {
        let quads = quads_of(&labels);
        let forbidden = labels.iter().any(|l| l.chars().any(|c| not_xml_char(c) || c == '\r'));
        match write(GraphFormat::RdfXml, quads.clone()) {
            Err(Error::Unwritable { format, .. }) => {
                prop_assert!(forbidden, "refused without a reason");
                prop_assert_eq!(format, "RDF/XML");
            }
            Err(other) => panic!("unexpected error: {other}"),
            Ok(out) => {
                prop_assert!(!forbidden, "wrote a character XML cannot hold");
                let text = String::from_utf8(out).expect("UTF-8");
                assert_well_formed_xml(&text);
                let back: BTreeSet<String> = RdfParser::from_format(RdfFormat::RdfXml)
                    .for_slice(text.as_bytes())
                    .map(|q| q.map(|q| Triple::from(q).to_string()).unwrap_or_else(|e| panic!("{e}: {text}")))
                    .collect();
                let written: BTreeSet<String> = quads.into_iter().map(|q| Triple::from(q).to_string()).collect();
                prop_assert_eq!(back, written);
            }
        }
    }

    #[test]
    fn table_cells_hold_no_raw_control_character(labels in proptest::collection::vec(hostile_string(), 1..6)) {
        let rows: Vec<Vec<Option<Term>>> = labels
            .iter()
            .map(|l| vec![Some(Literal::from(l.as_str()).into()), Some(iri("x").into()), Some(Literal::new_typed_literal(l.as_str(), iri("T")).into())])
            .collect();
        let variables = ["a", "b", "c"].map(Variable::new_unchecked);
        let mut out = Vec::new();
        write_table(&mut out, &variables, &rows, &Prefixes::well_known()).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        prop_assert_eq!(text.lines().count(), rows.len() + 2, "one line a row: {:?}", text);
        prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{:?}", text);
        for label in &labels {
            let shown = escape_controls(label);
            prop_assert!(!shown.chars().any(char::is_control));
        }
    }
}

proptest! {
    // Graphviz runs once a case: fewer cases, several labels each.
    #![proptest_config(config(24))]

    #[test]
    fn dot_is_accepted_by_graphviz(labels in proptest::collection::vec(hostile_string(), 1..8)) {
        let out = write(GraphFormat::Dot, quads_of(&labels)).expect("DOT is always written");
        let mut dot = match Command::new("dot")
            .arg("-Tcanon")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            // Graphviz is not installed on this developer's machine: nothing to check against.
            // CI installs it, so there a missing `dot` is a failure, not a pass.
            Err(e) if std::env::var_os("CI").is_some() => panic!("Graphviz `dot` is needed in CI: {e}"),
            Err(_) => return Ok(()),
        };
        dot.stdin.take().expect("stdin").write_all(&out).expect("dot reads");
        let result = dot.wait_with_output().expect("dot ends");
        let stderr = String::from_utf8_lossy(&result.stderr);
        prop_assert!(result.status.success(), "dot failed: {}\n{}", stderr, String::from_utf8_lossy(&out));
        prop_assert!(!stderr.contains("rror") && !stderr.contains("syntax"), "dot: {}", stderr);
    }
}
