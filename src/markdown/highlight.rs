//! Fenced code blocks highlighted with syntect into CSS classes (never inline styles, so a
//! strict Content-Security-Policy holds). The syntax set is bat's via `two-face`, which adds
//! TOML, CSV and others to syntect's defaults.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

pub const CLASS_PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

fn find(token: &str) -> Option<&'static SyntaxReference> {
    let token = match token.to_ascii_lowercase().as_str() {
        "shell" | "sh" | "console" | "zsh" => "bash".to_string(),
        "py" => "python".into(),
        "rs" => "rust".into(),
        other => other.to_string(),
    };
    SYNTAXES
        .find_syntax_by_token(&token)
        .or_else(|| SYNTAXES.find_syntax_by_name(&token))
}

/// Highlighted HTML for a code block, or `None` when the language is unknown (the caller
/// then shows it as plain escaped text).
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = find(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for the classes above, from a light theme whose colours we check for AA
/// contrast on the theme's code background.
pub fn stylesheet() -> String {
    let themes = two_face::theme::extra();
    let theme = themes.get(two_face::theme::EmbeddedThemeName::InspiredGithub);
    syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_are_known() {
        for lang in [
            "toml", "csv", "json", "python", "r", "rust", "shell", "bash", "sh",
        ] {
            assert!(find(lang).is_some(), "no syntax for {lang}");
        }
    }

    #[test]
    fn output_uses_classes_not_styles() {
        let html = highlight("title = \"x\"\n", "toml").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
    }
}
