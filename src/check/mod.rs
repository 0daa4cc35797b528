//! `casegraph check`: validates a case with SHACL and curation lints, and reports each problem
//! at the file, line and column where it is written, like a compiler.
//!
//! The check reads the case through the loader ([`parse::read_files`]), which keeps each
//! file's quads and bytes apart, so that it knows which file each triple came from; it indexes
//! the bytes of Turtle-family files with [`positions`] to find where each term is written. It returns a [`Report`]; the binary prints it.
//!
//! Where a diagnostic points:
//! - about a value (a wrong datatype, an ill-typed literal, a value of the wrong class): the
//!   object term of the offending triple, in the file that states it ([`Sources::locate_value`]);
//! - about a node as a whole (a missing property, a failed `sh:or`): the node's defining place,
//!   its `rdf:type` (`a`) statement, else its first subject position in the file holding most
//!   of its triples ([`Sources::locate`]); never merely the first file that mentions it. A blank
//!   node: its `_:label` or the `[` of its `[ ... ]` (a collection cell: its member).
//!
//! A UTF-8 byte order mark at the start of a file is skipped (by the loader) before parsing
//! and before positions are counted.

pub mod articles;
pub mod lints;
pub mod positions;
pub mod report;
pub mod shacl;
pub mod shape_support;
pub mod sparql;
pub mod vocab;

use crate::case::parse;
use crate::case::{Case, Part};
use crate::error::Result;
use oxigraph::io::RdfFormat;
use oxigraph::model::{BlankNode, NamedOrBlankNode, Quad, Term};
use positions::{Blank, Index, Position, Role, Written, RDF_TYPE};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information: a SHACL result of severity `sh:Info`, or of a severity of the shapes'
    /// own (its IRI is in [`Diagnostic::severity_iri`]); the check still passes.
    Note,
    /// Worth a look; the check still passes.
    Warning,
    /// The case is wrong; the check fails (exit status 1).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Note => "note",
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
    /// For SHACL results: the focus node, an IRI, or for a blank node its name in the message
    /// ("the `cg:evidence` of `case:x`"): a blank-node label changes from run to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus_node: Option<String>,
    /// For SHACL results: the shape that fired, an IRI, or for a blank-node shape its name
    /// ("the property shape of shape `cgsh:S` on `cg:date`").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_shape: Option<String>,
    /// For SHACL results: the result as a W3C validation report states it, each term in
    /// Turtle syntax ([`report`] writes them as an `sh:ValidationReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shacl: Option<ShaclResult>,
    /// For SHACL results of a severity other than `sh:Violation`, `sh:Warning` and `sh:Info`
    /// (`sh:Trace`, `sh:Debug`, or one the shapes define): its IRI. They are notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_iri: Option<String>,
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
            shacl: None,
            severity_iri: None,
        }
    }

    /// Every field, so that the order never depends on the order results were found in.
    #[allow(clippy::type_complexity)]
    fn sort_key(
        &self,
    ) -> (
        &Path,
        u64,
        u64,
        &str,
        &str,
        Option<&str>,
        Option<&str>,
        Option<&str>,
    ) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            &self.code,
            &self.message,
            self.focus_node.as_deref(),
            self.source_shape.as_deref(),
            self.severity_iri.as_deref(),
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

/// A SHACL validation result in the terms of the W3C report vocabulary, each term written in
/// Turtle syntax (`<iri>`, `"2025"^^<...#gYear>`); a blank node by a label numbered in the
/// report (`_:b1`, in the order the sorted results name them: the same node has the same label
/// in every result of one report, though the labels mean nothing outside it), and a complex
/// path as the SHACL path node it stands for (`[ sh:inversePath <p> ]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShaclResult {
    /// `sh:focusNode`.
    pub focus_node: Option<String>,
    /// `sh:resultPath`, if the result has one.
    pub result_path: Option<String>,
    /// `sh:value`, if the result has one.
    pub value: Option<String>,
    /// `sh:sourceConstraintComponent`.
    pub source_constraint_component: String,
    /// `sh:sourceShape`.
    pub source_shape: Option<String>,
    /// `sh:resultSeverity`.
    pub result_severity: String,
    /// `sh:sourceConstraint`: for a SHACL-SPARQL constraint's result, the `sh:sparql` node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_constraint: Option<String>,
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
        let notes = match self.count(Severity::Note) {
            0 => String::new(),
            n => format!(", {}", plural(n, "note")),
        };
        format!(
            "{}, {}{notes}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning")
        )
    }

    fn finish(mut self) -> Self {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // A lint found twice at one place is one problem. SHACL results are a multiset: one
        // shape reached from two parents (two sh:property paths to it) gives two results that
        // the validation report keeps apart, and so does casegraph.
        self.diagnostics
            .dedup_by(|later, earlier| later.shacl.is_none() && later == earlier);
        report::number_blank_nodes(&mut self.diagnostics);
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
    /// The IRI its relative IRIs resolved against (see [`crate::case::CaseFile::base`]).
    pub base: String,
    /// Where its terms are written; `None` for syntaxes the position finder does not read
    /// (RDF/XML, JSON-LD), whose diagnostics carry no line and column.
    pub index: Option<Index>,
    /// Which written blank node each of the file's parsed blank nodes is
    /// ([`Index::match_blank_nodes`]).
    pub blanks: HashMap<BlankNode, Blank>,
}

