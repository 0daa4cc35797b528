//! RDF building blocks every other part uses: the case's prefixes, reading one Turtle term, and
//! the canonical order of quads.

pub mod order;
pub mod prefixes;
pub mod term;
