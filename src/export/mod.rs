//! Writers for every output format of a graph: RDF syntaxes and drawings. One file per format.

pub mod dot;
pub mod ftm;
pub mod gexf;
pub mod graphml;
pub mod mermaid;
pub mod neo4j;
pub mod nodelink;
pub mod rdf;
pub mod render;

use crate::error::{Error, Result};
use crate::format::{Description, Format};
use crate::graph::{GraphOptions, Labels, PropertyGraph};
use crate::rdf::prefixes::Prefixes;
use crate::store::statements::Statements;
use crate::store::{is_ontology_graph_name, Scope};
use crate::warning::Warning;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::{GraphName, Quad, Triple};
use std::io::Write;

/// A format that a graph (the case, or a CONSTRUCT result) can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Turtle.
    Turtle,
    /// TriG (Turtle with named graphs).
    TriG,
    /// N-Triples.
    NTriples,
    /// N-Quads.
    NQuads,
    /// RDF/XML.
    RdfXml,
    /// JSON-LD.
    JsonLd,
    /// Graphviz DOT.
    Dot,
    /// GraphML (NetworkX, Gephi, yEd, Cytoscape).
    GraphMl,
    /// GEXF 1.3 (Gephi, with its timeline; NetworkX).
    Gexf,
    /// Node-link JSON (NetworkX `node_link_graph`, D3).
    NodeLink,
    /// A folder of `nodes.csv` and `relationships.csv` for `neo4j-admin database import`.
    Neo4jCsv,
    /// A Mermaid flowchart (GitHub Markdown).
    Mermaid,
    /// FollowTheMoney entities as JSON lines, mapped by the ontology's annotations.
    Ftm,
    /// FollowTheMoney's statements CSV: each value with the article that states it.
    FtmStatements,
}

impl Format for GraphFormat {
    const ALL: &'static [Self] = &[
        Self::Turtle,
        Self::TriG,
        Self::NTriples,
        Self::NQuads,
        Self::RdfXml,
        Self::JsonLd,
        Self::Dot,
        Self::GraphMl,
        Self::Gexf,
        Self::NodeLink,
        Self::Neo4jCsv,
        Self::Mermaid,
        Self::Ftm,
        Self::FtmStatements,
    ];

    fn describe(self) -> Description {
        let (names, extensions, media_types): (&[&str], &[&str], &[&str]) = match self {
            Self::Turtle => (&["turtle", "ttl"], &["ttl"], &["text/turtle"]),
            Self::TriG => (&["trig"], &["trig"], &["application/trig"]),
            Self::NTriples => (&["ntriples", "nt"], &["nt"], &["application/n-triples"]),
            Self::NQuads => (&["nquads", "nq"], &["nq"], &["application/n-quads"]),
            Self::RdfXml => (
                &["rdfxml", "rdf", "owl"],
                &["rdf", "owl"],
                &["application/rdf+xml"],
            ),
            Self::JsonLd => (
                &["jsonld", "json-ld"],
                &["jsonld"],
                &["application/ld+json"],
            ),
            Self::Dot => (&["dot", "gv"], &["dot", "gv"], &["text/vnd.graphviz"]),
            Self::GraphMl => (&["graphml"], &["graphml"], &["application/graphml+xml"]),
            // Not registered with IANA; the content type the GEXF 1.3 primer names.
            Self::Gexf => (&["gexf"], &["gexf"], &["application/gexf+xml"]),
            Self::NodeLink => (&["json", "node-link"], &["json"], &["application/json"]),
            // The folder holds CSV files; the format is named after its files' type.
            Self::Neo4jCsv => (&["csv", "neo4j"], &["csv"], &["text/csv"]),
            // Mermaid has no registered media type; this is the vendor-tree name tools use.
            Self::Mermaid => (
                &["mermaid", "mmd"],
                &["mmd", "mermaid"],
                &["text/vnd.mermaid"],
            ),
            // FtM names no media type; its files are JSON lines.
            Self::Ftm => (&["ftm"], &["ftm"], &["application/x-ndjson"]),
            // A CSV file, but `.csv` and `text/csv` are the Neo4j format's, and FtM names no
            // media type: an unregistered `x-` name.
            Self::FtmStatements => (
                &["ftm-statements"],
                &["ftm-statements"],
                &["application/x-ftm-statements"],
            ),
        };
        Description {
            names,
            extensions,
            media_types,
        }
    }
}

