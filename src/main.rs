//! The `casegraph` binary: parses arguments, runs the command, turns errors into exit status 2.

mod cli;

use clap::Parser;
use cli::{output, Cli};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status for every error: bad input, unreadable files, failed queries.
const ERROR: u8 = 2;

/// The stack of the thread that runs the command. Parsers and the SPARQL evaluator recurse on
/// nested input; the main thread's usual 8 MiB would let a few thousand levels of nesting abort
/// the process. The memory is reserved, not used, until the recursion needs it.
const STACK_SIZE: usize = 256 << 20;

fn main() -> ExitCode {
    cli::interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let command = std::thread::Builder::new()
        .name("casegraph".to_owned())
        .stack_size(STACK_SIZE)
        .spawn(move || run(&cli));
    match command.map(|thread| thread.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("casegraph: internal error (the command panicked); please report it");
            ExitCode::from(ERROR)
        }
        Err(error) => {
            eprintln!("casegraph: cannot start the command's thread: {error}");
            ExitCode::from(ERROR)
        }
    }
}

/// Runs the command and turns its error into one line on stderr and exit status 2.
fn run(cli: &Cli) -> ExitCode {
    let result = cli::run(cli);
    match result {
        Ok(code) => code,
        // A reader that stops early (`| head`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("casegraph: {}", one_line(&error));
            ExitCode::from(ERROR)
        }
    }
}

/// An error and its causes on one line, `what: why: why`, each cause once: a library error
/// whose message already quotes its source (an I/O error after the path) is not repeated.
fn one_line(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    output::terminal_safe(&text)
}

/// A command-line mistake on one line, like every other error, with the place to read more;
/// `--help` and `--version` print as clap writes them.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(ERROR)
        } else {
            ExitCode::SUCCESS
        };
    }
    let rendered = error.render().to_string();
    // clap writes `error: WHAT` (with the missing arguments indented below it), a blank line,
    // tips, the usage and a pointer to --help; the usage and pointer are replaced by ours.
    let mut parts: Vec<String> = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        let line = line.strip_prefix("tip: ").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        // A line ending in `:` introduces the next (the missing arguments).
        match parts.last_mut() {
            Some(last) if last.ends_with(':') => {
                last.push(' ');
                last.push_str(line);
            }
            _ => parts.push(line.to_owned()),
        }
    }
    let known: Vec<String> = <Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    let command = std::env::args()
        .skip(1)
        .find(|arg| known.contains(arg))
        .map_or_else(
            || "casegraph".to_owned(),
            |name| format!("casegraph {name}"),
        );
    eprintln!(
        "casegraph: {} (see `{command} --help`)",
        output::terminal_safe(&parts.join("; "))
    );
    ExitCode::from(ERROR)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            // serde_json keeps the io::Error it failed on out of the chain (its `source` is
            // the io::Error's own source): `stats --format json | head` failed with it.
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
