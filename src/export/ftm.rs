//! FollowTheMoney entities (`ftm` JSON lines), mapped by annotations in the case's ontology.
//!
//! The mapping is data, not code: `cg:ftmSchema "Sanction"` on a class says which FtM schema
//! its instances become (subclasses inherit it), and `cg:ftmProperty "startDate"` on a
//! property which FtM property its values become; `"Sanction:startDate"` applies to entities
//! of that schema only and wins over an unqualified value. `cg:ftmLabelProperty` on a link
//! says that the label of what it links to becomes that FtM property, for FtM properties that
//! hold a name rather than a reference (`Sanction:authority`). `cg:ftmLink "Ownership:asset:owner"`
//! on a property makes each link between two entities an FtM entity of its own (FtM keeps
//! ownerships, memberships and the like as interval entities), and `cg:ftmMention
//! "Documentation:document:entity"` on a class of articles one for each entity an article's
//! graph names. A case with other classes maps by annotating them.

use crate::graph::Labels;
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

/// The annotation naming the FtM schema of a class's instances.
pub const FTM_SCHEMA: &str = "https://w3id.org/casegraph/ontology#ftmSchema";
/// The annotation naming the FtM property of a property's values.
pub const FTM_PROPERTY: &str = "https://w3id.org/casegraph/ontology#ftmProperty";
/// The annotation naming the FtM dataset of the case (on any subject; `casegraph` if none).
pub const FTM_DATASET: &str = "https://w3id.org/casegraph/ontology#ftmDataset";
/// The annotation naming the FtM property that the label of a link's object becomes.
pub const FTM_LABEL_PROPERTY: &str = "https://w3id.org/casegraph/ontology#ftmLabelProperty";

/// The annotation making a link (a property between two entities) an FtM interval entity of
/// its own: `"Ownership:asset:owner"` on `cg:subsidiaryOf` writes, for `A cg:subsidiaryOf B`,
/// an Ownership whose `asset` is A and whose `owner` is B.
pub const FTM_LINK: &str = "https://w3id.org/casegraph/ontology#ftmLink";
/// The annotation, on a class of articles, making what an article's graph mentions an FtM
/// entity of its own: `"Documentation:document:entity"` writes, for each entity named in the
/// article's graph, a Documentation whose `document` is the article and `entity` that entity.
pub const FTM_MENTION: &str = "https://w3id.org/casegraph/ontology#ftmMention";

/// An FtM interval schema and the two properties that hold its ends: `(schema, from, to)`.
type Link = (String, String, String);

/// `Schema:from:to` as a [`Link`].
fn link(value: &str) -> Option<Link> {
    let mut parts = value.splitn(3, ':');
    let (schema, from, to) = (parts.next()?, parts.next()?, parts.next()?);
    Some((schema.to_owned(), from.to_owned(), to.to_owned()))
}

/// What the ontology says about mapping to FtM.
#[derive(Debug, Default)]
pub struct Mapping {
    schema_of_class: HashMap<NamedNode, String>,
    parents: HashMap<NamedNode, Vec<NamedNode>>,
    /// Per property: `(schema it is restricted to, FtM property)`.
    properties: HashMap<NamedNode, Vec<(Option<String>, String)>>,
    /// The same, for links whose object's label is written.
    label_properties: HashMap<NamedNode, Vec<(Option<String>, String)>>,
    /// The FtM dataset the statements are in (the smallest name given, if several are).
    pub dataset: Option<String>,
    /// Per property: the interval entity its links become (the smallest, if several).
    links: HashMap<NamedNode, Link>,
    /// Per class of articles: the entity each mention in an article's graph becomes.
    mentions: HashMap<NamedNode, Link>,
}

/// `Schema:property` as `(Some(schema), property)`, `property` as `(None, property)`.
fn target(value: &str) -> (Option<String>, String) {
    match value.split_once(':') {
        Some((schema, property)) => (Some(schema.to_owned()), property.to_owned()),
        None => (None, value.to_owned()),
    }
}

/// The FtM property for `schema` among `targets`: the one restricted to it, else the
/// unrestricted one.
fn pick<'m>(targets: Option<&'m Vec<(Option<String>, String)>>, schema: &str) -> Option<&'m str> {
    let targets = targets?;
    targets
        .iter()
        .find(|(only, _)| only.as_deref() == Some(schema))
        .or_else(|| targets.iter().find(|(only, _)| only.is_none()))
        .map(|(_, property)| property.as_str())
}

