//! Typst markup for an edition, from the same chapters as its HTML page. Every text value is
//! escaped for Typst: text in markup with backslashes, values in code as string literals.

use std::collections::HashSet;
use std::fmt::Write;

use scraper::{ElementRef, Html, Node};

use crate::content::PageId;
use crate::markdown::Rendered;
use crate::site::Site;

/// Escape text for Typst markup: every ASCII punctuation character gets a backslash, and
/// runs of whitespace become one space (a blank line would start a paragraph).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Typst string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn label_ok(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub fn edition(site: &Site, section: PageId, markdown: &[Rendered]) -> String {
    let s = &site.content.pages[section];
    let lang = s.lang;
    let t = |key: &str| site.theme.strings.get(lang, key).unwrap_or(key).to_string();
    let extra = |key: &str| {
        s.front
            .extra
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let chapters = crate::print::chapters(&site.content, section, markdown);
    let url = site.config.permalink(&s.path);
    let printed_on = lang.long_date(site.data.today);
    let site_title = site
        .config
        .title
        .get(lang.code)
        .cloned()
        .unwrap_or_default();
    let mut out = String::new();
    let title = &s.front.title;
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {}, date: datetime(year: {}, month: {}, day: {}))",
        string(title),
        string(&site_title),
        site.data.today.year(),
        site.data.today.month(),
        site.data.today.day(),
    );
    let _ = writeln!(
        out,
        "#set text(lang: {}, font: (\"DejaVu Sans\",), size: 10pt)",
        string(lang.code)
    );
    out.push_str(concat!(
        "#set par(justify: false, leading: 0.65em, spacing: 1.1em)\n",
        "#show raw: set text(font: \"DejaVu Sans Mono\", size: 8.5pt)\n",
        "#show heading: set block(above: 1.4em, below: 0.8em)\n",
        "#show heading.where(level: 1): it => { pagebreak(weak: true); text(size: 18pt, it) }\n",
        "#show heading.where(level: 2): set text(size: 13pt)\n",
        "#show heading.where(level: 3): set text(size: 11pt)\n",
        "#show link: underline\n",
        "#set table(stroke: 0.5pt + luma(160), inset: 4pt)\n",
        "#show table: set text(size: 8.5pt)\n",
        "#show figure: set block(breakable: true)\n",
        "#show figure.caption: set text(weight: \"bold\")\n",
        "#show figure.where(kind: table): set figure.caption(position: top)\n",
    ));
    // Cover: no page number.
    out.push_str("#set page(paper: \"a4\", margin: (x: 2cm, y: 2.5cm), numbering: none)\n");
    let _ = writeln!(out, "#text(size: 11pt)[{}]\n", escape(&site_title));
    out.push_str("#v(4cm)\n");
    let _ = writeln!(
        out,
        "#text(size: 28pt, weight: \"bold\")[{}]\n",
        escape(title)
    );
    if let Some(d) = &s.front.description {
        let _ = writeln!(out, "#text(size: 13pt)[{}]\n", escape(d));
    }
    out.push_str("#v(1cm)\n");
    let date = s
        .front
        .updated
        .or(s.front.date)
        .map(|d| lang.long_date(d.0));
    let rows: Vec<(String, String)> = [
        extra("status").map(|v| (t("print.status"), v)),
        extra("version").map(|v| (t("print.version"), v)),
        date.map(|v| (t("updated"), v)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !rows.is_empty() {
        out.push_str("#grid(columns: 2, column-gutter: 1em, row-gutter: 0.6em,\n");
        for (k, v) in &rows {
            let _ = writeln!(out, "  strong[{}], [{}],", escape(k), escape(v));
        }
        out.push_str(")\n\n");
    }
    out.push_str("#v(1fr)\n");
    let _ = writeln!(
        out,
        "{}. {} #link({})[{}]{}.\n",
        escape(&t("footer.copyright")),
        escape(&t("footer.licence_before")),
        string(&t("footer.licence_url")),
        escape(&t("footer.licence_link")),
        escape(&t("footer.licence_after")),
    );
    let printed = t("print.printed");
    let (before, after) = printed.split_once("{url}").unwrap_or((&printed, ""));
    let _ = writeln!(
        out,
        "{}#link({})[{}]{}\n",
        escape(before),
        string(&url),
        escape(&url),
        escape(&after.replace("{date}", &printed_on)),
    );
    // Contents, then the chapters, numbered from here.
    out.push_str("#pagebreak()\n#set page(numbering: \"1 / 1\", number-align: center)\n");
    let _ = writeln!(
        out,
        "#outline(title: [{}], depth: 2, indent: auto)\n",
        escape(&t("contents"))
    );
    let mut labels: HashSet<String> = HashSet::new();
    for c in &chapters {
        labels.insert(c.id.clone());
        for h in &c.headings {
            labels.insert(h.id.clone());
        }
    }
    // Every heading id the chapters hold can be a link target.
    let parsed: Vec<Html> = chapters
        .iter()
        .map(|c| Html::parse_fragment(&c.html))
        .collect();
    for html in &parsed {
        for node in html.root_element().descendants() {
            if let Some(el) = ElementRef::wrap(node)
                && matches!(el.value().name(), "h2" | "h3" | "h4" | "h5" | "h6")
                && let Some(id) = el.value().attr("id")
            {
                labels.insert(id.to_string());
            }
        }
    }
    let mut w = Writer {
        out,
        labels: &labels,
        base: site.config.permalink(""),
    };
    for (c, html) in chapters.iter().zip(&parsed) {
        let _ = write!(w.out, "\n= {} {}", c.number, escape(&c.title));
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
    labels: &'a HashSet<String>,
    base: String,
}

fn class_has(el: &ElementRef, class: &str) -> bool {
    el.value()
        .attr("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn text_of(el: ElementRef) -> String {
    el.text().collect::<String>()
}

impl Writer<'_> {
    /// Block-level children of an element, each separated by a blank line.
    fn blocks(&mut self, el: ElementRef) {
        let mut inline = String::new();
        for node in el.children() {
            match node.value() {
                Node::Text(t) => inline.push_str(&escape(t)),
                Node::Element(_) => {
                    let child = ElementRef::wrap(node).expect("element");
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
                    let mut sub = Writer {
                        out: String::new(),
                        labels: self.labels,
                        base: self.base.clone(),
                    };
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
                    string(code.trim_end_matches('\n'))
                );
            }
            "blockquote" => {
                let mut sub = self.sub();
                sub.blocks(el);
                let _ = writeln!(self.out, "#quote(block: true)[{}]\n", sub.out.trim());
            }
            "table" => self.table(el),
            "figure" if class_has(&el, "chart") => self.chart(el),
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
            "dl" => {
                for child in el.child_elements() {
                    match child.value().name() {
                        "dt" => {
                            let _ =
                                writeln!(self.out, "*{}*\n", self.inline_children(child).trim());
                        }
                        "dd" => self.blocks(child),
                        _ => self.blocks(child),
                    }
                }
            }
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

    fn sub(&self) -> Writer<'_> {
        Writer {
            out: String::new(),
            labels: self.labels,
            base: self.base.clone(),
        }
    }

    fn inline_children(&self, el: ElementRef) -> String {
        let mut s = String::new();
        for node in el.children() {
            match node.value() {
                Node::Text(t) => s.push_str(&escape(t)),
                Node::Element(_) => {
                    let child = ElementRef::wrap(node).expect("element");
                    s.push_str(&self.inline(child));
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
            "code" => format!("#raw({})", string(&text_of(el))),
            "br" => " \\ ".to_string(),
            "sup" if class_has(&el, "footnote-reference") => format!("#super[{}]", inner()),
            "sup" => wrap("super", &inner()),
            "sub" => wrap("sub", &inner()),
            "del" | "s" => wrap("strike", &inner()),
            "span" if class_has(&el, "visually-hidden") => String::new(),
            "svg" | "script" | "style" | "button" => String::new(),
            "img" => el.value().attr("alt").map(escape).unwrap_or_default(),
            "a" => {
                let text = inner();
                let href = el.value().attr("href").unwrap_or("");
                if let Some(anchor) = href.strip_prefix('#') {
                    if self.labels.contains(anchor) && label_ok(anchor) {
                        format!("#link(label({}))[{}]", string(anchor), text)
                    } else {
                        text
                    }
                } else if href.starts_with('/') {
                    let target = format!("{}{}", self.base.trim_end_matches('/'), href);
                    format!("#link({})[{}]", string(&target), text)
                } else if href.starts_with("http:")
                    || href.starts_with("https:")
                    || href.starts_with("mailto:")
                {
                    format!("#link({})[{}]", string(href), text)
                } else {
                    text
                }
            }
            _ => inner(),
        }
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
        match caption {
            Some(c) if !c.trim().is_empty() => {
                let _ = writeln!(
                    self.out,
                    "#figure(kind: table, caption: [{}], {t})\n",
                    c.trim()
                );
            }
            _ => {
                let _ = writeln!(self.out, "#{t}\n");
            }
        }
    }

    /// A chart: its title, its picture's description as text, and its data table.
    fn chart(&mut self, el: ElementRef) {
        let find = |class: &str| {
            el.descendants()
                .filter_map(ElementRef::wrap)
                .find(|e| class_has(e, class))
        };
        if let Some(title) = find("chart__title") {
            let _ = writeln!(self.out, "*{}*\n", self.inline_children(title).trim());
        }
        if let Some(sub) = find("chart__subtitle") {
            let _ = writeln!(self.out, "{}\n", self.inline_children(sub).trim());
        }
        let desc = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "desc")
            .map(text_of);
        if let Some(d) = desc
            && !d.trim().is_empty()
        {
            let _ = writeln!(self.out, "#emph[{}]\n", escape(d.trim()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_typst() {
        assert_eq!(
            escape("a #b *c* [d] $e$ <f> @g = - + / ~ \\"),
            "a \\#b \\*c\\* \\[d\\] \\$e\\$ \\<f\\> \\@g \\= \\- \\+ \\/ \\~ \\\\"
        );
        assert_eq!(escape("Cod  Ymarfer\n\nŵ ŷ â"), "Cod Ymarfer ŵ ŷ â");
        assert_eq!(string("say \"hi\" \\"), "\"say \\\"hi\\\" \\\\\"");
    }
}
