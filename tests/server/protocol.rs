//! The SPARQL 1.1 Protocol, the Graph Store Protocol's read side and the named queries: every
//! method and content type, the dataset parameters, read-only refusals, CORS.

use crate::common::root;
use crate::common::server::{encode, Served};
use crate::queries::PARAMS;
use oxhttp::model::Method;
use oxigraph::io::{RdfFormat, RdfParser};
use serde_json::Value;
use std::collections::BTreeSet;

const SOURCES: &str = "SELECT ?s WHERE { ?s a cg:SourceArticle } ORDER BY ?s";
const SOURCE_001: &str = "https://w3id.org/casegraph/case/hikvision-canada/source-001";

/// The rows of a SPARQL JSON results document, each as sorted `var=term` pairs, sorted.
fn rows(json: &str) -> Vec<Vec<(String, String)>> {
    let value: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON results: {e}: {json}"));
    let mut rows: Vec<Vec<(String, String)>> = value["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            let mut row: Vec<(String, String)> = b
                .as_object()
                .expect("a binding")
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect();
            row.sort();
            row
        })
        .collect();
    rows.sort();
    rows
}

/// The triples of an RDF document, as N-Triples lines.
fn triples(format: RdfFormat, text: &str) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|q| {
            let q = q.unwrap_or_else(|e| panic!("{format} answer does not parse: {e}\n{text}"));
            format!("{} {} {} .", q.subject, q.predicate, q.object)
        })
        .collect()
}

#[test]
fn get_form_post_and_direct_post_answer_alike() {
    let server = Served::start(None, &[]);
    let json = "application/sparql-results+json";
    let get = server.get(&format!("/sparql?query={}", encode(SOURCES)), Some(json));
    let form = server.send(
        Method::POST,
        "/sparql",
        "application/x-www-form-urlencoded",
        &format!("query={}", encode(SOURCES)),
        Some(json),
    );
    let direct = server.send(
        Method::POST,
        "/sparql",
        "application/sparql-query",
        SOURCES,
        Some(json),
    );
    for answer in [&get, &form, &direct] {
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.content_type, json);
    }
    assert_eq!(rows(&get.body).len(), 5, "the five articles");
    assert_eq!(rows(&get.body), rows(&form.body));
    assert_eq!(rows(&get.body), rows(&direct.body));
}

#[test]
fn results_come_in_each_format_asked_for() {
    let server = Served::start(None, &[]);
    let query = format!("/sparql?query={}", encode(SOURCES));
    let cases = [
        (None, "application/sparql-results+json", "\"bindings\""),
        (
            Some("*/*"),
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            Some("application/sparql-results+xml"),
            "application/sparql-results+xml",
            "<sparql",
        ),
        (Some("text/csv"), "text/csv", "s\r\n"),
        (
            Some("text/tab-separated-values"),
            "text/tab-separated-values",
            "?s\n",
        ),
    ];
    for (accept, content_type, marker) in cases {
        let answer = server.get(&query, accept);
        assert_eq!(answer.status, 200, "{accept:?}: {}", answer.body);
        assert_eq!(answer.content_type, content_type, "{accept:?}");
        assert!(answer.body.contains(marker), "{accept:?}: {}", answer.body);
        assert!(
            answer.body.contains(SOURCE_001),
            "{accept:?}: {}",
            answer.body
        );
    }
    let refused = server.get(&query, Some("image/png"));
    assert_eq!(refused.status, 406);
    assert!(
        refused.body.contains("application/sparql-results+json"),
        "{}",
        refused.body
    );
    let ask = server.get(
        &format!("/sparql?query={}", encode("ASK { ?s a cg:SourceArticle }")),
        None,
    );
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("\"boolean\":true"), "{}", ask.body);
}

