//! Print editions: a section with `print = true` gets one page, `/<section>/print/` (and its
//! twin), holding a cover, a numbered contents list and every page of the section in order,
//! with numbered headings, ids made unique across the edition and links between its pages
//! rewritten to anchors inside it, ready to print on A4 (see the theme's print stylesheet).

use std::cell::RefCell;
use std::collections::HashMap;

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use serde::Serialize;

use crate::config::Config;
use crate::content::{Content, FrontMatter, Page, PageId};
use crate::markdown::Rendered;
use crate::theme::Strings;

/// Add a print edition below every section that asks for one.
pub fn add_editions(content: &mut Content, config: &Config, strings: &Strings) {
    let sections: Vec<PageId> = content
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section && p.front.print && !p.fallback)
        .map(|(id, _)| id)
        .collect();
    for section in sections {
        let s = &content.pages[section];
        let segment = strings
            .get(s.lang, "print.url")
            .unwrap_or("print")
            .to_string();
        let title = strings
            .get(s.lang, "print.title")
            .unwrap_or("{title}: print edition")
            .replace("{title}", &s.front.title);
        let mut front = FrontMatter::generated(title, s.front.description.clone(), "print.html");
        front.menu = false;
        let page = Page {
            lang: s.lang,
            key: format!("{}#print", s.key),
            source: s.source.clone(),
            front,
            body: 0..0,
            is_section: false,
            path: format!("{}{segment}/", s.path),
            parent: Some(section),
            children: Vec::new(),
            twins: Vec::new(),
            fallback: false,
            print_of: Some(section),
        };
        content.pages.push(page);
    }
    content.reindex(config);
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Heading {
    pub number: String,
    pub id: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct Chapter {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub html: String,
    /// Numbered headings inside the chapter, for the contents list.
    pub headings: Vec<Heading>,
}

/// The chapters of an edition: the section's own text first (if any), then each page.
pub fn chapters(content: &Content, section: PageId, markdown: &[Rendered]) -> Vec<Chapter> {
    let s = &content.pages[section];
    let mut pages: Vec<PageId> = Vec::new();
    if !markdown[section].html.trim().is_empty() {
        pages.push(section);
    }
    pages.extend(
        s.children
            .iter()
            .copied()
            .filter(|&c| !content.pages[c].is_section && content.pages[c].print_of.is_none()),
    );
    // Where each page of the edition starts, to rewrite links between them into anchors.
    let anchors: HashMap<String, String> = pages
        .iter()
        .enumerate()
        .map(|(i, &p)| (content.pages[p].path.clone(), format!("s{}", i + 1)))
        .collect();
    pages
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let number = i + 1;
            let page = &content.pages[p];
            let prefix = format!("s{number}");
            let (html, headings) = rewrite(&markdown[p].html, &prefix, number, &anchors);
            Chapter {
                number,
                id: prefix,
                title: page.front.title.clone(),
                html,
                headings,
            }
        })
        .collect()
}

/// Demote headings one level and number them (`2.1`), prefix every id, and point links to
/// pages of the edition at their place in it.
fn rewrite(
    html: &str,
    prefix: &str,
    chapter: usize,
    anchors: &HashMap<String, String>,
) -> (String, Vec<Heading>) {
    let counters = RefCell::new([0usize; 2]);
    let headings = RefCell::new(Vec::new());
    let prefixed = |id: &str| format!("{prefix}-{id}");
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("h2, h3, h4, h5", |el| {
            let level: usize = el.tag_name()[1..].parse().unwrap_or(2);
            let number = {
                let mut c = counters.borrow_mut();
                match level {
                    2 => {
                        c[0] += 1;
                        c[1] = 0;
                        Some(format!("{chapter}.{}", c[0]))
                    }
                    3 => {
                        c[1] += 1;
                        Some(format!("{chapter}.{}.{}", c[0], c[1]))
                    }
                    _ => None,
                }
            };
            el.set_tag_name(&format!("h{}", (level + 1).min(6)))?;
            if let Some(n) = number {
                el.prepend(
                    &format!("<span class=\"section-number\">{n}</span> "),
                    ContentType::Html,
                );
                if level == 2
                    && let Some(id) = el.get_attribute("id")
                {
                    headings.borrow_mut().push(Heading {
                        number: n,
                        id: prefixed(&id),
                        title: String::new(),
                    });
                }
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                el.set_attribute("id", &prefixed(&id))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[aria-labelledby]", |el| {
            if let Some(ids) = el.get_attribute("aria-labelledby") {
                let ids: Vec<String> = ids.split_whitespace().map(prefixed).collect();
                el.set_attribute("aria-labelledby", &ids.join(" "))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href]", |el| {
            let Some(href) = el.get_attribute("href") else {
                return Ok(());
            };
            if let Some(anchor) = href.strip_prefix('#') {
                el.set_attribute("href", &format!("#{}", prefixed(anchor)))?;
            } else if href.starts_with('/') {
                let (path, anchor) = href
                    .split_once('#')
                    .map_or((href.as_str(), None), |(p, a)| (p, Some(a)));
                if let Some(target) = anchors.get(path) {
                    let to = match anchor {
                        Some(a) => format!("#{target}-{a}"),
                        None => format!("#{target}"),
                    };
                    el.set_attribute("href", &to)?;
                }
            }
            Ok(())
        }));
    let result = rewrite_str(html, settings).unwrap_or_else(|_| html.to_string());
    // Heading titles for the contents list, read back from the rewritten text.
    let mut headings = headings.into_inner();
    for Heading { id, title, .. } in &mut headings {
        if let Some(start) = result.find(&format!("id=\"{id}\"")) {
            let after = &result[start..];
            let open_end = after.find('>').map_or(0, |i| i + 1);
            let close = after.find("</h").unwrap_or(open_end);
            let inner = &after[open_end..close];
            let text = strip_tags(inner);
            *title = text
                .split_once(' ')
                .map_or(text.clone(), |(_, t)| t.trim().to_string());
        }
    }
    (result, headings)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_numbered_ids_prefixed_and_links_made_internal() {
        let anchors = HashMap::from([("/code/aims/".to_string(), "s2".to_string())]);
        let html = "<h2 id=\"why\">Why</h2><p><a href=\"#why\">here</a> <a href=\"/code/aims/#five\">aims</a> <a href=\"/other/\">other</a></p><h3 id=\"more\">More</h3><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup><div id=\"1\">note</div>";
        let (out, headings) = rewrite(html, "s1", 1, &anchors);
        assert!(
            out.contains("<h3 id=\"s1-why\"><span class=\"section-number\">1.1</span> Why</h3>"),
            "{out}"
        );
        assert!(
            out.contains(
                "<h4 id=\"s1-more\"><span class=\"section-number\">1.1.1</span> More</h4>"
            )
        );
        assert!(out.contains("href=\"#s1-why\""));
        assert!(
            out.contains("href=\"#s2-five\""),
            "links into the edition become anchors"
        );
        assert!(out.contains("href=\"/other/\""), "links elsewhere stay");
        assert!(
            out.contains("id=\"s1-1\"") && out.contains("href=\"#s1-1\""),
            "footnotes keep working"
        );
        assert_eq!(
            headings,
            [Heading {
                number: "1.1".into(),
                id: "s1-why".into(),
                title: "Why".into()
            }]
        );
    }
}
