//! Reads a case's RDF files into quads, in parallel, with every syntax error at file:line:col.

use crate::case::{CaseFile, Part};
use crate::error::{Error, Result};
use crate::rdf::prefixes::{Declarations, Prefixes};
use crate::warning::Warning;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use std::borrow::Cow;
use std::io::{self, Read, Seek, SeekFrom};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The named graph that holds the ontology (every triple of the files under `ontology/`).
///
/// Keeping the schema apart lets exports and drawings show the case, not the schema, unless asked.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/casegraph/graph/ontology";

/// The ontology graph's name as a term.
pub fn ontology_graph() -> NamedNode {
    NamedNode::new_unchecked(ONTOLOGY_GRAPH)
}

/// What one file held.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Its quads, ontology triples already moved into [`ONTOLOGY_GRAPH`].
    pub quads: Vec<Quad>,
    /// The prefixes it declared, in the order it declared them.
    pub prefixes: Vec<(String, String)>,
}

/// Everything read from a case's files.
#[derive(Debug, Default)]
pub struct Parsed {
    /// All quads, file by file in path order.
    pub quads: Vec<Quad>,
    /// The prefixes declared by the files, plus the well-known ones.
    pub prefixes: Prefixes,
    /// Prefix names the files bind to different namespaces.
    pub warnings: Vec<Warning>,
}

/// How far a parse has come, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseProgress {
    /// Bytes parsed and handed on so far.
    pub done: u64,
    /// Bytes to parse in all.
    pub total: u64,
}

/// N-Triples and N-Quads files larger than this are split at line breaks and parsed on
/// several threads; every statement of those syntaxes sits on one line.
const SPLIT_ABOVE: usize = 8 << 20;

/// The stack of each parser thread.
///
/// The default 2 MiB of a spawned thread is too little for parsers that recurse on nesting:
/// Oxigraph's JSON-LD parser takes tens of KiB of stack per nested node object in a debug
/// build, and a 1000-deep file aborted the process. The stack is reserved address space, not
/// memory, until a deep file touches it. [`MAX_JSON_DEPTH`] keeps JSON-LD well within it.
pub const PARSER_STACK_SIZE: usize = 256 << 20;

/// The deepest nesting of JSON objects and arrays a JSON-LD file may have.
///
/// Oxigraph's JSON-LD parser recurses once per nested node object; a debug build on a 64 MiB
/// stack got through 1000 levels and aborted at 3000, so the limit stays a factor of four inside
/// [`PARSER_STACK_SIZE`]. Hand-written case files nest a handful of levels; a deeper file is
/// refused with the position where it passes the limit.
pub const MAX_JSON_DEPTH: usize = 1000;

/// The UTF-8 byte order mark, which RDF 1.1's text syntaxes allow at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One piece of work: a whole file, or a run of whole lines of a large line-based file.
struct Job {
    file: usize,
    start: usize,
    end: usize,
    /// The 0-based line the piece starts at, to report positions in the whole file.
    first_line: u64,
}

/// Parses every file, spreading files (and pieces of large N-Triples/N-Quads files) over the
/// machine's cores.
///
/// The result does not depend on the number of threads: pieces are merged in file and line
/// order. The first file (in path order) with an error stops the load; nothing is returned
/// half-read.
pub fn parse_files(files: &[CaseFile]) -> Result<Parsed> {
    parse_files_with_progress(files, &|_| {})
}

/// [`parse_files`], calling `progress` as pieces are parsed.
pub fn parse_files_with_progress(
    files: &[CaseFile],
    progress: &(dyn Fn(ParseProgress) + Sync),
) -> Result<Parsed> {
    let mut quads = Vec::new();
    let (prefixes, warnings) = parse_files_into(files, progress, &mut |piece| {
        quads.extend(piece);
        Ok(())
    })?;
    Ok(Parsed {
        quads,
        prefixes,
        warnings,
    })
}

