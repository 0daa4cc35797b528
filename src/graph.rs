//! The property-graph view of RDF that every drawing and graph format is written from.
//!
//! Entities (IRIs and blank nodes) become nodes, links between entities become edges,
//! `rdf:type` becomes the node's classes and other literals become node attributes.
//! Labels come from `rdfs:label` (the ontology's included), else the prefixed name.

use crate::error::{Error, Result};
use crate::order::cmp_terms;
use crate::prefixes::Prefixes;
use crate::store::CaseStore;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, TermRef};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

/// Preferred labels of terms (one `rdfs:label` per term, English or untagged first) and,
/// when read from the store, the classes of terms, so that a CONSTRUCT result that leaves
/// out `rdf:type` still draws its nodes with their classes.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    by_term: FxHashMap<Term, (u8, String)>,
    classes: FxHashMap<Term, BTreeSet<String>>,
}

impl Labels {
    /// Collects every `rdfs:label` and `rdf:type` of the store, in every graph (the
    /// ontology's included).
    pub fn from_store(store: &CaseStore) -> Result<Self> {
        let mut labels = Self::default();
        for predicate in [rdfs::LABEL, rdf::TYPE] {
            for quad in store
                .store()
                .quads_for_pattern(None, Some(predicate), None, None)
            {
                labels.add_statement(&quad?);
            }
        }
        Ok(labels)
    }

    /// Collects every `rdfs:label` and `rdf:type` of `quads`.
    pub fn from_dataset(quads: &[Quad]) -> Self {
        let mut labels = Self::default();
        for quad in quads {
            labels.add_statement(quad);
        }
        labels
    }

    fn add_statement(&mut self, quad: &Quad) {
        match &quad.object {
            Term::Literal(literal) if quad.predicate.as_ref() == rdfs::LABEL => {
                self.add(&quad.subject, literal);
            }
            Term::NamedNode(class) if quad.predicate.as_ref() == rdf::TYPE => {
                self.classes
                    .entry(quad.subject.clone().into())
                    .or_default()
                    .insert(class.as_str().to_owned());
            }
            _ => {}
        }
    }

    /// Collects the labels stated in `quads`.
    pub fn from_quads(quads: &[Quad]) -> Self {
        let mut labels = Self::default();
        for quad in quads.iter().filter(|q| q.predicate.as_ref() == rdfs::LABEL) {
            labels.add_statement(quad);
        }
        labels
    }

    fn add(&mut self, subject: &NamedOrBlankNode, literal: &Literal) {
        let rank = match literal.language() {
            None => 1,
            Some(l) if l == "en" || l.starts_with("en-") => 0,
            Some(_) => 2,
        };
        let candidate = (rank, literal.value());
        match self.by_term.get_mut(&Term::from(subject.clone())) {
            // The best rank wins, then the smallest text, so the choice is stable.
            Some(current) if (current.0, current.1.as_str()) <= candidate => {}
            Some(current) => *current = (rank, literal.value().to_owned()),
            None => {
                self.by_term
                    .insert(subject.clone().into(), (rank, literal.value().to_owned()));
            }
        }
    }

    /// The label of `term`, if it has one.
    pub fn get(&self, term: &Term) -> Option<&str> {
        self.by_term.get(term).map(|(_, l)| l.as_str())
    }

    /// The classes the store states for `term`, as IRIs, sorted.
    pub fn classes_of(&self, term: &Term) -> impl Iterator<Item = &str> {
        self.classes
            .get(term)
            .into_iter()
            .flat_map(|c| c.iter().map(String::as_str))
    }

    /// The label of an IRI, else its prefixed name.
    pub fn of_iri(&self, iri: &NamedNode, prefixes: &Prefixes) -> String {
        self.get(&iri.clone().into())
            .map(str::to_owned)
            .unwrap_or_else(|| prefixes.compact(iri.as_str()))
    }
}

/// Where literal values go in the property graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Literals {
    /// Attributes of their subject's node (drawn inside it).
    #[default]
    Inline,
    /// Nodes of their own, linked by their property.
    Nodes,
    /// Left out: only entities and links (labels and classes are kept).
    Hidden,
}

/// How RDF becomes a property graph.
#[derive(Debug, Clone, Default)]
pub struct GraphOptions {
    /// Where literal values go.
    pub literals: Literals,
    /// Drawings (DOT) cut literal values to a few lines; `true` keeps them whole.
    pub full_literals: bool,
    /// Keep only the neighbourhood of this entity...
    pub focus: Option<Term>,
    /// ... up to this many links away (1 when not given).
    pub depth: Option<usize>,
}