impl Mapping {
    /// Reads the annotations and the class hierarchy from `ontology`.
    pub fn from_ontology<'a>(ontology: impl IntoIterator<Item = &'a Quad>) -> Self {
        let mut mapping = Self::default();
        for quad in ontology {
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            match (quad.predicate.as_str(), &quad.object) {
                (FTM_SCHEMA, Term::Literal(l)) => {
                    mapping
                        .schema_of_class
                        .insert(subject.clone(), l.value().to_owned());
                }
                (FTM_PROPERTY | FTM_LABEL_PROPERTY, Term::Literal(l)) => {
                    let map = if quad.predicate.as_str() == FTM_PROPERTY {
                        &mut mapping.properties
                    } else {
                        &mut mapping.label_properties
                    };
                    let targets = map.entry(subject.clone()).or_default();
                    targets.push(target(l.value()));
                    targets.sort();
                }
                (FTM_LINK | FTM_MENTION, Term::Literal(l)) => {
                    let map = if quad.predicate.as_str() == FTM_LINK {
                        &mut mapping.links
                    } else {
                        &mut mapping.mentions
                    };
                    if let Some(found) = link(l.value()) {
                        let entry = map.entry(subject.clone()).or_insert_with(|| found.clone());
                        if found < *entry {
                            *entry = found;
                        }
                    }
                }
                (FTM_DATASET, Term::Literal(l)) => {
                    let name = l.value().to_owned();
                    if mapping.dataset.as_ref().is_none_or(|d| name < *d) {
                        mapping.dataset = Some(name);
                    }
                }
                (p, Term::NamedNode(parent)) if p == rdfs::SUB_CLASS_OF.as_str() => {
                    let parents = mapping.parents.entry(subject.clone()).or_default();
                    parents.push(parent.clone());
                    parents.sort();
                }
                _ => {}
            }
        }
        mapping
    }

    /// The schema of a class: its own annotation, else the nearest annotated superclass's
    /// (with the distance to it, smaller first; ties go to the smaller schema name).
    fn schema_of(&self, class: &NamedNode) -> Option<(usize, &str)> {
        let mut seen = BTreeSet::new();
        let mut level = vec![class];
        for distance in 0.. {
            if level.is_empty() {
                return None;
            }
            let found = level
                .iter()
                .filter_map(|c| self.schema_of_class.get(*c).map(String::as_str))
                .min();
            if let Some(schema) = found {
                return Some((distance, schema));
            }
            let mut next = Vec::new();
            for c in level {
                for parent in self.parents.get(c).into_iter().flatten() {
                    if seen.insert(parent.as_str()) {
                        next.push(parent);
                    }
                }
            }
            level = next;
        }
        None
    }

    /// Every superclass of `class`, however far up.
    fn ancestors<'m>(&'m self, class: &'m NamedNode) -> BTreeSet<&'m NamedNode> {
        let mut found = BTreeSet::new();
        let mut todo = vec![class];
        while let Some(c) = todo.pop() {
            for parent in self.parents.get(c).into_iter().flatten() {
                if found.insert(parent) {
                    todo.push(parent);
                }
            }
        }
        found
    }

    /// The schema of an entity of `classes`: that of its most specific classes (a class that
    /// is a superclass of another of them does not count: an order stated as `cg:Event` and
    /// `cg:Order` is a Sanction), nearest annotation first, then the smaller schema name.
    fn schema_of_entity(&self, classes: &BTreeSet<&NamedNode>) -> Option<&str> {
        let above: BTreeSet<&NamedNode> = classes.iter().flat_map(|c| self.ancestors(c)).collect();
        classes
            .iter()
            .filter(|c| !above.contains(*c))
            .filter_map(|c| self.schema_of(c))
            .min()
            .map(|(_, schema)| schema)
    }

    /// The interval entity a link by `predicate` becomes.
    fn link_of(&self, predicate: &NamedNode) -> Option<&Link> {
        self.links.get(predicate)
    }

    /// The entity a mention in the graph of an article of `classes` becomes: the annotation of
    /// the nearest class, then the smallest.
    fn mention_of(&self, classes: &BTreeSet<&NamedNode>) -> Option<&Link> {
        classes
            .iter()
            .flat_map(|c| std::iter::once(*c).chain(self.ancestors(c)))
            .filter_map(|c| self.mentions.get(c))
            .min()
    }

    /// The FtM property that `predicate` becomes on an entity of `schema`.
    fn property_of(&self, predicate: &NamedNode, schema: &str) -> Option<&str> {
        pick(self.properties.get(predicate), schema)
    }

    /// The FtM property that the label of `predicate`'s object becomes on `schema`.
    fn label_property_of(&self, predicate: &NamedNode, schema: &str) -> Option<&str> {
        pick(self.label_properties.get(predicate), schema)
    }
}

