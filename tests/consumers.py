#!/usr/bin/env python3
"""Feeds casegraph's graph exports to the tools that read them, and checks that they see
the graph `casegraph stats` describes.

    python3 tests/consumers.py CASEGRAPH_BINARY CASE_DIR

- NetworkX reads the GraphML (`nx.read_graphml`), the GEXF (`nx.read_gexf`) and the
  node-link JSON (`nx.node_link_graph(data, edges="links")`): all three give the node and edge
  counts of `casegraph stats --format json`, the same literal attributes as its `attributes`,
  and the same links (source IRI, target IRI, property) as each other. The GEXF's spells (the
  time intervals Gephi's timeline plays) run forwards and do not overlap.
- The Neo4j CSV files have the `neo4j-admin database import` headers, unique node ids, and
  every `:START_ID` / `:END_ID` is a node's `:ID` (referential integrity).

Exits 0 when every check passes, 1 with one line per failure otherwise.
"""

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx

# Node and edge attributes that every node / edge carries besides the literal properties.
NODE_FIXED = {"label", "name", "iri"}
NODE_OPTIONAL = {"class"}  # only on nodes that have a class
GEXF_OPTIONAL = {"spells"}  # GEXF: only on nodes that have a date
EDGE_FIXED = {"label", "property", "iri", "sources"}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(binary, case, *args):
    result = subprocess.run(
        [binary, "-C", str(case), *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"casegraph {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def node_keys(graph):
    keys = set()
    for _, data in graph.nodes(data=True):
        keys |= set(data)
    return keys


def check_graph(what, graph, stats, iri_of, optional=frozenset()):
    """Counts and attributes of one NetworkX graph against `stats`; returns its links."""
    check(
        graph.number_of_nodes() == stats["nodes"],
        f"{what}: {graph.number_of_nodes()} nodes, stats says {stats['nodes']}",
    )
    check(
        graph.number_of_edges() == stats["edges"],
        f"{what}: {graph.number_of_edges()} edges, stats says {stats['edges']}",
    )
    literal = node_keys(graph) - NODE_FIXED - NODE_OPTIONAL - optional
    check(
        literal == set(stats["attributes"]),
        f"{what}: node attributes {sorted(literal)}, stats says {stats['attributes']}",
    )
    for node, data in graph.nodes(data=True):
        missing = NODE_FIXED - set(data)
        check(not missing, f"{what}: node {node} lacks {sorted(missing)}")
    links = set()
    for source, target, data in graph.edges(data=True):
        missing = EDGE_FIXED - set(data)
        check(not missing, f"{what}: edge {source} -> {target} lacks {sorted(missing)}")
        links.add((iri_of(source), iri_of(target), data.get("property")))
    return links


def check_spells(graph):
    """Each dated node's spells run forwards, in order, without overlapping (GEXF forbids
    overlapping intervals); returns how many nodes have one."""
    dated = 0
    for node, data in graph.nodes(data=True):
        spells = data.get("spells")
        if spells is None:
            continue
        dated += 1
        check(spells, f"GEXF: node {node} has an empty <spells>")
        for start, end in spells:
            check(start <= end, f"GEXF: node {node} has a spell from {start} back to {end}")
        for (_, end), (start, _) in zip(spells, spells[1:]):
            check(end < start, f"GEXF: node {node} has overlapping spells {spells}")
    return dated


def check_csv(folder, stats):
    with open(folder / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = list(csv.reader(f))
    with open(folder / "relationships.csv", newline="", encoding="utf-8") as f:
        relationships = list(csv.reader(f))
    header, rows = nodes[0], nodes[1:]
    id_columns = [i for i, h in enumerate(header) if h.endswith(":ID")]
    check(len(id_columns) == 1, f"nodes.csv: one :ID column expected, header {header}")
    check(":LABEL" in header, f"nodes.csv: no :LABEL column, header {header}")
    check(len(rows) == stats["nodes"], f"nodes.csv: {len(rows)} rows, stats says {stats['nodes']}")
    property_columns = len(header) - 4  # iri:ID, label, name, :LABEL
    check(
        property_columns == len(stats["attributes"]),
        f"nodes.csv: {property_columns} property columns, stats says {stats['attributes']}",
    )
    ids = [row[id_columns[0]] for row in rows] if id_columns else []
    check(len(ids) == len(set(ids)), "nodes.csv: node ids are not unique")
    check(all(len(row) == len(header) for row in rows), "nodes.csv: ragged rows")

    header, rows = relationships[0], relationships[1:]
    for required in (":START_ID", ":END_ID", ":TYPE"):
        check(required in header, f"relationships.csv: no {required} column, header {header}")
    check(
        len(rows) == stats["edges"],
        f"relationships.csv: {len(rows)} rows, stats says {stats['edges']}",
    )
    if ":START_ID" in header and ":END_ID" in header:
        start, end = header.index(":START_ID"), header.index(":END_ID")
        known = set(ids)
        for number, row in enumerate(rows, start=2):
            for column in (start, end):
                check(
                    row[column] in known,
                    f"relationships.csv:{number}: {header[column]} {row[column]} is no node :ID",
                )


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, case = sys.argv[1], Path(sys.argv[2])
    stats = json.loads(run(binary, case, "stats", "--format", "json"))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        graphml_file = tmp / "case.graphml"
        run(binary, case, "export", "--format", "graphml", "--out", str(graphml_file))
        graphml = nx.read_graphml(graphml_file)
        graphml_links = check_graph(
            "GraphML", graphml, stats, lambda n: graphml.nodes[n].get("iri")
        )

        gexf_file = tmp / "case.gexf"
        run(binary, case, "export", "--format", "gexf", "--out", str(gexf_file))
        gexf = nx.read_gexf(gexf_file)
        gexf_links = check_graph(
            "GEXF", gexf, stats, lambda n: gexf.nodes[n].get("iri"), GEXF_OPTIONAL
        )
        check(graphml_links == gexf_links, "GraphML and GEXF have different links")
        check(
            node_keys(graphml) == node_keys(gexf) - GEXF_OPTIONAL,
            f"GraphML node attributes {sorted(node_keys(graphml))} "
            f"differ from GEXF's {sorted(node_keys(gexf))}",
        )
        dated = check_spells(gexf)
        check(
            (gexf.graph.get("mode") == "dynamic") == (dated > 0),
            f"GEXF: mode {gexf.graph.get('mode')} with {dated} dated nodes",
        )

        data = json.loads(run(binary, case, "export", "--format", "json"))
        node_link = nx.node_link_graph(data, edges="links")
        check(node_link.is_directed() and node_link.is_multigraph(), "JSON: not a MultiDiGraph")
        json_links = check_graph("JSON", node_link, stats, lambda n: n)
        check(graphml_links == json_links, "GraphML and JSON have different links")
        check(
            node_keys(graphml) == node_keys(node_link),
            f"GraphML node attributes {sorted(node_keys(graphml))} "
            f"differ from JSON's {sorted(node_keys(node_link))}",
        )

        run(binary, case, "export", "--format", "csv", "--out", str(tmp / "neo4j"))
        check_csv(tmp / "neo4j", stats)

    for failure in failures:
        print(f"FAIL {case}: {failure}")
    if failures:
        sys.exit(1)
    print(
        f"ok {case}: NetworkX (GraphML, GEXF, node-link JSON) and the Neo4j CSV files see "
        f"{stats['nodes']} nodes, {stats['edges']} edges, attributes {stats['attributes']}; "
        f"{dated} nodes on the GEXF timeline"
    )


if __name__ == "__main__":
    main()
