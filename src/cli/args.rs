//! The command line: every command, option and its help text (clap derive).

use crate::cli::check::CheckFormat;
use crate::cli::path::PathFormat;
use crate::cli::stats::StatsFormat;
use casegraph::export::render::ImageFormat;
use casegraph::export::GraphFormat;
use casegraph::format::Format;
use casegraph::query::results::ResultsFormat;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::sync::LazyLock;

/// Build, query, check and draw sourced knowledge graphs of news cases.
///
/// A case is a folder holding ontology/ (the schema), data/ (the curated facts, one named
/// graph per source article) and queries/ (SPARQL files). Every RDF file under ontology/ and
/// data/ (.ttl .trig .nt .nq .rdf .owl .jsonld) is loaded into an in-memory Oxigraph store;
/// the ontology goes into its own named graph, <https://w3id.org/casegraph/graph/ontology>.
///
/// Exit status: 0 success; 1 a negative answer (an ASK query answered false, check found
/// errors, path found no chain); 2 an error (bad input, unreadable file, failed query).
#[derive(Debug, Parser)]
#[command(name = "casegraph", version, max_term_width = 100)]
pub struct Cli {
    /// Where the case is.
    #[command(flatten)]
    pub location: Location,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where a command finds the case: its folder, and optionally an on-disk store of it.
#[derive(Debug, Args)]
pub struct Location {
    /// The case folder (default: the current directory).
    #[arg(
        short = 'C',
        long = "case",
        global = true,
        value_name = "DIR",
        default_value = "."
    )]
    pub case: PathBuf,

    /// The on-disk store in DIR: `load` builds it there; every other command answers from it
    /// instead of loading the case's files again (warning when the case's files changed since
    /// the load, refusing a store built from another case). Named queries still come from the
    /// case's queries/ folder. Needs a casegraph built with `--features rocksdb`.
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

