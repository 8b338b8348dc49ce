//! The repository's own LEDS site: it builds, every page has its twin, the datasets pass the
//! Frictionless validator, and downloads are safe to open in a spreadsheet.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn read(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_publication_renders_in_both_languages() {
    let (_tmp, site) = common::build_bundled(&[]);
    for (en, cy, expect_en, expect_cy) in [
        (
            "organisations/index.html",
            "cy/sefydliadau/index.html",
            "Metropolitan",
            "Heddlu",
        ),
        (
            "organisations/dyfed-powys/index.html",
            "cy/sefydliadau/dyfed-powys/index.html",
            "Dyfed-Powys Police",
            "Heddlu Dyfed-Powys",
        ),
        (
            "organisations/jurisdiction/scotland/index.html",
            "cy/sefydliadau/awdurdodaeth/scotland/index.html",
            "Police Scotland",
            "Yr Alban",
        ),
        (
            "statistics/index.html",
            "cy/ystadegau/index.html",
            "PNC",
            "PNC",
        ),
        (
            "statistics/2023/index.html",
            "cy/ystadegau/2023/index.html",
            "January",
            "Ionawr",
        ),
        (
            "statistics/data-quality/index.html",
            "cy/ystadegau/ansawdd-data/index.html",
            "Timeliness",
            "Amseroldeb",
        ),
        (
            "dpia/2021/index.html",
            "cy/asesiad-effaith-diogelu-data/2021/index.html",
            "What changed since 2020",
            "2020",
        ),
        (
            "inspections/2022/index.html",
            "cy/arolygiadau/2022/index.html",
            "HMICFRS",
            "HMICFRS",
        ),
        (
            "inspections/recommendations/index.html",
            "cy/arolygiadau/argymhellion/index.html",
            "Overdue",
            "Yn hwyr",
        ),
        (
            "calendar/index.html",
            "cy/calendr-cyhoeddi/index.html",
            "Late",
            "Yn hwyr",
        ),
        (
            "open-space/index.html",
            "cy/y-gofod-agored/index.html",
            "33",
            "33",
        ),
        (
            "oversight/index.html",
            "cy/goruchwylio/index.html",
            "HMICFRS",
            "HMICFRS",
        ),
        (
            "public-guide/questions/index.html",
            "cy/canllaw-i-r-cyhoedd/cwestiynau-cyffredin/index.html",
            "Freedom of Information",
            "Rhyddid Gwybodaeth",
        ),
        (
            "datasets/index.html",
            "cy/setiau-data/index.html",
            "datapackage.json",
            "datapackage.json",
        ),
    ] {
        let (e, c) = (read(&site, en), read(&site, cy));
        assert!(e.contains(expect_en), "{en} lacks {expect_en}");
        assert!(c.contains(expect_cy), "{cy} lacks {expect_cy}");
        assert!(c.contains("<html lang=cy>"), "{cy} is not Welsh");
    }
}

#[test]
fn illustrative_figures_say_so_on_the_page_and_in_the_download() {
    let (_tmp, site) = common::build_bundled(&[]);
    for page in [
        "statistics/index.html",
        "cy/ystadegau/2022/index.html",
        "statistics/data-quality/index.html",
    ] {
        let html = read(&site, page);
        assert!(
            html.contains("sample data made for demonstration")
                || html.contains("Data sampl a luniwyd"),
            "{page} has no illustrative notice"
        );
    }
    let package = read(&site, "datasets/searches/datapackage.json");
    assert!(package.contains("\"illustrative\": true"));
    assert!(
        site.join("datasets/searches/searches-illustrative.csv")
            .exists()
    );
    let json = read(&site, "datasets/searches/searches-illustrative.json");
    assert!(json.contains("\"notice\""));
    assert!(
        !read(&site, "datasets/organisations/datapackage.json").contains("\"illustrative\": true")
    );
}

#[test]
fn datasets_pass_the_frictionless_validator() {
    if Command::new("frictionless")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "frictionless is missing: .ci/run installs it"
        );
        eprintln!("SKIPPED: `pip install frictionless` to validate the datasets");
        return;
    }
    let (_tmp, site) = common::build_bundled(&[]);
    let mut checked = 0;
    for entry in std::fs::read_dir(site.join("datasets")).unwrap().flatten() {
        let dir = entry.path();
        if !dir.join("datapackage.json").exists() {
            continue;
        }
        let out = Command::new("frictionless")
            .args(["validate", "datapackage.json"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout)
        );
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} datasets");
}

