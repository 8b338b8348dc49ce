//! Every value from data, front matter or site settings reaches an output through one of these
//! functions, one per context, so each context is escaped the same way everywhere:
//!
//! | context | function | how |
//! | --- | --- | --- |
//! | HTML text, double-quoted attribute, inline SVG text | [`html`] | `& < > " '` as entities (Tera's autoescape does the same) |
//! | XML text and attribute (SVG for the PDF) | [`xml`] | `& < > " '` and `\t \n \r` as entities; characters XML 1.0 cannot hold become U+FFFD |
//! | URL from data (`href`) | [`https_link`] | checked: an `https://` address with a host, nothing that could hide where it leads; then escaped as an attribute |
//! | CSV cell | [`csv_cell`] | formula-safe: a leading `'` on text a spreadsheet would run; quoting is the `csv` crate's |
//! | JSON | `serde_json` | values are serialised, never formatted by hand |
//! | Typst markup (PDF text) | [`typst_markup`] | every ASCII punctuation character backslashed, whitespace runs as one space |
//! | Typst string literal (PDF links, code, alt text) | [`typst_string`] | `"` `\` and line breaks escaped |
//!
//! Each has a property test that parses the escaped text back with a real parser of its format
//! (html5ever, roxmltree, the `csv` crate, Typst itself) and compares it with the original.

use std::borrow::Cow;

/// Text for HTML: element content, or an attribute value in double quotes. The same escape as
/// the templates' autoescape, so a value reads the same whichever way it reached the page.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// Text for XML 1.0: element content or an attribute value in double quotes. Tabs and line
/// breaks are written as character references, so neither attribute-value normalisation nor
/// line-end handling changes them; characters XML cannot hold at all (most C0 controls,
/// U+FFFE, U+FFFF) become U+FFFD, the replacement character, so the document stays well formed.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// The characters XML 1.0 allows (its production `Char`).
fn xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Why a link from data was refused: a sentence for a diagnostic, naming what is wrong.
#[derive(Debug, PartialEq)]
pub struct LinkError(pub String);

/// A link to another site, from a data file: it must be an absolute `https://` address with a
/// host, written as it is meant (no spaces, tabs or control characters, which browsers strip or
/// rewrite), and without a user name or password (`https://www.gov.uk@example.com` leads to
/// example.com). So `javascript:`, `data:`, `vbscript:`, `http:` and relative links are refused.
/// The text is kept as written: pages escape it as an attribute ([`html`]), downloads serialise
/// it.
pub fn https_link(text: &str) -> Result<(), LinkError> {
    let err = |m: String| Err(LinkError(m));
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return err(format!(
            "a link cannot contain {} (write a space as %20)",
            match c {
                ' ' => "spaces".to_string(),
                '\t' => "tabs".to_string(),
                '\n' | '\r' => "line breaks".to_string(),
                c => format!("the character U+{:04X}", c as u32),
            }
        ));
    }
    let url = match url::Url::parse(text) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return err("a link must be a whole address, not a path".into());
        }
        Err(e) => return err(format!("not a valid link: {e}")),
    };
    if url.scheme() != "https" {
        return err(format!("`{}:` links are not allowed", url.scheme()));
    }
    // Parsers forgive `HTTPS:`, `https:/x`, `https:///x` and backslashes; a link in data is
    // written plainly, so what a reader sees is where it leads.
    let after = text.strip_prefix("https://").unwrap_or("/");
    if after.starts_with(['/', '\\']) || url.host_str().is_none_or(str::is_empty) {
        return err("a link must start with `https://` and the site's name".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return err(
            "a link must not contain a user name or password (`…@`): it hides where the link leads"
                .into(),
        );
    }
    Ok(())
}

