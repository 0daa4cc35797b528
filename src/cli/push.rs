//! `casegraph push`: writes the case to a SPARQL store and reports each graph's counts.

use crate::cli::args::{Location, PushArgs};
use crate::cli::case::statements;
use crate::cli::output::Output;
use crate::cli::progress::LoadBar;
use anyhow::{bail, Result};
use casegraph::remote::push::{self, Action, PushOptions, Step};
use casegraph::Scope;
use std::process::ExitCode;
use std::sync::Arc;

/// `casegraph push`.
pub fn run(location: &Location, args: &PushArgs) -> Result<ExitCode> {
    if args.remote.endpoint.is_none() {
        bail!("push needs the store's query endpoint too (--endpoint URL): it lists and counts the graphs there");
    }
    if args.jobs == 0 {
        bail!("--jobs 0: at least one request must be sent at a time");
    }
    if args.batch == 0 {
        bail!("--batch 0: a request must carry at least one triple");
    }
    casegraph::remote::check_url(&args.graph_store)?;
    let (_, mut statements) = statements(location)?;
    let Some(endpoint) = crate::cli::remote::endpoint(&args.remote, statements.prefixes(), None)?
    else {
        unreachable!("--endpoint was checked above");
    };
    let quads = statements.take_quads(Scope::WithOntology)?;
    let graphs = push::case_graphs(quads, endpoint.namespace())?;
    let bar = LoadBar::new("pushing [{bar:40}] {pos}/{len} triples ({eta})");
    let options = PushOptions {
        graph_store: args.graph_store.clone(),
        graph_param: args.graph_param.clone(),
        batch: args.batch,
        jobs: args.jobs,
        progress: bar.clone().map(|bar| {
            Arc::new(move |done, total| bar.update(done, total))
                as Arc<dyn Fn(u64, u64) + Send + Sync>
        }),
    };
    let mut steps = push::plan(&endpoint, &options, &graphs)?;
    let mut out = Output::open(None)?;
    if args.dry_run {
        write_steps(&mut out, &steps, false)?;
        let changes = steps.iter().filter(|s| s.action != Action::Keep).count();
        writeln!(
            out.writer(),
            "dry run: {changes} of {} graphs would change; nothing was sent",
            steps.len()
        )?;
        out.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let pushed = push::push(&endpoint, &options, &graphs, &mut steps);
    if let Some(bar) = &bar {
        bar.finish();
    }
    write_steps(&mut out, &steps, pushed.is_ok())?;
    if pushed.is_ok() {
        let changed = steps.iter().filter(|s| s.action != Action::Keep).count();
        writeln!(
            out.writer(),
            "pushed to {}: {changed} of {} graphs changed; the store's counts match the case's",
            args.graph_store,
            steps.len()
        )?;
    }
    out.finish()?;
    pushed?;
    Ok(ExitCode::SUCCESS)
}

/// The plan (or, `done`, the report): one line per graph.
fn write_steps(out: &mut Output, steps: &[Step], done: bool) -> Result<()> {
    let w = out.writer();
    let count = |n: Option<u64>| n.map_or("-".to_owned(), |n| n.to_string());
    let header = if done {
        "action     case  store before  store after  graph"
    } else {
        "action     case  store  graph"
    };
    writeln!(w, "{header}")?;
    for step in steps {
        let role = step.role.map_or("no longer in the case", |r| r.name());
        if done {
            writeln!(
                w,
                "{:<9} {:>5} {:>13} {:>12}  {} ({role})",
                step.action.name(),
                step.case_triples,
                count(step.store_before),
                count(step.store_after),
                step.iri
            )?;
        } else {
            writeln!(
                w,
                "{:<9} {:>5} {:>6}  {} ({role})",
                step.action.name(),
                step.case_triples,
                count(step.store_before),
                step.iri
            )?;
        }
    }
    Ok(())
}