/// Every column of every dataset is described in both languages by the theme's strings: a
/// column declared without its words would show its key (`columns.faq.id.description`).
#[test]
fn every_dataset_column_is_described_in_both_languages() {
    let (_tmp, site) = common::build_bundled(&["--no-pdf"]);
    let mut columns = 0;
    for entry in std::fs::read_dir(site.join("datasets")).unwrap().flatten() {
        let path = entry.path().join("datapackage.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let package: serde_json::Value = serde_json::from_str(&text).unwrap();
        let fields = package["resources"][0]["schema"]["fields"]
            .as_array()
            .unwrap();
        for field in fields {
            for lang in ["en", "cy"] {
                let d = field["descriptions"][lang].as_str().unwrap_or_default();
                assert!(
                    !d.is_empty() && !d.contains("columns."),
                    "{}: `{}` in {lang}: {d:?}",
                    path.display(),
                    field["name"]
                );
            }
            columns += 1;
        }
    }
    assert!(columns >= 90, "only {columns} columns");
}

/// Tables on pages speak human words in both languages: short column headings, not the data
/// file's descriptions ("Title in English", "Lead inspectorate (body id)", "Month (YYYY-MM)"),
/// and lists as lists ("PNC, PND, LEDS", not "PNC;PND;LEDS"). The datasets catalogue, which
/// documents the files' columns, says what the files hold.
#[test]
fn tables_on_pages_use_human_words() {
    let (_tmp, site) = common::build_bundled(&["--no-pdf"]);
    let raw = [
        "YYYY",
        "BBBB",
        "(id)",
        "body id)",
        "dynodydd",
        " in English<",
        " in Welsh<",
        " yn Saesneg<",
        " yn Gymraeg<",
        "Reason code",
        "Cod rheswm",
        "PNC;PND",
    ];
    let mut headings = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let catalogue = rel.starts_with("datasets/") || rel.starts_with("cy/setiau-data/");
        if !rel.ends_with(".html") || catalogue {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for table in html.split("<table").skip(1) {
            let table = table.split("</table>").next().unwrap_or_default();
            headings += table.matches("<th").count();
            for word in raw {
                assert!(!table.contains(word), "{rel}: a table says {word:?}");
            }
        }
    }
    assert!(headings > 500, "only {headings} table headings seen");
    let report = read(&site, "annual-report/2025/index.html");
    assert!(report.contains("<th scope=col>Lead inspectorate</th>"));
    assert!(report.contains("<td>PNC, PND, LEDS</td>"));
}

/// Every chart: an SVG with role, title and description, its data table beside it, a link to
/// its data, and no inline styles.
#[test]
fn every_chart_is_accessible_and_builds_are_identical() {
    let (_tmp, site) = common::build_bundled(&[]);
    let mut charts = 0;
    for entry in walkdir::WalkDir::new(&site).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for figure in html.split("<figure ").skip(1) {
            let figure = &figure[..figure.find("</figure>").expect("figure closed")];
            if !figure[..figure.find('>').unwrap_or(0)].contains("class=chart") {
                continue;
            }
            let page = entry.path().display();
            assert!(figure.contains("role=img"), "{page}: chart without role");
            assert!(figure.contains("<title id="), "{page}: chart without title");
            assert!(
                figure.contains("<desc id="),
                "{page}: chart without description"
            );
            assert!(
                figure.contains("<details"),
                "{page}: chart without its data table"
            );
            assert!(
                figure.contains("<table>"),
                "{page}: chart without its data table"
            );
            assert!(
                figure.contains(".csv"),
                "{page}: chart without a link to its data"
            );
            assert!(
                !figure.contains("style="),
                "{page}: inline style in a chart"
            );
            charts += 1;
        }
    }
    assert!(charts >= 20, "only {charts} charts");
    let (_tmp2, again) = common::build_bundled(&[]);
    let snapshot = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
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
    };
    assert!(snapshot(&site) == snapshot(&again), "two builds differ");
}

#[test]
fn print_editions_in_both_languages() {
    let (_tmp, site) = common::build_bundled(&[]);
    let en = read(&site, "code-of-practice/print/index.html");
    let cy = read(&site, "cy/cod-ymarfer/argraffu/index.html");
    assert!(en.contains("Printed from https://leds-transparency.example.gov.uk/code-of-practice/ on 22 November 2026."));
    assert!(cy.contains(
        "Argraffwyd o https://leds-transparency.example.gov.uk/cy/cod-ymarfer/ ar 22 Tachwedd 2026."
    ));
    for html in [&en, &cy] {
        assert!(
            html.contains("<span class=section-number>2</span>"),
            "numbered chapters"
        );
        assert!(
            html.contains("<span class=section-number>2.1</span>"),
            "numbered headings"
        );
        assert!(
            html.contains("Open Government Licence")
                || html.contains("Drwydded Llywodraeth Agored")
        );
    }
    // Links between the Code's own pages point inside the edition.
    assert!(
        en.contains("href=#s"),
        "internal links rewritten to anchors"
    );
    // The section page links to its edition.
    assert!(read(&site, "cy/cod-ymarfer/index.html").contains("href=/cy/cod-ymarfer/argraffu/"));
    for path in [
        "public-guide/print/index.html",
        "cy/adroddiad-blynyddol/2025/argraffu/index.html",
        "dpia/2021/print/index.html",
        "cy/arolygiadau/2022/argraffu/index.html",
    ] {
        assert!(site.join(path).exists(), "{path}");
    }
    // A page that shows a publication prints it too, not only its own text: the FAQ's
    // questions and the glossary's terms are in the public guide's edition.
    for (path, question, definition) in [
        (
            "public-guide/print/index.html",
            "What is LEDS?",
            "A request to see the personal information",
        ),
        (
            "cy/canllaw-i-r-cyhoedd/argraffu/index.html",
            "Beth yw LEDS?",
            "Cais i weld y wybodaeth bersonol",
        ),
    ] {
        let html = read(&site, path);
        assert!(html.contains(question), "{path}: no FAQ question");
        assert!(html.contains(definition), "{path}: no glossary definition");
    }
}
