//! `tryloyw translations`: where each language falls short of the default language, and a
//! round trip for translators.
//!
//! - `translations`: every missing page, UI string and data text, every stale translation
//!   (the original changed since it was translated) with the original's changes since, taken
//!   from git when the old version is in the repository.
//! - `translations mark FILE…` (or `--all`): record in each translation's front matter which
//!   version of the original it translates (`translated_from`, the original's git blob hash).
//! - `translations export`: missing and stale pages and UI strings as a CSV file for
//!   translators: `file,field,state,source,translation`.
//! - `translations import FILE`: writes the filled-in `translation` column back into the right
//!   files, creating missing pages and adding missing strings, touching nothing else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::content::{self, Content, Page, blob_hash, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::locale::Lang;
use crate::theme;

pub const CSV_COLUMNS: [&str; 5] = ["file", "field", "state", "source", "translation"];

/// A translation whose original changed after it was translated.
pub struct Stale {
    pub translation: PathBuf,
    pub original: PathBuf,
    /// The original's changes since, as a unified diff, when git still has the old version.
    pub diff: Option<String>,
}

pub struct Report {
    /// (language, pages translated, pages in the default language)
    pub pages: Vec<(Lang, usize, usize)>,
    /// (language, UI strings it has, UI strings the default language has)
    pub strings: Vec<(Lang, usize, usize)>,
    pub missing: Vec<Diagnostic>,
    pub stale: Vec<Stale>,
}

struct Loaded {
    config: Config,
    content: Content,
    theme: Option<theme::ThemeSources>,
    diags: Diagnostics,
}

fn load(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let config = config::load(root, None)?;
    let (theme, mut diags) = theme::load(root, &config);
    let (content, content_diags) = content::load(root, &config, true);
    diags.extend(content_diags);
    let (_, data_diags) = crate::site::load_data(
        root,
        &config,
        crate::site::build_date().map_err(|d| vec![d])?,
    );
    diags.extend(data_diags);
    Ok(Loaded {
        config,
        content,
        theme,
        diags,
    })
}

pub fn report(root: &Path) -> Result<Report, Vec<Diagnostic>> {
    let loaded = load(root)?;
    let config = &loaded.config;
    let default = config.default_language();
    let count = |lang: Lang| {
        loaded
            .content
            .pages
            .iter()
            .filter(|p| p.lang == lang && !p.fallback)
            .count()
    };
    let pages = config
        .languages
        .iter()
        .map(|&l| (l, count(l), count(default)))
        .collect();
    let strings = match &loaded.theme {
        Some(t) => config
            .languages
            .iter()
            .map(|&l| {
                (
                    l,
                    t.strings.keys(l).count(),
                    t.strings.keys(default).count(),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let mut missing = Vec::new();
    for d in loaded.diags {
        if let Some("missing-twin" | "missing-string" | "missing-text") = d.code {
            missing.push(d);
        }
    }
    let stale = stale_pages(root, &loaded.content, config)
        .into_iter()
        .map(|(translation, original)| Stale {
            diff: original_diff(root, translation, original),
            translation: translation.source.path.clone(),
            original: original.source.path.clone(),
        })
        .collect();
    Ok(Report {
        pages,
        strings,
        missing,
        stale,
    })
}

/// (translation, original) for every translation whose original changed since.
fn stale_pages<'a>(
    _root: &Path,
    content: &'a Content,
    config: &Config,
) -> Vec<(&'a Page, &'a Page)> {
    content
        .pages
        .iter()
        .filter(|p| p.lang != config.default_language() && !p.fallback)
        .filter_map(|p| {
            let from = p.front.translated_from.as_ref()?;
            let original = content.get(&p.key, config.default_language())?;
            (blob_hash(&original.source.text) != *from.get_ref()).then_some((p, original))
        })
        .collect()
}

/// The original's changes since the translation was made: `git cat-file` finds the old
/// version by its blob hash (if it was ever committed).
fn original_diff(root: &Path, translation: &Page, original: &Page) -> Option<String> {
    let hash = translation.front.translated_from.as_ref()?.get_ref();
    let out = std::process::Command::new("git")
        .args(["cat-file", "-p", hash])
        .current_dir(root)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let old = String::from_utf8(out.stdout).ok()?;
    let diff = similar::TextDiff::from_lines(old.as_str(), &*original.source.text);
    Some(
        diff.unified_diff()
            .context_radius(2)
            .header("translated from", "now")
            .to_string(),
    )
}

impl Report {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty()
    }

    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for (lang, have, want) in &self.pages {
            let strings = self
                .strings
                .iter()
                .find(|(l, _, _)| l == lang)
                .map(|(_, h, w)| format!(", {h} of {w} UI strings"))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}: {have} of {want} pages{strings}\n",
                lang.endonym
            ));
        }
        if self.is_complete() {
            out.push_str("Every page, UI string and data text is translated, and no translation is out of date.\n");
            return out;
        }
        for d in &self.missing {
            out.push('\n');
            out.push_str(&d.render(color));
        }
        for s in &self.stale {
            out.push_str(&format!(
                "\n{}: stale: {} changed after it was translated\n",
                s.translation.display(),
                s.original.display()
            ));
            match &s.diff {
                Some(d) => out.push_str(d),
                None => out.push_str("  (the version it was translated from is not in git, so the changes cannot be shown)\n"),
            }
        }
        out
    }
}

