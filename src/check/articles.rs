//! `check --articles DIR`: every `cg:evidence` and `cg:quoteText` in an article's graph must be
//! written, word for word, in that article's text.
//!
//! Each source article names its text file (`dcterms:identifier "000_40b9….txt"`); the claims
//! it makes are in the named graph named after it. A string is found in the text when it is a
//! part of it, with runs of whitespace counted as one space and nothing else changed. What is
//! reported, at the literal as written in its file:
//!
//! | code                        | severity | what                                                  |
//! |-----------------------------|----------|-------------------------------------------------------|
//! | `evidence-not-in-article`   | error    | not in the text; shows the closest passage            |
//! | `evidence-typography`       | error    | in the text but for quotation marks, apostrophes or dashes |
//! | `quote-not-quoted`          | warning  | a `cg:Quote`'s words are in the text, outside quotation marks |
//! | `article-missing`           | warning  | the article names no text file, or DIR does not hold it |
//!
//! The closest passage is the run of the article's words with the fewest word edits
//! (insertions, deletions, substitutions) from the string's words: an approximate substring
//! match (Sellers' algorithm), on words so that it is quick on long articles.

use super::positions::RDF_TYPE;
use super::{Diagnostic, Severity, Sources};
use crate::case::Part;
use crate::query::table::escape_controls;
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{GraphName, NamedOrBlankNode, Term};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

const CG: &str = "https://w3id.org/casegraph/ontology#";
const DCTERMS_IDENTIFIER: &str = "http://purl.org/dc/terms/identifier";

/// The longest passage a message shows, in characters; a longer one is cut in the middle.
const SHOWN: usize = 320;

/// Checks the case's evidence and quotes against the article texts in `dir`.
pub fn run(sources: &Sources, dir: &Path, prefixes: &Prefixes) -> Vec<Diagnostic> {
    let evidence = format!("{CG}evidence");
    let quote_text = format!("{CG}quoteText");
    let quote_class = format!("{CG}Quote");
    let source_class = format!("{CG}SourceArticle");
    let mut out = Vec::new();

    // Source articles and the text file each names, over every data file.
    let mut articles: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut quotes: HashSet<NamedOrBlankNode> = HashSet::new();
    for quad in sources.part(Part::Data).flat_map(|f| &f.quads) {
        if quad.predicate.as_str() == RDF_TYPE {
            if let Term::NamedNode(class) = &quad.object {
                if class.as_str() == source_class {
                    if let NamedOrBlankNode::NamedNode(s) = &quad.subject {
                        articles.entry(s.as_str().to_owned()).or_default();
                    }
                }
                if class.as_str() == quote_class {
                    quotes.insert(quad.subject.clone());
                }
            }
        }
    }
    for quad in sources.part(Part::Data).flat_map(|f| &f.quads) {
        if let (NamedOrBlankNode::NamedNode(s), Term::Literal(name)) = (&quad.subject, &quad.object)
        {
            if quad.predicate.as_str() == DCTERMS_IDENTIFIER {
                if let Some(entry) = articles.get_mut(s.as_str()) {
                    entry.get_or_insert_with(|| name.value().to_owned());
                }
            }
        }
    }

    // Each article's text, read once; `None` (and one warning) when it cannot be.
    let mut texts: BTreeMap<&str, Option<Text>> = BTreeMap::new();
    for (article, name) in &articles {
        let text = match name {
            None => {
                warn_missing(
                    sources,
                    article,
                    None,
                    format!(
                        "source article `{}` names no text file (`dcterms:identifier`), so its evidence cannot be checked",
                        prefixes.compact(article)
                    ),
                    &mut out,
                );
                None
            }
            Some(name) => match read_text(&dir.join(name)) {
                Ok(text) => Some(Text::new(&text)),
                Err(why) => {
                    warn_missing(
                        sources,
                        article,
                        Some(name),
                        format!(
                            "the text of source article `{}` ({}) {why}, so its evidence is not checked",
                            prefixes.compact(article),
                            dir.join(name).display()
                        ),
                        &mut out,
                    );
                    None
                }
            },
        };
        texts.insert(article.as_str(), text);
    }

    for file in sources.part(Part::Data) {
        for quad in &file.quads {
            let GraphName::NamedNode(graph) = &quad.graph_name else {
                continue;
            };
            let predicate = quad.predicate.as_str();
            if predicate != evidence && predicate != quote_text {
                continue;
            }
            let Term::Literal(literal) = &quad.object else {
                continue;
            };
            let Some(Some(text)) = texts.get(graph.as_str()) else {
                continue;
            };
            let subject = Term::from(quad.subject.clone());
            let what = format!(
                "the `{}` of `{}`",
                prefixes.compact(predicate),
                describe(&subject, prefixes)
            );
            let article = articles[graph.as_str()].as_deref().unwrap_or_default();
            let problem = match text.find(literal.value()) {
                Found::At(start, end) => {
                    let is_quote = predicate == quote_text && quotes.contains(&quad.subject);
                    if !is_quote || text.is_quoted(start, end) {
                        continue;
                    }
                    (
                        Severity::Warning,
                        "quote-not-quoted",
                        format!("{what} is a quote, but {article} has these words outside quotation marks"),
                    )
                }
                Found::Typography(start, end) => (
                    Severity::Error,
                    "evidence-typography",
                    format!(
                        "{what} differs from {article} in its quotation marks, apostrophes or dashes; the article has: \"{}\"",
                        shown(&text.passage(start, end))
                    ),
                ),
                Found::Closest(start, end) => (
                    Severity::Error,
                    "evidence-not-in-article",
                    format!(
                        "{what} is not written in {article}; the closest passage of the article has: \"{}\"",
                        shown(&text.passage(start, end))
                    ),
                ),
                Found::Nothing => (
                    Severity::Error,
                    "evidence-not-in-article",
                    format!("{what} is not written in {article}, which has no words"),
                ),
            };
            let (severity, code, message) = problem;
            let position = file.value_position(&subject, Some(predicate), &quad.object);
            out.push(Diagnostic::new(
                &file.path, position, severity, code, message,
            ));
        }
    }
    out
}

