//! The prefix map of a case: collected from its files, used to read terms and to write names.

use std::collections::BTreeMap;

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
    fn names_that_need_escapes_stay_full_iris() {
        let p = Prefixes::well_known();
        assert_eq!(
            p.compact("http://www.w3.org/2001/XMLSchema#a/b"),
            "<http://www.w3.org/2001/XMLSchema#a/b>"
        );
    }
}
