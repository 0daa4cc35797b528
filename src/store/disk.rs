//! On-disk stores: a case loaded once into RocksDB (`casegraph load --store DIR`) and opened by
//! every later command (`--store DIR`) without parsing the files again.
//!
//! Layout of `DIR`: `oxigraph/` (the RocksDB store, with the merged query graph already built)
//! and `casegraph.json` (the case's prefixes). A load builds a new store in a temporary folder
//! beside `DIR` (a syntax error stops it before anything is swapped) and swaps it in only when
//! it is complete, so a load that fails leaves the
//! previous store exactly as it was; a lock file (`DIR.lock`) makes a second concurrent load
//! fail with a clear "locked" error instead of racing the first.
//!
//! A load never destroys what casegraph did not create: `DIR` is replaced only when it does not
//! exist, is empty, or holds a casegraph store (its `casegraph.json` says so); anything else is
//! refused before anything is touched. A symbolic link `DIR` is followed (the store is built
//! where it points).
//!
//! The store records what it was built from (the case folder, and each file's path, size and
//! modification time), so that a command on a store older than the case's files warns, and a
//! store built from another case is refused ([`Manifest::compare`]).
//!
//! RocksDB needs a long C++ build, so the store itself sits behind the `rocksdb` cargo feature;
//! without it, [`load`] and [`open`] say how to get it.

use crate::case::Case;
use crate::error::{Error, Result};
use crate::store::{CaseStore, Dataset, ProgressFn};
use crate::warning::Warning;
use std::path::{Path, PathBuf};

/// The sub-folder of a store directory that holds RocksDB's files.
pub const ROCKSDB_DIR: &str = "oxigraph";
/// The file beside it that holds the case's prefixes.
pub const META_FILE: &str = "casegraph.json";

/// What `kind` says in a store's [`META_FILE`]: the marker that makes a folder casegraph's to
/// replace.
pub const KIND: &str = "casegraph store";

/// The layout version written by this casegraph (1: no kind and no manifest).
#[cfg(feature = "rocksdb")]
const VERSION: u32 = 2;

/// What a store directory records besides the quads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    /// The marker, [`KIND`] (absent in version 1 stores).
    #[serde(default)]
    pub kind: String,
    /// The layout version of the store directory.
    pub version: u32,
    /// The prefixes of the case, as `(name, namespace)`.
    pub prefixes: Vec<(String, String)>,
    /// How many quads were loaded (the merged query graph not counted).
    pub quads: usize,
    /// What the store was built from (absent in version 1 stores).
    #[serde(default)]
    pub built_from: Option<Manifest>,
}

/// A case's folder and files as they were at a load.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// The case folder, canonical.
    pub root: PathBuf,
    /// Every file read, in load order.
    pub files: Vec<FileStamp>,
}

/// One file of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    /// The path below the case folder, with `/` separators.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in nanoseconds since the Unix epoch (0 if the system has none).
    pub modified_ns: u64,
}

/// How a store stands to the case a command was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Built from these very files.
    Fresh,
    /// Built from this case, which has changed since: what changed.
    Stale(Vec<String>),
    /// Built from another case folder, whose files differ from these.
    OtherCase(PathBuf),
}

impl Manifest {
    /// The case's folder and files as they are now.
    pub fn of(case: &Case) -> Result<Self> {
        let root = std::fs::canonicalize(case.root()).map_err(|e| Error::io(case.root(), e))?;
        let mut files = Vec::new();
        for file in case.rdf_files()? {
            let meta = std::fs::metadata(&file.path).map_err(|e| Error::io(&file.path, e))?;
            let relative = file.path.strip_prefix(case.root()).unwrap_or(&file.path);
            let modified_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
            files.push(FileStamp {
                path: relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
                size: meta.len(),
                modified_ns,
            });
        }
        Ok(Self { root, files })
    }

    /// How a store built from `self` stands to the case as it is `now`. A case copied or moved
    /// elsewhere with its files unchanged in name and size is the same case (copies get new
    /// modification times); one whose files differ and that lives elsewhere is another case.
    pub fn compare(&self, now: &Manifest) -> Freshness {
        use std::collections::BTreeMap;
        let then: BTreeMap<&str, &FileStamp> =
            self.files.iter().map(|f| (f.path.as_str(), f)).collect();
        let current: BTreeMap<&str, &FileStamp> =
            now.files.iter().map(|f| (f.path.as_str(), f)).collect();
        let mut changes = Vec::new();
        let mut sizes_differ = false;
        for (path, old) in &then {
            match current.get(path) {
                None => {
                    changes.push(format!("removed {path}"));
                    sizes_differ = true;
                }
                Some(new) if new.size != old.size => {
                    changes.push(format!("changed {path}"));
                    sizes_differ = true;
                }
                Some(new) if new.modified_ns != old.modified_ns => {
                    changes.push(format!("changed {path}"));
                }
                Some(_) => {}
            }
        }
        for path in current.keys().filter(|p| !then.contains_key(*p)) {
            changes.push(format!("added {path}"));
            sizes_differ = true;
        }
        if self.root != now.root {
            return if sizes_differ {
                Freshness::OtherCase(self.root.clone())
            } else {
                Freshness::Fresh
            };
        }
        if changes.is_empty() {
            Freshness::Fresh
        } else {
            Freshness::Stale(changes)
        }
    }
}