/// A node: an entity, or a literal when literals are drawn as nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The RDF term (N-Triples form as the key, e.g. `<https://...>` or `_:b0`).
    pub term: Term,
    /// Its preferred label, else its prefixed name.
    pub label: String,
    /// Its compact name (`case:Hikvision`), or the literal's value.
    pub name: String,
    /// Its classes, as `(compact IRI, label)`, sorted.
    pub classes: Vec<(String, String)>,
    /// Its literal properties, as `(property label, compact property IRI, value)`, sorted.
    pub attributes: Vec<Attribute>,
}

impl Node {
    /// The literal properties by compact property IRI, each with its distinct values in sorted
    /// order: what the tabular formats write as one column per property.
    pub fn properties(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut properties: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for attribute in &self.attributes {
            let values = properties.entry(&*attribute.property).or_default();
            if !values.contains(&attribute.value.as_str()) {
                values.push(attribute.value.as_str());
            }
        }
        for values in properties.values_mut() {
            values.sort_unstable();
        }
        properties
    }

    /// The node's identifier in every graph format: its IRI, or the N-Triples form of a blank
    /// node (`_:b0`) or of a literal drawn as a node. Unique within a graph.
    pub fn id(&self) -> String {
        match &self.term {
            Term::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        }
    }
}

/// A literal property of a node.
///
/// The names of the property and datatype are shared by every value of that property: a large
/// case has hundreds of thousands of values and a handful of properties.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribute {
    /// The property's label.
    pub label: Arc<str>,
    /// The property's compact IRI.
    pub property: Arc<str>,
    /// The literal's lexical value.
    pub value: String,
    /// The literal's datatype, compact.
    pub datatype: Arc<str>,
}

/// An edge: one property linking two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The property.
    pub predicate: NamedNode,
    /// The property's compact IRI.
    pub name: String,
    /// The property's label, else its compact IRI.
    pub label: String,
    /// The graphs that state this link (the source articles in a curated case), sorted;
    /// the default graph is written as an empty string.
    pub sources: Vec<String>,
}

/// How the default graph is named where an edge's sources are written out (as in `stats`).
pub const DEFAULT_GRAPH_NAME: &str = "(default)";

impl Edge {
    /// The sources as written by the graph formats: compact graph names, the default graph
    /// as [`DEFAULT_GRAPH_NAME`].
    pub fn source_names(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| {
            if s.is_empty() {
                DEFAULT_GRAPH_NAME
            } else {
                s.as_str()
            }
        })
    }
}

/// A node for `term`, with its label and the classes `labels` knows for it.
fn new_node(
    term: Term,
    labels: &Labels,
    prefixes: &Prefixes,
    label_of: &dyn Fn(&Term, String) -> String,
) -> Node {
    let name = match &term {
        Term::Literal(l) => l.value().to_owned(),
        Term::NamedNode(n) => prefixes.compact(n.as_str()),
        other => other.to_string(),
    };
    let label = match &term {
        Term::Literal(l) => l.value().to_owned(),
        _ => label_of(&term, name.clone()),
    };
    let mut classes = Vec::new();
    for class in labels.classes_of(&term) {
        if let Ok(class) = NamedNode::new(class) {
            let entry = (
                prefixes.compact(class.as_str()),
                labels.of_iri(&class, prefixes),
            );
            if !classes.contains(&entry) {
                classes.push(entry);
            }
        }
    }
    Node {
        term,
        label,
        name,
        classes,
        attributes: Vec::new(),
    }
}

/// Numbers distinct borrowed values in the order they are met.
struct Interner<'a, T> {
    ids: FxHashMap<&'a T, u32>,
    items: Vec<&'a T>,
}

impl<T> Default for Interner<'_, T> {
    fn default() -> Self {
        Self {
            ids: FxHashMap::default(),
            items: Vec::new(),
        }
    }
}

impl<'a, T: Eq + std::hash::Hash> Interner<'a, T> {
    fn id(&mut self, item: &'a T) -> u32 {
        *self.ids.entry(item).or_insert_with(|| {
            self.items.push(item);
            (self.items.len() - 1) as u32
        })
    }

