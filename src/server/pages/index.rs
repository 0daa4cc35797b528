//! What the pages are about: every entity and event of the case and every source article, each
//! with its label, other names, classes and the short name its page is found under.
//!
//! Built once from the store (which does not change while it is served), so that a page can
//! look up a label or a link without a query.

use super::search::fold;
use crate::error::Result;
use crate::graph::Labels;
use crate::rdf::prefixes::Prefixes;
use crate::store::{CaseStore, Layout};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use rustc_hash::{FxHashMap, FxHashSet};

/// The casegraph vocabulary.
pub(crate) const CG: &str = "https://w3id.org/casegraph/ontology#";
const SKOS_ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";

/// A term of the casegraph vocabulary.
pub(crate) fn cg(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{CG}{local}"))
}

/// Namespaces of the words that describe vocabularies and shapes: what is typed with one of
/// their classes (an `owl:Class`, an `sh:NodeShape`) belongs to the ontology, not the case.
const META: &[&str] = &[
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/ns/shacl#",
];

/// Whether an entry has a page as an article or as an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A source article: the name of a named graph.
    Source,
    /// Anything else the case names.
    Entity,
}

/// One entity, event or article.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub iri: NamedNode,
    /// Its prefixed name (`case:Hikvision`).
    pub compact: String,
    /// The last part of its page's path, unique in the case.
    pub slug: String,
    pub label: String,
    pub alt_labels: Vec<String>,
    /// `(class IRI, class label)`, as the default graph types it, sorted by label.
    pub classes: Vec<(NamedNode, String)>,
    pub kind: Kind,
    /// The label, then the other names, folded for search.
    pub folded: Vec<String>,
}

/// Every entry, and the ways to find one.
pub(crate) struct Index {
    /// Sorted by folded label, then IRI.
    pub entries: Vec<Entry>,
    by_iri: FxHashMap<NamedNode, usize>,
    by_slug: FxHashMap<String, usize>,
    /// The source articles (named graphs), in IRI order.
    pub sources: Vec<usize>,
    /// The labels of every term, the ontology's names of classes and properties included.
    pub labels: Labels,
    /// The graph that holds every triple of the case once.
    merged: GraphName,
}

impl Index {
    /// Reads the entries of `store`, loaded for queries (its default graph holds every triple).
    pub fn build(store: &CaseStore) -> Result<Self> {
        let labels = Labels::from_store(store)?;
        let prefixes = store.prefixes();
        // Loaded for queries, the store's default graph is the merge; an on-disk store keeps
        // the merge in a graph of its own.
        let merged = match store.layout() {
            Layout::UnionQueries(_) | Layout::DefaultGraphQueries => GraphName::DefaultGraph,
            Layout::AsWritten | Layout::WithMergedGraph => store.merged_graph()?.into(),
            // Its default graph is not the merge, and a merged graph built in it would be a
            // named graph that `GRAPH ?g` reaches: the server loads every graph instead.
            layout @ Layout::NamedGraphQueries(_) => {
                return Err(crate::error::Error::NotLoadedFor {
                    what: "the pages".to_owned(),
                    reads: "the merge of every graph",
                    layout,
                })
            }
        };
        let default = Some(merged.as_ref());
        let graphs: Vec<NamedNode> = store
            .named_graphs(crate::store::Scope::Case)?
            .into_iter()
            .filter_map(|g| match g {
                NamedOrBlankNode::NamedNode(n) => Some(n),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        let mut meta = FxHashSet::default();
        for quad in store
            .store()
            .quads_for_pattern(None, Some(rdf::TYPE), None, default)
        {
            let quad = quad?;
            if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(class)) =
                (&quad.subject, &quad.object)
            {
                if META.iter().any(|ns| class.as_str().starts_with(ns)) {
                    meta.insert(s.clone());
                }
            }
        }
        // What the case names: the subjects the articles make claims about, and whatever the
        // default graph labels, less the vocabulary.
        let mut named: Vec<NamedNode> = Vec::new();
        let mut seen = FxHashSet::default();
        let mut add = |node: &NamedNode, named: &mut Vec<NamedNode>| {
            if !meta.contains(node) && seen.insert(node.clone()) {
                named.push(node.clone());
            }
        };
        for graph in &graphs {
            add(graph, &mut named);
            for quad in store.store().quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            ) {
                if let NamedOrBlankNode::NamedNode(s) = quad?.subject {
                    add(&s, &mut named);
                }
            }
        }
        for quad in store
            .store()
            .quads_for_pattern(None, Some(rdfs::LABEL), None, default)
        {
            if let NamedOrBlankNode::NamedNode(s) = quad?.subject {
                add(&s, &mut named);
            }
        }
        named.sort();
        let sources: FxHashSet<&NamedNode> = graphs.iter().collect();
        let mut slugs = FxHashSet::default();
        let mut entries = Vec::with_capacity(named.len());
        for iri in &named {
            let label = label_of(&labels, prefixes, iri.as_ref());
            let alt_labels = literals(store, merged.as_ref(), iri.as_ref(), SKOS_ALT_LABEL)?;
            let mut classes: Vec<(NamedNode, String)> = labels
                .classes_of(&Term::NamedNode(iri.clone()))
                .map(|class| {
                    let class = NamedNode::new_unchecked(class);
                    let label = label_of(&labels, prefixes, class.as_ref());
                    (class, label)
                })
                .collect();
            classes.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            let folded = std::iter::once(&label)
                .chain(&alt_labels)
                .map(|name| fold(name))
                .collect();
            entries.push(Entry {
                compact: prefixes.compact(iri.as_str()),
                slug: unique_slug(iri.as_str(), &mut slugs),
                label,
                alt_labels,
                classes,
                kind: if sources.contains(iri) {
                    Kind::Source
                } else {
                    Kind::Entity
                },
                folded,
                iri: iri.clone(),
            });
        }
        entries.sort_by(|a, b| {
            a.folded[0]
                .cmp(&b.folded[0])
                .then_with(|| a.iri.cmp(&b.iri))
        });
        let by_iri = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.iri.clone(), i))
            .collect();
        let by_slug = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slug.clone(), i))
            .collect();
        let mut sources: Vec<usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == Kind::Source)
            .map(|(i, _)| i)
            .collect();
        sources.sort_by(|a, b| entries[*a].iri.cmp(&entries[*b].iri));
        Ok(Self {
            entries,
            by_iri,
            by_slug,
            sources,
            labels,
            merged,
        })
    }

    /// The graph that holds every triple of the case once (the ontology's included).
    pub fn merged(&self) -> GraphNameRef<'_> {
        self.merged.as_ref()
    }

    /// The entry of `iri`.
    pub fn get(&self, iri: NamedNodeRef<'_>) -> Option<&Entry> {
        self.by_iri
            .get(&iri.into_owned())
            .map(|i| &self.entries[*i])
    }

    /// The entry whose page is `slug`, of `kind`.
    pub fn by_slug(&self, slug: &str, kind: Kind) -> Option<&Entry> {
        self.by_slug
            .get(slug)
            .map(|i| &self.entries[*i])
            .filter(|e| e.kind == kind)
    }

    /// Whether `graph` is one of the articles.
    pub fn is_source(&self, graph: NamedNodeRef<'_>) -> bool {
        self.get(graph).is_some_and(|e| e.kind == Kind::Source)
    }

    /// The source articles.
    pub fn sources(&self) -> impl Iterator<Item = &Entry> {
        self.sources.iter().map(|i| &self.entries[*i])
    }

    /// The label of any term: an entry's, the ontology's, else its prefixed name.
    pub fn label(&self, prefixes: &Prefixes, iri: NamedNodeRef<'_>) -> String {
        match self.get(iri) {
            Some(entry) => entry.label.clone(),
            None => label_of(&self.labels, prefixes, iri),
        }
    }
}

