//! Reads a case's RDF files into quads, in parallel, with every syntax error at file:line:col.

use crate::error::{Error, Result};
use crate::prefixes::Prefixes;
use crate::project::{CaseFile, Part};
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::path::Path;

/// The named graph that holds the ontology (every triple of the files under `ontology/`).
///
/// Keeping the schema apart lets exports and drawings show the case, not the schema, unless asked.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/casegraph/graph/ontology";

/// The ontology graph's name as a term.
pub fn ontology_graph() -> NamedNode {
    NamedNode::new_unchecked(ONTOLOGY_GRAPH)
}

/// What one file held.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Its quads, ontology triples already moved into [`ONTOLOGY_GRAPH`].
    pub quads: Vec<Quad>,
    /// The prefixes it declared, in the order it declared them.
    pub prefixes: Vec<(String, String)>,
}

/// Everything read from a case's files.
#[derive(Debug, Default)]
pub struct Parsed {
    /// All quads, file by file in path order.
    pub quads: Vec<Quad>,
    /// The prefixes declared by the files, plus the well-known ones.
    pub prefixes: Prefixes,
}

/// Parses every file, spreading the files over the machine's cores.
///
/// The result does not depend on the number of threads: files are merged in path order.
/// The first file (in path order) with an error stops the load; nothing is returned half-read.
pub fn parse_files(files: &[CaseFile]) -> Result<Parsed> {
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(files.len().max(1));
    let mut results: Vec<Option<Result<ParsedFile>>> = (0..files.len()).map(|_| None).collect();
    if threads <= 1 {
        for (slot, file) in results.iter_mut().zip(files) {
            *slot = Some(parse_file(file));
        }
    } else {
        // Round-robin: thread t parses files t, t + threads, ... and the slots are put back in order.
        let chunks: Vec<Vec<(usize, Result<ParsedFile>)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        files
                            .iter()
                            .enumerate()
                            .skip(t)
                            .step_by(threads)
                            .map(|(i, file)| (i, parse_file(file)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for (i, result) in chunks.into_iter().flatten() {
            results[i] = Some(result);
        }
    }
    let mut parsed = Parsed::default();
    let mut declared = Prefixes::default();
    for (result, file) in results.into_iter().zip(files) {
        let file_result = result.ok_or_else(|| {
            Error::Storage(format!("{}: parser thread failed", file.path.display()))
        })?;
        let ParsedFile { quads, prefixes } = file_result?;
        parsed.quads.extend(quads);
        for (name, iri) in &prefixes {
            declared.add(name, iri);
        }
    }
    // Files' own bindings come first; the well-known ones only fill the gaps.
    for (name, iri) in Prefixes::well_known().iter() {
        declared.add(name, iri);
    }
    parsed.prefixes = declared;
    Ok(parsed)
}

/// Parses one file.
pub fn parse_file(file: &CaseFile) -> Result<ParsedFile> {
    let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
    let mut parser = RdfParser::from_format(file.format()).rename_blank_nodes();
    if file.part == Part::Ontology {
        parser = parser.with_default_graph(GraphName::from(ontology_graph()));
    }
    let mut reader = parser.for_slice(&bytes);
    let mut quads = Vec::new();
    for quad in &mut reader {
        quads.push(quad.map_err(|e| parse_error(&file.path, e.into()))?);
    }
    let prefixes = reader
        .prefixes()
        .map(|(name, iri)| (name.to_owned(), iri.to_owned()))
        .collect();
    Ok(ParsedFile { quads, prefixes })
}

/// Turns a parser error into one that names the file and the 1-based line and column.
pub fn parse_error(path: &Path, error: RdfParseError) -> Error {
    match error {
        RdfParseError::Io(e) => Error::io(path, e),
        RdfParseError::Syntax(e) => {
            let message = strip_position(&e.to_string());
            match e.location() {
                Some(range) => Error::Syntax {
                    path: path.to_owned(),
                    line: range.start.line + 1,
                    column: range.start.column + 1,
                    message,
                },
                None => Error::SyntaxNoPosition {
                    path: path.to_owned(),
                    message,
                },
            }
        }
    }
}

/// Oxttl writes "Parser error at line 3 column 5: message"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    if message.starts_with("Parser error") {
        if let Some((_, rest)) = message.split_once(": ") {
            return rest.to_owned();
        }
    }
    message.to_owned()
}
