//! The commands that work on the property-graph view: `render`, `path`, and the CSV folder
//! of `export --format csv`.

use crate::cli::{DrawingArgs, LiteralsArg, Location, PathArgs, RenderArgs};
use crate::commands::{scope, statements};
use crate::output::Output;
use anyhow::{bail, Context, Result};
use casegraph::export::{self, dot, neo4j, GraphFormat, WriteContext};
use casegraph::graph::{GraphOptions, Labels, Literals};
use casegraph::path::{sentence, shortest_chains};
use casegraph::prefixes::Prefixes;
use casegraph::render::{find_dot, render_watched, ImageFormat, RenderError};
use casegraph::term::parse_term;
use oxigraph::model::Quad;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

/// Exit status of `path` when no chain links the two entities.
const NOT_FOUND: u8 = 1;

/// The property-graph options that the drawing arguments ask for.
pub fn graph_options(prefixes: &Prefixes, drawing: &DrawingArgs) -> Result<GraphOptions> {
    let focus = drawing
        .focus
        .as_deref()
        .map(|f| parse_term(f, prefixes, "--focus"))
        .transpose()?;
    Ok(GraphOptions {
        literals: match drawing.literals {
            LiteralsArg::Inline => Literals::Inline,
            LiteralsArg::Nodes => Literals::Nodes,
            LiteralsArg::None => Literals::Hidden,
        },
        full_literals: drawing.full_literals,
        focus,
        depth: drawing.depth,
    })
}

/// `export --format csv` and `query --format csv` on a CONSTRUCT: `nodes.csv` and
/// `relationships.csv` in the folder `dir` (created if needed), each file written whole or
/// not at all.
pub fn write_csv_folder(
    dir: Option<&Path>,
    prefixes: &Prefixes,
    labels: &Labels,
    quads: Vec<Quad>,
    drawing: &DrawingArgs,
) -> Result<()> {
    let Some(dir) = dir else {
        bail!(
            "--format csv writes two files, {} and {}: give the folder to write them in with --out DIR",
            neo4j::NODES_FILE,
            neo4j::RELATIONSHIPS_FILE
        );
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let options = graph_options(prefixes, drawing)?;
    let context = WriteContext {
        prefixes,
        labels,
        graph: &options,
    };
    let mut nodes = Output::open(Some(&dir.join(neo4j::NODES_FILE)))?;
    let mut relationships = Output::open(Some(&dir.join(neo4j::RELATIONSHIPS_FILE)))?;
    export::write_neo4j(nodes.writer(), relationships.writer(), quads, &context)?;
    nodes.finish()?;
    relationships.finish()?;
    Ok(())
}

/// `casegraph render`.
pub fn render(location: &Location, args: &RenderArgs) -> Result<ExitCode> {
    let format = match (&args.format, &args.out) {
        (Some(name), out) => {
            let format = ImageFormat::from_name(name).with_context(|| {
                format!(
                    "unknown image format `{name}`: use one of {}",
                    ImageFormat::NAMES.join(", ")
                )
            })?;
            // `--format png --out x.svg` would put PNG bytes in a file every program takes
            // for SVG.
            if let Some(named) = out.as_deref().and_then(ImageFormat::from_path) {
                if named != format {
                    bail!(
                        "--format {} does not match --out {}, which names {} by its extension; give a matching file name or leave out --format",
                        format.name(),
                        out.as_deref().unwrap_or(Path::new("")).display(),
                        named.name()
                    );
                }
            }
            format
        }
        (None, Some(path)) => ImageFormat::from_path(path).with_context(|| {
            format!(
                "{}: cannot tell the image format from the extension; give --format ({})",
                path.display(),
                ImageFormat::NAMES.join(", ")
            )
        })?,
        (None, None) => ImageFormat::Svg,
    };
    // Before loading the case: a missing Graphviz is the first thing to hear about.
    let dot_program = find_dot().ok_or(RenderError::MissingDot)?;
    let (_, mut statements) = statements(location)?;
    let options = graph_options(statements.prefixes(), &args.drawing)?;
    let labels = statements.labels_outside(scope(args.with_ontology))?;
    let quads = statements.take_quads(scope(args.with_ontology))?;
    let context = WriteContext {
        prefixes: statements.prefixes(),
        labels: &labels,
        graph: &options,
    };
    let mut source = Vec::new();
    export::write(&mut source, GraphFormat::Dot, quads, &context)?;
    let image = render_watched(
        &dot_program,
        &source,
        format,
        crate::interrupt::ChildGuard::new,
    )?;
    let mut output = Output::open(args.out.as_deref())?;
    output.writer().write_all(&image)?;
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `casegraph path`.
pub fn path(location: &Location, args: &PathArgs) -> Result<ExitCode> {
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
