//! Rendering: a pure function of the loaded site. Markdown first (so every page's heading
//! ids are known before links are checked), then templates, each pass in parallel over pages
//! in a fixed order, so the output is the same bytes on every run.
//!
//! Shared things (site values, navigation, section listings) are built once per language
//! as Tera values, which are reference-counted: each page's context holds a cheap handle to
//! them, never its own copy.

mod context;
mod extras;

pub(crate) use context::Shared;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rayon::prelude::*;

use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::output::{Memory, Sink};
use crate::print::Edition;
use crate::site::Site;
use crate::theme::{self, StaticSource};

/// A file to write, relative to the output root.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub use crate::templates::{template_for, template_functions};

pub fn render(site: &Site) -> Result<Vec<OutputFile>, Diagnostics> {
    render_with(site, true).map(|(files, _)| files)
}

/// [`render`], with or without the PDFs of print editions (when built with the `pdf` feature),
/// and the warnings rendering found (raw HTML removed, empty charts).
pub fn render_with(
    site: &Site,
    pdf: bool,
) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Diagnostics> {
    render_all(site, pdf).map(|r| (r.files, r.warnings))
}

/// A whole render, and what an incremental one needs to redo part of it.
pub(crate) struct Rendering {
    /// Every output, sorted by path.
    pub files: Vec<OutputFile>,
    pub markdown: Vec<Rendered>,
    pub shared: Shared,
    pub pdf_links: HashMap<PageId, serde_json::Value>,
    /// What rendering found that does not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Every output but the site's own files (static and content files), kept in memory, with each
/// page's Markdown: what `serve` serves and patches.
pub(crate) fn render_all(site: &Site, pdf: bool) -> Result<Rendering, Diagnostics> {
    let memory = Memory::default();
    let done = render_into_keeping(site, pdf, &memory, Keep::Markdown)?;
    let files = memory
        .into_files()
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    Ok(Rendering {
        files,
        markdown: done.markdown,
        shared: done.shared,
        pdf_links: done.pdf_links,
        warnings: done.warnings,
    })
}

/// What [`render_into`] writes and keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every output, the site's own files too; of each page's Markdown only what links are
    /// checked against (its heading ids and links), so memory does not grow with the site's
    /// text: a build.
    Build,
    /// Rendered outputs only, and each page's Markdown whole: `serve`.
    Markdown,
}

/// A render written to a sink, and what it leaves to look at.
pub(crate) struct Written {
    pub markdown: Vec<Rendered>,
    pub shared: Shared,
    pub pdf_links: HashMap<PageId, serde_json::Value>,
    pub warnings: Vec<Diagnostic>,
}

/// Render the site into `sink`, page by page, in parallel, holding no page once written; the
/// warnings found. The steps, each over the loaded site:
/// 1. the PDFs of print editions, whose sizes the pages show (the one fact one output shows
///    about another that is not known from the model);
/// 2. the small outputs, kept until every path is known: extras (404 pages, redirects, sitemap),
///    the datasets' files (serialised when loaded), the PDFs;
/// 3. every path claimed once, so two outputs wanting one file are found before anything is
///    written;
/// 4. the site's own files copied, the small outputs written, then each page rendered,
///    minified and written as soon as it is made;
/// 5. links to headings checked against every page's ids.
pub fn render_into(
    site: &Site,
    pdf: bool,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    render_into_keeping(site, pdf, sink, Keep::Build).map(|r| r.warnings)
}

pub(crate) fn render_into_keeping(
    site: &Site,
    pdf: bool,
    sink: &dyn Sink,
    keep: Keep,
) -> Result<Written, Diagnostics> {
    let shared = context::Shared::new(site);
    let markdown_again = |id: PageId| markdown_of(site, id).0;
    let (pdf_files, pdf_links) = pdfs_with(site, &shared, &markdown_again, pdf)?;
    let mut small = extras(site, &shared).map_err(|ds| {
        let mut diags = Diagnostics::new();
        diags.extend(ds);
        diags
    })?;
    small.extend(pdf_files);
    small.extend(site.page_data.files.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        bytes: bytes.clone(),
    }));
    let files = keep == Keep::Build;
    claim_paths(site, &small, files)?;
    let put = |r: Result<(), Diagnostic>, diags: &mut Diagnostics| {
        if let Err(d) = r {
            diags.push(d);
        }
    };
    let mut diags = Diagnostics::new();
    if files {
        for f in &site.statics {
            let written = match &f.source {
                StaticSource::Disk(p) => sink.copy(&f.output, p),
                StaticSource::Embedded(b) => sink.put(&f.output, b.to_vec()),
            };
            put(written, &mut diags);
        }
        for a in &site.content.assets {
            put(sink.copy(&a.output, &a.source), &mut diags);
        }
    }
    for f in small {
        put(sink.put(&f.path, f.bytes), &mut diags);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    crate::output::pause_point("write");
    let results: Vec<(Rendered, Vec<Diagnostic>)> = (0..site.content.pages.len())
        .into_par_iter()
        .map(|id| {
            let (mut markdown, mut ds) = markdown_of(site, id);
            if !ds.iter().any(Diagnostic::is_error) {
                let written =
                    page_output_with(site, &shared, id, &markdown, &markdown_again, &pdf_links)
                        .and_then(|f| sink.put(&f.path, f.bytes));
                ds.extend(written.err());
            }
            if keep == Keep::Build {
                markdown.html = String::new();
                markdown.toc = Vec::new();
            }
            (markdown, ds)
        })
        .collect();
    let markdown = results
        .into_iter()
        .map(|(rendered, ds)| {
            diags.extend(ds);
            rendered
        })
        .collect::<Vec<_>>();
    check_anchors(site, &markdown, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Written {
        markdown,
        shared,
        pdf_links,
        warnings: diags.sorted(),
    })
}

