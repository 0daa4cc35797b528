//! Pages for people: the case, its entities, sources, timeline and disagreements, a query
//! editor and the named queries, rendered on the server as plain HTML (JavaScript only to
//! enhance, nothing fetched from outside).
//!
//! Every page comes from an askama template under `templates/`, which escapes each value for
//! HTML (text and quoted attributes alike); links are made by [`links`], which encodes what
//! they carry. The same pages are written as static files by `casegraph site`
//! ([`Links::Site`], [`site`]).

mod claims;
mod disagreements;
mod entities;
mod entity;
mod home;
mod index;
mod links;
mod queries;
mod search;
pub mod site;
mod source;
mod timeline;
mod view;

pub use links::Links;

use crate::error::{Error, Result};
use crate::query::limits::TimeLimit;
use crate::query::NamedQuery;
use crate::store::CaseStore;
use index::{Index, Kind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use view::Ctx;

/// A page, as a path names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/`: the case, its sources and counts.
    Home,
    /// `/entity/NAME`: an entity or event.
    Entity {
        /// The last part of its path.
        slug: String,
    },
    /// `/source/NAME`: a source article.
    Source {
        /// The last part of its path.
        slug: String,
    },
    /// `/graph/NAME.svg`: an entity's neighbourhood, drawn.
    Graph {
        /// The entity's slug.
        slug: String,
    },
    /// `/timeline`: the dated events.
    Timeline,
    /// `/disagreements`: where the articles disagree.
    Disagreements,
    /// `/entities`: every entity and event.
    Entities,
    /// `/search?q=TEXT`: entities by name.
    Search {
        /// The text searched for.
        text: String,
    },
    /// `/assets/NAME`: the style sheet and the script.
    Asset {
        /// The file name.
        name: String,
    },
    /// `/sparql` from a browser: the query editor, with the answer to `text` when given.
    Query {
        /// The query to run.
        text: Option<String>,
    },
    /// `/queries` from a browser: the named queries.
    Queries,
    /// `/queries/NAME` from a browser: a named query's form and answer.
    NamedQuery {
        /// Its name.
        name: String,
        /// The parameters given.
        params: Vec<(String, String)>,
    },
}

/// The files the pages use, served by casegraph itself.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("assets/style.css"),
    ),
    ("icon.svg", "image/svg+xml", include_str!("assets/icon.svg")),
    (
        "pages.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/pages.js"),
    ),
];

const HTML: &str = "text/html; charset=utf-8";

impl Page {
    /// The page at `path` with query-string `params`; `None` when there is none.
    pub fn from_path(path: &str, params: &[(String, String)]) -> Option<Self> {
        let slug = |rest: &str| (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned());
        Some(match path {
            "/" | "/index.html" => Self::Home,
            "/timeline" => Self::Timeline,
            "/disagreements" => Self::Disagreements,
            "/entities" => Self::Entities,
            "/search" => Self::Search {
                text: params
                    .iter()
                    .find(|(k, _)| k == "q")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            },
            _ => {
                if let Some(rest) = path.strip_prefix("/entity/") {
                    Self::Entity { slug: slug(rest)? }
                } else if let Some(rest) = path.strip_prefix("/source/") {
                    Self::Source { slug: slug(rest)? }
                } else if let Some(rest) = path.strip_prefix("/graph/") {
                    Self::Graph {
                        slug: slug(rest.strip_suffix(".svg")?)?,
                    }
                } else if let Some(rest) = path.strip_prefix("/assets/") {
                    Self::Asset { name: slug(rest)? }
                } else {
                    return None;
                }
            }
        })
    }
}

/// A rendered page or asset.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Its media type.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: Vec<u8>,
}

/// What renders the pages: the loaded case and its named queries.
#[derive(Clone)]
pub struct Pages {
    store: Arc<CaseStore>,
    queries: Arc<Vec<NamedQuery>>,
    timeout: TimeLimit,
    /// Graphviz's `dot`, which draws the neighbourhoods, when it is installed.
    dot: Option<PathBuf>,
    /// Read from the store on first use (the store does not change while it is served).
    index: Arc<Mutex<Option<Arc<Index>>>>,
    /// Neighbourhoods already drawn, by slug: Graphviz runs once per entity, not per request.
    drawings: Arc<Mutex<Drawings>>,
}

/// The most bytes of drawings [`Pages`] keeps (16 MiB): past it, a drawing is made for each
/// request and not kept, so that memory stays bounded on a case with very many entities.
pub const DRAWINGS_KEPT: usize = 16 << 20;

