//! SHACL-SPARQL (SHACL sections 5 and 6): SPARQL-based constraints (`sh:sparql`) and the
//! constraint components that the shapes graph declares with SPARQL validators, run by
//! Oxigraph on the data graph with the variables the specification pre-binds.
//!
//! The rudof engine checks SHACL Core and passes over both. This module runs them for every
//! shape that a target reaches: a shape with a target of its own (`sh:targetNode`,
//! `sh:targetClass`, `sh:targetSubjectsOf`, `sh:targetObjectsOf`, or an implicit class
//! target), and a shape reached from one through `sh:property`, whose focus nodes are the
//! value nodes of its parent. A shape used only inside `sh:node`, `sh:not`, `sh:and`, `sh:or`,
//! `sh:xone` or `sh:qualifiedValueShape` is not run here, since its results would only count
//! towards its parent's conformance, which the engine decides: `check` warns about it
//! ([`super::shape_support`]).
//!
//! Pre-binding follows SHACL 5.6: the query is parsed once, with the prefixes that its
//! `sh:prefixes` declare; `$PATH` is replaced by the property shape's path as a SPARQL path
//! before parsing; the query is refused (the check fails, as the specification wants of a
//! processor) when it uses `MINUS`, `VALUES` or `SERVICE`, assigns a pre-bound variable with
//! `AS`, or has a subquery that does not return every pre-bound variable. The pre-bound
//! variables (`$this`, `$currentShape`, `$shapesGraph`, `$value` and the component's
//! parameters) are then given to Oxigraph as the initial solution of the evaluation
//! (`substitute_variable`), never pasted into the query text. The shapes graph is the named
//! graph [`SHAPES_GRAPH`] of the data the queries see, so that `GRAPH $shapesGraph` reads it.

use crate::query::limits::{Deadline, TimeLimit};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Graph, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef,
    TripleRef, Variable,
};
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::Store;
use rudof_rdf::rdf_core::term::literal::Lang;
use rudof_rdf::rdf_core::term::Object;
use rudof_rdf::rdf_core::SHACLPath;
use shacl::types::{MessageMap, Severity};
use shacl::validator::report::ValidationResult;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::{Query, SparqlParser};
use std::collections::{HashSet, VecDeque};

/// The name of the shapes graph in the dataset that SHACL-SPARQL queries see (the value of
/// `$shapesGraph`); the data graph is that dataset's default graph.
pub const SHAPES_GRAPH: &str = "urn:x-casegraph:shapes-graph";

const SH: &str = "http://www.w3.org/ns/shacl#";
const OWL_CLASS: &str = "http://www.w3.org/2002/07/owl#Class";
const OWL_IMPORTS: &str = "http://www.w3.org/2002/07/owl#imports";

/// The target properties of SHACL Core (`sh:target`, SPARQL-based targets, is SHACL-AF).
const TARGETS: [&str; 4] = [
    "targetNode",
    "targetClass",
    "targetSubjectsOf",
    "targetObjectsOf",
];

/// At most this many (shape, focus node) pairs are walked through `sh:property`, a bound on
/// shapes graphs whose property shapes nest without end.
const MAX_DEPTH: usize = 64;

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

/// The shapes graph, read for what SHACL-SPARQL needs.
pub struct ShapesGraph {
    graph: Graph,
}

/// A parameter of a constraint component (SHACL 6.1): its variable is the local name of its
/// path.
struct Parameter {
    name: String,
    path: NamedNode,
    optional: bool,
}

/// Which validator of a constraint component a shape runs (SHACL 6.2.3).
enum Validator {
    /// `sh:validator`: an ASK query per value node, which fails the value when false.
    Ask(Term),
    /// `sh:nodeValidator` or `sh:propertyValidator`: a SELECT query whose solutions are results.
    Select(Term),
}

impl ShapesGraph {
    /// The shapes graph of `triples` (the ontology's).
    pub fn new<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Self {
        let mut graph = Graph::new();
        for t in triples {
            graph.insert(t);
        }
        Self { graph }
    }

    fn objects(&self, subject: &Term, predicate: &NamedNode) -> Vec<Term> {
        match subject_ref(subject) {
            Some(s) => self
                .graph
                .objects_for_subject_predicate(s, predicate)
                .map(TermRef::into_owned)
                .collect(),
            None => Vec::new(),
        }
    }

    fn object(&self, subject: &Term, predicate: &NamedNode) -> Option<Term> {
        let s = subject_ref(subject)?;
        self.graph
            .object_for_subject_predicate(s, predicate)
            .map(TermRef::into_owned)
    }

    fn is_true(&self, subject: &Term, local: &str) -> bool {
        matches!(self.object(subject, &sh(local)), Some(Term::Literal(l)) if l.value() == "true" || l.value() == "1")
    }

    /// Whether the shapes graph has anything for this module to run.
    pub(super) fn any(&self) -> bool {
        self.graph
            .triples_for_predicate(&sh("sparql"))
            .next()
            .is_some()
            || !self.components().is_empty()
    }

