//! Named queries, their parameters, and evaluation against a loaded case.

pub mod header;
pub mod results;
pub mod table;

use crate::error::{Error, Result};
use crate::prefixes::Prefixes;
use crate::store::{CaseStore, Layout, Scope};
use crate::term::parse_term;
use header::Header;
use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::path::{Path, PathBuf};

/// The extension of query files in `queries/`.
pub const QUERY_EXTENSION: &str = "rq";

/// A query's text with where it came from.
#[derive(Debug, Clone)]
pub struct QueryText {
    /// How the query is named in messages: its name, its path, or `<inline query>`.
    pub name: String,
    /// The file that errors point into (`<inline query>` for `-e`).
    pub origin: PathBuf,
    /// The SPARQL text.
    pub text: String,
    /// Its header comments.
    pub header: Header,
}

/// A query file of `queries/`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NamedQuery {
    /// The file name without `.rq`.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its header comments.
    pub header: Header,
}

impl QueryText {
    /// Reads a query given as a file path (when `arg` names an existing file or ends in `.rq`)
    /// or as the name of a file in `queries_dir`.
    pub fn resolve(queries_dir: &Path, arg: &str) -> Result<Self> {
        let as_path = Path::new(arg);
        let looks_like_path = arg.contains('/')
            || arg.contains(std::path::MAIN_SEPARATOR)
            || as_path.extension().is_some_and(|e| e == QUERY_EXTENSION);
        if looks_like_path || (as_path.is_file() && !queries_dir.join(arg).exists()) {
            return Self::from_file(as_path, arg.to_owned());
        }
        let path = queries_dir.join(format!("{arg}.{QUERY_EXTENSION}"));
        if path.is_file() {
            return Self::from_file(&path, arg.to_owned());
        }
        Err(Error::UnknownQuery {
            name: arg.to_owned(),
            dir: queries_dir.to_owned(),
            available: list_named(queries_dir)?
                .into_iter()
                .map(|q| q.name)
                .collect(),
        })
    }

    /// A query given on the command line.
    pub fn inline(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            name: "<inline query>".to_owned(),
            origin: PathBuf::from("<inline query>"),
            header: Header::parse(&text),
            text,
        }
    }

    fn from_file(path: &Path, name: String) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Self {
            name,
            origin: path.to_owned(),
            header: Header::parse(&text),
            text,
        })
    }

    /// Checks `--param NAME=VALUE` pairs against the header and reads each value as a term.
    ///
    /// Every declared parameter must be given, and only declared ones may be.
    pub fn bind(&self, params: &[(String, String)], prefixes: &Prefixes) -> Result<Vec<Binding>> {
        let mut bindings = Vec::new();
        for (name, value) in params {
            if self.header.param(name).is_none() {
                return Err(Error::UndeclaredParameter {
                    query: self.name.clone(),
                    name: name.clone(),
                    declared: self.header.params.iter().map(|p| p.name.clone()).collect(),
                });
            }
            let variable = Variable::new(name).map_err(|e| Error::BadTerm {
                option: "--param".to_owned(),
                text: name.clone(),
                message: format!("not a SPARQL variable name ({e})"),
            })?;
            let term = parse_term(value, prefixes, &format!("--param {name}"))?;
            bindings.push(Binding { variable, term });
        }
        for param in &self.header.params {
            if !params.iter().any(|(name, _)| *name == param.name) {
                return Err(Error::MissingParameter {
                    query: self.name.clone(),
                    name: param.name.clone(),
                    description: if param.description.is_empty() {
                        "no description".to_owned()
                    } else {
                        param.description.clone()
                    },
                });
            }
        }
        Ok(bindings)
    }
}

/// A parameter's variable and the term bound to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// `?name`.
    pub variable: Variable,
    /// Its value.
    pub term: Term,
}

/// Splits `NAME=VALUE`.
pub fn parse_param_arg(arg: &str) -> Result<(String, String)> {
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| Error::ParamSyntax(arg.to_owned()))?;
    let name = name.trim().trim_start_matches(['?', '$']);
    if name.is_empty() {
        return Err(Error::ParamSyntax(arg.to_owned()));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// The queries in `dir`, by name.
pub fn list_named(dir: &Path) -> Result<Vec<NamedQuery>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut queries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if !path.is_file() || path.extension().is_none_or(|e| e != QUERY_EXTENSION) {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        queries.push(NamedQuery {
            name: name.to_owned(),
            header: Header::parse(&text),
            path,
        });
    }
    queries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(queries)
}

