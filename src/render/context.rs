//! The template context. Everything a template can use is built here; the README documents it.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Value};

use crate::content::{Page, PageId};
use crate::deps::{Read, record};
use crate::locale::Lang;
use crate::markdown::{Rendered, TocEntry};
use crate::site::Site;
use crate::templates::{Summary, summary};

/// Contents lists appear on pages with at least this many h2 headings.
const TOC_MIN_HEADINGS: usize = 3;

#[derive(Serialize)]
struct SiteValue<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    languages: Vec<LangValue>,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
pub(super) struct LangValue {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Serialize)]
struct Translation<'a> {
    code: &'static str,
    name: &'static str,
    path: &'a str,
    permalink: String,
    current: bool,
    /// Not translated: not an alternate in that language, though the switch still leads there.
    fallback: bool,
}

#[derive(Serialize)]
struct PageValue<'a> {
    key: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    path: &'a str,
    permalink: String,
    date: Option<String>,
    date_display: Option<String>,
    updated: Option<String>,
    updated_display: Option<String>,
    weight: Option<i64>,
    is_section: bool,
    /// Path of the top-level section this page is in (for marking the current nav item).
    top: &'a str,
    toc: &'a [TocEntry],
    show_toc: bool,
    /// The page's Markdown shows illustrative data (through shortcodes).
    illustrative: bool,
    /// Not translated yet: the text is in `content_lang`, not the page's language.
    fallback: bool,
    content_lang: &'static str,
    extra: &'a toml::Table,
}

/// Values built once per build and shared by every page.
pub struct Shared {
    site: HashMap<&'static str, Value>,
    nav: HashMap<&'static str, Value>,
    children: HashMap<PageId, Value>,
    /// The most recently published or updated pages, per language.
    latest: HashMap<&'static str, Value>,
}

/// How many pages the `latest` list holds.
const LATEST: usize = 5;

