//! Errors and warnings as values: each carries its source text, a byte span, a message and a
//! hint, so it can be shown in a terminal, as JSON, or (later) in the browser overlay.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file the build read, kept so diagnostics can quote it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path as shown to the user: relative to the site root where possible.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// The line number of `text`'s first line: 1 for a whole file, more for a window into a
    /// file too large to keep (one line of a large CSV file).
    pub first_line: usize,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self::window(path, text, 1)
    }

    pub fn window(path: impl Into<PathBuf>, text: impl Into<Arc<str>>, first_line: usize) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            first_line: first_line.max(1),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        // Clamped to the text and a char boundary, so any span, even a wrong one, is shown.
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + self.first_line;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

/// Characters of a line a snippet shows at most; a longer line (minified HTML, a CSV header
/// of thousands of columns, TOML nested on one line) is cut around the span, so the message
/// stays readable and its size does not grow with the input.
const SHOWN_CHARS: usize = 120;
/// Characters shown before the span in a cut line.
const CONTEXT_CHARS: usize = 40;

/// The part of `line` to show for a span starting at character `col0` and `width` characters
/// wide: the text (with `…` where it was cut), the underline's indent and its width.
fn clip(line: &str, col0: usize, width: usize) -> (String, usize, usize) {
    let total = line.chars().count();
    if total <= SHOWN_CHARS {
        return (line.to_string(), col0, width);
    }
    let first = col0.saturating_sub(CONTEXT_CHARS).min(total);
    let last = (first + SHOWN_CHARS).min(total);
    let byte = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    // Byte offsets from `char_indices`: char boundaries.
    let (from, to) = (byte(first), byte(last));
    let before = if first > 0 { "…" } else { "" };
    let after = if last < total { "…" } else { "" };
    let shown = format!("{before}{}{after}", &line[from..to]);
    let pad = col0 - first + before.chars().count();
    let width = width.min(last.saturating_sub(col0)).max(1);
    (shown, pad, width)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where it happened; `None` for problems that belong to no file (a missing folder).
    pub source: Option<SourceFile>,
    pub span: Range<usize>,
    /// Short text under the underline.
    pub label: Option<String>,
    pub hint: Option<String>,
    /// A stable name for the kind of problem (`missing-twin`), for reports that select some.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            source: None,
            span: 0..0,
            label: None,
            hint: None,
            code: None,
        }
    }

    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, source: &SourceFile, span: Range<usize>) -> Self {
        self.source = Some(source.clone());
        self.span = span;
        self
    }

    /// A diagnostic about a whole file (no useful span): points at its start.
    pub fn in_file(self, source: &SourceFile) -> Self {
        self.at(source, 0..0)
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, or just the path, or nothing.
    pub fn location(&self) -> Option<String> {
        let source = self.source.as_ref()?;
        let (line, col) = source.line_col(self.span.start);
        Some(format!("{}:{line}:{col}", source.path.display()))
    }

    /// Sort key that gives a stable order: by file, then position, then message.
    fn sort_key(&self) -> (Option<&Path>, usize, &str) {
        (
            self.source.as_ref().map(|s| s.path.as_path()),
            self.span.start,
            &self.message,
        )
    }

    /// Render for a terminal: `path:line:col: error: message`, the line with the span
    /// underlined, then the hint.
    pub fn render(&self, color: bool) -> String {
        let style = Styles::new(color, self.severity);
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(loc) = self.location() {
            let _ = write!(out, "{}{loc}:{} ", style.bold, style.reset);
        }
        let _ = writeln!(
            out,
            "{}{kind}:{} {}{}{}",
            style.level, style.reset, style.bold, self.message, style.reset
        );
        if let Some(source) = &self.source {
            self.render_snippet(source, &style, &mut out);
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  {}hint:{} {hint}", style.hint, style.reset);
        }
        out
    }

    fn render_snippet(&self, source: &SourceFile, style: &Styles, out: &mut String) {
        let text = &source.text;
        // `start` and `end` are clamped to the text and to char boundaries; the line ends
        // come from finding `\n`.
        let start = floor_char_boundary(text, self.span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        let (line_no, col) = source.line_col(start);
        let end = floor_char_boundary(text, self.span.end.clamp(start, line_end));
        let width = text[start..end].chars().count().max(1);
        let (shown, pad, width) = clip(line, col - 1, width);
        let gutter = line_no.to_string().len();
        let _ = writeln!(out, "{:gutter$} {}|{}", "", style.gutter, style.reset);
        let _ = writeln!(
            out,
            "{}{line_no} |{} {}",
            style.gutter,
            style.reset,
            shown.replace('\t', " ")
        );
        let _ = writeln!(
            out,
            "{:gutter$} {}|{} {}{}{}{}{}",
            "",
            style.gutter,
            style.reset,
            " ".repeat(pad),
            style.level,
            "^".repeat(width),
            self.label
                .as_ref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default(),
            style.reset,
        );
    }

    pub fn to_json(&self) -> serde_json::Value {
        let (file, line, column) = match &self.source {
            Some(s) => {
                let (l, c) = s.line_col(self.span.start);
                (Some(s.path.display().to_string()), Some(l), Some(c))
            }
            None => (None, None, None),
        };
        serde_json::json!({
            "severity": self.severity,
            "message": self.message,
            "file": file,
            "line": line,
            "column": column,
            "label": self.label,
            "hint": self.hint,
            "code": self.code,
        })
    }
}

struct Styles {
    bold: String,
    level: String,
    gutter: String,
    hint: String,
    reset: String,
}

impl Styles {
    fn new(color: bool, severity: Severity) -> Self {
        use anstyle::{AnsiColor, Style};
        if !color {
            return Styles {
                bold: String::new(),
                level: String::new(),
                gutter: String::new(),
                hint: String::new(),
                reset: String::new(),
            };
        }
        let level = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
        };
        Styles {
            bold: Style::new().bold().render().to_string(),
            level: Style::new()
                .bold()
                .fg_color(Some(level.into()))
                .render()
                .to_string(),
            gutter: Style::new()
                .fg_color(Some(AnsiColor::Blue.into()))
                .render()
                .to_string(),
            hint: Style::new()
                .bold()
                .fg_color(Some(AnsiColor::Cyan.into()))
                .render()
                .to_string(),
            reset: anstyle::Reset.render().to_string(),
        }
    }
}