/// Record in each translation which version of its original it translates.
pub fn mark(root: &Path, files: &[PathBuf], all: bool) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let loaded = load(root)?;
    let default = loaded.config.default_language();
    let mut marked = Vec::new();
    let mut errors = Vec::new();
    let wanted: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf())
        .collect();
    for page in &loaded.content.pages {
        if page.lang == default || page.fallback {
            continue;
        }
        if !all && !wanted.contains(&page.source.path) {
            continue;
        }
        let Some(original) = loaded.content.get(&page.key, default) else {
            continue;
        };
        let hash = blob_hash(&original.source.text);
        if page
            .front
            .translated_from
            .as_ref()
            .is_some_and(|t| *t.get_ref() == hash)
        {
            continue;
        }
        match set_front_matter(&root.join(&page.source.path), &[("translated_from", &hash)]) {
            Ok(()) => marked.push(page.source.path.clone()),
            Err(e) => errors.push(e),
        }
    }
    for w in &wanted {
        if !loaded
            .content
            .pages
            .iter()
            .any(|p| p.source.path == *w && p.lang != default)
        {
            errors.push(
                Diagnostic::error(format!("{} is not a translation of this site", w.display()))
                    .hint("name a translated page, such as content/about.cy.md"),
            );
        }
    }
    if errors.is_empty() {
        Ok(marked)
    } else {
        Err(errors)
    }
}

