//! `tryloyw check` on fixture sites: each rule is caught and reported at its Markdown source,
//! a clean site passes, the JSON report adds up, and the bundled site passes.

mod common;

use std::process::Output;

use assert_cmd::Command;
use common::Fixture;

fn check(root: &std::path::Path, args: &[&str]) -> Output {
    Command::cargo_bin("tryloyw")
        .unwrap()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn all(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A site whose English page `content/report.md` has `body`; its Welsh twin is clean.
fn site_with(body: &str) -> Fixture {
    Fixture::new(&[
        (
            "content/report.md",
            &format!("+++\ntitle = \"Report\"\ndescription = \"The report.\"\n+++\n{body}"),
        ),
        (
            "content/report.cy.md",
            "+++\ntitle = \"Adroddiad\"\ndescription = \"Yr adroddiad.\"\nslug = \"adroddiad\"\n+++\nTestun.\n",
        ),
    ])
}

/// Check the site, insist it fails with exit code 1, and that the output holds each of `expected`.
fn assert_finds(site: &Fixture, expected: &[&str]) -> String {
    let out = check(site.root(), &[]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(1), "expected errors:\n{text}");
    for e in expected {
        assert!(text.contains(e), "missing {e:?} in:\n{text}");
    }
    text
}

#[test]
fn image_without_alt_is_an_error_at_its_source_line() {
    let site = site_with("Intro.\n\n<img src=\"/chart.png\">\n");
    site.write("static/chart.png", "png");
    let text = assert_finds(
        &site,
        &[
            "content/report.md:7:11: error: image `/chart.png` has no alt text [img-alt]",
            "^^^^^^^^^^ in report/index.html",
            "hint: describe the image with alt text",
        ],
    );
    assert!(!text.contains("broken-link"), "{text}");
}

#[test]
fn decorative_image_must_be_marked() {
    let site = site_with(
        "<img src=\"/a.png\" alt=\"\">\n\n<img src=\"/b.png\" alt=\"\" role=\"presentation\">\n",
    );
    site.write("static/a.png", "png");
    site.write("static/b.png", "png");
    let out = check(site.root(), &[]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(
        "content/report.md:5:11: warning: decorative image not marked: `/a.png` has alt=\"\" but no role=\"presentation\" [decorative-img]"
    ), "{text}");
    assert!(!text.contains("`/b.png`"), "{text}");
}

#[test]
fn broken_link_to_a_missing_page() {
    let site = site_with("See <a href=\"/nope/\">the old page</a>.\n");
    assert_finds(
        &site,
        &[
            "content/report.md:5:14: error: link to `/nope/` leads nowhere: the built site has no `nope/index.html` [broken-link]",
            "hint: link to pages by their source file",
        ],
    );
}

#[test]
fn broken_anchor_on_the_same_page_and_on_another() {
    let site = site_with(
        "## Findings {#findings}\n\nJump to <a href=\"#missing\">the summary</a> or \
         <a href=\"#findings\">the findings</a>, or <a href=\"/#nowhere\">home</a>.\n",
    );
    let text = assert_finds(
        &site,
        &[
            "content/report.md:7:18: error: link to `#missing`: there is no element with id `missing` on this page [broken-anchor]",
            "error: link to `/#nowhere`: there is no element with id `nowhere` on `/` [broken-anchor]",
        ],
    );
    assert!(!text.contains("`#findings`"), "{text}");
}

#[test]
fn skipped_heading_level() {
    let site = site_with("## A\n\nText.\n\n#### B\n\nMore.\n");
    assert_finds(
        &site,
        &["content/report.md:9:1: error: heading level skips from h2 to h4: `B` [heading-order]"],
    );
}

#[test]
fn second_h1_is_an_error() {
    let site = site_with("# Another title\n\nText.\n");
    assert_finds(
        &site,
        &[
            "content/report.md:5:1: error: more than one h1 heading: a second one, `Another title` [single-h1]",
        ],
    );
}

#[test]
fn vague_link_text_is_a_warning_or_an_error_if_configured() {
    let site = site_with("For the data, [click here](https://example.com/data).\n");
    let out = check(site.root(), &[]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "content/report.md:5:15: warning: link text `click here` does not say where the link goes [vague-link-text]"
        ),
        "{text}"
    );
    assert!(text.contains("; not fetched: add --external to check them):"));
    assert!(
        text.contains("  https://example.com/data (1 page)"),
        "{text}"
    );

    // check.toml raises it to an error.
    site.write("check.toml", "vague-link-text = \"error\"\n");
    assert_finds(
        &site,
        &[
            "content/report.md:5:15: error: link text `click here` does not say where the link goes [vague-link-text]",
        ],
    );
    // ...or turns it off.
    site.write("check.toml", "vague-link-text = \"off\"\n");
    let out = check(site.root(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!all(&out).contains("vague-link-text"));
}

#[test]
fn welsh_vague_link_text() {
    let site = Fixture::new(&[
        (
            "content/report.md",
            "+++\ntitle = \"Report\"\ndescription = \"d\"\n+++\nText.\n",
        ),
        (
            "content/report.cy.md",
            "+++\ntitle = \"Adroddiad\"\ndescription = \"d\"\n+++\nAm y data, [cliciwch yma](@/_index.md).\n",
        ),
    ]);
    let out = check(site.root(), &[]);
    let text = all(&out);
    assert!(
        text.contains(
            "content/report.cy.md:5:12: warning: link text `cliciwch yma` does not say where the link goes [vague-link-text]"
        ),
        "{text}"
    );
}

#[test]
fn table_without_caption() {
    let site = site_with("| Year | Searches |\n| --- | --- |\n| 2024 | 10 |\n");
    assert_finds(
        &site,
        &[
            "content/report.md:5:1: error: the table starting `Year` has no caption [table-caption]",
            "hint: put a line `Table: what the table shows` right before the Markdown table",
        ],
    );
    // With a caption it passes.
    let site =
        site_with("Table: Searches by year\n\n| Year | Searches |\n| --- | --- |\n| 2024 | 10 |\n");
    let out = check(site.root(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));
}

#[test]
fn table_without_header_cells() {
    let site =
        site_with("<table><caption>Totals</caption><tr><td>2024</td><td>10</td></tr></table>\n");
    assert_finds(
        &site,
        &["error: the table starting `2024` has no header cells (th) [table-headers]"],
    );
}

#[test]
fn duplicate_id() {
    let site = site_with("<p id=\"dup\">One.</p>\n\n<p id=\"dup\">Two.</p>\n");
    assert_finds(
        &site,
        &["content/report.md:5:4: error: the id `dup` is used 2 times on this page [duplicate-id]"],
    );
}

#[test]
fn empty_link_and_button() {
    let site = site_with("<a href=\"/\"></a>\n");
    assert_finds(
        &site,
        &["error: empty link to `/`: it has no text a screen reader can announce [empty-link]"],
    );
    // Markdown cannot carry a <button> (the sanitiser removes it), but a theme can: put one
    // into the built page and check the output folder.
    site.build_ok();
    let path = site.out().join("report/index.html");
    let html = std::fs::read_to_string(&path).unwrap();
    let html = html.replacen("</main>", "<button type=\"button\"> </button></main>", 1);
    assert!(html.contains("<button"), "no </main> in {html}");
    std::fs::write(&path, html).unwrap();
    let out = check(site.root(), &["--output", site.out().to_str().unwrap()]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error: empty button: it has no text a screen reader can announce [empty-link]"
        ),
        "{text}"
    );
}

#[test]
fn link_into_the_other_language_is_a_warning_unless_marked() {
    let site = site_with(
        "Read it <a href=\"/cy/adroddiad/\">in Welsh</a>, or \
         <a href=\"/cy/adroddiad/\" hreflang=\"cy\">Cymraeg</a>.\n",
    );
    let out = check(site.root(), &[]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("[other-language-link]").count(), 1, "{text}");
    assert!(text.contains(
        "content/report.md:5:18: warning: link from English text to a Welsh page: `/cy/adroddiad/` [other-language-link]"
    ), "{text}");
}

#[test]
fn missing_description_is_a_warning_at_the_front_matter() {
    let site = Fixture::new(&[
        ("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n"),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\ndescription = \"d\"\n+++\nTestun.\n",
        ),
    ]);
    let out = check(site.root(), &[]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(
        "content/about.md:1:1: warning: the page has no <meta name=\"description\"> [missing-description]"
    ), "{text}");
    assert!(!text.contains("content/about.cy.md:1:1: warning"), "{text}");
}

