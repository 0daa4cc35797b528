//! `casegraph stats`: counts statements.

use crate::cli::args::{Location, StatsArgs};
use crate::cli::case::{exit_without_freeing, load, scope};
use crate::cli::output::Output;
use anyhow::{bail, Result};
use casegraph::store::stats::{stats, Stats};
use casegraph::store::Layout;
use std::io::Write;
use std::process::ExitCode;

/// `casegraph stats`.
pub fn run(location: &Location, args: &StatsArgs) -> Result<ExitCode> {
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
