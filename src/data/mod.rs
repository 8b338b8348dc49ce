//! Reading the `data/` folder: TOML and CSV files with spans, bilingual texts, ids and the
//! references between files. Each publication (in `publications/`) owns its schema; this module
//! holds what they share.

pub mod csvfile;
pub mod text;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
pub use text::Text;

pub const DIR: &str = "data";

/// Where the data files are, and the site's languages for checking texts.
pub struct Loader<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
}

impl Loader<'_> {
    /// Absolute path and the path shown in messages (`data/organisations.csv`).
    /// Every file or folder a publication reads, lists or looks for is reached through here, so
    /// loading records it (see [`crate::deps`]).
    pub fn path(&self, rel: &str) -> (PathBuf, PathBuf) {
        crate::deps::record_with(|| crate::deps::Read::DataFile(rel.to_string()));
        (self.root.join(DIR).join(rel), Path::new(DIR).join(rel))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).0.is_file()
    }

    /// Files in a folder of `data/` with an extension, sorted: `dpia/2019.toml`, …
    pub fn list(&self, dir: &str, ext: &str) -> Vec<String> {
        let (abs, _) = self.path(dir);
        let mut names: Vec<String> = std::fs::read_dir(abs)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(ext) && !n.starts_with('.'))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        names
    }

    pub fn read_toml<T: DeserializeOwned>(
        &self,
        rel: &str,
    ) -> Result<(T, SourceFile), Vec<Diagnostic>> {
        let (abs, shown) = self.path(rel);
        // Refused before reading: a file over the limit is not read into memory at all.
        let size = std::fs::metadata(&abs).map_or(0, |m| m.len());
        if size > crate::tomlfile::MAX_BYTES as u64 {
            let empty = SourceFile::new(shown, "");
            return Err(vec![crate::tomlfile::too_large(&empty, 0, size, rel)]);
        }
        let text = std::fs::read_to_string(&abs).map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot read {}: {e}",
                shown.display()
            ))]
        })?;
        let source = SourceFile::new(shown, text);
        let value = crate::tomlfile::parse(&source, 0..source.text.len(), rel)?;
        Ok((value, source))
    }
}

/// Ids are stable slugs: they appear in URLs and downloads.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The ids of one kind of thing (organisations, reasons, bodies), where each was defined.
#[derive(Default, Debug)]
pub struct IdSet {
    what: &'static str,
    ids: BTreeMap<String, (SourceFile, Range<usize>)>,
    /// The file defining these ids could not be read: references to them are not checked,
    /// so one broken file does not bury its own errors under a cascade.
    unchecked: bool,
}

impl IdSet {
    pub fn new(what: &'static str) -> Self {
        IdSet {
            what,
            ids: BTreeMap::new(),
            unchecked: false,
        }
    }

    /// Ids whose file failed to load: every reference is accepted.
    pub fn unchecked(what: &'static str) -> Self {
        IdSet {
            unchecked: true,
            ..IdSet::new(what)
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(String::as_str)
    }

    /// Record a definition; a malformed or repeated id is an error.
    pub fn define(
        &mut self,
        id: &str,
        source: &SourceFile,
        span: Range<usize>,
    ) -> Option<Diagnostic> {
        if !is_id(id) {
            return Some(
                Diagnostic::error(format!("invalid {} id `{id}`", self.what))
                    .at(source, span)
                    .hint(format!(
                        "ids are lowercase letters, digits and hyphens, such as `{}`",
                        slug::slugify(id)
                    )),
            );
        }
        if let Some((first, first_span)) = self.ids.get(id) {
            let (line, _) = first.line_col(first_span.start);
            return Some(
                Diagnostic::error(format!("duplicate {} id `{id}`", self.what))
                    .at(source, span)
                    .hint(format!(
                        "it is already used at {}:{line}; ids must be unique",
                        first.path.display()
                    )),
            );
        }
        self.ids.insert(id.to_string(), (source.clone(), span));
        None
    }

    /// A reference to an id of this kind: the problem, if it does not exist.
    pub fn missing(&self, id: &str) -> Option<String> {
        if self.unchecked || self.contains(id) {
            return None;
        }
        let hint = match did_you_mean(id, self.iter()) {
            Some(s) => format!(" (did you mean `{s}`?)"),
            None => String::new(),
        };
        Some(format!("no {} with id `{id}`{hint}", self.what))
    }

    /// Check a spanned reference in a TOML file.
    pub fn check(&self, source: &SourceFile, id: &Spanned<String>) -> Option<Diagnostic> {
        self.missing(id.get_ref()).map(|m| {
            Diagnostic::error(m)
                .at(source, id.span())
                .hint(format!("use an id defined in the {} data", self.what))
        })
    }
}

/// A value from a fixed set (a jurisdiction, a status), with the problem if it is not one.
pub fn one_of<'a>(value: &str, allowed: &[&'a str], field: &str) -> Result<&'a str, String> {
    allowed
        .iter()
        .copied()
        .find(|a| *a == value)
        .ok_or_else(|| {
            let hint = match did_you_mean(value, allowed.iter().copied()) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => String::new(),
            };
            format!(
                "`{field}` must be one of {}, not `{value}`{hint}",
                allowed.join(", ")
            )
        })
}

