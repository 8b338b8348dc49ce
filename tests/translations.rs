//! Welsh as an equal: the parity report, fallback pages, stale translations, plural strings,
//! and the export/import round trip for translators.

mod common;

use std::process::{Command, Output};

use common::{Fixture, stderr};

fn tryloyw(site: &Fixture, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("tryloyw")
        .unwrap()
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const THEME: &[(&str, &str)] = &[
    (
        "themes/t/templates/page.html",
        "<html lang=\"{{ lang }}\"><p>{{ t(key=\"items\", count=3) }}|{{ t(key=\"items\", count=1) }}|{{ t(key=\"items\", count=7) }}</p>{% if page.fallback %}<p class=\"notice\">{{ t(key=\"not_translated\") }}</p>{% endif %}<div{% if page.fallback %} lang=\"{{ page.content_lang }}\"{% endif %}>{{ content }}</div></html>",
    ),
    ("themes/t/templates/section.html", "{{ content }}"),
    ("themes/t/templates/404.html", "404"),
    (
        "themes/t/i18n/en.toml",
        "not_translated = \"Not translated\"\nhello = \"Hello\"\n[items]\none = \"{count} item\"\nother = \"{count} items\"\n",
    ),
    (
        "themes/t/i18n/cy.toml",
        "not_translated = \"Heb ei gyfieithu\"\n[items]\nzero = \"dim eitemau\"\none = \"un eitem\"\ntwo = \"dwy eitem\"\nfew = \"tair eitem\"\nmany = \"chwe eitem\"\nother = \"{count} o eitemau\"\n",
    ),
];

fn site_with_theme(fallback: bool, extra: &[(&str, &str)]) -> Fixture {
    let mut files: Vec<(&str, &str)> = THEME.to_vec();
    files.extend_from_slice(extra);
    let site = Fixture::new(&files);
    let mode = if fallback {
        "missing_translation = \"fallback\"\n"
    } else {
        ""
    };
    site.write(
        "site.toml",
        &common::SITE_TOML.replace(
            "minify = false",
            &format!("minify = false\ntheme = \"t\"\n{mode}"),
        ),
    );
    site
}

#[test]
fn the_bundled_site_is_fully_translated() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("tryloyw")
        .unwrap()
        .args(["translations", "--root"])
        .arg(repo)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report = stdout(&out);
    assert!(out.status.success(), "{report}{}", stderr(&out));
    assert!(report.contains(
        "Every page, UI string and data text is translated, and no translation is out of date."
    ));
}

#[test]
fn missing_twin_falls_back_visibly_and_is_reported() {
    let site = site_with_theme(
        true,
        &[(
            "content/guide.md",
            "+++\ntitle = \"Guide\"\n+++\nEnglish words.\n",
        )],
    );
    // The theme also lacks `hello` in Welsh: the build stops on that, so give it first.
    site.write(
        "themes/t/i18n/cy.toml",
        &THEME[4]
            .1
            .replace("not_translated", "hello = \"Helo\"\nnot_translated"),
    );
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning: page `content/guide.md` has no Cymraeg twin: its English text is published in its place"), "{err}");
    let html = site.read("cy/guide/index.html");
    assert!(html.starts_with("<html lang=\"cy\">"));
    assert!(html.contains("<p class=\"notice\">Heb ei gyfieithu</p>"));
    assert!(html.contains("<div lang=\"en\"><p>English words.</p>"));
    // The report names what is missing and where, and fails.
    let report = tryloyw(&site, &["translations"]);
    assert_eq!(report.status.code(), Some(1));
    let text = stdout(&report);
    assert!(text.contains("Cymraeg: 1 of 2 pages"), "{text}");
    assert!(text.contains("content/guide.md"), "{text}");
    assert!(text.contains("create content/guide.cy.md"), "{text}");
}

