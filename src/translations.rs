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
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
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
/// What `mark` changed: the translations marked, and where the files were backed up first.
#[derive(Debug, Default, PartialEq)]
pub struct Marked {
    pub files: Vec<PathBuf>,
    pub backup: Option<Backups>,
}

pub fn mark(root: &Path, files: &[PathBuf], all: bool) -> Result<Marked, Vec<Diagnostic>> {
    let loaded = load(root)?;
    let default = loaded.config.default_language();
    let mut errors = Vec::new();
    let wanted: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf())
        .collect();
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
    let site = site_folder(root).map_err(|d| vec![d])?;
    let mut plan = Vec::new();
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
        let file = page.source.path.display().to_string();
        match writable(&site, root, &file) {
            Ok(path) => plan.push((page.source.path.clone(), file, path, hash)),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut backups = Backup::new(root, &site);
    for (_, file, path, _) in &plan {
        backups.save(file, path).map_err(|d| vec![d])?;
    }
    let mut marked = Vec::new();
    for (shown, _, path, hash) in plan {
        match set_front_matter(&path, &[("translated_from", &hash)]) {
            Ok(()) => marked.push(shown),
            Err(e) => errors.push(e),
        }
    }
    if let Some(note) = backups.note_on_failure(&errors) {
        errors.push(note);
    }
    if errors.is_empty() {
        Ok(Marked {
            files: marked,
            backup: backups.done(),
        })
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
    // `split` is of this same text, so its ranges are char boundaries within it.
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
    // A page's body range is within its source text (see `Page::body`).
    let body = |p: &Page| p.source.text[p.body.clone()].to_string();
    // Found once: finding them hashes every translation's original.
    let stale: std::collections::HashSet<PathBuf> = stale_pages(root, &loaded.content, config)
        .into_iter()
        .map(|(page, _)| page.source.path.clone())
        .collect();
    for original in loaded.content.pages.iter().filter(|p| p.lang == default) {
        for &lang in config.languages.iter().filter(|&&l| l != default) {
            let twin = loaded
                .content
                .get(&original.key, lang)
                .filter(|t| !t.fallback);
            let (file, state, current) = match twin {
                None => (twin_path(&original.source.path, lang), "missing", None),
                Some(t) if stale.contains(&t.source.path) => {
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
    if let Some(t) = own_theme(&loaded.theme) {
        for &lang in config.languages.iter().filter(|&&l| l != default) {
            let have: Vec<&str> = t.strings.keys(lang).collect();
            for key in t.strings.keys(default) {
                if !have.contains(&key) {
                    rows.push([
                        strings_file(t, lang),
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
    /// Where the files it replaced were copied first, relative to the site root.
    pub backup: Option<Backups>,
}

/// Write translations back: new pages get the original's front matter with the translated
/// title and description and a `translated_from` mark; existing ones get only the translated
/// fields changed; UI strings are added to the language's strings file. Only the files
/// `export` can list are written, each replaced file is backed up first, and a CSV file with
/// any row that names another file or field writes nothing.
pub fn import(root: &Path, csv_path: &Path) -> Result<Imported, Vec<Diagnostic>> {
    let loaded = load(root)?;
    let targets = targets(&loaded);
    let text = std::fs::read_to_string(csv_path).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot read {}: {e}",
            csv_path.display()
        ))]
    })?;
    let csv = SourceFile::new(csv_path, text.as_str());
    let mut result = Imported::default();
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in read_rows(&csv, &targets)? {
        if row.translation.trim().is_empty() {
            result.skipped += 1;
        } else {
            by_file
                .entry(row.file)
                .or_default()
                .push((row.field, row.translation));
        }
    }
    let site = site_folder(root).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let mut plan = Vec::new();
    for (file, fields) in by_file {
        match writable(&site, root, &file) {
            Ok(path) => plan.push((file, path, fields)),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut backups = Backup::new(root, &site);
    for (file, path, _) in &plan {
        if path.exists() {
            backups.save(file, path).map_err(|d| vec![d])?;
        }
    }
    for (file, path, fields) in &plan {
        let written = match targets.get(file.as_str()) {
            Some(Target::Strings { .. }) => {
                add_strings(path, fields).map(|n| result.strings_added += n)
            }
            Some(Target::Page { .. }) if path.exists() => {
                update_page(path, fields).map(|()| result.pages_updated += 1)
            }
            Some(Target::Page { original }) => {
                create_page(path, file, original, fields).map(|()| result.pages_created += 1)
            }
            // Every file in the plan was checked against the targets.
            None => Ok(()),
        };
        if let Err(e) = written {
            errors.push(e);
        }
    }
    if let Some(note) = backups.note_on_failure(&errors) {
        errors.push(note);
    }
    result.backup = backups.done();
    if errors.is_empty() {
        Ok(result)
    } else {
        Err(errors)
    }
}

/// Where `import` (and `mark`) may write: the files `export` can list, by their path as
/// written in the CSV file, and the fields each may be given.
enum Target<'a> {
    /// The translation of a content page: `content/a.cy.md` of `content/a.md`.
    Page { original: &'a Page },
    /// A UI strings file of the site's own theme (`themes/<name>/i18n/cy.toml`): the keys the
    /// default language has.
    Strings { keys: Vec<&'a str> },
}

const PAGE_FIELDS: [&str; 3] = ["title", "description", "body"];

impl Target<'_> {
    fn has_field(&self, field: &str) -> bool {
        match self {
            Target::Page { .. } => PAGE_FIELDS.contains(&field),
            Target::Strings { keys } => keys.contains(&field),
        }
    }
}

/// Every file `export` may list, whether or not it lists it now: a file imported once may be
/// imported again.
fn targets(loaded: &Loaded) -> BTreeMap<String, Target<'_>> {
    let default = loaded.config.default_language();
    let others: Vec<Lang> = loaded
        .config
        .languages
        .iter()
        .copied()
        .filter(|&l| l != default)
        .collect();
    let mut targets = BTreeMap::new();
    for original in loaded.content.pages.iter().filter(|p| p.lang == default) {
        for &lang in &others {
            let file = twin_path(&original.source.path, lang);
            targets.insert(file.display().to_string(), Target::Page { original });
        }
    }
    if let Some(t) = own_theme(&loaded.theme) {
        for &lang in &others {
            targets.insert(
                strings_file(t, lang),
                Target::Strings {
                    keys: t.strings.keys(default).collect(),
                },
            );
        }
    }
    targets
}

/// The site's own theme, when it is on disk: the built-in one cannot be written to.
fn own_theme(theme: &Option<theme::ThemeSources>) -> Option<&theme::ThemeSources> {
    theme
        .as_ref()
        .filter(|t| t.shown_as.starts_with("themes/") && !t.shown_as.ends_with("(built in)"))
}

/// `themes/t/i18n/cy.toml`: where `import` adds a language's missing UI strings.
fn strings_file(theme: &theme::ThemeSources, lang: Lang) -> String {
    format!("{}/i18n/{}.toml", theme.shown_as, lang.code)
}

/// One row of the CSV file that names a file and field `import` may write.
struct Row {
    file: String,
    field: String,
    translation: String,
}

/// The rows of the CSV file, or an error at each row that names anything else.
fn read_rows(
    csv: &SourceFile,
    targets: &BTreeMap<String, Target>,
) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let shown = csv.path.display().to_string();
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    if headers != CSV_COLUMNS {
        return Err(vec![Diagnostic::error(format!(
            "{shown} does not have the columns {}",
            CSV_COLUMNS.join(",")
        ))
        .at(csv, 0..csv.text.find('\n').unwrap_or(csv.text.len()))
        .hint("import the file `tryloyw translations export` wrote, with the translation column filled in")]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                errors.push(
                    Diagnostic::error(format!("{shown}: {e}"))
                        .at(csv, at..at)
                        .hint("each row has five cells: file,field,state,source,translation"),
                );
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let cell = |i: usize| record.get(i).unwrap_or_default().to_string();
        let (file, field) = (cell(0), cell(1));
        let file_span = start..cell_end(&csv.text, start);
        let field_start = (file_span.end + 1).min(csv.text.len());
        let field_span = field_start..cell_end(&csv.text, field_start);
        let line = csv.line_col(start).0;
        match targets.get(&file) {
            None => errors.push(
                Diagnostic::error(format!(
                    "`{}` is not a file `tryloyw translations export` lists",
                    crate::content::paths::shown(&file)
                ))
                .at(csv, file_span)
                .label("import writes only translations")
                .hint("import writes the translations of content pages (such as content/about.cy.md) and the theme's UI strings files (such as themes/<name>/i18n/cy.toml): remove this row"),
            ),
            Some(target) if !target.has_field(&field) => errors.push(
                Diagnostic::error(format!(
                    "`{}` is not a field `tryloyw translations export` lists for {file}",
                    crate::content::paths::shown(&field)
                ))
                .at(csv, field_span)
                .hint(match target {
                    Target::Page { .. } => "a page's rows are its `title`, `description` and `body`: remove this row",
                    Target::Strings { .. } => "a strings file's rows name UI strings the default language has: remove this row",
                }),
            ),
            Some(_) => match seen.insert((file.clone(), field.clone()), line) {
                Some(first) => errors.push(
                    Diagnostic::error(format!("`{field}` of {file} is given twice"))
                        .at(csv, field_span)
                        .hint(format!("it is already given on line {first}: keep one of the two rows")),
                ),
                None => rows.push(Row {
                    file,
                    field,
                    translation: cell(4),
                }),
            },
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The end of the CSV cell starting at byte `start`: after its closing quote if quoted, else
/// at the next comma or line end.
fn cell_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or_default();
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().is_some_and(|&(_, n)| n == '"') {
                    chars.next();
                } else {
                    return start + 1 + i + 1;
                }
            }
        }
        return text.len();
    }
    start + rest.find([',', '\n', '\r']).unwrap_or(rest.len())
}

/// The site folder, resolved through any links: what everything written must be inside.
fn site_folder(root: &Path) -> Result<PathBuf, Diagnostic> {
    root.canonicalize().map_err(|e| {
        Diagnostic::error(format!(
            "cannot read the site folder {}: {e}",
            root.display()
        ))
    })
}

/// Where to write `file` (a path relative to the site root), if writing there stays inside
/// the site folder: the file, or the nearest folder above it that exists, is resolved through
/// every link.
fn writable(site: &Path, root: &Path, file: &str) -> Result<PathBuf, Diagnostic> {
    let path = root.join(file);
    let mut existing = path.as_path();
    while std::fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => break,
        }
    }
    match existing.canonicalize() {
        Ok(real) if real.starts_with(site) => Ok(path),
        Ok(real) => Err(Diagnostic::error(format!(
            "{file} leads outside the site folder, to {}",
            real.display()
        ))
        .hint(
            "tryloyw writes nothing outside the site folder: replace the link with the file itself",
        )),
        Err(e) => Err(Diagnostic::error(format!("cannot write {file}: {e}"))
            .hint("a link that leads nowhere cannot be written through: remove it")),
    }
}

/// Copies of the files a command replaces, in `.tryloyw/backups/<UTC time>/<path>`, made
/// before the first is changed.
#[derive(Debug, PartialEq)]
pub struct Backups {
    /// The dated folder, relative to the site root.
    pub folder: PathBuf,
    pub files: usize,
}

struct Backup<'a> {
    root: &'a Path,
    site: &'a Path,
    made: Option<Backups>,
}

pub const BACKUPS: &str = ".tryloyw/backups";

impl<'a> Backup<'a> {
    fn new(root: &'a Path, site: &'a Path) -> Self {
        Backup {
            root,
            site,
            made: None,
        }
    }

    /// Copy `path` (shown as `file`, relative to the site root) into the backup folder.
    fn save(&mut self, file: &str, path: &Path) -> Result<(), Diagnostic> {
        let fail = |e: String| {
            Diagnostic::error(format!("cannot back up {file}: {e}"))
                .hint("nothing was changed; check that the site folder can be written to")
        };
        if self.made.is_none() {
            self.made = Some(Backups {
                folder: new_backup_folder(self.root, self.site).map_err(fail)?,
                files: 0,
            });
        }
        let Some(made) = self.made.as_mut() else {
            return Ok(());
        };
        let dest = self.root.join(&made.folder).join(file);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
        }
        std::fs::copy(path, &dest).map_err(|e| fail(e.to_string()))?;
        made.files += 1;
        Ok(())
    }

    /// A note for the errors of a command that failed part-way: where the copies are.
    fn note_on_failure(&self, errors: &[Diagnostic]) -> Option<Diagnostic> {
        let made = self.made.as_ref().filter(|_| !errors.is_empty())?;
        Some(Diagnostic::warning(format!(
            "the files it replaced are backed up in {}",
            made.folder.display()
        )))
    }

    fn done(self) -> Option<Backups> {
        self.made
    }
}

/// `.tryloyw/backups/20260122T140512Z` (with `-2`, `-3`… when two commands run in one second),
/// created, and inside the site folder even through links.
fn new_backup_folder(root: &Path, site: &Path) -> Result<PathBuf, String> {
    let base = root.join(BACKUPS);
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    let real = base.canonicalize().map_err(|e| e.to_string())?;
    if !real.starts_with(site) {
        return Err(format!(
            "{BACKUPS} leads outside the site folder, to {}",
            real.display()
        ));
    }
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    for n in 1..1000 {
        let name = if n == 1 {
            stamp.clone()
        } else {
            format!("{stamp}-{n}")
        };
        match std::fs::create_dir(base.join(&name)) {
            Ok(()) => return Ok(Path::new(BACKUPS).join(name)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!(
        "{BACKUPS} already has a folder for every run this second"
    ))
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(f, _)| f == name)
        .map(|(_, t)| t.as_str())
}

fn create_page(
    path: &Path,
    file: &str,
    original: &Page,
    fields: &[(String, String)],
) -> Result<(), Diagnostic> {
    let fail = |m: String| Diagnostic::error(format!("cannot create {file}: {m}"));
    let split = front_matter::split(&original.source).map_err(|d| fail(d.message))?;
    // `split` is of this same text, so its ranges are char boundaries within it.
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
    std::fs::write(path, text).map_err(|e| fail(e.to_string()))
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
        // `split` is of this same text: `body.start` is a char boundary within it.
        std::fs::write(path, format!("{}{body}", &text[..split.body.start]))
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(())
}

/// Add dotted keys (`footer.copyright`) to a strings file, as nested tables.
fn add_strings(path: &Path, fields: &[(String, String)]) -> Result<usize, Diagnostic> {
    let fail = |e: String| Diagnostic::error(format!("cannot update {}: {e}", path.display()));
    // A language's first strings file is created; any other failure to read it stops here,
    // before its strings could be lost.
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(fail(e.to_string())),
    };
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
