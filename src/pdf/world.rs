//! The smallest Typst world: one generated source, embedded fonts only, a fixed date.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// Loaded once per process: parsing the fonts is the slow part.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let mut fonts: Vec<Font> = Vec::new();
    for data in [
        dejavu::sans::regular(),
        dejavu::sans::bold(),
        dejavu::sans::oblique(),
        dejavu::sans::bold_oblique(),
    ] {
        fonts.extend(Font::iter(Bytes::new(data)));
    }
    fonts.extend(typst_kit::fonts::embedded().map(|(font, _)| font));
    let book = FontBook::from_fonts(&fonts);
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(book),
        fonts,
    }
});

struct EditionWorld {
    main: Source,
    today: Datetime,
}

impl World for EditionWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Lay out Typst markup and write it as a tagged PDF/UA-1 file, dated `today`.
pub fn compile(source: String, ident: &str, today: jiff::civil::Date) -> Result<Vec<u8>, String> {
    let (world, document) = lay_out(source, today)?;
    write_pdf(&world, &document, ident, today)
}

/// The source as the PDF can show it. A character that none of the embedded fonts has, or from
/// the private use areas (which mean nothing outside the font that defines them), becomes
/// U+FFFD, the replacement character; U+FEFF and U+FFFE, which PDF/UA forbids in text and
/// which show nothing, are left out. PDF/UA forbids text drawn without a glyph, so one emoji
/// or Chinese character in a title would otherwise stop the PDF.
fn printable(source: String) -> String {
    let private =
        |c: char| matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let covered = |c: char| {
        c.is_ascii()
            || (!private(c)
                && SHARED
                    .fonts
                    .iter()
                    .any(|f| f.info().coverage.contains(c as u32)))
    };
    let shown = |c: char| !matches!(c, '\u{FEFF}' | '\u{FFFE}') && covered(c);
    if source.chars().all(shown) {
        return source;
    }
    let replacement = covered('\u{FFFD}').then_some('\u{FFFD}');
    source
        .chars()
        .filter_map(|c| match c {
            '\u{FEFF}' | '\u{FFFE}' => None,
            c if covered(c) => Some(c),
            _ => replacement,
        })
        .collect()
}

fn lay_out(
    source: String,
    today: jiff::civil::Date,
) -> Result<(EditionWorld, PagedDocument), String> {
    let date = Datetime::from_ymd(
        i32::from(today.year()),
        today.month() as u8,
        today.day() as u8,
    )
    .ok_or("the build date is out of range")?;
    let world = EditionWorld {
        main: Source::detached(printable(source)),
        today: date,
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| messages(&world, &errors))?;
    Ok((world, document))
}

fn write_pdf(
    world: &EditionWorld,
    document: &PagedDocument,
    ident: &str,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, String> {
    let midnight = Datetime::from_ymd_hms(
        i32::from(today.year()),
        today.month() as u8,
        today.day() as u8,
        0,
        0,
        0,
    )
    .ok_or("the build date is out of range")?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some("Tryloyw".to_string())),
        timestamp: Some(Timestamp::new_utc(midnight)),
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| messages(world, &errors))
}

fn messages(world: &EditionWorld, errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| {
            let at = typst::WorldExt::range(world, e.span)
                .map(|r| {
                    let text = world.main.text();
                    let start = r.start.saturating_sub(40);
                    let end = (r.end + 40).min(text.len());
                    let near = text.get(start..end).unwrap_or_default().replace('\n', " ");
                    format!(" (near `{near}`)")
                })
                .unwrap_or_default();
            format!("{}{at}", e.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escape::tests::hostile;
    use crate::escape::{typst_markup, typst_string};
    use proptest::prelude::*;
    use typst::foundations::{Label, Value};
    use typst::introspection::{Introspector, MetadataElem};
    use typst::utils::PicoStr;

    /// Typst code `value` as Typst evaluates it, in a document that also prints it (as markup
    /// when it is content) and is written as a PDF/UA-1 file, as the editions are.
    fn evaluate(value: &str, shown: &str) -> Result<Value, String> {
        let source = format!(
            "#set document(title: \"t\")\n#set text(lang: \"en\", font: (\"DejaVu Sans\",))\n#metadata({value}) <probe>\n{shown}\n"
        );
        let today = jiff::civil::date(2026, 11, 22);
        let (world, document) = lay_out(source, today)?;
        write_pdf(&world, &document, "probe", today)?;
        let label = Label::new(PicoStr::intern("probe")).ok_or("no label")?;
        let content = document
            .introspector()
            .query_label(label)
            .map_err(|e| e.to_string())?;
        content
            .to_packed::<MetadataElem>()
            .map(|m| m.value.clone())
            .ok_or_else(|| "not metadata".to_string())
    }

    /// What the escapes promise to keep: the text without control characters (for markup
    /// with each run of whitespace as one space), as the fonts can show it ([`printable`]).
    fn expected(text: &str, markup: bool) -> String {
        let mut kept = String::new();
        let mut space = false;
        for c in text.chars() {
            if markup && c.is_whitespace() && c != '\u{a0}' {
                if !space {
                    kept.push(' ');
                }
                space = true;
                continue;
            }
            // Left out before runs of whitespace are joined: " \0 " is one space.
            if c.is_control() && (markup || !matches!(c, '\t' | '\n' | '\r')) {
                continue;
            }
            space = false;
            kept.push(c);
        }
        let shown = printable(kept);
        if !markup {
            return shown;
        }
        // Spaces that a left-out U+FEFF brought together are one space to Typst too.
        let mut out = String::new();
        for c in shown.chars() {
            if !(c == ' ' && out.ends_with(' ')) {
                out.push(c);
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Escaped text in markup is one run of text to Typst: it evaluates to the original,
        /// runs nothing, and prints.
        #[test]
        fn typst_markup_evaluates_to_the_text(s in hostile()) {
            let e = typst_markup(&s);
            let value = evaluate(&format!("[{e}]"), &e);
            match value {
                Ok(Value::Content(c)) => {
                    let text = c.plain_text();
                    prop_assert_eq!(text.as_str(), expected(&s, true));
                }
                other => prop_assert!(false, "{:?} from {:?}", other, e),
            }
        }

        /// A string literal evaluates to the original string.
        #[test]
        fn typst_string_evaluates_to_the_text(s in hostile()) {
            let e = typst_string(&s);
            let value = evaluate(&e, &format!("#raw({e})"));
            match value {
                Ok(Value::Str(v)) => prop_assert_eq!(v.as_str(), expected(&s, false)),
                other => prop_assert!(false, "{:?} from {:?}", other, e),
            }
        }
    }

    #[test]
    fn characters_no_font_has_become_the_replacement_character() {
        assert_eq!(
            printable("ŵ 🙂 a\u{feff}\u{e000}".into()),
            "ŵ \u{FFFD} a\u{FFFD}"
        );
        assert_eq!(printable("Cymraeg".into()), "Cymraeg");
    }
}
