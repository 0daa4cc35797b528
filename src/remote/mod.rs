//! A case on a SPARQL store built to scale (Virtuoso, GraphDB, Stardog, Neptune, QLever,
//! Oxigraph server, Fuseki), reached only through the standard protocols: [`push`] writes the
//! case's graphs with the SPARQL 1.1 Graph Store HTTP Protocol, [`sparql`] runs queries with
//! the SPARQL 1.1 Protocol on the same dataset as an embedded store.
//!
//! [`Client`] is the one HTTP client both use: connect and read timeouts, Basic and Digest
//! authentication answered from the store's challenge, retries with backoff on 5xx answers and
//! dropped connections for idempotent requests only, and errors that say what to do.

pub mod auth;
pub mod bind;
pub mod push;
pub mod sparql;

use crate::case::parse::one_line;
use auth::{Challenge, Credentials};
use std::sync::Mutex;
use std::time::Duration;
pub use ureq::http::Method;
use ureq::http::{self, StatusCode};

/// What can go wrong talking to a store. Every message names the URL.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// Nothing answered at the URL.
    #[error(
        "{url}: the store is unreachable: {message} (is it running, and is this its address?)"
    )]
    Unreachable {
        /// The URL.
        url: String,
        /// What the connection said.
        message: String,
    },
    /// The store did not answer in time.
    #[error("{url}: no answer within {limit:?} ({what}); --read-timeout and --connect-timeout set the limits")]
    TimedOut {
        /// The URL.
        url: String,
        /// Which limit passed.
        what: String,
        /// The limit.
        limit: Duration,
    },
    /// The TLS handshake failed: most often a certificate the system does not trust.
    #[error("{url}: the TLS handshake failed: {message} (certificates are checked against the system's trust store; SSL_CERT_FILE or SSL_CERT_DIR name another one, for a private CA)")]
    Tls {
        /// The URL.
        url: String,
        /// What rustls said.
        message: String,
    },
    /// The connection broke while a request or its answer was on its way.
    #[error("{url}: the connection failed: {message}")]
    Connection {
        /// The URL.
        url: String,
        /// What broke.
        message: String,
    },
    /// 401 or 403.
    #[error("{url}: {status}: {}", refused_as(.user.as_deref(), *.status))]
    Refused {
        /// The URL.
        url: String,
        /// 401 or 403.
        status: u16,
        /// The user the request was made as, if any.
        user: Option<String>,
    },
    /// 404, or 405 (a path that takes no such request).
    #[error("{url}: {status}: no SPARQL {what} at this path; the usual ones are {hint}")]
    NotFound {
        /// The URL.
        url: String,
        /// `404 Not Found` or `405 Method Not Allowed`.
        status: String,
        /// `query endpoint` or `Graph Store endpoint`.
        what: &'static str,
        /// The usual paths of the well-known stores.
        hint: &'static str,
    },
    /// The store refused what was sent, with its own message.
    #[error("{url}: the store answered {status}: {message}")]
    Rejected {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The store's message (its first line or so).
        message: String,
    },
    /// The store's answer could not be read.
    #[error("{url}: cannot read the store's answer: {message}")]
    BadAnswer {
        /// The URL.
        url: String,
        /// What was wrong with it.
        message: String,
    },
    /// The user name or password could not be found.
    #[error("{0}")]
    Credentials(String),
    /// The URL is not an http(s) URL.
    #[error("{url}: not an http:// or https:// URL ({message})")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why not.
        message: String,
    },
    /// What push refuses to do.
    #[error("{0}")]
    Push(String),
}

fn refused_as(user: Option<&str>, status: u16) -> String {
    match (user, status) {
        (Some(user), 401) => format!("the store did not accept the password of user `{user}`"),
        (Some(user), _) => format!("user `{user}` may not do this on the store"),
        (None, 401) => "the store asks for a user name and password (--user NAME with --password-env VAR, or a netrc entry)".to_owned(),
        (None, _) => "the store forbids this without a user (--user NAME with --password-env VAR, or a netrc entry)".to_owned(),
    }
}

/// The usual query endpoint paths, for a 404's message.
pub const QUERY_PATHS: &str = "Virtuoso /sparql, Oxigraph /query, Fuseki /DATASET/sparql (or /query), GraphDB /repositories/REPO, Stardog /DATABASE/query";
/// The usual Graph Store endpoint paths, for a 404's message.
pub const GRAPH_STORE_PATHS: &str = "Virtuoso /sparql-graph-crud-auth (with a user; /sparql-graph-crud without), Oxigraph /store, Fuseki /DATASET/data, GraphDB /repositories/REPO/rdf-graphs/service, Stardog /DATABASE";

/// How to reach a store.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Who to be; `None` sends no credentials.
    pub credentials: Option<Credentials>,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long to wait for each read of an answer (a slow query keeps sending nothing until
    /// its first row).
    pub read_timeout: Duration,
    /// How many times an idempotent request is tried again after a 5xx answer or a dropped
    /// connection (with backoff: 0.5 s, 1 s, 2 s, ...).
    pub retries: u32,
}