    /// The rank of each id when the items are sorted by `cmp`.
    fn ranks(&self, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<u32> {
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by(|&a, &b| cmp(self.items[a], self.items[b]));
        let mut rank = vec![0u32; order.len()];
        for (position, id) in order.into_iter().enumerate() {
            rank[id] = position as u32;
        }
        rank
    }
}

/// The property graph of a set of quads.
#[derive(Debug, Clone, Default)]
pub struct PropertyGraph {
    graph: DiGraph<Node, Edge>,
    index: FxHashMap<String, NodeIndex>,
}

impl PropertyGraph {
    /// Builds the view of `quads`; nodes and edges are added in sorted order, so every writer
    /// that walks them in index order is deterministic.
    pub fn build<'q>(
        quads: &'q [Quad],
        labels: &Labels,
        prefixes: &Prefixes,
        options: &GraphOptions,
    ) -> Result<Self> {
        let own_labels = Labels::from_quads(quads);
        let label_of = |key: &Term, fallback: String| {
            own_labels
                .get(key)
                .or_else(|| labels.get(key))
                .map(str::to_owned)
                .unwrap_or(fallback)
        };

        // One pass over the quads, borrowing their terms: nodes are numbered as they are met,
        // links are gathered as numbers, and the names and labels of properties, classes,
        // datatypes and graphs are worked out once each, not once per quad. A million quads
        // go through here, so nothing is allocated per quad that is not kept.
        let mut node_of: FxHashMap<TermRef<'q>, u32> = FxHashMap::default();
        let mut nodes: Vec<Node> = Vec::new();
        let mut ensure = |nodes: &mut Vec<Node>, term: TermRef<'q>| -> u32 {
            if let Some(&i) = node_of.get(&term) {
                return i;
            }
            nodes.push(new_node(term.into_owned(), labels, prefixes, &label_of));
            let i = (nodes.len() - 1) as u32;
            node_of.insert(term, i);
            i
        };
        let mut predicates: Interner<'_, NamedNode> = Interner::default();
        let mut graphs: Interner<'_, GraphName> = Interner::default();
        let mut classes: FxHashMap<&NamedNode, (String, String)> = FxHashMap::default();
        let mut properties: FxHashMap<&NamedNode, (Arc<str>, Arc<str>)> = FxHashMap::default();
        let mut datatypes: FxHashMap<&str, Arc<str>> = FxHashMap::default();
        // (subject, predicate, object, graph) as numbers.
        let mut links: Vec<[u32; 4]> = Vec::new();
        for quad in quads {
            let subject = ensure(&mut nodes, quad.subject.as_ref().into());
            match (&quad.object, quad.predicate.as_ref()) {
                (Term::NamedNode(class), p) if p == rdf::TYPE => {
                    let entry = classes.entry(class).or_insert_with(|| {
                        (
                            prefixes.compact(class.as_str()),
                            labels.of_iri(class, prefixes),
                        )
                    });
                    let node = &mut nodes[subject as usize];
                    if !node.classes.contains(entry) {
                        node.classes.push(entry.clone());
                    }
                }
                (Term::Literal(_), p) if p == rdfs::LABEL => {}
                (Term::Literal(_), _) if options.literals == Literals::Hidden => {}
                (Term::Literal(literal), _) if options.literals == Literals::Inline => {
                    let (label, property) =
                        properties.entry(&quad.predicate).or_insert_with(|| {
                            let name = prefixes.compact(quad.predicate.as_str());
                            let label = label_of(&quad.predicate.clone().into(), name.clone());
                            (label.into(), name.into())
                        });
                    let datatype = datatypes
                        .entry(literal.datatype().as_str())
                        .or_insert_with(|| prefixes.compact(literal.datatype().as_str()).into());
                    // Repeats (a value stated by several graphs) go when the node is sorted:
                    // looking for them here made nodes with many values quadratic.
                    nodes[subject as usize].attributes.push(Attribute {
                        label: label.clone(),
                        property: property.clone(),
                        value: literal.value().to_owned(),
                        datatype: datatype.clone(),
                    });
                }
                (object, _) => {
                    let object = ensure(&mut nodes, object.as_ref());
                    let predicate = predicates.id(&quad.predicate);
                    let graph = graphs.id(&quad.graph_name);
                    links.push([subject, predicate, object, graph]);
                }
            }
        }

