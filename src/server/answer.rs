//! Running a request's work, and a query's answer written a piece at a time.
//!
//! Every request that evaluates something first takes a place at the [`Gate`] (503 past the
//! workers and the queue). Then it runs where [`Record`] says: on the connection's thread when
//! the same request was answered fast before (no hand-off, the answer written as the client
//! reads it), else on a worker of the [`Pool`], which the connection's thread waits for only
//! until the time limit.
//!
//! [`Gate`]: super::admission::Gate
//! [`Pool`]: super::pool::Pool
//!
//! A request that cannot be answered is refused with its response, so helpers return
//! `Result<_, Response<Body>>`, as in [`super::protocol`]: one per request, its size does not
//! matter.
#![allow(clippy::result_large_err)]

use super::admission::{Busy, Permit};
use super::negotiate::negotiate;
use super::parsed::ParsedQueries;
use super::protocol::{busy, error_response, rdf_body, whole, RDF_FORMATS, RESULTS_FORMATS};
use super::record::{Key, Record};
use super::{media_types, text, Endpoint};
use crate::error::Error;
use crate::format::Format;
use crate::query::limits::TimeLimit;
use crate::query::results;
use crate::query::{self, syntax, Evaluation, ProtocolDataset, QueryOptions, QueryText, Solutions};
use crate::store::CaseStore;
use oxhttp::model::{Body, Response, StatusCode};
use oxigraph::model::{GraphName, Quad};
use oxigraph::sparql::results::WriterSolutionsSerializer;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::cell::RefCell;
use std::io::{self, Cursor, Read, Write};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long after its time limit a query's client is answered, if the worker has not said
/// by then that it stopped.
const GRACE: Duration = Duration::from_millis(250);

/// The bytes of a streamed answer go out in pieces of about this size; an answer that ends
/// within the first goes out whole, with its length.
const CHUNK: usize = 64 * 1024;

/// The deepest a query may nest (as [`syntax::nesting`] counts) to run on a connection's
/// thread. OxHTTP's threads have the system's default stack (2 MiB), where the parser's and the
/// evaluator's recursion on the deepest queries the limits of [`syntax`] let through (128)
/// overflowed in a debug build; 48 of every kind of nesting ran there, this is well inside.
const INLINE_NESTING: usize = 32;

/// Work on the connection's thread runs on a stack of its own when less than this is left of
/// the thread's (a belt to [`INLINE_NESTING`]'s braces: it never happens with a query that
/// nests no deeper).
const INLINE_STACK: usize = 1024 * 1024;

/// The stack that work on the connection's thread grows into when its own is short.
const GROWN_STACK: usize = 64 * 1024 * 1024;

/// A place at the gate, taken before any work. `Err` holds the refusal to send.
fn admit(endpoint: &Endpoint) -> Result<Permit, Response<Body>> {
    endpoint.gate.enter().map_err(|Busy| busy())
}

/// Marks the end of a request's work: gives back its turn and tells the record how long it
/// took.
struct Finished {
    record: Arc<Record>,
    key: Key,
    started: Instant,
    limit: Duration,
    _permit: Permit,
}

impl Finished {
    fn new(endpoint: &Endpoint, key: Key, permit: Permit) -> Self {
        Self {
            record: Arc::clone(&endpoint.record),
            key,
            started: Instant::now(),
            limit: endpoint.options.timeout.duration(),
            _permit: permit,
        }
    }

    /// The work is done; `may_inline` says (when asked) whether it may run on a connection's
    /// thread next time.
    fn done(self, may_inline: impl FnOnce() -> bool) {
        self.record
            .answered(self.key, self.started.elapsed(), self.limit, may_inline);
    }
}

/// Runs `job` (which renders a page or a graph, with time limits of its own) for the request
/// `key`, where the record says; a request without a key (a page that runs a client's query
/// text) always goes to a worker. `Err` holds the response to send instead.
pub(super) fn work<T: Send + 'static>(
    endpoint: &Endpoint,
    key: Option<Key>,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response<Body>> {
    let permit = admit(endpoint)?;
    if let Some(key) = key.filter(|&key| endpoint.record.is_fast(key)) {
        let finished = Finished::new(endpoint, key, permit);
        let value = stacker::maybe_grow(INLINE_STACK, GROWN_STACK, job);
        finished.done(|| true);
        return Ok(value);
    }
    let finished = match key {
        Some(key) => Ok(Finished::new(endpoint, key, permit)),
        None => Err(permit),
    };
    endpoint
        .pool
        .run(move || {
            let value = job();
            // Without a key, the place is given back when `finished` is dropped here.
            if let Ok(finished) = finished {
                finished.done(|| true);
            }
            value
        })
        .map_err(|_| {
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request's worker stopped without an answer",
            )
        })
}

