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
//! | `unused-term`        | warning  | a class or property the ontology mints that no data uses    |
//! | `ill-typed-literal`  | error    | a literal whose form is not valid for its datatype (`lints/ill_typed_literal.rs`) |
//! | `prefix-conflict`    | error    | a prefix bound to different namespaces in the case's files (`lints/prefix_conflict.rs`) |
//!
//! A lint too large to sit among these is a file of its own under `lints/`, plus one line in [`run`].

mod ill_typed_literal;
mod prefix_conflict;

use super::positions::{Role, Written, RDF_TYPE};
use super::{vocab, Diagnostic, Severity, SourceFile, Sources};
use crate::case::Part;
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

const CG: &str = "https://w3id.org/casegraph/ontology#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// Properties that give an entity its name, for `duplicate-entity`.
const LABELS: &[&str] = &[
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
];

/// Runs every lint.
pub fn run(sources: &Sources) -> Vec<Diagnostic> {
    let model = Model::of(sources);
    let mut out = Vec::new();
    undeclared_terms(sources, &model, &mut out);
    dangling_references(sources, &model, &mut out);
    unknown_sources(sources, &model, &mut out);
    duplicate_entities(sources, &model, &mut out);
    literal_datatypes(sources, &mut out);
    unused_prefixes(sources, &mut out);
    unused_terms(sources, &model, &mut out);
    ill_typed_literal::run(sources, &model, &mut out);
    prefix_conflict::run(sources, &mut out);
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
            || self.imported.iter().any(|ns| iri.starts_with(ns.as_str()))
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

fn undeclared_terms(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    for file in sources.part(Part::Data) {
        let mut undeclared: BTreeMap<String, bool> = BTreeMap::new(); // IRI -> is a class
        for quad in &file.quads {
            let p = quad.predicate.as_str();
            if !model.is_declared(p) {
                undeclared.insert(p.to_owned(), false);
            }
            if p == RDF_TYPE {
                if let Some(class) = iri_of(&quad.object).filter(|c| !model.is_declared(c)) {
                    undeclared.insert(class.to_owned(), true);
                }
            }
        }
        for (iri, is_class) in undeclared {
            let what = if is_class { "class" } else { "property" };
            let candidates = if is_class {
                &model.classes
            } else {
                &model.properties
            };
            let suggestion = suggest(
                &iri,
                candidates.iter().cloned().chain(vocab::built_in_terms()),
            )
            .map(|s| format!("; did you mean `{}`?", model.short(&s)))
            .unwrap_or_default();
            let matches_role = |r: &Role| match r {
                Role::Predicate => !is_class,
                Role::Object(Some(p)) => is_class && p == RDF_TYPE,
                _ => false,
            };
            report_each(file, &iri, matches_role, out, |text| {
                Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Error,
                    "undeclared-term",
                    format!("{what} `{text}` is not declared by the ontology{suggestion}"),
                )
            });
        }
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

fn dangling_references(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    // Only IRIs in a namespace the case itself describes things in: links to web pages and
    // to outside vocabularies are not expected to be described.
    let case_namespaces: HashSet<&str> = sources
        .part(Part::Data)
        .flat_map(|f| &f.quads)
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(n) => Some(namespace(n.as_str())),
            _ => None,
        })
        .collect();
    for file in sources.part(Part::Data) {
        let dangling: BTreeSet<&str> = file
            .quads
            .iter()
            .filter(|q| q.predicate.as_str() != RDF_TYPE)
            .filter_map(|q| iri_of(&q.object))
            .filter(|o| {
                !model.described.contains(*o)
                    && !model.is_declared(o)
                    && case_namespaces.contains(namespace(o))
            })
            .collect();
        for iri in dangling {
            let role = |r: &Role| matches!(r, Role::Object(p) if p.as_deref() != Some(RDF_TYPE));
            report_each(file, iri, role, out, |text| {
                Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Error,
                    "dangling-reference",
                    format!("`{text}` is used as an object but never described (no triple has it as subject)"),
                )
            });
        }
    }
}

