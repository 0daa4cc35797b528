//! Finding entities by name: labels and other names folded so that case and accents do not
//! matter ("melanie" finds "Mélanie Joly").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// `text` decomposed (NFD), without its combining marks, in lower case: the form labels and
/// the searched text are compared in. The static site's filter folds the same way in
/// JavaScript (`normalize("NFD")`, without `\p{M}`, `toLowerCase()`).
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How well `names` (already folded, the label first) match the folded `wanted`: `None` for
/// not at all, smaller is better (the label itself, a name that starts with it, a name that
/// holds it).
pub(crate) fn rank(names: &[String], wanted: &str) -> Option<u8> {
    if wanted.is_empty() {
        return None;
    }
    names
        .iter()
        .enumerate()
        .filter_map(|(position, name)| {
            let label = u8::from(position > 0);
            if name == wanted {
                Some(label)
            } else if name.starts_with(wanted) {
                Some(2 + label)
            } else {
                name.contains(wanted).then_some(4 + label)
            }
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_do_not_matter() {
        assert_eq!(fold("Mélanie JOLY"), "melanie joly");
        assert_eq!(fold("حكومة"), "حكومة");
    }

    #[test]
    fn the_label_ranks_before_other_names() {
        let names = vec![fold("Hikvision"), fold("HikVision Digital")];
        assert_eq!(rank(&names, "hikvision"), Some(0));
        assert_eq!(rank(&names, "digital"), Some(5));
        assert_eq!(rank(&names, "dahua"), None);
    }
}
