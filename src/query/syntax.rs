//! Reads query text into Oxigraph's algebra, with checks before the parser and errors in words.
//!
//! Oxigraph's SPARQL parser recurses on nesting, so hostile text (20000 nested parentheses, a
//! 20000-step property path) aborted the process with a stack overflow; a lexical scan refuses
//! such text first. Its errors list the tokens its grammar could take ("expected CONSTRUCT"
//! for `SELEC`); the scan's tokens let us say what is wrong instead: an update, an empty query,
//! an unknown prefix, a misspelled query form.

use crate::case::parse::one_line;
use crate::error::{Error, Result};
use crate::rdf::prefixes::Prefixes;
use spargebra::{Query, SparqlParser};
use std::path::Path;

/// The most brackets (`(`, `[`, `{`) a query may have open at once.
pub const MAX_BRACKET_DEPTH: usize = 64;

/// The most chained operators a query may have between one pair of brackets: property path
/// steps and alternatives (`/`, `|`, `^`), `||`, `&&`, arithmetic, `UNION`, `MINUS`,
/// `OPTIONAL`, and `{...}` groups side by side. The parser nests each one inside the one before.
pub const MAX_CHAIN_LENGTH: usize = 64;

/// The most brackets and chained operators a query may nest in all: what the parser's
/// recursion, and the evaluator's after it, actually follows. A debug build on an 8 MiB stack
/// aborted on a 200-term sum and on 1000 nested brackets; 128 keeps well inside that.
pub const MAX_NESTING: usize = 128;

/// Words that start a SPARQL Update operation.
const UPDATE_KEYWORDS: &[&str] = &[
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
];

/// Words that start a query.
const QUERY_FORMS: &[&str] = &["SELECT", "CONSTRUCT", "ASK", "DESCRIBE"];

/// A lexical token: only what the checks need to tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A keyword, prefixed name, number or `a`: a run of name characters.
    Word(String),
    /// `?x` or `$x`.
    Variable,
    /// A string literal.
    Literal,
    /// `<...>`, with the text between the brackets.
    Iri(String),
    /// Any other character or operator (`(`, `||`, `/`, `^^`, ...).
    Punct(&'static str),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    line: u64,
    column: u64,
}

/// Splits `text` into tokens, skipping whitespace, comments, and the insides of strings and IRIs
/// (so that a `{` in a string or a `#` in an IRI means nothing).
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut column) = (0usize, 1u64, 1u64);
    let mut out = Vec::new();
    // Moves past `n` characters, keeping the position.
    let advance = |i: &mut usize, line: &mut u64, column: &mut u64, n: usize| {
        for _ in 0..n {
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
                *column = 1;
            } else {
                *column += 1;
            }
            *i += 1;
        }
    };
    while let Some(&c) = chars.get(i) {
        let (start_line, start_column) = (line, column);
        let at = |offset: usize| chars.get(i + offset).copied();
        let kind;
        let length;
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut column, 1);
            continue;
        } else if c == '#' {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .unwrap_or(chars.len() - i);
            advance(&mut i, &mut line, &mut column, end);
            continue;
        } else if c == '"' || c == '\'' {
            let long = at(1) == Some(c) && at(2) == Some(c);
            let quote = if long { 3 } else { 1 };
            let mut j = i + quote;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('\\') => j += 2,
                    Some(&d)
                        if d == c
                            && (!long
                                || (at(j - i + 1) == Some(c) && at(j - i + 2) == Some(c))) =>
                    {
                        j += quote;
                        break;
                    }
                    Some('\n') if !long => break,
                    Some(_) => j += 1,
                }
            }
            kind = Kind::Literal;
            length = j.min(chars.len()) - i;
        } else if c == '<' && iri_length(&chars[i..]).is_some() {
            length = iri_length(&chars[i..]).unwrap_or(1);
            kind = Kind::Iri(chars[i + 1..i + length.max(2) - 1].iter().collect());
        } else if (c == '?' || c == '$') && at(1).is_some_and(is_name_char) {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| !is_name_char(c))
                .unwrap_or(chars.len() - i - 1);
            kind = Kind::Variable;
            length = 1 + end;
        } else if is_name_char(c) || c == ':' {
            let mut j = i;
            while let Some(&d) = chars.get(j) {
                // A `.` ends a statement unless a name character follows it.
                let dot_inside = d == '.'
                    && chars
                        .get(j + 1)
                        .is_some_and(|&n| is_name_char(n) || n == ':');
                if is_name_char(d) || d == ':' || d == '%' || d == '\\' || dot_inside {
                    j += if d == '\\' { 2 } else { 1 };
                } else {
                    break;
                }
            }
            let j = j.min(chars.len());
            kind = Kind::Word(chars[i..j].iter().collect());
            length = j - i;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let (punct, n) = match two.as_str() {
                "||" => ("||", 2),
                "&&" => ("&&", 2),
                "^^" => ("^^", 2),
                _ => (punct_name(c), 1),
            };
            kind = Kind::Punct(punct);
            length = n;
        }
        out.push(Token {
            kind,
            line: start_line,
            column: start_column,
        });
        advance(&mut i, &mut line, &mut column, length.max(1));
    }
    out
}

