//! `ill-typed-literal`: a literal whose lexical form is not valid for its XSD datatype.
//!
//! Oxigraph's parsers accept `"27 June 2025"^^xsd:date` (RDF allows ill-typed literals), but
//! its SPARQL engine cannot read the value: `ORDER BY` then sorts it apart from every real date
//! and comparisons with it fail, so a timeline silently mis-sorts. pySHACL reports such
//! literals; so does this lint, at the literal itself.
//!
//! Dates, times and durations are read with Oxigraph's own `oxsdatatypes` parsers, so "valid"
//! means "a value Oxigraph's queries understand". Integers and decimals are checked by their
//! lexical grammar and the derived types' ranges instead: `oxsdatatypes` holds them in 64 and
//! 128 bits and would reject valid but very long numbers. As in Oxigraph, surrounding spaces
//! are not part of a valid form.

use super::super::positions::Written;
use super::super::{Diagnostic, Severity, Sources};
use super::Model;
use oxigraph::model::Term;
use oxsdatatypes::{
    Date, DateTime, DayTimeDuration, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth, Time,
    YearMonthDuration,
};
use std::collections::BTreeSet;
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Reports every ill-typed literal of every file, at each place it is written.
pub(super) fn run(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    for file in &sources.files {
        // (lexical form, datatype) of the file's ill-typed literals, each once.
        let bad: BTreeSet<(&str, &str)> = file
            .quads
            .iter()
            .filter_map(|q| match &q.object {
                Term::Literal(l) if l.language().is_none() => {
                    Some((l.value(), l.datatype().as_str()))
                }
                _ => None,
            })
            .filter(|(value, datatype)| expected_form(datatype, value).is_some())
            .collect();
        let message = |value: &str, datatype: &str| {
            let expected = expected_form(datatype, value).unwrap_or_default();
            format!(
                "{value:?} is not a valid `{}`: expected {expected}",
                model.short(datatype)
            )
        };
        let mut unplaced = bad.clone();
        for o in file.index.iter().flat_map(|i| &i.occurrences) {
            let Written::Literal {
                lexical,
                datatype: Some(datatype),
                ..
            } = &o.term
            else {
                continue;
            };
            let key = (lexical.as_str(), datatype.as_str());
            if bad.contains(&key) {
                unplaced.remove(&key);
                out.push(Diagnostic::new(
                    &file.path,
                    Some(o.position),
                    Severity::Error,
                    "ill-typed-literal",
                    message(lexical, datatype),
                ));
            }
        }
        // RDF/XML and JSON-LD have no positions; a Turtle literal written in a way the
        // position reader does not resolve is still reported, in its file.
        for (value, datatype) in unplaced {
            out.push(Diagnostic::new(
                &file.path,
                None,
                Severity::Error,
                "ill-typed-literal",
                message(value, datatype),
            ));
        }
    }
}

