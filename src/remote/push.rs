//! `casegraph push`: the case written to a store with the SPARQL 1.1 Graph Store HTTP Protocol.
//!
//! The case becomes graphs under its namespace ([`Namespace`]): each article's graph under the
//! IRI the case gives it, and three of casegraph's own: the case's default graph, its ontology,
//! and the merge of everything, each triple once, which queries over `--endpoint` read as their
//! default graph. Each graph is replaced whole: a PUT of its first piece, then POSTs of the
//! others, each piece at most [`PushOptions::batch`] triples, with the triples that share a
//! blank node kept in one piece (two requests' blank nodes are different nodes to a store). A
//! graph the store already holds unchanged is left alone, so a re-push sends nothing; a graph
//! under the namespace that the case no longer has is deleted; nothing outside the namespace is
//! read for writing, written or deleted. Afterwards every graph is counted on the store and
//! compared with the case.

use crate::case::parse::ONTOLOGY_GRAPH;
use crate::remote::sparql::{Endpoint, Namespace};
use crate::remote::{with_query, Call, RemoteError, GRAPH_STORE};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;
use ureq::http::Method;

/// What a graph of the case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// An article's graph (any named graph of the case's files).
    Article,
    /// The triples the files write outside any named graph.
    Default,
    /// The ontology.
    Ontology,
    /// Every triple once: the default graph of queries.
    Merged,
}

impl Role {
    /// How the report names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Default => "default graph",
            Self::Ontology => "ontology",
            Self::Merged => "merge",
        }
    }
}

/// One graph of the case, as it goes to the store.
#[derive(Debug, Clone)]
pub struct CaseGraph {
    /// Its IRI on the store.
    pub iri: NamedNode,
    /// What it is.
    pub role: Role,
    /// Its triples, each once, sorted.
    pub triples: Vec<Triple>,
}

/// The case's graphs for the store (see the module's documentation), articles first in IRI
/// order, the merge last. A named graph outside the namespace, or named by a blank node, is an
/// error: push would otherwise write where it may never clean up.
pub fn case_graphs(quads: Vec<Quad>, namespace: &Namespace) -> Result<Vec<CaseGraph>, RemoteError> {
    let mut graphs: BTreeMap<(Role, NamedNode), Vec<Triple>> = BTreeMap::new();
    let mut merged: Vec<Triple> = Vec::new();
    for quad in quads {
        let key = match &quad.graph_name {
            GraphName::DefaultGraph => (Role::Default, namespace.default_graph()),
            GraphName::NamedNode(g) if g.as_str() == ONTOLOGY_GRAPH => {
                (Role::Ontology, namespace.ontology())
            }
            GraphName::NamedNode(g) if namespace.holds(g.as_str()) && !namespace.is_own(g) => {
                (Role::Article, g.clone())
            }
            GraphName::NamedNode(g) if namespace.is_own(g) => {
                return Err(RemoteError::Push(format!(
                    "the case has a graph named <{g}>, the name push gives one of casegraph's own graphs: rename it, or push under another --namespace"
                )))
            }
            GraphName::NamedNode(g) => {
                return Err(RemoteError::Push(format!(
                    "graph <{g}> is outside the case's namespace <{}>: push writes only under the namespace, so that it can replace and delete its own graphs and nothing else (--namespace sets it)",
                    namespace.as_str()
                )))
            }
            GraphName::BlankNode(b) => {
                return Err(RemoteError::Push(format!(
                    "a graph is named by the blank node {b}, which names nothing on a store: give it an IRI"
                )))
            }
        };
        let triple = Triple::from(quad);
        merged.push(triple.clone());
        graphs.entry(key).or_default().push(triple);
    }
    let mut out: Vec<CaseGraph> = graphs
        .into_iter()
        .map(|((role, iri), triples)| CaseGraph {
            iri,
            role,
            triples: sorted(triples),
        })
        .collect();
    if !merged.is_empty() {
        out.push(CaseGraph {
            iri: namespace.merged(),
            role: Role::Merged,
            triples: sorted(merged),
        });
    }
    Ok(out)
}

