//! Looks through a parsed query before it runs: does it call a SERVICE, how deep is it, which
//! classes and properties does it read, and from which graphs.
//!
//! The walk keeps its own stack instead of recursing, so a query whose algebra is deep cannot
//! exhaust the thread's stack while it is being inspected.

use crate::store::Reads;
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
};
use spargebra::term::{NamedNode, NamedNodePattern, TermPattern};
use spargebra::Query;
use std::collections::BTreeSet;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SUB_CLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";

/// What [`inspect`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The first SERVICE the query calls (its IRI, or its variable as `?name`), if any.
    pub service: Option<String>,
    /// The depth of the deepest node of the query's algebra, patterns and expressions both.
    pub depth: usize,
    /// The classes the query reads: the IRIs it matches as the object of `rdf:type`, or on
    /// either side of `rdfs:subClassOf` (also at the end of a path such as
    /// `a/rdfs:subClassOf*`). What a curator must model for the query to find anything.
    pub classes: BTreeSet<String>,
    /// The properties the query reads, in triple patterns and property paths (`rdf:type` and
    /// `rdfs:subClassOf` included). A CONSTRUCT template is written, not read: not counted.
    pub properties: BTreeSet<String>,
    /// The graphs the query reads, as Oxigraph evaluates it: a pattern reads the graph its
    /// nearest enclosing `GRAPH` names (in EXISTS and subqueries too), or the default graph
    /// outside any; `GRAPH ?g {}` reads the list of named graphs; DESCRIBE reads the default
    /// graph; a query with `FROM` or `FROM NAMED` reads only the store's named graphs. A
    /// SERVICE, evaluated elsewhere, counts as reading every graph.
    pub reads: Reads,
}

impl Inspection {
    fn triple(&mut self, subject: &TermPattern, predicate: &str, object: &TermPattern) {
        self.properties.insert(predicate.to_owned());
        let class = |t: &TermPattern| match t {
            TermPattern::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        };
        if predicate == RDF_TYPE || predicate == SUB_CLASS_OF {
            self.classes.extend(class(object));
        }
        if predicate == SUB_CLASS_OF {
            self.classes.extend(class(subject));
        }
    }

    /// A triple pattern or path, inside `GRAPH` or not.
    fn reads_in(&mut self, in_graph: bool) {
        if in_graph {
            self.reads.named_graphs = true;
        } else {
            self.reads.default_graph = true;
        }
    }

    fn path(&mut self, subject: &TermPattern, path: &PropertyPathExpression, object: &TermPattern) {
        let mut todo = vec![path];
        while let Some(p) = todo.pop() {
            match p {
                PropertyPathExpression::NamedNode(n) => {
                    self.properties.insert(n.as_str().to_owned());
                }
                PropertyPathExpression::NegatedPropertySet(set) => self
                    .properties
                    .extend(set.iter().map(|n: &NamedNode| n.as_str().to_owned())),
                PropertyPathExpression::Reverse(p)
                | PropertyPathExpression::ZeroOrMore(p)
                | PropertyPathExpression::OneOrMore(p)
                | PropertyPathExpression::ZeroOrOne(p) => todo.push(p),
                PropertyPathExpression::Sequence(a, b)
                | PropertyPathExpression::Alternative(a, b) => {
                    todo.push(a);
                    todo.push(b);
                }
            }
        }
        if let (Some(last), TermPattern::NamedNode(o)) = (last_step(path), object) {
            if last == RDF_TYPE || last == SUB_CLASS_OF {
                self.classes.insert(o.as_str().to_owned());
            }
        }
        if let (Some(first), TermPattern::NamedNode(s)) = (first_step(path), subject) {
            if first == SUB_CLASS_OF {
                self.classes.insert(s.as_str().to_owned());
            }
        }
    }
}

/// The property a path's last step follows forwards, through `*`, `+` and `?`.
fn last_step(path: &PropertyPathExpression) -> Option<&str> {
    match path {
        PropertyPathExpression::NamedNode(n) => Some(n.as_str()),
        PropertyPathExpression::Sequence(_, b) => last_step(b),
        PropertyPathExpression::ZeroOrMore(p)
        | PropertyPathExpression::OneOrMore(p)
        | PropertyPathExpression::ZeroOrOne(p) => last_step(p),
        _ => None,
    }
}

