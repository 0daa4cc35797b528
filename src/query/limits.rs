//! How long a query may run: the time limit's text form, and the timer that cancels a query.
//!
//! A query over a cross product of unrelated patterns (`{?a ?b ?c. ?d ?e ?f. ?g ?h ?i}`) never
//! ends on a real case. Oxigraph checks a [`CancellationToken`] as it reads the store; a timer
//! thread (one for the whole process) cancels the token when the limit passes, and evaluation
//! stops with an error, so nothing is left running on an abandoned thread.

use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// A time limit as written on the command line: `500ms`, `10s`, `2m`, `1h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeLimit(Duration);

impl TimeLimit {
    /// The limit as a duration.
    pub fn duration(self) -> Duration {
        self.0
    }

    /// Reads `500ms`, `10s`, `2m` or `1h`: a whole number greater than 0 and a unit, nothing else.
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        let (number, unit) = text.split_at(digits);
        let bad = || {
            format!("`{text}` is not a duration: write a whole number and a unit, e.g. 500ms, 10s, 2m or 1h")
        };
        let number: u64 = number.parse().map_err(|_| bad())?;
        let duration = match unit {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number.checked_mul(60).ok_or_else(bad)?),
            "h" => Duration::from_secs(number.checked_mul(3600).ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        if duration.is_zero() {
            return Err(format!("`{text}`: the time limit must be more than 0"));
        }
        Ok(Self(duration))
    }
}

impl std::str::FromStr for TimeLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse(text)
    }
}

impl fmt::Display for TimeLimit {
    /// In the largest unit that divides the limit exactly, as it was most likely written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.as_millis();
        match millis {
            m if m % 3_600_000 == 0 => write!(f, "{}h", m / 3_600_000),
            m if m % 60_000 == 0 => write!(f, "{}m", m / 60_000),
            m if m % 1000 == 0 => write!(f, "{}s", m / 1000),
            m => write!(f, "{m}ms"),
        }
    }
}

/// A timer that cancels a token when its limit passes, unless it is dropped first.
///
/// Every deadline of the process is kept by one timer thread, started with the first: a server
/// answering thousands of queries a second would spend more on starting and joining a thread per
/// query than on the queries. Dropping a deadline takes it off the timer's list at once.
pub(crate) struct Deadline {
    /// Its key in the timer's list: kept here, so that dropping it is one removal.
    key: (Instant, u64),
}

/// The deadlines not yet passed or dropped, and the thread that watches them.
struct Timer {
    state: Mutex<Pending>,
    changed: Condvar,
}

/// Tells deadlines at the same instant apart.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

#[derive(Default)]
struct Pending {
    /// By when, then id: the first entry is the next to pass.
    by_time: BTreeMap<(Instant, u64), CancellationToken>,
    /// When the timer thread wakes next by itself (`None`: only when told). A new deadline
    /// wakes it only when it comes before that: at a constant limit, it seldom does, so that
    /// starting a deadline is mostly a lock and two inserts, no system call.
    wakes_at: Option<Instant>,
}

static TIMER: OnceLock<std::io::Result<&'static Timer>> = OnceLock::new();

fn timer() -> std::io::Result<&'static Timer> {
    let started = TIMER.get_or_init(|| {
        let timer: &'static Timer = Box::leak(Box::new(Timer {
            state: Mutex::new(Pending::default()),
            changed: Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("casegraph-timeout".to_owned())
            .spawn(move || timer.watch())
            .map(|_| timer)
    });
    match started {
        Ok(timer) => Ok(timer),
        Err(e) => Err(std::io::Error::new(e.kind(), e.to_string())),
    }
}

impl Timer {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // Nothing that holds the lock can panic; carry on with the state if one did.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Cancels each token whose deadline passes; sleeps until the next one (or a change).
    fn watch(&self) {
        let mut pending = self.lock();
        loop {
            let now = Instant::now();
            while let Some(entry) = pending.by_time.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                entry.remove().cancel();
            }
            pending.wakes_at = pending.by_time.keys().next().map(|(when, _)| *when);
            pending = match pending.wakes_at {
                Some(when) => {
                    let wait = when.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(pending, wait)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
                None => self
                    .changed
                    .wait(pending)
                    .unwrap_or_else(|p| p.into_inner()),
            };
        }
    }
}

impl Deadline {
    /// Starts the timer. Fails only when the system cannot start the timer thread.
    pub(crate) fn start(limit: Duration, token: CancellationToken) -> std::io::Result<Self> {
        let timer = timer()?;
        let key = (
            Instant::now() + limit,
            NEXT_ID.fetch_add(1, Ordering::Relaxed),
        );
        let when = key.0;
        // The lock is held for one insertion: every query of a busy server comes here.
        let mut pending = timer.lock();
        pending.by_time.insert(key, token);
        // A deadline dropped before it passed leaves the thread to wake for nothing: it then
        // sleeps on until the next, so that this check stays right.
        let sooner = pending.wakes_at.is_none_or(|wakes| when < wakes);
        drop(pending);
        if sooner {
            timer.changed.notify_one();
        }
        Ok(Self { key })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        // The timer exists: this deadline was made by it.
        if let Ok(timer) = timer() {
            timer.lock().by_time.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_unit_and_writes_it_back() {
        for text in ["500ms", "10s", "2m", "1h", "1500ms"] {
            assert_eq!(TimeLimit::parse(text).expect(text).to_string(), text);
        }
        assert_eq!(TimeLimit::parse("120s").expect("120s").to_string(), "2m");
    }

    #[test]
    fn a_deadline_cancels_its_token_when_it_passes_and_not_once_dropped() {
        let passes = CancellationToken::new();
        let dropped = CancellationToken::new();
        let _kept = Deadline::start(Duration::from_millis(50), passes.clone()).expect("timer");
        drop(Deadline::start(Duration::from_millis(10), dropped.clone()).expect("timer"));
        let until = Instant::now() + Duration::from_secs(10);
        while !passes.is_cancelled() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(passes.is_cancelled(), "the deadline passed");
        assert!(
            !dropped.is_cancelled(),
            "a dropped deadline cancels nothing"
        );
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "",
            "10",
            "s",
            "1.5s",
            "-1s",
            " 10s",
            "10 s",
            "10sec",
            "0s",
            "99999999999999999999h",
        ] {
            assert!(TimeLimit::parse(text).is_err(), "{text:?} accepted");
        }
    }
}
