//! `site.toml`: the site's settings, validated with spans.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::{self, Lang};
use crate::markdown::RawHtml;
use crate::tomlfile;

pub const FILE_NAME: &str = "site.toml";

#[derive(Deserialize)]
struct RawConfig {
    base_url: Spanned<String>,
    /// The first language is the default: its pages live at `/path/`, the others at `/<code>/path/`.
    languages: Spanned<Vec<Spanned<String>>>,
    title: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    description: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    #[serde(default = "yes")]
    minify: bool,
    /// What a page without its translation does: `error` (stop the build) or `fallback`
    /// (publish the default-language text, marked, on the other language's URL).
    #[serde(default)]
    missing_translation: Option<Spanned<String>>,
    #[serde(default)]
    markdown: RawMarkdown,
    /// URL segments of generated pages, per language (see [`crate::routes`]).
    #[serde(default)]
    routes: Option<Spanned<crate::routes::Raw>>,
    /// Rule levels for `tryloyw check`, read by the check itself.
    #[serde(default)]
    #[allow(dead_code)]
    check: Option<toml::Table>,
    #[serde(default)]
    extra: toml::Table,
}

/// `[markdown]`: how pages' Markdown is read.
#[derive(Deserialize, Default)]
struct RawMarkdown {
    /// `"sanitise"` (the default) or `"escape"`.
    #[serde(default)]
    raw_html: Option<Spanned<String>>,
}

fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_string())
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Without a trailing slash: `https://example.gov.uk`.
    pub base_url: String,
    pub languages: Vec<Lang>,
    pub title: BTreeMap<&'static str, String>,
    pub description: BTreeMap<&'static str, String>,
    pub theme: String,
    pub minify: bool,
    /// Publish untranslated pages in the default language, marked, instead of failing.
    pub fallback: bool,
    /// What happens to raw HTML in Markdown.
    pub raw_html: RawHtml,
    /// URL segments of generated pages, per language.
    pub routes: crate::routes::Routes,
    pub extra: toml::Table,
    pub source: SourceFile,
}

impl Config {
    pub fn default_language(&self) -> Lang {
        // Loading refuses an empty `languages` and any code it cannot read, so a `Config`
        // has at least one language.
        self.languages[0]
    }

    /// The URL prefix of a language: empty for the default language, `/cy` for Welsh.
    pub fn lang_prefix(&self, lang: Lang) -> String {
        if lang == self.default_language() {
            String::new()
        } else {
            format!("/{}", lang.code)
        }
    }

    pub fn language(&self, code: &str) -> Option<Lang> {
        self.languages.iter().copied().find(|l| l.code == code)
    }

    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        vec![
            Diagnostic::error(format!("cannot read {}: {e}", path.display())).hint(
                "run tryloyw in a site folder, pass --root DIR, or create a site with `tryloyw new DIR`",
            ),
        ]
    })?;
    let source = SourceFile::new(FILE_NAME, text);
    let raw: RawConfig = tomlfile::parse(&source, 0..source.text.len(), FILE_NAME)?;
    validate(raw, source, base_url_override)
}

fn validate(
    raw: RawConfig,
    source: SourceFile,
    base_url_override: Option<&str>,
) -> Result<Config, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut languages: Vec<Lang> = Vec::new();
    for code in raw.languages.get_ref() {
        match locale::by_code(code.get_ref()) {
            Some(l) if languages.contains(&l) => errors.push(
                Diagnostic::error(format!("language `{}` is listed twice", l.code))
                    .at(&source, code.span()),
            ),
            Some(l) => languages.push(l),
            None => errors.push(
                Diagnostic::error(format!("unsupported language `{}`", code.get_ref()))
                    .at(&source, code.span())
                    .hint(format!(
                        "Tryloyw has language data for: {}",
                        locale::SUPPORTED.map(|l| l.code).join(", ")
                    )),
            ),
        }
    }
    if raw.languages.get_ref().is_empty() {
        errors.push(
            Diagnostic::error("`languages` is empty")
                .at(&source, raw.languages.span())
                .hint(
                    "list the default language first, for example `languages = [\"en\", \"cy\"]`",
                ),
        );
    }

    let mut per_language = |field: &str, map: Option<&Spanned<BTreeMap<String, String>>>| {
        let mut out = BTreeMap::new();
        let Some(map) = map else {
            return out;
        };
        for (code, text) in map.get_ref() {
            match languages.iter().find(|l| l.code == code) {
                Some(l) => {
                    out.insert(l.code, text.clone());
                }
                None => errors.push(
                    Diagnostic::error(format!(
                        "`{field}` has text for `{code}`, which is not in `languages`"
                    ))
                    .at(&source, map.span()),
                ),
            }
        }
        for l in &languages {
            if !out.contains_key(l.code) {
                errors.push(
                    Diagnostic::error(format!("`{field}` has no text for `{}`", l.code))
                        .at(&source, map.span())
                        .hint(format!("add `{}.{} = \"...\"`", field, l.code)),
                );
            }
        }
        out
    };
    let title = per_language("title", Some(&raw.title));
    let description = per_language("description", raw.description.as_ref());

    let base_url = base_url_override
        .unwrap_or(raw.base_url.get_ref())
        .trim_end_matches('/')
        .to_string();
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        errors.push(
            Diagnostic::error(format!(
                "`base_url` must be an absolute http(s) URL, not `{base_url}`"
            ))
            .at(&source, raw.base_url.span())
            .hint("for example `base_url = \"https://leds.example.gov.uk\"`"),
        );
    }
    let theme = raw.theme.get_ref();
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        errors.push(
            Diagnostic::error(format!(
                "`theme` must be a folder name under themes/, not `{theme}`"
            ))
            .at(&source, raw.theme.span()),
        );
    }
    let fallback = match raw
        .missing_translation
        .as_ref()
        .map(|m| (m.get_ref().as_str(), m.span()))
    {
        None | Some(("error", _)) => false,
        Some(("fallback", _)) => true,
        Some((other, span)) => {
            errors.push(
                Diagnostic::error(format!("`missing_translation` must be \"error\" or \"fallback\", not `{other}`"))
                    .at(&source, span)
                    .hint("\"error\" stops the build when a page has no translation; \"fallback\" publishes the default-language text, marked"),
            );
            false
        }
    };
    let raw_html = match raw
        .markdown
        .raw_html
        .as_ref()
        .map(|m| (m.get_ref().as_str(), m.span()))
    {
        None | Some(("sanitise", _)) => RawHtml::Sanitise,
        Some(("escape", _)) => RawHtml::Escape,
        Some((other, span)) => {
            errors.push(
                Diagnostic::error(format!("`raw_html` must be \"sanitise\" or \"escape\", not `{other}`"))
                    .at(&source, span)
                    .hint("\"sanitise\" keeps the HTML the README's Security section allows and removes the rest; \"escape\" shows HTML as text. There is no unsafe mode"),
            );
            RawHtml::Sanitise
        }
    };
    let routes = crate::routes::Routes::load(raw.routes.as_ref(), &languages, &source, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        base_url,
        languages,
        title,
        description,
        theme: raw.theme.into_inner(),
        minify: raw.minify,
        fallback,
        raw_html,
        routes,
        extra: raw.extra,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let source = SourceFile::new(FILE_NAME, text);
        let raw = tomlfile::parse(&source, 0..text.len(), FILE_NAME)?;
        validate(raw, source, None)
    }

    const GOOD: &str = r#"
