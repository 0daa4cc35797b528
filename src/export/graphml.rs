//! GraphML: the property graph with every attribute declared by a `<key>`, for NetworkX,
//! Gephi, yEd and Cytoscape.
//!
//! Written by hand (a few dozen lines of XML) rather than through an XML crate: the document
//! is flat and the only care needed is escaping, done by [`escape`].

use crate::graph::{Node, PropertyGraph};
use std::io::{self, Write};

/// Joins the values of a property that has several, in GraphML's one-value-per-key cells.
pub const SEPARATOR: &str = "; ";

/// Writes `graph` as GraphML.
///
/// Nodes get the ids `n0`, `n1`, ... and edges `e0`, `e1`, ... (GraphML ids are XML name
/// tokens, which IRIs are not); the IRI is the node's `iri` attribute. Node attributes:
/// `label`, `name` (prefixed name), `class` (prefixed class names), `iri`, then one key per
/// literal property, named by its prefixed name (`ex:date`). Edge attributes: `label`,
/// `property` (prefixed name), `iri` and `sources` (the graphs stating the link). Several
/// values in one cell are joined with [`SEPARATOR`]. All keys are strings.
pub fn write_graphml(mut out: impl Write, graph: &PropertyGraph) -> io::Result<()> {
    // The helpers below take the writer by reference.
    let out = &mut out;
    let keys = graph.attribute_keys();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let fixed_node_keys = [
        ("label", "label"),
        ("name", "name"),
        ("class", "class"),
        ("iri", "iri"),
    ];
    for (id, name) in fixed_node_keys {
        write_key(out, id, "node", name)?;
    }
    for (position, key) in keys.iter().enumerate() {
        write_key(out, &format!("p{position}"), "node", key)?;
    }
    for (id, name) in [
        ("e_label", "label"),
        ("e_property", "property"),
        ("e_iri", "iri"),
        ("e_sources", "sources"),
    ] {
        write_key(out, id, "edge", name)?;
    }
    writeln!(out, r#"  <graph id="casegraph" edgedefault="directed">"#)?;
    for (index, node) in graph.nodes() {
        writeln!(out, r#"    <node id="n{}">"#, index.index())?;
        write_data(out, "label", &node.label)?;
        write_data(out, "name", &node.name)?;
        let classes: Vec<&str> = node.classes.iter().map(|(c, _)| &**c).collect();
        if !classes.is_empty() {
            write_data(out, "class", &classes.join(SEPARATOR))?;
        }
        write_data(out, "iri", &node.id())?;
        write_properties(out, node, &keys)?;
        writeln!(out, "    </node>")?;
    }
    for (position, (from, to, edge)) in graph.edges().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{position}" source="n{}" target="n{}">"#,
            from.index(),
            to.index()
        )?;
        write_data(out, "e_label", &edge.label)?;
        write_data(out, "e_property", &edge.name)?;
        write_data(out, "e_iri", edge.predicate.as_str())?;
        let sources: Vec<&str> = edge.source_names().collect();
        write_data(out, "e_sources", &sources.join(SEPARATOR))?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

fn write_key(out: &mut impl Write, id: &str, domain: &str, name: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"  <key id="{}" for="{domain}" attr.name="{}" attr.type="string"/>"#,
        escape(id),
        escape(name)
    )
}

fn write_data(out: &mut impl Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(out, r#"      <data key="{key}">{}</data>"#, escape(value))
}

fn write_properties(out: &mut impl Write, node: &Node, keys: &[&str]) -> io::Result<()> {
    for (property, values) in node.properties() {
        if let Some(position) = keys.iter().position(|k| *k == property) {
            write_data(out, &format!("p{position}"), &values.join(SEPARATOR))?;
        }
    }
    Ok(())
}

/// Escapes text for XML content and attribute values. Characters that XML 1.0 cannot hold at
/// all, even as references (most C0 controls, U+FFFE, U+FFFF), are written visibly escaped as
/// text, `\u{1}`, as in query tables: GraphML is a view for drawing and analysis tools, not
/// the case's data (that is the RDF export, which refuses them), and a visible escape shows
/// the curator the stray character where U+FFFD hid which one it was. A carriage return is
/// written as a reference so that parsers do not fold it into a line feed.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\r' => escaped.push_str("&#13;"),
            '\n' | '\t' => escaped.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c)))
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}\r\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\\u{1}&#13;\n"
        );
    }
}
