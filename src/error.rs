//! The library's error type: every variant names the file, query or option it is about.

use std::path::PathBuf;

/// Everything that can go wrong in casegraph's library code.
///
/// Messages are written for the person at the terminal: they name the file and position
/// (1-based line and column) or the option that is at fault, and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The case folder does not exist.
    #[error("case folder `{}` does not exist (a case is a folder holding ontology/, data/ and queries/; use -C DIR to point at one)", .0.display())]
    MissingCase(PathBuf),
    /// The folder exists but is not a case.
    #[error("`{}` is not a case folder: expected `{}` (a case holds ontology/, data/ and queries/)", .dir.display(), .expected.display())]
    NotACase {
        /// The folder that was given.
        dir: PathBuf,
        /// The sub-folder that was looked for.
        expected: PathBuf,
    },
    /// A symbolic link under the case leads back into a folder that contains it.
    #[error("{}: symbolic link loop: it leads back to {}, which contains it", .link.display(), .target.display())]
    LinkLoop {
        /// The link (as reached from the case folder).
        link: PathBuf,
        /// The folder it leads back to.
        target: PathBuf,
    },
    /// A query whose answer should be a graph (to export it) is a SELECT or ASK query.
    #[error("query `{query}` must be a CONSTRUCT or DESCRIBE query to be exported as a graph (SELECT and ASK answer with tables)")]
    NotAGraphQuery {
        /// The query's name.
        query: String,
    },
    /// A query was to be answered from statements read from the files, not from a store.
    #[error("a query is answered from a store of the case, not from its files as read")]
    QueryNeedsStore,
    /// FtM entities were asked of a query's result, which does not carry the ontology's mapping.
    #[error("FtM entities are written from the case, mapped by its ontology's annotations; a query's result does not carry them: use `casegraph export --format ftm`")]
    FtmOfQuery,
    /// The folder of article texts to check evidence against is not there.
    #[error("{}: no such folder of article texts", .0.display())]
    NoArticles(PathBuf),
    /// A SPARQL store could not be reached, refused a request, or answered what cannot be read.
    #[error(transparent)]
    Remote(#[from] crate::remote::RemoteError),
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An RDF or SPARQL syntax error at a known position.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Syntax {
        /// The file (or `<inline query>`) that holds the error.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column, in characters.
        column: u64,
        /// What the parser expected.
        message: String,
    },
    /// A SPARQL Update where a query was expected: casegraph only reads.
    #[error("{}:{line}:{column}: this is a SPARQL Update ({operation}); casegraph runs read-only queries", .path.display())]
    UpdateRefused {
        /// The file (or `<inline query>`) that holds it.
        path: PathBuf,
        /// 1-based line of its first keyword.
        line: u64,
        /// 1-based column of its first keyword.
        column: u64,
        /// `INSERT DATA`, `DROP`, ...
        operation: String,
    },
    /// A syntax error whose parser gives no position (RDF/XML).
    #[error("{}: {message}", .path.display())]
    SyntaxNoPosition {
        /// The file that holds the error.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// A query name that matches no file in `queries/`.
    #[error("no query named `{name}` in {}; available: {}", .dir.display(), list_or_none(.available))]
    UnknownQuery {
        /// The name asked for.
        name: String,
        /// The `queries/` folder searched.
        dir: PathBuf,
        /// The names that do exist.
        available: Vec<String>,
    },
    /// `--param` names a parameter that the query does not declare.
    #[error("query `{query}` declares no parameter `{name}`; it declares: {}", list_or_none(.declared))]
    UndeclaredParameter {
        /// The query.
        query: String,
        /// The parameter given.
        name: String,
        /// The parameters the query declares in its `# param:` lines.
        declared: Vec<String>,
    },
    /// A declared parameter was not given.
    #[error("query `{query}` needs --param {name}=VALUE: {description}")]
    MissingParameter {
        /// The query.
        query: String,
        /// The parameter's name.
        name: String,
        /// The description from the query header.
        description: String,
    },
    /// A `--param` or `--focus` value that is not a term.
    #[error("{option} `{text}`: {message}")]
    BadTerm {
        /// The option and parameter, e.g. `--param company`.
        option: String,
        /// The text given.
        text: String,
        /// What is wrong with it.
        message: String,
    },
    /// A prefixed name whose prefix the case does not declare.
    #[error("{option} `{text}`: unknown prefix `{prefix}:`; the case declares: {}", list_or_none(.known))]
    UnknownPrefix {
        /// The option and parameter, e.g. `--param company`.
        option: String,
        /// The text given.
        text: String,
        /// The prefix that is not declared.
        prefix: String,
        /// The prefixes that are declared.
        known: Vec<String>,
    },
    /// A malformed `--param` (no `=`).
    #[error("--param `{0}`: expected NAME=VALUE, e.g. --param company=case:Hikvision")]
    ParamSyntax(String),
    /// A format of several files was asked to write to a stream (stdout) rather than a folder.
    #[error("the {format} format writes {} files, {}, and needs a folder to write them in", in_words(.files.len()), and_list(.files))]
    NeedsFolder {
        /// The format.
        format: crate::export::GraphFormat,
        /// The files it writes.
        files: &'static [&'static str],
    },
    /// The caller's [`crate::export::Destination`] could not open or keep what it writes to
    /// (its own error, kept whole with its causes).
    #[error(transparent)]
    Destination(Box<dyn std::error::Error + Send + Sync>),
    /// A drawing's focus is no entity of the graph being drawn.
    #[error("the graph being drawn has no entity {focus} to focus on")]
    NoSuchEntity {
        /// The focus asked for.
        focus: oxigraph::model::Term,
    },
    /// The SPARQL engine failed while evaluating a query.
    #[error("query `{query}` failed: {message}")]
    Evaluation {
        /// The query.
        query: String,
        /// The engine's message.
        message: String,
    },
    /// A query ran past its time limit and was cancelled.
    #[error("query `{query}` stopped after {limit} (--timeout); a query that runs this long often joins unrelated patterns into a cross product: check that its patterns share variables, or give it more time")]
    TimedOut {
        /// The query.
        query: String,
        /// The limit it ran into.
        limit: crate::query::limits::TimeLimit,
    },
    /// A query calls a remote SERVICE and federation was not turned on.
    #[error("query `{query}` calls SERVICE {service}, which would send requests to another server; casegraph makes no network requests unless asked: pass --allow-service to let it")]
    ServiceRefused {
        /// The query.
        query: String,
        /// The service's IRI (or `?variable`).
        service: String,
    },
    /// A parsed query whose algebra is nested too deeply to evaluate safely.
    #[error("query `{query}` nests {depth} operations deep; casegraph evaluates at most {limit}, so that evaluation cannot exhaust the stack")]
    TooDeep {
        /// The query.
        query: String,
        /// How deep it nests.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// Results could not be written to their output.
    #[error("cannot write the results: {0}")]
    Write(#[source] std::io::Error),
    /// The case's settings file (`casegraph.toml`) is not valid: not TOML, an unknown key, or
    /// a base that is no absolute IRI.
    #[error("{}: {message}", .path.display())]
    Settings {
        /// The settings file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A file's location could not be made into the `file:` URL its relative IRIs resolve
    /// against.
    #[error("{}: cannot make a file: URL of this path to resolve relative IRIs against", .0.display())]
    FileUrl(PathBuf),
    /// The SHACL-SPARQL queries of `check` ran past their time limit.
    #[error("the SHACL-SPARQL constraints did not finish within {limit} (check --timeout): give them more time, or make their queries cheaper")]
    CheckTimeout {
        /// The limit, as written (`1m`).
        limit: crate::query::limits::TimeLimit,
    },
    /// The SHACL shapes could not be read or the validation could not run.
    #[error("{}: bad SHACL shapes: {message}", .dir.display())]
    Shapes {
        /// The folder holding the shapes (the case's `ontology/`).
        dir: PathBuf,
        /// The engine's message.
        message: String,
    },
    /// A term holds a character that the output format cannot represent (most C0 control
    /// characters in XML 1.0, even as character references); writing it would alter the data.
    #[error("cannot write {format}: {term} holds {character}, which {format} cannot represent; fix the data (or choose another format, such as Turtle)")]
    Unwritable {
        /// The output format.
        format: String,
        /// The term, as N-Triples with the character escaped.
        term: String,
        /// The character, as `U+0001`.
        character: String,
    },
    /// A sorted export numbers the distinct terms with 32-bit ids.
    #[error(
        "the case holds more than {limit} distinct RDF terms, more than a sorted export can number"
    )]
    TooManyTerms {
        /// The most distinct terms a sorted export holds.
        limit: usize,
    },
    /// The store failed.
    #[error("store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// A load was asked to lay a store out in a way that its kind of store cannot hold.
    #[error("an on-disk store keeps the graphs as written, with the merged graph; it cannot be laid out as {layout:?}")]
    UnsupportedLayout {
        /// The layout asked for.
        layout: crate::store::Layout,
    },
    /// A query (or the pages) reads graphs that the store was loaded without: it was laid out
    /// for queries that read less (see [`crate::store::Layout::for_queries`]).
    #[error("{what} reads {reads}, which this store was loaded without (laid out as {layout:?}, for queries that read less); load the case for what it reads")]
    NotLoadedFor {
        /// What reads them: ``query `NAME` `` or `the pages`.
        what: String,
        /// What it reads, in words: `the default graph`, `named graphs`.
        reads: &'static str,
        /// How the store was laid out.
        layout: crate::store::Layout,
    },
    /// A parser thread panicked on a file (a bug: a parser must return an error instead).
    #[error("{}: the parser thread failed", .path.display())]
    ParserPanicked {
        /// The file it was parsing.
        path: PathBuf,
    },
    /// No parser thread could be started.
    #[error("cannot start a parser thread: {0}")]
    ParserThread(#[source] std::io::Error),
    /// The thread that enforces a query's time limit could not be started.
    #[error("cannot start the query's timer: {0}")]
    Timer(#[source] std::io::Error),
    /// A prefix of the case that the SPARQL parser refuses (its IRI is not absolute).
    #[error("prefix `{prefix}:`: {source}")]
    PrefixIri {
        /// The prefix.
        prefix: String,
        /// Why its IRI is refused.
        source: oxiri::IriParseError,
    },
    /// The graph that SHACL validates could not be built.
    #[error("cannot build the graph to validate: {0}")]
    ShaclGraph(#[source] rudof_rdf::rdf_impl::OxigraphInMemoryError),
    /// A property-graph format where only RDF can be written.
    #[error("{} is not an RDF syntax", crate::format::Format::name(*.format))]
    NotRdf {
        /// The format.
        format: crate::export::GraphFormat,
    },
    /// The server's worker threads could not be started.
    #[error("cannot start the server's query workers: {0}")]
    ServerThread(#[source] std::io::Error),
    /// The server cannot listen on its address.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: std::net::SocketAddr,
        /// Why not.
        source: std::io::Error,
    },
    /// An on-disk store cannot be built or opened.
    #[error("store {}: {message}", .dir.display())]
    Store {
        /// The store directory.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A page could not be rendered from its template.
    #[error("cannot render the page {page}: {source}")]
    Page {
        /// The page.
        page: String,
        /// The template's error.
        source: askama::Error,
    },
    /// A page's drawing could not be made.
    #[error("cannot draw the neighbourhood of {entity}: {source}")]
    Drawing {
        /// The entity drawn.
        entity: String,
        /// What Graphviz said.
        source: crate::export::render::RenderError,
    },
    /// `casegraph new` cannot make a case from these settings or in this folder.
    #[error("cannot make a new case: {what} `{value}`: {why}")]
    NewCase {
        /// What was wrong: the folder, the base IRI or the title.
        what: &'static str,
        /// Its value.
        value: String,
        /// Why.
        why: String,
    },
    /// `casegraph site` will not write to this folder.
    #[error("{}: {message}", .dir.display())]
    SiteFolder {
        /// The folder.
        dir: PathBuf,
        /// Why not.
        message: String,
    },
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// A small count in words, as a sentence says it.
pub fn in_words(count: usize) -> String {
    match count {
        1 => "one".to_owned(),
        2 => "two".to_owned(),
        3 => "three".to_owned(),
        n => n.to_string(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => "none".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// The result type of casegraph's library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
