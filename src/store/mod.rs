//! The case loaded into an Oxigraph store, with the prefixes its files declared.

pub mod disk;
pub mod statements;
pub mod stats;

use crate::case::parse::{self, ParseProgress, ONTOLOGY_GRAPH};
use crate::case::Case;
use crate::error::{Error, Result};
use crate::rdf::prefixes::Prefixes;
use crate::warning::Warning;
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Quad, QuadRef};
use oxigraph::store::Store;
use std::sync::{Arc, OnceLock};

/// The hidden graph that holds the RDF merge of every graph, each triple once.
///
/// Oxigraph 0.5 evaluates a union default graph as a multiset: a triple stated by three
/// articles matches three times, which inflates COUNT and repeats rows (oxigraph issue #1919,
/// fixed after 0.5). An on-disk store ([`Layout::WithMergedGraph`]) keeps this graph for queries
/// to use as their default graph; it is never exported, counted or reachable with `GRAPH ?g`.
/// An in-memory store loaded for queries holds the merge as its own default graph instead
/// ([`Layout::UnionQueries`]).
pub const MERGED_GRAPH: &str = "https://w3id.org/casegraph/graph/merged";

/// A loaded case: an Oxigraph store (in memory) and the case's prefix map.
pub struct CaseStore {
    store: Store,
    prefixes: Prefixes,
    warnings: Vec<Warning>,
    layout: Layout,
    dataset: Dataset,
    merged: OnceLock<()>,
}

/// What a query on a store sees when it names no dataset of its own (no `FROM`, `FROM NAMED`).
///
/// A store is given its dataset once, when it is loaded or opened, and lays itself out for it
/// ([`Layout::for_queries`]): a query cannot ask for another than the store was built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset {
    /// The default graph is the union of every graph (true, the default) or only the store's
    /// default graph.
    pub union_default_graph: bool,
    /// Whether `GRAPH ?g` also reaches the ontology graph.
    pub scope: Scope,
}

impl Default for Dataset {
    fn default() -> Self {
        Self {
            union_default_graph: true,
            scope: Scope::Case,
        }
    }
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

impl Scope {
    /// Whether the statements of `graph` are in scope.
    pub fn includes(self, graph: GraphNameRef<'_>) -> bool {
        self == Self::WithOntology || !is_ontology_graph_name(graph)
    }

    /// Whether `graph` is a named graph in scope: one that `GRAPH ?g` reaches.
    fn names(self, graph: GraphNameRef<'_>) -> bool {
        !graph.is_default_graph() && self.includes(graph)
    }
}

/// How far a load has come, for progress bars: bytes of the case's files read so far.
pub use crate::case::parse::ParseProgress as LoadProgress;

/// A callback told how a load is going; the library never draws anything itself.
pub type ProgressFn = Arc<dyn Fn(LoadProgress) + Send + Sync>;

/// How a store holds the case's graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// As the files wrote them: the default graph, the named graphs and the ontology graph.
    #[default]
    AsWritten,
    /// As written, plus the hidden merged graph (see [`MERGED_GRAPH`]) that queries read as their
    /// default graph: what an on-disk store holds, since it serves every command.
    WithMergedGraph,
    /// Laid out for SPARQL over the union of the graphs, and for nothing else: the store's
    /// default graph holds every triple of every graph once (the ontology's included), and the
    /// named graphs are the case's, with the ontology graph only in [`Scope::WithOntology`].
    /// Queries then run on the store's own dataset: no merged graph to name as the default
    /// graph, and no list of named graphs for `GRAPH ?g` to go through one by one (which made
    /// a query scan every quad of every listed graph instead of using the predicate's index).
    UnionQueries(Scope),
    /// Laid out for queries over the union that read only named graphs (`GRAPH`, or the graphs
    /// a `FROM` names; see [`Reads`]): the named graphs in scope as the files wrote them, and
    /// every other statement (the files' default graph, the ontology outside the scope) once in
    /// the store's default graph, which such queries never read. Each quad is stored once and no
    /// merge is built; the labels and classes a drawing reads from the store are all there.
    NamedGraphQueries(Scope),
    /// Laid out for queries over the union that read only the default graph: the merge of every
    /// graph (the ontology's included), each triple once, and no named graph at all.
    DefaultGraphQueries,
}

