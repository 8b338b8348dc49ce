//! Markdown → HTML with pulldown-cmark, plus what a transparency site needs on top: stable
//! heading ids and a contents list, `@/` internal links checked at build time, tables with
//! captions and header scopes (and no inline styles), callouts, highlighted code.

pub mod highlight;
pub mod sanitize;
pub mod shortcodes;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::html::push_html;
use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, SourceFile};

/// Ids the templates use; headings never take them.
pub const RESERVED_IDS: &[&str] = &["main-content", "contents", "contents-title", "footnotes"];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link to another page, to be checked once every page's heading ids are known.
#[derive(Debug, Clone)]
pub struct InternalLink {
    pub key: String,
    pub anchor: Option<String>,
    pub span: Range<usize>,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: HashSet<String>,
    pub links: Vec<InternalLink>,
    /// A shortcode on the page showed illustrative (sample) data.
    pub illustrative: bool,
}

/// What a shortcode expands to.
pub struct Expansion {
    pub html: String,
    pub illustrative: bool,
    /// Something worth telling the editor that does not stop the build (an empty chart).
    pub warning: Option<String>,
}

/// A shortcode that cannot be expanded: what is wrong, where, and how to fix it.
pub struct ShortcodeError {
    pub message: String,
    pub span: Range<usize>,
    pub hint: Option<String>,
}

pub type ShortcodeFn<'a> =
    &'a (dyn Fn(&shortcodes::Shortcode) -> Result<Expansion, ShortcodeError> + Sync);

/// What happens to raw HTML in Markdown (`[markdown] raw_html` in site.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Kept, cleaned to the allow-list in [`sanitize`]; each removal is a warning.
    #[default]
    Sanitise,
    /// Shown as text.
    Escape,
}

/// What rendering needs from the rest of the site.
pub struct Env<'a> {
    /// URL path of the page with this key in the page's language.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Localised titles for callouts: (information, warning) and the table region label.
    pub note_title: &'a str,
    pub warning_title: &'a str,
    pub table_label: &'a str,
    /// Expands `{{ name(…) }}` shortcodes.
    pub shortcode: ShortcodeFn<'a>,
    pub raw_html: RawHtml,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

