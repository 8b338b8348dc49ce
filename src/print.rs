//! Print editions. A page or section with `print = true` (and each publication page that is a
//! document of its own: a DPIA year, an inspection workplan) gets one page, `print/` below it
//! (and its twin), holding a cover, a numbered contents list and the whole text, ready to print
//! on A4 (see the theme's print stylesheet) and the source of the edition's PDF.
//!
//! - An edition of a **section** has a chapter for the section's own text (if any) and one for
//!   each page, in order; each page's headings are demoted one level and numbered, its ids get
//!   a prefix per page (`s2-why`), and links between its pages become anchors in the edition.
//! - An edition of a **page** has a chapter for each `h2` heading; what comes before the first
//!   one goes on the cover. Its ids get one prefix (`e-why`).
//!
//! Footnotes stay where Markdown put them, with their ids made unique like any other.

use std::cell::RefCell;
use std::collections::HashMap;

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use scraper::{CaseSensitivity, ElementRef, Html, Node};
use serde::Serialize;

use crate::content::{Content, PageId};
use crate::site::Site;

/// Everything an edition shows, for its HTML page and its PDF alike.
#[derive(Serialize)]
pub struct Edition {
    /// The page or section the edition is of.
    #[serde(skip)]
    pub source: PageId,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub printed_on: String,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub version: Option<String>,
    pub status: Option<String>,
    /// An edition of one page: its chapters are its parts, run on without a page break.
    pub of_page: bool,
    /// The text of a page edition before its first chapter: it goes on the cover.
    pub preamble: String,
    pub chapters: Vec<Chapter>,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Heading {
    pub number: String,
    pub id: String,
    pub title: String,
}

#[derive(Serialize, Debug)]
pub struct Chapter {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub html: String,
    /// Numbered headings inside the chapter, for the contents list.
    pub headings: Vec<Heading>,
}

/// The edition of `source`. `body` gives the HTML text of a page (its Markdown, or for a page
/// made from data, its text template rendered).
pub fn edition(site: &Site, source: PageId, body: &dyn Fn(PageId) -> String) -> Edition {
    let s = &site.content.pages[source];
    let lang = s.lang;
    let extra = |key: &str| {
        s.front
            .extra
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let (preamble, chapters) = chapters(&site.content, source, body);
    Edition {
        source,
        title: s.front.title.clone(),
        description: s.front.description.clone(),
        url: site.config.permalink(&s.path),
        printed_on: lang.long_date(site.data.today),
        published: s.front.date.map(|d| lang.long_date(d.0)),
        updated: s.front.updated.map(|d| lang.long_date(d.0)),
        version: extra("version"),
        status: extra("status"),
        of_page: !s.is_section,
        preamble,
        chapters,
    }
}

/// Where a link into the edition goes: `#{prefix}-{anchor}`, or `#{start}` without an anchor.
struct Target {
    prefix: String,
    start: String,
}

/// An edition's text before its first chapter (page editions only), and its chapters.
pub fn chapters(
    content: &Content,
    source: PageId,
    body: &dyn Fn(PageId) -> String,
) -> (String, Vec<Chapter>) {
    let s = &content.pages[source];
    if s.is_section {
        return (String::new(), section_chapters(content, source, body));
    }
    let (preamble, mut parts) = split(&body(source));
    let (preamble, parts) = if parts.is_empty() {
        // No h2 headings: the whole text is one chapter, named after the page.
        parts.push(Part {
            title: s.front.title.clone(),
            id: None,
            html: preamble,
        });
        (String::new(), parts)
    } else {
        (preamble, parts)
    };
    const PREFIX: &str = "e";
    let anchors = HashMap::from([(
        s.path.clone(),
        Target {
            prefix: PREFIX.to_string(),
            start: "edition-title".to_string(),
        },
    )]);
    let (preamble, _) = rewrite(&preamble, PREFIX, None, &anchors);
    let chapters = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let number = i + 1;
            let numbering = Numbering {
                chapter: number,
                top: 3,
                demote: 0,
            };
            let (html, headings) = rewrite(&part.html, PREFIX, Some(numbering), &anchors);
            Chapter {
                number,
                id: part.id.filter(|id| !id.is_empty()).map_or_else(
                    || format!("chapter-{number}"),
                    |id| format!("{PREFIX}-{id}"),
                ),
                title: part.title,
                html,
                headings,
            }
        })
        .collect();
    (preamble, chapters)
}