/// Drawn neighbourhoods, up to [`DRAWINGS_KEPT`] bytes in all.
#[derive(Debug, Default)]
struct Drawings {
    by_slug: std::collections::HashMap<String, Arc<Vec<u8>>>,
    bytes: usize,
}

impl Drawings {
    fn get(&self, slug: &str) -> Option<Arc<Vec<u8>>> {
        self.by_slug.get(slug).cloned()
    }

    fn keep(&mut self, slug: &str, svg: Arc<Vec<u8>>) {
        if self.bytes + svg.len() <= DRAWINGS_KEPT && !self.by_slug.contains_key(slug) {
            self.bytes += svg.len();
            self.by_slug.insert(slug.to_owned(), svg);
        }
    }
}

impl Pages {
    /// Pages over `store` and `queries`, whose queries stop after the server's default time
    /// limit.
    pub fn new(store: Arc<CaseStore>, queries: Arc<Vec<NamedQuery>>) -> Self {
        Self {
            store,
            queries,
            timeout: TimeLimit::parse(crate::server::DEFAULT_TIMEOUT).expect("a valid default"),
            dot: crate::export::render::find_dot(),
            index: Arc::default(),
            drawings: Arc::default(),
        }
    }

    /// The same pages, whose queries stop after `timeout`.
    pub fn with_timeout(mut self, timeout: TimeLimit) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same pages, drawing neighbourhoods with `dot` (`None`: listing them instead).
    pub fn with_dot(mut self, dot: Option<PathBuf>) -> Self {
        self.dot = dot;
        self
    }

    /// Whether entity pages draw their neighbourhood (Graphviz is installed).
    pub fn draws(&self) -> bool {
        self.dot.is_some()
    }