fn unknown_sources(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
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

fn duplicate_entities(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    // (normalised label, class) -> IRIs, each IRI once.
    let mut groups: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut label_of: HashMap<String, String> = HashMap::new();
    for quad in sources.part(Part::Data).flat_map(|f| &f.quads) {
        let (NamedOrBlankNode::NamedNode(s), Term::Literal(label)) = (&quad.subject, &quad.object)
        else {
            continue;
        };
        if !LABELS.contains(&quad.predicate.as_str()) {
            continue;
        }
        let key = normalise(label.value());
        label_of
            .entry(s.as_str().to_owned())
            .or_insert_with(|| label.value().to_owned());
        for class in model.types.get(s.as_str()).into_iter().flatten() {
            groups
                .entry((key.clone(), class.clone()))
                .or_default()
                .insert(s.as_str().to_owned());
        }
    }
    let mut reported = HashSet::new();
    for ((_, class), iris) in groups {
        if iris.len() < 2 {
            continue;
        }
        // The first one written keeps the name; the others are reported.
        let mut located: Vec<_> = iris
            .iter()
            .map(|iri| {
                let node = Term::from(NamedNode::new_unchecked(iri.clone()));
                (sources.locate(&node), iri)
            })
            .collect();
        located.sort();
        let first = located[0].1.clone();
        for (place, iri) in located.into_iter().skip(1) {
            if !reported.insert((iri.clone(), first.clone())) {
                continue;
            }
            if let Some((file, position)) = place {
                out.push(Diagnostic::new(
                    &file,
                    position,
                    Severity::Warning,
                    "duplicate-entity",
                    format!(
                        "`{}` has the same label \"{}\" and class `{}` as `{}`: the same entity minted twice?",
                        model.short(iri),
                        label_of.get(iri).map(String::as_str).unwrap_or_default(),
                        model.short(&class),
                        model.short(&first)
                    ),
                ));
            }
        }
    }
}

fn normalise(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What a plain string looks like it should have been typed as, if anything.
pub fn looks_typed(value: &str) -> Option<&'static str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4 && m.len() == 2 && d.len() == 2 && parts.iter().all(|p| digits(p)) =>
        {
            return Some("a date (xsd:date)")
        }
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
            return Some("a year and month (xsd:gYearMonth)")
        }
        _ => {}
    }
    if value.len() == 4 && digits(value) {
        return Some("a year (xsd:gYear) or an integer");
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    if digits(int) && digits(frac) {
        return Some("a number (xsd:integer or xsd:decimal)");
    }
    None
}

fn literal_datatypes(sources: &Sources, out: &mut Vec<Diagnostic>) {
    for file in sources.part(Part::Data) {
        let plain: BTreeSet<&str> = file
            .quads
            .iter()
            .filter_map(|q| match &q.object {
                Term::Literal(l) if is_plain(l) => Some(l.value()),
                _ => None,
            })
            .filter(|v| looks_typed(v).is_some())
            .collect();
        if plain.is_empty() {
            continue;
        }
        let occurrences = file.index.iter().flat_map(|i| &i.occurrences);
        let mut found = false;
        for o in occurrences {
            if let Written::Literal {
                lexical,
                plain: true,
                ..
            } = &o.term
            {
                if let (true, Some(kind)) = (plain.contains(lexical.as_str()), looks_typed(lexical))
                {
                    found = true;
                    out.push(Diagnostic::new(
                        &file.path,
                        Some(o.position),
                        Severity::Warning,
                        "literal-datatype",
                        format!(
                            "{} is a plain string but looks like {kind}; give it a datatype",
                            o.text
                        ),
                    ));
                }
            }
        }
        if !found && file.index.is_none() {
            for value in plain {
                out.push(Diagnostic::new(
                    &file.path,
                    None,
                    Severity::Warning,
                    "literal-datatype",
                    format!(
                        "\"{value}\" is a plain string but looks like {}; give it a datatype",
                        looks_typed(value).unwrap_or("a typed value")
                    ),
                ));
            }
        }
    }
}

fn is_plain(literal: &Literal) -> bool {
    literal.language().is_none() && literal.datatype().as_str() == XSD_STRING
}

fn unused_prefixes(sources: &Sources, out: &mut Vec<Diagnostic>) {
    for file in sources.part(Part::Ontology) {
        let Some(index) = &file.index else { continue };
        for decl in &index.prefixes {
            if !index.used_prefixes.contains(&decl.name) {
                out.push(Diagnostic::new(
                    &file.path,
                    Some(decl.position),
                    Severity::Warning,
                    "unused-prefix",
                    format!(
                        "prefix `{}:` is declared but never used in this file",
                        decl.name
                    ),
                ));
            }
        }
    }
}