/// The long help of every `--out FILE`: what "written whole or not at all" covers.
const OUT_HELP: &str = "Write to FILE instead of stdout.\n\n\
A regular file is written whole or not at all: the output goes to a temporary file in FILE's \
folder that replaces FILE only once everything is written, so an error, Ctrl-C or SIGTERM \
leaves the previous FILE as it was and no temporary file behind. A replaced FILE keeps its \
permissions (and owner, where allowed). A symbolic link is followed: its target is replaced, \
the link stays. A device, FIFO or socket is written to directly, as a shell's `>` would, so \
there \"whole or not at all\" cannot hold.";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a SPARQL query: a name from queries/, a file, or inline text (-e).
    ///
    /// The query's default graph is the union of every graph (the article graphs, the
    /// default graph and the ontology), so plain patterns see all the facts; GRAPH ?g reaches
    /// each named graph (the ontology's only with --with-ontology). --no-union makes the default
    /// graph the store's default graph alone. The case's prefixes are predeclared.
    ///
    /// SELECT prints a table (or --format csv|tsv|json|xml, the W3C results formats, written
    /// row by row as they are computed; the table needs every row for its widths first);
    /// ASK prints true or false and exits 0 or 1; CONSTRUCT and DESCRIBE print RDF or a
    /// drawing in any export format (default turtle).
    #[command(after_help = "Examples:\n  \
        casegraph query timeline\n  \
        casegraph query actions-against --param company=case:Hikvision\n  \
        casegraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'\n  \
        casegraph query neighbourhood --param entity=case:Hikvision --format dot | dot -Tsvg > n.svg")]
    Query(QueryArgs),
    /// List the named queries in queries/ with their titles, descriptions and parameters.
    ///
    /// With --endpoint, each query without parameters is also run on the store, and its
    /// answer counted: a check that the store answers every named query.
    Queries(QueriesArgs),
    /// Write the case (or a CONSTRUCT query's result) as RDF or as a drawing.
    ///
    /// Quad formats (trig, nquads, jsonld) keep every named graph; triple formats (turtle,
    /// ntriples, rdfxml) and drawings (dot) get the union of the case's graphs, each triple once.
    /// The ontology is left out unless --with-ontology. Turtle and TriG list only the prefixes
    /// they use, one block per subject, in a stable order: the same data gives the same bytes.
    ///
    /// Property-graph formats (dot, graphml, gexf, json, csv, mermaid) all write one view: entities
    /// are nodes, links between entities are edges (with the graphs that state them as
    /// `sources`), literals are node attributes.
    #[command(after_help = "Examples:\n  \
        casegraph export --format trig --out case.trig\n  \
        casegraph export --format dot | dot -Tsvg > case.svg\n  \
        casegraph export --format dot --focus case:Hikvision --depth 1\n  \
        casegraph export --out case.graphml\n  \
        casegraph export --format csv --out neo4j-import/")]
    Export(ExportArgs),
    /// Count statements: in all, per named graph, per class and per property.
    Stats(StatsArgs),
    /// Load the case once into an on-disk store (--store DIR) for later commands to use.
    ///
    /// --store DIR is the folder to build the store in. It must be new, empty, or hold a
    /// casegraph store (its casegraph.json says so): a folder with anything else in it is
    /// refused and left untouched, as is one inside the case's ontology/ or data/. A symbolic
    /// link is followed. The store records the case's files (paths, sizes, modification
    /// times), so later commands can tell when it is out of date.
    ///
    /// The new store is built beside DIR and replaces the old one only when complete, so a load
    /// that fails (a syntax error halfway) leaves the previous store as it was; a second load of
    /// the same store while one runs fails with a "locked" error. Needs a casegraph built with
    /// `--features rocksdb`.
    #[command(after_help = "Examples:\n  \
        casegraph load --store /var/lib/casegraph/hikvision\n  \
        casegraph --store /var/lib/casegraph/hikvision query timeline")]
    Load,
    /// Check the case: SHACL shapes from ontology/ and curation lints, reported like a
    /// compiler (file:line:col: error[code]: message), sorted by file, line, column and code.
    ///
    /// A problem with a value (a wrong datatype, an ill-typed literal) is reported at that value,
    /// in the file that states it; a problem with a node as a whole (a missing property) where
    /// the node is defined: its rdf:type (`a`) statement, else the file holding most of its
    /// triples.
    ///
    /// Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the check could not run.
    #[command(after_help = "Examples:\n  \
        casegraph check\n  \
        casegraph check --articles ../articles\n  \
        casegraph -C path/to/case check --format json")]
    Check(CheckArgs),
    /// Draw the case (or an entity's neighbourhood) as SVG, PNG or PDF with Graphviz `dot`.
    ///
    /// The drawing is the one of `export --format dot`. The image format comes from --format,
    /// else from the --out file's extension, else SVG. Graphviz must be installed
    /// (apt-get install graphviz, or brew install graphviz).
    #[command(after_help = "Examples:\n  \
        casegraph render --out case.svg\n  \
        casegraph render --focus case:Hikvision --depth 2 --out hikvision.png")]
    Render(RenderArgs),
    /// Print the shortest chains of relations between two entities, with their sources.
    ///
    /// Links are followed in both directions; each arrow points the way its link goes, and each
    /// link is followed by the articles (named graphs) that state it, without their prefix:
    /// `A ←ordered by— B [source-000, source-002] —targets→ C [source-000]`. Exit status 1
    /// when no chain exists.
    #[command(after_help = "Examples:\n  \
        casegraph path case:Canada case:HikvisionCanada\n  \
        casegraph path case:Canada case:Hikvision --max 5 --format dot | dot -Tsvg > p.svg")]
    Path(PathArgs),
    /// Serve the case over HTTP: a SPARQL endpoint for clients, and pages for people.
    ///
    /// Loads the case once (or opens --store) and answers, read-only:
    ///   /sparql        SPARQL 1.1 Protocol: GET ?query=, POST form or application/sparql-query;
    ///                  results as JSON, XML, CSV or TSV, graphs in any RDF syntax (Accept);
    ///                  without a query, a service description
    ///   /store         Graph Store Protocol, read side: ?graph=IRI or ?default
    ///   /queries       the named queries; /queries/NAME?PARAM=VALUE runs one
    ///   /              pages for people: the case, its entities, sources and timeline
    ///
    /// The dataset is that of `casegraph query`: every graph merged as the default graph, one
    /// named graph per article. SPARQL Update and every method that would write are refused.
    /// Each query stops at --timeout; at most --workers run at once and --queue wait, and past
    /// that the server answers 503. One access-log line per request goes to stderr. SIGINT or
    /// SIGTERM stops it after the requests being answered are done.
    ///
    /// It listens on 127.0.0.1 (this machine only) unless --bind says otherwise; an address
    /// other machines can reach gets a warning, since the server has no authentication.
    #[command(after_help = "Examples:\n  \
        casegraph serve\n  \
        casegraph serve --bind 127.0.0.1:8080 --timeout 30s\n  \
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' http://127.0.0.1:7878/sparql")]
    Serve(ServeArgs),
    /// Write the pages of `serve` as a static site: plain HTML files with relative links, to
    /// publish beside a story or open from disk, no server needed.
    ///
    /// The site has the home page (the case, its sources and counts), a page per entity and
    /// event (every claim about it with the articles that state it, their verbatim evidence and
    /// quotes, what points to it, and its neighbourhood drawn when Graphviz is installed), a page
    /// per source article (everything it says, and what only it says), the timeline, the
    /// disagreements, the list of entities (with a filter, the static search, when JavaScript
    /// runs), and the named queries without parameters, answered when the site is written.
    /// The query editor and the queries that take parameters need `casegraph serve`.
    ///
    /// The site is written whole or not at all: it is built in a hidden folder beside DIR and
    /// renamed into place when complete. DIR must be new, empty, or a site casegraph wrote (it
    /// holds a .casegraph-site file); a folder with anything else in it is refused and left
    /// untouched.
    #[command(after_help = "Examples:\n  \
        casegraph site --out public/hikvision\n  \
        casegraph -C path/to/case site --out /tmp/site && xdg-open /tmp/site/index.html")]
    Site(SiteArgs),
    /// Start a new case in DIR: a folder that passes `casegraph check`, to curate from.
    ///
    /// It holds its own ontology file (base IRI, title, the `case:` prefix) importing the shared
    /// casegraph ontology and shapes (copied beside it), the generic named queries, a README
    /// for curators, and two short fictional example articles with their sources, claims,
    /// quotes, dates and a disagreement, showing every convention, to replace with real ones.
    /// `casegraph -C DIR check --articles DIR/articles` passes on it as made.
    ///
    /// DIR must not exist, or be empty; the case is written whole or not at all. The global
    /// -C is not used: DIR is the new case.
    #[command(after_help = "Examples:\n  \
        casegraph new cases/harbour-bridge --title \"Harbour bridge contract\"\n  \
        casegraph new my-case --base https://example.org/my-case/ && casegraph -C my-case check")]
    New(NewArgs),
    /// Write the case to a SPARQL store through the Graph Store Protocol, for queries with
    /// --endpoint.
    ///
    /// Each article's named graph keeps its IRI; the case's default graph, its ontology, and the
    /// merge of every graph (each triple once: the default graph of `query --endpoint`) go to
    /// NAMESPACEgraph/default, NAMESPACEgraph/ontology and NAMESPACEgraph/merged, where
    /// NAMESPACE is the case's `case:` prefix unless --namespace says otherwise. Every graph of
    /// the case must be under the namespace.
    ///
    /// Each graph is replaced whole (PUT, then POSTs of at most --batch triples, the triples
    /// that share a blank node in one piece), so a second push changes nothing: a graph the
    /// store holds as the case has it is left alone. A graph under the namespace that the case
    /// no longer has is deleted; nothing outside the namespace is ever written or deleted.
    /// Afterwards every graph is counted on the store and the counts reported against the
    /// case's; a difference is an error. --dry-run prints what would change and sends nothing
    /// but queries.
    ///
    /// The password comes from the environment variable that --password-env names, or from
    /// the netrc file ($NETRC, else ~/.netrc), never from the command line. Basic and Digest
    /// authentication are answered as the store asks.
    #[command(after_help = "Examples:\n  \
        casegraph push --endpoint http://127.0.0.1:7878/query --graph-store http://127.0.0.1:7878/store\n  \
        DBA_PASSWORD=... casegraph push --endpoint http://127.0.0.1:8890/sparql \\\n      \
        --graph-store http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --password-env DBA_PASSWORD\n  \
        casegraph query timeline --endpoint http://127.0.0.1:8890/sparql")]
    Push(PushArgs),
}

