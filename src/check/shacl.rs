//! SHACL validation of a case with the rudof project's `shacl` engine (native, in memory).
//!
//! The shapes graph is every triple of the ontology files (the shapes live in
//! `ontology/shapes.ttl`; the engine only reads the nodes that are shapes). The data graph is
//! the RDF merge of every graph of the case, ontology included, so that `sh:class` and
//! `sh:targetClass` see the `rdfs:subClassOf` hierarchy and an event typed `cg:Order` is a
//! `cg:Event`. Named graphs are merged away: which article states a claim is checked by the
//! `unknown-source` lint, which SHACL over one graph cannot express.

use super::positions::Blank;
use super::shape_support::Shapes;
use super::sparql;
use super::{Diagnostic, Severity, Sources};
use crate::case::{Case, Part};
use crate::error::{Error, Result};
use crate::query::limits::TimeLimit;
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, TripleRef};
use rudof_rdf::rdf_core::term::literal::ConcreteLiteral;
use rudof_rdf::rdf_core::term::Object;
use rudof_rdf::rdf_core::SHACLPath;
use rudof_rdf::rdf_impl::OxigraphInMemory;
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::types::Severity as ShaclSeverity;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::report::ValidationResult;
use shacl::validator::store::Graph;
use shacl::validator::{ShaclConfig, ShaclValidationMode};
use std::collections::{HashMap, HashSet};

const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";

/// Validates the case against the shapes in its ontology. With no shapes, the result is one
/// warning (`no-shapes`); shapes the engine cannot read are an error of the check itself.
pub fn validate(
    case: &Case,
    sources: &Sources,
    sparql_shapes: &sparql::ShapesGraph,
    sparql_timeout: Option<TimeLimit>,
) -> Result<Vec<Diagnostic>> {
    let ontology: Vec<_> = sources
        .part(Part::Ontology)
        .flat_map(|f| &f.quads)
        .collect();
    let prefixes = case_prefixes(sources);
    let shapes = Shapes::new(&ontology, &prefixes);
    // A shape as the specification recognises one (typed as one, or with a target, or the
    // value of sh:property, sh:node, ...), not only a node typed sh:NodeShape: the engine
    // validates such shapes, and a case whose shapes are all untyped has shapes.
    if !shapes.any() {
        let file = case.ontology_dir();
        return Ok(vec![Diagnostic::new(
            &super::display_path(&file),
            None,
            Severity::Warning,
            "no-shapes",
            "no SHACL shapes found in ontology/ (nothing typed sh:NodeShape or sh:PropertyShape, with a target, or used as a shape): only the lints ran".to_owned(),
        )]);
    }

    let mut shapes_graph = OxigraphInMemory::new();
    for quad in &ontology {
        add(
            &mut shapes_graph,
            TripleRef::new(&quad.subject, &quad.predicate, &quad.object),
        )?;
    }
    let shapes_error = |message: String| Error::Shapes {
        dir: case.ontology_dir(),
        message,
    };
    let ast = ShaclParser::new(shapes_graph)
        .parse()
        .map_err(|e| shapes_error(e.to_string()))?;
    let schema = IRSchema::compile(&ast).map_err(|e| shapes_error(e.to_string()))?;

    let mut data = OxigraphInMemory::new();
    let mut seen = HashSet::new();
    let mut triples = Vec::new();
    for quad in sources.files.iter().flat_map(|f| &f.quads) {
        let triple = TripleRef::new(&quad.subject, &quad.predicate, &quad.object);
        if seen.insert(triple) {
            add(&mut data, triple)?;
            triples.push(triple);
        }
    }
    let mut validation = GraphValidation::new(Graph::from(data));
    let report = validation
        .validate(
            &schema,
            &ShaclValidationMode::Native,
            &ShaclConfig::default(),
        )
        .map_err(|e| shapes_error(e.to_string()))?;

    // The shapes' own sh:message texts, which say what is wrong in the curator's terms.
    let messages: HashMap<String, String> = ontology
        .iter()
        .filter(|q| q.predicate.as_str() == format!("{SH}message"))
        .filter_map(|q| match (&q.subject, &q.object) {
            (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) => {
                Some((s.as_str().to_owned(), l.value().to_owned()))
            }
            _ => None,
        })
        .collect();
    let names = Names {
        sources,
        prefixes: &prefixes,
        shapes: &shapes,
    };
    // SHACL-SPARQL, which the engine leaves, on the same data graph.
    let sparql_results =
        sparql::validate(sparql_shapes, triples, sparql_timeout).map_err(|e| match e {
            sparql::Failure::Shapes(message) => shapes_error(message),
            sparql::Failure::Timeout(limit) => Error::CheckTimeout { limit },
            sparql::Failure::Timer(e) => Error::Timer(e),
        })?;
    let mut out = Vec::new();
    let engine_results = report.results().iter().map(|r| (r, None));
    let sparql_results = sparql_results.iter().map(|(r, c)| (r, c.as_ref()));
    for (result, constraint) in engine_results.chain(sparql_results) {
        if let Some(mut d) = diagnostic(result, &names, &messages) {
            if let Some(shacl) = d.shacl.as_mut() {
                shacl.source_constraint = constraint.map(ToString::to_string);
            }
            out.push(d);
        }
    }
    Ok(out)
}