impl GraphFormat {
    /// The RDF syntax Oxigraph writes this format in; `None` for the property-graph formats.
    pub fn rdf_syntax(self) -> Option<RdfFormat> {
        match self {
            Self::Turtle => Some(RdfFormat::Turtle),
            Self::TriG => Some(RdfFormat::TriG),
            Self::NTriples => Some(RdfFormat::NTriples),
            Self::NQuads => Some(RdfFormat::NQuads),
            Self::RdfXml => Some(RdfFormat::RdfXml),
            Self::JsonLd => Some(RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            }),
            Self::Dot
            | Self::GraphMl
            | Self::Gexf
            | Self::NodeLink
            | Self::Neo4jCsv
            | Self::Mermaid
            | Self::Ftm
            | Self::FtmStatements => None,
        }
    }

    /// Whether the format is written from the property-graph view (every format but RDF and FtM).
    pub fn is_property_graph(self) -> bool {
        match self {
            Self::Turtle
            | Self::TriG
            | Self::NTriples
            | Self::NQuads
            | Self::RdfXml
            | Self::JsonLd => false,
            Self::Dot
            | Self::GraphMl
            | Self::Gexf
            | Self::NodeLink
            | Self::Neo4jCsv
            | Self::Mermaid => true,
            // Written from the quads: every value keeps the graph that states it.
            Self::Ftm | Self::FtmStatements => false,
        }
    }

    /// The files a format of several files writes into its folder; empty for a format that
    /// writes one stream.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Self::Neo4jCsv => &[neo4j::NODES_FILE, neo4j::RELATIONSHIPS_FILE],
            Self::Turtle
            | Self::TriG
            | Self::NTriples
            | Self::NQuads
            | Self::RdfXml
            | Self::JsonLd
            | Self::Dot
            | Self::GraphMl
            | Self::Gexf
            | Self::NodeLink
            | Self::Mermaid
            | Self::Ftm
            | Self::FtmStatements => &[],
        }
    }

    /// How the format is named in messages (`Turtle`, `Neo4j CSV`).
    pub fn title(self) -> &'static str {
        match self {
            Self::Turtle => "Turtle",
            Self::TriG => "TriG",
            Self::NTriples => "N-Triples",
            Self::NQuads => "N-Quads",
            Self::RdfXml => "RDF/XML",
            Self::JsonLd => "JSON-LD",
            Self::Dot => "DOT",
            Self::GraphMl => "GraphML",
            Self::Gexf => "GEXF",
            Self::NodeLink => "node-link JSON",
            Self::Neo4jCsv => "Neo4j CSV",
            Self::Mermaid => "Mermaid",
            Self::Ftm => "FtM",
            Self::FtmStatements => "FtM statements",
        }
    }
}

impl std::fmt::Display for GraphFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title())
    }
}

/// Everything a writer may need besides the quads.
pub struct WriteContext<'a> {
    /// Prefixes for compact names.
    pub prefixes: &'a Prefixes,
    /// Labels of the terms (including the ontology's labels of classes and properties).
    pub labels: &'a Labels,
    /// How RDF becomes a property graph (for drawings).
    pub graph: &'a GraphOptions,
}

/// What an export writes.
#[derive(Debug, Clone)]
pub enum Exported {
    /// The case's statements in this scope.
    Case(Scope),
    /// A CONSTRUCT or DESCRIBE query's result (its triples, in the default graph).
    Constructed(Vec<Triple>),
    /// The result of this CONSTRUCT or DESCRIBE query, answered from the statements' store
    /// ([`Statements::Store`]); a SELECT or ASK query is an error.
    Query(Box<crate::query::Request>),
}

/// Where an export goes. The library asks for what the format writes: one stream, or named
/// files in a folder. The implementor opens each and decides when it counts as written (the
/// `casegraph` binary writes every file whole or not at all), so that the library never needs
/// to know about temporary files or signals.
pub trait Destination {
    /// What is written to.
    type Writer: Write;

    /// The stream a format of one file is written to.
    fn stream(&mut self) -> Result<Self::Writer>;

    /// A new file `name` in the destination's folder; `None` when the destination is a stream
    /// with no folder (stdout), which a format of several files refuses.
    fn file(&mut self, name: &str) -> Option<Result<Self::Writer>>;

    /// `writer` is written whole: keep it (the binary renames its temporary file into place).
    fn keep(&mut self, writer: Self::Writer) -> Result<()>;
}