#[test]
fn graphs_come_in_each_rdf_syntax_asked_for() {
    let server = Served::start(None, &[]);
    let query = format!(
        "/sparql?query={}",
        encode("CONSTRUCT { ?s a cg:SourceArticle ; rdfs:label ?l } WHERE { ?s a cg:SourceArticle ; rdfs:label ?l }")
    );
    let mut seen = Vec::new();
    for format in [
        RdfFormat::Turtle,
        RdfFormat::NTriples,
        RdfFormat::RdfXml,
        RdfFormat::JsonLd {
            profile: Default::default(),
        },
        RdfFormat::TriG,
        RdfFormat::NQuads,
    ] {
        let answer = server.get(&query, Some(format.media_type()));
        assert_eq!(answer.status, 200, "{format}: {}", answer.body);
        assert_eq!(answer.content_type, format.media_type());
        seen.push(triples(format, &answer.body));
    }
    assert_eq!(seen[0].len(), 10, "five articles, a type and a label each");
    assert!(
        seen.iter().all(|t| *t == seen[0]),
        "every syntax holds the same triples"
    );
    let default = server.get(&query, None);
    assert_eq!(default.content_type, "text/turtle");
}

#[test]
fn without_a_query_it_describes_the_service() {
    let server = Served::start(None, &[]);
    let answer = server.get("/sparql", None);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "text/turtle");
    let found = triples(RdfFormat::Turtle, &answer.body);
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    assert!(
        found
            .iter()
            .any(|t| t.ends_with(&format!("<{sd}Service> ."))),
        "{}",
        answer.body
    );
    assert!(found.contains(&format!(
        "{} <{sd}endpoint> <{}> .",
        found
            .iter()
            .find(|t| t.ends_with(&format!("<{sd}Service> .")))
            .unwrap()
            .split(' ')
            .next()
            .unwrap(),
        server.url("/sparql")
    )));
    let graphs = found
        .iter()
        .filter(|t| t.contains(&format!("<{sd}name>")))
        .count();
    assert_eq!(graphs, 5, "one named graph per article: {}", answer.body);
}

#[test]
fn dataset_parameters_replace_the_default_dataset() {
    let server = Served::start(None, &[]);
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let n = |answer: &crate::common::server::Answer| -> u64 {
        assert_eq!(answer.status, 200, "{}", answer.body);
        let value: Value = serde_json::from_str(&answer.body).expect("JSON");
        value["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let all = n(&server.get(&format!("/sparql?query={}", encode(count)), None));
    let one = n(&server.get(
        &format!(
            "/sparql?query={}&default-graph-uri={}",
            encode(count),
            encode(SOURCE_001)
        ),
        None,
    ));
    let store = server.get(
        &format!("/store?graph={}", encode(SOURCE_001)),
        Some("application/n-triples"),
    );
    assert_eq!(store.status, 200);
    assert_eq!(one, triples(RdfFormat::NTriples, &store.body).len() as u64);
    assert!(0 < one && one < all, "{one} of {all}");
    // named-graph-uri: GRAPH ?g reaches only the graphs named.
    let graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }";
    let named = server.send(
        Method::POST,
        &format!("/sparql?named-graph-uri={}", encode(SOURCE_001)),
        "application/sparql-query",
        graphs,
        None,
    );
    assert_eq!(rows(&named.body).len(), 1, "{}", named.body);
    assert!(named.body.contains(SOURCE_001));
    let bad = server.get(
        &format!(
            "/sparql?query={}&default-graph-uri=not%20an%20iri",
            encode(count)
        ),
        None,
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
}

#[test]
fn syntax_errors_answer_400_with_the_position() {
    let server = Served::start(None, &[]);
    let answer = server.get(
        &format!("/sparql?query={}", encode("SELECT ?s WHERE {\n  ?s ?p }")),
        None,
    );
    assert_eq!(answer.status, 400);
    assert!(answer.body.starts_with("query:2:"), "{}", answer.body);
    let unknown = server.get(
        &format!("/sparql?query={}", encode("SELECT * { ?s a nope:X }")),
        None,
    );
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.body.contains("unknown prefix `nope:`"),
        "{}",
        unknown.body
    );
    let twice = server.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None);
    assert_eq!(twice.status, 400);
}

