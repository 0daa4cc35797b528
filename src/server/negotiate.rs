//! Content negotiation: which of the formats the server can write a request's `Accept` header
//! prefers (RFC 9110, section 12.5.1).

use crate::format::Format;

/// One media range of an `Accept` header: `text/turtle;q=0.9`, `application/*`, `*/*`.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    quality: f32,
}

impl Range {
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(';');
        let (kind, subtype) = parts.next()?.trim().split_once('/')?;
        let (kind, subtype) = (kind.trim(), subtype.trim());
        if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
            return None;
        }
        let mut quality = 1.0;
        for parameter in parts {
            if let Some((name, value)) = parameter.split_once('=') {
                if name.trim().eq_ignore_ascii_case("q") {
                    quality = value
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))?;
                }
            }
        }
        Some(Self {
            kind: kind.to_ascii_lowercase(),
            subtype: subtype.to_ascii_lowercase(),
            quality,
        })
    }

    /// How specifically this range names `media_type` (2 exactly, 1 `type/*`, 0 `*/*`), or
    /// `None` when it does not match.
    fn specificity(&self, media_type: &str) -> Option<u8> {
        let (kind, subtype) = media_type.split_once('/')?;
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k.eq_ignore_ascii_case(kind) => Some(1),
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => Some(2),
            _ => None,
        }
    }
}

/// The quality the client gives `media_type`: that of the most specific range matching it.
fn quality(ranges: &[Range], media_type: &str) -> f32 {
    ranges
        .iter()
        .filter_map(|r| Some((r.specificity(media_type)?, r.quality)))
        .max_by_key(|(specificity, _)| *specificity)
        .map_or(0.0, |(_, quality)| quality)
}

/// The format of `offered` that `accept` prefers: the highest quality, and among equals the
/// first offered (so `*/*` or no header gives `offered[0]`). `None` when the client accepts
/// none of them (the server answers 406). An unreadable range is skipped, as browsers send
/// some; a header with no readable range at all is taken as `*/*`.
pub fn negotiate<F: Format>(accept: Option<&str>, offered: &[F]) -> Option<F> {
    let ranges: Vec<Range> = accept
        .unwrap_or_default()
        .split(',')
        .filter_map(Range::parse)
        .collect();
    if ranges.is_empty() {
        return offered.first().copied();
    }
    let mut best: Option<(F, f32)> = None;
    for &format in offered {
        let q = format
            .describe()
            .media_types
            .iter()
            .map(|m| quality(&ranges, m))
            .fold(0.0, f32::max);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((format, q));
        }
    }
    best.map(|(format, _)| format)
}

/// Whether `accept` asks for HTML before anything in `offered` (a browser's `text/html,...`).
pub fn prefers_html<F: Format>(accept: Option<&str>, offered: &[F]) -> bool {
    let ranges: Vec<Range> = accept
        .unwrap_or_default()
        .split(',')
        .filter_map(Range::parse)
        .collect();
    let html = ranges
        .iter()
        .filter(|r| r.specificity("text/html") == Some(2))
        .map(|r| r.quality)
        .fold(0.0, f32::max);
    html > 0.0
        && offered.iter().all(|f| {
            f.describe().media_types.iter().all(|m| {
                ranges
                    .iter()
                    .all(|r| r.specificity(m) != Some(2) || r.quality < html)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::results::ResultsFormat;

    const OFFERED: &[ResultsFormat] = &[
        ResultsFormat::Json,
        ResultsFormat::Xml,
        ResultsFormat::Csv,
        ResultsFormat::Tsv,
    ];

    #[test]
    fn picks_the_best_quality_and_the_first_offered_among_equals() {
        let cases = [
            (None, Some(ResultsFormat::Json)),
            (Some("*/*"), Some(ResultsFormat::Json)),
            (Some("text/csv"), Some(ResultsFormat::Csv)),
            (Some("TEXT/CSV; charset=utf-8"), Some(ResultsFormat::Csv)),
            (
                Some("application/sparql-results+json;q=0.5, application/sparql-results+xml"),
                Some(ResultsFormat::Xml),
            ),
            (Some("text/*;q=0.8, */*;q=0.1"), Some(ResultsFormat::Csv)),
            (Some("text/csv;q=0, */*"), Some(ResultsFormat::Json)),
            (Some("image/png"), None),
            (Some("garbage"), Some(ResultsFormat::Json)),
        ];
        for (accept, expected) in cases {
            assert_eq!(negotiate(accept, OFFERED), expected, "{accept:?}");
        }
    }

    #[test]
    fn tells_a_browser_from_a_client() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(browser), OFFERED));
        assert!(!prefers_html(
            Some("application/sparql-results+json"),
            OFFERED
        ));
        assert!(!prefers_html(None, OFFERED));
        assert!(!prefers_html(
            Some("text/html;q=0.5, application/sparql-results+json"),
            OFFERED
        ));
    }
}