/// Exports `exported` from `statements` in `format` to `destination`, in the order the steps
/// need: the labels a drawing needs are read before the quads are taken out of `statements`.
/// Returns what the user should hear about (what the FtM mapping left out).
pub fn export<D: Destination>(
    statements: &mut Statements,
    exported: Exported,
    format: GraphFormat,
    graph: &GraphOptions,
    destination: &mut D,
) -> Result<Vec<Warning>> {
    // What is written: the case in a scope, or triples (a query is answered here, from the
    // store).
    enum Written {
        Case(Scope),
        Triples(Vec<Triple>),
    }
    let written = match exported {
        Exported::Case(scope) => Written::Case(scope),
        Exported::Constructed(triples) => Written::Triples(triples),
        Exported::Query(request) => match statements {
            Statements::Store(store) => Written::Triples(request.graph(store)?),
            Statements::Files(_) => return Err(Error::QueryNeedsStore),
        },
    };
    let ftm = matches!(format, GraphFormat::Ftm | GraphFormat::FtmStatements);
    if ftm && matches!(written, Written::Triples(_)) {
        return Err(Error::FtmOfQuery);
    }
    let labels = match &written {
        _ if !format.is_property_graph() => Labels::default(),
        // The drawn quads state their own labels; those of the rest (the ontology's names of
        // classes and properties) are read before the quads are taken.
        Written::Case(scope) => statements.labels_outside(*scope)?,
        Written::Triples(_) => statements.labels()?,
    };
    // FtM maps by the ontology's annotations: its quads come along, whatever the scope.
    let taken = match written {
        _ if ftm => Scope::WithOntology,
        Written::Case(scope) => scope,
        Written::Triples(_) => Scope::Case,
    };
    let quads = match written {
        Written::Case(_) => statements.take_quads(taken)?,
        Written::Triples(triples) => in_default_graph(triples),
    };
    let context = WriteContext {
        prefixes: statements.prefixes(),
        labels: &labels,
        graph,
    };
    if ftm {
        let (out, unmapped) = write_ftm(destination.stream()?, format, quads, context.prefixes)?;
        destination.keep(out)?;
        return Ok(unmapped.into_warning().into_iter().collect());
    }
    match format.files() {
        [] => {
            let out = write(destination.stream()?, format, quads, &context)?;
            destination.keep(out)?;
        }
        names => {
            let mut open = |name: &'static str| {
                destination.file(name).unwrap_or(Err(Error::NeedsFolder {
                    format,
                    files: names,
                }))
            };
            let (nodes, relationships) = (open(names[0])?, open(names[1])?);
            let (nodes, relationships) = write_neo4j(nodes, relationships, quads, &context)?;
            destination.keep(nodes)?;
            destination.keep(relationships)?;
        }
    }
    Ok(Vec::new())
}

/// Exports the case's statements in `scope`, read straight from `case`'s files, in `format`, an
/// RDF syntax, to `destination`: the output of [`export`] of the same statements, byte for
/// byte, within a fraction of its memory. The quads are held as ids into one table of distinct
/// terms as they are parsed (see [`crate::rdf::sorted`]), never as owned quads. Returns what
/// reading the files found worth a warning (prefixes they disagree on).
pub fn export_rdf_from_files<D: Destination>(
    case: &crate::Case,
    scope: Scope,
    format: GraphFormat,
    progress: Option<crate::store::ProgressFn>,
    destination: &mut D,
) -> Result<Vec<Warning>> {
    let syntax = format.rdf_syntax().ok_or(Error::NotRdf { format })?;
    let (quads, prefixes, warnings) =
        Statements::read_interned(case, scope, syntax.supports_datasets(), progress)?;
    let out = rdf::write_interned(destination.stream()?, syntax, quads, &prefixes)?;
    destination.keep(out)?;
    Ok(warnings)
}

/// Writes the case's statements among `quads` as FtM entities or statements (`format`),
/// mapped by the annotations of the ontology graph's quads among them; hands `out` back with
/// what the mapping left out.
pub fn write_ftm<W: Write>(
    mut out: W,
    format: GraphFormat,
    mut quads: Vec<Quad>,
    prefixes: &Prefixes,
) -> Result<(W, ftm::Unmapped)> {
    rdf::name_blank_nodes_canonically(&mut quads);
    let (ontology, data): (Vec<Quad>, Vec<Quad>) = quads
        .into_iter()
        .partition(|q| is_ontology_graph_name(q.graph_name.as_ref()));
    let mapping = ftm::Mapping::from_ontology(&ontology);
    let (statements, unmapped) = ftm::statements(&data, &mapping, prefixes);
    let written = if format == GraphFormat::FtmStatements {
        let dataset = mapping.dataset.as_deref().unwrap_or("casegraph");
        ftm::write_statements(&mut out, &statements, dataset)
    } else {
        ftm::write_entities(&mut out, &statements)
    };
    written.map_err(|e| Error::io("<output>", e))?;
    Ok((out, unmapped))
}