/// The triples sorted (see [`order`]), each once.
fn sorted(mut triples: Vec<Triple>) -> Vec<Triple> {
    triples.sort_unstable_by(order);
    triples.dedup();
    triples
}

/// A total order of triples, by subject, predicate and object, compared on their parts as
/// they are (no string is built: a million triples are sorted without allocating).
fn order(a: &Triple, b: &Triple) -> std::cmp::Ordering {
    fn subject(s: &NamedOrBlankNode) -> (u8, &str) {
        match s {
            NamedOrBlankNode::NamedNode(n) => (0, n.as_str()),
            NamedOrBlankNode::BlankNode(b) => (1, b.as_str()),
        }
    }
    fn object(t: &Term) -> (u8, &str, &str, &str) {
        match t {
            Term::NamedNode(n) => (0, n.as_str(), "", ""),
            Term::BlankNode(b) => (1, b.as_str(), "", ""),
            Term::Literal(l) => (
                2,
                l.value(),
                l.datatype().as_str(),
                l.language().unwrap_or_default(),
            ),
            #[allow(unreachable_patterns)]
            _ => (3, "", "", ""),
        }
    }
    subject(&a.subject)
        .cmp(&subject(&b.subject))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| object(&a.object).cmp(&object(&b.object)))
        // Triple terms (RDF 1.2), should a case hold any: by their text.
        .then_with(|| a.object.to_string().cmp(&b.object.to_string()))
}

/// What push does to one graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Not on the store: written.
    Create,
    /// On the store with other triples: replaced.
    Replace,
    /// On the store as the case has it: left alone.
    Keep,
    /// On the store under the namespace, no longer in the case: deleted.
    Delete,
}

impl Action {
    /// The word in the report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Replace => "replace",
            Self::Keep => "unchanged",
            Self::Delete => "delete",
        }
    }
}

/// One line of the plan, and of the report.
#[derive(Debug, Clone)]
pub struct Step {
    /// The graph.
    pub iri: NamedNode,
    /// Its role (`None`: a graph the case no longer has).
    pub role: Option<Role>,
    /// What push does.
    pub action: Action,
    /// The case's triples in it.
    pub case_triples: u64,
    /// The store's, before the push.
    pub store_before: Option<u64>,
    /// The store's, after it (filled in by [`push`]).
    pub store_after: Option<u64>,
}

/// How push goes.
#[derive(Clone)]
pub struct PushOptions {
    /// The Graph Store endpoint.
    pub graph_store: String,
    /// The query parameter naming the graph: `graph` in the protocol (Virtuoso takes it too;
    /// Oxigraph writes a request with its `graph-uri` to the default graph).
    pub graph_param: String,
    /// At most this many triples per request.
    pub batch: usize,
    /// Requests sent at once (graphs written side by side).
    pub jobs: usize,
    /// Called with (triples sent, triples to send).
    pub progress: Option<Arc<dyn Fn(u64, u64) + Send + Sync>>,
}

/// What push would do: each of the case's graphs compared with the store's, and the store's
/// graphs under the namespace that the case no longer has. A graph whose count differs is
/// replaced; one whose count matches is read back and compared (blank nodes up to renaming).
pub fn plan(
    endpoint: &Endpoint,
    options: &PushOptions,
    graphs: &[CaseGraph],
) -> Result<Vec<Step>, RemoteError> {
    let mut on_store = endpoint.graph_counts()?;
    let mut steps = Vec::new();
    for graph in graphs {
        let case_triples = graph.triples.len() as u64;
        let store_before = on_store.remove(&graph.iri);
        let action = match store_before {
            None => Action::Create,
            Some(n) if n != case_triples => Action::Replace,
            Some(_) if same_graph(fetch(endpoint, options, &graph.iri)?, &graph.triples) => {
                Action::Keep
            }
            Some(_) => Action::Replace,
        };
        steps.push(Step {
            iri: graph.iri.clone(),
            role: Some(graph.role),
            action,
            case_triples,
            store_before,
            store_after: None,
        });
    }
    for (iri, n) in on_store {
        steps.push(Step {
            iri,
            role: None,
            action: Action::Delete,
            case_triples: 0,
            store_before: Some(n),
            store_after: None,
        });
    }
    Ok(steps)
}

