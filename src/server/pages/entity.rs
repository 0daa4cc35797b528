//! The page of an entity or event: every claim the articles make about it, grouped by property,
//! each value with the articles that state it; their verbatim evidence and quotes; the claims
//! that point at it; its neighbourhood drawn.

use super::claims::{group, Grouped, PropertyView};
use super::index::{cg, Entry};
use super::links::Target;
use super::view::{Ctx, Frame, Value};
use crate::error::{Error, Result};
use crate::export::render::{self, ImageFormat};
use crate::export::{GraphFormat, WriteContext};
use crate::graph::GraphOptions;
use askama::Template;
use oxigraph::model::vocab::rdfs;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Term};

/// What one article says of the entity in its own words.
pub(crate) struct EvidenceView {
    pub source: Value,
    /// The anchor the claims' source links point to.
    pub anchor: String,
    pub texts: Vec<String>,
}

/// A quotation by the entity, or part of it.
pub(crate) struct QuoteView {
    pub text: String,
    pub speaker: Option<Value>,
    pub part_of: Option<Value>,
    pub source: Value,
}

/// A claim whose value is the entity.
pub(crate) struct IncomingView {
    pub subject: Value,
    pub property: String,
    pub sources: Vec<Value>,
}

#[derive(Template)]
#[template(path = "entity.html")]
pub(crate) struct EntityPage {
    pub frame: Frame,
    pub label: String,
    pub compact: String,
    pub iri: String,
    pub alt_labels: Vec<String>,
    pub classes: Vec<String>,
    pub notes: Vec<String>,
    pub properties: Vec<PropertyView>,
    pub evidence: Vec<EvidenceView>,
    pub quotes: Vec<QuoteView>,
    pub incoming: Vec<IncomingView>,
    /// The drawing of its neighbourhood, when Graphviz is installed.
    pub drawing: Option<String>,
    /// The entities it is linked with, when it cannot be drawn.
    pub neighbours: Vec<Value>,
}

/// The anchor of an article's section on an entity page.
pub(crate) fn anchor(entry: Option<&Entry>, source: &NamedNode) -> String {
    format!(
        "from-{}",
        entry.map_or(source.as_str(), |e| e.slug.as_str())
    )
}

/// The page of `entry`.
pub(crate) fn page(ctx: &Ctx<'_>, entry: &Entry, drawable: bool) -> Result<EntityPage> {
    let store = ctx.store.store();
    let subject: NamedOrBlankNode = entry.iri.clone().into();
    let evidence_property = cg("evidence");
    let mut claims = Vec::new();
    let mut evidence: Vec<(NamedNode, String)> = Vec::new();
    for quad in store.quads_for_pattern(Some(subject.as_ref()), None, None, None) {
        let quad = quad?;
        let GraphName::NamedNode(source) = quad.graph_name else {
            continue;
        };
        if !ctx.index.is_source(source.as_ref()) {
            continue;
        }
        match quad.object {
            Term::Literal(text) if quad.predicate == evidence_property => {
                evidence.push((source, text.value().to_owned()));
            }
            object => claims.push(((quad.predicate, object), source)),
        }
    }
    let grouped = group(claims);
    let mut claiming: Vec<NamedNode> = grouped.iter().flat_map(|g| g.sources.clone()).collect();
    claiming.sort();
    claiming.dedup();
    let properties = super::claims::properties(ctx, grouped);
    evidence.sort();
    let mut evidence_views: Vec<EvidenceView> = Vec::new();
    for (source, text) in evidence {
        match evidence_views.last_mut() {
            Some(last) if last.anchor == anchor(ctx.index.get(source.as_ref()), &source) => {
                last.texts.push(text);
            }
            _ => evidence_views.push(EvidenceView {
                source: ctx.sources(std::slice::from_ref(&source)).remove(0),
                anchor: anchor(ctx.index.get(source.as_ref()), &source),
                texts: vec![text],
            }),
        }
    }
    // Every article that makes a claim has a section, which its claims link to.
    for source in &claiming {
        let anchor = anchor(ctx.index.get(source.as_ref()), source);
        if !evidence_views.iter().any(|e| e.anchor == anchor) {
            evidence_views.push(EvidenceView {
                source: ctx.sources(std::slice::from_ref(source)).remove(0),
                anchor,
                texts: Vec::new(),
            });
        }
    }
    evidence_views.sort_by(|a, b| a.anchor.cmp(&b.anchor));
    let quotes = quotes(ctx, &entry.iri)?;
    let mut incoming = Vec::new();
    for quad in store.quads_for_pattern(None, None, Some(entry.iri.as_ref().into()), None) {
        let quad = quad?;
        let (GraphName::NamedNode(source), NamedOrBlankNode::NamedNode(s)) =
            (quad.graph_name, quad.subject)
        else {
            continue;
        };
        if ctx.index.is_source(source.as_ref()) {
            incoming.push(((quad.predicate, Term::NamedNode(s)), source));
        }
    }
    let incoming: Vec<IncomingView> = group(incoming)
        .into_iter()
        .map(
            |Grouped {
                 key: (p, s),
                 sources,
             }| IncomingView {
                subject: ctx.value(&s),
                property: ctx.label(p.as_ref()),
                sources: ctx.sources(&sources),
            },
        )
        .collect();
    let mut notes = Vec::new();
    for quad in store.quads_for_pattern(
        Some(subject.as_ref()),
        Some(rdfs::COMMENT),
        None,
        Some(ctx.index.merged()),
    ) {
        if let Term::Literal(text) = quad?.object {
            notes.push(text.value().to_owned());
        }
    }
    notes.sort();
    let drawing = drawable.then(|| ctx.href(Target::Graph(&entry.slug)));
    let neighbours = if drawing.is_some() {
        Vec::new()
    } else {
        neighbours(&properties, &incoming)
    };
    Ok(EntityPage {
        frame: ctx.frame(&entry.label),
        label: entry.label.clone(),
        compact: entry.compact.clone(),
        iri: entry.iri.as_str().to_owned(),
        alt_labels: entry.alt_labels.clone(),
        classes: entry.classes.iter().map(|(_, l)| l.clone()).collect(),
        notes,
        properties,
        evidence: evidence_views,
        quotes,
        incoming,
        drawing,
        neighbours,
    })
}

