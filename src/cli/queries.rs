//! `casegraph queries`: lists the named queries.

use crate::cli::args::Location;
use crate::cli::case::open_case;
use crate::cli::output::Output;
use anyhow::Result;
use casegraph::query::{self};
use casegraph::store::{disk, Dataset};
use std::process::ExitCode;

/// `casegraph queries`.
pub fn run(location: &Location) -> Result<ExitCode> {
    let case = open_case(location)?;
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
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
