//! Runs each command: loads the case, calls the library, writes the answer.

use crate::cli::{DrawingArgs, ExportArgs, Location, QueryArgs, StatsArgs};
use crate::output::Output;
use crate::progress::LoadBar;
use anyhow::{bail, Result};
use casegraph::export::{self, GraphFormat, WriteContext};
use casegraph::graph::Labels;
use casegraph::persist;
use casegraph::prefixes::Prefixes;
use casegraph::query::results::{self, ResultsFormat};
use casegraph::query::{self, Answer, Evaluation, QueryOptions, QueryText};
use casegraph::statements::Statements;
use casegraph::stats::{stats, Stats};
use casegraph::store::{Layout, LoadOptions};
use casegraph::{Case, CaseStore, Scope};
use oxigraph::model::{GraphName, Quad, Triple};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Exit status of an ASK query that answered false.
const FALSE: u8 = 1;

/// Opens the case's on-disk store when `--store` is given, else loads its files laid out as
/// `layout` says (an on-disk store serves every layout).
pub fn load(location: &Location, layout: Layout) -> Result<(Case, CaseStore)> {
    let case = open_case(location)?;
    let store = match &location.store {
        Some(dir) => persist::open(dir, &case)?,
        None => with_bar(|progress| {
            let options = LoadOptions { layout, progress };
            CaseStore::load_with(&case, options)
        })?,
    };
    crate::output::warn(store.warnings());
    Ok((case, store))
}

/// The case's statements for a command that runs no query: read straight from the files (a
/// store would only be built to be read back), or the on-disk store when `--store` is given.
pub fn statements(location: &Location) -> Result<(Case, Statements)> {
    let case = open_case(location)?;
    let statements = match &location.store {
        Some(dir) => Statements::Store(persist::open(dir, &case)?),
        None => with_bar(|progress| Statements::read(&case, progress))?,
    };
    crate::output::warn(statements.warnings());
    Ok((case, statements))
}

/// Opens the case folder, printing what it found worth a warning (files it does not read).
pub fn open_case(location: &Location) -> Result<Case> {
    let case = Case::open(&location.case)?;
    crate::output::warn(case.warnings());
    Ok(case)
}

