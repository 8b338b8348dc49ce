//! Shortcodes in Markdown: `{{ figure(data="searches", year=2023) }}`. They are found where a
//! first Markdown parse sees text (never in code or raw HTML; `\{{` escapes them), replaced by
//! inert placeholder tokens of the same byte length, so every other span in the page stays
//! exact, and their HTML is put back after.

use std::collections::BTreeMap;
use std::ops::Range;

/// An argument value: `"text"`, a number, or `true`/`false`.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
    Bool(bool),
}

impl Arg {
    pub fn as_text(&self) -> String {
        match self {
            Arg::Text(s) => s.clone(),
            Arg::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Arg::Number(n) => n.to_string(),
            Arg::Bool(b) => b.to_string(),
        }
    }
}

/// Arguments by name, each with its value and its span in the page.
pub type Args = BTreeMap<String, (Arg, Range<usize>)>;

#[derive(Debug, Clone)]
pub struct Shortcode {
    pub name: String,
    pub args: Args,
    /// Span of the whole `{{ … }}` in the page source.
    pub span: Range<usize>,
}

impl Shortcode {
    pub fn text(&self, key: &str) -> Option<String> {
        self.args.get(key).map(|(a, _)| a.as_text())
    }

    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.args
            .get(key)
            .map_or(self.span.clone(), |(_, s)| s.clone())
    }
}

/// A shortcode that could not be read: the problem and where.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

pub const TOKEN_START: char = '\u{E000}';
pub const TOKEN_END: char = '\u{E001}';

/// The placeholder for shortcode `n`, padded to `len` bytes (letters are inert in Markdown).
pub fn token(n: usize, len: usize) -> String {
    let mut t = format!("{TOKEN_START}{n}{TOKEN_END}");
    while t.len() < len {
        t.push('x');
    }
    t
}

/// Find the shortcodes in `text` (whose first byte is at `offset` in the file) that start
/// inside `prose`, the byte ranges of `text` where Markdown has text rather than code or raw
/// HTML. `\{{` is two braces, not a shortcode. Returns the text with placeholders, the
/// shortcodes, and any syntax errors.
pub fn extract(
    text: &str,
    offset: usize,
    prose: &[Range<usize>],
) -> (String, Vec<Shortcode>, Vec<SyntaxError>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut copied = 0;
    // `i` is where `{{` matched, `line_end` where `\n` did and `len` ends at a `}}`: every
    // slice below is on a char boundary, and `copied` is a previous `i + len`.
    for (i, _) in text.match_indices("{{") {
        if i < copied || !in_prose(prose, i) || escaped(text, i) {
            continue;
        }
        let line_end = text[i..].find('\n').map_or(text.len(), |e| i + e);
        let Some(len) = shortcode_len(&text[i..line_end]) else {
            continue;
        };
        let span = offset + i..offset + i + len;
        out.push_str(&text[copied..i]);
        match parse(&text[i..i + len], span.start) {
            Ok((name, args)) => {
                out.push_str(&token(found.len(), len));
                found.push(Shortcode { name, args, span });
            }
            Err(e) => {
                errors.push(e);
                out.push_str(&text[i..i + len]);
            }
        }
        copied = i + len;
    }
    out.push_str(&text[copied..]);
    (out, found, errors)
}

fn in_prose(prose: &[Range<usize>], at: usize) -> bool {
    let i = prose.partition_point(|r| r.end <= at);
    prose.get(i).is_some_and(|r| r.start <= at)
}

