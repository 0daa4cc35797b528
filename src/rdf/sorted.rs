//! Quads held as four compact ids into one table of distinct terms, and put in the canonical
//! order of [`crate::rdf::order`] with canonical blank-node names: what a sorted export holds
//! instead of owned quads.
//!
//! A million owned quads are four heap strings each, most of them repeats (a predicate, a graph
//! name, an entity named in many statements): about 0.8 GB with the files' text. Held as ids, a
//! quad is 16 bytes and each distinct term is stored once; the sort compares integers, each
//! term's place in the term order having been found once, by sorting the distinct terms.

use crate::error::{Error, Result};
use crate::rdf::order::cmp_terms;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    Dataset, GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    QuadRef, Term, TermRef,
};
use rustc_hash::FxHashMap;

/// The id of the default graph, which is no term.
const DEFAULT_GRAPH: u32 = u32::MAX;

/// The most distinct terms a dataset may hold: ids above it are the default graph's, and the
/// sort keys of graphs and predicates are a term's place plus one or two.
pub const MAX_TERMS: usize = (u32::MAX - 3) as usize;

/// Quads being gathered: each distinct term once, each quad as the ids of its terms.
pub struct Interner {
    /// Each distinct term and its id, ids counted from 0 in the order terms were first seen
    /// (predicate, subject, object, graph name, quad by quad).
    ids: FxHashMap<Term, u32>,
    /// `[subject, predicate, object, graph]`, the graph [`DEFAULT_GRAPH`] for the default graph.
    quads: Vec<[u32; 4]>,
    /// Whether graph names are kept; if not, every quad lands in the default graph.
    keep_graphs: bool,
    /// Whether some term is a blank node, to be named canonically before sorting.
    blank_nodes: bool,
}

impl Interner {
    /// An empty set of quads; without `keep_graphs` (formats without named graphs) each
    /// quad is put in the default graph, so that a triple stated by several graphs is held once.
    pub fn new(keep_graphs: bool) -> Self {
        Self {
            ids: FxHashMap::default(),
            quads: Vec::new(),
            keep_graphs,
            blank_nodes: false,
        }
    }

    /// Adds `quads`, taking their terms: a term already held is dropped, a new one kept.
    pub fn extend(&mut self, quads: impl IntoIterator<Item = Quad>) -> Result<()> {
        for quad in quads {
            self.push(quad)?;
        }
        Ok(())
    }

    /// Adds one quad.
    pub fn push(&mut self, quad: Quad) -> Result<()> {
        // Predicate first: the ids then follow the order in which the RDF/XML check of
        // `crate::export::rdf` has always looked at a quad's terms (see `first_term`).
        let predicate = self.intern(quad.predicate.into())?;
        let subject = self.intern(quad.subject.into())?;
        let object = self.intern(quad.object)?;
        // The graph name is held even when it is dropped, as every term of the input is looked
        // at by `first_term`.
        let graph = match quad.graph_name {
            GraphName::DefaultGraph => DEFAULT_GRAPH,
            GraphName::NamedNode(n) => self.intern(n.into())?,
            GraphName::BlankNode(b) => self.intern(b.into())?,
        };
        let graph = if self.keep_graphs {
            graph
        } else {
            DEFAULT_GRAPH
        };
        self.quads.push([subject, predicate, object, graph]);
        Ok(())
    }

    fn intern(&mut self, term: Term) -> Result<u32> {
        let next = self.ids.len();
        if next >= MAX_TERMS {
            return Err(Error::TooManyTerms { limit: MAX_TERMS });
        }
        self.blank_nodes |= term.is_blank_node();
        // `next` is below MAX_TERMS, which fits in a u32.
        Ok(*self.ids.entry(term).or_insert(next as u32))
    }

