//! Typed TOML loading that reports every problem it can find with a span: all syntax errors,
//! every unknown key (with "did you mean"), and the first type error.

use std::ops::Range;

use serde::de::{DeserializeOwned, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};

/// Parse `source.text[range]` as TOML into `T`. `what` names the file kind in messages
/// ("front matter", "site.toml").
pub fn parse<T: DeserializeOwned>(
    source: &SourceFile,
    range: Range<usize>,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    let text = &source.text[range.clone()];
    let offset = range.start;
    let (table, errors) = DeTable::parse_recoverable(text);
    let known = fields_of::<T>();
    if !errors.is_empty() {
        let mut diagnostics: Vec<Diagnostic> = errors
            .iter()
            .map(|e| {
                let span = shift(e.span().unwrap_or(0..0), offset);
                let message = first_line(e.message());
                Diagnostic::error(format!("invalid TOML in {what}: {message}"))
                    .at(source, span)
                    .hint(syntax_hint(message))
            })
            .collect();
        // The parser recovers, so unknown top-level keys can still be reported.
        let unknown: Vec<String> = table
            .get_ref()
            .keys()
            .map(|k| k.get_ref().to_string())
            .filter(|k| !known.contains(&k.as_str()))
            .collect();
        diagnostics.extend(unknown_keys(
            source,
            table.get_ref(),
            &unknown,
            known,
            offset,
            what,
        ));
        return Err(diagnostics);
    }
    let mut unknown = Vec::new();
    let deserializer = toml::de::Deserializer::from(table.clone());
    let result: Result<T, _> =
        serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()));
    let mut diagnostics = unknown_keys(source, table.get_ref(), &unknown, known, offset, what);
    match result {
        Ok(value) if diagnostics.is_empty() => Ok(value),
        Ok(_) => Err(diagnostics),
        Err(e) => {
            let span = shift(e.span().unwrap_or(0..0), offset);
            diagnostics.push(
                Diagnostic::error(format!("{what}: {}", first_line(e.message())))
                    .at(source, span)
                    .hint(type_hint(e.message())),
            );
            Err(diagnostics)
        }
    }
}

/// One diagnostic per unknown key path (`serde_ignored`'s dotted form), with "did you mean".
fn unknown_keys(
    source: &SourceFile,
    table: &DeTable<'_>,
    unknown: &[String],
    known: &[&str],
    offset: usize,
    what: &str,
) -> Vec<Diagnostic> {
    unknown
        .iter()
        .map(|path| {
            let span = key_span(table, path).map_or(offset..offset, |s| shift(s, offset));
            let key = path.rsplit('.').next().unwrap_or(path);
            let d = Diagnostic::error(format!("unknown field `{}` in {what}", readable_path(path)))
                .at(source, span)
                .label("not a known field");
            let top_level = !path.contains('.');
            match did_you_mean(key, known.iter().copied()).filter(|_| top_level) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None if top_level => d.hint(format!(
                    "the fields allowed here are: {}; put your own values under [extra]",
                    known.join(", ")
                )),
                None => d.hint("remove it, or check its spelling"),
            }
        })
        .collect()
}

/// `reasons.0.name` as a reader counts: `reasons[1].name`.
fn readable_path(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('.') {
        match segment.parse::<usize>() {
            Ok(i) => out.push_str(&format!("[{}]", i + 1)),
            Err(_) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(segment);
            }
        }
    }
    out
}

fn syntax_hint(message: &str) -> &'static str {
    if message.contains("date") {
        "write dates as YYYY-MM-DD, for example `date = 2019-02-20`, and check the day exists"
    } else if message.contains("duplicate key") {
        "each key may appear once; remove or rename the repeated one"
    } else {
        "check the quotes, brackets and `key = value` syntax on this line"
    }
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

fn type_hint(message: &str) -> String {
    if message.contains("date") {
        "write dates as TOML dates without quotes, for example `date = 2019-02-20`".into()
    } else if message.contains("missing field") {
        "add the field; see the front-matter reference in the README".into()
    } else {
        "check the value's type: strings in quotes, numbers and booleans without".into()
    }
}

fn shift(span: Range<usize>, offset: usize) -> Range<usize> {
    span.start + offset..span.end + offset
}

/// The span of a dotted key path (as `serde_ignored` prints it: `reasons.0.name`) inside a
/// parsed table; numeric segments index arrays of tables.
fn key_span(table: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut current = table;
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let (key, mut value) = current
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == segment)?;
        if segments.peek().is_none() {
            return Some(key.span());
        }
        // Step through arrays by index: `reasons.0` is the first [[reasons]] table.
        while let DeValue::Array(items) = value.get_ref() {
            let index: usize = segments.next()?.parse().ok()?;
            value = items.get(index)?;
        }
        match value.get_ref() {
            DeValue::Table(t) => current = t,
            _ => return Some(key.span()),
        }
    }
    None
}

/// The field names a derived `Deserialize` struct accepts, found by asking it to deserialize
/// from a deserializer that only records the names (for "did you mean" suggestions).
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Demo {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn reports_every_unknown_key_with_span_and_suggestion() {
        let src = SourceFile::new("x.toml", "titel = \"a\"\ntitle = \"b\"\nwieght = 3\n");
        let errs = parse::<Demo>(&src, 0..src.text.len(), "front matter").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].span, 0..5);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(errs[1].location().unwrap(), "x.toml:3:1");
        assert_eq!(errs[1].hint.as_deref(), Some("did you mean `weight`?"));
    }

    #[test]
    fn syntax_and_type_errors_carry_offset_spans() {
        let src = SourceFile::new("x.md", "+++\ntitle = 3\n+++\n");
        let errs = parse::<Demo>(&src, 4..14, "front matter").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].location().unwrap(), "x.md:2:9");

        let src = SourceFile::new("x.toml", "title = \"a\nweight = \n");
        let errs = parse::<Demo>(&src, 0..src.text.len(), "x").unwrap_err();
        assert!(!errs.is_empty());
        assert!(errs[0].message.starts_with("invalid TOML"));
    }

    #[test]
    fn introspects_field_names() {
        assert_eq!(fields_of::<Demo>(), &["title", "weight"]);
    }
}