    /// The shapes with a target of their own, in the shapes graph's order.
    fn targeted(&self) -> Vec<Term> {
        let mut out: Vec<Term> = Vec::new();
        for local in TARGETS {
            for t in self.graph.triples_for_predicate(&sh(local)) {
                out.push(t.subject.into_owned().into());
            }
        }
        // Implicit class targets: a shape that is also a class targets its instances.
        for class in [rdfs::CLASS, NamedNodeRef::new_unchecked(OWL_CLASS)] {
            for subject in self.graph.subjects_for_predicate_object(rdf::TYPE, class) {
                let term: Term = subject.into_owned().into();
                if self.is_implicit_class_target(&term) {
                    out.push(term);
                }
            }
        }
        let mut seen = HashSet::new();
        out.retain(|t| seen.insert(t.clone()));
        out
    }

    /// Whether `term` is a shape (typed as one) and a class (`rdfs:Class` or `owl:Class`),
    /// which targets the instances of that class (SHACL 2.1.3.3).
    fn is_implicit_class_target(&self, term: &Term) -> bool {
        let types = self.objects(term, &rdf::TYPE.into_owned());
        let is = |iri: &str| {
            types
                .iter()
                .any(|t| matches!(t, Term::NamedNode(n) if n.as_str() == iri))
        };
        (is(&format!("{SH}NodeShape")) || is(&format!("{SH}PropertyShape")))
            && (is(rdfs::CLASS.as_str()) || is(OWL_CLASS))
    }

    /// Every shape this module runs: those with a target, and those reached from them through
    /// `sh:property` (see the module's documentation).
    pub(super) fn reached(&self) -> HashSet<Term> {
        let mut reached = HashSet::new();
        let mut queue: VecDeque<Term> = self.targeted().into();
        while let Some(shape) = queue.pop_front() {
            if reached.insert(shape.clone()) {
                queue.extend(self.objects(&shape, &sh("property")));
            }
        }
        reached
    }

