//! Finds the parts of a case folder: its ontology, data and query files.

use crate::error::{Error, Result};
use oxigraph::io::RdfFormat;
use std::path::{Path, PathBuf};

/// The RDF file extensions loaded from `ontology/` and `data/`, and the format of each.
///
/// `.owl` files are read as RDF/XML, the syntax OWL tools write by default.
pub const RDF_EXTENSIONS: &[&str] = &["ttl", "trig", "nt", "nq", "rdf", "owl", "jsonld"];

/// A case on disk: a folder holding `ontology/`, `data/` and `queries/`.
#[derive(Debug, Clone)]
pub struct Case {
    root: PathBuf,
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
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        if !root.is_dir() {
            return Err(Error::MissingCase(root));
        }
        let case = Self { root };
        let data = case.data_dir();
        if !data.is_dir() {
            return Err(Error::NotACase {
                dir: case.root,
                expected: data,
            });
        }
        Ok(case)
    }

    /// The case folder.
    pub fn root(&self) -> &Path {
        &self.root
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
    /// so that loading (and so blank node numbering and prefix precedence) is deterministic.
    pub fn rdf_files(&self) -> Result<Vec<CaseFile>> {
        let mut files = Vec::new();
        for (part, dir) in [
            (Part::Ontology, self.ontology_dir()),
            (Part::Data, self.data_dir()),
        ] {
            let mut paths = Vec::new();
            walk(&dir, &mut paths)?;
            paths.retain(|p| rdf_format_of(p).is_some());
            paths.sort();
            files.extend(paths.into_iter().map(|path| CaseFile { part, path }));
        }
        Ok(files)
    }
}

/// Collects the files below `dir`, recursively; a missing folder has no files.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}