#[test]
fn updates_and_writes_are_refused() {
    let server = Served::start(None, &[]);
    let update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }";
    let refusals = [
        server.send(
            Method::POST,
            "/sparql",
            "application/sparql-update",
            update,
            None,
        ),
        server.send(
            Method::POST,
            "/sparql",
            "application/x-www-form-urlencoded",
            &format!("update={}", encode(update)),
            None,
        ),
        server.get(&format!("/sparql?query={}", encode(update)), None),
        server.send(
            Method::PUT,
            &format!("/store?graph={}", encode(SOURCE_001)),
            "text/turtle",
            "<urn:a> <urn:b> <urn:c> .",
            None,
        ),
        server.send(
            Method::DELETE,
            &format!("/store?graph={}", encode(SOURCE_001)),
            "text/plain",
            "",
            None,
        ),
        server.send(
            Method::POST,
            "/store?default",
            "text/turtle",
            "<urn:a> <urn:b> <urn:c> .",
            None,
        ),
    ];
    for answer in &refusals {
        assert_eq!(answer.status, 403, "{}", answer.body);
        assert!(answer.body.contains("read-only"), "{}", answer.body);
    }
    for (method, path) in [
        (Method::DELETE, "/sparql"),
        (Method::PUT, "/"),
        (Method::PATCH, "/queries"),
    ] {
        let answer = server.send(method.clone(), path, "text/plain", "", None);
        assert_eq!(answer.status, 405, "{method} {path}");
        assert!(
            answer.header("allow").is_some_and(|a| a.contains("GET")),
            "{method} {path}"
        );
    }
    let unchanged = server.get(
        &format!("/sparql?query={}", encode("ASK { <urn:a> ?p ?o }")),
        None,
    );
    assert!(
        unchanged.body.contains("\"boolean\":false"),
        "{}",
        unchanged.body
    );
}

#[test]
fn a_post_of_another_content_type_answers_415() {
    let server = Served::start(None, &[]);
    let answer = server.send(Method::POST, "/sparql", "text/plain", SOURCES, None);
    assert_eq!(answer.status, 415, "{}", answer.body);
}

/// The parameters each named query is run with, as `--param` arguments and as a query string.
fn params_of(name: &str) -> (Vec<String>, String) {
    let given: Vec<&str> = PARAMS
        .iter()
        .find(|(query, _)| *query == name)
        .map_or(&[][..], |(_, params)| *params)
        .to_vec();
    let cli = given
        .iter()
        .flat_map(|p| ["--param".to_owned(), (*p).to_owned()])
        .collect();
    let query = given
        .iter()
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            format!("{}={}", encode(k), encode(v))
        })
        .collect::<Vec<_>>()
        .join("&");
    (cli, query)
}

#[test]
fn every_named_query_answers_what_casegraph_query_answers() {
    let server = Served::start(None, &[]);
    let list = server.get("/queries", Some("application/json"));
    assert_eq!(list.status, 200);
    let listed: Value = serde_json::from_str(&list.body).expect("JSON list");
    let listed = listed.as_array().expect("a list");
    let names = casegraph::query::list_named(&root().join("queries")).expect("queries");
    assert_eq!(listed.len(), names.len());
    for named in &names {
        let entry = listed
            .iter()
            .find(|e| e["name"] == named.name.as_str())
            .expect("listed");
        assert_eq!(
            entry["title"].as_str(),
            named.header.title.as_deref(),
            "{}",
            named.name
        );
        let (cli, query) = params_of(&named.name);
        let construct = std::fs::read_to_string(&named.path)
            .unwrap()
            .contains("CONSTRUCT");
        let format = if construct { "ntriples" } else { "json" };
        let expected = assert_cmd::Command::cargo_bin("casegraph")
            .unwrap()
            .current_dir(root())
            .args(["query", &named.name, "--format", format])
            .args(&cli)
            .output()
            .expect("runs");
        assert!(expected.status.success(), "{}", named.name);
        let expected = String::from_utf8(expected.stdout).unwrap();
        let accept = if construct {
            "application/n-triples"
        } else {
            "application/sparql-results+json"
        };
        let answer = server.get(&format!("/queries/{}?{query}", named.name), Some(accept));
        assert_eq!(answer.status, 200, "{}: {}", named.name, answer.body);
        if construct {
            assert_eq!(
                triples(RdfFormat::NTriples, &answer.body),
                triples(RdfFormat::NTriples, &expected),
                "{}",
                named.name
            );
        } else {
            assert_eq!(rows(&answer.body), rows(&expected), "{}", named.name);
        }
    }
}

