//! `casegraph stats`: counts statements.

use crate::cli::args::{Location, StatsArgs};
use crate::cli::case::{exit_without_freeing, open_case, scope, statements, with_bar};
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
    let scope = scope(args.with_ontology);
    // From the files: interned as they are parsed. From an on-disk store: its quads.
    let (counts, statements) = match &location.store {
        None => {
            let case = open_case(location)?;
            let (counts, warnings) = with_bar(|progress| stats(&case, None, scope, progress))?;
            crate::cli::output::warn(&warnings);
            (counts, None)
        }
        Some(_) => {
            let (case, mut statements) = statements(location)?;
            let (counts, _) = stats(&case, Some(&mut statements), scope, None)?;
            (counts, Some(statements))
        }
    };
    let mut out = Output::open(None)?;
    match args.format.0 {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &counts)?;
            writeln!(out)?;
        }
        StatsFormat::Table => write_stats(&mut out, &counts)?,
    }
    out.finish()?;
    if let Some(statements) = statements {
        exit_without_freeing(location, statements);
    }
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
