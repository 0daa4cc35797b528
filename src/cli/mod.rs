//! The `casegraph` binary's commands: clap arguments (`args`), one file per command, and the
//! output, progress and signal handling they share. The only code that prints.

pub mod args;
mod case;
mod check;
mod export;
pub mod interrupt;
mod load;
mod new;
pub mod output;
mod path;
pub mod progress;
mod push;
mod queries;
mod query;
mod remote;
mod render;
mod serve;
mod site;
mod stats;

pub use args::{Cli, Command};

use anyhow::Result;
use std::process::ExitCode;

/// Runs `cli`'s command.
pub fn run(cli: &Cli) -> Result<ExitCode> {
    let location = &cli.location;
    match &cli.command {
        Command::Query(args) => query::run(location, args),
        Command::Queries(args) => queries::run(location, args),
        Command::Export(args) => export::run(location, args),
        Command::Stats(args) => stats::run(location, args),
        Command::Load => load::run(location),
        Command::Check(args) => check::run(&location.case, args),
        Command::Render(args) => render::run(location, args),
        Command::Path(args) => path::run(location, args),
        Command::Serve(args) => serve::run(location, args),
        Command::Site(args) => site::run(location, args),
        Command::New(args) => new::run(args),
        Command::Push(args) => push::run(location, args),
    }
}
