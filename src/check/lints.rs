//! The curation lints that SHACL cannot express, each with a stable code.
//!
//! | code                 | severity | what                                                        |
//! |----------------------|----------|-------------------------------------------------------------|
//! | `undeclared-term`    | error    | a class or property in `data/` the ontology does not declare |
//! | `dangling-reference` | error    | a case IRI used as an object but never described            |
//! | `unknown-source`     | error    | a graph that is no source article; a source without claims; an event stated in no article |
//! | `duplicate-entity`   | warning  | two IRIs with the same label and class                      |
//! | `literal-datatype`   | warning  | a date, year or number written as a plain string            |
//! | `unused-prefix`      | warning  | a prefix an ontology file declares but never uses           |
//! | `unused-term`        | warning  | a class or property the case's own ontology mints that no data uses |
//! | `ill-typed-literal`  | error    | a literal whose form is not valid for its datatype          |
//! | `prefix-conflict`    | error    | a prefix bound to different namespaces in the case's files  |
//! | `relative-iri`       | warning  | relative IRIs resolved against a file's `file:` URL         |
//!
//! Each lint is one file under `lints/` named after its code (`undeclared_term.rs` for
//! `undeclared-term`) with a `run` function; adding one is that file, one line in [`run`] and
//! its row above. This module holds what several lints share: the [`Model`] of the case and
//! the helpers that report at the places a term is written.

mod dangling_reference;
mod duplicate_entity;
mod ill_typed_literal;
mod literal_datatype;
mod prefix_conflict;
mod relative_iri;
mod undeclared_term;
mod unknown_source;
mod unused_prefix;
mod unused_term;

pub use literal_datatype::looks_typed;
pub use undeclared_term::{edit_distance, suggest};

use super::positions::{Role, Written, RDF_TYPE};
use super::{vocab, Diagnostic, SourceFile, Sources};
use crate::case::Part;
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{NamedOrBlankNode, Term};
use std::collections::{BTreeSet, HashMap, HashSet};

const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// Runs every lint.
pub fn run(sources: &Sources) -> Vec<Diagnostic> {
    let model = Model::of(sources);
    let mut out = Vec::new();
    undeclared_term::run(sources, &model, &mut out);
    dangling_reference::run(sources, &model, &mut out);
    unknown_source::run(sources, &model, &mut out);
    duplicate_entity::run(sources, &model, &mut out);
    literal_datatype::run(sources, &mut out);
    unused_prefix::run(sources, &mut out);
    unused_term::run(sources, &model, &mut out);
    ill_typed_literal::run(sources, &model, &mut out);
    prefix_conflict::run(sources, &mut out);
    relative_iri::run(sources, &mut out);
    out
}

/// What the lints need to know about the case as a whole.
struct Model {
    /// Every IRI described (a subject) in some file.
    described: HashSet<String>,
    /// Subjects of the ontology files.
    declared: BTreeSet<String>,
    /// Namespaces the ontology imports with `owl:imports`.
    imported: Vec<String>,
    /// Declared classes and properties, for suggestions.
    classes: BTreeSet<String>,
    properties: BTreeSet<String>,
    /// `rdfs:subClassOf` and `rdfs:subPropertyOf` edges, child to parents.
    parents: HashMap<String, Vec<String>>,
    /// Types of each subject, over all files.
    types: HashMap<String, BTreeSet<String>>,
    /// Prefixes of the whole case, to write IRIs short in messages.
    prefixes: Prefixes,
}

