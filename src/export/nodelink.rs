//! Node-link JSON, the format of NetworkX's `node_link_graph` and of D3's force layouts.

use crate::graph::PropertyGraph;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The whole document, fields in the order NetworkX's `node_link_data` writes them.
#[derive(Serialize)]
struct Document<'a> {
    directed: bool,
    multigraph: bool,
    graph: BTreeMap<String, String>,
    nodes: Vec<JsonNode<'a>>,
    links: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: String,
    label: &'a str,
    name: &'a str,
    class: Vec<&'a str>,
    iri: String,
    /// Literal properties by prefixed name; their names hold a `:` or `<`, so they never
    /// collide with the fixed fields.
    #[serde(flatten)]
    properties: BTreeMap<&'a str, Value>,
}

#[derive(Serialize)]
struct Link<'a> {
    source: String,
    target: String,
    key: &'a str,
    label: &'a str,
    property: &'a str,
    iri: &'a str,
    sources: Vec<&'a str>,
}

/// Writes `graph` as node-link JSON: `{"directed": true, "multigraph": true, "graph": {},
/// "nodes": [...], "links": [...]}`, pretty-printed, keys in a fixed order.
///
/// Nodes are identified by their IRI (`id`) and carry `label`, `name` (prefixed name), `class`
/// (a list of prefixed class names), `iri` (the same as `id`, so that the attributes are those of
/// the GraphML export) and one field per literal property, named by its prefixed
/// name (`ex:date`): a string, or a sorted list when the node has several values. Links carry
/// `source` and `target` (node ids), `key` (the property's prefixed name, which tells parallel
/// links apart in a NetworkX multigraph), `label`, `property`, `iri` and `sources`.
///
/// The edge list is called `links`, as D3 and NetworkX before 3.6 expect; NetworkX 3.6 reads it
/// with `nx.node_link_graph(data, edges="links")`.
pub fn write_node_link(mut out: impl Write, graph: &PropertyGraph) -> io::Result<()> {
    let nodes = graph
        .nodes()
        .map(|(_, node)| JsonNode {
            id: node.id(),
            label: &node.label,
            name: &node.name,
            class: node.classes.iter().map(|(c, _)| &**c).collect(),
            iri: node.id(),
            properties: node
                .properties()
                .into_iter()
                .map(|(property, values)| {
                    let value = match values.as_slice() {
                        [one] => Value::from(*one),
                        several => Value::from(several.to_vec()),
                    };
                    (property, value)
                })
                .collect(),
        })
        .collect();
    let links = graph
        .edges()
        .map(|(from, to, edge)| Link {
            source: graph.node(from).id(),
            target: graph.node(to).id(),
            key: &edge.name,
            label: &edge.label,
            property: &edge.name,
            iri: edge.predicate.as_str(),
            sources: edge.source_names().collect(),
        })
        .collect();
    let document = Document {
        directed: true,
        multigraph: true,
        graph: BTreeMap::new(),
        nodes,
        links,
    };
    serde_json::to_writer_pretty(&mut out, &document).map_err(io::Error::from)?;
    writeln!(out)
}
