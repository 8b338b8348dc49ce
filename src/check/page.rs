//! One built HTML page, parsed with html5ever (through `scraper`) and reduced to what the checks
//! need: its ids, its links, and the findings that need only the page itself.

use std::collections::{BTreeMap, HashSet};

use scraper::{ElementRef, Html, Node};

use super::rules::Rule;

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Link texts that say nothing out of context, in English and Welsh (compared lowercased, with
/// surrounding spaces and trailing punctuation removed).
const VAGUE_LINK_TEXT: &[&str] = &[
    "click here",
    "here",
    "read more",
    "more",
    "link",
    "this page",
    "cliciwch yma",
    "yma",
    "mwy",
    "darllen mwy",
];

/// A problem found on a page, before it is given a level and a place in a source file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Rule,
    pub message: String,
    pub hint: String,
    /// Texts that may find the problem in the page's Markdown source, tried in order.
    pub needles: Vec<String>,
    /// Outside `<main>`: the problem comes from the theme's templates, not the page's content.
    pub in_template: bool,
}

impl Finding {
    pub fn new(rule: Rule, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding {
            rule,
            message: message.into(),
            hint: hint.into(),
            needles: Vec::new(),
            in_template: false,
        }
    }

    fn needles(mut self, needles: impl IntoIterator<Item = String>) -> Self {
        self.needles
            .extend(needles.into_iter().filter(|n| !n.trim().is_empty()));
        self
    }

    fn template(mut self, in_template: bool) -> Self {
        self.in_template = in_template;
        self
    }
}

/// A reference from the page to another address: `a href`, `img src`, `link href`…
#[derive(Clone, Debug)]
pub struct Link {
    /// The element name (`a`, `img`, `link`…).
    pub element: String,
    /// The attribute value as written.
    pub url: String,
    /// The language of the text around the link (the nearest `lang` attribute).
    pub lang: Option<String>,
    /// Marked as leading to another language on purpose (`hreflang`).
    pub hreflang: bool,
    pub in_template: bool,
}

/// What the checks need to know about one page.
#[derive(Clone, Debug, Default)]
pub struct PageFacts {
    /// `<html lang>`: primary language subtag, lowercased.
    pub lang: Option<String>,
    /// `<meta http-equiv="refresh">`: a page that only sends visitors elsewhere.
    pub redirect: bool,
    /// `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// Languages of `<link rel="alternate" hreflang>` (not `x-default`).
    pub alternates: Vec<String>,
    /// Every `id` (and legacy `<a name>`) on the page: the targets of `#fragment` links.
    pub ids: HashSet<String>,
    pub links: Vec<Link>,
    pub findings: Vec<Finding>,
}

fn primary_lang(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (!primary.is_empty()).then_some(primary)
}

fn is_html(el: &ElementRef<'_>) -> bool {
    &*el.value().name.ns == HTML_NS
}

fn attr<'a>(el: &ElementRef<'a>, name: &str) -> Option<&'a str> {
    el.value().attr(name)
}

/// `aria-hidden` set to anything but "false".
fn aria_hidden(el: &ElementRef<'_>) -> bool {
    attr(el, "aria-hidden").is_some_and(|v| !v.trim().eq_ignore_ascii_case("false"))
}

fn ancestors_and_self<'a>(el: &ElementRef<'a>) -> impl Iterator<Item = ElementRef<'a>> {
    std::iter::once(*el).chain(el.ancestors().filter_map(ElementRef::wrap))
}

fn in_main(el: &ElementRef<'_>) -> bool {
    ancestors_and_self(el).any(|a| is_html(&a) && a.value().name() == "main")
}

fn nearest_lang(el: &ElementRef<'_>) -> Option<String> {
    ancestors_and_self(el)
        .find_map(|a| attr(&a, "lang"))
        .and_then(primary_lang)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a screen reader would announce for the children of `node`: text, image alt text and
/// labelled SVGs, leaving out what is hidden.
fn accessible_text(node: ElementRef<'_>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&t.text),
            Node::Element(_) => {
                let Some(el) = ElementRef::wrap(child) else {
                    continue;
                };
                if aria_hidden(&el) || attr(&el, "hidden").is_some() {
                    continue;
                }
                if let Some(label) = attr(&el, "aria-label").filter(|l| !l.trim().is_empty()) {
                    out.push(' ');
                    out.push_str(label);
                    out.push(' ');
                    continue;
                }
                match el.value().name() {
                    "img" | "area" => {
                        out.push(' ');
                        out.push_str(attr(&el, "alt").unwrap_or_default());
                        out.push(' ');
                    }
                    "svg" => {
                        if let Some(title) =
                            el.child_elements().find(|c| c.value().name() == "title")
                        {
                            out.push(' ');
                            out.extend(title.text());
                            out.push(' ');
                        }
                    }
                    _ => accessible_text(el, out),
                }
            }
            _ => {}
        }
    }
}

