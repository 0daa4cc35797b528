//! Finds where terms are written in Turtle-family files (line:col of each IRI and literal).
//!
//! Oxigraph's parsers report positions only for syntax errors, so the check re-reads each
//! Turtle, TriG, N-Triples or N-Quads file with this small tokenizer. It knows comments,
//! string literals (short and long), IRIs, prefixed names and the punctuation of the Turtle
//! grammar, and tracks enough of the grammar (subject, predicate, object, graph name, blank
//! node property lists, collections) to say in which role each term is written. The files
//! have already been parsed by Oxigraph, so this reader never has to report syntax errors:
//! on anything it does not understand it skips a character and goes on.

use std::collections::{BTreeMap, BTreeSet};

/// The `rdf:type` IRI, which `a` stands for.
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// Where a term is written in a file (1-based, columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
}

/// The role a term plays where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Subject of a triple.
    Subject,
    /// Predicate of a triple.
    Predicate,
    /// Object of a triple whose predicate is the given IRI (if it could be resolved).
    Object(Option<String>),
    /// Name of a TriG graph.
    Graph,
    /// The datatype of a literal (after `^^`).
    Datatype,
}

/// A written term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// An IRI (`<...>`, a prefixed name, or `a`), resolved.
    Iri(String),
    /// A literal: its lexical form (escapes resolved), whether it is plain (no language tag
    /// and no datatype) and its datatype when one is written after `^^`.
    Literal {
        /// The lexical form.
        lexical: String,
        /// No `@lang` and no `^^datatype`.
        plain: bool,
        /// The datatype written after `^^`, resolved (`None` for plain and language-tagged
        /// strings, and when its prefix is unknown).
        datatype: Option<String>,
    },
}

/// One occurrence of a term in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The term.
    pub term: Written,
    /// Its text as written (`cg:agent`, `<https://...>`, `"2019"`).
    pub text: String,
    /// Its role.
    pub role: Role,
    /// Where it starts.
    pub position: Position,
    /// The subject of the triple the term is written in, when that subject is an IRI: the IRI
    /// and where that subject is written. `None` inside `[ ... ]` and `( ... )`, whose subject
    /// is a blank node, and for graph names.
    pub subject: Option<(String, Position)>,
}

/// A prefix declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixDecl {
    /// The prefix name (without the colon).
    pub name: String,
    /// The namespace.
    pub namespace: String,
    /// Where the prefix name is written.
    pub position: Position,
}

/// Every term occurrence and prefix declaration of one file, in text order.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// The terms, in text order.
    pub occurrences: Vec<Occurrence>,
    /// The prefix declarations, in text order.
    pub prefixes: Vec<PrefixDecl>,
    /// The prefix names used by some prefixed name (outside the declarations).
    pub used_prefixes: BTreeSet<String>,
}

impl Index {
    /// Reads `text`, a Turtle, TriG, N-Triples or N-Quads document.
    ///
    /// A byte order mark at the start is not part of the text: editors show the first
    /// character after it in column 1, so positions are counted without it.
    pub fn of(text: &str) -> Self {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        Reader::new(tokenize(text)).run()
    }