pub fn render(source: &SourceFile, body: Range<usize>, env: &Env) -> (Rendered, Vec<Diagnostic>) {
    let offset = body.start;
    // `body` is a page's body range (see `Page::body`): inside `source.text`, on char boundaries.
    let raw = &source.text[body.clone()];
    let mut diags = Vec::new();
    if let Some(i) = raw.find([shortcodes::TOKEN_START, shortcodes::TOKEN_END]) {
        // The renderer's own placeholders: one typed in would stand for a shortcode.
        // `i` comes from `find` of a char in `raw`: a char boundary.
        let c = raw[i..].chars().next().map_or(0, char::len_utf8);
        diags.push(
            Diagnostic::error(
                "the private-use character U+E000 or U+E001 is not allowed in a page",
            )
            .at(source, offset + i..offset + i + c)
            .hint("delete it; it has no meaning in text"),
        );
        return (Rendered::default(), diags);
    }
    // Shortcodes are found only where Markdown has text (never in code, raw HTML, link
    // destinations or image descriptions) and become placeholders of the same length, so
    // spans below stay exact. They are expanded now, so headings and captions can show the
    // text of what they stand for.
    let (text, codes, syntax) = shortcodes::extract(raw, offset, &text_ranges(raw));
    diags.extend(syntax.into_iter().map(|e| {
        Diagnostic::error(format!("shortcode: {}", e.message))
            .at(source, e.span)
            .hint(
                "write shortcodes as {{ name(key=\"text\", number=3) }}, or `\\{{` for two braces",
            )
    }));
    let mut illustrative = false;
    let expansions: Vec<String> = codes
        .iter()
        .map(|code| match (env.shortcode)(code) {
            Ok(e) => {
                illustrative |= e.illustrative;
                if let Some(w) = e.warning {
                    diags.push(Diagnostic::warning(w).at(source, code.span.clone()));
                }
                e.html
            }
            Err(e) => {
                let mut d = Diagnostic::error(e.message).at(source, e.span);
                if let Some(h) = e.hint {
                    d = d.hint(h);
                }
                diags.push(d);
                // The span is a slice `extract` took of `raw`, shifted by `offset`.
                escape(&source.text[code.span.clone()])
            }
        })
        .collect();
    let tokens = Tokens::new(&codes, &expansions);
    let text = text.as_str();
    let mut state = State {
        out: Vec::new(),
        diags,
        ids: HashSet::new(),
        headings: Vec::new(),
        links: Vec::new(),
        raw_html: Vec::new(),
        source,
        env,
        tokens: &tokens,
    };
    state.ids.extend(RESERVED_IDS.iter().map(|s| s.to_string()));
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start + offset..r.end + offset))
        .collect();
    if let Some(d) = too_deep(source, &events) {
        state.diags.push(d);
        return (Rendered::default(), state.diags);
    }
    state.run(events);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    push_html(&mut html, state.out.into_iter());
    let mut diags = state.diags;
    if !state.raw_html.is_empty() {
        diags.extend(sanitize::scan(source, &state.raw_html));
        html = sanitize::clean(&html);
    }
    for (token, expansion) in tokens.pairs() {
        // A shortcode alone in its paragraph is a block; otherwise it is inline.
        let block = format!("<p>{token}</p>");
        html = if html.contains(&block) {
            html.replacen(&block, expansion, 1)
        } else {
            html.replacen(token, expansion, 1)
        };
    }
    let mut ids = state.ids;
    for r in RESERVED_IDS {
        ids.remove(*r);
    }
    let rendered = Rendered {
        html,
        toc: build_toc(&state.headings),
        ids,
        links: state.links,
        illustrative,
    };
    (rendered, diags)
}

/// How deeply lists and quotes may nest. Deeper structure is no real document, and would
/// exhaust the stack of the steps after this one (minifying, PDF layout).
pub const MAX_DEPTH: usize = 32;

/// An error at the first place a page's Markdown nests deeper than [`MAX_DEPTH`].
fn too_deep(source: &SourceFile, events: &[(Event, Range<usize>)]) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for (e, span) in events {
        match e {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(
                        Diagnostic::error(format!(
                            "lists and quotes are nested more than {MAX_DEPTH} levels deep here"
                        ))
                        .at(source, span.start..span.start + 1)
                        .hint("no page needs this much nesting; split it into headings and shorter lists"),
                    );
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Byte ranges of `text` where Markdown has text a reader sees as prose: not code, raw HTML,
/// a link's destination or an image's description.
fn text_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut in_code = 0usize;
    let mut in_image = 0usize;
    for (e, r) in Parser::new_ext(text, options()).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(_) if in_code == 0 && in_image == 0 => match ranges.last_mut() {
                Some(last) if last.end == r.start => last.end = r.end,
                _ => ranges.push(r),
            },
            _ => {}
        }
    }
    ranges
}

/// Each shortcode's placeholder with its HTML, and the plain text that HTML shows.
struct Tokens {
    entries: Vec<(String, String, String)>,
}

impl Tokens {
    fn new(codes: &[shortcodes::Shortcode], expansions: &[String]) -> Tokens {
        let entries = codes
            .iter()
            .zip(expansions)
            .enumerate()
            .map(|(n, (code, html))| {
                (
                    shortcodes::token(n, code.span.len()),
                    html.clone(),
                    html_to_text(html),
                )
            })
            .collect();
        Tokens { entries }
    }

    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|(t, h, _)| (t.as_str(), h.as_str()))
    }

    /// `text` with each placeholder replaced by the plain text of its shortcode.
    fn to_text(&self, text: &str) -> String {
        let mut out = text.to_string();
        if out.contains(shortcodes::TOKEN_START) {
            for (token, _, plain) in &self.entries {
                out = out.replacen(token.as_str(), plain, 1);
            }
        }
        out
    }
}