        // Nodes in term order; links by subject, predicate IRI, object, with the graphs that
        // state each link gathered, as names sorted as text.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| cmp_terms(nodes[a].term.as_ref(), nodes[b].term.as_ref()));
        let mut view = Self::default();
        let mut index_of = vec![0u32; nodes.len()];
        let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
        for i in order {
            let Some(mut node) = slots[i].take() else {
                continue;
            };
            node.classes.sort();
            node.attributes.sort_unstable();
            node.attributes.dedup();
            let key = node.term.to_string();
            let index = view.graph.add_node(node);
            view.index.insert(key, index);
            index_of[i] = index.index() as u32;
        }
        let predicate_rank = predicates.ranks(|a, b| a.as_str().cmp(b.as_str()));
        let predicate_edges: Vec<(String, String)> = predicates
            .items
            .iter()
            .map(|p| (prefixes.compact(p.as_str()), labels.of_iri(p, prefixes)))
            .collect();
        let graph_names: Vec<String> = graphs
            .items
            .iter()
            .map(|g| match g {
                GraphName::DefaultGraph => String::new(),
                GraphName::NamedNode(n) => prefixes.compact(n.as_str()),
                GraphName::BlankNode(b) => b.to_string(),
            })
            .collect();
        let mut keyed: Vec<([u32; 3], u32, u32)> = links
            .into_iter()
            .map(|[s, p, o, g]| {
                let key = [
                    index_of[s as usize],
                    predicate_rank[p as usize],
                    index_of[o as usize],
                ];
                (key, p, g)
            })
            .collect();
        keyed.sort_unstable();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            let ([from, _, to], predicate, _) = run[0];
            let mut sources: Vec<String> = run
                .iter()
                .map(|(_, _, g)| graph_names[*g as usize].clone())
                .collect();
            sources.sort_unstable();
            sources.dedup();
            let (name, label) = predicate_edges[predicate as usize].clone();
            view.graph.add_edge(
                NodeIndex::new(from as usize),
                NodeIndex::new(to as usize),
                Edge {
                    name,
                    label,
                    predicate: predicates.items[predicate as usize].clone(),
                    sources,
                },
            );
        }
        match &options.focus {
            Some(focus) => view.neighbourhood(focus, options.depth.unwrap_or(1)),
            None => Ok(view),
        }
    }

    /// Only the nodes at most `depth` links away from `focus` (links followed both ways),
    /// and the links among them.
    pub fn neighbourhood(&self, focus: &Term, depth: usize) -> Result<Self> {
        let start = *self.index.get(&focus.to_string()).ok_or_else(|| {
            Error::Format(format!(
                "--focus {focus}: no such entity in the graph being drawn"
            ))
        })?;
        let mut distance: HashMap<NodeIndex, usize> = HashMap::from([(start, 0)]);
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            let d = distance[&node];
            if d == depth {
                continue;
            }
            for next in self.graph.neighbors_undirected(node) {
                if let std::collections::hash_map::Entry::Vacant(e) = distance.entry(next) {
                    e.insert(d + 1);
                    queue.push_back(next);
                }
            }
        }
        let kept = self.graph.filter_map(
            |i, n| distance.contains_key(&i).then(|| n.clone()),
            |_, e| Some(e.clone()),
        );
        let index = kept
            .node_indices()
            .map(|i| (kept[i].term.to_string(), i))
            .collect();
        Ok(Self { graph: kept, index })
    }

    /// The nodes, in sorted order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        self.graph.node_indices().map(|i| (i, &self.graph[i]))
    }

    /// The edges as `(from, to, edge)`, in sorted order.
    pub fn edges(&self) -> impl Iterator<Item = (NodeIndex, NodeIndex, &Edge)> {
        self.graph.edge_indices().filter_map(|e| {
            let (a, b) = self.graph.edge_endpoints(e)?;
            Some((a, b, &self.graph[e]))
        })
    }

    /// The node at `index`.
    pub fn node(&self, index: NodeIndex) -> &Node {
        &self.graph[index]
    }

    /// The node of a term, if it is in the graph.
    pub fn find(&self, term: &Term) -> Option<NodeIndex> {
        self.index.get(&term.to_string()).copied()
    }

    /// The underlying petgraph, for algorithms (paths, components, degrees).
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// The literal property keys (compact IRIs) that some node has, sorted: the attribute
    /// columns of GraphML, node-link JSON and CSV.
    pub fn attribute_keys(&self) -> Vec<&str> {
        let keys: BTreeSet<&str> = self
            .graph
            .node_weights()
            .flat_map(|n| n.attributes.iter().map(|a| &*a.property))
            .collect();
        keys.into_iter().collect()
    }

    /// Only the given nodes and edges (edges whose ends are not both kept are dropped),
    /// in the same order.
    pub fn subgraph(&self, nodes: &BTreeSet<NodeIndex>, edges: &BTreeSet<EdgeIndex>) -> Self {
        let kept = self.graph.filter_map(
            |i, n| nodes.contains(&i).then(|| n.clone()),
            |i, e| edges.contains(&i).then(|| e.clone()),
        );
        let index = kept
            .node_indices()
            .map(|i| (kept[i].term.to_string(), i))
            .collect();
        Self { graph: kept, index }
    }

    /// The class a drawing styles a node by: its first class, or `None`.
    pub fn primary_class(node: &Node) -> Option<&(String, String)> {
        node.classes.first()
    }
}