    /// The constraint components the shapes graph declares: subjects of `sh:parameter`.
    fn components(&self) -> Vec<Term> {
        let mut out: Vec<Term> = Vec::new();
        for t in self.graph.triples_for_predicate(&sh("parameter")) {
            let c: Term = t.subject.into_owned().into();
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The components that `shape` uses (it has a value for each of their mandatory
    /// parameters), each with its parameters: (variable name, path, optional).
    fn used_components(&self, shape: &Term) -> Vec<(Term, Vec<Parameter>)> {
        let mut out = Vec::new();
        for component in self.components() {
            let mut parameters = Vec::new();
            for p in self.objects(&component, &sh("parameter")) {
                if let Some(Term::NamedNode(path)) = self.object(&p, &sh("path")) {
                    parameters.push(Parameter {
                        name: local_name(path.as_str()).to_owned(),
                        optional: self.is_true(&p, "optional"),
                        path,
                    });
                }
            }
            let uses = !parameters.is_empty()
                && parameters
                    .iter()
                    .all(|p| p.optional || self.object(shape, &p.path).is_some());
            if uses {
                out.push((component, parameters));
            }
        }
        out
    }

    /// The validator a shape runs for `component`: for a property shape its
    /// `sh:propertyValidator`, for a node shape its `sh:nodeValidator`, else `sh:validator`.
    fn validator(&self, component: &Term, property_shape: bool) -> Option<Validator> {
        let select = if property_shape {
            "propertyValidator"
        } else {
            "nodeValidator"
        };
        if let Some(v) = self.object(component, &sh(select)) {
            return Some(Validator::Select(v));
        }
        self.object(component, &sh("validator")).map(Validator::Ask)
    }

    /// Whether `shape` of a component with a declared validator has none it can run: the
    /// component gives only a node validator and the shape is a property shape, or the other
    /// way round (the specification then ignores the component; `check` warns).
    pub(super) fn has_no_validator(&self, shape: &Term, component: &str) -> bool {
        let component = Term::from(NamedNode::new_unchecked(component));
        self.validator(&component, self.is_property_shape(shape))
            .is_none()
    }

    /// A property shape: one with `sh:path`.
    pub(super) fn is_property_shape(&self, shape: &Term) -> bool {
        self.object(shape, &sh("path")).is_some()
    }

    /// The path of a property shape as SHACL states it and as a SPARQL property path.
    fn path(&self, node: &Term, depth: usize) -> Result<(SHACLPath, String), String> {
        if depth > 32 {
            return Err("a property path nested more than 32 deep".to_owned());
        }
        if let Term::NamedNode(n) = node {
            if n.as_ref() != rdf::NIL {
                return Ok((
                    SHACLPath::iri(n.clone().into()),
                    format!("<{}>", n.as_str()),
                ));
            }
        }
        let one = |local: &str| -> Result<Option<(SHACLPath, String)>, String> {
            match self.object(node, &sh(local)) {
                Some(inner) => self.path(&inner, depth + 1).map(Some),
                None => Ok(None),
            }
        };
        if let Some((p, s)) = one("inversePath")? {
            return Ok((SHACLPath::Inverse { path: Box::new(p) }, format!("^({s})")));
        }
        if let Some((p, s)) = one("zeroOrMorePath")? {
            return Ok((
                SHACLPath::ZeroOrMore { path: Box::new(p) },
                format!("({s})*"),
            ));
        }
        if let Some((p, s)) = one("oneOrMorePath")? {
            return Ok((
                SHACLPath::OneOrMore { path: Box::new(p) },
                format!("({s})+"),
            ));
        }
        if let Some((p, s)) = one("zeroOrOnePath")? {
            return Ok((
                SHACLPath::ZeroOrOne { path: Box::new(p) },
                format!("({s})?"),
            ));
        }
        let members = |head: &Term| -> Result<(Vec<SHACLPath>, Vec<String>), String> {
            let mut paths = Vec::new();
            let mut texts = Vec::new();
            for member in self.list(head) {
                let (p, s) = self.path(&member, depth + 1)?;
                paths.push(p);
                texts.push(s);
            }
            if paths.is_empty() {
                return Err("an empty list as a property path".to_owned());
            }
            Ok((paths, texts))
        };
        if let Some(list) = self.object(node, &sh("alternativePath")) {
            let (paths, texts) = members(&list)?;
            return Ok((
                SHACLPath::Alternative { paths },
                format!("({})", texts.join(" | ")),
            ));
        }
        if self.object(node, &rdf::FIRST.into_owned()).is_some() {
            let (paths, texts) = members(node)?;
            return Ok((
                SHACLPath::Sequence { paths },
                format!("({})", texts.join(" / ")),
            ));
        }
        Err(format!(
            "{} is not a SHACL property path",
            self.describe(node)
        ))
    }

    /// The members of an RDF list (bounded, in case the list is malformed and cyclic).
    fn list(&self, head: &Term) -> Vec<Term> {
        let mut out = Vec::new();
        let mut node = head.clone();
        for _ in 0..10_000 {
            if node == rdf::NIL.into_owned().into() {
                break;
            }
            out.extend(self.object(&node, &rdf::FIRST.into_owned()));
            match self.object(&node, &rdf::REST.into_owned()) {
                Some(next) => node = next,
                None => break,
            }
        }
        out
    }

    /// The prefixes a SPARQL-based constraint or validator declares through `sh:prefixes`:
    /// the `sh:declare` of each value, and of what it imports (`owl:imports`), transitively.
    fn prefixes(&self, executable: &Term) -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut queue: VecDeque<Term> = self.objects(executable, &sh("prefixes")).into();
        while let Some(node) = queue.pop_front() {
            if !seen.insert(node.clone()) {
                continue;
            }
            for declaration in self.objects(&node, &sh("declare")) {
                let prefix = self.object(&declaration, &sh("prefix"));
                let namespace = self.object(&declaration, &sh("namespace"));
                match (prefix, namespace) {
                    (Some(Term::Literal(p)), Some(Term::Literal(n))) => {
                        out.push((p.value().to_owned(), n.value().to_owned()));
                    }
                    _ => {
                        return Err(format!(
                            "a prefix declaration of {} without an sh:prefix and an sh:namespace literal",
                            self.describe(&node)
                        ))
                    }
                }
            }
            queue.extend(self.objects(&node, &NamedNode::new_unchecked(OWL_IMPORTS)));
        }
        Ok(out)
    }

    /// A node of the shapes graph for an error message: an IRI as it is, a blank-node shape by
    /// its path (a blank-node label is drawn anew on every run).
    fn describe(&self, term: &Term) -> String {
        match term {
            Term::NamedNode(n) => format!("<{}>", n.as_str()),
            _ => match self.object(term, &sh("path")) {
                Some(Term::NamedNode(p)) => format!("the blank-node shape on <{}>", p.as_str()),
                _ => "a blank-node shape or constraint".to_owned(),
            },
        }
    }

    /// The messages of `node` (`sh:message`), by language.
    fn messages(&self, node: &Term) -> Vec<(Option<String>, String)> {
        self.objects(node, &sh("message"))
            .into_iter()
            .filter_map(|m| match m {
                Term::Literal(l) => Some((l.language().map(str::to_owned), l.value().to_owned())),
                _ => None,
            })
            .collect()
    }
}

fn subject_ref(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

/// The local name of an IRI: what follows its last `#`, `/` or `:`.
fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/', ':']).next().unwrap_or(iri)
}

/// A query of the shapes graph, parsed and checked, ready to be run with its pre-bound
/// variables.
struct Prepared {
    query: Query,
    /// The variables given a value before evaluation.
    prebound: Vec<Variable>,
}

/// What a query is expected to be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Select,
    Ask,
}

/// Parses the `sh:select` or `sh:ask` of `executable` for `shape`, pre-binding `prebound`.
fn prepare(
    shapes: &ShapesGraph,
    executable: &Term,
    what: &str,
    form: Form,
    path: Option<&str>,
    prebound: &[&str],
) -> Result<Prepared, String> {
    let property = match form {
        Form::Select => "select",
        Form::Ask => "ask",
    };
    let Some(Term::Literal(text)) = shapes.object(executable, &sh(property)) else {
        return Err(format!("{what} has no sh:{property} string"));
    };
    let text = match path {
        Some(path) => replace_path(text.value(), path),
        None if mentions_path(text.value()) => {
            return Err(format!(
                "the query of {what} uses $PATH, which only a property shape has"
            ))
        }
        None => text.value().to_owned(),
    };
    let mut parser = SparqlParser::new();
    for (prefix, namespace) in shapes.prefixes(executable)? {
        parser = parser
            .with_prefix(&prefix, &namespace)
            .map_err(|e| format!("the prefix {prefix}: <{namespace}> of {what}: {e}"))?;
    }
    let mut query = parser
        .parse_query(&text)
        .map_err(|e| format!("the query of {what} is not SPARQL: {e}"))?;
    let prebound: Vec<Variable> = prebound
        .iter()
        .map(|v| Variable::new_unchecked(*v))
        .collect();
    // A subquery must return these (SHACL 5.6.2); $shapesGraph and $currentShape are optional.
    let required: Vec<Variable> = prebound
        .iter()
        .filter(|v| !matches!(v.as_str(), "shapesGraph" | "currentShape"))
        .cloned()
        .collect();
    let rules = Rules {
        prebound: &prebound,
        required: &required,
    };
    let pattern = match (&mut query, form) {
        (Query::Select { pattern, .. }, Form::Select) | (Query::Ask { pattern, .. }, Form::Ask) => {
            pattern
        }
        _ => {
            return Err(format!(
                "the sh:{property} of {what} is not a {} query",
                property.to_uppercase()
            ))
        }
    };
    // The query's own projection (an ASK query's is all its variables) is not a subquery.
    let top = top_projection(pattern);
    if let GraphPattern::Project { inner, .. } = top {
        rules.pattern(inner)
    } else {
        rules.pattern(top)
    }
    .map_err(|e| format!("the query of {what} {e}"))?;
    // Oxigraph pre-binds only variables the query returns.
    match top {
        GraphPattern::Project { variables, .. } => {
            for v in &prebound {
                if !variables.contains(v) {
                    variables.push(v.clone());
                }
            }
        }
        other => {
            let inner = std::mem::replace(other, GraphPattern::Bgp { patterns: vec![] });
            *other = GraphPattern::Project {
                inner: Box::new(inner),
                variables: prebound.clone(),
            };
        }
    }
    Ok(Prepared { query, prebound })
}

/// The projection of a SELECT query, below its solution modifiers.
fn top_projection(pattern: &mut GraphPattern) -> &mut GraphPattern {
    match pattern {
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner } => top_projection(inner),
        other => other,
    }
}

