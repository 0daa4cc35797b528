//! `casegraph site`: the pages of `serve` written as a static site.

use crate::cli::args::{Location, SiteArgs};
use crate::cli::case::{load_for_queries, open_case};
use crate::cli::interrupt;
use anyhow::{Context, Result};
use casegraph::query;
use casegraph::server::pages::site::Site;
use casegraph::server::pages::Pages;
use casegraph::store::Dataset;
use std::process::ExitCode;
use std::sync::Arc;

/// `casegraph site`.
pub fn run(location: &Location, args: &SiteArgs) -> Result<ExitCode> {
    // Before loading the case: a folder that will be refused is the first thing to hear about.
    let site = Site::prepare(&args.out)?;
    let building = site.building().to_owned();
    interrupt::on_signal(move || {
        let _ = std::fs::remove_dir_all(&building);
    });
    let case = open_case(location)?;
    let queries = query::list_named(&case.queries_dir())?;
    // The dataset of `casegraph query` and `serve`.
    let (_, store) = load_for_queries(location, Dataset::default())?;
    let pages = Pages::new(Arc::new(store), Arc::new(queries)).with_timeout(args.timeout);
    if !pages.draws() {
        eprintln!(
            "casegraph: note: Graphviz `dot` was not found on PATH, so entity pages list their neighbours instead of drawing them"
        );
    }
    let written = site
        .write(&pages)
        .with_context(|| format!("cannot write the site to {}", args.out.display()))?;
    let dir = site.finish()?;
    println!(
        "casegraph: wrote {written} files to {}; open {} in a browser",
        dir.display(),
        dir.join("index.html").display()
    );
    Ok(ExitCode::SUCCESS)
}
