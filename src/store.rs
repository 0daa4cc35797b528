//! The case loaded into an Oxigraph store, with the prefixes its files declared.

use crate::error::Result;
use crate::load::{self, ONTOLOGY_GRAPH};
use crate::prefixes::Prefixes;
use crate::project::Case;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Triple};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The hidden graph that holds the RDF merge of every graph, each triple once.
///
/// Oxigraph 0.5 evaluates a union default graph as a multiset: a triple stated by three
/// articles matches three times, which inflates COUNT and repeats rows (oxigraph issue #1919,
/// fixed after 0.5). Queries use this merged graph as their default graph instead; it is built
/// on the first query and never exported, counted or reachable with `GRAPH ?g`.
pub const MERGED_GRAPH: &str = "https://w3id.org/casegraph/graph/merged";

/// A loaded case: an Oxigraph store (in memory) and the case's prefix map.
pub struct CaseStore {
    store: Store,
    prefixes: Prefixes,
    merged: OnceLock<()>,
}

/// Which graphs a command looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The case's data only: every graph but the ontology graph.
    #[default]
    Case,
    /// The case's data and its ontology.
    WithOntology,
}

impl CaseStore {
    /// Loads every RDF file of `case` into a new in-memory store.
    pub fn load(case: &Case) -> Result<Self> {
        let files = case.rdf_files()?;
        let parsed = load::parse_files(&files)?;
        let store = Store::new()?;
        let mut loader = store.bulk_loader();
        loader.load_quads(parsed.quads)?;
        loader.commit()?;
        Ok(Self::from_store(store, parsed.prefixes))
    }

    /// Wraps an existing store.
    pub fn from_store(store: Store, prefixes: Prefixes) -> Self {
        Self {
            store,
            prefixes,
            merged: OnceLock::new(),
        }
    }

    /// The graph holding every triple of the store once (see [`MERGED_GRAPH`]), built on first use.
    pub fn merged_graph(&self) -> Result<NamedNode> {
        let merged = NamedNode::new_unchecked(MERGED_GRAPH);
        if self.merged.get().is_none() {
            let mut triples = HashSet::new();
            for quad in self.store.iter() {
                let quad = quad?;
                if !is_hidden_graph_name(quad.graph_name.as_ref()) {
                    triples.insert(Triple::new(quad.subject, quad.predicate, quad.object));
                }
            }
            // Deduplicated here: the bulk loader does not check for quads already present.
            let mut loader = self.store.bulk_loader();
            loader.load_quads(triples.into_iter().map(|t| t.in_graph(merged.clone())))?;
            loader.commit()?;
            let _ = self.merged.set(());
        }
        Ok(merged)
    }

    /// The Oxigraph store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The case's prefixes.
    pub fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    /// Every graph name in the store, default graph first, then the named graphs in IRI order.
    pub fn graph_names(&self, scope: Scope) -> Result<Vec<GraphName>> {
        let mut named: Vec<NamedOrBlankNode> = self
            .store
            .named_graphs()
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|g| !is_merged_graph(g))
            .filter(|g| scope == Scope::WithOntology || !is_ontology_graph(g))
            .collect();
        named.sort_by_key(ToString::to_string);
        let mut graphs = vec![GraphName::DefaultGraph];
        graphs.extend(named.into_iter().map(GraphName::from));
        Ok(graphs)
    }

    /// Every quad in scope, in the store's order (writers that need a stable order sort).
    pub fn quads(&self, scope: Scope) -> Result<Vec<Quad>> {
        let mut quads = Vec::new();
        for quad in self.store.iter() {
            let quad = quad?;
            let graph = quad.graph_name.as_ref();
            if is_hidden_graph_name(graph)
                || (scope == Scope::Case && is_ontology_graph_name(graph))
            {
                continue;
            }
            quads.push(quad);
        }
        Ok(quads)
    }
}

/// Whether a named graph is the ontology graph.
pub fn is_ontology_graph(graph: &NamedOrBlankNode) -> bool {
    matches!(graph, NamedOrBlankNode::NamedNode(n) if n.as_str() == ONTOLOGY_GRAPH)
}

fn is_ontology_graph_name(graph: GraphNameRef<'_>) -> bool {
    matches!(graph, GraphNameRef::NamedNode(n) if n.as_str() == ONTOLOGY_GRAPH)
}

/// Whether a named graph is the hidden merged graph.
pub fn is_merged_graph(graph: &NamedOrBlankNode) -> bool {
    matches!(graph, NamedOrBlankNode::NamedNode(n) if n.as_str() == MERGED_GRAPH)
}

fn is_hidden_graph_name(graph: GraphNameRef<'_>) -> bool {
    matches!(graph, GraphNameRef::NamedNode(n) if n.as_str() == MERGED_GRAPH)
}