/// Whether a query text uses the variable `$PATH` (or `?PATH`).
fn mentions_path(text: &str) -> bool {
    replace_path(text, "") != text
}

/// `text` with the variable `$PATH` (or `?PATH`) replaced by `path`: SHACL substitutes the
/// path's SPARQL syntax into the query before it is parsed. A longer name (`$PATHS`) is
/// another variable.
fn replace_path(text: &str, path: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("PATH") {
        let before = rest[..at].chars().next_back();
        let after = rest[at + 4..].chars().next();
        let is_variable = matches!(before, Some('$' | '?'))
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if is_variable {
            out.push_str(&rest[..at - 1]);
            out.push_str(path);
        } else {
            out.push_str(&rest[..at + 4]);
        }
        rest = &rest[at + 4..];
    }
    out.push_str(rest);
    out
}

/// What SHACL 5.6.2 forbids of a query with pre-bound variables.
struct Rules<'a> {
    prebound: &'a [Variable],
    required: &'a [Variable],
}

impl Rules<'_> {
    fn pattern(&self, pattern: &GraphPattern) -> Result<(), String> {
        match pattern {
            GraphPattern::Bgp { .. } | GraphPattern::Path { .. } => Ok(()),
            GraphPattern::Minus { .. } => Err("uses MINUS, which pre-binding forbids".to_owned()),
            GraphPattern::Values { .. } => Err("uses VALUES, which pre-binding forbids".to_owned()),
            GraphPattern::Service { .. } => {
                Err("uses SERVICE, which pre-binding forbids".to_owned())
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Lateral { left, right } => {
                self.pattern(left)?;
                self.pattern(right)
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left)?;
                self.pattern(right)?;
                expression.iter().try_for_each(|e| self.expression(e))
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr)?;
                self.pattern(inner)
            }
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => {
                self.assigns(variable)?;
                self.expression(expression)?;
                self.pattern(inner)
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                for (variable, aggregate) in aggregates {
                    self.assigns(variable)?;
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        self.expression(expr)?;
                    }
                }
                self.pattern(inner)
            }
            GraphPattern::Project { inner, variables } => {
                if let Some(missing) = self.required.iter().find(|v| !variables.contains(v)) {
                    return Err(format!(
                        "has a subquery that does not return {missing}, which pre-binding forbids"
                    ));
                }
                self.pattern(inner)
            }
            GraphPattern::OrderBy { inner, expression } => {
                for e in expression {
                    match e {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e)?,
                    }
                }
                self.pattern(inner)
            }
            GraphPattern::Graph { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner),
        }
    }

    fn assigns(&self, variable: &Variable) -> Result<(), String> {
        if self.prebound.contains(variable) {
            return Err(format!(
                "assigns the pre-bound variable {variable} with AS, which pre-binding forbids"
            ));
        }
        Ok(())
    }

    fn expression(&self, expression: &Expression) -> Result<(), String> {
        let (operands, exists) = crate::query::inspect::operands(expression);
        operands.into_iter().try_for_each(|e| self.expression(e))?;
        exists.map_or(Ok(()), |pattern| self.pattern(pattern))
    }
}

