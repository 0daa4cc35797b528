//! `unused-term`: a class or property the case's own ontology mints that no data uses, nor any
//! sub-class or sub-property of it.
//!
//! The terms of a shared ontology are not the case's own: an ontology that another ontology of
//! the case imports (`owl:imports`) and that is loaded with it, as `casegraph new` sets up the
//! casegraph ontology. A case uses what it needs of those.

use super::super::positions::{Role, RDF_TYPE};
use super::super::{Diagnostic, Severity, Sources};
use super::{iri_of, Model, OWL, RDFS};
use crate::case::Part;
use oxigraph::model::{NamedOrBlankNode, Quad};
use std::collections::HashSet;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

pub(super) fn run(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    let ontologies: Vec<String> = model
        .types
        .iter()
        .filter(|(iri, types)| {
            types.contains(&format!("{OWL}Ontology")) && !model.is_shared_ontology(iri)
        })
        .map(|(iri, _)| iri.clone())
        .collect();
    // Everything the data uses, and everything above it.
    let mut used: HashSet<String> = HashSet::new();
    for quad in sources.part(Part::Data).flat_map(|f| &f.quads) {
        used.extend(model.ancestors(quad.predicate.as_str()));
        if quad.predicate.as_str() == RDF_TYPE {
            if let Some(class) = iri_of(&quad.object) {
                used.extend(model.ancestors(class));
            }
        }
    }
    let is_term_type = |t: &String| {
        [
            format!("{OWL}Class"),
            format!("{RDFS}Class"),
            format!("{OWL}ObjectProperty"),
            format!("{OWL}DatatypeProperty"),
            format!("{OWL}AnnotationProperty"),
            format!("{RDF}Property"),
        ]
        .contains(t)
    };
    for term in &model.declared {
        let own = ontologies
            .iter()
            .any(|o| term != o && term.starts_with(o.as_str()));
        let is_term = model
            .types
            .get(term)
            .is_some_and(|types| types.iter().any(is_term_type));
        if !own || !is_term || used.contains(term) {
            continue;
        }
        for file in sources.part(Part::Ontology) {
            if file
                .quads
                .iter()
                .any(|q: &Quad| matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == term))
            {
                let position = file.find(term, |r| *r == Role::Subject);
                out.push(Diagnostic::new(
                    &file.path,
                    position,
                    Severity::Warning,
                    "unused-term",
                    format!("`{}` is declared by the ontology but no data uses it (nor any sub-class or sub-property of it)", model.short(term)),
                ));
                break;
            }
        }
    }
}
