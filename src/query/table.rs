//! The aligned text table that `casegraph query` prints by default.

use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{vocab::xsd, Term, TermRef, Variable};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Writes `rows` under a header of `variables`, columns padded to their widest cell.
///
/// IRIs are written as prefixed names where the case has a prefix for them; strings (without
/// their language tag), numbers and dates as their value; other literals in Turtle syntax. Line
/// breaks and tabs in values are shown as `\n` and `\t` so that every row stays on one line,
/// and other control characters as `\u{1b}` ([`escape_controls`]), so that none reaches the
/// terminal raw.
pub fn write_table(
    mut out: impl Write,
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    prefixes: &Prefixes,
) -> io::Result<()> {
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|t| {
                    t.as_ref()
                        .map(|t| display_term(t.as_ref(), prefixes))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    write_row(&mut out, &header, &widths)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    write_row(&mut out, &rule, &widths)?;
    for row in &cells {
        write_row(&mut out, row, &widths)?;
    }
    Ok(())
}

fn write_row(out: &mut impl Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(cell);
        if i + 1 < cells.len() {
            line.push_str(&" ".repeat(width.saturating_sub(cell.width())));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// A term as a table cell.
pub fn display_term(term: TermRef<'_>, prefixes: &Prefixes) -> String {
    match term {
        TermRef::NamedNode(n) => prefixes.compact(n.as_str()),
        TermRef::BlankNode(b) => b.to_string(),
        TermRef::Literal(l) => {
            let value = one_line(l.value());
            // Language tags are left out: the text shows its language, and a column of `@en`
            // helps nobody; csv, tsv, json and xml keep them.
            if l.language().is_some()
                || l.datatype() == xsd::STRING
                || is_xsd_value_type(l.datatype().as_str())
            {
                value
            } else {
                format!("\"{value}\"^^{}", prefixes.compact(l.datatype().as_str()))
            }
        }
        #[allow(unreachable_patterns)]
        _ => term.to_string(),
    }
}

/// Numbers, dates and booleans read the same with or without their datatype.
fn is_xsd_value_type(datatype: &str) -> bool {
    const SHOWN_BARE: &[&str] = &[
        "integer",
        "decimal",
        "double",
        "float",
        "boolean",
        "date",
        "dateTime",
        "gYear",
        "gYearMonth",
        "nonNegativeInteger",
        "long",
        "int",
    ];
    datatype
        .strip_prefix("http://www.w3.org/2001/XMLSchema#")
        .is_some_and(|local| SHOWN_BARE.contains(&local))
}

fn one_line(value: &str) -> String {
    escape_controls(value)
}

/// `text` with every control character shown visibly, so that a value cannot move the cursor,
/// retitle the window or hide text when printed to a terminal: line breaks and tabs as `\n`,
/// `\r` and `\t`, other C0 and C1 controls and DEL as `\u{1b}` (Rust's notation), and the
/// bidirectional embedding, override and isolate controls, which reorder the rest of the
/// line, as `\u{202e}`. Used by the query tables and `path` sentences.
pub fn escape_controls(text: &str) -> String {
    let needs =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(needs) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}