/// The data graph and the shapes graph, as the queries see them.
struct Dataset {
    store: Store,
    /// Cancelled at the time limit: every query stops.
    token: CancellationToken,
}

impl Dataset {
    fn select(&self, prepared: &Prepared, values: &[Term]) -> Result<Vec<QuerySolution>, String> {
        match self.run(prepared, values)? {
            QueryResults::Solutions(solutions) => solutions
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string()),
            _ => Err("a SELECT query did not answer solutions".to_owned()),
        }
    }

    fn ask(&self, prepared: &Prepared, values: &[Term]) -> Result<bool, String> {
        match self.run(prepared, values)? {
            QueryResults::Boolean(b) => Ok(b),
            _ => Err("an ASK query did not answer true or false".to_owned()),
        }
    }

    fn run(&self, prepared: &Prepared, values: &[Term]) -> Result<QueryResults<'static>, String> {
        // Unoptimised: the optimiser does not know that the pre-bound variables have a value
        // and folds `FILTER bound($this)`, or a BIND of `$this`, as if they had none.
        let mut query = SparqlEvaluator::new()
            .with_cancellation_token(self.token.clone())
            .without_optimizations()
            .for_query(prepared.query.clone());
        for (variable, value) in prepared.prebound.iter().zip(values) {
            query = query.substitute_variable(variable.clone(), value.clone());
        }
        query
            .on_store(&self.store)
            .execute()
            .map_err(|e| e.to_string())
    }

    /// A query of casegraph's own, with `?x` as the answer column, and `given` pre-bound.
    fn column(&self, text: &str, given: &[(&str, Term)]) -> Result<Vec<Term>, String> {
        let names: Vec<&str> = given.iter().map(|(n, _)| *n).collect();
        let values: Vec<Term> = given.iter().map(|(_, t)| t.clone()).collect();
        self.answers(&column_query(text, &names)?, &values)
    }

    /// The `?x` column of a query made by [`column_query`], run with `values`.
    fn answers(&self, prepared: &Prepared, values: &[Term]) -> Result<Vec<Term>, String> {
        Ok(self
            .select(prepared, values)?
            .iter()
            .filter_map(|s| s.get("x").cloned())
            .collect())
    }
}

/// A query of casegraph's own (`text`, answering `?x`), parsed once, with `names` to pre-bind.
fn column_query(text: &str, names: &[&str]) -> Result<Prepared, String> {
    let mut query = SparqlParser::new()
        .parse_query(text)
        .map_err(|e| format!("{text}: {e}"))?;
    if let Query::Select { pattern, .. } = &mut query {
        if let GraphPattern::Project { variables, .. } = top_projection(pattern) {
            variables.extend(names.iter().map(|n| Variable::new_unchecked(*n)));
        }
    }
    Ok(Prepared {
        query,
        prebound: names.iter().map(|n| Variable::new_unchecked(*n)).collect(),
    })
}

/// A property shape's path: as SHACL states it, and the query of its value nodes, parsed once
/// for all the shape's focus nodes.
struct ShapePath {
    path: SHACLPath,
    sparql: String,
    values: Prepared,
}

/// Why SHACL-SPARQL could not run to its end.
pub(super) enum Failure {
    /// A query that cannot run, which the specification makes a failure of the validation.
    Shapes(String),
    /// The time limit passed.
    Timeout(TimeLimit),
    /// The timer could not start.
    Timer(std::io::Error),
}

/// A result, and for a SPARQL-based constraint's result the constraint (`sh:sourceConstraint`).
pub(super) type Found = (ValidationResult, Option<Term>);

/// Runs the SPARQL-based constraints and components of the shapes graph `shapes` on `data`
/// (the data graph's triples), all of them within `limit`.
pub(super) fn validate<'a>(
    shapes: &ShapesGraph,
    data: impl IntoIterator<Item = TripleRef<'a>>,
    limit: Option<TimeLimit>,
) -> Result<Vec<Found>, Failure> {
    if !shapes.any() {
        return Ok(Vec::new());
    }
    let token = CancellationToken::new();
    let _deadline = match limit {
        Some(limit) => {
            Some(Deadline::start(limit.duration(), token.clone()).map_err(Failure::Timer)?)
        }
        None => None,
    };
    let results = load_and_run(shapes, data, &token);
    match (limit, token.is_cancelled()) {
        (Some(limit), true) => Err(Failure::Timeout(limit)),
        _ => results.map_err(Failure::Shapes),
    }
}