impl Default for Connection {
    fn default() -> Self {
        Self {
            credentials: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(300),
            retries: 3,
        }
    }
}

/// An HTTP client for one store.
pub struct Client {
    agent: ureq::Agent,
    connection: Connection,
    /// The scheme the store last asked for, answered at once on later requests.
    challenge: Mutex<Option<Challenge>>,
}

/// A request to send: method, URL, headers and body (held whole, so that it can be sent
/// again after a challenge or a retry).
pub struct Call<'a> {
    /// GET, POST, PUT, DELETE.
    pub method: Method,
    /// The full URL.
    pub url: &'a str,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body (empty for none).
    pub body: &'a [u8],
    /// Safe to send twice: retried after a 5xx or a dropped connection.
    pub idempotent: bool,
}

/// An answer with a success status.
pub type Answer = http::Response<ureq::Body>;

impl Client {
    /// A client with `connection`'s settings. HTTPS checks the server's certificate against the
    /// system's trust store.
    pub fn new(connection: Connection) -> Self {
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(connection.connect_timeout))
            .timeout_recv_response(Some(connection.read_timeout))
            .timeout_per_read(Some(connection.read_timeout))
            .timeout_per_write(Some(connection.read_timeout))
            .max_redirects(5)
            .user_agent(concat!("casegraph/", env!("CARGO_PKG_VERSION")))
            .tls_config(tls)
            .build();
        Self {
            agent: config.into(),
            connection,
            challenge: Mutex::new(None),
        }
    }

    /// The user requests are made as.
    pub fn user(&self) -> Option<&str> {
        self.connection
            .credentials
            .as_ref()
            .map(|c| c.user.as_str())
    }

    /// Sends `call`, answering the store's authentication challenge and retrying as
    /// [`Connection::retries`] allows; any status but 2xx is an error (`what` names the
    /// endpoint in a 404's message: `query endpoint` or `Graph Store endpoint`).
    pub fn send(&self, call: &Call<'_>, what: &'static str) -> Result<Answer, RemoteError> {
        let answer = self.send_any(call)?;
        let status = answer.status();
        if status.is_success() {
            return Ok(answer);
        }
        Err(self.status_error(call.url, status, answer, what))
    }

    /// Sends `call` and returns the answer whatever its status (authentication and retries
    /// as for [`Client::send`]).
    pub fn send_any(&self, call: &Call<'_>) -> Result<Answer, RemoteError> {
        let mut attempt = 0;
        let mut answered_challenge = false;
        loop {
            let outcome = self.send_once(call);
            let retry = match &outcome {
                Ok(answer) if answer.status() == StatusCode::UNAUTHORIZED => {
                    if answered_challenge || self.connection.credentials.is_none() {
                        false
                    } else {
                        let headers = answer
                            .headers()
                            .get_all(http::header::WWW_AUTHENTICATE)
                            .iter()
                            .filter_map(|v| v.to_str().ok());
                        match Challenge::parse(headers) {
                            Some(challenge) => {
                                *self.challenge.lock().unwrap_or_else(|e| e.into_inner()) =
                                    Some(challenge);
                                answered_challenge = true;
                                // A challenge answered is not a retry.
                                continue;
                            }
                            None => false,
                        }
                    }
                }
                Ok(answer) => answer.status().is_server_error() && call.idempotent,
                Err(error) => call.idempotent && retryable(error),
            };
            if !retry || attempt >= self.connection.retries {
                return outcome.map_err(|e| transport_error(call.url, e, &self.connection));
            }
            std::thread::sleep(Duration::from_millis(500 << attempt.min(6)));
            attempt += 1;
        }
    }

    fn send_once(&self, call: &Call<'_>) -> Result<Answer, ureq::Error> {
        let mut request = http::Request::builder()
            .method(call.method.clone())
            .uri(call.url);
        for (name, value) in &call.headers {
            request = request.header(*name, value);
        }
        if let Some(credentials) = &self.connection.credentials {
            let mut challenge = self.challenge.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(challenge) = challenge.as_mut() {
                let target = target_of(call.url);
                let header = challenge
                    .answer(credentials, call.method.as_str(), &target, call.body)
                    .map_err(|e| ureq::Error::Io(std::io::Error::other(e.to_string())))?;
                request = request.header(http::header::AUTHORIZATION, header);
            }
        }
        let request = request.body(call.body).map_err(ureq::Error::Http)?;
        self.agent.run(request)
    }

    /// The error for an answer with status `status`, with the store's own message.
    fn status_error(
        &self,
        url: &str,
        status: StatusCode,
        answer: Answer,
        what: &'static str,
    ) -> RemoteError {
        match status.as_u16() {
            401 | 403 => RemoteError::Refused {
                url: url.to_owned(),
                status: status.as_u16(),
                user: self.user().map(str::to_owned),
            },
            404 | 405 => RemoteError::NotFound {
                url: url.to_owned(),
                status: format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or_default()
                ),
                what,
                hint: if what == GRAPH_STORE {
                    GRAPH_STORE_PATHS
                } else {
                    QUERY_PATHS
                },
            },
            code => RemoteError::Rejected {
                url: url.to_owned(),
                status: code,
                message: store_message(answer, status),
            },
        }
    }
}

