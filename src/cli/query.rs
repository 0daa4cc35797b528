//! `casegraph query`: runs a query and writes its answer.

use crate::cli::args::{Location, QueryArgs, QueryFormatArg};
use crate::cli::case::{
    exit_without_freeing, export_to, graph_format, load_for_request, open_case, request, scope,
    statements,
};
use crate::cli::output::Output;
use crate::cli::remote;
use anyhow::{bail, Result};
use casegraph::export::{Exported, GraphFormat};
use casegraph::format::Format;
use casegraph::query::results::{self, ResultsFormat};
use casegraph::query::{Evaluation, QueryText};
use casegraph::store::statements::Statements;
use casegraph::store::Dataset;
use casegraph::Case;
use std::process::ExitCode;

/// Exit status of an ASK query that answered false.
const FALSE: u8 = 1;

/// `casegraph query`.
pub fn run(location: &Location, args: &QueryArgs) -> Result<ExitCode> {
    let dataset = Dataset {
        union_default_graph: !args.no_union,
        scope: scope(args.with_ontology),
    };
    let text = |case: &Case| -> Result<QueryText> {
        Ok(match (&args.expression, &args.query) {
            (Some(text), _) => QueryText::inline(text.clone()),
            (None, Some(name)) => QueryText::resolve(&case.queries_dir(), name)?,
            (None, None) => bail!("give a query name, a file, or -e TEXT"),
        })
    };
    let (evaluation, mut statements) = if args.remote.endpoint.is_some() {
        // On a store: the case's files give the prefixes and the named queries.
        let (case, statements) = statements(location)?;
        let request = request(text(&case)?, &args.params, args.timeout, args.allow_service)?;
        let limit = args.timeout.map(|t| t.duration());
        let endpoint = remote::endpoint(&args.remote, statements.prefixes(), limit)?
            .expect("--endpoint is given");
        let evaluation = endpoint.evaluate(&request, statements.prefixes(), dataset)?;
        (evaluation, statements)
    } else {
        // The query is read first: the store holds only the graphs it reads.
        let case = open_case(location)?;
        let request = request(text(&case)?, &args.params, args.timeout, args.allow_service)?;
        let store = load_for_request(location, &case, dataset, &request)?;
        (request.evaluate(&store)?, Statements::Store(store))
    };
    let code = match evaluation {
        Evaluation::Solutions(solutions) => {
            let format = results_format(args.format, "SELECT")?;
            let mut output = Output::open(args.out.as_deref())?;
            // Rows are written as they come (see write_solution_stream).
            results::write_solution_stream(&mut output, format, solutions, statements.prefixes())?;
            output.finish()?;
            ExitCode::SUCCESS
        }
        Evaluation::Boolean(value) => {
            let format = results_format(args.format, "ASK")?;
            let mut output = Output::open(args.out.as_deref())?;
            results::write_boolean(&mut output, format, value)?;
            output.finish()?;
            if value {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(FALSE)
            }
        }
        Evaluation::Graph(triples) => {
            // Graph formats sort and group their statements, so they take them all at once.
            let triples = triples.collect::<Result<Vec<_>, _>>()?;
            let format = match args.format {
                Some(QueryFormatArg {
                    graph: None,
                    results: Some(format),
                }) => bail!(
                    "--format {}: a CONSTRUCT or DESCRIBE query gives a graph, not a table; use {}",
                    format.name(),
                    GraphFormat::names().join(", ")
                ),
                given => graph_format(given.and_then(|f| f.graph), args.out.as_deref())?,
            };
            export_to(
                &mut statements,
                Exported::Constructed(triples),
                format,
                &args.drawing,
                args.out.as_deref(),
            )?;
            ExitCode::SUCCESS
        }
    };
    exit_without_freeing(location, statements);
    Ok(code)
}

/// The results format `--format` names for a SELECT or ASK query (`form`); the table without
/// one.
fn results_format(format: Option<QueryFormatArg>, form: &str) -> Result<ResultsFormat> {
    match format {
        None => Ok(ResultsFormat::Table),
        Some(QueryFormatArg {
            results: Some(format),
            ..
        }) => Ok(format),
        Some(given) => bail!(
            "--format {}: a {form} query gives a table, not a graph; use {}",
            given.name(),
            ResultsFormat::names().join(", ")
        ),
    }
}
