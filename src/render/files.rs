//! Outputs that are copies of files already made: the site's own files (theme and site static
//! files, files beside the content), and the datasets and PDFs, both made with the
//! [`Artefacts`](super::Artefacts).

use super::{Renderer, Run, each};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::theme::StaticSource;

/// Static files (the theme's, overlaid by the site's) and the files beside the content.
pub struct SiteFiles;

impl Renderer for SiteFiles {
    fn name(&self) -> &'static str {
        "site files"
    }

    fn claims(&self, run: &Run) -> Vec<(String, String)> {
        let statics = run
            .site
            .statics
            .iter()
            .map(|f| (f.output.clone(), format!("static file {}", f.output)));
        let assets = run.site.content.assets.iter().map(|a| {
            let what = format!("content file {}", a.source.display());
            (a.output.clone(), what)
        });
        statics.chain(assets).collect()
    }

    fn render(&self, run: &Run, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostics> {
        let statics = run.site.statics.iter().map(|f| match &f.source {
            StaticSource::Disk(p) => sink.copy(&f.output, p),
            StaticSource::Embedded(b) => sink.put(&f.output, b),
        });
        let assets = run
            .site
            .content
            .assets
            .iter()
            .map(|a| sink.copy(&a.output, &a.source));
        each(statics.chain(assets))
    }
}

/// The datasets' files: CSV, JSON, datapackage.json and zip.
pub struct Datasets;

impl Renderer for Datasets {
    fn name(&self) -> &'static str {
        "datasets"
    }

    fn claims(&self, run: &Run) -> Vec<(String, String)> {
        let files = run.artefacts.publications.files.iter();
        files
            .map(|(path, _)| (path.clone(), format!("dataset file {path}")))
            .collect()
    }

    fn render(&self, run: &Run, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostics> {
        use rayon::prelude::*;
        // Written in parallel: a zip or a large CSV takes as long as many pages.
        let files = &run.artefacts.publications.files;
        let written: Vec<Result<(), Diagnostic>> = files
            .par_iter()
            .map(|(path, bytes)| sink.put(path, bytes))
            .collect();
        each(written.into_iter())
    }
}

/// The PDFs of print editions.
pub struct Pdfs;

impl Renderer for Pdfs {
    fn name(&self) -> &'static str {
        "PDFs"
    }

    fn claims(&self, run: &Run) -> Vec<(String, String)> {
        let pdfs = run.artefacts.pdfs.iter();
        pdfs.map(|f| (f.path.clone(), format!("PDF {}", f.path)))
            .collect()
    }

    fn render(&self, run: &Run, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostics> {
        let pdfs = run.artefacts.pdfs.iter();
        each(pdfs.map(|f| sink.put(&f.path, &f.bytes)))
    }
}
