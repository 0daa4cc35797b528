//! The home page: what the case is, its source articles (file, headline, date, credits) and
//! how much it holds.

use super::index::{cg, Kind};
use super::links::Target;
use super::view::{Ctx, Frame, Value};
use crate::error::Result;
use askama::Template;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, NamedNode, Term};

const DCTERMS: &str = "http://purl.org/dc/terms/";
const SCHEMA: &str = "https://schema.org/";

/// One article on the home page.
pub(crate) struct SourceRow {
    pub link: Value,
    pub label: String,
    pub file: String,
    pub title: String,
    pub date: Option<Value>,
    /// `(how, whom)`: "creator", "editor", "based on a report by"...
    pub credits: Vec<(String, Value)>,
    pub claims: usize,
}

#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    pub frame: Frame,
    pub base: String,
    pub sources: Vec<SourceRow>,
    /// `(what, how many, link)`.
    pub counts: Vec<(String, usize, Option<String>)>,
}

/// The home page.
pub(crate) fn page(ctx: &Ctx<'_>) -> Result<HomePage> {
    let store = ctx.store.store();
    let property = |ns: &str, local: &str| NamedNode::new_unchecked(format!("{ns}{local}"));
    let credit_properties = [
        property(DCTERMS, "creator"),
        property(DCTERMS, "publisher"),
        property(DCTERMS, "contributor"),
        property(SCHEMA, "editor"),
        cg("basedOnReportBy"),
    ];
    let first = |subject: &NamedNode, predicate: &NamedNode| -> Result<Option<Term>> {
        Ok(store
            .quads_for_pattern(
                Some(subject.as_ref().into()),
                Some(predicate.as_ref()),
                None,
                Some(ctx.index.merged()),
            )
            .next()
            .transpose()?
            .map(|q| q.object))
    };
    let text = |term: Option<Term>| match term {
        Some(Term::Literal(l)) => l.value().to_owned(),
        _ => String::new(),
    };
    let mut sources = Vec::new();
    let mut claims_in_all = 0;
    for entry in ctx.index.sources() {
        let mut credits = Vec::new();
        for predicate in &credit_properties {
            for quad in store.quads_for_pattern(
                Some(entry.iri.as_ref().into()),
                Some(predicate.as_ref()),
                None,
                Some(ctx.index.merged()),
            ) {
                credits.push((ctx.label(predicate.as_ref()), ctx.value(&quad?.object)));
            }
        }
        let claims = store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(entry.iri.as_ref())),
            )
            .count();
        claims_in_all += claims;
        sources.push(SourceRow {
            link: ctx.sources(std::slice::from_ref(&entry.iri)).remove(0),
            label: entry.label.clone(),
            file: text(first(&entry.iri, &property(DCTERMS, "identifier"))?),
            title: text(first(&entry.iri, &property(DCTERMS, "title"))?),
            date: first(&entry.iri, &property(DCTERMS, "date"))?.map(|d| ctx.value(&d)),
            credits,
            claims,
        });
    }
    let typed = |class: NamedNode| {
        store
            .quads_for_pattern(
                None,
                Some(rdf::TYPE),
                Some(class.as_ref().into()),
                Some(ctx.index.merged()),
            )
            .count()
    };
    let mut dated = Vec::new();
    for quad in store.quads_for_pattern(
        None,
        Some(cg("date").as_ref()),
        None,
        Some(ctx.index.merged()),
    ) {
        dated.push(quad?.subject);
    }
    dated.sort_by_key(ToString::to_string);
    dated.dedup();
    let entities = ctx
        .index
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Entity)
        .count();
    Ok(HomePage {
        frame: ctx.frame(ctx.case_name()),
        base: ctx.prefixes.get("case").unwrap_or_default().to_owned(),
        counts: vec![
            (
                "source articles".to_owned(),
                sources.len(),
                Some(ctx.href(Target::Home) + "#sources"),
            ),
            (
                "entities and events".to_owned(),
                entities,
                Some(ctx.href(Target::Entities)),
            ),
            (
                "claims made by the articles".to_owned(),
                claims_in_all,
                None,
            ),
            (
                "dated events".to_owned(),
                dated.len(),
                Some(ctx.href(Target::Timeline)),
            ),
            ("quotations".to_owned(), typed(cg("Quote")), None),
            (
                "disagreements between the articles".to_owned(),
                typed(cg("Disagreement")),
                Some(ctx.href(Target::Disagreements)),
            ),
        ],
        sources,
    })
}
