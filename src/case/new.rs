//! `casegraph new`: a new case folder that passes `casegraph check`, to start curating from.
//!
//! The case is made from `templates/new-case/` (its README, its settings file with the base IRI
//! relative IRIs resolve against, its own ontology file, two example
//! articles with their sources and claims, a disagreement), the shared casegraph ontology and
//! shapes (`ontology/`), and the generic named queries (`queries/`), all built into the binary.
//! `{{base}}` and `{{title}}` in the template files are replaced by the case's base IRI and
//! title. The example articles are fictional, written for the template.
//!
//! The case is written whole or not at all: into a hidden folder beside the destination, which
//! is renamed into place once every file is written. The destination must not exist, or be an
//! empty folder: a folder with anything in it is never touched.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Where a case's base IRI is minted when none is given: this, the folder's name, and `/`.
pub const DEFAULT_BASE: &str = "https://example.org/casegraph/case/";

/// The files of a new case: path in the case, and text (with the placeholders).
pub const FILES: &[(&str, &str)] = &[
    (
        "README.md",
        include_str!("../../templates/new-case/README.md"),
    ),
    (
        "casegraph.toml",
        include_str!("../../templates/new-case/casegraph.toml"),
    ),
    (
        "ontology/case.ttl",
        include_str!("../../templates/new-case/ontology/case.ttl"),
    ),
    (
        "data/sources.ttl",
        include_str!("../../templates/new-case/data/sources.ttl"),
    ),
    (
        "data/entities.ttl",
        include_str!("../../templates/new-case/data/entities.ttl"),
    ),
    (
        "data/claims/000.trig",
        include_str!("../../templates/new-case/data/claims/000.trig"),
    ),
    (
        "data/claims/001.trig",
        include_str!("../../templates/new-case/data/claims/001.trig"),
    ),
    (
        "data/disagreements.ttl",
        include_str!("../../templates/new-case/data/disagreements.ttl"),
    ),
    (
        "articles/000_example.txt",
        include_str!("../../templates/new-case/articles/000_example.txt"),
    ),
    (
        "articles/001_example.txt",
        include_str!("../../templates/new-case/articles/001_example.txt"),
    ),
    (
        "ontology/casegraph.ttl",
        include_str!("../../ontology/casegraph.ttl"),
    ),
    (
        "ontology/shapes.ttl",
        include_str!("../../ontology/shapes.ttl"),
    ),
    (
        "queries/actions-against.rq",
        include_str!("../../queries/actions-against.rq"),
    ),
    (
        "queries/allegations.rq",
        include_str!("../../queries/allegations.rq"),
    ),
    (
        "queries/article-claims.rq",
        include_str!("../../queries/article-claims.rq"),
    ),
    (
        "queries/article-contributions.rq",
        include_str!("../../queries/article-contributions.rq"),
    ),
    (
        "queries/corporate-structure.rq",
        include_str!("../../queries/corporate-structure.rq"),
    ),
    (
        "queries/corroboration.rq",
        include_str!("../../queries/corroboration.rq"),
    ),
    (
        "queries/disagreements.rq",
        include_str!("../../queries/disagreements.rq"),
    ),
    (
        "queries/entity-mentions.rq",
        include_str!("../../queries/entity-mentions.rq"),
    ),
    (
        "queries/legal-basis.rq",
        include_str!("../../queries/legal-basis.rq"),
    ),
    (
        "queries/neighbourhood.rq",
        include_str!("../../queries/neighbourhood.rq"),
    ),
    (
        "queries/people-and-roles.rq",
        include_str!("../../queries/people-and-roles.rq"),
    ),
    ("queries/quotes.rq", include_str!("../../queries/quotes.rq")),
    (
        "queries/responses.rq",
        include_str!("../../queries/responses.rq"),
    ),
    (
        "queries/restrictions.rq",
        include_str!("../../queries/restrictions.rq"),
    ),
    (
        "queries/single-source.rq",
        include_str!("../../queries/single-source.rq"),
    ),
    (
        "queries/sources.rq",
        include_str!("../../queries/sources.rq"),
    ),
    (
        "queries/timeline.rq",
        include_str!("../../queries/timeline.rq"),
    ),
    (
        "queries/value-conflicts.rq",
        include_str!("../../queries/value-conflicts.rq"),
    ),
];

/// What a new case is called.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The namespace of the case's IRIs (`case:`): an absolute IRI ending in `/` or `#`.
    pub base: String,
    /// A title for people: the case ontology's label and the README's heading.
    pub title: String,
}

impl NewCase {
    /// The default for a case in `dir`: [`DEFAULT_BASE`] and the folder's name, which is also
    /// the title.
    pub fn for_folder(dir: &Path) -> Self {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "case".to_owned());
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        Self {
            base: format!("{DEFAULT_BASE}{}/", slug.trim_matches('-')),
            title: name,
        }
    }

    /// Checks the base IRI (absolute, ending in `/` or `#`) and the title (one line).
    pub fn validate(&self) -> Result<()> {
        let bad = |why: &str| Error::NewCase {
            what: "base IRI",
            value: self.base.clone(),
            why: why.to_owned(),
        };
        let iri = oxiri::Iri::parse(self.base.as_str()).map_err(|e| bad(&e.to_string()))?;
        if !(iri.as_str().ends_with('/') || iri.as_str().ends_with('#')) {
            return Err(bad(
                "it must end in `/` or `#`, so that `case:Name` makes an IRI under it",
            ));
        }
        if self.title.trim().is_empty() || self.title.chars().any(char::is_control) {
            return Err(Error::NewCase {
                what: "title",
                value: self.title.clone(),
                why: "it must be one line of text".to_owned(),
            });
        }
        Ok(())
    }

    /// `text` with the placeholders filled in, for the file at `path`.
    fn fill(&self, path: &str, text: &str) -> String {
        let title = if path.ends_with(".ttl") || path.ends_with(".trig") {
            turtle_string(&self.title)
        } else {
            self.title.clone()
        };
        text.replace("{{base}}", &self.base)
            .replace("{{title}}", &title)
    }
}

