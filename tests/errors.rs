//! Bad input: every kind gives `path:line:column: error: ...`, a snippet, a hint, exit code 1,
//! and leaves the previous output exactly as it was.

mod common;

use common::{Fixture, stderr};

fn good_site() -> Fixture {
    Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\n## Who {#who}\n\nSee [home](@/_index.md).\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\n## Pwy {#who}\n\nGweler [hafan](@/_index.md).\n",
        ),
    ])
}

fn assert_fails(edits: &[(&str, &str)], expected: &[&str]) -> String {
    common::assert_breaks(good_site(), edits, expected)
}

#[test]
fn malformed_front_matter() {
    let err = assert_fails(
        &[(
            "content/about.md",
            "+++\ntitle = \"About\ndate = 2020-01-01\n+++\n",
        )],
        &[
            "content/about.md:2:",
            "error: invalid TOML in front matter",
            "hint:",
        ],
    );
    assert!(err.contains("2 | title = \"About"), "snippet shown:\n{err}");
}

#[test]
fn unknown_front_matter_field_suggests_the_right_one() {
    let err = assert_fails(
        &[(
            "content/about.md",
            "+++\ntitle = \"About\"\ndescrption = \"x\"\n+++\n",
        )],
        &[
            "content/about.md:3:1: error: unknown field `descrption` in front matter",
            "hint: did you mean `description`?",
        ],
    );
    assert!(
        err.contains("3 | descrption = \"x\"\n  | ^^^^^^^^^^"),
        "underlined:\n{err}"
    );
}

#[test]
fn bad_dates() {
    assert_fails(
        &[(
            "content/about.md",
            "+++\ntitle = \"About\"\ndate = 2020-02-30\n+++\n",
        )],
        &["content/about.md:3:", "invalid date"],
    );
    assert_fails(
        &[(
            "content/about.md",
            "+++\ntitle = \"About\"\ndate = \"30/01/2020\"\n+++\n",
        )],
        &[
            "content/about.md:3:8: error: front matter: invalid date `30/01/2020`",
            "2019-02-20",
        ],
    );
}

#[test]
fn duplicate_url() {
    assert_fails(
        &[
            (
                "content/other.md",
                "+++\ntitle = \"Other\"\nslug = \"about\"\n+++\n",
            ),
            ("content/other.cy.md", "+++\ntitle = \"Arall\"\n+++\n"),
        ],
        &[
            "URL `/about/` is used by both",
            "content/other.md",
            "hint: give one of them a different `slug`",
        ],
    );
}

#[test]
fn missing_twin_page_and_section() {
    assert_fails(
        &[
            ("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n"),
            ("content/guide/faq.md", "+++\ntitle = \"FAQ\"\n+++\n"),
            (
                "content/guide/faq.cy.md",
                "+++\ntitle = \"Cwestiynau\"\n+++\n",
            ),
        ],
        &[
            "content/guide/_index.md:1:1: error: section `content/guide/_index.md` has no Cymraeg twin",
            "hint: create content/guide/_index.cy.md",
        ],
    );
    assert_fails(
        &[("content/extra.cy.md", "+++\ntitle = \"Ychwanegol\"\n+++\n")],
        &[
            "page `content/extra.cy.md` has no English twin",
            "create content/extra.md",
        ],
    );
}

