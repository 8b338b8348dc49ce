//! Typed TOML loading that reports every problem it can find with a span: all syntax errors,
//! every unknown key (with "did you mean"), and the first type error.
//!
//! Hostile input is bounded: a text over [`MAX_BYTES`] is refused before parsing; nesting
//! deeper than [`MAX_DEPTH`] is refused by the toml crate (its recursion guard, which this
//! module gives a location and a hint); at most [`MAX_LISTED`] problems are listed per text.

use std::collections::HashSet;
use std::ops::Range;

use serde::de::{DeserializeOwned, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, MAX_LISTED, SourceFile, did_you_mean, unlisted};

/// The largest TOML text read (one data file, `site.toml`, or one page's front matter):
/// 10 MB, about 300 times the largest file of the bundled site. Parsing costs about eleven
/// times the text in memory, so this bounds a file's share to about 110 MB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// How deep arrays, inline tables and dotted keys may nest: the toml crate's own recursion
/// limit (not configurable), which keeps parsing and everything after it off the stack's edge.
pub const MAX_DEPTH: usize = 80;

/// Parse `source.text[range]` as TOML into `T`. `what` names the file kind in messages
/// ("front matter", "site.toml").
pub fn parse<T: DeserializeOwned>(
    source: &SourceFile,
    range: Range<usize>,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    if range.len() > MAX_BYTES {
        return Err(vec![too_large(
            source,
            range.start,
            range.len() as u64,
            what,
        )]);
    }
    // Callers pass the whole file or the lines between two `+++` fences: char boundaries.
    let text = &source.text[range.clone()];
    let offset = range.start;
    let (table, errors) = DeTable::parse_recoverable(text);
    let known = fields_of::<T>();
    let keys = Keys {
        table: table.get_ref(),
        known,
        offset,
        what,
    };
    let mut problems = Problems::default();
    if !errors.is_empty() {
        let lines = Lines::new(text);
        let broken = syntax_errors(&mut problems, source, (text, &lines), offset, &errors, what);
        // The parser recovers, so unknown top-level keys can still be reported, except on a
        // line already reported: one problem per line.
        let unknown: Vec<String> = table
            .get_ref()
            .keys()
            .filter(|k| !broken.contains(&lines.of(k.span().start)))
            .map(|k| k.get_ref().to_string())
            .filter(|k| !known.contains(&k.as_str()))
            .collect();
        unknown_keys(&mut problems, source, &keys, &unknown);
        return Err(problems.into_vec(source));
    }
    let mut unknown = Vec::new();
    let deserializer = toml::de::Deserializer::from(table.clone());
    let result: Result<T, _> =
        serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()));
    unknown_keys(&mut problems, source, &keys, &unknown);
    match result {
        Ok(value) if problems.is_empty() => Ok(value),
        Ok(_) => Err(problems.into_vec(source)),
        Err(e) => {
            problems.add(|| {
                let span = shift(e.span().unwrap_or(0..0), offset);
                Diagnostic::error(format!("{what}: {}", first_line(e.message())))
                    .at(source, span)
                    .hint(type_hint(e.message()))
            });
            Err(problems.into_vec(source))
        }
    }
}

/// The problems found in one text: the first [`MAX_LISTED`], and how many more there were.
#[derive(Default)]
struct Problems {
    listed: Vec<Diagnostic>,
    more: usize,
}

impl Problems {
    /// Count a problem; build its diagnostic only if it will be listed.
    fn add(&mut self, make: impl FnOnce() -> Diagnostic) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(make());
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    fn into_vec(mut self, source: &SourceFile) -> Vec<Diagnostic> {
        if self.more > 0 {
            let total = self.listed.len() + self.more;
            self.listed.push(unlisted(&source.path, total));
        }
        self.listed
    }
}

