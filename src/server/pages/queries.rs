//! The query pages: the SPARQL editor with its answer as a table and download links, the list
//! of named queries, and a named query's form for its parameters with its answer.

use super::links::Target;
use super::view::{Ctx, Frame, Value};
use crate::error::Result;
use crate::query::limits::TimeLimit;
use crate::query::{self, Answer, NamedQuery, QueryOptions, QueryText};
use askama::Template;
use std::path::PathBuf;

/// The most rows a page shows; the downloads have them all.
const SHOWN_ROWS: usize = 1000;

/// A query's answer as a table, or why there is none.
pub(crate) struct Outcome {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<Value>>>,
    /// All the rows, of which [`SHOWN_ROWS`] at most are shown.
    pub total: usize,
    /// An ASK query's answer.
    pub boolean: Option<bool>,
    pub error: Option<String>,
    /// The answer is a graph (CONSTRUCT, DESCRIBE): downloaded in RDF formats.
    pub graph: bool,
}

impl Outcome {
    fn failed(error: &crate::error::Error) -> Self {
        Self {
            columns: Vec::new(),
            rows: Vec::new(),
            total: 0,
            boolean: None,
            error: Some(error.to_string()),
            graph: false,
        }
    }
}

/// Runs `text` with `bindings` and puts the answer in a table.
fn answer(
    ctx: &Ctx<'_>,
    text: &QueryText,
    bindings: &[query::Binding],
    timeout: TimeLimit,
) -> Outcome {
    let options = QueryOptions {
        timeout: Some(timeout),
        allow_service: false,
        dataset: None,
    };
    let answer = match query::run(ctx.store, text, bindings, options) {
        Ok(answer) => answer,
        Err(e) => return Outcome::failed(&e),
    };
    let graph = matches!(answer, Answer::Graph(_));
    let (columns, rows): (Vec<String>, Vec<Vec<Option<Value>>>) = match answer {
        Answer::Boolean(value) => {
            return Outcome {
                columns: Vec::new(),
                rows: Vec::new(),
                total: 0,
                boolean: Some(value),
                error: None,
                graph: false,
            }
        }
        Answer::Solutions { variables, rows } => (
            variables.iter().map(|v| v.as_str().to_owned()).collect(),
            rows.iter()
                .map(|row| {
                    row.iter()
                        .map(|t| t.as_ref().map(|t| ctx.value(t)))
                        .collect()
                })
                .collect(),
        ),
        Answer::Graph(triples) => (
            ["subject", "predicate", "object"]
                .map(str::to_owned)
                .to_vec(),
            triples
                .into_iter()
                .map(|t| {
                    vec![
                        Some(ctx.value(&t.subject.into())),
                        Some(ctx.value(&t.predicate.into())),
                        Some(ctx.value(&t.object)),
                    ]
                })
                .collect(),
        ),
    };
    let total = rows.len();
    Outcome {
        columns,
        rows: rows.into_iter().take(SHOWN_ROWS).collect(),
        total,
        boolean: None,
        error: None,
        graph,
    }
}

