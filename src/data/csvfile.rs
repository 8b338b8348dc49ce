//! CSV files read as a stream, one record at a time, so files of millions of rows never sit in
//! memory. Problems point at the line and the cell, quoting the line from the file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};

/// After this many problems in one file, the rest are counted, not listed.
const MAX_ERRORS_PER_FILE: usize = 20;

pub struct Columns<'a> {
    pub required: &'a [&'a str],
    pub optional: &'a [&'a str],
}

pub struct Table {
    abs: PathBuf,
    shown: PathBuf,
    columns: HashMap<String, usize>,
    reader: csv::Reader<File>,
    errors: usize,
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
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(file);
        let header_source = || first_line_source(abs, shown);
        let headers = reader.headers().map_err(|e| {
            vec![
                Diagnostic::error(format!(
                    "{}: cannot read the header row: {e}",
                    shown.display()
                ))
                .hint("the first line must name the columns, separated by commas; save as UTF-8"),
            ]
        })?;
        let mut columns = HashMap::new();
        let mut errors = Vec::new();
        let known: Vec<&str> = spec.required.iter().chain(spec.optional).copied().collect();
        for (i, name) in headers.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            if columns.insert(name.to_string(), i).is_some() {
                let (src, span) = cell_in_line(&header_source(), i);
                errors.push(
                    Diagnostic::error(format!("column `{name}` appears twice")).at(&src, span),
                );
            } else if !known.contains(&name) {
                let (src, span) = cell_in_line(&header_source(), i);
                let d = Diagnostic::error(format!("unknown column `{name}`")).at(&src, span);
                errors.push(match did_you_mean(name, known.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("the columns are: {}", known.join(", "))),
                });
            }
        }
        for required in spec.required {
            if !columns.contains_key(*required) {
                errors.push(
                    Diagnostic::error(format!("missing column `{required}`"))
                        .at(&header_source(), 0..0)
                        .hint(format!("add a `{required}` column to the header row")),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            abs: abs.to_path_buf(),
            shown: shown.to_path_buf(),
            columns,
            reader,
            errors: 0,
        })
    }

    /// Call `f` on every record. `f` returns the problems it found in the record; reading stops
    /// listing them after a limit, but keeps counting.
    pub fn for_each(&mut self, mut f: impl FnMut(&Row) -> Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut hidden = 0usize;
        loop {
            let more = match self.reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let d = self.read_error(&e);
                    self.errors += 1;
                    if out.len() < MAX_ERRORS_PER_FILE {
                        out.push(d);
                    } else {
                        hidden += 1;
                    }
                    // A bad record is skipped; an I/O error ends the file.
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            };
            if !more {
                break;
            }
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
                if out.len() < MAX_ERRORS_PER_FILE {
                    out.push(d);
                } else {
                    hidden += 1;
                }
            }
        }
        if hidden > 0 {
            out.push(
                Diagnostic::error(format!(
                    "{}: {hidden} more problems like these were not listed",
                    self.shown.display()
                ))
                .hint("fix the ones above and build again"),
            );
        }
        out
    }

    fn read_error(&self, e: &csv::Error) -> Diagnostic {
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
            let mut s = String::new();
            BufReader::new(f).read_line(&mut s)?;
            Ok(s)
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
        assert_eq!(errs.len(), MAX_ERRORS_PER_FILE + 1);
        assert!(errs.last().unwrap().message.contains("80 more problems"));
    }
}
