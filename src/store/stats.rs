//! Counts: statements in all, per graph, per class and per property, and the drawn graph's size.

use crate::error::Result;
use crate::graph::PropertyGraph;
use crate::rdf::prefixes::Prefixes;
use crate::rdf::sorted::{Interner, Sorted};
use crate::store::statements::Statements;
use crate::store::Scope;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

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

/// Counts the case's statements in `scope`: from its files, interned as they are parsed (no
/// store is built and no parsed quad kept), or from an on-disk store. A quad stated twice (in
/// one file or in two) is counted once, as a store holds it once.
pub fn stats(
    case: &crate::Case,
    store: Option<&mut Statements>,
    scope: Scope,
    progress: Option<crate::store::ProgressFn>,
) -> Result<(Stats, Vec<crate::warning::Warning>)> {
    let (interner, prefixes, warnings) = match store {
        None => Statements::read_interned(case, scope, true, progress)?,
        Some(statements) => {
            let mut interner = Interner::new(true);
            interner.extend(statements.take_quads(scope)?)?;
            (interner, statements.prefixes().clone(), Vec::new())
        }
    };
    Ok((count(interner.sorted()?, &prefixes)?, warnings))
}

/// The counts of `quads` (each once).
fn count(quads: Sorted, prefixes: &Prefixes) -> Result<Stats> {
    // Counted by borrowed term first, named once per distinct term after.
    let mut by_graph: FxHashMap<GraphNameRef<'_>, usize> = FxHashMap::default();
    let mut by_property: FxHashMap<NamedNodeRef<'_>, usize> = FxHashMap::default();
    let mut by_class: FxHashMap<NamedNodeRef<'_>, FxHashSet<NamedOrBlankNodeRef<'_>>> =
        FxHashMap::default();
    for quad in quads.iter() {
        *by_graph.entry(quad.graph_name).or_default() += 1;
        *by_property.entry(quad.predicate).or_default() += 1;
        if quad.predicate == rdf::TYPE {
            if let TermRef::NamedNode(class) = quad.object {
                by_class.entry(class).or_default().insert(quad.subject);
            }
        }
    }
    let graphs: BTreeMap<String, usize> = by_graph
        .into_iter()
        .map(|(g, n)| {
            let name = match g {
                GraphNameRef::DefaultGraph => "(default)".to_owned(),
                GraphNameRef::NamedNode(n) => prefixes.compact(n.as_str()),
                GraphNameRef::BlankNode(b) => b.to_string(),
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
    // The drawn graph's size, counted without drawing it.
    let graph = PropertyGraph::size(quads.iter(), prefixes);
    let counts = |map: BTreeMap<String, usize>| {
        map.into_iter()
            .map(|(name, count)| Count { name, count })
            .collect()
    };
    Ok(Stats {
        quads: quads.len(),
        triples: quads.distinct_triples(),
        nodes: graph.nodes,
        edges: graph.edges,
        attributes: graph.attributes,
        graphs: counts(graphs),
        classes: counts(classes),
        properties: counts(properties),
    })
}