/// The accessible name of a link or button: `aria-labelledby`, `aria-label` or its content.
fn accessible_name(el: &ElementRef<'_>) -> (String, bool) {
    if attr(el, "aria-labelledby").is_some_and(|v| !v.trim().is_empty()) {
        return (String::new(), true);
    }
    if let Some(label) = attr(el, "aria-label").filter(|l| !l.trim().is_empty()) {
        return (collapse(label), true);
    }
    let mut text = String::new();
    accessible_text(*el, &mut text);
    let text = collapse(&text);
    let named = !text.is_empty();
    (text, named)
}

fn is_vague(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches(['.', ',', ':', ';', '!', '…', '›', '»', '→'])
        .trim()
        .to_lowercase();
    VAGUE_LINK_TEXT.contains(&t.as_str())
}

fn heading_level(el: &ElementRef<'_>) -> Option<usize> {
    if !is_html(el) {
        return None;
    }
    match el.value().name() {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn heading_needles(level: usize, text: &str) -> Vec<String> {
    vec![
        format!("{} {text}", "#".repeat(level)),
        format!("<h{level}"),
        text.to_string(),
    ]
}

/// Elements whose `src` or `href` name another address.
const LINKING: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("track", "src"),
];

/// Parse a page and gather its facts and its page-local findings.
pub fn analyse(html: &str) -> PageFacts {
    let doc = Html::parse_document(html);
    let mut facts = PageFacts {
        lang: attr(&doc.root_element(), "lang").and_then(primary_lang),
        ..PageFacts::default()
    };
    let mut id_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut h1s = 0;
    let mut previous_heading: Option<usize> = None;
    let mut has_description = false;
    let mut noindex = false;

    for node in doc.root_element().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if let Some(id) = el.value().id() {
            *id_counts.entry(id.to_string()).or_default() += 1;
            facts.ids.insert(id.to_string());
        }
        if !is_html(&el) {
            continue;
        }
        let name = el.value().name();
        let template = !in_main(&el);
        if name == "a"
            && let Some(anchor) = attr(&el, "name")
        {
            facts.ids.insert(anchor.to_string());
        }
        if let Some((_, attribute)) = LINKING.iter().find(|(e, _)| *e == name)
            && let Some(url) = attr(&el, attribute)
        {
            facts.links.push(Link {
                element: name.to_string(),
                url: url.trim().to_string(),
                lang: nearest_lang(&el),
                hreflang: attr(&el, "hreflang").is_some(),
                in_template: template,
            });
        }
        match name {
            "meta" => {
                let meta_name = attr(&el, "name").unwrap_or_default();
                let content = attr(&el, "content").unwrap_or_default();
                if meta_name.eq_ignore_ascii_case("description") && !content.trim().is_empty() {
                    has_description = true;
                }
                if meta_name.eq_ignore_ascii_case("robots")
                    && content.to_ascii_lowercase().contains("noindex")
                {
                    noindex = true;
                }
                if attr(&el, "http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
                    facts.redirect = true;
                }
            }
            "link" => {
                let rel = attr(&el, "rel").unwrap_or_default().to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_whitespace().collect();
                if rels.contains(&"canonical") {
                    facts.canonical = attr(&el, "href").map(str::to_string);
                }
                if rels.contains(&"alternate")
                    && let Some(code) = attr(&el, "hreflang")
                    && !code.eq_ignore_ascii_case("x-default")
                    && let Some(code) = primary_lang(code)
                {
                    facts.alternates.push(code);
                }
            }
            "img" => check_img(&el, template, &mut facts.findings),
            "a" | "button" => check_link_or_button(&el, template, &mut facts.findings),
            "table" => check_table(&el, template, &mut facts.findings),
            _ => {}
        }
        if let Some(level) = heading_level(&el) {
            let text = collapse(&el.text().collect::<String>());
            if level == 1 {
                h1s += 1;
                if h1s == 2 {
                    facts.findings.push(
                        Finding::new(
                            Rule::SingleH1,
                            format!("more than one h1 heading: a second one, `{text}`"),
                            "a page has one h1, its title; start the content's headings at `##` (h2)",
                        )
                        .needles(heading_needles(1, &text))
                        .template(template),
                    );
                }
            }
            if let Some(prev) = previous_heading
                && level > prev + 1
            {
                facts.findings.push(
                    Finding::new(
                        Rule::HeadingOrder,
                        format!("heading level skips from h{prev} to h{level}: `{text}`"),
                        format!(
                            "make it h{} (`{} {text}`), or add the missing level above it",
                            prev + 1,
                            "#".repeat(prev + 1)
                        ),
                    )
                    .needles(heading_needles(level, &text))
                    .template(template),
                );
            }
            previous_heading = Some(level);
        }
    }

    if facts.redirect {
        // A redirect page has nothing to read: only its links matter.
        facts.findings.clear();
        return facts;
    }
    for (id, n) in id_counts.iter().filter(|(_, n)| **n > 1) {
        facts.findings.push(
            Finding::new(
                Rule::DuplicateId,
                format!("the id `{id}` is used {n} times on this page"),
                "ids must be unique on a page: links to it and labels pointing at it find only the first",
            )
            .needles([
                format!("{{#{id}}}"),
                format!("id=\"{id}\""),
                format!("id='{id}'"),
                format!("id={id}"),
            ]),
        );
    }
    if h1s == 0 {
        facts.findings.push(Finding::new(
            Rule::SingleH1,
            "the page has no h1 heading",
            "every page needs one h1 that says what it is about (the default theme makes it from `title`)",
        ));
    }
    if !has_description && !noindex {
        facts.findings.push(Finding::new(
            Rule::MissingDescription,
            "the page has no <meta name=\"description\">",
            "add `description = \"…\"` to the page's front matter: search engines and listings show it",
        ));
    }
    facts
}

