//! `casegraph export`: writes the case, or a CONSTRUCT result, in a format.

use crate::cli::args::{ExportArgs, Location};
use crate::cli::case::{
    exit_without_freeing, export_rdf_from_files, export_to, graph_format, load_for_request,
    open_case, request, scope, statements,
};
use crate::cli::remote;
use anyhow::{bail, Result};
use casegraph::export::Exported;
use casegraph::query::{Evaluation, QueryText};
use casegraph::store::statements::Statements;
use casegraph::store::Dataset;
use casegraph::Case;
use std::process::ExitCode;

/// `casegraph export`.
pub fn run(location: &Location, args: &ExportArgs) -> Result<ExitCode> {
    let format = graph_format(args.format.map(|f| f.0), args.out.as_deref())?;
    if !args.params.is_empty() && args.query.is_none() && args.expression.is_none() {
        bail!("--param binds a parameter of a query: give --query NAME or -e TEXT");
    }
    if args.remote.endpoint.is_some() && args.query.is_none() && args.expression.is_none() {
        bail!("--endpoint runs a query on a store: give --query NAME or -e TEXT (the whole case is exported from its files)");
    }
    if let (Some(focus), Some(_)) = (&args.drawing.focus, format.rdf_syntax()) {
        bail!("--focus {focus} draws one entity's neighbourhood: it applies to the drawing and graph formats (dot, graphml, json, csv, mermaid, gexf), not to an RDF syntax, which writes every statement");
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
    // The whole case as RDF, from its files: held as compact ids, not as owned quads. The
    // drawing options draw nothing in an RDF syntax.
    if query.is_none() && location.store.is_none() && format.rdf_syntax().is_some() {
        export_rdf_from_files(
            location,
            scope(args.with_ontology),
            format,
            args.out.as_deref(),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    // The whole case in scope, read from the files; or a CONSTRUCT's result, from a store.
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
            let request = request(text, &args.params, args.timeout, args.allow_service)?;
            if args.remote.endpoint.is_some() {
                // On a store: the case's files give the prefixes (and the labels of drawings).
                let (_, statements) = statements(location)?;
                let limit = args.timeout.map(|t| t.duration());
                let endpoint = remote::endpoint(&args.remote, statements.prefixes(), limit)?
                    .expect("--endpoint is given");
                let triples = match endpoint.evaluate(&request, statements.prefixes(), dataset)? {
                    Evaluation::Graph(triples) => triples.collect::<Result<Vec<_>, _>>()?,
                    Evaluation::Solutions(_) | Evaluation::Boolean(_) => {
                        return Err(casegraph::Error::NotAGraphQuery {
                            query: request.text.name.clone(),
                        }
                        .into())
                    }
                };
                (statements, Exported::Constructed(triples))
            } else {
                let store = load_for_request(location, &open_case(location)?, dataset, &request)?;
                (Statements::Store(store), Exported::Query(Box::new(request)))
            }
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
