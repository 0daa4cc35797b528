//! A deterministic generator of synthetic cases shaped like the curated one, for benchmarks.
//!
//! Like the shipped case, a synthetic case says in its default graph what each IRI names: entities
//! (organisations, people, countries, laws), events (`cg:Event`), quotes (`cg:Quote`) and source
//! articles (`cg:SourceArticle`, with file name, title, date and publisher), each with one English
//! label. Each article has its own named graph holding the claims it makes: events with their
//! specific type, agent, target, date and an evidence quote; quotes attributed to speakers; who is
//! a subsidiary of whom; job titles; responses to earlier events; laws invoked. Most events are
//! reported by more than one article, so claims repeat across graphs, and now and then two
//! articles give an event different dates (a few of which are recorded as `cg:Disagreement`s),
//! so every named query has rows to find. The same seed and size always give byte-identical files.

use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::str::FromStr;

const CG: &str = "https://w3id.org/casegraph/ontology#";
const CASE: &str = "https://w3id.org/casegraph/case/synthetic/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const SCHEMA: &str = "https://schema.org/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const XSD_DATE: &str = "http://www.w3.org/2001/XMLSchema#date";

/// Entity `e` has class `ENTITY_CLASSES[e % 4]`: organisations are the multiples of four.
const ENTITY_CLASSES: &[&str] = &["Organization", "Person", "Country", "Legislation"];
const EVENT_CLASSES: &[&str] = &[
    "Order",
    "Ban",
    "ProcurementBan",
    "Blacklisting",
    "Sanction",
    "Review",
    "Statement",
    "Response",
    "Allegation",
    "Warning",
];
const WORDS: &[&str] = &[
    "government",
    "ordered",
    "security",
    "cameras",
    "company",
    "review",
    "national",
    "said",
    "ban",
    "contracts",
    "equipment",
    "surveillance",
    "ministry",
    "response",
    "operations",
    "allegations",
    "agency",
    "decision",
    "statement",
    "rights",
];

/// The two serialisations a generated case is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TriG: one file for the default graph and shards of named graphs.
    TriG,
    /// N-Quads: the same, one quad per line.
    NQuads,
}

impl Syntax {
    /// The extension of the files written in it.
    fn extension(self) -> &'static str {
        match self {
            Syntax::TriG => "trig",
            Syntax::NQuads => "nq",
        }
    }
}

/// The names `generate` takes on its command line.
impl FromStr for Syntax {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "trig" => Ok(Syntax::TriG),
            "nquads" => Ok(Syntax::NQuads),
            other => Err(format!("unknown syntax `{other}`")),
        }
    }
}

/// SplitMix64: tiny, fast, and its output never changes between versions of anything.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What a generated case holds, written as `generate` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Statements written (a triple counted once per graph).
    quads: usize,
    /// Entities.
    entities: usize,
    /// Source articles (named graphs).
    sources: usize,
    /// Events.
    events: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} quads, {} entities, {} sources, {} events",
            self.quads, self.entities, self.sources, self.events
        )
    }
}

/// The IRI of entity `e`.
pub fn entity(e: usize) -> String {
    format!("{CASE}entity-{e}")
}

/// The IRI of event `e`.
pub fn event(e: usize) -> String {
    format!("{CASE}event-{e}")
}

/// The IRI of source article `s` (also the name of its graph).
pub fn source(s: usize) -> String {
    format!("{CASE}source-{s:06}")
}

/// An entity of class `ENTITY_CLASSES[class]` near `e`.
fn of_class(e: usize, class: usize, entities: usize) -> usize {
    let e = e - e % ENTITY_CLASSES.len() + class;
    if e < entities {
        e
    } else {
        class
    }
}

/// The parent of organisation `e`: groups of 16 under a group leader, and 16 groups under a
/// holding, so ownership chains are one or two links long as in the real case.
fn parent_of(e: usize) -> Option<usize> {
    if e.is_multiple_of(1024) {
        None
    } else if e.is_multiple_of(64) {
        Some(e - e % 1024)
    } else {
        Some(e - e % 64)
    }
}

