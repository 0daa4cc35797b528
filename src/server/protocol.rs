//! Routing, and the machine-facing protocols: SPARQL 1.1 Protocol at `/sparql`, the read side
//! of the Graph Store Protocol at `/store`, the named queries at `/queries`.
//!
//! A request that cannot be answered is refused with its response as early as possible, so
//! helpers return `Result<_, Response<Body>>`: one per request, its size does not matter.
#![allow(clippy::result_large_err)]

use super::answer::{self, Asked};
use super::negotiate::{negotiate, prefers_html};
use super::pages::{Links, Page};
use super::{media_types, text, Endpoint};
use crate::error::Error;
use crate::export::GraphFormat;
use crate::format::Format;
use crate::query::header::Header;
use crate::query::results::ResultsFormat;
use crate::query::{self, ProtocolDataset, QueryText};
use crate::rdf::prefixes::Prefixes;
use crate::store::CaseStore;
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

/// The results formats offered for SELECT and ASK, the default first.
pub(super) const RESULTS_FORMATS: &[ResultsFormat] = &[
    ResultsFormat::Json,
    ResultsFormat::Xml,
    ResultsFormat::Csv,
    ResultsFormat::Tsv,
];

/// The RDF formats offered for graphs, the default first.
pub(super) const RDF_FORMATS: &[GraphFormat] = &[
    GraphFormat::Turtle,
    GraphFormat::NTriples,
    GraphFormat::RdfXml,
    GraphFormat::JsonLd,
    GraphFormat::TriG,
    GraphFormat::NQuads,
];

/// How the answer to a read-only refusal reads.
const READ_ONLY: &str =
    "casegraph serve is read-only: it answers queries and never changes the case";

/// Answers `request`.
pub(super) fn route(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > endpoint.options.max_url {
        return text(
            StatusCode::URI_TOO_LONG,
            format!(
                "the request target is {target} bytes; this server reads at most {} (send a long query with POST)",
                endpoint.options.max_url
            ),
        );
    }
    let path = request.uri().path().to_owned();
    let head = request.method() == Method::HEAD;
    let mut response = match (request.method().clone(), path.as_str()) {
        (Method::OPTIONS, _) => Response::builder()
            .status(StatusCode::NO_CONTENT)
            .header("allow", allowed(&path))
            .body(Body::empty())
            .expect("a valid response"),
        (Method::GET | Method::HEAD, "/sparql") => {
            sparql_get(endpoint, request, &parameters(request.uri().query()))
        }
        (Method::POST, "/sparql") => sparql_post(endpoint, request),
        (Method::GET | Method::HEAD, "/store") => graph_store(endpoint, request),
        (Method::GET | Method::HEAD, "/queries") => list_queries(endpoint, request),
        (Method::GET | Method::HEAD, p) if p.starts_with("/queries/") => {
            named_query(endpoint, request, &p["/queries/".len()..])
        }
        (Method::GET | Method::HEAD, _) => page(endpoint, request, &path),
        (Method::PUT | Method::DELETE | Method::PATCH | Method::POST, "/store") => {
            refusal(StatusCode::FORBIDDEN, &path)
        }
        _ => refusal(StatusCode::METHOD_NOT_ALLOWED, &path),
    };
    if head {
        *response.body_mut() = Body::empty();
    }
    response
}

/// The methods a path answers.
fn allowed(path: &str) -> &'static str {
    if path == "/sparql" {
        "GET, HEAD, POST, OPTIONS"
    } else {
        "GET, HEAD, OPTIONS"
    }
}

fn refusal(status: StatusCode, path: &str) -> Response<Body> {
    let mut response = text(status, READ_ONLY);
    response.headers_mut().insert(
        "allow",
        oxhttp::model::HeaderValue::from_static(allowed(path)),
    );
    response
}