/// The refusal of a TOML text of `len` bytes starting at `start` in `source`.
pub fn too_large(source: &SourceFile, start: usize, len: u64, what: &str) -> Diagnostic {
    let mb = crate::diagnostics::megabytes;
    Diagnostic::error(format!(
        "{what} is {}; Tryloyw reads at most {} of TOML from one file",
        mb(len),
        mb(MAX_BYTES as u64)
    ))
    .at(source, start..start)
    .hint("split it into smaller files, or keep long text in Markdown and tables in CSV files")
}

/// Where lines start, to find the line of an offset quickly: a broken file can have an error
/// on each of its lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// The line (counted from 0) of a byte offset.
    fn of(&self, at: usize) -> usize {
        self.0
            .partition_point(|&start| start <= at)
            .saturating_sub(1)
    }
}

/// One problem per line with a syntax error: the parser recovers and often reports the same
/// mistake again further along the line. Returns the lines reported (counted from 0).
fn syntax_errors(
    problems: &mut Problems,
    source: &SourceFile,
    (text, lines): (&str, &Lines),
    offset: usize,
    errors: &[toml::de::Error],
    what: &str,
) -> HashSet<usize> {
    let mut seen_lines = HashSet::new();
    for e in errors {
        let message = first_line(e.message());
        let too_deep = is_recursion_limit(message);
        // The toml crate reports a dotted key with too many parts without a span.
        let span = e
            .span()
            .or_else(|| too_deep.then(|| deep_key(text)).flatten())
            .unwrap_or(0..0);
        if !seen_lines.insert(lines.of(span.start)) {
            continue;
        }
        problems.add(|| {
            let d = if too_deep {
                Diagnostic::error(format!("{what} nests more than {MAX_DEPTH} levels deep")).hint(
                    format!(
                        "arrays, inline tables and dotted keys may nest at most {MAX_DEPTH} levels; flatten this value"
                    ),
                )
            } else {
                Diagnostic::error(format!("invalid TOML in {what}: {message}"))
                    .hint(syntax_hint(message))
            };
            d.at(source, shift(span, offset))
        });
    }
    seen_lines
}

fn is_recursion_limit(message: &str) -> bool {
    message.contains("recursion limit") || message.contains("max recursion depth")
}

/// The first dotted key with more than [`MAX_DEPTH`] parts (`a.a.a…`, in a table header or
/// before `=`), found with the toml crate's own lexer so dots in strings do not count.
fn deep_key(text: &str) -> Option<Range<usize>> {
    use toml_parser::lexer::TokenKind;
    let mut run: Option<(Range<usize>, usize)> = None;
    for token in toml_parser::Source::new(text).lex() {
        let span = token.span().start()..token.span().end();
        match (token.kind(), run.as_mut()) {
            (TokenKind::Dot, Some((r, dots))) => {
                r.end = span.end;
                *dots += 1;
            }
            (
                TokenKind::Atom
                | TokenKind::BasicString
                | TokenKind::LiteralString
                | TokenKind::Whitespace,
                Some((r, _)),
            ) => r.end = span.end,
            (TokenKind::Atom | TokenKind::BasicString | TokenKind::LiteralString, None) => {
                run = Some((span, 0));
            }
            _ => match run.take() {
                Some((r, dots)) if dots >= MAX_DEPTH => return Some(r),
                _ => {}
            },
        }
    }
    run.filter(|(_, dots)| *dots >= MAX_DEPTH).map(|(r, _)| r)
}

/// Where unknown keys are looked up and what they are checked against.
struct Keys<'a, 't> {
    table: &'a DeTable<'t>,
    known: &'a [&'a str],
    offset: usize,
    what: &'a str,
}

