//! Rendering: every output of the site is a [`Renderer`] over the loaded site, as in mdBook. A
//! renderer reads the site and the [`Artefacts`], and writes only into a [`Sink`]; it knows no
//! loader and no other renderer. One build:
//!
//! 1. [`Artefacts`]: what one output shows about another and cannot be known from the site
//!    alone, made once, before anything is written: the datasets' files, whose sizes and
//!    checksums pages show, with the views of publication pages that link to them; the print
//!    editions; the PDFs, whose links and sizes the pages show.
//! 2. Claims: every renderer names each path it will write, so two outputs wanting one file are
//!    found, naming both, before anything is written.
//! 3. The renderers, in order: the site's own files ([`files::SiteFiles`]), the datasets
//!    ([`files::Datasets`]), the PDFs ([`files::Pdfs`]), the 404 pages, redirects and sitemap
//!    ([`extras::Extras`]), then the pages ([`pages::Pages`]): each page's Markdown, template
//!    and minification in one pass, in parallel, written as soon as it is made.
//!
//! Each pass is over pages in a fixed order, so the output is the same bytes on every run.
//! Shared things (site values, navigation, section listings) are built once per language
//! as Tera values, which are reference-counted: each page's context holds a cheap handle to
//! them, never its own copy.

mod context;
mod extras;
mod files;
mod pages;

pub(crate) use context::Shared;
pub(crate) use pages::{PageInputs, page_output};

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rayon::prelude::*;

use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::output::{Memory, Sink};
use crate::print::Edition;
use crate::site::Site;
use crate::theme;

/// A file to write, relative to the output root.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub use crate::templates::{template_for, template_functions};

/// One output of the site.
pub trait Renderer: Sync {
    /// What it makes, as messages name it: "pages", "datasets".
    fn name(&self) -> &'static str;
    /// Every path it will write, with what each comes from (`page content/about.md`), known
    /// before anything is written. A path it cannot make is left out: rendering reports it.
    fn claims(&self, run: &Run) -> Vec<(String, String)>;
    /// Write its outputs into `sink`; the warnings found, or every error.
    fn render(&self, run: &Run, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostics>;
}

/// What every renderer reads: the loaded site, the values shared by its pages, the artefacts.
pub struct Run<'a> {
    pub site: &'a Site,
    pub shared: &'a Shared,
    pub artefacts: &'a Artefacts,
}

/// Facts one output shows about another, made once before any output is written.
#[derive(Default)]
pub struct Artefacts {
    /// The datasets' files and the views of publication pages, which show their sizes.
    pub publications: crate::publications::Made,
    /// The print editions, by the page or section they are made from: each page of an edition
    /// and its PDF show the same one.
    pub editions: HashMap<PageId, Edition>,
    /// The Markdown of the pages editions are made of, with its problems: made once, for the
    /// editions and for those pages.
    pub markdown: HashMap<PageId, (Rendered, Vec<Diagnostic>)>,
    /// The PDFs of print editions (made when asked for and built with the `pdf` feature).
    pub pdfs: Vec<OutputFile>,
    /// For each page or section with a PDF, the link to it: `{url, size}`.
    pub pdf_links: HashMap<PageId, serde_json::Value>,
}

impl Artefacts {
    /// Make the artefacts of `site`: the datasets' files and publication pages' views, the
    /// print editions, and their PDFs when `pdf` is on; with the warnings found.
    pub fn make(
        site: &Site,
        shared: &Shared,
        pdf: bool,
    ) -> Result<(Artefacts, Vec<Diagnostic>), Diagnostics> {
        let (publications, diags) = crate::publications::make(site.publications(), None);
        if diags.has_errors() {
            return Err(diags);
        }
        let downloads = &publications.downloads;
        let markdown: HashMap<PageId, (Rendered, Vec<Diagnostic>)> = edited_pages(site)
            .into_par_iter()
            .map(|id| (id, markdown_of(site, downloads, id)))
            .collect();
        let markdown_kept = |id: PageId| match markdown.get(&id) {
            Some((rendered, _)) => rendered.clone(),
            None => markdown_of(site, downloads, id).0,
        };
        let editions = editions(site, shared, &publications.views, &markdown_kept)?;
        let (pdfs, pdf_links) = pdfs_of(site, &editions, pdf)?;
        let editions = editions.into_iter().map(|e| (e.source, e)).collect();
        let artefacts = Artefacts {
            publications,
            editions,
            markdown,
            pdfs,
            pdf_links,
        };
        Ok((artefacts, diags.into_iter().collect()))
    }
}

pub fn render(site: &Site) -> Result<Vec<OutputFile>, Diagnostics> {
    render_with(site, true).map(|(files, _)| files)
}