/// A size in bytes as messages show it: `11.0 MB`.
pub fn megabytes(n: u64) -> String {
    format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
}

/// Problems listed from one file; the rest are counted. Each listed problem quotes its line,
/// and finding a line costs a pass over the text, so listing them all grows with the square
/// of the file (a TOML file of 100,000 broken lines took minutes).
pub const MAX_LISTED: usize = 20;

/// The note after the first [`MAX_LISTED`] of `total` problems in one file.
pub fn unlisted(path: &Path, total: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "{}: {total} problems; only the first {MAX_LISTED} are listed",
        path.display()
    ))
    .hint("fix the ones listed and build again")
}

/// Everything one build found wrong, collected rather than returned at the first problem.
#[derive(Default, Debug)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Diagnostics in a stable order (parallel stages push in any order).
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (b.severity == Severity::Error)
                .cmp(&(a.severity == Severity::Error))
                .then_with(|| a.sort_key().cmp(&b.sort_key()))
        });
        self.items.dedup_by(|a, b| {
            a.message == b.message
                && a.span == b.span
                && a.source.as_ref().map(|s| &s.path) == b.source.as_ref().map(|s| &s.path)
        });
        self.items
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(ds: I) -> Self {
        Diagnostics {
            items: ds.into_iter().collect(),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest candidate to `word`, for "did you mean" hints: close by Jaro-Winkler (shared
/// prefixes) or within a typo or two by Damerau-Levenshtein (swapped letters in short words).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let allowed_edits = if word.chars().count() >= 6 { 2 } else { 1 };
    candidates
        .into_iter()
        .filter(|c| {
            strsim::jaro_winkler(word, c) > 0.8
                || strsim::damerau_levenshtein(word, c) <= allowed_edits
        })
        .min_by(|a, b| {
            let score = |c: &str| {
                (
                    strsim::damerau_levenshtein(word, c),
                    -strsim::jaro_winkler(word, c),
                )
            };
            score(a)
                .partial_cmp(&score(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a.md", "ŵ\nŷâ x");
        assert_eq!(f.line_col(0), (1, 1));
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, 4));
    }

    #[test]
    fn render_underlines_span_and_shows_hint() {
        let f = SourceFile::new("site.toml", "titel = \"x\"\n");
        let d = Diagnostic::error("unknown field `titel`")
            .at(&f, 0..5)
            .label("not a site.toml field")
            .hint("did you mean `title`?");
        let out = d.render(false);
        assert!(out.starts_with("site.toml:1:1: error: unknown field `titel`\n"));
        assert!(out.contains("1 | titel = \"x\""));
        assert!(out.contains("  | ^^^^^ not a site.toml field"));
        assert!(out.contains("hint: did you mean `title`?"));
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        // Past column 65,535 the underline's padding once overflowed the formatter and
        // panicked; a CSV header of 10,000 columns put errors there.
        let line = format!("{}BAD{}", "x".repeat(70_000), "y".repeat(70_000));
        let f = SourceFile::new("data/wide.csv", format!("{line}\nnext\n"));
        let d = Diagnostic::error("unknown column").at(&f, 70_000..70_003);
        let out = d.render(false);
        assert!(
            out.starts_with("data/wide.csv:1:70001: error: unknown column\n"),
            "{out}"
        );
        assert!(out.len() < 600, "{} bytes:\n{out}", out.len());
        let shown = format!("1 | …{}BAD{}…\n", "x".repeat(40), "y".repeat(77));
        assert!(out.contains(&shown), "{out}");
        let underline = format!("  | {}^^^\n", " ".repeat(41));
        assert!(out.contains(&underline), "{out}");
    }

    #[test]
    fn long_lines_keep_their_start_when_the_span_is_near_it() {
        let line = format!("ab{}", "z".repeat(500));
        let f = SourceFile::new("x.toml", line);
        let out = Diagnostic::error("e").at(&f, 0..2).render(false);
        assert!(
            out.contains(&format!("1 | ab{}…\n", "z".repeat(118))),
            "{out}"
        );
        assert!(out.contains("  | ^^\n"), "{out}");
    }

    #[test]
    fn suggestions_only_for_close_words() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
        assert_eq!(did_you_mean("hwo", ["who", "what"]), Some("who"));
        assert_eq!(
            did_you_mean("a", ["b"]),
            Some("b"),
            "one edit allowed in short words"
        );
        assert_eq!(did_you_mean("ab", ["xy"]), None);
    }
}
