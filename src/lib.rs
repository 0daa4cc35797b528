//! casegraph: build, query, check and draw sourced knowledge graphs of news cases.
//!
//! A case is a folder with `ontology/`, `data/` and `queries/`. [`CaseStore::load`] reads it into
//! an embedded Oxigraph store; [`query::run`] evaluates SPARQL on it; [`export::write`] writes it
//! as RDF or as a drawing. The library never prints: the `casegraph` binary does.
#![deny(missing_docs)]

pub mod case;
pub mod check;
pub mod error;
pub mod export;
pub mod format;
pub mod graph;
pub mod query;
pub mod rdf;
pub mod remote;
pub mod server;
pub mod store;
pub mod warning;

pub use case::Case;
pub use error::{Error, Result};
pub use store::{CaseStore, Scope};
pub use warning::Warning;
