//! CSV files read as a stream, one record at a time, so files of millions of rows never sit in
//! memory. Problems point at the line and the cell, quoting the line from the file.
//!
//! Hostile files are bounded: a record (row) longer than [`MAX_RECORD_BYTES`] stops the file
//! before it fills memory, a file stops after [`MAX_ROWS`] rows (callers may set fewer), and
//! at most [`MAX_LISTED`] problems are listed per file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::diagnostics::{MAX_LISTED, unlisted};

/// The longest record (a row, or the header) read: 1 MB, hundreds of times the longest row of
/// the bundled data. The reader holds a record whole, so without a limit a file with no line
/// breaks would be read into memory entire; 10,000 columns of short values fit.
pub const MAX_RECORD_BYTES: u64 = 1024 * 1024;

/// Rows read from one CSV file: 500,000, six times the bundled site's five years of usage
/// statistics. What is built from the rows (downloads, charts, pages) grows with them; see
/// the README's limits for what this costs in memory.
pub const MAX_ROWS: usize = 500_000;

/// The csv crate's read buffer: how far reading runs ahead of the record being parsed.
const READ_AHEAD: u64 = 8 * 1024;

pub struct Columns<'a> {
    pub required: &'a [&'a str],
    pub optional: &'a [&'a str],
}

pub struct Table {
    abs: PathBuf,
    shown: PathBuf,
    columns: HashMap<String, usize>,
    reader: csv::Reader<Counted>,
    /// The byte offset past which the reader may not read: the current record's start plus
    /// [`MAX_RECORD_BYTES`] (and the read-ahead).
    stop_at: Arc<AtomicU64>,
    rows: usize,
    row_limit: RowLimit,
    over_limit: bool,
}

/// How many rows a file may have, and what is said at the first row past them.
pub struct RowLimit {
    pub rows: usize,
    pub message: String,
    pub hint: String,
}

impl Default for RowLimit {
    fn default() -> Self {
        RowLimit {
            rows: MAX_ROWS,
            message: format!("too many rows: Tryloyw reads at most {MAX_ROWS} from one CSV file"),
            hint: "split the file, or sum the rows the site does not show one by one".into(),
        }
    }
}

/// The file, counting what is read, so a record that never ends is stopped at the limit.
struct Counted {
    file: File,
    read: u64,
    stop_at: Arc<AtomicU64>,
}

/// The error a [`Counted`] reader stops with.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLong {}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read > self.stop_at.load(Ordering::Relaxed) {
            return Err(io::Error::other(RecordTooLong));
        }
        let n = self.file.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

fn is_too_long(e: &csv::Error) -> bool {
    match e.kind() {
        csv::ErrorKind::Io(io) => io
            .get_ref()
            .is_some_and(|inner| inner.is::<RecordTooLong>()),
        _ => false,
    }
}

/// One record, with what is needed to report a problem in one of its cells.
pub struct Row<'t> {
    table: &'t Table,
    record: &'t csv::StringRecord,
    position: csv::Position,
}

