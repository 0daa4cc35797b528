//! Reads one RDF term written in Turtle syntax (`ex:Hikvision`, `"2025-06-27"^^xsd:date`, `42`).

use crate::error::{Error, Result};
use crate::rdf::prefixes::Prefixes;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use std::fmt::Write as _;

/// Parses `text` as a Turtle term, resolving prefixed names with `prefixes`.
///
/// `option` names where the text came from (`--param company`) for the error message.
/// The term is read by Oxigraph's own Turtle parser, inside a one-triple document, so every
/// Turtle literal form is accepted and nothing is parsed by hand.
pub fn parse_term(text: &str, prefixes: &Prefixes, option: &str) -> Result<Term> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(bad(option, text, "expected an RDF term, found nothing"));
    }
    if let Some(prefix) = undeclared_prefix(trimmed, prefixes) {
        return Err(Error::UnknownPrefix {
            option: option.to_owned(),
            text: text.to_owned(),
            prefix,
            known: prefixes.names(),
        });
    }
    let mut document = String::new();
    for (name, iri) in prefixes.iter() {
        // Writing to a String cannot fail.
        let _ = writeln!(document, "@prefix {name}: <{iri}> .");
    }
    let _ = write!(document, "<urn:casegraph:s> <urn:casegraph:p> {trimmed} .");
    let mut quads = RdfParser::from_format(RdfFormat::Turtle).for_slice(document.as_bytes());
    let first = match quads.next() {
        Some(Ok(quad)) => quad,
        Some(Err(e)) => return Err(bad(option, text, &describe(&e.to_string()))),
        None => return Err(bad(option, text, "expected an RDF term")),
    };
    if quads.next().is_some() {
        return Err(bad(option, text, "expected one RDF term, found several"));
    }
    if first.object.is_blank_node() {
        return Err(bad(
            option,
            text,
            "blank nodes cannot be bound: use an IRI or a literal",
        ));
    }
    Ok(first.object)
}

fn bad(option: &str, text: &str, message: &str) -> Error {
    Error::BadTerm {
        option: option.to_owned(),
        text: text.to_owned(),
        message: message.to_owned(),
    }
}

/// The parser's message without its position in our synthetic document.
fn describe(message: &str) -> String {
    let message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("Parser error") => rest,
        _ => message,
    };
    format!("not a Turtle term ({message}); write an IRI as <https://...> or prefix:name, a string as \"text\"")
}

/// The prefix of a prefixed name whose prefix is not declared, if `text` is one.
fn undeclared_prefix(text: &str, prefixes: &Prefixes) -> Option<String> {
    let first = text.chars().next()?;
    if !(first.is_alphabetic() || first == ':') {
        return None;
    }
    let (prefix, _) = text.split_once(':')?;
    let looks_like_prefix = prefix
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
    (looks_like_prefix && prefixes.get(prefix).is_none()).then(|| prefix.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn prefixes() -> Prefixes {
        let mut p = Prefixes::well_known();
        p.add("ex", "https://example.org/");
        p
    }

    #[test]
    fn reads_every_term_form() {
        let p = prefixes();
        assert_eq!(
            parse_term("ex:Hikvision", &p, "t").unwrap(),
            NamedNode::new("https://example.org/Hikvision")
                .unwrap()
                .into()
        );
        assert_eq!(
            parse_term("<https://a.org/b>", &p, "t").unwrap(),
            NamedNode::new("https://a.org/b").unwrap().into()
        );
        assert_eq!(
            parse_term("\"text\"", &p, "t").unwrap(),
            Literal::new_simple_literal("text").into()
        );
        assert_eq!(parse_term("42", &p, "t").unwrap(), Literal::from(42).into());
        assert_eq!(
            parse_term("\"2025-06-27\"^^xsd:date", &p, "t").unwrap(),
            Literal::new_typed_literal(
                "2025-06-27",
                NamedNode::new("http://www.w3.org/2001/XMLSchema#date").unwrap()
            )
            .into()
        );
    }

    #[test]
    fn unknown_prefix_is_named() {
        let error = parse_term("foo:Bar", &prefixes(), "--param company").unwrap_err();
        assert_eq!(
            error.to_string(),
            "--param company `foo:Bar`: unknown prefix `foo:`; the case declares: ex, owl, rdf, rdfs, xsd"
        );
    }

    #[test]
    fn injection_is_one_bad_term() {
        let error = parse_term("ex:a . ex:b ex:c ex:d", &prefixes(), "t").unwrap_err();
        assert!(matches!(error, Error::BadTerm { .. }), "{error}");
    }
}
