//! `casegraph load --store DIR`: builds the on-disk store.

use crate::cli::args::Location;
use crate::cli::case::{open_case, with_bar};
use anyhow::{bail, Result};
use casegraph::store::disk;
use std::process::ExitCode;

/// `casegraph load --store DIR`.
pub fn run(location: &Location) -> Result<ExitCode> {
    let Some(dir) = &location.store else {
        bail!("load needs --store DIR: the folder to build the on-disk store in");
    };
    let case = open_case(location)?;
    let (meta, warnings) = with_bar(|progress| disk::load(&case, dir, progress))?;
    crate::cli::output::warn(&warnings);
    eprintln!(
        "loaded {} quads from {} into {}",
        meta.quads,
        location.case.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
