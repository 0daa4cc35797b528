//! What a signal (Ctrl-C, SIGTERM, SIGHUP) must not leave behind: the temporary files of
//! outputs not yet in place, and child processes such as Graphviz `dot`.
//!
//! Without this, the default action of those signals ends the process at once: a `.tmpXXXXXX`
//! file of up to the whole output stays beside the target, and a `dot` that was drawing goes on
//! as an orphan. A watcher thread takes the signal instead, removes what is registered here,
//! ends the children, and then lets the signal take its default course, so that the exit
//! status still says which signal ended the process (130 for SIGINT in a shell, 143 for SIGTERM).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What to clean up if a signal comes.
#[derive(Default)]
struct Registry {
    temp_files: BTreeSet<PathBuf>,
    children: BTreeSet<u32>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    temp_files: BTreeSet::new(),
    children: BTreeSet::new(),
});

fn registry() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves whole sets behind: carry on with them.
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the watcher thread. Called once, first thing in `main`; if the handlers cannot be
/// installed the signals keep their default action, which is no worse than before.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let hook = HOOK.lock().unwrap_or_else(|p| p.into_inner()).take();
                    if let Some(hook) = hook {
                        // The hook runs on its own thread, so that a second signal can cut
                        // it short.
                        let (done, finished) = std::sync::mpsc::channel();
                        let _ = std::thread::Builder::new()
                            .name("on-signal".to_owned())
                            .spawn(move || {
                                hook();
                                let _ = done.send(());
                            });
                        let tick = std::time::Duration::from_millis(50);
                        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                            finished.recv_timeout(tick)
                        {
                            if signals.pending().next().is_some() {
                                break;
                            }
                        }
                    }
                    clean_up();
                    // The default action ends the process with the signal's own status.
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
    }
}

/// What a command does first when a signal comes (a server finishes the requests it is
/// answering), before the clean-up and the exit.
type Hook = Box<dyn FnOnce() + Send>;

static HOOK: Mutex<Option<Hook>> = Mutex::new(None);

/// Runs `hook` when a signal comes, before the process ends (replacing any earlier hook). A
/// second signal while it runs is not waited for: it ends the process at once.
pub fn on_signal(hook: impl FnOnce() + Send + 'static) {
    *HOOK.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(hook));
}

/// Removes every registered temporary file and ends every registered child.
fn clean_up() {
    let registry = registry();
    #[cfg(unix)]
    for &pid in &registry.children {
        if let Ok(pid) = libc::pid_t::try_from(pid) {
            // SAFETY: kill(2) has no memory effects; the pid is one of our own children that
            // has not been waited for yet (it is unregistered right after its wait returns).
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
    }
    for path in &registry.temp_files {
        let _ = std::fs::remove_file(path);
    }
}

/// A temporary file that a signal must remove; unregistered when dropped.
pub struct TempFileGuard(PathBuf);

impl TempFileGuard {
    /// Creates a temporary file with `create` and registers it, under the registry's lock: a
    /// signal that comes while the file is being created waits for it to be registered, and
    /// then removes it, so there is no moment when the file exists and no one would remove it.
    pub fn create<T, E>(
        create: impl FnOnce() -> Result<T, E>,
        path: impl Fn(&T) -> &Path,
    ) -> Result<(T, Self), E> {
        let mut registry = registry();
        let created = create()?;
        let path = path(&created).to_owned();
        registry.temp_files.insert(path.clone());
        Ok((created, Self(path)))
    }
}

impl Drop for TempFileGuard {
    fn drop(&mut self) {
        registry().temp_files.remove(&self.0);
    }
}

/// The registry held while a child process is started: a signal that comes meanwhile waits
/// until the child is registered, and then ends it, so the child cannot outlive casegraph.
pub struct Spawning(MutexGuard<'static, Registry>);

/// Holds the registry for a child about to be started; [`Spawning::child`] registers it.
pub fn spawning() -> Spawning {
    Spawning(registry())
}

impl Spawning {
    /// Registers the child with process id `pid`, and lets signals be handled again.
    pub fn child(mut self, pid: u32) -> ChildGuard {
        self.0.children.insert(pid);
        ChildGuard(pid)
    }
}

/// A child process that a signal must end; unregistered when dropped (after its wait).
pub struct ChildGuard(u32);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        registry().children.remove(&self.0);
    }
}