/// The property a path's first step follows forwards, through `*`, `+` and `?`.
fn first_step(path: &PropertyPathExpression) -> Option<&str> {
    match path {
        PropertyPathExpression::NamedNode(n) => Some(n.as_str()),
        PropertyPathExpression::Sequence(a, _) => first_step(a),
        PropertyPathExpression::ZeroOrMore(p)
        | PropertyPathExpression::OneOrMore(p)
        | PropertyPathExpression::ZeroOrOne(p) => first_step(p),
        _ => None,
    }
}

enum Node<'a> {
    Pattern(&'a GraphPattern),
    Expression(&'a Expression),
}

/// Walks every graph pattern and expression of `query`, subqueries and EXISTS included.
pub fn inspect(query: &Query) -> Inspection {
    let (root, dataset) = match query {
        Query::Select {
            pattern, dataset, ..
        }
        | Query::Construct {
            pattern, dataset, ..
        }
        | Query::Describe {
            pattern, dataset, ..
        }
        | Query::Ask {
            pattern, dataset, ..
        } => (pattern, dataset),
    };
    let mut found = Inspection {
        service: None,
        depth: 0,
        classes: BTreeSet::new(),
        properties: BTreeSet::new(),
        reads: Reads::NOTHING,
    };
    // Each node with its depth, and whether it is inside a GRAPH (what it reads from).
    let mut stack = vec![(Node::Pattern(root), 1usize, false)];
    while let Some((node, depth, in_graph)) = stack.pop() {
        found.depth = found.depth.max(depth);
        let mut push = |node| stack.push((node, depth + 1, in_graph));
        match node {
            Node::Pattern(pattern) => match pattern {
                GraphPattern::Bgp { patterns } => {
                    // An empty group reads nothing (inside GRAPH, the GRAPH itself counts).
                    if !patterns.is_empty() {
                        found.reads_in(in_graph);
                    }
                    for t in patterns {
                        if let NamedNodePattern::NamedNode(p) = &t.predicate {
                            found.triple(&t.subject, p.as_str(), &t.object);
                        }
                    }
                }
                GraphPattern::Path {
                    subject,
                    path,
                    object,
                } => {
                    found.reads_in(in_graph);
                    found.path(subject, path, object);
                }
                GraphPattern::Values { .. } => {}
                GraphPattern::Join { left, right }
                | GraphPattern::Union { left, right }
                | GraphPattern::Minus { left, right }
                | GraphPattern::Lateral { left, right } => {
                    push(Node::Pattern(left));
                    push(Node::Pattern(right));
                }
                GraphPattern::LeftJoin {
                    left,
                    right,
                    expression,
                } => {
                    push(Node::Pattern(left));
                    push(Node::Pattern(right));
                    if let Some(expression) = expression {
                        push(Node::Expression(expression));
                    }
                }
                GraphPattern::Filter { expr, inner } => {
                    push(Node::Expression(expr));
                    push(Node::Pattern(inner));
                }
                GraphPattern::Extend {
                    inner, expression, ..
                } => {
                    push(Node::Expression(expression));
                    push(Node::Pattern(inner));
                }
                GraphPattern::OrderBy { inner, expression } => {
                    push(Node::Pattern(inner));
                    for order in expression {
                        match order {
                            OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                                push(Node::Expression(e))
                            }
                        }
                    }
                }
                GraphPattern::Group {
                    inner, aggregates, ..
                } => {
                    push(Node::Pattern(inner));
                    for (_, aggregate) in aggregates {
                        match aggregate {
                            AggregateExpression::CountSolutions { .. } => {}
                            AggregateExpression::FunctionCall { expr, .. } => {
                                push(Node::Expression(expr))
                            }
                        }
                    }
                }
                GraphPattern::Graph { inner, .. } => {
                    found.reads.named_graphs = true;
                    stack.push((Node::Pattern(inner), depth + 1, true));
                }
                GraphPattern::Project { inner, .. }
                | GraphPattern::Distinct { inner }
                | GraphPattern::Reduced { inner }
                | GraphPattern::Slice { inner, .. } => push(Node::Pattern(inner)),
                GraphPattern::Service { name, inner, .. } => {
                    found.reads = Reads::ALL;
                    if found.service.is_none() {
                        found.service = Some(match name {
                            NamedNodePattern::NamedNode(iri) => iri.to_string(),
                            NamedNodePattern::Variable(v) => v.to_string(),
                        });
                    }
                    push(Node::Pattern(inner));
                }
            },
            Node::Expression(expression) => {
                let (operands, exists) = operands(expression);
                operands.into_iter().for_each(|e| push(Node::Expression(e)));
                if let Some(pattern) = exists {
                    push(Node::Pattern(pattern));
                }
            }
        }
    }
    if matches!(query, Query::Describe { .. }) {
        found.reads.default_graph = true;
    }
    if dataset.is_some() && found.service.is_none() {
        // The query's default graph is the merge of the named graphs FROM names.
        found.reads = Reads::NAMED_GRAPHS;
    }
    found
}

