//! casegraph: build, query, check and draw sourced knowledge graphs of news cases.
//!
//! A case is a folder with `ontology/`, `data/` and `queries/`. [`CaseStore::load`] reads it into
//! an embedded Oxigraph store; [`query::run`] evaluates SPARQL on it; [`export::write`] writes it
//! as RDF or as a drawing. The library never prints: the `casegraph` binary does.
#![deny(missing_docs)]

pub mod check;
pub mod error;
pub mod export;
pub mod graph;
pub mod load;
pub mod order;
pub mod path;
pub mod persist;
pub mod prefixes;
pub mod project;
pub mod query;
pub mod render;
pub mod statements;
pub mod stats;
pub mod store;
pub mod term;
pub mod warning;

pub use error::{Error, Result};
pub use project::Case;
pub use store::{CaseStore, Scope};
pub use warning::Warning;
