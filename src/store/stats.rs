//! Counts: statements in all, per graph, per class and per property, and the drawn graph's size.

use crate::error::Result;
use crate::graph::{GraphOptions, PropertyGraph};
use crate::store::statements::Statements;
use crate::store::Scope;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The counts `casegraph stats` prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Statements, counting a triple once per graph that states it.
    pub quads: usize,
    /// Distinct triples, all graphs merged.
    pub triples: usize,
    /// Nodes of the property-graph view (what DOT and the graph formats draw).
    pub nodes: usize,
    /// Edges of the property-graph view.
    pub edges: usize,
    /// The literal properties that are node attributes in the view (prefixed names, sorted):
    /// the attribute columns of the GraphML, node-link JSON and CSV exports.
    pub attributes: Vec<String>,
    /// Statements per graph; the default graph is `(default)`.
    pub graphs: Vec<Count>,
    /// Distinct instances per class.
    pub classes: Vec<Count>,
    /// Statements per property.
    pub properties: Vec<Count>,
}

/// A name and a number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    /// The prefixed name (or `<iri>`).
    pub name: String,
    /// How many.
    pub count: usize,
}

/// Counts the case's statements in `scope`, taking them out of `statements`: read straight
/// from the files (no store is built to count them), or from an on-disk store. A quad stated
/// twice (in one file or in two) is counted once, as a store holds it once.
pub fn stats(statements: &mut Statements, scope: Scope) -> Result<Stats> {
    let labels = statements.labels()?;
    let prefixes = statements.prefixes().clone();
    let prefixes = &prefixes;
    let mut quads = statements.take_quads(scope)?;
    let first: Vec<bool> = {
        let mut seen = HashSet::with_capacity(quads.len());
        quads.iter().map(|q| seen.insert(q)).collect()
    };
    let mut first = first.into_iter();
    quads.retain(|_| first.next().unwrap_or(false));
    // Counted by borrowed term first, named once per distinct term after.
    let mut triples = HashSet::new();
    let mut by_graph: HashMap<&GraphName, usize> = HashMap::new();
    let mut by_property: HashMap<&NamedNode, usize> = HashMap::new();
    let mut by_class: HashMap<&NamedNode, HashSet<&NamedOrBlankNode>> = HashMap::new();
    for quad in &quads {
        triples.insert((&quad.subject, &quad.predicate, &quad.object));
        *by_graph.entry(&quad.graph_name).or_default() += 1;
        *by_property.entry(&quad.predicate).or_default() += 1;
        if quad.predicate.as_ref() == rdf::TYPE {
            if let Term::NamedNode(class) = &quad.object {
                by_class.entry(class).or_default().insert(&quad.subject);
            }
        }
    }
    let graphs: BTreeMap<String, usize> = by_graph
        .into_iter()
        .map(|(g, n)| {
            let name = match g {
                GraphName::DefaultGraph => "(default)".to_owned(),
                GraphName::NamedNode(n) => prefixes.compact(n.as_str()),
                GraphName::BlankNode(b) => b.to_string(),
            };
            (name, n)
        })
        .collect();
    let properties: BTreeMap<String, usize> = by_property
        .into_iter()
        .map(|(p, n)| (prefixes.compact(p.as_str()), n))
        .collect();
    let classes: BTreeMap<String, usize> = by_class
        .into_iter()
        .map(|(c, members)| (prefixes.compact(c.as_str()), members.len()))
        .collect();
    let graph = PropertyGraph::build(&quads, &labels, prefixes, &GraphOptions::default())?;
    let counts = |map: BTreeMap<String, usize>| {
        map.into_iter()
            .map(|(name, count)| Count { name, count })
            .collect()
    };
    Ok(Stats {
        quads: quads.len(),
        triples: triples.len(),
        nodes: graph.nodes().count(),
        edges: graph.edges().count(),
        attributes: graph
            .attribute_keys()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        graphs: counts(graphs),
        classes: counts(classes),
        properties: counts(properties),
    })
}
