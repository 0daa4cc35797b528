//! The property-graph view of RDF that every drawing and graph format is written from.
//!
//! Entities (IRIs and blank nodes) become nodes, links between entities become edges,
//! `rdf:type` becomes the node's classes and other literals become node attributes.
//! Labels come from `rdfs:label` (the ontology's included), else the prefixed name.

pub mod path;

use crate::error::{Error, Result};
use crate::rdf::order::cmp_terms;
use crate::rdf::prefixes::Prefixes;
use crate::store::CaseStore;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
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

/// How a label candidate ranks, smallest best: English first, then untagged, then other
/// languages; then the smallest text, so that the choice is stable.
fn preference(literal: LiteralRef<'_>) -> (u8, &str) {
    let rank = match literal.language() {
        Some(l) if l == "en" || l.starts_with("en-") => 0,
        None => 1,
        Some(_) => 2,
    };
    (rank, literal.value())
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
    pub fn from_dataset<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Self {
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

    fn add(&mut self, subject: &NamedOrBlankNode, literal: &Literal) {
        let candidate = preference(literal.as_ref());
        let owned = |(rank, text): (u8, &str)| (rank, text.to_owned());
        let current = self
            .by_term
            .entry(subject.clone().into())
            .or_insert_with(|| owned(candidate));
        if candidate < (current.0, current.1.as_str()) {
            *current = owned(candidate);
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

    /// The labels and classes keyed by borrowed terms, for looking up many terms that are
    /// themselves borrowed (no term is copied to look it up).
    fn view(&self) -> LabelView<'_> {
        LabelView {
            labels: self
                .by_term
                .iter()
                .map(|(term, (_, label))| (term.as_ref(), label.as_str()))
                .collect(),
            classes: self
                .classes
                .iter()
                .map(|(term, classes)| (term.as_ref(), classes))
                .collect(),
        }
    }
}

/// [`Labels`] keyed by borrowed terms.
struct LabelView<'l> {
    labels: FxHashMap<TermRef<'l>, &'l str>,
    classes: FxHashMap<TermRef<'l>, &'l BTreeSet<String>>,
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
    /// The RDF term.
    pub term: Term,
    /// Its preferred label, else its prefixed name.
    pub label: String,
    /// Its compact name (`case:Hikvision`), or the literal's value.
    pub name: String,
    /// Its classes, as `(compact IRI, label)`, sorted. Shared by every node of the class.
    pub classes: Vec<(Arc<str>, Arc<str>)>,
    /// Its literal properties, sorted by property label, property, value, datatype.
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
///
/// The property's names and the list of sources are shared by every edge that has them.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The property.
    pub predicate: Arc<NamedNode>,
    /// The property's compact IRI.
    pub name: Arc<str>,
    /// The property's label, else its compact IRI.
    pub label: Arc<str>,
    /// The graphs that state this link (the source articles in a curated case), as compact
    /// names sorted as text; the default graph is written as an empty string.
    pub sources: Arc<[Arc<str>]>,
}

/// How the default graph is named where an edge's sources are written out (as in `stats`).
pub const DEFAULT_GRAPH_NAME: &str = "(default)";

impl Edge {
    /// The sources as written by the graph formats: compact graph names, the default graph
    /// as [`DEFAULT_GRAPH_NAME`].
    pub fn source_names(&self) -> impl Iterator<Item = &str> {
        self.sources
            .iter()
            .map(|s| if s.is_empty() { DEFAULT_GRAPH_NAME } else { s })
    }
}

/// Numbers distinct borrowed values (references, or `*Ref` terms) in the order they are met.
struct Interner<T> {
    ids: FxHashMap<T, u32>,
    items: Vec<T>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Self {
            ids: FxHashMap::default(),
            items: Vec::new(),
        }
    }
}

impl<T: Copy + Eq + std::hash::Hash> Interner<T> {
    fn id(&mut self, item: T) -> u32 {
        *self.ids.entry(item).or_insert_with(|| {
            self.items.push(item);
            (self.items.len() - 1) as u32
        })
    }
}