/// Where a load may build the store for `dir`, or why it must not: `dir` itself (or where it
/// links to) when it does not exist, is an empty folder or holds a casegraph store; an error,
/// with nothing touched, when it is a file, a folder of other things, or inside the case's
/// `ontology/` or `data/` (whose files every command reads).
pub fn destination(dir: &Path, case: &Case) -> Result<PathBuf> {
    let refuse = |message: String| Err(store_error(dir, message));
    let target = match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?
        }
        _ => dir.to_owned(),
    };
    let absolute = |path: &Path| -> Option<PathBuf> {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
        Some(parent.join(path.file_name()?))
    };
    if let Some(place) = absolute(&target) {
        for inside in [case.ontology_dir(), case.data_dir()] {
            if let Ok(inside) = std::fs::canonicalize(&inside) {
                if place.starts_with(&inside) {
                    return refuse(format!(
                        "inside the case's {} folder, whose files are read as the case; put the store elsewhere",
                        inside.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    ));
                }
            }
        }
    }
    match std::fs::metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(target),
        Err(e) => return Err(Error::io(&target, e)),
        Ok(meta) if !meta.is_dir() => {
            return refuse("is a file, not a store folder; nothing was changed".to_owned())
        }
        Ok(_) => {}
    }
    if read_meta(&target).is_ok() {
        return Ok(target);
    }
    let mut entries: Vec<String> = std::fs::read_dir(&target)
        .map_err(|e| Error::io(&target, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if entries.is_empty() {
        return Ok(target);
    }
    entries.sort();
    let shown = entries.len().min(3);
    let more = if entries.len() > shown {
        format!(" and {} more", entries.len() - shown)
    } else {
        String::new()
    };
    refuse(format!(
        "holds files that casegraph did not create ({}{more}); a store folder is replaced only when it is empty or holds a casegraph store, so nothing was changed: choose a new or empty folder",
        entries[..shown].join(", ")
    ))
}

/// The [`Meta`] of the store at `dir`, if `dir` holds one.
fn read_meta(dir: &Path) -> Result<Meta> {
    let not_a_store = || {
        store_error(
            dir,
            "no casegraph store here; build one with `casegraph load --store DIR`",
        )
    };
    let meta_path = dir.join(META_FILE);
    if !dir.join(ROCKSDB_DIR).is_dir() || !meta_path.is_file() {
        return Err(not_a_store());
    }
    let json = std::fs::read(&meta_path).map_err(|e| Error::io(&meta_path, e))?;
    let meta: Meta = serde_json::from_slice(&json)
        .map_err(|e| store_error(dir, format!("{META_FILE} is not readable: {e}")))?;
    if meta.kind == KIND || meta.version == 1 {
        Ok(meta)
    } else {
        Err(not_a_store())
    }
}

/// How the store at `dir` stands to `case`: an error when it was built from another case (a
/// store answers for one case only), a [`Warning::StaleStore`] when the case changed since.
pub fn freshness(dir: &Path, case: &Case) -> Result<Option<Warning>> {
    let meta = read_meta(dir)?;
    let Some(then) = &meta.built_from else {
        return Ok(Some(Warning::StaleStore {
            dir: dir.to_owned(),
            changes: vec![
                "built by an older casegraph that did not record the case's files".to_owned(),
            ],
        }));
    };
    match then.compare(&Manifest::of(case)?) {
        Freshness::Fresh => Ok(None),
        Freshness::Stale(changes) => Ok(Some(Warning::StaleStore {
            dir: dir.to_owned(),
            changes,
        })),
        Freshness::OtherCase(root) => Err(store_error(
            dir,
            format!(
                "built from another case, {}, not {}; give -C {} or load this case into a store of its own",
                root.display(),
                case.root().display(),
                root.display()
            ),
        )),
    }
}

/// The lock file that serialises loads of `dir`.
pub fn lock_path(dir: &Path) -> PathBuf {
    sibling(dir, ".lock")
}

/// An error about the store at `dir`.
fn store_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::Store {
        dir: dir.to_owned(),
        message: message.into(),
    }
}

/// The suffixes, before a process id, of the folder a load builds in and of the folder the
/// store it replaces is moved to (see [`load`]).
#[cfg(feature = "rocksdb")]
const LOADING: &str = ".loading-";
#[cfg(feature = "rocksdb")]
const OLD: &str = ".old-";

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "store".into());
    name.push(suffix);
    dir.with_file_name(name)
}

#[cfg(not(feature = "rocksdb"))]
fn unavailable(dir: &Path) -> Error {
    store_error(
        dir,
        "this casegraph was built without the on-disk store; rebuild it with \
         `cargo build --release --features rocksdb` (needs libclang: apt-get install libclang-dev)",
    )
}