/// The `name=value` pairs of a query string or a form body (undecodable bytes become U+FFFD,
/// as form decoding has it).
fn parameters(encoded: Option<&str>) -> Vec<(String, String)> {
    encoded.map_or_else(Vec::new, |encoded| {
        form_urlencoded::parse(encoded.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    })
}

/// The request's `Accept` header.
fn accept(request: &Request<Body>) -> Option<String> {
    request
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reads the request body, at most `max_body` bytes.
fn body(endpoint: &Endpoint, request: &mut Request<Body>) -> Result<Vec<u8>, Response<Body>> {
    let limit = endpoint.options.max_body;
    let too_large = || {
        text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than this server reads ({limit} bytes)"),
        )
    };
    if request.body().len().is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    match request
        .body_mut()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
    {
        Ok(_) if bytes.len() > limit => Err(too_large()),
        Ok(_) => Ok(bytes),
        Err(e) => Err(text(
            StatusCode::BAD_REQUEST,
            format!("cannot read the request body: {e}"),
        )),
    }
}

fn sparql_get(
    endpoint: &Endpoint,
    request: &Request<Body>,
    params: &[(String, String)],
) -> Response<Body> {
    // `format=csv` (a results or RDF format's name) stands for the Accept header: what a
    // download link can say, since a link cannot set headers.
    let accept = match params.iter().find(|(k, _)| k == "format") {
        None => accept(request),
        Some((_, name)) => match ResultsFormat::from_name(name)
            .map(Format::media_type)
            .or_else(|| GraphFormat::from_name(name).map(Format::media_type))
        {
            Some(media_type) => Some(media_type.to_owned()),
            None => {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!("format `{name}` is not one this server writes; give one of json, xml, csv, tsv, or an RDF format such as turtle"),
                )
            }
        },
    };
    if params.iter().any(|(k, _)| k == "update") {
        return text(StatusCode::FORBIDDEN, READ_ONLY);
    }
    let queries: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k == "query")
        .map(|(_, v)| v.as_str())
        .collect();
    let offered_html = prefers_html(accept.as_deref(), RESULTS_FORMATS);
    match queries.as_slice() {
        [] if offered_html => page_response(endpoint, Page::Query { text: None }),
        [] => service_description(
            endpoint,
            accept.as_deref(),
            request
                .headers()
                .get("host")
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned),
        ),
        [text] if offered_html => page_response(
            endpoint,
            Page::Query {
                text: Some((*text).to_owned()),
            },
        ),
        [query_text] => match dataset(params) {
            Ok(dataset) => run(
                endpoint,
                protocol_query(query_text),
                Vec::new(),
                dataset,
                accept,
            ),
            Err(response) => response,
        },
        _ => self::text(
            StatusCode::BAD_REQUEST,
            "give the query once: the request has several `query` parameters",
        ),
    }
}

fn sparql_post(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let content_type = crate::format::media_type_of(
        request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
    );
    let url_params = parameters(request.uri().query());
    match content_type.as_str() {
        "application/sparql-update" => return text(StatusCode::FORBIDDEN, READ_ONLY),
        "application/sparql-query" | "application/x-www-form-urlencoded" => {}
        "" => {
            return text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "a POSTed query needs a Content-Type: application/sparql-query or application/x-www-form-urlencoded",
            )
        }
        other => {
            return text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Content-Type {other} is not a SPARQL query; send application/sparql-query or application/x-www-form-urlencoded"),
            )
        }
    }
    let bytes = match body(endpoint, request) {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let Ok(body_text) = String::from_utf8(bytes) else {
        return text(StatusCode::BAD_REQUEST, "the request body is not UTF-8");
    };
    if content_type == "application/sparql-query" {
        return match dataset(&url_params) {
            Ok(dataset) => run(
                endpoint,
                protocol_query(&body_text),
                Vec::new(),
                dataset,
                accept(request),
            ),
            Err(response) => response,
        };
    }
    let mut params = url_params;
    params.extend(parameters(Some(&body_text)));
    sparql_get(endpoint, request, &params)
}

/// The protocol's dataset parameters, `None` when the request names none.
fn dataset(params: &[(String, String)]) -> Result<Option<ProtocolDataset>, Response<Body>> {
    let mut asked = ProtocolDataset::default();
    for (name, value) in params {
        let graphs = match name.as_str() {
            "default-graph-uri" => &mut asked.default_graphs,
            "named-graph-uri" => &mut asked.named_graphs,
            _ => continue,
        };
        match NamedNode::new(value) {
            Ok(iri) => graphs.push(iri),
            Err(e) => {
                return Err(text(
                    StatusCode::BAD_REQUEST,
                    format!("{name} `{value}` is not an absolute IRI: {e}"),
                ))
            }
        }
    }
    Ok((asked != ProtocolDataset::default()).then_some(asked))
}