#[test]
fn named_query_parameters_are_checked_and_bound() {
    let server = Served::start(None, &[]);
    let missing = server.get("/queries/actions-against", None);
    assert_eq!(missing.status, 400);
    assert!(
        missing.body.contains("needs the parameter company"),
        "{}",
        missing.body
    );
    let undeclared = server.get("/queries/actions-against?company=case:Hikvision&x=1", None);
    assert_eq!(undeclared.status, 400);
    assert!(
        undeclared.body.contains("declares no parameter `x`"),
        "{}",
        undeclared.body
    );
    // A value is a term, never text pasted into the query.
    let injected = server.get(
        &format!(
            "/queries/actions-against?company={}",
            encode("case:Hikvision } UNION { ?s ?p ?o")
        ),
        None,
    );
    assert_eq!(injected.status, 400, "{}", injected.body);
    let encoded = server.get("/queries/%74imeline", Some("text/csv"));
    assert_eq!(
        encoded.status, 200,
        "a percent-encoded name is decoded: {}",
        encoded.body
    );
    let unknown = server.get("/queries/nope", None);
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("timeline"), "{}", unknown.body);
}

#[test]
fn the_graph_store_answers_a_named_graph_and_the_default_graph() {
    let server = Served::start(None, &[]);
    let named = server.get(&format!("/store?graph={}", encode(SOURCE_001)), None);
    assert_eq!(named.status, 200);
    assert_eq!(named.content_type, "text/turtle");
    let count = |graph: &str| -> usize {
        let query = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {graph} }}");
        let answer = server.get(&format!("/sparql?query={}", encode(&query)), None);
        let value: Value = serde_json::from_str(&answer.body).unwrap();
        value["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(
        triples(RdfFormat::Turtle, &named.body).len(),
        count(&format!("GRAPH <{SOURCE_001}> {{ ?s ?p ?o }}"))
    );
    let default = server.get("/store?default", Some("application/n-triples"));
    assert_eq!(default.status, 200);
    assert_eq!(
        triples(RdfFormat::NTriples, &default.body).len(),
        count("?s ?p ?o")
    );
    assert_eq!(server.get("/store?graph=urn:nothing", None).status, 404);
    assert_eq!(server.get("/store", None).status, 400);
    assert_eq!(server.get("/store?graph=urn:x&default", None).status, 400);
}

#[test]
fn cors_is_off_unless_an_origin_is_given() {
    let origin = "https://example.org";
    let ask = |server: &Served, method: &str| {
        crate::common::server::raw(
            &server.address,
            format!(
                "{method} /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .to_ascii_lowercase()
    };
    let allowed = format!("access-control-allow-origin: {origin}");
    let closed = Served::start(None, &[]);
    let answer = ask(&closed, "GET");
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(!answer.contains("access-control-allow-origin"), "{answer}");
    let open = Served::start(None, &["--cors", origin]);
    assert!(
        ask(&open, "GET").contains(&allowed),
        "{}",
        ask(&open, "GET")
    );
    let preflight = ask(&open, "OPTIONS");
    assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
    // OxHTTP drops Access-Control-Allow-Methods from answers (it lists it among the headers a
    // client may not set); GET, HEAD and POST are CORS-safelisted methods, which browsers allow
    // without it. The Content-Type of a direct POST is not safelisted: it is allowed here.
    assert!(
        preflight.contains("access-control-allow-headers: content-type, accept"),
        "{preflight}"
    );
    let other = crate::common::server::raw(
        &open.address,
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n",
    );
    assert!(
        !other
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "{other}"
    );
}
