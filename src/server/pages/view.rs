//! What every page shows the same way: the frame around it (title, navigation, search box) and
//! a term as a value (a link to its page, a name, or a literal with its precision).
//!
//! These hold plain text; the templates escape each for where it goes.

use super::index::{Index, Kind};
use super::links::{Links, Target};
use crate::rdf::prefixes::Prefixes;
use crate::store::CaseStore;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNodeRef, Term};

/// What a page is rendered with.
pub(crate) struct Ctx<'a> {
    pub store: &'a CaseStore,
    pub index: &'a Index,
    pub prefixes: &'a Prefixes,
    pub links: Links,
}

/// The frame of every page.
pub(crate) struct Frame {
    pub title: String,
    pub case: String,
    pub home: String,
    pub entities: String,
    pub timeline: String,
    pub disagreements: String,
    pub queries: String,
    /// The query editor, on a server.
    pub editor: Option<String>,
    /// Where the search box sends its text: the search on a server, the list of entities
    /// (which the page's script filters) in a static site.
    pub search: String,
    pub stylesheet: String,
    pub script: String,
    pub icon: String,
    /// Served pages say that nothing may come from elsewhere (a static site's files have no
    /// origin for a policy to name).
    pub served: bool,
}

/// A term as a page shows it.
#[derive(Clone)]
pub(crate) struct Value {
    pub text: String,
    /// Its page, when it has one.
    pub href: Option<String>,
    /// Its language tag, for the `lang` attribute.
    pub lang: String,
    /// What kind of value it is, when that is not plain text: a date's precision, a datatype.
    pub note: String,
    /// An IRI without a page (shown as its prefixed name).
    pub code: bool,
}

impl Ctx<'_> {
    /// The link to `target` (a site has a file for every target a page links to).
    pub fn href(&self, target: Target<'_>) -> String {
        self.links.href(target).unwrap_or_default()
    }

    /// The frame, with `title`.
    pub fn frame(&self, title: impl Into<String>) -> Frame {
        Frame {
            title: title.into(),
            case: self.case_name(),
            home: self.href(Target::Home),
            entities: self.href(Target::Entities),
            timeline: self.href(Target::Timeline),
            disagreements: self.href(Target::Disagreements),
            queries: self.href(Target::Queries),
            editor: self.links.href(Target::Query(None)),
            search: self
                .href(Target::Search(""))
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned(),
            stylesheet: self.href(Target::Asset("style.css")),
            script: self.href(Target::Asset("pages.js")),
            icon: self.href(Target::Asset("icon.svg")),
            served: self.links.served(),
        }
    }

    /// The case's name: the last segment of the IRI its `case:` prefix names, else a
    /// generic one.
    pub fn case_name(&self) -> String {
        self.prefixes
            .get("case")
            .and_then(|iri| iri.trim_end_matches(['/', '#']).rsplit('/').next())
            .filter(|name| !name.is_empty())
            .map_or_else(|| "casegraph case".to_owned(), str::to_owned)
    }

    /// The link to the page of `iri`, if it has one.
    pub fn page_of(&self, iri: NamedNodeRef<'_>) -> Option<String> {
        self.index.get(iri).map(|entry| match entry.kind {
            Kind::Source => self.href(Target::Source(&entry.slug)),
            Kind::Entity => self.href(Target::Entity(&entry.slug)),
        })
    }

    /// The label of `iri`.
    pub fn label(&self, iri: NamedNodeRef<'_>) -> String {
        self.index.label(self.prefixes, iri)
    }

    /// `iri` as a link to its page, else its label as a name.
    pub fn node(&self, iri: NamedNodeRef<'_>) -> Value {
        let href = self.page_of(iri);
        Value {
            code: href.is_none() && self.index.labels.get(&iri.into_owned().into()).is_none(),
            text: self.label(iri),
            href,
            lang: String::new(),
            note: String::new(),
        }
    }

    /// Any term as a value.
    pub fn value(&self, term: &Term) -> Value {
        match term {
            Term::NamedNode(iri) => self.node(iri.as_ref()),
            Term::BlankNode(node) => Value {
                text: format!("_:{}", node.as_str()),
                href: None,
                lang: String::new(),
                note: "unnamed node".to_owned(),
                code: true,
            },
            Term::Triple(triple) => Value {
                text: triple.to_string(),
                href: None,
                lang: String::new(),
                note: "quoted triple".to_owned(),
                code: true,
            },
            Term::Literal(literal) => {
                let datatype = literal.datatype();
                let note = if datatype == xsd::DATE || datatype == xsd::DATE_TIME {
                    "day".to_owned()
                } else if datatype == xsd::G_YEAR_MONTH {
                    "month".to_owned()
                } else if datatype == xsd::G_YEAR {
                    "year".to_owned()
                } else if datatype == xsd::STRING
                    || literal.language().is_some()
                    // Numbers and truth values read as what they are.
                    || [xsd::INTEGER, xsd::DECIMAL, xsd::DOUBLE, xsd::BOOLEAN].contains(&datatype)
                {
                    String::new()
                } else {
                    self.prefixes.compact(datatype.as_str())
                };
                Value {
                    text: literal.value().to_owned(),
                    href: None,
                    lang: literal.language().unwrap_or_default().to_owned(),
                    note,
                    code: false,
                }
            }
        }
    }

    /// Links to the articles `sources`, by their short names.
    pub fn sources(&self, sources: &[oxigraph::model::NamedNode]) -> Vec<Value> {
        sources
            .iter()
            .map(|source| {
                let mut value = self.node(source.as_ref());
                // The article's short name (`source-000`): its label is a sentence.
                value.text = self
                    .index
                    .get(source.as_ref())
                    .map_or_else(|| value.text.clone(), |e| e.slug.clone());
                value
            })
            .collect()
    }
}