impl SourceFile {
    /// Whether `written` (a term of the index) is `term` (a term of the file's quads). A
    /// literal is matched by its lexical form.
    pub fn is(&self, written: &Written, term: &Term) -> bool {
        match (written, term) {
            (Written::Iri(i), Term::NamedNode(n)) => i == n.as_str(),
            (Written::Blank(w), Term::BlankNode(b)) => self.blanks.get(b) == Some(w),
            (Written::Literal { lexical, .. }, Term::Literal(l)) => lexical == l.value(),
            _ => false,
        }
    }

    /// Every occurrence of the file's index, in text order.
    pub fn occurrences(&self) -> impl Iterator<Item = &positions::Occurrence> {
        self.index.iter().flat_map(|i| &i.occurrences)
    }

    /// Where the object of the triple `focus predicate value` is written in this file (any
    /// predicate when `predicate` is `None`); a literal `value` is matched by its lexical form.
    pub fn value_position(
        &self,
        focus: &Term,
        predicate: Option<&str>,
        value: &Term,
    ) -> Option<Position> {
        let same_predicate = |p: &str| predicate.is_none_or(|wanted| wanted == p);
        self.occurrences()
            .find(|o| {
                let by_subject = o.subject.as_ref().is_some_and(|(s, _)| self.is(s, focus));
                let by_predicate = matches!(&o.role, Role::Object(Some(p)) if same_predicate(p));
                by_subject && by_predicate && self.is(&o.term, value)
            })
            .map(|o| o.position)
    }

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
    ///
    /// The files are read through the loader ([`parse::read_files`]), as every command reads
    /// them, each once: the same parser, byte order mark handling and blank-node scoping (a
    /// `_:b` in two files is two nodes, here as in the store).
    pub fn read(case: &Case) -> Result<Self> {
        let files = parse::read_files(&case.rdf_files()?)?;
        Ok(Self {
            files: files.into_iter().map(SourceFile::of).collect(),
        })
    }

    /// The files of one part.
    pub fn part(&self, part: Part) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(move |f| f.part == part)
    }

    /// The files in the order places are looked for: data files first (what is checked is
    /// mostly data), then ontology files, each part in path order.
    fn data_first(&self) -> impl Iterator<Item = &SourceFile> {
        self.part(Part::Data).chain(self.part(Part::Ontology))
    }

    /// Where to report something about `node` as a whole (a missing property, a shape the
    /// node as a whole fails): its defining place. That is its `rdf:type` (`a`) statement, in
    /// the file holding most of the node's triples among the files that type it; else the
    /// first place it is a subject in the file holding most of its triples; else the first
    /// place it is written at all. Ties go to data files, then to path order.
    ///
    /// A blank node is reported in the file that holds it (blank nodes belong to one file),
    /// where it is written as a subject: its `_:label`, the `[` of its `[ ... ]`, or for a
    /// collection cell the cell's member.
    pub fn locate(&self, node: &Term) -> Option<(PathBuf, Option<Position>)> {
        match node {
            Term::NamedNode(n) => self.locate_iri(n.as_str()),
            Term::BlankNode(b) => {
                let subject = NamedOrBlankNode::from(b.clone());
                let file = self.data_first().find(|f| {
                    f.quads
                        .iter()
                        .any(|q| q.subject == subject || q.object == *node)
                })?;
                // Where it is written as a subject (a `_:b` label, the `[` of a `[ ... ]`,
                // a collection cell's member), else anywhere.
                let occurrences = || file.occurrences().filter(|o| file.is(&o.term, node));
                let position = occurrences()
                    .find(|o| o.role == Role::Subject)
                    .or_else(|| occurrences().next())
                    .map(|o| o.position);
                Some((file.path.clone(), position))
            }
            _ => None,
        }
    }

    fn locate_iri(&self, iri: &str) -> Option<(PathBuf, Option<Position>)> {
        let is_subject =
            |q: &Quad| matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == iri);
        let mut best: Option<(bool, usize, &SourceFile)> = None;
        for file in self.data_first() {
            let mut count = 0;
            let mut typed = false;
            for quad in file.quads.iter().filter(|q| is_subject(q)) {
                count += 1;
                typed |= quad.predicate.as_str() == RDF_TYPE;
            }
            // Strictly better only, so that ties keep the earlier file.
            if count > 0 && best.is_none_or(|(t, c, _)| (typed, count) > (t, c)) {
                best = Some((typed, count, file));
            }
        }
        if let Some((_, _, file)) = best {
            let typed_at = file.occurrences().find_map(|o| {
                let defines = matches!(&o.role, Role::Object(Some(p)) if p == RDF_TYPE);
                match &o.subject {
                    Some((subject, position)) if defines && subject.is_iri(iri) => Some(*position),
                    _ => None,
                }
            });
            let position = typed_at.or_else(|| file.find(iri, |r| *r == Role::Subject));
            return Some((file.path.clone(), position));
        }
        // Never a subject: where it is written, else the file whose quads hold it.
        for file in self.data_first() {
            if let Some(position) = file.find(iri, |_| true) {
                return Some((file.path.clone(), Some(position)));
            }
        }
        self.data_first()
            .find(|f| {
                f.quads
                    .iter()
                    .any(|q| matches!(&q.object, Term::NamedNode(o) if o.as_str() == iri))
            })
            .map(|f| (f.path.clone(), None))
    }

    /// Where to report something about one value of `focus`: the object of the triple
    /// `focus predicate value` as written, in the file that states it (the first such file,
    /// data files first). A literal `value` is matched by its lexical form; with no
    /// `predicate` (a complex SHACL path) any predicate matches. When no file states the
    /// triple, the focus node's defining place ([`Self::locate`]).
    pub fn locate_value(
        &self,
        focus: &Term,
        predicate: Option<&str>,
        value: &Term,
    ) -> Option<(PathBuf, Option<Position>)> {
        let same_value = |term: &Term| match (term, value) {
            (Term::Literal(a), Term::Literal(b)) => a.value() == b.value(),
            (a, b) => a == b,
        };
        let same_predicate = |p: &str| predicate.is_none_or(|wanted| wanted == p);
        for file in self.data_first() {
            let states = file.quads.iter().any(|q| {
                Term::from(q.subject.clone()) == *focus
                    && same_predicate(q.predicate.as_str())
                    && same_value(&q.object)
            });
            if !states {
                continue;
            }
            let written = file.value_position(focus, predicate, value);
            return Some((file.path.clone(), written));
        }
        self.locate(focus)
    }
}

