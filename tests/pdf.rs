//! PDFs of the print editions: one per edition in each language, A4, titled, fonts embedded,
//! Welsh text extracted as written, the same bytes on every build, and none with `--no-pdf`.
//! Reads the files with poppler's `pdfinfo`, `pdffonts` and `pdftotext`; without them the
//! checks that need them are skipped with a message, except on CI (`CI` set), where they fail.
#![cfg(feature = "pdf")]

mod common;

use common::poppler;

const EDITIONS: [(&str, &str); 14] = [
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
    (
        "annual-report/2025/print/annual-report-2025.pdf",
        "LEDS annual report 2025",
    ),
    (
        "cy/adroddiad-blynyddol/2025/argraffu/adroddiad-blynyddol-2025.pdf",
        "Adroddiad blynyddol LEDS 2025",
    ),
    (
        "dpia/2019/print/dpia-2019.pdf",
        "Data Protection Impact Assessment 2019",
    ),
    (
        "dpia/2021/print/dpia-2021.pdf",
        "Data Protection Impact Assessment 2021",
    ),
    (
        "cy/asesiad-effaith-diogelu-data/2020/argraffu/asesiad-effaith-diogelu-data-2020.pdf",
        "Asesiad o'r Effaith ar Ddiogelu Data 2020",
    ),
    (
        "cy/asesiad-effaith-diogelu-data/2021/argraffu/asesiad-effaith-diogelu-data-2021.pdf",
        "Asesiad o'r Effaith ar Ddiogelu Data 2021",
    ),
    (
        "inspections/2021/print/inspections-2021.pdf",
        "Inspection workplan 2021",
    ),
    (
        "inspections/2022/print/inspections-2022.pdf",
        "Inspection workplan 2022",
    ),
    (
        "cy/arolygiadau/2021/argraffu/arolygiadau-2021.pdf",
        "Cynllun gwaith arolygu 2021",
    ),
    (
        "cy/arolygiadau/2022/argraffu/arolygiadau-2022.pdf",
        "Cynllun gwaith arolygu 2022",
    ),
];

#[test]
fn every_edition_has_a_tagged_a4_pdf_in_both_languages() {
    let (_tmp, site) = common::build_bundled(&[]);
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
    let (_a, first) = common::build_bundled(&[]);
    let (_b, second) = common::build_bundled(&[]);
    for (path, _) in EDITIONS {
        let a = std::fs::read(first.join(path)).unwrap();
        let b = std::fs::read(second.join(path)).unwrap();
        assert!(a == b, "{path} differs between builds");
    }
}

#[test]
fn no_pdf_skips_them() {
    let (_tmp, site) = common::build_bundled(&["--no-pdf"]);
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

#[test]
fn each_dpia_year_workplan_and_annual_report_links_its_own_pdf() {
    let (_tmp, site) = common::build_bundled(&[]);
    // (page, its PDF, the link's words) in both languages; the HTML is minified: no quotes.
    let pages = [
        (
            "dpia/2020/index.html",
            "/dpia/2020/print/dpia-2020.pdf",
            "Download the PDF of Data Protection Impact Assessment 2020, ",
        ),
        (
            "cy/asesiad-effaith-diogelu-data/2019/index.html",
            "/cy/asesiad-effaith-diogelu-data/2019/argraffu/asesiad-effaith-diogelu-data-2019.pdf",
            "Lawrlwytho PDF o Asesiad o",
        ),
        (
            "inspections/2021/index.html",
            "/inspections/2021/print/inspections-2021.pdf",
            "Download the PDF of Inspection workplan 2021, ",
        ),
        (
            "cy/arolygiadau/2022/index.html",
            "/cy/arolygiadau/2022/argraffu/arolygiadau-2022.pdf",
            "Lawrlwytho PDF o Cynllun gwaith arolygu 2022, ",
        ),
        (
            "annual-report/2025/index.html",
            "/annual-report/2025/print/annual-report-2025.pdf",
            "Download the PDF of LEDS annual report 2025, ",
        ),
        (
            "cy/adroddiad-blynyddol/2025/index.html",
            "/cy/adroddiad-blynyddol/2025/argraffu/adroddiad-blynyddol-2025.pdf",
            "Lawrlwytho PDF o Adroddiad blynyddol LEDS 2025, ",
        ),
    ];
    for (page, pdf, words) in pages {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let link = format!("download href={pdf}>{words}");
        assert!(html.contains(&link), "{page}: no `{link}`");
        let after = &html[html.find(&link).unwrap() + link.len()..];
        let rest = &after[..after.find("</a>").unwrap()];
        let size = rest.rsplit(", ").next().unwrap();
        let bytes = std::fs::metadata(site.join(pdf.trim_start_matches('/')))
            .unwrap()
            .len();
        assert_eq!(
            size,
            format!("{} KB", bytes.div_ceil(1000)),
            "{page}: the size shown is the file's"
        );
        let print = pdf.rsplit_once('/').unwrap().0;
        assert!(
            html.contains(&format!("href={print}/>")),
            "{page}: links its print edition"
        );
    }
    // Every year is its own document: the section has no edition of its own.
    assert!(!site.join("annual-report/print").exists());
    assert!(
        !std::fs::read_to_string(site.join("annual-report/index.html"))
            .unwrap()
            .contains(".pdf")
    );
    // Welsh, in reading order: cover, contents, then the topics in order with their charts
    // drawn as numbered figures (Typst's Welsh "Ffigur").
    let pdf = site.join("cy/adroddiad-blynyddol/2025/argraffu/adroddiad-blynyddol-2025.pdf");
    if let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &pdf) {
        let at = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("no `{s}` in the Welsh annual report:\n{text}"))
        };
        assert!(at("Adroddiad blynyddol LEDS") < at("Cynnwys"));
        let first = text.rfind("1 a. ").expect("chapter 1");
        let second = text.rfind("2 b. ").expect("chapter 2");
        assert!(at("Cynnwys") < first && first < second, "chapters in order");
        assert!(at("Ffigur 1:") > first, "charts are figures: {text}");
    }
    // Each DPIA year's text: the risks as numbered chapters, every field with its value.
    let pdf = site.join("dpia/2021/print/dpia-2021.pdf");
    if let Some(text) = poppler("pdftotext", &["-enc", "UTF-8", "-layout"], &pdf) {
        for s in [
            "1 Summary",
            "2 What changed since 2020",
            "3 Risks",
            "3.1 R01: ",
        ] {
            assert!(text.contains(s), "no `{s}` in the DPIA:\n{text}");
        }
        assert!(
            text.lines().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.starts_with(&["Residual", "risk"]) && words.len() == 3
            }),
            "description lists keep term and value apart"
        );
    }
}
