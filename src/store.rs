//! The case loaded into an Oxigraph store, with the prefixes its files declared.

use crate::error::Result;
use crate::load::{self, ONTOLOGY_GRAPH};
use crate::prefixes::Prefixes;
use crate::project::Case;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

/// The hidden graph that holds the RDF merge of every graph, each triple once.
///
/// Oxigraph 0.5 evaluates a union default graph as a multiset: a triple stated by three
/// articles matches three times, which inflates COUNT and repeats rows (oxigraph issue #1919,
/// fixed after 0.5). Queries use this merged graph as their default graph instead; it is loaded
/// with the data by commands that query, and never exported, counted or reachable with `GRAPH ?g`.
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

/// Where a load is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadProgress {
    /// Parsing the files: bytes parsed so far, of `total`.
    Parsing {
        /// Bytes parsed.
        done: u64,
        /// Bytes in all.
        total: u64,
    },
    /// Writing quads into the store: quads written so far, of `total`.
    Storing {
        /// Quads written.
        done: u64,
        /// Quads in all.
        total: u64,
    },
}

/// A callback told how a load is going; the library never draws anything itself.
pub type ProgressFn = Arc<dyn Fn(LoadProgress) + Send + Sync>;

/// What to build while loading, and whom to tell how it goes.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// Also build the merged graph (see [`MERGED_GRAPH`]) that SPARQL queries use as their
    /// default graph. Commands that run no query leave it out and load faster.
    pub merged_graph: bool,
    /// Called now and then during the load.
    pub progress: Option<ProgressFn>,
}

/// Parses the case's files and loads them (with the merged graph when asked) into `store`.
pub(crate) fn fill(store: &Store, case: &Case, options: &LoadOptions) -> Result<(Prefixes, usize)> {
    let files = case.rdf_files()?;
    let report = |p| {
        if let Some(progress) = &options.progress {
            progress(p);
        }
    };
    let parsed = load::parse_files_with_progress(&files, &|p| {
        report(LoadProgress::Parsing {
            done: p.done,
            total: p.total,
        })
    })?;
    let quads = parsed.quads.len();
    let merged = if options.merged_graph {
        merged_quads(&parsed.quads)
    } else {
        Vec::new()
    };
    let total = (quads + merged.len()) as u64;
    let mut loader = store.bulk_loader();
    if let Some(progress) = options.progress.clone() {
        loader = loader.on_progress(move |done| progress(LoadProgress::Storing { done, total }));
    }
    loader.load_quads(parsed.quads.into_iter().chain(merged))?;
    loader.commit()?;
    Ok((parsed.prefixes, quads))
}

impl CaseStore {
    /// Loads every RDF file of `case` into a new in-memory store.
    pub fn load(case: &Case) -> Result<Self> {
        Self::load_with(case, LoadOptions::default())
    }

    /// Loads every RDF file of `case`, building what `options` asks for in the same bulk load.
    pub fn load_with(case: &Case, options: LoadOptions) -> Result<Self> {
        let store = Store::new()?;
        let (prefixes, _) = fill(&store, case, &options)?;
        let case_store = Self::from_store(store, prefixes);
        if options.merged_graph {
            let _ = case_store.merged.set(());
        }
        Ok(case_store)
    }

    /// Wraps an existing store.
    pub fn from_store(store: Store, prefixes: Prefixes) -> Self {
        Self {
            store,
            prefixes,
            merged: OnceLock::new(),
        }
    }

    /// Wraps a store that already holds the merged graph (an on-disk store built by `load`).
    pub fn with_merged_graph(store: Store, prefixes: Prefixes) -> Self {
        let case_store = Self::from_store(store, prefixes);
        let _ = case_store.merged.set(());
        case_store
    }

    /// The graph holding every triple of the store once (see [`MERGED_GRAPH`]), built on first
    /// use unless it was loaded with the data.
    pub fn merged_graph(&self) -> Result<NamedNode> {
        if self.merged.get().is_none() {
            let quads = self
                .store
                .iter()
                .filter(|q| {
                    q.as_ref()
                        .map_or(true, |q| !is_hidden_graph_name(q.graph_name.as_ref()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut loader = self.store.bulk_loader();
            loader.load_quads(merged_quads(&quads))?;
            loader.commit()?;
            let _ = self.merged.set(());
        }
        Ok(NamedNode::new_unchecked(MERGED_GRAPH))
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

/// Every distinct triple of `quads`, in the merged graph.
pub(crate) fn merged_quads(quads: &[Quad]) -> Vec<Quad> {
    let merged = NamedNode::new_unchecked(MERGED_GRAPH);
    // Hashing borrowed terms first means a triple stated by several graphs is cloned once.
    let mut seen = HashSet::with_capacity(quads.len());
    quads
        .iter()
        .filter(|q| seen.insert((&q.subject, &q.predicate, &q.object)))
        .map(|q| {
            Quad::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
                merged.clone(),
            )
        })
        .collect()
}

/// Whether a named graph is the hidden merged graph.
pub fn is_merged_graph(graph: &NamedOrBlankNode) -> bool {
    matches!(graph, NamedOrBlankNode::NamedNode(n) if n.as_str() == MERGED_GRAPH)
}

fn is_hidden_graph_name(graph: GraphNameRef<'_>) -> bool {
    matches!(graph, GraphNameRef::NamedNode(n) if n.as_str() == MERGED_GRAPH)
}
