//! Hostile values in front matter, site settings and data come out inert in every output: HTML
//! pages (text, attributes, inline SVG), the print edition and its PDF (Typst), CSV and JSON
//! downloads, `datapackage.json` and the sitemap. Links from data must be `https://`, and a
//! `javascript:` one is an error at its file, line and column.

mod common;

use std::path::Path;

use common::Fixture;

#[test]
fn control_characters_and_emoji_do_not_stop_the_pdf() {
    let page = |title: &str, slug: &str| {
        format!(
            "+++\ntitle = \"{title}\"\n{slug}print = true\n+++\n## Part \u{1}one 🙂\n\nText with a bell \u{7}, an emoji 🙂 and 中文.\n"
        )
    };
    let site = Fixture::new(&[
        ("content/report.md", &page("Report \\u0001 🙂", "")),
        (
            "content/report.cy.md",
            &page("Adroddiad \\u0001 🙂", "slug = \"adroddiad\"\n"),
        ),
    ]);
    site.build_ok();
    let pdf = site.out().join("report/print/report.pdf");
    if let Some(text) = common::poppler("pdftotext", &["-enc", "UTF-8"], &pdf) {
        assert!(text.contains("Report"), "{text}");
        assert!(text.contains("Text with a bell"), "{text}");
    }
}

/// No element, attribute or link of the page runs script.
fn assert_inert(html: &str, page: &Path) {
    let doc = scraper::Html::parse_document(html);
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = el.value().name();
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed"),
            "<{name}> in {}",
            page.display()
        );
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{attr}=\"{value}\" on <{name}> in {}",
                page.display()
            );
            let lower = value.trim().to_ascii_lowercase();
            assert!(
                !(matches!(
                    attr,
                    "href" | "src" | "action" | "formaction" | "xlink:href"
                ) && (lower.starts_with("javascript:") || lower.starts_with("data:text"))),
                "{attr}=\"{value}\" in {}",
                page.display()
            );
        }
    }
}

fn text_of(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn templates_of_any_name_are_escaped() {
    let site = Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = '<script>alert(1)</script>'\ntemplate = \"plain.htm\"\n+++\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\ntemplate = \"plain.htm\"\n+++\n",
        ),
    ]);
    // The default theme, and one template more whose name does not end in `.html`.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&theme).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&theme).unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            site.write(&format!("themes/default/{}", rel.display()), &text);
        }
    }
    site.write(
        "themes/default/templates/plain.htm",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><head><title>{{ page.title }}</title></head><body><h1 title=\"{{ page.title }}\">{{ page.title }}</h1></body></html>\n",
    );
    site.build_ok();
    let html = site.read("about/index.html");
    assert_inert(&html, Path::new("about/index.html"));
    assert_eq!(text_of(&html, "h1"), ["<script>alert(1)</script>"]);
}
