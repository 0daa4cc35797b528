//! The progress bar of long loads: shown on stderr after a load has run for a second, and only
//! when stderr is a terminal, so pipes, files and CI logs stay clean.

use casegraph::store::ProgressFn;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Loads shorter than this show nothing.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// A bar that draws itself only once the load has taken longer than [`QUIET_FOR`].
pub struct LoadBar {
    bar: ProgressBar,
    template: &'static str,
    started: Instant,
    shown: Mutex<bool>,
}

impl LoadBar {
    /// A callback for the library, or `None` when stderr is not a terminal.
    pub fn callback() -> Option<(Arc<Self>, ProgressFn)> {
        let bar = Self::new("loading [{bar:40}] {bytes}/{total_bytes} ({eta})")?;
        let reporter = Arc::clone(&bar);
        let callback: ProgressFn = Arc::new(move |p| reporter.update(p.done, p.total));
        Some((bar, callback))
    }

    /// A bar drawn with `template` (indicatif's syntax), or `None` when stderr is not a
    /// terminal; [`LoadBar::update`] moves it.
    pub fn new(template: &'static str) -> Option<Arc<Self>> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        Some(Arc::new(Self {
            bar: ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden()),
            template,
            started: Instant::now(),
            shown: Mutex::new(false),
        }))
    }

    /// `done` of `total` so far.
    pub fn update(&self, done: u64, total: u64) {
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if !*shown {
            if self.started.elapsed() < QUIET_FOR {
                return;
            }
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(self.template) {
                self.bar.set_style(style.progress_chars("=> "));
            }
            self.bar.set_length(total);
            *shown = true;
        }
        self.bar.set_position(done);
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
