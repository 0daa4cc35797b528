//! Warnings: what a command goes on past but must not keep quiet about (input it does not read,
//! prefixes the files disagree on, a store older than the case). The library returns them; the
//! binary prints each on stderr.

use std::fmt;
use std::path::PathBuf;

/// Something the user should hear about, though the command can go on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Warning {
    /// A file under `ontology/` or `data/` that casegraph does not read (not an RDF extension,
    /// or not a regular file).
    UnreadFile {
        /// The file.
        path: PathBuf,
    },
    /// A hidden file or folder (its name starts with `.`) under `ontology/` or `data/`: not part
    /// of the case, as editors' and version control's files are not.
    Hidden {
        /// The file or folder.
        path: PathBuf,
    },
    /// One file reached twice through symbolic links: it is read once.
    ReadOnce {
        /// The path it was read under.
        read: PathBuf,
        /// The other path that leads to it.
        also: PathBuf,
    },
    /// Files bind one prefix name to different namespaces.
    PrefixConflict {
        /// The prefix name.
        name: String,
        /// Each namespace with the files that bind the name to it.
        bindings: Vec<(String, Vec<PathBuf>)>,
        /// The namespace the case uses for the name (the ontology's), or `None` when the name is
        /// left unbound because nothing settles it.
        used: Option<String>,
    },
    /// What `export --format ftm` left out because the ontology's `cg:ftmSchema` and
    /// `cg:ftmProperty` annotations do not map it.
    UnmappedForFtm {
        /// Compact names of classes with no FtM schema (themselves or by a superclass).
        classes: Vec<String>,
        /// `property on Schema`: properties with no FtM property for the schema of their
        /// subject, or linking to something that is no entity.
        properties: Vec<String>,
    },
    /// An on-disk store older than the case's files.
    StaleStore {
        /// The store.
        dir: PathBuf,
        /// What changed since the load: `changed data/x.ttl`, `added ...`, `removed ...`.
        changes: Vec<String>,
    },
}

/// At most this many items are named in one warning; the rest are counted.
const NAMED: usize = 5;

fn list(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > NAMED {
        text.push_str(&format!(" and {} more", items.len() - NAMED));
    }
    text
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnreadFile { path } => write!(
                f,
                "{}: not read (casegraph reads {} files)",
                path.display(),
                crate::case::RDF_EXTENSIONS
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Self::Hidden { path } => write!(
                f,
                "{}: hidden, not read (names starting with `.` are not part of the case)",
                path.display()
            ),
            Self::ReadOnce { read, also } => write!(
                f,
                "{}: the same file as {} (through a symbolic link), read once",
                also.display(),
                read.display()
            ),
            Self::PrefixConflict {
                name,
                bindings,
                used,
            } => {
                let each: Vec<String> = bindings
                    .iter()
                    .map(|(iri, files)| {
                        let files: Vec<String> =
                            files.iter().map(|p| p.display().to_string()).collect();
                        format!("<{iri}> in {}", list(&files))
                    })
                    .collect();
                write!(f, "prefix `{name}:` is declared as {}", each.join(" but as "))?;
                match used {
                    Some(iri) => write!(
                        f,
                        "; the case uses the ontology's <{iri}> (`casegraph check` reports the conflict)"
                    ),
                    None => write!(
                        f,
                        "; it is left undefined for -e, --param and --focus until the files agree or the ontology declares it"
                    ),
                }
            }
            Self::UnmappedForFtm {
                classes,
                properties,
            } => {
                write!(f, "FtM export: not mapped by the ontology's cg:ftmSchema and cg:ftmProperty annotations, so left out:")?;
                let counted = |n: usize, one: &str, many: &str| {
                    format!("{n} {}", if n == 1 { one } else { many })
                };
                if !classes.is_empty() {
                    let n = counted(classes.len(), "class", "classes");
                    write!(f, " {n} ({})", list(classes))?;
                }
                if !properties.is_empty() {
                    let and = if classes.is_empty() { "" } else { ";" };
                    let n = counted(properties.len(), "property", "properties");
                    write!(f, "{and} {n} ({})", list(properties))?;
                }
                Ok(())
            }
            Self::StaleStore { dir, changes } => write!(
                f,
                "store {} is older than the case ({}); its answers may be out of date: run `casegraph load --store {}` again",
                dir.display(),
                list(changes),
                dir.display()
            ),
        }
    }
}
