//! The pages for people: `casegraph serve` asked by a real HTTP client as a browser asks
//! (Accept: text/html), and `casegraph site` written to a temp folder.

use crate::common::casegraph;
use crate::common::server::{encode, Served};
use std::path::{Path, PathBuf};

const HTML: Option<&str> = Some("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");

/// The body of `path`, which must answer 200 with an HTML page.
fn page(server: &Served, path: &str) -> String {
    let answer = server.get(path, HTML);
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert!(
        answer.content_type.starts_with("text/html"),
        "{path}: {}",
        answer.content_type
    );
    answer.body
}

#[test]
fn every_page_answers_with_the_case_it_shows() {
    let server = Served::start(None, &[]);
    let home = page(&server, "/");
    for expected in [
        "000_40b924c83f926040.txt",
        "China Protests Over Canada",
        "2025-06-30",
        "href=\"/source/source-001\"",
        "href=\"/timeline\"",
        "source articles",
    ] {
        assert!(home.contains(expected), "home page lacks {expected}");
    }

    // An entity page: a claim with its articles, a quote with its article, the drawing.
    let joly = page(&server, "/entity/MelanieJoly");
    assert!(joly.contains("<h1><bdi>Mélanie Joly</bdi></h1>"));
    assert!(joly.contains("Minister of Innovation, Science and Industry"));
    assert!(joly.contains(
        "The government has determined that Hikvision Canada Inc’s continued operations"
    ));
    assert!(joly.contains("quoted by <a href=\"/source/source-001\">"));
    assert!(joly.contains("id=\"from-source-003\""));
    assert!(
        joly.contains("Canada&#39;s Minister of Innovation, Science and Industry, Melanie Joly")
    );
    assert!(joly.contains("What points to it"));
    if ::casegraph::export::render::find_dot().is_some() {
        assert!(joly.contains("src=\"/graph/MelanieJoly.svg\""));
        let drawing = server.get("/graph/MelanieJoly.svg", None);
        assert_eq!(drawing.status, 200);
        assert_eq!(drawing.content_type, "image/svg+xml");
        assert!(drawing.body.contains("<svg"));
    }

    let source = page(&server, "/source/source-003");
    assert!(source.contains("What only this article says"));
    assert!(source.contains("only here"));
    assert!(source.contains("Everything it says"));

    // Dates at the article's precision, and the articles that give them.
    let timeline = page(&server, "/timeline");
    assert!(
        timeline.contains("<bdi class=\"literal\">2019</bdi> <small class=\"note\">(year)</small>")
    );
    assert!(timeline.contains("(day)"));
    let disagreements = page(&server, "/disagreements");
    assert!(disagreements.contains("Mélanie Joly&#39;s title"));
    assert!(disagreements.contains("Minister of Industry"));
    assert!(disagreements.contains("href=\"/source/source-000\""));

    let queries = page(&server, "/queries");
    assert!(queries.contains("href=\"/queries/entity-mentions\""));
    let form = page(&server, "/queries/entity-mentions");
    assert!(form.contains("<input name=\"entity\""));
    assert!(
        !form.contains("id=\"answer\""),
        "no answer before a parameter is given"
    );
    let answered = page(&server, "/queries/entity-mentions?entity=case%3AHikvision");
    assert!(answered.contains("id=\"answer\""));
    assert!(answered.contains("value=\"case:Hikvision\""));
    assert!(answered.contains("href=\"/source/source-004\""));
    let timeline_query = page(&server, "/queries/timeline");
    assert!(
        timeline_query.contains("rows"),
        "a query without parameters runs at once"
    );

    // The editor: its text with the case's prefixes, an answer, download links that work.
    let editor = page(&server, "/sparql");
    assert!(editor.contains("<textarea"));
    assert!(editor.contains("PREFIX cg: &#60;https://w3id.org/casegraph/ontology#&#62;"));
    let query = "SELECT ?label WHERE { case:MelanieJoly rdfs:label ?label }";
    let answered = page(&server, &format!("/sparql?query={}", encode(query)));
    assert!(answered.contains("1 row."));
    assert!(answered.contains("Mélanie Joly"));
    let csv = format!("/sparql?query={}&format=csv", encode(query));
    assert!(answered.contains(&csv.replace('&', "&#38;")), "{answered}");
    let download = server.get(&csv, HTML);
    assert_eq!(download.status, 200);
    assert_eq!(download.content_type, "text/csv");
    assert_eq!(download.body, "label\r\nMélanie Joly\r\n");
    let construct =
        "CONSTRUCT { case:MelanieJoly rdfs:label ?l } WHERE { case:MelanieJoly rdfs:label ?l }";
    let graph = page(&server, &format!("/sparql?query={}", encode(construct)));
    assert!(graph.contains("<th>subject</th>"));
    assert!(graph.contains("format=turtle"), "a graph downloads as RDF");
    let turtle = server.get(
        &format!("/sparql?query={}&format=turtle", encode(construct)),
        HTML,
    );
    assert_eq!(turtle.content_type, "text/turtle");
    assert!(turtle.body.contains("Mélanie Joly"));
    let failed = page(
        &server,
        &format!("/sparql?query={}", encode("SELECT ?x WHERE {")),
    );
    assert!(failed.contains("class=\"error\""));

    // Search: labels and other names, case and accents ignored.
    for wanted in ["melanie", "MÉLANIE", "Joly"] {
        let found = page(&server, &format!("/search?q={}", encode(wanted)));
        assert!(
            found.contains("href=\"/entity/MelanieJoly\""),
            "search {wanted}"
        );
    }
    let by_alt_label = page(&server, "/search?q=hangzhou");
    assert!(by_alt_label.contains("href=\"/entity/Hikvision\""));
    let none = page(&server, "/search?q=nobody-by-this-name");
    assert!(none.contains("0 of"));

    let style = server.get("/assets/style.css", None);
    assert_eq!(style.status, 200);
    assert_eq!(style.content_type, "text/css; charset=utf-8");
}