/// The text file, as UTF-8; what is wrong with it otherwise, in words.
fn read_text(path: &Path) -> Result<String, String> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            format!(
                "is not UTF-8 (byte {} is not valid)",
                e.utf8_error().valid_up_to()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("is not there".to_owned()),
        Err(e) => Err(format!("cannot be read: {e}")),
    }
}

/// An `article-missing` warning about `article`: at its `dcterms:identifier` value `name` as
/// written, or (naming no file) at its defining place.
fn warn_missing(
    sources: &Sources,
    article: &str,
    name: Option<&str>,
    message: String,
    out: &mut Vec<Diagnostic>,
) {
    let node = Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(article));
    let place = match name {
        Some(name) => {
            let value = Term::Literal(oxigraph::model::Literal::new_simple_literal(name));
            sources.locate_value(&node, Some(DCTERMS_IDENTIFIER), &value)
        }
        None => sources.locate(&node),
    };
    if let Some((file, position)) = place {
        out.push(Diagnostic::new(
            &file,
            position,
            Severity::Warning,
            "article-missing",
            message,
        ));
    }
}

/// A node as messages name it: an IRI short, a blank node as "a blank node" (its label changes
/// from run to run; the position says which).
fn describe(node: &Term, prefixes: &Prefixes) -> String {
    match node {
        Term::NamedNode(n) => prefixes.compact(n.as_str()),
        _ => "a blank node".to_owned(),
    }
}

/// A passage for a message: control characters shown escaped, a long one cut in the middle.
fn shown(passage: &str) -> String {
    let chars: Vec<char> = passage.chars().collect();
    let cut = if chars.len() > SHOWN {
        let half = SHOWN / 2;
        let head: String = chars[..half].iter().collect();
        let tail: String = chars[chars.len() - half..].iter().collect();
        format!("{head} … {tail}")
    } else {
        passage.to_owned()
    };
    escape_controls(&cut)
}

/// Where a string was found in an article, in characters of the normalised text.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// Exactly (whitespace runs aside).
    At(usize, usize),
    /// Only with quotation marks, apostrophes and dashes made plain.
    Typography(usize, usize),
    /// Not found; the closest passage.
    Closest(usize, usize),
    /// The article has no words to compare with.
    Nothing,
}

/// An article's text, normalised for matching: every run of whitespace one space.
struct Text {
    /// The normalised characters.
    chars: Vec<char>,
    /// The same with typographic marks made plain ([`plain`]), index for index.
    plain: Vec<char>,
    /// For each normalised character, whether it is inside double quotation marks, or right
    /// after an opening single one, in the article.
    quoted: Vec<bool>,
    /// The normalised text's words, as character ranges.
    words: Vec<(usize, usize)>,
}

