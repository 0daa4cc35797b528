//! Queries on a store, over the SPARQL 1.1 Protocol, on the dataset an embedded store gives:
//! the case's merge graph as the default graph (or its default graph, with `--no-union`), and
//! each article's graph as a named graph (the ontology's too, with `--with-ontology`).
//!
//! The store's own union default graph is not used: Oxigraph server 0.5 and Virtuoso 7 count a
//! triple held by two graphs twice (bag semantics), so `push` writes the merge, each triple
//! once, as a graph of its own, and every query names it with `FROM`. Queries go as form-encoded
//! POSTs (never `application/sparql-query`, which Virtuoso 7.2 never answers), which every store
//! takes, whatever the query's length.

use crate::error::{Error, Result};
use crate::query::{Evaluation, QueryText, Request};
use crate::rdf::prefixes::Prefixes;
use crate::remote::{bind, Call, Client, RemoteError, QUERY_ENDPOINT};
use crate::store::{Dataset, Scope};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter};
use spargebra::Query;
use std::collections::BTreeMap;
use std::sync::Arc;
use ureq::http::Method;

/// The graphs a case has on a store, all under its namespace (by default the IRI of the case's
/// `case:` prefix): the article graphs as the case names them, and three of casegraph's own.
#[derive(Debug, Clone)]
pub struct Namespace {
    iri: NamedNode,
}

impl Namespace {
    /// The namespace `iri`.
    pub fn new(iri: &str) -> std::result::Result<Self, RemoteError> {
        let node = NamedNode::new(iri).map_err(|e| {
            RemoteError::Push(format!("--namespace {iri}: not an absolute IRI ({e})"))
        })?;
        if !(iri.ends_with('/') || iri.ends_with('#')) {
            return Err(RemoteError::Push(format!(
                "--namespace {iri}: a namespace ends with / or #, so that it cannot be the start of an unrelated IRI"
            )));
        }
        Ok(Self { iri: node })
    }

    /// The namespace of a case: its `case:` prefix.
    pub fn of_case(prefixes: &Prefixes) -> std::result::Result<Self, RemoteError> {
        match prefixes.get("case") {
            Some(iri) => Self::new(iri),
            None => Err(RemoteError::Push(
                "the case declares no `case:` prefix, whose IRI is the namespace of its graphs on a store: give one with --namespace IRI".to_owned(),
            )),
        }
    }

    /// The IRI.
    pub fn as_str(&self) -> &str {
        self.iri.as_str()
    }

    /// Whether `graph` is under the namespace.
    pub fn holds(&self, graph: &str) -> bool {
        graph.starts_with(self.iri.as_str())
    }

    fn own(&self, name: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}graph/{name}", self.iri.as_str()))
    }

    /// The graph holding every triple of the case once: the default graph of queries.
    pub fn merged(&self) -> NamedNode {
        self.own("merged")
    }

    /// The graph holding the case's default graph (the triples its files write outside any
    /// named graph): the default graph of `--no-union` queries.
    pub fn default_graph(&self) -> NamedNode {
        self.own("default")
    }

    /// The graph holding the case's ontology.
    pub fn ontology(&self) -> NamedNode {
        self.own("ontology")
    }

    /// Whether `graph` is one of casegraph's own three graphs, not an article's.
    pub fn is_own(&self, graph: &NamedNode) -> bool {
        *graph == self.merged() || *graph == self.default_graph() || *graph == self.ontology()
    }
}

/// A store's SPARQL query endpoint, for one case.
pub struct Endpoint {
    client: Client,
    url: String,
    namespace: Namespace,
    /// The `Server` header of the store's last answer.
    server: std::sync::Mutex<Option<String>>,
}

impl Endpoint {
    /// The query endpoint at `url`, holding the case whose graphs are under `namespace`.
    pub fn new(
        client: Client,
        url: &str,
        namespace: Namespace,
    ) -> std::result::Result<Self, RemoteError> {
        super::check_url(url)?;
        Ok(Self {
            client,
            url: url.to_owned(),
            namespace,
            server: std::sync::Mutex::new(None),
        })
    }

