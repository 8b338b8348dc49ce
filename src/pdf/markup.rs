//! Typst markup for an edition, from the same chapters as its HTML page. Every text value is
//! escaped for Typst ([`escape::typst_markup`] for text in markup, [`escape::typst_string`] for
//! values in code).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use scraper::{ElementRef, Html, Node};

use crate::escape;
use crate::print::Edition;
use crate::site::Site;

/// Tables with at most this many rows are kept on one page.
const SHORT_TABLE: usize = 25;

fn label_ok(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub fn edition(site: &Site, e: &Edition) -> String {
    let lang = site.content.pages[e.source].lang;
    let t = |key: &str| site.theme.strings.get(lang, key).unwrap_or(key).to_string();
    let site_title = site
        .config
        .title
        .get(lang.code)
        .cloned()
        .unwrap_or_default();
    let mut out = String::new();
    let title = &e.title;
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {}, date: datetime(year: {}, month: {}, day: {}))",
        escape::typst_string(title),
        escape::typst_string(&site_title),
        site.data.today.year(),
        site.data.today.month(),
        site.data.today.day(),
    );
    let _ = writeln!(
        out,
        "#set text(lang: {}, font: (\"DejaVu Sans\",), size: 10pt)",
        escape::typst_string(lang.code)
    );
    out.push_str(concat!(
        "#set par(justify: false, leading: 0.65em, spacing: 1.1em)\n",
        "#show raw: set text(font: \"DejaVu Sans Mono\", size: 8.5pt)\n",
        "#show heading: set block(above: 1.4em, below: 0.8em)\n",
        "#show heading.where(level: 2): set text(size: 13pt)\n",
        "#show heading.where(level: 3): set text(size: 11pt)\n",
        "#show link: underline\n",
        "#set table(stroke: 0.5pt + luma(160), inset: 4pt)\n",
        "#show table: set text(size: 8.5pt)\n",
        "#show figure: set block(breakable: true)\n",
        "#show figure.where(kind: image): set block(breakable: false)\n",
        "#show figure.caption: set text(weight: \"bold\")\n",
        "#show figure.where(kind: table): set figure.caption(position: top)\n",
        "#show figure.where(kind: image): set figure.caption(position: top)\n",
        "#set footnote.entry(separator: line(length: 30%, stroke: 0.5pt))\n",
        "#show footnote.entry: set text(size: 8.5pt)\n",
    ));
    // Chapters of a section's edition start on a new page; the parts of a page run on.
    if e.of_page {
        out.push_str("#show heading.where(level: 1): set block(above: 2.4em)\n");
        out.push_str("#show heading.where(level: 1): set text(size: 16pt)\n");
    } else {
        out.push_str(
            "#show heading.where(level: 1): it => { pagebreak(weak: true); text(size: 18pt, it) }\n",
        );
    }
    // Every heading id the chapters hold can be a link target; footnotes are found by id.
    let parsed: Vec<Html> = std::iter::once(&e.preamble)
        .chain(e.chapters.iter().map(|c| &c.html))
        .map(|html| Html::parse_fragment(html))
        .collect();
    let mut labels: HashSet<String> = HashSet::new();
    for c in &e.chapters {
        labels.insert(c.id.clone());
        for h in &c.headings {
            labels.insert(h.id.clone());
        }
    }
    let mut notes: HashMap<String, ElementRef> = HashMap::new();
    let mut referenced: HashSet<String> = HashSet::new();
    for html in &parsed {
        for el in html
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            let id = el.value().attr("id");
            match el.value().name() {
                "h2" | "h3" | "h4" | "h5" | "h6" => labels.extend(id.map(str::to_string)),
                "div" if class_has(&el, "footnote-definition") => {
                    if let Some(id) = id {
                        notes.insert(id.to_string(), el);
                    }
                }
                "sup" if class_has(&el, "footnote-reference") => referenced.extend(
                    el.descendants()
                        .filter_map(ElementRef::wrap)
                        .filter_map(|a| a.value().attr("href"))
                        .filter_map(|h| h.strip_prefix('#'))
                        .map(str::to_string),
                ),
                _ => {}
            }
        }
    }
    let emitted = RefCell::new(HashSet::new());
    let mut w = Writer {
        out,
        labels: &labels,
        base: site.config.permalink(""),
        notes: &notes,
        referenced: &referenced,
        emitted: &emitted,
        in_note: false,
    };
    // Cover: no page number.
    w.out
        .push_str("#set page(paper: \"a4\", margin: (x: 2cm, y: 2.5cm), numbering: none)\n");
    let _ = writeln!(
        w.out,
        "#text(size: 11pt)[{}]\n",
        escape::typst_markup(&site_title)
    );
    w.out.push_str("#v(3cm)\n");
    // The document's title (from `set document`), tagged as its Title.
    w.out
        .push_str("#show title: set text(size: 28pt, weight: \"bold\")\n#title()\n\n");
    if let Some(d) = &e.description {
        let _ = writeln!(w.out, "#text(size: 13pt)[{}]\n", escape::typst_markup(d));
    }
    w.out.push_str("#v(1cm)\n");
    let rows: Vec<(String, &String)> = [
        e.status.as_ref().map(|v| (t("print.status"), v)),
        e.version.as_ref().map(|v| (t("print.version"), v)),
        e.published.as_ref().map(|v| (t("published"), v)),
        e.updated.as_ref().map(|v| (t("updated"), v)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !rows.is_empty() {
        w.out
            .push_str("#grid(columns: 2, column-gutter: 1em, row-gutter: 0.6em,\n");
        for (k, v) in &rows {
            let _ = writeln!(
                w.out,
                "  strong[{}], [{}],",
                escape::typst_markup(k),
                escape::typst_markup(v)
            );
        }
        w.out.push_str(")\n\n");
    }
    if let Some(preamble) = parsed.first()
        && !e.preamble.trim().is_empty()
    {
        w.out.push_str("#v(0.5cm)\n");
        w.blocks(preamble.root_element());
    }
    w.out.push_str("#v(1fr)\n");
    let _ = writeln!(
        w.out,
        "{}. {} #link({})[{}]{}.\n",
        escape::typst_markup(&t("footer.copyright")),
        escape::typst_markup(&t("footer.licence_before")),
        escape::typst_string(&t("footer.licence_url")),
        escape::typst_markup(&t("footer.licence_link")),
        escape::typst_markup(&t("footer.licence_after")),
    );
    let printed = t("print.printed");
    let (before, after) = printed.split_once("{url}").unwrap_or((&printed, ""));
    let _ = writeln!(
        w.out,
        "{}#link({})[{}]{}\n",
        escape::typst_markup(before),
        escape::typst_string(&e.url),
        escape::typst_markup(&e.url),
        escape::typst_markup(&after.replace("{date}", &e.printed_on)),
    );
    // Contents, then the chapters, numbered from here.
    w.out
        .push_str("#pagebreak()\n#set page(numbering: \"1 / 1\", number-align: center)\n");
    let _ = writeln!(
        w.out,
        "#outline(title: [{}], depth: 2, indent: auto)\n#pagebreak(weak: true)\n",
        escape::typst_markup(&t("contents"))
    );
    // `parsed` is the preamble, then one document per chapter.
    for (c, html) in e.chapters.iter().zip(parsed.iter().skip(1)) {
        let _ = write!(w.out, "\n= {} {}", c.number, escape::typst_markup(&c.title));
        if label_ok(&c.id) {
            let _ = write!(w.out, " <{}>", c.id);
        }
        w.out.push_str("\n\n");
        w.blocks(html.root_element());
    }
    w.out
}

struct Writer<'a> {
    out: String,
    /// Ids that are Typst labels: links to them work in the PDF.
    labels: &'a HashSet<String>,
    base: String,
    /// Footnote definitions by id, the ones something refers to, and those already written
    /// (a second reference to one points at the first).
    notes: &'a HashMap<String, ElementRef<'a>>,
    referenced: &'a HashSet<String>,
    emitted: &'a RefCell<HashSet<String>>,
    /// Writing a footnote's text: references inside it are plain superscripts.
    in_note: bool,
}

