//! Warns about the SHACL features in the shapes that casegraph's engine does not check, so
//! that no shape passes in silence because it was never run.
//!
//! The rudof `shacl` engine checks SHACL Core; casegraph runs SHACL-SPARQL constraints
//! (`sh:sparql`) and the constraint components the shapes graph declares ([`super::sparql`])
//! for the shapes a target reaches, but not for a shape used only inside another's `sh:node`,
//! `sh:or`, ... SPARQL-based targets (`sh:target`), SHACL Advanced Features (`sh:rule`) and
//! JavaScript constraints (`sh:js`) are not run at all. A property shape without `sh:path` is read as a node shape, so its
//! constraints apply to the focus node instead of to any property's values: pySHACL rejects
//! such shapes. Each is a warning (`unsupported-shacl`) naming the shape: its IRI, or for a
//! blank-node shape the shape it belongs to and its path, never a blank-node label, which
//! changes from run to run.

use super::sparql::ShapesGraph;
use super::{Diagnostic, Severity, Sources};
use crate::case::Part;
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{NamedOrBlankNode, Quad, Term};

const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// The features the engine does not check, by property: (local name, what is lost).
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "sparql",
        "SPARQL-based constraints (sh:sparql) are run only for a shape that a target reaches (through sh:property at most), not for one used inside another shape's sh:node, sh:not, sh:and, sh:or, sh:xone or sh:qualifiedValueShape: this constraint is not checked",
    ),
    (
        "target",
        "SPARQL-based targets (sh:target) are not run: this shape targets nothing through it",
    ),
    ("rule", "SHACL rules (sh:rule) are not applied"),
    (
        "js",
        "JavaScript constraints (sh:js) are not run: this constraint is not checked",
    ),
];

/// Properties whose objects are shapes.
const SHAPE_VALUED: &[&str] = &["property", "node", "not", "qualifiedValueShape"];
/// Properties whose objects are lists of shapes.
const SHAPE_LISTS: &[&str] = &["and", "or", "xone"];

/// Whether `subject` is `term`, without building a term for each triple looked at.
fn is(subject: &NamedOrBlankNode, term: &Term) -> bool {
    match (subject, term) {
        (NamedOrBlankNode::NamedNode(a), Term::NamedNode(b)) => a == b,
        (NamedOrBlankNode::BlankNode(a), Term::BlankNode(b)) => a == b,
        _ => false,
    }
}

/// One warning per unsupported feature of each shape of the ontology.
pub fn run(sources: &Sources, prefixes: &Prefixes, sparql: &ShapesGraph) -> Vec<Diagnostic> {
    let triples: Vec<&Quad> = sources
        .part(Part::Ontology)
        .flat_map(|f| &f.quads)
        .collect();
    let shapes = Shapes::new(&triples, prefixes);
    let components = shapes.components();
    // The shapes whose SHACL-SPARQL constraints and components `check` runs.
    let run = sparql.reached();
    let mut out = Vec::new();
    for shape in shapes.all() {
        let reached = run.contains(&shape);
        // A shape that uses a parameter of a constraint component the shapes graph declares
        // (SHACL-SPARQL's sh:validator, sh:nodeValidator, sh:propertyValidator), where the
        // component is not run: the shape is only used inside another's sh:node, sh:or, ...,
        // or the component has no validator for this kind of shape.
        let mut named = Vec::new();
        for (component, parameter) in &components {
            if named.contains(&component) || !shapes.has(&shape, parameter) {
                continue;
            }
            named.push(component);
            let lost = if !reached {
                format!(
                    "the constraint component `{}` (its parameter `{}`) is declared by the shapes graph, and is run only for a shape that a target reaches (through sh:property at most), not for one used inside another shape's sh:node, sh:not, sh:and, sh:or, sh:xone or sh:qualifiedValueShape: this constraint is not checked",
                    prefixes.compact(component),
                    prefixes.compact(parameter)
                )
            } else if sparql.has_no_validator(&shape, component) {
                format!(
                    "the constraint component `{}` (its parameter `{}`) has no validator for a {} shape (sh:{}Validator or sh:validator): this constraint is not checked",
                    prefixes.compact(component),
                    prefixes.compact(parameter),
                    if sparql.is_property_shape(&shape) { "property" } else { "node" },
                    if sparql.is_property_shape(&shape) { "property" } else { "node" },
                )
            } else {
                continue;
            };
            out.push(shapes.warn(sources, &shape, parameter, &lost));
        }
        for (feature, lost) in UNSUPPORTED {
            let predicate = format!("{SH}{feature}");
            if *feature == "sparql" && reached {
                continue;
            }
            if shapes.has(&shape, &predicate) {
                out.push(shapes.warn(sources, &shape, &predicate, lost));
            }
        }
        if shapes.is_property_shape(&shape) && !shapes.has(&shape, &format!("{SH}path")) {
            out.push(shapes.warn(
                sources,
                &shape,
                "",
                "a property shape without sh:path: its constraints are not checked (give it an sh:path, or make it a node shape)",
            ));
        }
    }
    out
}

