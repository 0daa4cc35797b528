//! Named queries, their parameters, and evaluation against a loaded case.

pub mod header;
pub mod inspect;
pub mod limits;
pub mod results;
pub mod syntax;
pub mod table;

use crate::case::parse::one_line;
use crate::error::{Error, Result};
use crate::rdf::prefixes::Prefixes;
use crate::rdf::term::parse_term;
use crate::store::{CaseStore, Reads};
use header::Header;
use limits::{Deadline, TimeLimit};
use oxigraph::model::{NamedNode, Term, Triple, Variable};
use oxigraph::sparql::{
    CancellationToken, DefaultServiceHandler, QueryEvaluationError, QueryResults, QuerySolution,
    QuerySolutionIter, QueryTripleIter, SparqlEvaluator,
};
use std::path::{Path, PathBuf};

/// The deepest a parsed query's algebra may nest (see [`inspect::inspect`]). The lexical limits
/// of [`syntax`] keep most text below it; this catches what they cannot see, such as a long
/// run of `{...} {...}` groups, which the parser joins one inside the other.
pub const MAX_ALGEBRA_DEPTH: usize = 256;

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
    /// The SPARQL text, as read when the folder was listed.
    #[serde(skip)]
    pub text: String,
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
        let text = without_bom(text.into());
        Self {
            name: "<inline query>".to_owned(),
            origin: PathBuf::from("<inline query>"),
            header: Header::parse(&text),
            text,
        }
    }

    fn from_file(path: &Path, name: String) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let text = without_bom(text);
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
        self.bind_as(params, prefixes, "--param")
    }

    /// [`QueryText::bind`], with messages that call a parameter `what NAME` (`--param company`
    /// on the command line, `parameter company` over HTTP).
    pub fn bind_as(
        &self,
        params: &[(String, String)],
        prefixes: &Prefixes,
        what: &str,
    ) -> Result<Vec<Binding>> {
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
                option: what.to_owned(),
                text: name.clone(),
                message: format!("not a SPARQL variable name ({e})"),
            })?;
            let term = parse_term(value, prefixes, &format!("{what} {name}"))?;
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

/// SPARQL text may start with a UTF-8 byte order mark; the parser would take it for a token.
/// Columns on line 1 then count from the first character after it, as an editor shows them.
fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
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
            text,
        });
    }
    queries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(queries)
}

impl NamedQuery {
    /// The classes and properties the query reads (see [`inspect::Inspection`]), as full IRIs,
    /// with the prefixes the query declares ([`syntax::declared_prefixes`], to write them short).
    /// The query is parsed with its own `PREFIX` lines and the well-known prefixes: a name from the case's prefixes that it
    /// does not declare is a syntax error here.
    pub fn reads(&self) -> Result<(inspect::Inspection, Prefixes)> {
        let text = &self.text;
        let parsed = syntax::parse(&self.path, text, &Prefixes::well_known())?;
        let mut prefixes = Prefixes::well_known();
        for (name, iri) in syntax::declared_prefixes(text) {
            prefixes.add(&name, &iri);
        }
        Ok((inspect::inspect(&parsed), prefixes))
    }
}

/// How a query runs. What it sees of the case (its default graph, the graphs `GRAPH ?g`
/// reaches) is the store's [`crate::store::Dataset`], given once when the store was loaded; a
/// query's own `FROM` / `FROM NAMED` always wins.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Cancel the query when it runs longer than this, results included (`None`: no limit, what
    /// the command line does by default; a server should set one).
    pub timeout: Option<TimeLimit>,
    /// Let `SERVICE` send requests to other servers. Off, a query that names a SERVICE
    /// anywhere (SILENT, in a subquery, in EXISTS) is refused before it runs.
    pub allow_service: bool,
    /// The dataset a SPARQL Protocol request names (`default-graph-uri`, `named-graph-uri`):
    /// when given, it replaces the store's dataset and the query's own FROM / FROM NAMED.
    pub dataset: Option<ProtocolDataset>,
}

/// The RDF dataset of a SPARQL Protocol request: the graphs merged into its default graph, and
/// the named graphs `GRAPH ?g` reaches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolDataset {
    /// `default-graph-uri` values.
    pub default_graphs: Vec<NamedNode>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<NamedNode>,
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

/// A query's answer as it is computed: solutions and triples come one at a time, so a caller
/// can write each as it comes instead of holding them all. The time limit, if any, runs until
/// this is dropped.
pub enum Evaluation {
    /// SELECT.
    Solutions(Solutions),
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT or DESCRIBE.
    Graph(Triples),
}

