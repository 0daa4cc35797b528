//! Graphviz DOT: nodes shaped and coloured by class with a legend, literals inside their node.

use crate::graph::{GraphOptions, Node, PropertyGraph};
use oxigraph::model::Term;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Shape and fill for the n-th class (in sorted order); the list repeats past its end.
pub(crate) const STYLES: &[(&str, &str)] = &[
    ("box", "#a6cee3"),
    ("ellipse", "#b2df8a"),
    ("hexagon", "#fb9a99"),
    ("octagon", "#fdbf6f"),
    ("component", "#cab2d6"),
    ("note", "#ffff99"),
    ("cylinder", "#8dd3c7"),
    ("house", "#bebada"),
    ("parallelogram", "#fb8072"),
    ("tab", "#80b1d3"),
    ("folder", "#fdb462"),
    ("diamond", "#b3de69"),
];

/// Style of nodes without a class.
const UNCLASSED: (&str, &str) = ("ellipse", "#ffffff");
/// Style of literals drawn as nodes.
const LITERAL: (&str, &str) = ("plaintext", "#ffffff");

/// Longest line of a node's title or attribute value before it wraps.
const WRAP: usize = 40;
/// Longest literal value a drawing shows whole (see `--full-literals`).
const MAX_VALUE: usize = 80;
/// Most values of one property a drawing shows.
const MAX_VALUES: usize = 3;

/// Writes `graph` as a DOT digraph. Every string is escaped for DOT, so any label
/// (quotes, backslashes, line breaks, `<>&{}|`, any script) is shown as it is.
pub fn write_dot(
    mut out: impl Write,
    graph: &PropertyGraph,
    options: &GraphOptions,
) -> io::Result<()> {
    let classes: BTreeMap<&str, &str> = graph
        .nodes()
        .filter_map(|(_, n)| PropertyGraph::primary_class(n))
        .map(|(iri, label)| (&**iri, &**label))
        .collect();
    let position: FxHashMap<&str, usize> = classes
        .keys()
        .enumerate()
        .map(|(position, iri)| (*iri, position))
        .collect();
    let style_of = |node: &Node| -> (&str, &str) {
        if matches!(node.term, Term::Literal(_)) {
            return LITERAL;
        }
        match PropertyGraph::primary_class(node) {
            Some((iri, _)) => STYLES[position[&**iri] % STYLES.len()],
            None => UNCLASSED,
        }
    };

    writeln!(out, "digraph casegraph {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, charset=\"UTF-8\", fontname=\"Helvetica\", overlap=false];"
    )?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\", color=\"#555555\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];"
    )?;
    // Each line is put together in one buffer and written whole; each node's quoted
    // identifier is kept for the edges that end at it.
    let mut line = String::new();
    let mut scratch = String::new();
    let mut ids: Vec<String> = Vec::with_capacity(graph.petgraph().node_count());
    for (_, node) in graph.nodes() {
        let (shape, fill) = style_of(node);
        let mut id = String::new();
        match &node.term {
            Term::NamedNode(n) => push_quoted(&mut id, n.as_str()),
            other => push_quoted(&mut id, &other.to_string()),
        }
        line.clear();
        line.push_str("  ");
        line.push_str(&id);
        line.push_str(" [label=");
        push_node_label(&mut line, &mut scratch, node, options.full_literals);
        line.push_str(", shape=");
        line.push_str(shape);
        line.push_str(", fillcolor=\"");
        line.push_str(fill);
        line.push_str("\", tooltip=");
        push_quoted(&mut line, &node.name);
        line.push_str("];\n");
        out.write_all(line.as_bytes())?;
        ids.push(id);
    }
    // Edges of one property share their attributes: escape them once per property.
    let mut attributes: FxHashMap<(&str, &str), String> = FxHashMap::default();
    for (from, to, edge) in graph.edges() {
        let attributes = attributes
            .entry((&edge.label, &edge.name))
            .or_insert_with(|| {
                let mut attributes = String::from("[label=");
                push_centred_label(&mut attributes, &edge.label);
                attributes.push_str(", tooltip=");
                push_quoted(&mut attributes, &edge.name);
                attributes.push(']');
                attributes
            });
        line.clear();
        line.push_str("  ");
        line.push_str(&ids[from.index()]);
        line.push_str(" -> ");
        line.push_str(&ids[to.index()]);
        line.push(' ');
        line.push_str(attributes);
        line.push_str(";\n");
        out.write_all(line.as_bytes())?;
    }
    if !classes.is_empty() {
        writeln!(out, "  subgraph cluster_legend {{")?;
        writeln!(out, "    label=\"Legend\"; fontsize=10; color=\"#999999\";")?;
        for (position, (iri, label)) in classes.iter().enumerate() {
            let (shape, fill) = STYLES[position % STYLES.len()];
            line.clear();
            line.push_str("    ");
            push_quoted(&mut line, &format!("legend:{iri}"));
            line.push_str(" [label=");
            push_centred_label(&mut line, label);
            line.push_str(", shape=");
            line.push_str(shape);
            line.push_str(", fillcolor=\"");
            line.push_str(fill);
            line.push_str("\", tooltip=");
            push_quoted(&mut line, iri);
            line.push_str("];\n");
            out.write_all(line.as_bytes())?;
        }
        writeln!(out, "  }}")?;
    }
    writeln!(out, "}}")
}

