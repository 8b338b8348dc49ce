//! Raw HTML in Markdown: what editors may write, and what happens to the rest.
//!
//! The page's HTML is cleaned as a whole by [ammonia] (so an element opened in one HTML block
//! and closed in another, like `<details>` around Markdown, stays whole) against one allow-list:
//! [`TAGS`], [`GENERIC_ATTRIBUTES`] and [`TAG_ATTRIBUTES`], links only to [`URL_SCHEMES`].
//! Ammonia is the authority on what is removed; [`scan`] walks the editor's own HTML with
//! lol_html against the same lists only to say, at `file:line:column`, what will go.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::diagnostics::{Diagnostic, SourceFile};

/// Elements an editor may write in Markdown, and that the Markdown renderer itself writes.
pub const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every allowed element (and any `aria-*`).
pub const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "dir",
    "id",
    "lang",
    "role",
    "tabindex",
    "title",
    "translate",
];

/// Attributes allowed on one element only.
pub const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "rel"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("img", &["alt", "height", "loading", "src", "width"]),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("ol", &["reversed", "start", "type"]),
    ("q", &["cite"]),
    ("td", &["colspan", "headers", "rowspan"]),
    ("th", &["abbr", "colspan", "headers", "rowspan", "scope"]),
    ("time", &["datetime"]),
];

/// Elements removed together with everything inside them.
pub const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "title", "select",
];

/// URL schemes a link or image may use. Anything else with a scheme is an error.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Attributes that hold a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "action", "formaction", "poster"];

/// How deeply raw HTML elements may nest on one page (see [`scan`]).
pub const MAX_HTML_DEPTH: usize = 100;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .generic_attribute_prefixes(HashSet::from(["aria-"]))
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
                .collect::<HashMap<_, HashSet<_>>>(),
        )
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true);
    b
});

/// Clean a page's HTML to the allow-list.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Why a URL may not be used, if it may not: its scheme is not one of [`URL_SCHEMES`].
/// Relative URLs (`/a/`, `a.html`, `#x`, `?q`) and Tryloyw's `@/page.md` are fine.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    if url.starts_with("@/") {
        return None;
    }
    match url::Url::parse(url) {
        Ok(u) if URL_SCHEMES.contains(&u.scheme()) => None,
        Ok(u) => Some(u.scheme().to_string()),
        Err(_) => None,
    }
}

/// The hint for a URL with a refused scheme.
pub fn scheme_hint(scheme: &str) -> String {
    let why = match scheme {
        "javascript" | "vbscript" => " runs code in the reader's browser",
        "data" => " hides a whole file inside the page",
        "file" => " points at a file on the reader's own computer",
        _ => " is not one Tryloyw publishes",
    };
    format!(
        "`{scheme}:`{why}; links and images may use {}, or a path on this site",
        URL_SCHEMES
            .iter()
            .map(|s| format!("{s}:"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// What cleaning will remove from the editor's HTML, as warnings, and refused URLs and HTML
/// nested too deeply, as errors. `raw` are the byte ranges of the page's raw HTML in
/// `source`; everything else is blanked out so that Markdown text is never read as HTML and
/// every position found is a position in the file.
pub fn scan(source: &SourceFile, raw: &[Range<usize>]) -> Vec<Diagnostic> {
    // The parser's spans of raw HTML events, in document order, inside the page's body; the
    // smallest start and largest end (and ranges that fit in the text) keep the slicing below
    // in bounds whatever their order.
    let text = &source.text;
    let raw: Vec<Range<usize>> = raw
        .iter()
        .filter(|r| r.start <= r.end && r.end <= text.len())
        .cloned()
        .collect();
    let (Some(start), Some(end)) = (
        raw.iter().map(|r| r.start).min(),
        raw.iter().map(|r| r.end).max(),
    ) else {
        return Vec::new();
    };
    let mut masked: Vec<u8> = text.as_bytes()[start..end]
        .iter()
        .map(|&b| if b == b'\n' { b'\n' } else { b' ' })
        .collect();
    for r in &raw {
        masked[r.start - start..r.end - start].copy_from_slice(&text.as_bytes()[r.clone()]);
    }
    // Only ASCII spaces replaced whole characters, and each kept range is a whole slice of
    // the text, so this cannot fail; an empty scan is the safe answer if it ever did.
    let Ok(masked) = String::from_utf8(masked) else {
        return Vec::new();
    };
    let found = std::cell::RefCell::new(Vec::new());
    let depth = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let too_deep = std::cell::Cell::new(false);
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
            let name = el.tag_name();
            let at = el.source_location().bytes();
            let span = start + at.start..start + at.end;
            let mut out = found.borrow_mut();
            if el.can_have_content() {
                depth.set(depth.get() + 1);
                if depth.get() > MAX_HTML_DEPTH && !too_deep.replace(true) {
                    out.push(
                        Diagnostic::error(format!(
                            "HTML here is nested more than {MAX_HTML_DEPTH} elements deep"
                        ))
                        .at(source, span.clone())
                        .hint("close elements you open; no page needs this much nesting"),
                    );
                }
                let depth = depth.clone();
                el.on_end_tag(lol_html::end_tag!(move |_| {
                    depth.set(depth.get().saturating_sub(1));
                    Ok(())
                }))?;
            }
            if !TAGS.contains(&name.as_str()) {
                let what = if REMOVED_WITH_CONTENT.contains(&name.as_str()) {
                    "was removed with its content"
                } else {
                    "was removed; its text is kept"
                };
                out.push(
                    Diagnostic::warning(format!("`<{name}>` is not allowed in pages and {what}"))
                        .at(source, span)
                        .code("html-removed")
                        .hint(allowed_hint()),
                );
                return Ok(());
            }
            for attr in el.attributes() {
                let attr_name = attr.name();
                if !attribute_allowed(&name, &attr_name) {
                    out.push(
                        Diagnostic::warning(format!(
                            "attribute `{attr_name}` on `<{name}>` is not allowed in pages and was removed"
                        ))
                        .at(source, span.clone())
                        .code("html-removed")
                        .hint(if attr_name.starts_with("on") {
                            "pages run no scripts; remove the attribute".to_string()
                        } else if attr_name == "style" {
                            "pages carry no inline styles (the Content-Security-Policy forbids them); use the theme's classes".to_string()
                        } else {
                            allowed_hint()
                        }),
                    );
                } else if URL_ATTRIBUTES.contains(&attr_name.as_str())
                    && let Some(scheme) = unsafe_scheme(&decode_attribute(&attr.value()))
                {
                    out.push(
                        Diagnostic::error(format!(
                            "`{attr_name}` on `<{name}>` uses the `{scheme}:` scheme"
                        ))
                        .at(source, span.clone())
                        .label("refused")
                        .hint(scheme_hint(&scheme)),
                    );
                }
            }
            Ok(())
        }));
    // lol_html fails only on memory limits it is not given here; nothing to report then.
    let _ = rewrite_str(&masked, settings);
    found.into_inner()
}

/// An attribute's value as a browser reads it: character references (`&#x09;`) decoded.
fn decode_attribute(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let html = format!("<a href=\"{}\"></a>", raw.replace('"', "&quot;"));
    let doc = scraper::Html::parse_fragment(&html);
    doc.root_element()
        .children()
        .find_map(|n| n.value().as_element()?.attr("href").map(str::to_string))
        .unwrap_or_default()
}

fn attribute_allowed(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || attr.starts_with("aria-")
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attr))
}

