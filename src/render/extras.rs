//! Site-wide outputs that are not content pages: the bilingual 404 pages, alias redirects,
//! `sitemap.xml` with hreflang alternates, `robots.txt`, `_headers` (the security headers for
//! Netlify and Cloudflare Pages), the code-highlighting stylesheet.

use serde::Serialize;

use super::context::Shared;
use super::{OutputFile, Renderer, Run};
use crate::content::{normalise_alias, output_file};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{escape, highlight};
use crate::output::Sink;
use crate::site::Site;
use crate::theme;

/// The security headers file static hosts read ([`crate::headers`]).
pub const HEADERS_FILE: &str = "_headers";

/// The renderer of these outputs.
pub struct Extras;

impl Renderer for Extras {
    fn name(&self) -> &'static str {
        "extras"
    }

    fn claims(&self, run: &Run) -> Vec<(String, String)> {
        let site = run.site;
        let mut paths: Vec<String> = site
            .config
            .languages
            .iter()
            .map(|&l| not_found_path(site, l).trim_start_matches('/').to_string())
            .collect();
        let aliases = site.content.pages.iter().flat_map(|p| &p.front.aliases);
        paths.extend(aliases.filter_map(|a| output_file(&normalise_alias(a.get_ref())).ok()));
        paths.extend(["sitemap.xml", "robots.txt", SYNTAX_CSS].map(String::from));
        if !own_headers(site) {
            paths.push(HEADERS_FILE.to_string());
        }
        paths
            .into_iter()
            .map(|p| {
                let what = format!("generated {p}");
                (p, what)
            })
            .collect()
    }

    fn render(&self, run: &Run, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostics> {
        let files = super::extras(run.site, run.shared)
            .map_err(|ds| ds.into_iter().collect::<Diagnostics>())?;
        super::each(files.iter().map(|f| sink.put(&f.path, &f.bytes)))
    }
}

const SYNTAX_CSS: &str = "css/syntax.css";

/// A site's own static/_headers replaces the generated one.
fn own_headers(site: &Site) -> bool {
    site.statics.iter().any(|f| f.output == HEADERS_FILE)
}

pub fn render(site: &Site, shared: &Shared) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for &lang in &site.config.languages {
        match not_found(site, shared, lang) {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    files.extend(aliases(site, &mut errors));
    files.push(sitemap(site));
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            site.config.base_url
        )
        .into_bytes(),
    });
    if !own_headers(site) {
        files.push(OutputFile {
            path: HEADERS_FILE.into(),
            bytes: crate::headers::headers_file().into_bytes(),
        });
    }
    files.push(OutputFile {
        path: SYNTAX_CSS.into(),
        bytes: highlight::stylesheet().into_bytes(),
    });
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn not_found_path(site: &Site, lang: crate::locale::Lang) -> String {
    format!("{}/404.html", site.config.lang_prefix(lang))
}

#[derive(Serialize)]
struct NotFoundPage<'a> {
    key: &'a str,
    title: &'a str,
    description: &'a str,
    path: &'a str,
    permalink: String,
    top: &'a str,
    show_toc: bool,
    is_section: bool,
}

fn not_found(
    site: &Site,
    shared: &Shared,
    lang: crate::locale::Lang,
) -> Result<OutputFile, Diagnostic> {
    let mut ctx = shared.base_context(site, lang);
    let path = not_found_path(site, lang);
    let title = site
        .theme
        .strings
        .get(lang, "not_found.title")
        .unwrap_or("Page not found");
    ctx.insert(
        "page",
        &NotFoundPage {
            key: "404",
            title,
            description: site
                .theme
                .strings
                .get(lang, "not_found.typed")
                .unwrap_or(""),
            path: &path,
            permalink: site.config.permalink(&path),
            top: "",
            show_toc: false,
            is_section: false,
        },
    );
    let translations: Vec<serde_json::Value> = site
        .config
        .languages
        .iter()
        .map(|&l| {
            let p = not_found_path(site, l);
            serde_json::json!({
                "code": l.code, "name": l.endonym, "permalink": site.config.permalink(&p),
                "path": p, "current": l == lang, "fallback": false,
            })
        })
        .collect();
    ctx.insert("translations", &translations);
    ctx.insert("ancestors", &Vec::<()>::new());
    let html = site
        .theme
        .tera
        .render("404.html", &ctx)
        .map_err(|e| theme::template_error(&e, &site.theme.templates, None))?;
    Ok(OutputFile {
        path: path.trim_start_matches('/').to_string(),
        bytes: html.into_bytes(),
    })
}

/// A page that sends visitors from an old address to the page's current one.
fn aliases(site: &Site, errors: &mut Vec<Diagnostic>) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for page in &site.content.pages {
        for alias in &page.front.aliases {
            let from = normalise_alias(alias.get_ref());
            // Checked when the content was loaded; checked again where it becomes a file.
            let path = match output_file(&from) {
                Ok(path) => path,
                Err(refusal) => {
                    errors.push(
                        Diagnostic::error(format!("alias `{from}` {}", refusal.why))
                            .at(&page.source, alias.span())
                            .hint(refusal.hint),
                    );
                    continue;
                }
            };
            let to = escape(&site.config.permalink(&page.path));
            let title = escape(&page.front.title);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
                 <link rel=\"canonical\" href=\"{to}\"><meta name=\"robots\" content=\"noindex\">\
                 <meta http-equiv=\"refresh\" content=\"0; url={to}\"></head>\
                 <body><p><a href=\"{to}\">{title}</a></p></body></html>\n",
                lang = page.lang.code
            );
            files.push(OutputFile {
                path,
                bytes: html.into_bytes(),
            });
        }
    }
    files
}

fn sitemap(site: &Site) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let content = &site.content;
    // Untranslated fallbacks are not alternates in another language: leave them out.
    for page in content.pages.iter().filter(|p| !p.fallback) {
        xml.push_str("  <url>\n");
        xml.push_str(&format!(
            "    <loc>{}</loc>\n",
            escape(&site.config.permalink(&page.path))
        ));
        if let Some(d) = page.front.updated.map(|d| d.0).or(page.date()) {
            xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        // `twins` are indices into `content.pages`, made by the content loader, not user data.
        for &twin in page.twins.iter().filter(|&&t| !content.pages[t].fallback) {
            let t = &content.pages[twin];
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                t.lang.code,
                escape(&site.config.permalink(&t.path))
            ));
        }
        if let Some(&default) = page.twins.first() {
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                escape(&site.config.permalink(&content.pages[default].path))
            ));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