/// The length of the IRI reference at the start of `chars` (which starts with `<`), if it is
/// one: `<` opens an IRI when a `>` closes it with no space or `<"{}|^`\` between.
fn iri_length(chars: &[char]) -> Option<usize> {
    for (n, &c) in chars.iter().enumerate().skip(1) {
        match c {
            '>' => return Some(n + 1),
            '<' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => return None,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '\u{B7}'
}

fn punct_name(c: char) -> &'static str {
    match c {
        '(' => "(",
        ')' => ")",
        '[' => "[",
        ']' => "]",
        '{' => "{",
        '}' => "}",
        '/' => "/",
        '|' => "|",
        '^' => "^",
        '+' => "+",
        '-' => "-",
        '*' => "*",
        ',' => ",",
        _ => "other",
    }
}

/// Whether a token is an operand, so that a `+`, `-` or `*` after it is a binary operator.
fn is_operand(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Word(_)
            | Kind::Variable
            | Kind::Literal
            | Kind::Iri(_)
            | Kind::Punct(")")
            | Kind::Punct("]")
    )
}

/// How deep `text` nests brackets and chained operators, as the limits above count them: how
/// deep the parser's recursion, and the evaluator's after it, goes (`usize::MAX` past a limit).
pub fn nesting(text: &str) -> usize {
    check_nesting(Path::new(""), &tokens(text)).unwrap_or(usize::MAX)
}

/// Refuses text nested deeper than the limits above, naming where it passes one; returns the
/// deepest nesting it reaches.
fn check_nesting(origin: &Path, tokens: &[Token]) -> Result<usize> {
    // Per open bracket: the bracket and how many operators it holds so far.
    let mut open: Vec<(&'static str, usize)> = Vec::new();
    let mut nesting = 0usize;
    let mut deepest = 0usize;
    let too_deep = |token: &Token, message: String| Error::Syntax {
        path: origin.to_owned(),
        line: token.line,
        column: token.column,
        message,
    };
    for (n, token) in tokens.iter().enumerate() {
        let previous = n
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .map(|t| &t.kind);
        let in_parentheses = open.last().is_some_and(|(b, _)| *b == "(");
        let chains = match &token.kind {
            Kind::Punct("/" | "|" | "^" | "||" | "&&") => true,
            Kind::Punct("+" | "-" | "*") => in_parentheses && previous.is_some_and(is_operand),
            Kind::Word(w) => ["UNION", "MINUS", "OPTIONAL"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k)),
            // Groups side by side are joined, each join inside the one before.
            Kind::Punct("{") => true,
            _ => false,
        };
        if chains {
            if let Some((_, operators)) = open.last_mut() {
                *operators += 1;
                nesting += 1;
                if *operators > MAX_CHAIN_LENGTH {
                    return Err(too_deep(
                        token,
                        format!("more than {MAX_CHAIN_LENGTH} chained operators (property path steps, ||, &&, +, UNION, groups, ...) in one group; casegraph refuses longer chains, whose parsing could exhaust the stack"),
                    ));
                }
            }
        }
        match &token.kind {
            Kind::Punct(b @ ("(" | "[" | "{")) => {
                open.push((b, 0));
                nesting += 1;
                if open.len() > MAX_BRACKET_DEPTH {
                    return Err(too_deep(
                        token,
                        format!("brackets nested more than {MAX_BRACKET_DEPTH} deep; casegraph refuses deeper queries, whose parsing could exhaust the stack"),
                    ));
                }
            }
            Kind::Punct(")" | "]" | "}") => {
                if let Some((_, operators)) = open.pop() {
                    nesting = nesting.saturating_sub(1 + operators);
                }
            }
            _ => {}
        }
        if nesting > MAX_NESTING {
            return Err(too_deep(
                token,
                format!("brackets and chained operators nested more than {MAX_NESTING} deep; casegraph refuses deeper queries, whose parsing could exhaust the stack"),
            ));
        }
        deepest = deepest.max(nesting);
    }
    Ok(deepest)
}