impl Text {
    fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut quoted = Vec::with_capacity(text.len());
        // Double quotation marks open and close within a paragraph (a line of the file); a
        // straight one opens or closes by turns.
        let mut inside = false;
        let mut last_space = true;
        for c in text.chars() {
            if c == '\n' {
                inside = false;
            }
            if c.is_whitespace() {
                if !last_space {
                    chars.push(' ');
                    quoted.push(inside);
                }
                last_space = true;
                continue;
            }
            last_space = false;
            match c {
                '“' | '„' => inside = true,
                '”' => inside = false,
                '"' => inside = !inside,
                _ => {}
            }
            chars.push(c);
            quoted.push(inside);
        }
        if chars.last() == Some(&' ') {
            chars.pop();
            quoted.pop();
        }
        let plain = chars.iter().copied().map(plain).collect();
        let words = words(&chars);
        Self {
            chars,
            plain,
            quoted,
            words,
        }
    }

    fn find(&self, literal: &str) -> Found {
        let wanted = Text::new(literal).chars;
        if wanted.is_empty() {
            return Found::At(0, 0);
        }
        if let Some(start) = position(&self.chars, &wanted) {
            return Found::At(start, start + wanted.len());
        }
        let wanted_plain: Vec<char> = wanted.iter().copied().map(plain).collect();
        if let Some(start) = position(&self.plain, &wanted_plain) {
            return Found::Typography(start, start + wanted.len());
        }
        match self.closest(&wanted) {
            Some((start, end)) => Found::Closest(start, end),
            None => Found::Nothing,
        }
    }

    /// Whether the characters `start..end` are quoted in the article: inside double
    /// quotation marks from first to last, or right after an opening single quotation mark.
    fn is_quoted(&self, start: usize, end: usize) -> bool {
        if end > start && self.quoted[start..end].iter().all(|q| *q) {
            return true;
        }
        // `‘…’` or a straight `'…'` around the words (an apostrophe inside a word is no
        // opening mark: it follows a letter).
        let before = self.chars[..start].iter().rev().find(|c| **c != ' ');
        let opens_single = match before {
            Some('‘') => true,
            Some('\'') => start < 2 || !self.chars[start - 2].is_alphanumeric(),
            _ => false,
        };
        // A quote may also begin with its own opening mark, written into the string.
        let starts_quoted = matches!(self.chars.get(start), Some('“' | '"' | '‘'));
        opens_single || starts_quoted
    }

    fn passage(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// The run of words with the fewest word edits from `wanted`'s words, as a character
    /// range of the text; of equal runs, the one nearest `wanted` in length, then the first.
    fn closest(&self, wanted: &[char]) -> Option<(usize, usize)> {
        // Words are compared without the punctuation around them, so that `“The` in the
        // article lines up with `The` in the string.
        let text_words: Vec<&[char]> = self
            .words
            .iter()
            .map(|(s, e)| bare(&self.chars[*s..*e]))
            .collect();
        let wanted_words: Vec<&[char]> = words(wanted)
            .iter()
            .map(|(s, e)| bare(&wanted[*s..*e]))
            .collect();
        if text_words.is_empty() || wanted_words.is_empty() {
            return None;
        }
        // Sellers: row i is the cost of matching the first i wanted words against a run of
        // text words ending at j; a run may start anywhere (row 0 is all zeros). Each cell
        // also carries the index of the run's first word.
        let n = text_words.len();
        let mut previous: Vec<(usize, usize)> = (0..=n).map(|j| (0, j)).collect();
        let mut current = vec![(0, 0); n + 1];
        for (i, w) in wanted_words.iter().enumerate() {
            current[0] = (i + 1, 0);
            for j in 1..=n {
                let substitute = (
                    previous[j - 1].0 + usize::from(text_words[j - 1] != *w),
                    previous[j - 1].1,
                );
                let skip_wanted = (previous[j].0 + 1, previous[j].1);
                let skip_text = (current[j - 1].0 + 1, current[j - 1].1);
                current[j] = [substitute, skip_wanted, skip_text]
                    .into_iter()
                    .min_by_key(|(cost, from)| (*cost, std::cmp::Reverse(*from)))
                    .unwrap_or(substitute);
            }
            std::mem::swap(&mut previous, &mut current);
        }
        // The fewest edits; among those, the run nearest the wanted length, then the first.
        let wanted_len = wanted_words.len();
        let (end, &(_, first)) = previous
            .iter()
            .enumerate()
            .skip(1)
            .min_by_key(|(j, (cost, from))| (*cost, (j - from).abs_diff(wanted_len), *j))?;
        let first = first.min(end - 1);
        Some((self.words[first].0, self.words[end - 1].1))
    }
}