/// The rank of each item when `items` are sorted by `cmp`.
fn ranks<T>(items: &[T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<u32> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    let mut rank = vec![0u32; order.len()];
    for (position, id) in order.into_iter().enumerate() {
        rank[id] = position as u32;
    }
    rank
}

/// A node while the quads are read: borrowed, with the best label the drawn quads give it.
struct Draft<'q> {
    term: TermRef<'q>,
    label: Option<(u8, &'q str)>,
}

/// What one pass over the quads gathers, borrowing their terms: nodes numbered as they are met,
/// and links, classes and attributes as numbers. A million quads go through here, so nothing is
/// allocated per quad; names and labels are worked out afterwards, once each, by [`Namer`].
#[derive(Default)]
struct Gathered<'q> {
    node_of: FxHashMap<TermRef<'q>, u32>,
    drafts: Vec<Draft<'q>>,
    /// Properties that link nodes.
    predicates: Interner<NamedNodeRef<'q>>,
    /// Properties whose values are attributes.
    properties: Interner<NamedNodeRef<'q>>,
    datatypes: Interner<&'q str>,
    graphs: Interner<GraphNameRef<'q>>,
    /// `(node, class IRI)`.
    classes: Vec<(u32, &'q str)>,
    /// `(node, (property, datatype, value))`.
    attributes: Vec<(u32, (u32, u32, &'q str))>,
    /// `[subject, predicate, object, graph]`.
    links: Vec<[u32; 4]>,
}

impl<'q> Gathered<'q> {
    fn gather(quads: impl IntoIterator<Item = QuadRef<'q>>, literals: Literals) -> Self {
        let quads = quads.into_iter();
        let mut gathered = Self {
            node_of: FxHashMap::with_capacity_and_hasher(
                quads.size_hint().0 / 8,
                Default::default(),
            ),
            ..Self::default()
        };
        // Statements about one subject usually come together: skip the lookup for a repeat.
        let mut last_subject: Option<(NamedOrBlankNodeRef<'q>, u32)> = None;
        for quad in quads {
            let subject = match last_subject {
                Some((previous, id)) if previous == quad.subject => id,
                _ => {
                    let id = gathered.node(quad.subject.into());
                    last_subject = Some((quad.subject, id));
                    id
                }
            };
            match (quad.object, quad.predicate) {
                (TermRef::NamedNode(class), p) if p == rdf::TYPE => {
                    gathered.classes.push((subject, class.as_str()));
                }
                (TermRef::Literal(literal), p) if p == rdfs::LABEL => {
                    let candidate = preference(literal);
                    let label = &mut gathered.drafts[subject as usize].label;
                    if label.is_none_or(|current| candidate < current) {
                        *label = Some(candidate);
                    }
                }
                (TermRef::Literal(_), _) if literals == Literals::Hidden => {}
                (TermRef::Literal(literal), _) if literals == Literals::Inline => {
                    let property = gathered.properties.id(quad.predicate);
                    let datatype = gathered.datatypes.id(literal.datatype().as_str());
                    let value = literal.value();
                    gathered
                        .attributes
                        .push((subject, (property, datatype, value)));
                }
                (object, _) => {
                    let object = gathered.node(object);
                    let predicate = gathered.predicates.id(quad.predicate);
                    let graph = gathered.graphs.id(quad.graph_name);
                    gathered.links.push([subject, predicate, object, graph]);
                }
            }
        }
        gathered
    }

    /// The number of the node for `term`, new if it has none yet.
    fn node(&mut self, term: TermRef<'q>) -> u32 {
        let drafts = &mut self.drafts;
        *self.node_of.entry(term).or_insert_with(|| {
            drafts.push(Draft { term, label: None });
            (drafts.len() - 1) as u32
        })
    }
}

/// Works out names and labels: a term's label is the best the drawn quads state, else the one
/// the other statements give, else its prefixed name.
struct Namer<'a, 'q> {
    gathered: &'a Gathered<'q>,
    context: LabelView<'q>,
    prefixes: &'a Prefixes,
}

impl<'q> Namer<'_, 'q> {
    fn label(&self, term: TermRef<'q>) -> Option<&'q str> {
        self.gathered
            .node_of
            .get(&term)
            .and_then(|&id| self.gathered.drafts[id as usize].label)
            .map(|(_, label)| label)
            .or_else(|| self.context.labels.get(&term).copied())
    }

    /// `(compact IRI, label)` of a class or property.
    fn names(&self, iri: &'q str) -> (Arc<str>, Arc<str>) {
        let name = self.prefixes.compact(iri);
        let label = self
            .label(NamedNodeRef::new_unchecked(iri).into())
            .map_or_else(|| name.as_str().into(), Into::into);
        (name.into(), label)
    }

    /// `(name, label)` of a node.
    fn node_names(&self, term: TermRef<'q>) -> (String, String) {
        let name = match term {
            TermRef::Literal(literal) => return (literal.value().into(), literal.value().into()),
            TermRef::NamedNode(n) => self.prefixes.compact(n.as_str()),
            other => other.to_string(),
        };
        let label = self.label(term).map_or_else(|| name.clone(), str::to_owned);
        (name, label)
    }
}

/// The items of `pairs` grouped by their first number (`0..groups`), in the order met:
/// `(offsets, items)` where group `g` is `items[offsets[g]..offsets[g + 1]]`.
fn group_by_first<T: Copy>(groups: usize, pairs: &[(u32, T)]) -> (Vec<usize>, Vec<T>) {
    let mut offsets = vec![0usize; groups + 1];
    for (group, _) in pairs {
        offsets[*group as usize + 1] += 1;
    }
    for g in 0..groups {
        offsets[g + 1] += offsets[g];
    }
    let mut next = offsets.clone();
    let mut items = Vec::with_capacity(pairs.len());
    // Every slot is written once below; start from the first item so none is left unset.
    if let Some((_, first)) = pairs.first() {
        items.resize(pairs.len(), *first);
    }
    for (group, item) in pairs {
        items[next[*group as usize]] = *item;
        next[*group as usize] += 1;
    }
    (offsets, items)
}

/// How large a property graph is: see [`PropertyGraph::size`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Size {
    /// Its nodes.
    pub nodes: usize,
    /// Its edges.
    pub edges: usize,
    /// Its attribute columns, as [`PropertyGraph::attribute_keys`] gives them.
    pub attributes: Vec<String>,
}

/// The property graph of a set of quads.
///
/// Nodes are kept in term order ([`cmp_terms`]), which is how [`PropertyGraph::find`] looks
/// them up and what makes every writer's output deterministic.
#[derive(Debug, Clone, Default)]
pub struct PropertyGraph {
    graph: DiGraph<Node, Edge>,
}

impl PropertyGraph {
    /// Builds the view of `quads`; nodes and edges are added in sorted order, so every writer
    /// that walks them in index order is deterministic.
    ///
    /// A term's label is the best one `quads` state, else the one `labels` has (the labels of
    /// statements that are not drawn, such as the ontology's), else its prefixed name.
    pub fn build<'q>(
        quads: impl IntoIterator<Item = QuadRef<'q>>,
        labels: &'q Labels,
        prefixes: &Prefixes,
        options: &GraphOptions,
    ) -> Result<Self> {
        let gathered = Gathered::gather(quads, options.literals);
        let namer = Namer {
            gathered: &gathered,
            context: labels.view(),
            prefixes,
        };
        let mut view = Self {
            graph: DiGraph::with_capacity(gathered.drafts.len(), gathered.links.len()),
        };
        let index_of = view.add_nodes(&namer);
        view.add_edges(&namer, &index_of);
        match &options.focus {
            Some(focus) => view.neighbourhood(focus, options.depth.unwrap_or(1)),
            None => Ok(view),
        }
    }

    /// Adds the gathered nodes in term order, each with its classes and attributes; gives the
    /// index of each gathered node.
    fn add_nodes(&mut self, namer: &Namer<'_, '_>) -> Vec<u32> {
        let gathered = namer.gathered;
        let drafts = &gathered.drafts;
        let mut order: Vec<u32> = (0..drafts.len() as u32).collect();
        order
            .sort_unstable_by(|&a, &b| cmp_terms(drafts[a as usize].term, drafts[b as usize].term));
        let (class_offsets, classes) = group_by_first(drafts.len(), &gathered.classes);
        let (attribute_offsets, attributes) = group_by_first(drafts.len(), &gathered.attributes);
        let mut class_names: FxHashMap<&str, (Arc<str>, Arc<str>)> = FxHashMap::default();
        let property_names: Vec<(Arc<str>, Arc<str>)> = gathered
            .properties
            .items
            .iter()
            .map(|p| namer.names(p.as_str()))
            .collect();
        let datatype_names: Vec<Arc<str>> = gathered
            .datatypes
            .items
            .iter()
            .map(|d| namer.prefixes.compact(d).into())
            .collect();
        let mut index_of = vec![0u32; drafts.len()];
        for &id in &order {
            let i = id as usize;
            let term = drafts[i].term;
            let (name, label) = namer.node_names(term);
            // The classes the quads state, and those the other statements give.
            let stated = classes[class_offsets[i]..class_offsets[i + 1]]
                .iter()
                .copied();
            let known = namer
                .context
                .classes
                .get(&term)
                .into_iter()
                .flat_map(|c| c.iter());
            let mut node_classes: Vec<(Arc<str>, Arc<str>)> = stated
                .chain(known.map(String::as_str))
                .map(|class| {
                    class_names
                        .entry(class)
                        .or_insert_with(|| namer.names(class))
                        .clone()
                })
                .collect();
            node_classes.sort();
            node_classes.dedup();
            let mut node_attributes: Vec<Attribute> = attributes
                [attribute_offsets[i]..attribute_offsets[i + 1]]
                .iter()
                .map(|&(property, datatype, value)| {
                    let (property, label) = &property_names[property as usize];
                    Attribute {
                        label: label.clone(),
                        property: property.clone(),
                        value: value.to_owned(),
                        datatype: datatype_names[datatype as usize].clone(),
                    }
                })
                .collect();
            // Repeats (a value stated by several graphs) go here, once sorted.
            node_attributes.sort_unstable();
            node_attributes.dedup();
            let index = self.graph.add_node(Node {
                term: term.into_owned(),
                label,
                name,
                classes: node_classes,
                attributes: node_attributes,
            });
            index_of[i] = index.index() as u32;
        }
        index_of
    }

    /// Adds the gathered links as edges by subject, predicate IRI and object, each with the
    /// graphs that state it as names sorted as text. Edges of one property share its names, and
    /// edges stated by the same graphs share their list of sources.
    fn add_edges(&mut self, namer: &Namer<'_, '_>, index_of: &[u32]) {
        let gathered = namer.gathered;
        let predicates = &gathered.predicates.items;
        let predicate_rank = ranks(predicates, |a, b| a.as_str().cmp(b.as_str()));
        let predicate_edges: Vec<(Arc<NamedNode>, Arc<str>, Arc<str>)> = predicates
            .iter()
            .map(|p| {
                let (name, label) = namer.names(p.as_str());
                (Arc::new(p.into_owned()), name, label)
            })
            .collect();
        let graph_names: Vec<Arc<str>> = gathered
            .graphs
            .items
            .iter()
            .map(|g| match g {
                GraphNameRef::DefaultGraph => "".into(),
                GraphNameRef::NamedNode(n) => namer.prefixes.compact(n.as_str()).into(),
                GraphNameRef::BlankNode(b) => b.to_string().into(),
            })
            .collect();
        let graph_rank = ranks(&graph_names, |a, b| a.cmp(b));
        let mut by_rank = graph_names.clone();
        for (id, name) in graph_names.iter().enumerate() {
            by_rank[graph_rank[id] as usize] = name.clone();
        }
        let mut keyed: Vec<([u32; 3], u32, u32)> = gathered
            .links
            .iter()
            .map(|&[s, p, o, g]| {
                let key = [
                    index_of[s as usize],
                    predicate_rank[p as usize],
                    index_of[o as usize],
                ];
                (key, p, graph_rank[g as usize])
            })
            .collect();
        keyed.sort_unstable();
        let mut source_lists: FxHashMap<Vec<u32>, Arc<[Arc<str>]>> = FxHashMap::default();
        let mut ranks_of_run: Vec<u32> = Vec::new();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            let ([from, _, to], predicate, _) = run[0];
            // The run is sorted, so its graphs come in rank order: only repeats to drop.
            ranks_of_run.clear();
            ranks_of_run.extend(run.iter().map(|(_, _, g)| *g));
            ranks_of_run.dedup();
            let sources = match source_lists.get(ranks_of_run.as_slice()) {
                Some(sources) => sources.clone(),
                None => {
                    let sources: Arc<[Arc<str>]> = ranks_of_run
                        .iter()
                        .map(|&r| by_rank[r as usize].clone())
                        .collect();
                    source_lists.insert(ranks_of_run.clone(), sources.clone());
                    sources
                }
            };
            let (predicate, name, label) = &predicate_edges[predicate as usize];
            self.graph.add_edge(
                NodeIndex::new(from as usize),
                NodeIndex::new(to as usize),
                Edge {
                    predicate: predicate.clone(),
                    name: name.clone(),
                    label: label.clone(),
                    sources,
                },
            );
        }
    }

    /// Only the nodes at most `depth` links away from `focus` (links followed both ways),
    /// and the links among them.
    pub fn neighbourhood(&self, focus: &Term, depth: usize) -> Result<Self> {
        let start = self.find(focus).ok_or_else(|| Error::NoSuchEntity {
            focus: focus.clone(),
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
        // Filtering keeps the nodes in the order they were, so term order holds.
        let graph = self.graph.filter_map(
            |i, n| distance.contains_key(&i).then(|| n.clone()),
            |_, e| Some(e.clone()),
        );
        Ok(Self { graph })
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

    /// The node of a term, if it is in the graph (a binary search: nodes are in term order).
    pub fn find(&self, term: &Term) -> Option<NodeIndex> {
        self.graph
            .raw_nodes()
            .binary_search_by(|node| cmp_terms(node.weight.term.as_ref(), term.as_ref()))
            .ok()
            .map(NodeIndex::new)
    }

    /// The underlying petgraph, for algorithms (paths, components, degrees).
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// What [`Self::build`] with the default options would make of `quads`, counted without
    /// making it (no names, labels or attribute values): its nodes, its edges (one per subject,
    /// property and object, whatever the graphs stating it) and its attribute columns. `stats`
    /// prints these.
    pub fn size<'q>(quads: impl IntoIterator<Item = QuadRef<'q>>, prefixes: &Prefixes) -> Size {
        let gathered = Gathered::gather(quads, GraphOptions::default().literals);
        let mut links: Vec<[u32; 3]> = gathered
            .links
            .iter()
            .map(|&[s, p, o, _]| [s, p, o])
            .collect();
        links.sort_unstable();
        links.dedup();
        let attributes: BTreeSet<String> = gathered
            .properties
            .items
            .iter()
            .map(|p| prefixes.compact(p.as_str()))
            .collect();
        Size {
            nodes: gathered.drafts.len(),
            edges: links.len(),
            attributes: attributes.into_iter().collect(),
        }
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
        let graph = self.graph.filter_map(
            |i, n| nodes.contains(&i).then(|| n.clone()),
            |i, e| edges.contains(&i).then(|| e.clone()),
        );
        Self { graph }
    }

    /// The class a drawing styles a node by: its first class, or `None`.
    pub fn primary_class(node: &Node) -> Option<&(Arc<str>, Arc<str>)> {
        node.classes.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::BlankNode;

    fn iri(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://example.org/{local}"))
    }

    fn quad(s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) -> Quad {
        Quad::new(s, p, o, oxigraph::model::GraphName::DefaultGraph)
    }

    fn label(text: &str, language: Option<&str>) -> Literal {
        match language {
            Some(l) => Literal::new_language_tagged_literal_unchecked(text, l),
            None => Literal::new_simple_literal(text),
        }
    }

    fn node(graph: &PropertyGraph, term: impl Into<Term>) -> &Node {
        let term = term.into();
        graph.node(graph.find(&term).expect("the term is a node"))
    }

    #[test]
    fn labels_stated_by_the_drawn_quads_come_before_the_others() {
        let (a, b, class) = (iri("a"), iri("b"), iri("Class"));
        let quads = [
            quad(a.clone(), iri("knows"), b.clone()),
            quad(a.clone(), rdf::TYPE.into_owned(), class.clone()),
            quad(a.clone(), rdfs::LABEL.into_owned(), label("Zed", None)),
            quad(
                a.clone(),
                rdfs::LABEL.into_owned(),
                label("Anna", Some("de")),
            ),
            quad(
                a.clone(),
                rdfs::LABEL.into_owned(),
                label("Bea", Some("en")),
            ),
        ];
        // The ontology's labels: one for `a` (the drawn quads' own wins), one for `b`, and
        // the names of the class and the property.
        let outside = Labels::from_dataset(&[
            quad(
                a.clone(),
                rdfs::LABEL.into_owned(),
                label("Outside", Some("en")),
            ),
            quad(b.clone(), rdfs::LABEL.into_owned(), label("Bee", None)),
            quad(
                class.clone(),
                rdfs::LABEL.into_owned(),
                label("A class", None),
            ),
            quad(
                iri("knows"),
                rdfs::LABEL.into_owned(),
                label("knows of", None),
            ),
        ]);
        let prefixes = Prefixes::well_known();
        let graph = PropertyGraph::build(
            quads.iter().map(Quad::as_ref),
            &outside,
            &prefixes,
            &GraphOptions::default(),
        )
        .unwrap();
        assert_eq!(node(&graph, a.clone()).label, "Bea");
        assert_eq!(node(&graph, b).label, "Bee");
        assert_eq!(
            node(&graph, a).classes,
            vec![(
                Arc::from("<https://example.org/Class>"),
                Arc::from("A class")
            )]
        );
        let (_, _, edge) = graph.edges().next().unwrap();
        assert_eq!(&*edge.label, "knows of");
    }

    #[test]
    fn every_kind_of_node_is_found_and_attributes_are_grouped_by_node() {
        let (a, b) = (iri("a"), BlankNode::new_unchecked("b"));
        let literal = Literal::new_simple_literal("text");
        let quads = [
            quad(b.clone(), iri("says"), literal.clone()),
            quad(a.clone(), iri("has"), b.clone()),
            quad(a.clone(), iri("says"), Literal::new_simple_literal("one")),
            quad(b.clone(), iri("says"), Literal::new_simple_literal("two")),
            quad(a.clone(), iri("says"), Literal::new_simple_literal("one")),
        ];
        let prefixes = Prefixes::well_known();
        let inline = GraphOptions::default();
        let graph = PropertyGraph::build(
            quads.iter().map(Quad::as_ref),
            &Labels::default(),
            &prefixes,
            &inline,
        )
        .unwrap();
        // Counted without building it, the same size.
        let size = PropertyGraph::size(quads.iter().map(Quad::as_ref), &prefixes);
        assert_eq!(
            (size.nodes, size.edges, size.attributes.clone()),
            (
                graph.nodes().count(),
                graph.edges().count(),
                graph
                    .attribute_keys()
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            )
        );
        assert_eq!((size.nodes, size.edges), (2, 1));
        let values =
            |n: &Node| -> Vec<String> { n.attributes.iter().map(|a| a.value.clone()).collect() };
        // Repeated values go; each node keeps its own, sorted.
        assert_eq!(values(node(&graph, a.clone())), ["one"]);
        assert_eq!(values(node(&graph, b.clone())), ["text", "two"]);
        assert!(graph.find(&iri("missing").into()).is_none());

        let as_nodes = GraphOptions {
            literals: Literals::Nodes,
            ..GraphOptions::default()
        };
        let graph = PropertyGraph::build(
            quads.iter().map(Quad::as_ref),
            &Labels::default(),
            &prefixes,
            &as_nodes,
        )
        .unwrap();
        for term in [Term::from(a), b.into(), literal.into()] {
            assert_eq!(node(&graph, term.clone()).term, term);
        }
    }

    #[test]
    fn grouping_keeps_the_order_items_were_met_in() {
        let (offsets, items) = group_by_first(3, &[(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd')]);
        assert_eq!(offsets, [0, 2, 2, 4]);
        assert_eq!(items, ['b', 'd', 'a', 'c']);
        assert_eq!(group_by_first::<char>(2, &[]), (vec![0, 0, 0], vec![]));
    }
}
