//! `casegraph path`: the shortest chains of relations between two entities.

use crate::cli::args::{Location, PathArgs};
use crate::cli::case::{scope, statements};
use crate::cli::output::Output;
use anyhow::{bail, Context, Result};
use casegraph::export::{self, dot, WriteContext};
use casegraph::graph::path::{sentence, shortest_chains};
use casegraph::graph::GraphOptions;
use casegraph::rdf::term::parse_term;
use std::collections::BTreeSet;
use std::process::ExitCode;

/// Exit status of `path` when no chain links the two entities.
const NOT_FOUND: u8 = 1;

/// `casegraph path`.
pub fn run(location: &Location, args: &PathArgs) -> Result<ExitCode> {
    if !matches!(args.format.as_str(), "text" | "dot") {
        bail!("unknown path format `{}`: use text or dot", args.format);
    }
    let (_, mut statements) = statements(location)?;
    let from = parse_term(&args.from, statements.prefixes(), "FROM")?;
    let to = parse_term(&args.to, statements.prefixes(), "TO")?;
    let labels = statements.labels_outside(scope(args.with_ontology))?;
    let quads = statements.take_quads(scope(args.with_ontology))?;
    let graph = export::property_graph(
        quads,
        &WriteContext {
            prefixes: statements.prefixes(),
            labels: &labels,
            graph: &GraphOptions::default(),
        },
    )?;
    let find = |term, text: &str, option: &str| {
        graph
            .find(term)
            .with_context(|| format!("{option} `{text}`: no such entity in the case"))
    };
    let start = find(&from, &args.from, "FROM")?;
    let end = find(&to, &args.to, "TO")?;
    let chains = shortest_chains(&graph, start, end, args.max);
    if chains.is_empty() {
        eprintln!(
            "casegraph: no chain of relations links {} and {}",
            args.from, args.to
        );
        return Ok(ExitCode::from(NOT_FOUND));
    }
    let mut output = Output::open(None)?;
    if args.format == "dot" {
        let nodes: BTreeSet<_> = chains
            .iter()
            .flat_map(|c| c.nodes.iter().copied())
            .collect();
        let edges: BTreeSet<_> = chains
            .iter()
            .flat_map(|c| c.edges.iter().copied())
            .collect();
        dot::write_dot(
            output.writer(),
            &graph.subgraph(&nodes, &edges),
            &GraphOptions::default(),
        )?;
    } else {
        for chain in &chains {
            writeln!(output.writer(), "{}", sentence(&graph, chain))?;
        }
    }
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}
