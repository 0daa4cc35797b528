#!/usr/bin/env python3
"""The peer tools' side of benches/peers/compare.sh: one task of pyoxigraph or rdflib, as a process.

    peers.py TOOL TASK CASE

TOOL is `pyoxigraph` or `rdflib`. TASK is one of
  load, timeline, corroboration,  read the case's TriG files (and its ontology, into the same
  graph-only, default-only        named graph casegraph puts it in), then run the named query
                                  from CASE/queries (benches/queries for graph-only and
                                  default-only) with the union of the graphs as default graph
                                  and write its results as CSV to /dev/null (load runs `ASK {}`);
  ntriples, turtle, trig          read CASE.nq (the data of the N-Quads form of the case, in one
                                  file) and write it in that syntax to /dev/null;
  dot                             the same, written as Graphviz DOT by rdflib's rdf2dot;
  stats                           (pyoxigraph) load as the query tasks do, then count statements
                                  per graph and per property, instances per class and distinct
                                  triples by SPARQL, as `casegraph stats` counts them.
Each run does one task once, so that /usr/bin/time sees its whole cost: imports, parsing,
evaluation and output.
"""

import glob
import os
import sys

ONTOLOGY_GRAPH = "https://w3id.org/casegraph/graph/ontology"
PREFIXES = {
    "cg": "https://w3id.org/casegraph/ontology#",
    "case": "https://w3id.org/casegraph/case/synthetic/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def case_files(case):
    """The files casegraph loads: ontology/*.ttl, then data/**/*.trig, each in path order."""
    ontology = sorted(glob.glob(os.path.join(case, "ontology", "*.ttl")))
    data = sorted(glob.glob(os.path.join(case, "data", "**", "*.trig"), recursive=True))
    return ontology, data


QUERY_TASKS = ("load", "timeline", "corroboration", "graph-only", "default-only")
STATS_QUERIES = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?p",
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { { ?s a ?c } UNION { GRAPH ?g { ?s a ?c } } } GROUP BY ?c",
    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE"
    " { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }",
)
BENCH_QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "queries")


def query_text(case, task):
    if task == "load":
        return "ASK {}"
    folder = BENCH_QUERIES if task in ("graph-only", "default-only") else os.path.join(case, "queries")
    with open(os.path.join(folder, task + ".rq"), encoding="utf-8") as f:
        return f.read()


def pyoxigraph_load(case):
    """A pyoxigraph store with the case's TriG files, the ontology in casegraph's named graph."""
    import pyoxigraph as ox

    store = ox.Store()
    ontology, data = case_files(case)
    for path in ontology:
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    for path in data:
        store.bulk_load(path=path, format=ox.RdfFormat.TRIG)
    return store


def pyoxigraph_task(task, case):
    import pyoxigraph as ox

    out = open(os.devnull, "wb")
    if task in QUERY_TASKS:
        store = pyoxigraph_load(case)
        results = store.query(query_text(case, task), use_default_graph_as_union=True)
        if isinstance(results, bool):
            return
        results.serialize(out, ox.QueryResultsFormat.CSV)
    elif task == "stats":
        # Load, then count what `casegraph stats` counts: statements per graph and per
        # property, instances per class, distinct triples of all graphs merged.
        store = pyoxigraph_load(case)
        for query in STATS_QUERIES:
            store.query(query).serialize(out, ox.QueryResultsFormat.CSV)
    elif task in ("ntriples", "turtle", "trig"):
        # Streams quads to the writer: no dataset in memory, as rapper does.
        fmt = {"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE,
               "trig": ox.RdfFormat.TRIG}[task]
        quads = ox.parse(path=case + ".nq", format=ox.RdfFormat.N_QUADS)
        items = quads if task == "trig" else (q.triple for q in quads)
        kwargs = {} if task == "ntriples" else {"prefixes": PREFIXES}
        ox.serialize(items, out, fmt, **kwargs)
    else:
        sys.exit(f"pyoxigraph has no {task} writer")


def rdflib_task(task, case):
    import rdflib

    out = open(os.devnull, "wb")
    dataset = rdflib.Dataset(default_union=True)
    if task in QUERY_TASKS:
        ontology, data = case_files(case)
        for path in ontology:
            dataset.graph(rdflib.URIRef(ONTOLOGY_GRAPH)).parse(path, format="turtle")
        for path in data:
            dataset.parse(path, format="trig")
        results = dataset.query(query_text(case, task))
        if task != "load":
            out.write(results.serialize(format="csv"))
        return
    dataset.parse(case + ".nq", format="nquads")
    for name, iri in PREFIXES.items():
        dataset.bind(name, iri)
    if task == "dot":
        import io
        from rdflib.tools.rdf2dot import rdf2dot

        # rdf2dot draws a Graph: the union of the dataset's graphs, each triple once.
        graph = rdflib.Graph()
        for triple in dataset.triples((None, None, None)):
            graph.add(triple)
        text = io.StringIO()
        rdf2dot(graph, text)
        out.write(text.getvalue().encode("utf-8"))
    else:
        fmt = {"ntriples": "nt", "turtle": "turtle", "trig": "trig"}[task]
        dataset.serialize(destination=out, format=fmt)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    tool, task, case = sys.argv[1:]
    {"pyoxigraph": pyoxigraph_task, "rdflib": rdflib_task}[tool](task, case)


if __name__ == "__main__":
    main()