fn class_has(el: &ElementRef, class: &str) -> bool {
    el.value()
        .attr("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn text_of(el: ElementRef) -> String {
    el.text().collect::<String>()
}

impl<'a> Writer<'a> {
    /// Block-level children of an element, each separated by a blank line.
    fn blocks(&mut self, el: ElementRef) {
        let mut inline = String::new();
        for node in el.children() {
            match node.value() {
                Node::Text(t) => inline.push_str(&escape::typst_markup(t)),
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(node) else {
                        continue;
                    };
                    if is_block(child.value().name()) {
                        self.flush(&mut inline);
                        self.block(child);
                    } else {
                        inline.push_str(&self.inline(child));
                    }
                }
                _ => {}
            }
        }
        self.flush(&mut inline);
    }

    fn flush(&mut self, inline: &mut String) {
        if !inline.trim().is_empty() {
            self.out.push_str(inline.trim());
            self.out.push_str("\n\n");
        }
        inline.clear();
    }

    fn block(&mut self, el: ElementRef) {
        let name = el.value().name();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                // Chapter headings are level 1; the chapter's own headings were demoted to
                // h3 and below, so h3 is level 2.
                let level = name[1..]
                    .parse::<usize>()
                    .unwrap_or(3)
                    .saturating_sub(1)
                    .max(2);
                let text = self.inline_children(el);
                let _ = write!(self.out, "{} {}", "=".repeat(level), text.trim());
                if let Some(id) = el.value().attr("id")
                    && label_ok(id)
                {
                    let _ = write!(self.out, " <{id}>");
                }
                self.out.push_str("\n\n");
            }
            "p" => {
                let text = self.inline_children(el);
                if !text.trim().is_empty() {
                    self.out.push_str(text.trim());
                    self.out.push_str("\n\n");
                }
            }
            "ul" | "ol" => {
                let mut items = Vec::new();
                for li in el.child_elements().filter(|c| c.value().name() == "li") {
                    let mut sub = self.sub();
                    sub.blocks(li);
                    items.push(format!("[{}]", sub.out.trim()));
                }
                let func = if name == "ul" { "list" } else { "enum" };
                let start = el
                    .value()
                    .attr("start")
                    .and_then(|s| s.parse::<u64>().ok())
                    .map(|n| format!("start: {n}, "))
                    .unwrap_or_default();
                let _ = writeln!(self.out, "#{func}({start}{})\n", items.join(", "));
            }
            "pre" => {
                let code = text_of(el);
                let _ = writeln!(
                    self.out,
                    "#block(fill: luma(245), inset: 6pt, width: 100%, raw(block: true, {}))\n",
                    escape::typst_string(code.trim_end_matches('\n'))
                );
            }
            "blockquote" => {
                let mut sub = self.sub();
                sub.blocks(el);
                let _ = writeln!(self.out, "#quote(block: true)[{}]\n", sub.out.trim());
            }
            "table" => self.table(el),
            "figure" if class_has(&el, "chart") => self.chart(el),
            "div"
                if class_has(&el, "footnote-definition")
                    && el.value().attr("id").is_some_and(|id| {
                        self.referenced.contains(id) && self.notes.contains_key(id)
                    }) => {}
            "div" if class_has(&el, "callout") => {
                let mut title = String::new();
                let mut sub = self.sub();
                for child in el.child_elements() {
                    if class_has(&child, "callout__title") {
                        title = self.inline_children(child);
                    } else if is_block(child.value().name()) {
                        sub.block(child);
                    } else {
                        let s = sub.inline(child);
                        sub.out.push_str(&s);
                    }
                }
                let _ = writeln!(
                    self.out,
                    "#block(stroke: (left: 3pt + rgb(\"#1d70b8\")), inset: (left: 10pt, y: 6pt), width: 100%, breakable: true)[*{}*\n\n{}]\n",
                    title.trim(),
                    sub.out.trim()
                );
            }
            "hr" => self.out.push_str("#line(length: 100%, stroke: 0.5pt)\n\n"),
            "dl" => self.description_list(el),
            "details" => {
                for child in el.child_elements() {
                    if child.value().name() == "summary" {
                        let _ = writeln!(self.out, "*{}*\n", self.inline_children(child).trim());
                    } else if is_block(child.value().name()) {
                        self.block(child);
                    } else {
                        let s = self.inline(child);
                        self.out.push_str(&s);
                        self.out.push_str("\n\n");
                    }
                }
            }
            "svg" | "script" | "style" | "template" | "button" => {}
            _ => self.blocks(el),
        }
    }

    fn sub(&self) -> Writer<'a> {
        Writer {
            out: String::new(),
            labels: self.labels,
            base: self.base.clone(),
            notes: self.notes,
            referenced: self.referenced,
            emitted: self.emitted,
            in_note: self.in_note,
        }
    }

    /// A footnote reference: the note itself the first time, a reference to it after.
    fn footnote(&self, el: ElementRef) -> String {
        let id = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .find_map(|a| a.value().attr("href"))
            .and_then(|h| h.strip_prefix('#'))
            .unwrap_or_default();
        let label = format!("fn-{id}");
        // Marks side by side are told apart by a comma: ¹,² rather than ¹².
        let sep = if el
            .prev_sibling()
            .and_then(ElementRef::wrap)
            .is_some_and(|p| class_has(&p, "footnote-reference"))
        {
            "#super[,]"
        } else {
            ""
        };
        let Some(note) = self.notes.get(id).filter(|_| !self.in_note && label_ok(id)) else {
            return format!("{sep}#super[{}]", self.inline_children(el));
        };
        if !self.emitted.borrow_mut().insert(id.to_string()) {
            return format!("{sep}#footnote(<{label}>)");
        }
        let mut sub = self.sub();
        sub.in_note = true;
        sub.blocks(*note);
        format!("{sep}#footnote[{}]<{label}>", sub.out.trim())
    }

    fn inline_children(&self, el: ElementRef) -> String {
        let mut s = String::new();
        for node in el.children() {
            match node.value() {
                Node::Text(t) => s.push_str(&escape::typst_markup(t)),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(node) {
                        s.push_str(&self.inline(child));
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn inline(&self, el: ElementRef) -> String {
        let inner = || self.inline_children(el);
        match el.value().name() {
            "strong" | "b" => wrap("strong", &inner()),
            "em" | "i" => wrap("emph", &inner()),
            "code" => format!("#raw({})", escape::typst_string(&text_of(el))),
            "br" => " \\ ".to_string(),
            "sup" if class_has(&el, "footnote-reference") => self.footnote(el),
            "sup" if class_has(&el, "footnote-definition-label") => String::new(),
            "sup" => wrap("super", &inner()),
            "sub" => wrap("sub", &inner()),
            "del" | "s" => wrap("strike", &inner()),
            "span" if class_has(&el, "visually-hidden") => String::new(),
            "svg" | "script" | "style" | "button" => String::new(),
            "img" => el
                .value()
                .attr("alt")
                .map(escape::typst_markup)
                .unwrap_or_default(),
            "a" => {
                let text = inner();
                let href = el.value().attr("href").unwrap_or("");
                if let Some(anchor) = href.strip_prefix('#') {
                    if self.labels.contains(anchor) && label_ok(anchor) {
                        format!("#link(label({}))[{}]", escape::typst_string(anchor), text)
                    } else {
                        text
                    }
                } else if href.starts_with('/') {
                    let target = format!("{}{}", self.base.trim_end_matches('/'), href);
                    format!("#link({})[{}]", escape::typst_string(&target), text)
                } else if href.starts_with("http:")
                    || href.starts_with("https:")
                    || href.starts_with("mailto:")
                {
                    format!("#link({})[{}]", escape::typst_string(href), text)
                } else {
                    text
                }
            }
            _ => inner(),
        }
    }

    /// A description list as two columns: terms on the left, their descriptions beside them
    /// (`dt`/`dd` pairs may sit in `div` rows, as HTML allows).
    fn description_list(&mut self, el: ElementRef) {
        let items: Vec<ElementRef> = el
            .child_elements()
            .flat_map(|c| {
                if c.value().name() == "div" {
                    c.child_elements().collect()
                } else {
                    vec![c]
                }
            })
            .collect();
        let mut cells = Vec::new();
        let mut open_term = false;
        for item in items {
            let mut sub = self.sub();
            sub.blocks(item);
            let text = sub.out.trim().to_string();
            match item.value().name() {
                "dt" => {
                    if open_term {
                        cells.push("[]".to_string());
                    }
                    cells.push(format!("strong[{text}]"));
                    open_term = true;
                }
                "dd" => {
                    if !open_term {
                        cells.push("[]".to_string());
                    }
                    cells.push(format!("[{text}]"));
                    open_term = false;
                }
                _ => {}
            }
        }
        if open_term {
            cells.push("[]".to_string());
        }
        if cells.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            "#grid(columns: (35%, 1fr), column-gutter: 1em, row-gutter: 0.7em, {})\n",
            cells.join(", ")
        );
    }

    fn table(&mut self, el: ElementRef) {
        let caption = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "caption")
            .map(|c| self.inline_children(c));
        let mut head: Vec<Vec<String>> = Vec::new();
        let mut body: Vec<Vec<String>> = Vec::new();
        for tr in el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "tr")
        {
            let in_head = tr
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "thead");
            let cells: Vec<String> = tr
                .child_elements()
                .filter(|c| matches!(c.value().name(), "th" | "td"))
                .map(|c| {
                    let text = self.inline_children(c);
                    let text = text.trim();
                    let right = class_has(&c, "align-right");
                    let bold = c.value().name() == "th" && !in_head;
                    let text = if bold {
                        format!("*{text}*")
                    } else {
                        text.to_string()
                    };
                    if right {
                        format!("table.cell(align: right)[{text}]")
                    } else {
                        format!("[{text}]")
                    }
                })
                .collect();
            if in_head {
                head.push(cells);
            } else {
                body.push(cells);
            }
        }
        let columns = head.iter().chain(&body).map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let mut t = format!("table(columns: {columns}, ");
        if !head.is_empty() {
            t.push_str("table.header(");
            for row in &head {
                for cell in pad(row, columns) {
                    t.push_str(&cell);
                    t.push_str(", ");
                }
            }
            t.push_str("), ");
        }
        for row in &body {
            for cell in pad(row, columns) {
                t.push_str(&cell);
                t.push_str(", ");
            }
        }
        t.push(')');
        let table = match caption {
            Some(c) if !c.trim().is_empty() => {
                format!("figure(kind: table, caption: [{}], {t})", c.trim())
            }
            _ => t,
        };
        // A table that fits on a page is not cut in half; a longer one breaks between rows,
        // its header repeated.
        if body.len() <= SHORT_TABLE {
            let _ = writeln!(self.out, "#block(breakable: false, width: 100%, {table})\n");
        } else {
            let _ = writeln!(self.out, "#{table}\n");
        }
    }

    /// A chart: a figure of its drawing (the SVG, as vectors, its description the alt text)
    /// captioned with its title and subtitle, then its data table.
    fn chart(&mut self, el: ElementRef) {
        let find = |class: &str| {
            el.descendants()
                .filter_map(ElementRef::wrap)
                .find(|e| class_has(e, class))
        };
        let title = find("chart__title").map(|t| self.inline_children(t).trim().to_string());
        let subtitle = find("chart__subtitle").map(|t| self.inline_children(t).trim().to_string());
        let svg = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "svg");
        let plain = |name: &str| {
            svg.and_then(|svg| {
                svg.descendants()
                    .filter_map(ElementRef::wrap)
                    .find(|e| e.value().name() == name)
            })
            .map(text_of)
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
        };
        let alt = plain("desc").or_else(|| plain("title"));
        let mut caption = title.clone().unwrap_or_default();
        if let Some(sub) = &subtitle {
            let _ = write!(
                caption,
                " #linebreak() #text(weight: \"regular\", size: 9pt)[{sub}]"
            );
        }
        match svg {
            Some(svg) => {
                let alt = alt.map(|a| format!(", alt: {}", escape::typst_string(&a)));
                let _ = writeln!(
                    self.out,
                    "#figure(kind: image, caption: [{caption}], image(bytes({}), format: \"svg\", width: 100%{}))\n",
                    escape::typst_string(&svg_xml(svg)),
                    alt.unwrap_or_default(),
                );
            }
            None => {
                if !caption.is_empty() {
                    let _ = writeln!(self.out, "*{caption}*\n");
                }
                if let Some(a) = alt {
                    let _ = writeln!(self.out, "#emph[{}]\n", escape::typst_markup(&a));
                }
            }
        }
        for table in el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "table")
        {
            self.table(table);
        }
    }
}

