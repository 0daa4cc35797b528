//! The progress bar of long loads: shown on stderr after a load has run for a second, and only
//! when stderr is a terminal, so pipes, files and CI logs stay clean.

use casegraph::store::{LoadProgress, ProgressFn};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Loads shorter than this show nothing.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// A bar that draws itself only once the load has taken longer than [`QUIET_FOR`].
pub struct LoadBar {
    bar: ProgressBar,
    started: Instant,
    shown: Mutex<bool>,
}

impl LoadBar {
    /// A callback for the library, or `None` when stderr is not a terminal.
    pub fn callback() -> Option<(Arc<Self>, ProgressFn)> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = Arc::new(Self {
            bar: ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden()),
            started: Instant::now(),
            shown: Mutex::new(false),
        });
        let reporter = Arc::clone(&bar);
        let callback: ProgressFn = Arc::new(move |p| reporter.update(p));
        Some((bar, callback))
    }

    fn update(&self, progress: LoadProgress) {
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if !*shown {
            if self.started.elapsed() < QUIET_FOR {
                return;
            }
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("loading [{bar:40}] {bytes}/{total_bytes} ({eta})")
            {
                self.bar.set_style(style.progress_chars("=> "));
            }
            self.bar.set_length(progress.total);
            *shown = true;
        }
        self.bar.set_position(progress.done);
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
