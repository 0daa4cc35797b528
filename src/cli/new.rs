//! `casegraph new`: makes a case folder from the built-in template.

use crate::cli::args::NewArgs;
use crate::cli::interrupt;
use anyhow::Result;
use casegraph::case::new::{NewCase, Scaffold};
use std::process::ExitCode;

/// `casegraph new`.
pub fn run(args: &NewArgs) -> Result<ExitCode> {
    let defaults = NewCase::for_folder(&args.dir);
    let case = NewCase {
        base: args.base.clone().unwrap_or(defaults.base),
        title: args.title.clone().unwrap_or(defaults.title),
    };
    // The settings are checked before anything is made, the folders above DIR included.
    let scaffold = Scaffold::prepare(&args.dir, &case)?;
    let building = scaffold.building().to_owned();
    interrupt::on_signal(move || {
        let _ = std::fs::remove_dir_all(&building);
    });
    let files = scaffold.write()?;
    let dir = args.dir.display();
    println!(
        "casegraph: made the case \"{}\" in {dir} ({} files; case: is <{}>)",
        casegraph::query::table::escape_controls(&case.title),
        files.len(),
        case.base
    );
    println!(
        "next: read {dir}/README.md, then `casegraph -C {dir} check --articles {dir}/articles`"
    );
    Ok(ExitCode::SUCCESS)
}
