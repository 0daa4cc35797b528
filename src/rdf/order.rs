//! A total order on RDF terms and quads that allocates nothing, for deterministic output.
//!
//! IRIs come first, then blank nodes, then literals; IRIs and blank nodes by their text,
//! literals by value, then datatype, then language. Sorting a million quads by comparing their
//! N-Triples strings allocated two strings per comparison and dominated export time.

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, QuadRef, TermRef};
use std::cmp::Ordering;

/// Compares two terms.
pub fn cmp_terms(a: TermRef<'_>, b: TermRef<'_>) -> Ordering {
    match (a, b) {
        (TermRef::NamedNode(a), TermRef::NamedNode(b)) => a.as_str().cmp(b.as_str()),
        (TermRef::BlankNode(a), TermRef::BlankNode(b)) => a.as_str().cmp(b.as_str()),
        (TermRef::Literal(a), TermRef::Literal(b)) => a
            .value()
            .cmp(b.value())
            .then_with(|| a.datatype().as_str().cmp(b.datatype().as_str()))
            .then_with(|| a.language().cmp(&b.language())),
        _ => kind(a).cmp(&kind(b)),
    }
}

fn kind(term: TermRef<'_>) -> u8 {
    match term {
        TermRef::NamedNode(_) => 0,
        TermRef::BlankNode(_) => 1,
        TermRef::Literal(_) => 2,
        #[allow(unreachable_patterns)]
        _ => 3,
    }
}

/// Compares two subjects.
pub fn cmp_subjects(a: NamedOrBlankNodeRef<'_>, b: NamedOrBlankNodeRef<'_>) -> Ordering {
    cmp_terms(a.into(), b.into())
}

/// The default graph first, then named graphs in term order.
pub fn cmp_graphs(a: GraphNameRef<'_>, b: GraphNameRef<'_>) -> Ordering {
    match (a, b) {
        (GraphNameRef::DefaultGraph, GraphNameRef::DefaultGraph) => Ordering::Equal,
        (GraphNameRef::DefaultGraph, _) => Ordering::Less,
        (_, GraphNameRef::DefaultGraph) => Ordering::Greater,
        (GraphNameRef::NamedNode(a), GraphNameRef::NamedNode(b)) => a.as_str().cmp(b.as_str()),
        (GraphNameRef::BlankNode(a), GraphNameRef::BlankNode(b)) => a.as_str().cmp(b.as_str()),
        (GraphNameRef::NamedNode(_), _) => Ordering::Less,
        (_, GraphNameRef::NamedNode(_)) => Ordering::Greater,
    }
}

/// Graph, subject, predicate (`rdf:type` and `rdfs:label` first: that is how people read a
/// block of Turtle), object.
pub fn cmp_quads(a: QuadRef<'_>, b: QuadRef<'_>) -> Ordering {
    cmp_graphs(a.graph_name, b.graph_name)
        .then_with(|| cmp_subjects(a.subject, b.subject))
        .then_with(|| predicate_rank(a).cmp(&predicate_rank(b)))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| cmp_terms(a.object, b.object))
}

fn predicate_rank(quad: QuadRef<'_>) -> u8 {
    match quad.predicate {
        p if p == rdf::TYPE => 0,
        p if p == rdfs::LABEL => 1,
        _ => 2,
    }
}
