//! The position index against the parser: every triple the loader yields for a Turtle-family
//! file is found where it is written, each term in its role. A library-level differential
//! test over every fixture case that loads and over the shipped case.

use casegraph::check::positions::Role;
use casegraph::check::Sources;
use casegraph::Case;
use oxigraph::model::Term;

/// Fixture cases that do not load, so have no triples to find: each on purpose.
const NOT_LOADING: &[&str] = &[
    // A syntax error is what it tests.
    "bad-syntax",
];

#[test]
fn every_parsed_triple_is_found_in_the_position_index_in_its_role() {
    let root = crate::common::root();
    let mut cases = vec![root.clone()];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("data").is_dir())
        .collect();
    fixtures.sort();
    cases.extend(fixtures);
    // The W3C SHACL test suite's files too: relative IRIs, lists, nested blank nodes, ill-typed
    // literals, as a case whose data/ is the suite.
    let suite = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(root.join("tests/w3c-shacl"), suite.path().join("data"))
        .expect("links the suite");
    cases.push(suite.path().to_owned());
    let mut files_checked = 0;
    for dir in cases {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let case = Case::open(&dir).expect("a case");
        let sources = match Sources::read(&case) {
            Ok(sources) => sources,
            Err(_) if name.as_deref().is_some_and(|n| NOT_LOADING.contains(&n)) => continue,
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        for file in &sources.files {
            // RDF/XML and JSON-LD have no position index (their diagnostics carry no line).
            if file.index.is_none() {
                continue;
            }
            files_checked += 1;
            let occurrences: Vec<_> = file.occurrences().collect();
            for quad in &file.quads {
                let subject = Term::from(quad.subject.clone());
                let predicate = quad.predicate.as_str();
                let found_subject = occurrences
                    .iter()
                    .any(|o| o.role == Role::Subject && file.is(&o.term, &subject));
                let found_predicate = occurrences
                    .iter()
                    .any(|o| o.role == Role::Predicate && o.term.is_iri(predicate));
                let found_object = occurrences.iter().any(|o| {
                    matches!(&o.role, Role::Object(Some(p)) if p == predicate)
                        && file.is(&o.term, &quad.object)
                        && o.subject
                            .as_ref()
                            .is_some_and(|(s, _)| file.is(s, &subject))
                });
                assert!(
                    found_subject && found_predicate && found_object,
                    "{}: {quad} not found (subject {found_subject}, predicate {found_predicate}, object {found_object})",
                    file.path.display()
                );
            }
        }
    }
    assert!(files_checked > 150, "only {files_checked} files checked");
}
