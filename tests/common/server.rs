//! A real `casegraph serve` on a free loopback port, and a real HTTP client to ask it.

use super::root;
use oxhttp::model::{Body, Method, Request, Response};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::Duration;

/// A running server, killed when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

impl Served {
    /// `casegraph [-C case] serve --bind 127.0.0.1:0 args...`, run from the crate root; `case`
    /// `None` serves the shipped case. Returns once the server says where it listens.
    pub fn start(case: Option<&str>, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casegraph"));
        command.current_dir(root());
        if let Some(case) = case {
            command.arg("-C").arg(format!("tests/fixtures/{case}"));
        }
        let mut child = command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("casegraph serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("reads the first line");
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| {
                let mut stderr = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!("no address in {line:?}; stderr: {stderr}")
            })
            .to_owned();
        Self { child, address }
    }

    /// The URL of `path_and_query` on this server.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{path_and_query}", self.address)
    }

    /// A GET with an optional Accept header.
    pub fn get(&self, path_and_query: &str, accept: Option<&str>) -> Answer {
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(self.url(path_and_query));
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        send(request.body(Body::empty()).expect("a request"))
    }

    /// A request with a body and a content type.
    pub fn send(
        &self,
        method: Method,
        path_and_query: &str,
        content_type: &str,
        body: &str,
        accept: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(self.url(path_and_query))
            .header("content-type", content_type);
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        send(
            request
                .body(Body::from(body.to_owned()))
                .expect("a request"),
        )
    }

    /// The process, to signal it.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to end (after a signal) and returns its stderr.
    pub fn wait(mut self) -> (std::process::ExitStatus, String) {
        let status = self.child.wait().expect("waits");
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        (status, stderr)
    }

    /// Stops the server and returns what it wrote on stderr (the access log).
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        stderr
    }

    /// The server's stderr, for a test that reads it while the server runs.
    pub fn take_stderr(&mut self) -> ChildStderr {
        self.child.stderr.take().expect("stderr")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, content type, headers and body.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The Content-Type, empty when there is none.
    pub content_type: String,
    /// Every header.
    pub response: Response<()>,
    /// The body as text.
    pub body: String,
}

impl Answer {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
    }
}

/// Sends `request` with a client that gives up after 30 s.
pub fn send(request: Request<Body>) -> Answer {
    let client = oxhttp::Client::new().with_global_timeout(Duration::from_secs(30));
    let response = client.request(request).expect("the server answers");
    let (parts, mut body) = response.into_parts();
    let mut text = String::new();
    body.read_to_string(&mut text).expect("a UTF-8 body");
    let content_type = parts
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Answer {
        status: parts.status.as_u16(),
        content_type,
        response: Response::from_parts(parts, ()),
        body: text,
    }
}

/// `text` percent-encoded for a query string.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Sends `bytes` as they are (a request a well-behaved client would not send, or one with
/// headers `oxhttp`'s client keeps to itself, such as Origin) and returns the whole answer.
pub fn raw(address: &str, bytes: &[u8]) -> String {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    stream.write_all(bytes).expect("writes");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}