/// The operands of `expression`, and the pattern of an `EXISTS`: what a walk of the algebra
/// visits below an expression.
pub(crate) fn operands(expression: &Expression) -> (Vec<&Expression>, Option<&GraphPattern>) {
    match expression {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => (Vec::new(), None),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => (vec![a, b], None),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            (vec![a], None)
        }
        Expression::In(a, list) => (std::iter::once(&**a).chain(list).collect(), None),
        Expression::If(a, b, c) => (vec![a, b, c], None),
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            (list.iter().collect(), None)
        }
        Expression::Exists(pattern) => (Vec::new(), Some(pattern)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn service_of(text: &str) -> Option<String> {
        inspect(&SparqlParser::new().parse_query(text).expect("parses")).service
    }

    #[test]
    fn finds_service_wherever_it_hides() {
        let s = "<http://127.0.0.1:9/sparql>";
        for text in [
            format!("SELECT * {{ SERVICE {s} {{ ?s ?p ?o }} }}"),
            format!("SELECT * {{ SERVICE SILENT {s} {{ ?s ?p ?o }} }}"),
            format!(
                "SELECT * {{ {{ SELECT ?s {{ OPTIONAL {{ SERVICE {s} {{ ?s ?p ?o }} }} }} }} }}"
            ),
            format!("ASK {{ FILTER(NOT EXISTS {{ SERVICE {s} {{ ?s ?p ?o }} }}) }}"),
            format!("SELECT (COUNT(*) AS ?n) {{ BIND(EXISTS {{ SERVICE {s} {{}} }} AS ?x) }}"),
        ] {
            assert_eq!(service_of(&text).as_deref(), Some(s), "{text}");
        }
        assert_eq!(
            service_of("SELECT * { SERVICE ?where { ?s ?p ?o } }").as_deref(),
            Some("?where")
        );
        assert_eq!(service_of("SELECT * { ?service ?p <urn:SERVICE> }"), None);
    }

    #[test]
    fn finds_the_classes_and_properties_a_query_reads() {
        let found = inspect(
            &SparqlParser::new()
                .parse_query(
                    "PREFIX ex: <urn:ex:>
                     CONSTRUCT { ?e ex:written ?o }
                     WHERE {
                       GRAPH ?g { ?e a ?kind ; ex:agent ?a . OPTIONAL { ?a ex:name ?n } }
                       ?kind <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ex:Measure .
                       ?a a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ex:Agent .
                       FILTER NOT EXISTS { ?e ex:sub+|^ex:part ?o ; a ex:Draft }
                     }",
                )
                .expect("parses"),
        );
        let local = |set: &BTreeSet<String>| -> Vec<String> {
            set.iter()
                .map(|i| i.rsplit(['#', ':']).next().unwrap_or(i).to_owned())
                .collect()
        };
        assert_eq!(local(&found.classes), ["Agent", "Draft", "Measure"]);
        assert_eq!(
            local(&found.properties),
            ["type", "subClassOf", "agent", "name", "part", "sub"]
        );
    }
}