/// Loads `case` into a new on-disk store at `dir`, replacing any store there only once the new
/// one is complete (see [`destination`]). Returns what was recorded and the load's warnings.
#[cfg(not(feature = "rocksdb"))]
pub fn load(
    case: &Case,
    dir: &Path,
    _progress: Option<ProgressFn>,
) -> Result<(Meta, Vec<Warning>)> {
    // Refusing a folder that is not casegraph's comes first, in every build.
    destination(dir, case)?;
    Err(unavailable(dir))
}

/// Opens the store at `dir` read-only, for `case`, for queries over `dataset`: see
/// [`freshness`].
#[cfg(not(feature = "rocksdb"))]
pub fn open(dir: &Path, _case: &Case, _dataset: Dataset) -> Result<CaseStore> {
    Err(unavailable(dir))
}

/// Loads `case` into a new on-disk store at `dir`, replacing any store there only once the new
/// one is complete (see [`destination`]). Returns what was recorded and the load's warnings.
#[cfg(feature = "rocksdb")]
pub fn load(case: &Case, dir: &Path, progress: Option<ProgressFn>) -> Result<(Meta, Vec<Warning>)> {
    use std::fs::{self, File, TryLockError};

    let dir = &destination(dir, case)?;
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let lock_file = lock_path(dir);
    let lock = File::create(&lock_file).map_err(|e| Error::io(&lock_file, e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(store_error(
                dir,
                format!(
                    "locked: another casegraph process is loading this store (lock file {})",
                    lock_file.display()
                ),
            ))
        }
        Err(TryLockError::Error(e)) => return Err(Error::io(&lock_file, e)),
    }

    remove_leftovers(dir);
    let building = sibling(dir, &format!("{LOADING}{}", std::process::id()));
    let result = build(case, dir, &building, progress);
    if result.is_err() && building.exists() {
        let _ = fs::remove_dir_all(&building);
    }
    drop(lock);
    result
}

/// Removes what loads killed by a signal left beside `dir` (half-built `DIR.loading-PID` and
/// swapped-out `DIR.old-PID` folders). Only called under the lock, so no other load is using
/// them; a folder that cannot be removed is left for the next load.
#[cfg(feature = "rocksdb")]
fn remove_leftovers(dir: &Path) {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let leftover = [LOADING, OLD].iter().any(|suffix| {
            file_name
                .strip_prefix(name.as_ref())
                .and_then(|rest| rest.strip_prefix(suffix))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if leftover {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Opens the store at `dir` read-only, for `case`, for queries over `dataset` (its merged graph
/// serves every dataset): refused when it was built from another case; a store older than the
/// case's files carries a [`Warning::StaleStore`].
#[cfg(feature = "rocksdb")]
pub fn open(dir: &Path, case: &Case, dataset: Dataset) -> Result<CaseStore> {
    use crate::rdf::prefixes::Prefixes;
    use oxigraph::store::Store;

    let meta = read_meta(dir)?;
    let stale = freshness(dir, case)?;
    let store = Store::open_read_only(dir.join(ROCKSDB_DIR))?;
    let mut prefixes = Prefixes::default();
    for (name, iri) in &meta.prefixes {
        prefixes.add(name, iri);
    }
    let mut store = CaseStore::with_layout(store, prefixes, crate::store::Layout::WithMergedGraph);
    store.dataset = dataset;
    store.add_warnings(stale);
    Ok(store)
}

/// Builds the store in `building` and swaps it in at `dir` (see [`load`]).
#[cfg(feature = "rocksdb")]
fn build(
    case: &Case,
    dir: &Path,
    building: &Path,
    progress: Option<ProgressFn>,
) -> Result<(Meta, Vec<Warning>)> {
    use crate::store::{fill, Layout, LoadOptions, Writer};
    use oxigraph::store::Store;
    use std::fs;

    if building.exists() {
        fs::remove_dir_all(building).map_err(|e| Error::io(building, e))?;
    }
    fs::create_dir_all(building).map_err(|e| Error::io(building, e))?;
    let (meta, warnings) = {
        let store = Store::open(building.join(ROCKSDB_DIR))?;
        let options = LoadOptions {
            layout: Layout::WithMergedGraph,
            progress,
        };
        let built_from = Some(Manifest::of(case)?);
        let (prefixes, quads, warnings) =
            fill(Writer::BulkLoader(store.bulk_loader()), case, &options)?;
        store.flush()?;
        (
            Meta {
                kind: KIND.to_owned(),
                version: VERSION,
                built_from,
                prefixes: prefixes
                    .iter()
                    .map(|(n, i)| (n.to_owned(), i.to_owned()))
                    .collect(),
                quads,
            },
            warnings,
        )
    };
    let meta_path = building.join(META_FILE);
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| store_error(dir, e.to_string()))?;
    fs::write(&meta_path, json).map_err(|e| Error::io(&meta_path, e))?;
    // Swap: the old store stays in place until the new one is complete.
    let old = sibling(dir, &format!("{OLD}{}", std::process::id()));
    if dir.exists() {
        fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
    }
    fs::rename(building, dir).map_err(|e| Error::io(dir, e))?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok((meta, warnings))
}