/// Set front-matter fields of a page file in place, keeping everything else as written.
fn set_front_matter(path: &Path, fields: &[(&str, &str)]) -> Result<(), Diagnostic> {
    let fail = |e: String| Diagnostic::error(format!("cannot update {}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let source = crate::diagnostics::SourceFile::new(path, text.as_str());
    let split = front_matter::split(&source).map_err(|d| fail(d.message))?;
    let mut doc: toml_edit::DocumentMut = text[split.front.clone()]
        .parse()
        .map_err(|e: toml_edit::TomlError| fail(e.to_string()))?;
    for (key, value) in fields {
        doc[key] = toml_edit::value(*value);
    }
    let mut front = doc.to_string();
    if !front.ends_with('\n') {
        front.push('\n');
    }
    let updated = format!(
        "{}{front}{}",
        &text[..split.front.start],
        &text[split.front.end..]
    );
    std::fs::write(path, updated).map_err(|e| fail(e.to_string()))
}

/// Missing and stale pages and UI strings, as rows for translators.
pub fn export(root: &Path) -> Result<Vec<[String; 5]>, Vec<Diagnostic>> {
    let loaded = load(root)?;
    let config = &loaded.config;
    let default = config.default_language();
    let mut rows = Vec::new();
    let body = |p: &Page| p.source.text[p.body.clone()].to_string();
    for original in loaded.content.pages.iter().filter(|p| p.lang == default) {
        for &lang in config.languages.iter().filter(|&&l| l != default) {
            let twin = loaded
                .content
                .get(&original.key, lang)
                .filter(|t| !t.fallback);
            let (file, state, current) = match twin {
                None => (twin_path(&original.source.path, lang), "missing", None),
                Some(t)
                    if stale_pages(root, &loaded.content, config)
                        .iter()
                        .any(|(s, _)| s.source.path == t.source.path) =>
                {
                    (t.source.path.clone(), "stale", Some(t))
                }
                Some(_) => continue,
            };
            let file = file.display().to_string();
            let current_title = current.map(|t| t.front.title.clone()).unwrap_or_default();
            let current_desc = current
                .and_then(|t| t.front.description.clone())
                .unwrap_or_default();
            let current_body = current.map(body).unwrap_or_default();
            rows.push([
                file.clone(),
                "title".into(),
                state.into(),
                original.front.title.clone(),
                current_title,
            ]);
            if let Some(d) = &original.front.description {
                rows.push([
                    file.clone(),
                    "description".into(),
                    state.into(),
                    d.clone(),
                    current_desc,
                ]);
            }
            rows.push([
                file,
                "body".into(),
                state.into(),
                body(original),
                current_body,
            ]);
        }
    }
    if let Some(t) = &loaded.theme
        && t.shown_as.starts_with("themes/")
        && !t.shown_as.ends_with("(built in)")
    {
        for &lang in config.languages.iter().filter(|&&l| l != default) {
            let have: Vec<&str> = t.strings.keys(lang).collect();
            for key in t.strings.keys(default) {
                if !have.contains(&key) {
                    rows.push([
                        format!("{}/i18n/{}.toml", t.shown_as, lang.code),
                        key.to_string(),
                        "missing".into(),
                        t.strings.get(default, key).unwrap_or_default().to_string(),
                        String::new(),
                    ]);
                }
            }
        }
    }
    Ok(rows)
}

/// `content/a/b.md` → `content/a/b.cy.md`.
fn twin_path(original: &Path, lang: Lang) -> PathBuf {
    original.with_extension(format!("{}.md", lang.code))
}

pub fn write_csv(rows: &[[String; 5]], out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.flush()
}

#[derive(Debug, Default, PartialEq)]
pub struct Imported {
    pub pages_created: usize,
    pub pages_updated: usize,
    pub strings_added: usize,
    /// Rows left for later: no translation yet.
    pub skipped: usize,
}

/// Write translations back: new pages get the original's front matter with the translated
/// title and description and a `translated_from` mark; existing ones get only the translated
/// fields changed; UI strings are added to the language's strings file.
pub fn import(root: &Path, csv_path: &Path) -> Result<Imported, Vec<Diagnostic>> {
    let loaded = load(root)?;
    let default = loaded.config.default_language();
    let mut reader = csv::Reader::from_path(csv_path).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot read {}: {e}",
            csv_path.display()
        ))]
    })?;
    let headers = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect::<Vec<_>>())
        .unwrap_or_default();
    if headers != CSV_COLUMNS {
        return Err(vec![Diagnostic::error(format!(
            "{} does not have the columns {}",
            csv_path.display(),
            CSV_COLUMNS.join(",")
        ))
        .hint("import the file `tryloyw translations export` wrote, with the translation column filled in")]);
    }
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut result = Imported::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            vec![Diagnostic::error(format!(
                "{}: row {}: {e}",
                csv_path.display(),
                i + 2
            ))]
        })?;
        let (file, field, translation) = (&record[0], &record[1], &record[4]);
        if translation.trim().is_empty() {
            result.skipped += 1;
            continue;
        }
        let rel = Path::new(file);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(vec![Diagnostic::error(format!(
                "row {}: `{file}` is not a path inside the site",
                i + 2
            ))]);
        }
        by_file
            .entry(file.to_string())
            .or_default()
            .push((field.to_string(), translation.to_string()));
    }
    let mut errors = Vec::new();
    for (file, fields) in by_file {
        let path = root.join(&file);
        let result_of = if file.ends_with(".toml") {
            add_strings(&path, &fields).map(|n| result.strings_added += n)
        } else if path.exists() {
            update_page(&path, &fields).map(|()| result.pages_updated += 1)
        } else {
            create_page(root, &loaded.content, default, &file, &fields)
                .map(|()| result.pages_created += 1)
        };
        if let Err(e) = result_of {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(result)
    } else {
        Err(errors)
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(f, _)| f == name)
        .map(|(_, t)| t.as_str())
}

