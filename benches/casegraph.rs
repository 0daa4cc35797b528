//! Criterion benchmarks of loading, every named query and every export format, on synthetic
//! cases of 10 thousand and 1 million statements.
//!
//! The cases are generated (deterministically, see `synthetic/mod.rs`) under the target folder
//! the first time a benchmark of that size runs, once per run, so a filtered run such as
//! `cargo bench --bench casegraph -- 10k` never builds the large one. The measured work is what
//! the binary does after parsing its arguments: `casegraph query NAME` is [`CaseStore::load_with`]
//! in the layout for queries, then [`query::run`]; `casegraph export --format F` reads the files
//! ([`Statements::read`], outside the timing: that is the load's work), then [`export::export`]s the case to a sink (labels
//! read before the quads are taken, in the library). `answer/...` is load and query together,
//! for the queries of `benches/queries/` that read only named graphs or only the default graph:
//! loaded for what they read ([`CaseStore::load_for`], what `casegraph query` does) and, beside
//! it, with every graph (what it did before). `export-from-files/...` is the whole case as
//! N-Triples, Turtle or N-Quads, files read inside the timing, as `casegraph export` writes it now
//! ([`export::export_rdf_from_files`]) and as it did before (owned quads). `load/.../many-files`
//! loads the same statements cut into files of 500.

mod synthetic;

use casegraph::export::{self, Destination, Exported, GraphFormat};
use casegraph::format::Format;
use casegraph::graph::GraphOptions;
use casegraph::query::{self, QueryOptions, QueryText};
use casegraph::store::statements::Statements;
use casegraph::store::{Dataset, Layout, LoadOptions, Reads};
use casegraph::{Case, CaseStore, Scope};
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The sizes benchmarked, by name, with their number of statements.
const SIZES: &[(&str, usize)] = &[("10k", 10_000), ("1m", 1_000_000)];

/// Seed of the generated cases (the one `benches/generate.rs` uses by default).
const SEED: u64 = 42;

/// A generated case, and the store loaded from it for queries (built on first use).
struct Fixture {
    case: Case,
    store: OnceLock<CaseStore>,
}

impl Fixture {
    fn new(name: &str, quads: usize, files: synthetic::Files) -> Self {
        let dir = bench_dir().join(name);
        let template = Path::new(env!("CARGO_MANIFEST_DIR"));
        synthetic::generate(&dir, template, quads, SEED, synthetic::Syntax::TriG, files)
            .unwrap_or_else(|e| panic!("generating {}: {e}", dir.display()));
        let case = Case::open(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Self {
            case,
            store: OnceLock::new(),
        }
    }

    /// The case loaded as `casegraph query` loads it: with the merged graph.
    fn store(&self) -> &CaseStore {
        self.store
            .get_or_init(|| load(&self.case, Layout::UnionQueries(Scope::Case)))
    }
}

/// `target/casegraph-bench`, next to the profile folder this bench runs from.
/// The allocator the `casegraph` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the bench knows its own path");
    // target/<profile>/deps/casegraph-HASH -> target/casegraph-bench
    exe.ancestors()
        .nth(3)
        .map_or_else(std::env::temp_dir, Path::to_path_buf)
        .join("casegraph-bench")
}

fn load(case: &Case, layout: Layout) -> CaseStore {
    CaseStore::load_with(
        case,
        LoadOptions {
            layout,
            ..LoadOptions::default()
        },
    )
    .expect("the synthetic case loads")
}

/// One fixture per size, generated the first time a benchmark of that size asks for it.
fn fixture(size: usize) -> &'static Fixture {
    static FIXTURES: [OnceLock<Fixture>; 2] = [OnceLock::new(), OnceLock::new()];
    let (name, quads) = SIZES[size];
    FIXTURES[size].get_or_init(|| Fixture::new(name, quads, synthetic::Files::Few))
}

/// Statements per file of the many-files fixtures: 2,000 files for a million statements.
const PER_FILE: usize = 500;