    /// The first occurrence of `iri` in one of the roles accepted by `role`.
    pub fn first(&self, iri: &str, role: impl Fn(&Role) -> bool) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| matches!(&o.term, Written::Iri(i) if i == iri) && role(&o.role))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Iri(String),
    PName { prefix: String, local: String },
    BNode,
    Str(String),
    LangTag,
    Carets,
    Number,
    Punct(char),
    Keyword(String),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    text: String,
    position: Position,
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u64, 1u64);
    // Advances over `n` characters, keeping line and column.
    let advance = |i: &mut usize, line: &mut u64, col: &mut u64, n: usize| {
        for _ in 0..n {
            if *i < chars.len() {
                if chars[*i] == '\n' {
                    *line += 1;
                    *col = 1;
                } else {
                    *col += 1;
                }
                *i += 1;
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let position = Position { line, column: col };
        let start = i;
        if c.is_whitespace() {
            {
                let n = 1;
                advance(&mut i, &mut line, &mut col, n);
            }
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                {
                    let n = 1;
                    advance(&mut i, &mut line, &mut col, n);
                }
            }
            continue;
        }
        let tok = if c == '<' && chars.get(i + 1) != Some(&'<') {
            let mut j = i + 1;
            let mut value = String::new();
            while j < chars.len() && chars[j] != '>' && !chars[j].is_whitespace() {
                value.push(chars[j]);
                j += 1;
            }
            if chars.get(j) == Some(&'>') {
                {
                    let n = j + 1 - i;
                    advance(&mut i, &mut line, &mut col, n);
                }
                Tok::Iri(unescape(&value))
            } else {
                {
                    let n = 1;
                    advance(&mut i, &mut line, &mut col, n);
                }
                Tok::Punct('<')
            }
        } else if c == '"' || c == '\'' {
            let long = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
            let open = if long { 3 } else { 1 };
            let mut j = i + open;
            let mut raw = String::new();
            loop {
                match chars.get(j) {
                    None => break,
                    Some('\\') => {
                        raw.push('\\');
                        if let Some(next) = chars.get(j + 1) {
                            raw.push(*next);
                        }
                        j += 2;
                    }
                    Some(&d) if d == c => {
                        if !long {
                            j += 1;
                            break;
                        }
                        if chars.get(j + 1) == Some(&c) && chars.get(j + 2) == Some(&c) {
                            j += 3;
                            break;
                        }
                        raw.push(d);
                        j += 1;
                    }
                    Some(&d) if d == '\n' && !long => break,
                    Some(&d) => {
                        raw.push(d);
                        j += 1;
                    }
                }
            }
            {
                let n = j.min(chars.len()) - i;
                advance(&mut i, &mut line, &mut col, n);
            }
            Tok::Str(unescape(&raw))
        } else if c == '^' && chars.get(i + 1) == Some(&'^') {
            {
                let n = 2;
                advance(&mut i, &mut line, &mut col, n);
            }
            Tok::Carets
        } else if c == '@' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '-') {
                j += 1;
            }
            let word: String = chars[i + 1..j].iter().collect();
            {
                let n = j - i;
                advance(&mut i, &mut line, &mut col, n);
            }
            match word.as_str() {
                "prefix" | "base" => Tok::Keyword(word.to_ascii_uppercase()),
                _ => Tok::LangTag,
            }
        } else if "{}[](),;".contains(c) {
            {
                let n = 1;
                advance(&mut i, &mut line, &mut col, n);
            }
            Tok::Punct(c)
        } else if c == '.' && !chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            {
                let n = 1;
                advance(&mut i, &mut line, &mut col, n);
            }
            Tok::Punct('.')
        } else if c.is_ascii_digit() || ((c == '+' || c == '-' || c == '.') && i + 1 < chars.len())
        {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || "eE+-".contains(chars[j])
                    || (chars[j] == '.' && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
            {
                j += 1;
            }
            {
                let n = j - i;
                advance(&mut i, &mut line, &mut col, n);
            }
            Tok::Number
        } else if is_name_char(c) || c == ':' {
            // A prefixed name, a blank node label, a keyword (a, true, PREFIX, GRAPH ...).
            let mut j = i;
            let mut prefix_end = None;
            while j < chars.len() {
                let d = chars[j];
                if d == '\\' && j + 1 < chars.len() {
                    j += 2;
                    continue;
                }
                if d == ':' && prefix_end.is_none() {
                    prefix_end = Some(j);
                    j += 1;
                    continue;
                }
                if is_name_char(d) || d == '%' || (d == ':' && prefix_end.is_some()) {
                    j += 1;
                    continue;
                }
                // A dot belongs to the name only if a name character follows it.
                if d == '.'
                    && chars
                        .get(j + 1)
                        .is_some_and(|&n| is_name_char(n) || n == ':')
                {
                    j += 1;
                    continue;
                }
                break;
            }
            let word: String = chars[i..j].iter().collect();
            {
                let n = j - i;
                advance(&mut i, &mut line, &mut col, n);
            }
            match prefix_end {
                Some(p) if word.starts_with("_:") && p == start + 1 => Tok::BNode,
                Some(p) => {
                    let prefix: String = chars[start..p].iter().collect();
                    let local: String = chars[p + 1..j].iter().collect();
                    Tok::PName {
                        prefix,
                        local: local.replace('\\', ""),
                    }
                }
                None => Tok::Keyword(word),
            }
        } else {
            {
                let n = 1;
                advance(&mut i, &mut line, &mut col, n);
            }
            Tok::Punct(c)
        };
        let text: String = chars[start..i].iter().collect();
        tokens.push(Token {
            tok,
            text,
            position,
        });
    }
    tokens
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Resolves string and IRI escapes (`\n`, `\"`, `\u00E9`, ...).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(u @ ('u' | 'U')) => {
                let n = if u == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(n).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Subject,
    Predicate,
    Object,
    AfterObject,
}

