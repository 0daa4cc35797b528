//! The case's statements as exports, drawings and paths read them: straight from the files,
//! with no store to build, or from a store when there is one.
//!
//! Writing a format needs every quad in memory (to sort it, or to build the property graph)
//! and no SPARQL, so building a store first only doubled the work: on a million triples,
//! reading the files is a few seconds and loading a store as many again.

use crate::case::parse::{self, Parsed};
use crate::case::Case;
use crate::error::Result;
use crate::graph::Labels;
use crate::rdf::prefixes::Prefixes;
use crate::rdf::sorted::Interner;
use crate::store::{reporter, CaseStore, ProgressFn, Scope};
use crate::warning::Warning;
use oxigraph::model::Quad;

/// Where the statements come from.
pub enum Statements {
    /// Read from the case's files.
    Files(Parsed),
    /// A loaded store, or an on-disk one.
    Store(CaseStore),
}

impl Statements {
    /// Reads every RDF file of `case`, on all cores, telling `progress` how it goes.
    pub fn read(case: &Case, progress: Option<ProgressFn>) -> Result<Self> {
        let files = case.rdf_files()?;
        let report = reporter(progress.as_ref());
        Ok(Self::Files(parse::parse_files_with_progress(
            &files, &report,
        )?))
    }

    /// Reads every RDF file of `case` as [`Statements::read`] does, holding the quads in
    /// `scope` as ids into one table of distinct terms as each file (or piece of a large one) is
    /// parsed: what a sorted RDF export needs, in a fraction of the memory of owned quads.
    /// Without `keep_graphs` the quads are merged into the default graph. Returns the quads, the
    /// case's prefixes and what the files' prefixes are worth a warning for.
    pub fn read_interned(
        case: &Case,
        scope: Scope,
        keep_graphs: bool,
        progress: Option<ProgressFn>,
    ) -> Result<(Interner, Prefixes, Vec<Warning>)> {
        let files = case.rdf_files()?;
        let report = reporter(progress.as_ref());
        let mut interner = Interner::new(keep_graphs);
        let (prefixes, warnings) = parse::parse_files_into(&files, &report, &mut |quads| {
            interner.extend(
                quads
                    .into_iter()
                    .filter(|q| scope.includes(q.graph_name.as_ref())),
            )
        })?;
        Ok((interner, prefixes, warnings))
    }

    /// The case's prefixes.
    pub fn prefixes(&self) -> &Prefixes {
        match self {
            Self::Files(parsed) => &parsed.prefixes,
            Self::Store(store) => store.prefixes(),
        }
    }

    /// What reading the files found worth a warning (prefixes the files disagree on).
    pub fn warnings(&self) -> &[crate::warning::Warning] {
        match self {
            Self::Files(parsed) => &parsed.warnings,
            Self::Store(store) => store.warnings(),
        }
    }

    /// Every label and class of every graph, the ontology's included.
    pub fn labels(&self) -> Result<Labels> {
        match self {
            Self::Files(parsed) => Ok(Labels::from_dataset(&parsed.quads)),
            Self::Store(store) => Labels::from_store(store),
        }
    }

    /// What a drawing of the statements in `scope` needs besides the labels they state
    /// themselves (which [`crate::graph::PropertyGraph::build`] reads from the drawn quads):
    /// the labels and classes of the statements outside it, such as the ontology's names of
    /// classes and properties. From a store, every label (the drawn quads' own labels still
    /// come first).
    pub fn labels_outside(&self, scope: Scope) -> Result<Labels> {
        match self {
            Self::Files(parsed) => Ok(Labels::from_dataset(
                parsed
                    .quads
                    .iter()
                    .filter(|q| !scope.includes(q.graph_name.as_ref())),
            )),
            Self::Store(store) => Labels::from_store(store),
        }
    }

    /// The quads in `scope`, taken out: a second call gives none for statements read from
    /// files (they are moved, not copied).
    pub fn take_quads(&mut self, scope: Scope) -> Result<Vec<Quad>> {
        match self {
            Self::Files(parsed) => {
                let mut quads = std::mem::take(&mut parsed.quads);
                quads.retain(|q| scope.includes(q.graph_name.as_ref()));
                Ok(quads)
            }
            Self::Store(store) => store.quads(scope),
        }
    }
}
