//! Finds the parts of a case folder: its ontology, data and query files.
//!
//! Folders are walked recursively and symbolic links are followed, to files and to folders
//! alike; a link that leads back into a folder being walked is an error that names the loop. A
//! file reached twice is read once. Hidden entries (names starting with `.`) are not part of the
//! case, and files without an RDF extension are not read: both are named in warnings, never
//! dropped in silence.
//!
//! Relative IRIs in a case file (`<>`, `<x>`, with no `@base`) resolve against the case's base
//! IRI, when its settings file (`casegraph.toml`, [`SETTINGS_FILE`]) sets one, else against the
//! file's own location, its `file:` URL, as rapper, rdflib and Jena resolve them. The second
//! makes the IRIs depend on where the case sits on the disk, so a case that wants stable IRIs
//! sets a base; `check` warns about relative IRIs resolved against a `file:` URL.

pub mod new;
pub mod parse;

use crate::error::{Error, Result};
use crate::warning::Warning;
use oxigraph::io::RdfFormat;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The RDF file extensions loaded from `ontology/` and `data/`, and the format of each.
///
/// `.owl` files are read as RDF/XML, the syntax OWL tools write by default.
pub const RDF_EXTENSIONS: &[&str] = &["ttl", "trig", "nt", "nq", "rdf", "owl", "jsonld"];

/// The case's settings file, at its root.
pub const SETTINGS_FILE: &str = "casegraph.toml";

/// What `casegraph.toml` may say. Unknown keys are refused, so that a misspelt setting is not
/// ignored in silence.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The IRI relative IRIs in every file of the case resolve against (a file's own `@base`
    /// still wins): absolute, such as `https://example.org/case/drones/`.
    base: Option<String>,
}

impl Settings {
    /// The settings in `root`'s settings file; none when there is no such file.
    fn read(root: &Path) -> Result<Self> {
        let path = root.join(SETTINGS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let bad = |message: String| Error::Settings {
            path: path.clone(),
            message,
        };
        let settings: Self = toml::from_str(&text).map_err(|e| {
            // The position as the other errors give it, rather than TOML's drawing of the line.
            let at = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            });
            bad(format!("{}{}", at.unwrap_or_default(), e.message()))
        })?;
        if let Some(base) = &settings.base {
            oxiri::Iri::parse(base.as_str())
                .map_err(|e| bad(format!("`base = \"{base}\"` is not an absolute IRI: {e}")))?;
        }
        Ok(settings)
    }
}

/// A case on disk: a folder holding `ontology/`, `data/` and `queries/`.
#[derive(Debug, Clone)]
pub struct Case {
    root: PathBuf,
    /// The base IRI `casegraph.toml` sets, if it sets one.
    base: Option<String>,
    files: Vec<CaseFile>,
    warnings: Vec<Warning>,
}

/// Which part of the case a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The schema: classes, properties, shapes.
    Ontology,
    /// The curated facts.
    Data,
}

/// One RDF file of a case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseFile {
    /// Ontology or data.
    pub part: Part,
    /// The path as given (relative to the current directory when `-C` was relative).
    pub path: PathBuf,
    /// The IRI its relative IRIs resolve against, until an `@base` of its own: the case's base
    /// IRI, else the file's `file:` URL (see the [module](self) documentation).
    pub base: String,
}

impl CaseFile {
    /// The RDF syntax of this file, from its extension.
    pub fn format(&self) -> RdfFormat {
        // Only files with a known extension are listed, so the fallback is never taken.
        rdf_format_of(&self.path).unwrap_or(RdfFormat::Turtle)
    }
}

/// The RDF format of a file, from its extension (see [`RDF_EXTENSIONS`]).
pub fn rdf_format_of(path: &Path) -> Option<RdfFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "owl" => Some(RdfFormat::RdfXml),
        other if RDF_EXTENSIONS.contains(&other) => RdfFormat::from_extension(other),
        _ => None,
    }
}

