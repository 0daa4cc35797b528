//! `casegraph new`: the case it makes passes `check` (with its example articles), answers every
//! named query, and is written only into a new or empty folder.

use assert_cmd::Command;
use std::path::Path;

fn casegraph(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("casegraph")
        .expect("binary built")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The parameters each parameterised query is run with on the example case.
const PARAMS: &[(&str, &str)] = &[
    ("actions-against", "company=case:SkylineRobotics"),
    ("article-claims", "source=case:source-000"),
    ("entity-mentions", "entity=case:SkylineRobotics"),
    ("neighbourhood", "entity=case:SkylineRobotics"),
    ("responses", "event=case:DroneBan2026"),
    ("restrictions", "company=case:SkylineRobotics"),
];

#[test]
fn a_new_case_passes_check_without_a_warning() {
    let temp = tempfile::tempdir().expect("temp dir");
    let made = casegraph(
        temp.path(),
        &["new", "my-case", "--title", "My \"first\" case"],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("case: is <https://example.org/casegraph/case/my-case/>"));

    let case = temp.path().join("my-case");
    let check = casegraph(&case, &["check"]);
    assert_eq!(text(&check.stdout), "", "no diagnostic");
    assert_eq!(text(&check.stderr), "0 errors, 0 warnings\n");
    assert!(check.status.success());

    // The example articles hold every evidence and quote string, quotes inside quotation marks.
    let check = casegraph(&case, &["check", "--articles", "articles"]);
    assert_eq!(text(&check.stdout), "", "no diagnostic");
    assert_eq!(text(&check.stderr), "0 errors, 0 warnings\n");

    let ontology = std::fs::read_to_string(case.join("ontology/case.ttl")).expect("case.ttl");
    assert!(
        ontology.contains(r#"rdfs:label "My \"first\" case""#),
        "{ontology}"
    );
    let readme = std::fs::read_to_string(case.join("README.md")).expect("README");
    assert!(readme.starts_with("# My \"first\" case\n"));

    // The case's base IRI is set, so a relative IRI is the case's, not a file: URL.
    std::fs::write(
        case.join("data/relative.ttl"),
        "<Drone> <http://www.w3.org/2000/01/rdf-schema#label> \"a drone\" .\n",
    )
    .expect("writes");
    let nt = casegraph(&case, &["export", "--format", "nt"]);
    assert!(
        text(&nt.stdout).contains("<https://example.org/casegraph/case/my-case/Drone> <http://www.w3.org/2000/01/rdf-schema#label> \"a drone\" ."),
        "{}",
        text(&nt.stderr)
    );
}

#[test]
fn every_named_query_answers_on_a_new_case() {
    let temp = tempfile::tempdir().expect("temp dir");
    let base = "https://example.org/cases/drones#";
    let made = casegraph(temp.path(), &["new", "c", "--base", base]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let case = temp.path().join("c");
    let mut names: Vec<String> = std::fs::read_dir(case.join("queries"))
        .expect("queries/")
        .map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            name.trim_end_matches(".rq").to_owned()
        })
        .collect();
    names.sort();
    assert!(names.len() >= 18, "{names:?}");
    for name in &names {
        let mut args = vec!["query", name.as_str()];
        if let Some((_, param)) = PARAMS.iter().find(|(q, _)| q == name) {
            args.extend(["--param", param]);
        }
        let answer = casegraph(&case, &args);
        assert!(
            answer.status.success(),
            "query {name}: {}",
            text(&answer.stderr)
        );
    }
    // The example's facts, from both articles, with the base given.
    let timeline = text(&casegraph(&case, &["query", "timeline"]).stdout);
    assert!(timeline.contains("case:DroneBan2026"), "{timeline}");
    let disagreements =
        text(&casegraph(&case, &["query", "disagreements", "--format", "csv"]).stdout);
    assert!(disagreements.contains("unanimous"), "{disagreements}");
    assert!(
        disagreements.contains("seven votes to two"),
        "{disagreements}"
    );
    let restrictions = casegraph(
        &case,
        &[
            "query",
            "restrictions",
            "--param",
            "company=case:SkylineRobotics",
            "--format",
            "csv",
        ],
    );
    assert!(
        text(&restrictions.stdout).contains(&format!("{base}DroneBan2026")),
        "{}",
        text(&restrictions.stdout)
    );
}

#[test]
fn new_writes_only_into_a_new_or_empty_folder() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("thesis");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    let refused = casegraph(temp.path(), &["new", "thesis"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("it is not empty"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        1,
        "nothing added"
    );

    // An empty folder is filled.
    let empty = temp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    assert!(casegraph(temp.path(), &["new", "empty"]).status.success());
    assert!(empty.join("data/claims/000.trig").is_file());

    // No hidden build folder is left beside them.
    let left: Vec<String> = std::fs::read_dir(temp.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| !n.starts_with('.')), "{left:?}");
}

#[test]
fn a_bad_base_iri_is_refused_before_anything_is_written() {
    let temp = tempfile::tempdir().expect("temp dir");
    for base in ["https://example.org/no-separator", "not an iri/"] {
        let refused = casegraph(temp.path(), &["new", "cases/c", "--base", base]);
        assert_eq!(refused.status.code(), Some(2), "{base}");
        assert!(
            text(&refused.stderr).contains("base IRI"),
            "{}",
            text(&refused.stderr)
        );
        assert_eq!(
            std::fs::read_dir(temp.path()).expect("dir").count(),
            0,
            "nothing written for {base}"
        );
    }
}