    fn drawings(&self) -> std::sync::MutexGuard<'_, Drawings> {
        self.drawings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn index(&self) -> Result<Arc<Index>> {
        let mut slot = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = &*slot {
            return Ok(Arc::clone(index));
        }
        let index = Arc::new(Index::build(&self.store)?);
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    /// Renders `page`; `None` when it names nothing the case has.
    pub fn render(&self, page: &Page, links: Links) -> Result<Option<Rendered>> {
        if let Page::Asset { name } = page {
            return Ok(ASSETS.iter().find(|(file, _, _)| file == name).map(
                |(_, content_type, body)| Rendered {
                    content_type,
                    body: body.as_bytes().to_vec(),
                },
            ));
        }
        let index = self.index()?;
        let ctx = Ctx {
            store: &self.store,
            index: &index,
            prefixes: self.store.prefixes(),
            links,
        };
        let html = |template: &dyn askama::DynTemplate| {
            template
                .dyn_render()
                .map(|body| {
                    Some(Rendered {
                        content_type: HTML,
                        body: body.into_bytes(),
                    })
                })
                .map_err(|source| Error::Page {
                    page: format!("{page:?}"),
                    source,
                })
        };
        match page {
            Page::Home => html(&home::page(&ctx)?),
            Page::Entity { slug } => match index.by_slug(slug, Kind::Entity) {
                Some(entry) => html(&entity::page(&ctx, entry, self.dot.is_some())?),
                None => Ok(None),
            },
            Page::Source { slug } => match index.by_slug(slug, Kind::Source) {
                Some(entry) => html(&source::page(&ctx, entry)?),
                None => Ok(None),
            },
            Page::Graph { slug } => match (index.by_slug(slug, Kind::Entity), &self.dot) {
                (Some(entry), Some(dot)) => {
                    let kept = self.drawings().get(slug);
                    let svg = match kept {
                        Some(svg) => svg,
                        None => {
                            let svg = Arc::new(entity::drawing(&ctx, entry, dot)?);
                            self.drawings().keep(slug, Arc::clone(&svg));
                            svg
                        }
                    };
                    Ok(Some(Rendered {
                        content_type: "image/svg+xml",
                        body: svg.as_ref().clone(),
                    }))
                }
                _ => Ok(None),
            },
            Page::Timeline => html(&timeline::page(&ctx)?),
            Page::Disagreements => html(&disagreements::page(&ctx)?),
            Page::Entities => html(&entities::page(&ctx, None)),
            Page::Search { text } if text.trim().is_empty() => html(&entities::page(&ctx, None)),
            Page::Search { text } => html(&entities::page(&ctx, Some(text))),
            Page::Query { text } => html(&queries::editor(&ctx, text.as_deref(), self.timeout)),
            Page::Queries => html(&queries::list(&ctx, &self.queries)),
            Page::NamedQuery { name, params } => {
                match queries::named(&ctx, &self.queries, name, params, self.timeout)? {
                    Some(page) => html(&page),
                    None => Ok(None),
                }
            }
            // Answered above, without the index.
            Page::Asset { .. } => Ok(None),
        }
    }

    /// Every page of a static site, with the file it is written to (relative to the site's
    /// root). Pages that need a server (the query editor, a search's answer, a named query
    /// run with parameters) have none; the named queries are answered when the site is written.
    pub fn site_pages(&self) -> Result<Vec<(String, Page)>> {
        let index = self.index()?;
        let mut pages = vec![
            ("index.html".to_owned(), Page::Home),
            ("timeline.html".to_owned(), Page::Timeline),
            ("disagreements.html".to_owned(), Page::Disagreements),
            ("entities.html".to_owned(), Page::Entities),
            ("queries/index.html".to_owned(), Page::Queries),
        ];
        for (name, _, _) in ASSETS {
            pages.push((
                format!("assets/{name}"),
                Page::Asset {
                    name: (*name).to_owned(),
                },
            ));
        }
        for entry in &index.entries {
            let slug = entry.slug.clone();
            match entry.kind {
                Kind::Source => pages.push((format!("source/{slug}.html"), Page::Source { slug })),
                Kind::Entity => {
                    if self.dot.is_some() {
                        pages.push((
                            format!("graph/{slug}.svg"),
                            Page::Graph { slug: slug.clone() },
                        ));
                    }
                    pages.push((format!("entity/{slug}.html"), Page::Entity { slug }));
                }
            }
        }
        for query in self.queries.iter() {
            if links::is_file_name(&query.name) {
                pages.push((
                    format!("queries/{}.html", query.name),
                    Page::NamedQuery {
                        name: query.name.clone(),
                        params: Vec::new(),
                    },
                ));
            }
        }
        Ok(pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Case;
    use crate::store::Dataset;
    use std::os::unix::fs::PermissionsExt;

    /// A `dot` that draws a fixed SVG and counts how often it runs.
    fn counting_dot(dir: &std::path::Path) -> (PathBuf, PathBuf) {
        let calls = dir.join("calls");
        let dot = dir.join("dot");
        std::fs::write(
            &dot,
            format!(
                "#!/bin/sh\ncat >/dev/null\necho run >> '{}'\necho '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'\n",
                calls.display()
            ),
        )
        .expect("write the script");
        std::fs::set_permissions(&dot, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        (dot, calls)
    }

    #[test]
    fn a_neighbourhood_is_drawn_once_and_then_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (dot, calls) = counting_dot(dir.path());
        let case = Case::open(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages"),
        )
        .expect("fixture");
        let store = CaseStore::load_for_queries(&case, Dataset::default(), None).expect("loads");
        let pages = Pages::new(Arc::new(store), Arc::new(Vec::new())).with_dot(Some(dot));
        let slugs: Vec<String> = pages
            .index()
            .expect("index")
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Entity)
            .map(|e| e.slug.clone())
            .take(2)
            .collect();
        assert_eq!(slugs.len(), 2, "the fixture has entities");
        let draw = |slug: &str| {
            let page = Page::Graph {
                slug: slug.to_owned(),
            };
            let drawn = pages.render(&page, Links::Server).expect("renders");
            let drawn = drawn.expect("an entity of the case");
            assert_eq!(drawn.content_type, "image/svg+xml");
            assert!(String::from_utf8_lossy(&drawn.body).contains("<svg"));
        };
        let runs = || {
            std::fs::read_to_string(&calls)
                .unwrap_or_default()
                .lines()
                .count()
        };
        draw(&slugs[0]);
        draw(&slugs[0]);
        draw(&slugs[0]);
        assert_eq!(runs(), 1, "Graphviz ran once for three requests");
        draw(&slugs[1]);
        assert_eq!(runs(), 2, "another entity is drawn");
    }

    #[test]
    fn kept_drawings_are_bounded() {
        let mut kept = Drawings::default();
        kept.keep("a", Arc::new(vec![0; DRAWINGS_KEPT - 10]));
        kept.keep("b", Arc::new(vec![0; 11]));
        assert!(kept.get("a").is_some());
        assert!(kept.get("b").is_none(), "past the bound, not kept");
        kept.keep("c", Arc::new(vec![0; 10]));
        assert!(kept.get("c").is_some(), "up to the bound, kept");
        assert_eq!(kept.bytes, DRAWINGS_KEPT);
    }
}