impl Table {
    pub fn open(abs: &Path, shown: &Path, spec: &Columns) -> Result<Table, Vec<Diagnostic>> {
        let file = File::open(abs).map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot read {}: {e}",
                shown.display()
            ))]
        })?;
        let stop_at = Arc::new(AtomicU64::new(MAX_RECORD_BYTES + READ_AHEAD));
        let counted = Counted {
            file,
            read: 0,
            stop_at: Arc::clone(&stop_at),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(counted);
        let header_source = || first_line_source(abs, shown);
        let headers = reader.headers().map_err(|e| {
            let d = if is_too_long(&e) {
                Diagnostic::error(format!(
                    "the header row is longer than {}",
                    megabytes(MAX_RECORD_BYTES)
                ))
                .at(&header_source(), 0..0)
            } else {
                Diagnostic::error(format!(
                    "{}: cannot read the header row: {e}",
                    shown.display()
                ))
            };
            vec![d.hint("the first line must name the columns, separated by commas; save as UTF-8")]
        })?;
        let mut columns = HashMap::new();
        let mut errors = Vec::new();
        let mut hidden = 0;
        let mut report = |make: &dyn Fn() -> Diagnostic| {
            if errors.len() < MAX_LISTED {
                errors.push(make());
            } else {
                hidden += 1;
            }
        };
        let known: Vec<&str> = spec.required.iter().chain(spec.optional).copied().collect();
        for (i, name) in headers.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            if columns.insert(name.to_string(), i).is_some() {
                report(&|| {
                    let (src, span) = cell_in_line(&header_source(), i);
                    Diagnostic::error(format!("column `{name}` appears twice")).at(&src, span)
                });
            } else if !known.contains(&name) {
                report(&|| {
                    let (src, span) = cell_in_line(&header_source(), i);
                    let d = Diagnostic::error(format!("unknown column `{name}`")).at(&src, span);
                    match did_you_mean(name, known.iter().copied()) {
                        Some(s) => d.hint(format!("did you mean `{s}`?")),
                        None => d.hint(format!("the columns are: {}", known.join(", "))),
                    }
                });
            }
        }
        for required in spec.required {
            if !columns.contains_key(*required) {
                report(&|| {
                    Diagnostic::error(format!("missing column `{required}`"))
                        .at(&header_source(), 0..0)
                        .hint(format!("add a `{required}` column to the header row"))
                });
            }
        }
        if hidden > 0 {
            errors.push(unlisted(shown, errors.len() + hidden));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            abs: abs.to_path_buf(),
            shown: shown.to_path_buf(),
            columns,
            reader,
            stop_at,
            rows: 0,
            row_limit: RowLimit::default(),
            over_limit: false,
        })
    }

    /// Read at most `limit.rows` rows (fewer than [`MAX_ROWS`]: a limit shared by several
    /// files).
    pub fn limit_rows(&mut self, limit: RowLimit) {
        self.row_limit = RowLimit {
            rows: limit.rows.min(MAX_ROWS),
            ..limit
        };
    }

    /// The rows read so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Reading stopped at the row limit.
    pub fn over_limit(&self) -> bool {
        self.over_limit
    }

    /// Call `f` on every record. `f` returns the problems it found in the record; reading stops
    /// listing them after a limit, but keeps counting.
    pub fn for_each(&mut self, mut f: impl FnMut(&Row) -> Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut hidden = 0usize;
        let mut add = |out: &mut Vec<Diagnostic>, d: Diagnostic| {
            if out.len() < MAX_LISTED {
                out.push(d);
            } else {
                hidden += 1;
            }
        };
        loop {
            let start = self.reader.position().clone();
            self.stop_at.store(
                start.byte() + MAX_RECORD_BYTES + READ_AHEAD,
                Ordering::Relaxed,
            );
            let more = match self.reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    add(&mut out, self.read_error(&e, &start));
                    // A bad record is skipped; an I/O error (or a record too long) ends the file.
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            };
            if !more {
                break;
            }
            if self.rows == self.row_limit.rows {
                let src = line_source(&self.abs, &self.shown, Some(&start));
                add(
                    &mut out,
                    Diagnostic::error(self.row_limit.message.clone())
                        .at(&src, 0..0)
                        .label("the first row past the limit")
                        .hint(self.row_limit.hint.clone()),
                );
                self.over_limit = true;
                break;
            }
            self.rows += 1;
            let position = record
                .position()
                .cloned()
                .unwrap_or_else(csv::Position::new);
            let row = Row {
                table: self,
                record: &record,
                position,
            };
            for d in f(&row) {
                add(&mut out, d);
            }
        }
        if hidden > 0 {
            out.push(unlisted(&self.shown, out.len() + hidden));
        }
        out
    }

    fn read_error(&self, e: &csv::Error, start: &csv::Position) -> Diagnostic {
        if is_too_long(e) {
            let src = line_source(&self.abs, &self.shown, Some(start));
            return Diagnostic::error(format!(
                "this row is longer than {}; the rest of the file was not read",
                megabytes(MAX_RECORD_BYTES)
            ))
            .at(&src, 0..0)
            .hint("check for a quote (\") that is never closed; a value may span lines only inside quotes");
        }
        match e.kind() {
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
            } => {
                let line = pos.as_ref().map_or(0, csv::Position::line);
                let src = line_source(&self.abs, &self.shown, pos.as_ref());
                Diagnostic::error(format!(
                    "this row has {len} fields, but the header has {expected_len}"
                ))
                .at(&src, 0..src.text.trim_end().len())
                .hint(format!(
                    "check line {line} for a missing or extra comma; quote values that contain commas"
                ))
            }
            csv::ErrorKind::Utf8 { pos, .. } => {
                let src = line_source(&self.abs, &self.shown, pos.as_ref());
                Diagnostic::error("this row is not valid UTF-8")
                    .at(&src, 0..0)
                    .hint("save the file as UTF-8")
            }
            _ => Diagnostic::error(format!("{}: {e}", self.shown.display())),
        }
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}

