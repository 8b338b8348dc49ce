//! Hostile Markdown, end to end: raw HTML is cleaned to the allow-list with a warning where
//! each removal is, dangerous addresses stop the build at their position, shortcodes are
//! found only in prose, and absurd nesting is an error, never a crash.

mod common;

use common::{Fixture, stderr};

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}")
}

fn site(en: &str, cy: &str) -> Fixture {
    Fixture::new(&[
        ("content/about.md", &page("About", en)),
        ("content/about.cy.md", &page("Amdanom", cy)),
    ])
}

#[test]
fn script_iframe_and_handlers_are_removed_with_warnings_where_they_are() {
    let body = "Hi <abbr title=\"Law Enforcement Data Service\">LEDS</abbr>.\n\n<script>alert(1)</script>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\nA <img src=\"/a.png\" alt=\"a\" onerror=\"alert(1)\"> b <span lang=\"cy\" style=\"color:red\">Croeso</span>.\n\n<details>\n<summary>More</summary>\n\nMarkdown **inside**.\n\n</details>\n";
    let f = site(body, "Helo.\n");
    let out = f.build_ok();
    let err = stderr(&out);
    for expected in [
        "content/about.md:6:1: warning: `<script>` is not allowed in pages and was removed with its content",
        "content/about.md:8:1: warning: `<iframe>` is not allowed in pages and was removed with its content",
        "content/about.md:10:3: warning: attribute `onerror` on `<img>` is not allowed in pages and was removed",
        "content/about.md:10:51: warning: attribute `style` on `<span>` is not allowed in pages and was removed",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    let html = f.read("about/index.html");
    for bad in [
        "<script>alert",
        "alert(1)",
        "<iframe",
        "onerror",
        "color:red",
    ] {
        assert!(!html.contains(bad), "`{bad}` published:\n{html}");
    }
    for good in [
        "<abbr title=\"Law Enforcement Data Service\">LEDS</abbr>",
        "<span lang=\"cy\">Croeso</span>",
        "<summary>More</summary>",
        "<strong>inside</strong>",
    ] {
        assert!(html.contains(good), "`{good}` lost:\n{html}");
    }
}

#[test]
fn dangerous_addresses_stop_the_build_at_their_position() {
    let f = site("Home.\n", "Hafan.\n");
    let err = common::assert_breaks(
        f,
        &[
            (
                "content/about.md",
                &page(
                    "About",
                    "[click](javascript:alert(1))\n\n![x](data:text/html;base64,PHNjcmlwdD4=)\n\n<a href=\"JaVaScRiPt:alert(1)\">raw</a>\n",
                ),
            ),
            (
                "content/about.cy.md",
                &page(
                    "Amdanom",
                    "[iawn](https://example.org/) [drwg](vbscript:msgbox)\n",
                ),
            ),
        ],
        &[
            "content/about.md:4:9: error: link address uses the `javascript:` scheme",
            "content/about.md:6:6: error: image address uses the `data:` scheme",
            "content/about.md:8:1: error: `href` on `<a>` uses the `javascript:` scheme",
            "content/about.cy.md:4:37: error: link address uses the `vbscript:` scheme",
            "hint: `javascript:` runs code in the reader's browser",
        ],
    );
    assert_eq!(
        err.matches("error:").count(),
        4,
        "one error per mistake:\n{err}"
    );
}

#[test]
fn raw_html_can_be_shown_as_text_and_there_is_no_unsafe_mode() {
    let f = site("<b>bold</b> and <script>x()</script>\n", "Helo.\n");
    f.write(
        "site.toml",
        &format!("{}\n[markdown]\nraw_html = \"escape\"\n", common::SITE_TOML),
    );
    let out = f.build_ok();
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let html = f.read("about/index.html");
    assert!(
        html.contains("&lt;b&gt;bold&lt;/b&gt; and &lt;script&gt;x()&lt;/script&gt;"),
        "{html}"
    );

    f.write(
        "site.toml",
        &format!("{}\n[markdown]\nraw_html = \"unsafe\"\n", common::SITE_TOML),
    );
    let out = f.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "site.toml:10:12: error: `raw_html` must be \"sanitise\" or \"escape\", not `unsafe`"
        ),
        "{err}"
    );
}

