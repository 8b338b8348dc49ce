//! Print editions of single pages (chapters at their `h2` headings, the text before the first
//! on the cover) and of sections, with footnotes and charts, in HTML and as PDFs, in English and
//! Welsh. Fixture sites built with the real binary; the PDFs are read with poppler (see
//! `common::poppler`).

mod common;

use std::collections::HashSet;

use common::Fixture;
use common::data::{ORGANISATIONS, REASONS};

const SEARCHES: &str = "period,organisation,system,reason,searches\n2025-01,gwent,PNC,investigation,10\n2025-02,gwent,LEDS,investigation,12\n2025-02,gwent,PNC,investigation,7\n";

/// A report as one page: a warning and an opening before its first heading, two `h2` parts
/// (one with Typst's special characters in it), a chart, a footnote used twice and one once.
const REPORT: &str = r#"+++
title = "Annual report 2025"
description = "What happened in 2025."
date = 2026-03-31
print = true
+++
> [!WARNING]
> Sample figures only.

Opening words, before any heading.

## Use of data {#use}

Searches rose.[^src] See [the quality part](#quality) and [the start](@/report.md).

{{ chart(data="searches", kind="line", x="period", y="searches", series="system", title="Searches by month") }}

### By system

More text.

## Quality: #1, $5 *and* [x] {#quality}

Quality held steady.[^src][^two]

[^src]: Source: the searches dataset, 2025.
[^two]: A second note, with *emphasis* and a [link](https://example.org/a_b).
"#;

const REPORT_CY: &str = r#"+++
title = "Adroddiad blynyddol 2025"
description = "Beth ddigwyddodd yn 2025."
date = 2026-03-31
slug = "adroddiad"
print = true
+++
> [!WARNING]
> Ffigurau enghreifftiol yn unig.

Geiriau agoriadol, cyn unrhyw bennawd.

## Defnyddio data {#use}

Mae gan y Swyddfa Gartref bŵer i chwilio.[^src] Caiff y cofnodion hŷn eu dileu.

{{ chart(data="searches", kind="line", x="period", y="searches", series="system", title="Chwiliadau fesul mis") }}

### Fesul system

Rhagor o destun.

## Ansawdd data {#quality}

Arhosodd yr ansawdd yn gyson.[^src][^two]

[^src]: Ffynhonnell: set ddata'r chwiliadau, 2025.
[^two]: Ail nodyn, gyda ŵ ac ŷ.
"#;

fn part(title: &str, heading: &str, text: &str, note: &str, weight: u8) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nweight = {weight}\n+++\n## {heading}\n\n{text}[^1]\n\n[^1]: {note}\n"
    )
}

