//! `casegraph export`: writes the case, or a CONSTRUCT result, in a format.

use crate::cli::args::{ExportArgs, Location};
use crate::cli::case::{
    bind, exit_without_freeing, export_to, graph_format, load_for_queries, scope, statements,
};
use anyhow::{bail, Result};
use casegraph::export::Exported;
use casegraph::query::{self, Answer, QueryOptions, QueryText};
use casegraph::store::statements::Statements;
use casegraph::store::Dataset;
use casegraph::Case;
use std::process::ExitCode;

/// `casegraph export`.
pub fn run(location: &Location, args: &ExportArgs) -> Result<ExitCode> {
    let format = graph_format(args.format.map(|f| f.0), args.out.as_deref())?;
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
    let (mut statements, exported) = match query {
        None => (
            statements(location)?.1,
            Exported::Case(scope(args.with_ontology)),
        ),
        Some(text) => {
            let dataset = Dataset {
                union_default_graph: true,
                scope: scope(args.with_ontology),
            };
            let (_, store) = load_for_queries(location, dataset)?;
            let name = &text.name;
            let bindings = bind(&text, &args.params, &store)?;
            let options = QueryOptions {
                timeout: args.timeout,
                allow_service: args.allow_service,
                dataset: None,
            };
            let triples = match query::run(&store, &text, &bindings, options)? {
                Answer::Graph(triples) => triples,
                Answer::Solutions { .. } | Answer::Boolean(_) => bail!(
                    "export: query `{name}` must be a CONSTRUCT or DESCRIBE query (use `casegraph query` for SELECT and ASK)"
                ),
            };
            (Statements::Store(store), Exported::Constructed(triples))
        }
    };
    export_to(
        &mut statements,
        exported,
        format,
        &args.drawing,
        args.out.as_deref(),
    )?;
    exit_without_freeing(location, statements);
    Ok(ExitCode::SUCCESS)
}