/// Carries out `steps` (from [`plan`]), then counts every graph on the store again. A count
/// that differs from the case's is an error, after the report is filled in.
pub fn push(
    endpoint: &Endpoint,
    options: &PushOptions,
    graphs: &[CaseGraph],
    steps: &mut [Step],
) -> Result<(), RemoteError> {
    let by_iri: FxHashMap<&NamedNode, &CaseGraph> = graphs.iter().map(|g| (&g.iri, g)).collect();
    let total: u64 = steps
        .iter()
        .filter(|s| matches!(s.action, Action::Create | Action::Replace))
        .map(|s| s.case_triples)
        .sum();
    let sent = std::sync::atomic::AtomicU64::new(0);
    let report = |n: u64| {
        let done = sent.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
        if let Some(progress) = &options.progress {
            progress(done, total);
        }
    };
    report(0);
    let written: Vec<&CaseGraph> = steps
        .iter()
        .filter(|s| matches!(s.action, Action::Create | Action::Replace))
        .map(|s| by_iri[&s.iri])
        .collect();
    // The merge is written after every other graph, so that a push cut short never leaves the
    // merge ahead of the articles; deletions come after every write.
    let (merge, others): (Vec<&CaseGraph>, Vec<&CaseGraph>) =
        written.into_iter().partition(|g| g.role == Role::Merged);
    let write = |graph: &CaseGraph| -> Result<(), RemoteError> {
        for (i, piece) in pieces(&graph.triples, options.batch)
            .into_iter()
            .enumerate()
        {
            let body = ntriples(&piece);
            // The first piece replaces the graph (PUT); the others add to it (POST), which is
            // not idempotent for blank nodes, so only PUTs are retried.
            let (method, idempotent) = if i == 0 {
                (Method::PUT, true)
            } else {
                (Method::POST, false)
            };
            gsp(endpoint, options, method, &graph.iri, &body, idempotent)?;
            report(piece.len() as u64);
        }
        Ok(())
    };
    if dataset_writes(endpoint, options) {
        // Oxigraph: replaced graphs emptied first, then everything in N-Quads requests of many
        // graphs each.
        let replaced: Vec<&CaseGraph> = steps
            .iter()
            .filter(|s| s.action == Action::Replace)
            .map(|s| by_iri[&s.iri])
            .collect();
        in_parallel(&replaced, options.jobs, &|graph| {
            gsp(endpoint, options, Method::DELETE, &graph.iri, b"", true).map(|_| ())
        })?;
        for graphs in [&others, &merge] {
            let quads: Vec<Quad> = graphs
                .iter()
                .flat_map(|g| {
                    g.triples.iter().map(|t| {
                        Quad::new(
                            t.subject.clone(),
                            t.predicate.clone(),
                            t.object.clone(),
                            g.iri.clone(),
                        )
                    })
                })
                .collect();
            let pieces = pieces_of(&quads, options.batch, |q: &Quad| {
                blank_labels(&q.subject, &q.object)
            });
            let refs: Vec<&Vec<Quad>> = pieces.iter().collect();
            in_parallel(&refs, options.jobs, &|piece: &Vec<Quad>| {
                let body = nquads(piece);
                dataset_post(endpoint, options, &body)?;
                report(piece.len() as u64);
                Ok(())
            })?;
        }
    } else {
        in_parallel(&others, options.jobs, &write)?;
        in_parallel(&merge, options.jobs, &write)?;
    }
    for step in steps.iter() {
        if step.action == Action::Delete {
            gsp(endpoint, options, Method::DELETE, &step.iri, b"", true)?;
        }
    }
    let after = endpoint.graph_counts()?;
    let mut wrong = Vec::new();
    for step in steps.iter_mut() {
        step.store_after = after.get(&step.iri).copied();
        let expected = (step.action != Action::Delete).then_some(step.case_triples);
        if step.store_after != expected && !(expected == Some(0) && step.store_after.is_none()) {
            wrong.push(format!(
                "{}: the case has {}, the store {}",
                step.iri,
                step.case_triples,
                step.store_after
                    .map_or("none".to_owned(), |n| n.to_string())
            ));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(RemoteError::Push(format!(
            "after the push, the store's counts differ from the case's: {}",
            wrong.join("; ")
        )))
    }
}

/// `work` on every graph of `graphs`, on `jobs` threads at once (each graph on one thread, its
/// pieces in order); the first error stops the others from starting new graphs.
fn in_parallel<T: Sync + ?Sized>(
    graphs: &[&T],
    jobs: usize,
    work: &(dyn Fn(&T) -> Result<(), RemoteError> + Sync),
) -> Result<(), RemoteError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed: std::sync::Mutex<Option<RemoteError>> = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, graphs.len().max(1)) {
            scope.spawn(|| loop {
                if failed.lock().map_or(true, |f| f.is_some()) {
                    return;
                }
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(graph) = graphs.get(i) else { return };
                if let Err(e) = work(graph) {
                    if let Ok(mut f) = failed.lock() {
                        f.get_or_insert(e);
                    }
                    return;
                }
            });
        }
    });
    match failed.into_inner() {
        Ok(Some(error)) => Err(error),
        _ => Ok(()),
    }
}

