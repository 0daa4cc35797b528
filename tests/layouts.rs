//! A store loaded with only the graphs a query reads (`CaseStore::load_for`) answers it as the
//! store of every graph does: every named query of every case, and queries made to find the
//! edges of the rule (EXISTS, subqueries, `GRAPH <iri>` and `GRAPH ?g`, DESCRIBE, FROM), with
//! and without the union default graph and the ontology. In-process: the store of every graph
//! is the reference, and the binary never loads one for a single query any more.

use crate::common::{fixture, root};
use casegraph::case::parse::ONTOLOGY_GRAPH;
use casegraph::query::{self, Answer, QueryOptions, QueryText, Request};
use casegraph::store::{Dataset, Layout, Reads};
use casegraph::{Case, CaseStore, Scope};
use oxigraph::model::{Graph, Term, Triple};
use std::path::Path;

/// The four datasets a query can be asked over from the command line (`--no-union`,
/// `--with-ontology`).
fn datasets() -> Vec<Dataset> {
    let mut all = Vec::new();
    for union_default_graph in [true, false] {
        for scope in [Scope::Case, Scope::WithOntology] {
            all.push(Dataset {
                union_default_graph,
                scope,
            });
        }
    }
    all
}

/// An answer in a form that does not depend on the store's order or blank-node names.
#[derive(Debug, PartialEq)]
enum Normal {
    Rows(Vec<String>, Vec<Vec<String>>),
    Boolean(bool),
    /// The triples, blank nodes named canonically, sorted.
    Graph(Vec<String>),
    Error(String),
}

fn normal(answer: casegraph::Result<Answer>) -> Normal {
    let term = |t: &Option<Term>| match t {
        Some(Term::BlankNode(_)) => "_:b".to_owned(),
        Some(t) => t.to_string(),
        None => String::new(),
    };
    match answer {
        Ok(Answer::Solutions { variables, rows }) => {
            let mut rows: Vec<Vec<String>> = rows
                .iter()
                .map(|row| row.iter().map(term).collect())
                .collect();
            rows.sort();
            Normal::Rows(variables.iter().map(ToString::to_string).collect(), rows)
        }
        Ok(Answer::Boolean(value)) => Normal::Boolean(value),
        Ok(Answer::Graph(triples)) => {
            let mut graph: Graph = triples.iter().map(Triple::as_ref).collect();
            graph.canonicalize(oxigraph::model::graph::CanonicalizationAlgorithm::Unstable);
            let mut triples: Vec<String> = graph.iter().map(|t| t.to_string()).collect();
            triples.sort();
            Normal::Graph(triples)
        }
        Err(error) => Normal::Error(error.to_string()),
    }
}

/// One case's stores, each loaded once: the store of every graph per dataset, and the stores
/// loaded for what queries read, per layout and dataset.
struct Stores {
    case: Case,
    loaded: Vec<((Layout, Dataset), CaseStore)>,
    /// How many queries were answered from a store of fewer graphs than every graph, by layout.
    partial: Vec<Layout>,
}

impl Stores {
    fn open(dir: &Path) -> Option<Self> {
        let case = Case::open(dir).ok()?;
        // Fixtures made to fail loading (bad syntax) have no answers to compare.
        CaseStore::load(&case).ok()?;
        Some(Self {
            case,
            loaded: Vec::new(),
            partial: Vec::new(),
        })
    }