fn add(graph: &mut OxigraphInMemory, triple: TripleRef<'_>) -> Result<()> {
    graph
        .add_triple_ref(triple.subject, triple.predicate, triple.object)
        .map_err(Error::ShaclGraph)
}

/// The prefixes of every Turtle-family file of the case and the well-known ones, to write
/// IRIs short in messages.
pub fn case_prefixes(sources: &Sources) -> Prefixes {
    let mut prefixes = Prefixes::default();
    for index in sources.files.iter().filter_map(|f| f.index.as_ref()) {
        for decl in &index.prefixes {
            prefixes.add(&decl.name, &decl.namespace);
        }
    }
    for (name, iri) in Prefixes::well_known().iter() {
        prefixes.add(name, iri);
    }
    prefixes
}

/// An engine term as an Oxigraph term, to find where it is written.
fn to_term(object: &Object) -> Option<Term> {
    match object {
        Object::Iri(iri) => Some(NamedNode::new_unchecked(iri.as_str()).into()),
        Object::BlankNode(id) => BlankNode::new(id).ok().map(Term::from),
        Object::Literal(l) => Some(to_literal(l).into()),
        _ => None,
    }
}

/// An engine literal as an Oxigraph literal, with its language tag or datatype.
fn to_literal(l: &ConcreteLiteral) -> Literal {
    let lexical = l.lexical_form();
    match l.lang() {
        Some(lang) => Literal::new_language_tagged_literal_unchecked(lexical, lang.as_str()),
        None => {
            let datatype = l.datatype().to_string();
            let datatype = datatype.trim_start_matches('<').trim_end_matches('>');
            Literal::new_typed_literal(lexical, NamedNode::new_unchecked(datatype))
        }
    }
}

/// A literal as Turtle writes it, with its language tag or datatype (`"2025"^^xsd:gYear`,
/// `"Joly"@en`; a plain string as `"text"`), so that two values that differ only in their
/// type are told apart in messages, and so kept apart in the report. Oxigraph's term syntax
/// does the quoting; the datatype is written short.
fn literal(l: &ConcreteLiteral, prefixes: &Prefixes) -> String {
    let l = to_literal(l);
    let text = Literal::new_simple_literal(l.value()).to_string();
    match l.language() {
        Some(lang) => format!("{text}@{lang}"),
        None if l.datatype() == xsd::STRING => text,
        None => format!("{text}^^{}", prefixes.compact(l.datatype().as_str())),
    }
}

/// The names diagnostics give terms: IRIs as they are, blank nodes by where they sit (their
/// parent and the property or shape path that leads to them), never by their label, which the
/// parser draws at random on every run.
struct Names<'a> {
    sources: &'a Sources,
    prefixes: &'a Prefixes,
    shapes: &'a Shapes<'a>,
}

