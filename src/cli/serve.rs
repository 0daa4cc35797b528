//! `casegraph serve`: the case on a SPARQL endpoint and in the browser.

use crate::cli::args::{Location, ServeArgs};
use crate::cli::case::{load_for_queries, open_case};
use crate::cli::interrupt;
use crate::cli::output::terminal_safe;
use anyhow::{Context, Result};
use casegraph::query;
use casegraph::server::{self, Access, Endpoint, ServeOptions};
use casegraph::store::{Dataset, Scope};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// `casegraph serve`.
pub fn run(location: &Location, args: &ServeArgs) -> Result<ExitCode> {
    let case = open_case(location)?;
    let queries = query::list_named(&case.queries_dir())?;
    // The dataset of `casegraph query`: the merge as the default graph, the articles' graphs.
    let dataset = Dataset {
        union_default_graph: true,
        scope: Scope::Case,
    };
    let (_, store) = load_for_queries(location, dataset)?;
    let defaults = ServeOptions::default();
    let workers = args.workers.unwrap_or(defaults.workers).max(1);
    let options = ServeOptions {
        timeout: args.timeout,
        workers,
        queue: args.queue,
        max_body: args.max_body,
        max_url: args.max_url,
        cors: args.cors.clone(),
        ..defaults
    };
    let endpoint = Endpoint::new(store, queries, options)?;
    let log_to = access_log()?;
    let log = Arc::new(move |access: &Access| {
        // One line per request; the path is escaped, since a client chose it. Formatted first
        // and written in one call: stderr is unbuffered, and writeln! on it makes a system
        // call per piece (eight per line, a tenth of a small query's cost under load).
        let line = format!(
            "{} {} {} {:.1}ms\n",
            access.method,
            terminal_safe(&access.path),
            access.status,
            access.duration.as_secs_f64() * 1000.0
        );
        let _ = (&log_to).write_all(line.as_bytes());
    });
    let running = server::start(endpoint, args.bind, log)
        .with_context(|| format!("cannot serve the case on {}", args.bind))?;
    let address = running.address;
    if !address.ip().is_loopback() {
        eprintln!(
            "casegraph: warning: listening on {address}, which other machines may reach; the server has no authentication (use --bind 127.0.0.1:PORT to keep it on this machine)"
        );
    }
    println!("casegraph: serving {} on http://{address}/ (SPARQL endpoint: http://{address}/sparql); Ctrl-C stops it", case.root().display());
    let _ = std::io::stdout().flush();
    let endpoint = Arc::clone(&running.endpoint);
    let grace = args.timeout.duration() + std::time::Duration::from_secs(1);
    interrupt::on_signal(move || {
        eprintln!("casegraph: stopping: finishing the requests being answered");
        if !endpoint.shut_down(grace) {
            eprintln!(
                "casegraph: some requests were still running after {grace:?}; stopping anyway"
            );
        }
    });
    running.join().context("the server stopped")?;
    Ok(ExitCode::SUCCESS)
}

/// Where access-log lines go: stderr, written without the lock of `std::io::stderr()`. Under
/// load the connection threads queued for that lock (84% of the server's futex calls on a small
/// query, 16 clients); a line is one write of a few dozen bytes, which the system does not
/// interleave with another.
#[cfg(unix)]
fn access_log() -> Result<std::fs::File> {
    use std::os::fd::AsFd;
    let stderr = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .context("cannot open stderr for the access log")?;
    Ok(std::fs::File::from(stderr))
}

/// Where access-log lines go: stderr (through its lock, elsewhere than on Unix).
#[cfg(not(unix))]
fn access_log() -> Result<std::io::Stderr> {
    Ok(std::io::stderr())
}
