//! The header comments of a query file: `# title:`, `# description:` and `# param:` lines.

/// One declared parameter: `# param: company - the organisation whose actions are listed`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Param {
    /// The variable name, without `?`.
    pub name: String,
    /// What to pass.
    pub description: String,
}

/// What a query file says about itself in its leading comment lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Header {
    /// `# title:`.
    pub title: Option<String>,
    /// `# description:`, with any indented `#` lines that follow it.
    pub description: Option<String>,
    /// `# param:` lines, in order.
    pub params: Vec<Param>,
}

impl Header {
    /// Reads the comment lines at the top of `text` (blank lines may separate them).
    pub fn parse(text: &str) -> Self {
        let mut header = Self::default();
        let mut continuing_description = false;
        for line in text.lines() {
            let line = line.trim_end();
            if line.trim().is_empty() {
                continuing_description = false;
                continue;
            }
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                break;
            };
            if let Some((key, value)) = split_key(comment) {
                continuing_description = false;
                match key.as_str() {
                    "title" => header.title = Some(value.to_owned()),
                    "description" => {
                        header.description = Some(value.to_owned());
                        continuing_description = true;
                    }
                    "param" => header.params.push(parse_param(value)),
                    _ => {}
                }
            } else if continuing_description && !comment.trim().is_empty() {
                if let Some(description) = &mut header.description {
                    description.push(' ');
                    description.push_str(comment.trim());
                }
            }
        }
        header
    }

    /// The declared parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// `" title: Timeline"` -> `("title", "Timeline")`, for a known key followed by a colon.
fn split_key(comment: &str) -> Option<(String, &str)> {
    let (key, value) = comment.trim_start().split_once(':')?;
    let key = key.trim().to_ascii_lowercase();
    matches!(key.as_str(), "title" | "description" | "param").then(|| (key, value.trim()))
}

/// `company - the organisation` (also `—`, `–` or `:` as the separator, or no description).
fn parse_param(value: &str) -> Param {
    let value = value.trim();
    let name_end = value
        .find(|c: char| c.is_whitespace() || c == ':')
        .unwrap_or(value.len());
    let name = value[..name_end].trim_start_matches(['?', '$']).to_owned();
    let description = value[name_end..]
        .trim_start()
        .trim_start_matches(['-', '—', '–', ':'])
        .trim()
        .to_owned();
    Param { name, description }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_title_description_and_params() {
        let header = Header::parse(
            "# title: Actions against an organisation\n\
             # description: Every action whose target is the organisation,\n\
             #   oldest first.\n\
             # param: company - the organisation (an IRI)\n\
             # param: ?since: a date\n\
             PREFIX cg: <https://example.org/>\n# title: not a header\n",
        );
        assert_eq!(
            header.title.as_deref(),
            Some("Actions against an organisation")
        );
        assert_eq!(
            header.description.as_deref(),
            Some("Every action whose target is the organisation, oldest first.")
        );
        assert_eq!(
            header.params,
            vec![
                Param {
                    name: "company".into(),
                    description: "the organisation (an IRI)".into()
                },
                Param {
                    name: "since".into(),
                    description: "a date".into()
                },
            ]
        );
    }
}