/// Runs a load with a progress bar on the terminal (see [`LoadBar`]).
fn with_bar<T>(
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
fn exit_without_freeing<T>(location: &Location, loaded: T) {
    if location.store.is_none() {
        std::mem::forget(loaded);
    }
}

/// `casegraph load --store DIR`.
pub fn load_store(location: &Location) -> Result<ExitCode> {
    let Some(dir) = &location.store else {
        bail!("load needs --store DIR: the folder to build the on-disk store in");
    };
    let case = open_case(location)?;
    let (meta, warnings) = with_bar(|progress| persist::load(&case, dir, progress))?;
    crate::output::warn(&warnings);
    eprintln!(
        "loaded {} quads from {} into {}",
        meta.quads,
        location.case.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
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
fn bind(text: &QueryText, params: &[String], store: &CaseStore) -> Result<Vec<query::Binding>> {
    let params = params
        .iter()
        .map(|p| query::parse_param_arg(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(text.bind(&params, store.prefixes())?)
}

/// `casegraph query`.
pub fn query(location: &Location, args: &QueryArgs) -> Result<ExitCode> {
    let layout = if args.no_union {
        Layout::AsWritten
    } else {
        Layout::UnionQueries(scope(args.with_ontology))
    };
    let (case, store) = load(location, layout)?;
    let text = match (&args.expression, &args.query) {
        (Some(text), _) => QueryText::inline(text.clone()),
        (None, Some(name)) => QueryText::resolve(&case.queries_dir(), name)?,
        (None, None) => bail!("give a query name, a file, or -e TEXT"),
    };
    let bindings = bind(&text, &args.params, &store)?;
    let options = QueryOptions {
        union_default_graph: !args.no_union,
        scope: scope(args.with_ontology),
        timeout: args.timeout,
        allow_service: args.allow_service,
    };
    let evaluation = query::evaluate(&store, &text, &bindings, options)?;
    let statements = Statements::Store(store);
    let mut output;
    let code = match evaluation {
        Evaluation::Solutions(solutions) => {
            let format = results_format(args.format.as_deref(), "SELECT")?;
            output = Output::open(args.out.as_deref())?;
            // Rows are written as they come (see write_solution_stream).
            results::write_solution_stream(
                output.writer(),
                format,
                solutions,
                statements.prefixes(),
            )?;
            ExitCode::SUCCESS
        }
        Evaluation::Boolean(value) => {
            let format = results_format(args.format.as_deref(), "ASK")?;
            output = Output::open(args.out.as_deref())?;
            results::write_boolean(output.writer(), format, value)?;
            if value {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(FALSE)
            }
        }
        Evaluation::Graph(triples) => {
            // Graph formats sort and group their statements, so they take them all at once.
            let triples = triples.collect::<Result<Vec<_>, _>>()?;
            let format = graph_format(args.format.as_deref(), args.out.as_deref())?;
            let labels = export::labels_for(&statements, format, None)?;
            if format == GraphFormat::Neo4jCsv {
                let quads = in_default_graph(triples);
                crate::graph_commands::write_csv_folder(
                    args.out.as_deref(),
                    statements.prefixes(),
                    &labels,
                    quads,
                    &args.drawing,
                )?;
                exit_without_freeing(location, statements);
                return Ok(ExitCode::SUCCESS);
            }
            output = Output::open(args.out.as_deref())?;
            write_graph(
                output.writer(),
                statements.prefixes(),
                &labels,
                format,
                in_default_graph(triples),
                &args.drawing,
            )?;
            ExitCode::SUCCESS
        }
    };
    output.finish()?;
    exit_without_freeing(location, statements);
    Ok(code)
}

/// `casegraph queries`.
pub fn queries(location: &Location) -> Result<ExitCode> {
    let case = open_case(location)?;
    // The queries come from the case folder, but a --store that cannot serve them is as wrong
    // here as for any other command.
    if let Some(dir) = &location.store {
        let store = persist::open(dir, &case)?;
        crate::output::warn(store.warnings());
    }
    let named = query::list_named(&case.queries_dir())?;
    let mut out = Output::open(None)?;
    let w = out.writer();
    if named.is_empty() {
        writeln!(w, "no queries in {}", case.queries_dir().display())?;
    }
    for q in named {
        let params: Vec<&str> = q.header.params.iter().map(|p| p.name.as_str()).collect();
        let params = if params.is_empty() {
            String::new()
        } else {
            format!(" ({})", params.join(", "))
        };
        let title = q.header.title.as_deref().unwrap_or("(no title)");
        writeln!(w, "{}{params}: {title}", q.name)?;
        if let Some(description) = &q.header.description {
            writeln!(w, "    {description}")?;
        }
        for p in &q.header.params {
            writeln!(w, "    --param {}=...  {}", p.name, p.description)?;
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `casegraph export`.
pub fn export(location: &Location, args: &ExportArgs) -> Result<ExitCode> {
    let format = graph_format(args.format.as_deref(), args.out.as_deref())?;
    // A CONSTRUCT's result, or the whole case in scope.
    if !args.params.is_empty() && args.query.is_none() && args.expression.is_none() {
        bail!("--param binds a parameter of a query: give --query NAME or -e TEXT");
    }
    // Resolved before the case is loaded: a misspelt name is the first thing to hear about.
    let query = match (&args.expression, &args.query) {
        (Some(text), _) => Some(QueryText::inline(text.clone())),
        (None, Some(name)) => Some(QueryText::resolve(
            &Case::open(&location.case)?.queries_dir(),
            name,
        )?),
        (None, None) => None,
    };
    let (mut statements, constructed) = match query {
        None => (statements(location)?.1, None),
        Some(text) => {
            let (_, store) = load(location, Layout::UnionQueries(scope(args.with_ontology)))?;
            let name = &text.name;
            let bindings = bind(&text, &args.params, &store)?;
            let options = QueryOptions {
                scope: scope(args.with_ontology),
                timeout: args.timeout,
                allow_service: args.allow_service,
                ..QueryOptions::default()
            };
            let quads = match query::run(&store, &text, &bindings, options)? {
                Answer::Graph(triples) => in_default_graph(triples),
                _ => bail!(
                    "export: query `{name}` must be a CONSTRUCT or DESCRIBE query (use `casegraph query` for SELECT and ASK)"
                ),
            };
            (Statements::Store(store), Some(quads))
        }
    };
    // Labels are read before the quads are taken out of statements read from files.
    let drawn = constructed.is_none().then(|| scope(args.with_ontology));
    let labels = export::labels_for(&statements, format, drawn)?;
    let quads = match constructed {
        Some(quads) => quads,
        None => statements.take_quads(scope(args.with_ontology))?,
    };
    if format == GraphFormat::Neo4jCsv {
        let out = args.out.as_deref();
        let prefixes = statements.prefixes();
        crate::graph_commands::write_csv_folder(out, prefixes, &labels, quads, &args.drawing)?;
    } else {
        let mut output = Output::open(args.out.as_deref())?;
        let prefixes = statements.prefixes();
        write_graph(
            output.writer(),
            prefixes,
            &labels,
            format,
            quads,
            &args.drawing,
        )?;
        output.finish()?;
    }
    exit_without_freeing(location, statements);
    Ok(ExitCode::SUCCESS)
}

/// `casegraph stats`.
pub fn stats_command(location: &Location, args: &StatsArgs) -> Result<ExitCode> {
    let (_, store) = load(location, Layout::AsWritten)?;
    let counts = stats(&store, scope(args.with_ontology))?;
    let mut out = Output::open(None)?;
    match args.format.as_str() {
        "json" => {
            serde_json::to_writer_pretty(out.writer(), &counts)?;
            writeln!(out.writer())?;
        }
        "table" => write_stats(out.writer(), &counts)?,
        other => bail!("unknown stats format `{other}`: use table or json"),
    }
    out.finish()?;
    exit_without_freeing(location, store);
    Ok(ExitCode::SUCCESS)
}

fn write_stats(w: &mut dyn Write, s: &Stats) -> std::io::Result<()> {
    writeln!(
        w,
        "quads     {:>8}  (a triple counted once per graph that states it)",
        s.quads
    )?;
    writeln!(
        w,
        "triples   {:>8}  (distinct, all graphs merged)",
        s.triples
    )?;
    writeln!(
        w,
        "nodes     {:>8}  (entities drawn by export --format dot)",
        s.nodes
    )?;
    writeln!(w, "edges     {:>8}  (links between them)", s.edges)?;
    for (title, counts) in [
        ("graph", &s.graphs),
        ("class", &s.classes),
        ("property", &s.properties),
    ] {
        let width = counts
            .iter()
            .map(|c| c.name.chars().count())
            .chain([title.len()])
            .max()
            .unwrap_or(0);
        writeln!(w)?;
        writeln!(w, "{title:<width$}  {:>8}", "count")?;
        for c in counts.iter() {
            writeln!(w, "{:<width$}  {:>8}", c.name, c.count)?;
        }
    }
    Ok(())
}

fn in_default_graph(triples: Vec<Triple>) -> Vec<Quad> {
    triples
        .into_iter()
        .map(|t| t.in_graph(GraphName::DefaultGraph))
        .collect()
}

/// Writes `quads` in `format`; `labels` are those [`export::labels_for`] gave.
fn write_graph(
    out: &mut dyn Write,
    prefixes: &Prefixes,
    labels: &Labels,
    format: GraphFormat,
    quads: Vec<Quad>,
    drawing: &DrawingArgs,
) -> Result<()> {
    let options = crate::graph_commands::graph_options(prefixes, drawing)?;
    let context = WriteContext {
        prefixes,
        labels,
        graph: &options,
    };
    export::write(out, format, quads, &context)?;
    Ok(())
}

fn results_format(name: Option<&str>, form: &str) -> Result<ResultsFormat> {
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

fn graph_format(name: Option<&str>, out: Option<&Path>) -> Result<GraphFormat> {
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
