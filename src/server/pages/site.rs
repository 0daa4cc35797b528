//! `casegraph site`: the pages written as static files with relative links, to publish beside
//! a story with no server.
//!
//! The site is written whole or not at all: it is built in a hidden folder beside the
//! destination and renamed into place once every file is written. A destination that exists
//! must be empty or a site casegraph wrote (it holds [`MARKER`]); anything else is refused and
//! left untouched, so a mistyped `--out` never deletes someone's folder.

use super::{Links, Pages};
use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a site casegraph wrote, and so one it may replace.
pub const MARKER: &str = ".casegraph-site";

const MARKER_TEXT: &str = "This folder is a static site written by `casegraph site`.\n\
`casegraph site --out` replaces it whole when run again; remove this file to keep it from that.\n";

/// A site being written: the folder it goes to and the hidden folder it is built in.
pub struct Site {
    dir: PathBuf,
    building: tempfile::TempDir,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::io(path, source)
}

impl Site {
    /// Checks that `dir` may be written (absent, empty, or a site casegraph wrote) and makes
    /// the folder beside it the site is built in.
    pub fn prepare(dir: &Path) -> Result<Self> {
        let refuse = |message: &str| Error::SiteFolder {
            dir: dir.to_owned(),
            message: message.to_owned(),
        };
        // A symbolic link is followed: its target is what gets replaced.
        let dir = match fs::symlink_metadata(dir) {
            Ok(m) if m.file_type().is_symlink() => fs::canonicalize(dir).map_err(io(dir))?,
            _ => dir.to_owned(),
        };
        match fs::metadata(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&dir, e)),
            Ok(m) if !m.is_dir() => {
                return Err(refuse(
                    "is a file, not a folder; give a folder for the site",
                ))
            }
            Ok(_) => {
                let empty = fs::read_dir(&dir).map_err(io(&dir))?.next().is_none();
                if !empty && !dir.join(MARKER).is_file() {
                    return Err(refuse(&format!(
                        "holds files that casegraph did not write (it has no {MARKER} file), so it is left as it is; give a new or empty folder"
                    )));
                }
            }
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let building = tempfile::Builder::new()
            .prefix(".casegraph-site-")
            .tempdir_in(&parent)
            .map_err(io(&parent))?;
        Ok(Self { dir, building })
    }

    /// The hidden folder the site is built in (to remove if the process is interrupted).
    pub fn building(&self) -> &Path {
        self.building.path()
    }

    /// Writes every page of `pages`; returns how many files.
    pub fn write(&self, pages: &Pages) -> Result<usize> {
        let root = self.building.path();
        let mut written = 0;
        for (file, page) in pages.site_pages()? {
            let depth = file.matches('/').count();
            let Some(rendered) = pages.render(&page, Links::Site { depth })? else {
                continue;
            };
            let path = root.join(&file);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(io(folder))?;
            }
            fs::write(&path, &rendered.body).map_err(io(&path))?;
            written += 1;
        }
        let marker = root.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(io(&marker))?;
        Ok(written)
    }

    /// Puts the site in place of the folder, which was checked by [`Site::prepare`].
    pub fn finish(self) -> Result<PathBuf> {
        let Self { dir, building } = self;
        if dir.exists() {
            // The old site is moved aside first, then removed once the new one is in place.
            let old = tempfile::Builder::new()
                .prefix(".casegraph-site-old-")
                .tempdir_in(building.path().parent().unwrap_or(Path::new(".")))
                .map_err(io(&dir))?;
            let aside = old.path().join("site");
            fs::rename(&dir, &aside).map_err(io(&dir))?;
            if let Err(e) = fs::rename(building.path(), &dir) {
                // Put the old one back: the destination is never left empty.
                let _ = fs::rename(&aside, &dir);
                return Err(Error::io(&dir, e));
            }
            drop(old);
        } else {
            fs::rename(building.path(), &dir).map_err(io(&dir))?;
        }
        // Renamed away: nothing left for the temporary folder to remove.
        let _ = building.keep();
        Ok(dir)
    }
}

/// Writes the site of `pages` to `dir` (see [`Site`]); returns how many files it has.
pub fn write(pages: &Pages, dir: &Path) -> Result<usize> {
    let site = Site::prepare(dir)?;
    let written = site.write(pages)?;
    site.finish()?;
    Ok(written)
}
