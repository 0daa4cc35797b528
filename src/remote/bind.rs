//! A query made ready for a store: parameters bound and the dataset named in the parsed
//! algebra (spargebra), then serialised, so that a parameter's value is a term and can never
//! change the query's structure, whatever characters it holds.
//!
//! A parameter's term replaces its variable in every triple pattern, property path and `GRAPH`
//! of the query's scope (subqueries that do not project the variable keep theirs), and a
//! one-row `VALUES` block joined first in the query's pattern (below its solution modifiers and
//! its top-level FILTERs and BINDs, on the left of its joins and OPTIONALs) still binds the
//! variable, for the projection, the FILTERs and the expressions. A store then sees the term in
//! each pattern, as an embedded query's substitution gives it: Virtuoso 7, for one, does not
//! carry a `VALUES` binding into a transitive property path, and answers such a query as if
//! the path's end were free.

use crate::error::{Error, Result};
use crate::query::Binding;
use oxigraph::model::Variable;
use oxigraph::model::{NamedNode, Term};
use spargebra::algebra::{GraphPattern, QueryDataset};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern, TriplePattern};
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
    let taken = std::mem::replace(
        pattern_of(query),
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *pattern_of(query) = bindings.iter().fold(taken, |pattern, binding| {
        substitute(pattern, &binding.variable, &binding.term)
    });
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    let pattern = pattern_of(query);
    let taken = std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *pattern = join_first(taken, values, true);
    Ok(())
}

fn pattern_of(query: &mut Query) -> &mut GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// `pattern` with `term` in place of `variable` in its triple patterns, paths and GRAPH names,
/// down to the subqueries that do not project it.
fn substitute(pattern: GraphPattern, variable: &Variable, term: &Term) -> GraphPattern {
    let node = |t: TermPattern| match t {
        TermPattern::Variable(v) if v == *variable => match term {
            Term::NamedNode(n) => TermPattern::NamedNode(n.clone()),
            Term::Literal(l) => TermPattern::Literal(l.clone()),
            _ => TermPattern::Variable(v),
        },
        other => other,
    };
    let named = |n: NamedNodePattern| match (n, term) {
        (NamedNodePattern::Variable(v), Term::NamedNode(iri)) if v == *variable => {
            NamedNodePattern::NamedNode(iri.clone())
        }
        (other, _) => other,
    };
    let inner = |p: Box<GraphPattern>| Box::new(substitute(*p, variable, term));
    match pattern {
        GraphPattern::Bgp { patterns } => GraphPattern::Bgp {
            patterns: patterns
                .into_iter()
                .map(|t| TriplePattern {
                    subject: node(t.subject),
                    predicate: named(t.predicate),
                    object: node(t.object),
                })
                .collect(),
        },
        GraphPattern::Path {
            subject,
            path,
            object,
        } => GraphPattern::Path {
            subject: node(subject),
            path,
            object: node(object),
        },
        GraphPattern::Graph { name, inner: i } => GraphPattern::Graph {
            name: named(name),
            inner: inner(i),
        },
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: inner(left),
            right: inner(right),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: inner(left),
            right: inner(right),
            expression,
        },
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
            left: inner(left),
            right: inner(right),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: inner(left),
            right: inner(right),
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: inner(left),
            right: inner(right),
        },
        GraphPattern::Filter { expr, inner: i } => GraphPattern::Filter {
            expr,
            inner: inner(i),
        },
        GraphPattern::Extend {
            inner: i,
            variable: v,
            expression,
        } => GraphPattern::Extend {
            inner: inner(i),
            variable: v,
            expression,
        },
        GraphPattern::OrderBy {
            inner: i,
            expression,
        } => GraphPattern::OrderBy {
            inner: inner(i),
            expression,
        },
        GraphPattern::Distinct { inner: i } => GraphPattern::Distinct { inner: inner(i) },
        GraphPattern::Reduced { inner: i } => GraphPattern::Reduced { inner: inner(i) },
        GraphPattern::Slice {
            inner: i,
            start,
            length,
        } => GraphPattern::Slice {
            inner: inner(i),
            start,
            length,
        },
        GraphPattern::Group {
            inner: i,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: inner(i),
            variables,
            aggregates,
        },
        // A projection is the query's own or a subquery's: the variable is the same one only
        // where it is projected.
        GraphPattern::Project {
            inner: i,
            variables,
        } if variables.contains(variable) => GraphPattern::Project {
            inner: inner(i),
            variables,
        },
        GraphPattern::Service {
            name,
            inner: i,
            silent,
        } => GraphPattern::Service {
            name: named(name),
            inner: inner(i),
            silent,
        },
        other @ (GraphPattern::Project { .. } | GraphPattern::Values { .. }) => other,
    }
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
    use oxigraph::model::Literal;

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
    fn the_term_replaces_the_variable_in_paths_but_not_in_other_subqueries() {
        let text = bound(
            "SELECT ?c ?x WHERE { ?x <http://x/p>* ?c { SELECT ?c WHERE { ?c <http://x/q> ?y } } { SELECT ?y WHERE { ?c <http://x/r> ?y } } }",
            "c",
            NamedNode::new("http://x/a").unwrap().into(),
        );
        assert!(
            text.contains("?x (<http://x/p>)* <http://x/a>")
                || text.contains("?x <http://x/p>* <http://x/a>"),
            "{text}"
        );
        assert!(text.contains("<http://x/a> <http://x/q> ?y"), "{text}");
        assert!(text.contains("?c <http://x/r> ?y"), "{text}");
        assert!(text.contains("VALUES ( ?c )"), "{text}");
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