#[derive(Debug)]
struct Frame {
    state: State,
    /// The subject of the triples being read, when it is an IRI.
    subject: Option<(String, Position)>,
    predicate: Option<String>,
    collection: bool,
}

struct Reader {
    tokens: Vec<Token>,
    pos: usize,
    prefixes: BTreeMap<String, String>,
    base: Option<String>,
    frames: Vec<Frame>,
    index: Index,
}

impl Reader {
    fn new(tokens: Vec<Token>) -> Self {
        Self {
            tokens,
            pos: 0,
            prefixes: BTreeMap::new(),
            base: None,
            frames: vec![Frame {
                state: State::Subject,
                subject: None,
                predicate: None,
                collection: false,
            }],
            index: Index::default(),
        }
    }

    fn top(&mut self) -> &mut Frame {
        if self.frames.is_empty() {
            self.frames.push(Frame {
                state: State::Subject,
                subject: None,
                predicate: None,
                collection: false,
            });
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn resolve(&mut self, token: &Token) -> Option<String> {
        match &token.tok {
            Tok::Iri(iri) => Some(match &self.base {
                Some(base) if !iri.contains(':') => format!("{base}{iri}"),
                _ => iri.clone(),
            }),
            Tok::PName { prefix, local } => {
                self.index.used_prefixes.insert(prefix.clone());
                self.prefixes.get(prefix).map(|ns| format!("{ns}{local}"))
            }
            Tok::Keyword(k) if k == "a" => Some(RDF_TYPE.to_owned()),
            _ => None,
        }
    }

    /// Like [`Self::resolve`], without counting the prefix as used (the caller records the
    /// same token again later, which counts it).
    fn resolve_quietly(&self, token: &Token) -> Option<String> {
        match &token.tok {
            Tok::PName { prefix, local } => {
                self.prefixes.get(prefix).map(|ns| format!("{ns}{local}"))
            }
            Tok::Iri(iri) => Some(match &self.base {
                Some(base) if !iri.contains(':') => format!("{base}{iri}"),
                _ => iri.clone(),
            }),
            _ => None,
        }
    }

    fn record(&mut self, token: &Token, term: Option<Written>, role: Role) {
        let subject = match role {
            Role::Graph => None,
            _ => self.top().subject.clone(),
        };
        if let Some(term) = term {
            self.index.occurrences.push(Occurrence {
                term,
                text: token.text.clone(),
                role,
                position: token.position,
                subject,
            });
        }
    }

    fn run(mut self) -> Index {
        while self.pos < self.tokens.len() {
            let token = self.tokens[self.pos].clone();
            self.pos += 1;
            match &token.tok {
                Tok::Keyword(k) if k.eq_ignore_ascii_case("prefix") => self.prefix_decl(),
                Tok::Keyword(k) if k.eq_ignore_ascii_case("base") => {
                    if let Some(Tok::Iri(iri)) = self.tokens.get(self.pos).map(|t| t.tok.clone()) {
                        self.base = Some(iri);
                        self.pos += 1;
                    }
                }
                Tok::Keyword(k) if k.eq_ignore_ascii_case("graph") => {
                    if let Some(next) = self.tokens.get(self.pos).cloned() {
                        self.pos += 1;
                        let iri = self.resolve(&next).map(Written::Iri);
                        self.record(&next, iri, Role::Graph);
                    }
                }
                Tok::Punct('{') | Tok::Punct('}') | Tok::Punct('.') => {
                    self.frames.truncate(1);
                    let top = self.top();
                    top.state = State::Subject;
                    top.subject = None;
                }
                Tok::Punct(';') => self.top().state = State::Predicate,
                Tok::Punct(',') => self.top().state = State::Object,
                Tok::Punct('[') => self.open(false),
                Tok::Punct('(') => self.open(true),
                Tok::Punct(']') | Tok::Punct(')') => self.close(),
                Tok::Carets => {
                    if let Some(next) = self.tokens.get(self.pos).cloned() {
                        self.pos += 1;
                        let iri = self.resolve(&next).map(Written::Iri);
                        self.record(&next, iri, Role::Datatype);
                    }
                }
                Tok::LangTag => {}
                _ => self.term(&token),
            }
        }
        self.index
    }

    fn prefix_decl(&mut self) {
        let (Some(name), Some(iri)) = (
            self.tokens.get(self.pos).cloned(),
            self.tokens.get(self.pos + 1).cloned(),
        ) else {
            return;
        };
        if let (Tok::PName { prefix, local }, Tok::Iri(namespace)) = (&name.tok, &iri.tok) {
            if local.is_empty() {
                self.prefixes.insert(prefix.clone(), namespace.clone());
                self.index.prefixes.push(PrefixDecl {
                    name: prefix.clone(),
                    namespace: namespace.clone(),
                    position: name.position,
                });
                self.pos += 2;
            }
        }
    }

    fn open(&mut self, collection: bool) {
        let state = self.top().state;
        if state == State::Predicate {
            // `[` cannot be a predicate; treat it as a new subject.
            self.top().state = State::Subject;
        }
        let inherited = self.top().predicate.clone();
        self.frames.push(Frame {
            state: if collection {
                State::Object
            } else {
                State::Predicate
            },
            subject: None,
            predicate: if collection { inherited } else { None },
            collection,
        });
    }

    fn close(&mut self) {
        if self.frames.len() > 1 {
            self.frames.pop();
        }
        let frame = self.top();
        frame.state = match frame.state {
            // `[ ... ]` or `( ... )` as subject: predicates follow.
            State::Subject => State::Predicate,
            _ if frame.collection => State::Object,
            _ => State::AfterObject,
        };
    }

    fn term(&mut self, token: &Token) {
        let written = match &token.tok {
            Tok::Str(lexical) => {
                let next = self.tokens.get(self.pos).map(|t| t.tok.clone());
                let plain = !matches!(next, Some(Tok::LangTag) | Some(Tok::Carets));
                // Resolved here, not when `run` meets the `^^` (which records it as a term).
                let datatype = match (next, self.tokens.get(self.pos + 1).cloned()) {
                    (Some(Tok::Carets), Some(datatype)) => self.resolve_quietly(&datatype),
                    _ => None,
                };
                Some(Written::Literal {
                    lexical: lexical.clone(),
                    plain,
                    datatype,
                })
            }
            Tok::Iri(_) | Tok::PName { .. } | Tok::Keyword(_) => {
                self.resolve(token).map(Written::Iri)
            }
            _ => None,
        };
        let state = self.top().state;
        match state {
            State::Subject => {
                let role = if matches!(
                    self.tokens.get(self.pos).map(|t| &t.tok),
                    Some(Tok::Punct('{'))
                ) {
                    Role::Graph
                } else {
                    let subject = match &written {
                        Some(Written::Iri(iri)) => Some((iri.clone(), token.position)),
                        _ => None,
                    };
                    let top = self.top();
                    top.state = State::Predicate;
                    top.subject = subject;
                    Role::Subject
                };
                self.record(token, written, role);
            }
            State::Predicate => {
                let iri = match &written {
                    Some(Written::Iri(iri)) => Some(iri.clone()),
                    _ => None,
                };
                let frame = self.top();
                frame.predicate = iri;
                frame.state = State::Object;
                self.record(token, written, Role::Predicate);
            }
            State::Object | State::AfterObject => {
                let frame = self.top();
                let predicate = frame.predicate.clone();
                if !frame.collection {
                    frame.state = State::AfterObject;
                }
                // N-Quads: a fourth term on the line is the graph name.
                let role = if state == State::AfterObject && !frame.collection {
                    Role::Graph
                } else {
                    Role::Object(predicate)
                };
                self.record(token, written, role);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, Role, u64, u64)> {
        Index::of(text)
            .occurrences
            .into_iter()
            .map(|o| (o.text, o.role, o.position.line, o.position.column))
            .collect()
    }

    #[test]
    fn roles_and_positions_in_trig() {
        let text = "@prefix ex: <http://e/> . # ex:not a term\nex:g {\n  ex:s a ex:C ;\n    ex:p \"ex:q # no\" , [ ex:r ex:o ] .\n}\n";
        let ex = |l: &str| format!("http://e/{l}");
        assert_eq!(
            roles(text),
            vec![
                ("ex:g".into(), Role::Graph, 2, 1),
                ("ex:s".into(), Role::Subject, 3, 3),
                ("a".into(), Role::Predicate, 3, 8),
                ("ex:C".into(), Role::Object(Some(RDF_TYPE.into())), 3, 10),
                ("ex:p".into(), Role::Predicate, 4, 5),
                ("\"ex:q # no\"".into(), Role::Object(Some(ex("p"))), 4, 10),
                ("ex:r".into(), Role::Predicate, 4, 26),
                ("ex:o".into(), Role::Object(Some(ex("r"))), 4, 31),
            ]
        );
    }

    #[test]
    fn long_strings_and_escapes_do_not_hide_terms() {
        let text = "@prefix ex: <http://e/> .\nex:s ex:p \"\"\"a \"quoted\"\nex:x .\"\"\" ; ex:q \"2019\" ; ex:d \"1\"^^ex:T .\n";
        let index = Index::of(text);
        assert!(index.first("http://e/x", |_| true).is_none());
        let q = index.first("http://e/q", |r| *r == Role::Predicate);
        assert_eq!(
            q.map(|o| o.position),
            Some(Position {
                line: 3,
                column: 13
            })
        );
        let plain: Vec<_> = index
            .occurrences
            .iter()
            .filter_map(|o| match &o.term {
                Written::Literal { lexical, plain, .. } => Some((lexical.clone(), *plain)),
                Written::Iri(_) => None,
            })
            .collect();
        assert_eq!(
            plain,
            vec![
                ("a \"quoted\"\nex:x .".to_owned(), true),
                ("2019".to_owned(), true),
                ("1".to_owned(), false)
            ]
        );
        assert!(index.used_prefixes.contains("ex"));
    }

    #[test]
    fn unused_prefix_is_not_counted_as_used_by_its_declaration() {
        let index =
            Index::of("@prefix ex: <http://e/> .\nPREFIX un: <http://u/>\n<http://e/s> ex:p 1 .\n");
        assert_eq!(index.prefixes.len(), 2);
        assert!(!index.used_prefixes.contains("un"));
        assert_eq!(index.prefixes[1].position, Position { line: 2, column: 8 });
    }
}
