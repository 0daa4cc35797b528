//! Writes SELECT and ASK answers: an aligned table, or the W3C results formats via `sparesults`.

use super::{table, Solutions};
use crate::error::{Error, Result};
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::{self, Write};

/// How SELECT and ASK answers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// An aligned text table with prefixed names, for people.
    Table,
    /// A W3C SPARQL results format: CSV, TSV, JSON or XML.
    W3c(QueryResultsFormat),
}

impl ResultsFormat {
    /// The format called `name` (`table`, `csv`, `tsv`, `json`, `xml`).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "table" | "text" => Self::Table,
            "csv" => Self::W3c(QueryResultsFormat::Csv),
            "tsv" => Self::W3c(QueryResultsFormat::Tsv),
            "json" | "srj" => Self::W3c(QueryResultsFormat::Json),
            "xml" | "srx" => Self::W3c(QueryResultsFormat::Xml),
            _ => return None,
        })
    }

    /// The names accepted by [`Self::from_name`].
    pub const NAMES: &'static [&'static str] = &["table", "csv", "tsv", "json", "xml"];
}

/// Writes a SELECT answer.
pub fn write_solutions(
    mut out: impl Write,
    format: ResultsFormat,
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    prefixes: &Prefixes,
) -> io::Result<()> {
    match format {
        ResultsFormat::Table => table::write_table(out, variables, rows, prefixes),
        ResultsFormat::W3c(format) => {
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut out, variables.to_vec())?;
            for row in rows {
                serializer.serialize(
                    variables
                        .iter()
                        .zip(row)
                        .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
                )?;
            }
            serializer.finish()?;
            end_line(out, format)
        }
    }
}

/// Writes a SELECT answer as its solutions are computed.
///
/// The W3C formats write each row as it comes, so a large answer (or one read by `head`) never
/// sits in memory whole. The table needs every row to know its column widths: it collects them
/// first. A query error (its time limit, say) after some rows leaves those rows written.
pub fn write_solution_stream(
    mut out: impl Write,
    format: ResultsFormat,
    solutions: Solutions,
    prefixes: &Prefixes,
) -> Result<()> {
    let format = match format {
        ResultsFormat::Table => {
            let variables = solutions.variables().to_vec();
            let rows = solutions.collect::<Result<Vec<_>>>()?;
            return table::write_table(out, &variables, &rows, prefixes).map_err(Error::Write);
        }
        ResultsFormat::W3c(format) => format,
    };
    let variables = solutions.variables().to_vec();
    let mut serializer = QueryResultsSerializer::from_format(format)
        .serialize_solutions_to_writer(&mut out, variables.clone())
        .map_err(Error::Write)?;
    for row in solutions {
        let row = row?;
        serializer
            .serialize(
                variables
                    .iter()
                    .zip(&row)
                    .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
            )
            .map_err(Error::Write)?;
    }
    serializer.finish().map_err(Error::Write)?;
    end_line(out, format).map_err(Error::Write)
}

/// Writes an ASK answer: `true` / `false` as a line of text, or a W3C boolean result.
pub fn write_boolean(mut out: impl Write, format: ResultsFormat, value: bool) -> io::Result<()> {
    match format {
        ResultsFormat::Table => writeln!(out, "{value}"),
        ResultsFormat::W3c(format) => {
            let out = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(out, value)?;
            end_line(out, format)
        }
    }
}

/// JSON and XML results end without a line break; a terminal and `git diff` want one.
fn end_line(mut out: impl Write, format: QueryResultsFormat) -> io::Result<()> {
    match format {
        QueryResultsFormat::Json | QueryResultsFormat::Xml => writeln!(out),
        _ => Ok(()),
    }
}

/// The error for a `--format` that fits no kind of answer.
pub fn unknown_format(name: &str, graph_names: &[&str]) -> Error {
    Error::Format(format!(
        "unknown format `{name}`: SELECT and ASK take {}; CONSTRUCT and DESCRIBE take {}",
        ResultsFormat::NAMES.join(", "),
        graph_names.join(", ")
    ))
}
