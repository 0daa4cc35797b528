//! The queries the server has parsed, to run again without parsing: for a small query, parsing
//! (with the case's prefixes, and the checks before Oxigraph's parser) cost as much as
//! evaluating it.

use crate::query::{Parsed, QueryText};
use crate::store::CaseStore;
use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// The most queries kept; past it the cache starts afresh, so its memory stays bounded.
const MOST: usize = 256;

/// Query texts longer than this are parsed every time rather than kept.
const LONGEST: usize = 16 * 1024;

/// Parsed queries by their text.
#[derive(Default)]
pub struct ParsedQueries {
    by_text: RwLock<HashMap<String, Parsed>>,
}

impl ParsedQueries {
    /// `query` parsed with the prefixes of `store` (every query of the server runs on the one
    /// store): from the cache, or parsed and kept. A query that does not parse is not kept.
    pub fn get(&self, query: &QueryText, store: &CaseStore) -> crate::error::Result<Parsed> {
        let kept = self
            .by_text
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(query.text.as_str())
            .filter(|parsed| parsed.name() == query.name)
            .cloned();
        if let Some(parsed) = kept {
            return Ok(parsed);
        }
        let parsed = Parsed::new(query, store)?;
        if query.text.len() <= LONGEST {
            let mut kept = self.by_text.write().unwrap_or_else(PoisonError::into_inner);
            if kept.len() >= MOST {
                kept.clear();
            }
            kept.insert(query.text.clone(), parsed.clone());
        }
        Ok(parsed)
    }
}