/// How a generated case's statements are spread over files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// Ten files: the default graph's entities, its events, and eight shards of claims.
    Few,
    /// The same statements in files of at most this many statements each (each of the ten
    /// streams above cut into pieces): 2,000 files of 500 statements for a million, the shape of
    /// a case kept as one small file per article or per day, where each file's fixed cost counts.
    Each(usize),
}

/// Writes a case of about `quads` statements into `out` (`ontology/`, `data/`, `queries/`),
/// copying the ontology and queries of the case at `template` so the named queries run on it.
/// The statements depend on `quads` and `seed` alone; `files` only says how they are cut into
/// files.
pub fn generate(
    out: &Path,
    template: &Path,
    quads: usize,
    seed: u64,
    syntax: Syntax,
    files: Files,
) -> io::Result<Summary> {
    let data = out.join("data");
    if data.exists() {
        fs::remove_dir_all(&data)?;
    }
    fs::create_dir_all(data.join("claims"))?;
    for part in ["ontology", "queries"] {
        let target = out.join(part);
        fs::create_dir_all(&target)?;
        let source = template.join(part);
        if source.is_dir() {
            for entry in fs::read_dir(&source)? {
                let path = entry?.path();
                if path.is_file() {
                    if let Some(name) = path.file_name() {
                        fs::copy(&path, target.join(name))?;
                    }
                }
            }
        }
    }

    let mut rng = Rng(seed);
    let entities = (quads / 20).max(16);
    let sources = (quads / 1000).max(5);
    let cg = |local: &str| format!("{CG}{local}");
    let schema = |local: &str| format!("{SCHEMA}{local}");

    // Default graph: what entities and sources are.
    let mut w = Writer::new(&data.join("entities"), syntax, files)?;
    for e in 0..entities {
        let class = ENTITY_CLASSES[e % ENTITY_CLASSES.len()];
        let subject = entity(e);
        w.iri(&subject, RDF_TYPE, &schema(class), None)?;
        w.literal(
            &subject,
            RDFS_LABEL,
            &format!("{class} {e} {}", WORDS[e % WORDS.len()]),
            Lit::En,
            None,
        )?;
    }
    for s in 0..sources {
        let subject = source(s);
        w.iri(&subject, RDF_TYPE, &cg("SourceArticle"), None)?;
        w.literal(
            &subject,
            RDFS_LABEL,
            &format!("source {s:06}"),
            Lit::En,
            None,
        )?;
        w.literal(
            &subject,
            &format!("{DCTERMS}identifier"),
            &format!("{s:06}.txt"),
            Lit::Plain,
            None,
        )?;
        w.literal(
            &subject,
            &format!("{DCTERMS}title"),
            &sentence(&mut rng, 6),
            Lit::Plain,
            None,
        )?;
        w.literal(
            &subject,
            &format!("{DCTERMS}date"),
            &date(&mut rng),
            Lit::Typed(XSD_DATE),
            None,
        )?;
        w.iri(
            &subject,
            &format!("{DCTERMS}publisher"),
            &entity(of_class(s, 0, entities)),
            None,
        )?;
    }
    let mut written = w.finish()?;

    // Events, quotes and disagreements are named in the default graph too, in their own file.
    let mut names = Writer::new(&data.join("events"), syntax, files)?;
    // Claims: events reported by one to three articles each, in eight shard files.
    const SHARDS: usize = 8;
    let mut shards = (0..SHARDS)
        .map(|i| {
            Writer::new(
                &data.join("claims").join(format!("part-{i}")),
                syntax,
                files,
            )
        })
        .collect::<io::Result<Vec<_>>>()?;
    let mut event_count = 0;
    while written + names.count + shards.iter().map(|s| s.count).sum::<usize>() < quads {
        let n = event_count;
        event_count += 1;
        let class = EVENT_CLASSES[rng.below(EVENT_CLASSES.len())];
        let subject = event(n);
        let agent_e = rng.below(entities);
        // Statements are made by people, measures by organisations or countries.
        let agent_e = match class {
            "Statement" | "Response" | "Allegation" | "Warning" => of_class(agent_e, 1, entities),
            _ => of_class(agent_e, 2 * rng.below(2), entities),
        };
        let agent = entity(agent_e);
        let target_e = of_class(rng.below(entities), 0, entities);
        let target = entity(target_e);
        let date_text = date(&mut rng);
        let quote = sentence(&mut rng, 8);
        let reports = 1 + rng.below(3);
        let first_source = rng.below(sources);
        let disputed = reports > 1 && rng.below(8) == 0;
        let responds_to = (class == "Response" && n > 0).then(|| event(rng.below(n.min(10))));
        let law = (matches!(class, "Order" | "Ban" | "Sanction") && rng.below(2) == 0)
            .then(|| entity(of_class(rng.below(entities), 3, entities)));
        let title = format!("{} {}", WORDS[rng.below(WORDS.len())], rng.below(10));

        names.iri(&subject, RDF_TYPE, &cg("Event"), None)?;
        names.literal(
            &subject,
            RDFS_LABEL,
            &format!("{class} {n}: {agent_e} against {target_e}"),
            Lit::En,
            None,
        )?;
        if disputed {
            let d = format!("{CASE}disagreement-{n}");
            names.iri(&d, RDF_TYPE, &cg("Disagreement"), None)?;
            names.literal(&d, RDFS_LABEL, &format!("date of event {n}"), Lit::En, None)?;
            names.iri(&d, &cg("disputedSubject"), &subject, None)?;
            names.iri(&d, &cg("disputedProperty"), &cg("date"), None)?;
        }
        for r in 0..reports {
            let s = (first_source + r * 7) % sources;
            let graph = source(s);
            let shard = &mut shards[s % SHARDS];
            let g = Some(graph.as_str());
            shard.iri(&subject, RDF_TYPE, &cg(class), g)?;
            shard.iri(&subject, &cg("agent"), &agent, g)?;
            shard.iri(&subject, &cg("target"), &target, g)?;
            // A disputed event gets a later date from every article but the first.
            let date_here = if disputed && r > 0 {
                format!("{}-28", &date_text[..7])
            } else {
                date_text.clone()
            };
            shard.literal(&subject, &cg("date"), &date_here, Lit::Typed(XSD_DATE), g)?;
            shard.literal(&subject, &cg("evidence"), &quote, Lit::Plain, g)?;
            if let Some(earlier) = &responds_to {
                shard.iri(&subject, &cg("respondsTo"), earlier, g)?;
            }
            if let Some(law) = &law {
                shard.iri(&subject, &cg("legalBasis"), law, g)?;
            }
            if let Some(parent) = parent_of(target_e) {
                shard.iri(&target, &cg("subsidiaryOf"), &entity(parent), g)?;
            }
            if class == "Statement" {
                shard.literal(&agent, &schema("jobTitle"), &title, Lit::Plain, g)?;
            }
            if n % 2 == 0 {
                let q = format!("{CASE}quote-{n}-{s}");
                names.iri(&q, RDF_TYPE, &cg("Quote"), None)?;
                names.literal(&q, RDFS_LABEL, &format!("quote {n} in {s}"), Lit::En, None)?;
                shard.iri(&q, RDF_TYPE, &cg("Quote"), g)?;
                shard.iri(&q, &cg("speaker"), &agent, g)?;
                shard.literal(&q, &cg("quoteText"), &quote, Lit::Plain, g)?;
                shard.iri(&q, &cg("partOf"), &subject, g)?;
            }
        }
    }
    written += names.finish()?;
    for shard in shards {
        written += shard.finish()?;
    }
    Ok(Summary {
        quads: written,
        entities,
        sources,
        events: event_count,
    })
}