/// The chapters of a section's edition: the section's own text first (if any), then each page.
fn section_chapters(
    content: &Content,
    section: PageId,
    body: &dyn Fn(PageId) -> String,
) -> Vec<Chapter> {
    let s = &content.pages[section];
    let mut pages: Vec<(PageId, String)> = Vec::new();
    let own = body(section);
    if !own.trim().is_empty() {
        pages.push((section, own));
    }
    pages.extend(
        s.children
            .iter()
            .copied()
            .filter(|&c| !content.pages[c].is_section && content.pages[c].print_of.is_none())
            .map(|c| (c, body(c))),
    );
    // Where each page of the edition starts, to rewrite links between them into anchors.
    let anchors: HashMap<String, Target> = pages
        .iter()
        .enumerate()
        .map(|(i, &(p, _))| {
            let id = format!("s{}", i + 1);
            let target = Target {
                prefix: id.clone(),
                start: id,
            };
            (content.pages[p].path.clone(), target)
        })
        .collect();
    pages
        .iter()
        .enumerate()
        .map(|(i, (p, html))| {
            let number = i + 1;
            let prefix = format!("s{number}");
            let numbering = Numbering {
                chapter: number,
                top: 2,
                demote: 1,
            };
            let (html, headings) = rewrite(html, &prefix, Some(numbering), &anchors);
            Chapter {
                number,
                id: prefix,
                title: content.pages[*p].front.title.clone(),
                html,
                headings,
            }
        })
        .collect()
}

/// A chapter of a page edition, before its ids and headings are rewritten.
struct Part {
    /// The text of its `h2`.
    title: String,
    id: Option<String>,
    html: String,
}

/// Split a page's HTML at its `h2` headings: the text before the first, and one part per
/// heading. A heading may sit first in a wrapper (`<section><h2>…</h2>…</section>`); the wrapper
/// then gives way to the chapter.
fn split(html: &str) -> (String, Vec<Part>) {
    let doc = Html::parse_fragment(html);
    let mut preamble = String::new();
    let mut parts: Vec<Part> = Vec::new();
    let heading = |h: ElementRef| Part {
        title: heading_words(h),
        id: h.value().attr("id").map(str::to_string),
        html: String::new(),
    };
    for node in doc.root_element().children() {
        let el = ElementRef::wrap(node);
        if let Some(el) = el
            && el.value().name() == "h2"
        {
            parts.push(heading(el));
            continue;
        }
        if let Some(el) = el
            && matches!(el.value().name(), "section" | "div" | "article")
            && let Some(h2) = el.child_elements().next()
            && h2.value().name() == "h2"
        {
            let mut part = heading(h2);
            for child in el.children().filter(|c| c.id() != h2.id()) {
                serialize(child.value(), ElementRef::wrap(child), &mut part.html);
            }
            parts.push(part);
            continue;
        }
        let out = parts.last_mut().map_or(&mut preamble, |p| &mut p.html);
        serialize(node.value(), el, out);
    }
    (preamble, parts)
}

/// A heading's words as plain text, without its section number or the marks of footnotes it
/// refers to.
fn heading_words(h: ElementRef) -> String {
    h.descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.ancestors().filter_map(ElementRef::wrap).any(|a| {
                ["footnote-reference", "section-number"]
                    .iter()
                    .any(|c| a.value().has_class(c, CaseSensitivity::CaseSensitive))
            })
        })
        .map(|(_, t)| t.to_string())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A node of a parsed fragment as HTML: an element (given as `el`) or text.
fn serialize(node: &Node, el: Option<ElementRef>, out: &mut String) {
    match node {
        Node::Element(_) => {
            if let Some(el) = el {
                out.push_str(&el.html());
            }
        }
        Node::Text(t) => out.push_str(&crate::escape::html(t)),
        _ => {}
    }
}

/// How a chapter's headings are numbered: headings of level `top` get `chapter.n`, the level
/// below `chapter.n.m`; every heading moves `demote` levels down.
struct Numbering {
    chapter: usize,
    top: usize,
    demote: usize,
}

