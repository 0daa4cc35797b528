//! Where a command's output goes: stdout, or a file written whole or not at all.

use anyhow::{Context, Result};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Stdout, or a temporary file beside the target that replaces it only when all went well.
pub enum Output {
    /// Standard output, buffered.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file in the target's folder, renamed over the target by [`Output::finish`].
    File {
        /// The temporary file.
        temp: BufWriter<NamedTempFile>,
        /// The target.
        path: PathBuf,
    },
}

impl Output {
    /// Opens `path`, or stdout when `None`.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        let Some(path) = path else {
            return Ok(Self::Stdout(BufWriter::new(io::stdout())));
        };
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = NamedTempFile::new_in(folder)
            .with_context(|| format!("{}: cannot create the output file", path.display()))?;
        Ok(Self::File {
            temp: BufWriter::new(temp),
            path: path.to_owned(),
        })
    }

    /// The writer to write to.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Self::Stdout(w) => w,
            Self::File { temp, .. } => temp,
        }
    }

    /// Flushes, and for a file moves it into place. Dropping an unfinished output instead
    /// removes the temporary file, so a failed command leaves any previous file as it was.
    pub fn finish(self) -> Result<()> {
        match self {
            Self::Stdout(mut w) => w.flush().context("<stdout>"),
            Self::File { temp, path } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                // A temporary file is private (0600); the result is an ordinary file, readable
                // as any other the user creates (umask applies as for a plain create).
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = 0o666 & !current_umask();
                    temp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(mode))
                        .with_context(|| format!("{}: cannot set permissions", path.display()))?;
                }
                temp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                Ok(())
            }
        }
    }
}

/// The process's umask, read without changing it for longer than the call (no libc call is
/// available in std, so it is read back from a freshly created file's mode).
#[cfg(unix)]
fn current_umask() -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let probe = tempfile::Builder::new()
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile();
    probe
        .ok()
        .and_then(|f| f.as_file().metadata().ok())
        .map_or(0o022, |m| 0o666 & !(m.permissions().mode() & 0o666))
}
