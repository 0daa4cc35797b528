//! `casegraph stats`: counts statements.

use crate::cli::args::{Location, StatsArgs};
use crate::cli::case::{exit_without_freeing, scope, statements};
use crate::cli::output::Output;
use anyhow::Result;
use casegraph::format::{Description, Format};
use casegraph::store::stats::{stats, Stats};
use std::io::Write;
use std::process::ExitCode;

/// How `stats` prints its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    /// Aligned columns, for people.
    Table,
    /// One JSON document.
    Json,
}

impl Format for StatsFormat {
    const ALL: &'static [Self] = &[Self::Table, Self::Json];

    fn describe(self) -> Description {
        match self {
            Self::Table => Description {
                names: &["table"],
                extensions: &["txt"],
                media_types: &["text/plain"],
            },
            Self::Json => Description {
                names: &["json"],
                extensions: &["json"],
                media_types: &["application/json"],
            },
        }
    }
}

/// `casegraph stats`.
pub fn run(location: &Location, args: &StatsArgs) -> Result<ExitCode> {
    let (_, mut statements) = statements(location)?;
    let counts = stats(&mut statements, scope(args.with_ontology))?;
    let mut out = Output::open(None)?;
    match args.format.0 {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &counts)?;
            writeln!(out)?;
        }
        StatsFormat::Table => write_stats(&mut out, &counts)?,
    }
    out.finish()?;
    exit_without_freeing(location, statements);
    Ok(ExitCode::SUCCESS)
}

fn write_stats(mut w: impl Write, s: &Stats) -> std::io::Result<()> {
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
