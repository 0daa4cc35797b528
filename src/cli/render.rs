//! `casegraph render`: draws the case with Graphviz.

use crate::cli::args::{Location, RenderArgs};
use crate::cli::case::{graph_options, in_flags, scope, statements};
use crate::cli::output::Output;
use anyhow::{bail, Result};
use casegraph::export::dot;
use casegraph::export::render::{find_dot, render_watched, ImageFormat, RenderError};
use casegraph::format::Format;
use std::io::Write;
use std::process::ExitCode;

/// `casegraph render`.
pub fn run(location: &Location, args: &RenderArgs) -> Result<ExitCode> {
    let named = args
        .out
        .as_deref()
        .map(|out| (out, ImageFormat::from_path(out)));
    let format = match (args.format.map(|f| f.0), named) {
        // `--format png --out x.svg` would put PNG bytes in a file every program takes for SVG.
        (Some(format), Some((out, Some(named)))) if named != format => bail!(
            "--format {} does not match --out {}, which names {} by its extension; give a matching file name or leave out --format",
            format.name(),
            out.display(),
            named.name()
        ),
        (Some(format), _) => format,
        (None, Some((_, Some(named)))) => named,
        (None, Some((out, None))) => bail!(
            "{}: cannot tell the image format from the extension; give --format ({})",
            out.display(),
            ImageFormat::names().join(", ")
        ),
        (None, None) => ImageFormat::Svg,
    };
    // Before loading the case: a missing Graphviz is the first thing to hear about.
    let dot_program = find_dot().ok_or(RenderError::MissingDot)?;
    let (_, mut statements) = statements(location)?;
    let options = graph_options(statements.prefixes(), &args.drawing)?;
    let graph = casegraph::export::case_graph(&mut statements, scope(args.with_ontology), &options)
        .map_err(|error| in_flags(error, &args.drawing))?;
    let mut source = Vec::new();
    dot::write_dot(&mut source, &graph, &options)?;
    let spawning = crate::cli::interrupt::spawning();
    let image = render_watched(&dot_program, &source, format, |pid| spawning.child(pid))?;
    let mut output = Output::open(args.out.as_deref())?;
    output.write_all(&image)?;
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}