/// Which graphs of their dataset queries read: what a store loaded for them must hold (see
/// [`Layout::for_queries`]). [`crate::query::inspect`] finds it in a parsed query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads {
    /// The default graph: a triple pattern or path outside `GRAPH`, or a DESCRIBE (which
    /// describes from the default graph).
    pub default_graph: bool,
    /// Named graphs: a `GRAPH` pattern, or what `FROM` and `FROM NAMED` name (their default
    /// graph is made of the store's named graphs).
    pub named_graphs: bool,
}

impl Reads {
    /// Every graph: what a store that serves any query must hold.
    pub const ALL: Self = Self {
        default_graph: true,
        named_graphs: true,
    };

    /// The default graph only: what a query with no `GRAPH` (and no `FROM`) reads.
    pub const DEFAULT_GRAPH: Self = Self {
        default_graph: true,
        named_graphs: false,
    };

    /// Named graphs only: what a query with `FROM` or `FROM NAMED`, or a SPARQL Protocol
    /// dataset, reads.
    pub const NAMED_GRAPHS: Self = Self {
        default_graph: false,
        named_graphs: true,
    };

    /// No graph at all (`ASK {}`, a query of VALUES and BIND only).
    pub const NOTHING: Self = Self {
        default_graph: false,
        named_graphs: false,
    };
}

impl Layout {
    /// The in-memory layout that answers queries over `dataset`, reading the graphs `reads`
    /// says, fastest: over the union, the named graphs as written when they are all the queries
    /// read, the merge alone when the default graph is, both when both are. Without the union,
    /// the graphs as written serve every query with one copy of each quad.
    pub fn for_queries(dataset: Dataset, reads: Reads) -> Self {
        match (
            dataset.union_default_graph,
            reads.default_graph,
            reads.named_graphs,
        ) {
            (false, _, _) => Self::AsWritten,
            (true, true, true) => Self::UnionQueries(dataset.scope),
            (true, true, false) => Self::DefaultGraphQueries,
            // A query that reads no graph (`ASK {}`) is answered from the cheapest store.
            (true, false, _) => Self::NamedGraphQueries(dataset.scope),
        }
    }

    /// What of `reads` a store laid out this way lacks, in words (`None`: it answers queries
    /// that read them as a store that holds every graph does).
    pub fn lacks(self, reads: Reads) -> Option<&'static str> {
        match self {
            Self::AsWritten | Self::WithMergedGraph | Self::UnionQueries(_) => None,
            Self::NamedGraphQueries(_) => reads.default_graph.then_some("the default graph"),
            Self::DefaultGraphQueries => reads.named_graphs.then_some("named graphs"),
        }
    }

    /// Whether queries run on the store's own dataset (its default graph and named graphs), as
    /// this layout holds it, rather than on a dataset named for them.
    pub fn holds_dataset(self) -> bool {
        match self {
            Self::AsWritten | Self::WithMergedGraph => false,
            Self::UnionQueries(_) | Self::NamedGraphQueries(_) | Self::DefaultGraphQueries => true,
        }
    }

    /// The dataset queries see on a store laid out this way, unless it was loaded for another
    /// (only [`Layout::UnionQueries`] fixes it).
    fn dataset(self) -> Dataset {
        match self {
            Self::UnionQueries(scope) | Self::NamedGraphQueries(scope) => Dataset {
                union_default_graph: true,
                scope,
            },
            Self::AsWritten | Self::WithMergedGraph | Self::DefaultGraphQueries => {
                Dataset::default()
            }
        }
    }
}

/// What to build while loading, and whom to tell how it goes.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// How the store holds the graphs.
    pub layout: Layout,
    /// Called now and then during the load.
    pub progress: Option<ProgressFn>,
}

/// Tells `progress`, when there is one, how a parse is going.
pub(crate) fn reporter(progress: Option<&ProgressFn>) -> impl Fn(ParseProgress) + Sync + '_ {
    move |p| {
        if let Some(progress) = progress {
            progress(p);
        }
    }
}

