//! What each fuzz target does with its input, shared by the cargo-fuzz crate in `fuzz/` (which
//! includes this file with `#[path]`) and by `tests/fuzz_regressions.rs`, which runs every
//! saved crash again in the ordinary test suite. Each function must return without a panic
//! for any input; every problem found is rendered as the terminal would show it, so the
//! message code is exercised too.
#![allow(dead_code)] // the fuzz targets each use one function

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tryloyw::config::{self, Config};
use tryloyw::diagnostics::{Diagnostic, SourceFile};
use tryloyw::markdown::{self, Env};
use tryloyw::site::{self, Site};

/// A page's front matter, as `content/page.md`.
pub fn front_matter(data: &[u8]) {
    let source = SourceFile::new("content/page.md", String::from_utf8_lossy(data));
    match tryloyw::content::front_matter::parse(&source) {
        Ok((front, body)) => {
            assert!(body.end <= source.text.len());
            let _ = front.extra.len();
        }
        Err(ds) => show(&ds),
    }
}

/// A page body rendered with the real shortcodes (`figure`, `table`, `list`, `chart`, `lang`)
/// over the small data site of [`site`].
pub fn markdown(data: &[u8]) {
    let site = fixture_site();
    let lang = site.config.languages[0];
    let source = SourceFile::new("content/page.md", String::from_utf8_lossy(data));
    let resolve = |key: &str| (key == "about.md").then(|| "/about/".to_string());
    let downloads = fixture_downloads();
    let shortcode = |code: &markdown::shortcodes::Shortcode| {
        tryloyw::shortcodes::expand(site, downloads, lang, code)
    };
    let env = Env {
        resolve: &resolve,
        note_title: "Note",
        warning_title: "Warning",
        table_label: "Table",
        shortcode: &shortcode,
        raw_html: markdown::RawHtml::Sanitise,
    };
    let (rendered, ds) = markdown::render(&source, 0..source.text.len(), &env);
    let _ = rendered.html.len();
    show(&ds);
}

/// The data files written as TOML: the first byte picks which file the rest replaces in the
/// data folder of [`DATA_FILES`], loaded through `publications::load` like a build does.
pub const TOML_FILES: &[&str] = &[
    "site.toml",
    "data/datasets.toml",
    "data/reasons.toml",
    "data/regulators.toml",
    "data/faq.toml",
    "data/calendar.toml",
    "data/quality-standards.toml",
    "data/dpia/2021.toml",
    "data/inspections/2021.toml",
];

/// The data files written as CSV, picked the same way.
pub const CSV_FILES: &[&str] = &[
    "data/organisations.csv",
    "data/actions.csv",
    "data/usage/searches-2025.csv",
    "data/usage/conduct.csv",
    "data/usage/quality.csv",
];

pub fn toml_data(data: &[u8]) {
    load_with(TOML_FILES, data);
}

pub fn csv_data(data: &[u8]) {
    load_with(CSV_FILES, data);
}

/// A `chart` shortcode over the fixture site's datasets. The first bytes pick the dataset,
/// kind and columns (mostly real names, sometimes made up); the rest, split at 0xFF bytes, are
/// the filter, the title and any extra arguments, written as they come.
pub fn chart(data: &[u8]) {
    let site = fixture_site();
    let datasets: Vec<&str> = site.page_data.datasets.iter().map(|d| d.name).collect();
    let pick = |i: usize, from: &[&str]| -> String {
        let b = data.get(i).copied().unwrap_or(0) as usize;
        from.get(b % (from.len() + 1))
            .map_or_else(|| format!("made-up-{b}"), |s| s.to_string())
    };
    let dataset = pick(0, &datasets);
    let columns: Vec<String> = site
        .page_data
        .datasets
        .iter()
        .find(|d| d.name == dataset)
        .map(|d| d.fields.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let kind = pick(1, &["line", "bar", "hbar", "stacked", "grouped"]);
    let (x, y, series) = (pick(2, &columns), pick(3, &columns), pick(4, &columns));
    let rest = String::from_utf8_lossy(data.get(5..).unwrap_or_default()).into_owned();
    let mut parts = rest.split('\u{fffd}');
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut args = format!("data=\"{dataset}\", kind=\"{kind}\", x=\"{x}\", y=\"{y}\"");
    if data.get(4).is_some_and(|b| b % 2 == 0) {
        args.push_str(&format!(", series=\"{series}\""));
    }
    if let Some(filter) = parts.next().filter(|f| !f.is_empty()) {
        args.push_str(&format!(", filter=\"{}\"", quote(filter)));
    }
    if let Some(title) = parts.next().filter(|t| !t.is_empty()) {
        args.push_str(&format!(", title=\"{}\"", quote(title)));
    }
    // Anything left is written unquoted: the shortcode parser meets it as it is.
    for raw in parts {
        args.push_str(", ");
        args.push_str(raw);
    }
    // One line, so the shortcode stays one paragraph of Markdown.
    let args = args.replace(['\n', '\r'], " ");
    markdown(format!("{{{{ chart({args}) }}}}\n").as_bytes());
}

fn show(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let _ = d.render(false);
        let _ = d.to_json();
    }
}