    /// The HTTP client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The namespace of the case's graphs.
    pub fn namespace(&self) -> &Namespace {
        &self.namespace
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends `query` (SPARQL text) and returns the answer, read as it comes.
    fn send(&self, query: &str, accept: &str) -> std::result::Result<super::Answer, RemoteError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .finish();
        let answer = self.client.send(
            &Call {
                method: Method::POST,
                url: &self.url,
                headers: vec![
                    (
                        "Content-Type",
                        "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
                    ),
                    ("Accept", accept.to_owned()),
                ],
                body: body.as_bytes(),
                // A query writes nothing: sending it twice is safe.
                idempotent: true,
            },
            QUERY_ENDPOINT,
        )?;
        // Virtuoso cuts an answer at its ResultSetMaxRows and says so only in this header,
        // with a 200: a cut answer is not the answer.
        if let Some(limit) = answer
            .headers()
            .get("X-SPARQL-MaxRows")
            .and_then(|v| v.to_str().ok())
        {
            return Err(RemoteError::BadAnswer {
                url: self.url.clone(),
                message: format!(
                    "the store cut its answer at {limit} rows (X-SPARQL-MaxRows): the answer is incomplete; raise the limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini) or narrow the query"
                ),
            });
        }
        let server = answer
            .headers()
            .get("Server")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        *self.server.lock().unwrap_or_else(|e| e.into_inner()) = server;
        Ok(answer)
    }

