//! Fixture sites for integration tests: written into a temporary folder, built with the real
//! binary, inspected on disk.
#![allow(dead_code)] // each test file uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod data;

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE_TOML: &str = r#"base_url = "https://example.org"
languages = ["en", "cy"]
minify = false

[title]
en = "Test site"
cy = "Safle prawf"
"#;

impl Fixture {
    /// A site with the given files, plus a site.toml and home pages unless given.
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        let has = |name: &str| files.iter().any(|(p, _)| *p == name);
        if !has("site.toml") {
            f.write("site.toml", SITE_TOML);
        }
        if !has("content/_index.md") {
            f.write(
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
            );
        }
        if !has("content/_index.cy.md") {
            f.write(
                "content/_index.cy.md",
                "+++\ntitle = \"Hafan\"\n+++\nCroeso.\n",
            );
        }
        for (path, text) in files {
            f.write(path, text);
        }
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.dir.path().join(path)).unwrap();
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn build(&self, args: &[&str]) -> Output {
        Command::cargo_bin("tryloyw")
            .unwrap()
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Build and insist it succeeds.
    pub fn build_ok(&self) -> Output {
        let out = self.build(&[]);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn read(&self, output_path: &str) -> String {
        std::fs::read_to_string(self.out().join(output_path))
            .unwrap_or_else(|e| panic!("no output {output_path}: {e}"))
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under a folder, as (relative path, bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Build `site`, break it with `edits`, build again: the build must fail with exit 1, print
/// every expected fragment, say the output was left alone, and leave it exactly as it was.
pub fn assert_breaks(site: Fixture, edits: &[(&str, &str)], expected: &[&str]) -> String {
    site.build_ok();
    let before = snapshot(&site.out());
    for (path, text) in edits {
        site.write(path, text);
    }
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    for e in expected {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(err.contains("public was left as it was"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(before, snapshot(&site.out()), "previous output changed");
    err
}

/// Run a poppler tool (`pdfinfo`, `pdffonts`, `pdftotext`, which writes to standard output
/// here) on a PDF, or `None` (with a message) when it is not installed, except on CI (`CI`
/// set), where that fails.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args).arg(pdf);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    match cmd.output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{tool} {}: {}",
                pdf.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8(out.stdout).expect("UTF-8 output"))
        }
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{tool} is needed on CI (install poppler-utils): {e}"
            );
            eprintln!("skipping {tool} checks: {tool} not found ({e}); install poppler-utils");
            None
        }
    }
}

/// The repository's own site built into a temporary folder, dated 22 November 2026, with
/// these extra `build` arguments: the folder (kept while the guard lives) and the site in it.
pub fn build_bundled(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tryloyw"))
        .args(["build", "--root"])
        .arg(repo)
        .arg("--output")
        .arg(&site)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1795305600") // 22 November 2026
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    (out, site)
}
