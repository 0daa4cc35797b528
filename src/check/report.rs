//! `check --format shacl`: the SHACL results of a check as a W3C `sh:ValidationReport` in
//! Turtle, for tools that read SHACL reports.
//!
//! Only SHACL results are in it (the lints are casegraph's, not SHACL's). `sh:conforms` is as
//! the SHACL specification defines it: true when there is no validation result, of any
//! severity. Each result has `sh:focusNode`, `sh:resultPath` (when the shape has a path),
//! `sh:value` (when the result is about one), `sh:sourceConstraintComponent`, `sh:sourceShape`,
//! `sh:sourceConstraint` (for a SHACL-SPARQL constraint's result), `sh:resultSeverity` and
//! `sh:resultMessage`. A blank node of the case or of the shapes is
//! written with a label numbered in the report (`_:b1`), so that a node that is the focus node
//! and the value of a result, or the focus node of two results, is one node in the report as in
//! the data; the labels mean nothing outside the report.

use super::{Diagnostic, Report};
use oxigraph::model::Literal;
use std::collections::HashMap;
use std::io::{self, Write};

/// Replaces the loader's blank-node labels in the SHACL results of `diagnostics` (drawn anew on
/// every run) by `_:b1`, `_:b2`, ... in the order the results name them, so that the same case
/// gives the same report, byte for byte, and the same node keeps one label.
pub(super) fn number_blank_nodes(diagnostics: &mut [Diagnostic]) {
    let mut labels: HashMap<String, String> = HashMap::new();
    for result in diagnostics.iter_mut().filter_map(|d| d.shacl.as_mut()) {
        for term in [
            result.focus_node.as_mut(),
            result.value.as_mut(),
            result.source_shape.as_mut(),
            result.source_constraint.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            if term.starts_with("_:") {
                let next = labels.len() + 1;
                *term = labels
                    .entry(term.clone())
                    .or_insert_with(|| format!("_:b{next}"))
                    .clone();
            }
        }
    }
}

const SH: &str = "http://www.w3.org/ns/shacl#";

/// Writes the SHACL results of `report` as a validation report in Turtle.
pub fn write_turtle(mut out: impl Write, report: &Report) -> io::Result<()> {
    let results: Vec<_> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.shacl.as_ref().map(|r| (d, r)))
        .collect();
    writeln!(out, "@prefix sh: <{SH}> .")?;
    writeln!(out)?;
    writeln!(out, "[] a sh:ValidationReport ;")?;
    write!(out, "    sh:conforms {}", results.is_empty())?;
    for (diagnostic, result) in &results {
        writeln!(out, " ;")?;
        writeln!(out, "    sh:result [")?;
        writeln!(out, "        a sh:ValidationResult ;")?;
        // `None`: a term no report can hold (a quoted triple); a fresh node stands for it.
        let blank = || "[]".to_owned();
        writeln!(
            out,
            "        sh:focusNode {} ;",
            result.focus_node.clone().unwrap_or_else(blank)
        )?;
        if let Some(path) = &result.result_path {
            writeln!(out, "        sh:resultPath {path} ;")?;
        }
        if let Some(value) = &result.value {
            writeln!(out, "        sh:value {value} ;")?;
        }
        writeln!(
            out,
            "        sh:sourceConstraintComponent {} ;",
            result.source_constraint_component
        )?;
        writeln!(
            out,
            "        sh:sourceShape {} ;",
            result.source_shape.clone().unwrap_or_else(blank)
        )?;
        if let Some(constraint) = &result.source_constraint {
            writeln!(out, "        sh:sourceConstraint {constraint} ;")?;
        }
        writeln!(
            out,
            "        sh:resultSeverity {} ;",
            result.result_severity
        )?;
        writeln!(
            out,
            "        sh:resultMessage {}",
            Literal::new_simple_literal(diagnostic.message.as_str())
        )?;
        write!(out, "    ]")?;
    }
    writeln!(out, " .")
}
