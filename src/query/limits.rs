//! How long a query may run: the time limit's text form, and the timer that cancels a query.
//!
//! A query over a cross product of unrelated patterns (`{?a ?b ?c. ?d ?e ?f. ?g ?h ?i}`) never
//! ends on a real case. Oxigraph checks a [`CancellationToken`] as it reads the store; a timer
//! thread cancels the token when the limit passes, and evaluation stops with an error, so
//! nothing is left running on an abandoned thread.

use oxigraph::sparql::CancellationToken;
use std::fmt;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

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
/// Dropping it wakes and joins the timer thread at once, so a query that ends in time leaves
/// no thread behind.
pub(crate) struct Deadline {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Deadline {
    /// Starts the timer. Fails only when the system cannot start a thread.
    pub(crate) fn start(limit: Duration, token: CancellationToken) -> std::io::Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("casegraph-timeout".to_owned())
            .spawn(move || {
                // A message or a dropped sender means the query ended first.
                if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(limit) {
                    token.cancel();
                }
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // The thread only waits and cancels: it cannot panic.
            let _ = thread.join();
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
