//! Finds where terms are written in Turtle-family files (line:col of each IRI and literal).
//!
//! Oxigraph's parsers report positions only for syntax errors, so the check re-reads each
//! Turtle, TriG, N-Triples or N-Quads file with this small tokenizer. It knows comments,
//! string literals (short and long), IRIs, prefixed names and the punctuation of the Turtle
//! grammar, and tracks enough of the grammar (subject, predicate, object, graph name, blank
//! node property lists, collections) to say in which role each term is written. The files
//! have already been parsed by Oxigraph, so this reader never has to report syntax errors:
//! on anything it does not understand it skips a character and goes on.

use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{
    BlankNode, Dataset, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term,
};
use oxiri::Iri;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// A blank node as the position reader knows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Blank {
    /// `_:label`, by its label as written (labels are local to the file).
    Label(String),
    /// A node with no label: a `[ ... ]` or a cell of a `( ... )` collection, numbered in the
    /// order the reader meets them. Which parsed blank node it is comes from matching the
    /// file's triples ([`Index::match_blank_nodes`]), since the parser numbers them at random.
    Anonymous(usize),
}

/// A written term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// An IRI (`<...>`, a prefixed name, or `a`), resolved as the parser resolves it.
    Iri(String),
    /// A blank node: `_:label`, `[` (the node of a `[ ... ]`, placed at its opening bracket),
    /// or a collection cell (placed at its member).
    Blank(Blank),
    /// A literal: its lexical form (escapes resolved), whether it is plain (no language tag
    /// and no datatype) and its datatype when one is written after `^^` or implied by the
    /// syntax (numbers, `true` and `false`).
    Literal {
        /// The lexical form.
        lexical: String,
        /// No `@lang` and no `^^datatype`.
        plain: bool,
        /// The datatype written after `^^`, resolved, or that of a number or boolean (`None`
        /// for plain and language-tagged strings, and when its prefix is unknown).
        datatype: Option<String>,
    },
}

impl Written {
    /// Whether this is the IRI `iri`.
    pub fn is_iri(&self, iri: &str) -> bool {
        matches!(self, Self::Iri(i) if i == iri)
    }
}

/// One occurrence of a term in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The term.
    pub term: Written,
    /// Its text as written (`cg:agent`, `<https://...>`, `"2019"`, `[`). The terms a
    /// collection implies (its cells, `rdf:first`, `rdf:rest`, `rdf:nil`) carry the text of
    /// the token they are placed at: the member, or the closing `)`.
    pub text: String,
    /// Its role.
    pub role: Role,
    /// Where it starts.
    pub position: Position,
    /// The subject of the triple the term is written in (an IRI or a blank node) and where
    /// that subject is written; `None` for graph names and when the subject is not understood.
    pub subject: Option<(Written, Position)>,
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
    /// The relative IRI references resolved against the base the file was given (before any
    /// `@base` of its own), as written (`<>`, `<x>`), in text order.
    pub relative_iris: Vec<(String, Position)>,
}

impl Index {
    /// Reads `text`, a Turtle, TriG, N-Triples or N-Quads document whose relative IRIs resolve
    /// against `base` (until an `@base` of its own), as the loader's parser resolves them.
    ///
    /// A byte order mark at the start is not part of the text: editors show the first
    /// character after it in column 1, so positions are counted without it.
    pub fn of(text: &str, base: Option<&str>) -> Self {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let tokens = tokenize(text);
        let relative_iris = relative_before_base(&tokens);
        let mut index = Reader::new(tokens, base).run();
        index.relative_iris = relative_iris;
        index
    }