/// How many parsed pieces may wait for `sink` at once: enough to keep the parser threads busy,
/// few enough that a large load never holds more than a few pieces outside the store.
const PIECES_AHEAD_PER_THREAD: usize = 2;

/// A piece's quads are handed over in batches of this many as it is parsed, so that a large file
/// parsed whole (a TriG or Turtle file cannot be cut) never waits in memory as one list.
const BATCH_QUADS: usize = 16_384;

/// How many batches of one piece may wait for `sink`: a parser thread that is this far ahead of
/// the consumer waits for it.
const BATCHES_AHEAD: usize = 2;

/// The state the parser threads and the consumer share.
struct Pipeline {
    state: Mutex<PipelineState>,
    changed: Condvar,
}

/// What a piece's parser has handed over and the consumer not yet taken.
#[derive(Default)]
struct Slot {
    /// Its quads, in order, a batch at a time.
    batches: std::collections::VecDeque<Vec<Quad>>,
    /// Set once the piece is parsed: its prefixes, or the error that stopped it.
    end: Option<Result<Vec<(String, String)>>>,
}

struct PipelineState {
    /// Each piece's batches and end, from when they are parsed until the consumer takes them.
    results: Vec<Slot>,
    /// How many pieces the consumer has taken, in order.
    consumed: usize,
    /// Set when the consumer gives up: the threads stop taking pieces.
    stopped: bool,
}

impl Pipeline {
    fn lock(&self) -> MutexGuard<'_, PipelineState> {
        // A thread that panicked while holding the lock left whole values behind: carry on.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, PipelineState>) -> MutexGuard<'a, PipelineState> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Parses every file like [`parse_files`], handing the quads of each file (or piece of a large
/// line-based file) to `sink` in file and line order as soon as it and every piece before it
/// are parsed, so that a caller can store them while later pieces are still being parsed.
/// `progress` counts the bytes whose quads `sink` has taken.
///
/// Returns the prefixes declared by the files, plus the well-known ones, settled as
/// [`Declarations::settle`] says, with a warning per conflict. On the first error
/// (in path order), or when `sink` fails, the parsing threads stop and the error is returned.
pub fn parse_files_into(
    files: &[CaseFile],
    progress: &(dyn Fn(ParseProgress) + Sync),
    sink: &mut dyn FnMut(Vec<Quad>) -> Result<()>,
) -> Result<(Prefixes, Vec<Warning>)> {
    let mut declared = Declarations::default();
    // Each piece is read from its file when it is parsed: a load never holds every file's text.
    run(files, Contents::OnDemand, progress, &mut |index, parsed| {
        let ParsedFile { quads, prefixes } = parsed;
        sink(quads)?;
        let file = &files[index];
        for (name, iri) in &prefixes {
            declared.declare(name, iri, &file.path, file.part == Part::Ontology);
        }
        Ok(())
    })?;
    Ok(declared.settle())
}

/// One file as the loader read and parsed it, with the bytes it parsed: for a caller that
/// needs to look at the text too (the check finds where terms are written in it).
#[derive(Debug)]
pub struct ReadFile {
    /// The file.
    pub file: CaseFile,
    /// Its quads, blank nodes scoped to the file as [`parse_files`] scopes them, and its prefixes.
    pub parsed: ParsedFile,
    /// The file's bytes, without the byte order mark if it had one.
    bytes: Vec<u8>,
}

impl ReadFile {
    /// The bytes the parser read: the file without its byte order mark, so that positions
    /// counted in them are those an editor shows.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.strip_prefix(BOM).unwrap_or(&self.bytes)
    }

    /// [`Self::bytes`] as text, when they are UTF-8 (the text syntaxes always are, once parsed).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes()).ok()
    }
}

