//! `unknown-source`: a named graph that is no declared source article, a source article with
//! no claims, and an event stated in no article's graph.

use super::super::positions::Role;
use super::super::{Diagnostic, Severity, Sources};
use super::{report_each, Model};
use crate::case::Part;
use oxigraph::model::{GraphName, NamedOrBlankNode, Term};
use std::collections::{BTreeSet, HashSet};

const CG: &str = "https://w3id.org/casegraph/ontology#";

pub(super) fn run(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    let source_class = format!("{CG}SourceArticle");
    let event_class = format!("{CG}Event");
    // A case that does not use the casegraph model has no cg:SourceArticle: then any typed
    // graph name counts as a declared source.
    let typed_model = model.declared.contains(&source_class);
    let is_source = |iri: &str| {
        if typed_model {
            model.is_instance_of(iri, &source_class)
        } else {
            model.types.contains_key(iri)
        }
    };
    let mut graphs_with_claims: HashSet<&str> = HashSet::new();
    let mut in_named_graph: HashSet<&NamedOrBlankNode> = HashSet::new();
    for file in sources.part(Part::Data) {
        let mut unknown = BTreeSet::new();
        for quad in &file.quads {
            if let GraphName::NamedNode(g) = &quad.graph_name {
                graphs_with_claims.insert(g.as_str());
                in_named_graph.insert(&quad.subject);
                if !is_source(g.as_str()) {
                    unknown.insert(g.as_str());
                }
            }
        }
        for iri in unknown {
            let what = if typed_model {
                format!("a `{}`", model.short(&source_class))
            } else {
                "typed".to_owned()
            };
            report_each(
                file,
                iri,
                |r| *r == Role::Graph,
                out,
                |text| {
                    Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Error,
                    "unknown-source",
                    format!("graph `{text}` is not a declared source article (its name should be {what} described in data/)"),
                )
                },
            );
        }
    }
    if !typed_model {
        return;
    }
    let mut seen = HashSet::new();
    for file in sources.part(Part::Data) {
        for quad in &file.quads {
            let NamedOrBlankNode::NamedNode(s) = &quad.subject else {
                continue;
            };
            if !seen.insert(s.as_str()) {
                continue;
            }
            let subject = Term::from(s.clone());
            if model.is_instance_of(s.as_str(), &source_class)
                && !graphs_with_claims.contains(s.as_str())
            {
                push_at(
                    sources,
                    &subject,
                    out,
                    Severity::Error,
                    "unknown-source",
                    format!(
                        "source article `{}` has no claims (no named graph is named after it)",
                        model.short(s.as_str())
                    ),
                );
            }
            let as_subject = NamedOrBlankNode::from(s.clone());
            if model.declared.contains(&event_class)
                && model.is_instance_of(s.as_str(), &event_class)
                && !in_named_graph.contains(&as_subject)
            {
                push_at(sources, &subject, out, Severity::Error, "unknown-source", format!(
                    "event `{}` is stated in no source article's graph (claims go in the named graph of the article that makes them)",
                    model.short(s.as_str())
                ));
            }
        }
    }
}

fn push_at(
    sources: &Sources,
    node: &Term,
    out: &mut Vec<Diagnostic>,
    severity: Severity,
    code: &str,
    message: String,
) {
    if let Some((file, position)) = sources.locate(node) {
        out.push(Diagnostic::new(&file, position, severity, code, message));
    }
}
