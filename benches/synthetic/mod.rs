//! A deterministic generator of synthetic cases shaped like the curated one, for benchmarks.
//!
//! A case has entities (organisations, people, countries) with a class and a label in the
//! default graph, source articles in the default graph, and one named graph per article holding
//! events (typed, with agent, target, date and an evidence quote) and quotes attributed to
//! speakers. Most events are reported by more than one article, so claims repeat across graphs
//! as they do in the real case. The same seed and size always give byte-identical files.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

const CG: &str = "https://w3id.org/casegraph/ontology#";
const CASE: &str = "https://w3id.org/casegraph/case/synthetic/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const XSD_DATE: &str = "http://www.w3.org/2001/XMLSchema#date";

const ENTITY_CLASSES: &[&str] = &[
    "https://schema.org/Organization",
    "https://schema.org/Person",
    "https://schema.org/Country",
];
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

/// What a generated case holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Statements written (a triple counted once per graph).
    pub quads: usize,
    /// Entities.
    pub entities: usize,
    /// Source articles (named graphs).
    pub sources: usize,
    /// Events.
    pub events: usize,
}

/// Writes a case of about `quads` statements into `out` (`ontology/`, `data/`, `queries/`),
/// copying the ontology and queries of the case at `template` so the named queries run on it.
pub fn generate(
    out: &Path,
    template: &Path,
    quads: usize,
    seed: u64,
    syntax: Syntax,
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
    let entities = (quads / 20).max(10);
    let sources = (quads / 1000).max(5);
    let extension = match syntax {
        Syntax::TriG => "trig",
        Syntax::NQuads => "nq",
    };
    let mut summary = Summary {
        quads: 0,
        entities,
        sources,
        events: 0,
    };

    // Default graph: entities and sources.
    let mut w = Writer::new(&data.join(format!("entities.{extension}")), syntax)?;
    for e in 0..entities {
        let class = ENTITY_CLASSES[e % ENTITY_CLASSES.len()];
        let subject = format!("{CASE}entity-{e}");
        w.iri(&subject, RDF_TYPE, class, None)?;
        w.literal(
            &subject,
            RDFS_LABEL,
            &format!("Entity {e} {}", WORDS[e % WORDS.len()]),
            None,
            None,
        )?;
    }
    for s in 0..sources {
        let subject = format!("{CASE}source-{s:06}");
        w.iri(&subject, RDF_TYPE, &format!("{CG}SourceArticle"), None)?;
        w.literal(
            &subject,
            &format!("{DCTERMS}identifier"),
            &format!("{s:06}.txt"),
            None,
            None,
        )?;
        w.literal(
            &subject,
            &format!("{DCTERMS}title"),
            &sentence(&mut rng, 6),
            None,
            None,
        )?;
        w.iri(
            &subject,
            &format!("{DCTERMS}publisher"),
            &format!("{CASE}entity-{}", s % entities),
            None,
        )?;
    }
    summary.quads += w.finish()?;

    // Named graphs: events reported by one to three articles each, in eight shard files.
    const SHARDS: usize = 8;
    let mut shards = (0..SHARDS)
        .map(|i| {
            Writer::new(
                &data.join("claims").join(format!("part-{i}.{extension}")),
                syntax,
            )
        })
        .collect::<io::Result<Vec<_>>>()?;
    let mut written = summary.quads;
    let mut event = 0;
    while written < quads {
        let class = EVENT_CLASSES[rng.below(EVENT_CLASSES.len())];
        let agent = format!("{CASE}entity-{}", rng.below(entities));
        let target = format!("{CASE}entity-{}", rng.below(entities));
        let date = format!(
            "20{:02}-{:02}-{:02}",
            15 + rng.below(11),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let quote = sentence(&mut rng, 8);
        let reports = 1 + rng.below(3);
        let first_source = rng.below(sources);
        let subject = format!("{CASE}event-{event}");
        for r in 0..reports {
            let s = (first_source + r * 7) % sources;
            let graph = format!("{CASE}source-{s:06}");
            let shard = &mut shards[s % SHARDS];
            let g = Some(graph.as_str());
            shard.iri(&subject, RDF_TYPE, &format!("{CG}{class}"), g)?;
            shard.iri(&subject, &format!("{CG}agent"), &agent, g)?;
            shard.iri(&subject, &format!("{CG}target"), &target, g)?;
            shard.literal(&subject, &format!("{CG}date"), &date, Some(XSD_DATE), g)?;
            shard.literal(&subject, &format!("{CG}evidence"), &quote, None, g)?;
            written += 5;
            if event % 2 == 0 {
                let q = format!("{CASE}quote-{event}-{s}");
                shard.iri(&q, RDF_TYPE, &format!("{CG}Quote"), g)?;
                shard.iri(&q, &format!("{CG}speaker"), &agent, g)?;
                shard.literal(&q, &format!("{CG}quoteText"), &quote, None, g)?;
                shard.iri(&q, &format!("{CG}partOf"), &subject, g)?;
                written += 4;
            }
        }
        event += 1;
    }
    for shard in shards {
        shard.finish()?;
    }
    summary.quads = written;
    summary.events = event;
    Ok(summary)
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

/// Writes statements as N-Quads lines, or as TriG with one `GRAPH` block per graph change.
struct Writer {
    out: BufWriter<fs::File>,
    syntax: Syntax,
    open_graph: Option<String>,
    line: String,
    count: usize,
}

impl Writer {
    fn new(path: &Path, syntax: Syntax) -> io::Result<Self> {
        Ok(Self {
            out: BufWriter::with_capacity(1 << 20, fs::File::create(path)?),
            syntax,
            open_graph: None,
            line: String::new(),
            count: 0,
        })
    }

    fn iri(&mut self, s: &str, p: &str, o: &str, g: Option<&str>) -> io::Result<()> {
        self.write(s, p, &format!("<{o}>"), g)
    }

    fn literal(
        &mut self,
        s: &str,
        p: &str,
        value: &str,
        datatype: Option<&str>,
        g: Option<&str>,
    ) -> io::Result<()> {
        // Generated values hold only letters, digits, spaces and dashes: no escaping needed.
        let object = match datatype {
            Some(dt) => format!("\"{value}\"^^<{dt}>"),
            None => format!("\"{value}\""),
        };
        self.write(s, p, &object, g)
    }

    fn write(&mut self, s: &str, p: &str, o: &str, g: Option<&str>) -> io::Result<()> {
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
        self.out.write_all(self.line.as_bytes())
    }

    fn finish(mut self) -> io::Result<usize> {
        if self.open_graph.is_some() {
            self.out.write_all(b"}\n")?;
        }
        self.out.flush()?;
        Ok(self.count)
    }
}