#[test]
fn broken_internal_links_and_anchors() {
    assert_fails(
        &[(
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\n## Who {#who}\n\nSee [gone](@/gone.md) and [x](@/about.cy.md).\n",
        )],
        &[
            "content/about.md:6:12: error: broken internal link `@/gone.md`",
            "^^^^^^^^^ no such page",
            "broken internal link `@/about.cy.md`",
            "link to the default-language file",
        ],
    );
    assert_fails(
        &[(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nSee [who](@/about.md#hwo).\n",
        )],
        &[
            "link to `#hwo`, but content/about.md has no heading with that id",
            "did you mean `#who`?",
        ],
    );
}

#[test]
fn missing_template() {
    assert_fails(
        &[(
            "content/about.md",
            "+++\ntitle = \"About\"\ntemplate = \"pgae.html\"\n+++\n",
        )],
        &[
            "content/about.md:3:12: error: template `pgae.html` not found",
            "did you mean `page.html`?",
        ],
    );
}

#[test]
fn template_errors_point_into_the_template() {
    let theme = |page: &str| {
        vec![
            (
                "site.toml",
                common::SITE_TOML.replace("minify = false", "minify = false\ntheme = \"t\""),
            ),
            ("themes/t/templates/page.html", page.to_string()),
            (
                "themes/t/templates/section.html",
                "{{ content }}".to_string(),
            ),
            ("themes/t/templates/404.html", "404".to_string()),
            ("themes/t/i18n/en.toml", "x = \"x\"\n".to_string()),
            ("themes/t/i18n/cy.toml", "x = \"x\"\n".to_string()),
        ]
    };
    let site = good_site();
    let syntax = theme("<p>\n{{ page.title </p>\n");
    for (p, t) in &syntax {
        site.write(p, t);
    }
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("themes/t/templates/page.html:2:"), "{err}");

    let render = theme("<p>{{ page.title }}</p>\n<p>{{ page.nothing.deeper }}</p>\n");
    for (p, t) in &render {
        site.write(p, t);
    }
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("themes/t/templates/page.html:2:"), "{err}");
    assert!(err.contains("while rendering content/about"), "{err}");
}

#[test]
fn missing_ui_string() {
    let site = good_site();
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("minify = false", "minify = false\ntheme = \"t\""),
    );
    site.write("themes/t/templates/page.html", "{{ t(key=\"hello\") }}");
    site.write("themes/t/templates/section.html", "{{ t(key=\"hello\") }}");
    site.write("themes/t/templates/404.html", "404");
    site.write(
        "themes/t/i18n/en.toml",
        "hello = \"Hello\"\nbye = \"Bye\"\n",
    );
    site.write("themes/t/i18n/cy.toml", "hello = \"Helo\"\n");
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("themes/t/i18n/en.toml:2:1: error: UI string `bye` is missing from cy.toml"),
        "{err}"
    );
    assert!(
        err.contains("hint: add `bye` to themes/t/i18n/cy.toml"),
        "{err}"
    );
}

#[test]
fn bad_site_config() {
    assert_fails(
        &[("site.toml", &common::SITE_TOML.replace("minify", "minfy"))],
        &[
            "site.toml:3:1: error: unknown field `minfy` in site.toml",
            "did you mean `minify`?",
        ],
    );
    assert_fails(
        &[(
            "site.toml",
            &common::SITE_TOML.replace("cy = \"Safle prawf\"\n", ""),
        )],
        &["site.toml:", "`title` has no text for `cy`"],
    );
}

#[test]
fn every_error_is_reported_in_one_run() {
    let err = assert_fails(
        &[
            (
                "content/about.md",
                "+++\ntitle = \"About\"\nweigth = 1\n+++\n[x](@/nope.md)\n",
            ),
            (
                "content/about.cy.md",
                "+++\ntitle = \"Amdanom\"\ndate = 2020-13-01\n+++\n",
            ),
            ("content/solo.md", "+++\ntitle = \"Solo\"\n+++\n"),
        ],
        &[
            "content/about.md:3:1: error: unknown field `weigth`",
            "content/about.cy.md:3:",
            "page `content/solo.md` has no Cymraeg twin",
        ],
    );
    assert!(err.contains("Build failed with 3 errors"), "{err}");
}

#[test]
fn content_errors_that_are_not_toml() {
    assert_fails(
        &[("content/about.md", "no front matter here\n")],
        &[
            "content/about.md:1:1: error: page has no front matter",
            "start the file with a `+++` line",
        ],
    );
    assert_fails(
        &[("content/about.md", "+++\ntitle = \"About\"\n")],
        &["front matter is not closed"],
    );
    assert_fails(
        &[("content/about.fr.md", "+++\ntitle = \"À propos\"\n+++\n")],
        &["is for language `fr`, which is not in site.toml `languages`"],
    );
    assert_fails(
        &[
            ("content/orphans/page.md", "+++\ntitle = \"Orphan\"\n+++\n"),
            (
                "content/orphans/page.cy.md",
                "+++\ntitle = \"Amddifad\"\n+++\n",
            ),
        ],
        &[
            "is in a folder with no section page",
            "create content/orphans/_index.md",
        ],
    );
    assert_fails(
        &[(
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"Am Danom\"\n+++\n",
        )],
        &["invalid slug `Am Danom`", "try `slug = \"am-danom\"`"],
    );
}