/// The shapes graph, to find and name shapes.
pub(super) struct Shapes<'a> {
    triples: &'a [&'a Quad],
    prefixes: &'a Prefixes,
}

impl<'a> Shapes<'a> {
    /// The shapes among `triples` (the ontology's), IRIs written short with `prefixes`.
    pub(super) fn new(triples: &'a [&'a Quad], prefixes: &'a Prefixes) -> Self {
        Self { triples, prefixes }
    }

    fn objects<'t>(
        &'t self,
        subject: &'t Term,
        predicate: &'t str,
    ) -> impl Iterator<Item = &'t Term> {
        self.triples
            .iter()
            .filter(move |q| is(&q.subject, subject) && q.predicate.as_str() == predicate)
            .map(|q| &q.object)
    }

    fn has(&self, subject: &Term, predicate: &str) -> bool {
        self.objects(subject, predicate).next().is_some()
    }

    /// The triple whose object is `node`, if any: `(subject, predicate)`.
    fn owner(&self, node: &Term) -> Option<(Term, &str)> {
        self.triples
            .iter()
            .find(|q| q.object == *node)
            .map(|q| (Term::from(q.subject.clone()), q.predicate.as_str()))
    }

    /// Whether the shapes graph has any shape at all ([`Self::all`]).
    pub(super) fn any(&self) -> bool {
        !self.all().is_empty()
    }

    /// Every shape: typed as one, pointed at as one, or with a target or a path.
    fn all(&self) -> Vec<Term> {
        // The report is sorted, so the order here does not matter; each shape once.
        let mut shapes: Vec<Term> = Vec::new();
        let sh = |local: &str| format!("{SH}{local}");
        for quad in self.triples {
            let p = quad.predicate.as_str();
            let subject = Term::from(quad.subject.clone());
            if p == format!("{RDF}type")
                && matches!(&quad.object, Term::NamedNode(t) if t.as_str() == sh("NodeShape") || t.as_str() == sh("PropertyShape"))
            {
                shapes.push(subject.clone());
            }
            if p.strip_prefix(SH)
                .is_some_and(|l| l.starts_with("target") || l == "path")
            {
                shapes.push(subject.clone());
            }
            if SHAPE_VALUED.iter().any(|l| p == sh(l)) {
                shapes.push(quad.object.clone());
            }
            if SHAPE_LISTS.iter().any(|l| p == sh(l)) {
                shapes.extend(self.list(&quad.object));
            }
        }
        let mut unique = Vec::with_capacity(shapes.len());
        for shape in shapes {
            if !unique.contains(&shape) {
                unique.push(shape);
            }
        }
        unique
    }

    /// The constraint components the shapes graph declares, each with the path of each of its
    /// parameters: `(component IRI, parameter path IRI)`.
    fn components(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for quad in self.triples {
            if quad.predicate.as_str() != format!("{SH}parameter") {
                continue;
            }
            let NamedOrBlankNode::NamedNode(component) = &quad.subject else {
                continue;
            };
            for path in self.objects(&quad.object, &format!("{SH}path")) {
                if let Term::NamedNode(path) = path {
                    out.push((component.as_str().to_owned(), path.as_str().to_owned()));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The members of an RDF list (bounded, in case the list is malformed and cyclic).
    fn list(&self, head: &Term) -> Vec<Term> {
        let (first, rest) = (format!("{RDF}first"), format!("{RDF}rest"));
        let mut members = Vec::new();
        let mut node = head.clone();
        for _ in 0..10_000 {
            members.extend(self.objects(&node, &first).cloned());
            let next = self.objects(&node, &rest).next().cloned();
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        members
    }

    fn is_property_shape(&self, shape: &Term) -> bool {
        let typed = self
            .objects(shape, &format!("{RDF}type"))
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_str() == format!("{SH}PropertyShape")));
        let pointed = self
            .triples
            .iter()
            .any(|q| q.object == *shape && q.predicate.as_str() == format!("{SH}property"));
        typed || pointed
    }

    /// "shape `cgsh:Shape`", or for a blank node what it belongs to: "the property shape of
    /// shape `cgsh:Shape` on `rdfs:label`", "the shape on `cg:date` in the sh:or of shape `cgsh:Shape`".
    pub(super) fn name(&self, shape: &Term, depth: usize) -> String {
        match shape {
            Term::NamedNode(n) => format!("shape `{}`", self.prefixes.compact(n.as_str())),
            _ if depth > 8 => "a nested blank-node shape".to_owned(),
            _ => {
                let path = match self.objects(shape, &format!("{SH}path")).next() {
                    Some(Term::NamedNode(p)) => {
                        format!(" on `{}`", self.prefixes.compact(p.as_str()))
                    }
                    Some(_) => " on a complex path".to_owned(),
                    None => String::new(),
                };
                let Some((owner, predicate)) = self.owner(shape) else {
                    return format!("a blank-node shape{path}");
                };
                let local = predicate.strip_prefix(SH).unwrap_or(predicate);
                if predicate == format!("{RDF}first") {
                    // Walk back to the list's head, which a logical constraint points at.
                    let mut head = owner;
                    for _ in 0..10_000 {
                        let previous = self.triples.iter().find(|q| {
                            q.object == head && q.predicate.as_str() == format!("{RDF}rest")
                        });
                        match previous {
                            Some(q) => head = Term::from(q.subject.clone()),
                            None => break,
                        }
                    }
                    return match self.owner(&head) {
                        Some((parent, list)) => format!(
                            "the shape{path} in the sh:{} of {}",
                            list.strip_prefix(SH).unwrap_or(list),
                            self.name(&parent, depth + 1)
                        ),
                        None => format!("a blank-node shape{path}"),
                    };
                }
                let path = if path.is_empty() && local == "property" {
                    " (no sh:path)".to_owned()
                } else {
                    path
                };
                if local == "property" {
                    format!(
                        "the property shape of {}{path}",
                        self.name(&owner, depth + 1)
                    )
                } else {
                    format!(
                        "the sh:{local} shape of {}{path}",
                        self.name(&owner, depth + 1)
                    )
                }
            }
        }
    }

    fn warn(&self, sources: &Sources, shape: &Term, predicate: &str, lost: &str) -> Diagnostic {
        // At the feature's property where it is written, else where the shape is.
        let at_feature = (!predicate.is_empty())
            .then(|| {
                sources.part(Part::Ontology).find_map(|f| {
                    let o = f.occurrences().find(|o| {
                        o.term.is_iri(predicate)
                            && o.subject.as_ref().is_some_and(|(s, _)| f.is(s, shape))
                    })?;
                    Some((f.path.clone(), Some(o.position)))
                })
            })
            .flatten();
        let (file, position) = at_feature
            .or_else(|| sources.locate(shape))
            .unwrap_or_else(|| ("ontology".into(), None));
        let mut d = Diagnostic::new(
            &file,
            position,
            Severity::Warning,
            "unsupported-shacl",
            format!("{}: {lost}", self.name(shape, 0)),
        );
        if let Term::NamedNode(n) = shape {
            d.source_shape = Some(n.as_str().to_owned());
        }
        d
    }
}