/// One diagnostic per unknown key path (`serde_ignored`'s dotted form), with "did you mean".
fn unknown_keys(problems: &mut Problems, source: &SourceFile, keys: &Keys, unknown: &[String]) {
    let (known, what) = (keys.known, keys.what);
    for path in unknown {
        problems.add(|| {
            let span = key_span(keys.table, path)
                .map_or(keys.offset..keys.offset, |s| shift(s, keys.offset));
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
        });
    }
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

/// Where the key at `path` (dotted, as [`key_span`] reads it) is written in `text`, however it
/// is spelled (`title`, `"title"`, `"ti\u0074le"`), or `None` if `text` does not parse or has
/// no such key.
pub fn find_key(text: &str, path: &str) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    key_span(table.get_ref(), path)
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

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct WithExtra {
        title: String,
        #[serde(default)]
        extra: toml::Table,
    }

    fn errors_in(text: &str) -> Vec<Diagnostic> {
        let src = SourceFile::new("x.toml", text);
        parse::<WithExtra>(&src, 0..src.text.len(), "x.toml").unwrap_err()
    }

    #[test]
    fn nesting_ten_thousand_levels_deep_is_one_located_error() {
        let n = 10_000;
        for (value, column) in [
            (format!("{}{}", "[".repeat(n), "]".repeat(n)), 85),
            (format!("{}1{}", "{b=".repeat(n), "}".repeat(n)), 245),
        ] {
            let errs = errors_in(&format!("title = \"t\"\n[extra]\na = {value}\n"));
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert_eq!(errs[0].message, "x.toml nests more than 80 levels deep");
            assert_eq!(errs[0].location().unwrap(), format!("x.toml:3:{column}"));
            assert!(errs[0].hint.as_deref().unwrap().contains("flatten"));
        }
    }

    #[test]
    fn a_dotted_key_of_ten_thousand_parts_is_located() {
        // The toml crate reports this one without a span; it used to point at line 1.
        let key = vec!["a"; 10_000].join(".");
        for text in [
            format!("title = \"t\"\n[extra]\n{key} = 1\n"),
            format!("title = \"t\"\n\n[extra.{key}]\n"),
        ] {
            let errs = errors_in(&text);
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert_eq!(errs[0].message, "x.toml nests more than 80 levels deep");
            assert_eq!(
                errs[0].location().unwrap().rsplit_once(':').unwrap().0,
                "x.toml:3"
            );
        }
        // Dots inside quoted keys and values are not key parts.
        let quoted = format!("\"{key}\"");
        assert_eq!(deep_key(&format!("{quoted} = \"{key}\"")), None);
    }

    #[test]
    fn broken_lines_are_listed_once_each_and_at_most_twenty() {
        let mut text = String::from("title = \"t\"\n");
        for i in 0..100_000 {
            text.push_str(&format!("k{i} = = =\n"));
        }
        let started = std::time::Instant::now();
        let errs = errors_in(&text);
        let rendered: Vec<String> = errs.iter().map(|d| d.render(false)).collect();
        // Each line's three parser errors are one mistake; 100,000 listed took minutes.
        assert_eq!(errs.len(), MAX_LISTED + 1);
        assert_eq!(errs[1].location().unwrap(), "x.toml:3:6");
        assert_eq!(
            errs[MAX_LISTED].message,
            "x.toml: 100000 problems; only the first 20 are listed"
        );
        assert!(rendered.len() == errs.len());
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn unknown_keys_are_listed_at_most_twenty() {
        let mut text = String::from("title = \"t\"\n");
        for i in 0..50_000 {
            text.push_str(&format!("k{i} = 1\n"));
        }
        let errs = errors_in(&text);
        assert_eq!(errs.len(), MAX_LISTED + 1);
        assert_eq!(errs[0].message, "unknown field `k0` in x.toml");
        assert!(errs[MAX_LISTED].message.contains("50000 problems"));
    }

    #[test]
    fn text_over_the_limit_is_refused_unparsed() {
        let text = format!("title = \"{}\"\n", "x".repeat(MAX_BYTES));
        let errs = errors_in(&text);
        assert_eq!(errs.len(), 1);
        assert_eq!(
            errs[0].message,
            "x.toml is 10.0 MB; Tryloyw reads at most 10.0 MB of TOML from one file"
        );
        assert_eq!(errs[0].location().unwrap(), "x.toml:1:1");
    }

    #[test]
    fn introspects_field_names() {
        assert_eq!(fields_of::<Demo>(), &["title", "weight"]);
    }
}
