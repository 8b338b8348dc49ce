//! One mistake, one error: what follows from an error (a twin that seems to have no original,
//! a folder that seems to have no section, a site that seems to have no home page) is not
//! reported again.

mod common;

use std::path::{Path, PathBuf};

use common::stderr;

fn build(root: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tryloyw"))
        .args(["build", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap()
}

/// The repository's own site, copied (its inputs only) into a temporary folder.
fn bundled_copy() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for folder in ["content", "data", "themes", "static"] {
        for entry in walkdir::WalkDir::new(repo.join(folder))
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(repo).unwrap();
                let dest = site.join(rel);
                std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), dest).unwrap();
            }
        }
    }
    std::fs::copy(repo.join("site.toml"), site.join("site.toml")).unwrap();
    (dir, site)
}

#[test]
fn malformed_front_matter_in_the_bundled_site_is_one_error() {
    let (_guard, site) = bundled_copy();
    let page = site.join("content/about-leds.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let broken = text.replacen("title = \"About LEDS\"", "title = \"About LEDS", 1);
    assert_ne!(text, broken);
    std::fs::write(&page, broken).unwrap();
    let out = build(&site);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/about-leds.md:2:") && err.contains("invalid TOML in front matter"),
        "{err}"
    );
    assert!(!err.contains("no English twin"), "{err}");
    assert_eq!(
        err.matches("error:").count(),
        1,
        "one mistake, one error:\n{err}"
    );
}

#[test]
fn a_broken_section_page_adds_no_error_for_the_pages_below_it() {
    let (_guard, site) = bundled_copy();
    // Broken front matter in a section page, both languages: one error per file, nothing else.
    for file in [
        "content/code-of-practice/_index.md",
        "content/code-of-practice/_index.cy.md",
    ] {
        let path = site.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("+++\n", "+++\nweight = \"first\"\n", 1),
        )
        .unwrap();
    }
    let out = build(&site);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error:").count(), 2, "{err}");
    assert!(
        !err.contains("no section page") && !err.contains("is used by both"),
        "{err}"
    );
}

/// A bilingual tree from the benchmark's generator, whose section files carry Zola's `sort_by`.
fn generated(pages: u32) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_site.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .args(["--pages", &pages.to_string(), "--sections", "5"])
        .arg(&site)
        .output()
        .expect("python3 runs the benchmark's generator");
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(site.join("site.toml"), common::SITE_TOML).unwrap();
    (dir, site)
}

/// The section files of a generated tree (every `_index*.md`).
fn section_files(site: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("_index"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn an_unknown_key_in_every_section_file_is_one_error_per_file() {
    let (_guard, site) = generated(60);
    let sections = section_files(&site);
    assert!(sections.len() >= 10, "{sections:?}");
    for s in &sections {
        let text = std::fs::read_to_string(s).unwrap();
        assert!(text.contains("sort_by = "), "{}", s.display());
        std::fs::write(s, text.replace("sort_by = ", "sort_order = ")).unwrap();
    }
    let out = build(&site);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.matches("error: unknown field `sort_order` in front matter")
            .count(),
        sections.len(),
        "{err}"
    );
    assert_eq!(
        err.matches("error:").count(),
        sections.len(),
        "nothing else:\n{err}"
    );
}

#[test]
fn a_tree_from_zola_builds_with_one_warning_for_sort_by() {
    let (_guard, site) = generated(60);
    let sections = section_files(&site).len();
    let out = build(&site);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "warning: Zola's `sort_by` has no effect in Tryloyw (here and in {} other files)",
            sections - 1
        )),
        "{err}"
    );
}