/// Whether to write whole datasets (N-Quads, many graphs per request) instead of one graph per
/// request: only to Oxigraph server, whose Graph Store endpoint takes a dataset when a request
/// names no graph (an extension of the protocol). On the 1M-statement synthetic case's 1,000
/// small graphs this is a few dozen requests instead of a thousand.
fn dataset_writes(endpoint: &Endpoint, options: &PushOptions) -> bool {
    endpoint
        .server()
        .is_some_and(|s| s.starts_with("Oxigraph/"))
        && options
            .graph_store
            .split('?')
            .next()
            .is_some_and(|p| p.ends_with("/store"))
}

/// A POST of N-Quads to the Graph Store endpoint itself, with Oxigraph's bulk loader. Not
/// retried: a second copy would duplicate the piece's blank nodes.
fn dataset_post(
    endpoint: &Endpoint,
    options: &PushOptions,
    body: &[u8],
) -> Result<super::Answer, RemoteError> {
    let url = with_query(&options.graph_store, &[("no_transaction", "")]);
    endpoint.client().send(
        &Call {
            method: Method::POST,
            url: &url,
            headers: vec![(
                "Content-Type",
                "application/n-quads; charset=utf-8".to_owned(),
            )],
            body,
            idempotent: false,
        },
        GRAPH_STORE,
    )
}

/// N-Quads lines.
fn nquads(quads: &[Quad]) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(quads.len() * 140);
    for quad in quads {
        let _ = writeln!(out, "{quad} .");
    }
    out.into_bytes()
}

/// One Graph Store request on `graph`.
///
/// A write to Oxigraph server (its `Server` header says so) asks for its bulk loader with
/// `no_transaction`, which loads a million triples in about a quarter of the time of its default
/// transaction per request; a write is then not atomic, which a push is not anyway (a graph is
/// several requests), and a push cut short is repaired by the next, which finds the counts
/// wrong and replaces the graph.
fn gsp(
    endpoint: &Endpoint,
    options: &PushOptions,
    method: Method,
    graph: &NamedNode,
    body: &[u8],
    idempotent: bool,
) -> Result<super::Answer, RemoteError> {
    let mut pairs = vec![(options.graph_param.as_str(), graph.as_str())];
    if matches!(method, Method::PUT | Method::POST)
        && endpoint
            .server()
            .is_some_and(|s| s.starts_with("Oxigraph/"))
    {
        pairs.push(("no_transaction", ""));
    }
    let url = with_query(&options.graph_store, &pairs);
    let mut headers = Vec::new();
    if !body.is_empty() || method != Method::DELETE {
        // N-Triples is Turtle: every Graph Store implementation reads text/turtle.
        headers.push(("Content-Type", "text/turtle; charset=utf-8".to_owned()));
    }
    endpoint.client().send(
        &Call {
            method,
            url: &url,
            headers,
            body,
            idempotent,
        },
        GRAPH_STORE,
    )
}

