//! `casegraph check`: runs the library's check and prints its report.

use crate::cli::args::CheckArgs;
use crate::cli::output::Output;
use anyhow::{bail, Result};
use casegraph::check;
use casegraph::Case;
use std::path::Path;
use std::process::ExitCode;

/// Exit status when the check found errors.
const ERRORS_FOUND: u8 = 1;

/// `casegraph check`: diagnostics on stdout, the summary line on stderr.
pub fn run(case: &Path, args: &CheckArgs) -> Result<ExitCode> {
    let json = match args.format.as_str() {
        "text" => false,
        "json" => true,
        other => bail!("unknown check format `{other}`: use text or json"),
    };
    let case = Case::open(case)?;
    crate::cli::output::warn(case.warnings());
    let report = check::check(&case)?;
    let mut out = Output::open(None)?;
    for diagnostic in &report.diagnostics {
        if json {
            serde_json::to_writer(out.writer(), diagnostic)?;
            writeln!(out.writer())?;
        } else {
            writeln!(out.writer(), "{diagnostic}")?;
        }
    }
    out.finish()?;
    eprintln!("{}", report.summary());
    Ok(if report.has_errors() {
        ExitCode::from(ERRORS_FOUND)
    } else {
        ExitCode::SUCCESS
    })
}