    /// How many quads were added (repeats counted).
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// Whether no quad was added.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    /// The first term, in the order the quads were added (and in each quad: predicate, subject,
    /// object, graph name), that `matches`.
    pub fn first_term(&self, matches: impl Fn(TermRef<'_>) -> bool) -> Option<TermRef<'_>> {
        // Ids count terms in the order they were first seen, so the smallest id matching is
        // the first such term in that order.
        self.ids
            .iter()
            .filter(|(term, _)| matches(term.as_ref()))
            .min_by_key(|(_, id)| **id)
            .map(|(term, _)| term.as_ref())
    }

    /// Gives the blank nodes their canonical names and sorts, each quad once.
    pub fn sorted(mut self) -> Result<Sorted> {
        if self.blank_nodes {
            self.name_blank_nodes_canonically()?;
        }
        let type_id = self.ids.get(&Term::from(rdf::TYPE.into_owned())).copied();
        let label_id = self.ids.get(&Term::from(rdfs::LABEL.into_owned())).copied();
        // Each distinct term's place in the term order; the map is consumed as it is read.
        let mut terms: Vec<(u32, Term)> = self.ids.into_iter().map(|(t, id)| (id, t)).collect();
        terms.sort_unstable_by(|a, b| cmp_terms(a.1.as_ref(), b.1.as_ref()));
        let mut place = vec![0u32; terms.len()];
        for (rank, (id, _)) in terms.iter().enumerate() {
            // Fewer than MAX_TERMS terms: every place fits in a u32.
            place[*id as usize] = rank as u32;
        }
        let type_place = type_id.map(|id| place[id as usize]);
        let label_place = label_id.map(|id| place[id as usize]);
        let keys = Keys {
            type_place,
            label_place,
        };
        let mut quads = self.quads;
        for quad in &mut quads {
            let [subject, predicate, object, graph] = *quad;
            *quad = [
                keys.graph(graph, &place),
                place[subject as usize],
                place[predicate as usize],
                place[object as usize],
            ];
        }
        drop(place);
        // Integers in the order of `cmp_quads`: graph, subject, predicate, object. Places are
        // one to one with terms, so equal keys are equal quads.
        quads.sort_unstable_by_key(|&[graph, subject, predicate, object]| {
            (graph, subject, keys.predicate(predicate), object)
        });
        quads.dedup();
        Ok(Sorted {
            terms: terms.into_iter().map(|(_, term)| term).collect(),
            quads,
        })
    }

    /// Gives the blank nodes their canonical names (RDFC-1.0), as
    /// [`crate::export::rdf::name_blank_nodes_canonically`] does: only the quads that mention
    /// one are canonicalised, and come back with new blank nodes.
    fn name_blank_nodes_canonically(&mut self) -> Result<()> {
        let mut by_id: Vec<Option<&Term>> = vec![None; self.ids.len()];
        for (term, &id) in &self.ids {
            by_id[id as usize] = Some(term);
        }
        let term = |id: u32| by_id.get(id as usize).copied().flatten();
        let blank = |id: u32| term(id).is_some_and(Term::is_blank_node);
        let mut dataset = Dataset::new();
        self.quads.retain(|&[subject, predicate, object, graph]| {
            if !(blank(subject) || blank(object) || blank(graph)) {
                return true;
            }
            if let Some(quad) = materialise(
                term(subject),
                term(predicate),
                term(object),
                graph,
                term(graph),
            ) {
                dataset.insert(&quad);
            }
            false
        });
        drop(by_id);
        dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
        let canonical: Vec<Quad> = dataset.iter().map(QuadRef::into_owned).collect();
        drop(dataset);
        // The quads' other terms are held already: only the new blank nodes are added.
        self.extend(canonical)
    }
}

/// A quad of held terms, from its ids; `None` if an id holds no term of its place, which
/// [`Interner::push`] never makes.
fn materialise(
    subject: Option<&Term>,
    predicate: Option<&Term>,
    object: Option<&Term>,
    graph: u32,
    graph_term: Option<&Term>,
) -> Option<Quad> {
    let subject = match subject? {
        Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
        Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
        _ => return None,
    };
    let Term::NamedNode(predicate) = predicate? else {
        return None;
    };
    let graph = match (graph, graph_term) {
        (DEFAULT_GRAPH, _) => GraphName::DefaultGraph,
        (_, Some(Term::NamedNode(n))) => n.clone().into(),
        (_, Some(Term::BlankNode(b))) => b.clone().into(),
        _ => return None,
    };
    Some(Quad::new(
        subject,
        predicate.clone(),
        object?.clone(),
        graph,
    ))
}

/// How the places of graph names and predicates (in the term order) become sort keys.
#[derive(Debug, Clone, Copy)]
struct Keys {
    type_place: Option<u32>,
    label_place: Option<u32>,
}

impl Keys {
    /// The default graph first, then named graphs in term order.
    fn graph(self, graph: u32, place: &[u32]) -> u32 {
        if graph == DEFAULT_GRAPH {
            0
        } else {
            place[graph as usize] + 1
        }
    }

    /// `rdf:type`, then `rdfs:label`, then the other predicates in term order: the order of
    /// [`crate::rdf::order::cmp_quads`]. One to one: `place + 2` never meets 0 or 1.
    fn predicate(self, place: u32) -> u32 {
        if Some(place) == self.type_place {
            0
        } else if Some(place) == self.label_place {
            1
        } else {
            place + 2
        }
    }
}

/// Quads in the canonical order, each once, as sort keys into a table of their terms.
pub struct Sorted {
    /// The distinct terms, in term order.
    terms: Vec<Term>,
    /// `[graph key, subject, predicate, object]`, the graph key 0 for the default graph and
    /// a named graph's place plus one, the others places in `terms`; sorted.
    quads: Vec<[u32; 4]>,
}

impl Sorted {
    /// How many quads there are.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// Whether there is no quad.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    /// How many distinct triples the quads state, all graphs merged.
    pub fn distinct_triples(&self) -> usize {
        let mut triples: Vec<[u32; 3]> = self.quads.iter().map(|&[_, s, p, o]| [s, p, o]).collect();
        triples.sort_unstable();
        triples.dedup();
        triples.len()
    }

    /// The quads in order.
    pub fn iter(&self) -> impl Iterator<Item = QuadRef<'_>> + Clone + '_ {
        self.quads
            .iter()
            .map(|&[graph, subject, predicate, object]| {
                QuadRef::new(
                    self.subject(subject),
                    self.predicate(predicate),
                    self.terms[object as usize].as_ref(),
                    match graph {
                        0 => GraphNameRef::DefaultGraph,
                        graph => match self.subject(graph - 1) {
                            NamedOrBlankNodeRef::NamedNode(n) => n.into(),
                            NamedOrBlankNodeRef::BlankNode(b) => b.into(),
                        },
                    },
                )
            })
    }

    // The places below are those `Interner::sorted` gave the terms of these positions, which
    // `Interner::push` took from a subject, a predicate or a graph name: a literal (or a blank
    // node as predicate) cannot be there.
    fn subject(&self, place: u32) -> NamedOrBlankNodeRef<'_> {
        match &self.terms[place as usize] {
            Term::NamedNode(n) => n.as_ref().into(),
            Term::BlankNode(b) => b.as_ref().into(),
            other => unreachable!("a subject or graph name held as {other}"),
        }
    }

    fn predicate(&self, place: u32) -> NamedNodeRef<'_> {
        match &self.terms[place as usize] {
            Term::NamedNode(n) => n.as_ref(),
            other => unreachable!("a predicate held as {other}"),
        }
    }
}