/// Number the headings (`2.1`), prefix every id, and point links to pages of the edition at
/// their place in it.
fn rewrite(
    html: &str,
    prefix: &str,
    numbering: Option<Numbering>,
    anchors: &HashMap<String, Target>,
) -> (String, Vec<Heading>) {
    let counters = RefCell::new([0usize; 2]);
    // Numbers of the headings the contents list shows: those of level `top` with an id.
    let listed = RefCell::new(Vec::new());
    let prefixed = |id: &str| format!("{prefix}-{id}");
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("h2, h3, h4, h5, h6", |el| {
            let Some(n) = &numbering else {
                return Ok(());
            };
            // The selector matched h2 to h6: the name is two ASCII characters.
            let level: usize = el.tag_name()[1..].parse().unwrap_or(2);
            let number = {
                let mut c = counters.borrow_mut();
                match level.checked_sub(n.top) {
                    Some(0) => {
                        c[0] += 1;
                        c[1] = 0;
                        Some(format!("{}.{}", n.chapter, c[0]))
                    }
                    Some(1) => {
                        c[1] += 1;
                        Some(format!("{}.{}.{}", n.chapter, c[0], c[1]))
                    }
                    _ => None,
                }
            };
            if n.demote > 0 {
                el.set_tag_name(&format!("h{}", (level + n.demote).min(6)))?;
            }
            if let Some(number) = number {
                el.prepend(
                    &format!("<span class=\"section-number\">{number}</span> "),
                    ContentType::Html,
                );
                if level == n.top && el.has_attribute("id") {
                    listed.borrow_mut().push(number);
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
        // On paper nothing can be opened: disclosures (a chart's data table) are shown open.
        .append_element_content_handler(element!("details", |el| {
            el.set_attribute("open", "")?;
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
                        Some(a) => format!("#{}-{a}", target.prefix),
                        None => format!("#{}", target.start),
                    };
                    el.set_attribute("href", &to)?;
                }
            }
            Ok(())
        }));
    let result = rewrite_str(html, settings).unwrap_or_else(|_| html.to_string());
    let headings = listed_headings(&result, &listed.into_inner());
    (result, headings)
}

/// The headings numbered `listed`, read back from the rewritten text: their id and words as
/// plain text (the template escapes them, once).
fn listed_headings(html: &str, listed: &[String]) -> Vec<Heading> {
    if listed.is_empty() {
        return Vec::new();
    }
    let doc = Html::parse_fragment(html);
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|h| matches!(h.value().name(), "h2" | "h3" | "h4" | "h5" | "h6"))
        .filter_map(|h| {
            let id = h.value().attr("id")?;
            let number = h
                .child_elements()
                .next()
                .filter(|s| {
                    s.value()
                        .has_class("section-number", CaseSensitivity::CaseSensitive)
                })?
                .text()
                .collect::<String>();
            listed.contains(&number).then(|| Heading {
                number,
                id: id.to_string(),
                title: heading_words(h),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors(path: &str, prefix: &str, start: &str) -> HashMap<String, Target> {
        HashMap::from([(
            path.to_string(),
            Target {
                prefix: prefix.into(),
                start: start.into(),
            },
        )])
    }

    #[test]
    fn headings_are_numbered_ids_prefixed_and_links_made_internal() {
        let anchors = anchors("/code/aims/", "s2", "s2");
        let html = "<h2 id=\"why\">Why</h2><p><a href=\"#why\">here</a> <a href=\"/code/aims/#five\">aims</a> <a href=\"/code/aims/\">aims</a> <a href=\"/other/\">other</a></p><h3 id=\"more\">More</h3><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup><div id=\"1\">note</div>";
        let numbering = Numbering {
            chapter: 1,
            top: 2,
            demote: 1,
        };
        let (out, headings) = rewrite(html, "s1", Some(numbering), &anchors);
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
            out.contains("href=\"#s2-five\"") && out.contains("href=\"#s2\""),
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

    #[test]
    fn contents_titles_are_plain_text_not_html() {
        let html = "<h2 id=\"lt\">Fewer than &lt;5 &amp; &#39;more&#39; &amp;lt;<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></h2>";
        let numbering = Numbering {
            chapter: 2,
            top: 2,
            demote: 1,
        };
        let (_, headings) = rewrite(html, "s2", Some(numbering), &HashMap::new());
        assert_eq!(
            headings,
            [Heading {
                number: "2.1".into(),
                id: "s2-lt".into(),
                title: "Fewer than <5 & 'more' &lt;".into()
            }]
        );
    }

    #[test]
    fn a_page_splits_into_chapters_at_its_h2_headings() {
        let html = "<div class=\"callout\"><p>Warning</p></div><p>Intro <a href=\"#b\">b</a>.</p>\
            <h2 id=\"a\">First <em>one</em><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></h2><p>A</p><h3 id=\"a1\">Sub<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></h3><p>A1</p>\
            <section class=\"inspection\" aria-labelledby=\"b\"><h2 id=\"b\">Second</h2><p>B</p></section>\
            <h2>Third</h2><p>C</p>";
        let (preamble, parts) = split(html);
        assert!(preamble.contains("Warning") && preamble.contains("Intro"));
        assert!(!preamble.contains("First"));
        let titles: Vec<&str> = parts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["First one", "Second", "Third"]);
        assert!(parts[0].html.starts_with("<p>A</p><h3 id=\"a1\">Sub<sup"));
        assert_eq!(parts[1].html, "<p>B</p>");
        assert_eq!(parts[1].id.as_deref(), Some("b"));
        assert_eq!(parts[2].id, None);

        let numbering = Numbering {
            chapter: 1,
            top: 3,
            demote: 0,
        };
        let anchors = anchors("/report/", "e", "edition-title");
        let (out, headings) = rewrite(&parts[0].html, "e", Some(numbering), &anchors);
        assert!(
            out.contains("<h3 id=\"e-a1\"><span class=\"section-number\">1.1</span> Sub<sup"),
            "{out}"
        );
        assert_eq!(headings[0].title, "Sub");
        let (out, _) = rewrite(&preamble, "e", None, &anchors);
        assert!(out.contains("href=\"#e-b\""), "{out}");
        let (out, _) = rewrite(
            "<details><summary>Data</summary><table></table></details>",
            "e",
            None,
            &anchors,
        );
        assert!(out.starts_with("<details open=\"\">"), "{out}");
    }
}
