//! Counts: statements in all, per graph, per class and per property, and the drawn graph's size.

use crate::error::Result;
use crate::graph::{GraphOptions, Labels, PropertyGraph};
use crate::store::{CaseStore, Scope};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, Term};
use std::collections::{BTreeMap, BTreeSet};

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

/// Counts the case's statements in `scope`.
pub fn stats(store: &CaseStore, scope: Scope) -> Result<Stats> {
    let quads = store.quads(scope)?;
    let prefixes = store.prefixes();
    let mut triples = BTreeSet::new();
    let mut graphs: BTreeMap<String, usize> = BTreeMap::new();
    let mut classes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut properties: BTreeMap<String, usize> = BTreeMap::new();
    for quad in &quads {
        triples.insert((
            quad.subject.to_string(),
            quad.predicate.as_str(),
            quad.object.to_string(),
        ));
        let graph = match &quad.graph_name {
            GraphName::DefaultGraph => "(default)".to_owned(),
            GraphName::NamedNode(n) => prefixes.compact(n.as_str()),
            GraphName::BlankNode(b) => b.to_string(),
        };
        *graphs.entry(graph).or_default() += 1;
        *properties
            .entry(prefixes.compact(quad.predicate.as_str()))
            .or_default() += 1;
        if quad.predicate.as_ref() == rdf::TYPE {
            if let Term::NamedNode(class) = &quad.object {
                classes
                    .entry(prefixes.compact(class.as_str()))
                    .or_default()
                    .insert(quad.subject.to_string());
            }
        }
    }
    let labels = Labels::from_store(store)?;
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
        classes: counts(classes.into_iter().map(|(k, v)| (k, v.len())).collect()),
        properties: counts(properties),
    })
}
