//! The case on the network: the SPARQL 1.1 Protocol, the read side of the Graph Store
//! Protocol, the named queries, and pages for people, all read-only.
//!
//! [`Endpoint::handle`] turns one HTTP request into one response; [`start`] puts it behind
//! OxHTTP, the small threaded HTTP/1.1 server Oxigraph's own `oxigraph serve` uses (already in
//! the tree through Oxigraph's HTTP client). Every query and page takes a place at an
//! [`admission::Gate`] first: past the workers and the queue, the server answers 503 instead
//! of growing threads and memory. A request the server has seen answered fast then runs on the
//! connection's thread, as Oxigraph's server runs every query; any other goes to a
//! [`pool::Pool`] worker (as many as the cores), so that its client is answered at the limit
//! even when Oxigraph is slow to cancel it (see [`record`]).
//!
//! Routes:
//!
//! | path | what |
//! |---|---|
//! | `/sparql` | SPARQL 1.1 Protocol (GET `?query=`, POST form or `application/sparql-query`); a service description without a query |
//! | `/store` | Graph Store Protocol, read side: `?graph=IRI`, `?default`, or the whole dataset |
//! | `/queries`, `/queries/NAME` | the named queries (list as JSON or a page; run with `?PARAM=VALUE`) |
//! | everything else | the pages of [`pages`] |

pub mod admission;
mod answer;
pub mod negotiate;
pub mod pages;
pub mod parsed;
pub mod pool;
mod protocol;
pub mod record;

use crate::error::Error;
use crate::format::Format;
use crate::query::limits::TimeLimit;
use crate::query::NamedQuery;
use crate::store::CaseStore;
use admission::Gate;
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use pool::Pool;
use record::Record;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the server runs, with the defaults `casegraph serve` uses.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The time limit of each query, results included.
    pub timeout: TimeLimit,
    /// Queries evaluated at once (default: the machine's cores).
    pub workers: usize,
    /// Queries waiting for a worker; past this the server answers 503.
    pub queue: usize,
    /// The largest request body read (a POSTed query), in bytes; past it, 413.
    pub max_body: usize,
    /// The longest request target (path and query string), in bytes; past it, 414.
    pub max_url: usize,
    /// The one origin allowed to read answers from a browser script (CORS); none by default.
    pub cors: Option<String>,
    /// Open connections at once (each holds a thread while it lives).
    pub max_connections: usize,
    /// How long a connection may stay silent (reading a request or taking an answer).
    pub idle_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            timeout: TimeLimit::parse(DEFAULT_TIMEOUT).expect("a valid default"),
            workers: cores,
            queue: DEFAULT_QUEUE,
            max_body: 1024 * 1024,
            max_url: 4096,
            cors: None,
            max_connections: 128,
            idle_timeout: Duration::from_secs(30),
        }
    }
}

/// Queries that may wait for a worker by default: half the connections the server keeps
/// open. A waiting query is a closure of a few hundred bytes, so this bounds memory, while
/// a burst of clients below it waits instead of being refused.
pub const DEFAULT_QUEUE: usize = 64;

/// The default query time limit of the server.
pub const DEFAULT_TIMEOUT: &str = "10s";

/// One line of the access log: what was asked, what was answered, how long it took to start
/// answering.
#[derive(Debug, Clone)]
pub struct Access {
    /// The HTTP method.
    pub method: String,
    /// The path, without the query string (which may hold a long query).
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// From the request's arrival to the response's headers.
    pub duration: Duration,
}

/// Where access-log lines go (the command line prints them on stderr).
pub type AccessLog = Arc<dyn Fn(&Access) + Send + Sync>;

/// What answers requests: the loaded case, its named queries, the workers.
pub struct Endpoint {
    store: Arc<CaseStore>,
    queries: Arc<Vec<NamedQuery>>,
    pages: pages::Pages,
    gate: Arc<Gate>,
    pool: Pool,
    record: Arc<Record>,
    parsed: Arc<parsed::ParsedQueries>,
    options: ServeOptions,
    in_flight: Arc<AtomicUsize>,
    closing: AtomicBool,
}

impl Endpoint {
    /// An endpoint over `store` (loaded with the dataset of `casegraph query`) and the named
    /// queries `queries`.
    pub fn new(
        store: CaseStore,
        queries: Vec<NamedQuery>,
        options: ServeOptions,
    ) -> crate::error::Result<Self> {
        let store = Arc::new(store);
        let queries = Arc::new(queries);
        let gate = Gate::new(options.workers, options.queue);
        let pool = Pool::new(options.workers).map_err(Error::ServerThread)?;
        let pages = pages::Pages::new(Arc::clone(&store), Arc::clone(&queries))
            .with_timeout(options.timeout);
        Ok(Self {
            store,
            queries,
            pages,
            gate,
            pool,
            record: Arc::new(Record::default()),
            parsed: Arc::default(),
            options,
            in_flight: Arc::new(AtomicUsize::new(0)),
            closing: AtomicBool::new(false),
        })
    }