/// An inline SVG element as a standalone SVG document, for Typst to draw.
fn svg_xml(svg: ElementRef) -> String {
    fn write(el: ElementRef, root: bool, out: &mut String) {
        let name = el.value().name();
        out.push('<');
        out.push_str(name);
        if root {
            out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
        }
        for (k, v) in el.value().attrs() {
            if k == "xmlns" || k.starts_with("xmlns:") || k.contains(':') {
                continue;
            }
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&escape::xml(v));
            out.push('"');
        }
        if el.children().next().is_none() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for node in el.children() {
            match node.value() {
                Node::Text(t) => out.push_str(&escape::xml(t)),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(node) {
                        write(child, false, out);
                    }
                }
                _ => {}
            }
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
    let mut out = String::new();
    write(svg, true, &mut out);
    out
}

fn pad(row: &[String], columns: usize) -> Vec<String> {
    let mut r = row.to_vec();
    while r.len() < columns {
        r.push("[]".to_string());
    }
    r
}

fn wrap(func: &str, inner: &str) -> String {
    format!("#{func}[{inner}]")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "ul"
            | "ol"
            | "pre"
            | "blockquote"
            | "table"
            | "figure"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "dl"
            | "details"
            | "section"
            | "aside"
            | "nav"
            | "svg"
            | "figcaption"
            | "header"
            | "footer"
    )
}