/// A date between 2015 and 2025, as `xsd:date` text.
fn date(rng: &mut Rng) -> String {
    format!(
        "20{:02}-{:02}-{:02}",
        15 + rng.below(11),
        1 + rng.below(12),
        1 + rng.below(27)
    )
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

/// How a literal is written.
#[derive(Clone, Copy)]
enum Lit {
    /// A plain string.
    Plain,
    /// An English string (labels).
    En,
    /// A typed literal.
    Typed(&'static str),
}

/// Writes statements as N-Quads lines, or as TriG with one `GRAPH` block per graph change, to
/// one file or (with [`Files::Each`]) to numbered files of so many statements each.
struct Writer {
    out: BufWriter<fs::File>,
    syntax: Syntax,
    open_graph: Option<String>,
    line: String,
    count: usize,
    /// The path of the files without their extension (or number and extension).
    stem: std::path::PathBuf,
    files: Files,
    /// Statements in the file being written.
    in_file: usize,
    /// Files written before the one being written.
    done_files: usize,
}

impl Writer {
    fn new(stem: &Path, syntax: Syntax, files: Files) -> io::Result<Self> {
        Ok(Self {
            out: Self::create(stem, syntax, files, 0)?,
            syntax,
            open_graph: None,
            line: String::new(),
            count: 0,
            stem: stem.to_owned(),
            files,
            in_file: 0,
            done_files: 0,
        })
    }

    fn create(
        stem: &Path,
        syntax: Syntax,
        files: Files,
        number: usize,
    ) -> io::Result<BufWriter<fs::File>> {
        let mut name = stem.as_os_str().to_owned();
        match files {
            Files::Few => name.push(format!(".{}", syntax.extension())),
            Files::Each(_) => name.push(format!("-{number:05}.{}", syntax.extension())),
        }
        Ok(BufWriter::with_capacity(1 << 16, fs::File::create(name)?))
    }

    /// Ends the file being written and starts the next when it holds its share.
    fn next_file_if_full(&mut self) -> io::Result<()> {
        let Files::Each(each) = self.files else {
            return Ok(());
        };
        if self.in_file < each.max(1) {
            return Ok(());
        }
        self.close_graph()?;
        self.out.flush()?;
        self.done_files += 1;
        self.out = Self::create(&self.stem, self.syntax, self.files, self.done_files)?;
        self.in_file = 0;
        Ok(())
    }

    fn close_graph(&mut self) -> io::Result<()> {
        if self.open_graph.take().is_some() {
            self.out.write_all(b"}\n")?;
        }
        Ok(())
    }

    fn iri(&mut self, s: &str, p: &str, o: &str, g: Option<&str>) -> io::Result<()> {
        self.write(s, p, &format!("<{o}>"), g)
    }

    fn literal(
        &mut self,
        s: &str,
        p: &str,
        value: &str,
        kind: Lit,
        g: Option<&str>,
    ) -> io::Result<()> {
        // Generated values hold only letters, digits, spaces, colons and dashes: no escaping.
        let object = match kind {
            Lit::Plain => format!("\"{value}\""),
            Lit::En => format!("\"{value}\"@en"),
            Lit::Typed(dt) => format!("\"{value}\"^^<{dt}>"),
        };
        self.write(s, p, &object, g)
    }

    fn write(&mut self, s: &str, p: &str, o: &str, g: Option<&str>) -> io::Result<()> {
        self.next_file_if_full()?;
        self.line.clear();
        match self.syntax {
            Syntax::NQuads => {
                let _ = match g {
                    Some(g) => writeln!(self.line, "<{s}> <{p}> {o} <{g}> ."),
                    None => writeln!(self.line, "<{s}> <{p}> {o} ."),
                };
            }
            Syntax::TriG => {
                if self.open_graph.as_deref() != g {
                    if self.open_graph.is_some() {
                        self.line.push_str("}\n");
                    }
                    if let Some(g) = g {
                        let _ = writeln!(self.line, "<{g}> {{");
                    }
                    self.open_graph = g.map(str::to_owned);
                }
                let _ = writeln!(self.line, "<{s}> <{p}> {o} .");
            }
        }
        self.count += 1;
        self.in_file += 1;
        self.out.write_all(self.line.as_bytes())
    }

    fn finish(mut self) -> io::Result<usize> {
        self.close_graph()?;
        self.out.flush()?;
        Ok(self.count)
    }
}
