#!/usr/bin/env python3
"""Runs every tool on every task and size for benches/peers/compare.sh, and writes the tables.

    measure.py WORK CASEGRAPH SIZE... [--out FILE]

WORK holds the generated cases (WORK/SIZE/trig, WORK/SIZE/nq and WORK/SIZE/nq.nq, and
WORK/SIZE/files, the TriG case in files of 500 statements, made by compare.sh). Each command runs under `timeout` and `/usr/bin/time -v`, which gives its wall time
and peak resident memory; with several runs (COMPARE_RUNS, default 3 below a million statements
and 1 from there) the run with the median wall time is kept. Everything runs in this one
process, one command at a time, so the ratios compare tools on the same machine at the same time.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Queries of benches/queries/ that read only named graphs or only the default graph: casegraph
# loads only what each reads (the other tasks' queries read both).
BENCH_QUERIES = os.path.join(HERE, "..", "queries")
PEERS = [sys.executable, os.path.join(HERE, "peers.py")]
TIMEOUT = int(os.environ.get("COMPARE_TIMEOUT", "900"))
# rapper -o dot took more than 900 s on a million statements: it gets this long at most.
DOT_TIMEOUT = int(os.environ.get("COMPARE_DOT_TIMEOUT", "120"))
# COMPARE_TASKS and COMPARE_TOOLS (comma-separated) keep only some rows, to re-measure a part
# in one run of its own: COMPARE_TASKS=load,timeline COMPARE_TOOLS=casegraph,pyoxigraph.
TASKS = [t for t in os.environ.get("COMPARE_TASKS", "").split(",") if t]
TOOLS = [t for t in os.environ.get("COMPARE_TOOLS", "").split(",") if t]
# Tasks whose casegraph time and memory go in the linearity table.
LINEAR = ["load", "load-files", "timeline", "corroboration", "ntriples", "turtle", "dot"]


def size_value(name):
    factor = {"k": 1_000, "m": 1_000_000}.get(name[-1].lower(), 1)
    return int(name.rstrip("kKmM")) * factor


def commands(work, casegraph, size, with_rdflib, with_oxigraph_cli):
    """(task, tool, argv) for one size, casegraph first in every task."""
    trig = os.path.join(work, size, "trig")
    nq = os.path.join(work, size, "nq")
    nq_file = nq + ".nq"
    cg_query = [casegraph, "-C", trig, "query"]
    rows = []
    store_bin = os.environ.get("COMPARE_STORE_BIN")
    store = os.path.join(work, size, "casegraph-store")
    for task in ["load", "timeline", "corroboration", "graph-only", "default-only"]:
        if task == "load":
            rows.append((task, "casegraph", cg_query + ["-e", "ASK {}"]))
        else:
            rows.append((task, "casegraph", cg_query + [query_arg(task), "--format", "csv"]))
        if store_bin:
            # The on-disk store: built once by `load --store`, then queried without reloading.
            on_disk = [store_bin, "-C", trig, "--store", store]
            argv = on_disk + (["load"] if task == "load" else
                              ["query", query_arg(task), "--format", "csv"])
            rows.append((task, "casegraph --store (on-disk)", argv))
            if task == "load":
                # What a command on the built store pays before its query: opening it.
                rows.append((task, "casegraph --store (open, no reload)",
                             on_disk + ["query", "-e", "ASK {}"]))
        rows.append((task, "pyoxigraph", PEERS + ["pyoxigraph", task, trig]))
        if with_rdflib:
            rows.append((task, "rdflib", PEERS + ["rdflib", task, trig]))
        if with_oxigraph_cli:
            rows.append((task, "oxigraph CLI (on-disk store)", oxigraph_cli(work, size, trig, task)))
    # Counting the case: casegraph's stats (from the files, held as ids) against pyoxigraph's
    # load and the same counts by SPARQL (#14: at most 0.8x its time, half its memory).
    rows.append(("stats", "casegraph", [casegraph, "-C", trig, "stats"]))
    rows.append(("stats", "pyoxigraph", PEERS + ["pyoxigraph", "stats", trig]))
    files = os.path.join(work, size, "files")
    if os.path.isdir(files):
        # The same statements cut into files of 500 (compare.sh's `files` case): each file's
        # fixed cost counts. Loaded as written; pyoxigraph bulk-loads file by file.
        rows.append(("load-files", "casegraph", [casegraph, "-C", files, "query", "-e", "ASK {}"]))
        rows.append(("load-files", "pyoxigraph", PEERS + ["pyoxigraph", "load", files]))
    for task, rapper_format in [("ntriples", "ntriples"), ("turtle", "turtle"), ("trig", None),
                                ("dot", "dot")]:
        rows.append((task, "casegraph", [casegraph, "-C", nq, "export", "--format", task]))
        if rapper_format:
            rapper = ["rapper", "-q", "-i", "nquads", "-o", rapper_format, nq_file]
            if task == "dot":
                # rapper's DOT writer is quadratic: cap it, a timeout already says enough.
                rapper = ["timeout", str(DOT_TIMEOUT)] + rapper
            rows.append((task, "rapper", rapper))
        if with_rdflib:
            tool = "rdflib rdf2dot" if task == "dot" else "rdflib"
            rows.append((task, tool, PEERS + ["rdflib", task, nq]))
        if task != "dot":
            rows.append((task, "pyoxigraph", PEERS + ["pyoxigraph", task, nq]))
    return rows


def query_arg(task):
    """How casegraph names the task's query: a named query of the case, or a file."""
    if task in ("graph-only", "default-only"):
        return os.path.join(BENCH_QUERIES, task + ".rq")
    return task


