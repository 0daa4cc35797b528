//! Chains of relations between two entities: the shortest paths of the property-graph view,
//! links followed in both directions, and how to read them as sentences.

use crate::graph::{PropertyGraph, DEFAULT_GRAPH_NAME};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::Direction;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// A chain of links from one node to another: `nodes[i]` and `nodes[i + 1]` are the ends of
/// `edges[i]`, in either direction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Chain {
    /// The nodes met, from the first to the last.
    pub nodes: Vec<NodeIndex>,
    /// The links followed.
    pub edges: Vec<EdgeIndex>,
}

impl Chain {
    /// How many links the chain has.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether the chain has no link (it starts where it ends).
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// Up to `max` shortest chains from `from` to `to`, shortest first, with no node met twice.
///
/// Links are followed both ways (a chain reads `A ←ordered by— B` as well as `A —targets→ B`)
/// and parallel links (two properties between the same nodes) make distinct chains. This is
/// Yen's k-shortest-paths algorithm over breadth-first searches; petgraph's own path
/// algorithms return node sequences, which lose which of the parallel links was taken.
/// Chains of equal length come in a stable order (by the sorted order of their links).
pub fn shortest_chains(
    graph: &PropertyGraph,
    from: NodeIndex,
    to: NodeIndex,
    max: usize,
) -> Vec<Chain> {
    let mut found: Vec<Chain> = Vec::new();
    if max == 0 {
        return found;
    }
    let Some(first) = bfs(graph, from, to, &HashSet::new(), &HashSet::new()) else {
        return found;
    };
    found.push(first);
    let mut candidates: BTreeSet<(usize, Chain)> = BTreeSet::new();
    while found.len() < max {
        let Some(previous) = found.last().cloned() else {
            break;
        };
        for i in 0..previous.edges.len() {
            let spur = previous.nodes[i];
            let root_edges = &previous.edges[..i];
            let banned_edges: HashSet<EdgeIndex> = found
                .iter()
                .filter(|c| c.edges.len() > i && c.edges[..i] == *root_edges)
                .map(|c| c.edges[i])
                .collect();
            let banned_nodes: HashSet<NodeIndex> = previous.nodes[..i].iter().copied().collect();
            if let Some(tail) = bfs(graph, spur, to, &banned_nodes, &banned_edges) {
                let mut nodes = previous.nodes[..i].to_vec();
                nodes.extend(tail.nodes);
                let mut edges = root_edges.to_vec();
                edges.extend(tail.edges);
                let chain = Chain { nodes, edges };
                if !found.contains(&chain) {
                    candidates.insert((chain.len(), chain));
                }
            }
        }
        match candidates.pop_first() {
            Some((_, chain)) => found.push(chain),
            None => break,
        }
    }
    found
}

/// The links of `node` as `(edge, other end)`, both directions, in the sorted order of edges.
fn links(graph: &PropertyGraph, node: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
    use petgraph::visit::EdgeRef;
    let g = graph.petgraph();
    let mut links: Vec<(EdgeIndex, NodeIndex)> = g
        .edges_directed(node, Direction::Outgoing)
        .map(|e| (e.id(), e.target()))
        .chain(
            g.edges_directed(node, Direction::Incoming)
                .map(|e| (e.id(), e.source())),
        )
        .collect();
    links.sort();
    links.dedup();
    links
}

/// A shortest chain avoiding `banned_nodes` and `banned_edges`, by breadth-first search.
fn bfs(
    graph: &PropertyGraph,
    from: NodeIndex,
    to: NodeIndex,
    banned_nodes: &HashSet<NodeIndex>,
    banned_edges: &HashSet<EdgeIndex>,
) -> Option<Chain> {
    let mut came_from: HashMap<NodeIndex, Option<(NodeIndex, EdgeIndex)>> =
        HashMap::from([(from, None)]);
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            break;
        }
        for (edge, next) in links(graph, node) {
            if banned_edges.contains(&edge)
                || banned_nodes.contains(&next)
                || came_from.contains_key(&next)
            {
                continue;
            }
            came_from.insert(next, Some((node, edge)));
            queue.push_back(next);
        }
    }
    came_from.get(&to)?;
    let (mut nodes, mut edges) = (vec![to], Vec::new());
    let mut at = to;
    while let Some(Some((previous, edge))) = came_from.get(&at) {
        edges.push(*edge);
        nodes.push(*previous);
        at = *previous;
    }
    nodes.reverse();
    edges.reverse();
    Some(Chain { nodes, edges })
}

/// The chain as one line: labels joined by arrows that point the way each link goes, each link
/// followed by its sources in brackets:
/// `Government of Canada ←ordered by— Cessation order [source-1, source-2] —targets→ ...`.
///
/// Sources are the graphs' prefixed names without their prefix (`src:000` reads `000`);
/// line breaks and tabs in labels become spaces, other control characters are shown escaped
/// as in query tables (`\u{1b}`).
pub fn sentence(graph: &PropertyGraph, chain: &Chain) -> String {
    let Some(first) = chain.nodes.first() else {
        return String::new();
    };
    let mut text = one_line(&graph.node(*first).label);
    let g = graph.petgraph();
    for (i, edge) in chain.edges.iter().enumerate() {
        let (Some(next), Some(weight)) = (chain.nodes.get(i + 1), g.edge_weight(*edge)) else {
            continue;
        };
        let forward = g
            .edge_endpoints(*edge)
            .is_some_and(|(a, _)| a == chain.nodes[i]);
        let label = one_line(&weight.label);
        if forward {
            text.push_str(&format!(" —{label}→ "));
        } else {
            text.push_str(&format!(" ←{label}— "));
        }
        text.push_str(&one_line(&graph.node(*next).label));
        let sources: Vec<&str> = weight.source_names().map(short_source).collect();
        text.push_str(&format!(" [{}]", sources.join(", ")));
    }
    text
}

/// `c:source-1` reads `source-1`; full `<iri>`s and the default graph stay as they are.
pub fn short_source(source: &str) -> &str {
    if source == DEFAULT_GRAPH_NAME || source.starts_with('<') {
        return source;
    }
    match source.split_once(':') {
        Some((_, local)) if !local.is_empty() => local,
        _ => source,
    }
}

fn one_line(text: &str) -> String {
    // Line breaks and tabs read as spaces in a sentence; any other control character is shown
    // escaped (`\u{1b}`), so that a label cannot drive the terminal.
    let spaced = text
        .split(['\n', '\r', '\t'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    crate::query::table::escape_controls(&spaced)
}
