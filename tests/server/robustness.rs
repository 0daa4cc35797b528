//! `casegraph serve` under abuse: runaway queries, bursts, oversized and malformed requests,
//! signals. Each test is named after what it pins.

use crate::common::server::{encode, Served};
use oxhttp::model::Method;
use std::time::{Duration, Instant};

/// About 10^9 rows on the shipped case, counted inside Oxigraph from memory: it looks at its
/// cancellation token only when it reads the store, which this query hardly does after its
/// start, so it can run on for seconds after its limit.
const CROSS_COUNT: &str = "SELECT (COUNT(*) AS ?n) {?a ?b ?c.?d ?e ?f.?g ?h ?i}";

/// Three closures of every node joined: minutes of work that reads the store all the way, so
/// Oxigraph stops it soon after its limit.
const CLOSURES: &str =
    "SELECT (COUNT(*) AS ?n) { ?a (!<urn:p>)* ?b . ?b (!<urn:p>)* ?c . ?c (!<urn:p>)* ?d }";

fn sparql(query: &str) -> String {
    format!("/sparql?query={}", encode(query))
}

/// A GET of `path` on `address` from another thread.
fn in_background(
    address: &str,
    path: &str,
) -> std::thread::JoinHandle<crate::common::server::Answer> {
    let uri = format!("http://{address}{path}");
    std::thread::spawn(move || {
        let request = oxhttp::model::Request::builder()
            .uri(uri)
            .body(oxhttp::model::Body::empty())
            .expect("a request");
        crate::common::server::send(request)
    })
}

/// Asks `query` of a server whose time limit is `limit` seconds: it must be stopped, and its
/// client answered, within the limit and at most a second more (the bound the issue sets).
fn assert_stopped_at_limit(server: &Served, query: &str, limit: u64) {
    let started = Instant::now();
    let runaway = server.get(&sparql(query), None);
    let took = started.elapsed();
    assert_eq!(runaway.status, 503, "{}", runaway.body);
    assert!(
        runaway.body.contains(&format!("stopped after {limit}s")),
        "{}",
        runaway.body
    );
    assert!(
        took < Duration::from_secs(limit + 1),
        "the client waited {took:?}"
    );
}

