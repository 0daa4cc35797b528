//! What several commands share: opening the case (or its on-disk store) with a progress bar
//! and its warnings printed, binding parameters, and turning drawing and format options into the
//! library's.

use crate::cli::args::{DrawingArgs, LiteralsArg, Location};
use crate::cli::output::Output;
use crate::cli::progress::LoadBar;
use anyhow::{anyhow, Context, Result};
use casegraph::error::{and_list, in_words};
use casegraph::export::{self, Destination, Exported, GraphFormat};
use casegraph::format::Format;
use casegraph::graph::{GraphOptions, Literals};
use casegraph::query::limits::TimeLimit;
use casegraph::query::{self, QueryOptions, QueryText, Request};
use casegraph::rdf::prefixes::Prefixes;
use casegraph::rdf::term::parse_term;
use casegraph::store::disk;
use casegraph::store::statements::Statements;
use casegraph::store::{Dataset, Reads};
use casegraph::{Case, CaseStore, Scope};
use std::path::Path;

/// Opens the case's on-disk store when `--store` is given, else loads its files, for queries
/// over `dataset` (the store is laid out for it; an on-disk store serves every dataset).
pub fn load_for_queries(location: &Location, dataset: Dataset) -> Result<(Case, CaseStore)> {
    let case = open_case(location)?;
    let store = open_store(location, &case, dataset, Reads::ALL)?;
    Ok((case, store))
}

/// [`load_for_queries`] for one request on the opened `case`: only the graphs its query reads
/// are loaded ([`Request::reads`]).
pub fn load_for_request(
    location: &Location,
    case: &Case,
    dataset: Dataset,
    request: &Request,
) -> Result<CaseStore> {
    open_store(location, case, dataset, request.reads())
}

fn open_store(
    location: &Location,
    case: &Case,
    dataset: Dataset,
    reads: Reads,
) -> Result<CaseStore> {
    let store = match &location.store {
        Some(dir) => disk::open(dir, case, dataset)?,
        None => with_bar(|progress| CaseStore::load_for(case, dataset, reads, progress))?,
    };
    crate::cli::output::warn(store.warnings());
    Ok(store)
}

/// The case's statements for a command that runs no query: read straight from the files (a
/// store would only be built to be read back), or the on-disk store when `--store` is given.
pub fn statements(location: &Location) -> Result<(Case, Statements)> {
    let case = open_case(location)?;
    let statements = match &location.store {
        Some(dir) => Statements::Store(disk::open(dir, &case, Dataset::default())?),
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

/// The library's request for `text`, from the `--param NAME=VALUE` (checked against the
/// query's header when the library binds them), `--timeout` and `--allow-service` arguments.
pub fn request(
    text: QueryText,
    params: &[String],
    timeout: Option<TimeLimit>,
    allow_service: bool,
) -> Result<Request> {
    Ok(Request {
        text,
        params: params
            .iter()
            .map(|p| query::parse_param_arg(p))
            .collect::<Result<Vec<_>, _>>()?,
        options: QueryOptions {
            timeout,
            allow_service,
            dataset: None,
        },
    })
}

/// The graph format `--format` names, else the one `--out`'s extension names, else Turtle.
pub fn graph_format(format: Option<GraphFormat>, out: Option<&Path>) -> Result<GraphFormat> {
    match (format, out) {
        (Some(format), _) => Ok(format),
        (None, Some(path)) => GraphFormat::from_path(path).ok_or_else(|| {
            anyhow!(
                "{}: cannot tell the format from the extension; give --format ({})",
                path.display(),
                GraphFormat::names().join(", ")
            )
        }),
        (None, None) => Ok(GraphFormat::Turtle),
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

/// Exports `exported` in `format` to `--out` (or stdout), drawn as `drawing` says: the one
/// library call of `export`, and of `query` on a CONSTRUCT. The library's errors get the flags'
/// wording here.
pub fn export_to(
    statements: &mut Statements,
    exported: Exported,
    format: GraphFormat,
    drawing: &DrawingArgs,
    out: Option<&Path>,
) -> Result<()> {
    let options = graph_options(statements.prefixes(), drawing)?;
    let warnings = export::export(statements, exported, format, &options, &mut OutArg(out))
        .map_err(|error| in_flags(error, drawing))?;
    crate::cli::output::warn(&warnings);
    Ok(())
}

/// Exports the whole case in scope in `format`, an RDF syntax, to `--out` (or stdout), read
/// straight from its files into compact sorted quads ([`export::export_rdf_from_files`]): the
/// same bytes as [`export_to`] writes, in a fraction of the memory.
pub fn export_rdf_from_files(
    location: &Location,
    scope: Scope,
    format: GraphFormat,
    out: Option<&Path>,
) -> Result<()> {
    let case = open_case(location)?;
    let warnings = with_bar(|progress| {
        export::export_rdf_from_files(&case, scope, format, progress, &mut OutArg(out))
    })?;
    crate::cli::output::warn(&warnings);
    Ok(())
}

/// A library error in the words of the flags that led to it.
pub fn in_flags(error: casegraph::Error, drawing: &DrawingArgs) -> anyhow::Error {
    match error {
        casegraph::Error::NeedsFolder { format, files } => anyhow!(
            "--format {} writes {} files, {}: give the folder to write them in with --out DIR",
            format.name(),
            in_words(files.len()),
            and_list(files)
        ),
        casegraph::Error::NoSuchEntity { .. } => anyhow!(error).context(format!(
            "--focus `{}`",
            drawing.focus.as_deref().unwrap_or_default()
        )),
        error => error.into(),
    }
}

/// `--out`: where an export goes. A format of one file writes FILE, or stdout without `--out`;
/// one of several files writes them into the folder DIR, created if need be. Every file is
/// written whole or not at all (see [`Output`]).
struct OutArg<'a>(Option<&'a Path>);

impl Destination for OutArg<'_> {
    type Writer = Output;

    fn stream(&mut self) -> casegraph::Result<Output> {
        Output::open(self.0).map_err(into_library)
    }

    fn file(&mut self, name: &str) -> Option<casegraph::Result<Output>> {
        let dir = self.0?;
        Some(
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create the folder", dir.display()))
                .and_then(|()| Output::open(Some(&dir.join(name))))
                .map_err(into_library),
        )
    }

    fn keep(&mut self, writer: Output) -> casegraph::Result<()> {
        writer.finish().map_err(into_library)
    }
}

/// The binary's error, with its causes, as the library carries it back.
fn into_library(error: anyhow::Error) -> casegraph::Error {
    casegraph::Error::Destination(error.into())
}