/// A spanned `one_of` for TOML values.
pub fn check_one_of(
    source: &SourceFile,
    value: &Spanned<String>,
    allowed: &[&str],
    field: &str,
) -> Option<Diagnostic> {
    one_of(value.get_ref(), allowed, field)
        .err()
        .map(|m| Diagnostic::error(m).at(source, value.span()))
}

/// A month written `YYYY-MM`.
pub fn parse_month(s: &str) -> Option<(i16, i8)> {
    let (y, m) = s.split_once('-')?;
    let (y, m) = (y.parse::<i16>().ok()?, m.parse::<i8>().ok()?);
    (y.to_string().len() == 4 && (1..=12).contains(&m)).then_some((y, m))
}

/// Every month from `first` to `last`, both included: charts and tables show a missing
/// month as a gap only if it is in the range.
pub fn months(first: (i16, i8), last: (i16, i8)) -> Vec<(i16, i8)> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        out.push(m);
        m = if m.1 == 12 {
            // `parse_month` gives four-digit years, but a last month in year i16::MAX would
            // wrap around and never end.
            match m.0.checked_add(1) {
                Some(y) => (y, 1),
                None => break,
            }
        } else {
            (m.0, m.1 + 1)
        };
    }
    out
}

/// A date written `YYYY-MM-DD` (in CSV cells).
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references() {
        let src = SourceFile::new("x.toml", "id = \"hmicfrs\"\nid = \"hmicfrs\"\n");
        let mut ids = IdSet::new("body");
        assert!(ids.define("hmicfrs", &src, 5..14).is_none());
        let dup = ids.define("hmicfrs", &src, 20..29).unwrap();
        assert!(dup.hint.unwrap().contains("x.toml:1"));
        assert!(ids.define("Bad Id", &src, 0..1).is_some());
        assert_eq!(
            ids.missing("hmicrfs").unwrap(),
            "no body with id `hmicrfs` (did you mean `hmicfrs`?)"
        );
    }

    #[test]
    fn months_and_dates() {
        assert_eq!(parse_month("2021-03"), Some((2021, 3)));
        assert_eq!(parse_month("2021-13"), None);
        assert_eq!(parse_month("21-03"), None);
        assert!(parse_date("2021-02-28").is_some());
        assert!(parse_date("2021-02-30").is_none());
        assert!(parse_date("28/02/2021").is_none());
    }

    #[test]
    fn month_ranges_cross_years() {
        assert_eq!(
            months((2024, 11), (2025, 2)),
            [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
        );
        assert!(months((2025, 2), (2024, 1)).is_empty());
        assert_eq!(months((i16::MAX, 12), (i16::MAX, 12)), [(i16::MAX, 12)]);
    }

    #[test]
    fn fixed_sets_suggest() {
        let e = one_of("scotlnd", &["scotland", "england-wales"], "jurisdiction").unwrap_err();
        assert!(e.contains("did you mean `scotland`?"), "{e}");
    }
}
