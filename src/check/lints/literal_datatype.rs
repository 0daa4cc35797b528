//! `literal-datatype`: a date, year or number written as a plain string.

use super::super::positions::Written;
use super::super::{Diagnostic, Severity, Sources};
use crate::case::Part;
use oxigraph::model::{Literal, Term};
use std::collections::BTreeSet;

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

pub(super) fn run(sources: &Sources, out: &mut Vec<Diagnostic>) {
    for file in sources.part(Part::Data) {
        let plain: BTreeSet<&str> = file
            .quads
            .iter()
            .filter_map(|q| match &q.object {
                Term::Literal(l) if is_plain(l) => Some(l.value()),
                _ => None,
            })
            .filter(|v| looks_typed(v).is_some())
            .collect();
        if plain.is_empty() {
            continue;
        }
        let occurrences = file.index.iter().flat_map(|i| &i.occurrences);
        let mut found = false;
        for o in occurrences {
            if let Written::Literal {
                lexical,
                plain: true,
                ..
            } = &o.term
            {
                if let (true, Some(kind)) = (plain.contains(lexical.as_str()), looks_typed(lexical))
                {
                    found = true;
                    out.push(Diagnostic::new(
                        &file.path,
                        Some(o.position),
                        Severity::Warning,
                        "literal-datatype",
                        format!(
                            "{} is a plain string but looks like {kind}; give it a datatype",
                            o.text
                        ),
                    ));
                }
            }
        }
        if !found && file.index.is_none() {
            for value in plain {
                out.push(Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Warning,
                    "literal-datatype",
                    format!(
                        "\"{value}\" is a plain string but looks like {}; give it a datatype",
                        looks_typed(value).unwrap_or("a typed value")
                    ),
                ));
            }
        }
    }
}

fn is_plain(literal: &Literal) -> bool {
    literal.language().is_none() && literal.datatype().as_str() == XSD_STRING
}

/// What a plain string looks like it should have been typed as, if anything.
pub fn looks_typed(value: &str) -> Option<&'static str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4 && m.len() == 2 && d.len() == 2 && parts.iter().all(|p| digits(p)) =>
        {
            return Some("a date (xsd:date)")
        }
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
            return Some("a year and month (xsd:gYearMonth)")
        }
        _ => {}
    }
    if value.len() == 4 && digits(value) {
        return Some("a year (xsd:gYear) or an integer");
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    if digits(int) && digits(frac) {
        return Some("a number (xsd:integer or xsd:decimal)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_that_look_typed() {
        assert_eq!(looks_typed("2025-06-27"), Some("a date (xsd:date)"));
        assert_eq!(
            looks_typed("2025-06"),
            Some("a year and month (xsd:gYearMonth)")
        );
        assert_eq!(
            looks_typed("2019"),
            Some("a year (xsd:gYear) or an integer")
        );
        assert_eq!(
            looks_typed("-3.5"),
            Some("a number (xsd:integer or xsd:decimal)")
        );
        assert_eq!(looks_typed("Hikvision"), None);
        assert_eq!(looks_typed("2025-06-27T10:00"), None);
    }
}
