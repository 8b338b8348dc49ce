//! Rule levels from the site: `site.toml`'s `[check]` table, then `check.toml` at the site root
//! (which wins). Both map rule names to `"error"`, `"warning"` or `"off"`:
//!
//! ```toml
//! vague-link-text = "error"
//! missing-description = "off"
//! ```
//!
//! Only the `[check]` table of `site.toml` is read here; the rest is the build's business.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::rules::{Level, Levels, Rule};
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};

pub const CHECK_TOML: &str = "check.toml";

/// The levels for the site at `root`. Mistakes in the tables are returned all at once.
pub fn load(root: &Path) -> Result<Levels, Vec<Diagnostic>> {
    let mut levels = Levels::default();
    let mut problems = Vec::new();
    if let Some(source) = read(root, "site.toml") {
        // A site.toml that is not valid TOML is reported by the build; nothing to read here.
        if let Ok(table) = DeTable::parse(&source.text)
            && let Some(check) = table.get_ref().get("check")
        {
            match check.get_ref() {
                DeValue::Table(t) => apply(&source, t, &mut levels, &mut problems),
                _ => problems.push(
                    Diagnostic::error("`check` in site.toml must be a table")
                        .at(&source, check.span())
                        .hint(
                            "write `[check]` followed by lines like `vague-link-text = \"error\"`",
                        ),
                ),
            }
        }
    }
    if let Some(source) = read(root, CHECK_TOML) {
        match DeTable::parse(&source.text) {
            Ok(table) => apply(&source, table.get_ref(), &mut levels, &mut problems),
            Err(e) => problems.push(
                Diagnostic::error(format!(
                    "invalid TOML in {CHECK_TOML}: {}",
                    e.message().lines().next().unwrap_or_default()
                ))
                .at(&source, e.span().unwrap_or(0..0)),
            ),
        }
    }
    if problems.is_empty() {
        Ok(levels)
    } else {
        Err(problems)
    }
}

fn read(root: &Path, name: &str) -> Option<SourceFile> {
    let text = std::fs::read_to_string(root.join(name)).ok()?;
    Some(SourceFile::new(name, text))
}

fn apply(
    source: &SourceFile,
    table: &DeTable<'_>,
    levels: &mut Levels,
    problems: &mut Vec<Diagnostic>,
) {
    // In the order they are written, so the problems come out in file order.
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in entries {
        let name = key.get_ref().as_ref();
        let Some(rule) = Rule::from_name(name) else {
            let mut d = Diagnostic::error(format!("unknown check rule `{name}`"))
                .at(source, key.span())
                .label("not a rule name");
            d = match did_you_mean(name, Rule::ALL.iter().map(|r| r.name())) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!(
                    "the rules are: {}",
                    Rule::ALL.map(|r| r.name()).join(", ")
                )),
            };
            problems.push(d);
            continue;
        };
        let level = match value.get_ref() {
            DeValue::String(s) => Level::parse(s),
            _ => None,
        };
        match level {
            Some(level) => levels.set(rule, level),
            None => problems.push(
                Diagnostic::error(format!(
                    "the level of `{name}` must be \"error\", \"warning\" or \"off\""
                ))
                .at(source, value.span())
                .hint(format!("for example: {name} = \"warning\"")),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels_from(site: &str, check: Option<&str>) -> Result<Levels, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), site).unwrap();
        if let Some(c) = check {
            std::fs::write(dir.path().join(CHECK_TOML), c).unwrap();
        }
        load(dir.path())
    }

    #[test]
    fn check_toml_overrides_site_toml_and_defaults() {
        let levels = levels_from(
            "title = \"x\"\n[check]\nvague-link-text = \"error\"\nimg-alt = \"warning\"\n",
            Some("img-alt = \"off\"\n"),
        )
        .unwrap();
        assert_eq!(levels.get(Rule::VagueLinkText), Level::Error);
        assert_eq!(levels.get(Rule::ImgAlt), Level::Off);
        assert_eq!(levels.get(Rule::BrokenLink), Level::Error);
        assert_eq!(levels.get(Rule::MissingDescription), Level::Warning);
    }

    #[test]
    fn unknown_rules_and_levels_are_reported_with_positions() {
        let problems = levels_from(
            "",
            Some("brokn-link = \"error\"\nimg-alt = \"loud\"\nheading-order = 1\n"),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3);
        let first = problems[0].render(false);
        assert!(first.starts_with("check.toml:1:1: error: unknown check rule `brokn-link`"));
        assert!(first.contains("did you mean `broken-link`?"));
        assert!(problems[1].render(false).starts_with("check.toml:2:11:"));
    }
}