impl Evaluation {
    /// An answer computed elsewhere (a store's, over the SPARQL Protocol), read as it arrives.
    /// With `timeout`, reading it fails once the limit has passed, as on an embedded store.
    pub fn from_results(
        query: &str,
        results: QueryResults<'static>,
        timeout: Option<TimeLimit>,
    ) -> Result<Self> {
        let token = CancellationToken::new();
        let deadline = match timeout {
            Some(limit) => {
                Some(Deadline::start(limit.duration(), token.clone()).map_err(Error::Timer)?)
            }
            None => None,
        };
        let watch = Watch {
            query: query.to_owned(),
            service: None,
            limit: timeout,
            token,
            _deadline: deadline,
        };
        Ok(Self::watched(results, watch))
    }

    fn watched(results: QueryResults<'static>, watch: Watch) -> Self {
        match results {
            QueryResults::Boolean(value) => Self::Boolean(value),
            QueryResults::Solutions(solutions) => Self::Solutions(Solutions {
                variables: solutions.variables().to_vec(),
                inner: solutions,
                watch,
            }),
            QueryResults::Graph(triples) => Self::Graph(Triples {
                inner: triples,
                watch,
            }),
        }
    }
}

/// What watches a running query: its name for messages, and the time limit's timer.
struct Watch {
    query: String,
    /// The first SERVICE the query calls, to name in a failed request's message.
    service: Option<String>,
    limit: Option<TimeLimit>,
    token: CancellationToken,
    // Dropped with the iterator it watches, which stops the timer thread.
    _deadline: Option<Deadline>,
}

impl Watch {
    /// The time-limit error, once the timer has cancelled the query.
    fn cancelled(&self) -> Option<Error> {
        self.token
            .is_cancelled()
            .then(|| self.error(&QueryEvaluationError::Cancelled))
    }

    fn error(&self, error: &QueryEvaluationError) -> Error {
        match (error, self.limit) {
            (QueryEvaluationError::Cancelled, Some(limit)) if self.token.is_cancelled() => {
                Error::TimedOut {
                    query: self.query.clone(),
                    limit,
                }
            }
            (QueryEvaluationError::NotExistingSubstitutedVariable(v), _) => Error::Evaluation {
                query: self.query.clone(),
                message: format!(
                    "parameter {v} must be listed in the SELECT clause to be bound (Oxigraph binds projected variables only)"
                ),
            },
            (QueryEvaluationError::Service(e), _) => Error::Evaluation {
                query: self.query.clone(),
                message: one_line(&match &self.service {
                    Some(service) => format!("SERVICE {service}: {e}"),
                    None => format!("SERVICE: {e}"),
                }),
            },
            _ => Error::Evaluation {
                query: self.query.clone(),
                message: one_line(&error.to_string()),
            },
        }
    }
}

/// A SELECT query's solutions, one row at a time, in the order of [`Solutions::variables`].
pub struct Solutions {
    variables: Vec<Variable>,
    inner: QuerySolutionIter<'static>,
    watch: Watch,
}

impl Solutions {
    /// The columns.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The next solution as Oxigraph gives it, its values in the order of
    /// [`Solutions::variables`]: what a writer of results reads without copying every term.
    pub fn next_solution(&mut self) -> Option<Result<QuerySolution>> {
        // Oxigraph checks the token when it reads the store, but a join can hand out millions
        // of rows from memory between two reads: the rows' reader checks it too.
        if let Some(error) = self.watch.cancelled() {
            return Some(Err(error));
        }
        Some(self.inner.next()?.map_err(|e| self.watch.error(&e)))
    }
}

impl Iterator for Solutions {
    type Item = Result<Vec<Option<Term>>>;

    fn next(&mut self) -> Option<Self::Item> {
        let solution = match self.next_solution()? {
            Ok(solution) => solution,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(self
            .variables
            .iter()
            .map(|v| solution.get(v).cloned())
            .collect()))
    }
}

/// A CONSTRUCT or DESCRIBE query's triples, one at a time.
pub struct Triples {
    inner: QueryTripleIter<'static>,
    watch: Watch,
}

impl Iterator for Triples {
    type Item = Result<Triple>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.watch.cancelled() {
            return Some(Err(error));
        }
        Some(self.inner.next()?.map_err(|e| self.watch.error(&e)))
    }
}

/// The service handler used when federation is off. [`evaluate`] refuses a query with a
/// SERVICE before it runs; this makes sure that nothing it missed reaches the network either
/// (Oxigraph's default handler makes HTTP requests).
struct NoFederation;

/// The error [`NoFederation`] gives.
#[derive(Debug, thiserror::Error)]
#[error("SERVICE {0} refused: federation is off (--allow-service turns it on)")]
struct FederationOff(String);

impl DefaultServiceHandler for NoFederation {
    type Error = FederationOff;

