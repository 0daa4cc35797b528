//! Pages for people: the case, its entities, sources, timeline and disagreements, a query
//! editor and the named queries, rendered on the server as plain HTML (JavaScript only to
//! enhance, nothing fetched from outside).
//!
//! The same pages are written as static files by `casegraph site` ([`Links::Site`]).

use crate::error::Result;
use crate::query::NamedQuery;
use crate::store::CaseStore;
use std::sync::Arc;

/// A page, as a path names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/`: the case, its sources and counts.
    Home,
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

impl Page {
    /// The page at `path` with query-string `params`; `None` when there is none.
    pub fn from_path(path: &str, _params: &[(String, String)]) -> Option<Self> {
        match path {
            "/" | "/index.html" => Some(Self::Home),
            _ => None,
        }
    }
}

/// How pages link to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Absolute paths on the server (`/entity/Hikvision`).
    Server,
    /// Relative links between static files, from a page `depth` folders below the site's root.
    Site {
        /// Folders between the page and the root.
        depth: usize,
    },
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
}

impl Pages {
    /// Pages over `store` and `queries`.
    pub fn new(store: Arc<CaseStore>, queries: Arc<Vec<NamedQuery>>) -> Self {
        Self { store, queries }
    }

    /// Renders `page`; `None` when it names nothing the case has.
    pub fn render(&self, page: &Page, _links: Links) -> Result<Option<Rendered>> {
        let _ = (&self.store, &self.queries);
        match page {
            Page::Home => Ok(Some(Rendered {
                content_type: "text/html; charset=utf-8",
                body: b"<!doctype html><title>casegraph</title><p>casegraph</p>\n".to_vec(),
            })),
            _ => Ok(None),
        }
    }
}
