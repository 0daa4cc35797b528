//! RDF syntaxes through Oxigraph's serializers, in a deterministic order with only the prefixes used.

use crate::error::{Error, Result};
use crate::rdf::order::cmp_quads;
use crate::rdf::prefixes::Prefixes;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Dataset, GraphName, Quad, Term};
use std::io::{self, Write};

/// Writes `quads` in `format`: sorted by graph, subject, predicate and object (with `rdf:type`
/// and `rdfs:label` first in each block), blank nodes given canonical names, and only the
/// prefixes that some name in the output uses. The same data gives byte-identical output.
///
/// Formats without named graphs get the union of the graphs, each triple once.
///
/// RDF/XML is XML 1.0, which cannot hold most C0 control characters, nor U+FFFE and U+FFFF,
/// even as character references, and whose parsers turn a carriage return into a line feed:
/// a term holding one is refused with [`Error::Unwritable`] before anything is written,
/// rather than written as a document that consumers reject or read differently.
pub fn write_rdf<W: Write>(
    out: W,
    format: RdfFormat,
    quads: Vec<Quad>,
    prefixes: &Prefixes,
) -> Result<W> {
    if format == RdfFormat::RdfXml {
        refuse_what_xml_cannot_hold(&quads)?;
    }
    write_rdf_unchecked(out, format, quads, prefixes).map_err(|e| Error::io("<output>", e))
}

/// The first character of `text` that an XML 1.0 document cannot carry unchanged.
pub fn not_in_xml(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\r' | '\u{FFFE}' | '\u{FFFF}')
    })
}

fn refuse_what_xml_cannot_hold(quads: &[Quad]) -> Result<()> {
    for quad in quads {
        let mut texts: Vec<(&str, String)> =
            vec![(quad.predicate.as_str(), quad.predicate.to_string())];
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &quad.subject {
            texts.push((n.as_str(), n.to_string()));
        }
        match &quad.object {
            Term::NamedNode(n) => texts.push((n.as_str(), n.to_string())),
            Term::Literal(l) => texts.push((l.value(), l.to_string())),
            _ => {}
        }
        if let GraphName::NamedNode(n) = &quad.graph_name {
            texts.push((n.as_str(), n.to_string()));
        }
        for (text, term) in texts {
            if let Some(c) = not_in_xml(text) {
                return Err(Error::Unwritable {
                    format: "RDF/XML".to_owned(),
                    // N-Triples escapes control characters, so the message shows no raw one.
                    term: crate::query::table::escape_controls(&term),
                    character: format!("U+{:04X}", u32::from(c)),
                });
            }
        }
    }
    Ok(())
}

fn write_rdf_unchecked<W: Write>(
    out: W,
    format: RdfFormat,
    quads: Vec<Quad>,
    prefixes: &Prefixes,
) -> io::Result<W> {
    let quads = canonical_order(quads, format.supports_datasets());
    let mut serializer = RdfSerializer::from_format(format);
    let used = prefixes.used_by(quads.iter().flat_map(iris_of));
    for (name, iri) in used.iter() {
        serializer = serializer
            .with_prefix(name, iri)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    }
    let spaced = matches!(format, RdfFormat::Turtle | RdfFormat::TriG);
    let mut writer = serializer.for_writer(BlockSpacer::new(out, spaced));
    for quad in &quads {
        writer.serialize_quad(quad)?;
    }
    let mut out = writer.finish()?.out;
    // JSON-LD ends without a line break; a terminal and `git diff` want one.
    if matches!(format, RdfFormat::JsonLd { .. }) {
        writeln!(out)?;
    }
    Ok(out)
}

/// Puts a blank line before each top-level block of Turtle or TriG (a subject's statements in
/// the default graph, or a named graph), as people write it; Oxigraph's serializer does not.
///
/// A line opens a block when it starts in column 0 and is not a `@prefix` line or a closing `}`.
/// Oxigraph escapes line breaks inside literals, so every line break here ends a line of syntax.
struct BlockSpacer<W> {
    out: W,
    enabled: bool,
    at_line_start: bool,
    wrote_anything: bool,
}

impl<W: Write> BlockSpacer<W> {
    fn new(out: W, enabled: bool) -> Self {
        Self {
            out,
            enabled,
            at_line_start: true,
            wrote_anything: false,
        }
    }
}

