//! Relative IRIs in case files (`<>`, `<x>`, no `@base`): they resolve against the case's base
//! IRI (`base` in `casegraph.toml`), else against the file's location, its `file:` URL, as
//! rapper, rdflib and Jena resolve them; `check` warns about the second.

use crate::common::{casegraph, casegraph_in, fixture, scratch_copy, stdout_of};

#[test]
fn relative_iris_resolve_against_the_files_location_without_a_case_base() {
    let file = format!(
        "file://{}",
        fixture("relative-iris/data/facts.ttl").display()
    );
    let acme = format!("file://{}", fixture("relative-iris/data/Acme").display());
    let nt = stdout_of("relative-iris", &["export", "--format", "nt"]);
    assert_eq!(
        nt,
        format!(
            "<{acme}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{file}> .\n\
             <{file}> <http://www.w3.org/2000/01/rdf-schema#label> \"this file\" .\n"
        )
    );
    // Such IRIs change with the folder the case is in: check says so, once per file, at the
    // first one, and it is a warning only.
    let output = casegraph("relative-iris", &["check"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "tests/fixtures/relative-iris/data/facts.ttl:5:1: warning[relative-iri]: `<>` and 2 more relative IRIs resolved against this file's location, <{file}>, so they change with the folder the case is in; set `base` in casegraph.toml (or an @base in the file) for IRIs that stay\n"
        )),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(0), "{stdout}");
}

#[test]
fn the_case_base_iri_replaces_the_files_location_and_an_own_base_wins() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = scratch_copy("relative-iris", dir.path());
    std::fs::write(
        case.join("casegraph.toml"),
        "# The IRI relative IRIs resolve against.\nbase = \"https://example.org/relative/\"\n",
    )
    .expect("writes");
    std::fs::write(
        case.join("data/own.ttl"),
        "@base <https://example.org/own/> .\n<B> <https://example.org/p> <> .\n",
    )
    .expect("writes");
    let output = casegraph_in(&case, &["export", "--format", "nt"])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "<https://example.org/own/B> <https://example.org/p> <https://example.org/own/> .\n\
         <https://example.org/relative/> <http://www.w3.org/2000/01/rdf-schema#label> \"this file\" .\n\
         <https://example.org/relative/Acme> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://example.org/relative/> .\n"
    );
    let output = casegraph_in(&case, &["check"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("relative-iri"), "{stdout}");
}

#[test]
fn a_bad_settings_file_is_refused_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = scratch_copy("relative-iris", dir.path());
    let settings = case.join("casegraph.toml");
    let refused = |text: &str| {
        std::fs::write(&settings, text).expect("writes");
        let output = casegraph_in(&case, &["check"]).output().expect("runs");
        assert_eq!(output.status.code(), Some(2));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let at = settings.display();
    assert_eq!(
        refused("# a misspelt key\nbsae = \"https://example.org/\"\n"),
        format!("casegraph: {at}: line 2, column 1: unknown field `bsae`, expected `base`\n")
    );
    assert_eq!(
        refused("base = \"relative/\"\n"),
        format!("casegraph: {at}: `base = \"relative/\"` is not an absolute IRI: No scheme found in an absolute IRI\n")
    );
}
