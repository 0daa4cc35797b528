//! `duplicate-entity`: two IRIs with the same label (ignoring case and spacing) and the same
//! class, likely the same entity minted twice.

use super::super::{Diagnostic, Severity, Sources};
use super::Model;
use crate::case::Part;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Properties that give an entity its name.
const LABELS: &[&str] = &[
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
];

pub(super) fn run(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    // (normalised label, class) -> IRIs, each IRI once.
    let mut groups: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut label_of: HashMap<String, String> = HashMap::new();
    for quad in sources.part(Part::Data).flat_map(|f| &f.quads) {
        let (NamedOrBlankNode::NamedNode(s), Term::Literal(label)) = (&quad.subject, &quad.object)
        else {
            continue;
        };
        if !LABELS.contains(&quad.predicate.as_str()) {
            continue;
        }
        let key = normalise(label.value());
        label_of
            .entry(s.as_str().to_owned())
            .or_insert_with(|| label.value().to_owned());
        for class in model.types.get(s.as_str()).into_iter().flatten() {
            groups
                .entry((key.clone(), class.clone()))
                .or_default()
                .insert(s.as_str().to_owned());
        }
    }
    let mut reported = HashSet::new();
    for ((_, class), iris) in groups {
        if iris.len() < 2 {
            continue;
        }
        // The first one written keeps the name; the others are reported.
        let mut located: Vec<_> = iris
            .iter()
            .map(|iri| {
                let node = Term::from(NamedNode::new_unchecked(iri.clone()));
                (sources.locate(&node), iri)
            })
            .collect();
        located.sort();
        let first = located[0].1.clone();
        for (place, iri) in located.into_iter().skip(1) {
            if !reported.insert((iri.clone(), first.clone())) {
                continue;
            }
            if let Some((file, position)) = place {
                out.push(Diagnostic::new(
                    &file,
                    position,
                    Severity::Warning,
                    "duplicate-entity",
                    format!(
                        "`{}` has the same label \"{}\" and class `{}` as `{}`: the same entity minted twice?",
                        model.short(iri),
                        label_of.get(iri).map(String::as_str).unwrap_or_default(),
                        model.short(&class),
                        model.short(&first)
                    ),
                ));
            }
        }
    }
}

fn normalise(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