/// The first token after the prologue (`PREFIX p: <iri>` and `BASE <iri>` declarations).
fn after_prologue(tokens: &[Token]) -> Option<&Token> {
    let mut i = 0;
    loop {
        let token = tokens.get(i)?;
        match &token.kind {
            Kind::Word(w) if w.eq_ignore_ascii_case("PREFIX") => i += 3,
            Kind::Word(w) if w.eq_ignore_ascii_case("BASE") => i += 2,
            _ => return Some(token),
        }
    }
}

/// The prefix names the query's own prologue declares.
fn declared_in_query(tokens: &[Token]) -> Vec<String> {
    tokens
        .windows(2)
        .filter_map(|pair| match (&pair[0].kind, &pair[1].kind) {
            (Kind::Word(p), Kind::Word(name)) if p.eq_ignore_ascii_case("PREFIX") => {
                Some(name.strip_suffix(':')?.to_owned())
            }
            _ => None,
        })
        .collect()
}

/// The prefixes `text` declares with `PREFIX name: <iri>`, as written (a relative IRI is not
/// resolved), in order.
pub fn declared_prefixes(text: &str) -> Vec<(String, String)> {
    tokens(text)
        .windows(3)
        .filter_map(|t| match (&t[0].kind, &t[1].kind, &t[2].kind) {
            (Kind::Word(p), Kind::Word(name), Kind::Iri(iri))
                if p.eq_ignore_ascii_case("PREFIX") =>
            {
                Some((name.strip_suffix(':')?.to_owned(), iri.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Each prefixed name of `tokens` (`cg:Event`, not the `cg:` of `PREFIX cg: <...>`) with its
/// prefix.
fn prefixed_names(tokens: &[Token]) -> impl Iterator<Item = (&Token, &str)> {
    tokens.iter().enumerate().filter_map(|(n, token)| {
        let Kind::Word(word) = &token.kind else {
            return None;
        };
        let (prefix, _) = word.split_once(':')?;
        let after_prefix_keyword = n
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_some_and(|t| matches!(&t.kind, Kind::Word(w) if w.eq_ignore_ascii_case("PREFIX")));
        let starts_like_name = prefix.chars().next().is_none_or(char::is_alphabetic);
        (!after_prefix_keyword && starts_like_name).then_some((token, prefix))
    })
}

/// The prefixes of the prefixed names `text` uses (`cg` for `cg:Event`), declared or not, each
/// once, in order of first use.
pub fn used_prefixes(text: &str) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for (_, prefix) in prefixed_names(&tokens(text)) {
        if !used.iter().any(|u| u == prefix) {
            used.push(prefix.to_owned());
        }
    }
    used
}

/// The first prefixed name whose prefix neither the case nor the query declares.
fn unknown_prefix<'a>(tokens: &'a [Token], prefixes: &Prefixes) -> Option<(&'a Token, String)> {
    let declared = declared_in_query(tokens);
    prefixed_names(tokens).find_map(|(token, prefix)| {
        let known = prefixes.get(prefix).is_some() || declared.iter().any(|d| d == prefix);
        (!known).then(|| (token, prefix.to_owned()))
    })
}

/// Parses `text` (a BOM already removed) as a query, with the case's prefixes predeclared.
pub fn parse(origin: &Path, text: &str, prefixes: &Prefixes) -> Result<Query> {
    let tokens = tokens(text);
    let at = |token: &Token, message: String| Error::Syntax {
        path: origin.to_owned(),
        line: token.line,
        column: token.column,
        message,
    };
    let Some(first) = after_prologue(&tokens) else {
        return Err(match tokens.first() {
            // A prologue and nothing after it.
            Some(token) => at(
                token,
                "the query has PREFIX or BASE declarations but no query after them".to_owned(),
            ),
            None => Error::SyntaxNoPosition {
                path: origin.to_owned(),
                message: "the query is empty".to_owned(),
            },
        });
    };
    check_nesting(origin, &tokens)?;
    let mut parser = SparqlParser::new();
    for (name, iri) in prefixes.iter() {
        parser = parser
            .with_prefix(name, iri)
            .map_err(|source| Error::PrefixIri {
                prefix: name.to_owned(),
                source,
            })?;
    }
    let error = match parser.parse_query(text) {
        Ok(query) => return Ok(query),
        Err(error) => one_line(&error.to_string()),
    };
    if let Kind::Word(word) = &first.kind {
        let upper = word.to_ascii_uppercase();
        if UPDATE_KEYWORDS.contains(&upper.as_str()) {
            return Err(Error::UpdateRefused {
                path: origin.to_owned(),
                line: first.line,
                column: first.column,
                operation: update_name(&tokens, first),
            });
        }
    }
    let is_form = matches!(&first.kind, Kind::Word(w) if QUERY_FORMS.iter().any(|f| w.eq_ignore_ascii_case(f)));
    if !is_form {
        return Err(at(
            first,
            "expected a query form: SELECT, CONSTRUCT, ASK or DESCRIBE".to_owned(),
        ));
    }
    // The parser reports an undeclared prefix as whatever token it expected instead, so the
    // tokens are looked through for one.
    if let Some((token, prefix)) = unknown_prefix(&tokens, prefixes) {
        return Err(at(
            token,
            format!(
                "unknown prefix `{prefix}:`; declare it with PREFIX {prefix}: <...> or use one the case declares: {}",
                prefixes.names().join(", ")
            ),
        ));
    }
    Err(super::sparql_syntax_error(origin, &error))
}

/// `INSERT DATA`, `DELETE WHERE`, `DROP`...: the update keyword and `DATA` or `WHERE` after it.
fn update_name(tokens: &[Token], first: &Token) -> String {
    let Kind::Word(keyword) = &first.kind else {
        return String::new();
    };
    let keyword = keyword.to_ascii_uppercase();
    let next = tokens
        .iter()
        .skip_while(|t| !std::ptr::eq(*t, first))
        .nth(1)
        .and_then(|t| match &t.kind {
            Kind::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        });
    match next.as_deref() {
        Some(second @ ("DATA" | "WHERE")) if keyword == "INSERT" || keyword == "DELETE" => {
            format!("{keyword} {second}")
        }
        _ => keyword,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_prefixes_are_read_from_the_prologue() {
        assert_eq!(
            declared_prefixes(
                "# PREFIX no: <urn:comment>\nPREFIX cg: <https://w3id.org/casegraph/ontology#>\nprefix x:<urn:x:>\nSELECT * { ?s <urn:p> \"PREFIX y: <urn:y>\" }"
            ),
            [
                ("cg".to_owned(), "https://w3id.org/casegraph/ontology#".to_owned()),
                ("x".to_owned(), "urn:x:".to_owned())
            ]
        );
    }

    #[test]
    fn used_prefixes_are_those_of_prefixed_names_outside_strings_iris_and_comments() {
        assert_eq!(
            used_prefixes(
                "PREFIX cg: <urn:cg#>\n# no:comment\nSELECT * { ?s a cg:Event ; case:p \"str:ing\" , <urn:x:y> , _:b , :local . ?s case:q ?o }"
            ),
            ["cg", "case", ""]
        );
    }

    fn error(text: &str) -> String {
        parse(Path::new("q.rq"), text, &Prefixes::well_known())
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn brackets_in_strings_iris_and_comments_do_not_count() {
        let text = format!(
            "SELECT * {{ ?s ?p \"{}\" . ?s <urn:x#((((> ?o }} # {}\n",
            "(".repeat(500),
            "{".repeat(500)
        );
        parse(Path::new("q.rq"), &text, &Prefixes::well_known()).expect("parses");
    }

    #[test]
    fn deep_brackets_are_refused_where_the_limit_is_passed() {
        let text = format!(
            "SELECT * {{\n  FILTER({}1{})\n}}",
            "(".repeat(100),
            ")".repeat(100)
        );
        assert_eq!(
            error(&text),
            format!("q.rq:2:{}: brackets nested more than 64 deep; casegraph refuses deeper queries, whose parsing could exhaust the stack", 10 + 62)
        );
    }

    #[test]
    fn a_sum_of_many_terms_is_refused() {
        let text = format!("SELECT ({} AS ?x) {{}}", vec!["1"; 100].join("+"));
        assert!(
            error(&text).contains("more than 64 chained operators"),
            "{}",
            error(&text)
        );
    }

    #[test]
    fn values_rows_and_negative_numbers_are_not_chains() {
        let rows: String = (0..500).map(|i| format!("(-{i} {i}) ")).collect();
        let text = format!(
            "SELECT * {{ VALUES (?a ?b) {{ {rows} }} FILTER(?a IN ({})) }}",
            (0..200)
                .map(|i| format!("-{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        parse(Path::new("q.rq"), &text, &Prefixes::well_known()).expect("parses");
    }
}
