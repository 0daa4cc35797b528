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
    out: &mut dyn Write,
    graph: &PropertyGraph,
    options: &GraphOptions,
) -> io::Result<()> {
    let classes: BTreeMap<&str, &str> = graph
        .nodes()
        .filter_map(|(_, n)| PropertyGraph::primary_class(n))
        .map(|(iri, label)| (iri.as_str(), label.as_str()))
        .collect();
    let style_of = |node: &Node| -> (&str, &str) {
        if matches!(node.term, Term::Literal(_)) {
            return LITERAL;
        }
        match PropertyGraph::primary_class(node) {
            Some((iri, _)) => {
                let position = classes.keys().position(|c| c == iri).unwrap_or(0);
                STYLES[position % STYLES.len()]
            }
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
    // Each node's quoted identifier once, for its own line and for every edge that ends at it.
    let mut ids: Vec<String> = Vec::with_capacity(graph.petgraph().node_count());
    for (_, node) in graph.nodes() {
        let (shape, fill) = style_of(node);
        let id = quote(&node_id(node));
        writeln!(
            out,
            "  {id} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
            quote_label(&node_label(node, options.full_literals)),
            quote(&node.name),
        )?;
        ids.push(id);
    }
    // Edges of one property share their attributes: escape them once per property.
    let mut attributes: FxHashMap<(&str, &str), String> = FxHashMap::default();
    for (from, to, edge) in graph.edges() {
        let attributes = attributes
            .entry((edge.label.as_str(), edge.name.as_str()))
            .or_insert_with(|| {
                format!(
                    "[label={}, tooltip={}]",
                    quote_label(&centred(&edge.label)),
                    quote(&edge.name)
                )
            });
        writeln!(
            out,
            "  {} -> {} {attributes};",
            ids[from.index()],
            ids[to.index()]
        )?;
    }
    if !classes.is_empty() {
        writeln!(out, "  subgraph cluster_legend {{")?;
        writeln!(out, "    label=\"Legend\"; fontsize=10; color=\"#999999\";")?;
        for (position, (iri, label)) in classes.iter().enumerate() {
            let (shape, fill) = STYLES[position % STYLES.len()];
            writeln!(
                out,
                "    {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
                quote(&format!("legend:{iri}")),
                quote_label(&centred(label)),
                quote(iri),
            )?;
        }
        writeln!(out, "  }}")?;
    }
    writeln!(out, "}}")
}

/// The node's identifier: its IRI, blank node label or literal form, which are unique.
fn node_id(node: &Node) -> String {
    match &node.term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}

/// The title (wrapped and centred) over the literal attributes (left-aligned), as DOT escString.
///
/// Unless `full` is set, a value is cut to [`MAX_VALUE`] characters and a property shows at most
/// [`MAX_VALUES`] values, with a line saying how many more there are: a drawing is for seeing the
/// shape of a case, and whole quotes belong in the RDF and graph exports.
fn node_label(node: &Node, full: bool) -> Vec<Line> {
    let mut lines: Vec<Line> = wrap(&node.label, WRAP)
        .into_iter()
        .map(Line::Centred)
        .collect();
    let mut attributes = node.attributes.iter().peekable();
    while let Some(first) = attributes.next() {
        let mut values = vec![first];
        while let Some(next) = attributes.next_if(|a| a.property == first.property) {
            values.push(next);
        }
        let shown = if full {
            values.len()
        } else {
            values.len().min(MAX_VALUES)
        };
        for attribute in &values[..shown] {
            let value = if full {
                attribute.value.clone()
            } else {
                cut(&attribute.value, MAX_VALUE)
            };
            let text = format!("{}: {value}", attribute.label);
            lines.extend(wrap(&text, WRAP).into_iter().map(Line::Left));
        }
        if shown < values.len() {
            lines.push(Line::Left(format!(
                "{}: (+{} more)",
                first.label,
                values.len() - shown
            )));
        }
    }
    lines
}

/// At most `max` characters of `text`, ending in `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// A line of a label and how Graphviz should justify it.
enum Line {
    Centred(String),
    Left(String),
}

/// A label made of lines, quoted: `\n` ends a centred line and `\l` a left-aligned one.
fn quote_label(lines: &[Line]) -> String {
    let mut label = String::from("\"");
    for line in lines {
        let (text, end) = match line {
            Line::Centred(text) => (text, "\\n"),
            Line::Left(text) => (text, "\\l"),
        };
        label.push_str(&escape(text));
        label.push_str(end);
    }
    // A trailing centred break would add an empty line; an attribute's `\l` must stay.
    if label.ends_with("\\n") {
        label.truncate(label.len() - 2);
    }
    label.push('"');
    label
}

/// A one-line-per-paragraph centred label (edge and legend labels).
fn centred(text: &str) -> Vec<Line> {
    wrap(text, WRAP).into_iter().map(Line::Centred).collect()
}

/// A DOT quoted string for identifiers and tooltips: backslashes and quotes escaped,
/// line breaks as escString `\n`.
fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text).replace('\n', "\\n"))
}

/// Escapes text for a DOT escString: `\` and `"` are escaped, control characters that Graphviz
/// cannot show become spaces (line breaks are handled by the callers, as `\n` or `\l`).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push('\n'),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Splits `text` into lines: at its own line breaks, then at spaces so that no line is longer
/// than `width` characters (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split("\r\n").flat_map(|p| p.split(['\r', '\n'])) {
        let (mut line, mut length) = (String::new(), 0);
        for word in paragraph.split(' ') {
            let word_length = word.chars().count();
            if !line.is_empty() && length + 1 + word_length > width {
                lines.push(std::mem::take(&mut line));
                length = 0;
            }
            if !line.is_empty() {
                line.push(' ');
                length += 1;
            }
            line.push_str(word);
            length += word_length;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_breaks() {
        assert_eq!(quote("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(quote_label(&centred("x\\")), r#""x\\""#);
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(wrap("a\nb", 7), vec!["a", "b"]);
    }
}
