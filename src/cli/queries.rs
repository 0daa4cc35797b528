//! `casegraph queries`: lists the named queries.

use crate::cli::args::{Location, QueriesArgs};
use crate::cli::case::{open_case, statements};
use crate::cli::output::Output;
use crate::cli::remote;
use anyhow::Result;
use casegraph::query::{self, Evaluation, NamedQuery, QueryOptions, QueryText, Request};
use casegraph::rdf::prefixes::Prefixes;
use casegraph::remote::sparql::Endpoint;
use casegraph::store::{disk, Dataset};
use std::process::ExitCode;

/// `casegraph queries`.
pub fn run(location: &Location, args: &QueriesArgs) -> Result<ExitCode> {
    let case = open_case(location)?;
    // With --endpoint, the case's files give the prefixes the queries are read with.
    let on_store = match &args.remote.endpoint {
        Some(_) => {
            let (_, statements) = statements(location)?;
            let prefixes = statements.prefixes().clone();
            remote::endpoint(&args.remote, &prefixes, None)?.map(|e| (e, prefixes))
        }
        None => None,
    };
    let mut failed = 0;
    // The queries come from the case folder, but a --store that cannot serve them is as wrong
    // here as for any other command.
    if let Some(dir) = &location.store {
        let store = disk::open(dir, &case, Dataset::default())?;
        crate::cli::output::warn(store.warnings());
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
        match q.reads() {
            Ok((reads, prefixes)) => {
                let names = |set: &std::collections::BTreeSet<String>| {
                    let names: Vec<String> = set.iter().map(|i| prefixes.compact(i)).collect();
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(" ")
                    }
                };
                writeln!(w, "    reads classes: {}", names(&reads.classes))?;
                writeln!(w, "    reads properties: {}", names(&reads.properties))?;
            }
            Err(e) => writeln!(w, "    reads: not known ({e})")?,
        }
        if let Some((endpoint, prefixes)) = &on_store {
            match answer_on_store(endpoint, prefixes, &q) {
                Ok(answer) => writeln!(w, "    on the store: {answer}")?,
                Err(e) => {
                    failed += 1;
                    writeln!(w, "    on the store: failed: {e}")?;
                }
            }
        }
    }
    out.finish()?;
    if failed > 0 {
        anyhow::bail!(
            "{failed} named {} failed on {}",
            if failed == 1 { "query" } else { "queries" },
            args.remote.endpoint.as_deref().unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What `query` answers on the store, counted: rows, triples, or the boolean. A query with
/// parameters is not run (there is nothing to bind them to).
fn answer_on_store(endpoint: &Endpoint, prefixes: &Prefixes, query: &NamedQuery) -> Result<String> {
    if !query.header.params.is_empty() {
        return Ok("not run (it takes parameters)".to_owned());
    }
    let request = Request {
        text: QueryText {
            name: query.name.clone(),
            origin: query.path.clone(),
            text: query.text.clone(),
            header: query.header.clone(),
        },
        params: Vec::new(),
        options: QueryOptions::default(),
    };
    Ok(
        match endpoint.evaluate(&request, prefixes, Dataset::default())? {
            Evaluation::Solutions(rows) => {
                let n = rows
                    .map(|r| r.map(|_| ()))
                    .collect::<Result<Vec<_>, _>>()?
                    .len();
                format!("{n} {}", if n == 1 { "row" } else { "rows" })
            }
            Evaluation::Boolean(value) => value.to_string(),
            Evaluation::Graph(triples) => {
                let n = triples
                    .map(|t| t.map(|_| ()))
                    .collect::<Result<Vec<_>, _>>()?
                    .len();
                format!("{n} {}", if n == 1 { "triple" } else { "triples" })
            }
        },
    )
}
