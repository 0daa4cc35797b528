//! `casegraph render`: draws the case with Graphviz.

use crate::cli::args::{Location, RenderArgs};
use crate::cli::case::{graph_options, scope, statements};
use crate::cli::output::Output;
use anyhow::{bail, Context, Result};
use casegraph::export::render::{find_dot, render_watched, ImageFormat, RenderError};
use casegraph::export::{self, GraphFormat, WriteContext};
use std::path::Path;
use std::process::ExitCode;

/// `casegraph render`.
pub fn run(location: &Location, args: &RenderArgs) -> Result<ExitCode> {
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
        crate::cli::interrupt::ChildGuard::new,
    )?;
    let mut output = Output::open(args.out.as_deref())?;
    output.writer().write_all(&image)?;
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}