/// Reads and parses every file as [`parse_files`] does (same parser, same blank-node scoping,
/// same errors, each file read once), keeping each file's quads and bytes apart.
pub fn read_files(files: &[CaseFile]) -> Result<Vec<ReadFile>> {
    let contents = read_contents(files)?;
    let mut parsed: Vec<ParsedFile> = files.iter().map(|_| ParsedFile::default()).collect();
    run(
        files,
        Contents::Held(&contents),
        &|_| {},
        &mut |index, piece| {
            // A large line-based file comes in several pieces, in line order.
            let into = &mut parsed[index];
            into.quads.extend(piece.quads);
            into.prefixes.extend(piece.prefixes);
            Ok(())
        },
    )?;
    Ok(files
        .iter()
        .zip(parsed)
        .zip(contents)
        .map(|((file, parsed), bytes)| ReadFile {
            file: file.clone(),
            parsed,
            bytes,
        })
        .collect())
}

fn read_contents(files: &[CaseFile]) -> Result<Vec<Vec<u8>>> {
    files
        .iter()
        .map(|f| std::fs::read(&f.path).map_err(|e| Error::io(&f.path, e)))
        .collect()
}

/// Where the parsers find the files' bytes.
#[derive(Clone, Copy)]
enum Contents<'a> {
    /// Read beforehand, one buffer per file, for a caller that keeps them.
    Held(&'a [Vec<u8>]),
    /// Read from the file when a piece is parsed, and dropped once it is: a large case's text
    /// is never all in memory at once (the files of a million N-Quads are about 190 MB).
    OnDemand,
}

impl Contents<'_> {
    /// The bytes of `job`'s piece of `file`.
    fn piece<'b>(self, file: &CaseFile, job: &Job, whole: bool) -> Result<Cow<'b, [u8]>>
    where
        Self: 'b,
    {
        let io = |e| Error::io(&file.path, e);
        match self {
            Self::Held(contents) => Ok(Cow::Borrowed(&contents[job.file][job.start..job.end])),
            // A file parsed whole is read whole, whatever its size was when the work was planned.
            Self::OnDemand if whole => Ok(Cow::Owned(std::fs::read(&file.path).map_err(io)?)),
            Self::OnDemand => {
                let mut reader = std::fs::File::open(&file.path).map_err(io)?;
                reader.seek(SeekFrom::Start(job.start as u64)).map_err(io)?;
                let mut bytes = vec![0; job.end - job.start];
                reader.read_exact(&mut bytes).map_err(io)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }
}

/// The parallel parse behind [`parse_files_into`] and [`read_files`]: hands each piece's
/// result, with the index of its file, to `sink` in file and line order.
fn run(
    files: &[CaseFile],
    contents: Contents<'_>,
    progress: &(dyn Fn(ParseProgress) + Sync),
    sink: &mut dyn FnMut(usize, ParsedFile) -> Result<()>,
) -> Result<()> {
    let jobs = plan(files, contents)?;
    let total: u64 = jobs.iter().map(|j| (j.end - j.start) as u64).sum();
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(jobs.len())
        .max(1);
    let ahead = threads * PIECES_AHEAD_PER_THREAD;
    let pipeline = Pipeline {
        state: Mutex::new(PipelineState {
            results: jobs.iter().map(|_| Slot::default()).collect(),
            consumed: 0,
            stopped: false,
        }),
        changed: Condvar::new(),
    };
    let next = AtomicUsize::new(0);
    // Threads take the next piece as they finish one, so a large file does not hold up the
    // rest, but stay at most `ahead` pieces in front of the consumer.
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(i) else { break };
        {
            let mut state = pipeline.lock();
            while i >= state.consumed + ahead && !state.stopped {
                state = pipeline.wait(state);
            }
            if state.stopped {
                break;
            }
        }
        let file = &files[job.file];
        let whole = job.start == 0 && jobs.get(i + 1).is_none_or(|next| next.file != job.file);
        // Hands a batch over, once fewer than BATCHES_AHEAD of this piece wait; false when the
        // consumer has gone.
        let mut hand_over = |batch: Vec<Quad>| {
            let mut state = pipeline.lock();
            while state.results[i].batches.len() >= BATCHES_AHEAD && !state.stopped {
                state = pipeline.wait(state);
            }
            if state.stopped {
                return false;
            }
            state.results[i].batches.push_back(batch);
            drop(state);
            pipeline.changed.notify_all();
            true
        };
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let bytes = contents.piece(file, job, whole)?;
            parse_piece_in_batches(file, job.file, &bytes, job.first_line, &mut hand_over)
        }))
        .unwrap_or_else(|_| {
            Err(Error::ParserPanicked {
                path: file.path.clone(),
            })
        });
        pipeline.lock().results[i].end = Some(result);
        pipeline.changed.notify_all();
    };

    let mut consume = || -> Result<()> {
        let mut done = 0;
        for (i, job) in jobs.iter().enumerate() {
            // The piece's batches as they come, then its prefixes (or its error).
            loop {
                let next = {
                    let mut state = pipeline.lock();
                    loop {
                        if let Some(batch) = state.results[i].batches.pop_front() {
                            break Ok(batch);
                        }
                        if let Some(end) = state.results[i].end.take() {
                            break Err(end);
                        }
                        state = pipeline.wait(state);
                    }
                };
                // A parser waiting for room in this piece's batches can go on.
                pipeline.changed.notify_all();
                match next {
                    Ok(quads) => sink(
                        job.file,
                        ParsedFile {
                            quads,
                            prefixes: Vec::new(),
                        },
                    )?,
                    Err(end) => {
                        let prefixes = end?;
                        if !prefixes.is_empty() {
                            sink(
                                job.file,
                                ParsedFile {
                                    quads: Vec::new(),
                                    prefixes,
                                },
                            )?;
                        }
                        break;
                    }
                }
            }
            pipeline.lock().consumed = i + 1;
            pipeline.changed.notify_all();
            done += (job.end - job.start) as u64;
            progress(ParseProgress { done, total });
        }
        Ok(())
    };
    let outcome = std::thread::scope(|scope| {
        let mut started = 0;
        let mut failure = None;
        for _ in 0..threads {
            let spawned = std::thread::Builder::new()
                .name("casegraph-parser".to_owned())
                .stack_size(PARSER_STACK_SIZE)
                .spawn_scoped(scope, work);
            match spawned {
                Ok(_) => started += 1,
                Err(e) => failure = Some(e),
            }
        }
        // A thread that cannot start leaves its pieces to the others; with none at all the
        // consumer would wait for ever.
        if let (0, Some(e)) = (started, failure) {
            return Err(Error::ParserThread(e));
        }
        let outcome = consume();
        // On an error the threads must not wait for a consumer that has gone.
        pipeline.lock().stopped = true;
        pipeline.changed.notify_all();
        outcome
    });
    outcome
}

