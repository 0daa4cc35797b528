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

#[test]
fn a_runaway_query_stops_at_the_time_limit_and_frees_its_worker() {
    let server = Served::start(None, &["--timeout", "2s", "--workers", "1"]);
    let started = Instant::now();
    let runaway = server.get(&sparql(CLOSURES), None);
    let took = started.elapsed();
    assert_eq!(runaway.status, 503, "{}", runaway.body);
    assert!(
        runaway.body.contains("stopped after 2s"),
        "{}",
        runaway.body
    );
    // The bound the issue sets: the time limit and at most a second more.
    assert!(
        took < Duration::from_secs(3),
        "the runaway query took {took:?}"
    );
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
    let started = Instant::now();
    let runaway = server.get(&sparql(CROSS_COUNT), None);
    let took = started.elapsed();
    assert_eq!(runaway.status, 503, "{}", runaway.body);
    assert!(
        runaway.body.contains("stopped after 1s"),
        "{}",
        runaway.body
    );
    assert!(took < Duration::from_secs(2), "the client waited {took:?}");
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
        "pages run on the same workers: {}",
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
    let until = Instant::now() + Duration::from_secs(20);
    let after = loop {
        let after = server.get(&sparql("ASK {}"), None);
        if after.status != 503 || Instant::now() > until {
            break after;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
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