impl Shared {
    pub fn new(site: &Site) -> Self {
        let config = &site.config;
        let content = &site.content;
        let mut site_values = HashMap::new();
        let mut nav = HashMap::new();
        for &lang in &config.languages {
            let value = SiteValue {
                title: config.title.get(lang.code).map_or("", String::as_str),
                description: config.description.get(lang.code).map_or("", String::as_str),
                base_url: &config.base_url,
                languages: config
                    .languages
                    .iter()
                    .map(|l| LangValue {
                        code: l.code,
                        name: l.endonym,
                    })
                    .collect(),
                extra: &config.extra,
            };
            site_values.insert(lang.code, Value::from_serializable(&value));
            // Navigation: the home page's sections and pages, in reading order.
            let items: Vec<Summary> = content
                .home(lang)
                .map(|home| {
                    content.pages[home]
                        .children
                        .iter()
                        .filter(|&&c| content.pages[c].front.menu)
                        .map(|&c| summary(&content.pages[c]))
                        .collect()
                })
                .unwrap_or_default();
            nav.insert(lang.code, Value::from_serializable(&items));
        }
        let children = content
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_section)
            .map(|(id, p)| {
                let items: Vec<Summary> = p
                    .children
                    .iter()
                    .map(|&c| summary(&content.pages[c]))
                    .collect();
                (id, Value::from_serializable(&items))
            })
            .collect();
        let latest = config
            .languages
            .iter()
            .map(|&lang| {
                let mut dated: Vec<&Page> = content
                    .pages
                    .iter()
                    .filter(|p| p.lang == lang && p.key != "_index.md" && p.date().is_some())
                    .collect();
                let when = |p: &Page| p.front.updated.map(|d| d.0).or(p.date());
                dated.sort_by(|a, b| when(b).cmp(&when(a)).then_with(|| a.key.cmp(&b.key)));
                let items: Vec<Summary> = dated.into_iter().take(LATEST).map(summary).collect();
                (lang.code, Value::from_serializable(&items))
            })
            .collect();
        Shared {
            site: site_values,
            nav,
            children,
            latest,
        }
    }

    /// Feed the values every page of `lang` shows (what [`Read::Shared`] names) to `state`.
    pub fn hash_lists(&self, lang: &str, state: &mut dyn FnMut(&Value)) {
        for values in [&self.site, &self.nav, &self.latest] {
            if let Some(v) = values.get(lang) {
                state(v);
            }
        }
    }

    pub fn base_context(&self, site: &Site, lang: Lang) -> Context {
        record(Read::Shared(lang.code));
        let mut ctx = Context::new();
        ctx.insert("lang", lang.code);
        ctx.insert_value("site", self.site[lang.code].clone());
        ctx.insert_value("nav", self.nav[lang.code].clone());
        ctx.insert_value("latest", self.latest[lang.code].clone());
        ctx.insert("default_lang", site.config.default_language().code);
        ctx.insert("home", &format!("{}/", site.config.lang_prefix(lang)));
        ctx
    }

    pub fn page_context(
        &self,
        site: &Site,
        id: PageId,
        markdown: &Rendered,
        data: Option<&Value>,
    ) -> Context {
        let content = &site.content;
        let page = &content.pages[id];
        record(Read::Page(id));
        record(Read::Markdown(id));
        let mut ctx = self.base_context(site, page.lang);
        let ancestors = content.ancestors(id);
        ancestors.iter().for_each(|&a| record(Read::Summary(a)));
        let top = ancestors
            .get(1)
            .map(|&a| content.pages[a].path.as_str())
            .unwrap_or(if ancestors.is_empty() { "" } else { &page.path });
        let value = PageValue {
            key: &page.key,
            title: &page.front.title,
            description: page.front.description.as_deref(),
            path: &page.path,
            permalink: site.config.permalink(&page.path),
            date: page.date().map(|d| d.to_string()),
            date_display: page.date().map(|d| page.lang.long_date(d)),
            updated: page.front.updated.map(|d| d.0.to_string()),
            updated_display: page.front.updated.map(|d| page.lang.long_date(d.0)),
            weight: page.front.weight,
            is_section: page.is_section,
            top,
            toc: &markdown.toc,
            show_toc: markdown.toc.len() >= TOC_MIN_HEADINGS,
            illustrative: markdown.illustrative,
            fallback: page.fallback,
            content_lang: if page.fallback {
                site.config.default_language().code
            } else {
                page.lang.code
            },
            extra: &page.front.extra,
        };
        ctx.insert("page", &value);
        ctx.insert_value("content", Value::safe_string(&markdown.html));
        let crumbs: Vec<Summary> = ancestors
            .iter()
            .map(|&a| summary(&content.pages[a]))
            .collect();
        ctx.insert("ancestors", &crumbs);
        let translations: Vec<Translation> = page
            .twins
            .iter()
            .map(|&t| {
                record(Read::Page(t));
                let twin = &content.pages[t];
                Translation {
                    code: twin.lang.code,
                    name: twin.lang.endonym,
                    path: &twin.path,
                    permalink: site.config.permalink(&twin.path),
                    current: t == id,
                    fallback: twin.fallback,
                }
            })
            .collect();
        ctx.insert("translations", &translations);
        let (prev, next) = content.neighbours(id);
        if let Some(parent) = page.parent {
            record(Read::Children(parent));
        }
        prev.iter()
            .chain(&next)
            .for_each(|&p| record(Read::Summary(p)));
        ctx.insert("previous", &prev.map(|p| summary(&content.pages[p])));
        ctx.insert("next", &next.map(|p| summary(&content.pages[p])));
        if let Some(children) = self.children.get(&id) {
            record(Read::Children(id));
            page.children.iter().for_each(|&c| record(Read::Summary(c)));
            ctx.insert_value("children", children.clone());
        }
        if page.front.print
            && let Some(edition) = content.get(&format!("{}#print", page.key), page.lang)
        {
            ctx.insert("print_path", &edition.path);
        }
        record(Read::Data(id));
        if let Some(data) = data {
            ctx.insert_value("data", data.clone());
        }
        ctx
    }
}