    fn handle(
        &self,
        service_name: &NamedNode,
        _pattern: &spargebra::algebra::GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, FederationOff> {
        Err(FederationOff(service_name.to_string()))
    }
}

/// A query as a command asks for it: the text, its parameters as given, and how it runs. The
/// one call a command makes to have a query answered ([`Request::evaluate`], or
/// [`Request::run`] for the answer collected).
#[derive(Debug, Clone)]
pub struct Request {
    /// The query.
    pub text: QueryText,
    /// `(name, term)` pairs, each term in Turtle syntax with the case's prefixes
    /// ([`parse_param_arg`] reads `name=term`).
    pub params: Vec<(String, String)>,
    /// Time limit and federation.
    pub options: QueryOptions,
}

impl Request {
    /// Binds the parameters (each checked against the query's header and read with the store's
    /// prefixes), then starts evaluating the query on `store` ([`evaluate`]).
    pub fn evaluate(&self, store: &CaseStore) -> Result<Evaluation> {
        let bindings = self.text.bind(&self.params, store.prefixes())?;
        evaluate(store, &self.text, &bindings, self.options.clone())
    }

    /// Which graphs the query reads, from its text, before any case is loaded: what
    /// [`CaseStore::load_for`] needs to load for it. A SPARQL Protocol dataset
    /// ([`QueryOptions::dataset`]) is made of named graphs. See [`graphs_read`].
    pub fn reads(&self) -> Reads {
        match self.options.dataset {
            Some(_) => Reads::NAMED_GRAPHS,
            None => graphs_read(&self.text),
        }
    }

    /// [`Request::evaluate`], with the answer collected.
    pub fn run(&self, store: &CaseStore) -> Result<Answer> {
        let bindings = self.text.bind(&self.params, store.prefixes())?;
        run(store, &self.text, &bindings, self.options.clone())
    }

    /// The triples of a CONSTRUCT or DESCRIBE query; a SELECT or ASK query is an error.
    pub fn graph(&self, store: &CaseStore) -> Result<Vec<Triple>> {
        match self.run(store)? {
            Answer::Graph(triples) => Ok(triples),
            Answer::Solutions { .. } | Answer::Boolean(_) => Err(Error::NotAGraphQuery {
                query: self.text.name.clone(),
            }),
        }
    }
}

/// Parses and evaluates `query` on `store`, binding `bindings` through Oxigraph's
/// variable substitution (never by editing the query text), and collects the answer.
///
/// The case's prefixes are predeclared, so `-e 'SELECT * { ?s a cg:Event }'` works; a `PREFIX`
/// in the query overrides them. See [`evaluate`] for the checks made before it runs.
pub fn run(
    store: &CaseStore,
    query: &QueryText,
    bindings: &[Binding],
    options: QueryOptions,
) -> Result<Answer> {
    Ok(match evaluate(store, query, bindings, options)? {
        Evaluation::Boolean(value) => Answer::Boolean(value),
        Evaluation::Solutions(solutions) => Answer::Solutions {
            variables: solutions.variables().to_vec(),
            rows: solutions.collect::<Result<_>>()?,
        },
        Evaluation::Graph(triples) => Answer::Graph(triples.collect::<Result<_>>()?),
    })
}

/// Which graphs `query` reads ([`inspect::Inspection::reads`]), found before the case is loaded.
///
/// The case's prefixes come from its files, so the query is parsed with the well-known prefixes
/// and every other prefix it uses bound to a placeholder IRI: which graphs a query reads does
/// not depend on the IRIs it names. A query that does not parse this way reads every graph:
/// [`evaluate`] then reports its error, with the case's prefixes, as it always has.
pub fn graphs_read(query: &QueryText) -> Reads {
    let mut prefixes = Prefixes::well_known();
    for name in syntax::used_prefixes(&query.text) {
        if prefixes.get(&name).is_none() {
            prefixes.add(&name, &format!("urn:casegraph:placeholder:{name}:"));
        }
    }
    parse_checked(query, &prefixes).map_or(Reads::ALL, |(_, found)| found.reads)
}

/// Parses `query` and starts evaluating it on `store`; the answer comes as it is computed.
///
/// Before anything runs: text nested too deeply to parse safely is refused (see [`syntax`]),
/// syntax errors say what is wrong in words, a query with a SERVICE is refused unless
/// `options.allow_service`, and one whose algebra nests deeper than [`MAX_ALGEBRA_DEPTH`] is
/// refused, and so is one that reads graphs the store was loaded without ([`CaseStore::load_for`]).
/// With `options.timeout`, the query is cancelled when the limit passes, whether it
/// is still computing or its results are still being read.
pub fn evaluate(
    store: &CaseStore,
    query: &QueryText,
    bindings: &[Binding],
    options: QueryOptions,
) -> Result<Evaluation> {
    evaluate_parsed(store, Parsed::new(query, store)?, bindings, options)
}

/// A query parsed and checked against a store's prefixes, ready to evaluate, as many times as
/// needed: a server asked the same query again need not parse it again (for a small query,
/// parsing costs as much as evaluating).
#[derive(Debug, Clone)]
pub struct Parsed {
    name: String,
    query: spargebra::Query,
    found: inspect::Inspection,
}

impl Parsed {
    /// `query` parsed with the prefixes of `store` (see [`parse_checked`]).
    pub fn new(query: &QueryText, store: &CaseStore) -> Result<Self> {
        let (parsed, found) = parse_checked(query, store.prefixes())?;
        Ok(Self {
            name: query.name.clone(),
            query: parsed,
            found,
        })
    }