/// Splits the work: one job per file, several for large line-based files.
fn plan(files: &[CaseFile], contents: Contents<'_>) -> Result<Vec<Job>> {
    let pieces = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        * 4;
    let mut jobs = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let io = |e| Error::io(&file.path, e);
        let len = match contents {
            Contents::Held(contents) => contents[i].len(),
            Contents::OnDemand => std::fs::metadata(&file.path).map_err(io)?.len() as usize,
        };
        let line_based = matches!(file.format(), RdfFormat::NTriples | RdfFormat::NQuads);
        if !line_based || len <= SPLIT_ABOVE {
            jobs.push(Job {
                file: i,
                start: 0,
                end: len,
                first_line: 0,
            });
            continue;
        }
        let target = len.div_ceil(pieces).max(SPLIT_ABOVE / 4);
        let split = match contents {
            Contents::Held(contents) => split_at_lines(&contents[i][..], i, target),
            Contents::OnDemand => {
                split_at_lines(std::fs::File::open(&file.path).map_err(io)?, i, target)
            }
        };
        jobs.extend(split.map_err(io)?);
    }
    Ok(jobs)
}

/// Cuts the text `reader` gives into pieces of whole lines, each ending at the first line break
/// at least `target` bytes after its start, and counts the lines before each; read through once,
/// a buffer at a time.
fn split_at_lines(mut reader: impl Read, file: usize, target: usize) -> io::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    let mut buffer = vec![0; 1 << 20];
    // The piece being cut: where it starts and its first line; `pos` and `line` say how far the
    // text has been read.
    let (mut start, mut first_line) = (0, 0u64);
    let (mut pos, mut line) = (0, 0u64);
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buffer[..read];
        let mut i = 0;
        while i < chunk.len() {
            let cut_from = start + target;
            if pos + i < cut_from {
                // Before the piece may end: count the lines and skip.
                let upto = chunk.len().min(i + (cut_from - (pos + i)));
                line += chunk[i..upto].iter().filter(|&&b| b == b'\n').count() as u64;
                i = upto;
                continue;
            }
            match chunk[i..].iter().position(|&b| b == b'\n') {
                Some(offset) => {
                    i += offset + 1;
                    line += 1;
                    jobs.push(Job {
                        file,
                        start,
                        end: pos + i,
                        first_line,
                    });
                    (start, first_line) = (pos + i, line);
                }
                None => i = chunk.len(),
            }
        }
        pos += read;
    }
    if start < pos {
        jobs.push(Job {
            file,
            start,
            end: pos,
            first_line,
        });
    }
    Ok(jobs)
}