    /// Which written blank node each blank node of `quads` (the parser's quads of the same
    /// file) is.
    ///
    /// The parser names `[ ... ]` and collection cells at random, so they are matched by the
    /// shape of the graph: the triples written here (every object occurrence with its subject
    /// and predicate) and the parsed triples are each given canonical blank-node names by
    /// Oxigraph's canonicalization, and nodes with the same canonical name are the same node.
    /// Literals are compared by lexical form only, so that a datatype this reader does not
    /// resolve costs no match. A blank node whose surroundings this reader gets wrong (a
    /// prefixed name with an unknown prefix next to it, say) has no match and no position.
    pub fn match_blank_nodes(&self, quads: &[Quad]) -> HashMap<BlankNode, Blank> {
        let blank_in = |q: &Quad| q.subject.is_blank_node() || q.object.is_blank_node();
        if !quads.iter().any(blank_in) {
            return HashMap::new();
        }
        let flat = |term: &Term| match term {
            Term::Literal(l) => Literal::new_simple_literal(l.value()).into(),
            other => other.clone(),
        };
        let mut parsed = Dataset::new();
        for quad in quads {
            let object = flat(&quad.object);
            parsed.insert(QuadRef::new(
                &quad.subject,
                &quad.predicate,
                &object,
                GraphNameRef::DefaultGraph,
            ));
        }
        // The written blank nodes, under names the dataset accepts.
        let mut ids: BTreeMap<Blank, BlankNode> = BTreeMap::new();
        let mut node = |written: &Written| -> Option<Term> {
            Some(match written {
                Written::Iri(iri) => NamedNode::new(iri).ok()?.into(),
                Written::Literal { lexical, .. } => Literal::new_simple_literal(lexical).into(),
                Written::Blank(blank) => {
                    let next = ids.len();
                    ids.entry(blank.clone())
                        .or_insert_with(|| BlankNode::new_unchecked(format!("w{next}")))
                        .clone()
                        .into()
                }
            })
        };
        let mut written = Dataset::new();
        for o in &self.occurrences {
            let (Role::Object(Some(predicate)), Some((subject, _))) = (&o.role, &o.subject) else {
                continue;
            };
            let (Some(subject), Ok(predicate), Some(object)) =
                (node(subject), NamedNode::new(predicate), node(&o.term))
            else {
                continue;
            };
            let subject = match subject {
                Term::NamedNode(n) => NamedOrBlankNode::from(n),
                Term::BlankNode(b) => NamedOrBlankNode::from(b),
                _ => continue,
            };
            written.insert(QuadRef::new(
                &subject,
                &predicate,
                &object,
                GraphNameRef::DefaultGraph,
            ));
        }
        let blanks: HashMap<&BlankNode, &Blank> = ids.iter().map(|(b, id)| (id, b)).collect();
        let written_names: HashMap<BlankNode, &Blank> = written
            .canonicalize_blank_nodes(CanonicalizationAlgorithm::Unstable)
            .into_iter()
            .filter_map(|(id, canonical)| Some((canonical, *blanks.get(&id.into_owned())?)))
            .collect();
        parsed
            .canonicalize_blank_nodes(CanonicalizationAlgorithm::Unstable)
            .into_iter()
            .filter_map(|(node, canonical)| {
                Some((node.into_owned(), (*written_names.get(&canonical)?).clone()))
            })
            .collect()
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
    PName {
        prefix: String,
        local: String,
    },
    /// `_:label`, with the label.
    BNode(String),
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

/// The relative IRI references written before the first `@base`/`BASE` (the base's own IRI
/// included): those resolve against the base the file was given.
fn relative_before_base(tokens: &[Token]) -> Vec<(String, Position)> {
    let relative = |token: &Token| matches!(&token.tok, Tok::Iri(iri) if oxiri::IriRef::parse(iri.as_str()).is_ok_and(|r| !r.is_absolute()));
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if relative(token) {
            out.push((token.text.clone(), token.position));
        }
        if matches!(&token.tok, Tok::Keyword(k) if k.eq_ignore_ascii_case("base")) {
            // The base's own IRI, if relative, is resolved against the given one too.
            out.extend(
                tokens
                    .get(i + 1)
                    .filter(|next| relative(next))
                    .map(|next| (next.text.clone(), next.position)),
            );
            break;
        }
    }
    out
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
                Some(p) if word.starts_with("_:") && p == start + 1 => {
                    Tok::BNode(chars[p + 1..j].iter().collect())
                }
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

/// A subject (or object) and where it is written.
type Node = (Written, Position);

#[derive(Debug)]
struct Frame {
    state: State,
    /// The subject of the triples being read.
    subject: Option<Node>,
    predicate: Option<String>,
    /// Set in a `( ... )`.
    collection: Option<Collection>,
}

impl Frame {
    fn new(state: State, subject: Option<Node>) -> Self {
        Self {
            state,
            subject,
            predicate: None,
            collection: None,
        }
    }
}

/// A `( ... )` being read. Its cells are blank nodes the text does not write: each is placed
/// at its member, and the `rdf:rest rdf:nil` that ends the list at the closing `)`.
#[derive(Debug)]
struct Collection {
    /// Where the `(` is.
    opened: Position,
    /// The triple the list is the object of, when it is an object: its subject and predicate.
    around: Option<(Option<Node>, Option<String>)>,
    /// The first cell, once there is one.
    head: Option<Node>,
    /// The last cell so far.
    last: Option<Node>,
}

const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

struct Reader {
    tokens: Vec<Token>,
    pos: usize,
    prefixes: BTreeMap<String, String>,
    /// The `@base` / `BASE` in force, which relative IRI references (in terms and in
    /// declarations alike) are resolved against, as the parser resolves them.
    base: Option<Iri<String>>,
    frames: Vec<Frame>,
    /// How many anonymous blank nodes have been met.
    anonymous: usize,
    index: Index,
}

impl Reader {
    fn new(tokens: Vec<Token>, base: Option<&str>) -> Self {
        Self {
            tokens,
            pos: 0,
            prefixes: BTreeMap::new(),
            base: base.and_then(|b| Iri::parse(b.to_owned()).ok()),
            frames: vec![Frame::new(State::Subject, None)],
            anonymous: 0,
            index: Index::default(),
        }
    }

    fn top(&mut self) -> &mut Frame {
        if self.frames.is_empty() {
            self.frames.push(Frame::new(State::Subject, None));
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn new_anonymous(&mut self) -> Written {
        self.anonymous += 1;
        Written::Blank(Blank::Anonymous(self.anonymous - 1))
    }

    /// An IRI reference resolved against the base, as the parser does. Without a base (the
    /// loader always gives one) a relative reference stays as written.
    fn resolve_iri(&self, iri: &str) -> String {
        match &self.base {
            Some(base) => base
                .resolve(iri)
                .map(Iri::into_inner)
                .unwrap_or_else(|_| iri.to_owned()),
            None => iri.to_owned(),
        }
    }

    fn resolve(&mut self, token: &Token) -> Option<String> {
        if let Tok::PName { prefix, .. } = &token.tok {
            self.index.used_prefixes.insert(prefix.clone());
        }
        self.resolve_quietly(token)
    }

    /// Like [`Self::resolve`], without counting the prefix as used (the caller records the
    /// same token again later, which counts it).
    fn resolve_quietly(&self, token: &Token) -> Option<String> {
        match &token.tok {
            Tok::PName { prefix, local } => {
                self.prefixes.get(prefix).map(|ns| format!("{ns}{local}"))
            }
            Tok::Iri(iri) => Some(self.resolve_iri(iri)),
            Tok::Keyword(k) if k == "a" => Some(RDF_TYPE.to_owned()),
            _ => None,
        }
    }

    fn record(
        &mut self,
        text: &str,
        position: Position,
        term: Written,
        role: Role,
        subject: Option<Node>,
    ) {
        self.index.occurrences.push(Occurrence {
            term,
            text: text.to_owned(),
            role,
            position,
            subject,
        });
    }

    fn run(mut self) -> Index {
        while self.pos < self.tokens.len() {
            let token = self.tokens[self.pos].clone();
            self.pos += 1;
            match &token.tok {
                Tok::Keyword(k) if k.eq_ignore_ascii_case("prefix") => self.prefix_decl(),
                Tok::Keyword(k) if k.eq_ignore_ascii_case("base") => {
                    if let Some(Tok::Iri(iri)) = self.tokens.get(self.pos).map(|t| t.tok.clone()) {
                        // A relative base is resolved against the one before it.
                        let base = self.resolve_iri(&iri);
                        self.base = Iri::parse(base).ok();
                        self.pos += 1;
                    }
                }
                Tok::Keyword(k) if k.eq_ignore_ascii_case("graph") => {
                    if let Some(next) = self.tokens.get(self.pos).cloned() {
                        self.pos += 1;
                        if let Some(term) = self.written(&next) {
                            self.record(&next.text, next.position, term, Role::Graph, None);
                        }
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
                Tok::Punct('[') => self.open_node(&token),
                Tok::Punct('(') => self.open_collection(&token),
                Tok::Punct(']') | Tok::Punct(')') => self.close(&token),
                Tok::Carets => {
                    if let Some(next) = self.tokens.get(self.pos).cloned() {
                        self.pos += 1;
                        if let Some(iri) = self.resolve(&next) {
                            let subject = self.top().subject.clone();
                            self.record(
                                &next.text,
                                next.position,
                                Written::Iri(iri),
                                Role::Datatype,
                                subject,
                            );
                        }
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
                // The parser resolves a relative namespace against the base, like any IRI.
                let namespace = self.resolve_iri(namespace);
                self.prefixes.insert(prefix.clone(), namespace.clone());
                self.index.prefixes.push(PrefixDecl {
                    name: prefix.clone(),
                    namespace,
                    position: name.position,
                });
                self.pos += 2;
            }
        }
    }

    /// Where the next object of the current frame goes: its subject and predicate. In a
    /// collection that is a new cell, whose `rdf:rest` link (from the cell before) and
    /// `rdf:first` are recorded at the member's position.
    fn object_slot(&mut self, text: &str, at: Position) -> (Option<Node>, Option<String>) {
        let cell: Node = (self.new_anonymous(), at);
        let frame = self.top();
        let Some(collection) = frame.collection.as_mut() else {
            if frame.state != State::Object {
                frame.state = State::AfterObject;
            }
            let slot = (frame.subject.clone(), frame.predicate.clone());
            // Not a collection: the number taken for a cell is given back.
            self.anonymous -= 1;
            return slot;
        };
        let previous = collection.last.replace(cell.clone());
        let around = match previous {
            None => {
                collection.head = Some(cell.clone());
                collection
                    .around
                    .clone()
                    .map(|around| (around, collection.opened))
            }
            Some(_) => None,
        };
        if let Some(((subject, predicate), opened)) = around {
            self.record(
                "(",
                opened,
                cell.0.clone(),
                Role::Object(predicate),
                subject,
            );
        }
        if let Some(previous) = previous {
            self.record(
                text,
                at,
                Written::Iri(RDF_REST.into()),
                Role::Predicate,
                Some(previous.clone()),
            );
            self.record(
                text,
                at,
                cell.0.clone(),
                Role::Object(Some(RDF_REST.into())),
                Some(previous),
            );
        }
        self.record(text, at, cell.0.clone(), Role::Subject, Some(cell.clone()));
        self.record(
            text,
            at,
            Written::Iri(RDF_FIRST.into()),
            Role::Predicate,
            Some(cell.clone()),
        );
        (Some(cell), Some(RDF_FIRST.into()))
    }

    /// A `[`: a new blank node, the object of the triple around it (if any) and the subject of
    /// the triples inside it, both placed at the `[`.
    fn open_node(&mut self, token: &Token) {
        if self.top().state == State::Predicate {
            // `[` cannot be a predicate; treat it as a new subject.
            self.top().state = State::Subject;
        }
        let as_subject = self.top().state == State::Subject && self.top().collection.is_none();
        let around = (!as_subject).then(|| self.object_slot(&token.text, token.position));
        let node: Node = (self.new_anonymous(), token.position);
        if let Some((subject, predicate)) = around {
            self.record(
                &token.text,
                token.position,
                node.0.clone(),
                Role::Object(predicate),
                subject,
            );
        }
        self.record(
            &token.text,
            token.position,
            node.0.clone(),
            Role::Subject,
            Some(node.clone()),
        );
        self.frames.push(Frame::new(State::Predicate, Some(node)));
    }

    /// A `(`: a list, the object of the triple around it or a subject.
    fn open_collection(&mut self, token: &Token) {
        if self.top().state == State::Predicate {
            self.top().state = State::Subject;
        }
        let as_subject = self.top().state == State::Subject && self.top().collection.is_none();
        let around = (!as_subject).then(|| self.object_slot(&token.text, token.position));
        let mut frame = Frame::new(State::Object, None);
        frame.collection = Some(Collection {
            opened: token.position,
            around,
            head: None,
            last: None,
        });
        self.frames.push(frame);
    }

    fn close(&mut self, token: &Token) {
        if self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        // What the closed `[ ... ]` or `( ... )` stands for.
        let node = match frame.collection {
            None => frame.subject,
            Some(collection) => {
                let nil = Written::Iri(RDF_NIL.into());
                match (&collection.last, &collection.around) {
                    (Some(last), _) => {
                        self.record(
                            &token.text,
                            token.position,
                            Written::Iri(RDF_REST.into()),
                            Role::Predicate,
                            Some(last.clone()),
                        );
                        self.record(
                            &token.text,
                            token.position,
                            nil,
                            Role::Object(Some(RDF_REST.into())),
                            Some(last.clone()),
                        );
                        collection.head
                    }
                    // `()` is `rdf:nil`, written at the `(`.
                    (None, Some((subject, predicate))) => {
                        self.record(
                            "()",
                            collection.opened,
                            nil.clone(),
                            Role::Object(predicate.clone()),
                            subject.clone(),
                        );
                        Some((nil, collection.opened))
                    }
                    (None, None) => Some((nil, collection.opened)),
                }
            }
        };
        let frame = self.top();
        frame.state = match frame.state {
            // `[ ... ]` or `( ... )` as subject: predicates follow.
            State::Subject if frame.collection.is_none() => {
                frame.subject = node;
                State::Predicate
            }
            _ if frame.collection.is_some() => State::Object,
            _ => State::AfterObject,
        };
    }

    /// What a term token stands for: an IRI, a literal or a labelled blank node.
    fn written(&mut self, token: &Token) -> Option<Written> {
        let literal = |lexical: &str, datatype: &str| Written::Literal {
            lexical: lexical.to_owned(),
            plain: false,
            datatype: Some(format!("{XSD}{datatype}")),
        };
        match &token.tok {
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
            Tok::Number => {
                let text = token.text.as_str();
                Some(if text.contains(['e', 'E']) {
                    literal(text, "double")
                } else if text.contains('.') {
                    literal(text, "decimal")
                } else {
                    literal(text, "integer")
                })
            }
            Tok::Keyword(k) if k == "true" || k == "false" => Some(literal(k, "boolean")),
            Tok::BNode(label) => Some(Written::Blank(Blank::Label(label.clone()))),
            Tok::Iri(_) | Tok::PName { .. } | Tok::Keyword(_) => {
                self.resolve(token).map(Written::Iri)
            }
            _ => None,
        }
    }

    fn term(&mut self, token: &Token) {
        let written = self.written(token);
        let state = self.top().state;
        match state {
            State::Subject if self.top().collection.is_none() => {
                let role = if matches!(
                    self.tokens.get(self.pos).map(|t| &t.tok),
                    Some(Tok::Punct('{'))
                ) {
                    Role::Graph
                } else {
                    let top = self.top();
                    top.state = State::Predicate;
                    top.subject = written.clone().map(|w| (w, token.position));
                    Role::Subject
                };
                if let Some(term) = written {
                    let subject = match role {
                        Role::Graph => None,
                        _ => self.top().subject.clone(),
                    };
                    self.record(&token.text, token.position, term, role, subject);
                }
            }
            State::Predicate => {
                let iri = match &written {
                    Some(Written::Iri(iri)) => Some(iri.clone()),
                    _ => None,
                };
                let frame = self.top();
                frame.predicate = iri;
                frame.state = State::Object;
                let subject = frame.subject.clone();
                if let Some(term) = written {
                    self.record(&token.text, token.position, term, Role::Predicate, subject);
                }
            }
            _ => {
                // N-Quads: a fourth term on the line is the graph name.
                if state == State::AfterObject && self.top().collection.is_none() {
                    if let Some(term) = written {
                        self.record(&token.text, token.position, term, Role::Graph, None);
                    }
                    return;
                }
                let (subject, predicate) = self.object_slot(&token.text, token.position);
                if let Some(term) = written {
                    self.record(
                        &token.text,
                        token.position,
                        term,
                        Role::Object(predicate),
                        subject,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, Role, u64, u64)> {
        Index::of(text, None)
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
                ("[".into(), Role::Object(Some(ex("p"))), 4, 24),
                ("[".into(), Role::Subject, 4, 24),
                ("ex:r".into(), Role::Predicate, 4, 26),
                ("ex:o".into(), Role::Object(Some(ex("r"))), 4, 31),
            ]
        );
    }

    #[test]
    fn long_strings_and_escapes_do_not_hide_terms() {
        let text = "@prefix ex: <http://e/> .\nex:s ex:p \"\"\"a \"quoted\"\nex:x .\"\"\" ; ex:q \"2019\" ; ex:d \"1\"^^ex:T .\n";
        let index = Index::of(text, None);
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
                _ => None,
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
    fn relative_iris_are_counted_until_the_files_own_base() {
        let text = "<a> <http://e/p> <> .\n@base <rel/> .\n<b> <http://e/p> <c> .\n";
        let index = Index::of(text, Some("file:///case/data/x.ttl"));
        let written: Vec<_> = index
            .relative_iris
            .iter()
            .map(|(iri, at)| (iri.as_str(), at.line, at.column))
            .collect();
        // <rel/> is resolved against the given base too; <b> and <c> against the file's own.
        assert_eq!(written, [("<a>", 1, 1), ("<>", 1, 18), ("<rel/>", 2, 7)]);
        let b = index.first("file:///case/data/rel/b", |r| *r == Role::Subject);
        assert_eq!(b.map(|o| o.position.line), Some(3));
    }

    #[test]
    fn unused_prefix_is_not_counted_as_used_by_its_declaration() {
        let index = Index::of(
            "@prefix ex: <http://e/> .\nPREFIX un: <http://u/>\n<http://e/s> ex:p 1 .\n",
            None,
        );
        assert_eq!(index.prefixes.len(), 2);
        assert!(!index.used_prefixes.contains("un"));
        assert_eq!(index.prefixes[1].position, Position { line: 2, column: 8 });
    }
}