/// A query that came over the protocol: errors point into "query".
fn protocol_query(text: &str) -> QueryText {
    let mut query = QueryText::inline(text);
    query.name = "the query".to_owned();
    query.origin = PathBuf::from("query");
    query
}

fn list_queries(endpoint: &Endpoint, request: &Request<Body>) -> Response<Body> {
    let accept = accept(request);
    if prefers_html(accept.as_deref(), &[Json]) {
        return page_response(endpoint, Page::Queries);
    }
    if negotiate(accept.as_deref(), &[Json]).is_none() {
        return not_acceptable(&[Json]);
    }
    #[derive(serde::Serialize)]
    struct Listed<'a> {
        name: &'a str,
        url: String,
        #[serde(flatten)]
        header: &'a Header,
    }
    let listed: Vec<Listed<'_>> = endpoint
        .queries
        .iter()
        .map(|q| Listed {
            name: &q.name,
            url: format!("/queries/{}", q.name),
            header: &q.header,
        })
        .collect();
    let mut json = serde_json::to_vec_pretty(&listed).expect("serialisable");
    json.push(b'\n');
    whole(StatusCode::OK, Json.media_type(), json)
}

fn named_query(endpoint: &Endpoint, request: &Request<Body>, name: &str) -> Response<Body> {
    // A file name may hold characters a path must percent-encode (a space, say).
    let Ok(decoded) = percent_encoding::percent_decode_str(name).decode_utf8() else {
        return text(StatusCode::BAD_REQUEST, "the query name is not UTF-8");
    };
    let name = decoded.as_ref();
    let Some(named) = endpoint.queries.iter().find(|q| q.name == name) else {
        return text(
            StatusCode::NOT_FOUND,
            format!(
                "no query named `{name}`; the list is at /queries ({})",
                endpoint
                    .queries
                    .iter()
                    .map(|q| q.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    };
    let params = parameters(request.uri().query());
    let accept = accept(request);
    if prefers_html(accept.as_deref(), RESULTS_FORMATS) {
        return page_response(
            endpoint,
            Page::NamedQuery {
                name: name.to_owned(),
                params,
            },
        );
    }
    let text = match QueryText::resolve(
        named.path.parent().unwrap_or(named.path.as_path()),
        &named.name,
    ) {
        Ok(text) => text,
        Err(e) => return error_response(&e),
    };
    let bindings = match text.bind_as(&params, endpoint.store.prefixes(), "parameter") {
        Ok(bindings) => bindings,
        Err(e) => return error_response(&e),
    };
    run(endpoint, text, bindings, None, accept)
}

/// Runs a query and answers with its results (see [`answer`]).
fn run(
    endpoint: &Endpoint,
    text: QueryText,
    bindings: Vec<query::Binding>,
    dataset: Option<ProtocolDataset>,
    accept: Option<String>,
) -> Response<Body> {
    answer::run(
        endpoint,
        Asked {
            text,
            bindings,
            dataset,
            accept,
        },
    )
}

/// The one JSON format of the queries list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Json;

impl Format for Json {
    const ALL: &'static [Self] = &[Json];

    fn describe(self) -> crate::format::Description {
        crate::format::Description {
            names: &["json"],
            extensions: &["json"],
            media_types: &["application/json"],
        }
    }
}

/// `quads` written in `format`, one of the RDF formats.
pub(super) fn rdf_body(
    format: GraphFormat,
    quads: Vec<Quad>,
    prefixes: &Prefixes,
) -> crate::error::Result<Vec<u8>> {
    let syntax = format.rdf_syntax().ok_or(Error::NotRdf { format })?;
    crate::export::rdf::write_rdf(Vec::new(), syntax, quads, prefixes)
}

pub(super) fn whole(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Body::from(body))
        .expect("a valid response")
}

pub(super) fn busy() -> Response<Body> {
    let mut response = text(
        StatusCode::SERVICE_UNAVAILABLE,
        "every query worker is busy and the queue is full; try again shortly",
    );
    response
        .headers_mut()
        .insert("retry-after", oxhttp::model::HeaderValue::from_static("1"));
    response
}

fn not_acceptable<F: Format>(offered: &[F]) -> Response<Body> {
    text(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "this answer can be sent as {}; the request's Accept header allows none of them",
            media_types(offered)
        ),
    )
}

/// The status and message for a failed query.
pub(super) fn error_response(error: &Error) -> Response<Body> {
    let status = match error {
        Error::UpdateRefused { .. } => StatusCode::FORBIDDEN,
        Error::Syntax { .. }
        | Error::SyntaxNoPosition { .. }
        | Error::TooDeep { .. }
        | Error::ServiceRefused { .. }
        | Error::UndeclaredParameter { .. }
        | Error::MissingParameter { .. }
        | Error::BadTerm { .. }
        | Error::UnknownPrefix { .. }
        | Error::ParamSyntax(_) => StatusCode::BAD_REQUEST,
        Error::UnknownQuery { .. } => StatusCode::NOT_FOUND,
        // As Fuseki answers a query stopped at its time limit.
        Error::TimedOut { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = match error {
        Error::MissingParameter {
            query,
            name,
            description,
        } => format!("query `{query}` needs the parameter {name} (?{name}=VALUE): {description}"),
        Error::ServiceRefused { query, service } => format!(
            "query `{query}` calls SERVICE {service}; this server makes no requests to other servers"
        ),
        other => other.to_string(),
    };
    text(status, message)
}

/// GET `/store?graph=IRI`, `/store?default`, or `/store` (the whole dataset).
fn graph_store(endpoint: &Endpoint, request: &Request<Body>) -> Response<Body> {
    let params = parameters(request.uri().query());
    let accept = accept(request);
    let graph = params.iter().find(|(k, _)| k == "graph").map(|(_, v)| v);
    let default = params.iter().any(|(k, _)| k == "default");
    let store = Arc::clone(&endpoint.store);
    let selection = match (graph, default) {
        (Some(_), true) => {
            return text(
                StatusCode::BAD_REQUEST,
                "give either ?graph=IRI or ?default, not both",
            )
        }
        (Some(iri), false) => match NamedNode::new(iri.as_str()) {
            Ok(iri) => Selection::Named(iri),
            Err(e) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!("graph `{iri}` is not an absolute IRI: {e}"),
                )
            }
        },
        (None, true) => Selection::Default,
        (None, false) => {
            return text(
                StatusCode::BAD_REQUEST,
                "name the graph: /store?graph=IRI for one of the case's graphs (the service description at /sparql lists them), /store?default for the default graph",
            )
        }
    };
    let Some(format) = negotiate(accept.as_deref(), RDF_FORMATS) else {
        return not_acceptable(RDF_FORMATS);
    };
    let key = endpoint.record.key(&[
        "store",
        graph.map_or("", String::as_str),
        format.media_type(),
    ]);
    let answer = answer::work(
        endpoint,
        Some(key),
        move || -> crate::error::Result<Option<Vec<u8>>> {
            let quads = match &selection {
                Selection::Named(iri) => {
                    let graph = GraphNameRef::NamedNode(iri.as_ref());
                    if !store.store().contains_named_graph(iri.as_ref())? {
                        return Ok(None);
                    }
                    store
                        .store()
                        .quads_for_pattern(None, None, None, Some(graph))
                        .map(|q| {
                            q.map(|q| {
                                Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph)
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?
                }
                // The default graph of queries: the merge of the case's graphs, each triple once.
                Selection::Default => store
                    .store()
                    .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            rdf_body(format, quads, store.prefixes()).map(Some)
        },
    );
    match answer {
        Err(refusal) => refusal,
        Ok(Ok(Some(body))) => whole(StatusCode::OK, format.media_type(), body),
        Ok(Ok(None)) => text(
            StatusCode::NOT_FOUND,
            "the case has no graph of that name; the service description at /sparql lists them",
        ),
        Ok(Err(e)) => error_response(&e),
    }
}

/// What `/store` was asked for.
enum Selection {
    /// One of the case's named graphs.
    Named(NamedNode),
    /// The default graph of queries: every graph merged.
    Default,
}

/// GET `/sparql` without a query: what the endpoint is and serves (SPARQL 1.1 Service
/// Description), in the RDF format asked for.
fn service_description(
    endpoint: &Endpoint,
    accept: Option<&str>,
    host: Option<String>,
) -> Response<Body> {
    let Some(format) = negotiate(accept, RDF_FORMATS) else {
        return not_acceptable(RDF_FORMATS);
    };
    let store = Arc::clone(&endpoint.store);
    let key = endpoint.record.key(&[
        "description",
        host.as_deref().unwrap_or(""),
        format.media_type(),
    ]);
    let answer = answer::work(
        endpoint,
        Some(key),
        move || -> crate::error::Result<Vec<u8>> {
            let quads = description(&store, host.as_deref())?;
            rdf_body(format, quads, &description_prefixes())
        },
    );
    match answer {
        Err(refusal) => refusal,
        Ok(Ok(body)) => whole(StatusCode::OK, format.media_type(), body),
        Ok(Err(e)) => error_response(&e),
    }
}

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";

fn description_prefixes() -> Prefixes {
    let mut prefixes = Prefixes::default();
    prefixes.add("sd", SD);
    prefixes.add("formats", "http://www.w3.org/ns/formats/");
    prefixes
}

fn description(store: &CaseStore, host: Option<&str>) -> crate::error::Result<Vec<Quad>> {
    use oxigraph::model::{BlankNode, NamedOrBlankNode, Term};
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let formats =
        |local: &str| NamedNode::new_unchecked(format!("http://www.w3.org/ns/formats/{local}"));
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.into_owned();
    let service: NamedOrBlankNode = BlankNode::new_unchecked("service").into();
    let dataset: NamedOrBlankNode = BlankNode::new_unchecked("dataset").into();
    let default_graph: NamedOrBlankNode = BlankNode::new_unchecked("default").into();
    let mut quads = Vec::new();
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, GraphName::DefaultGraph));
    };
    add(&service, rdf_type.clone(), sd("Service").into());
    // The endpoint's address as the client reached it (its Host header).
    if let Some(endpoint) = host.and_then(|h| NamedNode::new(format!("http://{h}/sparql")).ok()) {
        add(&service, sd("endpoint"), endpoint.into());
    }
    add(
        &service,
        sd("supportedLanguage"),
        sd("SPARQL11Query").into(),
    );
    add(&service, sd("feature"), sd("UnionDefaultGraph").into());
    for local in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
        "TriG",
        "N-Quads",
    ] {
        add(&service, sd("resultFormat"), formats(local).into());
    }
    add(&service, sd("defaultDataset"), dataset.clone().into());
    add(&dataset, rdf_type.clone(), sd("Dataset").into());
    add(&dataset, sd("defaultGraph"), default_graph.clone().into());
    add(&default_graph, rdf_type.clone(), sd("Graph").into());
    for (index, graph) in store
        .named_graphs(crate::store::Scope::Case)?
        .into_iter()
        .enumerate()
    {
        let NamedOrBlankNode::NamedNode(name) = graph else {
            continue;
        };
        let entry: NamedOrBlankNode = BlankNode::new_unchecked(format!("graph{index}")).into();
        add(&dataset, sd("namedGraph"), entry.clone().into());
        add(&entry, rdf_type.clone(), sd("NamedGraph").into());
        add(&entry, sd("name"), name.into());
    }
    Ok(quads)
}

/// A page for people.
fn page(endpoint: &Endpoint, request: &Request<Body>, path: &str) -> Response<Body> {
    let params = parameters(request.uri().query());
    match Page::from_path(path, &params) {
        Some(page) => page_response(endpoint, page),
        None => text(
            StatusCode::NOT_FOUND,
            format!("nothing at {path}; the case's home page is /"),
        ),
    }
}

fn page_response(endpoint: &Endpoint, page: Page) -> Response<Body> {
    let pages = endpoint.pages.clone();
    // A page that runs a client's query could nest as deep as the query limits let it: it
    // always goes to a worker, whose stack is large.
    let key = match &page {
        Page::Query { text: Some(_) } | Page::NamedQuery { .. } => None,
        _ => Some(endpoint.record.key(&["page", &format!("{page:?}")])),
    };
    match answer::work(endpoint, key, move || pages.render(&page, Links::Server)) {
        Err(refusal) => refusal,
        Ok(Ok(Some(rendered))) => whole(StatusCode::OK, rendered.content_type, rendered.body),
        Ok(Ok(None)) => text(StatusCode::NOT_FOUND, "the case has nothing by that name"),
        Ok(Err(e)) => error_response(&e),
    }
}