/// A text cell of a CSV download, formula-safe: a cell starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return would run as a formula in a spreadsheet, so it gets a leading
/// apostrophe, which spreadsheets show as text (OWASP's advice on CSV injection). Quoting is
/// left to the `csv` crate. Only text cells: numbers are written as they are, and the JSON
/// download keeps every value as it is.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Text for Typst markup (the PDF editions): every ASCII punctuation character gets a
/// backslash, so none can start markup (`#` code, `$` maths, `*` strong, `_` emphasis, `@`
/// references, `<` labels, `` ` `` raw, `[`/`]` content, `//` comments, `=` headings, `-` and
/// `+` lists, `\` escapes, `~` and `--` shorthands, quotes); runs of whitespace become one
/// space (a blank line would start a paragraph); control characters, which no font can show
/// and which would stop the PDF, are left out.
pub fn typst_markup(text: &str) -> String {
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
        if c.is_control() {
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

/// A Typst string literal of the text: for values in Typst code (link targets, code blocks,
/// alternative text, the document's title). Control characters other than tabs and line
/// breaks are left out, as in [`typst_markup`].
pub fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Strings that try to break out of each context: markup characters of every format here,
    /// quotes, entities, control characters, Welsh letters, emoji, and anything else.
    pub fn hostile() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => prop::sample::select(vec![
                "<", ">", "&", "\"", "'", "&amp;", "&lt;", "&#39;", "&#x3c;", "]]>", "<!--",
                "<script>alert(1)</script>", "\"onmouseover=alert(1) x=\"", "javascript:",
                "=HYPERLINK(\"http://x\")", "+", "-", "@", "=", "#eval(\"1\")", "#panic()",
                "$x$", "*", "_", "`", "\\", "[", "]", "//", "/*", "~", "--", "...", "<l>",
                "@ref", "{", "}", "{count}", "\\u{41}", "ŵ", "ŷ", "â", "Ŵ", "🙂", "👩‍👩‍👧",
                " ", "  ", "\t", "\n", "\r", "\r\n", "\u{0}", "\u{1}", "\u{b}", "\u{1b}[2J",
                "\u{7f}", "\u{85}", "\u{a0}", "\u{2028}", "\u{fffe}", "\u{ffff}", "\u{feff}",
            ]).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-zA-Z0-9 ]{1,6}",
        ];
        prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
    }

    /// What an HTML parser makes of text before tokenising (the HTML standard's "preprocessing
    /// the input stream"): CRLF and CR become LF. U+0000 is dropped from element text and
    /// becomes U+FFFD in attributes.
    fn html_normalised(text: &str, in_attribute: bool) -> String {
        let t = text.replace("\r\n", "\n").replace('\r', "\n");
        if in_attribute {
            t.replace('\0', "\u{FFFD}")
        } else {
            t.replace('\0', "")
        }
    }

    fn xml_parsed(doc: &str) -> (String, String, usize) {
        let doc = roxmltree::Document::parse(doc).unwrap_or_else(|e| panic!("{e}: {doc:?}"));
        let root = doc.root_element();
        (
            root.text().unwrap_or("").to_string(),
            root.attribute("a").unwrap_or("").to_string(),
            root.attributes().len() + root.children().filter(|n| n.is_element()).count(),
        )
    }

    fn xml_expected(text: &str) -> String {
        text.chars()
            .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Escaped text parsed by html5ever (as browsers do) is the same text and makes no
        /// element, in body text, in an attribute and in inline SVG's title.
        #[test]
        fn html_reads_back_as_the_same_text(s in hostile()) {
            let e = html(&s);
            let doc = scraper::Html::parse_fragment(&format!(
                "<p>{e}</p><a title=\"{e}\" href=\"#\">x</a><svg><title>{e}</title></svg>"
            ));
            let all: Vec<_> = doc
                .root_element()
                .descendants()
                .filter_map(scraper::ElementRef::wrap)
                .map(|el| el.value().name().to_string())
                .collect();
            prop_assert_eq!(all, ["html", "p", "a", "svg", "title"]);
            let find = |name: &str| {
                doc.root_element()
                    .descendants()
                    .filter_map(scraper::ElementRef::wrap)
                    .find(|el| el.value().name() == name)
                    .expect("parsed above")
            };
            prop_assert_eq!(find("p").text().collect::<String>(), html_normalised(&s, false));
            prop_assert_eq!(find("title").text().collect::<String>(), html_normalised(&s, false));
            let a = find("a");
            prop_assert_eq!(a.value().attrs().count(), 2);
            prop_assert_eq!(a.value().attr("title").unwrap_or(""), html_normalised(&s, true));
        }

        /// Escaped text parsed by an XML parser is well formed, the same text (or U+FFFD where
        /// XML cannot hold a character), in content and in an attribute, and makes no element.
        #[test]
        fn xml_reads_back_as_the_same_text(s in hostile()) {
            let e = xml(&s);
            let (text, attr, nodes) = xml_parsed(&format!("<r a=\"{e}\">{e}</r>"));
            prop_assert_eq!(&text, &xml_expected(&s));
            prop_assert_eq!(&attr, &xml_expected(&s));
            prop_assert_eq!(nodes, 1);
        }

        /// A cell read back by the csv crate is the cell written; one a spreadsheet would run
        /// starts with an apostrophe instead, followed by the whole original.
        #[test]
        fn csv_cells_read_back_and_never_start_a_formula(s in hostile(), other in hostile()) {
            let cell = csv_cell(&s);
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            // A header first, as in the downloads (a reader takes U+FEFF at the very start of a
            // file for a byte order mark).
            w.write_record(["a", "b"]).expect("to memory");
            w.write_record([cell.as_ref(), other.as_str()]).expect("to memory");
            let bytes = w.into_inner().expect("to memory");
            let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[..]);
            let record = r.records().next().expect("one record").expect("valid CSV");
            prop_assert_eq!(record.len(), 2);
            prop_assert_eq!(&record[0], cell.as_ref());
            let first = record[0].chars().next();
            prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')));
            match record[0].strip_prefix('\'') {
                Some(rest) if rest == s => {}
                _ => prop_assert_eq!(&record[0], &s),
            }
        }

        /// A link that passes is an https URL with a host, and survives the attribute escape
        /// unchanged, as the only attribute besides the ones written.
        #[test]
        fn accepted_links_are_https_and_stay_one_attribute(
            prefix in prop::sample::select(vec![
                "https://", "HTTPS://", "javascript:", "JaVaScRiPt:", " javascript:",
                "java\tscript:", "data:text/html,", "vbscript:", "http://", "//", "https:",
                "https:///", "https://www.gov.uk@", "",
            ]),
            rest in hostile(),
        ) {
            let link = format!("{prefix}{rest}");
            if https_link(&link).is_ok() {
                let url = url::Url::parse(&link).expect("accepted, so it parses");
                prop_assert_eq!(url.scheme(), "https");
                prop_assert!(url.host_str().is_some_and(|h| !h.is_empty()));
                prop_assert!(url.username().is_empty() && url.password().is_none());
                prop_assert!(!link.chars().any(|c| c.is_whitespace() || c.is_control()));
                let doc = scraper::Html::parse_fragment(&format!("<a href=\"{}\">x</a>", html(&link)));
                let a = doc
                    .root_element()
                    .descendants()
                    .filter_map(scraper::ElementRef::wrap)
                    .find(|el| el.value().name() == "a")
                    .expect("one link");
                prop_assert_eq!(a.value().attrs().count(), 1);
                prop_assert_eq!(a.value().attr("href"), Some(link.as_str()));
            }
        }

        /// Typst markup keeps no markup character unescaped and no control character.
        #[test]
        fn typst_markup_escapes_every_special_character(s in hostile()) {
            let e = typst_markup(&s);
            let mut chars = e.chars();
            while let Some(c) = chars.next() {
                prop_assert!(!c.is_control(), "{:?}", e);
                if c == '\\' {
                    let next = chars.next();
                    prop_assert!(next.is_some_and(|n| n.is_ascii_punctuation()), "{:?}", e);
                } else {
                    prop_assert!(!c.is_ascii_punctuation(), "{:?}", e);
                }
            }
        }
    }

    #[test]
    fn links_that_hide_or_run_something_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "http://www.gov.uk/",
            "//www.gov.uk/",
            "/local/page/",
            "www.gov.uk",
            "https://",
            "https:///path",
            "https://www.gov.uk@example.com/",
            "https://user:pass@example.com/",
            "https://www.gov.uk/a b",
            "https://www.gov.uk/\n",
            "https://exa\u{0}mple.com/",
        ] {
            assert!(https_link(bad).is_err(), "{bad:?} was accepted");
        }
        for good in [
            "https://www.gov.uk/",
            "https://www.gov.uk",
            "https://ico.org.uk/for-the-public/?q=a&b=c#x",
            "https://llyw.cymru/ŵ",
            "https://example.org/x\"onmouseover=alert(1)",
        ] {
            assert_eq!(https_link(good), Ok(()), "{good:?}");
        }
        assert_eq!(
            https_link("javascript:alert(1)"),
            Err(LinkError("`javascript:` links are not allowed".into()))
        );
    }

    #[test]
    fn examples() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(xml("a\u{1}<\n"), "a\u{FFFD}&lt;&#10;");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("a=1"), "a=1");
        assert_eq!(
            typst_markup("a #b *c* [d] $e$ <f> @g = - + / ~ \\"),
            "a \\#b \\*c\\* \\[d\\] \\$e\\$ \\<f\\> \\@g \\= \\- \\+ \\/ \\~ \\\\"
        );
        assert_eq!(
            typst_markup("Cod  Ymarfer\n\nŵ ŷ â\u{1}"),
            "Cod Ymarfer ŵ ŷ â"
        );
        assert_eq!(
            typst_string("say \"hi\" \\\u{1}"),
            "\"say \\\"hi\\\" \\\\\""
        );
    }
}