#[test]
fn plural_strings_follow_cldr_in_each_language() {
    let site = site_with_theme(
        false,
        &[
            ("content/p.md", "+++\ntitle = \"P\"\n+++\n"),
            ("content/p.cy.md", "+++\ntitle = \"P\"\n+++\n"),
        ],
    );
    site.write(
        "themes/t/i18n/cy.toml",
        &THEME[4]
            .1
            .replace("not_translated", "hello = \"Helo\"\nnot_translated"),
    );
    site.build_ok();
    assert!(
        site.read("p/index.html")
            .contains("<p>3 items|1 item|7 items</p>")
    );
    assert!(
        site.read("cy/p/index.html")
            .contains("<p>tair eitem|un eitem|7 o eitemau</p>")
    );
    // A Welsh plural string without all six forms is an error naming the missing ones.
    site.write(
        "themes/t/i18n/cy.toml",
        "hello = \"Helo\"\nnot_translated = \"x\"\n[items]\none = \"un\"\nother = \"{count}\"\n",
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("plural UI string `items` has no zero, two, few, many form"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stale_translation_is_reported_with_the_originals_changes() {
    let site = site_with_theme(
        false,
        &[
            (
                "content/p.md",
                "+++\ntitle = \"P\"\n+++\nThe first version.\n",
            ),
            (
                "content/p.cy.md",
                "+++\ntitle = \"P\"\n+++\nY fersiwn gyntaf.\n",
            ),
        ],
    );
    site.write(
        "themes/t/i18n/cy.toml",
        &THEME[4]
            .1
            .replace("not_translated", "hello = \"Helo\"\nnot_translated"),
    );
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(site.root())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "add",
        ".",
    ]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qm",
        "first",
    ]);
    let marked = tryloyw(&site, &["translations", "mark", "--all"]);
    assert!(
        stdout(&marked).contains("marked content/p.cy.md"),
        "{}{}",
        stdout(&marked),
        stderr(&marked)
    );
    assert!(
        stdout(&marked).contains("2 files backed up to .tryloyw/backups/"),
        "mark backs up what it changes: {}",
        stdout(&marked)
    );
    assert!(
        std::fs::read_to_string(site.root().join("content/p.cy.md"))
            .unwrap()
            .contains("translated_from = \"")
    );
    assert!(tryloyw(&site, &["translations"]).status.success());

    site.write(
        "content/p.md",
        "+++\ntitle = \"P\"\n+++\nThe second version.\n",
    );
    let out = site.build(&[]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("content/p.cy.md:3:19: warning: translation is out of date: content/p.md changed after it was translated"), "{}", stderr(&out));
    let report = tryloyw(&site, &["translations"]);
    assert_eq!(report.status.code(), Some(1));
    let text = stdout(&report);
    assert!(
        text.contains("content/p.cy.md: stale: content/p.md changed after it was translated"),
        "{text}"
    );
    assert!(
        text.contains("-The first version.\n+The second version."),
        "{text}"
    );
}