/// Appends the node's label as a quoted escString: the title (wrapped and centred) over the
/// literal attributes (left-aligned). `scratch` is a buffer to reuse.
///
/// Unless `full` is set, a value is cut to [`MAX_VALUE`] characters and a property shows at most
/// [`MAX_VALUES`] values, with a line saying how many more there are: a drawing is for seeing the
/// shape of a case, and whole quotes belong in the RDF and graph exports.
fn push_node_label(label: &mut String, scratch: &mut String, node: &Node, full: bool) {
    label.push('"');
    wrap(&node.label, WRAP, |line| push_line(label, line, CENTRED));
    // Attributes are sorted, so the values of a property come together.
    for values in node.attributes.chunk_by(|a, b| a.property == b.property) {
        let shown = if full {
            values.len()
        } else {
            values.len().min(MAX_VALUES)
        };
        for attribute in &values[..shown] {
            scratch.clear();
            scratch.push_str(&attribute.label);
            scratch.push_str(": ");
            if full {
                scratch.push_str(&attribute.value);
            } else {
                push_cut(scratch, &attribute.value, MAX_VALUE);
            }
            wrap(scratch, WRAP, |line| push_line(label, line, LEFT));
        }
        if shown < values.len() {
            scratch.clear();
            let more = values.len() - shown;
            scratch.push_str(&format!("{}: (+{more} more)", values[0].label));
            push_line(label, scratch, LEFT);
        }
    }
    end_label(label);
}

/// Appends a label of centred lines (edge and legend labels), quoted.
fn push_centred_label(label: &mut String, text: &str) {
    label.push('"');
    wrap(text, WRAP, |line| push_line(label, line, CENTRED));
    end_label(label);
}

/// The escString ends of a centred and of a left-aligned line.
const CENTRED: &str = "\\n";
const LEFT: &str = "\\l";

/// Appends one line of a label, escaped, and its end.
fn push_line(label: &mut String, line: &str, end: &str) {
    push_escaped(label, line, "\\n");
    label.push_str(end);
}

/// Closes a label: a trailing centred break would add an empty line (an attribute's `\l`
/// must stay).
fn end_label(label: &mut String) {
    if label.ends_with(CENTRED) {
        label.truncate(label.len() - CENTRED.len());
    }
    label.push('"');
}

/// Appends at most `max` characters of `text`, ending in `…` when cut.
fn push_cut(out: &mut String, text: &str, max: usize) {
    match text.char_indices().nth(max) {
        None => out.push_str(text),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(max - 1)
                .map_or(text.len(), |(i, _)| i);
            out.push_str(&text[..end]);
            out.push('…');
        }
    }
}

/// Appends a DOT quoted string for identifiers and tooltips: backslashes and quotes escaped,
/// line breaks as escString `\n`.
fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    push_escaped(out, text, "\\n");
    out.push('"');
}

/// Appends text escaped for a DOT escString: `\` and `"` are escaped, a line break becomes
/// `line_break`, and other control characters, which Graphviz cannot show, become spaces.
fn push_escaped(out: &mut String, text: &str, line_break: &str) {
    // Most text has nothing to escape: copy it whole.
    if !text
        .bytes()
        .any(|b| b == b'\\' || b == b'"' || !(0x20..0x7f).contains(&b))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str(line_break),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Splits `text` into lines and hands each to `line`: at its own line breaks, then at spaces
/// so that no line is longer than `width` characters (a longer word stays whole).
fn wrap<'t>(text: &'t str, width: usize, mut line: impl FnMut(&'t str)) {
    for paragraph in text.split("\r\n").flat_map(|p| p.split(['\r', '\n'])) {
        // The line so far is paragraph[start..end] (spaces before its first word are dropped);
        // `length` counts its characters.
        let (mut start, mut end, mut length) = (0, 0, 0);
        let mut offset = 0;
        for word in paragraph.split(' ') {
            let word_start = offset;
            offset += word.len() + 1;
            let word_length = word.chars().count();
            if end > start && length + 1 + word_length > width {
                line(&paragraph[start..end]);
                (start, end, length) = (0, 0, 0);
            }
            if end > start {
                length += 1 + word_length;
                end = word_start + word.len();
            } else if !word.is_empty() {
                (start, end, length) = (word_start, word_start + word.len(), word_length);
            }
        }
        line(&paragraph[start..end]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &str) -> String {
        let mut quoted = String::new();
        push_quoted(&mut quoted, text);
        quoted
    }

    fn centred(text: &str) -> String {
        let mut label = String::new();
        push_centred_label(&mut label, text);
        label
    }

    fn lines(text: &str, width: usize) -> Vec<&str> {
        let mut lines = Vec::new();
        wrap(text, width, |line| lines.push(line));
        lines
    }

    #[test]
    fn escapes_quotes_backslashes_and_breaks() {
        assert_eq!(quote("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(quote("tab\there\u{85}"), r#""tab here ""#);
        assert_eq!(centred("x\\"), r#""x\\""#);
        assert_eq!(centred("one\ntwo"), r#""one\ntwo""#);
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(lines("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(lines("a\nb", 7), vec!["a", "b"]);
        assert_eq!(lines("a\r\nb", 7), vec!["a", "b"]);
        assert_eq!(lines("", 7), vec![""]);
        // Spaces before a line's first word go; spaces between words stay.
        assert_eq!(lines("  a  b", 7), vec!["a  b"]);
        assert_eq!(lines("aaaaaaa  b", 7), vec!["aaaaaaa", "b"]);
        // A word longer than the line stays whole; widths count characters, not bytes.
        assert_eq!(lines("aaaaaaaaa b", 7), vec!["aaaaaaaaa", "b"]);
        assert_eq!(lines("ééé ééé", 7), vec!["ééé ééé"]);
    }

    #[test]
    fn cuts_long_values() {
        let mut cut = String::new();
        push_cut(&mut cut, "abcdef", 4);
        assert_eq!(cut, "abc…");
        cut.clear();
        push_cut(&mut cut, "abcd", 4);
        assert_eq!(cut, "abcd");
        cut.clear();
        push_cut(&mut cut, "ééééé", 3);
        assert_eq!(cut, "éé…");
    }
}
