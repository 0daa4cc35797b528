//! `relative-iri`: relative IRIs (`<>`, `<x>`) resolved against a file's location, its `file:`
//! URL, because neither the file (`@base`) nor the case (`base` in `casegraph.toml`) sets a
//! base: the IRIs they make change with the folder the case sits in.

use super::super::{Diagnostic, Severity, Sources};
use crate::case::SETTINGS_FILE;

pub(super) fn run(sources: &Sources, out: &mut Vec<Diagnostic>) {
    for file in sources.files.iter().filter(|f| f.base.starts_with("file:")) {
        let Some(index) = &file.index else { continue };
        let Some((first, position)) = index.relative_iris.first() else {
            continue;
        };
        let more = match index.relative_iris.len() - 1 {
            0 => String::new(),
            1 => " and 1 more relative IRI".to_owned(),
            n => format!(" and {n} more relative IRIs"),
        };
        out.push(Diagnostic::new(
            &file.path,
            Some(*position),
            Severity::Warning,
            "relative-iri",
            format!(
                "`{first}`{more} resolved against this file's location, <{}>, so they change with the folder the case is in; set `base` in {SETTINGS_FILE} (or an @base in the file) for IRIs that stay",
                file.base
            ),
        ));
    }
}
