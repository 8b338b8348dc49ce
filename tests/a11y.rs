//! The bundled site, every page in both languages, in real headless Chromium with axe-core
//! (WCAG 2.0/2.1/2.2 A and AA plus best practice) and through the Nu HTML Checker, plus a
//! keyboard walk, a 320 px viewport and JavaScript switched off (tests/a11y/check.mjs).
//!
//! Needs Chromium, Node packages and Java: `.ci/install-browser-tools` installs them. Without
//! them the test fails under CI and says it was skipped elsewhere.

use std::path::Path;
use std::process::Command;

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

#[test]
fn bundled_site_passes_axe_and_the_nu_html_checker() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(missing) = tools_missing(repo) {
        assert!(
            std::env::var_os("CI").is_none(),
            "{missing} is missing: CI must run .ci/install-browser-tools first"
        );
        eprintln!("SKIPPED: {missing} is missing; run `bash .ci/install-browser-tools`");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_tryloyw"))
        .args(["build", "--root"])
        .arg(repo)
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let check = Command::new("node")
        .arg(repo.join("tests/a11y/check.mjs"))
        .arg(&site)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    eprintln!("{report}");
    assert!(
        check.status.success(),
        "accessibility or validation failures:\n{report}"
    );
}
