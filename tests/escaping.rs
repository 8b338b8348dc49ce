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

const SCRIPT: &str = "<script>alert(1)</script>";
const ATTRIBUTE: &str = "\"onmouseover=alert(1) x=\"";
/// Typst's markup characters, a call and a comment.
const TYPST: &str = "#eval(\"1\") $x$ *b* _i_ @r <l> `c` \\ [a] // c";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";

/// A TOML literal string (no escapes inside `'''…'''`).
fn literal(text: &str) -> String {
    format!("'''{text}'''")
}

/// A CSV field, quoted.
fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// With a placeholder of the UI string it goes into ("Download the PDF of {title}, {size}").
fn title() -> String {
    format!("Report {SCRIPT} {ATTRIBUTE} {TYPST} {{size}}")
}

fn organisation_name() -> String {
    format!("{FORMULA} {SCRIPT}")
}

fn chart_title() -> String {
    format!("Chart </title>{SCRIPT} ]) #panic(\"x\") [")
}

/// The catalogue, the organisations dataset's title with markup and a formula in it.
fn hostile_catalogue() -> String {
    let plain = common::data::catalogue(&["organisations", "reasons", "searches"]);
    let hostile = plain.replace(
        "title = { en = \"Organisations\"",
        "title = { en = \"Organisations <b>bold</b> =1+1\"",
    );
    assert_ne!(plain, hostile);
    hostile
}

fn hostile_site() -> Fixture {
    let organisations = format!(
        "id,name_en,name_cy,type,jurisdiction,systems,purposes,legal_powers_en,legal_powers_cy,senior_contact_role_en,senior_contact_role_cy,dpia_url\n\
         gwent,{},{},territorial-police,england-wales,PNC;LEDS,investigation,{},Deddf ŵ ŷ â 🙂,-2+3,@SUM(A1),https://example.org/dpia?a=1&b=\"x\n",
        field(&organisation_name()),
        field(&format!("Heddlu {ATTRIBUTE}")),
        field(TYPST),
    );
    let report = format!(
        "+++\ntitle = {}\ndescription = {}\nprint = true\n[extra]\nstatus = {}\nversion = {}\n+++\n\
         Opening words.\n\n\
         ## Fewer than <5 & more, ŵ\n\n\
         Text.\n\n\
         {{{{ chart(data=\"searches\", kind=\"line\", x=\"period\", y=\"searches\", series=\"system\", title=\"{}\") }}}}\n\n\
         {{{{ table(data=\"organisations\", columns=\"name,legal_powers\") }}}}\n",
        literal(&title()),
        literal(&format!("Described {ATTRIBUTE} '{SCRIPT}'")),
        literal(TYPST),
        literal(&format!("1.0 {SCRIPT}")),
        chart_title().replace('"', "\\\""),
    );
    let report_cy = report.replacen("+++\n", "+++\nslug = \"adroddiad\"\n", 1);
    Fixture::new(&[
        (
            "site.toml",
            &common::SITE_TOML.replace("Test site", "Test <b>site</b> #set page(width: 1cm)"),
        ),
        ("data/datasets.toml", &hostile_catalogue()),
        ("data/reasons.toml", REASONS),
        ("data/organisations.csv", &organisations),
        (
            "data/usage/searches-2025.csv",
            "period,organisation,system,reason,searches\n2025-01,gwent,PNC,investigation,10\n2025-02,gwent,LEDS,investigation,12\n",
        ),
        (
            "content/organisations/_index.md",
            "+++\ntitle = \"Organisations\"\npublication = \"organisations\"\n+++\n",
        ),
        (
            "content/organisations/_index.cy.md",
            "+++\ntitle = \"Sefydliadau\"\nslug = \"sefydliadau\"\npublication = \"organisations\"\n+++\n",
        ),
        ("content/report.md", &report),
        ("content/report.cy.md", &report_cy),
    ])
}