/// The repository: this file is included from `tests/` and from `fuzz/`.
fn repository() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("site.toml").is_file() {
        here.to_path_buf()
    } else {
        here.parent().unwrap_or(here).to_path_buf()
    }
}

/// Rows kept from each of the bundled site's usage CSV files (the large ones), so a load takes
/// milliseconds; the other files are whole, so every id they define is there.
const ROWS_KEPT: usize = 40;

/// A copy of the bundled site's `site.toml` and `data/` (usage files cut to [`ROWS_KEPT`] rows)
/// with a home page in each language, in a temporary folder that lives as long as the process.
fn fixture_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder").keep();
        let repo = repository();
        copy_cut(&repo.join("site.toml"), &dir.join("site.toml"));
        for entry in walkdir::WalkDir::new(repo.join("data")) {
            let entry = entry.expect("the bundled data folder");
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&repo)
                    .expect("below the repository");
                copy_cut(entry.path(), &dir.join(rel));
            }
        }
        let home = [
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
            ("content/_index.cy.md", "+++\ntitle = \"Hafan\"\n+++\n"),
        ];
        for (path, text) in home {
            write(&dir.join(path), text.as_bytes());
        }
        dir
    })
}

fn copy_cut(from: &Path, to: &Path) {
    let text = std::fs::read_to_string(from).expect("a bundled file");
    let usage = from.parent().is_some_and(|p| p.ends_with("data/usage"));
    let text = if usage && from.extension().is_some_and(|e| e == "csv") {
        text.lines()
            .take(ROWS_KEPT + 1)
            .map(|l| format!("{l}\n"))
            .collect()
    } else {
        text
    };
    write(to, text.as_bytes());
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("a folder");
    std::fs::write(path, bytes).expect("a written file");
}

/// Held while the fixture folder is read or changed: `cargo test` runs the targets on
/// parallel threads, and [`load_with`] replaces a file of the folder [`fixture_site`] loads.
static FIXTURE: Mutex<()> = Mutex::new(());

/// The fixture site, loaded once.
pub fn fixture_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let _only = FIXTURE.lock().unwrap_or_else(|e| e.into_inner());
        let opts = site::LoadOptions {
            root: fixture_root(),
            base_url: None,
            drafts: false,
            today: jiff::civil::date(2026, 6, 1),
        };
        match site::load(&opts) {
            Ok((site, _)) => site,
            Err(ds) => {
                let shown: Vec<String> = ds.into_iter().map(|d| d.render(false)).collect();
                panic!("the fixture site does not load:\n{}", shown.join("\n"))
            }
        }
    })
}

/// The downloads of the fixture site's datasets, which data shortcodes link to.
pub fn fixture_downloads() -> &'static tryloyw::publications::Downloads {
    static DOWNLOADS: OnceLock<tryloyw::publications::Downloads> = OnceLock::new();
    DOWNLOADS.get_or_init(|| {
        let (made, _) = tryloyw::publications::make(fixture_site().publications(), None);
        made.downloads
    })
}

/// Replace one file of the fixture (picked by the first byte) with the rest of `data`, load
/// the site's config and data as a build does, make every dataset's downloads, then put the
/// file back. One process runs one input at a time, and [`FIXTURE`] keeps the test threads apart.
fn load_with(files: &[&str], data: &[u8]) {
    let Some((&pick, contents)) = data.split_first() else {
        return;
    };
    let root = fixture_root();
    let _only = FIXTURE.lock().unwrap_or_else(|e| e.into_inner());
    let path = root.join(files[pick as usize % files.len()]);
    let original = std::fs::read(&path).ok();
    write(&path, contents);
    load(root);
    match original {
        Some(bytes) => write(&path, &bytes),
        None => std::fs::remove_file(&path).expect("the fuzzed file removed"),
    }
}

fn load(root: &Path) {
    let config: Config = match config::load(root, None) {
        Ok(c) => c,
        Err(ds) => return show(&ds),
    };
    let (data, ds) = tryloyw::publications::load(root, &config, jiff::civil::date(2026, 6, 1));
    show(&ds.sorted());
    let notice =
        tryloyw::data::Text::from_pairs([("en", "Sample".into()), ("cy", "Enghraifft".into())]);
    let strings = tryloyw::theme::Strings::default();
    let words = tryloyw::datasets::columns::Words {
        strings: &strings,
        languages: &config.languages,
    };
    for (_, publication) in tryloyw::publications::available(&data) {
        for dataset in publication.datasets(&data, words).into_iter().flatten() {
            let _ = dataset.csv();
            let _ = dataset.json(&notice, &config.languages);
        }
    }
}
