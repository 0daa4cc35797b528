//! The timeline: every dated event, oldest first, at the precision each article gives (a day,
//! a month, a year), with the articles that date it so and how they worked the date out.

use super::index::cg;
use super::view::{Ctx, Frame, Value};
use crate::error::Result;
use askama::Template;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Term};

/// One event at one date.
pub(crate) struct Row {
    pub date: Value,
    pub event: Value,
    /// The kinds the articles give it.
    pub kinds: Vec<String>,
    pub sources: Vec<Value>,
    /// `(article, note)`: how each article's date was read.
    pub notes: Vec<(Value, String)>,
}

#[derive(Template)]
#[template(path = "timeline.html")]
pub(crate) struct TimelinePage {
    pub frame: Frame,
    pub rows: Vec<Row>,
}

/// The timeline page.
pub(crate) fn page(ctx: &Ctx<'_>) -> Result<TimelinePage> {
    let store = ctx.store.store();
    let (date, note) = (cg("date"), cg("dateNote"));
    // (date text, event label, event, date term) -> articles
    let mut dated: Vec<(String, String, NamedNode, Term, NamedNode)> = Vec::new();
    for quad in store.quads_for_pattern(None, Some(date.as_ref()), None, None) {
        let quad = quad?;
        let (GraphName::NamedNode(source), NamedOrBlankNode::NamedNode(event)) =
            (quad.graph_name, quad.subject)
        else {
            continue;
        };
        if !ctx.index.is_source(source.as_ref()) {
            continue;
        }
        let text = match &quad.object {
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        };
        dated.push((text, ctx.label(event.as_ref()), event, quad.object, source));
    }
    dated.sort_by(|a, b| {
        (&a.0, &a.1, a.2.as_str(), a.3.to_string(), a.4.as_str()).cmp(&(
            &b.0,
            &b.1,
            b.2.as_str(),
            b.3.to_string(),
            b.4.as_str(),
        ))
    });
    let in_graph = |event: &NamedNode, predicate: &NamedNode, source: &NamedNode| {
        store
            .quads_for_pattern(
                Some(event.as_ref().into()),
                Some(predicate.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(source.as_ref())),
            )
            .map(|q| q.map(|q| q.object))
            .collect::<std::result::Result<Vec<Term>, _>>()
    };
    let mut rows: Vec<(NamedNode, Term, Vec<NamedNode>)> = Vec::new();
    for (_, _, event, term, source) in dated {
        match rows.last_mut() {
            Some((e, t, sources)) if *e == event && *t == term => sources.push(source),
            _ => rows.push((event, term, vec![source])),
        }
    }
    let mut views = Vec::with_capacity(rows.len());
    for (event, term, sources) in rows {
        let mut kinds = Vec::new();
        let mut notes = Vec::new();
        for source in &sources {
            for kind in in_graph(&event, &rdf::TYPE.into_owned(), source)? {
                if let Term::NamedNode(kind) = kind {
                    kinds.push(ctx.label(kind.as_ref()));
                }
            }
            for text in in_graph(&event, &note, source)? {
                if let Term::Literal(text) = text {
                    let link = ctx.sources(std::slice::from_ref(source)).remove(0);
                    notes.push((link, text.value().to_owned()));
                }
            }
        }
        kinds.sort();
        kinds.dedup();
        views.push(Row {
            date: ctx.value(&term),
            event: ctx.node(event.as_ref()),
            kinds,
            sources: ctx.sources(&sources),
            notes,
        });
    }
    Ok(TimelinePage {
        frame: ctx.frame("Timeline"),
        rows: views,
    })
}