fn check_img(el: &ElementRef<'_>, template: bool, findings: &mut Vec<Finding>) {
    let src = attr(el, "src").unwrap_or_default();
    match attr(el, "alt") {
        None => findings.push(
            Finding::new(
                Rule::ImgAlt,
                format!("image `{src}` has no alt text"),
                "describe the image with alt text (`![what it shows](image.png)`), or mark it decorative with alt=\"\" and role=\"presentation\"",
            )
            .needles([src.to_string(), "<img".to_string()])
            .template(template),
        ),
        Some(alt) if alt.trim().is_empty() => {
            let role = attr(el, "role").unwrap_or_default();
            let presentational = role
                .split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("presentation") || r.eq_ignore_ascii_case("none"));
            if !presentational && !ancestors_and_self(el).any(|a| aria_hidden(&a)) {
                findings.push(
                    Finding::new(
                        Rule::DecorativeImg,
                        format!("decorative image not marked: `{src}` has alt=\"\" but no role=\"presentation\""),
                        "if the image only decorates, add role=\"presentation\"; if it says something, describe it in alt",
                    )
                    .needles([src.to_string(), "<img".to_string()])
                    .template(template),
                );
            }
        }
        Some(_) => {}
    }
}

fn check_link_or_button(el: &ElementRef<'_>, template: bool, findings: &mut Vec<Finding>) {
    let is_link = el.value().name() == "a";
    let href = attr(el, "href");
    if is_link && href.is_none() {
        return; // a placeholder or a named anchor, not a link
    }
    let what = if is_link { "link" } else { "button" };
    let (name, named) = accessible_name(el);
    let href = href.unwrap_or_default();
    if !named {
        findings.push(
            Finding::new(
                Rule::EmptyLink,
                if is_link {
                    format!("empty link to `{href}`: it has no text a screen reader can announce")
                } else {
                    "empty button: it has no text a screen reader can announce".to_string()
                },
                format!("give the {what} text, an aria-label, or an image with alt text"),
            )
            .needles([
                format!("]({href}"),
                format!("href=\"{href}\""),
                "<button".to_string(),
            ])
            .template(template),
        );
        return;
    }
    if is_link && is_vague(&name) {
        findings.push(
            Finding::new(
                Rule::VagueLinkText,
                format!("link text `{name}` does not say where the link goes"),
                "make the link text make sense on its own, for example `[the 2024 statistics](…)`: screen reader users often list links out of context",
            )
            .needles([format!("[{name}]"), format!(">{name}<"), name.clone()])
            .template(template),
        );
    }
}