/// How quads reach the store.
pub(crate) enum Writer<'a> {
    /// One transaction: an in-memory store inserts quad by quad whatever the API, and a
    /// transaction takes borrowed quads, so the merged graph's copies cost no allocation.
    Transaction(oxigraph::store::Transaction<'a>),
    /// The bulk loader, which an on-disk store needs to write its files in one go.
    #[cfg_attr(not(feature = "rocksdb"), allow(dead_code))]
    BulkLoader(oxigraph::store::BulkLoader<'a>),
}

impl Writer<'_> {
    fn add(&mut self, quads: Vec<Quad>, layout: Layout) -> Result<()> {
        let merged = merged_graph_name();
        // The store keeps each quad once, so a triple stated by several graphs lands in the
        // default graph (or the merged graph) once.
        match (self, layout) {
            (Self::Transaction(transaction), Layout::UnionQueries(scope)) => {
                for quad in &quads {
                    if scope.names(quad.graph_name.as_ref()) {
                        transaction.insert(quad);
                    }
                    transaction.insert(triple_in(quad, GraphNameRef::DefaultGraph));
                }
            }
            (Self::Transaction(transaction), Layout::NamedGraphQueries(scope)) => {
                for quad in &quads {
                    if scope.names(quad.graph_name.as_ref()) {
                        transaction.insert(quad);
                    } else {
                        transaction.insert(triple_in(quad, GraphNameRef::DefaultGraph));
                    }
                }
            }
            (Self::Transaction(transaction), Layout::DefaultGraphQueries) => {
                for quad in &quads {
                    transaction.insert(triple_in(quad, GraphNameRef::DefaultGraph));
                }
            }
            (
                Self::Transaction(transaction),
                layout @ (Layout::AsWritten | Layout::WithMergedGraph),
            ) => {
                for quad in &quads {
                    transaction.insert(quad);
                    if layout == Layout::WithMergedGraph {
                        transaction.insert(triple_in(quad, merged.as_ref().into()));
                    }
                }
            }
            (
                Self::BulkLoader(_),
                layout @ (Layout::UnionQueries(_)
                | Layout::NamedGraphQueries(_)
                | Layout::DefaultGraphQueries),
            ) => {
                return Err(Error::UnsupportedLayout { layout });
            }
            (Self::BulkLoader(loader), layout @ (Layout::AsWritten | Layout::WithMergedGraph)) => {
                let copies: Vec<Quad> = if layout == Layout::WithMergedGraph {
                    quads
                        .iter()
                        .map(|q| triple_in(q, merged.as_ref().into()).into_owned())
                        .collect()
                } else {
                    Vec::new()
                };
                loader.load_quads(quads.into_iter().chain(copies))?;
            }
        }
        Ok(())
    }

    fn commit(self) -> Result<()> {
        match self {
            Self::Transaction(transaction) => transaction.commit()?,
            Self::BulkLoader(loader) => loader.commit()?,
        }
        Ok(())
    }
}

/// Parses the case's files and loads them (with the merged graph when asked) through `writer`,
/// storing each file while later ones are still being parsed. Returns the prefixes and the
/// number of quads read, and the warnings about the files' prefixes. Nothing is committed
/// unless every file was read.
pub(crate) fn fill(
    mut writer: Writer<'_>,
    case: &Case,
    options: &LoadOptions,
) -> Result<(Prefixes, usize, Vec<Warning>)> {
    let files = case.rdf_files()?;
    let mut count = 0;
    let report = reporter(options.progress.as_ref());
    let (prefixes, warnings) = parse::parse_files_into(&files, &report, &mut |quads| {
        count += quads.len();
        writer.add(quads, options.layout)
    })?;
    writer.commit()?;
    Ok((prefixes, count, warnings))
}

impl CaseStore {
    /// Loads every RDF file of `case` into a new in-memory store.
    pub fn load(case: &Case) -> Result<Self> {
        Self::load_with(case, LoadOptions::default())
    }

    /// Loads every RDF file of `case`, building what `options` asks for in the same bulk load.
    pub fn load_with(case: &Case, options: LoadOptions) -> Result<Self> {
        let store = Store::new()?;
        let (prefixes, _, warnings) = fill(
            Writer::Transaction(store.start_transaction()?),
            case,
            &options,
        )?;
        let mut loaded = Self::with_layout(store, prefixes, options.layout);
        loaded.warnings = warnings;
        Ok(loaded)
    }

    /// Loads every RDF file of `case` for any query over `dataset`, laid out for it (see
    /// [`Layout::for_queries`]), telling `progress` how the load goes.
    pub fn load_for_queries(
        case: &Case,
        dataset: Dataset,
        progress: Option<ProgressFn>,
    ) -> Result<Self> {
        Self::load_for(case, dataset, Reads::ALL, progress)
    }

