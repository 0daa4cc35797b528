"""Third-party SPARQL clients against `casegraph serve` (run by .ci/sparql-clients.sh).

Usage: python3 tests/sparql_clients.py CASEGRAPH_BINARY http://127.0.0.1:PORT
Every answer is compared with what `casegraph query` prints for the same query.
"""

import json
import subprocess
import sys
import urllib.error

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper, TURTLE

binary, base = sys.argv[1], sys.argv[2]
endpoint = base + "/sparql"
CASE = "https://w3id.org/casegraph/case/hikvision-canada/"
PREFIXES = "PREFIX cg: <https://w3id.org/casegraph/ontology#>\n"
SOURCES = PREFIXES + "SELECT ?s WHERE { ?s a cg:SourceArticle } ORDER BY ?s"


def cli_rows(query):
    """The rows `casegraph query -e QUERY --format json` gives, as sorted tuples."""
    out = subprocess.run(
        [binary, "query", "--format", "json", "-e", query],
        check=True, capture_output=True, text=True,
    ).stdout
    return rows(json.loads(out))


def rows(results):
    return sorted(
        tuple(sorted((k, v["value"]) for k, v in b.items()))
        for b in results["results"]["bindings"]
    )


def check(condition, message):
    if not condition:
        sys.exit("FAIL: " + message)
    print("ok", message)


# SPARQLWrapper: SELECT in JSON and CSV, ASK, CONSTRUCT, a POSTed query, a refused update.
client = SPARQLWrapper(endpoint)
client.setQuery(SOURCES)
client.setReturnFormat(JSON)
answer = client.query().convert()
check(rows(answer) == cli_rows(SOURCES) and len(rows(answer)) == 5,
      "SPARQLWrapper SELECT (JSON) answers what casegraph query answers")

client.setReturnFormat(CSV)
csv = client.query().convert().decode("utf-8")
check(csv.splitlines()[0] == "s" and len(csv.splitlines()) == 6, "SPARQLWrapper SELECT (CSV)")

client.setReturnFormat(JSON)
client.setQuery(PREFIXES + "ASK { ?s a cg:CessationOrder }")
check(client.query().convert()["boolean"] is True, "SPARQLWrapper ASK")

client.setQuery(PREFIXES + "CONSTRUCT { ?s a cg:SourceArticle } WHERE { ?s a cg:SourceArticle }")
client.setReturnFormat(TURTLE)
graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
check(len(graph) == 5, "SPARQLWrapper CONSTRUCT read by rdflib as Turtle")

posted = SPARQLWrapper(endpoint)
posted.setMethod(POST)
posted.setQuery(SOURCES)
posted.setReturnFormat(JSON)
check(rows(posted.query().convert()) == rows(answer), "SPARQLWrapper POST")

update = SPARQLWrapper(endpoint)
update.setMethod(POST)
update.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
try:
    update.query()
    check(False, "an update is refused")
except urllib.error.HTTPError as error:  # SPARQLWrapper passes a 403 on as it came
    body = error.read().decode("utf-8")
    check(error.code == 403 and "read-only" in body, "an update is refused with 403: " + body.strip())

# rdflib's SPARQLStore: a remote graph queried through rdflib's own API.
store = SPARQLStore(endpoint, returnFormat="json")
remote = rdflib.Graph(store=store)
found = sorted(str(row[0]) for row in remote.query(SOURCES))
check(found == [CASE + "source-00%d" % i for i in range(5)], "rdflib SPARQLStore SELECT")
count = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%ssource-001> { ?s ?p ?o } }" % CASE
n = int(list(remote.query(count))[0][0])
check(n == int(cli_rows(count)[0][0][1]) and n > 0, "rdflib SPARQLStore reads a named graph (%d triples)" % n)
label = rdflib.URIRef(CASE + "Hikvision")
labels = list(remote.objects(label, rdflib.RDFS.label))
check([str(l) for l in labels] == ["Hikvision"], "rdflib SPARQLStore triples() through the endpoint")