/// Options of `queries`.
#[derive(Debug, Args)]
pub struct QueriesArgs {
    /// The store to run the queries on (see `casegraph push --help`).
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Where a case is on a SPARQL store, and how to reach it: `push`, and `--endpoint` on
/// `query`, `queries` and `export`.
#[derive(Debug, Args, Clone)]
pub struct RemoteArgs {
    /// The store's SPARQL query endpoint (Virtuoso: http://HOST:8890/sparql; Oxigraph:
    /// http://HOST:7878/query; Fuseki: http://HOST:3030/DATASET/sparql). Queries run there,
    /// on the graphs `casegraph push` wrote, instead of on the case's files.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,

    /// The user name to authenticate as (Basic or Digest, as the store asks).
    #[arg(long, value_name = "NAME", requires = "endpoint")]
    pub user: Option<String>,

    /// The environment variable that holds --user's password. Without it, the netrc file
    /// ($NETRC, else ~/.netrc) is read for the endpoint's host.
    #[arg(long, value_name = "VAR", requires = "user")]
    pub password_env: Option<String>,

    /// The IRI under which the case's graphs are on the store (ending in / or #). Default: the
    /// IRI of the case's `case:` prefix.
    #[arg(long, value_name = "IRI", requires = "endpoint")]
    pub namespace: Option<String>,

