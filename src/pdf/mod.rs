//! Print-ready A4 PDFs of print editions, made by Typst as a library: no browser, no system
//! fonts. Each edition's chapters (the same HTML as the print page) become Typst markup, every
//! text value escaped; Typst lays it out and writes a tagged PDF/UA-1 file with the title and
//! language in its metadata, bookmarks for headings, and page numbers. Fonts are embedded:
//! DejaVu Sans (from the `dejavu` crate) for text, Typst's own fonts for code.

mod markup;
mod world;

use rayon::prelude::*;

use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::site::Site;

/// One edition's PDF, relative to the output root.
pub struct Pdf {
    /// The section the edition is of.
    pub section: PageId,
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A PDF of every print edition, in parallel.
pub fn editions(site: &Site, markdown: &[Rendered]) -> Result<Vec<Pdf>, Diagnostics> {
    let editions: Vec<(PageId, PageId)> = site
        .content
        .pages
        .iter()
        .enumerate()
        .filter_map(|(id, p)| p.print_of.map(|s| (id, s)))
        .collect();
    let results: Vec<Result<Pdf, Diagnostic>> = editions
        .par_iter()
        .map(|&(print, section)| edition(site, print, section, markdown))
        .collect();
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

/// Where an edition's PDF goes: beside its print page, named after the section.
pub fn path_of(site: &Site, print: PageId, section: PageId) -> String {
    let s = &site.content.pages[section];
    let name = s
        .path
        .trim_matches('/')
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("edition");
    format!(
        "{}{name}.pdf",
        site.content.pages[print].path.trim_start_matches('/')
    )
}

fn edition(
    site: &Site,
    print: PageId,
    section: PageId,
    markdown: &[Rendered],
) -> Result<Pdf, Diagnostic> {
    let source = markup::edition(site, section, markdown);
    let path = path_of(site, print, section);
    let bytes = world::compile(source, &path, site.data.today).map_err(|message| {
        Diagnostic::error(format!(
            "could not make the PDF of this print edition: {message}"
        ))
        .at(&site.content.pages[section].source, 0..0)
    })?;
    Ok(Pdf {
        section,
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
