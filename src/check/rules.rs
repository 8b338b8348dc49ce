//! The rules `tryloyw check` applies, their names (as used in `check.toml` and the output) and
//! their default severities.

use std::collections::BTreeMap;

use serde::Serialize;

/// How a rule's findings count: an error (exit code 1), a warning, or not reported at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["error", "warning", "off"];

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    BrokenLink,
    BrokenAnchor,
    OtherLanguageLink,
    ImgAlt,
    DecorativeImg,
    HeadingOrder,
    SingleH1,
    DuplicateId,
    EmptyLink,
    TableCaption,
    TableHeaders,
    VagueLinkText,
    MissingDescription,
    TranslationParity,
    ExternalLink,
}

impl Rule {
    pub const ALL: [Rule; 15] = [
        Rule::BrokenLink,
        Rule::BrokenAnchor,
        Rule::OtherLanguageLink,
        Rule::ImgAlt,
        Rule::DecorativeImg,
        Rule::HeadingOrder,
        Rule::SingleH1,
        Rule::DuplicateId,
        Rule::EmptyLink,
        Rule::TableCaption,
        Rule::TableHeaders,
        Rule::VagueLinkText,
        Rule::MissingDescription,
        Rule::TranslationParity,
        Rule::ExternalLink,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::BrokenLink => "broken-link",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::OtherLanguageLink => "other-language-link",
            Rule::ImgAlt => "img-alt",
            Rule::DecorativeImg => "decorative-img",
            Rule::HeadingOrder => "heading-order",
            Rule::SingleH1 => "single-h1",
            Rule::DuplicateId => "duplicate-id",
            Rule::EmptyLink => "empty-link",
            Rule::TableCaption => "table-caption",
            Rule::TableHeaders => "table-headers",
            Rule::VagueLinkText => "vague-link-text",
            Rule::MissingDescription => "missing-description",
            Rule::TranslationParity => "translation-parity",
            Rule::ExternalLink => "external-link",
        }
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn default_level(self) -> Level {
        match self {
            Rule::OtherLanguageLink
            | Rule::DecorativeImg
            | Rule::VagueLinkText
            | Rule::MissingDescription
            | Rule::ExternalLink => Level::Warning,
            _ => Level::Error,
        }
    }
}

/// The level of every rule: the defaults, overridden by `check.toml` or `site.toml`'s `[check]`.
#[derive(Clone, Debug)]
pub struct Levels(BTreeMap<Rule, Level>);

impl Default for Levels {
    fn default() -> Self {
        Levels(Rule::ALL.iter().map(|r| (*r, r.default_level())).collect())
    }
}

impl Levels {
    pub fn get(&self, rule: Rule) -> Level {
        self.0.get(&rule).copied().unwrap_or(rule.default_level())
    }

    pub fn set(&mut self, rule: Rule, level: Level) {
        self.0.insert(rule, level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(r));
        }
        assert_eq!(Rule::from_name("nope"), None);
    }
}