/// [`render`], with or without the PDFs of print editions (when built with the `pdf` feature),
/// and the warnings rendering found (raw HTML removed, empty charts): every output but the
/// site's own files (static and content files), kept in memory, sorted by path.
pub fn render_with(
    site: &Site,
    pdf: bool,
) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Diagnostics> {
    let memory = Memory::default();
    // The build's renderers but the first, the site's own files.
    let warnings = run_renderers(site, pdf, &build_renderers()[1..], &memory)?;
    let files = memory
        .into_files()
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    Ok((files, warnings))
}

/// Render the whole site into `sink` (see the module's documentation); the warnings found.
pub fn render_into(
    site: &Site,
    pdf: bool,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    run_renderers(site, pdf, &build_renderers(), sink)
}

/// Make the artefacts, then run `renderers` over the site into `sink`.
fn run_renderers(
    site: &Site,
    pdf: bool,
    renderers: &[&dyn Renderer],
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    let shared = Shared::new(site);
    let (artefacts, warnings) = Artefacts::make(site, &shared, pdf)?;
    let run = Run {
        site,
        shared: &shared,
        artefacts: &artefacts,
    };
    let mut diags: Diagnostics = warnings.into_iter().collect();
    match render_each(&run, renderers, sink) {
        Ok(more) => {
            diags.extend(more);
            Ok(diags.sorted())
        }
        Err(errors) => {
            diags.extend(errors);
            Err(diags)
        }
    }
}

/// A build's renderers, in the order they write.
fn build_renderers() -> [&'static dyn Renderer; 5] {
    [
        &files::SiteFiles,
        &files::Datasets,
        &files::Pdfs,
        &extras::Extras,
        &pages::Pages,
    ]
}

/// Claim every path, then run each renderer in turn.
fn render_each(
    run: &Run,
    renderers: &[&dyn Renderer],
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    claim_paths(run, renderers)?;
    let mut diags = Diagnostics::new();
    for (i, renderer) in renderers.iter().enumerate() {
        if i + 1 == renderers.len() {
            // Everything but the last (the pages) is written.
            crate::output::pause_point("write");
        }
        match renderer.render(run, sink) {
            Ok(warnings) => diags.extend(warnings),
            Err(errors) => {
                diags.extend(errors);
                return Err(diags);
            }
        }
    }
    Ok(diags.sorted())
}

/// What a renderer's writes come to: no warnings, or every error.
fn each(
    writes: impl Iterator<Item = Result<(), Diagnostic>>,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    let errors: Diagnostics = writes.filter_map(Result::err).collect();
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(Vec::new())
    }
}

/// Every path an output will be written to, claimed once: two outputs wanting one path is an
/// error naming both, found before anything is written.
fn claim_paths(run: &Run, renderers: &[&dyn Renderer]) -> Result<(), Diagnostics> {
    let mut origin: HashMap<String, String> = HashMap::new();
    let mut clashes = Diagnostics::new();
    for renderer in renderers {
        for (path, what) in renderer.claims(run) {
            match origin.entry(path) {
                Entry::Occupied(first) => clashes.push(
                    Diagnostic::error(format!(
                        "two outputs want `{}`: {} and {what}",
                        first.key(),
                        first.get()
                    ))
                    .hint("rename one of them"),
                ),
                Entry::Vacant(v) => {
                    v.insert(what);
                }
            }
        }
    }
    if clashes.has_errors() {
        Err(clashes)
    } else {
        Ok(())
    }
}

/// One page's Markdown as HTML, with its headings, links and problems; its data shortcodes
/// link to the datasets' `downloads`.
pub(crate) fn markdown_of(
    site: &Site,
    downloads: &crate::publications::Downloads,
    id: PageId,
) -> (Rendered, Vec<Diagnostic>) {
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
    let shortcode = |code: &markdown::shortcodes::Shortcode| {
        crate::shortcodes::expand(site, downloads, lang, code)
    };
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

/// The PDFs of print editions, and for each edited page or section the link to its PDF:
/// `{url, size}`.
type Pdfs = (Vec<OutputFile>, HashMap<PageId, serde_json::Value>);

/// A page's Markdown, however it is had: rendered again, or kept from an earlier render.
type MarkdownOf<'a> = &'a (dyn Fn(PageId) -> Rendered + Sync);

/// The views (`data`) of publication pages.
type Views = HashMap<PageId, tera::Value>;

/// The pages the print edition of `source` is made of: the page or section and its children.
fn edition_pages(site: &Site, source: PageId) -> impl Iterator<Item = PageId> + '_ {
    let children = site.content.pages[source].children.iter().copied();
    std::iter::once(source).chain(children)
}

