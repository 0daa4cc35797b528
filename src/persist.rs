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
//! RocksDB needs a long C++ build, so all of this sits behind the `rocksdb` cargo feature;
//! without it, [`load`] and [`open`] say how to get it.

use crate::error::{Error, Result};
use crate::project::Case;
use crate::store::{CaseStore, ProgressFn};
use std::path::{Path, PathBuf};

/// The sub-folder of a store directory that holds RocksDB's files.
pub const ROCKSDB_DIR: &str = "oxigraph";
/// The file beside it that holds the case's prefixes.
pub const META_FILE: &str = "casegraph.json";

/// What a store directory records besides the quads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    /// The layout version of the store directory.
    pub version: u32,
    /// The prefixes of the case, as `(name, namespace)`.
    pub prefixes: Vec<(String, String)>,
    /// How many quads were loaded (the merged query graph not counted).
    pub quads: usize,
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
/// one is complete. Returns what was recorded.
#[cfg(not(feature = "rocksdb"))]
pub fn load(_case: &Case, dir: &Path, _progress: Option<ProgressFn>) -> Result<Meta> {
    Err(unavailable(dir))
}

/// Opens the store at `dir` read-only.
#[cfg(not(feature = "rocksdb"))]
pub fn open(dir: &Path) -> Result<CaseStore> {
    Err(unavailable(dir))
}

/// Loads `case` into a new on-disk store at `dir`, replacing any store there only once the new
/// one is complete. Returns what was recorded.
#[cfg(feature = "rocksdb")]
pub fn load(case: &Case, dir: &Path, progress: Option<ProgressFn>) -> Result<Meta> {
    use std::fs::{self, File, TryLockError};

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

/// Opens the store at `dir` read-only.
#[cfg(feature = "rocksdb")]
pub fn open(dir: &Path) -> Result<CaseStore> {
    use crate::prefixes::Prefixes;
    use oxigraph::store::Store;

    let meta_path = dir.join(META_FILE);
    if !dir.join(ROCKSDB_DIR).is_dir() || !meta_path.is_file() {
        return Err(store_error(
            dir,
            "no casegraph store here; build one with `casegraph load --store DIR`",
        ));
    }
    let json = std::fs::read(&meta_path).map_err(|e| Error::io(&meta_path, e))?;
    let meta: Meta = serde_json::from_slice(&json)
        .map_err(|e| store_error(dir, format!("{META_FILE} is not readable: {e}")))?;
    let store = Store::open_read_only(dir.join(ROCKSDB_DIR))?;
    let mut prefixes = Prefixes::default();
    for (name, iri) in &meta.prefixes {
        prefixes.add(name, iri);
    }
    Ok(CaseStore::with_layout(
        store,
        prefixes,
        crate::store::Layout::WithMergedGraph,
    ))
}

/// Builds the store in `building` and swaps it in at `dir` (see [`load`]).
#[cfg(feature = "rocksdb")]
fn build(case: &Case, dir: &Path, building: &Path, progress: Option<ProgressFn>) -> Result<Meta> {
    use crate::store::{fill, Layout, LoadOptions, Writer};
    use oxigraph::store::Store;
    use std::fs;

    if building.exists() {
        fs::remove_dir_all(building).map_err(|e| Error::io(building, e))?;
    }
    fs::create_dir_all(building).map_err(|e| Error::io(building, e))?;
    let meta = {
        let store = Store::open(building.join(ROCKSDB_DIR))?;
        let options = LoadOptions {
            layout: Layout::WithMergedGraph,
            progress,
        };
        let (prefixes, quads) = fill(Writer::BulkLoader(store.bulk_loader()), case, &options)?;
        store.flush()?;
        Meta {
            version: 1,
            prefixes: prefixes
                .iter()
                .map(|(n, i)| (n.to_owned(), i.to_owned()))
                .collect(),
            quads,
        }
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
    Ok(meta)
}