/// `None` when `value` is a valid lexical form of `datatype` (or the datatype is not one this
/// lint knows); else what a valid form looks like.
pub(super) fn expected_form(datatype: &str, value: &str) -> Option<&'static str> {
    let local = datatype.strip_prefix(XSD)?;
    let parses = |ok: bool, expected: &'static str| (!ok).then_some(expected);
    match local {
        "boolean" => parses(
            matches!(value, "true" | "false" | "1" | "0"),
            "true, false, 1 or 0",
        ),
        "decimal" => parses(
            is_decimal(value),
            "a decimal number such as 42, -3.5 or .25 (digits, one optional point, no exponent)",
        ),
        "float" | "double" => parses(
            is_floating(value),
            "a number such as 42, -3.5, 1.5e3, INF, -INF or NaN",
        ),
        "date" => parses(
            Date::from_str(value).is_ok(),
            "a date YYYY-MM-DD such as 2025-06-27, optionally with a time zone (2025-06-27Z, 2025-06-27+02:00)",
        ),
        "dateTime" => parses(
            DateTime::from_str(value).is_ok(),
            "a date and time such as 2025-06-27T14:30:00, optionally with a time zone (Z or +02:00)",
        ),
        "dateTimeStamp" => parses(
            DateTime::from_str(value).is_ok_and(|d| d.timezone().is_some()),
            "a date and time with a time zone, such as 2025-06-27T14:30:00Z",
        ),
        "time" => parses(
            Time::from_str(value).is_ok(),
            "a time hh:mm:ss such as 14:30:00, optionally with a time zone",
        ),
        "gYear" => parses(GYear::from_str(value).is_ok(), "a year YYYY such as 2025"),
        "gYearMonth" => parses(
            GYearMonth::from_str(value).is_ok(),
            "a year and month YYYY-MM such as 2025-06",
        ),
        "gMonth" => parses(GMonth::from_str(value).is_ok(), "a month --MM such as --06"),
        "gDay" => parses(GDay::from_str(value).is_ok(), "a day ---DD such as ---27"),
        "gMonthDay" => parses(
            GMonthDay::from_str(value).is_ok(),
            "a month and day --MM-DD such as --06-27",
        ),
        "duration" => parses(
            Duration::from_str(value).is_ok(),
            "an ISO 8601 duration such as P1Y2M3DT4H5M6S or PT36H",
        ),
        "yearMonthDuration" => parses(
            YearMonthDuration::from_str(value).is_ok(),
            "a duration in years and months such as P1Y2M",
        ),
        "dayTimeDuration" => parses(
            DayTimeDuration::from_str(value).is_ok(),
            "a duration in days, hours, minutes and seconds such as P3DT4H or PT90M",
        ),
        "hexBinary" => parses(
            value.len().is_multiple_of(2) && value.bytes().all(|b| b.is_ascii_hexdigit()),
            "an even number of hexadecimal digits such as 0FB7",
        ),
        integer => integer_form(integer, value),
    }
}

/// The integer types: the lexical form, then the type's range.
fn integer_form(local: &str, value: &str) -> Option<&'static str> {
    // (smallest, largest) of each bounded type; `None` for no bound.
    let (min, max, expected): (Option<i128>, Option<i128>, &'static str) = match local {
        "integer" => (None, None, "an integer such as 42 or -7 (digits only)"),
        "nonNegativeInteger" => (Some(0), None, "an integer 0 or above, such as 42"),
        "positiveInteger" => (Some(1), None, "an integer 1 or above, such as 42"),
        "nonPositiveInteger" => (None, Some(0), "an integer 0 or below, such as -7"),
        "negativeInteger" => (None, Some(-1), "an integer -1 or below, such as -7"),
        "long" => (
            Some(i64::MIN.into()),
            Some(i64::MAX.into()),
            "an integer from -9223372036854775808 to 9223372036854775807",
        ),
        "int" => (
            Some(i32::MIN.into()),
            Some(i32::MAX.into()),
            "an integer from -2147483648 to 2147483647",
        ),
        "short" => (
            Some(i16::MIN.into()),
            Some(i16::MAX.into()),
            "an integer from -32768 to 32767",
        ),
        "byte" => (
            Some(i8::MIN.into()),
            Some(i8::MAX.into()),
            "an integer from -128 to 127",
        ),
        "unsignedLong" => (
            Some(0),
            Some(u64::MAX.into()),
            "an integer from 0 to 18446744073709551615",
        ),
        "unsignedInt" => (
            Some(0),
            Some(u32::MAX.into()),
            "an integer from 0 to 4294967295",
        ),
        "unsignedShort" => (Some(0), Some(u16::MAX.into()), "an integer from 0 to 65535"),
        "unsignedByte" => (Some(0), Some(u8::MAX.into()), "an integer from 0 to 255"),
        _ => return None,
    };
    let (negative, digits) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(expected);
    }
    let significant = digits.trim_start_matches('0');
    let in_range = match (min, max) {
        (None, None) => true,
        // Only the sign matters for the unbounded types, whatever the length.
        (Some(min), None) if significant.is_empty() => min <= 0,
        (Some(min), None) => !negative || min < 0,
        (None, Some(max)) if significant.is_empty() => max >= 0,
        (None, Some(_)) => negative,
        // The bounded types fit in an i128; a longer number is out of range.
        (Some(min), Some(max)) => {
            significant.len() <= 20 && {
                let magnitude: i128 = significant.parse().unwrap_or(0);
                let number = if negative { -magnitude } else { magnitude };
                (min..=max).contains(&number)
            }
        }
    };
    (!in_range).then_some(expected)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `[+-]?(\d+(\.\d*)?|\.\d+)`.
