//! The `casegraph` binary: parses arguments, runs the command, turns errors into exit status 2.

mod check_command;
mod cli;
mod commands;
mod graph_commands;
mod output;
mod progress;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status for every error: bad input, unreadable files, failed queries.
const ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Query(args) => commands::query(&cli.location, args),
        Command::Queries => commands::queries(&cli.location),
        Command::Export(args) => commands::export(&cli.location, args),
        Command::Stats(args) => commands::stats_command(&cli.location, args),
        Command::Load => commands::load_store(&cli.location),
        Command::Check(args) => check_command::check(&cli.location.case, args),
        Command::Render(args) => graph_commands::render(&cli.location, args),
        Command::Path(args) => graph_commands::path(&cli.location, args),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`| head`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("casegraph: {error:#}");
            ExitCode::from(ERROR)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