impl Row<'_> {
    pub fn line(&self) -> u64 {
        self.position.line()
    }

    /// The cell in `column` (trimmed); empty when the column is absent (optional columns).
    pub fn get(&self, column: &str) -> &str {
        self.table
            .columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// The line (as a one-line source) and the span of the cell in `column`.
    pub fn locate(&self, column: &str) -> (SourceFile, std::ops::Range<usize>) {
        let src = line_source(&self.table.abs, &self.table.shown, Some(&self.position));
        let index = self.table.columns.get(column).copied().unwrap_or(0);
        cell_in_line(&src, index)
    }

    /// A problem with the cell in `column`, quoting the line.
    pub fn error(&self, column: &str, message: impl Into<String>) -> Diagnostic {
        let (src, span) = self.locate(column);
        Diagnostic::error(message).at(&src, span)
    }

    /// A required, non-empty cell.
    pub fn required(&self, column: &str) -> Result<&str, Diagnostic> {
        match self.get(column) {
            "" => Err(self
                .error(column, format!("`{column}` is empty"))
                .hint(format!("every row needs a `{column}`"))),
            s => Ok(s),
        }
    }

    pub fn parse<T: FromStr>(&self, column: &str, what: &str) -> Result<T, Diagnostic> {
        let raw = self.required(column)?;
        raw.parse()
            .map_err(|_| self.error(column, format!("`{column}` must be {what}, not `{raw}`")))
    }
}

/// The file's first line as a source, for header problems.
fn first_line_source(abs: &Path, shown: &Path) -> SourceFile {
    line_source(abs, shown, None)
}

/// The raw text of the line at `pos` (or the first line), as a one-line source window that
/// knows its line number, so large files are never read whole for an error message.
fn line_source(abs: &Path, shown: &Path, pos: Option<&csv::Position>) -> SourceFile {
    let (byte, line) = pos.map_or((0, 1), |p| (p.byte(), p.line()));
    let text = File::open(abs)
        .and_then(|mut f| {
            f.seek(SeekFrom::Start(byte))?;
            // Never more than a record's worth, even of a file with no line breaks.
            let mut line = Vec::new();
            BufReader::new(f.take(MAX_RECORD_BYTES)).read_until(b'\n', &mut line)?;
            Ok(String::from_utf8_lossy(&line).into_owned())
        })
        .unwrap_or_default();
    SourceFile::window(shown, text, line as usize)
}

/// The byte span of cell `index` within a one-line source (quote-aware).
fn cell_in_line(src: &SourceFile, index: usize) -> (SourceFile, std::ops::Range<usize>) {
    let line = src.text.trim_end_matches(['\n', '\r']);
    let mut start = 0;
    let mut cell = 0;
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if cell == index {
                    return (src.clone(), start..i);
                }
                cell += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    let span = if cell == index {
        start..line.len()
    } else {
        line.len()..line.len()
    };
    (src.clone(), span)
}

