//! `casegraph path`: the shortest chains of relations between two entities.

use crate::cli::args::{Location, PathArgs};
use crate::cli::case::{scope, statements};
use crate::cli::output::Output;
use anyhow::{Context, Result};
use casegraph::export::{self, dot};
use casegraph::format::{Description, Format, PLAIN_TEXT};
use casegraph::graph::path::{sentence, shortest_chains};
use casegraph::graph::GraphOptions;
use casegraph::rdf::term::parse_term;
use std::collections::BTreeSet;
use std::process::ExitCode;

/// Exit status of `path` when no chain links the two entities.
const NOT_FOUND: u8 = 1;

/// How `path` prints the chains it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFormat {
    /// One sentence per chain.
    Text,
    /// The chains drawn as one DOT digraph.
    Dot,
}

impl Format for PathFormat {
    const ALL: &'static [Self] = &[Self::Text, Self::Dot];

    fn describe(self) -> Description {
        match self {
            Self::Text => PLAIN_TEXT,
            Self::Dot => Description {
                names: &["dot", "gv"],
                extensions: &["dot", "gv"],
                media_types: &["text/vnd.graphviz"],
            },
        }
    }
}

/// `casegraph path`.
pub fn run(location: &Location, args: &PathArgs) -> Result<ExitCode> {
    let (_, mut statements) = statements(location)?;
    let from = parse_term(&args.from, statements.prefixes(), "FROM")?;
    let to = parse_term(&args.to, statements.prefixes(), "TO")?;
    let graph = export::case_graph(
        &mut statements,
        scope(args.with_ontology),
        &GraphOptions::default(),
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
    match args.format.0 {
        PathFormat::Dot => {
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
        }
        PathFormat::Text => {
            for chain in &chains {
                writeln!(output.writer(), "{}", sentence(&graph, chain))?;
            }
        }
    }
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}
