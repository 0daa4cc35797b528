//! Where a command's output goes: stdout, or a file written whole or not at all.
//!
//! What "whole or not at all" covers: a regular file (new or existing) is written to a temporary
//! file in its own folder and renamed over it only when everything was written, so a failure,
//! Ctrl-C or SIGTERM leaves the previous file as it was and no temporary file behind. An
//! existing file keeps its permissions (and, where the process may set them, its owner). A
//! symbolic link is followed: its target is replaced, the link stays. A device, FIFO or socket
//! cannot be replaced by a file, so it is written to directly, as `>` in a shell would.

use crate::cli::interrupt::TempFileGuard;
use anyhow::{bail, Context, Result};
use std::fs::{self, File, Metadata};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// How many symbolic links are followed before the path is taken for a loop (as Linux's
/// `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// Stdout, a temporary file that replaces its target only when all went well, or a device.
pub enum Output {
    /// Standard output, buffered.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file in the target's folder, renamed over the target by [`Output::finish`].
    File {
        /// The temporary file.
        temp: BufWriter<NamedTempFile>,
        /// The file it replaces (symbolic links already followed).
        path: PathBuf,
        /// What the file it replaces had, to keep its mode and owner (boxed: it is large, and
        /// the other variants are small).
        existing: Option<Box<Metadata>>,
        /// Removes the temporary file if a signal ends the process first.
        _guard: TempFileGuard,
    },
    /// A device, FIFO or socket, written to as it is.
    Direct {
        /// The open file.
        file: BufWriter<File>,
        /// Its path, for messages.
        path: PathBuf,
    },
}

impl Output {
    /// Opens `path`, or stdout when `None`.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        let Some(given) = path else {
            return Ok(Self::Stdout(BufWriter::new(io::stdout())));
        };
        let path = follow_links(given)?;
        let existing = match fs::metadata(&path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("{}", path.display())),
        };
        if let Some(meta) = &existing {
            if meta.is_dir() {
                bail!(
                    "{}: is a folder; give the file to write (this format writes one file)",
                    given.display()
                );
            }
            if !meta.is_file() {
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .with_context(|| format!("{}: cannot open for writing", path.display()))?;
                return Ok(Self::Direct {
                    file: BufWriter::new(file),
                    path,
                });
            }
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let (temp, guard) = TempFileGuard::create(
            || NamedTempFile::new_in(folder),
            |t: &NamedTempFile| t.path(),
        )
        .with_context(|| format!("{}: cannot create the output file", path.display()))?;
        Ok(Self::File {
            temp: BufWriter::new(temp),
            path,
            existing: existing.map(Box::new),
            _guard: guard,
        })
    }

    /// The writer to write to.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Self::Stdout(w) => w,
            Self::File { temp, .. } => temp,
            Self::Direct { file, .. } => file,
        }
    }

    /// Flushes, and for a file moves it into place. Dropping an unfinished output instead
    /// removes the temporary file, so a failed command leaves any previous file as it was.
    pub fn finish(self) -> Result<()> {
        match self {
            Self::Stdout(mut w) => w.flush().context("<stdout>"),
            Self::Direct { mut file, path } => file
                .flush()
                .with_context(|| format!("{}: cannot write", path.display())),
            Self::File {
                temp,
                path,
                existing,
                _guard,
            } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                keep_attributes(temp.as_file(), existing.as_deref())
                    .with_context(|| format!("{}: cannot set permissions", path.display()))?;
                temp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

/// `path` with every symbolic link along its last component followed, so that the link's
/// target is what gets replaced (the folders above are resolved by the system as usual).
fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)
                    .with_context(|| format!("{}: cannot read the link", current.display()))?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    bail!(
        "{}: too many levels of symbolic links (a loop?)",
        path.display()
    )
}

/// Gives the finished temporary file the mode (and owner) of the file it replaces; a new file
/// gets what a plain create would (0666 less the umask), not the temporary file's private 0600.
#[cfg(unix)]
fn keep_attributes(file: &File, existing: Option<&Metadata>) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mode = match existing {
        Some(meta) => meta.mode() & 0o7777,
        None => 0o666 & !current_umask(),
    };
    if let Some(meta) = existing {
        // Only a privileged process may give a file away; for others the owner is already them.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn keep_attributes(file: &File, existing: Option<&Metadata>) -> io::Result<()> {
    match existing {
        Some(meta) => file.set_permissions(meta.permissions()),
        None => Ok(()),
    }
}

/// The process's umask, read without changing it for longer than the call (no libc call is
/// available in std, so it is read back from a freshly created file's mode).
#[cfg(unix)]
fn current_umask() -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let probe = tempfile::Builder::new()
        .permissions(fs::Permissions::from_mode(0o666))
        .tempfile();
    probe
        .ok()
        .and_then(|f| f.as_file().metadata().ok())
        .map_or(0o022, |m| 0o666 & !(m.permissions().mode() & 0o666))
}

/// Prints each warning on stderr, one line each.
pub fn warn(warnings: &[casegraph::Warning]) {
    for warning in warnings {
        eprintln!(
            "casegraph: warning: {}",
            terminal_safe(&warning.to_string())
        );
    }
}

/// `text` on one line with control characters shown as escapes: a message may quote a file name
/// or a value, and neither may move the cursor or retitle the terminal.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str("; ");
        }
        for c in line.chars() {
            if c.is_control() {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
    }
    out
}
