//! casegraph's integration tests: one target, a module per area (as ripgrep's `tests/tests.rs`).
//! Every test drives the real binary on a fixture case, except the property tests in `fuzz`,
//! which call the writers in-process, and `layouts`, which compares stores of fewer graphs with
//! the store of every graph in-process (the binary loads only the first kind for a query).

mod common;

mod base_iri;
mod check;
mod cli;
mod fuzz;
mod graph_formats;
mod layouts;
mod new_case;
mod pages;
mod positions;
mod queries;
mod regression;
mod remote;
mod server;
mod shacl_suite;
mod store;