/// The text a reader sees in a piece of HTML.
fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.to_string();
    }
    let doc = scraper::Html::parse_fragment(html);
    let text: String = doc.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct State<'a, 'e> {
    out: Vec<Event<'a>>,
    diags: Vec<Diagnostic>,
    ids: HashSet<String>,
    headings: Vec<(u8, String, String)>,
    links: Vec<InternalLink>,
    /// Where the page's raw HTML is, to say what sanitising removes.
    raw_html: Vec<Range<usize>>,
    source: &'a SourceFile,
    env: &'a Env<'e>,
    tokens: &'a Tokens,
}

impl<'a> State<'a, '_> {
    fn run(&mut self, events: Vec<(Event<'a>, Range<usize>)>) {
        let mut iter = events.into_iter().peekable();
        let mut table: Option<TableState> = None;
        while let Some((event, span)) = iter.next() {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    // Gather the heading's inline events to get its text before choosing an id.
                    let mut inner = Vec::new();
                    for (e, s) in iter.by_ref() {
                        if matches!(e, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        inner.push((e, s));
                    }
                    let text = self
                        .tokens
                        .to_text(&plain_text(inner.iter().map(|(e, _)| e)));
                    let id = self.heading_id(id, &text, span.clone());
                    if !attrs.is_empty() {
                        self.diags.push(
                            Diagnostic::warning("heading attributes other than `{#id}` and `{.class}` are not published")
                                .at(self.source, span.clone())
                                .code("html-removed")
                                .hint("remove the `key=value` part of the heading's `{…}`"),
                        );
                    }
                    if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                        self.headings.push((level as u8, id.clone(), text));
                    }
                    self.out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes,
                        attrs: Vec::new(),
                    }));
                    self.run(inner);
                    self.out.push(Event::End(TagEnd::Heading(level)));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest = self.link_target(&dest_url, span.clone());
                    let dest = self.refuse_shortcode(dest, span.clone(), "a link");
                    let dest = self.refuse_scheme(dest, span, "link");
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest = self.refuse_shortcode(dest_url, span.clone(), "an image");
                    let dest = self.refuse_scheme(dest, span, "image");
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
                Event::Html(html) | Event::InlineHtml(html) => match self.env.raw_html {
                    RawHtml::Sanitise => {
                        self.raw_html.push(span);
                        self.out.push(Event::InlineHtml(html));
                    }
                    RawHtml::Escape => self.out.push(Event::Text(html)),
                },
                Event::Start(Tag::HtmlBlock) if self.env.raw_html == RawHtml::Escape => {
                    self.out.push(Event::Start(Tag::Paragraph));
                }
                Event::End(TagEnd::HtmlBlock) if self.env.raw_html == RawHtml::Escape => {
                    self.out.push(Event::End(TagEnd::Paragraph));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let mut code = String::new();
                    for (e, _) in iter.by_ref() {
                        match e {
                            Event::Text(t) => code.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    self.out.push(Event::Html(code_block(&kind, &code).into()));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, title) = match kind {
                        BlockQuoteKind::Warning | BlockQuoteKind::Caution => {
                            ("warning", self.env.warning_title)
                        }
                        _ => ("info", self.env.note_title),
                    };
                    self.out.push(Event::Html(
                        format!(
                            "<div class=\"callout callout--{class}\" role=\"note\"><p class=\"callout__title\">{}</p>",
                            escape(title)
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    self.out.push(Event::Html("</div>".into()));
                }
                Event::Start(Tag::Table(alignments)) => {
                    let caption = self.take_caption();
                    let label = self.table_label(caption.as_deref());
                    let mut html = format!(
                        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\"><table>"
                    );
                    if let Some(c) = caption {
                        html.push_str(&format!("<caption>{c}</caption>"));
                    }
                    self.out.push(Event::Html(html.into()));
                    table = Some(TableState {
                        alignments,
                        in_head: false,
                        cell: 0,
                    });
                }
                Event::Start(Tag::TableHead) => {
                    if let Some(t) = table.as_mut() {
                        t.in_head = true;
                        t.cell = 0;
                    }
                    self.out.push(Event::Html("<thead><tr>".into()));
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(t) = table.as_mut() {
                        t.in_head = false;
                    }
                    self.out.push(Event::Html("</tr></thead><tbody>".into()));
                }
                Event::Start(Tag::TableRow) => {
                    if let Some(t) = table.as_mut() {
                        t.cell = 0;
                    }
                    self.out.push(Event::Html("<tr>".into()));
                }
                Event::End(TagEnd::TableRow) => self.out.push(Event::Html("</tr>".into())),
                Event::Start(Tag::TableCell) => {
                    let html = table
                        .as_ref()
                        .map_or_else(String::new, TableState::open_cell);
                    self.out.push(Event::Html(html.into()));
                }
                Event::End(TagEnd::TableCell) => {
                    let head = table.as_ref().is_some_and(|t| t.in_head);
                    if let Some(t) = table.as_mut() {
                        t.cell += 1;
                    }
                    self.out
                        .push(Event::Html(if head { "</th>" } else { "</td>" }.into()));
                }
                Event::End(TagEnd::Table) => {
                    table = None;
                    self.out.push(Event::Html("</tbody></table></div>".into()));
                }
                other => self.out.push(other),
            }
        }
    }

    fn heading_id(&mut self, explicit: Option<CowStr>, text: &str, span: Range<usize>) -> String {
        if let Some(id) = explicit {
            let id = id.to_string();
            if !self.ids.insert(id.clone()) {
                self.diags.push(
                    Diagnostic::error(format!("heading id `{id}` is used twice on this page"))
                        .at(self.source, span)
                        .hint("heading ids must be unique on a page; choose another `{#id}`"),
                );
            }
            return id;
        }
        let base = match slug::slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    fn link_target(&mut self, dest: &CowStr<'a>, span: Range<usize>) -> CowStr<'a> {
        let Some(rest) = dest.strip_prefix("@/") else {
            return dest.clone();
        };
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (rest, None),
        };
        let key = if path.is_empty() || path.ends_with('/') {
            format!("{path}_index.md")
        } else {
            path.to_string()
        };
        let span = self.dest_span(dest, span);
        match (self.env.resolve)(&key) {
            Some(url) => {
                self.links.push(InternalLink {
                    key,
                    anchor: anchor.clone(),
                    span,
                });
                match anchor {
                    Some(a) => format!("{url}#{a}").into(),
                    None => url.into(),
                }
            }
            None => {
                let hint = if key.matches('.').count() > 1 {
                    "link to the default-language file (`page.md`, not `page.cy.md`): the link goes to the twin in the page's own language".to_string()
                } else {
                    format!(
                        "no file content/{key}; links name a file under content/, like `@/about.md`"
                    )
                };
                self.diags.push(
                    Diagnostic::error(format!("broken internal link `{dest}`"))
                        .at(self.source, span)
                        .label("no such page")
                        .hint(hint),
                );
                dest.clone()
            }
        }
    }

    /// An error for a link or image whose address holds a shortcode. A shortcode is found only
    /// in prose, but `[a]({{ lang(…) }})` is prose (an address has no spaces), and becomes a link
    /// once the shortcode is a placeholder: its address would be the placeholder.
    fn refuse_shortcode(&mut self, dest: CowStr<'a>, span: Range<usize>, what: &str) -> CowStr<'a> {
        if !dest.contains(shortcodes::TOKEN_START) {
            return dest;
        }
        self.diags.push(
            Diagnostic::error(format!("a shortcode cannot be the address of {what}"))
                .at(self.source, span)
                .hint("write the address itself; shortcodes make tables, charts and text"),
        );
        CowStr::from("")
    }

    /// An error for a link or image whose address uses a scheme other than [`sanitize::URL_SCHEMES`].
    fn refuse_scheme(&mut self, dest: CowStr<'a>, span: Range<usize>, what: &str) -> CowStr<'a> {
        let Some(scheme) = sanitize::unsafe_scheme(&dest) else {
            return dest;
        };
        let at = self.dest_span(&dest, span);
        self.diags.push(
            Diagnostic::error(format!("{what} address uses the `{scheme}:` scheme"))
                .at(self.source, at)
                .label("refused")
                .hint(sanitize::scheme_hint(&scheme)),
        );
        CowStr::from("")
    }

    /// The link's destination inside the link's source text, for a precise underline.
    /// `span` is the parser's, over the text with shortcode placeholders; `get` keeps this
    /// total should it ever not be a slice of the file.
    fn dest_span(&self, dest: &str, span: Range<usize>) -> Range<usize> {
        self.source
            .text
            .get(span.clone())
            .and_then(|text| text.find(dest))
            .map_or(span.clone(), |i| {
                span.start + i..span.start + i + dest.len()
            })
    }

    /// A paragraph `Table: ...` right before a table becomes its caption.
    fn take_caption(&mut self) -> Option<String> {
        if !matches!(self.out.last(), Some(Event::End(TagEnd::Paragraph))) {
            return None;
        }
        let start = self
            .out
            .iter()
            .rposition(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
        // The last event is the paragraph's end, so `start` (its start) is before it.
        let inner = &self.out[start + 1..self.out.len() - 1];
        let Some(Event::Text(first)) = inner.first() else {
            return None;
        };
        // `Table:` or the page language's word for it (`Tabl:`).
        let local = format!("{}:", self.env.table_label);
        let rest = first
            .strip_prefix("Table:")
            .or_else(|| first.strip_prefix(local.as_str()))?
            .trim_start()
            .to_string();
        let mut events = vec![Event::Text(rest.into())];
        // `inner` has a first event, matched above.
        events.extend(inner[1..].iter().cloned());
        let mut html = String::new();
        push_html(&mut html, events.into_iter());
        self.out.truncate(start);
        Some(html)
    }

    /// A table's accessible name: its caption's text, shortcodes shown as their text.
    fn table_label(&self, caption: Option<&str>) -> String {
        match caption {
            Some(c) => escape(&self.tokens.to_text(&html_to_text(c))),
            None => escape(self.env.table_label),
        }
    }
}

struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

impl TableState {
    fn open_cell(&self) -> String {
        let class = match self.alignments.get(self.cell) {
            Some(Alignment::Right) => " class=\"align-right\"",
            Some(Alignment::Center) => " class=\"align-centre\"",
            _ => "",
        };
        if self.in_head {
            format!("<th scope=\"col\"{class}>")
        } else {
            format!("<td{class}>")
        }
    }
}

fn code_block(kind: &CodeBlockKind, code: &str) -> String {
    let lang = match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
        CodeBlockKind::Indented => "",
    };
    let body = (!lang.is_empty())
        .then(|| highlight::highlight(code, lang))
        .flatten()
        .unwrap_or_else(|| escape(code));
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    format!("<pre class=\"code\" tabindex=\"0\"><code{class}>{body}</code></pre>\n")
}

fn plain_text<'a>(events: impl Iterator<Item = &'a Event<'a>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        match toc.last_mut() {
            Some(parent) if *level > parent.level => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> (Rendered, Vec<Diagnostic>) {
        md_with(text, RawHtml::Sanitise)
    }

    fn errors(d: &[Diagnostic]) -> Vec<&Diagnostic> {
        d.iter().filter(|d| d.is_error()).collect()
    }

    fn md_with(text: &str, raw_html: RawHtml) -> (Rendered, Vec<Diagnostic>) {
        let source = SourceFile::new("p.md", text);
        let resolve = |key: &str| (key == "about.md").then(|| "/cy/am/".to_string());
        let shortcode = |c: &shortcodes::Shortcode| match c.name.as_str() {
            "figure" => Ok(Expansion {
                html: "1,234".into(),
                illustrative: true,
                warning: None,
            }),
            _ => Err(ShortcodeError {
                message: format!("unknown shortcode `{}`", c.name),
                span: c.span.clone(),
                hint: None,
            }),
        };
        let env = Env {
            resolve: &resolve,
            note_title: "Gwybodaeth",
            warning_title: "Rhybudd",
            table_label: "Tabl",
            shortcode: &shortcode,
            raw_html,
        };
        render(&source, 0..text.len(), &env)
    }

    #[test]
    fn welsh_heading_ids_are_ascii_and_unique() {
        let (r, d) = md("## Ŵyr a ŷd\n\n## Ŵyr a ŷd\n\n### Beth yw’r LEDS?\n\n## Contents\n");
        assert!(d.is_empty());
        assert!(r.html.contains("<h2 id=\"wyr-a-yd\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"wyr-a-yd-1\">"));
        assert!(r.html.contains("id=\"contents-1\""), "reserved id avoided");
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[1].children[0].title, "Beth yw’r LEDS?");
    }

    #[test]
    fn internal_links_resolve_or_fail_with_span() {
        let (r, d) = md("See [about](@/about.md#who) and [gone](@/missing.md).\n");
        assert!(r.html.contains("href=\"/cy/am/#who\""));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location().unwrap(), "p.md:1:40");
        assert_eq!(
            &d[0].source.as_ref().unwrap().text[d[0].span.clone()],
            "@/missing.md"
        );
        assert_eq!(r.links[0].anchor.as_deref(), Some("who"));
    }

    #[test]
    fn tables_have_scopes_captions_and_no_styles() {
        let (r, _) =
            md("Table: Searches by year\n\n| Year | Searches |\n|---|---:|\n| 2020 | 1,000 |\n");
        assert!(
            r.html.contains("<caption>Searches by year</caption>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<th scope=\"col\" class=\"align-right\">Searches</th>")
        );
        assert!(r.html.contains("<td class=\"align-right\">1,000</td>"));
        assert!(!r.html.contains("style="));
        assert!(!r.html.contains("<p>Table:"));
    }

    #[test]
    fn callouts_and_code() {
        let (r, _) = md("> [!WARNING]\n> Take care.\n\n```toml\ntitle = \"x\"\n```\n");
        assert!(r.html.contains("callout--warning"));
        assert!(r.html.contains("<p class=\"callout__title\">Rhybudd</p>"));
        assert!(r.html.contains("class=\"language-toml\""));
        assert!(r.html.contains("hl-"));
    }

    #[test]
    fn shortcodes_expand_inline_and_report_errors_at_their_span() {
        let (r, d) =
            md("There were {{ figure(data=\"searches\") }} searches.\n\n{{ nope(x=1) }}\n");
        assert!(r.html.contains("There were 1,234 searches."), "{}", r.html);
        assert!(r.illustrative);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "unknown shortcode `nope`");
        assert_eq!(d[0].location().unwrap(), "p.md:3:1");
        assert!(
            r.html.contains("{{ nope(x=1) }}"),
            "a failed shortcode shows as text"
        );
    }

    #[test]
    fn raw_text_is_escaped() {
        let (r, _) = md("5 < 6 & \"quotes\"\n");
        assert!(r.html.contains("5 &lt; 6 &amp;"));
    }

    #[test]
    fn shortcodes_in_code_are_text_and_a_backslash_escapes_them() {
        let text = "    {{ lang(code=\"en\", text=\"Hi\") }}\n    {{ get_url(path=\"about\") }}\n\n`{{ figure(x=1) }}`\n\n```\n{{ figure(x=1) }}\n```\n\nShown: \\{{ figure(x=1) }}\n";
        let (r, d) = md(text);
        assert!(d.is_empty(), "{d:?}");
        assert!(!r.html.contains("1,234"), "nothing expanded: {}", r.html);
        assert!(
            r.html.contains("{{ get_url(path=&quot;about&quot;) }}"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<p>Shown: {{ figure(x=1) }}</p>"),
            "no stray backslash: {}",
            r.html
        );
    }

    #[test]
    fn headings_and_captions_show_a_shortcode_as_its_text() {
        let (r, d) = md(
            "## Searches: {{ figure(data=\"searches\") }}\n\nTable: In {{ figure(data=\"x\") }} & more\n\n| a |\n|---|\n| 1 |\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.toc[0].title, "Searches: 1,234");
        assert_eq!(r.toc[0].id, "searches-1-234");
        assert!(
            r.html.contains("aria-label=\"In 1,234 &amp; more\""),
            "{}",
            r.html
        );
        assert!(
            !r.html.contains('\u{E000}') && !r.html.contains("xxx"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_sanitised_with_a_warning_where_each_removal_is() {
        let text = "Hi <abbr title=\"x\">LEDS</abbr>.\n\n<script>alert(1)</script>\n\n<iframe src=\"https://e.org\"></iframe>\n\n<details>\n<summary>More</summary>\n\nMarkdown *inside*.\n\n</details>\n";
        let (r, d) = md(text);
        assert!(errors(&d).is_empty(), "{d:?}");
        let at: Vec<String> = d.iter().map(|d| d.location().unwrap()).collect();
        assert_eq!(at, ["p.md:3:1", "p.md:5:1"], "{d:?}");
        assert!(d[0].message.contains("`<script>`") && d[1].message.contains("`<iframe>`"));
        assert!(
            !r.html.contains("script") && !r.html.contains("iframe"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<abbr title=\"x\">LEDS</abbr>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "<details>\n<summary>More</summary>\n<p>Markdown <em>inside</em>.</p>\n</details>"
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_can_be_shown_as_text() {
        let (r, d) = md_with(
            "<script>alert(1)</script>\n\nA <b>b</b>.\n",
            RawHtml::Escape,
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            r.html
        );
        assert!(r.html.contains("A &lt;b&gt;b&lt;/b&gt;."), "{}", r.html);
    }

    #[test]
    fn dangerous_link_schemes_are_errors_at_the_address() {
        let text = "[a](javascript:alert(1)) ![i](data:text/html,x) <vbscript:x> [ok](https://e.org) <a href=\"jav&#x09;ascript:x\">r</a>\n";
        let (r, d) = md(text);
        let e = errors(&d);
        assert_eq!(e.len(), 4, "{d:?}");
        assert_eq!(&text[e[0].span.clone()], "javascript:alert(1)");
        assert_eq!(e[0].location().unwrap(), "p.md:1:5");
        assert_eq!(&text[e[1].span.clone()], "data:text/html,x");
        assert!(e[2].message.contains("`vbscript:`"));
        assert!(e[3].message.contains("`javascript:`"), "{:?}", e[3]);
        assert!(
            !r.html.contains("=\"javascript") && !r.html.contains("=\"vbscript"),
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_attributes_cannot_add_handlers() {
        let (r, d) = md("## Title {#t .c onclick=alert(1)}\n");
        assert!(r.html.contains("<h2 id=\"t\" class=\"c\">"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let lists = format!("{}x\n", "- ".repeat(10_000));
        let quotes = format!("{}x\n", ">".repeat(10_000));
        for text in [lists, quotes] {
            let (_, d) = md(&text);
            assert_eq!(d.len(), 1, "{d:?}");
            assert!(
                d[0].message.contains("nested more than 32"),
                "{}",
                d[0].message
            );
        }
        let html = "<div>".repeat(10_000);
        let (_, d) = md(&html);
        assert_eq!(errors(&d).len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("nested more than"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn typed_placeholder_characters_are_refused() {
        let (_, d) = md("a \u{E000}0\u{E001}xx b\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location().unwrap(), "p.md:1:3");
    }
}
