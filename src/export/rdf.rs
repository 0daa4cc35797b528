//! RDF syntaxes through Oxigraph's serializers, in a deterministic order with only the prefixes used.

use crate::error::{Error, Result};
use crate::rdf::prefixes::Prefixes;
use crate::rdf::sorted::Interner;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Dataset, GraphNameRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef};
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
    let mut interner = Interner::new(format.supports_datasets());
    interner.extend(quads)?;
    write_interned(out, format, interner, prefixes)
}

/// Writes the quads gathered in `interner` as [`write_rdf`] writes quads: the same output for
/// the same quads, however they were gathered. `interner` keeps graph names only if it was
/// made for a format with named graphs.
pub fn write_interned<W: Write>(
    out: W,
    format: RdfFormat,
    interner: Interner,
    prefixes: &Prefixes,
) -> Result<W> {
    if format == RdfFormat::RdfXml {
        refuse_what_xml_cannot_hold(&interner)?;
    }
    let sorted = interner.sorted()?;
    write_sorted(out, format, sorted.iter(), prefixes).map_err(|e| Error::io("<output>", e))
}

/// The first character of `text` that an XML 1.0 document cannot carry unchanged.
pub fn not_in_xml(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\r' | '\u{FFFE}' | '\u{FFFF}')
    })
}

/// Refuses the first IRI or literal, in the order the quads came, that XML cannot hold.
fn refuse_what_xml_cannot_hold(interner: &Interner) -> Result<()> {
    // Blank node labels are not written: Oxigraph names them afresh.
    let unwritable = |term: TermRef<'_>| match term {
        TermRef::NamedNode(n) => not_in_xml(n.as_str()),
        TermRef::Literal(l) => not_in_xml(l.value()),
        _ => None,
    };
    let Some(term) = interner.first_term(|t| unwritable(t).is_some()) else {
        return Ok(());
    };
    let character = unwritable(term).map_or(0, u32::from);
    Err(Error::Unwritable {
        format: "RDF/XML".to_owned(),
        // N-Triples escapes control characters, so the message shows no raw one.
        term: crate::query::table::escape_controls(&term.to_string()),
        character: format!("U+{character:04X}"),
    })
}

