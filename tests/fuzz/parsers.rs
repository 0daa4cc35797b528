//! Bounded property tests: hostile case files in every syntax the loader reads, hostile query
//! text and hostile `--param` values make the library return `Ok` or `Err`, never panic or
//! abort. Run in-process, on a thread with the stack the binary's main thread gets.

use casegraph::query::{self, QueryOptions, QueryText};
use casegraph::rdf::prefixes::Prefixes;
use casegraph::rdf::term::parse_term;
use casegraph::{Case, CaseStore};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// The stack the binary's main thread runs on (see src/main.rs); the loader's threads have
/// their own (casegraph::case::parse::PARSER_STACK_SIZE).
const MAIN_STACK: usize = 256 << 20;

fn config() -> Config {
    Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Runs `test` on a thread with [`MAIN_STACK`]: a stack overflow would abort the test process.
fn on_big_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(MAIN_STACK)
        .spawn(test)
        .expect("starts")
        .join()
        .expect("no panic");
}

/// Pieces hostile text is made of: nesting openers and closers of every syntax, control
/// characters, invalid UTF-8, a BOM, escapes, and plausible tokens to get parsers deep.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&'static [u8]> = vec![
        b"(",
        b")",
        b"[",
        b"]",
        b"{",
        b"}",
        b"<",
        b">",
        b"\"",
        b"'",
        b"\"\"\"",
        b"\\",
        b"#",
        b"\n",
        b"\r",
        b"\t",
        b"\0",
        b"\x07",
        b"\xff",
        b"\xc3",
        b"\xef\xbb\xbf",
        b" ",
        b".",
        b";",
        b",",
        b":",
        b"_:b",
        b"@prefix : <http://e/> .",
        b"PREFIX : <http://e/>",
        b":p",
        b"<http://e/s>",
        b"\"x\"@en",
        b"^^",
        b"/",
        b"|",
        b"*",
        b"+",
        b"?x",
        b"a",
        b"SELECT",
        b"SERVICE",
        b"FILTER",
        b"UNION",
        b"@id",
        b"\"@id\":",
        b"\"http://e/p\":",
        b"<rdf:RDF>",
        b"<rdf:Description>",
        b"</rdf:Description>",
        b"&amp;",
        b"<!ENTITY",
    ];
    prop_oneof![
        8 => proptest::sample::select(pieces).prop_map(<[u8]>::to_vec),
        // Deep nesting, the shape that used to abort.
        1 => (proptest::sample::select(vec![&b"("[..], b"[", b"{", b"[ :p ", b"{\"@id\":\"http://e/s\",\"http://e/p\":", b"<rdf:Description><e:p>"]), 1usize..3000)
            .prop_map(|(piece, n)| piece.repeat(n)),
        // A huge token.
        1 => (1usize..200_000).prop_map(|n| [b"<http://e/".as_slice(), &b"x".repeat(n), b">"].concat()),
        1 => proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

fn hostile() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

#[test]
fn loading_hostile_case_files_never_panics_or_aborts() {
    on_big_stack(|| {
        let case_dir = tempfile::tempdir().expect("temp dir");
        let data = case_dir.path().join("data");
        std::fs::create_dir_all(&data).expect("data/");
        let mut runner = TestRunner::new(config());
        let syntaxes = proptest::sample::select(vec!["ttl", "trig", "nt", "nq", "rdf", "jsonld"]);
        runner
            .run(&(syntaxes, hostile()), |(extension, bytes)| {
                for old in std::fs::read_dir(&data).expect("lists") {
                    std::fs::remove_file(old.expect("entry").path()).expect("removes");
                }
                std::fs::write(data.join(format!("hostile.{extension}")), &bytes).expect("writes");
                let case = Case::open(case_dir.path()).expect("a case");
                // Ok or Err are both fine; an error must be one line.
                if let Err(error) = CaseStore::load(&case) {
                    let message = error.to_string();
                    prop_assert!(!message.contains('\n'), "{message}");
                }
                Ok(())
            })
            .expect("no case file makes the loader panic");
    });
}

#[test]
fn hostile_query_text_never_panics_or_aborts() {
    on_big_stack(|| {
        let case = Case::open(crate::common::fixture("mini")).expect("mini");
        let store = CaseStore::load(&case).expect("loads");
        let mut runner = TestRunner::new(config());
        runner
            .run(&hostile(), |bytes| {
                let text = QueryText::inline(String::from_utf8_lossy(&bytes).into_owned());
                let options = QueryOptions {
                    timeout: Some("2s".parse().expect("a limit")),
                    ..QueryOptions::default()
                };
                if let Err(error) = query::run(&store, &text, &[], options) {
                    let message = error.to_string();
                    prop_assert!(!message.contains('\n'), "{message}");
                }
                Ok(())
            })
            .expect("no query text makes the library panic");
    });
}

#[test]
fn hostile_param_values_never_panic_or_abort() {
    on_big_stack(|| {
        let mut prefixes = Prefixes::well_known();
        prefixes.add("ex", "https://example.org/");
        let text = QueryText::inline("# param: x - anything\nSELECT ?x { }");
        let mut runner = TestRunner::new(config());
        runner
            .run(&hostile(), |bytes| {
                let value = String::from_utf8_lossy(&bytes).into_owned();
                let _ = parse_term(&value, &prefixes, "--param x");
                let _ = text.bind(&[("x".to_owned(), value)], &prefixes);
                Ok(())
            })
            .expect("no --param value makes the library panic");
    });
}