/// What the export leaves out because the ontology does not map it: classes of entities that
/// get no schema, and properties with no FtM property for the schema of their subject.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Unmapped {
    /// Compact names of the classes whose instances get no schema.
    pub classes: BTreeSet<String>,
    /// Compact names of the properties left out, with the schema they were left out on.
    pub properties: BTreeSet<(String, String)>,
}

impl Unmapped {
    /// The warning that lists what was left out, if anything was.
    pub fn into_warning(self) -> Option<crate::warning::Warning> {
        if self.classes.is_empty() && self.properties.is_empty() {
            return None;
        }
        Some(crate::warning::Warning::UnmappedForFtm {
            classes: self.classes.into_iter().collect(),
            properties: self
                .properties
                .into_iter()
                .map(|(property, schema)| format!("{property} on {schema}"))
                .collect(),
        })
    }
}

/// The id of the entity for `term`: the SHA-1 of its IRI (or canonical blank-node name) in
/// hexadecimal, as FtM's own `make_id` gives, so that it is the same on every run and is a
/// valid FtM entity reference (IRIs are not: FtM ids are letters, digits, `.` and `-`).
pub fn entity_id(term: &NamedOrBlankNode) -> String {
    let text = match term {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    };
    hex(&Sha1::digest(text.as_bytes()))
}

/// One FtM statement: an entity's property has a value, stated by a graph (`origin`: the
/// compact name of the article's graph, empty for the default graph). The property `id` with
/// the entity's own id as value is the statement that the entity exists, as FtM writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Statement {
    /// The entity's id.
    pub entity: String,
    /// The FtM property, or `id`.
    pub property: String,
    /// The value.
    pub value: String,
    /// The entity's schema.
    pub schema: String,
    /// The graph that states it.
    pub origin: String,
}