/// Parses one file, or one piece of one (see [`plan`]).
fn parse_piece(file: &CaseFile, index: usize, bytes: &[u8], first_line: u64) -> Result<ParsedFile> {
    let mut quads = Vec::new();
    let prefixes = parse_piece_in_batches(file, index, bytes, first_line, &mut |batch| {
        quads.extend(batch);
        true
    })?;
    Ok(ParsedFile { quads, prefixes })
}

/// Parses one piece, handing its quads to `hand_over` in batches of [`BATCH_QUADS`], and
/// returns the prefixes it declared. Stops early, without an error, when `hand_over` says no
/// more are wanted (the consumer has given up).
fn parse_piece_in_batches(
    file: &CaseFile,
    index: usize,
    bytes: &[u8],
    first_line: u64,
    hand_over: &mut dyn FnMut(Vec<Quad>) -> bool,
) -> Result<Vec<(String, String)>> {
    // Only a file's first piece can start with the mark; columns on line 1 then count from the
    // first character after it, as an editor shows them.
    let bytes = if first_line == 0 {
        bytes.strip_prefix(BOM).unwrap_or(bytes)
    } else {
        bytes
    };
    if matches!(file.format(), RdfFormat::JsonLd { .. }) {
        check_json_depth(&file.path, bytes)?;
    }
    // Relative IRIs resolve against the case's base or the file's location (see `CaseFile::base`).
    let mut parser = RdfParser::from_format(file.format())
        .with_base_iri(file.base.as_str())
        .map_err(|e| Error::SyntaxNoPosition {
            path: file.path.clone(),
            message: format!("cannot resolve relative IRIs against <{}>: {e}", file.base),
        })?;
    if file.part == Part::Ontology {
        parser = parser.with_default_graph(GraphName::from(ontology_graph()));
    }
    let mut reader = parser.for_slice(bytes);
    let mut quads = Vec::new();
    for quad in &mut reader {
        let quad = quad.map_err(|e| {
            let mut error = parse_error(&file.path, e.into());
            if let Error::Syntax { line, .. } = &mut error {
                *line += first_line;
            }
            error
        })?;
        quads.push(scope_blank_nodes(quad, index));
        if quads.len() == BATCH_QUADS
            && !hand_over(std::mem::replace(
                &mut quads,
                Vec::with_capacity(BATCH_QUADS),
            ))
        {
            return Ok(Vec::new());
        }
    }
    if !quads.is_empty() && !hand_over(quads) {
        return Ok(Vec::new());
    }
    Ok(reader
        .prefixes()
        .map(|(name, iri)| (name.to_owned(), iri.to_owned()))
        .collect())
}

/// Parses one file.
pub fn parse_file(file: &CaseFile) -> Result<ParsedFile> {
    let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
    parse_piece(file, 0, &bytes, 0)
}