/// The same statements as [`fixture`]'s, in files of [`PER_FILE`] statements.
fn many_files(size: usize) -> &'static Fixture {
    static FIXTURES: [OnceLock<Fixture>; 2] = [OnceLock::new(), OnceLock::new()];
    let (name, quads) = SIZES[size];
    FIXTURES[size].get_or_init(|| {
        Fixture::new(
            &format!("{name}-files"),
            quads,
            synthetic::Files::Each(PER_FILE),
        )
    })
}

/// Parameters of the named queries that take one: entities that exist in every synthetic case.
fn param_value(name: &str) -> Option<String> {
    let iri = match name {
        // Entity 0 is the holding at the top of an ownership tree: actions against it include
        // those against its subsidiaries.
        "company" => synthetic::entity(0),
        "entity" => synthetic::entity(4),
        "source" => synthetic::source(0),
        "event" => synthetic::event(0),
        _ => return None,
    };
    Some(format!("<{iri}>"))
}

/// Few samples for the large case: one iteration there takes seconds.
fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    size: usize,
) {
    if SIZES[size].1 >= 1_000_000 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(10));
    }
}

fn bench_load(c: &mut Criterion) {
    for (size, (name, quads)) in SIZES.iter().enumerate() {
        let mut group = c.benchmark_group(format!("load/{name}"));
        configure(&mut group, size);
        group.throughput(Throughput::Elements(*quads as u64));
        let layouts = [
            ("as-written", Layout::AsWritten),
            ("for-queries", Layout::UnionQueries(Scope::Case)),
            ("for-graph-queries", Layout::NamedGraphQueries(Scope::Case)),
            ("for-default-queries", Layout::DefaultGraphQueries),
        ];
        for (id, layout) in layouts {
            group.bench_function(id, |b| {
                let fixture = fixture(size);
                b.iter(|| black_box(load(&fixture.case, layout)));
            });
        }
        // The same statements in files of 500: what each file's fixed cost adds.
        group.bench_function("as-written/many-files", |b| {
            let fixture = many_files(size);
            b.iter(|| black_box(load(&fixture.case, Layout::AsWritten)));
        });
        group.finish();
    }
}

fn bench_queries(c: &mut Criterion) {
    let names = query::list_named(&Path::new(env!("CARGO_MANIFEST_DIR")).join("queries"))
        .expect("queries/ is readable");
    for (size, (size_name, _)) in SIZES.iter().enumerate() {
        let mut group = c.benchmark_group(format!("query/{size_name}"));
        configure(&mut group, size);
        for named in &names {
            let params: Option<Vec<(String, String)>> = named
                .header
                .params
                .iter()
                .map(|p| param_value(&p.name).map(|v| (p.name.clone(), v)))
                .collect();
            let Some(params) = params else {
                eprintln!(
                    "query {}: no synthetic value for its parameters, skipped",
                    named.name
                );
                continue;
            };
            group.bench_function(BenchmarkId::from_parameter(&named.name), |b| {
                let fixture = fixture(size);
                let store = fixture.store();
                let text = QueryText::resolve(&fixture.case.queries_dir(), &named.name)
                    .expect("the query was copied into the case");
                let bindings = text
                    .bind(&params, store.prefixes())
                    .expect("parameters bind");
                b.iter(|| {
                    black_box(
                        query::run(store, &text, &bindings, QueryOptions::default())
                            .expect("the query runs"),
                    )
                });
            });
        }
        group.finish();
    }
}