#[test]
fn shortcodes_are_found_only_in_prose() {
    let body = "Indented code:\n\n    {{ lang(code=\"en\", text=\"Hi\") }}\n    {{ get_url(path=\"about\") }}\n\nInline `{{ get_url(path=\"x\") }}` and escaped \\{{ lang(code=\"cy\", text=\"Helo\") }}.\n\n## Greeting: {{ lang(code=\"cy\", text=\"Croeso\") }}\n\n## Second\n\n## Third\n\nTable: Names in {{ lang(code=\"cy\", text=\"Cymraeg\") }}\n\n| Name |\n|---|\n| A |\n";
    let f = site(body, "Helo.\n");
    let out = f.build_ok();
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
    let html = f.read("about/index.html");
    assert!(
        html.contains("{{ lang(code=&quot;en&quot;, text=&quot;Hi&quot;) }}\n{{ get_url(path=&quot;about&quot;) }}"),
        "code kept as written:\n{html}"
    );
    assert!(
        html.contains("<code>{{ get_url(path=\"x\") }}</code>"),
        "{html}"
    );
    assert!(
        html.contains("escaped {{ lang(code=\u{201c}cy\u{201d}, text=\u{201c}Helo\u{201d}) }}."),
        "escape leaves no backslash:\n{html}"
    );
    assert!(
        html.contains(">Greeting: Croeso</a>"),
        "contents list shows the text:\n{html}"
    );
    assert!(html.contains("aria-label=\"Names in Cymraeg\""), "{html}");
    assert!(
        !html.contains('\u{E000}') && !html.contains("xxxx"),
        "a placeholder leaked:\n{html}"
    );
}

#[test]
fn ten_thousand_levels_of_nesting_are_an_error_not_a_crash() {
    for (what, body) in [
        ("lists", format!("{}x\n", "- ".repeat(10_000))),
        ("quotes", format!("{}x\n", "> ".repeat(10_000))),
        ("html", format!("{}x\n", "<div>".repeat(10_000))),
    ] {
        let f = site("Fine.\n", "Iawn.\n");
        let err = common::assert_breaks(
            f,
            &[("content/about.md", &page("About", &body))],
            &["content/about.md:4:", "nested more than"],
        );
        assert_eq!(err.matches("error:").count(), 1, "{what}:\n{err}");
    }
}

/// Markdown in a data file: a refused address is reported at its line and column in that
/// file, whether the value is written as it reads (`"""`) or with escapes (`"…\n…"`).
#[test]
fn dangerous_addresses_in_data_markdown_are_errors_where_they_are_written() {
    let f = site("Home.\n", "Hafan.\n");
    let faq = r#"[[topics]]
id = "t"
title = { en = "Topic", cy = "Pwnc" }

[[questions]]
id = "q1"
topic = "t"
question = { en = "One?", cy = "Un?" }
answer.en = """
First paragraph.

Then [click](javascript:alert(1)) here."""
answer.cy = "Paragraff.\n\nYna [cliciwch](vbscript:msgbox) yma."
"#;
    let err = common::assert_breaks(
        f,
        &[
            ("data/faq.toml", faq),
            ("data/datasets.toml", &common::data::catalogue(&["faq"])),
            (
                "content/questions.md",
                "+++\ntitle = \"Questions\"\npublication = \"faq\"\n+++\nText.\n",
            ),
            (
                "content/questions.cy.md",
                "+++\ntitle = \"Cwestiynau\"\nslug = \"cwestiynau\"\npublication = \"faq\"\n+++\nTestun.\n",
            ),
        ],
        &[
            "data/faq.toml:12:14: error: link address uses the `javascript:` scheme",
            "data/faq.toml:13:43: error: link address uses the `vbscript:` scheme",
        ],
    );
    assert_eq!(
        err.matches("error:").count(),
        2,
        "one error per mistake:\n{err}"
    );
}

/// `[a]({{ lang(…) }})` is prose (an address has no spaces), so its shortcode is expanded; the
/// placeholder standing for it must not then become a link's address.
#[test]
fn a_shortcode_cannot_be_a_link_address() {
    let f = site("Home.\n", "Hafan.\n");
    let err = common::assert_breaks(
        f,
        &[(
            "content/about.md",
            &page(
                "About",
                "[a]({{ lang(code=\"en\", text=\"x\") }}) and ![i]({{ lang(code=\"en\", text=\"y\") }})\n\n<https://example.org/{{ lang(code=\"en\", text=\"z\") }}>\n",
            ),
        )],
        &[
            "content/about.md:4:1: error: a shortcode cannot be the address of a link",
            "content/about.md:4:42: error: a shortcode cannot be the address of an image",
            "content/about.md:6:1: error: a shortcode cannot be the address of a link",
        ],
    );
    assert_eq!(err.matches("error:").count(), 3, "{err}");
}