/// The quotations whose speaker is `iri` or that are part of it, in every article.
fn quotes(ctx: &Ctx<'_>, iri: &NamedNode) -> Result<Vec<QuoteView>> {
    let store = ctx.store.store();
    let (speaker, part_of, text) = (cg("speaker"), cg("partOf"), cg("quoteText"));
    let mut found: Vec<(NamedOrBlankNode, NamedNode)> = Vec::new();
    for predicate in [&speaker, &part_of] {
        for quad in store.quads_for_pattern(
            None,
            Some(predicate.as_ref()),
            Some(iri.as_ref().into()),
            None,
        ) {
            let quad = quad?;
            if let GraphName::NamedNode(source) = quad.graph_name {
                if ctx.index.is_source(source.as_ref()) {
                    found.push((quad.subject, source));
                }
            }
        }
    }
    found.sort_by(|a, b| (a.1.as_str(), a.0.to_string()).cmp(&(b.1.as_str(), b.0.to_string())));
    found.dedup();
    let one = |quote: &NamedOrBlankNode, predicate: &NamedNode, graph: &NamedNode| {
        store
            .quads_for_pattern(
                Some(quote.as_ref()),
                Some(predicate.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()
            .map(|q| q.map(|q| q.object))
    };
    let mut views = Vec::new();
    for (quote, source) in found {
        let Some(Term::Literal(words)) = one(&quote, &text, &source)? else {
            continue;
        };
        views.push(QuoteView {
            text: words.value().to_owned(),
            speaker: one(&quote, &speaker, &source)?.map(|t| ctx.value(&t)),
            part_of: one(&quote, &part_of, &source)?.map(|t| ctx.value(&t)),
            source: ctx.sources(std::slice::from_ref(&source)).remove(0),
        });
    }
    Ok(views)
}

/// The entities linked with this one, each once, for when there is no drawing.
fn neighbours(out: &[PropertyView], incoming: &[IncomingView]) -> Vec<Value> {
    let mut seen = std::collections::BTreeMap::new();
    let linked = out
        .iter()
        .flat_map(|p| p.values.iter().map(|v| &v.value))
        .chain(incoming.iter().map(|i| &i.subject));
    for value in linked {
        if let Some(href) = &value.href {
            seen.entry(href.clone()).or_insert_with(|| Value {
                text: value.text.clone(),
                href: Some(href.clone()),
                lang: String::new(),
                note: String::new(),
                code: false,
            });
        }
    }
    seen.into_values().collect()
}

/// The neighbourhood of `entry` (one link away) drawn by Graphviz as SVG: the DOT drawing of
/// `casegraph export --format dot --focus IRI --depth 1`.
pub(crate) fn drawing(ctx: &Ctx<'_>, entry: &Entry, dot: &std::path::Path) -> Result<Vec<u8>> {
    // The default graph holds every triple once: the merge the drawing is made of.
    let quads = ctx
        .store
        .store()
        .quads_for_pattern(None, None, None, Some(ctx.index.merged()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let options = GraphOptions {
        focus: Some(Term::NamedNode(entry.iri.clone())),
        depth: Some(1),
        ..GraphOptions::default()
    };
    let context = WriteContext {
        prefixes: ctx.prefixes,
        labels: &ctx.index.labels,
        graph: &options,
    };
    let source = crate::export::write(Vec::new(), GraphFormat::Dot, quads, &context)?;
    render::render(dot, &source, ImageFormat::Svg).map_err(|source| Error::Drawing {
        entity: entry.compact.clone(),
        source,
    })
}