fn site() -> Fixture {
    let parts = [
        ("a", "Part A", "Heading A", "Text of A.", "Note of part A."),
        ("b", "Part B", "Heading B", "Text of B.", "Note of part B."),
    ];
    let mut files: Vec<(String, String)> = vec![
        (
            "data/datasets.toml".into(),
            common::data::catalogue(&["organisations", "reasons", "searches"]),
        ),
        ("data/reasons.toml".into(), REASONS.into()),
        ("data/organisations.csv".into(), ORGANISATIONS.into()),
        ("data/usage/searches-2025.csv".into(), SEARCHES.into()),
        ("content/report.md".into(), REPORT.into()),
        ("content/report.cy.md".into(), REPORT_CY.into()),
        (
            "content/notice.md".into(),
            "+++\ntitle = \"Notice\"\nprint = true\n+++\nOnly a paragraph.\n".into(),
        ),
        (
            "content/notice.cy.md".into(),
            "+++\ntitle = \"Hysbysiad\"\nslug = \"hysbysiad\"\nprint = true\n+++\nDim ond paragraff.\n".into(),
        ),
        (
            "content/guide/_index.md".into(),
            "+++\ntitle = \"Guide\"\nprint = true\n+++\nWhat the guide covers.\n".into(),
        ),
        (
            "content/guide/_index.cy.md".into(),
            "+++\ntitle = \"Canllaw\"\nslug = \"canllaw\"\nprint = true\n+++\nBeth mae'r canllaw yn ei gynnwys.\n".into(),
        ),
    ];
    for (i, (file, title, heading, text, note)) in parts.into_iter().enumerate() {
        let weight = i as u8 + 1;
        files.push((
            format!("content/guide/{file}.md"),
            part(title, heading, text, note, weight),
        ));
        files.push((
            format!("content/guide/{file}.cy.md"),
            part(
                &title.replace("Part", "Rhan"),
                &heading.replace("Heading", "Pennawd"),
                &text.replace("Text of", "Testun"),
                &note.replace("Note of part", "Nodyn rhan"),
                weight,
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Fixture::new(&files)
}

/// `[routes]` in site.toml moves the print editions of one language, not the other's.
#[test]
fn routes_in_site_toml_name_the_print_editions() {
    let site = site();
    site.write(
        "site.toml",
        &format!(
            "{}\n[routes.en]\nprint = \"printable\"\n",
            common::SITE_TOML
        ),
    );
    let out = site.build(&["--no-pdf"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(site.out().join("report/printable/index.html").exists());
    assert!(!site.out().join("report/print/index.html").exists());
    assert!(site.out().join("cy/adroddiad/argraffu/index.html").exists());
}

/// Every `id="…"` on a page, which must all differ.
fn assert_unique_ids(html: &str, page: &str) {
    let mut seen = HashSet::new();
    for chunk in html.split(" id=\"").skip(1) {
        let id = &chunk[..chunk.find('"').unwrap()];
        assert!(seen.insert(id), "{page}: id `{id}` used twice");
    }
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    &html[start..html.find("</main>").expect("</main>")]
}

#[test]
fn a_page_prints_as_numbered_chapters_with_its_opening_on_the_cover() {
    let site = site();
    site.build_ok();
    let en = site.read("report/print/index.html");
    let cy = site.read("cy/adroddiad/argraffu/index.html");
    for (html, page) in [(&en, "en"), (&cy, "cy")] {
        assert_unique_ids(html, page);
        let main = main_of(html);
        // The opening goes on the cover, before the contents.
        let cover_end = main.find("edition-contents").unwrap();
        let opening = if page == "en" {
            "Opening words, before any heading."
        } else {
            "Geiriau agoriadol, cyn unrhyw bennawd."
        };
        assert!(main.find(opening).unwrap() < cover_end, "{page}: {main}");
        assert!(main.find("callout--warning").unwrap() < cover_end, "{page}");
        // Each h2 is a chapter, its h3 numbered within it.
        assert!(
            main.contains(
                "<h2 class=\"heading-l\" id=\"e-use\"><span class=\"section-number\">1</span> "
            ),
            "{page}: {main}"
        );
        assert!(main.contains("<h3 id=\"e-"), "{page}");
        assert!(main.contains("<span class=\"section-number\">1.1</span> "));
        assert!(main.contains("id=\"e-quality\"><span class=\"section-number\">2</span> "));
        assert!(
            !main.contains("<h2 id=\"use\""),
            "the page's own h2 gave way"
        );
    }
    assert!(en.contains("<span class=\"section-number\">2</span> Quality: #1, $5 and [x]</h2>"));
    // Links inside the page point inside the edition; footnotes keep working.
    assert!(en.contains("<a href=\"#e-quality\">the quality part</a>"));
    assert!(en.contains("<a href=\"#edition-title\">the start</a>"));
    assert!(en.contains("<a href=\"#e-src\">1</a>") && en.contains("id=\"e-src\""));
    assert!(en.contains("Source: the searches dataset, 2025."));
    // The chart is there, drawn.
    assert!(en.contains("<svg") && en.contains("Searches by month"));
    // The page links its edition.
    assert!(
        site.read("report/index.html")
            .contains("href=\"/report/print/\"")
    );
    assert!(
        site.read("cy/adroddiad/index.html")
            .contains("href=\"/cy/adroddiad/argraffu/\"")
    );
    // A page without h2 headings is one chapter, named after it.
    let notice = site.read("notice/print/index.html");
    assert!(
        notice.contains("<span class=\"section-number\">1</span> Notice</h2>"),
        "{notice}"
    );
    assert!(notice.contains("Only a paragraph."));
}

#[test]
fn footnotes_of_a_sections_pages_keep_apart() {
    let site = site();
    site.build_ok();
    for (path, notes) in [
        (
            "guide/print/index.html",
            ["Note of part A.", "Note of part B."],
        ),
        (
            "cy/canllaw/argraffu/index.html",
            ["Nodyn rhan A.", "Nodyn rhan B."],
        ),
    ] {
        let html = site.read(path);
        assert_unique_ids(&html, path);
        // Both pages call their note `1`: in the edition they are s2-1 and s3-1 (chapter 1 is
        // the section's own text).
        for (chapter, note) in [(2, notes[0]), (3, notes[1])] {
            let id = format!("s{chapter}-1");
            assert!(
                html.contains(&format!("<a href=\"#{id}\">1</a>")),
                "{path}: no reference to {id}"
            );
            let def = html
                .find(&format!("<div class=\"footnote-definition\" id=\"{id}\">"))
                .unwrap_or_else(|| panic!("{path}: no footnote {id}"));
            assert!(html[def..].starts_with(&format!("<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">1</sup>\n<p>{note}</p>")), "{path}: {}", &html[def..def + 200]);
        }
    }
}

#[cfg(feature = "pdf")]
mod pdf {
    use super::*;
    use common::poppler;

    fn info_field(info: &str, name: &str) -> String {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in\n{info}"))
    }

    #[test]
    fn a_page_edition_pdf_has_its_chapters_footnotes_and_chart_in_both_languages() {
        let site = site();
        site.build_ok();
        let editions = [
            ("report/print/report.pdf", "Annual report 2025", "en"),
            (
                "cy/adroddiad/argraffu/adroddiad.pdf",
                "Adroddiad blynyddol 2025",
                "cy",
            ),
        ];
        for (path, title, lang) in editions {
            let pdf = site.out().join(path);
            let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{path}: {e}"));
            let raw = String::from_utf8_lossy(&bytes);
            assert!(
                raw.contains(&format!("/Lang ({lang})")) || raw.contains(&format!("/Lang({lang})")),
                "{path}: no /Lang ({lang})"
            );
            // The chart is an image with its description as alternative text.
            let alt = if lang == "en" { "Line chart of" } else { "" };
            assert!(
                raw.contains(&format!("/Alt ({alt}"))
                    || raw.contains(&format!("/Alt({alt}"))
                    || (lang == "cy" && raw.contains("/Alt")),
                "{path}: no chart alt text"
            );
            if let Some(info) = poppler("pdfinfo", &[], &pdf) {
                assert_eq!(info_field(&info, "Title"), title, "{path}");
                assert_eq!(info_field(&info, "Tagged"), "yes", "{path}");
            }
            if let Some(fonts) = poppler("pdffonts", &[], &pdf) {
                for row in fonts.lines().skip(2) {
                    let cols: Vec<&str> = row.split_whitespace().collect();
                    assert_eq!(cols[cols.len() - 5], "yes", "{path}: not embedded: {row}");
                }
            }
        }
        let welsh = site.out().join("cy/adroddiad/argraffu/adroddiad.pdf");
        // In the tagged structure each footnote is a Note where it is referred to, and the
        // chart a Figure holding the text it draws.
        if let Some(tree) = poppler("pdfinfo", &["-struct-text"], &welsh) {
            let note = tree.find("Note <Note 1>").expect("a Note");
            let source = tree
                .find("Ffynhonnell: set ddata’r chwiliadau")
                .expect("its text");
            let next = tree[note + 1..]
                .find("Note <")
                .map_or(tree.len(), |i| note + 1 + i);
            assert!(note < source && source < next, "{tree}");
            let figure = tree.find("Figure:").expect("a Figure");
            assert!(
                tree[figure..].contains("Ionawr 2025Chwefror 2025"),
                "{tree}"
            );
        }
        let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &welsh) else {
            return;
        };
        let at = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("no `{s}` in the Welsh PDF:\n{text}"))
        };
        // Cover (with the opening), contents, chapters, in that order.
        assert!(at("Adroddiad blynyddol 2025") < at("Geiriau agoriadol, cyn unrhyw bennawd."));
        assert!(at("Geiriau agoriadol") < at("Cynnwys"));
        let chapter1 = text.rfind("1 Defnyddio data").unwrap();
        let chapter2 = text.rfind("2 Ansawdd data").unwrap();
        assert!(at("Cynnwys") < chapter1 && chapter1 < chapter2, "{text}");
        assert!(text.rfind("1.1 Fesul system").unwrap() > chapter1);
        assert!(
            at("bŵer") > chapter1 && at("hŷn") > chapter1,
            "Welsh letters"
        );
        // Footnotes: each text once, though the first is referred to twice.
        for note in [
            "Ffynhonnell: set ddata’r chwiliadau, 2025.",
            "Ail nodyn, gyda ŵ ac ŷ.",
        ] {
            assert_eq!(text.matches(note).count(), 1, "`{note}` in:\n{text}");
        }
        assert!(!text.contains("[^"), "no footnote syntax left");
        // The chart: a numbered figure drawn from its SVG (its axis label is text of its
        // own), then its data table.
        let figure = at("Ffigur 1: Chwiliadau fesul mis");
        let table = at("Tabl 1: Chwiliadau fesul mis");
        assert!(chapter1 < figure && figure < table, "{text}");
        let html = site.read("cy/adroddiad/index.html");
        let label_at = html.find("rotate(270").expect("a y-axis label");
        let label = &html[label_at..];
        let label = &label[label.find('>').unwrap() + 1..label.find("</text>").unwrap()];
        assert!(
            text[figure..table].lines().any(|l| l.trim() == label),
            "axis label `{label}` not drawn in the PDF:\n{}",
            &text[figure..table]
        );
    }

    #[test]
    fn a_section_edition_pdf_keeps_each_pages_footnote() {
        let site = site();
        site.build_ok();
        let pdf = site.out().join("guide/print/guide.pdf");
        let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &pdf) else {
            return;
        };
        let a = text.find("Note of part A.").expect("note A");
        let b = text.find("Note of part B.").expect("note B");
        // Chapter headings: the last of each title (the first is in the contents).
        let (part_a, part_b) = (
            text.rfind("2 Part A").unwrap(),
            text.rfind("3 Part B").unwrap(),
        );
        assert!(part_a < a && a < part_b && part_b < b, "{text}");
        // Numbered through the edition: the second page's note is 2, not 1 again.
        assert!(text.contains("Text of B.2"), "{text}");
    }

    #[test]
    fn pages_link_their_pdf_with_its_size() {
        let site = site();
        site.build_ok();
        for (page, pdf, words) in [
            (
                "report/index.html",
                "/report/print/report.pdf",
                "Download the PDF of Annual report 2025, ",
            ),
            (
                "cy/adroddiad/index.html",
                "/cy/adroddiad/argraffu/adroddiad.pdf",
                "Lawrlwytho PDF o Adroddiad blynyddol 2025, ",
            ),
            (
                "guide/index.html",
                "/guide/print/guide.pdf",
                "Download the PDF of Guide, ",
            ),
        ] {
            let html = site.read(page);
            let link = format!("<a href=\"{pdf}\" download>{words}");
            assert!(html.contains(&link), "{page}: no `{link}` in\n{html}");
            let bytes = std::fs::metadata(site.out().join(&pdf[1..])).unwrap().len();
            assert!(html.contains(&format!("{words}{} KB</a>", bytes.div_ceil(1000))));
        }
    }

    /// Typst's own syntax in titles, headings, tables, code and notes is only text; notes in
    /// headings, captions, cells, lists, callouts and quotes all make it to the PDF.
    #[test]
    fn markdown_full_of_typst_syntax_and_notes_still_prints() {
        const EDGE: &str = r#"+++
title = "Edge [cases] #1 $x$ *y* <z> \\ @ref"
print = true
+++
Intro.[^a]

## Heading with a note[^b] and `code` {#h}

Table: A caption with a note[^c]

| a | b[^a] |
| --- | --- |
| `x` | <span>y</span> \| z = #f() |

- item with a note[^d]
- item two

> [!NOTE]
> callout with a note[^b]

> quote with a note[^e] // not a comment /* nor this */

##

Text with a [broken anchor](#nope), [mail](mailto:a@b.c) and a [relative link](x/y).

[^a]: Note A with `code` and a #hash and $dollar$.
[^b]: Note B.
[^c]: Note C.
[^d]: Note D.
[^e]: Note E.
[^unused]: Never referred to.
"#;
        let site = site();
        site.write("content/edge.md", EDGE);
        site.write(
            "content/edge.cy.md",
            &EDGE.replacen("print = true", "slug = \"ymyl\"\nprint = true", 1),
        );
        site.build_ok();
        let pdf = site.out().join("edge/print/edge.pdf");
        assert!(site.out().join("cy/ymyl/argraffu/ymyl.pdf").exists());
        if let Some(info) = poppler("pdfinfo", &[], &pdf) {
            assert_eq!(
                info_field(&info, "Title"),
                "Edge [cases] #1 $x$ *y* <z> \\ @ref"
            );
        }
        if let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &pdf) {
            for s in [
                "Note A with code and a #hash and $dollar$.",
                "Note B.",
                "Note C.",
                "Note D.",
                "Note E.",
                "z = #f()",
                "// not a comment /* nor this */",
                "1 Heading with a note",
            ] {
                assert!(text.contains(s), "no `{s}` in:\n{text}");
            }
        }
        let html = site.read("edge/print/index.html");
        assert!(
            html.contains(
                "<span class=\"section-number\">1</span> Heading with a note and code</h2>"
            ),
            "chapter titles leave footnote marks out"
        );
    }
}