/// What a query's client is told first.
enum Head {
    /// The whole answer, already written.
    Whole {
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// The answer is longer than a piece: the rest comes from the stream.
    Streaming { content_type: &'static str },
    /// The query failed before any answer.
    Failed(Error),
    /// The client accepts none of these.
    NotAcceptable(String),
}

/// A piece of a streamed answer, from a worker.
enum Chunk {
    Data(Vec<u8>),
    /// The query failed after part of the answer was sent: the connection is cut, so the
    /// client sees an incomplete answer rather than a short one that looks whole.
    Failed(String),
    Done,
}

/// A query of a request, and how its answer is wanted.
pub(super) struct Asked {
    /// The query.
    pub text: QueryText,
    /// Its parameters' values.
    pub bindings: Vec<query::Binding>,
    /// The dataset the request names, if any.
    pub dataset: Option<ProtocolDataset>,
    /// The request's Accept header.
    pub accept: Option<String>,
}

impl Asked {
    /// What decides the work of the query: everything it was asked with.
    fn key(&self, record: &Record) -> Key {
        let mut owned = Vec::new();
        for binding in &self.bindings {
            owned.push(binding.variable.as_str().to_owned());
            owned.push(binding.term.to_string());
        }
        if let Some(dataset) = &self.dataset {
            for graph in &dataset.default_graphs {
                owned.push(format!("default {graph}"));
            }
            for graph in &dataset.named_graphs {
                owned.push(format!("named {graph}"));
            }
        }
        let mut parts = vec![
            "query",
            self.text.text.as_str(),
            self.accept.as_deref().unwrap_or(""),
        ];
        parts.extend(owned.iter().map(String::as_str));
        record.key(&parts)
    }
}

/// Runs a query and answers with its results.
pub(super) fn run(endpoint: &Endpoint, asked: Asked) -> Response<Body> {
    let key = asked.key(&endpoint.record);
    let permit = match admit(endpoint) {
        Ok(permit) => permit,
        Err(refusal) => return refusal,
    };
    let finished = Finished::new(endpoint, key, permit);
    let limit = endpoint.options.timeout;
    if endpoint.record.is_fast(key) {
        on_this_thread(endpoint, asked, limit, finished)
    } else {
        on_a_worker(endpoint, asked, limit, finished)
    }
}

/// Evaluates on the connection's thread; the rest of a long answer is written as the client
/// reads it.
fn on_this_thread(
    endpoint: &Endpoint,
    asked: Asked,
    limit: TimeLimit,
    finished: Finished,
) -> Response<Body> {
    let (head, stream) = stacker::maybe_grow(INLINE_STACK, GROWN_STACK, || {
        start(&endpoint.store, &endpoint.parsed, &asked, limit)
    });
    match (head, stream) {
        (Head::Streaming { content_type }, Some(stream)) => Response::builder()
            .status(StatusCode::OK)
            .header("content-type", content_type)
            .body(Body::from_read(Reader {
                stream,
                current: Cursor::new(Vec::new()),
                finished: Some(finished),
            }))
            .expect("a valid response"),
        (head, _) => {
            // Already known to be fast and shallow: this can only strike it off.
            finished.done(|| true);
            respond(head, limit, &asked.text.name)
        }
    }
}

/// Evaluates on a worker, and waits for it until the time limit.
fn on_a_worker(
    endpoint: &Endpoint,
    asked: Asked,
    limit: TimeLimit,
    finished: Finished,
) -> Response<Body> {
    let name = asked.text.name.clone();
    // Oxigraph checks the cancellation token when it reads the store; a join or an aggregate
    // working from memory can go on for a while after the limit before it looks. The client is
    // answered at the limit whatever the worker is doing.
    let deadline = Instant::now() + limit.duration() + GRACE;
    let (head_sender, head) = mpsc::sync_channel(1);
    let (chunk_sender, chunks) = mpsc::sync_channel(4);
    let store = Arc::clone(&endpoint.store);
    let parsed = Arc::clone(&endpoint.parsed);
    endpoint.pool.submit(move || {
        if Instant::now() >= deadline {
            return; // It waited for a worker past its limit: its client has had the answer.
        }
        let (first, stream) = start(&store, &parsed, &asked, limit);
        if head_sender.send(first).is_err() {
            return; // The client was answered at the limit, or is gone.
        }
        let may_inline = || syntax::nesting(&asked.text.text) <= INLINE_NESTING;
        let Some(mut stream) = stream else {
            finished.done(may_inline);
            return;
        };
        // Blocks while the client is slow, so that an answer never sits in memory whole.
        loop {
            let chunk = match stream.next_piece() {
                Some(Ok(data)) => Chunk::Data(data),
                Some(Err(e)) => Chunk::Failed(e.to_string()),
                None => Chunk::Done,
            };
            let last = !matches!(chunk, Chunk::Data(_));
            if chunk_sender.send(chunk).is_err() {
                return;
            }
            if last {
                finished.done(may_inline);
                return;
            }
        }
    });
    match head.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Head::Streaming { content_type }) => Response::builder()
            .status(StatusCode::OK)
            .header("content-type", content_type)
            .body(Body::from_read(ChunkReader {
                chunks,
                current: Cursor::new(Vec::new()),
                finished: false,
                deadline,
            }))
            .expect("a valid response"),
        Ok(head) => respond(head, limit, &name),
        Err(RecvTimeoutError::Timeout) => error_response(&Error::TimedOut { query: name, limit }),
        Err(RecvTimeoutError::Disconnected) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the query's worker stopped without an answer",
        ),
    }
}