base_url = "https://example.org/"
languages = ["en", "cy"]
title = { en = "Site", cy = "Safle" }
"#;

    #[test]
    fn good_config() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.default_language().code, "en");
        assert_eq!(c.lang_prefix(&locale::WELSH), "/cy");
        assert_eq!(c.theme, "default");
        assert!(c.minify);
    }

    #[test]
    fn missing_translation_of_title_and_unknown_language() {
        let errs = parse(
            r#"base_url = "https://x.org"
languages = ["en", "fr"]
title = { en = "Site" }
"#,
        )
        .unwrap_err();
        assert!(errs[0].message.contains("unsupported language `fr`"));
        assert_eq!(errs[0].location().unwrap(), "site.toml:2:20");
    }

    #[test]
    fn routes_default_per_language_and_are_overridden_by_language() {
        use crate::routes::Route;
        let c = parse(GOOD).unwrap();
        assert_eq!(c.routes.get(&locale::ENGLISH, Route::Print), "print");
        assert_eq!(c.routes.get(&locale::WELSH, Route::Print), "argraffu");
        assert_eq!(
            c.routes.get(&locale::WELSH, Route::Jurisdiction),
            "awdurdodaeth"
        );
        assert_eq!(c.routes.get(&locale::WELSH, Route::Type), "math");
        let c = parse(&format!(
            "{GOOD}[routes.cy]\nprint = \"fersiwn-argraffu\"\n"
        ))
        .unwrap();
        assert_eq!(
            c.routes.get(&locale::WELSH, Route::Print),
            "fersiwn-argraffu"
        );
        assert_eq!(c.routes.get(&locale::ENGLISH, Route::Print), "print");
        assert_eq!(c.routes.get(&locale::WELSH, Route::Type), "math");
    }

    #[test]
    fn a_route_must_be_one_segment_of_a_known_route_in_a_site_language() {
        let errs = parse(&format!(
            "{GOOD}[routes.en]\nprint = \"Print Edition\"\njurisdicton = \"where\"\n[routes.fr]\nprint = \"imprimer\"\n"
        ))
        .unwrap_err();
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errs.len(), 3, "{messages:?}");
        let segment = errs
            .iter()
            .find(|e| e.message.contains("one URL segment, not `Print Edition`"))
            .unwrap();
        assert_eq!(segment.location().unwrap(), "site.toml:6:9");
        assert_eq!(
            segment.hint.as_deref(),
            Some("try `print = \"print-edition\"`")
        );
        let unknown = errs
            .iter()
            .find(|e| e.message.contains("unknown route `jurisdicton`"))
            .unwrap();
        assert_eq!(
            unknown.hint.as_deref(),
            Some("did you mean `jurisdiction`?")
        );
        assert!(errs.iter().any(|e| e.message.contains("`[routes.fr]`")));
    }

    #[test]
    fn two_routes_cannot_share_a_segment() {
        let errs = parse(&format!("{GOOD}[routes.en]\ntype = \"jurisdiction\"\n")).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0]
                .message
                .contains("routes `jurisdiction` and `type` are both `jurisdiction` in English"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn unknown_key_suggests() {
        let errs = parse(&format!("{GOOD}minfy = false\n")).unwrap_err();
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `minify`?"));
    }
}
