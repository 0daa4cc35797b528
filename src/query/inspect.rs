//! Looks through a parsed query before it runs: does it call a SERVICE, and how deep is it.
//!
//! The walk keeps its own stack instead of recursing, so a query whose algebra is deep cannot
//! exhaust the thread's stack while it is being inspected.

use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::NamedNodePattern;
use spargebra::Query;

/// What [`inspect`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// The first SERVICE the query calls (its IRI, or its variable as `?name`), if any.
    pub service: Option<String>,
    /// The depth of the deepest node of the query's algebra, patterns and expressions both.
    pub depth: usize,
}

enum Node<'a> {
    Pattern(&'a GraphPattern),
    Expression(&'a Expression),
}

/// Walks every graph pattern and expression of `query`, subqueries and EXISTS included.
pub fn inspect(query: &Query) -> Inspection {
    let root = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let mut found = Inspection::default();
    let mut stack = vec![(Node::Pattern(root), 1usize)];
    while let Some((node, depth)) = stack.pop() {
        found.depth = found.depth.max(depth);
        let mut push = |node| stack.push((node, depth + 1));
        match node {
            Node::Pattern(pattern) => match pattern {
                GraphPattern::Bgp { .. }
                | GraphPattern::Path { .. }
                | GraphPattern::Values { .. } => {}
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
                GraphPattern::Graph { inner, .. }
                | GraphPattern::Project { inner, .. }
                | GraphPattern::Distinct { inner }
                | GraphPattern::Reduced { inner }
                | GraphPattern::Slice { inner, .. } => push(Node::Pattern(inner)),
                GraphPattern::Service { name, inner, .. } => {
                    if found.service.is_none() {
                        found.service = Some(match name {
                            NamedNodePattern::NamedNode(iri) => iri.to_string(),
                            NamedNodePattern::Variable(v) => v.to_string(),
                        });
                    }
                    push(Node::Pattern(inner));
                }
            },
            Node::Expression(expression) => match expression {
                Expression::NamedNode(_)
                | Expression::Literal(_)
                | Expression::Variable(_)
                | Expression::Bound(_) => {}
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
                | Expression::Divide(a, b) => {
                    push(Node::Expression(a));
                    push(Node::Expression(b));
                }
                Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
                    push(Node::Expression(a))
                }
                Expression::In(a, list) => {
                    push(Node::Expression(a));
                    list.iter().for_each(|e| push(Node::Expression(e)));
                }
                Expression::If(a, b, c) => {
                    push(Node::Expression(a));
                    push(Node::Expression(b));
                    push(Node::Expression(c));
                }
                Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                    list.iter().for_each(|e| push(Node::Expression(e)));
                }
                Expression::Exists(pattern) => push(Node::Pattern(pattern)),
            },
        }
    }
    found
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
}
