//! `unused-prefix`: a prefix an ontology file declares but never uses.

use super::super::{Diagnostic, Severity, Sources};
use crate::case::Part;

pub(super) fn run(sources: &Sources, out: &mut Vec<Diagnostic>) {
    for file in sources.part(Part::Ontology) {
        let Some(index) = &file.index else { continue };
        for decl in &index.prefixes {
            if !index.used_prefixes.contains(&decl.name) {
                out.push(Diagnostic::new(
                    &file.path,
                    Some(decl.position),
                    Severity::Warning,
                    "unused-prefix",
                    format!(
                        "prefix `{}:` is declared but never used in this file",
                        decl.name
                    ),
                ));
            }
        }
    }
}
