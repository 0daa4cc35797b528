//! What every output format knows about itself: its names, file extensions and media types,
//! each both ways, as Oxigraph's `RdfFormat` knows its own.

use std::path::Path;

/// A format's names, file extensions and media types; the first of each is the canonical one,
/// the others are aliases that are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Description {
    /// The names a user may give (`turtle`, `ttl`).
    pub names: &'static [&'static str],
    /// File extensions, without the dot (`ttl`).
    pub extensions: &'static [&'static str],
    /// Media types (`text/turtle`).
    pub media_types: &'static [&'static str],
}

/// The essence of a `Content-Type` header's value (`text/turtle` of
/// `Text/Turtle; charset=utf-8`): the media type without parameters, in lower case; empty
/// without a header.
pub fn media_type_of(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Plain text for people (`text`, `.txt`, `text/plain`): what several commands print by default.
pub const PLAIN_TEXT: Description = Description {
    names: &["text"],
    extensions: &["txt"],
    media_types: &["text/plain"],
};

/// An enum of formats that knows each format's names, extensions and media types.
///
/// Implementors give [`Format::ALL`] and [`Format::describe`] (one `match` with an arm per
/// variant, so a new format that is not described fails to compile); every lookup comes from
/// those two. Names, extensions and media types compare without regard to ASCII case.
pub trait Format: Copy + Eq + 'static {
    /// Every format of the kind, in the order help lists them.
    const ALL: &'static [Self];

    /// The format's names, extensions and media types.
    fn describe(self) -> Description;

    /// The canonical name (`turtle`).
    fn name(self) -> &'static str {
        first(self.describe().names)
    }

    /// The other names accepted for the format (`ttl`).
    fn aliases(self) -> &'static [&'static str] {
        self.describe().names.get(1..).unwrap_or_default()
    }

    /// The format called `name`, canonically or by an alias.
    fn from_name(name: &str) -> Option<Self> {
        find(name, |d| d.names)
    }

    /// The canonical file extension, without the dot (`ttl`).
    fn file_extension(self) -> &'static str {
        first(self.describe().extensions)
    }

    /// The format whose files end in `.extension` (given without the dot).
    fn from_extension(extension: &str) -> Option<Self> {
        find(extension, |d| d.extensions)
    }

    /// The format of `path`, from its extension, or from a format name used as one.
    fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?;
        // A file named after the format (`case.turtle`, `graph.node-link`) has always worked.
        Self::from_extension(extension).or_else(|| Self::from_name(extension))
    }

    /// The canonical media type (`text/turtle`).
    fn media_type(self) -> &'static str {
        first(self.describe().media_types)
    }

    /// The format of `media_type`; parameters (`; charset=utf-8`) are ignored.
    fn from_media_type(media_type: &str) -> Option<Self> {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        find(essence, |d| d.media_types)
    }

    /// The canonical name of every format, for help and messages.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|f| f.name()).collect()
    }
}

fn first(items: &'static [&'static str]) -> &'static str {
    items.first().copied().unwrap_or_default()
}

fn find<F: Format>(
    text: &str,
    field: impl Fn(&Description) -> &'static [&'static str],
) -> Option<F> {
    F::ALL.iter().copied().find(|format| {
        field(&format.describe())
            .iter()
            .any(|known| known.eq_ignore_ascii_case(text))
    })
}

/// Checks what every implementation must hold: each format has a name, an extension and a
/// media type, and no name, alias or extension leads to two formats. For the tests of each
/// format enum.
#[cfg(test)]
pub(crate) fn assert_well_formed<F: Format + std::fmt::Debug>() {
    for &format in F::ALL {
        let d = format.describe();
        assert!(!d.names.is_empty(), "{format:?} has no name");
        assert!(!d.extensions.is_empty(), "{format:?} has no extension");
        assert!(!d.media_types.is_empty(), "{format:?} has no media type");
        for name in d.names {
            assert_eq!(F::from_name(name), Some(format), "name {name}");
        }
        for extension in d.extensions {
            assert_eq!(
                F::from_extension(extension),
                Some(format),
                "extension {extension}"
            );
        }
        assert_eq!(F::from_media_type(format.media_type()), Some(format));
    }
}