/// The inside of a Turtle `"..."` string holding `text`: Oxigraph's literal syntax, without
/// its quotes.
fn turtle_string(text: &str) -> String {
    let quoted = oxigraph::model::Literal::new_simple_literal(text).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// A case being written: where it goes and the hidden folder it is built in.
pub struct Scaffold {
    dir: PathBuf,
    case: NewCase,
    building: tempfile::TempDir,
}

impl Scaffold {
    /// Checks `case` ([`NewCase::validate`]) and that `dir` may be written (absent, or an
    /// empty folder), in that order and before anything is made, then makes the hidden folder
    /// beside `dir` that the case is built in (and the folders above it, if need be).
    pub fn prepare(dir: &Path, case: &NewCase) -> Result<Self> {
        case.validate()?;
        let refuse = |why: &str| Error::NewCase {
            what: "folder",
            value: dir.display().to_string(),
            why: why.to_owned(),
        };
        match fs::symlink_metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(dir, e)),
            Ok(m) if m.is_dir() => {
                let empty = fs::read_dir(dir)
                    .map_err(|e| Error::io(dir, e))?
                    .next()
                    .is_none();
                if !empty {
                    return Err(refuse("it is not empty, and a new case goes only into a new or empty folder; nothing was written"));
                }
            }
            Ok(_) => {
                return Err(refuse(
                    "it is a file or a link, not a folder; nothing was written",
                ))
            }
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        // The folders above it are made as needed (`casegraph new cases/harbour`).
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let building = tempfile::Builder::new()
            .prefix(".casegraph-new-")
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        Ok(Self {
            dir: dir.to_owned(),
            case: case.clone(),
            building,
        })
    }

    /// The hidden folder the case is built in (to remove if the process is interrupted).
    pub fn building(&self) -> &Path {
        self.building.path()
    }

    /// Writes every file of the case and puts the folder in place; returns the files
    /// written, as paths in the case.
    pub fn write(self) -> Result<Vec<&'static str>> {
        let case = &self.case;
        let root = self.building.path();
        for (path, text) in FILES {
            let file = root.join(path);
            if let Some(folder) = file.parent() {
                fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
            }
            fs::write(&file, case.fill(path, text)).map_err(|e| Error::io(&file, e))?;
        }
        if self.dir.exists() {
            // Checked empty by `prepare`; `remove_dir` removes nothing else.
            fs::remove_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        }
        fs::rename(root, &self.dir).map_err(|e| Error::io(&self.dir, e))?;
        // Renamed away: nothing left for the temporary folder to remove.
        let _ = self.building.keep();
        Ok(FILES.iter().map(|(path, _)| *path).collect())
    }
}

/// Makes the case `case` in `dir` (see [`Scaffold`]); returns the files written.
pub fn create(dir: &Path, case: &NewCase) -> Result<Vec<&'static str>> {
    Scaffold::prepare(dir, case)?.write()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `templates/new-case/` and `queries/` is in [`FILES`], so that none is
    /// forgotten when one is added.
    #[test]
    fn every_template_file_and_query_is_written() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        let mut todo = vec![root.join("templates/new-case")];
        while let Some(dir) = todo.pop() {
            for entry in fs::read_dir(&dir).expect("readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    todo.push(path);
                } else {
                    let relative = path
                        .strip_prefix(root.join("templates/new-case"))
                        .expect("inside");
                    on_disk.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        for entry in fs::read_dir(root.join("queries")).expect("queries/") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            on_disk.push(format!("queries/{name}"));
        }
        on_disk.push("ontology/casegraph.ttl".to_owned());
        on_disk.push("ontology/shapes.ttl".to_owned());
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn titles_are_escaped_for_turtle() {
        let case = NewCase {
            base: "https://example.org/c/".to_owned(),
            title: r#"The "x" \ case"#.to_owned(),
        };
        assert_eq!(
            case.fill("a.ttl", "\"{{title}}\""),
            r#""The \"x\" \\ case""#
        );
        assert_eq!(case.fill("README.md", "# {{title}}"), r#"# The "x" \ case"#);
    }

    #[test]
    fn a_base_must_be_an_absolute_iri_ending_in_a_separator() {
        let with = |base: &str| {
            NewCase {
                base: base.to_owned(),
                title: "t".to_owned(),
            }
            .validate()
        };
        assert!(with("https://example.org/c/").is_ok());
        assert!(with("https://example.org/c#").is_ok());
        assert!(with("https://example.org/c").is_err());
        assert!(with("not an iri/").is_err());
        assert!(with("https://example.org/a b/").is_err());
    }

    #[test]
    fn the_default_base_comes_from_the_folder_name() {
        let case = NewCase::for_folder(Path::new("work/My Case"));
        assert_eq!(case.base, "https://example.org/casegraph/case/my-case/");
        assert_eq!(case.title, "My Case");
    }
}
