//! RDF building blocks every other part uses: the case's prefixes, reading one Turtle term, and
//! the canonical order of quads, with quads held compactly to be sorted in it.

pub mod order;
pub mod prefixes;
pub mod sorted;
pub mod term;
