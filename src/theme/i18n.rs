//! UI strings: `themes/<name>/i18n/<lang>.toml`, one file per language, every key in every
//! language. Nested tables flatten to dotted keys (`[footer] licence = "…"` → `footer.licence`).

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

/// Note that the output being made read the string `key` in `lang` (see [`crate::deps`]).
fn record(lang: Lang, key: &str) {
    crate::deps::record_with(|| crate::deps::Read::String(lang.code, key.to_string()));
}

/// A UI string: one text, or one full sentence per CLDR plural category.
#[derive(Debug, Clone)]
pub enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
}

#[derive(Debug, Default, Clone)]
pub struct Strings {
    by_lang: BTreeMap<&'static str, BTreeMap<String, Message>>,
}

impl Strings {
    /// The string `key` in `lang` (for a plural string, its `other` form).
    pub fn get(&self, lang: Lang, key: &str) -> Option<&str> {
        record(lang, key);
        match self.by_lang.get(lang.code)?.get(key)? {
            Message::Text(t) => Some(t),
            Message::Plural(forms) => forms.get("other").map(String::as_str),
        }
    }

    /// The string `key` in `lang` for the number `n`: the sentence for `n`'s plural category.
    pub fn get_plural(&self, lang: Lang, key: &str, n: i64) -> Option<&str> {
        record(lang, key);
        match self.by_lang.get(lang.code)?.get(key)? {
            Message::Text(t) => Some(t),
            Message::Plural(forms) => forms
                .get(lang.plural(n))
                .or_else(|| forms.get("other"))
                .map(String::as_str),
        }
    }

    /// Feed the string `key` in the language `code` (all its plural forms, or its absence)
    /// to `h`: what an output that read it saw.
    pub fn hash_message(&self, code: &str, key: &str, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        match self.by_lang.get(code).and_then(|m| m.get(key)) {
            None => 0u8.hash(h),
            Some(Message::Text(t)) => (1u8, t).hash(h),
            Some(Message::Plural(forms)) => (2u8, forms).hash(h),
        }
    }

    /// Strings from TOML texts, unchecked: for tests of what uses them.
    #[cfg(test)]
    pub fn from_toml(files: &[(Lang, &str)]) -> Strings {
        let mut by_lang = BTreeMap::new();
        for (lang, text) in files {
            let source = SourceFile::new("test.toml", *text);
            let mut flat = Flat::new();
            if let Ok(table) = DeTable::parse(text) {
                flatten(table.get_ref(), "", &source, &mut flat, &mut Vec::new());
            }
            let strings = flat.into_iter().map(|(k, (v, _, _))| (k, v)).collect();
            by_lang.insert(lang.code, strings);
        }
        Strings { by_lang }
    }

    pub fn keys(&self, lang: Lang) -> impl Iterator<Item = &str> {
        self.by_lang
            .get(lang.code)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }
}

/// A UI string with its `{name}` placeholders filled, in one pass: a value is never read
/// again, so a title that happens to contain `{size}` is printed as it is. A placeholder
/// without a value stays as written.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Every index comes from finding `{` or `}`, one byte each: slices fall between characters.
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One language's file, read but not yet checked against the others.
pub struct StringsFile {
    pub lang: Lang,
    pub source: SourceFile,
}

/// Key → (message, where it is defined).
type Flat = BTreeMap<String, (Message, SourceFile, Range<usize>)>;