/// Words for the RDF terms every case uses, which ontologies seldom label themselves.
const WELL_KNOWN: &[(&str, &str)] = &[
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "kind"),
    ("http://www.w3.org/2000/01/rdf-schema#label", "label"),
    ("http://www.w3.org/2000/01/rdf-schema#comment", "comment"),
    ("http://www.w3.org/2000/01/rdf-schema#seeAlso", "see also"),
    (SKOS_ALT_LABEL, "other name"),
];

fn label_of(labels: &Labels, prefixes: &Prefixes, iri: NamedNodeRef<'_>) -> String {
    match labels.get(&Term::NamedNode(iri.into_owned())) {
        Some(label) => label.to_owned(),
        None => WELL_KNOWN
            .iter()
            .find(|(known, _)| *known == iri.as_str())
            .map_or_else(
                || prefixes.compact(iri.as_str()),
                |(_, words)| (*words).to_owned(),
            ),
    }
}

/// The literal values of `predicate` on `subject` in `graph`, sorted.
fn literals(
    store: &CaseStore,
    graph: GraphNameRef<'_>,
    subject: NamedNodeRef<'_>,
    predicate: &str,
) -> Result<Vec<String>> {
    let predicate = NamedNode::new_unchecked(predicate);
    let mut values = Vec::new();
    for quad in store.store().quads_for_pattern(
        Some(subject.into()),
        Some(predicate.as_ref()),
        None,
        Some(graph),
    ) {
        if let Term::Literal(literal) = quad?.object {
            values.push(literal.value().to_owned());
        }
    }
    values.sort();
    values.dedup();
    Ok(values)
}

/// The last segment of `iri` in characters every file system and URL takes as they are,
/// made unique with `-2`, `-3`... in the order the IRIs come (sorted, so always the same).
fn unique_slug(iri: &str, taken: &mut FxHashSet<String>) -> String {
    let local = iri
        .rsplit(['/', '#'])
        .find(|part| !part.is_empty())
        .unwrap_or("entity");
    let mut base: String = local
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if base.starts_with('.') {
        base.replace_range(..1, "_");
    }
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        let mut taken = FxHashSet::default();
        assert_eq!(unique_slug("https://e.org/case/Acme", &mut taken), "Acme");
        assert_eq!(
            unique_slug("https://e.org/other#Acme", &mut taken),
            "Acme-2"
        );
        assert_eq!(unique_slug("https://e.org/x/.. é?", &mut taken), "_.___");
        assert_eq!(unique_slug("https://e.org/case/", &mut taken), "case");
    }
}
