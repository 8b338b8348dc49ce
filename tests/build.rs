//! `tryloyw build` on fixture sites: URLs, languages, twins, escaping, determinism, and the
//! output folder rules.

mod common;

use common::{Fixture, snapshot, stderr};

fn bilingual() -> Fixture {
    Fixture::new(&[
        (
            "content/code/_index.md",
            "+++\ntitle = \"Code of Practice\"\ndescription = \"The rules.\"\n+++\nRead [the purpose](@/code/purpose.md#why).\n",
        ),
        (
            "content/code/_index.cy.md",
            "+++\ntitle = \"Cod Ymarfer\"\nslug = \"cod-ymarfer\"\n+++\nDarllenwch [y diben](@/code/purpose.md#why).\n",
        ),
        (
            "content/code/purpose.md",
            "+++\ntitle = \"Purpose\"\nweight = 1\ndate = 2019-02-20\n+++\n## Why {#why}\n\nText.\n",
        ),
        (
            "content/code/purpose.cy.md",
            "+++\ntitle = \"Diben\"\nweight = 1\ndate = 2019-02-20\nslug = \"diben\"\n+++\n## Pam {#why}\n\nTestun.\n",
        ),
        (
            "content/code/aims.md",
            "+++\ntitle = \"Aims\"\nweight = 2\n+++\nAims.\n",
        ),
        (
            "content/code/aims.cy.md",
            "+++\ntitle = \"Nodau\"\nweight = 2\nslug = \"nodau\"\n+++\nNodau.\n",
        ),
    ])
}

#[test]
fn english_and_welsh_pages_get_their_urls_lang_and_twin_links() {
    let site = bilingual();
    site.build_ok();
    let en = site.read("code/purpose/index.html");
    let cy = site.read("cy/cod-ymarfer/diben/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(cy.contains("<html lang=\"cy\">"));
    // The language switch leads to the twin, names the other language in that language.
    assert!(en.contains(
        "<a class=\"lang-switch__link\" href=\"/cy/cod-ymarfer/diben/\" hreflang=\"cy\" lang=\"cy\">Cymraeg</a>"
    ));
    assert!(cy.contains(
        "<a class=\"lang-switch__link\" href=\"/code/purpose/\" hreflang=\"en\" lang=\"en\">English</a>"
    ));
    for page in [&en, &cy] {
        assert!(page.contains(
            "<link rel=\"alternate\" hreflang=\"cy\" href=\"https://example.org/cy/cod-ymarfer/diben/\">"
        ));
        assert!(page.contains(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/code/purpose/\">"
        ));
    }
    // Welsh date, breadcrumbs, UI strings.
    assert!(cy.contains("20 Chwefror 2019"));
    assert!(cy.contains("Neidio i&#39;r prif gynnwys"));
    assert!(
        cy.contains("<a class=\"breadcrumbs__link\" href=\"/cy/cod-ymarfer/\">Cod Ymarfer</a>")
    );
    assert!(en.contains("20 February 2019"));
    // Siblings by weight: purpose then aims.
    assert!(en.contains("href=\"/code/aims/\" rel=\"next\""));
    assert!(cy.contains("href=\"/cy/cod-ymarfer/nodau/\" rel=\"next\""));
}

#[test]
fn internal_links_resolve_to_the_pages_own_language() {
    let site = bilingual();
    site.build_ok();
    assert!(
        site.read("code/index.html")
            .contains("href=\"/code/purpose/#why\"")
    );
    assert!(
        site.read("cy/cod-ymarfer/index.html")
            .contains("href=\"/cy/cod-ymarfer/diben/#why\"")
    );
}

#[test]
fn section_pages_list_their_pages_in_order() {
    let site = bilingual();
    site.build_ok();
    let section = site.read("cy/cod-ymarfer/index.html");
    let diben = section
        .find("href=\"/cy/cod-ymarfer/diben/\">Diben")
        .unwrap();
    let nodau = section
        .find("href=\"/cy/cod-ymarfer/nodau/\">Nodau")
        .unwrap();
    assert!(diben < nodau);
}