fn allowed_hint() -> String {
    "the HTML pages may use is listed in the README's Security section; write Markdown, or use a shortcode for tables and charts".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_keeps_what_editors_need() {
        let html = "<p><abbr title=\"Law Enforcement Data Service\">LEDS</abbr> <span lang=\"cy\">Croeso</span><br><sup>1</sup></p><details open><summary>More</summary><p>x</p></details>";
        assert_eq!(
            clean(html),
            html.replace("<details open>", "<details open=\"\">")
        );
    }

    #[test]
    fn cleaning_removes_script_frames_handlers_and_bad_urls() {
        let out = clean(
            "<script>alert(1)</script><iframe src=\"https://x\">f</iframe><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">a</a><a href=\"data:text/html,x\">d</a><p style=\"color:red\" onclick=\"x\">p</p><form action=\"/x\"><input name=q></form>",
        );
        for bad in [
            "script",
            "alert",
            "iframe",
            "onerror",
            "javascript",
            "data:",
            "style",
            "onclick",
            "form",
            "input",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(
            out.contains("<a>a</a>") && out.contains("<p>p</p>"),
            "{out}"
        );
    }

    #[test]
    fn schemes() {
        for ok in [
            "https://x.org/a",
            "mailto:a@b",
            "tel:+44",
            "/a/",
            "a.html",
            "#x",
            "?q=1",
            "@/a.md",
        ] {
            assert_eq!(unsafe_scheme(ok), None, "{ok}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("vbscript:x", "vbscript"),
            ("data:text/html,<b>", "data"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(unsafe_scheme(bad).as_deref(), Some(scheme), "{bad}");
        }
    }

    #[test]
    fn scan_reports_each_removal_where_it_is() {
        let text =
            "Text <b>bold</b> and <img src=x onerror=alert(1)>.\n\n<script>alert(1)</script>\n";
        let source = SourceFile::new("p.md", text);
        let img = text.find("<img").unwrap();
        let raw = vec![
            5..8,
            12..16,
            img..img + 28,
            text.find("<script").unwrap()..text.len() - 1,
        ];
        let d = scan(&source, &raw);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].location().unwrap(), "p.md:1:22");
        assert!(d[0].message.contains("`onerror`"));
        assert_eq!(d[1].location().unwrap(), "p.md:3:1");
        assert!(d[1].message.contains("`<script>`"));
    }

    #[test]
    fn scanning_takes_ranges_in_any_order_and_skips_ones_outside_the_text() {
        let text = "Text <b>bold</b> and <img src=x onerror=alert(1)>.\n";
        let source = SourceFile::new("p.md", text);
        let img = text.find("<img").unwrap();
        let d = scan(&source, &[img..img + 28, 5..8, 40..4000]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].location().unwrap(), "p.md:1:22");
    }
}
