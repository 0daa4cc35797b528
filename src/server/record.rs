//! Which requests the server has seen answered well within their time limit: those run on the
//! connection's thread, every other on a worker.
//!
//! The case does not change while it is served, so the same request (the same query, dataset,
//! parameters and format) does the same work every time. A request answered fast once (within
//! a tenth of its limit and within [`FAST`]) will end long before its limit again, and so does
//! not need what a worker
//! gives: an answer at the limit even when Oxigraph is slow to cancel (it looks at its
//! cancellation token only when it reads the store, and a cross product counted from memory can
//! run on for seconds). Those run where they arrived, with no hand-off between threads, which
//! is what Oxigraph's own server does with every query. A request never seen, or seen to be
//! slow, goes to a worker, which answers its client at the limit whatever Oxigraph is doing.
//! Should one of the fast ever pass its limit, it is struck off.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

/// A request, as a keyed hash of what decides its work (a random key: a client cannot make
/// a slow request collide with a fast one on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u64);

/// The requests answered in less than this share of their time limit count as fast...
const FAST_SHARE: u32 = 10;

/// ...and in less than this. Fast requests do not wait for a worker (see
/// [`super::admission`]): even the queue's worth of them at once is a few seconds of work.
pub const FAST: Duration = Duration::from_millis(100);

/// The most requests remembered; past it the record starts afresh (each forgotten request
/// costs one more trip to a worker), so its memory stays bounded.
const MOST: usize = 4096;

/// The requests seen answered fast.
#[derive(Default)]
pub struct Record {
    fast: RwLock<HashSet<Key>>,
    keys: RandomState,
}

impl Record {
    /// The key of a request made of `parts` (each part counts with its length, so that
    /// `("ab", "c")` and `("a", "bc")` differ).
    pub fn key(&self, parts: &[&str]) -> Key {
        Key(self.keys.hash_one(parts))
    }

    /// Whether `key` was answered fast before.
    pub fn is_fast(&self, key: Key) -> bool {
        self.fast
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&key)
    }

    /// `key` took `took` under a time limit of `limit`: remembered as fast (when `may_inline`
    /// says it may run on a connection's thread at all; asked only then) or struck off.
    pub fn answered(
        &self,
        key: Key,
        took: Duration,
        limit: Duration,
        may_inline: impl FnOnce() -> bool,
    ) {
        let fast = took * FAST_SHARE < limit && took < FAST;
        if fast == self.is_fast(key) {
            return; // The common case, under a read lock only.
        }
        if fast && !may_inline() {
            return;
        }
        let mut known = self.fast.write().unwrap_or_else(PoisonError::into_inner);
        if fast {
            if known.len() >= MOST {
                known.clear();
            }
            known.insert(key);
        } else {
            known.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_fast_once_answered_within_a_tenth_of_its_limit_and_until_it_is_slow() {
        let record = Record::default();
        let limit = Duration::from_secs(10);
        let key = record.key(&["/sparql", "ASK {}"]);
        assert!(!record.is_fast(key), "never seen");
        record.answered(key, Duration::from_secs(2), limit, || true);
        assert!(!record.is_fast(key), "a fifth of the limit is not fast");
        record.answered(key, Duration::from_millis(500), limit, || true);
        assert!(!record.is_fast(key), "over FAST is not fast");
        record.answered(key, Duration::from_millis(3), limit, || false);
        assert!(!record.is_fast(key), "fast, but not to run inline");
        record.answered(key, Duration::from_millis(3), limit, || true);
        assert!(record.is_fast(key));
        assert!(
            !record.is_fast(record.key(&["/sparql", "ASK {", "}"])),
            "the parts count apart"
        );
        record.answered(key, limit, limit, || unreachable!("asked only to remember"));
        assert!(!record.is_fast(key), "struck off once slow");
    }

    #[test]
    fn its_memory_is_bounded() {
        let record = Record::default();
        let limit = Duration::from_secs(1);
        for n in 0..(MOST * 3) {
            record.answered(record.key(&[&n.to_string()]), Duration::ZERO, limit, || {
                true
            });
        }
        assert!(record.fast.read().expect("lock").len() <= MOST);
    }
}