/// The response for an answer that is not streamed.
fn respond(head: Head, limit: TimeLimit, name: &str) -> Response<Body> {
    match head {
        Head::Whole { content_type, body } => whole(StatusCode::OK, content_type, body),
        Head::Failed(error) => error_response(&error),
        Head::NotAcceptable(offered) => text(
            StatusCode::NOT_ACCEPTABLE,
            format!("this answer can be sent as {offered}; the request's Accept header allows none of them"),
        ),
        // Only a head with its stream is streamed: without one, the answer is lost.
        Head::Streaming { .. } => error_response(&Error::TimedOut {
            query: name.to_owned(),
            limit,
        }),
    }
}

/// Evaluates the query and writes the first piece of its answer: all of it when it is short
/// (or the query failed), else the head of a stream of the rest.
fn start(
    store: &CaseStore,
    parsed: &ParsedQueries,
    asked: &Asked,
    limit: TimeLimit,
) -> (Head, Option<Stream>) {
    let options = QueryOptions {
        timeout: Some(limit),
        allow_service: false,
        dataset: asked.dataset.clone(),
    };
    let accept = asked.accept.as_deref();
    let evaluation = parsed
        .get(&asked.text, store)
        .and_then(|query| query::evaluate_parsed(store, query, &asked.bindings, options));
    let evaluation = match evaluation {
        Ok(evaluation) => evaluation,
        Err(e) => return (Head::Failed(e), None),
    };
    let not_acceptable = |offered: String| (Head::NotAcceptable(offered), None);
    match evaluation {
        Evaluation::Boolean(value) => {
            let Some(format) = negotiate(accept, RESULTS_FORMATS) else {
                return not_acceptable(media_types(RESULTS_FORMATS));
            };
            let mut body = Vec::new();
            let head = match results::write_boolean(&mut body, format, value) {
                Ok(()) => Head::Whole {
                    content_type: format.media_type(),
                    body,
                },
                Err(e) => Head::Failed(Error::Write(e)),
            };
            (head, None)
        }
        Evaluation::Solutions(solutions) => {
            let Some((format, w3c)) =
                negotiate(accept, RESULTS_FORMATS).and_then(|f| Some((f, f.w3c()?)))
            else {
                return not_acceptable(media_types(RESULTS_FORMATS));
            };
            let content_type = format.media_type();
            let mut stream = match Stream::new(w3c, solutions) {
                Ok(stream) => stream,
                Err(e) => return (Head::Failed(e), None),
            };
            // The first piece decides: a short answer goes out whole with its length, and an
            // error before its end (the time limit of an aggregate, say) answers with a status
            // instead of a cut connection.
            match stream.fill() {
                Err(e) => (Head::Failed(e), None),
                Ok(()) if stream.serializing.is_none() => (
                    Head::Whole {
                        content_type,
                        body: stream.buffer.take(),
                    },
                    None,
                ),
                Ok(()) => (Head::Streaming { content_type }, Some(stream)),
            }
        }
        Evaluation::Graph(triples) => {
            let Some(format) = negotiate(accept, RDF_FORMATS) else {
                return not_acceptable(media_types(RDF_FORMATS));
            };
            // Graph formats sort and group their statements: the triples are collected (the
            // time limit still holds while they are).
            let quads = triples
                .map(|t| t.map(|t| t.in_graph(GraphName::DefaultGraph)))
                .collect::<crate::error::Result<Vec<Quad>>>();
            let head = match quads.and_then(|quads| rdf_body(format, quads, store.prefixes())) {
                Ok(body) => Head::Whole {
                    content_type: format.media_type(),
                    body,
                },
                Err(e) => Head::Failed(e),
            };
            (head, None)
        }
    }
}

