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

#[test]
fn front_matter_nested_ten_thousand_levels_deep_is_refused() {
    let n = 10_000;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert_fails(
        &[(
            "content/about.md",
            &format!("+++\ntitle = \"About\"\n[extra]\na = {arrays}\n+++\n"),
        )],
        // The 81st bracket: the toml crate's recursion limit.
        &[
            "content/about.md:4:85: error: front matter nests more than 80 levels deep",
            "hint: arrays, inline tables and dotted keys may nest at most 80 levels",
        ],
    );
}

#[test]
fn site_toml_nested_ten_thousand_levels_deep_is_refused() {
    let n = 10_000;
    let tables = format!("{}1{}", "{a=".repeat(n), "}".repeat(n));
    let key = vec!["k"; n].join(".");
    let site_toml = format!(
        "{}\n[extra]\ndeep = {tables}\n{key} = 1\n",
        common::SITE_TOML
    );
    let err = assert_fails(
        &[("site.toml", &site_toml)],
        &[
            "site.toml:10:248: error: site.toml nests more than 80 levels deep",
            "site.toml:11:1: error: site.toml nests more than 80 levels deep",
        ],
    );
    assert_eq!(err.matches("error:").count(), 2, "{err}");
}

#[test]
fn a_data_file_nested_ten_thousand_levels_deep_is_refused() {
    let key = vec!["a"; 10_000].join(".");
    assert_fails(
        &[("data/faq.toml", &format!("\n{key} = 1\n"))],
        &["data/faq.toml:2:1: error: faq.toml nests more than 80 levels deep"],
    );
}

#[test]
fn a_data_file_over_ten_megabytes_is_refused_unread() {
    let big = format!("# {}\n", "x".repeat(11 * 1024 * 1024));
    assert_fails(
        &[("data/faq.toml", &big)],
        &[
            "data/faq.toml:1:1: error: faq.toml is 11.0 MB; Tryloyw reads at most 10.0 MB of TOML from one file",
            "hint: split it into smaller files",
        ],
    );
}

#[test]
fn a_page_over_ten_megabytes_is_refused_unread() {
    let big = format!(
        "+++\ntitle = \"About\"\n+++\n{}",
        "A paragraph of ordinary text.\n\n".repeat(11 * 1024 * 1024 / 31)
    );
    let err = assert_fails(
        &[("content/about.md", &big)],
        &[
            "content/about.md:1:1: error: content/about.md is 11.0 MB; Tryloyw reads at most 10.0 MB of Markdown from one page",
            "hint: split it into several pages",
        ],
    );
    // The page in error is still known: its Welsh twin is not reported as an orphan.
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

/// A Markdown table of 100,000 rows builds (about 0.8 s and 320 MB in a release build), and
/// every row is in the page.
#[test]
fn a_page_with_a_hundred_thousand_table_rows_builds() {
    let rows: String = (0..100_000)
        .map(|i| format!("| row {i} | {i} |\n"))
        .collect();
    let f = site();
    f.write(
        "content/about.md",
        &format!("+++\ntitle = \"About\"\n+++\n| Name | Value |\n|---|---|\n{rows}"),
    );
    f.build_ok();
    let html = std::fs::read_to_string(f.out().join("about/index.html")).unwrap();
    assert_eq!(html.matches("<tr>").count(), 100_001);
    assert!(html.contains("<td>row 99999</td>"));
}

const SEARCHES_HEADER: &str = "period,organisation,system,reason,searches\n";

fn data_site() -> Fixture {
    let datasets = common::data::catalogue(&["organisations", "reasons", "searches"]);
    let searches = format!("{SEARCHES_HEADER}2025-01,gwent,PNC,investigation,10\n");
    Fixture::new(&[
        ("data/datasets.toml", &datasets),
        ("data/reasons.toml", common::data::REASONS),
        ("data/organisations.csv", common::data::ORGANISATIONS),
        ("data/usage/searches-2025.csv", &searches),
        ("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n"),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nTestun.\n",
        ),
    ])
}

#[test]
fn a_csv_of_ten_thousand_columns_is_refused_in_twenty_one_messages() {
    let mut header = SEARCHES_HEADER.trim_end().to_string();
    for i in 0..9_995 {
        header.push_str(&format!(",extra{i}"));
    }
    let row = format!("2025-01,gwent,PNC,investigation,1{}\n", ",x".repeat(9_995));
    let err = common::assert_breaks(
        data_site(),
        &[("data/usage/searches-2025.csv", &format!("{header}\n{row}"))],
        &[
            "data/usage/searches-2025.csv:1:44: error: unknown column `extra0`",
            "data/usage/searches-2025.csv: 9995 problems; only the first 20 are listed",
        ],
    );
    // Each message quotes the header cut around its column (it once printed 875 MB).
    assert_eq!(err.matches("error:").count(), 21, "{err}");
    assert!(err.len() < 20_000, "{} bytes", err.len());
}

#[test]
fn a_csv_row_without_an_end_is_refused_at_one_megabyte() {
    let endless = format!(
        "{SEARCHES_HEADER}2025-01,gwent,PNC,investigation,1\n2025-02,\"{}",
        "x".repeat(3 * 1024 * 1024)
    );
    common::assert_breaks(
        data_site(),
        &[("data/usage/searches-2025.csv", &endless)],
        &[
            "data/usage/searches-2025.csv:3:1: error: this row is longer than 1 MB; the rest of the file was not read",
            "hint: check for a quote (\") that is never closed",
        ],
    );
}

#[test]
fn usage_files_over_the_row_limit_are_refused_at_the_row_that_crosses_it() {
    // 500,000 rows between the two files is the limit; the second file crosses it.
    let rows = |n: usize| {
        let mut text = String::from(SEARCHES_HEADER);
        for _ in 0..n {
            text.push_str("2025-01,gwent,PNC,investigation,1\n");
        }
        text
    };
    let err = common::assert_breaks(
        data_site(),
        &[
            ("data/usage/searches-2024.csv", &rows(300_000)),
            ("data/usage/searches-2025.csv", &rows(200_001)),
            ("data/usage/searches-2026.csv", &rows(10)),
        ],
        &[
            "data/usage/searches-2025.csv:200002:1: error: too many rows: the searches-*.csv files may have 500000 between them",
            "hint: sum the rows by month",
        ],
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}
