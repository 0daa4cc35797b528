//! `dangling-reference`: an IRI of the case's own namespaces used as an object but never
//! described (no triple has it as subject).

use super::super::positions::{Role, RDF_TYPE};
use super::super::{Diagnostic, Severity, Sources};
use super::{iri_of, namespace, report_each, Model};
use crate::case::Part;
use oxigraph::model::NamedOrBlankNode;
use std::collections::{BTreeSet, HashSet};

pub(super) fn run(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    // Only IRIs in a namespace the case itself describes things in: links to web pages and
    // to outside vocabularies are not expected to be described.
    let case_namespaces: HashSet<&str> = sources
        .part(Part::Data)
        .flat_map(|f| &f.quads)
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(n) => Some(namespace(n.as_str())),
            _ => None,
        })
        .collect();
    for file in sources.part(Part::Data) {
        let dangling: BTreeSet<&str> = file
            .quads
            .iter()
            .filter(|q| q.predicate.as_str() != RDF_TYPE)
            .filter_map(|q| iri_of(&q.object))
            .filter(|o| {
                !model.described.contains(*o)
                    && !model.is_declared(o)
                    && case_namespaces.contains(namespace(o))
            })
            .collect();
        for iri in dangling {
            let role = |r: &Role| matches!(r, Role::Object(p) if p.as_deref() != Some(RDF_TYPE));
            report_each(file, iri, role, out, |text| {
                Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Error,
                    "dangling-reference",
                    format!("`{text}` is used as an object but never described (no triple has it as subject)"),
                )
            });
        }
    }
}