#[test]
fn clean_site_passes() {
    let site = Fixture::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\ndescription = \"The home page.\"\n+++\nWelcome. Read [the report](@/report.md#findings).\n",
        ),
        (
            "content/_index.cy.md",
            "+++\ntitle = \"Hafan\"\ndescription = \"Yr hafan.\"\n+++\nCroeso. Darllenwch [yr adroddiad](@/report.md#findings).\n",
        ),
        (
            "content/report.md",
            "+++\ntitle = \"Report\"\ndescription = \"The report.\"\n+++\n## Findings {#findings}\n\n### Detail\n\nTable: Searches\n\n| Year | Searches |\n| --- | --- |\n| 2024 | 10 |\n\n![A bar chart of searches](/chart.png)\n\nSee [the licence](https://example.com/licence).\n",
        ),
        (
            "content/report.cy.md",
            "+++\ntitle = \"Adroddiad\"\ndescription = \"Yr adroddiad.\"\nslug = \"adroddiad\"\n+++\n## Canfyddiadau {#findings}\n\nTestun.\n",
        ),
        ("static/chart.png", "png"),
    ]);
    let out = check(site.root(), &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));
    assert!(text.contains(" 0 errors, "), "{text}");
    assert!(
        text.ends_with("check: 6 pages, 0 errors, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn json_report_parses_and_adds_up() {
    let site =
        site_with("<img src=\"/x.png\">\n\n## A\n\n#### B\n\n[here](https://example.com/x)\n");
    let out = check(site.root(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let findings = doc["findings"].as_array().unwrap();
    let count = |sev: &str| findings.iter().filter(|f| f["severity"] == sev).count();
    assert_eq!(doc["errors"].as_u64().unwrap() as usize, count("error"));
    assert_eq!(doc["warnings"].as_u64().unwrap() as usize, count("warning"));
    assert_eq!(doc["pages"], 6);
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in ["img-alt", "broken-link", "heading-order", "vague-link-text"] {
        assert!(rules.contains(&rule), "{rule} not in {rules:?}");
    }
    let img = findings.iter().find(|f| f["rule"] == "img-alt").unwrap();
    assert_eq!(img["source"], "content/report.md");
    assert_eq!(img["page"], "report/index.html");
    assert_eq!(img["line"], 5);
    assert_eq!(img["severity"], "error");
    assert!(img["hint"].as_str().unwrap().contains("alt text"));
    assert_eq!(doc["external_links"][0]["url"], "https://example.com/x");
    assert_eq!(doc["external_links"][0]["pages"][0], "report/index.html");
    assert_eq!(doc["external_links"][0]["checked"], false);
}

#[test]
fn checks_a_built_folder_by_output_path() {
    let site = site_with("<a href=\"#missing\">x</a>\n");
    site.build_ok();
    let out = check(site.root(), &["--output", site.out().to_str().unwrap()]);
    let text = all(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let page = site.out().join("report/index.html");
    assert!(
        text.contains(&format!(
            "{}: error: link to `#missing`: there is no element with id `missing` on this page [broken-anchor]",
            page.display()
        )),
        "{text}"
    );
    // Each page lists its twins, so a missing one shows even without the source map.
    std::fs::remove_file(site.out().join("cy/adroddiad/index.html")).unwrap();
    let text = all(&check(
        site.root(),
        &["--output", site.out().to_str().unwrap()],
    ));
    assert!(text.contains("[broken-link]"), "{text}");
}

#[test]
fn translation_parity_without_the_source_map() {
    let site = site_with("Text.\n");
    site.build_ok();
    // Remove the Welsh alternate from the built English page: the page now has no Welsh twin.
    let path = site.out().join("report/index.html");
    let html = std::fs::read_to_string(&path).unwrap();
    let html: String = html
        .lines()
        .filter(|l| !l.contains("rel=\"alternate\" hreflang=\"cy\""))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, html).unwrap();
    let out = check(site.root(), &["--output", site.out().to_str().unwrap()]);
    let text = all(&out);
    assert!(
        text.contains(
            "report/index.html: error: this page has no Welsh version [translation-parity]"
        ),
        "{text}"
    );
}

#[test]
fn bad_check_toml_is_a_usage_error() {
    let site = site_with("Text.\n");
    site.write("check.toml", "brokn-link = \"error\"\n");
    let out = check(site.root(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = all(&out);
    assert!(
        text.contains("check.toml:1:1: error: unknown check rule `brokn-link`"),
        "{text}"
    );
    assert!(text.contains("did you mean `broken-link`?"), "{text}");
}

#[test]
fn usage_errors_exit_2_and_a_broken_site_exits_1() {
    let site = site_with("Text.\n");
    let out = check(site.root(), &["--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = check(site.root(), &["--output", "/no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(all(&out).contains("it is not a folder"));

    site.remove("content/report.cy.md");
    let out = check(site.root(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"][0]["rule"], "build");
    assert!(all(&out).contains("has no Cymraeg twin"));
}

#[test]
fn bundled_site_passes() {
    let out = check(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));
    assert!(stdout(&out).contains(" 0 errors, "));
}