/// Every path an output will be written to, claimed once: two outputs wanting one path is an
/// error naming both, found before anything is written.
fn claim_paths(site: &Site, small: &[OutputFile], files: bool) -> Result<(), Diagnostics> {
    // A page whose path is refused says so when it renders.
    let pages: Vec<(String, &std::path::Path)> = site
        .content
        .pages
        .iter()
        .filter_map(|p| {
            let path = crate::content::output_file(&p.path).ok()?;
            Some((path, p.source.path.as_path()))
        })
        .collect();
    let mut origin: HashMap<String, String> = HashMap::new();
    let mut clashes = Diagnostics::new();
    let mut claim = |path: &str, what: String| match origin.entry(path.to_string()) {
        Entry::Occupied(first) => clashes.push(
            Diagnostic::error(format!(
                "two outputs want `{path}`: {} and {what}",
                first.get()
            ))
            .hint("rename one of them"),
        ),
        Entry::Vacant(v) => {
            v.insert(what);
        }
    };
    let statics = site.statics.iter().filter(|_| files);
    for f in statics {
        claim(&f.output, format!("static file {}", f.output));
    }
    for a in site.content.assets.iter().filter(|_| files) {
        claim(&a.output, format!("content file {}", a.source.display()));
    }
    for f in small {
        claim(&f.path, format!("generated {}", f.path));
    }
    for (path, source) in &pages {
        claim(path, format!("page {}", source.display()));
    }
    if clashes.has_errors() {
        Err(clashes)
    } else {
        Ok(())
    }
}

/// Every page's Markdown, or its errors.
pub(crate) fn markdown_all(site: &Site) -> Result<Vec<Rendered>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let markdown = render_markdown(site, &mut diags);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(markdown)
    }
}

fn render_markdown(site: &Site, diags: &mut Diagnostics) -> Vec<Rendered> {
    let results: Vec<(Rendered, Vec<Diagnostic>)> = (0..site.content.pages.len())
        .into_par_iter()
        .map(|id| markdown_of(site, id))
        .collect();
    results
        .into_iter()
        .map(|(rendered, ds)| {
            diags.extend(ds);
            rendered
        })
        .collect()
}

/// One page's Markdown as HTML, with its headings, links and problems.
pub(crate) fn markdown_of(site: &Site, id: PageId) -> (Rendered, Vec<Diagnostic>) {
    let content = &site.content;
    let page = &content.pages[id];
    let lang = page.lang;
    let resolve = |key: &str| content.get(key, lang).map(|p| p.path.clone());
    let t = |key: &str| site.theme.strings.get(lang, key).unwrap_or(key).to_string();
    let (note, warning, table) = (t("callout.information"), t("callout.warning"), t("table"));
    let shortcode =
        |code: &markdown::shortcodes::Shortcode| crate::shortcodes::expand(site, lang, code);
    let env = markdown::Env {
        resolve: &resolve,
        note_title: &note,
        warning_title: &warning,
        table_label: &table,
        shortcode: &shortcode,
        raw_html: site.config.raw_html,
    };
    markdown::render(&page.source, page.body.clone(), &env)
}

/// `@/page.md#anchor` must name a heading that exists on the target page.
pub(crate) fn check_anchors(site: &Site, markdown: &[Rendered], diags: &mut Diagnostics) {
    let content = &site.content;
    let ids: HashMap<PageId, &Rendered> = markdown.iter().enumerate().collect();
    for (id, rendered) in markdown.iter().enumerate() {
        let page = &content.pages[id];
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else {
                continue;
            };
            let Some(target) = content.by_key.get(&(link.key.clone(), page.lang.code)) else {
                continue;
            };
            let target_ids = &ids[target].ids;
            if !target_ids.contains(anchor) && !markdown::RESERVED_IDS.contains(&anchor.as_str()) {
                let mut known: Vec<&str> = target_ids.iter().map(String::as_str).collect();
                known.sort_unstable();
                let hint = match crate::diagnostics::did_you_mean(anchor, known.iter().copied()) {
                    Some(s) => format!("did you mean `#{s}`?"),
                    None if known.is_empty() => "the target page has no headings".to_string(),
                    None => format!("the headings there have ids: {}", known.join(", ")),
                };
                diags.push(
                    Diagnostic::error(format!(
                        "link to `#{anchor}`, but {} has no heading with that id",
                        content.pages[*target].source.path.display()
                    ))
                    .at(&page.source, link.span.clone())
                    .hint(hint),
                );
            }
        }
    }
}

