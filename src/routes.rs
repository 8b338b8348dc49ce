//! `[routes]` in site.toml: the URL segments Tryloyw makes for pages it generates, in each
//! language. They are settings, not UI strings, so rewording a theme never moves a page.
//!
//! ```toml
//! [routes.cy]
//! print = "argraffu"          # /cy/cod-ymarfer/argraffu/
//! jurisdiction = "awdurdodaeth" # /cy/sefydliadau/awdurdodaeth/yr-alban/
//! type = "math"               # /cy/sefydliadau/math/asiantaeth-genedlaethol/
//! ```

use std::collections::BTreeMap;

use toml::Spanned;

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::locale::Lang;

/// A generated page's URL segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Route {
    /// A page's print edition: `/code-of-practice/print/`.
    Print,
    /// Organisations by jurisdiction: `/organisations/jurisdiction/scotland/`.
    Jurisdiction,
    /// Organisations by type: `/organisations/type/national-agency/`.
    Type,
}

/// Every route: its name in site.toml and its segment in each language Tryloyw knows, the
/// first used for any other.
/// A route's segment by language code.
type Segments = &'static [(&'static str, &'static str)];

const TABLE: [(Route, &str, Segments); 3] = [
    (
        Route::Print,
        "print",
        &[("en", "print"), ("cy", "argraffu")],
    ),
    (
        Route::Jurisdiction,
        "jurisdiction",
        &[("en", "jurisdiction"), ("cy", "awdurdodaeth")],
    ),
    (Route::Type, "type", &[("en", "type"), ("cy", "math")]),
];

/// Each language's segments: the defaults, overridden by site.toml.
#[derive(Debug, Clone, Default)]
pub struct Routes(BTreeMap<(&'static str, Route), String>);

/// `[routes.<language>]` as written.
pub type Raw = BTreeMap<String, Spanned<BTreeMap<String, Spanned<String>>>>;

impl Routes {
    pub fn get(&self, lang: Lang, route: Route) -> &str {
        self.0
            .get(&(lang.code, route))
            .map_or_else(|| default(lang, route), String::as_str)
    }

    /// The defaults for `languages`, with site.toml's `[routes]` over them; a problem with
    /// any value is reported at it.
    pub fn load(
        raw: Option<&Spanned<Raw>>,
        languages: &[Lang],
        source: &SourceFile,
        errors: &mut Vec<Diagnostic>,
    ) -> Routes {
        let mut routes = Routes::default();
        let Some(raw) = raw else {
            return routes;
        };
        for (code, table) in raw.get_ref() {
            let Some(&lang) = languages.iter().find(|l| l.code == code) else {
                let codes: Vec<&str> = languages.iter().map(|l| l.code).collect();
                errors.push(
                    Diagnostic::error(format!(
                        "`[routes.{code}]` is for a language not in `languages`"
                    ))
                    .at(source, table.span())
                    .hint(format!("routes are per language: {}", codes.join(", "))),
                );
                continue;
            };
            for (name, segment) in table.get_ref() {
                let Some((route, _, _)) = TABLE.iter().find(|(_, n, _)| n == name) else {
                    let names = TABLE.map(|(_, n, _)| n);
                    let hint = match did_you_mean(name, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("routes are: {}", names.join(", ")),
                    };
                    errors.push(
                        Diagnostic::error(format!("unknown route `{name}`"))
                            .at(source, table.span())
                            .hint(hint),
                    );
                    continue;
                };
                if !is_segment(segment.get_ref()) {
                    let suggestion = slug::slugify(segment.get_ref());
                    let hint = if suggestion.is_empty() {
                        format!(
                            "use lowercase letters, digits and hyphens, such as `{name} = \"{}\"`",
                            default(lang, *route)
                        )
                    } else {
                        format!("try `{name} = \"{suggestion}\"`")
                    };
                    errors.push(
                        Diagnostic::error(format!(
                            "route `{name}` must be one URL segment, not `{}`",
                            segment.get_ref()
                        ))
                        .at(source, segment.span())
                        .label("segments are lowercase letters, digits and hyphens")
                        .hint(hint),
                    );
                    continue;
                }
                routes
                    .0
                    .insert((lang.code, *route), segment.get_ref().clone());
            }
        }
        // Two routes with one segment would put two pages at one URL.
        for &lang in languages {
            for (i, (a, a_name, _)) in TABLE.iter().enumerate() {
                for (b, b_name, _) in &TABLE[i + 1..] {
                    let segment = routes.get(lang, *a);
                    if segment == routes.get(lang, *b) {
                        let d = Diagnostic::error(format!(
                            "routes `{a_name}` and `{b_name}` are both `{segment}` in {}",
                            lang.endonym
                        ))
                        .hint(format!(
                            "give `[routes.{}]` a different `{b_name}`",
                            lang.code
                        ));
                        errors.push(match raw.get_ref().get(lang.code) {
                            Some(t) => d.at(source, t.span()),
                            None => d,
                        });
                    }
                }
            }
        }
        routes
    }
}

fn default(lang: Lang, route: Route) -> &'static str {
    TABLE
        .iter()
        .find(|(r, _, _)| *r == route)
        .map(|(_, _, by_lang)| {
            by_lang
                .iter()
                .find(|(code, _)| *code == lang.code)
                .or(by_lang.first())
                .map_or("", |(_, s)| s)
        })
        .unwrap_or("")
}

/// One URL segment: lowercase letters, digits, hyphens and underscores, as page slugs.
fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
