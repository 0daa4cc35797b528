//! Mermaid flowcharts, which GitHub, GitLab and many Markdown editors draw from a
//! ` ```mermaid ` block.

use crate::export::dot::STYLES;
use crate::graph::PropertyGraph;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Writes `graph` as a left-to-right Mermaid flowchart.
///
/// Nodes are `n0`, `n1`, ... (a comment gives each one's IRI); a node shows its label over its
/// literal properties, edges show the property's label. Nodes are filled by class with the
/// colours of the DOT export, and a `Legend` subgraph names the classes. Every label is quoted
/// and escaped with Mermaid's entity codes ([`escape`]), so no text can break the chart.
pub fn write_mermaid(mut out: impl Write, graph: &PropertyGraph) -> io::Result<()> {
    // Styled by first class, as in the DOT export, so both drawings use the same colours.
    let classes: BTreeMap<&str, &str> = graph
        .nodes()
        .filter_map(|(_, n)| PropertyGraph::primary_class(n))
        .map(|(iri, label)| (&**iri, &**label))
        .collect();
    let style_of = |iri: &str| classes.keys().position(|c| *c == iri);

    writeln!(out, "flowchart LR")?;
    for (index, node) in graph.nodes() {
        let mut lines = vec![escape(&node.label)];
        for attribute in &node.attributes {
            lines.push(escape(&format!("{}: {}", attribute.label, attribute.value)));
        }
        let class = PropertyGraph::primary_class(node)
            .and_then(|(iri, _)| style_of(iri))
            .map(|position| format!(":::c{position}"))
            .unwrap_or_default();
        writeln!(out, "  %% n{}: {}", index.index(), comment(&node.id()))?;
        writeln!(
            out,
            "  n{}[\"{}\"]{class}",
            index.index(),
            lines.join("<br>")
        )?;
    }
    for (from, to, edge) in graph.edges() {
        writeln!(
            out,
            "  n{} -->|\"{}\"| n{}",
            from.index(),
            escape(&edge.label),
            to.index()
        )?;
    }
    if !classes.is_empty() {
        writeln!(out, "  subgraph legend[\"Legend\"]")?;
        for (position, label) in classes.values().enumerate() {
            writeln!(
                out,
                "    legend{position}[\"{}\"]:::c{position}",
                escape(label)
            )?;
        }
        writeln!(out, "  end")?;
    }
    for position in 0..classes.len() {
        let (_, fill) = STYLES[position % STYLES.len()];
        writeln!(
            out,
            "  classDef c{position} fill:{fill},stroke:#555555,color:#000000"
        )?;
    }
    Ok(())
}

/// Escapes text for a quoted Mermaid label: characters that Mermaid or the HTML it renders to
/// would read as syntax become entity codes (`"` is `#quot;`, `#` is `#35;`, `<` is `#lt;`),
/// line breaks become `<br>` and other control characters spaces.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let text = text.replace("\r\n", "\n");
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("#quot;"),
            '#' => escaped.push_str("#35;"),
            '&' => escaped.push_str("#amp;"),
            '<' => escaped.push_str("#lt;"),
            '>' => escaped.push_str("#gt;"),
            '`' => escaped.push_str("#96;"),
            '|' => escaped.push_str("#124;"),
            '{' => escaped.push_str("#123;"),
            '}' => escaped.push_str("#125;"),
            '[' => escaped.push_str("#91;"),
            ']' => escaped.push_str("#93;"),
            '\n' | '\r' => escaped.push_str("<br>"),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A `%%` comment runs to the end of the line: keep it on one.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_for_mermaid() {
        assert_eq!(
            escape("a \"b\" <c> & {d} | # `e`\nf"),
            "a #quot;b#quot; #lt;c#gt; #amp; #123;d#125; #124; #35; #96;e#96;<br>f"
        );
    }
}