fn is_decimal(value: &str) -> bool {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    match unsigned.split_once('.') {
        None => digits(unsigned),
        Some((int, frac)) => {
            (digits(int) || int.is_empty())
                && (digits(frac) || frac.is_empty())
                && !(int.is_empty() && frac.is_empty())
        }
    }
}

/// A decimal with an optional exponent, or `INF`, `+INF`, `-INF`, `NaN` (XSD 1.1). Rust's own
/// float parser is not used: it also accepts `inf`, `infinity` and `nan`, which XSD does not.
fn is_floating(value: &str) -> bool {
    if matches!(value, "INF" | "+INF" | "-INF" | "NaN") {
        return true;
    }
    match value.split_once(['e', 'E']) {
        None => is_decimal(value),
        Some((mantissa, exponent)) => {
            is_decimal(mantissa) && digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(local: &str, value: &str) -> bool {
        expected_form(&format!("{XSD}{local}"), value).is_none()
    }

    #[test]
    fn dates_and_times() {
        assert!(ok("date", "2025-06-27"));
        assert!(ok("date", "2025-06-27Z"));
        assert!(!ok("date", "27 June 2025"));
        assert!(!ok("date", "2025-02-30"));
        assert!(!ok("date", " 2025-06-27"));
        assert!(ok("dateTime", "2025-06-27T14:30:00+02:00"));
        assert!(!ok("dateTime", "2025-06-27"));
        assert!(!ok("dateTimeStamp", "2025-06-27T14:30:00"));
        assert!(ok("gYear", "2025"));
        assert!(!ok("gYear", "25"));
        assert!(ok("gYearMonth", "2025-06"));
        assert!(ok("time", "14:30:00"));
        assert!(ok("duration", "P1Y2M3DT4H"));
        assert!(!ok("duration", "1 year"));
        assert!(!ok("yearMonthDuration", "P1D"));
    }

    #[test]
    fn numbers_and_ranges() {
        assert!(!ok("integer", "five"));
        assert!(ok("integer", "123456789012345678901234567890"));
        assert!(ok("integer", "+007"));
        assert!(!ok("integer", "1.0"));
        assert!(ok("nonNegativeInteger", "-0"));
        assert!(!ok("nonNegativeInteger", "-1"));
        assert!(!ok("positiveInteger", "0"));
        assert!(ok("negativeInteger", "-99999999999999999999999"));
        assert!(ok("byte", "-128"));
        assert!(!ok("byte", "128"));
        assert!(ok("unsignedLong", "18446744073709551615"));
        assert!(!ok("unsignedLong", "18446744073709551616"));
        assert!(!ok("int", "99999999999999999999999999999999999999999"));
        assert!(ok("decimal", "-3.5"));
        assert!(ok("decimal", ".5"));
        assert!(!ok("decimal", "."));
        assert!(!ok("decimal", "1e3"));
        assert!(ok("double", "1.5E-3"));
        assert!(ok("double", "-INF"));
        assert!(!ok("double", "inf"));
        assert!(!ok("float", "1e"));
        assert!(ok("boolean", "1"));
        assert!(!ok("boolean", "yes"));
        assert!(!ok("hexBinary", "0FB"));
        assert!(ok("string", "anything"));
    }
}