    /// Loads `case` for queries over `dataset` that read only the graphs `reads` says (what
    /// [`crate::query::Request::reads`] finds in a query): the layout holds only what they read
    /// (see [`Layout::for_queries`]). A query that reads more is refused by
    /// [`crate::query::evaluate`] rather than answered wrong.
    pub fn load_for(
        case: &Case,
        dataset: Dataset,
        reads: Reads,
        progress: Option<ProgressFn>,
    ) -> Result<Self> {
        let layout = Layout::for_queries(dataset, reads);
        let mut store = Self::load_with(case, LoadOptions { layout, progress })?;
        store.dataset = dataset;
        Ok(store)
    }

    /// Wraps an existing store that holds the case's graphs as written.
    pub fn from_store(store: Store, prefixes: Prefixes) -> Self {
        Self::with_layout(store, prefixes, Layout::AsWritten)
    }

    /// Wraps an existing store laid out as `layout` says.
    pub fn with_layout(store: Store, prefixes: Prefixes, layout: Layout) -> Self {
        let merged = OnceLock::new();
        if layout == Layout::WithMergedGraph {
            let _ = merged.set(());
        }
        Self {
            store,
            prefixes,
            warnings: Vec::new(),
            layout,
            dataset: layout.dataset(),
            merged,
        }
    }

    /// How the store holds the graphs.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// What queries see when they name no dataset of their own.
    pub fn dataset(&self) -> Dataset {
        self.dataset
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
            let merged = merged_graph_name();
            let mut transaction = self.store.start_transaction()?;
            for quad in &quads {
                transaction.insert(triple_in(quad, merged.as_ref().into()));
            }
            transaction.commit()?;
            let _ = self.merged.set(());
        }
        Ok(merged_graph_name())
    }

    /// The Oxigraph store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The case's prefixes.
    pub fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    /// What the load found worth a warning (prefixes the files disagree on, a stale store).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Adds to [`CaseStore::warnings`].
    pub fn add_warnings(&mut self, warnings: impl IntoIterator<Item = Warning>) {
        self.warnings.extend(warnings);
    }

    /// The case's named graphs in `scope`, in IRI order (the hidden merged graph left out).
    pub fn named_graphs(&self, scope: Scope) -> Result<Vec<NamedOrBlankNode>> {
        let mut named: Vec<NamedOrBlankNode> = self
            .store
            .named_graphs()
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|g| !is_merged_graph(g) && scope.includes(g.as_ref().into()))
            .collect();
        named.sort_by_key(ToString::to_string);
        Ok(named)
    }

    /// Every quad in scope, in the store's order (writers that need a stable order sort).
    pub fn quads(&self, scope: Scope) -> Result<Vec<Quad>> {
        let mut quads = Vec::new();
        for quad in self.store.iter() {
            let quad = quad?;
            let graph = quad.graph_name.as_ref();
            if is_hidden_graph_name(graph) || !scope.includes(graph) {
                continue;
            }
            quads.push(quad);
        }
        Ok(quads)
    }
}

/// Whether a graph name is the ontology graph.
pub fn is_ontology_graph_name(graph: GraphNameRef<'_>) -> bool {
    matches!(graph, GraphNameRef::NamedNode(n) if n.as_str() == ONTOLOGY_GRAPH)
}

fn merged_graph_name() -> NamedNode {
    NamedNode::new_unchecked(MERGED_GRAPH)
}

/// The triple of `quad` in `graph`: its copy in the merged graph or in the union default graph
/// (the ontology's triples too: queries read the class hierarchy from their default graph).
fn triple_in<'a>(quad: &'a Quad, graph: GraphNameRef<'a>) -> QuadRef<'a> {
    QuadRef::new(&quad.subject, &quad.predicate, &quad.object, graph)
}

/// Whether a named graph is the hidden merged graph.
pub fn is_merged_graph(graph: &NamedOrBlankNode) -> bool {
    matches!(graph, NamedOrBlankNode::NamedNode(n) if n.as_str() == MERGED_GRAPH)
}

fn is_hidden_graph_name(graph: GraphNameRef<'_>) -> bool {
    matches!(graph, GraphNameRef::NamedNode(n) if n.as_str() == MERGED_GRAPH)
}