#[test]
fn an_unknown_entity_answers_404() {
    let server = Served::start(Some("pages"), &[]);
    for path in [
        "/entity/Nobody",
        "/source/Nobody",
        // An article has a source page, not an entity page.
        "/entity/source-1",
        "/graph/Nobody.svg",
        "/assets/missing.css",
        "/entity/",
        "/nowhere",
    ] {
        let answer = server.get(path, HTML);
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
    }
}

/// What a label of the `pages` fixture would put in a page if it were not escaped.
const UNESCAPED: &[&str] = &[
    "<script>",
    "<img src=x",
    "<b>",
    "<i>",
    "<em>",
    "<1>",
    "<org>",
    "<file>",
    "<the 27th>",
    "\"Widgets\"",
    "'Quotes' &amp;",
    "Tom&Jerry's",
    "<an organisation>",
    "<targeted>",
];

fn assert_escaped(where_: &str, body: &str) {
    for raw in UNESCAPED {
        assert!(
            !body.contains(raw),
            "{where_} holds {raw:?} unescaped:\n{body}"
        );
    }
}

/// The `pages` fixture's pages, as paths on a server.
const FIXTURE_PAGES: &[&str] = &[
    "/",
    "/entities",
    "/entity/Acme",
    "/entity/Ministry",
    "/entity/Arabic",
    "/entity/Tom_Jerry_s",
    "/entity/Order1",
    "/entity/quote-1",
    "/entity/disagreement-1",
    "/source/source-1",
    "/source/source-2",
    "/timeline",
    "/disagreements",
    "/queries",
    "/queries/labels",
    "/queries/orders-against",
    "/queries/orders-against?target=case%3AAcme",
    "/search?q=acme",
    "/search?q=%3Cscript%3E",
    "/sparql",
    "/sparql?query=SELECT+%3Fthing+%3Flabel+WHERE+%7B+%3Fthing+rdfs%3Alabel+%3Flabel+%7D",
];