/// The media type of an answer (see [`crate::format::media_type_of`]).
pub fn content_type(answer: &Answer) -> String {
    crate::format::media_type_of(
        answer
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The endpoint named in a Graph Store request's 404.
pub const GRAPH_STORE: &str = "Graph Store endpoint";
/// The endpoint named in a query's 404.
pub const QUERY_ENDPOINT: &str = "query endpoint";

/// The store's message in an error answer: its text, on one line, cut at 500 characters
/// (HTML pages reduced to their text).
fn store_message(answer: Answer, status: StatusCode) -> String {
    let mut body = answer.into_body();
    let text = body
        .with_config()
        .limit(64 * 1024)
        .lossy_utf8(true)
        .read_to_string()
        .unwrap_or_default();
    let text = if text.trim_start().starts_with('<') {
        strip_tags(&text)
    } else {
        text
    };
    let text = one_line(text.trim());
    let text = if text.is_empty() {
        status.canonical_reason().unwrap_or("no message").to_owned()
    } else {
        text
    };
    match text.char_indices().nth(500) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// The text of an HTML or XML error page.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The path and query of `url`, which a Digest answer hashes.
fn target_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

/// Errors worth another try of an idempotent request: the connection dropped or reset, not a
/// refused connection (nothing listens) or a timeout (the store is busy; trying again makes it
/// busier).
fn retryable(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Io(e) => matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::UnexpectedEof
        ),
        ureq::Error::Protocol(_) => true,
        _ => false,
    }
}

/// The error for a request that got no answer.
fn transport_error(url: &str, error: ureq::Error, connection: &Connection) -> RemoteError {
    let url = url.to_owned();
    match error {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => RemoteError::Unreachable {
            url,
            message: error.to_string(),
        },
        ureq::Error::Io(ref e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            RemoteError::Unreachable {
                url,
                message: "connection refused".to_owned(),
            }
        }
        ureq::Error::Timeout(timeout) => {
            let connect = matches!(timeout, ureq::Timeout::Connect | ureq::Timeout::Resolve);
            RemoteError::TimedOut {
                url,
                what: timeout.to_string(),
                limit: if connect {
                    connection.connect_timeout
                } else {
                    connection.read_timeout
                },
            }
        }
        ureq::Error::Rustls(e) => RemoteError::Tls {
            url,
            message: one_line(&e.to_string()),
        },
        ureq::Error::BadUri(message) => RemoteError::BadUrl { url, message },
        ureq::Error::Http(e) => RemoteError::BadUrl {
            url,
            message: e.to_string(),
        },
        other => RemoteError::Connection {
            url,
            message: one_line(&other.to_string()),
        },
    }
}

/// `url` with `pairs` added to its query string, percent-encoded.
pub fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    let query = serializer.finish();
    if query.is_empty() {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&{query}")
    } else {
        format!("{url}?{query}")
    }
}

/// Checks that `url` is an http(s) URL, for an error before anything is sent.
pub fn check_url(url: &str) -> Result<(), RemoteError> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "https") => {
            url.parse::<http::Uri>().map_err(|e| RemoteError::BadUrl {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
            Ok(())
        }
        _ => Err(RemoteError::BadUrl {
            url: url.to_owned(),
            message: "expected http://HOST:PORT/PATH".to_owned(),
        }),
    }
}

/// The host of an http(s) URL, for its netrc entry.
pub fn host_of(url: &str) -> Option<String> {
    url.parse::<http::Uri>().ok()?.host().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_are_encoded_and_appended() {
        assert_eq!(
            with_query(
                "http://h/sparql-graph-crud-auth",
                &[("graph-uri", "https://x/a b#c")]
            ),
            "http://h/sparql-graph-crud-auth?graph-uri=https%3A%2F%2Fx%2Fa+b%23c"
        );
        assert_eq!(
            with_query("http://h/s?x=1", &[("graph", "g")]),
            "http://h/s?x=1&graph=g"
        );
    }

    #[test]
    fn digest_target_is_path_and_query() {
        assert_eq!(
            target_of("http://h:8890/sparql-graph-crud-auth?graph-uri=g"),
            "/sparql-graph-crud-auth?graph-uri=g"
        );
        assert_eq!(target_of("https://h"), "/");
    }

    #[test]
    fn error_pages_read_as_text() {
        assert_eq!(
            strip_tags("<html><body><h1>Error</h1><p>SP030: bad</p></body></html>"),
            "Error SP030: bad"
        );
    }

    #[test]
    fn only_http_urls() {
        assert!(check_url("http://127.0.0.1:7878/sparql").is_ok());
        assert!(check_url("ftp://x/").is_err());
        assert!(check_url("localhost:7878").is_err());
    }
}
