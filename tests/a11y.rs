//! The bundled site, every page in both languages, in real headless Chromium with axe-core
//! (WCAG 2.0/2.1/2.2 A and AA plus best practice) and through the Nu HTML Checker, plus a
//! keyboard walk, a 320 px viewport and JavaScript switched off (tests/a11y/check.mjs).
//!
//! The pages are served with the headers of the `_headers` file the build writes, and every
//! page and SVG file is loaded under that Content-Security-Policy: any violation fails.
//!
//! Needs Chromium, Node packages and Java: `.ci/install-browser-tools` installs them. Without
//! them the test fails under CI and says it was skipped elsewhere.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn tools_missing(repo: &Path) -> Option<String> {
    if !Path::new("/usr/bin/chromium").exists() {
        return Some("/usr/bin/chromium".into());
    }
    if !repo.join("tests/a11y/node_modules/axe-core").exists() {
        return Some("tests/a11y/node_modules".into());
    }
    if Command::new("java").arg("-version").output().is_err() {
        return Some("java".into());
    }
    None
}

/// Whether the browser tools are here; under CI their absence fails the test.
fn tools_ready(repo: &Path) -> bool {
    let Some(missing) = tools_missing(repo) else {
        return true;
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "{missing} is missing: CI must run .ci/install-browser-tools first"
    );
    eprintln!("SKIPPED: {missing} is missing; run `bash .ci/install-browser-tools`");
    false
}

#[test]
fn bundled_site_passes_axe_and_the_nu_html_checker() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !tools_ready(repo) {
        return;
    }
    let (_tmp, site) = common::build_bundled(&[]);
    let (check, report) = run_check(repo, &site, &[]);
    eprintln!("{report}");
    assert!(
        check.status.success(),
        "accessibility or validation failures:\n{report}"
    );
}

/// `node tests/a11y/check.mjs SITE ARGS…`: its exit status and everything it printed.
fn run_check(repo: &Path, site: &Path, args: &[&str]) -> (Output, String) {
    let check = Command::new("node")
        .arg(repo.join("tests/a11y/check.mjs"))
        .arg(site)
        .args(args)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    (check, report)
}

/// The CSP check can fail: a built page given an inline script, an inline style and a style
/// attribute is caught, each by its directive, while the same site as built passes.
#[test]
fn the_csp_check_catches_inline_script_and_style_in_a_built_page() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !tools_ready(repo) {
        return;
    }
    let site = common::Fixture::new(&[]);
    site.build_ok();
    let (check, report) = run_check(repo, &site.out(), &["--only", "csp"]);
    assert!(check.status.success(), "the site as built fails:\n{report}");
    assert!(report.contains("0 CSP failures"), "{report}");

    let page = site.out().join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let html = html
        .replacen(
            "</head>",
            "<style>body{margin:0}</style><script>document.title = 'ran'</script></head>",
            1,
        )
        .replacen("<main", "<main style=\"color:red\"", 1);
    std::fs::write(&page, html).unwrap();
    let (check, report) = run_check(repo, &site.out(), &["--only", "csp"]);
    assert_eq!(check.status.code(), Some(1), "{report}");
    for directive in ["script-src-elem", "style-src-elem", "style-src-attr"] {
        assert!(
            report.contains(&format!("csp: /: violation: {directive} blocked inline")),
            "{directive} not reported:\n{report}"
        );
    }
}