pub fn load(
    files: Vec<StringsFile>,
    config: &Config,
    dir_shown: &str,
) -> (Strings, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut flat: BTreeMap<&'static str, Flat> = BTreeMap::new();
    for f in files {
        let (table, errors) = DeTable::parse_recoverable(&f.source.text);
        if !errors.is_empty() {
            diags.extend(errors.iter().map(|e| {
                Diagnostic::error(format!(
                    "invalid TOML in UI strings: {}",
                    e.message().lines().next().unwrap_or("")
                ))
                .at(&f.source, e.span().unwrap_or(0..0))
            }));
            continue;
        }
        let strings = flat.entry(f.lang.code).or_default();
        flatten(table.get_ref(), "", &f.source, strings, &mut diags);
        // A plural string needs a sentence for every category the language uses.
        for (key, (message, source, span)) in strings.iter() {
            if let Message::Plural(forms) = message
                && source.path == f.source.path
            {
                let missing: Vec<&str> = f
                    .lang
                    .plural_categories()
                    .into_iter()
                    .filter(|c| !forms.contains_key(*c))
                    .collect();
                if !missing.is_empty() {
                    diags.push(
                        Diagnostic::error(format!(
                            "plural UI string `{key}` has no {} form",
                            missing.join(", ")
                        ))
                        .at(source, span.clone())
                        .hint(format!(
                            "{} uses the CLDR plural categories {}: give a full sentence for each",
                            f.lang.endonym,
                            f.lang.plural_categories().join(", ")
                        )),
                    );
                }
            }
        }
    }
    for lang in &config.languages {
        if !flat.contains_key(lang.code) {
            diags.push(
                Diagnostic::error(format!(
                    "no UI strings for {} ({})",
                    lang.endonym, lang.code
                ))
                .hint(format!(
                    "create {dir_shown}/{}.toml with every key the other languages have",
                    lang.code
                )),
            );
        }
    }
    // Every key in every language.
    for (code, strings) in &flat {
        for (other_code, other) in &flat {
            if code == other_code {
                continue;
            }
            for (key, (_, source, span)) in strings {
                if !other.contains_key(key) {
                    diags.push(
                        Diagnostic::error(format!(
                            "UI string `{key}` is missing from {other_code}.toml"
                        ))
                        .at(source, span.clone())
                        .label(format!("defined in {code}"))
                        .hint(format!("add `{key}` to {dir_shown}/{other_code}.toml")),
                    );
                }
            }
        }
    }
    let by_lang = flat
        .into_iter()
        .map(|(code, strings)| {
            (
                code,
                strings.into_iter().map(|(k, (v, _, _))| (k, v)).collect(),
            )
        })
        .collect();
    (Strings { by_lang }, diags)
}

/// A table whose keys are all CLDR plural categories, including `other`, is one plural
/// string, not a group of strings.
fn is_plural(table: &DeTable) -> bool {
    table.keys().any(|k| k.get_ref() == "other")
        && table
            .keys()
            .all(|k| crate::locale::PLURAL_CATEGORIES.contains(&k.get_ref().as_ref()))
}

fn flatten(
    table: &DeTable,
    prefix: &str,
    source: &SourceFile,
    out: &mut Flat,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, value) in table {
        let name = format!("{prefix}{}", key.get_ref());
        match value.get_ref() {
            DeValue::Table(t) if is_plural(t) => {
                let forms = t
                    .iter()
                    .filter_map(|(k, v)| match v.get_ref() {
                        DeValue::String(s) => Some((k.get_ref().to_string(), s.to_string())),
                        _ => None,
                    })
                    .collect();
                out.insert(name, (Message::Plural(forms), source.clone(), key.span()));
            }
            DeValue::String(s) => {
                if let Some((_, first, first_span)) = out.get(&name) {
                    let (line, _) = first.line_col(first_span.start);
                    diags.push(
                        Diagnostic::error(format!("UI string `{name}` is defined twice"))
                            .at(source, key.span())
                            .hint(format!(
                                "it is already defined at {}:{line}",
                                first.path.display()
                            )),
                    );
                } else {
                    out.insert(
                        name,
                        (Message::Text(s.to_string()), source.clone(), key.span()),
                    );
                }
            }
            DeValue::Table(t) => flatten(t, &format!("{name}."), source, out, diags),
            _ => diags.push(
                Diagnostic::error(format!("UI string `{name}` is not text"))
                    .at(source, value.span())
                    .hint("write it in quotes"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fill;
    use crate::escape::tests::hostile;
    use proptest::prelude::*;

    proptest! {
        /// Values are put in as they are, whatever placeholders or braces they hold.
        #[test]
        fn values_are_filled_in_once(a in hostile(), b in hostile(), text in hostile()) {
            // `count` is a placeholder the hostile strings often hold.
            let template = "{a} and {count}, {a}; {none} {";
            prop_assert_eq!(
                fill(template, &[("a", &a), ("count", &b)]),
                format!("{a} and {b}, {a}; {{none}} {{")
            );
            // Text without placeholders of the given names is left as it is.
            prop_assert_eq!(fill(&text, &[("placeholder_no_text_has_x9", "x")]), text.clone());
        }
    }

    #[test]
    fn a_title_holding_a_placeholder_stays_as_written() {
        assert_eq!(
            fill(
                "Download {title} ({size})",
                &[("title", "Report {size}"), ("size", "12 KB")]
            ),
            "Download Report {size} (12 KB)"
        );
    }
}
