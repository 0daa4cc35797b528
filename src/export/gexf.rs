//! GEXF 1.3: the property graph for Gephi, with the dates of events as time intervals so that
//! Gephi's timeline plays the case.
//!
//! Written by hand, as GraphML is ([`super::graphml`]): the document is flat, and the care it
//! needs is escaping (GraphML's, plus line breaks and tabs in attribute values) and the time
//! intervals, worked out here from the XSD date types.

use super::graphml::{self, SEPARATOR};
use crate::graph::{Node, PropertyGraph};
use crate::rdf::prefixes::Prefixes;
use oxigraph::model::vocab::xsd;
use oxsdatatypes::{Date, GYear, GYearMonth};
use std::io::{self, Write};

/// One day, as `(year, month, day)`: the bounds of a spell, ordered as time is.
type Day = (i64, u8, u8);

/// Writes `graph` as GEXF 1.3.
///
/// Nodes are `n0`, `n1`, ... and edges `e0`, `e1`, ..., as in GraphML; the node and edge
/// `label` are GEXF's own, and the attributes are those of GraphML, all strings: `name`,
/// `class`, `iri` and one per literal property on nodes, `property`, `iri` and `sources` on
/// edges (several values joined with [`SEPARATOR`]). An edge's `kind` is its property, so that
/// Gephi keeps two properties between the same two nodes apart.
///
/// Time: every literal typed `xsd:date`, `xsd:gYearMonth` or `xsd:gYear` (in a curated case,
/// the dates of events and articles) gives its node a `<spell>` over the time it names, a day,
/// a month or a whole year (`2019` is `2019-01-01` to `2019-12-31`), and the graph is then
/// `mode="dynamic"` with `timeformat="date"`. A node with several dates (articles that
/// disagree) gets one spell for each, overlapping ones merged; a node without one is always
/// there. A date whose year is outside 1 to 9999, or that does not parse, stays an attribute
/// only. Prefixes compact the date types, as the graph's attributes name them.
pub fn write_gexf(
    mut out: impl Write,
    graph: &PropertyGraph,
    prefixes: &Prefixes,
) -> io::Result<()> {
    let out = &mut out;
    let keys = graph.attribute_keys();
    let times = TimeTypes::new(prefixes);
    let spells: Vec<Vec<(Day, Day)>> = graph.nodes().map(|(_, n)| times.spells(n)).collect();
    let dynamic = spells.iter().any(|s| !s.is_empty());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(out, "  <meta>")?;
    writeln!(out, "    <creator>casegraph</creator>")?;
    writeln!(out, "  </meta>")?;
    if dynamic {
        writeln!(
            out,
            r#"  <graph defaultedgetype="directed" mode="dynamic" timeformat="date" timerepresentation="interval">"#
        )?;
    } else {
        writeln!(out, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    }
    writeln!(out, r#"    <attributes class="node" mode="static">"#)?;
    for id in ["name", "class", "iri"] {
        write_attribute(out, id, id)?;
    }
    for (position, key) in keys.iter().enumerate() {
        write_attribute(out, &format!("p{position}"), key)?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge" mode="static">"#)?;
    for (id, title) in [
        ("e_property", "property"),
        ("e_iri", "iri"),
        ("e_sources", "sources"),
    ] {
        write_attribute(out, id, title)?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <nodes count="{}">"#, spells.len())?;
    for ((index, node), spells) in graph.nodes().zip(&spells) {
        writeln!(
            out,
            r#"      <node id="n{}" label="{}">"#,
            index.index(),
            escape(&node.label)
        )?;
        writeln!(out, "        <attvalues>")?;
        write_value(out, "name", &node.name)?;
        let classes: Vec<&str> = node.classes.iter().map(|(c, _)| &**c).collect();
        if !classes.is_empty() {
            write_value(out, "class", &classes.join(SEPARATOR))?;
        }
        write_value(out, "iri", &node.id())?;
        for (property, values) in node.properties() {
            if let Some(position) = keys.iter().position(|k| *k == property) {
                write_value(out, &format!("p{position}"), &values.join(SEPARATOR))?;
            }
        }
        writeln!(out, "        </attvalues>")?;
        if !spells.is_empty() {
            writeln!(out, "        <spells>")?;
            for (start, end) in spells {
                writeln!(
                    out,
                    r#"          <spell start="{}" end="{}"/>"#,
                    day(*start),
                    day(*end)
                )?;
            }
            writeln!(out, "        </spells>")?;
        }
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    let edges: Vec<_> = graph.edges().collect();
    writeln!(out, r#"    <edges count="{}">"#, edges.len())?;
    for (position, (from, to, edge)) in edges.into_iter().enumerate() {
        writeln!(
            out,
            r#"      <edge id="e{position}" source="n{}" target="n{}" label="{}" kind="{}">"#,
            from.index(),
            to.index(),
            escape(&edge.label),
            escape(&edge.name)
        )?;
        writeln!(out, "        <attvalues>")?;
        write_value(out, "e_property", &edge.name)?;
        write_value(out, "e_iri", edge.predicate.as_str())?;
        let sources: Vec<&str> = edge.source_names().collect();
        write_value(out, "e_sources", &sources.join(SEPARATOR))?;
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

fn write_attribute(out: &mut impl Write, id: &str, title: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"      <attribute id="{}" title="{}" type="string"/>"#,
        escape(id),
        escape(title)
    )
}

fn write_value(out: &mut impl Write, id: &str, value: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"          <attvalue for="{}" value="{}"/>"#,
        escape(id),
        escape(value)
    )
}

/// Escapes text for an attribute value: GraphML's escaping ([`graphml::escape`]: markup,
/// carriage returns, and characters XML cannot hold shown as `\u{1}`), and line feeds and tabs
/// as references, since every GEXF value is an attribute and a parser turns a raw line break
/// in one into a space.
pub fn escape(text: &str) -> String {
    let escaped = graphml::escape(text);
    if !escaped.contains(['\n', '\t']) {
        return escaped;
    }
    escaped.replace('\n', "&#10;").replace('\t', "&#9;")
}

/// The compact names of the XSD date types, as the property graph's attributes carry them.
struct TimeTypes {
    date: String,
    year_month: String,
    year: String,
}

impl TimeTypes {
    fn new(prefixes: &Prefixes) -> Self {
        Self {
            date: prefixes.compact(xsd::DATE.as_str()),
            year_month: prefixes.compact(xsd::G_YEAR_MONTH.as_str()),
            year: prefixes.compact(xsd::G_YEAR.as_str()),
        }
    }

    /// The time a node is there: one spell per date it has, overlapping spells merged, sorted.
    fn spells(&self, node: &Node) -> Vec<(Day, Day)> {
        let mut spells: Vec<(Day, Day)> = node
            .attributes
            .iter()
            .filter_map(|a| self.span(&a.datatype, &a.value))
            .collect();
        spells.sort_unstable();
        let mut merged: Vec<(Day, Day)> = Vec::with_capacity(spells.len());
        for (start, end) in spells {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    /// The first and last day a date value of `datatype` names, if it is one of the date types
    /// and names a time GEXF's `xs:date` holds as Gephi reads it (years 1 to 9999).
    fn span(&self, datatype: &str, value: &str) -> Option<(Day, Day)> {
        let (start, end) = if datatype == self.date {
            let d: Date = value.parse().ok()?;
            let day = (d.year(), d.month(), d.day());
            (day, day)
        } else if datatype == self.year_month {
            let m: GYearMonth = value.parse().ok()?;
            let (year, month) = (m.year(), m.month());
            ((year, month, 1), (year, month, days_in_month(year, month)))
        } else if datatype == self.year {
            let y: GYear = value.parse().ok()?;
            ((y.year(), 1, 1), (y.year(), 12, 31))
        } else {
            return None;
        };
        (1..=9999).contains(&start.0).then_some((start, end))
    }
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2019-03-05`.
fn day((year, month, day): Day) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(datatype: &str, value: &str) -> Option<(String, String)> {
        TimeTypes::new(&Prefixes::well_known())
            .span(datatype, value)
            .map(|(start, end)| (day(start), day(end)))
    }

    fn pair(start: &str, end: &str) -> Option<(String, String)> {
        Some((start.into(), end.into()))
    }

    #[test]
    fn a_date_spans_its_precision() {
        assert_eq!(
            span("xsd:date", "2025-06-27"),
            pair("2025-06-27", "2025-06-27")
        );
        assert_eq!(
            span("xsd:gYearMonth", "2024-02"),
            pair("2024-02-01", "2024-02-29")
        );
        assert_eq!(
            span("xsd:gYearMonth", "1900-02"),
            pair("1900-02-01", "1900-02-28")
        );
        assert_eq!(
            span("xsd:gYearMonth", "2022-11"),
            pair("2022-11-01", "2022-11-30")
        );
        assert_eq!(span("xsd:gYear", "2019"), pair("2019-01-01", "2019-12-31"));
        // A time zone does not move the day the article names.
        assert_eq!(
            span("xsd:date", "2025-06-27Z"),
            pair("2025-06-27", "2025-06-27")
        );
    }

    #[test]
    fn what_is_no_gexf_date_gives_no_spell() {
        assert_eq!(span("xsd:date", "2025-13-01"), None);
        assert_eq!(span("xsd:gYear", "-0044"), None);
        assert_eq!(span("xsd:gYear", "12019"), None);
        assert_eq!(span("xsd:string", "2019"), None);
        assert_eq!(span("xsd:dateTime", "2019-01-01T00:00:00"), None);
    }

    #[test]
    fn attribute_values_keep_line_breaks_and_tabs() {
        assert_eq!(escape("a\nb\tc\r<\u{1}"), "a&#10;b&#9;c&#13;&lt;\\u{1}");
    }
}
