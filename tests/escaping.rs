//! Hostile values in front matter, site settings and data come out inert in every output: HTML
//! pages (text, attributes, inline SVG), the print edition and its PDF (Typst), CSV and JSON
//! downloads, `datapackage.json` and the sitemap. Links from data must be `https://`, and a
//! `javascript:` one is an error at its file, line and column.

mod common;

use std::path::Path;

use common::Fixture;
use common::data::{REASONS, REGULATORS};

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

/// Links from data that would run script or hide where they lead are errors at their place.
#[test]
fn links_from_data_must_be_https_and_are_errors_where_they_are_written() {
    let organisations = "id,name_en,name_cy,type,jurisdiction,systems,purposes,legal_powers_en,legal_powers_cy,senior_contact_role_en,senior_contact_role_cy,dpia_url\n\
        gwent,Gwent Police,Heddlu Gwent,territorial-police,england-wales,PNC;LEDS,investigation,Police Act 1996,Deddf yr Heddlu 1996,Chief Constable,Prif Gwnstabl,https://www.gwent.police.uk/dpia\n";
    let site = Fixture::new(&[
        (
            "data/datasets.toml",
            &common::data::catalogue(&["organisations", "reasons", "regulators", "raci"]),
        ),
        ("data/reasons.toml", REASONS),
        ("data/regulators.toml", REGULATORS),
        ("data/organisations.csv", organisations),
    ]);
    let err = common::assert_breaks(
        site,
        &[
            (
                "data/regulators.toml",
                &REGULATORS.replace(
                    "https://www.gov.uk/government/organisations/home-office",
                    "javascript:alert(1)",
                ),
            ),
            (
                "data/organisations.csv",
                &organisations.replace(
                    "https://www.gwent.police.uk/dpia",
                    "https://www.gwent.police.uk@evil.example/dpia",
                ),
            ),
        ],
        &[
            "data/regulators.toml:7:7: error: `url`: `javascript:` links are not allowed",
            "data/organisations.csv:2:156: error: `dpia_url`: a link must not contain a user name or password",
            "hint: links in data must be https:// addresses",
        ],
    );
    assert!(err.contains("^^^^^^^^^^^^^^^^^^^^^"), "underlined:\n{err}");
}