/// Blank node labels are local to their file: `_:b` in two files are two nodes, and `_:b` in
/// two pieces of one file is one. The file's index makes the label unique in the load.
fn scope_blank_nodes(mut quad: Quad, file: usize) -> Quad {
    let scoped = |b: &BlankNode| BlankNode::new_unchecked(format!("f{file}x{}", b.as_str()));
    if let NamedOrBlankNode::BlankNode(b) = &quad.subject {
        quad.subject = scoped(b).into();
    }
    if let Term::BlankNode(b) = &quad.object {
        quad.object = scoped(b).into();
    }
    if let GraphName::BlankNode(b) = &quad.graph_name {
        quad.graph_name = scoped(b).into();
    }
    quad
}

/// Turns a parser error into one that names the file and the 1-based line and column.
pub fn parse_error(path: &Path, error: RdfParseError) -> Error {
    match error {
        RdfParseError::Io(e) => Error::io(path, e),
        RdfParseError::Syntax(e) => {
            let message = one_line(&strip_position(&e.to_string()));
            match e.location() {
                Some(range) => Error::Syntax {
                    path: path.to_owned(),
                    line: range.start.line + 1,
                    column: range.start.column + 1,
                    message,
                },
                None => Error::SyntaxNoPosition {
                    path: path.to_owned(),
                    message,
                },
            }
        }
    }
}

/// Refuses JSON nested deeper than [`MAX_JSON_DEPTH`], before the JSON-LD parser recurses into
/// it. A lexical scan: brackets inside strings do not count.
fn check_json_depth(path: &Path, bytes: &[u8]) -> Result<()> {
    let (mut depth, mut line, mut column) = (0usize, 1u64, 1u64);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    if depth > MAX_JSON_DEPTH {
                        return Err(Error::Syntax {
                            path: path.to_owned(),
                            line,
                            column,
                            message: format!(
                                "JSON nested more than {MAX_JSON_DEPTH} objects or arrays deep; casegraph reads no deeper JSON-LD"
                            ),
                        });
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if byte == b'\n' {
            line += 1;
            column = 1;
        } else if byte & 0xC0 != 0x80 {
            // Columns count characters: UTF-8 continuation bytes do not start one.
            column += 1;
        }
    }
    Ok(())
}

/// Parser messages are printed as one line of a compiler-style report; some quote input or
/// list alternatives over several lines, which are joined with `; `.
pub fn one_line(message: &str) -> String {
    let mut joined = String::with_capacity(message.len());
    for part in message.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !joined.is_empty() {
            joined.push_str("; ");
        }
        joined.push_str(part);
    }
    joined
}

