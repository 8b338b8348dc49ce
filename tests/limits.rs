//! Huge and deeply nested input: each is refused with a clear error (exit 1, `file:line:col`,
//! the limit and how to get under it) or builds; never a panic, a stack overflow or an OOM.

mod common;

use common::Fixture;

fn site() -> Fixture {
    Fixture::new(&[
        ("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n"),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nTestun.\n",
        ),
    ])
}

fn assert_fails(edits: &[(&str, &str)], expected: &[&str]) -> String {
    common::assert_breaks(site(), edits, expected)
}

#[test]
fn an_error_past_column_65535_is_reported_not_a_panic() {
    // The snippet's underline was padded with a format width, which panics above u16::MAX.
    let long = "x".repeat(70_000);
    let err = assert_fails(
        &[(
            "content/about.md",
            &format!("+++\ntitle = \"About\"\n[extra]\nnote = \"{long}\" oops\n+++\n"),
        )],
        &["content/about.md:4:70011: error: invalid TOML in front matter"],
    );
    assert!(err.len() < 2_000, "the long line is cut:\n{err}");
}