    /// How long to wait for a connection to the store.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10s",
        requires = "endpoint"
    )]
    pub connect_timeout: casegraph::query::limits::TimeLimit,

    /// How long to wait for each read of the store's answer.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "5m",
        requires = "endpoint"
    )]
    pub read_timeout: casegraph::query::limits::TimeLimit,

    /// How many times to try an idempotent request again after a 5xx answer or a dropped
    /// connection (waiting 0.5 s, 1 s, 2 s, ... between tries).
    #[arg(long, value_name = "N", default_value_t = 3, requires = "endpoint")]
    pub retries: u32,
}

/// Options of `push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The store's Graph Store Protocol endpoint (Virtuoso: http://HOST:8890/sparql-graph-crud-auth
    /// with --user; Oxigraph: http://HOST:7878/store; Fuseki: http://HOST:3030/DATASET/data).
    #[arg(long, value_name = "URL")]
    pub graph_store: String,

    /// The query parameter that names a graph on --graph-store: the protocol's `graph`, which
    /// Virtuoso and Oxigraph take; for a store that wants another.
    #[arg(long, value_name = "NAME", default_value = "graph")]
    pub graph_param: String,

    /// At most this many triples per request.
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub batch: usize,

    /// Requests sent at once: graphs are written side by side, each graph's pieces in order,
    /// the merge after every other graph.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub jobs: usize,

    /// Print what would change, and change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// The store (--endpoint is required).
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Options of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to make the case in (new, or empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The namespace of the case's IRIs, bound to `case:`: an absolute IRI ending in `/` or
    /// `#`. Default: https://example.org/casegraph/case/ followed by DIR's name and `/`.
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,

    /// The case's title, for people (the ontology's label, the README's heading). Default:
    /// DIR's name.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// Options of `site`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The folder to write the site to (new, empty, or a site casegraph wrote).
    #[arg(short = 'o', long, value_name = "DIR")]
    pub out: PathBuf,

    /// Stop each named query after this long, results included: 500ms, 10s, 2m.
    #[arg(long, value_name = "DURATION", default_value = casegraph::server::DEFAULT_TIMEOUT)]
    pub timeout: casegraph::query::limits::TimeLimit,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: std::net::SocketAddr,

    /// Stop each query after this long, results included: 500ms, 10s, 2m.
    #[arg(long, value_name = "DURATION", default_value = casegraph::server::DEFAULT_TIMEOUT)]
    pub timeout: casegraph::query::limits::TimeLimit,

    /// Queries evaluated at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,

    /// Queries that may wait for a worker; past this the server answers 503.
    #[arg(long, value_name = "N", default_value_t = casegraph::server::DEFAULT_QUEUE)]
    pub queue: usize,

    /// The largest request body (a POSTed query) read, in bytes; past it, 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,

    /// The longest request target (path and query string) read, in bytes; past it, 414.
    /// OxHTTP refuses request headers over 8 KiB with 400 whatever this says.
    #[arg(long, value_name = "BYTES", default_value_t = 4096)]
    pub max_url: usize,

    /// Let scripts on web pages from ORIGIN (e.g. https://yasgui.triply.cc) read the answers
    /// (CORS). Off by default: only pages served by casegraph itself can.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
}