/// The path as printed: the loader's path without a leading `./`.
fn display_path(path: &Path) -> PathBuf {
    let mut components = path.components().peekable();
    while components.peek() == Some(&Component::CurDir) {
        components.next();
    }
    components.collect()
}

impl SourceFile {
    /// The check's view of a file the loader has read.
    fn of(read: parse::ReadFile) -> Self {
        let index = match read.file.format() {
            RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::NTriples | RdfFormat::NQuads => {
                // The parser has accepted the bytes, so they are UTF-8.
                read.text()
                    .map(|text| Index::of(text, Some(&read.file.base)))
            }
            _ => None,
        };
        let blanks = index
            .as_ref()
            .map(|i| i.match_blank_nodes(&read.parsed.quads))
            .unwrap_or_default();
        Self {
            part: read.file.part,
            path: display_path(&read.file.path),
            quads: read.parsed.quads,
            base: read.file.base,
            index,
            blanks,
        }
    }
}

/// What `check` looks at beyond the case's own files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A folder holding the source articles' texts: every evidence and quote string is then
    /// looked for in its article ([`articles`]).
    pub articles: Option<PathBuf>,
    /// How long the SHACL-SPARQL queries (`sh:sparql`, the shapes' own constraint components)
    /// may take in all; `None`: no limit. Past it the check fails with
    /// [`crate::error::Error::CheckTimeout`].
    pub sparql_timeout: Option<crate::query::limits::TimeLimit>,
}

/// Checks `case`: SHACL shapes from its ontology, then the lints, then (with
/// [`Options::articles`]) the evidence against the article texts. Fails (rather than
/// reporting) only when the check cannot run: an unreadable file, a syntax error, bad shapes,
/// an articles folder that is not there.
pub fn check(case: &Case, options: &Options) -> Result<Report> {
    let sources = Sources::read(case)?;
    let prefixes = shacl::case_prefixes(&sources);
    // The shapes graph as SHACL-SPARQL reads it: what it runs and what it warns about.
    let sparql_shapes = sparql::ShapesGraph::new(
        sources
            .part(crate::case::Part::Ontology)
            .flat_map(|f| &f.quads)
            .map(|q| oxigraph::model::TripleRef::new(&q.subject, &q.predicate, &q.object)),
    );
    let mut report = Report::default();
    report.diagnostics.extend(shacl::validate(
        case,
        &sources,
        &sparql_shapes,
        options.sparql_timeout,
    )?);
    report
        .diagnostics
        .extend(shape_support::run(&sources, &prefixes, &sparql_shapes));
    report.diagnostics.extend(lints::run(&sources));
    if let Some(dir) = &options.articles {
        if !dir.is_dir() {
            return Err(crate::error::Error::NoArticles(dir.clone()));
        }
        report
            .diagnostics
            .extend(articles::run(&sources, dir, &prefixes));
    }
    Ok(report.finish())
}
