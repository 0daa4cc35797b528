//! `prefix-conflict`: one prefix name bound to different namespaces in different files.
//!
//! Each Turtle-family file declares its own prefixes, but casegraph uses one table of prefixes
//! for the whole case (to read `--param case:X`, to write prefixed names in tables, drawings
//! and exports). A file that binds `case:` to another namespace than the ontology does makes
//! `case:X` mean two things; whichever binding wins, something reads wrong. The first
//! declaration of a prefix in load order (ontology files, then data files, each in path order)
//! is the reference; every declaration of the same name with another namespace is an error at
//! that declaration, naming the reference's namespace and place.

use super::super::positions::Position;
use super::super::{Diagnostic, Severity, Sources};
use std::collections::BTreeMap;
use std::path::Path;

pub(super) fn run(sources: &Sources, out: &mut Vec<Diagnostic>) {
    // Prefix name -> (namespace, file, position) of its first declaration.
    let mut first: BTreeMap<&str, (&str, &Path, Position)> = BTreeMap::new();
    for file in &sources.files {
        let Some(index) = &file.index else { continue };
        for decl in &index.prefixes {
            let (namespace, where_file, where_position) = *first
                .entry(decl.name.as_str())
                .or_insert((decl.namespace.as_str(), &file.path, decl.position));
            if namespace == decl.namespace {
                continue;
            }
            let place = if where_file == file.path {
                format!("line {} of this file", where_position.line)
            } else {
                format!(
                    "{}:{}:{}",
                    where_file.display(),
                    where_position.line,
                    where_position.column
                )
            };
            out.push(Diagnostic::new(
                &file.path,
                Some(decl.position),
                Severity::Error,
                "prefix-conflict",
                format!(
                    "prefix `{}:` is bound here to <{}> but to <{namespace}> in {place}; one prefix means one namespace in a case: use another prefix name for one of them",
                    decl.name, decl.namespace
                ),
            ));
        }
    }
}
