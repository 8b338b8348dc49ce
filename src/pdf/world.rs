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
    let date = Datetime::from_ymd(
        i32::from(today.year()),
        today.month() as u8,
        today.day() as u8,
    )
    .ok_or("the build date is out of range")?;
    let world = EditionWorld {
        main: Source::detached(source),
        today: date,
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| messages(&world, &errors))?;
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
    typst_pdf::pdf(&document, &options).map_err(|errors| messages(&world, &errors))
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