#[test]
fn export_and_import_round_trip_without_loss() {
    let site = site_with_theme(
        true,
        &[(
            "content/guide.md",
            "+++\ntitle = \"Guide\"\ndescription = \"How to, with \\\"quotes\\\".\"\nweight = 3\n+++\n## First\n\nText, with a comma.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        )],
    );
    // A translator fills in the translation column.
    let csv_path = filled_export(
        &site,
        &|_, field| match field {
            "title" => "Canllaw".into(),
            "description" => "Sut i, gyda \"dyfynodau\".".into(),
            "body" => {
                "## Cyntaf\n\nTestun, gyda choma.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".into()
            }
            _ => "Helo".into(),
        },
        &[],
    );
    let rows = csv_rows(&csv_path);
    assert!(
        rows.iter()
            .any(|r| r[0] == "content/guide.cy.md" && r[1] == "body" && r[2] == "missing"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "themes/t/i18n/cy.toml" && r[1] == "hello"),
        "{rows:?}"
    );
    let out = tryloyw(
        &site,
        &["translations", "import", csv_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 page created, 0 pages updated, 1 UI string added"),
        "{}",
        stdout(&out)
    );

    // Nothing is missing now, even with fallback off.
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("minify = false", "minify = false\ntheme = \"t\""),
    );
    site.build_ok();
    let html = site.read("cy/guide/index.html");
    assert!(html.contains("<h2 id=\"cyntaf\">Cyntaf</h2>"), "{html}");
    assert!(html.contains("Testun, gyda choma."));
    let created = std::fs::read_to_string(site.root().join("content/guide.cy.md")).unwrap();
    assert!(created.contains("title = \"Canllaw\""), "{created}");
    assert!(
        created.contains("weight = 3"),
        "the original's other fields are kept: {created}"
    );
    assert!(created.contains("translated_from = \""), "{created}");
    assert!(
        created.ends_with("| 1 | 2 |\n"),
        "body kept exactly: {created:?}"
    );
    let again = tryloyw(&site, &["translations", "export"]);
    assert_eq!(
        stdout(&again),
        "file,field,state,source,translation\n",
        "nothing left to translate"
    );
}

/// Export, then fill every translation with `fill(file, field)`, plus `extra` rows; the CSV path.
fn filled_export(
    site: &Fixture,
    fill: &dyn Fn(&str, &str) -> String,
    extra: &[[&str; 5]],
) -> std::path::PathBuf {
    let csv_path = site.root().join("exchange.csv");
    let out = tryloyw(
        site,
        &[
            "translations",
            "export",
            "--output",
            csv_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    for r in &mut rows {
        r[4] = fill(&r[0], &r[1]);
    }
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["file", "field", "state", "source", "translation"])
        .unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    for r in extra {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    csv_path
}

/// The rows of a CSV file, without its header.
fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every file of the site folder, as (path, bytes): to show an import changed nothing.
fn site_files(site: &Fixture) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    common::snapshot(site.root())
}

#[test]
fn import_writes_only_what_export_lists_and_refuses_every_other_row() {
    let site = site_with_theme(
        true,
        &[("content/guide.md", "+++\ntitle = \"Guide\"\n+++\nText.\n")],
    );
    let csv_path = filled_export(
        &site,
        &|_, _| "Cyfieithiad".into(),
        &[
            [
                "site.toml",
                "title",
                "missing",
                "",
                "base_url = \"https://evil.example\"",
            ],
            [
                "content/guide.md",
                "body",
                "missing",
                "",
                "Overwritten English",
            ],
            ["../outside.cy.md", "body", "missing", "", "x"],
            ["/tmp/tryloyw-import-abs.cy.md", "body", "missing", "", "x"],
            ["content/../site.toml", "body", "missing", "", "x"],
            ["content/guide.cy.md", "translated_from", "missing", "", "x"],
            ["themes/t/i18n/cy.toml", "no_such_key", "missing", "", "x"],
            [
                "themes/t/templates/page.html",
                "body",
                "missing",
                "",
                "<script>",
            ],
        ],
    );
    let before = site_files(&site);
    let out = tryloyw(
        &site,
        &["translations", "import", csv_path.to_str().unwrap()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for shown in [
        "`site.toml` is not a file",
        "`content/guide.md` is not a file",
        "`../outside.cy.md` is not a file",
        "`/tmp/tryloyw-import-abs.cy.md` is not a file",
        "`content/../site.toml` is not a file",
        "`translated_from` is not a field",
        "`no_such_key` is not a field",
        "`themes/t/templates/page.html` is not a file",
    ] {
        assert!(err.contains(shown), "missing `{shown}` in:\n{err}");
    }
    // Each refusal names its row in the CSV file, as file:line:column.
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    for file in [
        "site.toml,",
        "content/guide.md,",
        "../outside.cy.md,",
        "themes/t/templates/",
    ] {
        let line = 1 + csv_text.lines().position(|l| l.starts_with(file)).unwrap();
        let at = format!("exchange.csv:{line}:1: error:");
        assert!(err.contains(&at), "missing `{at}` in:\n{err}");
    }
    let line = 1 + csv_text
        .lines()
        .position(|l| l.starts_with("content/guide.cy.md,translated_from"))
        .unwrap();
    let at = format!("exchange.csv:{line}:21: error:");
    assert!(
        err.contains(&at),
        "the field is underlined: missing `{at}` in:\n{err}"
    );
    assert_eq!(err.matches("error:").count(), 8, "{err}");
    assert_eq!(
        before,
        site_files(&site),
        "nothing is written when a row is refused"
    );
    assert!(!std::path::Path::new("/tmp/tryloyw-import-abs.cy.md").exists());
}

#[test]
fn import_backs_up_every_file_it_replaces_and_the_build_ignores_the_backups() {
    let site = site_with_theme(
        true,
        &[
            (
                "content/guide.md",
                "+++\ntitle = \"Guide\"\n+++\nNew text.\n",
            ),
            (
                "content/guide.cy.md",
                "+++\ntitle = \"Hen ganllaw\"\ntranslated_from = \"0000000000000000000000000000000000000000\"\n+++\nHen destun.\n",
            ),
        ],
    );
    let old_page = std::fs::read(site.root().join("content/guide.cy.md")).unwrap();
    let old_strings = std::fs::read(site.root().join("themes/t/i18n/cy.toml")).unwrap();
    let csv_path = filled_export(&site, &|_, field| format!("Newydd {field}"), &[]);
    let out = tryloyw(
        &site,
        &["translations", "import", csv_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("2 files backed up to .tryloyw/backups/"),
        "{said}"
    );

    let backups = site.root().join(".tryloyw/backups");
    let stamps: Vec<_> = std::fs::read_dir(&backups).unwrap().flatten().collect();
    assert_eq!(stamps.len(), 1, "one dated folder per import");
    let stamp = stamps[0].path();
    let name = stamp.file_name().unwrap().to_string_lossy().to_string();
    assert!(said.contains(&name), "the folder is named: {said}");
    assert!(
        name.len() == 16 && name.ends_with('Z') && name.as_bytes()[8] == b'T',
        "a UTC timestamp such as 20260122T140512Z: {name}"
    );
    assert_eq!(
        std::fs::read(stamp.join("content/guide.cy.md")).unwrap(),
        old_page
    );
    assert_eq!(
        std::fs::read(stamp.join("themes/t/i18n/cy.toml")).unwrap(),
        old_strings
    );
    let new_page = std::fs::read_to_string(site.root().join("content/guide.cy.md")).unwrap();
    assert!(new_page.contains("Newydd body"), "{new_page}");

    // The build and the checker ignore the backups.
    site.build_ok();
    assert!(!site.out().join(".tryloyw").exists());
    let checked = tryloyw(&site, &["check"]);
    let report = format!("{}{}", stdout(&checked), stderr(&checked));
    assert!(!report.contains(".tryloyw"), "{report}");
}

#[test]
fn import_never_writes_through_a_symlink_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let site = site_with_theme(
        true,
        &[("content/guide.md", "+++\ntitle = \"Guide\"\n+++\nText.\n")],
    );
    let csv_path = filled_export(&site, &|_, _| "Cyfieithiad".into(), &[]);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.md");
    std::fs::write(&victim, "precious").unwrap();
    symlink(&victim, site.root().join("content/guide.cy.md")).unwrap();
    let out = tryloyw(
        &site,
        &["translations", "import", csv_path.to_str().unwrap()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/guide.cy.md leads outside the site folder"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

/// Dataset column descriptions are UI strings of the theme: a theme whose Welsh file lacks
/// one sends it to translators, with its English text.
#[test]
fn dataset_column_words_are_exported_for_translation() {
    let site = Fixture::new(&[]);
    let default = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&default).into_iter().flatten() {
        let to = site
            .root()
            .join("themes/t")
            .join(entry.path().strip_prefix(&default).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let cy = site.root().join("themes/t/i18n/cy/columns.toml");
    let text = std::fs::read_to_string(&cy).unwrap();
    let line = "id.description = \"Cod rheswm\"\n";
    assert!(text.contains(line), "{text}");
    std::fs::write(&cy, text.replacen(line, "", 1)).unwrap();
    site.write(
        "site.toml",
        &common::SITE_TOML.replace(
            "minify = false",
            "minify = false\ntheme = \"t\"\nmissing_translation = \"fallback\"\n",
        ),
    );
    let rows = csv_rows(&filled_export(&site, &|_, _| String::new(), &[]));
    assert!(
        rows.iter().any(|r| r[0] == "themes/t/i18n/cy.toml"
            && r[1] == "columns.reasons.id.description"
            && r[2] == "missing"
            && r[3] == "Reason code"),
        "{rows:?}"
    );
}