    /// The query's name, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// [`evaluate`] for a query already parsed (with the prefixes of this `store`).
pub fn evaluate_parsed(
    store: &CaseStore,
    query: Parsed,
    bindings: &[Binding],
    options: QueryOptions,
) -> Result<Evaluation> {
    let Parsed {
        name,
        query: parsed,
        found,
    } = query;
    let reads = match options.dataset {
        Some(_) => Reads::NAMED_GRAPHS,
        None => found.reads,
    };
    let layout = store.layout();
    if let Some(reads) = layout.lacks(reads) {
        return Err(Error::NotLoadedFor {
            what: format!("query `{name}`"),
            reads,
            layout,
        });
    }
    let mut evaluator = SparqlEvaluator::new();
    match (&found.service, options.allow_service) {
        (Some(service), false) => {
            return Err(Error::ServiceRefused {
                query: name.clone(),
                service: service.clone(),
            })
        }
        (_, false) => evaluator = evaluator.with_default_service_handler(NoFederation),
        (_, true) => {
            if let Some(limit) = options.timeout {
                evaluator = evaluator.with_http_timeout(limit.duration());
            }
        }
    }
    let token = CancellationToken::new();
    evaluator = evaluator.with_cancellation_token(token.clone());
    let mut prepared = evaluator.for_query(parsed);
    // A store laid out for union queries holds its dataset as its own default graph and named
    // graphs; on another, the dataset is named. A query with its own FROM / FROM NAMED keeps it.
    let uses_own_layout = layout.holds_dataset();
    if let Some(asked) = &options.dataset {
        let dataset = prepared.dataset_mut();
        dataset.set_default_graph(
            asked
                .default_graphs
                .iter()
                .map(|g| g.clone().into())
                .collect(),
        );
        dataset.set_available_named_graphs(
            asked
                .named_graphs
                .iter()
                .map(|g| g.clone().into())
                .collect(),
        );
    } else if !uses_own_layout && prepared.dataset().is_default_dataset() {
        let wanted = store.dataset();
        let dataset = prepared.dataset_mut();
        if wanted.union_default_graph {
            dataset.set_default_graph(vec![store.merged_graph()?.into()]);
        }
        dataset.set_available_named_graphs(store.named_graphs(wanted.scope)?);
    }
    for binding in bindings {
        prepared = prepared.substitute_variable(binding.variable.clone(), binding.term.clone());
    }
    // The timer starts before evaluation: some queries do all their work before the first
    // result.
    let deadline = match options.timeout {
        Some(limit) => {
            Some(Deadline::start(limit.duration(), token.clone()).map_err(Error::Timer)?)
        }
        None => None,
    };
    let watch = Watch {
        query: name,
        service: found.service,
        limit: options.timeout,
        token,
        _deadline: deadline,
    };
    let results = prepared
        .on_store(store.store())
        .execute()
        .map_err(|e| watch.error(&e))?;
    Ok(Evaluation::watched(results, watch))
}

/// Parses `query` with `prefixes` predeclared, refusing text nested too deeply to parse safely
/// (see [`syntax`]) and algebra deeper than [`MAX_ALGEBRA_DEPTH`]; returns what the query reads
/// and calls too.
pub fn parse_checked(
    query: &QueryText,
    prefixes: &Prefixes,
) -> Result<(spargebra::Query, inspect::Inspection)> {
    let parsed = syntax::parse(&query.origin, &query.text, prefixes)?;
    let found = inspect::inspect(&parsed);
    if found.depth > MAX_ALGEBRA_DEPTH {
        return Err(Error::TooDeep {
            query: query.name.clone(),
            depth: found.depth,
            limit: MAX_ALGEBRA_DEPTH,
        });
    }
    Ok((parsed, found))
}

/// Oxigraph's SPARQL parser says "error at 3:5: expected ..."; we say "file:3:5: expected ...".
pub(crate) fn sparql_syntax_error(origin: &Path, message: &str) -> Error {
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