impl<W: Write> Write for BlockSpacer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.enabled {
            return self.out.write(buf);
        }
        // Line by line: only the first byte of each line decides.
        let mut rest = buf;
        while !rest.is_empty() {
            let opens_block = self.at_line_start && !matches!(rest[0], b'\t' | b'@' | b'}' | b'\n');
            if opens_block && self.wrote_anything {
                self.out.write_all(b"\n")?;
            }
            self.wrote_anything = true;
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| i + 1);
            self.out.write_all(&rest[..end])?;
            self.at_line_start = rest[end - 1] == b'\n';
            rest = &rest[end..];
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Merges graphs when `keep_graphs` is false, names blank nodes canonically (when there are
/// any), and sorts, each quad once.
pub fn canonical_order(mut quads: Vec<Quad>, keep_graphs: bool) -> Vec<Quad> {
    // In place: a million quads are a few hundred megabytes, not to be copied.
    if !keep_graphs {
        for quad in &mut quads {
            quad.graph_name = GraphName::DefaultGraph;
        }
    }
    name_blank_nodes_canonically(&mut quads);
    quads.sort_unstable_by(|a, b| cmp_quads(a.as_ref(), b.as_ref()));
    quads.dedup();
    quads
}

/// Gives the blank nodes of `quads` their canonical names (RDFC-1.0), which depend on the data
/// alone: blank node labels differ from load to load, and output must not. The order of the
/// quads changes when there are blank nodes.
pub fn name_blank_nodes_canonically(quads: &mut Vec<Quad>) {
    // The canonical names depend only on the quads that mention a blank node, so only those
    // go through the (costly) canonicalisation.
    let mut dataset: Dataset = quads
        .extract_if(.., |q| {
            q.subject.is_blank_node() || q.object.is_blank_node() || q.graph_name.is_blank_node()
        })
        .collect();
    if dataset.is_empty() {
        return;
    }
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    quads.extend(dataset.iter().map(|q| q.into_owned()));
}

/// Every IRI that a quad's Turtle form spells out: its terms, and its literal's datatype.
fn iris_of(quad: &Quad) -> Vec<&str> {
    let mut iris = Vec::new();
    // Turtle writes rdf:type as `a`, so it alone does not need the rdf: prefix.
    if quad.predicate.as_ref() != rdf::TYPE {
        iris.push(quad.predicate.as_str());
    }
    if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &quad.subject {
        iris.push(n.as_str());
    }
    match &quad.object {
        Term::NamedNode(n) => iris.push(n.as_str()),
        // Plain and language-tagged strings are written without their datatype.
        Term::Literal(l) if l.language().is_none() && l.datatype() != xsd::STRING => {
            iris.push(l.datatype().as_str())
        }
        _ => {}
    }
    if let GraphName::NamedNode(n) = &quad.graph_name {
        iris.push(n.as_str());
    }
    iris
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://example.org/{s}"))
    }

    /// Canonicalising only the quads that mention blank nodes names them as canonicalising the
    /// whole dataset does.
    #[test]
    fn blank_nodes_get_the_labels_of_a_whole_dataset_canonicalisation() {
        let (a, b) = (
            BlankNode::new_unchecked("x1"),
            BlankNode::new_unchecked("x2"),
        );
        let g = GraphName::from(iri("g"));
        let quads = vec![
            Quad::new(iri("s"), iri("p"), a.clone(), g.clone()),
            Quad::new(a.clone(), iri("q"), Literal::from("one"), g.clone()),
            Quad::new(a.clone(), iri("r"), b.clone(), GraphName::DefaultGraph),
            Quad::new(
                b.clone(),
                iri("q"),
                Literal::from("two"),
                GraphName::DefaultGraph,
            ),
            Quad::new(iri("s"), iri("q"), iri("o"), GraphName::DefaultGraph),
            Quad::new(iri("t"), iri("q"), Literal::from("one"), g),
        ];
        let mut whole: Dataset = quads.iter().cloned().collect();
        whole.canonicalize(CanonicalizationAlgorithm::Unstable);
        let mut expected: Vec<Quad> = whole.iter().map(|q| q.into_owned()).collect();
        expected.sort_unstable_by(|a, b| cmp_quads(a.as_ref(), b.as_ref()));
        assert_eq!(canonical_order(quads, true), expected);
    }
}
