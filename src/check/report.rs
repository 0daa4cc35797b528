//! `check --format shacl`: the SHACL results of a check as a W3C `sh:ValidationReport` in
//! Turtle, for tools that read SHACL reports.
//!
//! Only SHACL results are in it (the lints are casegraph's, not SHACL's). `sh:conforms` is as
//! the SHACL specification defines it: true when there is no validation result, of any
//! severity. Each result has `sh:focusNode`, `sh:resultPath` (when the shape has a path),
//! `sh:value` (when the result is about one), `sh:sourceConstraintComponent`, `sh:sourceShape`,
//! `sh:resultSeverity` and `sh:resultMessage`. A blank node of the case or of the shapes is
//! written as a fresh blank node: its label means nothing outside the run.

use super::Report;
use oxigraph::model::Literal;
use std::io::{self, Write};

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
