//! Where one page links to another: absolute paths on the server, relative file names in a
//! static site. Every link a page holds is made here, so the two never disagree.

/// How pages link to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Absolute paths on the server (`/entity/Hikvision`).
    Server,
    /// Relative links between static files, from a page `depth` folders below the site's root.
    Site {
        /// Folders between the page and the root.
        depth: usize,
    },
}

/// What a link points at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    Home,
    Entity(&'a str),
    Source(&'a str),
    /// The drawing of an entity's neighbourhood (SVG).
    Graph(&'a str),
    Timeline,
    Disagreements,
    /// Every entity, with a filter (the static search).
    Entities,
    Search(&'a str),
    /// The query editor, with a query in it.
    Query(Option<&'a str>),
    /// A query's answer in a results format (`csv`, `json`).
    Download(&'a str, &'a str),
    Queries,
    NamedQuery(&'a str, &'a [(String, String)]),
    Asset(&'a str),
}

impl Links {
    /// The link to `target`, or `None` when a static site has no such file (a query it cannot
    /// run without a server).
    pub(crate) fn href(self, target: Target<'_>) -> Option<String> {
        match self {
            Self::Server => Some(server_path(target)),
            Self::Site { depth } => {
                site_file(target).map(|file| format!("{}{file}", "../".repeat(depth)))
            }
        }
    }

    /// Whether the pages are served (queries and search run on request).
    pub(crate) fn served(self) -> bool {
        self == Self::Server
    }
}

fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut encoded = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        encoded.append_pair(name, value);
    }
    encoded.finish()
}

/// A path segment: slugs are made of safe characters already, query names may not be.
fn segment(text: &str) -> String {
    // `form_urlencoded` writes a space as `+`, which a path does not decode: encode it as %20.
    query_string(&[("", text)])
        .trim_start_matches('=')
        .replace('+', "%20")
}

fn server_path(target: Target<'_>) -> String {
    match target {
        Target::Home => "/".to_owned(),
        Target::Entity(slug) => format!("/entity/{slug}"),
        Target::Source(slug) => format!("/source/{slug}"),
        Target::Graph(slug) => format!("/graph/{slug}.svg"),
        Target::Timeline => "/timeline".to_owned(),
        Target::Disagreements => "/disagreements".to_owned(),
        Target::Entities => "/entities".to_owned(),
        Target::Search(text) => format!("/search?{}", query_string(&[("q", text)])),
        Target::Query(None) => "/sparql".to_owned(),
        Target::Query(Some(text)) => format!("/sparql?{}", query_string(&[("query", text)])),
        Target::Download(text, format) => format!(
            "/sparql?{}",
            query_string(&[("query", text), ("format", format)])
        ),
        Target::Queries => "/queries".to_owned(),
        Target::NamedQuery(name, []) => format!("/queries/{}", segment(name)),
        Target::NamedQuery(name, params) => {
            let pairs: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            format!("/queries/{}?{}", segment(name), query_string(&pairs))
        }
        Target::Asset(name) => format!("/assets/{name}"),
    }
}

fn site_file(target: Target<'_>) -> Option<String> {
    Some(match target {
        Target::Home => "index.html".to_owned(),
        Target::Entity(slug) => format!("entity/{slug}.html"),
        Target::Source(slug) => format!("source/{slug}.html"),
        Target::Graph(slug) => format!("graph/{slug}.svg"),
        Target::Timeline => "timeline.html".to_owned(),
        Target::Disagreements => "disagreements.html".to_owned(),
        // The static search is a filter over the list of every entity.
        Target::Entities | Target::Search(_) => "entities.html".to_owned(),
        Target::Queries => "queries/index.html".to_owned(),
        // Only the named queries without parameters are answered ahead of time.
        Target::NamedQuery(name, []) if is_file_name(name) => format!("queries/{name}.html"),
        Target::Asset(name) => format!("assets/{name}"),
        Target::Query(_) | Target::Download(..) | Target::NamedQuery(..) => return None,
    })
}

/// Whether `name` can be a file name as it is, on every system a site is copied to.
pub(crate) fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_climb_to_the_root() {
        let links = Links::Site { depth: 1 };
        assert_eq!(
            links.href(Target::Entity("Acme")).as_deref(),
            Some("../entity/Acme.html")
        );
        assert_eq!(
            Links::Site { depth: 0 }.href(Target::Home).as_deref(),
            Some("index.html")
        );
        assert_eq!(links.href(Target::Query(None)), None);
    }

    #[test]
    fn server_links_encode_what_they_carry() {
        let href = Links::Server.href(Target::Search("a&b c")).unwrap();
        assert_eq!(href, "/search?q=a%26b+c");
        let params = [("company".to_owned(), "case:Acme".to_owned())];
        assert_eq!(
            Links::Server
                .href(Target::NamedQuery("orders against", &params))
                .unwrap(),
            "/queries/orders%20against?company=case%3AAcme"
        );
    }
}
