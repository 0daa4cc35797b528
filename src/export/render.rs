//! Drawing DOT as SVG, PNG or PDF through Graphviz's `dot` program.

use crate::format::{Description, Format};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What went wrong while running Graphviz.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `dot` is not on the `PATH`.
    #[error("Graphviz `dot` was not found on PATH; install Graphviz (apt-get install graphviz, or brew install graphviz), or write DOT with `casegraph export --format dot`")]
    MissingDot,
    /// `dot` could not be started or fed.
    #[error("{}: {source}", .path.display())]
    Run {
        /// The program.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// `dot` ran and failed.
    #[error("{} failed: {message}", .path.display())]
    Failed {
        /// The program.
        path: PathBuf,
        /// What it said on stderr (or its exit status).
        message: String,
    },
}

/// An image format that `dot` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable Vector Graphics.
    Svg,
    /// Portable Network Graphics.
    Png,
    /// Portable Document Format.
    Pdf,
}

impl Format for ImageFormat {
    const ALL: &'static [Self] = &[Self::Svg, Self::Png, Self::Pdf];

    /// The canonical name is the one `dot -T` takes.
    fn describe(self) -> Description {
        let (names, media_types): (&[&str], &[&str]) = match self {
            Self::Svg => (&["svg"], &["image/svg+xml"]),
            Self::Png => (&["png"], &["image/png"]),
            Self::Pdf => (&["pdf"], &["application/pdf"]),
        };
        Description {
            names,
            extensions: names,
            media_types,
        }
    }
}

/// The `dot` program on the `PATH`, if there is one.
pub fn find_dot() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let names: &[&str] = if cfg!(windows) {
        &["dot.exe", "dot"]
    } else {
        &["dot"]
    };
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Runs `dot -T<format>` on `source` and returns the image.
pub fn render(dot: &Path, source: &[u8], format: ImageFormat) -> Result<Vec<u8>, RenderError> {
    render_watched(dot, source, format, |_| ())
}

/// [`render`], telling `on_spawn` the process id of `dot` once it runs; what `on_spawn` returns
/// is dropped right after `dot` has been waited for. A caller that must end the child if it is
/// itself interrupted registers the id there (the library installs no signal handlers).
pub fn render_watched<G>(
    dot: &Path,
    source: &[u8],
    format: ImageFormat,
    on_spawn: impl FnOnce(u32) -> G,
) -> Result<Vec<u8>, RenderError> {
    let run = |source| RenderError::Run {
        path: dot.to_owned(),
        source,
    };
    let mut child = Command::new(dot)
        .arg(format!("-T{}", format.name()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(run)?;
    let watch = on_spawn(child.id());
    // Feed stdin from another thread: dot may fill its stdout pipe before it has read all
    // of its input, and waiting on both from one thread could deadlock.
    let mut stdin = child.stdin.take();
    let source = source.to_vec();
    let feeder = std::thread::spawn(move || -> std::io::Result<()> {
        if let Some(stdin) = stdin.as_mut() {
            stdin.write_all(&source)?;
        }
        Ok(())
    });
    let output = child.wait_with_output().map_err(run);
    drop(watch);
    let output = output?;
    let fed = feeder
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("the thread feeding dot panicked")));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let message = stderr.trim();
        return Err(RenderError::Failed {
            path: dot.to_owned(),
            message: if message.is_empty() {
                output.status.to_string()
            } else {
                message.replace('\n', "; ")
            },
        });
    }
    fed.map_err(run)?;
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    #[test]
    fn image_formats_know_themselves() {
        crate::format::assert_well_formed::<super::ImageFormat>();
    }
}