/// Options of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Image format. Default: from the --out file's extension, else svg.
    #[arg(short = 'f', long, value_name = "FORMAT", ignore_case = true)]
    pub format: Option<FormatArg<ImageFormat>>,

    /// Write to FILE instead of stdout (written whole or not at all).
    #[arg(short = 'o', long, value_name = "FILE", long_help = OUT_HELP)]
    pub out: Option<PathBuf>,

    /// Include the ontology graph.
    #[arg(long)]
    pub with_ontology: bool,

    /// Drawing options.
    #[command(flatten)]
    pub drawing: DrawingArgs,
}

/// Options of `path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Where the chains start: a Turtle term, e.g. case:Canada.
    #[arg(value_name = "FROM")]
    pub from: String,

    /// Where the chains end: a Turtle term.
    #[arg(value_name = "TO")]
    pub to: String,

    /// At most this many chains, shortest first.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max: usize,

    /// Output format: text (one sentence per chain) or dot (the chains drawn).
    #[arg(
        short = 'f',
        long,
        value_name = "FORMAT",
        default_value = "text",
        ignore_case = true
    )]
    pub format: FormatArg<PathFormat>,

    /// Follow links stated in the ontology graph too.
    #[arg(long)]
    pub with_ontology: bool,
}

/// Options of `query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// A query name (timeline runs queries/timeline.rq) or a .rq file path.
    #[arg(
        value_name = "NAME|FILE",
        required_unless_present = "expression",
        conflicts_with = "expression"
    )]
    pub query: Option<String>,

    /// The query text itself.
    #[arg(short = 'e', long = "expression", value_name = "SPARQL")]
    pub expression: Option<String>,

    /// Bind ?NAME to VALUE before evaluation (repeatable). VALUE is a Turtle term using the
    /// case's prefixes: case:Hikvision, <https://...>, "text", "2025-06-27"^^xsd:date, 42.
    /// The query must declare NAME in a "# param: NAME - description" header line.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,

    /// Output format. SELECT/ASK: table (default), csv, tsv, json, xml.
    /// CONSTRUCT/DESCRIBE: turtle (default), trig, ntriples, nquads, rdfxml, jsonld, dot,
    /// graphml, gexf, json (node-link), csv (Neo4j, needs --out DIR), mermaid.
    #[arg(short = 'f', long, value_name = "FORMAT", ignore_case = true)]
    pub format: Option<QueryFormatArg>,

    /// Write to FILE instead of stdout (written whole or not at all).
    #[arg(short = 'o', long, value_name = "FILE", long_help = OUT_HELP)]
    pub out: Option<PathBuf>,

    /// Make the default graph the store's default graph only, not the union of all graphs.
    #[arg(long)]
    pub no_union: bool,

    /// Let GRAPH ?g reach the ontology graph too.
    #[arg(long)]
    pub with_ontology: bool,

    /// Stop the query after DURATION (e.g. 500ms, 10s, 2m, 1h), results included, and fail
    /// with exit status 2. No limit by default: a query runs until it ends.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<casegraph::query::limits::TimeLimit>,

    /// Let SERVICE clauses send requests to other SPARQL endpoints. Without it a query that
    /// names a SERVICE anywhere (SILENT too) is refused before it runs.
    #[arg(long)]
    pub allow_service: bool,

    /// Drawing options, for CONSTRUCT results written as dot.
    #[command(flatten)]
    pub drawing: DrawingArgs,

    /// Run the query on a SPARQL store instead (see `casegraph push --help`).
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format: turtle, trig, ntriples, nquads, rdfxml, jsonld, dot, graphml,
    /// gexf (Gephi, dated events on its timeline), json (node-link JSON for NetworkX and D3),
    /// csv (nodes.csv and relationships.csv for neo4j-admin import, written into the folder
    /// --out DIR), mermaid, ftm (FollowTheMoney entities, mapped by the ontology's
    /// cg:ftmSchema and cg:ftmProperty annotations), ftm-statements (FtM's statements CSV, each
    /// value with the article that states it).
    /// Default: from the --out file's extension, else turtle.
    #[arg(short = 'f', long, value_name = "FORMAT", ignore_case = true)]
    pub format: Option<FormatArg<GraphFormat>>,

    /// Write to FILE instead of stdout (written whole or not at all).
    #[arg(short = 'o', long, value_name = "FILE", long_help = OUT_HELP)]
    pub out: Option<PathBuf>,

    /// Export the result of this CONSTRUCT or DESCRIBE query (a name from queries/ or a .rq
    /// file) instead of the whole case.
    #[arg(
        short = 'q',
        long,
        value_name = "NAME|FILE",
        conflicts_with = "expression"
    )]
    pub query: Option<String>,

    /// Export the result of this CONSTRUCT or DESCRIBE query text instead of the whole case.
    #[arg(short = 'e', long = "expression", value_name = "SPARQL")]
    pub expression: Option<String>,

    /// Bind a parameter of --query or -e (see `casegraph query --help`).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,

    /// Stop --query after DURATION (e.g. 500ms, 10s, 2m, 1h). No limit by default.
    #[arg(long, value_name = "DURATION", requires = "query")]
    pub timeout: Option<casegraph::query::limits::TimeLimit>,

    /// Let SERVICE clauses in --query send requests to other SPARQL endpoints.
    #[arg(long, requires = "query")]
    pub allow_service: bool,

    /// Include the ontology graph.
    #[arg(long)]
    pub with_ontology: bool,

    /// Drawing options.
    #[command(flatten)]
    pub drawing: DrawingArgs,

    /// Run --query on a SPARQL store instead (see `casegraph push --help`).
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Options that shape drawings.
#[derive(Debug, Args)]
pub struct DrawingArgs {
    /// Draw only the neighbourhood of this entity (a Turtle term, e.g. case:Hikvision).
    #[arg(long, value_name = "TERM")]
    pub focus: Option<String>,