/// PDFs of the print editions, and for each edited page or section the link to its PDF:
/// `{url, size}`.
pub(crate) fn pdfs(site: &Site, markdown: &[Rendered], on: bool) -> Result<Pdfs, Diagnostics> {
    let shared = context::Shared::new(site);
    pdfs_with(site, &shared, &|id| markdown[id].clone(), on)
}

/// The PDFs and their links (see [`pdfs`]).
type Pdfs = (Vec<OutputFile>, HashMap<PageId, serde_json::Value>);

/// A page's Markdown, however it is had: rendered again, or kept from an earlier render.
type MarkdownOf<'a> = &'a (dyn Fn(PageId) -> Rendered + Sync);

/// [`pdfs`], over the pages' Markdown however it is had.
#[cfg(feature = "pdf")]
fn pdfs_with(
    site: &Site,
    shared: &Shared,
    markdown: MarkdownOf,
    on: bool,
) -> Result<Pdfs, Diagnostics> {
    if !on {
        return Ok((Vec::new(), HashMap::new()));
    }
    let results: Vec<Result<Edition, Diagnostic>> = site
        .content
        .pages
        .par_iter()
        .filter_map(|p| p.print_of)
        .map(|source| edition(site, shared, source, markdown))
        .collect();
    let mut editions = Vec::new();
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(e) => editions.push(e),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let pdfs = crate::pdf::editions(site, &editions)?;
    let links = pdfs
        .iter()
        .map(|p| {
            let link = serde_json::json!({
                "url": format!("/{}", p.path),
                "size": crate::pdf::size(p.bytes.len()),
            });
            (p.source, link)
        })
        .collect();
    let files = pdfs
        .into_iter()
        .map(|p| OutputFile {
            path: p.path,
            bytes: p.bytes,
        })
        .collect();
    Ok((files, links))
}

#[cfg(not(feature = "pdf"))]
fn pdfs_with(_: &Site, _: &Shared, _: MarkdownOf, _: bool) -> Result<Pdfs, Diagnostics> {
    Ok((Vec::new(), HashMap::new()))
}

/// One page through its template, minified as the build would.
pub(crate) fn page_output(
    site: &Site,
    shared: &context::Shared,
    id: PageId,
    all_markdown: &[Rendered],
    pdf_links: &HashMap<PageId, serde_json::Value>,
) -> Result<OutputFile, Diagnostic> {
    let markdown_of = |id: PageId| all_markdown[id].clone();
    page_output_with(site, shared, id, &all_markdown[id], &markdown_of, pdf_links)
}

/// [`page_output`], given this page's Markdown and a way to have the others' (a print edition
/// holds its pages' text).
fn page_output_with(
    site: &Site,
    shared: &context::Shared,
    id: PageId,
    markdown: &Rendered,
    all_markdown: MarkdownOf,
    pdf_links: &HashMap<PageId, serde_json::Value>,
) -> Result<OutputFile, Diagnostic> {
    let page = &site.content.pages[id];
    let template = template_for(&site.content, &site.data, &site.theme, id)?;
    let mut ctx = shared.page_context(site, id, markdown);
    if let Some(link) = pdf_links.get(&page.print_of.unwrap_or(id)) {
        ctx.insert("pdf", link);
    }
    if let Some(source) = page.print_of {
        ctx.insert("edition", &edition(site, shared, source, all_markdown)?);
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

/// The 404 pages, redirects, sitemap and the like, minified as the build would.
pub(crate) fn extras(site: &Site, shared: &Shared) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = extras::render(site, shared)?;
    if site.config.minify {
        files.par_iter_mut().for_each(minify);
    }
    Ok(files)
}

/// The print edition of `source` (see [`crate::print`]). A page made from data gives its text
/// through its print template (`Item::print`), rendered with the page's own context.
fn edition(
    site: &Site,
    shared: &context::Shared,
    source: PageId,
    markdown: MarkdownOf,
) -> Result<Edition, Diagnostic> {
    let s = &site.content.pages[source];
    let mut bodies = HashMap::new();
    for id in std::iter::once(source).chain(s.children.iter().copied()) {
        let rendered = markdown(id);
        let html = match site.page_data.print_templates.get(&id) {
            Some(&template) => {
                let ctx = shared.page_context(site, id, &rendered);
                site.theme.tera.render(template, &ctx).map_err(|e| {
                    theme::template_error(&e, &site.theme.templates, Some(&s.source))
                })?
            }
            None => rendered.html,
        };
        bodies.insert(id, html);
    }
    let body = |id: PageId| bodies.get(&id).cloned().unwrap_or_default();
    Ok(crate::print::edition(site, source, &body))
}

fn minify(file: &mut OutputFile) {
    if !file.path.ends_with(".html") {
        return;
    }
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: false,
        minify_js: false,
        ..minify_html::Cfg::new()
    };
    file.bytes = minify_html::minify(&file.bytes, &cfg);
}