/// Load and query together, as `casegraph query` runs a query: loaded for the graphs the query
/// reads, and (for comparison) with every graph.
fn bench_answers(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/queries");
    let names = query::list_named(&dir).expect("benches/queries/ is readable");
    for (size, (size_name, _)) in SIZES.iter().enumerate() {
        let mut group = c.benchmark_group(format!("answer/{size_name}"));
        configure(&mut group, size);
        for named in &names {
            let text = QueryText::resolve(&dir, &named.name).expect("the query reads");
            let reads = query::graphs_read(&text);
            for (id, loaded) in [("reads", reads), ("every-graph", Reads::ALL)] {
                group.bench_function(format!("{}/{id}", named.name), |b| {
                    let fixture = fixture(size);
                    b.iter(|| {
                        let store =
                            CaseStore::load_for(&fixture.case, Dataset::default(), loaded, None)
                                .expect("the synthetic case loads");
                        black_box(
                            query::run(&store, &text, &[], QueryOptions::default())
                                .expect("the query runs"),
                        )
                    });
                });
            }
        }
        group.finish();
    }
}

/// An export destination that throws every file away: the bench measures the writing.
struct Sinks;

impl Destination for Sinks {
    type Writer = std::io::Sink;

    fn stream(&mut self) -> casegraph::Result<std::io::Sink> {
        Ok(std::io::sink())
    }

    fn file(&mut self, _name: &str) -> Option<casegraph::Result<std::io::Sink>> {
        Some(Ok(std::io::sink()))
    }

    fn keep(&mut self, _writer: std::io::Sink) -> casegraph::Result<()> {
        Ok(())
    }
}

/// Exports the case's statements in `format` to [`Sinks`], and hands them back to be dropped
/// outside the timing where criterion allows.
fn export_case(
    mut statements: Statements,
    format: GraphFormat,
    options: &GraphOptions,
) -> Statements {
    export::export(
        &mut statements,
        Exported::Case(Scope::Case),
        format,
        options,
        &mut Sinks,
    )
    .expect("the export writes");
    statements
}

fn bench_exports(c: &mut Criterion) {
    for (size, (size_name, quads)) in SIZES.iter().enumerate() {
        let mut group = c.benchmark_group(format!("export/{size_name}"));
        configure(&mut group, size);
        group.throughput(Throughput::Elements(*quads as u64));
        for format_name in GraphFormat::names() {
            let format = GraphFormat::from_name(format_name).expect("a canonical name");
            group.bench_function(BenchmarkId::from_parameter(format_name), |b| {
                let fixture = fixture(size);
                // Export reads the files, with no store; the reading is the load benchmark's,
                // so each run starts from statements read outside the timing.
                let options = GraphOptions::default();
                b.iter_batched(
                    || Statements::read(&fixture.case, None).expect("the case reads"),
                    |statements| export_case(statements, format, &options),
                    BatchSize::LargeInput,
                );
            });
        }
        group.finish();
    }
}

/// The whole case as RDF, read and written as `casegraph export` does now (quads held as ids,
/// read from the files as they are parsed) and, beside it, as it did before (the statements
/// read into owned quads, then exported): both read the files inside the timing.
fn bench_exports_from_files(c: &mut Criterion) {
    for (size, (size_name, quads)) in SIZES.iter().enumerate() {
        let mut group = c.benchmark_group(format!("export-from-files/{size_name}"));
        configure(&mut group, size);
        group.throughput(Throughput::Elements(*quads as u64));
        for format in [
            GraphFormat::NTriples,
            GraphFormat::Turtle,
            GraphFormat::NQuads,
        ] {
            group.bench_function(format!("{}/held-as-ids", format.name()), |b| {
                let fixture = fixture(size);
                b.iter(|| {
                    export::export_rdf_from_files(
                        &fixture.case,
                        Scope::Case,
                        format,
                        None,
                        &mut Sinks,
                    )
                    .expect("the export writes")
                });
            });
            group.bench_function(format!("{}/owned-quads", format.name()), |b| {
                let fixture = fixture(size);
                let options = GraphOptions::default();
                b.iter(|| {
                    let statements = Statements::read(&fixture.case, None).expect("the case reads");
                    export_case(statements, format, &options)
                });
            });
        }
        group.finish();
    }
}

criterion_group!(
    benches,
    bench_load,
    bench_queries,
    bench_answers,
    bench_exports,
    bench_exports_from_files
);
criterion_main!(benches);
