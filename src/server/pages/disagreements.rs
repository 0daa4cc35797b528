//! Where the articles disagree: each `cg:Disagreement` the curator recorded, with every side
//! read from the article graphs (the value each article gives, and the articles that give it).

use super::claims::{group, Grouped};
use super::index::cg;
use super::view::{Ctx, Frame, Value};
use crate::error::Result;
use askama::Template;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};

/// One value of a disputed property, and the articles that give it.
pub(crate) struct Side {
    pub value: Value,
    pub sources: Vec<Value>,
}

/// A disputed subject and property.
pub(crate) struct Point {
    pub subject: Value,
    pub property: String,
    pub sides: Vec<Side>,
    /// The articles that say nothing on it.
    pub silent: Vec<Value>,
}

/// One disagreement.
pub(crate) struct Disagreement {
    pub label: String,
    pub comment: String,
    pub points: Vec<Point>,
}

#[derive(Template)]
#[template(path = "disagreements.html")]
pub(crate) struct DisagreementsPage {
    pub frame: Frame,
    pub disagreements: Vec<Disagreement>,
}

/// The disagreements page.
pub(crate) fn page(ctx: &Ctx<'_>) -> Result<DisagreementsPage> {
    let store = ctx.store.store();
    let default = Some(ctx.index.merged());
    let objects = |subject: &NamedOrBlankNode, predicate: &NamedNode| {
        store
            .quads_for_pattern(
                Some(subject.as_ref()),
                Some(predicate.as_ref()),
                None,
                default,
            )
            .map(|q| q.map(|q| q.object))
            .collect::<std::result::Result<Vec<Term>, _>>()
    };
    let mut found = Vec::new();
    for quad in store.quads_for_pattern(
        None,
        Some(rdf::TYPE),
        Some(cg("Disagreement").as_ref().into()),
        default,
    ) {
        found.push(quad?.subject);
    }
    found.sort_by_key(ToString::to_string);
    let literal = |terms: Vec<Term>| {
        terms
            .into_iter()
            .find_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let mut disagreements = Vec::new();
    for node in found {
        let label = match &node {
            NamedOrBlankNode::NamedNode(iri) => ctx.label(iri.as_ref()),
            NamedOrBlankNode::BlankNode(_) => literal(objects(&node, &rdfs::LABEL.into_owned())?),
        };
        let comment = literal(objects(&node, &rdfs::COMMENT.into_owned())?);
        let mut points = Vec::new();
        for subject in objects(&node, &cg("disputedSubject"))? {
            let Term::NamedNode(subject) = subject else {
                continue;
            };
            for property in objects(&node, &cg("disputedProperty"))? {
                let Term::NamedNode(property) = property else {
                    continue;
                };
                let mut stated = Vec::new();
                for quad in store.quads_for_pattern(
                    Some(subject.as_ref().into()),
                    Some(property.as_ref()),
                    None,
                    None,
                ) {
                    let quad = quad?;
                    if let GraphName::NamedNode(source) = quad.graph_name {
                        if ctx.index.is_source(source.as_ref()) {
                            stated.push(((property.clone(), quad.object), source));
                        }
                    }
                }
                let grouped = group(stated);
                let speaking: Vec<&NamedNode> =
                    grouped.iter().flat_map(|g| g.sources.iter()).collect();
                let silent: Vec<NamedNode> = ctx
                    .index
                    .sources()
                    .map(|s| s.iri.clone())
                    .filter(|s| !speaking.contains(&s))
                    .collect();
                points.push(Point {
                    subject: ctx.node(subject.as_ref()),
                    property: ctx.label(property.as_ref()),
                    silent: ctx.sources(&silent),
                    sides: grouped
                        .into_iter()
                        .map(
                            |Grouped {
                                 key: (_, value),
                                 sources,
                             }| Side {
                                value: ctx.value(&value),
                                sources: ctx.sources(&sources),
                            },
                        )
                        .collect(),
                });
            }
        }
        disagreements.push(Disagreement {
            label,
            comment,
            points,
        });
    }
    Ok(DisagreementsPage {
        frame: ctx.frame("Where the articles disagree"),
        disagreements,
    })
}