    /// With --focus: how many links away from the entity to draw (default 1).
    #[arg(long, value_name = "N", requires = "focus")]
    pub depth: Option<usize>,

    /// Where literal values go: inside their subject's node (inline), as nodes of their own
    /// (nodes), or left out (none) for a picture of entities and links only.
    #[arg(long, value_enum, default_value_t = LiteralsArg::Inline, value_name = "WHERE")]
    pub literals: LiteralsArg,

    /// Drawings cut each literal value to 80 characters and show at most 3 values of a
    /// property; this keeps every value whole.
    #[arg(long)]
    pub full_literals: bool,
}

/// Values of `--literals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LiteralsArg {
    /// Inside their subject's node.
    Inline,
    /// As nodes of their own.
    Nodes,
    /// Left out.
    None,
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format: text (default; one diagnostic a line), json (one JSON object a line, the
    /// SHACL results with their report fields), or shacl (the SHACL results as a W3C
    /// sh:ValidationReport in Turtle, for tools that read SHACL reports; the lints are not in
    /// it). The summary line ("2 errors, 1 warning") goes to stderr.
    #[arg(
        short = 'f',
        long,
        value_name = "FORMAT",
        default_value = "text",
        ignore_case = true
    )]
    pub format: FormatArg<CheckFormat>,
    /// A folder of the source articles' texts: every `cg:evidence` and `cg:quoteText` in an
    /// article's graph must then be written word for word in the article's text file (the file
    /// its `dcterms:identifier` names), runs of whitespace counting as one. A string that is not
    /// there is an error showing the closest passage of the article; one that differs only in
    /// quotation marks, apostrophes or dashes is an error of its own; a `cg:Quote` whose words
    /// stand outside quotation marks, and an article whose text file is missing, are warnings.
    #[arg(long, value_name = "DIR")]
    pub articles: Option<PathBuf>,
    /// Stop the SHACL-SPARQL constraints (sh:sparql, and constraint components that the shapes
    /// declare with SPARQL validators) after DURATION in all (e.g. 30s, 5m, 1h), and fail with
    /// exit status 2.
    #[arg(long, value_name = "DURATION", default_value = "1m")]
    pub timeout: casegraph::query::limits::TimeLimit,
}