/// The property graph of the statements in `scope`, blank nodes canonically named: what `path`
/// walks and `render` draws. Reads the labels of the rest before taking the quads.
pub fn case_graph(
    statements: &mut Statements,
    scope: Scope,
    graph: &GraphOptions,
) -> Result<PropertyGraph> {
    let labels = statements.labels_outside(scope)?;
    let quads = statements.take_quads(scope)?;
    property_graph(
        quads,
        &WriteContext {
            prefixes: statements.prefixes(),
            labels: &labels,
            graph,
        },
    )
}

/// A query's triples as quads of the default graph.
pub fn in_default_graph(triples: Vec<Triple>) -> Vec<Quad> {
    triples
        .into_iter()
        .map(|t| t.in_graph(GraphName::DefaultGraph))
        .collect()
}

/// The property graph every drawing and graph format is written from, with the blank nodes of
/// `quads` given their canonical names first, so that output is the same from run to run.
pub fn property_graph(mut quads: Vec<Quad>, context: &WriteContext<'_>) -> Result<PropertyGraph> {
    rdf::name_blank_nodes_canonically(&mut quads);
    PropertyGraph::build(
        quads.iter().map(Quad::as_ref),
        context.labels,
        context.prefixes,
        context.graph,
    )
}

/// Writes `quads` in `format`, a format of one stream, and hands `out` back.
///
/// Triple formats get the union of the graphs (each triple once); quad formats keep every graph.
/// The Neo4j CSV format writes two files: it is refused here ([`Error::NeedsFolder`]); see
/// [`export`] and [`write_neo4j`].
pub fn write<W: Write>(
    mut out: W,
    format: GraphFormat,
    quads: Vec<Quad>,
    context: &WriteContext<'_>,
) -> Result<W> {
    let io = |e| Error::io("<output>", e);
    if let Some(syntax) = format.rdf_syntax() {
        return rdf::write_rdf(out, syntax, quads, context.prefixes);
    }
    match format {
        GraphFormat::Turtle
        | GraphFormat::TriG
        | GraphFormat::NTriples
        | GraphFormat::NQuads
        | GraphFormat::RdfXml
        | GraphFormat::JsonLd => unreachable!("written above"),
        GraphFormat::Dot => {
            let graph = property_graph(quads, context)?;
            dot::write_dot(&mut out, &graph, context.graph).map_err(io)?;
            Ok(out)
        }
        GraphFormat::GraphMl => {
            graphml::write_graphml(&mut out, &property_graph(quads, context)?).map_err(io)?;
            Ok(out)
        }
        GraphFormat::Gexf => {
            let graph = property_graph(quads, context)?;
            gexf::write_gexf(&mut out, &graph, context.prefixes).map_err(io)?;
            Ok(out)
        }
        GraphFormat::NodeLink => {
            nodelink::write_node_link(&mut out, &property_graph(quads, context)?).map_err(io)?;
            Ok(out)
        }
        GraphFormat::Mermaid => {
            mermaid::write_mermaid(&mut out, &property_graph(quads, context)?).map_err(io)?;
            Ok(out)
        }
        // What the mapping left out is returned by `export`; here it is not asked for.
        GraphFormat::Ftm | GraphFormat::FtmStatements => {
            Ok(write_ftm(out, format, quads, context.prefixes)?.0)
        }
        GraphFormat::Neo4jCsv => Err(Error::NeedsFolder {
            format,
            files: format.files(),
        }),
    }
}

/// Writes `quads` as the two CSV files of `neo4j-admin database import`, and hands both back.
pub fn write_neo4j<N: Write, R: Write>(
    mut nodes: N,
    mut relationships: R,
    quads: Vec<Quad>,
    context: &WriteContext<'_>,
) -> Result<(N, R)> {
    let graph = property_graph(quads, context)?;
    neo4j::write_nodes(&mut nodes, &graph).map_err(|e| Error::io(neo4j::NODES_FILE, e))?;
    neo4j::write_relationships(&mut relationships, &graph)
        .map_err(|e| Error::io(neo4j::RELATIONSHIPS_FILE, e))?;
    Ok((nodes, relationships))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_formats_know_themselves() {
        crate::format::assert_well_formed::<GraphFormat>();
    }

    #[test]
    fn rdf_formats_agree_with_oxigraph() {
        for &format in GraphFormat::ALL.iter().filter(|f| f.rdf_syntax().is_some()) {
            let rdf = RdfFormat::from_media_type(format.media_type()).expect("an RDF media type");
            assert_eq!(format.media_type(), rdf.media_type(), "{format:?}");
            assert_eq!(format.file_extension(), rdf.file_extension(), "{format:?}");
            assert_eq!(
                GraphFormat::from_extension(rdf.file_extension()),
                Some(format)
            );
        }
    }
}