#[test]
fn hostile_labels_are_escaped_on_every_page() {
    let server = Served::start(Some("pages"), &[]);
    for path in FIXTURE_PAGES {
        assert_escaped(path, &page(&server, path));
    }
    let order = page(&server, "/entity/Order1");
    // Shown as written, escaped: the markup as text, the entity reference as its characters.
    assert!(
        order.contains("Acme &#60;script&#62;alert(1)&#60;/script&#62; &#34;Widgets&#34; &#38; Co")
    );
    assert!(order.contains("Ministry of &#39;Quotes&#39; &#38;amp; Entities"));
    assert!(order.contains("We said &#34;&#60;script&#62;alert(&#39;q&#39;)&#60;/script&#62;&#34;"));
    // Right-to-left text is isolated from what surrounds it.
    assert!(order.contains("<bdi>شركة أكمي للأدوات</bdi>"));
    let tom = page(&server, "/entity/Tom_Jerry_s");
    assert!(tom.contains("https://example.org/case/Tom&#38;Jerry&#39;s"));
    // Search ignores accents in other names too, and its text is escaped on the page.
    let found = page(&server, "/search?q=acme+widgets");
    assert!(found.contains("href=\"/entity/Acme\""), "by the other name");
    let hostile = page(&server, "/search?q=%22%3E%3Cscript%3E");
    assert!(hostile.contains("Search: <bdi>&#34;&#62;&#60;script&#62;</bdi>"));
}

/// Every `href="..."` and `src="..."` of an HTML page, unescaped.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').expect("a closed attribute");
            found.push(rest[..end].replace("&#38;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

#[test]
fn every_link_of_the_served_pages_answers() {
    let server = Served::start(Some("pages"), &[]);
    let mut seen = std::collections::BTreeSet::new();
    let mut to_visit = vec!["/".to_owned()];
    while let Some(path) = to_visit.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let answer = server.get(&path, HTML);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        if !answer.content_type.starts_with("text/html") {
            continue;
        }
        for link in links(&answer.body) {
            if link.starts_with('#') {
                continue;
            }
            assert!(link.starts_with('/'), "{path}: {link} is not on the server");
            to_visit.push(link.split('#').next().unwrap_or_default().to_owned());
        }
    }
    assert!(seen.len() > 20, "only {} pages and files", seen.len());
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("reads the folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_site_has_every_page_and_its_links_lead_to_its_files() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let out = temp.path().join("site");
    let output = casegraph("pages", &["site", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in [
        "index.html",
        "entities.html",
        "timeline.html",
        "disagreements.html",
        "entity/Acme.html",
        "entity/Tom_Jerry_s.html",
        "source/source-1.html",
        "queries/index.html",
        "queries/labels.html",
        "queries/orders-against.html",
        "assets/style.css",
        "assets/pages.js",
        ".casegraph-site",
    ] {
        assert!(out.join(file).is_file(), "the site has no {file}");
    }
    let mut pages = 0;
    for file in files_under(&out) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(&file).expect("reads the page");
        assert_escaped(&file.display().to_string(), &html);
        for link in links(&html) {
            if let Some(fragment) = link.strip_prefix('#') {
                let id = format!("id=\"{fragment}\"");
                assert!(html.contains(&id), "{}: no {id}", file.display());
                continue;
            }
            assert!(
                !link.starts_with('/') && !link.contains("://"),
                "{}: {link} is not relative",
                file.display()
            );
            let target = link.split(['#', '?']).next().unwrap_or_default();
            let resolved = file.parent().expect("in a folder").join(target);
            assert!(
                resolved.is_file(),
                "{}: {link} leads to no file",
                file.display()
            );
        }
    }
    assert!(pages >= 15, "only {pages} pages");
    let labels = std::fs::read_to_string(out.join("queries/labels.html")).expect("reads");
    assert!(labels.contains("id=\"answer\""), "answered when written");
    let against = std::fs::read_to_string(out.join("queries/orders-against.html")).expect("reads");
    assert!(against.contains("casegraph query orders-against --param"));
    assert!(
        !against.contains("class=\"parameters\""),
        "no form without a server"
    );
}

#[test]
fn a_site_replaces_the_site_it_wrote_whole() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let out = temp.path().join("site");
    for _ in 0..2 {
        casegraph("pages", &["site", "--out"])
            .arg(&out)
            .assert()
            .success();
        std::fs::write(out.join("stray.txt"), "left by hand").expect("writes");
    }
    casegraph("pages", &["site", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        !out.join("stray.txt").exists(),
        "the old site is replaced whole"
    );
    assert!(out.join("index.html").is_file());
    let left: Vec<_> = std::fs::read_dir(temp.path())
        .expect("reads")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("site")],
        "nothing left beside it"
    );
}

#[test]
fn a_site_refuses_a_folder_it_did_not_write_and_leaves_it_untouched() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let mine = temp.path().join("mine");
    std::fs::create_dir(&mine).expect("makes the folder");
    std::fs::write(mine.join("notes.txt"), "my notes").expect("writes");
    let output = casegraph("pages", &["site", "--out"])
        .arg(&mine)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds files that casegraph did not write"),
        "{stderr}"
    );
    let kept: Vec<_> = std::fs::read_dir(&mine)
        .expect("reads")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(kept, vec![std::ffi::OsString::from("notes.txt")]);
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).expect("reads"),
        "my notes"
    );
    assert_eq!(
        std::fs::read_dir(temp.path()).expect("reads").count(),
        1,
        "nothing written beside it"
    );
    // A file is refused too.
    let file = temp.path().join("mine/notes.txt");
    casegraph("pages", &["site", "--out"])
        .arg(&file)
        .assert()
        .code(2);
    // An empty folder is taken.
    let empty = temp.path().join("empty");
    std::fs::create_dir(&empty).expect("makes the folder");
    casegraph("pages", &["site", "--out"])
        .arg(&empty)
        .assert()
        .success();
    assert!(empty.join("index.html").is_file());
}