fn unused_terms(sources: &Sources, model: &Model, out: &mut Vec<Diagnostic>) {
    let ontologies: Vec<String> = model
        .types
        .iter()
        .filter(|(_, types)| types.contains(&format!("{OWL}Ontology")))
        .map(|(iri, _)| iri.clone())
        .collect();
    // Everything the data uses, and everything above it.
    let mut used: HashSet<String> = HashSet::new();
    for quad in sources.part(Part::Data).flat_map(|f| &f.quads) {
        used.extend(model.ancestors(quad.predicate.as_str()));
        if quad.predicate.as_str() == RDF_TYPE {
            if let Some(class) = iri_of(&quad.object) {
                used.extend(model.ancestors(class));
            }
        }
    }
    let is_term_type = |t: &String| {
        [
            format!("{OWL}Class"),
            format!("{RDFS}Class"),
            format!("{OWL}ObjectProperty"),
            format!("{OWL}DatatypeProperty"),
            format!("{OWL}AnnotationProperty"),
            format!("{RDF}Property"),
        ]
        .contains(t)
    };
    for term in &model.declared {
        let own = ontologies
            .iter()
            .any(|o| term != o && term.starts_with(o.as_str()));
        let is_term = model
            .types
            .get(term)
            .is_some_and(|types| types.iter().any(is_term_type));
        if !own || !is_term || used.contains(term) {
            continue;
        }
        let node = Term::from(NamedNode::new_unchecked(term.clone()));
        for file in sources.part(Part::Ontology) {
            if file
                .quads
                .iter()
                .any(|q: &Quad| matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == term))
            {
                let position = file.find(term, |r| *r == Role::Subject);
                out.push(Diagnostic::new(
                    &file.path,
                    position,
                    Severity::Warning,
                    "unused-term",
                    format!("`{}` is declared by the ontology but no data uses it (nor any sub-class or sub-property of it)", model.short(term)),
                ));
                break;
            }
        }
        let _ = node;
    }
}

/// The candidate closest to `iri` by edit distance, if it is close enough to be a typo.
pub fn suggest(iri: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    let local = |s: &str| s[namespace(s).len()..].to_owned();
    let wanted = local(iri);
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| c != iri)
        .map(|c| {
            // Same namespace: compare local names; else the whole IRI, so that a wrong
            // namespace with the right local name is found too.
            let distance = if namespace(&c) == namespace(iri) {
                edit_distance(&wanted, &local(&c))
            } else if local(&c) == wanted {
                1
            } else {
                usize::MAX
            };
            (distance, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The optimal string alignment distance: insertions, deletions, substitutions and
/// transpositions of adjacent characters each cost 1.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert_eq!(edit_distance("agent", "agnet"), 1);
        assert_eq!(edit_distance("date", "dates"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_the_closest_term_in_the_same_namespace() {
        let candidates = ["http://e/agent", "http://e/target", "http://f/agnet"].map(String::from);
        assert_eq!(
            suggest("http://e/agnet", candidates.clone()),
            Some("http://e/agent".to_owned())
        );
        assert_eq!(suggest("http://e/somethingElse", candidates), None);
    }

    #[test]
    fn suggests_the_right_namespace_for_a_known_local_name() {
        let candidates = ["http://purl.org/dc/terms/identifier".to_owned()];
        assert_eq!(
            suggest("http://purl.org/dc/elements/1.1/identifier", candidates),
            Some("http://purl.org/dc/terms/identifier".to_owned())
        );
    }

    #[test]
    fn plain_strings_that_look_typed() {
        assert_eq!(looks_typed("2025-06-27"), Some("a date (xsd:date)"));
        assert_eq!(
            looks_typed("2025-06"),
            Some("a year and month (xsd:gYearMonth)")
        );
        assert_eq!(
            looks_typed("2019"),
            Some("a year (xsd:gYear) or an integer")
        );
        assert_eq!(
            looks_typed("-3.5"),
            Some("a number (xsd:integer or xsd:decimal)")
        );
        assert_eq!(looks_typed("Hikvision"), None);
        assert_eq!(looks_typed("2025-06-27T10:00"), None);
    }
}