impl Model {
    fn of(sources: &Sources) -> Self {
        let mut model = Model {
            described: HashSet::new(),
            declared: BTreeSet::new(),
            imported: Vec::new(),
            classes: BTreeSet::new(),
            properties: BTreeSet::new(),
            parents: HashMap::new(),
            types: HashMap::new(),
            prefixes: Prefixes::default(),
        };
        for file in &sources.files {
            if let Some(index) = &file.index {
                for decl in &index.prefixes {
                    model.prefixes.add(&decl.name, &decl.namespace);
                }
            }
            for quad in &file.quads {
                let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                    continue;
                };
                let s = subject.as_str().to_owned();
                model.described.insert(s.clone());
                let p = quad.predicate.as_str();
                let o = iri_of(&quad.object);
                if p == RDF_TYPE {
                    if let Some(o) = o {
                        model
                            .types
                            .entry(s.clone())
                            .or_default()
                            .insert(o.to_owned());
                    }
                }
                if let (true, Some(o)) = (
                    p == format!("{RDFS}subClassOf") || p == format!("{RDFS}subPropertyOf"),
                    o,
                ) {
                    model
                        .parents
                        .entry(s.clone())
                        .or_default()
                        .push(o.to_owned());
                }
                if file.part == Part::Ontology {
                    model.declared.insert(s.clone());
                    if p == format!("{OWL}imports") {
                        if let Some(o) = o {
                            model.imported.push(o.to_owned());
                        }
                    }
                }
            }
        }
        for (name, iri) in Prefixes::well_known().iter() {
            model.prefixes.add(name, iri);
        }
        for term in &model.declared {
            let types = model.types.get(term).cloned().unwrap_or_default();
            let is = |local: &str| types.iter().any(|t| t.ends_with(local));
            if is("#Class") || model.parents_of(term).next().is_some() && !is("Property") {
                model.classes.insert(term.clone());
            }
            if is("Property") {
                model.properties.insert(term.clone());
            }
        }
        model
    }

    fn parents_of<'a>(&'a self, term: &str) -> impl Iterator<Item = &'a String> {
        self.parents.get(term).into_iter().flatten()
    }

    /// `term` and everything above it by `rdfs:subClassOf` / `rdfs:subPropertyOf`.
    fn ancestors(&self, term: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![term.to_owned()];
        while let Some(t) = todo.pop() {
            if seen.insert(t.clone()) {
                todo.extend(self.parents_of(&t).cloned());
            }
        }
        seen
    }

    fn is_declared(&self, iri: &str) -> bool {
        self.declared.contains(iri)
            || vocab::is_built_in(iri)
            || self
                .imported
                .iter()
                .any(|ns| !self.is_loaded_ontology(ns) && iri.starts_with(ns.as_str()))
    }

    /// Whether `iri` is an `owl:Ontology` the case's own files describe: imported, it is a
    /// shared ontology loaded with the case (its terms must be declared, and need not all be
    /// used); otherwise an import names an outside vocabulary, whose terms are taken on trust.
    fn is_loaded_ontology(&self, iri: &str) -> bool {
        self.types
            .get(iri)
            .is_some_and(|types| types.contains(&format!("{OWL}Ontology")))
    }

    /// Whether `iri` is a shared ontology: one that another ontology of the case imports and
    /// that is loaded with the case.
    fn is_shared_ontology(&self, iri: &str) -> bool {
        self.imported.iter().any(|i| i == iri) && self.is_loaded_ontology(iri)
    }

    fn is_instance_of(&self, node: &str, class: &str) -> bool {
        self.types
            .get(node)
            .is_some_and(|types| types.iter().any(|t| self.ancestors(t).contains(class)))
    }

    fn short(&self, iri: &str) -> String {
        self.prefixes.compact(iri)
    }
}

fn iri_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

/// The namespace of an IRI: everything up to its last `#` or `/`.
fn namespace(iri: &str) -> &str {
    match iri.rfind(['#', '/']) {
        Some(i) => &iri[..=i],
        None => iri,
    }
}

/// Adds one diagnostic per occurrence of `iri` in `role` in `file` (or one without position
/// when the file's syntax has no positions or the term is not found as written).
fn report_each(
    file: &SourceFile,
    iri: &str,
    role: impl Fn(&Role) -> bool,
    out: &mut Vec<Diagnostic>,
    make: impl Fn(&str) -> Diagnostic,
) {
    let occurrences: Vec<_> = file
        .index
        .iter()
        .flat_map(|index| &index.occurrences)
        .filter(|o| matches!(&o.term, Written::Iri(i) if i == iri) && role(&o.role))
        .collect();
    if occurrences.is_empty() {
        out.push(make(&format!("<{iri}>")));
    }
    for o in occurrences {
        let mut d = make(&o.text);
        d.line = Some(o.position.line);
        d.column = Some(o.position.column);
        out.push(d);
    }
}