impl Names<'_> {
    /// A shape, for the message: "shape `cgsh:S`", "the property shape of shape `cgsh:S` on
    /// `cg:date`" (see [`Shapes::name`]).
    fn shape(&self, shape: &Object) -> String {
        match to_term(shape) {
            Some(term) => self.shapes.name(&term, 0),
            None => format!("shape {shape}"),
        }
    }

    /// A shape for JSON: its IRI, or its name when it is a blank node.
    fn shape_id(&self, shape: &Object) -> String {
        match shape {
            Object::Iri(iri) => iri.as_str().to_owned(),
            _ => self.shape(shape),
        }
    }

    /// A node or value, for the message: "`case:x`", "\"2019\"", or for a blank node
    /// "the `cg:evidence` of `case:x`".
    fn node(&self, object: &Object) -> String {
        match (object, to_term(object)) {
            (Object::Iri(iri), _) => format!("`{}`", self.prefixes.compact(iri.as_str())),
            (Object::Literal(l), _) => literal(l, self.prefixes),
            (_, Some(term @ Term::BlankNode(_))) => self.blank(&term, 0),
            (other, _) => format!("`{other}`"),
        }
    }

    /// A node for JSON: its IRI, or its name when it is a blank node.
    fn node_id(&self, object: &Object) -> String {
        match object {
            Object::Iri(iri) => iri.as_str().to_owned(),
            _ => self.node(object),
        }
    }

    /// A blank node by the triple that points at it ("the `p` of ..."), by the list it is a
    /// member of ("a member of the `p` list of ..."), or by where it is written.
    fn blank(&self, node: &Term, depth: usize) -> String {
        let term = |t: &Term, depth: usize| match t {
            Term::NamedNode(n) => format!("`{}`", self.prefixes.compact(n.as_str())),
            _ if depth > 8 => "a nested blank node".to_owned(),
            other => self.blank(other, depth + 1),
        };
        let owner = |object: &Term| {
            self.sources
                .data_first()
                .flat_map(|f| &f.quads)
                .find(|q| q.object == *object)
                .map(|q| (Term::from(q.subject.clone()), q.predicate.as_str()))
        };
        match owner(node) {
            Some((list, RDF_FIRST)) => {
                // Walk back to the list's head, which the property points at.
                let mut head = list;
                for _ in 0..10_000 {
                    match owner(&head) {
                        Some((previous, RDF_REST)) => head = previous,
                        _ => break,
                    }
                }
                match owner(&head) {
                    Some((parent, p)) => format!(
                        "a member of the `{}` list of {}",
                        self.prefixes.compact(p),
                        term(&parent, depth)
                    ),
                    None => "a member of a list".to_owned(),
                }
            }
            Some((parent, p)) => format!(
                "the `{}` of {}",
                self.prefixes.compact(p),
                term(&parent, depth)
            ),
            None => match self.label(node) {
                Some((label, file)) => format!("`_:{label}` of {}", file.display()),
                None => self.unlabelled(node),
            },
        }
    }

    /// A `_:label` as written, and the file it is written in (labels are local to a file).
    fn label(&self, node: &Term) -> Option<(&str, &std::path::Path)> {
        let Term::BlankNode(b) = node else {
            return None;
        };
        self.sources
            .files
            .iter()
            .find_map(|f| match f.blanks.get(b) {
                Some(Blank::Label(label)) => Some((label.as_str(), f.path.as_path())),
                _ => None,
            })
    }

    /// A blank node with no label and nothing pointing at it, by where it is written.
    fn unlabelled(&self, node: &Term) -> String {
        match self.sources.locate(node) {
            Some((file, Some(at))) => format!(
                "the blank node at {}:{}:{}",
                file.display(),
                at.line,
                at.column
            ),
            Some((file, None)) => format!("a blank node of {}", file.display()),
            None => "a blank node".to_owned(),
        }
    }
}

fn diagnostic(
    result: &ValidationResult,
    names: &Names<'_>,
    messages: &HashMap<String, String>,
) -> Option<Diagnostic> {
    let (sources, prefixes) = (names.sources, names.prefixes);
    // Every severity is kept: sh:Info and the rest are notes, which do not fail the check;
    // a severity other than the three of SHACL Core says its IRI.
    let (severity, severity_iri) = match result.severity() {
        ShaclSeverity::Violation => (Severity::Error, None),
        ShaclSeverity::Warning => (Severity::Warning, None),
        ShaclSeverity::Info => (Severity::Note, None),
        ShaclSeverity::Trace => (Severity::Note, Some(format!("{SH}Trace"))),
        ShaclSeverity::Debug => (Severity::Note, Some(format!("{SH}Debug"))),
        ShaclSeverity::Generic(iri) => (Severity::Note, Some(iri.as_str().to_owned())),
    };
    let component = match result.constraint_component() {
        Object::Iri(iri) => iri.as_str().to_owned(),
        other => other.to_string(),
    };
    // SHACL's own components by local name, one the shapes declare as the prefixes write it.
    let component = match component.strip_prefix(SH) {
        Some(local) => local.to_owned(),
        None => prefixes.compact(&component),
    };
    let focus = result.focus_node();
    let shape = result
        .source()
        .map(|s| names.shape(s))
        .unwrap_or_else(|| "an unnamed shape".to_owned());
    let mut message = format!("{} violates {shape}", names.node(focus));
    // A blank-node shape's name already says its path.
    let path_named =
        matches!(result.source(), Some(Object::BlankNode(_))) && shape.contains(" on ");
    if let Some(path) = result.path().filter(|_| !path_named) {
        message.push_str(&format!(" on {}", short_path(&path.to_string(), prefixes)));
    }
    if let Some(value) = result.value().filter(|v| *v != focus) {
        message.push_str(&format!(" (value {})", names.node(value)));
    }
    let text = result
        .source()
        .and_then(|s| match s {
            Object::Iri(iri) => messages.get(iri.as_str()).cloned(),
            _ => None,
        })
        .or_else(|| result.message().get(None).cloned())
        .or_else(|| result.message().iter().map(|(_, m)| m.clone()).min());
    if let Some(text) = text {
        message.push_str(": ");
        message.push_str(&text);
    }
    if let Some(iri) = &severity_iri {
        message.push_str(&format!(" (severity {})", prefixes.compact(iri)));
    }
    // About a value: where that value is written. About the node as a whole (a missing
    // property, a failed sh:or): where the node is defined. See `Sources::locate`.
    let value = result.value().filter(|v| *v != focus).and_then(to_term);
    // A predicate path names the triple; for a complex path any predicate matches.
    let predicate = match result.path() {
        Some(SHACLPath::Predicate { pred }) => Some(pred.as_str()),
        _ => None,
    };
    let place = to_term(focus).and_then(|focus| match &value {
        Some(value) => sources.locate_value(&focus, predicate, value),
        None => sources.locate(&focus),
    });
    let (file, position) = place.unwrap_or_else(|| (std::path::PathBuf::from("data"), None));
    let mut d = Diagnostic::new(
        &file,
        position,
        severity,
        &format!("shacl:{component}"),
        message,
    );
    d.focus_node = Some(names.node_id(focus));
    d.source_shape = result.source().map(|s| names.shape_id(s));
    d.shacl = Some(super::ShaclResult {
        focus_node: turtle_term(focus),
        result_path: result.path().map(turtle_path),
        value: result.value().and_then(turtle_term),
        source_constraint_component: turtle_term(result.constraint_component())
            .unwrap_or_else(|| "[]".to_owned()),
        source_shape: result.source().and_then(turtle_term),
        result_severity: match result.severity() {
            ShaclSeverity::Violation => format!("<{SH}Violation>"),
            ShaclSeverity::Warning => format!("<{SH}Warning>"),
            ShaclSeverity::Info => format!("<{SH}Info>"),
            _ => format!("<{}>", severity_iri.clone().unwrap_or_default()),
        },
        source_constraint: None,
    });
    d.severity_iri = severity_iri;
    Some(d)
}