#[test]
fn sitemap_robots_and_bilingual_404() {
    let site = bilingual();
    site.build_ok();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/cy/cod-ymarfer/diben/</loc>"));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/code/purpose/\"/>"
    ));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
    let en404 = site.read("404.html");
    assert!(en404.contains("Page not found"));
    assert!(en404.contains("<div class=\"other-language\" lang=\"cy\">"));
    assert!(en404.contains("Heb ddod o hyd i&#39;r dudalen"));
    let cy404 = site.read("cy/404.html");
    assert!(cy404.contains("<html lang=\"cy\">"));
    assert!(cy404.contains("href=\"/404.html\" hreflang=\"en\""));
}

#[test]
fn text_is_escaped_and_no_inline_styles_or_scripts_are_emitted() {
    let site = Fixture::new(&[
        (
            "content/x.md",
            "+++\ntitle = \"<script>alert(1)</script> & co\"\ndescription = \"\\\"quoted\\\" <b>\"\n+++\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n",
        ),
        (
            "content/x.cy.md",
            "+++\ntitle = \"Tudalen\"\nslug = \"x\"\n+++\nTestun.\n",
        ),
    ]);
    site.build_ok();
    let html = site.read("x/index.html");
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(html.contains("content=\"&quot;quoted&quot; &lt;b&gt;\""));
    for (path, bytes) in snapshot(&site.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(" style="),
            "inline style in {}",
            path.display()
        );
        assert!(!text.contains("<script"), "script in {}", path.display());
        assert!(
            !text.contains("<style"),
            "style element in {}",
            path.display()
        );
    }
    assert!(
        html.contains("class=\"hl-"),
        "code highlighted with classes"
    );
    assert!(html.contains("<th scope=\"col\" class=\"align-centre\">a</th>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = bilingual();
    let a = site.root().join("a");
    let b = site.root().join("b");
    for dir in [&a, &b] {
        let out = site.build(&["--output", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 10);
    assert_eq!(sa, sb);
}

#[test]
fn minified_output_is_smaller_and_still_has_lang() {
    let site = bilingual();
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("minify = false", "minify = true"),
    );
    site.build_ok();
    let html = site.read("cy/index.html");
    assert!(
        html.starts_with("<!doctype html><html lang=cy>"),
        "{}",
        &html[..80]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Fixture::new(&[
        (
            "content/d.md",
            "+++\ntitle = \"Draft\"\ndraft = true\n+++\n",
        ),
        (
            "content/d.cy.md",
            "+++\ntitle = \"Drafft\"\ndraft = true\n+++\n",
        ),
    ]);
    site.build_ok();
    assert!(!site.out().join("d/index.html").exists());
    let out = site.build(&["--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.out().join("d/index.html").exists());
}

#[test]
fn base_url_can_be_overridden() {
    let site = bilingual();
    let out = site.build(&["--base-url", "https://staging.example.org/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.read("index.html")
            .contains("href=\"https://staging.example.org/\"")
    );
}

#[test]
fn colocated_files_and_static_files_are_copied() {
    let site = bilingual();
    site.write("content/code/diagram.txt", "a diagram");
    site.write("static/files/guide.txt", "a guide");
    site.write("static/css/style.css", "/* the site's own */");
    site.build_ok();
    assert_eq!(site.read("code/diagram.txt"), "a diagram");
    assert_eq!(site.read("files/guide.txt"), "a guide");
    assert_eq!(
        site.read("css/style.css"),
        "/* the site's own */",
        "site static overrides theme"
    );
}

#[test]
fn previous_output_is_replaced_and_stale_files_removed() {
    let site = bilingual();
    site.build_ok();
    assert!(site.out().join("code/aims/index.html").exists());
    site.remove("content/code/aims.md");
    site.remove("content/code/aims.cy.md");
    site.build_ok();
    assert!(!site.out().join("code/aims/index.html").exists());
    assert!(site.out().join("code/purpose/index.html").exists());
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tryloyw"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

/// Names of the entries in `dir` that a build made beside its output.
fn staging_folders(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tryloyw"))
        .collect()
}

#[test]
fn an_error_found_while_pages_are_written_leaves_the_previous_output_as_it_was() {
    // Pages are written to the staging folder as they render; a broken link to a heading is
    // found only after every page is written.
    let site = bilingual();
    site.build_ok();
    let before = common::snapshot(&site.out());
    site.write(
        "content/code/aims.md",
        "+++\ntitle = \"Aims\"\nweight = 2\n+++\nSee [why](@/code/purpose.md#nope).\n",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(
        common::stderr(&out).contains("#nope"),
        "{}",
        common::stderr(&out)
    );
    assert!(
        before == common::snapshot(&site.out()),
        "the previous output changed"
    );
    assert!(
        staging_folders(site.root()).is_empty(),
        "{:?}",
        staging_folders(site.root())
    );

    // With no previous output, a failed build leaves nothing: not even the folders it made
    // for a nested output folder.
    let out = site.build(&["--output", "made/for/this"]);
    assert!(!out.status.success());
    assert!(!site.root().join("made").exists(), "folders left behind");
}

#[test]
fn two_outputs_wanting_one_path_is_an_error_naming_both() {
    let site = bilingual();
    site.write("static/code/aims/index.html", "<p>mine</p>");
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("two outputs want `code/aims/index.html`")
            && err.contains("static file")
            && err.contains("content/code/aims.md"),
        "{err}"
    );
    assert!(!site.out().exists());
    assert!(staging_folders(site.root()).is_empty());
}

#[test]
fn refuses_to_write_into_folders_it_did_not_create() {
    let site = bilingual();
    site.build_ok();
    site.write("public/notes.txt", "mine");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("notes.txt"), "{err}");
    assert!(err.contains("refusing"), "{err}");
    assert_eq!(site.read("notes.txt"), "mine");
    assert!(site.out().join("index.html").exists(), "old output kept");

    for target in [".", "content", "content/code", "static"] {
        let dir = site.root().join(target);
        let before = snapshot(site.root());
        let out = site.build(&["--output", dir.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--output {target}: {}",
            stderr(&out)
        );
        assert_eq!(
            before,
            snapshot(site.root()),
            "--output {target} changed files"
        );
    }

    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("precious.doc"), "x").unwrap();
    let out = site.build(&["--output", elsewhere.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("precious.doc")).unwrap(),
        "x"
    );
}

#[test]
fn new_site_builds_at_once_without_a_themes_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let out = assert_cmd::Command::cargo_bin("tryloyw")
        .unwrap()
        .args(["new", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.join("themes").exists());
    let out = assert_cmd::Command::cargo_bin("tryloyw")
        .unwrap()
        .args(["build", "--root", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let cy = std::fs::read_to_string(dir.join("public/cy/am-y-safle/index.html")).unwrap();
    assert!(cy.contains("lang=cy"));
    // `new` refuses a folder with files in it.
    let out = assert_cmd::Command::cargo_bin("tryloyw")
        .unwrap()
        .args(["new", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_subcommand_has_help_and_usage_errors_exit_2() {
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["new", "--help"],
    ] {
        let out = assert_cmd::Command::cargo_bin("tryloyw")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));
    }
    let out = assert_cmd::Command::cargo_bin("tryloyw")
        .unwrap()
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_theme_folder_replaces_the_built_in_theme() {
    let site = bilingual();
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("minify = false", "minify = false\ntheme = \"plain\""),
    );
    site.write(
        "themes/plain/templates/page.html",
        "<p lang=\"{{ lang }}\">{{ page.title }} {{ t(key=\"hello\") }}</p>",
    );
    site.write("themes/plain/templates/section.html", "{{ content }}");
    site.write("themes/plain/templates/404.html", "404");
    site.write("themes/plain/i18n/en.toml", "hello = \"Hello\"\n");
    site.write("themes/plain/i18n/cy.toml", "hello = \"Helo\"\n");
    site.build_ok();
    assert_eq!(
        site.read("cy/cod-ymarfer/diben/index.html"),
        "<p lang=\"cy\">Diben Helo</p>"
    );
}