/// Options of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format: table (default) or json.
    #[arg(
        short = 'f',
        long,
        value_name = "FORMAT",
        default_value = "table",
        ignore_case = true
    )]
    pub format: FormatArg<StatsFormat>,

    /// Count the ontology graph too.
    #[arg(long)]
    pub with_ontology: bool,
}

/// A `--format` value: one of a format enum's formats, by its name or an alias. Its values come
/// from the format's own names ([`Format::describe`]), so they are written once, and a name
/// that is not one is clap's error listing the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg<F>(pub F);

/// The formats of `F` as `--format` values (clap wants them as a slice that lives for ever).
pub trait FormatValues: Format {
    /// Every format, wrapped.
    fn values() -> &'static [FormatArg<Self>];
}

/// [`FormatValues`] for each format enum a flag takes: one line per enum.
macro_rules! format_values {
    ($($format:ty),*) => {$(
        impl FormatValues for $format {
            fn values() -> &'static [FormatArg<Self>] {
                static VALUES: LazyLock<Vec<FormatArg<$format>>> =
                    LazyLock::new(|| <$format>::ALL.iter().copied().map(FormatArg).collect());
                &VALUES
            }
        }
    )*};
}

format_values!(
    GraphFormat,
    ResultsFormat,
    ImageFormat,
    CheckFormat,
    StatsFormat,
    PathFormat
);

impl<F: FormatValues> clap::ValueEnum for FormatArg<F> {
    fn value_variants<'a>() -> &'a [Self] {
        F::values()
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()).aliases(self.0.aliases()))
    }
}

/// A `query --format` value. What it means depends on the query's form, known only once the
/// query is parsed: SELECT and ASK take a results format, CONSTRUCT and DESCRIBE a graph
/// format, and `csv` and `json` name one of each (W3C results CSV and JSON; Neo4j CSV and
/// node-link JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryFormatArg {
    /// The results format of this name, if there is one.
    pub results: Option<ResultsFormat>,
    /// The graph format of this name, if there is one.
    pub graph: Option<GraphFormat>,
}

impl QueryFormatArg {
    /// The name given (canonical).
    pub fn name(self) -> &'static str {
        match (self.results, self.graph) {
            (Some(format), _) => format.name(),
            (None, Some(format)) => format.name(),
            (None, None) => "",
        }
    }
}

impl clap::ValueEnum for QueryFormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        static VALUES: LazyLock<Vec<QueryFormatArg>> = LazyLock::new(|| {
            let results = ResultsFormat::ALL.iter().map(|&r| QueryFormatArg {
                results: Some(r),
                graph: GraphFormat::from_name(r.name()),
            });
            let graphs = GraphFormat::ALL
                .iter()
                .filter(|g| ResultsFormat::from_name(g.name()).is_none())
                .map(|&g| QueryFormatArg {
                    results: None,
                    graph: Some(g),
                });
            results.chain(graphs).collect()
        });
        &VALUES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let aliases = self.results.map(Format::aliases).unwrap_or_default();
        let more = self.graph.map(Format::aliases).unwrap_or_default();
        Some(
            PossibleValue::new(self.name())
                .aliases(aliases.iter().chain(more).filter(|a| **a != self.name())),
        )
    }
}