/// The store's triples of `graph` (a Graph Store GET).
fn fetch(
    endpoint: &Endpoint,
    options: &PushOptions,
    graph: &NamedNode,
) -> Result<Vec<Triple>, RemoteError> {
    let url = with_query(
        &options.graph_store,
        &[(options.graph_param.as_str(), graph.as_str())],
    );
    let answer = endpoint.client().send(
        &Call {
            method: Method::GET,
            url: &url,
            headers: vec![(
                "Accept",
                "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5".to_owned(),
            )],
            body: b"",
            idempotent: true,
        },
        GRAPH_STORE,
    )?;
    let media_type = super::content_type(&answer);
    // Some stores label N-Triples text/plain.
    let format = RdfFormat::from_media_type(&media_type).unwrap_or(RdfFormat::Turtle);
    let reader = answer.into_body().into_reader();
    RdfParser::from_format(format)
        .for_reader(reader)
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .map_err(|e| RemoteError::BadAnswer {
            url,
            message: e.to_string(),
        })
}

/// Whether two graphs are the same, blank nodes up to renaming. `case` is sorted and
/// deduplicated ([`sorted`]); without blank nodes the comparison is of the sorted lists, with
/// them of the canonicalised graphs.
fn same_graph(store: Vec<Triple>, case: &[Triple]) -> bool {
    let has_blank = |t: &Triple| !blanks(t).is_empty();
    if !case.iter().any(has_blank) && !store.iter().any(has_blank) {
        return sorted(store) == case;
    }
    let mut a: Graph = store.iter().collect();
    let mut b: Graph = case.iter().collect();
    if a.len() != b.len() {
        return false;
    }
    a.canonicalize(CanonicalizationAlgorithm::Unstable);
    b.canonicalize(CanonicalizationAlgorithm::Unstable);
    a == b
}

/// The triples in pieces of at most `batch` (at least one per piece), the triples that share
/// blank nodes (directly or through others) kept in one piece, even when that piece is larger.
pub fn pieces(triples: &[Triple], batch: usize) -> Vec<Vec<Triple>> {
    pieces_of(triples, batch, blanks)
}

