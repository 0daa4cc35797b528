//! What several commands share: opening the case (or its on-disk store) with a progress bar
//! and its warnings printed, binding parameters, and turning drawing and format options into the
//! library's.

use crate::cli::args::{DrawingArgs, LiteralsArg, Location};
use crate::cli::output::Output;
use crate::cli::progress::LoadBar;
use anyhow::{bail, Context, Result};
use casegraph::export::{self, neo4j, GraphFormat, WriteContext};
use casegraph::graph::{GraphOptions, Labels, Literals};
use casegraph::query::results::{self, ResultsFormat};
use casegraph::query::{self, QueryText};
use casegraph::rdf::prefixes::Prefixes;
use casegraph::rdf::term::parse_term;
use casegraph::store::disk;
use casegraph::store::statements::Statements;
use casegraph::store::{Layout, LoadOptions};
use casegraph::{Case, CaseStore, Scope};
use oxigraph::model::{GraphName, Quad, Triple};
use std::io::Write;
use std::path::Path;

/// Opens the case's on-disk store when `--store` is given, else loads its files laid out as
/// `layout` says (an on-disk store serves every layout).
pub fn load(location: &Location, layout: Layout) -> Result<(Case, CaseStore)> {
    let case = open_case(location)?;
    let store = match &location.store {
        Some(dir) => disk::open(dir, &case)?,
        None => with_bar(|progress| {
            let options = LoadOptions { layout, progress };
            CaseStore::load_with(&case, options)
        })?,
    };
    crate::cli::output::warn(store.warnings());
    Ok((case, store))
}

/// The case's statements for a command that runs no query: read straight from the files (a
/// store would only be built to be read back), or the on-disk store when `--store` is given.
pub fn statements(location: &Location) -> Result<(Case, Statements)> {
    let case = open_case(location)?;
    let statements = match &location.store {
        Some(dir) => Statements::Store(disk::open(dir, &case)?),
        None => with_bar(|progress| Statements::read(&case, progress))?,
    };
    crate::cli::output::warn(statements.warnings());
    Ok((case, statements))
}

/// Opens the case folder, printing what it found worth a warning (files it does not read).
pub fn open_case(location: &Location) -> Result<Case> {
    let case = Case::open(&location.case)?;
    crate::cli::output::warn(case.warnings());
    Ok(case)
}

/// Runs a load with a progress bar on the terminal (see [`LoadBar`]).
pub fn with_bar<T>(
    load: impl FnOnce(Option<casegraph::store::ProgressFn>) -> casegraph::Result<T>,
) -> casegraph::Result<T> {
    let bar = LoadBar::callback();
    let result = load(bar.as_ref().map(|(_, callback)| callback.clone()));
    if let Some((bar, _)) = bar {
        bar.finish();
    }
    result
}

/// Ends a command without freeing what it loaded in memory: the process exits next, and the
/// system takes back its memory at once, where freeing a million quads one by one takes
/// seconds. An on-disk store (`--store`) is dropped as usual, so that it is closed properly.
pub fn exit_without_freeing<T>(location: &Location, loaded: T) {
    if location.store.is_none() {
        std::mem::forget(loaded);
    }
}

/// The graphs a command looks at.
pub fn scope(with_ontology: bool) -> Scope {
    if with_ontology {
        Scope::WithOntology
    } else {
        Scope::Case
    }
}

/// Reads `--param NAME=VALUE` arguments and checks them against the query's header.
pub fn bind(text: &QueryText, params: &[String], store: &CaseStore) -> Result<Vec<query::Binding>> {
    let params = params
        .iter()
        .map(|p| query::parse_param_arg(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(text.bind(&params, store.prefixes())?)
}

pub fn in_default_graph(triples: Vec<Triple>) -> Vec<Quad> {
    triples
        .into_iter()
        .map(|t| t.in_graph(GraphName::DefaultGraph))
        .collect()
}

/// Writes `quads` in `format`; `labels` are those [`export::labels_for`] gave.
pub fn write_graph(
    out: &mut dyn Write,
    prefixes: &Prefixes,
    labels: &Labels,
    format: GraphFormat,
    quads: Vec<Quad>,
    drawing: &DrawingArgs,
) -> Result<()> {
    let options = crate::cli::case::graph_options(prefixes, drawing)?;
    let context = WriteContext {
        prefixes,
        labels,
        graph: &options,
    };
    export::write(out, format, quads, &context)?;
    Ok(())
}

pub fn results_format(name: Option<&str>, form: &str) -> Result<ResultsFormat> {
    let Some(name) = name else {
        return Ok(ResultsFormat::Table);
    };
    if let Some(format) = ResultsFormat::from_name(name) {
        return Ok(format);
    }
    if GraphFormat::from_name(name).is_some() {
        bail!(
            "--format {name}: a {form} query gives a table, not a graph; use {}",
            ResultsFormat::NAMES.join(", ")
        );
    }
    Err(results::unknown_format(name, &GraphFormat::names()).into())
}

pub fn graph_format(name: Option<&str>, out: Option<&Path>) -> Result<GraphFormat> {
    match (name, out) {
        (Some(name), _) => GraphFormat::from_name(name).ok_or_else(|| {
            anyhow::anyhow!(
                "unknown format `{name}`: use one of {}",
                GraphFormat::names().join(", ")
            )
        }),
        (None, Some(path)) => GraphFormat::from_path(path).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: cannot tell the format from the extension; give --format ({})",
                path.display(),
                GraphFormat::names().join(", ")
            )
        }),
        (None, None) => Ok(GraphFormat::from_name("turtle").unwrap_or(GraphFormat::Dot)),
    }
}
/// The property-graph options that the drawing arguments ask for.
pub fn graph_options(prefixes: &Prefixes, drawing: &DrawingArgs) -> Result<GraphOptions> {
    let focus = drawing
        .focus
        .as_deref()
        .map(|f| parse_term(f, prefixes, "--focus"))
        .transpose()?;
    Ok(GraphOptions {
        literals: match drawing.literals {
            LiteralsArg::Inline => Literals::Inline,
            LiteralsArg::Nodes => Literals::Nodes,
            LiteralsArg::None => Literals::Hidden,
        },
        full_literals: drawing.full_literals,
        focus,
        depth: drawing.depth,
    })
}

/// `export --format csv` and `query --format csv` on a CONSTRUCT: `nodes.csv` and
/// `relationships.csv` in the folder `dir` (created if needed), each file written whole or
/// not at all.
pub fn write_csv_folder(
    dir: Option<&Path>,
    prefixes: &Prefixes,
    labels: &Labels,
    quads: Vec<Quad>,
    drawing: &DrawingArgs,
) -> Result<()> {
    let Some(dir) = dir else {
        bail!(
            "--format csv writes two files, {} and {}: give the folder to write them in with --out DIR",
            neo4j::NODES_FILE,
            neo4j::RELATIONSHIPS_FILE
        );
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let options = graph_options(prefixes, drawing)?;
    let context = WriteContext {
        prefixes,
        labels,
        graph: &options,
    };
    let mut nodes = Output::open(Some(&dir.join(neo4j::NODES_FILE)))?;
    let mut relationships = Output::open(Some(&dir.join(neo4j::RELATIONSHIPS_FILE)))?;
    export::write_neo4j(nodes.writer(), relationships.writer(), quads, &context)?;
    nodes.finish()?;
    relationships.finish()?;
    Ok(())
}