/// The answer to a small query once the server has room again (after queries that Oxigraph
/// was slow to stop), or the last 503 after 20 s.
fn once_free(server: &Served) -> crate::common::server::Answer {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let after = server.get(&sparql("ASK {}"), None);
        if after.status != 503 || Instant::now() > until {
            break after;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_runaway_query_stops_at_the_time_limit_and_frees_its_worker() {
    let server = Served::start(None, &["--timeout", "2s", "--workers", "1"]);
    assert_stopped_at_limit(&server, CLOSURES, 2);
    // The only worker is free: were the query still running, this would wait behind it.
    let started = Instant::now();
    let next = server.get(&sparql("ASK { ?s ?p ?o }"), None);
    assert_eq!(next.status, 200, "{}", next.body);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the next query waited {:?}",
        started.elapsed()
    );
}

#[test]
fn a_query_oxigraph_is_slow_to_cancel_is_still_answered_at_its_limit() {
    let server = Served::start(None, &["--timeout", "1s", "--workers", "2"]);
    assert_stopped_at_limit(&server, CROSS_COUNT, 1);
    // The other worker answers meanwhile.
    assert_eq!(server.get(&sparql("ASK {}"), None).status, 200);
}

#[test]
fn past_the_workers_and_the_queue_the_server_answers_503() {
    let server = Served::start(None, &["--timeout", "3s", "--workers", "1", "--queue", "0"]);
    let slow = in_background(&server.address, &sparql(CLOSURES));
    // The slow query takes the only worker as soon as it arrives.
    std::thread::sleep(Duration::from_millis(500));
    let busy = server.get(&sparql("ASK {}"), None);
    assert_eq!(busy.status, 503, "{}", busy.body);
    assert!(busy.body.contains("busy"), "{}", busy.body);
    assert_eq!(busy.header("retry-after"), Some("1"));
    let pages = server.get("/", None);
    assert_eq!(
        pages.status, 503,
        "pages take their places at the same gate: {}",
        pages.body
    );
    let slow = slow.join().expect("the slow request");
    assert_eq!(
        slow.status, 503,
        "the slow query stopped at its limit: {}",
        slow.body
    );
    assert!(slow.body.contains("stopped after 3s"), "{}", slow.body);
    // The worker is free once Oxigraph has noticed the cancellation, soon after the answer.
    let after = once_free(&server);
    assert_eq!(after.status, 200, "{}", after.body);
}

#[test]
fn an_oversized_body_answers_413_and_a_long_url_414() {
    let server = Served::start(None, &["--max-body", "1000", "--max-url", "2000"]);
    let long_query = format!("ASK {{ }} # {}", "x".repeat(1500));
    let body = server.send(
        Method::POST,
        "/sparql",
        "application/sparql-query",
        &long_query,
        None,
    );
    assert_eq!(body.status, 413, "{}", body.body);
    let url = server.get(
        &format!(
            "/sparql?query={}",
            encode(&format!("ASK {{ }} # {}", "x".repeat(2500)))
        ),
        None,
    );
    assert_eq!(url.status, 414, "{}", url.body);
    assert!(url.body.contains("POST"), "{}", url.body);
    let fits = server.send(
        Method::POST,
        "/sparql",
        "application/sparql-query",
        "ASK { }",
        None,
    );
    assert_eq!(fits.status, 200, "{}", fits.body);
}

/// The status line of the answer to `bytes`.
fn raw(address: &str, bytes: &[u8]) -> String {
    crate::common::server::raw(address, bytes)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn malformed_requests_answer_400_and_the_server_goes_on() {
    let server = Served::start(None, &[]);
    for garbage in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET /sparql HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"GET /sparql?query=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 2\r\nConnection: close\r\n\r\n\xff\xfe",
    ] {
        let status = raw(&server.address, garbage);
        assert!(status.starts_with("HTTP/1.1 400"), "{garbage:?} got {status:?}");
    }
    let answer = server.get(&sparql("ASK {}"), None);
    assert_eq!(answer.status, 200);
}

#[test]
fn every_request_gets_one_access_log_line() {
    let server = Served::start(None, &[]);
    server.get("/sparql?query=ASK%7B%7D", None);
    server.get("/nothing-here", None);
    let log = server.stop();
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /sparql 200 ") && l.ends_with("ms")),
        "{log}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /nothing-here 404 ")),
        "{log}"
    );
    assert!(
        !log.contains("ASK"),
        "the query string stays out of the log: {log}"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_lets_the_request_being_answered_finish() {
    let server = Served::start(None, &["--timeout", "2s"]);
    let running = in_background(&server.address, &sparql(CLOSURES));
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill(2) on our own child, which has not been waited for.
    unsafe {
        libc::kill(server.pid() as libc::pid_t, libc::SIGTERM);
    }
    let answer = running.join().expect("the request thread");
    assert_eq!(
        answer.status, 503,
        "answered with its time limit: {}",
        answer.body
    );
    assert!(answer.body.contains("stopped after 2s"), "{}", answer.body);
    let (status, stderr) = server.wait();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{stderr}");
    assert!(
        stderr.contains("finishing the requests being answered"),
        "{stderr}"
    );
}

#[test]
fn a_non_loopback_address_gets_a_warning() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casegraph"))
        .current_dir(crate::common::root())
        .args(["serve", "--bind", "0.0.0.0:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(line.contains("serving"), "{line}");
    assert!(
        stderr.contains("warning: listening on 0.0.0.0:"),
        "{stderr}"
    );
    assert!(stderr.contains("no authentication"), "{stderr}");
}

/// Sends a GET of `path` and leaves the connection open without reading the answer: a client
/// still waiting for it.
fn hold(address: &str, path: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(address).expect("connects");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n").expect("writes");
    stream
}

#[test]
fn a_query_answered_fast_before_answers_while_the_only_worker_is_stuck() {
    let server = Served::start(None, &["--timeout", "30s", "--workers", "1"]);
    let fast = sparql("ASK { ?s ?p ?o }");
    // Seen once (on the worker), answered within a tenth of its limit: it is known to be fast.
    assert_eq!(server.get(&fast, None).status, 200);
    // The only worker takes a query that would count for minutes.
    let _runaway = hold(&server.address, &sparql(CROSS_COUNT));
    std::thread::sleep(Duration::from_millis(500));
    // The fast query runs on its own connection's thread, not behind the runaway one.
    let started = Instant::now();
    let again = server.get(&fast, None);
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it waited for the worker: {:?}",
        started.elapsed()
    );
    // A query never seen still goes to the worker, and waits for it.
    let mut unseen = hold(&server.address, &sparql("ASK { ?s ?p ?s }"));
    unseen
        .set_read_timeout(Some(Duration::from_secs(1)))
        .expect("a timeout");
    let mut byte = [0u8; 1];
    let read = std::io::Read::read(&mut unseen, &mut byte);
    assert!(
        read.is_err(),
        "a query never seen was answered beside the runaway one: {read:?}"
    );
}

#[test]
fn a_slow_query_asked_again_is_still_answered_at_its_limit() {
    let server = Served::start(None, &["--timeout", "1s", "--workers", "2"]);
    // Slow once, it is never taken for fast: the worker answers at the limit again.
    for _round in ["first", "second"] {
        assert_stopped_at_limit(&server, CROSS_COUNT, 1);
    }
}

#[test]
fn a_burst_past_the_workers_and_the_queue_gets_503_at_once_and_the_server_recovers() {
    let server = Served::start(None, &["--timeout", "2s", "--workers", "1", "--queue", "1"]);
    let burst: Vec<_> = (0..8)
        .map(|_| in_background(&server.address, &sparql(CLOSURES)))
        .collect();
    let answers: Vec<_> = burst
        .into_iter()
        .map(|b| b.join().expect("an answer"))
        .collect();
    assert!(
        answers.iter().all(|a| a.status == 503),
        "every one is refused or stopped"
    );
    let busy = answers.iter().filter(|a| a.body.contains("busy")).count();
    let stopped = answers
        .iter()
        .filter(|a| a.body.contains("stopped after 2s"))
        .count();
    // Two places (the worker and the queue): the other six are refused without waiting.
    assert!(busy >= 6, "{busy} refused, {stopped} stopped");
    assert_eq!(busy + stopped, 8);
    let after = once_free(&server);
    assert_eq!(after.status, 200, "{}", after.body);
}

/// Brackets and chained operators `nesting` deep, about half of each, as the query limits
/// count them.
fn nested_query(nesting: usize) -> String {
    // `{` and `FILTER(` count one each, as brackets.
    let depth = ((nesting - 2) / 2).min(casegraph::query::syntax::MAX_BRACKET_DEPTH - 2);
    let chain = nesting - 2 - depth;
    let sum = vec!["1"; chain + 1].join(" + ");
    let query = format!(
        "ASK {{ FILTER({}{sum}{} > 0) }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert_eq!(
        casegraph::query::syntax::nesting(&query),
        nesting,
        "{query}"
    );
    query
}

#[test]
fn deep_queries_answer_every_time_they_are_asked() {
    let server = Served::start(None, &[]);
    // 32 is as deep as the server runs a query on a connection's thread (with the system's
    // default stack); the deepest the limits let through stays on a worker, with a large one.
    for nesting in [32, casegraph::query::syntax::MAX_NESTING] {
        let query = sparql(&nested_query(nesting));
        // The first time on a worker, then on the connection's thread when it may.
        for round in ["first", "second", "third"] {
            let answer = server.get(&query, None);
            assert_eq!(answer.status, 200, "{nesting}, {round}: {}", answer.body);
            assert!(answer.body.contains("true"), "{round}: {}", answer.body);
        }
    }
}
