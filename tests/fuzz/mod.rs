//! Bounded property tests (proptest): hostile input never aborts a parser and never makes a
//! writer produce output that the format's real consumer rejects.

mod parsers;
mod writers;
