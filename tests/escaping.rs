//! Hostile values in front matter, site settings and data come out inert in every output: HTML
//! pages (text, attributes, inline SVG), the print edition and its PDF (Typst), CSV and JSON
//! downloads, `datapackage.json` and the sitemap. Links from data must be `https://`, and a
//! `javascript:` one is an error at its file, line and column.

mod common;

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