    fn store(&mut self, dataset: Dataset, reads: Reads) -> &CaseStore {
        let key = (Layout::for_queries(dataset, reads), dataset);
        let at = match self.loaded.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let store =
                    CaseStore::load_for(&self.case, dataset, reads, None).expect("the case loads");
                assert_eq!(store.layout(), key.0, "laid out as for_queries says");
                self.loaded.push((key, store));
                self.loaded.len() - 1
            }
        };
        &self.loaded[at].1
    }

    /// A value for each declared parameter: an IRI of the case that the parameter's name
    /// suggests (an article for `source`, a target for `company`...), else any subject.
    fn params(&mut self, text: &QueryText) -> Vec<(String, String)> {
        let store = self.store(Dataset::default(), Reads::ALL);
        let first = |pattern: &str| -> Option<String> {
            let text = QueryText::inline(format!(
                "SELECT ?x {{ {pattern} FILTER(isIRI(?x)) }} ORDER BY ?x LIMIT 1"
            ));
            match query::run(store, &text, &[], QueryOptions::default()).ok()? {
                Answer::Solutions { rows, .. } => {
                    Some(rows.first()?.first()?.as_ref()?.to_string())
                }
                Answer::Boolean(_) | Answer::Graph(_) => None,
            }
        };
        let cg = "https://w3id.org/casegraph/ontology#";
        text.header
            .params
            .iter()
            .map(|p| {
                let likely = match p.name.as_str() {
                    "source" => format!("?x a <{cg}SourceArticle>"),
                    "event" => format!("GRAPH ?g {{ ?x <{cg}date> ?d }}"),
                    _ => format!("GRAPH ?g {{ ?e <{cg}target> ?x }}"),
                };
                let value = first(&likely)
                    .or_else(|| first("?x ?p ?o"))
                    .expect("a case with statements has a subject");
                (p.name.clone(), value)
            })
            .collect()
    }

    /// Asserts that `text` answers the same over every dataset from the store of what it reads
    /// as from the store of every graph.
    fn assert_same_answers(&mut self, text: &QueryText) {
        let reads = query::graphs_read(text);
        let params = self.params(text);
        let request = Request {
            text: text.clone(),
            params,
            options: QueryOptions::default(),
        };
        for dataset in datasets() {
            let expected = normal(request.run(self.store(dataset, Reads::ALL)));
            let store = self.store(dataset, reads);
            let layout = store.layout();
            let actual = normal(request.run(store));
            assert_eq!(
                actual,
                expected,
                "{}: query {} over {dataset:?}, laid out as {layout:?} for {reads:?}",
                self.case.root().display(),
                text.name,
            );
            if layout != Layout::for_queries(dataset, Reads::ALL) {
                self.partial.push(layout);
            }
        }
    }
}

/// Every case the tests have: the shipped one and every fixture that loads.
fn cases() -> Vec<Stores> {
    let mut dirs = vec![root()];
    let mut fixtures: Vec<_> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    fixtures.sort();
    dirs.extend(fixtures);
    dirs.iter().filter_map(|dir| Stores::open(dir)).collect()
}

#[test]
fn every_named_query_answers_the_same_from_the_graphs_it_reads() {
    let shipped = query::list_named(&root().join("queries")).expect("queries/");
    let mut cases = cases();
    assert!(cases.len() >= 15, "only {} cases load", cases.len());
    let mut partial = Vec::new();
    for stores in &mut cases {
        let own = query::list_named(&stores.case.queries_dir()).expect("the case's queries");
        for named in shipped.iter().chain(&own) {
            stores.assert_same_answers(&QueryText {
                name: named.name.clone(),
                origin: named.path.clone(),
                text: named.text.clone(),
                header: named.header.clone(),
            });
        }
        partial.append(&mut stores.partial);
    }
    // The comparison means something only if queries were answered from fewer graphs.
    for layout in [
        Layout::NamedGraphQueries(Scope::Case),
        Layout::NamedGraphQueries(Scope::WithOntology),
        Layout::DefaultGraphQueries,
    ] {
        assert!(
            partial.contains(&layout),
            "no named query was answered from a store laid out as {layout:?}"
        );
    }
}

