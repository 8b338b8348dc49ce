//! Text shown to the public, in every language of the site: `{ en = "…", cy = "…" }` in TOML,
//! `name_en`, `name_cy` columns in CSV.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

#[derive(Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(transparent)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    pub fn from_pairs(pairs: impl IntoIterator<Item = (&'static str, String)>) -> Text {
        Text(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// The text in `lang`. Validation guarantees every site language is present.
    pub fn get(&self, lang: Lang) -> &str {
        self.0.get(lang.code).map_or("", String::as_str)
    }

    /// Problems with this text: a missing or empty language, or one the site does not have.
    pub fn check(&self, config: &Config, field: &str) -> Vec<String> {
        let mut problems = Vec::new();
        for lang in &config.languages {
            match self.0.get(lang.code) {
                None => problems.push(format!(
                    "`{field}` has no {} version (`{}`)",
                    lang.endonym, lang.code
                )),
                Some(t) if t.trim().is_empty() => {
                    problems.push(format!("`{field}` is empty in {}", lang.endonym))
                }
                Some(_) => {}
            }
        }
        for code in self.0.keys() {
            if config.language(code).is_none() {
                problems.push(format!(
                    "`{field}` has text for `{code}`, which is not a language of this site"
                ));
            }
        }
        problems
    }
}

/// Check a spanned text from a TOML file; diagnostics point at the text.
pub fn check(
    source: &SourceFile,
    text: &Spanned<Text>,
    field: &str,
    config: &Config,
) -> Vec<Diagnostic> {
    text.get_ref()
        .check(config, field)
        .into_iter()
        .map(|p| {
            let langs: Vec<String> = config
                .languages
                .iter()
                .map(|l| format!("{} = \"…\"", l.code))
                .collect();
            Diagnostic::error(p)
                .at(source, text.span())
                .code("missing-text")
                .hint(format!("write it as {{ {} }}", langs.join(", ")))
        })
        .collect()
}