#[test]
fn without_graphviz_an_entity_page_lists_its_neighbours() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let out = temp.path().join("site");
    let output = casegraph("pages", &["site", "--out"])
        .arg(&out)
        .env("PATH", temp.path())
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Graphviz `dot` was not found"));
    assert!(!out.join("graph").exists());
    let order = std::fs::read_to_string(out.join("entity/Order1.html")).expect("reads");
    assert!(order.contains("Graphviz is not installed"));
    assert!(order.contains("href=\"../entity/Ministry.html\""));
}

/// The fixture is a case like any other: it passes `check`, so the pages are tested on data
/// that a curator could have written.
#[test]
fn the_pages_fixture_passes_check() {
    let output = casegraph("pages", &["check"]).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "0 errors, 0 warnings\n"
    );
    assert!(output.status.success());
}

/// `serve --store DIR` shows the same pages as `serve` on the files: every page and file
/// reachable from the home page, byte for byte.
#[cfg(feature = "rocksdb")]
#[test]
fn the_pages_are_the_same_from_an_on_disk_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let store = store.to_str().expect("UTF-8 path");
    let loaded = casegraph("pages", &["load", "--store", store])
        .output()
        .expect("runs");
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let from_files = Served::start(Some("pages"), &[]);
    let from_store = Served::start(Some("pages"), &["--store", store]);
    let mut seen = std::collections::BTreeSet::new();
    let mut to_visit = vec!["/".to_owned()];
    while let Some(path) = to_visit.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (a, b) = (from_files.get(&path, HTML), from_store.get(&path, HTML));
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert_eq!(
            (b.status, &b.content_type),
            (a.status, &a.content_type),
            "{path}"
        );
        assert_eq!(b.body, a.body, "{path} differs from the store");
        if a.content_type.starts_with("text/html") {
            for link in links(&a.body).into_iter().filter(|l| !l.starts_with('#')) {
                to_visit.push(link.split('#').next().unwrap_or_default().to_owned());
            }
        }
    }
    assert!(seen.len() > 20, "only {} pages and files", seen.len());
}