/// How a query sees the case.
#[derive(Debug, Clone, Copy)]
pub struct QueryOptions {
    /// The default graph is the union of every graph (true, the default) or only the store's
    /// default graph. A query's own `FROM` / `FROM NAMED` always wins.
    pub union_default_graph: bool,
    /// Whether `GRAPH ?g` also reaches the ontology graph.
    pub scope: Scope,
}

impl Default for QueryOptions {
    fn default() -> Self {
        Self {
            union_default_graph: true,
            scope: Scope::Case,
        }
    }
}

/// What a query returned, collected.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// SELECT: the projected variables and one row per solution (`None` = unbound).
    Solutions {
        /// The columns.
        variables: Vec<Variable>,
        /// The rows.
        rows: Vec<Vec<Option<Term>>>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT or DESCRIBE.
    Graph(Vec<Triple>),
}

/// Parses and evaluates `query` on `store`, binding `bindings` through Oxigraph's
/// variable substitution (never by editing the query text).
///
/// The case's prefixes are predeclared, so `-e 'SELECT * { ?s a cg:Event }'` works; a `PREFIX`
/// in the query overrides them.
pub fn run(
    store: &CaseStore,
    query: &QueryText,
    bindings: &[Binding],
    options: QueryOptions,
) -> Result<Answer> {
    let mut evaluator = SparqlEvaluator::new();
    for (name, iri) in store.prefixes().iter() {
        evaluator = evaluator
            .with_prefix(name, iri)
            .map_err(|e| Error::Storage(format!("prefix {name}: {e}")))?;
    }
    let mut prepared = evaluator
        .parse_query(&query.text)
        .map_err(|e| sparql_syntax_error(&query.origin, &e.to_string()))?;
    if let Layout::UnionQueries(scope) = store.layout() {
        // The store's own dataset is already what the options ask for; a query with its own
        // FROM / FROM NAMED keeps it.
        if !options.union_default_graph || scope != options.scope {
            return Err(Error::Storage(format!(
                "this store was loaded for queries over the union of the graphs ({}); load it again for these options",
                if scope == Scope::WithOntology { "with the ontology" } else { "without the ontology" }
            )));
        }
    } else if prepared.dataset().is_default_dataset() {
        let dataset = prepared.dataset_mut();
        if options.union_default_graph {
            dataset.set_default_graph(vec![store.merged_graph()?.into()]);
        }
        dataset.set_available_named_graphs(store.named_graphs(options.scope)?);
    }
    for binding in bindings {
        prepared = prepared.substitute_variable(binding.variable.clone(), binding.term.clone());
    }
    let evaluation = |e: &dyn std::fmt::Display| Error::Evaluation {
        query: query.name.clone(),
        message: e.to_string(),
    };
    let results = prepared.on_store(store.store()).execute().map_err(|e| {
        if let oxigraph::sparql::QueryEvaluationError::NotExistingSubstitutedVariable(v) = &e {
            Error::Evaluation {
                query: query.name.clone(),
                message: format!(
                    "parameter {v} must be listed in the SELECT clause to be bound (Oxigraph binds projected variables only)"
                ),
            }
        } else {
            evaluation(&e)
        }
    })?;
    Ok(match results {
        QueryResults::Boolean(value) => Answer::Boolean(value),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(|e| evaluation(&e))?;
                rows.push(variables.iter().map(|v| solution.get(v).cloned()).collect());
            }
            Answer::Solutions { variables, rows }
        }
        QueryResults::Graph(triples) => Answer::Graph(
            triples
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| evaluation(&e))?,
        ),
    })
}

/// Oxigraph's SPARQL parser says "error at 3:5: expected ..."; we say "file:3:5: expected ...".
fn sparql_syntax_error(origin: &Path, message: &str) -> Error {
    let position = message
        .strip_prefix("error at ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(at, rest)| {
            let (line, column) = at.split_once(':')?;
            Some((line.parse().ok()?, column.parse().ok()?, rest))
        });
    match position {
        Some((line, column, rest)) => Error::Syntax {
            path: origin.to_owned(),
            line,
            column,
            message: format!("SPARQL syntax error: {}", shorten(rest)),
        },
        None => Error::SyntaxNoPosition {
            path: origin.to_owned(),
            message: format!("SPARQL syntax error: {}", shorten(message)),
        },
    }
}

/// The parser lists every token it could accept, character classes included; past a line's
/// worth the list helps nobody, so it is cut at a whole item.
fn shorten(message: &str) -> String {
    const LIMIT: usize = 100;
    let message = message.lines().next().unwrap_or_default();
    if message.chars().count() <= LIMIT {
        return message.to_owned();
    }
    let cut: String = message.chars().take(LIMIT).collect();
    let cut = cut.rfind(", ").map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut}, ...")
}
