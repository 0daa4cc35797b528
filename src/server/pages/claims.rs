//! Claims gathered across articles: the same statement made by several articles is shown once,
//! with the articles that make it; statements are grouped by property.

use super::entity::anchor;
use super::view::{Ctx, Value};
use crate::rdf::order::cmp_terms;
use oxigraph::model::{NamedNode, Term};

/// A statement (or any key) and the articles that make it, sorted.
pub(crate) struct Grouped<K> {
    pub key: K,
    pub sources: Vec<NamedNode>,
}

/// `(property, value)` pairs with the article stating each, grouped: one entry per pair, in the
/// order of property IRI and value, each with its articles in IRI order.
pub(crate) fn group(
    mut items: Vec<((NamedNode, Term), NamedNode)>,
) -> Vec<Grouped<(NamedNode, Term)>> {
    items.sort_by(|((p1, o1), g1), ((p2, o2), g2)| {
        p1.cmp(p2)
            .then_with(|| cmp_terms(o1.as_ref(), o2.as_ref()))
            .then_with(|| g1.cmp(g2))
    });
    items.dedup();
    let mut grouped: Vec<Grouped<(NamedNode, Term)>> = Vec::new();
    for (key, source) in items {
        match grouped.last_mut() {
            Some(last) if last.key == key => last.sources.push(source),
            _ => grouped.push(Grouped {
                key,
                sources: vec![source],
            }),
        }
    }
    grouped
}

/// One value of a property, with the articles that give it.
pub(crate) struct SourcedValue {
    pub value: Value,
    /// Links to each article's evidence further down the page.
    pub sources: Vec<Value>,
}

/// A property and its values.
pub(crate) struct PropertyView {
    pub label: String,
    pub compact: String,
    pub values: Vec<SourcedValue>,
}

/// `grouped` as properties in label order, each article linking to its evidence on the page.
pub(crate) fn properties(
    ctx: &Ctx<'_>,
    grouped: Vec<Grouped<(NamedNode, Term)>>,
) -> Vec<PropertyView> {
    let mut views: Vec<(NamedNode, PropertyView)> = Vec::new();
    for Grouped {
        key: (property, object),
        sources,
    } in grouped
    {
        let mut links = ctx.sources(&sources);
        for (link, source) in links.iter_mut().zip(&sources) {
            link.href = Some(format!(
                "#{}",
                anchor(ctx.index.get(source.as_ref()), source)
            ));
        }
        let value = SourcedValue {
            value: ctx.value(&object),
            sources: links,
        };
        match views.last_mut() {
            Some((last, view)) if *last == property => view.values.push(value),
            _ => views.push((
                property.clone(),
                PropertyView {
                    label: ctx.label(property.as_ref()),
                    compact: ctx.prefixes.compact(property.as_str()),
                    values: vec![value],
                },
            )),
        }
    }
    let mut views: Vec<PropertyView> = views.into_iter().map(|(_, v)| v).collect();
    views.sort_by(|a, b| {
        a.label
            .cmp(&b.label)
            .then_with(|| a.compact.cmp(&b.compact))
    });
    views
}
