//! `casegraph check`: validates a case with SHACL and curation lints, and reports each problem
//! at the file, line and column where it is written, like a compiler.
//!
//! The check reads every file itself (with Oxigraph's parsers, as the loader does) so that it
//! knows which file each triple came from, and re-reads Turtle-family files with
//! [`positions`] to find where each term is written. It returns a [`Report`]; the binary prints it.

pub mod lints;
pub mod positions;
pub mod shacl;
pub mod vocab;

use crate::error::Result;
use crate::load;
use crate::project::{Case, CaseFile, Part};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use positions::{Index, Position, Role};
use serde::Serialize;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; the check still passes.
    Warning,
    /// The case is wrong; the check fails (exit status 1).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// One problem, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as the loader has its path (the case folder joined with the file's path).
    pub file: PathBuf,
    /// 1-based line of the offending term, when the file's syntax lets us find it.
    pub line: Option<u64>,
    /// 1-based column, in characters.
    pub column: Option<u64>,
    /// Error or warning.
    pub severity: Severity,
    /// The lint code (`undeclared-term`, ...) or `shacl:<ConstraintComponent local name>`.
    pub code: String,
    /// What is wrong, and what to do about it.
    pub message: String,
    /// For SHACL results: the focus node (an IRI or `_:id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus_node: Option<String>,
    /// For SHACL results: the shape that fired (an IRI or `_:id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_shape: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `position` (if known) in `file`.
    pub fn new(
        file: &Path,
        position: Option<Position>,
        severity: Severity,
        code: &str,
        message: String,
    ) -> Self {
        Self {
            file: file.to_owned(),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            severity,
            code: code.to_owned(),
            message,
            focus_node: None,
            source_shape: None,
        }
    }

    fn sort_key(&self) -> (&Path, u64, u64, &str, &str) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            &self.code,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity[code]: message`, or `file: ...` when the position is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// Everything the check found, sorted by file, line, column and code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The problems, in order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The number of diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// `2 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{}, {}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning")
        )
    }

    fn finish(mut self) -> Self {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics.dedup();
        self
    }
}

/// One file of the case as the check sees it: its quads and where its terms are written.
#[derive(Debug)]
pub struct SourceFile {
    /// Ontology or data.
    pub part: Part,
    /// The path printed in diagnostics.
    pub path: PathBuf,
    /// The file's quads (ontology files' triples are in the ontology graph).
    pub quads: Vec<Quad>,
    /// Where its terms are written; `None` for syntaxes the position finder does not read
    /// (RDF/XML, JSON-LD), whose diagnostics carry no line and column.
    pub index: Option<Index>,
}

impl SourceFile {
    /// The position of the first occurrence of `iri` in a role accepted by `role`.
    pub fn find(&self, iri: &str, role: impl Fn(&Role) -> bool) -> Option<Position> {
        self.index
            .as_ref()
            .and_then(|index| index.first(iri, role))
            .map(|o| o.position)
    }
}

/// The case's files, read for checking.
#[derive(Debug, Default)]
pub struct Sources {
    /// Ontology files first, then data files, each part in path order.
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// Reads every RDF file of `case`.
    pub fn read(case: &Case) -> Result<Self> {
        let mut files = Vec::new();
        for file in case.rdf_files()? {
            files.push(read_file(&file)?);
        }
        Ok(Self { files })
    }

    /// The files of one part.
    pub fn part(&self, part: Part) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(move |f| f.part == part)
    }

    /// Where to report something about `node`: its first occurrence as a subject in a data
    /// file, else anywhere in a data file, else in an ontology file; a blank node is
    /// reported where the node that points at it is.
    pub fn locate(&self, node: &Term) -> Option<(PathBuf, Option<Position>)> {
        self.locate_depth(node, 0)
    }

    fn locate_depth(&self, node: &Term, depth: usize) -> Option<(PathBuf, Option<Position>)> {
        match node {
            Term::NamedNode(n) => {
                let iri = n.as_str();
                let searches: [(Part, RoleFilter); 4] = [
                    (Part::Data, |r| *r == Role::Subject),
                    (Part::Data, |_| true),
                    (Part::Ontology, |r| *r == Role::Subject),
                    (Part::Ontology, |_| true),
                ];
                for (part, role) in searches {
                    for file in self.part(part) {
                        if let Some(position) = file.find(iri, role) {
                            return Some((file.path.clone(), Some(position)));
                        }
                    }
                }
                // Not written in a Turtle-family file: name the file whose quads hold it.
                self.files
                    .iter()
                    .find(|f| {
                        f.quads.iter().any(|q| {
                            matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == n)
                                || q.object == *node
                        })
                    })
                    .map(|f| (f.path.clone(), None))
            }
            Term::BlankNode(b) if depth < 8 => {
                for file in &self.files {
                    for quad in &file.quads {
                        if quad.object == *node {
                            let owner = Term::from(quad.subject.clone());
                            if let Some(found) = self.locate_depth(&owner, depth + 1) {
                                return Some(found);
                            }
                        }
                    }
                    if file
                        .quads
                        .iter()
                        .any(|q| matches!(&q.subject, NamedOrBlankNode::BlankNode(s) if s == b))
                    {
                        return Some((file.path.clone(), None));
                    }
                }
                None
            }
            _ => None,
        }
    }
}

/// Which roles of a term a search accepts.
type RoleFilter = fn(&Role) -> bool;

/// The path as printed: the loader's path without a leading `./`.
fn display_path(path: &Path) -> PathBuf {
    let mut components = path.components().peekable();
    while components.peek() == Some(&Component::CurDir) {
        components.next();
    }
    components.collect()
}

fn read_file(file: &CaseFile) -> Result<SourceFile> {
    let parsed = load::parse_file(file)?;
    let index = match file.format() {
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::NTriples | RdfFormat::NQuads => {
            let text =
                std::fs::read_to_string(&file.path).map_err(|e| crate::Error::io(&file.path, e))?;
            Some(Index::of(&text))
        }
        _ => None,
    };
    Ok(SourceFile {
        part: file.part,
        path: display_path(&file.path),
        quads: parsed.quads,
        index,
    })
}

/// Checks `case`: SHACL shapes from its ontology, then the lints. Fails (rather than
/// reporting) only when the check cannot run: an unreadable file, a syntax error, bad shapes.
pub fn check(case: &Case) -> Result<Report> {
    let sources = Sources::read(case)?;
    let mut report = Report::default();
    report.diagnostics.extend(shacl::validate(case, &sources)?);
    report.diagnostics.extend(lints::run(&sources));
    Ok(report.finish())
}
