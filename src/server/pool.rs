//! The workers that run, for the server, the requests it has not yet seen answered in time: a
//! fixed number of threads.
//!
//! A request whose work goes to a worker can be answered at its time limit whatever the worker
//! is doing (Oxigraph is slow to cancel some queries); see [`super::record`] for which ones go
//! here. The pool has no bound of its own: the server's [`super::admission::Gate`] lets no
//! more jobs in than there are workers. Workers get a large stack, as the command line's
//! thread does: the SPARQL parser and evaluator recurse on nested queries.

use std::collections::VecDeque;
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};

/// The stack of each worker (the command line's thread has 256 MiB; queries over HTTP are
/// held to the same nesting limits, which need far less).
const WORKER_STACK_SIZE: usize = 64 * 1024 * 1024;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of worker threads and the jobs waiting for them.
pub struct Pool {
    queue: Arc<Queue>,
}

/// The jobs waiting for a worker. A job wakes one idle worker and only that one (a channel
/// shared behind a mutex woke a second worker on every job, just to wait for the next).
#[derive(Default)]
struct Queue {
    jobs: Mutex<Waiting>,
    ready: Condvar,
}

#[derive(Default)]
struct Waiting {
    jobs: VecDeque<Job>,
    /// The pool is gone: workers stop once the queue is empty.
    closed: bool,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Waiting> {
        // Nothing that holds the lock can panic; carry on with the state if one did.
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The job panicked: it has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panicked;

impl Pool {
    /// Starts `workers` threads (at least one).
    pub fn new(workers: usize) -> std::io::Result<Self> {
        let jobs = Arc::new(Queue::default());
        for index in 0..workers.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("casegraph-query-{index}"))
                .stack_size(WORKER_STACK_SIZE)
                .spawn(move || work(&jobs))?;
        }
        Ok(Self { queue: jobs })
    }

    /// Queues `job` for the next free worker.
    pub fn submit(&self, job: impl FnOnce() + Send + 'static) {
        self.queue.lock().jobs.push_back(Box::new(job));
        self.queue.ready.notify_one();
    }

    /// Runs `job` on a worker and waits for its value.
    pub fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Panicked> {
        let (sender, receiver) = mpsc::sync_channel(1);
        self.submit(move || {
            // The waiting side may be gone (its client hung up): nothing to do then.
            let _ = sender.send(job());
        });
        // A job that panicked drops the sender.
        receiver.recv().map_err(|_| Panicked)
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.queue.lock().closed = true;
        self.queue.ready.notify_all();
    }
}

fn work(queue: &Queue) {
    loop {
        // The lock is held only to take one job, never while running it.
        let job = {
            let mut waiting = queue.lock();
            loop {
                if let Some(job) = waiting.jobs.pop_front() {
                    break job;
                }
                if waiting.closed {
                    return; // The pool is gone.
                }
                waiting = queue.ready.wait(waiting).unwrap_or_else(|p| p.into_inner());
            }
        };
        // A panicking job must not take the worker with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_job_from_many_threads_runs_once() {
        let pool = Arc::new(Pool::new(2).expect("pool"));
        let done = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (pool, done) = (Arc::clone(&pool), Arc::clone(&done));
                std::thread::spawn(move || {
                    for i in 0..100 {
                        let done = Arc::clone(&done);
                        let value = pool.run(move || {
                            done.fetch_add(1, Ordering::SeqCst);
                            t * 1000 + i
                        });
                        assert_eq!(value, Ok(t * 1000 + i));
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no panic");
        }
        assert_eq!(done.load(Ordering::SeqCst), 800);
    }

    #[test]
    fn a_panicking_job_leaves_the_worker_running() {
        let pool = Pool::new(1).expect("pool");
        assert_eq!(pool.run(|| -> u8 { panic!("boom") }), Err(Panicked));
        assert_eq!(pool.run(|| 1).expect("the worker survived"), 1);
    }
}