/// The bytes a serializer has written and the stream not yet handed out.
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Buffer {
    fn len(&self) -> usize {
        self.0.borrow().len()
    }

    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A SELECT answer being written, a piece at a time, on whichever thread reads it.
struct Stream {
    buffer: Buffer,
    /// `None` once the answer is written to its end.
    serializing: Option<(WriterSolutionsSerializer<Buffer>, Solutions)>,
    format: QueryResultsFormat,
}

impl Stream {
    fn new(format: QueryResultsFormat, solutions: Solutions) -> crate::error::Result<Self> {
        let buffer = Buffer::default();
        let serializer = QueryResultsSerializer::from_format(format)
            .serialize_solutions_to_writer(buffer.clone(), solutions.variables().to_vec())
            .map_err(Error::Write)?;
        Ok(Self {
            buffer,
            serializing: Some((serializer, solutions)),
            format,
        })
    }

    /// Writes solutions until a piece is full or the answer ends.
    fn fill(&mut self) -> crate::error::Result<()> {
        while self.buffer.len() < CHUNK {
            let Some((serializer, solutions)) = &mut self.serializing else {
                return Ok(());
            };
            match solutions.next_solution() {
                Some(solution) => serializer.serialize(&solution?).map_err(Error::Write)?,
                None => {
                    if let Some((serializer, _)) = self.serializing.take() {
                        let mut out = serializer.finish().map_err(Error::Write)?;
                        // As `casegraph query` writes them: JSON and XML end with a line break.
                        if matches!(
                            self.format,
                            QueryResultsFormat::Json | QueryResultsFormat::Xml
                        ) {
                            out.write_all(b"\n").map_err(Error::Write)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The next piece of the answer; `None` after the last.
    fn next_piece(&mut self) -> Option<crate::error::Result<Vec<u8>>> {
        if self.buffer.len() == 0 {
            if let Err(e) = self.fill() {
                return Some(Err(e));
            }
        }
        let piece = self.buffer.take();
        (!piece.is_empty()).then_some(Ok(piece))
    }
}

/// Reads a streamed answer as it is written, on the connection's thread.
struct Reader {
    stream: Stream,
    current: Cursor<Vec<u8>>,
    /// Until the end of the answer (or the drop of the reader, if the client goes).
    finished: Option<Finished>,
}

impl Read for Reader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let read = self.current.read(out)?;
            if read > 0 || out.is_empty() {
                return Ok(read);
            }
            let piece = stacker::maybe_grow(INLINE_STACK, GROWN_STACK, || self.stream.next_piece());
            match piece {
                Some(Ok(data)) => self.current = Cursor::new(data),
                Some(Err(e)) => {
                    if let Some(finished) = self.finished.take() {
                        finished.done(|| true);
                    }
                    return Err(io::Error::other(e.to_string()));
                }
                None => {
                    if let Some(finished) = self.finished.take() {
                        finished.done(|| true);
                    }
                    return Ok(0);
                }
            }
        }
    }
}

/// Reads a streamed answer from a worker, on the connection's thread.
struct ChunkReader {
    chunks: Receiver<Chunk>,
    current: Cursor<Vec<u8>>,
    finished: bool,
    /// Past this the answer is cut, whether or not the worker noticed its time limit.
    deadline: Instant,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let read = self.current.read(out)?;
            if read > 0 || self.finished || out.is_empty() {
                return Ok(read);
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(Chunk::Data(data)) => self.current = Cursor::new(data),
                Ok(Chunk::Done) => self.finished = true,
                Ok(Chunk::Failed(message)) => return Err(io::Error::other(message)),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the query passed its time limit mid-answer",
                    ))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::other("the query's worker stopped mid-answer"))
                }
            }
        }
    }
}
