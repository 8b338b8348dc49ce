//! Print-ready A4 PDFs of print editions, made by Typst as a library: no browser, no system
//! fonts. Each edition's chapters (the same HTML as the print page) become Typst markup, every
//! text value escaped; Typst lays it out and writes a tagged PDF/UA-1 file with the title and
//! language in its metadata, bookmarks for headings, and page numbers. Charts are drawn from
//! their SVG (its text in the same embedded fonts), footnotes become Typst footnotes. Fonts are
//! embedded: DejaVu Sans (from the `dejavu` crate) for text, Typst's own fonts for code.

mod markup;
mod world;

use rayon::prelude::*;

use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::print::Edition;
use crate::site::Site;

/// One edition's PDF, relative to the output root.
pub struct Pdf {
    /// The page or section the edition is of.
    pub source: PageId,
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A PDF of every print edition, in parallel.
pub fn editions(site: &Site, editions: &[Edition]) -> Result<Vec<Pdf>, Diagnostics> {
    let results: Vec<Result<Pdf, Diagnostic>> =
        editions.par_iter().map(|e| edition(site, e)).collect();
    let mut diags = Diagnostics::new();
    let mut pdfs = Vec::new();
    for r in results {
        match r {
            Ok(p) => pdfs.push(p),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(pdfs)
}

/// Where an edition's PDF goes: beside its print page, named after what it is of: the
/// section (`code-of-practice.pdf`), or the page and its section (`annual-report-2025.pdf`).
pub fn path_of(site: &Site, source: PageId) -> String {
    let content = &site.content;
    let s = &content.pages[source];
    let last = |path: &str| {
        path.trim_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut name = last(&s.path);
    if !s.is_section
        && let Some(parent) = s.parent
        && content.home(s.lang) != Some(parent)
    {
        name = format!("{}-{name}", last(&content.pages[parent].path));
    }
    if name.is_empty() {
        name = "edition".to_string();
    }
    let folder = content
        .get(&format!("{}#print", s.key), s.lang)
        .map_or(s.path.as_str(), |p| p.path.as_str());
    format!("{}{name}.pdf", folder.trim_start_matches('/'))
}

fn edition(site: &Site, e: &Edition) -> Result<Pdf, Diagnostic> {
    let source = markup::edition(site, e);
    let path = path_of(site, e.source);
    let bytes = world::compile(source, &path, site.data.today).map_err(|message| {
        Diagnostic::error(format!(
            "could not make the PDF of this print edition: {message}"
        ))
        .at(&site.content.pages[e.source].source, 0..0)
    })?;
    Ok(Pdf {
        source: e.source,
        path,
        bytes,
    })
}

/// "212 KB", "1.4 MB": the size shown beside the download link.
pub fn size(bytes: usize) -> String {
    if bytes < 1000 * 1000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}
