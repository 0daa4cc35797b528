//! Admission: how many requests' work the server takes on at once, and when it refuses.
//!
//! A [`Gate`] counts the requests being worked on, running or waiting for a worker, and refuses
//! one past `workers + queue` at once ([`Busy`], which the server answers with 503), so a burst
//! costs a bounded amount of memory and CPU instead of a thread and a query each. Entering and
//! leaving is one atomic update each, with no lock and no system call: this is on the path of
//! every query.
//!
//! How many run at once is for the [`super::pool::Pool`] to say (as many as it has workers):
//! a request the server has seen answered fast runs on its connection's thread without waiting
//! for one (see [`super::record`]). Making those wait for a worker's turn too cost a sleep and
//! a wake-up on a condition variable per request under load (16 clients on two cores: every
//! request past the second waited), and halved the throughput of a small query.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Every worker is busy and the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Counts the requests being worked on, and refuses those past its capacity.
pub struct Gate {
    admitted: AtomicUsize,
    capacity: usize,
}

/// A request's place at the gate, given back when dropped.
pub struct Permit {
    gate: Arc<Gate>,
}

impl Gate {
    /// A gate taking `workers` (at least one) requests and `queue` more.
    pub fn new(workers: usize, queue: usize) -> Arc<Self> {
        Arc::new(Self {
            admitted: AtomicUsize::new(0),
            capacity: workers.max(1).saturating_add(queue),
        })
    }

    /// How many requests hold a place now.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }

    /// A place for the caller, or [`Busy`] without waiting when the gate is full.
    pub fn enter(self: &Arc<Self>) -> Result<Permit, Busy> {
        self.admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.capacity).then_some(n + 1)
            })
            .map_err(|_| Busy)?;
        Ok(Permit {
            gate: Arc::clone(self),
        })
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.gate.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_its_capacity_it_refuses_until_a_place_is_given_back() {
        let gate = Gate::new(1, 1);
        let first = gate.enter().expect("a place");
        let second = gate.enter().expect("a place in the queue");
        assert!(matches!(gate.enter(), Err(Busy)));
        drop(first);
        let third = gate.enter().expect("the freed place");
        assert_eq!(gate.admitted(), 2);
        drop((second, third));
        assert_eq!(gate.admitted(), 0);
    }

    #[test]
    fn places_taken_and_given_back_from_many_threads_add_up() {
        let gate = Gate::new(2, 6);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let gate = Arc::clone(&gate);
                std::thread::spawn(move || {
                    for _ in 0..5000 {
                        // Eight threads and eight places: never refused.
                        let _permit = gate.enter().expect("a place for each thread");
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no panic");
        }
        assert_eq!(gate.admitted(), 0, "every place was given back");
    }
}