impl Case {
    /// Opens the case in `root`, checking that it exists and has a `data/` folder.
    ///
    /// The case's files are listed once, here: see [`Case::rdf_files`] and [`Case::warnings`].
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        if !root.is_dir() {
            return Err(Error::MissingCase(root));
        }
        let settings = Settings::read(&root)?;
        let mut case = Self {
            root,
            base: settings.base,
            files: Vec::new(),
            warnings: Vec::new(),
        };
        let data = case.data_dir();
        if !data.is_dir() {
            return Err(Error::NotACase {
                dir: case.root,
                expected: data,
            });
        }
        let mut walk = Walk {
            base: case.base.clone(),
            ..Walk::default()
        };
        for (part, dir) in [
            (Part::Ontology, case.ontology_dir()),
            (Part::Data, case.data_dir()),
        ] {
            walk.part(part, &dir)?;
        }
        case.files = walk.files;
        case.warnings = walk.warnings;
        Ok(case)
    }

    /// What opening the case found worth a warning: files it does not read, hidden entries,
    /// files reached twice.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The case folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The base IRI the case's settings file sets, if it sets one.
    pub fn base(&self) -> Option<&str> {
        self.base.as_deref()
    }

    /// `ontology/`.
    pub fn ontology_dir(&self) -> PathBuf {
        self.root.join("ontology")
    }

    /// `data/`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// `queries/`.
    pub fn queries_dir(&self) -> PathBuf {
        self.root.join("queries")
    }

    /// Every RDF file under `ontology/` and `data/`, ontology first, each part in path order
    /// so that loading (and so blank node numbering) is deterministic.
    pub fn rdf_files(&self) -> Result<Vec<CaseFile>> {
        Ok(self.files.clone())
    }
}

/// The state of a walk over a case's folders.
#[derive(Default)]
struct Walk {
    /// The case's base IRI, if it sets one.
    base: Option<String>,
    files: Vec<CaseFile>,
    warnings: Vec<Warning>,
    /// Every file taken so far, by its identity, with the path it was taken under.
    seen: BTreeMap<FileId, PathBuf>,
}

impl Walk {
    /// Adds the RDF files below `dir` (a missing folder has none), in path order.
    fn part(&mut self, part: Part, dir: &Path) -> Result<()> {
        if !dir.is_dir() {
            return Ok(());
        }
        let mut paths = Vec::new();
        let mut ancestors = Vec::new();
        self.walk(dir, &mut ancestors, &mut paths)?;
        paths.sort();
        for path in paths {
            let id = file_id(&path)?;
            if let Some(read) = self.seen.get(&id) {
                self.warnings.push(Warning::ReadOnce {
                    read: read.clone(),
                    also: path,
                });
                continue;
            }
            self.seen.insert(id, path.clone());
            let base = match &self.base {
                Some(base) => base.clone(),
                None => file_url(&path)?,
            };
            self.files.push(CaseFile { part, path, base });
        }
        Ok(())
    }

    /// Collects the RDF files below `dir` into `out`; `ancestors` holds the identity and the
    /// given path of each folder being walked, to tell a loop.
    fn walk(
        &mut self,
        dir: &Path,
        ancestors: &mut Vec<(FileId, PathBuf)>,
        out: &mut Vec<PathBuf>,
    ) -> Result<()> {
        let id = file_id(dir)?;
        if let Some((_, first)) = ancestors.iter().find(|(c, _)| *c == id) {
            return Err(Error::LinkLoop {
                link: dir.to_owned(),
                target: first.clone(),
            });
        }
        ancestors.push((id, dir.to_owned()));
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            entries.push(entry.path());
        }
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with('.'));
            if hidden {
                self.warnings.push(Warning::Hidden { path });
                continue;
            }
            // `metadata` follows symbolic links: a linked folder is walked, a linked file read.
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.walk(&path, ancestors, out)?,
                Ok(meta) if meta.is_file() && rdf_format_of(&path).is_some() => out.push(path),
                Ok(_) => self.warnings.push(Warning::UnreadFile { path }),
                // A broken link to what would be case data is an error, not a gap in the case.
                Err(e) if rdf_format_of(&path).is_some() => return Err(Error::io(&path, e)),
                Err(_) => self.warnings.push(Warning::UnreadFile { path }),
            }
        }
        ancestors.pop();
        Ok(())
    }
}

/// The `file:` URL of `path`, made absolute against the current directory (symbolic links are
/// not followed: the file is where the case has it, as rapper and rdflib take a file's location).
pub fn file_url(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    url::Url::from_file_path(&absolute)
        .map(String::from)
        .map_err(|()| Error::FileUrl(path.to_owned()))
}

/// What makes two paths the same file or folder, links followed.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

/// The device and inode of `path`: one `stat`, where a canonical path would cost one per
/// component of the path, for every file of the case, on every command.
#[cfg(unix)]
fn file_id(path: &Path) -> Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Result<FileId> {
    std::fs::canonicalize(path).map_err(|e| Error::io(path, e))
}
