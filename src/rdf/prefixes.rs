//! The prefix map of a case: collected from its files, used to read terms and to write names.
//!
//! Which binding of a name the case uses never depends on the order of its files: a name that
//! every declaring file binds alike is bound so; where files disagree, the ontology's binding
//! wins (the ontology is the case's schema, the defined place for its shared prefixes); where
//! nothing settles it, the name is left unbound, so `-e`, `--param` and `--focus` refuse it
//! instead of silently reading another namespace. Each disagreement is a [`Warning`].

use crate::warning::Warning;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Prefixes every case knows, unless its files bind the names otherwise.
const WELL_KNOWN: &[(&str, &str)] = &[
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// Prefix names and the namespace IRIs they stand for.
///
/// The first binding of a name wins: files are read ontology first, then data, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefixes {
    by_name: BTreeMap<String, String>,
    /// Namespaces, longest first, so that a name is compacted with its most specific prefix.
    longest_first: Vec<(String, String)>,
}

impl Prefixes {
    /// A map holding only the well-known prefixes (`rdf`, `rdfs`, `xsd`, `owl`).
    pub fn well_known() -> Self {
        let mut prefixes = Self::default();
        for (name, iri) in WELL_KNOWN {
            prefixes.add(name, iri);
        }
        prefixes
    }

    /// Adds a binding unless the name is already bound.
    pub fn add(&mut self, name: &str, iri: &str) {
        if self.by_name.contains_key(name) {
            return;
        }
        self.by_name.insert(name.to_owned(), iri.to_owned());
        self.longest_first = self
            .by_name
            .iter()
            .map(|(n, i)| (n.clone(), i.clone()))
            .collect();
        // Ties are broken by name, so the choice never depends on insertion order.
        self.longest_first
            .sort_by(|(n1, i1), (n2, i2)| i2.len().cmp(&i1.len()).then_with(|| n1.cmp(n2)));
    }

    /// The namespace bound to `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).map(String::as_str)
    }

    /// Every binding, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_name.iter().map(|(n, i)| (n.as_str(), i.as_str()))
    }

    /// The bound names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.by_name.keys().cloned().collect()
    }

    /// Splits `iri` into the prefix that abbreviates it and the local name, choosing the longest
    /// namespace whose remainder is a plain Turtle local name.
    pub fn split<'a>(&'a self, iri: &'a str) -> Option<(&'a str, &'a str)> {
        self.longest_first.iter().find_map(|(name, namespace)| {
            let local = iri.strip_prefix(namespace.as_str())?;
            is_plain_local_name(local).then_some((name.as_str(), local))
        })
    }

    /// `prefix:local` where a prefix fits, else `<iri>`.
    pub fn compact(&self, iri: &str) -> String {
        match self.split(iri) {
            Some((name, local)) => format!("{name}:{local}"),
            None => format!("<{iri}>"),
        }
    }

    /// Only the bindings that compact at least one of `iris`.
    pub fn used_by<'a>(&self, iris: impl IntoIterator<Item = &'a str>) -> Self {
        let mut used = Self::default();
        for iri in iris {
            if let Some((name, _)) = self.split(iri) {
                if used.get(name).is_none() {
                    if let Some(namespace) = self.get(name) {
                        used.add(name, namespace);
                    }
                }
            }
        }
        used
    }
}

/// Where each file bound each prefix name: gathered while a case is read, then
/// [settled](Declarations::settle) into the case's [`Prefixes`].
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    /// name -> namespace -> (bound by an ontology file, the files that bind it so).
    by_name: BTreeMap<String, BTreeMap<String, (bool, BTreeSet<PathBuf>)>>,
}

impl Declarations {
    /// Records that `file` (an ontology file or not) binds `name` to `iri`.
    pub fn declare(&mut self, name: &str, iri: &str, file: &Path, ontology: bool) {
        let entry = self
            .by_name
            .entry(name.to_owned())
            .or_default()
            .entry(iri.to_owned())
            .or_default();
        entry.0 |= ontology;
        entry.1.insert(file.to_owned());
    }