    /// The `Server` header of the store's last answer to a query.
    pub fn server(&self) -> Option<String> {
        self.server
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether the store is `casegraph serve`, whose own dataset is the embedded one.
    fn is_casegraph_serve(&self) -> bool {
        self.server().is_some_and(|s| s.starts_with("casegraph/"))
    }

    /// The `FROM` and `FROM NAMED` graphs that give a query `dataset` on the store, or `None`
    /// for the store's own dataset (`casegraph serve`'s is already the embedded one).
    fn dataset_for(
        &self,
        dataset: Dataset,
        name: &str,
    ) -> Result<Option<(Vec<NamedNode>, Vec<NamedNode>)>> {
        let graphs = self.graph_counts()?;
        if self.is_casegraph_serve() {
            if dataset != Dataset::default() {
                return Err(Error::Evaluation {
                    query: name.to_owned(),
                    message: format!(
                        "{} is casegraph serve, which answers on the case's own dataset only: --no-union and --with-ontology need the case pushed to a store",
                        self.url
                    ),
                });
            }
            return Ok(None);
        }
        let default = if dataset.union_default_graph {
            self.namespace.merged()
        } else {
            self.namespace.default_graph()
        };
        if !graphs.contains_key(&self.namespace.merged()) {
            return Err(RemoteError::Push(format!(
                "{}: the store has no graph {} (the case's merge, which queries read as their default graph): push the case first (casegraph push), or give the --namespace it was pushed under",
                self.url,
                self.namespace.merged()
            ))
            .into());
        }
        let mut named: Vec<NamedNode> = graphs
            .into_keys()
            .filter(|g| !self.namespace.is_own(g))
            .collect();
        if dataset.scope == Scope::WithOntology {
            named.push(self.namespace.ontology());
        }
        Ok(Some((vec![default], named)))
    }

    /// The rows of a SELECT query of casegraph's own.
    fn select(&self, query: &str) -> std::result::Result<Vec<Vec<Option<Term>>>, RemoteError> {
        let answer = self.send(query, SOLUTIONS_ACCEPT)?;
        match read_results(&self.url, answer)? {
            QueryResults::Solutions(solutions) => solutions
                .map(|row| {
                    row.map(|s| s.values().to_vec())
                        .map_err(|e| self.bad_answer(e.to_string()))
                })
                .collect(),
            _ => Err(self.bad_answer("expected solutions".to_owned())),
        }
    }

    fn bad_answer(&self, message: String) -> RemoteError {
        RemoteError::BadAnswer {
            url: self.url.clone(),
            message,
        }
    }

    /// The graphs under the case's namespace on the store, with their triple counts.
    pub fn graph_counts(&self) -> std::result::Result<BTreeMap<NamedNode, u64>, RemoteError> {
        // The namespace is written as a literal by Oxigraph's serialiser, which escapes it.
        let query = format!(
            "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {})) }} GROUP BY ?g",
            Literal::new_simple_literal(self.namespace.as_str())
        );
        let mut counts = BTreeMap::new();
        for row in self.select(&query)? {
            let (Some(Some(Term::NamedNode(graph))), Some(Some(Term::Literal(n)))) =
                (row.first(), row.get(1))
            else {
                continue;
            };
            let n = n
                .value()
                .parse()
                .map_err(|_| self.bad_answer(format!("count of <{graph}> is not a number: {n}")))?;
            counts.insert(graph.clone(), n);
        }
        Ok(counts)
    }

    /// Starts evaluating `request` on the store, over `dataset` (see the module's
    /// documentation). The same checks as on an embedded store come first: syntax (with the
    /// case's prefixes), depth, SERVICE, parameters.
    pub fn evaluate(
        &self,
        request: &Request,
        prefixes: &Prefixes,
        dataset: Dataset,
    ) -> Result<Evaluation> {
        let text = &request.text;
        let mut query = prepare(text, prefixes, request.options.allow_service)?;
        let bindings = text.bind(&request.params, prefixes)?;
        bind::bind(&mut query, &bindings, &text.name)?;
        if let Some((default, named)) = self.dataset_for(dataset, &text.name)? {
            bind::set_dataset(&mut query, default, named);
        }
        let accept = match query {
            Query::Select { .. } | Query::Ask { .. } => SOLUTIONS_ACCEPT,
            Query::Construct { .. } | Query::Describe { .. } => GRAPH_ACCEPT,
        };
        let answer = self
            .send(&query.to_string(), accept)
            .map_err(|e| in_query(text, e))?;
        let results = read_results(&self.url, answer).map_err(|e| in_query(text, e))?;
        Evaluation::from_results(&text.name, results, request.options.timeout)
    }
}

/// `term` in its canonical form where a store writes another lexical form of the same value:
/// Virtuoso keeps booleans as integers and answers `"1"^^xsd:boolean` for `true`.
fn canonical(term: Term) -> Term {
    match &term {
        Term::Literal(literal) if literal.datatype() == xsd::BOOLEAN => match literal.value() {
            "1" => Literal::from(true).into(),
            "0" => Literal::from(false).into(),
            _ => term,
        },
        _ => term,
    }
}

/// What a query asks a store to answer in: the W3C results formats that keep term types.
const SOLUTIONS_ACCEPT: &str =
    "application/sparql-results+json, application/sparql-results+xml;q=0.9";
/// What a CONSTRUCT or DESCRIBE asks for.
const GRAPH_ACCEPT: &str =
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.5";

/// A store's error, as an error of the query that caused it.
fn in_query(text: &QueryText, error: RemoteError) -> Error {
    match error {
        RemoteError::Rejected {
            status: 400,
            message,
            ..
        } => Error::Evaluation {
            query: text.name.clone(),
            message: format!("the store refused the query: {message}"),
        },
        other => other.into(),
    }
}

/// Parses `text` as an embedded store would, with the same refusals.
fn prepare(text: &QueryText, prefixes: &Prefixes, allow_service: bool) -> Result<Query> {
    let (parsed, found) = crate::query::parse_checked(text, prefixes)?;
    if let (Some(service), false) = (found.service, allow_service) {
        return Err(Error::ServiceRefused {
            query: text.name.clone(),
            service,
        });
    }
    Ok(parsed)
}

/// The store's answer, parsed by its content type as it is read.
fn read_results(
    url: &str,
    answer: super::Answer,
) -> std::result::Result<QueryResults<'static>, RemoteError> {
    let media_type = super::content_type(&answer);
    let bad = |message: String| RemoteError::BadAnswer {
        url: url.to_owned(),
        message,
    };
    let reader = answer.into_body().into_reader();
    if let Some(format) = QueryResultsFormat::from_media_type(&media_type) {
        if matches!(format, QueryResultsFormat::Csv) {
            return Err(bad(
                "the store answered CSV, which loses the terms' kinds; it was asked for JSON or XML".to_owned(),
            ));
        }
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(reader)
            .map_err(|e| bad(e.to_string()))?;
        return Ok(match parsed {
            ReaderQueryResultsParserOutput::Boolean(value) => QueryResults::Boolean(value),
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables: Arc<[_]> = solutions.variables().into();
                let url = url.to_owned();
                QueryResults::Solutions(QuerySolutionIter::from_tuples(
                    variables,
                    solutions.map(move |row| {
                        row.map(|s| {
                            s.values()
                                .iter()
                                .cloned()
                                .map(|t| t.map(canonical))
                                .collect()
                        })
                        .map_err(|e| {
                            QueryEvaluationError::Unexpected(
                                format!("{url}: cannot read the store's answer: {e}").into(),
                            )
                        })
                    }),
                ))
            }
        });
    }
    if let Some(format) = RdfFormat::from_media_type(&media_type) {
        let url = url.to_owned();
        let quads = RdfParser::from_format(format).for_reader(reader);
        return Ok(QueryResults::Graph(QueryTripleIter::new(quads.map(
            move |quad| {
                quad.map(|q| {
                    let triple = Triple::from(q);
                    Triple::new(triple.subject, triple.predicate, canonical(triple.object))
                })
                .map_err(|e| {
                    QueryEvaluationError::Unexpected(
                        format!("{url}: cannot read the store's answer: {e}").into(),
                    )
                })
            },
        ))));
    }
    Err(bad(format!(
        "unexpected content type `{media_type}` (asked for SPARQL results or RDF)"
    )))
}
