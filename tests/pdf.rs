//! PDFs of the print editions: one per edition in each language, A4, titled, fonts embedded,
//! Welsh text extracted as written, the same bytes on every build, and none with `--no-pdf`.
//! Reads the files with poppler's `pdfinfo`, `pdffonts` and `pdftotext`; without them the
//! checks that need them are skipped with a message, except on CI (`CI` set), where they fail.
#![cfg(feature = "pdf")]

use std::path::{Path, PathBuf};
use std::process::Command;

const EDITIONS: [(&str, &str); 6] = [
    (
        "code-of-practice/print/code-of-practice.pdf",
        "Code of Practice",
    ),
    ("cy/cod-ymarfer/argraffu/cod-ymarfer.pdf", "Cod Ymarfer"),
    ("public-guide/print/public-guide.pdf", ""),
    (
        "cy/canllaw-i-r-cyhoedd/argraffu/canllaw-i-r-cyhoedd.pdf",
        "",
    ),
    ("annual-report/print/annual-report.pdf", ""),
    (
        "cy/adroddiad-blynyddol/argraffu/adroddiad-blynyddol.pdf",
        "",
    ),
];

fn build(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_tryloyw"))
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

/// Run a poppler tool, or `None` (with a message) when it is not installed outside CI.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
    match Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
    {
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

#[test]
fn every_edition_has_a_tagged_a4_pdf_in_both_languages() {
    let (_tmp, site) = build(&[]);
    for (path, title) in EDITIONS {
        let pdf = site.join(path);
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(bytes.starts_with(b"%PDF-"), "{path} is not a PDF");
        let lang = if path.starts_with("cy/") { "cy" } else { "en" };
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains(&format!("/Lang ({lang})")) || raw.contains(&format!("/Lang({lang})")),
            "{path}: no /Lang ({lang})"
        );
        assert!(raw.contains("/StructTreeRoot"), "{path}: not tagged");
        if let Some(info) = poppler("pdfinfo", &[], &pdf) {
            let field = |name: &str| {
                info.lines()
                    .find_map(|l| l.strip_prefix(&format!("{name}:")))
                    .map(str::trim)
                    .unwrap_or_else(|| panic!("{path}: no {name} in\n{info}"))
                    .to_string()
            };
            assert!(
                field("Title").contains(title),
                "{path}: title {:?}",
                field("Title")
            );
            assert!(!field("Title").is_empty(), "{path}: empty title");
            assert!(
                field("Page size").starts_with("595.276 x 841.89")
                    || field("Page size").contains("(A4)"),
                "{path}: page size {}",
                field("Page size")
            );
            assert_eq!(field("Tagged"), "yes", "{path}");
            assert!(field("Pages").parse::<usize>().unwrap() > 2, "{path}");
        }
        if let Some(fonts) = poppler("pdffonts", &[], &pdf) {
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{path}: no fonts");
            for row in rows {
                // name type encoding emb sub uni object ID: `emb` is the third from the end
                // but two (object ID is two columns).
                let cols: Vec<&str> = row.split_whitespace().collect();
                let emb = cols[cols.len() - 5];
                assert_eq!(emb, "yes", "{path}: font not embedded: {row}");
            }
        }
    }
    // Welsh text comes out as written, in reading order.
    if let Some(text) = poppler(
        "pdftotext",
        &["-enc", "UTF-8"],
        &site.join("cy/cod-ymarfer/argraffu/cod-ymarfer.pdf"),
    ) {
        assert!(text.contains("Cod Ymarfer"), "{text}");
        assert!(text.contains("pŵer"), "ŵ: {text}");
        assert!(text.contains("â"), "â");
        let cover = text.find("Cod Ymarfer").unwrap();
        let contents = text.find("Cynnwys").expect("contents heading");
        assert!(cover < contents, "cover before contents");
    }
    if let Some(text) = poppler(
        "pdftotext",
        &["-enc", "UTF-8"],
        &site.join("cy/canllaw-i-r-cyhoedd/argraffu/canllaw-i-r-cyhoedd.pdf"),
    ) {
        assert!(text.contains("hŷn"), "ŷ: {text}");
    }
    // The publication page links the PDF with its size (the HTML is minified: no quotes).
    let page = std::fs::read_to_string(site.join("code-of-practice/index.html")).unwrap();
    assert!(
        page.contains("href=/code-of-practice/print/code-of-practice.pdf")
            && page.contains("Download the PDF of Code of Practice (draft), ")
            && page.contains(" KB</a>"),
        "no PDF link on the publication page"
    );
    let page = std::fs::read_to_string(site.join("cy/cod-ymarfer/index.html")).unwrap();
    assert!(
        page.contains("href=/cy/cod-ymarfer/argraffu/cod-ymarfer.pdf")
            && page.contains("Lawrlwytho"),
        "no PDF link on the Welsh publication page"
    );
}

#[test]
fn pdfs_are_the_same_bytes_on_every_build() {
    let (_a, first) = build(&[]);
    let (_b, second) = build(&[]);
    for (path, _) in EDITIONS {
        let a = std::fs::read(first.join(path)).unwrap();
        let b = std::fs::read(second.join(path)).unwrap();
        assert!(a == b, "{path} differs between builds");
    }
}

#[test]
fn no_pdf_skips_them() {
    let (_tmp, site) = build(&["--no-pdf"]);
    let pdfs: Vec<_> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(pdfs.is_empty(), "{pdfs:?}");
    assert!(site.join("code-of-practice/print/index.html").exists());
    let page = std::fs::read_to_string(site.join("code-of-practice/index.html")).unwrap();
    assert!(
        !page.contains(".pdf\""),
        "no link to a PDF that was not made"
    );
}