/// An engine term in Turtle syntax (Oxigraph's term syntax), with its datatype or language; a
/// blank node by the label the loader gave it, which [`super::report::number_blank_nodes`]
/// replaces once the results are sorted (it is drawn anew on every run); `None` for a quoted
/// triple.
fn turtle_term(object: &Object) -> Option<String> {
    to_term(object).map(|term| term.to_string())
}

/// A SHACL path as the RDF node that states it, in Turtle syntax.
fn turtle_path(path: &SHACLPath) -> String {
    let list = |paths: &[SHACLPath]| {
        let members: Vec<String> = paths.iter().map(turtle_path).collect();
        format!("( {} )", members.join(" "))
    };
    match path {
        SHACLPath::Predicate { pred } => format!("<{}>", pred.as_str()),
        SHACLPath::Sequence { paths } => list(paths),
        SHACLPath::Alternative { paths } => format!("[ <{SH}alternativePath> {} ]", list(paths)),
        SHACLPath::Inverse { path } => format!("[ <{SH}inversePath> {} ]", turtle_path(path)),
        SHACLPath::ZeroOrMore { path } => format!("[ <{SH}zeroOrMorePath> {} ]", turtle_path(path)),
        SHACLPath::OneOrMore { path } => format!("[ <{SH}oneOrMorePath> {} ]", turtle_path(path)),
        SHACLPath::ZeroOrOne { path } => format!("[ <{SH}zeroOrOnePath> {} ]", turtle_path(path)),
    }
}

/// The engine writes paths with full IRIs in angle brackets; write them with the case's prefixes.
fn short_path(path: &str, prefixes: &Prefixes) -> String {
    // A plain predicate path is written as the bare IRI.
    if !path.contains(['<', ' ', '(', ')', '|']) {
        return prefixes.compact(path);
    }
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        match rest[start + 1..].find('>') {
            Some(end) => {
                out.push_str(&prefixes.compact(&rest[start + 1..start + 1 + end]));
                rest = &rest[start + 2 + end..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rudof_rdf::rdf_core::term::literal::Lang;

    #[test]
    fn literals_are_written_with_their_language_or_datatype() {
        let prefixes = Prefixes::well_known();
        assert_eq!(
            literal(&ConcreteLiteral::str("plain \"q\""), &prefixes),
            r#""plain \"q\"""#
        );
        let en = Lang::new("en").expect("a language tag");
        assert_eq!(
            literal(&ConcreteLiteral::lang_str("Joly", en), &prefixes),
            r#""Joly"@en"#
        );
        assert_eq!(
            literal(&ConcreteLiteral::integer(2019), &prefixes),
            r#""2019"^^xsd:integer"#
        );
        assert_eq!(
            literal(&ConcreteLiteral::boolean(true), &prefixes),
            r#""true"^^xsd:boolean"#
        );
    }
}