/// Queries at the edges of the rule, each with the graphs it reads.
fn edge_queries(graph: &str) -> Vec<(&'static str, String, Reads)> {
    let named = Reads::NAMED_GRAPHS;
    let default = Reads::DEFAULT_GRAPH;
    let both = Reads::ALL;
    let nothing = Reads::NOTHING;
    let ontology = ONTOLOGY_GRAPH;
    vec![
        ("graph-only", "SELECT ?g ?s ?p ?o { GRAPH ?g { ?s ?p ?o } }".to_owned(), named),
        ("graph list", "SELECT ?g { GRAPH ?g {} }".to_owned(), named),
        ("graph iri", format!("SELECT ?s ?p ?o {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"), named),
        ("ontology graph", format!("SELECT ?s ?p ?o {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}"), named),
        (
            "not exists inside graph",
            "SELECT ?g ?s { GRAPH ?g { ?s ?p ?o FILTER NOT EXISTS { ?s a ?t } } }".to_owned(),
            named,
        ),
        (
            "subquery inside graph",
            "SELECT ?g ?n { GRAPH ?g { SELECT (COUNT(*) AS ?n) { ?s ?p ?o } } }".to_owned(),
            named,
        ),
        (
            "construct from graphs",
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }".to_owned(),
            named,
        ),
        ("from", format!("SELECT ?s ?p ?o FROM <{graph}> {{ ?s ?p ?o }}"), named),
        (
            "from named",
            format!("SELECT ?g ?s FROM NAMED <{graph}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
            named,
        ),
        (
            "from named, empty default graph",
            format!("SELECT ?s FROM NAMED <{graph}> {{ ?s ?p ?o }}"),
            named,
        ),
        ("describe from", format!("DESCRIBE ?s FROM <{graph}> {{ ?s ?p ?o }}"), named),
        ("default-only", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }".to_owned(), default),
        (
            "path",
            "SELECT ?s ?c { ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }"
                .to_owned(),
            default,
        ),
        (
            "zero-length path",
            "SELECT (COUNT(*) AS ?n) { ?s <urn:none>* ?o }".to_owned(),
            default,
        ),
        ("describe", "DESCRIBE ?s { ?s a ?t }".to_owned(), default),
        ("describe without where", format!("DESCRIBE <{graph}>"), default),
        (
            "exists outside graph",
            "SELECT ?g ?s { GRAPH ?g { ?s ?p ?o } FILTER EXISTS { ?s a ?t } }".to_owned(),
            both,
        ),
        (
            "graph in not exists",
            "SELECT ?s { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }".to_owned(),
            both,
        ),
        (
            "mixed",
            "SELECT ?s ?l ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l . GRAPH ?g { ?s ?p ?o } }"
                .to_owned(),
            both,
        ),
        (
            "describe from graphs",
            "DESCRIBE ?s { GRAPH ?g { ?s a ?t } }".to_owned(),
            both,
        ),
        ("ask nothing", "ASK {}".to_owned(), nothing),
        ("values", "SELECT ?x { VALUES ?x { 1 2 } }".to_owned(), nothing),
        (
            "prefix of the case",
            "SELECT ?g { GRAPH ?g { ?s undeclared:p ?o } }".to_owned(),
            named,
        ),
        ("syntax error", "SELECT ?g { GRAPH ?g { ?s ?p ?o }".to_owned(), both),
    ]
}

#[test]
fn edge_queries_read_what_they_should_and_answer_the_same() {
    let mut compared = 0;
    for dir in [root(), fixture("mini"), fixture("hostile-labels")] {
        let mut stores = Stores::open(&dir).expect("the case loads");
        let graph = stores
            .store(Dataset::default(), Reads::ALL)
            .named_graphs(Scope::Case)
            .expect("named graphs")
            .first()
            .expect("the case has an article")
            .to_string();
        let graph = graph
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned();
        for (name, text, reads) in edge_queries(&graph) {
            let mut text = QueryText::inline(text);
            text.name = name.to_owned();
            assert_eq!(query::graphs_read(&text), reads, "{name}");
            stores.assert_same_answers(&text);
            compared += 1;
        }
    }
    assert_eq!(compared, 3 * edge_queries("urn:x").len());
}

#[test]
fn a_service_reads_every_graph() {
    let text = QueryText::inline(
        "SELECT ?g { GRAPH ?g { ?s ?p ?o } SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    );
    assert_eq!(query::graphs_read(&text), Reads::ALL);
}

#[test]
fn a_store_of_fewer_graphs_refuses_a_query_that_reads_more() {
    let case = Case::open(fixture("mini")).expect("opens");
    for (loaded, query, message) in [
        (
            Reads::NAMED_GRAPHS,
            "SELECT * { ?s ?p ?o }",
            "query `<inline query>` reads the default graph, which this store was loaded without (laid out as NamedGraphQueries(Case), for queries that read less); load the case for what it reads",
        ),
        (
            Reads::DEFAULT_GRAPH,
            "SELECT * { GRAPH ?g { ?s ?p ?o } }",
            "query `<inline query>` reads named graphs, which this store was loaded without (laid out as DefaultGraphQueries, for queries that read less); load the case for what it reads",
        ),
    ] {
        let store = CaseStore::load_for(&case, Dataset::default(), loaded, None).expect("loads");
        let error = query::run(&store, &QueryText::inline(query), &[], QueryOptions::default())
            .expect_err("refused");
        assert_eq!(error.to_string(), message);
    }
}
