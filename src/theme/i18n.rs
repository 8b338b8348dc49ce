//! UI strings: `themes/<name>/i18n/<lang>.toml`, one file per language, every key in every
//! language. Nested tables flatten to dotted keys (`[footer] licence = "…"` → `footer.licence`).

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

#[derive(Debug, Default, Clone)]
pub struct Strings {
    by_lang: BTreeMap<&'static str, BTreeMap<String, String>>,
}

impl Strings {
    pub fn get(&self, lang: Lang, key: &str) -> Option<&str> {
        self.by_lang.get(lang.code)?.get(key).map(String::as_str)
    }

    pub fn keys(&self, lang: Lang) -> impl Iterator<Item = &str> {
        self.by_lang
            .get(lang.code)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }
}

/// One language's file, read but not yet checked against the others.
pub struct StringsFile {
    pub lang: Lang,
    pub source: SourceFile,
}

/// Key → (text, where it is defined).
type Flat = BTreeMap<String, (String, SourceFile, Range<usize>)>;

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
                    out.insert(name, (s.to_string(), source.clone(), key.span()));
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