def oxigraph_cli(work, size, trig, task):
    """A shell line for the oxigraph CLI: `load` builds the on-disk store, queries reuse it."""
    location = os.path.join(work, size, "oxigraph-store")
    if task == "load":
        files = " ".join(sorted(
            os.path.join(d, f) for d, _, fs in os.walk(os.path.join(trig, "data"))
            for f in fs if f.endswith(".trig")))
        ontology = os.path.join(trig, "ontology", "casegraph.ttl")
        line = (f"rm -rf {location} && oxigraph load --location {location} --file {files} && "
                f"oxigraph load --location {location} --file {ontology} "
                f"--graph https://w3id.org/casegraph/graph/ontology")
    else:
        query = query_arg(task) if task != query_arg(task) else os.path.join(trig, "queries", task + ".rq")
        line = (f"oxigraph query --location {location} --query-file {query} "
                f"--results-format csv --union-default-graph")
    return ["sh", "-c", line]


def run_once(argv):
    """(wall seconds, peak MiB, status) of one run, its output thrown away.

    The wall time is measured here (to the microsecond; `time -v` prints hundredths), the peak
    resident memory is `time -v`'s.
    """
    timed = ["/usr/bin/time", "-v", "timeout", str(TIMEOUT)] + argv
    start = time.monotonic()
    proc = subprocess.run(timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    peak = int(rss.group(1)) / 1024 if rss else float("nan")
    if proc.returncode == 124 or "status 124" in proc.stderr:
        status = "timeout"
    elif proc.returncode != 0:
        tail = [line for line in proc.stderr.splitlines() if "Command" not in line][:3]
        status = f"exit {proc.returncode}: " + " / ".join(tail)[:200]
    else:
        status = "ok"
    return wall, peak, status


def measure(argv, runs):
    results = [run_once(argv) for _ in range(runs)]
    results.sort(key=lambda r: r[0])
    return results[len(results) // 2]


def fmt(value, digits=2):
    return "n/a" if value != value else f"{value:.{digits}f}"


def main():
    args = sys.argv[1:]
    out = None
    if "--out" in args:
        i = args.index("--out")
        out = args[i + 1]
        del args[i:i + 2]
    work, casegraph, sizes = args[0], args[1], args[2:]
    with_oxigraph_cli = os.environ.get("COMPARE_OXIGRAPH_CLI") == "1" and shutil.which("oxigraph")
    rows = []
    for size in sizes:
        quads = sum(1 for _ in open(os.path.join(work, size, "nq.nq"), "rb"))
        # rdflib needs minutes a million statements: left out past that.
        with_rdflib = quads <= 2_000_000
        runs = int(os.environ.get("COMPARE_RUNS", "3" if quads < 1_000_000 else "1"))
        for task, tool, argv in commands(work, casegraph, size, with_rdflib, with_oxigraph_cli):
            if (TASKS and task not in TASKS) or (TOOLS and tool.split()[0] not in TOOLS):
                continue
            wall, peak, status = measure(argv, runs)
            rows.append(dict(task=task, size=size, quads=quads, tool=tool, wall=wall, peak=peak,
                             status=status))
            print(f"{size:>5} {task:<24} {tool:<28} {wall:8.3f} s {peak:8.1f} MiB  {status}",
                  file=sys.stderr, flush=True)

    lines = ["| task | size | tool | wall s | peak MiB | time vs casegraph | memory vs casegraph |",
             "|---|---|---|---:|---:|---:|---:|"]
    base = {(r["task"], r["size"]): r for r in rows if r["tool"] == "casegraph"}
    for r in rows:
        cg = base[(r["task"], r["size"])]
        ok = r["status"] == "ok"
        wall = fmt(r["wall"], 3) if ok else f"{r['status']}"
        if r["status"] == "timeout":
            limit = DOT_TIMEOUT if r["tool"] == "rapper" and r["task"] == "dot" else TIMEOUT
            wall = f"> {limit} (timeout)"
        ratio = (f"{r['wall'] / cg['wall']:.2f}×" if ok and cg["status"] == "ok" else "n/a")
        mem = f"{r['peak'] / cg['peak']:.2f}×" if ok and cg["status"] == "ok" else "n/a"
        if r["tool"] == "casegraph":
            ratio, mem = "1", "1"
        lines.append(f"| {r['task']} | {r['size']} | {r['tool']} | {wall} | {fmt(r['peak'], 1)} "
                     f"| {ratio} | {mem} |")

    lines += ["", "Linearity (casegraph, per million statements; each process also pays a fixed "
              "start-up of a few MiB and milliseconds, which dominates the smallest case):", "",
              "| task | " + " | ".join(f"{s} s/M | {s} MiB/M" for s in sizes) + " |",
              "|---|" + "---:|---:|" * len(sizes)]
    for task in LINEAR:
        if not any((task, size) in base for size in sizes):
            continue  # not measured in this run (COMPARE_TASKS)
        cells = []
        for size in sizes:
            r = base.get((task, size))
            if r and r["status"] == "ok":
                millions = r["quads"] / 1e6
                cells += [fmt(r["wall"] / millions, 2), fmt(r["peak"] / millions, 0)]
            else:
                cells += ["n/a", "n/a"]
        lines.append(f"| {task} | " + " | ".join(cells) + " |")

    table = "\n".join(lines) + "\n"
    print(table)
    if out:
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write(table)


if __name__ == "__main__":
    main()