    /// The options it runs with.
    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    /// Answers one request.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let guard = InFlight::enter(&self.in_flight);
        let mut response = if self.closing.load(Ordering::SeqCst) {
            text(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is shutting down\n",
            )
        } else {
            protocol::route(self, request)
        };
        self.add_cors(request, &mut response);
        // The request counts as in flight until its last byte is written, so that shutting
        // down waits for answers still on their way out. (An empty body has nothing to wait for,
        // and HEAD and 204 answers must not turn into chunked ones.)
        if response.body().len() != Some(0) {
            let body = std::mem::replace(response.body_mut(), Body::empty());
            *response.body_mut() = Body::from_read(Guarded {
                body,
                _guard: guard,
            });
        }
        response
    }

    /// Stops taking requests (they get 503) and waits up to `grace` for those being answered.
    /// Returns whether every one finished.
    pub fn shut_down(&self, grace: Duration) -> bool {
        self.closing.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + grace;
        while self.in_flight.load(Ordering::SeqCst) > 0 {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    fn add_cors(&self, request: &Request<Body>, response: &mut Response<Body>) {
        let Some(allowed) = &self.options.cors else {
            return;
        };
        let origin = request
            .headers()
            .get("origin")
            .and_then(|o| o.to_str().ok());
        if origin == Some(allowed.as_str()) || allowed == "*" {
            if let Ok(value) = HeaderValue::from_str(allowed) {
                let headers = response.headers_mut();
                headers.insert("access-control-allow-origin", value);
                headers.insert("vary", HeaderValue::from_static("origin"));
                if request.method() == Method::OPTIONS {
                    // OxHTTP drops this one on the way out (it takes it for a header clients
                    // must not set); GET, HEAD and POST need it in no browser anyway.
                    headers.insert(
                        "access-control-allow-methods",
                        HeaderValue::from_static("GET, HEAD, POST, OPTIONS"),
                    );
                    headers.insert(
                        "access-control-allow-headers",
                        HeaderValue::from_static("content-type, accept"),
                    );
                    headers.insert("access-control-max-age", HeaderValue::from_static("600"));
                }
            }
        }
    }
}

/// Counts a request as being answered until it is dropped.
pub(crate) struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(counter))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A body that holds its request's [`InFlight`] count until it is dropped.
struct Guarded {
    body: Body,
    _guard: InFlight,
}

impl std::io::Read for Guarded {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.body.read(out)
    }
}

/// A plain-text response.
pub(crate) fn text(status: StatusCode, message: impl Into<String>) -> Response<Body> {
    let mut message = message.into();
    if !message.ends_with('\n') {
        message.push('\n');
    }
    Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(Body::from(message))
        .expect("a valid response")
}

/// A running server.
pub struct Running {
    /// Where it listens.
    pub address: SocketAddr,
    /// The endpoint behind it (for [`Endpoint::shut_down`]).
    pub endpoint: Arc<Endpoint>,
    server: oxhttp::ListeningServer,
}

impl Running {
    /// Blocks while the server runs (until the process ends).
    pub fn join(self) -> std::io::Result<()> {
        self.server.join()
    }
}

/// Starts serving `endpoint` on `address`. Port 0 picks a free port, which
/// [`Running::address`] tells. Every answered request is passed to `log`.
pub fn start(
    endpoint: Endpoint,
    address: SocketAddr,
    log: AccessLog,
) -> crate::error::Result<Running> {
    let address = if address.port() == 0 {
        free_port(address)?
    } else {
        address
    };
    let endpoint = Arc::new(endpoint);
    let handler = Arc::clone(&endpoint);
    let options = endpoint.options().clone();
    let server = oxhttp::Server::new(move |request| {
        let started = Instant::now();
        let method = request.method().to_string();
        let path = request.uri().path().to_owned();
        let response = handler.handle(request);
        log(&Access {
            method,
            path,
            status: response.status().as_u16(),
            duration: started.elapsed(),
        });
        response
    })
    .bind(address)
    .with_global_timeout(options.idle_timeout)
    .with_max_concurrent_connections(options.max_connections)
    .with_server_name(concat!("casegraph/", env!("CARGO_PKG_VERSION")))
    .map_err(|e| Error::Bind {
        address,
        source: std::io::Error::other(e),
    })?;
    let server = server
        .spawn()
        .map_err(|source| Error::Bind { address, source })?;
    Ok(Running {
        address,
        endpoint,
        server,
    })
}

/// A port the system has free on `address`'s interface. OxHTTP binds its own listener and
/// does not tell its port, so the port is found first; another program could take it in
/// between, and then starting fails with a clear "address in use".
fn free_port(address: SocketAddr) -> crate::error::Result<SocketAddr> {
    let listener =
        std::net::TcpListener::bind(address).map_err(|source| Error::Bind { address, source })?;
    listener
        .local_addr()
        .map_err(|source| Error::Bind { address, source })
}

/// The formats a query answer or a graph is offered in, for negotiation and for listing.
pub(crate) fn media_types<F: Format>(formats: &[F]) -> String {
    formats
        .iter()
        .map(|f| f.media_type())
        .collect::<Vec<_>>()
        .join(", ")
}
