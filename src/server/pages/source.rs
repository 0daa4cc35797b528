//! The page of a source article: what the case records about it, everything it says, and what
//! only it says.

use super::index::{cg, Entry};
use super::view::{Ctx, Frame, Value};
use crate::error::Result;
use crate::rdf::order::{cmp_subjects, cmp_terms};
use askama::Template;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Quad, QuadRef, Term};

/// A property and value, as the article or the curator states them.
pub(crate) struct Line {
    pub property: String,
    pub value: Value,
    /// No other article says this.
    pub only: bool,
}

/// What the article says about one subject.
pub(crate) struct SubjectView {
    pub subject: Value,
    pub lines: Vec<Line>,
    pub evidence: Vec<String>,
}

#[derive(Template)]
#[template(path = "source.html")]
pub(crate) struct SourcePage {
    pub frame: Frame,
    pub label: String,
    pub compact: String,
    pub about: Vec<Line>,
    pub subjects: Vec<SubjectView>,
    /// `(subject, line)` for each claim no other article makes.
    pub only: Vec<(Value, Line)>,
    pub claims: usize,
}

/// The page of the article `entry`.
pub(crate) fn page(ctx: &Ctx<'_>, entry: &Entry) -> Result<SourcePage> {
    let store = ctx.store.store();
    let graph = GraphNameRef::NamedNode(entry.iri.as_ref());
    let mut about = Vec::new();
    for quad in store.quads_for_pattern(
        Some(entry.iri.as_ref().into()),
        None,
        None,
        Some(ctx.index.merged()),
    ) {
        let quad = quad?;
        if quad.predicate != rdf::TYPE && quad.predicate != rdfs::LABEL {
            about.push(line(ctx, &quad, false));
        }
    }
    about.sort_by(|a, b| {
        a.property
            .cmp(&b.property)
            .then(a.value.text.cmp(&b.value.text))
    });
    let mut quads = store
        .quads_for_pattern(None, None, None, Some(graph))
        .collect::<std::result::Result<Vec<Quad>, _>>()?;
    quads.sort_by(|a, b| {
        cmp_subjects(a.subject.as_ref(), b.subject.as_ref())
            .then_with(|| a.predicate.cmp(&b.predicate))
            .then_with(|| cmp_terms(a.object.as_ref(), b.object.as_ref()))
    });
    let others: Vec<_> = ctx
        .index
        .sources()
        .filter(|s| s.iri != entry.iri)
        .map(|s| s.iri.clone())
        .collect();
    let evidence = cg("evidence");
    let mut subjects: Vec<(NamedOrBlankNode, SubjectView)> = Vec::new();
    let mut only = Vec::new();
    for quad in &quads {
        let view = match subjects.last_mut() {
            Some((subject, view)) if *subject == quad.subject => view,
            _ => {
                subjects.push((
                    quad.subject.clone(),
                    SubjectView {
                        subject: ctx.value(&quad.subject.clone().into()),
                        lines: Vec::new(),
                        evidence: Vec::new(),
                    },
                ));
                &mut subjects.last_mut().expect("just pushed").1
            }
        };
        if let (true, Term::Literal(text)) = (quad.predicate == evidence, &quad.object) {
            view.evidence.push(text.value().to_owned());
            continue;
        }
        let alone = !others.iter().try_fold(false, |found, other| {
            if found {
                return Ok::<_, crate::error::Error>(true);
            }
            Ok(store.contains(QuadRef::new(
                &quad.subject,
                &quad.predicate,
                &quad.object,
                GraphNameRef::NamedNode(other.as_ref()),
            ))?)
        })?;
        view.lines.push(line(ctx, quad, alone));
        if alone {
            only.push((
                ctx.value(&quad.subject.clone().into()),
                line(ctx, quad, true),
            ));
        }
    }
    Ok(SourcePage {
        frame: ctx.frame(&entry.label),
        label: entry.label.clone(),
        compact: entry.compact.clone(),
        about,
        claims: quads.len(),
        subjects: subjects.into_iter().map(|(_, v)| v).collect(),
        only,
    })
}

fn line(ctx: &Ctx<'_>, quad: &Quad, only: bool) -> Line {
    Line {
        property: ctx.label(quad.predicate.as_ref()),
        value: ctx.value(&quad.object),
        only,
    }
}