fn check_table(el: &ElementRef<'_>, template: bool, findings: &mut Vec<Finding>) {
    let role = attr(el, "role").unwrap_or_default();
    if role.eq_ignore_ascii_case("presentation") || role.eq_ignore_ascii_case("none") {
        return;
    }
    let first_cell = el
        .descendent_elements()
        .find(|c| matches!(c.value().name(), "th" | "td"))
        .map(|c| collapse(&c.text().collect::<String>()))
        .unwrap_or_default();
    let needles = [
        format!("| {first_cell}"),
        "<table".to_string(),
        first_cell.clone(),
    ];
    let described = if first_cell.is_empty() {
        "a table".to_string()
    } else {
        format!("the table starting `{first_cell}`")
    };
    if !el.child_elements().any(|c| c.value().name() == "caption") {
        findings.push(
            Finding::new(
                Rule::TableCaption,
                format!("{described} has no caption"),
                "put a line `Table: what the table shows` right before the Markdown table (or a <caption> in HTML)",
            )
            .needles(needles.clone())
            .template(template),
        );
    }
    if !el.descendent_elements().any(|c| c.value().name() == "th") {
        findings.push(
            Finding::new(
                Rule::TableHeaders,
                format!("{described} has no header cells (th)"),
                "give the table a header row, so each cell can be read with its column's name",
            )
            .needles(needles)
            .template(template),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> PageFacts {
        analyse(&format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><title>t</title>\
             <meta name=\"description\" content=\"d\"></head><body><main><h1>T</h1>{body}</main></body></html>"
        ))
    }

    fn rules(f: &PageFacts) -> Vec<&'static str> {
        f.findings.iter().map(|f| f.rule.name()).collect()
    }

    #[test]
    fn clean_page_has_no_findings() {
        let f = page(
            "<h2 id=\"a\">A</h2><h3>B</h3><h2>C</h2><p><a href=\"/x/\">the report</a>\
             <img src=\"a.png\" alt=\"A chart\"><img src=\"d.png\" alt=\"\" role=\"presentation\">\
             <span aria-hidden=\"true\"><img src=\"e.png\" alt=\"\"></span>\
             <a href=\"/y/\"><img src=\"i.png\" alt=\"Home\"></a><a href=\"/z/\" aria-label=\"Close\"></a></p>\
             <table><caption>C</caption><tr><th>h</th></tr></table>",
        );
        assert_eq!(rules(&f), Vec::<&str>::new());
        assert_eq!(f.lang.as_deref(), Some("en"));
        assert!(f.ids.contains("a"));
        assert_eq!(f.links.len(), 7);
    }

    #[test]
    fn each_page_rule_fires() {
        let f = page(
            "<h2>A</h2><h4>B</h4><h1>Again</h1><p id=\"x\"></p><p id=\"x\"></p>\
             <img src=\"x.png\"><img src=\"y.png\" alt=\"\"><a href=\"/e/\"> </a><button></button>\
             <a href=\"/m/\">Read more…</a><a href=\"/c/\">Cliciwch yma</a>\
             <table><tr><td>1</td></tr></table>",
        );
        let mut r = rules(&f);
        r.sort();
        assert_eq!(
            r,
            [
                "decorative-img",
                "duplicate-id",
                "empty-link",
                "empty-link",
                "heading-order",
                "img-alt",
                "single-h1",
                "table-caption",
                "table-headers",
                "vague-link-text",
                "vague-link-text",
            ]
        );
    }

    #[test]
    fn page_level_rules_and_redirects() {
        let f = analyse("<html lang=\"cy\"><body><p>x</p></body></html>");
        assert_eq!(rules(&f), ["single-h1", "missing-description"]);
        assert!(f.findings.iter().all(|f| !f.in_template));
        let r = analyse(
            "<html><head><meta http-equiv=\"refresh\" content=\"0; url=/x/\"></head>\
             <body><a href=\"/x/\">x</a></body></html>",
        );
        assert!(r.redirect);
        assert!(r.findings.is_empty());
        assert_eq!(r.links[0].url, "/x/");
    }

    #[test]
    fn findings_outside_main_are_marked_as_the_themes() {
        let f = analyse(
            "<html lang=\"en\"><head><meta name=\"description\" content=\"d\"></head><body>\
             <footer><a href=\"/x/\">here</a></footer><main><h1>T</h1></main></body></html>",
        );
        assert_eq!(rules(&f), ["vague-link-text"]);
        assert!(f.findings[0].in_template);
    }
}
