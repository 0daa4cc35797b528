//! `undeclared-term`: a class or property used in `data/` that the ontology does not declare,
//! with the closest declared term when the name looks like a typo of one.

use super::super::positions::{Role, RDF_TYPE};
use super::super::{vocab, Diagnostic, Severity, Sources};
use super::{iri_of, namespace, report_each, Model};
use crate::case::Part;
use std::collections::BTreeMap;

pub(super) fn run(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    for file in sources.part(Part::Data) {
        let mut undeclared: BTreeMap<String, bool> = BTreeMap::new(); // IRI -> is a class
        for quad in &file.quads {
            let p = quad.predicate.as_str();
            if !model.is_declared(p) {
                undeclared.insert(p.to_owned(), false);
            }
            if p == RDF_TYPE {
                if let Some(class) = iri_of(&quad.object).filter(|c| !model.is_declared(c)) {
                    undeclared.insert(class.to_owned(), true);
                }
            }
        }
        for (iri, is_class) in undeclared {
            let what = if is_class { "class" } else { "property" };
            let candidates = if is_class {
                &model.classes
            } else {
                &model.properties
            };
            let suggestion = suggest(
                &iri,
                candidates.iter().cloned().chain(vocab::built_in_terms()),
            )
            .map(|s| format!("; did you mean `{}`?", model.short(&s)))
            .unwrap_or_default();
            let matches_role = |r: &Role| match r {
                Role::Predicate => !is_class,
                Role::Object(Some(p)) => is_class && p == RDF_TYPE,
                _ => false,
            };
            report_each(file, &iri, matches_role, out, |text| {
                Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Error,
                    "undeclared-term",
                    format!("{what} `{text}` is not declared by the ontology{suggestion}"),
                )
            });
        }
    }
}

/// The candidate closest to `iri` by edit distance, if it is close enough to be a typo.
pub fn suggest(iri: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    let local = |s: &str| s[namespace(s).len()..].to_owned();
    let wanted = local(iri);
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| c != iri)
        .map(|c| {
            // Same namespace: compare local names; else the whole IRI, so that a wrong
            // namespace with the right local name is found too.
            let distance = if namespace(&c) == namespace(iri) {
                edit_distance(&wanted, &local(&c))
            } else if local(&c) == wanted {
                1
            } else {
                usize::MAX
            };
            (distance, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The optimal string alignment distance: insertions, deletions, substitutions and
/// transpositions of adjacent characters each cost 1.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert_eq!(edit_distance("agent", "agnet"), 1);
        assert_eq!(edit_distance("date", "dates"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_the_closest_term_in_the_same_namespace() {
        let candidates = ["http://e/agent", "http://e/target", "http://f/agnet"].map(String::from);
        assert_eq!(
            suggest("http://e/agnet", candidates.clone()),
            Some("http://e/agent".to_owned())
        );
        assert_eq!(suggest("http://e/somethingElse", candidates), None);
    }

    #[test]
    fn suggests_the_right_namespace_for_a_known_local_name() {
        let candidates = ["http://purl.org/dc/terms/identifier".to_owned()];
        assert_eq!(
            suggest("http://purl.org/dc/elements/1.1/identifier", candidates),
            Some("http://purl.org/dc/terms/identifier".to_owned())
        );
    }
}
