//! CSV files for `neo4j-admin database import`: `nodes.csv` and `relationships.csv`.
//!
//! Headers follow the import tool's conventions: `iri:ID` (the node id, also stored as the
//! `iri` property), `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, and `name:type` columns.
//! Quoting is done by the `csv` crate (RFC 4180, the import tool's default dialect).

use crate::graph::PropertyGraph;
use std::collections::BTreeSet;
use std::io::{self, Write};

/// The file of the nodes, in the output folder.
pub const NODES_FILE: &str = "nodes.csv";
/// The file of the relationships, in the output folder.
pub const RELATIONSHIPS_FILE: &str = "relationships.csv";

/// Joins several values of one literal property in one (string) cell.
pub const SEPARATOR: &str = "; ";
/// The import tool's default array delimiter, for `:LABEL` and `sources:string[]`.
const ARRAY_DELIMITER: &str = ";";

/// Writes the nodes of `graph`: `iri:ID,label,name,:LABEL` then one string column per literal
/// property, named by its prefixed name with every character that is not a letter, digit or
/// `_` replaced by `_` (`ex:date` becomes `ex_date`; `:` would read as a type). A node's
/// Neo4j labels are the local names of its classes (`ex:Organisation` gives `Organisation`).
pub fn write_nodes(out: impl Write, graph: &PropertyGraph) -> io::Result<()> {
    let keys = graph.attribute_keys();
    let mut columns: Vec<String> = ["iri:ID", "label", "name", ":LABEL"]
        .map(str::to_owned)
        .to_vec();
    let mut taken: BTreeSet<String> = ["iri", "label", "name"].map(str::to_owned).into();
    for key in &keys {
        columns.push(unique(identifier(key), &mut taken));
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(&columns).map_err(into_io)?;
    for (_, node) in graph.nodes() {
        let labels: BTreeSet<String> = node
            .classes
            .iter()
            .map(|(class, _)| identifier(local_name(class)))
            .collect();
        let mut record = vec![
            node.id(),
            node.label.clone(),
            node.name.clone(),
            labels.into_iter().collect::<Vec<_>>().join(ARRAY_DELIMITER),
        ];
        let properties = node.properties();
        for key in &keys {
            record.push(
                properties
                    .get(key)
                    .map(|values| values.join(SEPARATOR))
                    .unwrap_or_default(),
            );
        }
        writer.write_record(&record).map_err(into_io)?;
    }
    writer.flush()
}

/// Writes the relationships of `graph`: `:START_ID,:END_ID,:TYPE,label,property,iri,
/// sources:string[]`. The type is the property's local name in upper snake case
/// (`ex:orderedBy` gives `ORDERED_BY`); `property` keeps the prefixed name.
pub fn write_relationships(out: impl Write, graph: &PropertyGraph) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record([
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "label",
            "property",
            "iri",
            "sources:string[]",
        ])
        .map_err(into_io)?;
    for (from, to, edge) in graph.edges() {
        let sources: Vec<&str> = edge.source_names().collect();
        writer
            .write_record([
                graph.node(from).id().as_str(),
                graph.node(to).id().as_str(),
                &relationship_type(&edge.name),
                &edge.label,
                &edge.name,
                edge.predicate.as_str(),
                &sources.join(ARRAY_DELIMITER),
            ])
            .map_err(into_io)?;
    }
    writer.flush()
}

fn into_io(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The local part of a prefixed name (`ex:Order` gives `Order`), or the last segment of a full
/// `<iri>`.
fn local_name(compact: &str) -> &str {
    if let Some(iri) = compact.strip_prefix('<').and_then(|c| c.strip_suffix('>')) {
        let local = iri.rsplit(['#', '/']).next().unwrap_or(iri);
        return if local.is_empty() { iri } else { local };
    }
    match compact.split_once(':') {
        Some((_, local)) if !local.is_empty() => local,
        Some((prefix, _)) => prefix,
        None => compact,
    }
}

/// Letters, digits and `_` kept, anything else `_`: a name Neo4j needs no backticks for.
fn identifier(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() {
        "_".to_owned()
    } else {
        name
    }
}

/// `name`, or `name_2`, `name_3`... when two properties map to the same column name.
fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// `orderedBy` gives `ORDERED_BY`: Neo4j's naming convention for relationship types.
fn relationship_type(compact: &str) -> String {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in local_name(compact).chars() {
        if c.is_uppercase() && previous_lower {
            name.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_numeric();
        if c.is_alphanumeric() {
            name.extend(c.to_uppercase());
        } else {
            name.push('_');
        }
    }
    if name.is_empty() {
        "RELATED".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_for_neo4j() {
        assert_eq!(relationship_type("ex:orderedBy"), "ORDERED_BY");
        assert_eq!(relationship_type("<https://x.org/a#has-part>"), "HAS_PART");
        assert_eq!(local_name("ex:Organisation"), "Organisation");
        assert_eq!(identifier("ex:date"), "ex_date");
        let mut taken = BTreeSet::from(["label".to_owned()]);
        assert_eq!(unique("label".to_owned(), &mut taken), "label_2");
    }
}
