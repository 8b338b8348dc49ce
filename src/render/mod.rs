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

use rayon::prelude::*;

use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::print::Edition;
use crate::site::Site;
use crate::theme;

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

/// A whole render.
pub(crate) struct Rendering {
    /// Every output, sorted by path.
    pub files: Vec<OutputFile>,
    /// What rendering found that does not stop the build.
    pub warnings: Vec<Diagnostic>,
}

pub(crate) fn render_all(site: &Site, pdf: bool) -> Result<Rendering, Diagnostics> {
    let mut diags = Diagnostics::new();
    let markdown = render_markdown(site, &mut diags);
    check_anchors(site, &markdown, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let (pdf_files, pdf_links) = pdfs(site, &markdown, pdf)?;
    let shared = context::Shared::new(site);
    let results: Vec<Result<OutputFile, Diagnostic>> = (0..site.content.pages.len())
        .into_par_iter()
        .map(|id| page_output(site, &shared, id, &markdown, &pdf_links))
        .collect();
    let mut files = Vec::with_capacity(results.len() + 16);
    files.extend(pdf_files);
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    match extras(site, &shared) {
        Ok(more) => files.extend(more),
        Err(ds) => diags.extend(ds),
    }
    // Datasets were written once, when the pages that link to them learnt their sizes.
    files.extend(site.page_data.files.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        bytes: bytes.clone(),
    }));
    if diags.has_errors() {
        return Err(diags);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendering {
        files,
        warnings: diags.sorted(),
    })
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
    crate::deps::record(crate::deps::Read::Body(id));
    let resolve = |key: &str| {
        let target = *content.by_key.get(&(key.to_string(), lang.code))?;
        crate::deps::record(crate::deps::Read::Summary(target));
        Some(content.pages[target].path.clone())
    };
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
#[cfg(feature = "pdf")]
pub(crate) fn pdfs(
    site: &Site,
    markdown: &[Rendered],
    on: bool,
) -> Result<(Vec<OutputFile>, HashMap<PageId, serde_json::Value>), Diagnostics> {
    if !on {
        return Ok((Vec::new(), HashMap::new()));
    }
    let shared = context::Shared::new(site);
    let results: Vec<Result<Edition, Diagnostic>> = site
        .content
        .pages
        .par_iter()
        .filter_map(|p| p.print_of)
        .map(|source| edition(site, &shared, source, markdown))
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
pub(crate) fn pdfs(
    _: &Site,
    _: &[Rendered],
    _: bool,
) -> Result<(Vec<OutputFile>, HashMap<PageId, serde_json::Value>), Diagnostics> {
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
    let markdown = &all_markdown[id];
    let page = &site.content.pages[id];
    let template = template_for(&site.content, &site.data, &site.theme, id)?;
    crate::deps::record(crate::deps::Read::Template(template.clone()));
    let mut ctx = shared.page_context(site, id, markdown);
    crate::deps::record(crate::deps::Read::Pdf(page.print_of.unwrap_or(id)));
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
    markdown: &[Rendered],
) -> Result<Edition, Diagnostic> {
    let s = &site.content.pages[source];
    let mut bodies = HashMap::new();
    for id in std::iter::once(source).chain(s.children.iter().copied()) {
        if let Some(&template) = site.page_data.print_templates.get(&id) {
            crate::deps::record(crate::deps::Read::Template(template.to_string()));
            let ctx = shared.page_context(site, id, &markdown[id]);
            let html =
                site.theme.tera.render(template, &ctx).map_err(|e| {
                    theme::template_error(&e, &site.theme.templates, Some(&s.source))
                })?;
            bodies.insert(id, html);
        }
    }
    let body = |id: PageId| {
        use crate::deps::{Read, record};
        [Read::Page(id), Read::Children(id), Read::Markdown(id)]
            .into_iter()
            .for_each(record);
        bodies
            .get(&id)
            .cloned()
            .unwrap_or_else(|| markdown[id].html.clone())
    };
    crate::deps::record(crate::deps::Read::Page(source));
    crate::deps::record(crate::deps::Read::Children(source));
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