fn files_under(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn hostile_values_come_out_inert_in_every_output() {
    let site = hostile_site();
    site.build_ok();
    let out = site.out();

    let pages = files_under(&out, "html");
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        assert_inert(&std::fs::read_to_string(page).unwrap(), page);
    }

    // HTML text and attributes show the values as they were written.
    let report = site.read("report/index.html");
    assert_eq!(text_of(&report, "h1"), [title()]);
    assert_eq!(text_of(&report, "head > title").len(), 1);
    assert!(text_of(&report, "head > title")[0].starts_with(&title()));
    let pdf_link = text_of(&report, ".pdf-link a");
    assert!(
        pdf_link.len() == 1 && pdf_link[0].contains(&format!("{}, ", title())),
        "{pdf_link:?}"
    );
    let doc = scraper::Html::parse_document(&report);
    let meta = scraper::Selector::parse("meta[name=description]").unwrap();
    assert_eq!(
        doc.select(&meta).next().unwrap().value().attr("content"),
        Some(format!("Described {ATTRIBUTE} '{SCRIPT}'").as_str())
    );
    // Inline SVG: the chart's title and the names in its table.
    assert_eq!(text_of(&report, "svg > title"), [chart_title()]);
    assert!(text_of(&report, "td, th").contains(&organisation_name()));
    assert!(text_of(&report, "td, th").contains(&TYPST.to_string()));
    let org = site.read("organisations/gwent/index.html");
    assert!(text_of(&org, "h1").contains(&organisation_name()), "{org}");
    let doc = scraper::Html::parse_document(&org);
    let dpia = scraper::Selector::parse("a[href^='https://example.org/dpia']").unwrap();
    assert_eq!(
        doc.select(&dpia).next().unwrap().value().attr("href"),
        Some("https://example.org/dpia?a=1&b=\"x")
    );
    let cy = site.read("cy/sefydliadau/gwent/index.html");
    assert!(text_of(&cy, "h1").contains(&format!("Heddlu {ATTRIBUTE}")));

    // The print edition's contents list shows headings as written, escaped once.
    let print = site.read("report/print/index.html");
    let contents = text_of(&print, ".edition__toc a");
    assert!(
        contents
            .iter()
            .any(|c| c.ends_with("Fewer than <5 & more, ŵ")),
        "{contents:?}"
    );
    assert!(text_of(&print, ".edition__cover dd").contains(&TYPST.to_string()));

    // CSV: formula-safe text; JSON and datapackage.json: the values as they are.
    let csv = site.read("datasets/organisations/organisations.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| &row[headers.iter().position(|h| h == name).unwrap()];
    assert_eq!(cell("name_en"), format!("'{}", organisation_name()));
    assert_eq!(cell("senior_contact_role_en"), "'-2+3");
    assert_eq!(cell("senior_contact_role_cy"), "'@SUM(A1)");
    assert_eq!(cell("legal_powers_en"), TYPST);
    let json: serde_json::Value =
        serde_json::from_str(&site.read("datasets/organisations/organisations.json")).unwrap();
    assert_eq!(json["data"][0]["name_en"], organisation_name());
    assert_eq!(json["data"][0]["senior_contact_role_en"], "-2+3");
    let package: serde_json::Value =
        serde_json::from_str(&site.read("datasets/organisations/datapackage.json")).unwrap();
    assert_eq!(package["title"], "Organisations <b>bold</b> =1+1");

    // The sitemap is well-formed XML of absolute https addresses.
    let sitemap = site.read("sitemap.xml");
    let xml = roxmltree::Document::parse(&sitemap).expect("well-formed sitemap");
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() > 5 && locs.iter().all(|l| l.starts_with("https://example.org/")));

    // The PDF prints Typst's special characters as themselves, and ran none of them.
    let pdf = out.join("report/print/report.pdf");
    if let Some(text) = common::poppler("pdftotext", &["-enc", "UTF-8"], &pdf) {
        let text = squeeze(&text);
        for expected in [
            title(),
            TYPST.to_string(),
            chart_title(),
            organisation_name(),
            "Fewer than <5 & more, ŵ".to_string(),
            "Test <b>site</b> #set page(width: 1cm)".to_string(),
        ] {
            assert!(
                text.contains(&squeeze(&expected)),
                "{expected:?} not in {text}"
            );
        }
    }
}