    /// The case's prefixes (the well-known ones fill names no file binds) and a warning for
    /// each name that files bind to different namespaces (see the module's rule).
    pub fn settle(self) -> (Prefixes, Vec<Warning>) {
        let mut prefixes = Prefixes::default();
        let mut warnings = Vec::new();
        let mut conflicting = BTreeSet::new();
        for (name, namespaces) in self.by_name {
            if namespaces.len() == 1 {
                if let Some(iri) = namespaces.keys().next() {
                    prefixes.add(&name, iri);
                }
                continue;
            }
            let ontology: Vec<&String> = namespaces
                .iter()
                .filter(|(_, (ontology, _))| *ontology)
                .map(|(iri, _)| iri)
                .collect();
            let used = match ontology.as_slice() {
                [iri] => Some((*iri).clone()),
                _ => None,
            };
            match &used {
                Some(iri) => prefixes.add(&name, iri),
                None => {
                    conflicting.insert(name.clone());
                }
            }
            warnings.push(Warning::PrefixConflict {
                name,
                bindings: namespaces
                    .into_iter()
                    .map(|(iri, (_, files))| (iri, files.into_iter().collect()))
                    .collect(),
                used,
            });
        }
        for (name, iri) in WELL_KNOWN {
            if !conflicting.contains(*name) {
                prefixes.add(name, iri);
            }
        }
        (prefixes, warnings)
    }
}

/// A local name that Turtle can write without escapes (a conservative subset of `PN_LOCAL`):
/// letters, digits, `_`, `-` and inner `.`; empty is allowed (`ex:`).
fn is_plain_local_name(local: &str) -> bool {
    let Some(first) = local.chars().next() else {
        return true;
    };
    if first == '-' || first == '.' || local.ends_with('.') {
        return false;
    }
    local
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_namespace_wins() {
        let mut p = Prefixes::default();
        p.add("case", "https://x.org/case/");
        p.add("src", "https://x.org/case/source/");
        assert_eq!(p.compact("https://x.org/case/source/000"), "src:000");
        assert_eq!(p.compact("https://x.org/case/Hikvision"), "case:Hikvision");
    }

    #[test]
    fn a_conflict_is_settled_by_the_ontology_whatever_the_file_order() {
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let declarations = [
                ("case", "https://good.example/", "ontology/o.ttl", true),
                ("case", "http://evil.example/", "data/aaa.ttl", false),
                ("case", "https://good.example/", "data/b.ttl", false),
            ];
            let mut d = Declarations::default();
            for i in order {
                let (name, iri, file, ontology) = declarations[i];
                d.declare(name, iri, Path::new(file), ontology);
            }
            let (prefixes, warnings) = d.settle();
            assert_eq!(prefixes.get("case"), Some("https://good.example/"));
            assert_eq!(warnings.len(), 1);
        }
    }

    #[test]
    fn a_conflict_nothing_settles_leaves_the_name_unbound() {
        let mut d = Declarations::default();
        d.declare(
            "case",
            "https://good.example/",
            Path::new("data/b.ttl"),
            false,
        );
        d.declare(
            "case",
            "http://evil.example/",
            Path::new("data/aaa.ttl"),
            false,
        );
        d.declare(
            "rdf",
            "http://evil.example/rdf#",
            Path::new("data/aaa.ttl"),
            false,
        );
        d.declare("rdf", RDF, Path::new("data/b.ttl"), false);
        let (prefixes, warnings) = d.settle();
        assert_eq!(prefixes.get("case"), None);
        assert_eq!(
            prefixes.get("rdf"),
            None,
            "a well-known name in conflict stays unbound"
        );
        assert_eq!(
            prefixes.get("xsd"),
            Some("http://www.w3.org/2001/XMLSchema#")
        );
        assert_eq!(warnings.len(), 2);
    }

    const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    #[test]
    fn names_that_need_escapes_stay_full_iris() {
        let p = Prefixes::well_known();
        assert_eq!(
            p.compact("http://www.w3.org/2001/XMLSchema#a/b"),
            "<http://www.w3.org/2001/XMLSchema#a/b>"
        );
    }
}
