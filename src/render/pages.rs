//! The pages: each page's Markdown, template and minification in one pass, in parallel,
//! written as soon as it is made. Of each page's Markdown only what links to headings are
//! checked against is kept (its heading ids and links).

use std::collections::HashMap;

use rayon::prelude::*;

use super::{OutputFile, Renderer, Run, check_anchors, edition, markdown_of, minify};
use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::print::Edition;
use crate::render::{Shared, template_for};
use crate::site::Site;
use crate::theme;

/// The pages renderer.
pub struct Pages;

impl Renderer for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn claims(&self, run: &Run) -> Vec<(String, String)> {
        // A page whose path is refused says so when it renders.
        run.site
            .content
            .pages
            .iter()
            .filter_map(|p| {
                let path = crate::content::output_file(&p.path).ok()?;
                Some((path, format!("page {}", p.source.path.display())))
            })
            .collect()
    }

    fn render(&self, run: &Run, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostics> {
        let (site, artefacts) = (run.site, run.artefacts);
        let inputs = PageInputs {
            site,
            shared: run.shared,
            made: &artefacts.publications,
            pdf_links: &artefacts.pdf_links,
        };
        let results: Vec<(Rendered, Vec<Diagnostic>)> = (0..site.content.pages.len())
            .into_par_iter()
            .map(|id| {
                let (mut markdown, mut ds) = match artefacts.markdown.get(&id) {
                    Some((rendered, ds)) => (rendered.clone(), ds.clone()),
                    None => markdown_of(site, &inputs.made.downloads, id),
                };
                if !ds.iter().any(Diagnostic::is_error) {
                    let edition = site.content.pages[id]
                        .print_of
                        .and_then(|source| artefacts.editions.get(&source));
                    let written = page_output_with(&inputs, id, &markdown, edition)
                        .and_then(|f| sink.put(&f.path, &f.bytes));
                    ds.extend(written.err());
                }
                // What the anchor check needs stays; the page's text goes.
                markdown.html = String::new();
                markdown.toc = Vec::new();
                (markdown, ds)
            })
            .collect();
        let mut diags = Diagnostics::new();
        let markdown: Vec<Rendered> = results
            .into_iter()
            .map(|(rendered, ds)| {
                diags.extend(ds);
                rendered
            })
            .collect();
        check_anchors(site, &markdown, &mut diags);
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(diags.into_iter().collect())
        }
    }
}

/// One page through its template, minified as the build would.
pub(crate) fn page_output(
    inputs: &PageInputs,
    id: PageId,
    all_markdown: &[Rendered],
) -> Result<OutputFile, Diagnostic> {
    let edition = match inputs.site.content.pages[id].print_of {
        Some(source) => {
            let markdown_of = |id: PageId| all_markdown[id].clone();
            let views = &inputs.made.views;
            Some(edition(
                inputs.site,
                inputs.shared,
                views,
                source,
                &markdown_of,
            )?)
        }
        None => None,
    };
    page_output_with(inputs, id, &all_markdown[id], edition.as_ref())
}

/// What a page is made from besides its own Markdown: the site, what its pages share, what
/// the publications made, the links to PDFs.
pub(crate) struct PageInputs<'a> {
    pub site: &'a Site,
    pub shared: &'a Shared,
    pub made: &'a crate::publications::Made,
    pub pdf_links: &'a HashMap<PageId, serde_json::Value>,
}

/// [`page_output`], given this page's Markdown and, for a page of a print edition, the edition.
fn page_output_with(
    inputs: &PageInputs,
    id: PageId,
    markdown: &Rendered,
    edition: Option<&Edition>,
) -> Result<OutputFile, Diagnostic> {
    let PageInputs {
        site,
        shared,
        made,
        pdf_links,
    } = *inputs;
    let page = &site.content.pages[id];
    let template = template_for(&site.content, &site.data, &site.theme, id)?;
    crate::deps::record_with(|| crate::deps::Read::Template(template.clone()));
    let mut ctx = shared.page_context(site, id, markdown, made.views.get(&id));
    crate::deps::record(crate::deps::Read::Pdf(page.print_of.unwrap_or(id)));
    if let Some(link) = pdf_links.get(&page.print_of.unwrap_or(id)) {
        ctx.insert("pdf", link);
    }
    if let Some(edition) = edition {
        ctx.insert("edition", edition);
    }
    let html = site
        .theme
        .tera
        .render(&template, &ctx)
        .map_err(|e| theme::template_error(&e, &site.theme.templates, Some(&page.source)))?;
    // Paths are made from checked segments; checked again where they become a file.
    let path = crate::content::output_file(&page.path).map_err(|refusal| {
        Diagnostic::error(format!("page URL `{}` {}", page.path, refusal.why))
            .in_file(&page.source)
            .hint(refusal.hint)
    })?;
    let mut file = OutputFile {
        path,
        bytes: html.into_bytes(),
    };
    if site.config.minify {
        minify(&mut file);
    }
    Ok(file)
}