/// Oxttl writes "Parser error at line 3 column 5: message"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    if message.starts_with("Parser error") {
        if let Some((_, rest)) = message.split_once(": ") {
            return rest.to_owned();
        }
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// `count` N-Triples files, each stating one triple whose object is its number.
    fn files(dir: &Path, count: usize, bad: &[usize]) -> Vec<CaseFile> {
        (0..count)
            .map(|i| {
                let path: PathBuf = dir.join(format!("{i:03}.nt"));
                let text = if bad.contains(&i) {
                    "<https://example.org/s> <https://example.org/p> .\n".to_owned()
                } else {
                    format!("<https://example.org/s> <https://example.org/p> \"{i}\" .\n")
                };
                std::fs::write(&path, text).expect("writes");
                CaseFile {
                    part: Part::Data,
                    base: crate::case::file_url(&path).expect("a file: URL"),
                    path,
                }
            })
            .collect()
    }

    #[test]
    fn pieces_reach_the_sink_in_file_order_however_many_wait() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = files(dir.path(), 40, &[]);
        let mut seen = Vec::new();
        parse_files_into(&files, &|_| {}, &mut |quads| {
            seen.extend(quads.into_iter().map(|q| match q.object {
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            }));
            Ok(())
        })
        .expect("parses");
        let expected: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        assert_eq!(seen, expected);
    }

    /// A file parsed whole (TriG cannot be cut) reaches the sink in batches of at most
    /// BATCH_QUADS, in order, and its prefixes still count.
    #[test]
    fn a_large_file_parsed_whole_is_handed_over_in_batches_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.trig");
        let count = BATCH_QUADS * 3 + 7;
        let mut text = String::from("@prefix ex: <https://example.org/> .\nex:g {\n");
        for i in 0..count {
            text.push_str(&format!("ex:s ex:p {i} .\n"));
        }
        text.push_str("}\n");
        std::fs::write(&path, text).expect("writes");
        let files = vec![CaseFile {
            part: Part::Data,
            base: crate::case::file_url(&path).expect("a file: URL"),
            path,
        }];
        let (mut seen, mut batches) = (Vec::new(), Vec::new());
        let (prefixes, _) = parse_files_into(&files, &|_| {}, &mut |quads| {
            batches.push(quads.len());
            seen.extend(quads.into_iter().map(|q| match q.object {
                Term::Literal(l) => l.value().parse::<usize>().expect("a number"),
                other => panic!("{other}"),
            }));
            Ok(())
        })
        .expect("parses");
        assert_eq!(seen, (0..count).collect::<Vec<_>>());
        // The last call has no quads: it brings the file's prefixes.
        assert_eq!(batches, vec![BATCH_QUADS, BATCH_QUADS, BATCH_QUADS, 7, 0]);
        assert_eq!(
            prefixes
                .iter()
                .find(|(name, _)| *name == "ex")
                .map(|(_, iri)| iri),
            Some("https://example.org/")
        );
    }

    #[test]
    fn the_first_bad_file_in_path_order_stops_the_load() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = files(dir.path(), 30, &[7, 21]);
        let mut taken = 0;
        let error = parse_files_into(&files, &|_| {}, &mut |_| {
            taken += 1;
            Ok(())
        })
        .expect_err("file 007 is bad");
        assert!(error.to_string().contains("007.nt:1:"), "{error}");
        assert_eq!(taken, 7, "the files before the bad one, and no more");
    }

    /// Pieces cut while reading a buffer at a time are whole lines, cover the text, end at the
    /// first line break `target` bytes in, and know their first line.
    #[test]
    fn pieces_cut_while_reading_end_at_the_first_line_break_past_the_target() {
        let mut text = Vec::new();
        for i in 0..60_000usize {
            text.extend(std::iter::repeat_n(b'x', i % 97));
            text.push(b'\n');
        }
        text.extend(b"no line break at the end");
        assert!(text.len() > 2 << 20, "crosses the reader's buffers");
        let target = 100_003;
        let jobs = split_at_lines(&text[..], 3, target).expect("reads from memory");
        assert!(jobs.len() > 20, "{} pieces", jobs.len());
        let mut covered = 0;
        for (n, job) in jobs.iter().enumerate() {
            assert_eq!((job.file, job.start), (3, covered));
            let newlines = text[..job.start].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(job.first_line, newlines, "piece {n}");
            if n + 1 < jobs.len() {
                let piece = &text[job.start..job.end];
                assert_eq!(piece.last(), Some(&b'\n'), "piece {n}");
                assert!(piece.len() > target, "piece {n}");
                assert!(
                    !piece[target..piece.len() - 1].contains(&b'\n'),
                    "piece {n}"
                );
            }
            covered = job.end;
        }
        assert_eq!(covered, text.len());
    }

    fn store_full() -> Error {
        Error::io("store", std::io::Error::other("the store is full"))
    }

    #[test]
    fn a_failing_sink_stops_the_parsers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = files(dir.path(), 30, &[]);
        let mut calls = 0;
        let error = parse_files_into(&files, &|_| {}, &mut |_| {
            calls += 1;
            if calls == 3 {
                Err(store_full())
            } else {
                Ok(())
            }
        })
        .expect_err("the sink fails");
        assert_eq!(error.to_string(), store_full().to_string());
        assert_eq!(calls, 3);
    }
}