/// The character ranges of the space-separated words of normalised text.
fn words(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c == &' ', start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// A word without the punctuation before and after it (all of it, if it has no letter or
/// digit).
fn bare(word: &[char]) -> &[char] {
    let start = word.iter().position(|c| c.is_alphanumeric());
    let end = word.iter().rposition(|c| c.is_alphanumeric());
    match (start, end) {
        (Some(s), Some(e)) => &word[s..=e],
        _ => word,
    }
}

/// The first index at which `needle` occurs in `haystack`.
fn position(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A quotation mark, apostrophe or dash as its plain ASCII form; any other character as is.
/// One character for one, so that indices carry over.
fn plain(c: char) -> char {
    match c {
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "The minister said on Friday that the firm’s work\n\
        “would harm   national security” and must stop.\n\
        Officials called it 'a careful review' of the case — nothing more.\n";

    #[test]
    fn whitespace_runs_count_as_one() {
        let text = Text::new(ARTICLE);
        assert!(matches!(
            text.find("firm’s work “would harm national security”"),
            Found::At(..)
        ));
        assert!(matches!(text.find("  work\t“would "), Found::At(..)));
    }

    #[test]
    fn quotation_marks_and_dashes_are_their_own_difference() {
        let text = Text::new(ARTICLE);
        let found = text.find("the firm's work");
        let Found::Typography(s, e) = found else {
            panic!("{found:?}")
        };
        assert_eq!(text.passage(s, e), "the firm’s work");
        assert!(matches!(
            text.find("the case - nothing"),
            Found::Typography(..)
        ));
    }

    /// The closest passage `text` has to `wanted`, which it must not hold.
    fn closest(text: &Text, wanted: &str) -> String {
        match text.find(wanted) {
            Found::Closest(s, e) => text.passage(s, e),
            other => panic!("{wanted}: {other:?}"),
        }
    }

    #[test]
    fn the_closest_passage_is_the_run_with_fewest_word_edits() {
        let text = Text::new(ARTICLE);
        // `“would` lines up with `would`: punctuation around a word is not an edit.
        assert_eq!(
            closest(&text, "would harm national safety” and must"),
            "“would harm national security” and must"
        );
        // A word changed inside a longer string: the passage spans the whole of it.
        assert_eq!(
            closest(&text, "Officials called it a careless review of the case"),
            "Officials called it 'a careful review' of the case"
        );
        // Of two runs as close, the one as long as the string: "province", not a word short.
        assert_eq!(
            closest(
                &Text::new("It covers every office in the province."),
                "It covers every office in the country."
            ),
            "It covers every office in the province."
        );
    }

    #[test]
    fn quotes_are_inside_quotation_marks() {
        let text = Text::new(ARTICLE);
        let at = |s: &str| match text.find(s) {
            Found::At(a, b) => (a, b),
            other => panic!("{other:?}"),
        };
        let (a, b) = at("would harm national security");
        assert!(text.is_quoted(a, b));
        let (a, b) = at("a careful review");
        assert!(text.is_quoted(a, b));
        let (a, b) = at("the firm’s work");
        assert!(!text.is_quoted(a, b));
        // A straight double quotation mark opens and closes by turns, within a paragraph.
        let text = Text::new("He said \"stop now\" and left.\n\"Go\" she said");
        let (a, b) = match text.find("stop now") {
            Found::At(a, b) => (a, b),
            other => panic!("{other:?}"),
        };
        assert!(text.is_quoted(a, b));
        let (a, b) = match text.find("and left") {
            Found::At(a, b) => (a, b),
            other => panic!("{other:?}"),
        };
        assert!(!text.is_quoted(a, b));
    }

    #[test]
    fn an_empty_article_has_no_closest_passage() {
        assert_eq!(Text::new(" \n").find("anything"), Found::Nothing);
    }
}
