//! Reproducible builds: the bundled site, PDFs included, is the same bytes whatever the thread
//! count, time zone and locale, and `SOURCE_DATE_EPOCH` sets the build date everywhere it shows.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Fixture, snapshot, stderr};

/// Build the repository's site into a fresh folder with exactly these environment variables
/// changed (`None` removes one).
fn build(env: &[(&str, Option<&str>)]) -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tryloyw"));
    cmd.args(["build", "--root"])
        .arg(repo)
        .arg("--output")
        .arg(&site);
    for (name, value) in env {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{env:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, site)
}

fn utc_today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

fn first_difference(a: &Path, b: &Path) -> Option<String> {
    let (a, b) = (snapshot(a), snapshot(b));
    let names = |s: &[(PathBuf, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    if names(&a) != names(&b) {
        return Some(format!(
            "different files:\n{:?}\n{:?}",
            names(&a),
            names(&b)
        ));
    }
    a.iter()
        .zip(&b)
        .find(|(x, y)| x.1 != y.1)
        .map(|(x, _)| format!("{} differs", x.0.display()))
}

/// One thread in the far east of the clock and the C locale against two threads twenty-five
/// hours west in Welsh: every file the same, the PDFs too. No `SOURCE_DATE_EPOCH`, so the
/// build date comes from the clock, in UTC whatever `TZ` says.
#[test]
fn the_same_bytes_for_any_thread_count_time_zone_and_locale() {
    for attempt in 0..2 {
        let day = utc_today();
        let (_a, first) = build(&[
            ("SOURCE_DATE_EPOCH", None),
            ("RAYON_NUM_THREADS", Some("1")),
            ("TZ", Some("Pacific/Kiritimati")),
            ("LC_ALL", Some("C")),
            ("LANG", Some("C")),
        ]);
        let (_b, second) = build(&[
            ("SOURCE_DATE_EPOCH", None),
            ("RAYON_NUM_THREADS", Some("2")),
            ("TZ", Some("Pacific/Pago_Pago")),
            ("LC_ALL", Some("cy_GB.UTF-8")),
            ("LANG", Some("cy_GB.UTF-8")),
            ("LANGUAGE", Some("cy")),
        ]);
        if utc_today() != day && attempt == 0 {
            continue; // midnight UTC came between the builds: they rightly differ
        }
        let pdfs = snapshot(&first)
            .iter()
            .filter(|f| f.0.extension().is_some_and(|e| e == "pdf"))
            .count();
        assert!(pdfs >= 10, "only {pdfs} PDFs compared");
        if let Some(diff) = first_difference(&first, &second) {
            panic!("the builds differ: {diff}");
        }
        return;
    }
}

/// The build date shows in the print editions, the publication calendar, the inspection
/// tracker and the PDFs; `SOURCE_DATE_EPOCH` moves all of them, and two builds with the same
/// value are the same bytes even with different thread counts.
#[test]
fn source_date_epoch_sets_the_date_everywhere_it_shows() {
    // 21 September 2026 at 23:59:59 UTC: still the 21st, whatever the time zone.
    let (_a, september) = build(&[
        ("SOURCE_DATE_EPOCH", Some("1790035199")),
        ("RAYON_NUM_THREADS", Some("1")),
        ("TZ", Some("Pacific/Kiritimati")),
    ]);
    // 15 January 2027.
    let (_b, january) = build(&[
        ("SOURCE_DATE_EPOCH", Some("1800000000")),
        ("RAYON_NUM_THREADS", Some("2")),
    ]);
    for (page, context) in [
        ("code-of-practice/print/index.html", "Printed from"),
        ("calendar/index.html", "as of"),
        ("inspections/index.html", "on"),
        ("cy/cod-ymarfer/argraffu/index.html", ""),
    ] {
        let read = |site: &Path| std::fs::read_to_string(site.join(page)).unwrap();
        let (sep, jan) = (read(&september), read(&january));
        let (sep_date, jan_date) = if page.starts_with("cy/") {
            ("21 Medi 2026", "15 Ionawr 2027")
        } else {
            ("21 September 2026", "15 January 2027")
        };
        assert!(sep.contains(sep_date), "{page}: no {sep_date} ({context})");
        assert!(jan.contains(jan_date), "{page}: no {jan_date} ({context})");
        assert!(!jan.contains(sep_date), "{page}: still {sep_date}");
    }
    let pdf = "code-of-practice/print/code-of-practice.pdf";
    if let (Some(sep), Some(jan)) = (
        common::poppler("pdfinfo", &["-isodates"], &september.join(pdf)),
        common::poppler("pdfinfo", &["-isodates"], &january.join(pdf)),
    ) {
        assert!(sep.contains("CreationDate:    2026-09-21"), "{sep}");
        assert!(jan.contains("CreationDate:    2027-01-15"), "{jan}");
    }
    if let Some(text) = common::poppler("pdftotext", &[], &january.join(pdf)) {
        assert!(text.contains("15 January 2027"), "the PDF's own text");
    }
    let (_c, again) = build(&[
        ("SOURCE_DATE_EPOCH", Some("1800000000")),
        ("RAYON_NUM_THREADS", Some("1")),
        ("LC_ALL", Some("cy_GB.UTF-8")),
    ]);
    if let Some(diff) = first_difference(&january, &again) {
        panic!("the same SOURCE_DATE_EPOCH, different bytes: {diff}");
    }
}

#[test]
fn an_invalid_source_date_epoch_is_a_clear_error_and_changes_nothing() {
    let site = Fixture::new(&[]);
    site.build_ok();
    let before = snapshot(&site.out());
    for value in ["", "yesterday", "-5", "1.5e9", "99999999999999"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tryloyw"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("SOURCE_DATE_EPOCH", value)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{value:?}: {err}");
        assert!(
            err.contains(&format!("error: SOURCE_DATE_EPOCH is `{value}`")),
            "{value:?}: {err}"
        );
        assert!(err.contains("hint: set it to whole seconds"), "{err}");
        assert_eq!(err.matches("error:").count(), 1, "{err}");
        assert!(before == snapshot(&site.out()));
    }
}