/// The pages print editions are made of, each once.
fn edited_pages(site: &Site) -> Vec<PageId> {
    let sources = site.content.pages.iter().filter_map(|p| p.print_of);
    let mut ids: Vec<PageId> = sources.flat_map(|s| edition_pages(site, s)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Every print edition, in page order, or the errors making them.
fn editions(
    site: &Site,
    shared: &Shared,
    views: &Views,
    markdown: MarkdownOf,
) -> Result<Vec<Edition>, Diagnostics> {
    let results: Vec<Result<Edition, Diagnostic>> = site
        .content
        .pages
        .par_iter()
        .filter_map(|p| p.print_of)
        .map(|source| edition(site, shared, views, source, markdown))
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
        Err(diags)
    } else {
        Ok(editions)
    }
}

/// The PDFs of `editions` when `on`, and their links.
#[cfg(feature = "pdf")]
fn pdfs_of(site: &Site, editions: &[Edition], on: bool) -> Result<Pdfs, Diagnostics> {
    if !on {
        return Ok((Vec::new(), HashMap::new()));
    }
    let pdfs = crate::pdf::editions(site, editions)?;
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
fn pdfs_of(_: &Site, _: &[Edition], _: bool) -> Result<Pdfs, Diagnostics> {
    Ok((Vec::new(), HashMap::new()))
}

/// The print edition of `source` (see [`crate::print`]). A page made from data gives its text
/// through its print template (`Item::print`), rendered with the page's own context.
pub(crate) fn edition(
    site: &Site,
    shared: &context::Shared,
    views: &Views,
    source: PageId,
    markdown: MarkdownOf,
) -> Result<Edition, Diagnostic> {
    let s = &site.content.pages[source];
    let mut bodies = HashMap::new();
    for id in edition_pages(site, source) {
        let rendered = markdown(id);
        let html = match site.page_data.print_templates.get(&id) {
            Some(&template) => {
                crate::deps::record_with(|| crate::deps::Read::Template(template.to_string()));
                let ctx = shared.page_context(site, id, &rendered, views.get(&id));
                site.theme.tera.render(template, &ctx).map_err(|e| {
                    theme::template_error(&e, &site.theme.templates, Some(&s.source))
                })?
            }
            None => rendered.html,
        };
        bodies.insert(id, html);
    }
    let body = |id: PageId| {
        use crate::deps::{Read, record};
        [Read::Page(id), Read::Children(id), Read::Markdown(id)]
            .into_iter()
            .for_each(record);
        bodies.get(&id).cloned().unwrap_or_default()
    };
    crate::deps::record(crate::deps::Read::Page(source));
    crate::deps::record(crate::deps::Read::Children(source));
    Ok(crate::print::edition(site, source, &body))
}

/// Minify an HTML file as the build does; other files are left as they are.
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
/// The 404 pages, redirects, sitemap and the like, minified as the build would.
pub(crate) fn extras(site: &Site, shared: &Shared) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = extras::render(site, shared)?;
    if site.config.minify {
        files.par_iter_mut().for_each(minify);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A renderer writes exactly the paths it claims: claims are how clashes are found before
    /// anything is written, so a path written but not claimed could overwrite another output.
    #[test]
    fn each_renderer_writes_exactly_what_it_claims() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "site.toml",
                "base_url = \"https://example.org\"\nlanguages = [\"en\", \"cy\"]\n\n\
                 [title]\nen = \"Test\"\ncy = \"Prawf\"\n",
            ),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
            (
                "content/_index.cy.md",
                "+++\ntitle = \"Hafan\"\n+++\nHelo.\n",
            ),
            (
                "content/code/_index.md",
                "+++\ntitle = \"Code\"\naliases = [\"/old/about/\", \"/older.html\"]\n\
                 +++\n## Why {#why}\n",
            ),
            (
                "content/code/_index.cy.md",
                "+++\ntitle = \"Cod\"\nslug = \"cod\"\n+++\nTestun.\n",
            ),
            ("content/code/diagram.txt", "a diagram"),
            ("static/files/guide.txt", "a guide"),
        ];
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let load = crate::site::LoadOptions {
            root: dir.path(),
            base_url: None,
            drafts: false,
            today: jiff::civil::date(2026, 12, 5),
        };
        let (site, _) = match crate::site::load(&load) {
            Ok(loaded) => loaded,
            Err(d) => panic!("the fixture site does not load: {:?}", d.sorted()),
        };
        let shared = Shared::new(&site);
        let (artefacts, _) = Artefacts::make(&site, &shared, false).unwrap();
        let run = Run {
            site: &site,
            shared: &shared,
            artefacts: &artefacts,
        };
        for renderer in build_renderers() {
            let memory = Memory::default();
            renderer.render(&run, &memory).unwrap();
            let written: Vec<String> = memory.into_files().into_iter().map(|f| f.0).collect();
            let mut claimed: Vec<String> = renderer.claims(&run).into_iter().map(|c| c.0).collect();
            claimed.sort();
            assert_eq!(written, claimed, "{}", renderer.name());
            if renderer.name() == "extras" {
                assert!(written.contains(&"old/about/index.html".to_string()));
                assert!(written.contains(&"older.html".to_string()));
            }
        }
    }
}