/// Whether the character at `at` follows an odd number of backslashes.
fn escaped(text: &str, at: usize) -> bool {
    text[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// Length of `{{ name( … ) }}` at the start of `s`, if it looks like a shortcode at all.
/// `s` starts with `{{`; `ident_len` counts ASCII bytes; the `}}` found comes after the `(`.
fn shortcode_len(s: &str) -> Option<usize> {
    let rest = s[2..].trim_start();
    let ident_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
        .count();
    if ident_len == 0 || !rest[ident_len..].trim_start().starts_with('(') {
        return None;
    }
    s.find("}}").map(|end| end + 2)
}

fn parse(s: &str, start: usize) -> Result<(String, Args), SyntaxError> {
    let err = |message: String, at: usize| SyntaxError {
        message,
        span: start + at..start + s.len(),
    };
    // `s` is `{{ name(…) }}` as `shortcode_len` measured it: it starts with `{{`, ends with
    // `}}`, and only spaces and the name come before the first `(`, so any `)` is after it.
    let inner = &s[2..s.len() - 2];
    let open = inner
        .find('(')
        .ok_or_else(|| err("expected `(`".into(), 0))?;
    let name = inner[..open].trim().to_string();
    let close = inner
        .rfind(')')
        .ok_or_else(|| err("shortcode is not closed with `)`".into(), 0))?;
    if !inner[close + 1..].trim().is_empty() {
        return Err(err("unexpected text after `)`".into(), 2 + close + 1));
    }
    let body = &inner[open + 1..close];
    let body_start = 2 + open + 1;
    let mut args = BTreeMap::new();
    let mut pos = 0;
    let bytes = body.as_bytes();
    // `pos` moves past ASCII bytes, whole chars or to a `find` of ASCII: always a char
    // boundary, and `bytes[pos]` is read only while `pos < body.len()`.
    loop {
        while pos < body.len() && (bytes[pos] == b' ' || bytes[pos] == b',') {
            pos += 1;
        }
        if pos >= body.len() {
            break;
        }
        let key_start = pos;
        while pos < body.len() && (bytes[pos].is_ascii_alphanumeric() || bytes[pos] == b'_') {
            pos += 1;
        }
        let key = &body[key_start..pos];
        if key.is_empty() {
            return Err(err(
                format!("expected an argument name, found `{}`", &body[pos..]),
                body_start + pos,
            ));
        }
        while pos < body.len() && bytes[pos] == b' ' {
            pos += 1;
        }
        if pos >= body.len() || bytes[pos] != b'=' {
            return Err(err(format!("expected `=` after `{key}`"), body_start + pos));
        }
        pos += 1;
        while pos < body.len() && bytes[pos] == b' ' {
            pos += 1;
        }
        let value_start = pos;
        let value = if body[pos..].starts_with('"') {
            pos += 1;
            let mut text = String::new();
            loop {
                match body[pos..].chars().next() {
                    None => {
                        return Err(err(
                            format!("the text for `{key}` has no closing quote"),
                            body_start + value_start,
                        ));
                    }
                    Some('"') => {
                        pos += 1;
                        break;
                    }
                    Some('\\') if body[pos + 1..].starts_with('"') => {
                        text.push('"');
                        pos += 2;
                    }
                    Some(c) => {
                        text.push(c);
                        pos += c.len_utf8();
                    }
                }
            }
            Arg::Text(text)
        } else {
            let end = body[pos..].find([',', ' ']).map_or(body.len(), |e| pos + e);
            let raw = &body[pos..end];
            pos = end;
            match raw {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                n => Arg::Number(n.parse().map_err(|_| {
                    err(
                        format!(
                            "`{key}` must be text in quotes, a number, true or false, not `{n}`"
                        ),
                        body_start + value_start,
                    )
                })?),
            }
        };
        let span = start + body_start + key_start..start + body_start + pos;
        if args.insert(key.to_string(), (value, span)).is_some() {
            return Err(err(
                format!("`{key}` is given twice"),
                body_start + key_start,
            ));
        }
    }
    Ok((name, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, offset: usize) -> (String, Vec<Shortcode>, Vec<SyntaxError>) {
        extract(text, offset, std::slice::from_ref(&(0..text.len())))
    }

    #[test]
    fn finds_shortcodes_and_keeps_lengths() {
        let text = "A {{ figure(data=\"searches\", year=2023) }} b.\n{{ table(data=\"organisations\", caption=\"Say \\\"hi\\\"\") }}\n";
        let (out, found, errors) = all(text, 10);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(out.len(), text.len());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "figure");
        assert_eq!(found[0].args["year"].0, Arg::Number(2023.0));
        assert_eq!(
            &text[found[0].span.start - 10..found[0].span.end - 10],
            "{{ figure(data=\"searches\", year=2023) }}"
        );
        assert_eq!(found[1].text("caption").unwrap(), "Say \"hi\"");
    }

    #[test]
    fn only_in_prose_and_not_after_a_backslash() {
        let text = "{{ a(x=1) }} `{{ b(x=1) }}` \\{{ c(x=1) }} \\\\{{ d(x=1) }}";
        let code = text.find('`').unwrap()..text.rfind('`').unwrap() + 1;
        let prose = [0..code.start, code.end..text.len()];
        let (_, found, _) = extract(text, 0, &prose);
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "d"]);
    }

    #[test]
    fn syntax_errors_have_spans() {
        let (_, found, errors) = all("{{ figure(data=\"x) }}\n{{ table(year=20x3) }}\n", 0);
        assert!(found.is_empty());
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("no closing quote"));
        assert!(errors[1].message.contains("not `20x3`"));
    }

    #[test]
    fn plain_braces_are_not_shortcodes() {
        let (out, found, errors) = all("Use {{ and }} freely, or {{name}}.\n", 0);
        assert!(found.is_empty() && errors.is_empty());
        assert_eq!(out, "Use {{ and }} freely, or {{name}}.\n");
    }
}
