//! The list of every entity and event, and the search among them by name (label or other
//! name, case and accents ignored). A static site's list carries each entry's folded names,
//! for the page's script to filter on.

use super::index::{Entry, Kind};
use super::search::{fold, rank};
use super::view::{Ctx, Frame, Value};
use askama::Template;

/// One entry of the list.
pub(crate) struct Listed {
    pub link: Value,
    pub compact: String,
    pub classes: String,
    pub alt_labels: Vec<String>,
    /// The folded names, joined by a line break, for the filter.
    pub folded: String,
}

#[derive(Template)]
#[template(path = "entities.html")]
pub(crate) struct EntitiesPage {
    pub frame: Frame,
    /// The text searched for, when this is a search.
    pub wanted: Option<String>,
    pub entries: Vec<Listed>,
    pub total: usize,
}

/// Every entity, or (`wanted`) those whose names match it, best first.
pub(crate) fn page(ctx: &Ctx<'_>, wanted: Option<&str>) -> EntitiesPage {
    let candidates = ctx.index.entries.iter().filter(|e| e.kind == Kind::Entity);
    let total = candidates.clone().count();
    let chosen: Vec<&Entry> = match wanted.map(fold) {
        None => candidates.collect(),
        Some(folded) => {
            let folded = folded.trim();
            let mut ranked: Vec<(u8, &Entry)> = candidates
                .filter_map(|e| rank(&e.folded, folded).map(|r| (r, e)))
                .collect();
            // Stable: entries are already in label order.
            ranked.sort_by_key(|(r, _)| *r);
            ranked.into_iter().map(|(_, e)| e).collect()
        }
    };
    EntitiesPage {
        frame: ctx.frame(match wanted {
            Some(text) => format!("Search: {text}"),
            None => "Entities and events".to_owned(),
        }),
        wanted: wanted.map(str::to_owned),
        entries: chosen
            .into_iter()
            .map(|e| Listed {
                link: ctx.node(e.iri.as_ref()),
                compact: e.compact.clone(),
                classes: e
                    .classes
                    .iter()
                    .map(|(_, l)| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                alt_labels: e.alt_labels.clone(),
                folded: e.folded.join("\n"),
            })
            .collect(),
        total,
    }
}