#[derive(Template)]
#[template(path = "query.html")]
pub(crate) struct QueryPage {
    pub frame: Frame,
    pub action: String,
    pub text: String,
    pub outcome: Option<Outcome>,
    /// `(format, link)` for the answer's downloads.
    pub downloads: Vec<(&'static str, String)>,
}

/// The text the editor starts with: the case's prefixes and a query to change.
fn starting_text(ctx: &Ctx<'_>) -> String {
    let mut text = String::new();
    for (name, iri) in ctx.prefixes.iter() {
        text.push_str(&format!("PREFIX {name}: <{iri}>\n"));
    }
    text.push_str("\nSELECT ?entity ?label\nWHERE {\n  ?entity rdfs:label ?label .\n}\nORDER BY ?label\nLIMIT 20\n");
    text
}

/// The query editor, with the answer to `text` when given.
pub(crate) fn editor(ctx: &Ctx<'_>, text: Option<&str>, timeout: TimeLimit) -> QueryPage {
    let outcome = text.map(|text| {
        let mut query = QueryText::inline(text);
        query.name = "the query".to_owned();
        query.origin = PathBuf::from("query");
        answer(ctx, &query, &[], timeout)
    });
    let downloads = match (text, &outcome) {
        (Some(text), Some(outcome)) if outcome.error.is_none() => {
            let formats: &[&'static str] = if outcome.graph {
                &["turtle", "ntriples", "jsonld", "rdfxml"]
            } else {
                &["csv", "json", "tsv", "xml"]
            };
            formats
                .iter()
                .map(|format| (*format, ctx.href(Target::Download(text, format))))
                .collect()
        }
        _ => Vec::new(),
    };
    QueryPage {
        frame: ctx.frame("SPARQL query"),
        action: ctx.href(Target::Query(None)),
        text: text.map_or_else(|| starting_text(ctx), str::to_owned),
        outcome,
        downloads,
    }
}

/// A named query in the list.
pub(crate) struct Listed {
    pub name: String,
    pub title: String,
    pub description: String,
    pub href: String,
    pub params: Vec<String>,
}

#[derive(Template)]
#[template(path = "queries.html")]
pub(crate) struct QueriesPage {
    pub frame: Frame,
    pub queries: Vec<Listed>,
}

/// The list of named queries.
pub(crate) fn list(ctx: &Ctx<'_>, queries: &[NamedQuery]) -> QueriesPage {
    QueriesPage {
        frame: ctx.frame("Named queries"),
        queries: queries
            .iter()
            .filter_map(|q| {
                Some(Listed {
                    href: ctx.links.href(Target::NamedQuery(&q.name, &[]))?,
                    name: q.name.clone(),
                    title: q.header.title.clone().unwrap_or_else(|| q.name.clone()),
                    description: q.header.description.clone().unwrap_or_default(),
                    params: q.header.params.iter().map(|p| p.name.clone()).collect(),
                })
            })
            .collect(),
    }
}

/// A parameter's field in a named query's form.
pub(crate) struct Field {
    pub name: String,
    pub description: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "named-query.html")]
pub(crate) struct NamedQueryPage {
    pub frame: Frame,
    pub name: String,
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    /// Where the form goes, on a server.
    pub action: Option<String>,
    /// The command that runs it, with the parameters filled in as given.
    pub command: String,
    pub text: String,
    pub outcome: Option<Outcome>,
    /// The query in the editor, on a server.
    pub edit: Option<String>,
}

/// The page of the named query `name`, run when every parameter it declares is given (a
/// query without parameters runs at once); `None` when there is no such query.
pub(crate) fn named(
    ctx: &Ctx<'_>,
    queries: &[NamedQuery],
    name: &str,
    params: &[(String, String)],
    timeout: TimeLimit,
) -> Result<Option<NamedQueryPage>> {
    let Some(named) = queries.iter().find(|q| q.name == name) else {
        return Ok(None);
    };
    let text = QueryText::resolve(
        named.path.parent().unwrap_or(named.path.as_path()),
        &named.name,
    )?;
    // A form sends its empty fields too: an empty value is a parameter not given.
    let given: Vec<(String, String)> = params
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .cloned()
        .collect();
    let fields: Vec<Field> = text
        .header
        .params
        .iter()
        .map(|p| Field {
            name: p.name.clone(),
            description: p.description.clone(),
            value: given
                .iter()
                .find(|(k, _)| *k == p.name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        })
        .collect();
    let runs = ctx.links.served() || fields.is_empty();
    let outcome = (runs && (fields.is_empty() || !given.is_empty())).then(|| {
        match text.bind_as(&given, ctx.prefixes, "parameter") {
            Ok(bindings) => answer(ctx, &text, &bindings, timeout),
            Err(e) => Outcome::failed(&e),
        }
    });
    let mut command = format!("casegraph query {}", named.name);
    for field in &fields {
        let value = if field.value.is_empty() {
            "VALUE"
        } else {
            &field.value
        };
        command.push_str(&format!(" --param '{}={}'", field.name, value));
    }
    Ok(Some(NamedQueryPage {
        frame: ctx.frame(
            named
                .header
                .title
                .clone()
                .unwrap_or_else(|| name.to_owned()),
        ),
        name: named.name.clone(),
        title: named
            .header
            .title
            .clone()
            .unwrap_or_else(|| name.to_owned()),
        description: named.header.description.clone().unwrap_or_default(),
        action: ctx
            .links
            .served()
            .then(|| ctx.href(Target::NamedQuery(&named.name, &[]))),
        command,
        edit: ctx.links.href(Target::Query(Some(&text.text))),
        text: text.text,
        outcome,
        fields,
    }))
}