/// Split a `;`-separated list cell into trimmed, non-empty items.
pub fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    const SPEC: Columns = Columns {
        required: &["id", "count"],
        optional: &["note"],
    };

    #[test]
    fn header_problems_are_all_reported() {
        let (_d, p) = write("id,cuont,extra\n1,2,3\n");
        let errs = Table::open(&p, Path::new("data/t.csv"), &SPEC)
            .err()
            .unwrap();
        let msgs: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "unknown column `cuont`",
                "unknown column `extra`",
                "missing column `count`"
            ]
        );
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `count`?"));
        assert_eq!(errs[0].location().unwrap(), "data/t.csv:1:4");
    }

    #[test]
    fn cell_errors_point_at_their_line_and_cell() {
        let (_d, p) = write("id,count,note\na,1,x\nb,\"lots, really\",y\nc,3\n");
        let mut t = Table::open(&p, Path::new("t.csv"), &SPEC).unwrap();
        let errs = t.for_each(|row| match row.parse::<u64>("count", "a whole number") {
            Ok(_) => vec![],
            Err(e) => vec![e],
        });
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].location().unwrap(), "t.csv:3:3");
        assert_eq!(
            errs[0].message,
            "`count` must be a whole number, not `lots, really`"
        );
        assert!(errs[0].render(false).contains("3 | b,\"lots, really\",y"));
        assert!(
            errs[1].message.contains("2 fields, but the header has 3"),
            "{}",
            errs[1].message
        );
        assert_eq!(errs[1].location().unwrap(), "t.csv:4:1");
    }

    #[test]
    fn a_header_of_ten_thousand_columns_lists_twenty_problems() {
        let mut header = String::from("id,count");
        for i in 0..9_998 {
            header.push_str(&format!(",extra{i}"));
        }
        let (_d, p) = write(&format!("{header}\n"));
        let errs = Table::open(&p, Path::new("t.csv"), &SPEC).err().unwrap();
        assert_eq!(errs.len(), MAX_LISTED + 1);
        assert_eq!(errs[19].message, "unknown column `extra19`");
        assert_eq!(
            errs[20].message,
            "t.csv: 9998 problems; only the first 20 are listed"
        );
    }

    #[test]
    fn a_row_longer_than_the_limit_stops_the_file() {
        // No line break and no closing quote: the reader would hold it all.
        let long = "x".repeat(2 * MAX_RECORD_BYTES as usize);
        let (_d, p) = write(&format!("id,count\na,1\n\"{long}\nb,2\n"));
        let mut t = Table::open(&p, Path::new("t.csv"), &SPEC).unwrap();
        let mut seen = Vec::new();
        let errs = t.for_each(|row| {
            seen.push(row.get("id").to_string());
            vec![]
        });
        assert_eq!(seen, ["a"]);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].message,
            "this row is longer than 1 MB; the rest of the file was not read"
        );
        assert_eq!(errs[0].location().unwrap(), "t.csv:3:1");
        assert!(errs[0].source.as_ref().unwrap().text.len() <= MAX_RECORD_BYTES as usize);
    }

    #[test]
    fn a_header_longer_than_the_limit_is_refused() {
        let long = "x".repeat(2 * MAX_RECORD_BYTES as usize);
        let (_d, p) = write(&long);
        let errs = Table::open(&p, Path::new("t.csv"), &SPEC).err().unwrap();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "the header row is longer than 1 MB");
        assert_eq!(errs[0].location().unwrap(), "t.csv:1:1");
    }

    #[test]
    fn reading_stops_at_the_row_limit() {
        let (_d, p) = write("id,count\na,1\nb,2\nc,3\nd,4\n");
        let mut t = Table::open(&p, Path::new("t.csv"), &SPEC).unwrap();
        t.limit_rows(RowLimit {
            rows: 2,
            message: "too many".into(),
            hint: "fewer".into(),
        });
        let mut seen = Vec::new();
        let errs = t.for_each(|row| {
            seen.push(row.get("id").to_string());
            vec![]
        });
        assert_eq!(seen, ["a", "b"]);
        assert_eq!(t.rows(), 2);
        assert!(t.over_limit());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "too many");
        assert_eq!(errs[0].location().unwrap(), "t.csv:4:1");
        assert_eq!(errs[0].hint.as_deref(), Some("fewer"));
    }

    #[test]
    fn error_lists_are_capped() {
        let mut text = String::from("id,count\n");
        for i in 0..100 {
            text.push_str(&format!("{i},x\n"));
        }
        let (_d, p) = write(&text);
        let mut t = Table::open(&p, Path::new("t.csv"), &SPEC).unwrap();
        let errs = t.for_each(|row| {
            row.parse::<u64>("count", "a number")
                .err()
                .into_iter()
                .collect()
        });
        assert_eq!(errs.len(), MAX_LISTED + 1);
        assert_eq!(
            errs.last().unwrap().message,
            "t.csv: 100 problems; only the first 20 are listed"
        );
    }
}