/// Writes `quads`, in the order given, with the prefixes they use.
fn write_sorted<'a, W: Write>(
    out: W,
    format: RdfFormat,
    quads: impl Iterator<Item = QuadRef<'a>> + Clone,
    prefixes: &Prefixes,
) -> io::Result<W> {
    let mut serializer = RdfSerializer::from_format(format);
    let used = prefixes.used_by(quads.clone().flat_map(iris_of));
    for (name, iri) in used.iter() {
        serializer = serializer
            .with_prefix(name, iri)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    }
    let spaced = matches!(format, RdfFormat::Turtle | RdfFormat::TriG);
    let mut writer = serializer.for_writer(BlockSpacer::new(out, spaced));
    for quad in quads {
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
fn iris_of(quad: QuadRef<'_>) -> Vec<&str> {
    let mut iris = Vec::new();
    // Turtle writes rdf:type as `a`, so it alone does not need the rdf: prefix.
    if quad.predicate != rdf::TYPE {
        iris.push(quad.predicate.as_str());
    }
    if let NamedOrBlankNodeRef::NamedNode(n) = quad.subject {
        iris.push(n.as_str());
    }
    match quad.object {
        TermRef::NamedNode(n) => iris.push(n.as_str()),
        // Plain and language-tagged strings are written without their datatype.
        TermRef::Literal(l) if l.language().is_none() && l.datatype() != xsd::STRING => {
            iris.push(l.datatype().as_str())
        }
        _ => {}
    }
    if let GraphNameRef::NamedNode(n) = quad.graph_name {
        iris.push(n.as_str());
    }
    iris
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::order::cmp_quads;
    use oxigraph::model::vocab::rdfs;
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Term};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://example.org/{s}"))
    }

    /// The in-memory sort of owned quads that exports used before [`Interner`]: graphs merged
    /// when `keep_graphs` is false, blank nodes named canonically, sorted, each quad once.
    fn canonical_order(mut quads: Vec<Quad>, keep_graphs: bool) -> Vec<Quad> {
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

    /// What [`write_rdf`] wrote before it held quads as ids: the quads sorted in memory.
    fn written_as_before(format: RdfFormat, quads: Vec<Quad>, prefixes: &Prefixes) -> Vec<u8> {
        let sorted = canonical_order(quads, format.supports_datasets());
        write_sorted(
            Vec::new(),
            format,
            sorted.iter().map(Quad::as_ref),
            prefixes,
        )
        .expect("writes to memory")
    }

    /// A deterministic jumble of quads that exercises every part of the order: IRIs, blank
    /// nodes and literals in every place they may take, `rdf:type` and `rdfs:label` among other
    /// predicates, literals equal in value but not in datatype or language, the default graph,
    /// named graphs and a blank graph name, repeats within and across graphs.
    fn jumble(count: usize) -> Vec<Quad> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut quads = Vec::with_capacity(count);
        for _ in 0..count {
            let subject: NamedOrBlankNode = match next(5) {
                0 => BlankNode::new_unchecked(format!("b{}", next(40))).into(),
                _ => iri(&format!("s{}", next(300))).into(),
            };
            let predicate = match next(6) {
                0 => rdf::TYPE.into_owned(),
                1 => rdfs::LABEL.into_owned(),
                _ => iri(&format!("p{}", next(12))),
            };
            let value = format!("v{}", next(50));
            let object: Term = match next(7) {
                0 => BlankNode::new_unchecked(format!("b{}", next(40))).into(),
                1 => Literal::new_simple_literal(value).into(),
                2 => Literal::new_language_tagged_literal_unchecked(
                    value,
                    ["en", "fr"][next(2) as usize],
                )
                .into(),
                3 => Literal::new_typed_literal(value, xsd::DATE).into(),
                4 => Literal::from(next(20) as i64).into(),
                _ => iri(&format!("s{}", next(300))).into(),
            };
            let graph = match next(8) {
                0 => GraphName::DefaultGraph,
                1 => BlankNode::new_unchecked("g").into(),
                _ => iri(&format!("graph/{}", next(9))).into(),
            };
            quads.push(Quad::new(subject, predicate, object, graph));
        }
        quads
    }

    fn prefixes() -> Prefixes {
        let mut prefixes = Prefixes::well_known();
        prefixes.add("ex", "https://example.org/");
        prefixes.add("g", "https://example.org/graph/");
        prefixes
    }

    /// Quads held as ids and sorted as integers are written byte for byte as the in-memory sort
    /// of owned quads wrote them, in every RDF syntax.
    #[test]
    fn quads_held_as_ids_are_written_as_the_in_memory_sort_wrote_them() {
        let quads = jumble(20_000);
        let prefixes = prefixes();
        for format in [
            RdfFormat::NTriples,
            RdfFormat::NQuads,
            RdfFormat::Turtle,
            RdfFormat::TriG,
            RdfFormat::RdfXml,
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ] {
            let before = written_as_before(format, quads.clone(), &prefixes);
            let now = write_rdf(Vec::new(), format, quads.clone(), &prefixes).expect("writes");
            assert!(before.len() > 1000, "{format}: {} bytes", before.len());
            assert!(
                before == now,
                "{format}: the outputs differ from byte {}",
                before.iter().zip(&now).take_while(|(a, b)| a == b).count()
            );
        }
    }

    /// The first term XML cannot hold is the first in the quads' order, whatever the sort.
    #[test]
    fn rdf_xml_refuses_the_first_unwritable_term_in_input_order() {
        let quads = vec![
            Quad::new(
                iri("z"),
                iri("p"),
                Literal::from("fine"),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                iri("y"),
                iri("p"),
                Literal::from("second\u{1}"),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                iri("a"),
                iri("p"),
                Literal::from("third\u{2}"),
                GraphName::DefaultGraph,
            ),
        ];
        let error = write_rdf(Vec::new(), RdfFormat::RdfXml, quads, &prefixes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot write RDF/XML: \"second\\u0001\" holds U+0001, which RDF/XML cannot represent; fix the data (or choose another format, such as Turtle)"
        );
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
        assert_eq!(canonical_order(quads.clone(), true), expected);
        let mut interner = Interner::new(true);
        interner.extend(quads).expect("few terms");
        let held: Vec<Quad> = interner
            .sorted()
            .expect("few terms")
            .iter()
            .map(QuadRef::into_owned)
            .collect();
        assert_eq!(held, expected);
    }
}
