//! The workers that run queries for the server: a fixed number of threads and a bounded queue.
//!
//! A connection's thread never evaluates a query itself. It hands the job to this pool and
//! waits; when every worker is busy and the queue is full, [`Pool::submit`] says so at once
//! and the server answers 503, so a burst of requests costs a bounded amount of memory and
//! CPU instead of a thread and a query each. Workers get a large stack, as the command line's
//! thread does: the SPARQL parser and evaluator recurse on nested queries.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};

/// The stack of each worker (the command line's thread has 256 MiB; queries over HTTP are
/// held to the same nesting limits, which need far less).
const WORKER_STACK_SIZE: usize = 64 * 1024 * 1024;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of worker threads and a bounded number of jobs waiting for them.
pub struct Pool {
    queue: Arc<Queue>,
    /// Jobs taken and not yet finished, running or waiting.
    admitted: Arc<AtomicUsize>,
    /// How many may be: the workers plus the queue.
    capacity: usize,
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

/// Every worker is busy and the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl Pool {
    /// Starts `workers` threads (at least one), with room for `queue` jobs waiting beyond those
    /// being run.
    pub fn new(workers: usize, queue: usize) -> std::io::Result<Self> {
        let workers = workers.max(1);
        // Unbounded as a queue, bounded by `admitted`: a count decides, not whether a worker
        // happens to be parked at the moment a job comes.
        let jobs = Arc::new(Queue::default());
        let admitted = Arc::new(AtomicUsize::new(0));
        for index in 0..workers {
            let jobs = Arc::clone(&jobs);
            let admitted = Arc::clone(&admitted);
            std::thread::Builder::new()
                .name(format!("casegraph-query-{index}"))
                .stack_size(WORKER_STACK_SIZE)
                .spawn(move || work(&jobs, &admitted))?;
        }
        Ok(Self {
            queue: jobs,
            admitted,
            capacity: workers + queue,
        })
    }

    /// Queues `job`, or answers [`Busy`] without waiting when the workers and the queue are
    /// full.
    pub fn submit(&self, job: impl FnOnce() + Send + 'static) -> Result<(), Busy> {
        let taken = self
            .admitted
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.capacity).then_some(n + 1)
            });
        if taken.is_err() {
            return Err(Busy);
        }
        self.queue.lock().jobs.push_back(Box::new(job));
        self.queue.ready.notify_one();
        Ok(())
    }

    /// Runs `job` on a worker and waits for its value; [`Busy`] when it cannot be queued.
    pub fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (sender, receiver) = mpsc::sync_channel(1);
        self.submit(move || {
            // The waiting side may be gone (its client hung up): nothing to do then.
            let _ = sender.send(job());
        })?;
        // A worker that panicked drops the sender: report it as busy rather than hang.
        receiver.recv().map_err(|_| Busy)
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.queue.lock().closed = true;
        self.queue.ready.notify_all();
    }
}

fn work(queue: &Queue, admitted: &AtomicUsize) {
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
        admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[test]
    fn answers_busy_when_workers_and_queue_are_full() {
        let pool = Pool::new(1, 1).expect("pool");
        let started = Arc::new(Barrier::new(2));
        let release = Arc::new(Barrier::new(2));
        {
            let (started, release) = (Arc::clone(&started), Arc::clone(&release));
            pool.submit(move || {
                started.wait();
                release.wait();
            })
            .expect("the worker takes the first job");
        }
        started.wait();
        pool.submit(|| {}).expect("the queue holds the second");
        assert_eq!(pool.submit(|| {}), Err(Busy), "a third has no room");
        release.wait();
        // Both admitted jobs finish; then there is room again.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while pool.admitted.load(Ordering::SeqCst) > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the jobs never finished"
            );
            std::thread::yield_now();
        }
        assert_eq!(pool.run(|| 7), Ok(7));
    }

    #[test]
    fn every_job_from_many_threads_runs_once() {
        let pool = Arc::new(Pool::new(2, 1000).expect("pool"));
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
        let pool = Pool::new(1, 4).expect("pool");
        assert_eq!(pool.run(|| -> u8 { panic!("boom") }), Err(Busy));
        assert_eq!(pool.run(|| 1).expect("the worker survived"), 1);
    }
}
