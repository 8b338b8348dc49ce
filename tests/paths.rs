//! Paths from content and data stay in their folder: aliases, slugs, URL segments from UI
//! strings and shortcode data references are checked where they are written, and nothing is
//! ever written outside the output folder.

mod common;

use common::{Fixture, stderr};

fn good_site() -> Fixture {
    Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nAbout us.\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nAmdanom ni.\n",
        ),
    ])
}

/// `about.md` with these aliases (as TOML strings, already quoted and escaped).
fn about_with_aliases(aliases: &[&str]) -> String {
    format!(
        "+++\ntitle = \"About\"\naliases = [{}]\n+++\nAbout us.\n",
        aliases.join(", ")
    )
}

/// Files under `dir`, except the fixture's own folders: what a build wrote where it must not.
fn strays(dir: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .filter(|p| {
            !["content/", "public/", "site.toml", "themes/", "static/"]
                .iter()
                .any(|ok| p.starts_with(ok))
        })
        .collect()
}

#[test]
fn an_alias_cannot_leave_the_output_folder() {
    let site = good_site();
    let err = common::assert_breaks(
        site,
        &[(
            "content/about.md",
            &about_with_aliases(&["\"../../escaped/\""]),
        )],
        &[
            "content/about.md:3:12: error: alias `../../escaped/` leaves the site",
            "hint:",
        ],
    );
    assert_eq!(
        err.matches("error:").count(),
        1,
        "one mistake, one error:\n{err}"
    );
}

#[test]
fn nothing_is_written_outside_the_output_folder_by_an_alias() {
    // A build into a nested output folder: `../../escaped/` would land inside the site folder.
    let site = good_site();
    site.write(
        "content/about.md",
        &about_with_aliases(&["\"../../escaped/\""]),
    );
    let out = site.build(&["--output", site.root().join("a/b").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(strays(site.root()), Vec::<String>::new());
}

#[test]
fn every_kind_of_bad_alias_is_an_error_at_its_span() {
    let bad = [
        ("\"/old/../../x/\"", "leaves the site"),
        ("\"/old/./x/\"", "`.` segment"),
        ("'\\old\\page'", "backslash"),
        ("\"https://example.org/old/\"", "is a URL"),
        ("\"//evil.example/old/\"", "is a URL"),
        ("\"C:/Windows/old/\"", "`:`"),
        ("\"/old//page/\"", "empty segment"),
        ("\"\"", "is empty"),
        ("\"/old/\\u0007/\"", "control character"),
        ("\"/old/page?id=3\"", "`?`"),
        ("\"/caf%C3%A9/\"", "`%`"),
    ];
    let aliases: Vec<&str> = bad.iter().map(|(a, _)| *a).collect();
    let err = common::assert_breaks(
        good_site(),
        &[("content/about.md", &about_with_aliases(&aliases))],
        &bad.iter().map(|(_, why)| *why).collect::<Vec<_>>(),
    );
    assert_eq!(
        err.matches("error:").count(),
        bad.len(),
        "one error per bad alias:\n{err}"
    );
    assert_eq!(
        err.matches("content/about.md:3:").count(),
        bad.len(),
        "{err}"
    );
}

#[test]
fn good_aliases_still_redirect() {
    let site = good_site();
    site.write(
        "content/about.md",
        &about_with_aliases(&["\"/old/about/\"", "\"about-us.html\"", "\"/hen/amdanom\""]),
    );
    site.build_ok();
    for path in [
        "old/about/index.html",
        "about-us.html",
        "hen/amdanom/index.html",
    ] {
        assert!(
            site.read(path).contains("url=https://example.org/about/"),
            "{path}"
        );
    }
}

#[test]
fn a_file_name_that_gives_no_url_segment_is_one_error() {
    let err = common::assert_breaks(
        good_site(),
        &[
            ("content/!!!.md", "+++\ntitle = \"Bangs\"\n+++\n"),
            ("content/!!!.cy.md", "+++\ntitle = \"Ebychnodau\"\n+++\n"),
        ],
        &[
            "content/!!!.md:1:1: error: `content/!!!.md`: the name `!!!` gives no URL segment",
            "hint: rename it with letters or digits, or give it a `slug`",
        ],
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}
