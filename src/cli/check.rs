//! `casegraph check`: runs the library's check and prints its report.

use crate::cli::args::CheckArgs;
use crate::cli::output::Output;
use anyhow::Result;
use casegraph::check;
use casegraph::format::{Description, Format, PLAIN_TEXT};
use casegraph::Case;
use std::path::Path;
use std::process::ExitCode;

/// Exit status when the check found errors.
const ERRORS_FOUND: u8 = 1;

/// How `check` prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// One diagnostic a line, as a compiler writes them.
    Text,
    /// One JSON object a line (JSON Lines).
    Json,
    /// The SHACL results as a W3C `sh:ValidationReport`, in Turtle.
    Shacl,
}

impl Format for CheckFormat {
    const ALL: &'static [Self] = &[Self::Text, Self::Json, Self::Shacl];

    fn describe(self) -> Description {
        match self {
            Self::Text => PLAIN_TEXT,
            // JSON Lines has no registered media type; this is the one in common use.
            Self::Json => Description {
                names: &["json"],
                extensions: &["jsonl"],
                media_types: &["application/x-ndjson"],
            },
            Self::Shacl => Description {
                names: &["shacl"],
                extensions: &["ttl"],
                media_types: &["text/turtle"],
            },
        }
    }
}

/// `casegraph check`: diagnostics on stdout, the summary line on stderr.
pub fn run(case: &Path, args: &CheckArgs) -> Result<ExitCode> {
    let case = Case::open(case)?;
    crate::cli::output::warn(case.warnings());
    let options = check::Options {
        articles: args.articles.clone(),
        sparql_timeout: Some(args.timeout),
    };
    let report = check::check(&case, &options)?;
    let mut out = Output::open(None)?;
    if args.format.0 == CheckFormat::Shacl {
        check::report::write_turtle(out.writer(), &report)?;
    }
    for diagnostic in &report.diagnostics {
        match args.format.0 {
            CheckFormat::Json => {
                serde_json::to_writer(out.writer(), diagnostic)?;
                writeln!(out.writer())?;
            }
            CheckFormat::Text => writeln!(out.writer(), "{diagnostic}")?,
            CheckFormat::Shacl => {}
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