fn original_of<'a>(content: &'a Content, default: Lang, file: &str) -> Option<&'a Page> {
    let lang = crate::locale::by_code(lang_of(file)?)?;
    content
        .pages
        .iter()
        .filter(|p| p.lang == default)
        .find(|p| twin_path(&p.source.path, lang).display().to_string() == file)
}

/// `content/a.cy.md` → `cy`.
fn lang_of(file: &str) -> Option<&str> {
    file.strip_suffix(".md")?
        .rsplit_once('.')
        .map(|(_, code)| code)
}

fn create_page(
    root: &Path,
    content: &Content,
    default: Lang,
    file: &str,
    fields: &[(String, String)],
) -> Result<(), Diagnostic> {
    let fail = |m: String| Diagnostic::error(format!("cannot create {file}: {m}"));
    let original = original_of(content, default, file)
        .ok_or_else(|| fail("no original page for it".into()))?;
    let split = front_matter::split(&original.source).map_err(|d| fail(d.message))?;
    let mut doc: toml_edit::DocumentMut = original.source.text[split.front.clone()]
        .parse()
        .map_err(|e: toml_edit::TomlError| fail(e.to_string()))?;
    doc.remove("slug");
    doc.remove("translated_from");
    if let Some(t) = field(fields, "title") {
        doc["title"] = toml_edit::value(t);
    }
    if let Some(d) = field(fields, "description") {
        doc["description"] = toml_edit::value(d);
    }
    doc["translated_from"] = toml_edit::value(blob_hash(&original.source.text));
    let body = field(fields, "body").unwrap_or_default();
    let mut front = doc.to_string();
    if !front.ends_with('\n') {
        front.push('\n');
    }
    let text = format!("+++\n{front}+++\n{body}");
    std::fs::write(root.join(file), text).map_err(|e| fail(e.to_string()))
}

fn update_page(path: &Path, fields: &[(String, String)]) -> Result<(), Diagnostic> {
    let mut updates: Vec<(&str, &str)> = Vec::new();
    for name in ["title", "description"] {
        if let Some(v) = field(fields, name) {
            updates.push((name, v));
        }
    }
    set_front_matter(path, &updates)?;
    if let Some(body) = field(fields, "body") {
        let fail = |e: String| Diagnostic::error(format!("cannot update {}: {e}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let source = crate::diagnostics::SourceFile::new(path, text.as_str());
        let split = front_matter::split(&source).map_err(|d| fail(d.message))?;
        std::fs::write(path, format!("{}{body}", &text[..split.body.start]))
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(())
}

/// Add dotted keys (`footer.copyright`) to a strings file, as nested tables.
fn add_strings(path: &Path, fields: &[(String, String)]) -> Result<usize, Diagnostic> {
    let fail = |e: String| Diagnostic::error(format!("cannot update {}: {e}", path.display()));
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| fail(e.to_string()))?;
    let mut added = 0;
    for (key, value) in fields {
        let parts: Vec<&str> = key.split('.').collect();
        let (last, tables) = parts.split_last().ok_or_else(|| fail("empty key".into()))?;
        let mut table = doc.as_table_mut();
        for t in tables {
            let entry = table.entry(t).or_insert(toml_edit::table());
            table = entry
                .as_table_mut()
                .ok_or_else(|| fail(format!("`{t}` is not a table")))?;
        }
        table[last] = toml_edit::value(value.as_str());
        added += 1;
    }
    std::fs::write(path, doc.to_string()).map_err(|e| fail(e.to_string()))?;
    Ok(added)
}
