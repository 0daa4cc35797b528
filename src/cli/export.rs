//! `casegraph export`: writes the case, or a CONSTRUCT result, in a format.

use crate::cli::args::{ExportArgs, Location};
use crate::cli::case::{
    bind, exit_without_freeing, graph_format, in_default_graph, load, scope, statements,
    write_graph,
};
use crate::cli::output::Output;
use anyhow::{bail, Result};
use casegraph::export::{self, GraphFormat};
use casegraph::query::{self, Answer, QueryOptions, QueryText};
use casegraph::store::statements::Statements;
use casegraph::store::Layout;
use casegraph::Case;
use std::process::ExitCode;

/// `casegraph export`.
pub fn run(location: &Location, args: &ExportArgs) -> Result<ExitCode> {
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
        crate::cli::case::write_csv_folder(out, prefixes, &labels, quads, &args.drawing)?;
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
