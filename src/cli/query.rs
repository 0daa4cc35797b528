//! `casegraph query`: runs a query and writes its answer.

use crate::cli::args::{Location, QueryArgs};
use crate::cli::case::{
    bind, exit_without_freeing, graph_format, in_default_graph, load, results_format, scope,
    write_graph,
};
use crate::cli::output::Output;
use anyhow::{bail, Result};
use casegraph::export::{self, GraphFormat};
use casegraph::query::results;
use casegraph::query::{self, Evaluation, QueryOptions, QueryText};
use casegraph::store::statements::Statements;
use casegraph::store::Layout;
use std::process::ExitCode;

/// Exit status of an ASK query that answered false.
const FALSE: u8 = 1;

/// `casegraph query`.
pub fn run(location: &Location, args: &QueryArgs) -> Result<ExitCode> {
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
                crate::cli::case::write_csv_folder(
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