fn load_and_run<'a>(
    shapes: &ShapesGraph,
    data: impl IntoIterator<Item = TripleRef<'a>>,
    token: &CancellationToken,
) -> Result<Vec<Found>, String> {
    let store = Store::new().map_err(|e| e.to_string())?;
    let shapes_graph = NamedNode::new_unchecked(SHAPES_GRAPH);
    let quads = data
        .into_iter()
        .map(|t| t.in_graph(GraphNameRef::DefaultGraph).into_owned())
        .chain(
            shapes
                .graph
                .iter()
                .map(|t| Quad::new(t.subject, t.predicate, t.object, shapes_graph.clone())),
        );
    let mut loader = store.bulk_loader();
    loader.load_quads(quads).map_err(|e| e.to_string())?;
    loader.commit().map_err(|e| e.to_string())?;
    let run = Run {
        shapes,
        data: Dataset {
            store,
            token: token.clone(),
        },
    };
    run.all()
}

struct Run<'a> {
    shapes: &'a ShapesGraph,
    data: Dataset,
}

impl Run<'_> {
    fn all(&self) -> Result<Vec<Found>, String> {
        let mut results = Vec::new();
        let mut seen = HashSet::new();
        let mut queue: VecDeque<(Term, Vec<Term>, usize)> = VecDeque::new();
        for shape in self.shapes.targeted() {
            let focus = self.targets(&shape)?;
            queue.push_back((shape, focus, 0));
        }
        while let Some((shape, focus_nodes, depth)) = queue.pop_front() {
            if self.shapes.is_true(&shape, "deactivated") || depth > MAX_DEPTH {
                continue;
            }
            let focus_nodes: Vec<Term> = focus_nodes
                .into_iter()
                .filter(|f| seen.insert((shape.clone(), f.clone())))
                .collect();
            if focus_nodes.is_empty() {
                continue;
            }
            let path = match self.shapes.object(&shape, &sh("path")) {
                Some(p) => {
                    let (path, sparql) = self.shapes.path(&p, 0).map_err(|e| {
                        format!("the sh:path of {}: {e}", self.shapes.describe(&shape))
                    })?;
                    let values = column_query(
                        &format!("SELECT DISTINCT ?x WHERE {{ ?this {sparql} ?x }}"),
                        &["this"],
                    )?;
                    Some(ShapePath {
                        path,
                        sparql,
                        values,
                    })
                }
                None => None,
            };
            self.shape(&shape, &focus_nodes, path.as_ref(), &mut results)?;
            let children = self.shapes.objects(&shape, &sh("property"));
            if !children.is_empty() {
                // A property shape's focus nodes are the value nodes of its parent.
                let mut values = Vec::new();
                for f in &focus_nodes {
                    values.extend(self.value_nodes(f, path.as_ref())?);
                }
                for child in children {
                    queue.push_back((child, values.clone(), depth + 1));
                }
            }
        }
        Ok(results)
    }

    /// The focus nodes of a shape's own targets.
    fn targets(&self, shape: &Term) -> Result<Vec<Term>, String> {
        let mut out = self.shapes.objects(shape, &sh("targetNode"));
        let mut classes = self.shapes.objects(shape, &sh("targetClass"));
        if self.shapes.is_implicit_class_target(shape) {
            classes.push(shape.clone());
        }
        for class in classes {
            out.extend(self.data.column(
                "SELECT DISTINCT ?x WHERE { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }",
                &[("class", class)],
            )?);
        }
        for p in self.shapes.objects(shape, &sh("targetSubjectsOf")) {
            out.extend(
                self.data
                    .column("SELECT DISTINCT ?x WHERE { ?x ?p ?o }", &[("p", p)])?,
            );
        }
        for p in self.shapes.objects(shape, &sh("targetObjectsOf")) {
            out.extend(
                self.data
                    .column("SELECT DISTINCT ?x WHERE { ?s ?p ?x }", &[("p", p)])?,
            );
        }
        let mut seen = HashSet::new();
        out.retain(|t| seen.insert(t.clone()));
        Ok(out)
    }

    /// The value nodes of a focus node: itself for a node shape, what the path reaches for a
    /// property shape.
    fn value_nodes(&self, focus: &Term, path: Option<&ShapePath>) -> Result<Vec<Term>, String> {
        match path {
            None => Ok(vec![focus.clone()]),
            Some(path) => self.data.answers(&path.values, std::slice::from_ref(focus)),
        }
    }

    /// Runs the SPARQL-based constraints and the components of `shape` on its focus nodes.
    fn shape(
        &self,
        shape: &Term,
        focus_nodes: &[Term],
        path: Option<&ShapePath>,
        results: &mut Vec<Found>,
    ) -> Result<(), String> {
        let severity = match self.shapes.object(shape, &sh("severity")) {
            Some(Term::NamedNode(s)) => match s.as_str().strip_prefix(SH) {
                Some("Violation") => Severity::Violation,
                Some("Warning") => Severity::Warning,
                Some("Info") => Severity::Info,
                _ => Severity::Generic(s.into()),
            },
            _ => Severity::Violation,
        };
        let made = Made {
            shape,
            name: self.shapes.describe(shape),
            path,
            severity,
        };
        let shapes_graph = Term::from(NamedNode::new_unchecked(SHAPES_GRAPH));
        for constraint in self.shapes.objects(shape, &sh("sparql")) {
            if self.shapes.is_true(&constraint, "deactivated") {
                continue;
            }
            let prepared = prepare(
                self.shapes,
                &constraint,
                &format!("the sh:sparql constraint of {}", made.name),
                Form::Select,
                path.map(|p| p.sparql.as_str()),
                &["this", "currentShape", "shapesGraph"],
            )?;
            let messages = self.shapes.messages(&constraint);
            let component = sh("SPARQLConstraintComponent").into();
            for focus in focus_nodes {
                let values = [focus.clone(), shape.clone(), shapes_graph.clone()];
                for solution in self.data.select(&prepared, &values)? {
                    let result = made.result(focus, &solution, &component, &messages, &[])?;
                    results.push((result, Some(constraint.clone())));
                }
            }
        }
        for (component, parameters) in self.shapes.used_components(shape) {
            let Some(validator) = self.shapes.validator(&component, path.is_some()) else {
                continue;
            };
            // The component once for each combination of its parameters' values.
            let mut combinations: Vec<Vec<(String, Term)>> = vec![Vec::new()];
            for Parameter { name, path, .. } in &parameters {
                let values = self.shapes.objects(shape, path);
                if values.is_empty() {
                    continue;
                }
                combinations = combinations
                    .into_iter()
                    .flat_map(|c| {
                        values.iter().map(move |v| {
                            let mut c = c.clone();
                            c.push((name.clone(), v.clone()));
                            c
                        })
                    })
                    .collect();
            }
            let (executable, form) = match &validator {
                Validator::Ask(v) => (v, Form::Ask),
                Validator::Select(v) => (v, Form::Select),
            };
            let mut messages = self.shapes.messages(executable);
            if messages.is_empty() {
                messages = self.shapes.messages(&component);
            }
            for parameters in combinations {
                let mut names = vec!["this", "currentShape", "shapesGraph"];
                if form == Form::Ask {
                    names.push("value");
                }
                names.extend(parameters.iter().map(|(n, _)| n.as_str()));
                let prepared = prepare(
                    self.shapes,
                    executable,
                    &format!(
                        "the validator of the constraint component {} for {}",
                        self.shapes.describe(&component),
                        made.name
                    ),
                    form,
                    path.map(|p| p.sparql.as_str()),
                    &names,
                )?;
                for focus in focus_nodes {
                    let mut values = vec![focus.clone(), shape.clone(), shapes_graph.clone()];
                    match form {
                        Form::Select => {
                            values.extend(parameters.iter().map(|(_, v)| v.clone()));
                            for solution in self.data.select(&prepared, &values)? {
                                let result = made.result(
                                    focus,
                                    &solution,
                                    &component,
                                    &messages,
                                    &parameters,
                                )?;
                                results.push((result, None));
                            }
                        }
                        Form::Ask => {
                            for value in self.value_nodes(focus, path)? {
                                let mut values = values.clone();
                                values.push(value.clone());
                                values.extend(parameters.iter().map(|(_, v)| v.clone()));
                                if !self.data.ask(&prepared, &values)? {
                                    let result = made.failed_value(
                                        focus,
                                        &value,
                                        &component,
                                        &messages,
                                        &parameters,
                                    )?;
                                    results.push((result, None));
                                }
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// What every result of one shape shares.
struct Made<'a> {
    shape: &'a Term,
    /// The shape, for messages.
    name: String,
    path: Option<&'a ShapePath>,
    severity: Severity,
}

impl Made<'_> {
    /// The result a solution of a SELECT query stands for (SHACL 5.3.2): `$this` (or the
    /// solution's `?this`) as focus node; `?path` if it is an IRI, else the shape's path;
    /// `?value`, or for a node shape the focus node; `?message` or the messages, with
    /// `{?name}` and `{$name}` filled in.
    fn result(
        &self,
        focus: &Term,
        solution: &QuerySolution,
        component: &Term,
        messages: &[(Option<String>, String)],
        parameters: &[(String, Term)],
    ) -> Result<ValidationResult, String> {
        if matches!(solution.get("failure"), Some(Term::Literal(l)) if l.datatype() == xsd::BOOLEAN && (l.value() == "true" || l.value() == "1"))
        {
            return Err(format!(
                "a SPARQL query of {} reported a failure (?failure true) for {focus}",
                self.name
            ));
        }
        let focus = solution.get("this").unwrap_or(focus);
        let path = match solution.get("path") {
            Some(Term::NamedNode(p)) => Some(SHACLPath::iri(p.clone().into())),
            _ => self.path.map(|p| p.path.clone()),
        };
        let value = solution.get("value").or(if self.path.is_none() {
            Some(focus)
        } else {
            None
        });
        let message = match solution.get("message") {
            Some(Term::Literal(m)) => vec![(m.language().map(str::to_owned), m.value().to_owned())],
            _ => messages.to_vec(),
        };
        let lookup = |name: &str| {
            solution.get(name).cloned().or_else(|| {
                parameters
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            })
        };
        self.build(focus, path, value, component, &message, lookup)
    }

    /// The result of an ASK validator that answered false for `value`.
    fn failed_value(
        &self,
        focus: &Term,
        value: &Term,
        component: &Term,
        messages: &[(Option<String>, String)],
        parameters: &[(String, Term)],
    ) -> Result<ValidationResult, String> {
        let lookup = |name: &str| match name {
            "this" => Some(focus.clone()),
            "value" => Some(value.clone()),
            _ => parameters
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone()),
        };
        self.build(
            focus,
            self.path.map(|p| p.path.clone()),
            Some(value),
            component,
            messages,
            lookup,
        )
    }

    fn build(
        &self,
        focus: &Term,
        path: Option<SHACLPath>,
        value: Option<&Term>,
        component: &Term,
        messages: &[(Option<String>, String)],
        lookup: impl Fn(&str) -> Option<Term>,
    ) -> Result<ValidationResult, String> {
        let mut map = MessageMap::new();
        for (language, text) in messages {
            let language = language.as_deref().and_then(|l| Lang::new(l).ok());
            map = map.with_message(language, fill(text, &lookup));
        }
        Ok(
            ValidationResult::new(object(focus)?, object(component)?, self.severity.clone())
                .with_path(path)
                .with_value(value.map(object).transpose()?)
                .with_source(Some(object(self.shape)?))
                .with_message(map),
        )
    }
}

/// A term as the engine's report holds it.
fn object(term: &Term) -> Result<Object, String> {
    Object::try_from(term.clone()).map_err(|e| format!("{term}: {e}"))
}

/// A message with `{?name}` and `{$name}` replaced by the value of that variable: a literal's
/// text, an IRI as it is.
fn fill(template: &str, lookup: &impl Fn(&str) -> Option<Term>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find(['{']) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name = after
            .strip_prefix(['?', '$'])
            .and_then(|a| a.find('}').map(|end| &a[..end]));
        match name.and_then(|n| Some((n, lookup(n)?))) {
            Some((n, value)) => {
                out.push_str(&match value {
                    Term::Literal(l) => l.value().to_owned(),
                    Term::NamedNode(n) => n.as_str().to_owned(),
                    other => other.to_string(),
                });
                rest = &after[n.len() + 2..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    #[test]
    fn path_is_replaced_as_a_variable_only() {
        assert_eq!(
            replace_path(
                "SELECT $this WHERE { $this $PATH ?value . ?x ?PATH ?y }",
                "<p>"
            ),
            "SELECT $this WHERE { $this <p> ?value . ?x <p> ?y }"
        );
        assert_eq!(
            replace_path("?PATHS $PATH_2 \"PATH\"", "<p>"),
            "?PATHS $PATH_2 \"PATH\""
        );
        assert!(!mentions_path("SELECT ?PATHS WHERE {}"));
    }

    #[test]
    fn messages_are_filled_in_from_the_solution_and_the_parameters() {
        let lookup = |name: &str| match name {
            "lang" => Some(Literal::new_simple_literal("de").into()),
            _ => None,
        };
        assert_eq!(
            fill("Values have the language \"{$lang}\" ({?other})", &lookup),
            "Values have the language \"de\" ({?other})"
        );
    }

    fn rules_of(text: &str) -> Result<(), String> {
        let prebound = [Variable::new_unchecked("this")];
        let rules = Rules {
            prebound: &prebound,
            required: &prebound,
        };
        let mut query = SparqlParser::new()
            .parse_query(text)
            .map_err(|e| e.to_string())?;
        let Query::Select { pattern, .. } = &mut query else {
            return Err("not a SELECT".to_owned());
        };
        match top_projection(pattern) {
            GraphPattern::Project { inner, .. } => rules.pattern(inner),
            other => rules.pattern(other),
        }
    }

    #[test]
    fn pre_binding_refuses_what_shacl_forbids() {
        assert!(rules_of("SELECT $this WHERE { $this ?p ?o FILTER EXISTS { ?o ?q ?r } }").is_ok());
        assert!(rules_of("SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }").is_ok());
        for (query, why) in [
            (
                "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }",
                "MINUS",
            ),
            ("SELECT $this WHERE { VALUES ?o { 1 } }", "VALUES"),
            (
                "SELECT $this WHERE { SERVICE <http://example.org/> { ?a ?b ?c } }",
                "SERVICE",
            ),
            ("SELECT $this WHERE { BIND (1 AS $this) }", "AS"),
            (
                "SELECT $this WHERE { { SELECT ?o WHERE { ?s ?p ?o } } }",
                "subquery",
            ),
            (
                "SELECT $this WHERE { FILTER NOT EXISTS { { SELECT * WHERE { FILTER (true) } } } }",
                "subquery",
            ),
        ] {
            let error = rules_of(query).expect_err(query);
            assert!(error.contains(why), "{query}: {error}");
        }
    }
}
