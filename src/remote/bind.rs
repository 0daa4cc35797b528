//! A query made ready for a store: parameters bound and the dataset named in the parsed
//! algebra (spargebra), then serialised, so that a parameter's value is a term and can never
//! change the query's structure, whatever characters it holds.
//!
//! A parameter becomes a one-row `VALUES` block joined first in the query's pattern, below its
//! solution modifiers (projection, DISTINCT, LIMIT, ORDER BY, grouping) and its top-level
//! FILTERs and BINDs, and on the left of its joins and OPTIONALs: the variable is bound where an
//! embedded query's substitution binds it, so FILTERs and OPTIONAL conditions see the value.

use crate::error::{Error, Result};
use crate::query::Binding;
use oxigraph::model::{NamedNode, Term};
use spargebra::algebra::{GraphPattern, QueryDataset};
use spargebra::term::GroundTerm;
use spargebra::Query;

/// Binds each parameter of `bindings` in `query` (see the module's documentation).
pub fn bind(query: &mut Query, bindings: &[Binding], name: &str) -> Result<()> {
    if bindings.is_empty() {
        return Ok(());
    }
    let mut variables = Vec::new();
    let mut row = Vec::new();
    for binding in bindings {
        let term = match &binding.term {
            Term::NamedNode(node) => GroundTerm::NamedNode(node.clone()),
            Term::Literal(literal) => GroundTerm::Literal(literal.clone()),
            other => {
                return Err(Error::Evaluation {
                    query: name.to_owned(),
                    message: format!(
                        "parameter {}: {other} cannot be sent to a store (a blank node names nothing outside its file); give an IRI or a literal",
                        binding.variable
                    ),
                })
            }
        };
        variables.push(binding.variable.clone());
        row.push(Some(term));
    }
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let taken = std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *pattern = join_first(taken, values, true);
    Ok(())
}

/// `pattern` with `values` joined at its first evaluated pattern. `top` is true while still
/// among the query's own solution modifiers (a nested projection is a subquery, whose scope the
/// value must not enter).
fn join_first(pattern: GraphPattern, values: GraphPattern, top: bool) -> GraphPattern {
    match pattern {
        GraphPattern::Project {
            inner: i,
            variables,
        } if top => GraphPattern::Project {
            inner: Box::new(join_first(*i, values, true)),
            variables,
        },
        GraphPattern::Distinct { inner: i } if top => GraphPattern::Distinct {
            inner: Box::new(join_first(*i, values, true)),
        },
        GraphPattern::Reduced { inner: i } if top => GraphPattern::Reduced {
            inner: Box::new(join_first(*i, values, true)),
        },
        GraphPattern::Slice {
            inner: i,
            start,
            length,
        } if top => GraphPattern::Slice {
            inner: Box::new(join_first(*i, values, true)),
            start,
            length,
        },
        GraphPattern::OrderBy {
            inner: i,
            expression,
        } if top => GraphPattern::OrderBy {
            inner: Box::new(join_first(*i, values, true)),
            expression,
        },
        GraphPattern::Group {
            inner: i,
            variables,
            aggregates,
        } if top => GraphPattern::Group {
            inner: Box::new(join_first(*i, values, false)),
            variables,
            aggregates,
        },
        GraphPattern::Filter { expr, inner: i } => GraphPattern::Filter {
            expr,
            inner: Box::new(join_first(*i, values, top)),
        },
        GraphPattern::Extend {
            inner: i,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: Box::new(join_first(*i, values, top)),
            variable,
            expression,
        },
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: Box::new(join_first(*left, values, false)),
            right,
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: Box::new(join_first(*left, values, false)),
            right,
            expression,
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: Box::new(join_first(*left, values, false)),
            right,
        },
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
            left: Box::new(join_first(*left, values, false)),
            right,
        },
        // A basic graph pattern, path, union, GRAPH, VALUES, SERVICE or subquery: joined as a
        // whole.
        other => GraphPattern::Join {
            left: Box::new(values),
            right: Box::new(other),
        },
    }
}

/// Names the dataset in `query` (`FROM` and `FROM NAMED`), unless it names its own, which wins
/// as it does on an embedded store.
pub fn set_dataset(query: &mut Query, default: Vec<NamedNode>, named: Vec<NamedNode>) {
    let dataset = match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset,
    };
    if dataset.is_none() {
        *dataset = Some(QueryDataset {
            default,
            named: Some(named),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, Variable};

    fn bound(text: &str, name: &str, term: Term) -> String {
        let mut query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        let binding = Binding {
            variable: Variable::new(name).unwrap(),
            term,
        };
        bind(&mut query, &[binding], "test").unwrap();
        let text = query.to_string();
        // What is sent parses again.
        spargebra::SparqlParser::new().parse_query(&text).unwrap();
        text
    }

    #[test]
    fn a_hostile_literal_stays_a_literal() {
        let text = bound(
            "SELECT ?x ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
            "label",
            Literal::new_simple_literal("\" } ; DROP ALL ; SELECT * { \"").into(),
        );
        let query = spargebra::SparqlParser::new().parse_query(&text).unwrap();
        let Query::Select { pattern, .. } = query else {
            panic!("not a SELECT")
        };
        let GraphPattern::Project { inner, .. } = pattern else {
            panic!("no projection: {pattern:?}")
        };
        let GraphPattern::Join { left, .. } = *inner else {
            panic!("no join: {inner:?}")
        };
        assert!(
            matches!(*left, GraphPattern::Values { ref bindings, .. } if bindings.len() == 1),
            "{left:?}"
        );
    }

    #[test]
    fn values_go_under_filters_and_left_of_optionals() {
        let text = bound(
            "SELECT ?c ?n WHERE { ?c <http://x/p> ?n OPTIONAL { ?c <http://x/q> ?m FILTER(?m != ?c) } FILTER(?c != <http://x/z>) } ORDER BY ?n LIMIT 3",
            "c",
            NamedNode::new("http://x/a").unwrap().into(),
        );
        let values = text.find("VALUES").expect(&text);
        let optional = text.find("OPTIONAL").expect(&text);
        assert!(values < optional, "{text}");
        assert!(text.contains("LIMIT 3"), "{text}");
    }

    #[test]
    fn a_query_s_own_dataset_wins() {
        let mut own = spargebra::SparqlParser::new()
            .parse_query("SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }")
            .unwrap();
        set_dataset(
            &mut own,
            vec![NamedNode::new("http://x/merged").unwrap()],
            vec![],
        );
        assert!(!own.to_string().contains("merged"));
        let mut plain = spargebra::SparqlParser::new()
            .parse_query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
            .unwrap();
        set_dataset(
            &mut plain,
            vec![NamedNode::new("http://x/merged").unwrap()],
            vec![NamedNode::new("http://x/a1").unwrap()],
        );
        let text = plain.to_string();
        assert!(
            text.contains("FROM <http://x/merged>") && text.contains("FROM NAMED <http://x/a1>"),
            "{text}"
        );
    }
}