/// [`pieces`] of any statements, `blanks_of` naming each one's blank nodes.
fn pieces_of<'a, T: Clone>(
    triples: &'a [T],
    batch: usize,
    blanks_of: impl Fn(&'a T) -> Vec<&'a str>,
) -> Vec<Vec<T>> {
    let blanks = blanks_of;
    let batch = batch.max(1);
    // Union-find over blank nodes: each component of connected blank nodes goes whole.
    let mut parent: FxHashMap<&str, &str> = FxHashMap::default();
    fn root<'a>(parent: &mut FxHashMap<&'a str, &'a str>, node: &'a str) -> &'a str {
        let mut r = node;
        while let Some(&p) = parent.get(r) {
            if p == r {
                break;
            }
            r = p;
        }
        parent.insert(node, r);
        r
    }
    for triple in triples {
        let nodes = blanks(triple);
        for node in &nodes {
            parent.entry(node).or_insert(node);
        }
        if let [a, b] = nodes[..] {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            if ra != rb {
                parent.insert(ra, rb);
            }
        }
    }
    let mut components: BTreeMap<&str, Vec<T>> = BTreeMap::new();
    let mut ground = Vec::new();
    for triple in triples {
        match blanks(triple).first() {
            Some(node) => {
                let r = root(&mut parent, node);
                components.entry(r).or_default().push(triple.clone());
            }
            None => ground.push(triple.clone()),
        }
    }
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut current: Vec<T> = Vec::new();
    for component in components.into_values() {
        if !current.is_empty() && current.len() + component.len() > batch {
            out.push(std::mem::take(&mut current));
        }
        current.extend(component);
    }
    for triple in ground {
        if current.len() >= batch {
            out.push(std::mem::take(&mut current));
        }
        current.push(triple);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The blank nodes of a triple's subject and object.
fn blanks(triple: &Triple) -> Vec<&str> {
    blank_labels(&triple.subject, &triple.object)
}

/// The labels of the blank nodes among a statement's subject and object.
fn blank_labels<'a>(subject: &'a NamedOrBlankNode, object: &'a Term) -> Vec<&'a str> {
    let mut out = Vec::new();
    if let NamedOrBlankNode::BlankNode(b) = subject {
        out.push(b.as_str());
    }
    if let Term::BlankNode(b) = object {
        out.push(b.as_str());
    }
    out
}

/// N-Triples lines (which are Turtle too).
fn ntriples(triples: &[Triple]) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(triples.len() * 120);
    for triple in triples {
        let _ = writeln!(out, "{triple} .");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(format!("http://x/{s}")).unwrap()
    }

    #[test]
    fn blank_nodes_stay_in_one_piece() {
        let (a, b) = (BlankNode::new("a").unwrap(), BlankNode::new("b").unwrap());
        let mut triples = vec![
            Triple::new(iri("s"), iri("p"), a.clone()),
            Triple::new(a.clone(), iri("p"), b.clone()),
            Triple::new(b.clone(), iri("p"), Literal::from(1)),
        ];
        for i in 0..5 {
            triples.push(Triple::new(iri(&format!("g{i}")), iri("p"), iri("o")));
        }
        let pieces = pieces(&triples, 2);
        let with_blank: Vec<_> = pieces
            .iter()
            .filter(|p| p.iter().any(|t| t.to_string().contains("_:")))
            .collect();
        assert_eq!(with_blank.len(), 1, "{pieces:?}");
        assert_eq!(with_blank[0].len(), 3);
        assert_eq!(pieces.iter().map(Vec::len).sum::<usize>(), 8);
        assert!(pieces
            .iter()
            .filter(|p| !p.iter().any(|t| t.to_string().contains("_:")))
            .all(|p| p.len() <= 2));
    }

    #[test]
    fn graphs_outside_the_namespace_are_refused() {
        let namespace = Namespace::new("http://x/case/").unwrap();
        let quad = |g: &str| Quad::new(iri("s"), iri("p"), iri("o"), NamedNode::new(g).unwrap());
        let graphs = case_graphs(
            vec![
                quad("http://x/case/a1"),
                quad("http://x/case/a2"),
                quad(ONTOLOGY_GRAPH),
            ],
            &namespace,
        )
        .unwrap();
        let names: Vec<_> = graphs
            .iter()
            .map(|g| (g.role, g.iri.as_str(), g.triples.len()))
            .collect();
        assert_eq!(
            names,
            vec![
                (Role::Article, "http://x/case/a1", 1),
                (Role::Article, "http://x/case/a2", 1),
                (Role::Ontology, "http://x/case/graph/ontology", 1),
                (Role::Merged, "http://x/case/graph/merged", 1),
            ]
        );
        let error = case_graphs(vec![quad("http://elsewhere/g")], &namespace).unwrap_err();
        assert!(
            error.to_string().contains("outside the case's namespace"),
            "{error}"
        );
    }

    #[test]
    fn renamed_blank_nodes_are_the_same_graph() {
        let t = |b: &str| Triple::new(BlankNode::new(b).unwrap(), iri("p"), iri("o"));
        assert!(same_graph(vec![t("x")], &[t("y")]));
        assert!(!same_graph(
            vec![t("x")],
            &[Triple::new(iri("s"), iri("p"), iri("o"))]
        ));
        let ground = |o: &str| Triple::new(iri("s"), iri("p"), iri(o));
        let case = sorted(vec![ground("b"), ground("a")]);
        assert!(same_graph(
            vec![ground("b"), ground("a"), ground("a")],
            &case
        ));
        assert!(!same_graph(vec![ground("a"), ground("c")], &case));
    }
}
