//! Writes SELECT and ASK answers: an aligned table, or the W3C results formats via `sparesults`.

use super::{table, Solutions};
use crate::error::{Error, Result};
use crate::format::{Description, Format};
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::{self, Write};

/// How SELECT and ASK answers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// An aligned text table with prefixed names, for people.
    Table,
    /// SPARQL 1.1 Query Results CSV.
    Csv,
    /// SPARQL 1.1 Query Results TSV.
    Tsv,
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// SPARQL Query Results XML.
    Xml,
}

impl Format for ResultsFormat {
    const ALL: &'static [Self] = &[Self::Table, Self::Csv, Self::Tsv, Self::Json, Self::Xml];

    fn describe(self) -> Description {
        let (names, extensions, media_types): (&[&str], &[&str], &[&str]) = match self {
            Self::Table => (&["table", "text"], &["txt"], &["text/plain"]),
            Self::Csv => (&["csv"], &["csv"], &["text/csv"]),
            Self::Tsv => (&["tsv"], &["tsv"], &["text/tab-separated-values"]),
            Self::Json => (
                &["json", "srj"],
                &["srj", "json"],
                &["application/sparql-results+json"],
            ),
            Self::Xml => (
                &["xml", "srx"],
                &["srx", "xml"],
                &["application/sparql-results+xml"],
            ),
        };
        Description {
            names,
            extensions,
            media_types,
        }
    }
}

impl ResultsFormat {
    /// The W3C results format Oxigraph writes; `None` for the table.
    pub fn w3c(self) -> Option<QueryResultsFormat> {
        match self {
            Self::Table => None,
            Self::Csv => Some(QueryResultsFormat::Csv),
            Self::Tsv => Some(QueryResultsFormat::Tsv),
            Self::Json => Some(QueryResultsFormat::Json),
            Self::Xml => Some(QueryResultsFormat::Xml),
        }
    }
}

/// Writes a SELECT answer.
pub fn write_solutions(
    mut out: impl Write,
    format: ResultsFormat,
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    prefixes: &Prefixes,
) -> io::Result<()> {
    match format.w3c() {
        None => table::write_table(out, variables, rows, prefixes),
        Some(format) => {
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
    out: impl Write,
    format: ResultsFormat,
    solutions: Solutions,
    prefixes: &Prefixes,
) -> Result<()> {
    let variables = solutions.variables().to_vec();
    write_rows(out, format, variables, solutions, prefixes)
}

/// [`write_solution_stream`] for rows that come from elsewhere (a caller that looked at the
/// first row before deciding to write), in the order of `variables`.
pub fn write_rows(
    mut out: impl Write,
    format: ResultsFormat,
    variables: Vec<Variable>,
    solutions: impl Iterator<Item = Result<Vec<Option<Term>>>>,
    prefixes: &Prefixes,
) -> Result<()> {
    let Some(format) = format.w3c() else {
        let rows = solutions.collect::<Result<Vec<_>>>()?;
        return table::write_table(out, &variables, &rows, prefixes).map_err(Error::Write);
    };
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
    match format.w3c() {
        None => writeln!(out, "{value}"),
        Some(format) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_formats_know_themselves() {
        crate::format::assert_well_formed::<ResultsFormat>();
        for &format in ResultsFormat::ALL {
            if let Some(w3c) = format.w3c() {
                assert_eq!(
                    ResultsFormat::from_media_type(w3c.media_type()),
                    Some(format)
                );
                assert_eq!(format.file_extension(), w3c.file_extension(), "{format:?}");
            }
        }
    }
}
