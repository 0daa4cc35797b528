//! Writers for every output format of a graph: RDF syntaxes and drawings. One file per format.

pub mod dot;
pub mod graphml;
pub mod mermaid;
pub mod neo4j;
pub mod nodelink;
pub mod rdf;
pub mod render;

use crate::error::{Error, Result};
use crate::graph::{GraphOptions, Labels, PropertyGraph};
use crate::rdf::prefixes::Prefixes;
use crate::store::statements::Statements;
use crate::store::Scope;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::Quad;
use std::io::Write;
use std::path::Path;

/// A format that a graph (the case, or a CONSTRUCT result) can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// An RDF syntax, written by Oxigraph's serializers.
    Rdf(RdfFormat),
    /// Graphviz DOT.
    Dot,
    /// GraphML (NetworkX, Gephi, yEd, Cytoscape).
    GraphMl,
    /// Node-link JSON (NetworkX `node_link_graph`, D3).
    NodeLink,
    /// A folder of `nodes.csv` and `relationships.csv` for `neo4j-admin database import`.
    Neo4jCsv,
    /// A Mermaid flowchart (GitHub Markdown).
    Mermaid,
}

/// `(names, format)` for every graph format; the first name is the canonical one.
const FORMATS: &[(&[&str], GraphFormat)] = &[
    (&["turtle", "ttl"], GraphFormat::Rdf(RdfFormat::Turtle)),
    (&["trig"], GraphFormat::Rdf(RdfFormat::TriG)),
    (&["ntriples", "nt"], GraphFormat::Rdf(RdfFormat::NTriples)),
    (&["nquads", "nq"], GraphFormat::Rdf(RdfFormat::NQuads)),
    (
        &["rdfxml", "rdf", "owl"],
        GraphFormat::Rdf(RdfFormat::RdfXml),
    ),
    (
        &["jsonld", "json-ld"],
        GraphFormat::Rdf(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
    ),
    (&["dot", "gv"], GraphFormat::Dot),
    (&["graphml"], GraphFormat::GraphMl),
    (&["json", "node-link"], GraphFormat::NodeLink),
    (&["csv", "neo4j"], GraphFormat::Neo4jCsv),
    (&["mermaid", "mmd"], GraphFormat::Mermaid),
];

impl GraphFormat {
    /// The format called `name` (case-insensitive): `turtle`, `trig`, `ntriples`, `nquads`,
    /// `rdfxml`, `jsonld`, `dot`, `graphml`, `json`, `csv`, `mermaid`, or a file extension
    /// such as `ttl` or `mmd`.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|(names, _)| names.contains(&name.as_str()))
            .map(|(_, f)| *f)
    }

    /// The format of a file, from its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        Self::from_name(path.extension()?.to_str()?)
    }

    /// The canonical names, for help and error messages.
    pub fn names() -> Vec<&'static str> {
        FORMATS.iter().map(|(names, _)| names[0]).collect()
    }

    /// Whether the format is written from the property-graph view (every format but RDF).
    pub fn is_property_graph(self) -> bool {
        !matches!(self, Self::Rdf(_))
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

/// The labels a writer of `format` needs besides those the written quads state: none for RDF
/// syntaxes; for the property-graph formats, those of the statements outside `drawn` when the
/// quads are the statements in that scope, else (a query's result) every label of the case.
pub fn labels_for(
    statements: &Statements,
    format: GraphFormat,
    drawn: Option<Scope>,
) -> Result<Labels> {
    match drawn {
        _ if !format.is_property_graph() => Ok(Labels::default()),
        Some(scope) => statements.labels_outside(scope),
        None => statements.labels(),
    }
}

/// The property graph every drawing and graph format is written from, with the blank nodes of
/// `quads` given their canonical names first, so that output is the same from run to run.
pub fn property_graph(mut quads: Vec<Quad>, context: &WriteContext<'_>) -> Result<PropertyGraph> {
    rdf::name_blank_nodes_canonically(&mut quads);
    PropertyGraph::build(&quads, context.labels, context.prefixes, context.graph)
}

/// Writes `quads` in `format`.
///
/// Triple formats get the union of the graphs (each triple once); quad formats keep every graph.
pub fn write(
    out: &mut dyn Write,
    format: GraphFormat,
    quads: Vec<Quad>,
    context: &WriteContext<'_>,
) -> Result<()> {
    let io = |e| Error::io("<output>", e);
    match format {
        GraphFormat::Rdf(rdf_format) => rdf::write_rdf(out, rdf_format, quads, context.prefixes),
        GraphFormat::Dot | GraphFormat::GraphMl | GraphFormat::NodeLink | GraphFormat::Mermaid => {
            let graph = property_graph(quads, context)?;
            match format {
                GraphFormat::Dot => dot::write_dot(out, &graph, context.graph),
                GraphFormat::GraphMl => graphml::write_graphml(out, &graph),
                GraphFormat::NodeLink => nodelink::write_node_link(out, &graph),
                _ => mermaid::write_mermaid(out, &graph),
            }
            .map_err(io)
        }
        GraphFormat::Neo4jCsv => Err(Error::Format(format!(
            "--format csv writes two files, {} and {}: give --out DIR",
            neo4j::NODES_FILE,
            neo4j::RELATIONSHIPS_FILE
        ))),
    }
}

/// Writes `quads` as the two CSV files of `neo4j-admin database import`.
pub fn write_neo4j(
    nodes: &mut dyn Write,
    relationships: &mut dyn Write,
    quads: Vec<Quad>,
    context: &WriteContext<'_>,
) -> Result<()> {
    let graph = property_graph(quads, context)?;
    neo4j::write_nodes(nodes, &graph).map_err(|e| Error::io(neo4j::NODES_FILE, e))?;
    neo4j::write_relationships(relationships, &graph)
        .map_err(|e| Error::io(neo4j::RELATIONSHIPS_FILE, e))
}