/// The FtM statements of `quads` (the case's statements, blank nodes canonically named),
/// sorted and without repeats, and what the mapping left out.
///
/// Every subject with a class that maps to a schema is an entity. Its literal values become
/// the values of their mapped FtM property as written (dates keep their precision: `2019`,
/// `2022-11`, `2025-06-27`); links to another entity become that entity's id, and links to
/// something that is no entity are left out (listed as unmapped), so every reference points
/// at an entity of the export. `rdf:type` is the schema, not a property.
pub fn statements(
    quads: &[Quad],
    mapping: &Mapping,
    prefixes: &Prefixes,
) -> (Vec<Statement>, Unmapped) {
    let mut unmapped = Unmapped::default();
    let labels = Labels::from_dataset(quads);
    // Each subject's classes, then its schema from them.
    let mut classes: HashMap<&NamedOrBlankNode, BTreeSet<&NamedNode>> = HashMap::new();
    for quad in quads {
        if let (Term::NamedNode(class), true) = (&quad.object, quad.predicate.as_ref() == rdf::TYPE)
        {
            classes.entry(&quad.subject).or_default().insert(class);
            if mapping.schema_of(class).is_none() {
                unmapped.classes.insert(prefixes.compact(class.as_str()));
            }
        }
    }
    let schema_of: HashMap<&NamedOrBlankNode, &str> = classes
        .iter()
        .filter_map(|(subject, classes)| Some((*subject, mapping.schema_of_entity(classes)?)))
        .collect();
    let ids: HashMap<&NamedOrBlankNode, String> =
        schema_of.keys().map(|s| (*s, entity_id(s))).collect();
    let mut found = Vec::new();
    for quad in quads {
        let Some(schema) = schema_of.get(&quad.subject) else {
            continue;
        };
        let entity = &ids[&quad.subject];
        let origin = match &quad.graph_name {
            GraphName::DefaultGraph => String::new(),
            GraphName::NamedNode(n) => prefixes.compact(n.as_str()),
            GraphName::BlankNode(b) => b.to_string(),
        };
        let state = |property: &str, value: String| Statement {
            entity: entity.clone(),
            property: property.to_owned(),
            value,
            schema: (*schema).to_owned(),
            origin: origin.clone(),
        };
        if quad.predicate.as_ref() == rdf::TYPE {
            found.push(state("id", entity.clone()));
            continue;
        }
        // A link between two entities that the ontology makes an interval entity.
        let linked = match &quad.object {
            Term::NamedNode(n) => ids.get(&NamedOrBlankNode::from(n.clone())),
            Term::BlankNode(b) => ids.get(&NamedOrBlankNode::from(b.clone())),
            _ => None,
        };
        if let (Some((link_schema, from, to)), Some(other)) =
            (mapping.link_of(&quad.predicate), linked)
        {
            found.extend(interval(link_schema, (from, entity), (to, other), &origin));
            continue;
        }
        if let Some(property) = mapping.label_property_of(&quad.predicate, schema) {
            if let Some(label) = labels.get(&quad.object) {
                found.push(state(property, label.to_owned()));
                continue;
            }
        }
        // A literal as written; a link, the id of the entity it points at (`linked`); a
        // quoted triple is no entity.
        let value = match &quad.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => linked.cloned(),
        };
        match (mapping.property_of(&quad.predicate, schema), value) {
            (Some(property), Some(value)) => found.push(state(property, value)),
            _ => {
                unmapped.properties.insert((
                    prefixes.compact(quad.predicate.as_str()),
                    (*schema).to_owned(),
                ));
            }
        }
    }
    // What each article's graph mentions, where the articles' class asks for it.
    for quad in quads {
        let GraphName::NamedNode(graph_name) = &quad.graph_name else {
            continue;
        };
        let graph = NamedOrBlankNode::from(graph_name.clone());
        let (Some(article), Some(article_classes)) = (ids.get(&graph), classes.get(&graph)) else {
            continue;
        };
        let Some((schema, from, to)) = mapping.mention_of(article_classes) else {
            continue;
        };
        let origin = prefixes.compact(graph_name.as_str());
        let object = match &quad.object {
            Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
            Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
            _ => None,
        };
        for mentioned in std::iter::once(&quad.subject).chain(object.as_ref()) {
            if let Some(entity) = ids.get(mentioned).filter(|e| *e != article) {
                found.extend(interval(schema, (from, article), (to, entity), &origin));
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    (found, unmapped)
}

/// The statements of an interval entity of `schema` between two entities: its id (from the
/// schema and both ends, so the same link gives the same id) and its two ends.
fn interval(
    schema: &str,
    (from, from_id): (&str, &str),
    (to, to_id): (&str, &str),
    origin: &str,
) -> [Statement; 3] {
    let id = hex(&Sha1::digest(
        format!("{schema}|{from}|{from_id}|{to}|{to_id}").as_bytes(),
    ));
    let state = |property: &str, value: &str| Statement {
        entity: id.clone(),
        property: property.to_owned(),
        value: value.to_owned(),
        schema: schema.to_owned(),
        origin: origin.to_owned(),
    };
    [state("id", &id), state(from, from_id), state(to, to_id)]
}

/// Writes `statements` as FtM entities, one JSON line each, sorted by id.
pub fn write_entities(mut out: impl Write, statements: &[Statement]) -> io::Result<()> {
    let mut entities: BTreeMap<&str, (&str, BTreeMap<&str, BTreeSet<&str>>)> = BTreeMap::new();
    for s in statements {
        let (_, properties) = entities
            .entry(&s.entity)
            .or_insert((&s.schema, BTreeMap::new()));
        if s.property != "id" {
            properties.entry(&s.property).or_default().insert(&s.value);
        }
    }
    for (id, (schema, properties)) in entities {
        let properties: Map<String, Value> = properties
            .into_iter()
            .map(|(p, values)| {
                let values = values.into_iter().map(|v| Value::String(v.to_owned()));
                (p.to_owned(), Value::Array(values.collect()))
            })
            .collect();
        let mut entity = Map::new();
        entity.insert("id".into(), Value::String(id.to_owned()));
        entity.insert("schema".into(), Value::String(schema.to_owned()));
        entity.insert("properties".into(), Value::Object(properties));
        serde_json::to_writer(&mut out, &Value::Object(entity))?;
        writeln!(out)?;
    }
    Ok(())
}

/// The columns of FtM's statements CSV (`followthemoney.statement.serialize.CSV_COLUMNS`).
pub const STATEMENT_COLUMNS: [&str; 14] = [
    "canonical_id",
    "entity_id",
    "prop",
    "prop_type",
    "schema",
    "value",
    "dataset",
    "origin",
    "lang",
    "original_value",
    "external",
    "first_seen",
    "last_seen",
    "id",
];

/// Writes `statements` as FtM's statements CSV, in `dataset`: one row per entity, property,
/// value and graph, the graph (the article) as `origin`. `id` is FtM's statement key, the SHA-1
/// of `dataset.entity.property.value`; `prop_type` is left empty (FtM works it out from the
/// schema when it reads the file), as are the columns casegraph has nothing for.
pub fn write_statements(
    out: impl Write,
    statements: &[Statement],
    dataset: &str,
) -> io::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    csv.write_record(STATEMENT_COLUMNS)?;
    for s in statements {
        let key = format!("{dataset}.{}.{}.{}", s.entity, s.property, s.value);
        let id = hex(&Sha1::digest(key.as_bytes()));
        csv.write_record([
            &s.entity,
            &s.entity,
            &s.property,
            "",
            &s.schema,
            &s.value,
            dataset,
            &s.origin,
            "",
            "",
            "false",
            "",
            "",
            &id,
        ])?;
    }
    csv.flush()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
