//! Structured publications rendered from `data/`. A content section opts in with
//! `publication = "organisations"` in its front matter: the section page gets the
//! publication's view model as `data`, and the publication adds its own pages below it (one per
//! organisation, per DPIA year, …), which join the page tree like any other page, so
//! breadcrumbs, the language switch and the sitemap work for them too.
//!
//! Each publication module keeps its schema, validation, view models and datasets together.

pub mod catalogue_page;
pub mod registry;

/// Declares the publication modules and the one list of their types.
macro_rules! publications {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every publication type, those that define ids first (see [`registry`]).
        pub const PUBLICATIONS: &[registry::PublicationKind] = &[$($module::KIND),*];
    };
}

// The one table of publication types: a line per module of this folder with a `KIND`.
publications![
    reasons,
    regulators,
    organisations,
    usage,
    quality,
    dpia,
    faq,
    inspections,
    calendar,
    actions,
    glossary,
];

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::content::{Content, FrontMatter, Page, PageId};
use crate::data::{IdSet, Loader, Text};
use crate::datasets::catalogue::Catalogue;
use crate::datasets::{Dataset, Download};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::locale::Lang;
use crate::theme::Strings;

/// Everything loaded from `data/`.
pub struct Data {
    pub catalogue: Catalogue,
    /// Each publication whose files are present, by name, in the order of [`PUBLICATIONS`].
    pub loaded: Vec<(&'static str, Box<dyn Publication>)>,
    /// The date "late" and "overdue" are judged against.
    pub today: jiff::civil::Date,
    /// The site's languages, for per-language dataset columns.
    pub languages: Vec<Lang>,
    /// The files and folders under `data/` each publication read while loading (`datasets`
    /// for the catalogue), relative to `data/`: which to load again when a file changes.
    pub reads: BTreeMap<&'static str, Vec<String>>,
    /// The ids publications define, which others refer to: kept so that one of the others
    /// can load again alone.
    pub ids: Ids,
}

impl Data {
    /// A loaded publication by its type: `data.get::<organisations::Organisations>()`.
    /// A loaded publication by its name (`faq`, `statistics`), with the name as
    /// [`PUBLICATIONS`] spells it.
    pub fn named(&self, name: &str) -> Option<(&'static str, &dyn Publication)> {
        self.loaded
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, p)| (*n, p.as_ref()))
    }

    pub fn get<T: Publication>(&self) -> Option<&T> {
        self.loaded.iter().find_map(|(_, p)| {
            let any: &dyn std::any::Any = p.as_ref();
            any.downcast_ref::<T>()
        })
    }
}

/// Ids other files refer to.
pub struct Ids {
    pub reasons: IdSet,
    pub bodies: IdSet,
    pub organisations: IdSet,
}

impl Ids {
    /// An organisation or a body: owners of recommendations and actions can be either.
    pub fn owner_missing(&self, id: &str) -> Option<String> {
        if self.organisations.contains(id) || self.bodies.contains(id) {
            return None;
        }
        let hint = match did_you_mean(id, self.organisations.iter().chain(self.bodies.iter())) {
            Some(s) => format!(" (did you mean `{s}`?)"),
            None => String::new(),
        };
        Some(format!("no organisation or body with id `{id}`{hint}"))
    }
}

pub fn load(root: &Path, config: &Config, today: jiff::civil::Date) -> (Data, Diagnostics) {
    use rayon::prelude::*;
    use registry::Load;
    let loader = Loader { root, config };
    let mut diags = Diagnostics::new();
    let mut reads = BTreeMap::new();
    let ((catalogue, ds), files) = files_read(|| Catalogue::load(&loader));
    reads.insert("datasets", files);
    diags.extend(ds);
    let mut ids = Ids {
        reasons: IdSet::new("reason"),
        bodies: IdSet::new("body"),
        organisations: IdSet::new("organisation"),
    };
    // Publications that define ids first, in order; then the rest at once (the large usage
    // files stream while the small files are read). Each records the files it read.
    let mut loaded = Vec::new();
    for kind in PUBLICATIONS {
        if let Load::Provides(load) = kind.load {
            let ((publication, ds), files) = files_read(|| load(&loader, &mut ids));
            diags.extend(ds);
            reads.insert(kind.name, files);
            loaded.extend(publication.map(|p| (kind.name, p)));
        }
    }
    let rest: Vec<_> = PUBLICATIONS
        .par_iter()
        .filter_map(|kind| match kind.load {
            Load::Uses(load) => Some((kind.name, files_read(|| load(&loader, &ids)))),
            Load::Provides(_) => None,
        })
        .collect();
    for (name, ((publication, ds), files)) in rest {
        diags.extend(ds);
        reads.insert(name, files);
        loaded.extend(publication.map(|p| (name, p)));
    }
    let data = Data {
        catalogue,
        loaded,
        ids,
        today,
        languages: config.languages.clone(),
        reads,
    };
    (data, diags)
}

/// Load again, into `data`, each publication that read one of `changed` (paths relative to
/// `data/`), keeping the others: the names loaded again and their problems. `None` when the
/// change needs all of `data/` loaded again: a file no publication read (one just added), the
/// catalogue, or a file of a publication whose ids others refer to.
pub fn reload(
    root: &Path,
    config: &Config,
    data: &mut Data,
    changed: &[String],
) -> Option<(Vec<&'static str>, Diagnostics)> {
    use registry::Load;
    let mut names: Vec<&'static str> = Vec::new();
    for path in changed {
        let readers = data.reads.iter().filter(|(_, files)| {
            files
                .iter()
                .any(|f| Path::new(path).starts_with(f) || Path::new(f).starts_with(path))
        });
        let before = names.len();
        names.extend(readers.map(|(name, _)| *name));
        if names.len() == before {
            return None;
        }
    }
    names.sort_unstable();
    names.dedup();
    let kinds: Vec<_> = names
        .iter()
        .map(|n| PUBLICATIONS.iter().find(|k| k.name == *n))
        .collect::<Option<_>>()?;
    let loader = Loader { root, config };
    let mut diags = Diagnostics::new();
    for kind in kinds {
        // Only a publication that uses others' ids loads alone; the ids did not change.
        let Load::Uses(load) = kind.load else {
            return None;
        };
        let ((publication, ds), files) = files_read(|| load(&loader, &data.ids));
        data.loaded.retain(|(name, _)| *name != kind.name);
        data.loaded.extend(publication.map(|p| (kind.name, p)));
        data.reads.insert(kind.name, files);
        diags.extend(ds);
    }
    data.loaded
        .sort_by_key(|(name, _)| PUBLICATIONS.iter().position(|k| k.name == *name));
    Some((names, diags))
}

/// Run `f`, a publication's load, and list the files under `data/` it read.
fn files_read<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let (value, reads) = crate::deps::recording(f);
    let files = reads
        .into_iter()
        .filter_map(|r| match r {
            crate::deps::Read::DataFile(f) => Some(f),
            _ => None,
        })
        .collect();
    (value, files)
}

/// A page a publication adds below its section, in one language.
pub struct Item {
    /// Language-neutral: the same for the page's twins (`metropolitan-police`, `2021`).
    pub id: String,
    /// URL segment(s) below the section in this language: `2021`, `jurisdiction/scotland`.
    pub segment: String,
    pub title: String,
    pub description: Option<String>,
    pub template: &'static str,
    /// A document in its own right, with a print edition and PDF: the template that renders
    /// its text without the page around it (the page's own template includes it too).
    pub print: Option<&'static str>,
}

/// What a publication can do; implemented by each module's view type.
pub trait Publication: std::any::Any + Send + Sync {
    /// The data file(s) it comes from, for messages.
    fn source(&self) -> &SourceFile;
    /// Template for the section page.
    fn index_template(&self) -> &'static str;
    /// The template of the hosting page's text in a print edition, when the page shows more
    /// than its Markdown (the questions of the FAQ): it gets the page's context, its Markdown
    /// as `content` and the publication's view as `data`. Without one, a print edition has
    /// only the page's Markdown.
    fn index_print(&self) -> Option<&'static str> {
        None
    }
    /// Pages below the section, in `lang`; most publications have none.
    fn items(&self, _view: &View, _lang: Lang) -> Vec<Item> {
        Vec::new()
    }
    /// The section page's `data`.
    fn index(&self, view: &View, lang: Lang) -> tera::Value;
    /// An item page's `data`.
    fn item(&self, _view: &View, _lang: Lang, _id: &str) -> tera::Value {
        tera::Value::none()
    }
    /// The datasets behind its pages, their columns described in `words`.
    fn datasets(
        &self,
        data: &Data,
        words: crate::datasets::columns::Words,
    ) -> Vec<Result<Dataset, Diagnostic>>;
}

/// How a data file may write a text value: as it reads (a TOML `"""` or `'''` string, a CSV
/// cell), as a TOML `"…"` string with escapes, or as a quoted CSV cell.
const WRITTEN_AS: [fn(char) -> Option<&'static str>; 3] = [
    |_| None,
    |c| match c {
        '\\' => Some("\\\\"),
        '"' => Some("\\\""),
        '\n' => Some("\\n"),
        '\t' => Some("\\t"),
        '\r' => Some("\\r"),
        _ => None,
    },
    |c| (c == '"').then_some("\"\""),
];

/// `body` as `written` writes it, and for each byte of `body` (and its end) the offset of the
/// same place in what is written.
fn write_out(body: &str, written: fn(char) -> Option<&'static str>) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(body.len());
    let mut map = Vec::with_capacity(body.len() + 1);
    for c in body.chars() {
        map.extend(std::iter::repeat_n(out.len(), c.len_utf8()));
        match written(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    map.push(out.len());
    (out, map)
}

/// Moves problems found in a text value's Markdown (spans in the value) to where the value is
/// in its data file, so they show the file's line and column. The value is looked for as each
/// way of writing it would put it; one that occurs once places every span exactly. A value
/// found no way (written with `\u` escapes, or the same text twice) puts its problems at the
/// start of the line its first line is on, or at the file when even that is not found.
fn place(problems: &mut [Diagnostic], source: &SourceFile, body: &str) {
    if problems.is_empty() {
        return;
    }
    let text = &source.text;
    let exact = WRITTEN_AS.iter().find_map(|&written| {
        let (out, map) = write_out(body, written);
        let mut found = text.match_indices(out.as_str()).map(|(i, _)| i);
        match (out.is_empty(), found.next(), found.next()) {
            (false, Some(start), None) => Some((start, map)),
            _ => None,
        }
    });
    let first = body.lines().next().unwrap_or("");
    let fallback = (!first.is_empty())
        .then(|| text.find(first))
        .flatten()
        .map(|at| {
            // `at` is where `first` begins, so a char boundary; `\n` is one byte.
            text[..at].rfind('\n').map_or(0, |i| i + 1)
        });
    for d in problems {
        let span = d.span.start.min(body.len())..d.span.end.min(body.len());
        d.span = match (&exact, fallback) {
            (Some((start, map)), _) => start + map[span.start]..start + map[span.end],
            (None, Some(line)) => line..line,
            (None, None) => 0..0,
        };
        d.source = Some(source.clone());
    }
}

/// What view models can use: the data, strings, links to every publication's pages, dataset
/// downloads, the language.
pub struct View<'a> {
    pub config: &'a Config,
    pub data: &'a Data,
    pub strings: &'a Strings,
    pub links: &'a Links,
    pub downloads: &'a BTreeMap<&'static str, Vec<Download>>,
    pub illustrative: &'a BTreeMap<&'static str, bool>,
    /// URL path of each content page by (key, language).
    pub pages: &'a HashMap<(String, &'static str), String>,
    /// Problems found while rendering Markdown from data (broken `@/` links).
    pub problems: std::sync::Mutex<Vec<Diagnostic>>,
}

impl View<'_> {
    /// Markdown from a data file, as HTML in `lang`; `@/` links resolve like in pages.
    pub fn markdown(&self, text: &Text, lang: Lang, source: &SourceFile) -> String {
        let body = text.get(lang);
        let window = SourceFile::new(&source.path, body);
        let resolve = |key: &str| self.pages.get(&(key.to_string(), lang.code)).cloned();
        let (note, warning, table) = (
            self.t(lang, "callout.information"),
            self.t(lang, "callout.warning"),
            self.t(lang, "table"),
        );
        let shortcode = |code: &crate::markdown::shortcodes::Shortcode| {
            Err(crate::markdown::ShortcodeError {
                message: format!("shortcode `{}` cannot be used in data files", code.name),
                span: code.span.clone(),
                hint: Some("put it in a Markdown page instead".into()),
            })
        };
        let env = crate::markdown::Env {
            resolve: &resolve,
            note_title: &note,
            warning_title: &warning,
            table_label: &table,
            shortcode: &shortcode,
            raw_html: self.config.raw_html,
        };
        let (rendered, mut diags) = crate::markdown::render(&window, 0..body.len(), &env);
        place(&mut diags, source, body);
        if !diags.is_empty()
            && let Ok(mut p) = self.problems.lock()
        {
            p.extend(diags);
        }
        rendered.html
    }

    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.strings.get(lang, key).unwrap_or(key).to_string()
    }

    /// A localised text from data.
    pub fn text(&self, text: &Text, lang: Lang) -> String {
        text.get(lang).to_string()
    }

    pub fn link(&self, publication: &str, id: &str, lang: Lang) -> Option<String> {
        self.links
            .get(&(publication.to_string(), id.to_string(), lang.code))
            .cloned()
    }

    /// Download links for a dataset, for "Download this data (CSV, 12 KB)".
    pub fn downloads(&self, dataset: &str, lang: Lang) -> tera::Value {
        #[derive(Serialize)]
        struct D<'a> {
            dataset: &'a str,
            title: String,
            format: &'a str,
            path: String,
            size: String,
            sha256: &'a str,
            illustrative: bool,
        }
        let list: Vec<D> = self
            .downloads
            .get(dataset)
            .into_iter()
            .flatten()
            .filter(|d| d.format == "CSV" || d.format == "JSON")
            .map(|d| D {
                dataset,
                title: self.data.catalogue.title(dataset, lang),
                format: d.format,
                path: format!("/{}", d.path),
                size: crate::datasets::human_size(d.bytes),
                sha256: &d.sha256,
                illustrative: self.illustrative.get(dataset).copied().unwrap_or(false),
            })
            .collect();
        tera::Value::from_serializable(&list)
    }

    /// A chart as HTML, with its data table and a link to the dataset it comes from.
    #[allow(clippy::too_many_arguments)]
    pub fn chart(
        &self,
        lang: Lang,
        id: &str,
        kind: crate::charts::Kind,
        title: String,
        subtitle: String,
        measure: String,
        category_label: String,
        categories: Vec<String>,
        series: Vec<crate::charts::Series>,
        dataset: &str,
    ) -> String {
        // Bar charts here are of sorted categories; lines and year-by-year bars have an order.
        let ordinal = kind == crate::charts::Kind::Line
            || categories.iter().all(|c| c.parse::<i32>().is_ok());
        let chart = crate::charts::Chart {
            id: id.to_string(),
            kind,
            title,
            subtitle,
            measure,
            category_label,
            categories,
            ordinal,
            series,
            lang,
        };
        let words = |key: &str| self.t(lang, key);
        match crate::charts::render(&chart, &words, &self.download_html(dataset, lang)) {
            Ok(crate::charts::Outcome::Chart(html) | crate::charts::Outcome::Empty(html)) => html,
            Err(e) => {
                if let Ok(mut p) = self.problems.lock() {
                    p.push(Diagnostic::error(format!("chart `{id}`: {e}")));
                }
                String::new()
            }
        }
    }

    /// "Download this data: CSV, 12 KB, JSON, 30 KB".
    pub fn download_html(&self, dataset: &str, lang: Lang) -> String {
        download_html(
            self.downloads.get(dataset).map(Vec::as_slice),
            self.is_illustrative(dataset),
            &|key| self.t(lang, key),
        )
    }

    pub fn is_illustrative(&self, dataset: &str) -> bool {
        self.illustrative.get(dataset).copied().unwrap_or(false)
    }

    pub fn date(&self, date: jiff::civil::Date, lang: Lang) -> String {
        lang.long_date(date)
    }

    pub fn number(&self, n: i64, lang: Lang) -> String {
        lang.number(n)
    }
}

/// "Download this data: CSV, 12 KB, JSON, 30 KB": links to a dataset's CSV and JSON files,
/// in the language `t` speaks; nothing when there are no files.
pub fn download_html(
    files: Option<&[Download]>,
    illustrative: bool,
    t: &dyn Fn(&str) -> String,
) -> String {
    let Some(files) = files else {
        return String::new();
    };
    let links: Vec<String> = files
        .iter()
        .filter(|f| f.format == "CSV" || f.format == "JSON")
        .map(|f| {
            let mut text = t("data.download_link")
                .replace("{format}", f.format)
                .replace("{size}", &crate::datasets::human_size(f.bytes));
            if illustrative {
                text = format!("{text}, {}", t("data.illustrative_download"));
            }
            format!(
                "<a class=\"downloads__link\" href=\"/{}\" download>{}</a>",
                crate::escape::html(&f.path),
                crate::escape::html(&text)
            )
        })
        .collect();
    format!(
        "<p class=\"downloads\">{}: {}</p>",
        crate::escape::html(&t("data.download")),
        links.join(", ")
    )
}

/// What to do about a link from data that is refused.
pub const LINK_HINT: &str = "links in data must be https:// addresses, such as https://www.gov.uk/";

/// The problem with a link from a data file's `field`, if any (see
/// [`crate::escape::https_link`]): the message of its diagnostic.
pub fn link_problem(field: &str, value: &str) -> Option<String> {
    crate::escape::https_link(value)
        .err()
        .map(|e| format!("`{field}`: {}", e.0))
}

/// A link from a TOML data file, checked: a diagnostic at the value when it is refused.
pub fn check_link(
    source: &SourceFile,
    field: &str,
    value: &toml::Spanned<String>,
) -> Option<Diagnostic> {
    link_problem(field, value.get_ref()).map(|m| {
        Diagnostic::error(m)
            .at(source, value.span())
            .hint(LINK_HINT)
    })
}

/// (publication, item id or "" for the section, language) → URL path.
pub type Links = HashMap<(String, String, &'static str), String>;

/// What the publications add to the loaded model: their datasets (rows, not yet files), the
/// pages they host and make, and the links between them. Nothing here is rendered or
/// serialised: [`make`] does that for the outputs.
#[derive(Default)]
pub struct PageData {
    pub datasets: Vec<Dataset>,
    /// The publication each of [`Self::datasets`] comes from, by name, in the same order.
    owners: Vec<&'static str>,
    /// Whether each dataset is illustrative sample data, by dataset name.
    pub illustrative: BTreeMap<&'static str, bool>,
    /// Each page a publication shows: the section hosting it, or one of its items.
    hosted: Vec<Hosted>,
    /// Pages whose text in a print edition comes from a template: item pages (see
    /// [`Item::print`]) and pages hosting a publication (see [`Publication::index_print`]).
    pub print_templates: HashMap<PageId, &'static str>,
    links: Links,
    /// URL path of each content page by (key, language), for `@/` links in data.
    pages: HashMap<(String, &'static str), String>,
}

/// A page a publication shows.
struct Hosted {
    page: PageId,
    /// The publication, by name; `None` for the catalogue of datasets.
    publication: Option<&'static str>,
    /// The item shown; `None` on the section page.
    item: Option<String>,
}

impl PageData {
    /// The page of an item of the publication a dataset comes from (an organisation's page).
    pub fn link(&self, dataset: &str, id: &str, lang: Lang) -> Option<String> {
        self.links
            .get(&(dataset.to_string(), id.to_string(), lang.code))
            .cloned()
    }
}

/// Each dataset's files for download, by dataset name.
pub type Downloads = BTreeMap<&'static str, Vec<Download>>;

/// What the publications make from the loaded model for the outputs: each dataset's files
/// (CSV, JSON, datapackage.json, zip) with their sizes and checksums, and the view of each page
/// a publication shows (its `data`), which links to those files.
#[derive(Default)]
pub struct Made {
    /// The datasets' files, by output path.
    pub files: Vec<(String, Vec<u8>)>,
    pub downloads: Downloads,
    /// The `data` of each page a publication shows.
    pub views: HashMap<PageId, tera::Value>,
}

impl Made {
    /// Each dataset's written files and downloads, by dataset name.
    fn into_written(self) -> HashMap<&'static str, crate::datasets::Written> {
        let mut by_path: HashMap<String, Vec<u8>> = self.files.into_iter().collect();
        self.downloads
            .into_iter()
            .map(|(name, downloads)| {
                let files = downloads
                    .iter()
                    .filter_map(|d| by_path.remove_entry(&d.path))
                    .collect();
                (name, crate::datasets::Written { files, downloads })
            })
            .collect()
    }
}

/// Every publication that has data, by name.
pub fn available(data: &Data) -> Vec<(&'static str, &dyn Publication)> {
    data.loaded.iter().map(|(n, p)| (*n, p.as_ref())).collect()
}

/// The catalogue of every dataset: a publication of its own, made from no file.
pub const CATALOGUE: &str = "datasets";

/// Names a section may give in `publication = "…"`.
pub fn names() -> Vec<&'static str> {
    PUBLICATIONS
        .iter()
        .map(|k| k.name)
        .chain([CATALOGUE])
        .collect()
}

/// What an earlier [`make`] made that a new one can keep: the written datasets of the
/// publications not loaded again since (a dataset reads only its own publication's data,
/// the catalogue and the languages, none of which changed).
pub struct Reuse {
    pub previous: Made,
    /// The publications loaded again, by name.
    pub reloaded: Vec<&'static str>,
}

/// The loaded site parts that publications read.
#[derive(Clone, Copy)]
pub struct Model<'a> {
    pub content: &'a Content,
    pub data: &'a Data,
    pub config: &'a Config,
    pub strings: &'a Strings,
    pub page_data: &'a PageData,
}

/// Add every publication's pages to the content tree, and note which page shows what: the
/// model's part of the publications. Renders nothing and writes nothing.
pub fn attach(
    content: &mut Content,
    data: &Data,
    config: &Config,
    strings: &Strings,
) -> (PageData, Diagnostics) {
    let mut diags = Diagnostics::new();
    let publications = available(data);

    let mut datasets = Vec::new();
    let mut owners = Vec::new();
    let words = crate::datasets::columns::Words {
        strings,
        languages: &config.languages,
    };
    for (name, p) in &publications {
        for d in p.datasets(data, words) {
            match d {
                Ok(d) => {
                    datasets.push(d);
                    owners.push(*name);
                }
                Err(e) => diags.push(e),
            }
        }
    }
    let illustrative = datasets
        .iter()
        .map(|d: &Dataset| (d.name, d.meta.illustrative))
        .collect();

    // Sections that host a publication.
    let sections: Vec<(PageId, String)> = content
        .pages
        .iter()
        .enumerate()
        .filter_map(|(id, p)| {
            p.front
                .publication
                .as_ref()
                .map(|n| (id, n.get_ref().clone()))
        })
        .collect();
    // Each hosting section, with its publication (none for the catalogue) and that
    // publication's items in the section's language, asked for once.
    type Named<'p> = (&'static str, &'p dyn Publication);
    let mut hosted: Vec<(PageId, Option<Named>, Vec<Item>)> = Vec::new();
    let probe = probe_view(config, data, strings);
    for (id, name) in &sections {
        let page = &content.pages[*id];
        let span = page
            .front
            .publication
            .as_ref()
            .map(|n| n.span())
            .unwrap_or(0..0);
        let names = names();
        if !names.contains(&name.as_str()) {
            let d =
                Diagnostic::error(format!("unknown publication `{name}`")).at(&page.source, span);
            diags.push(match did_you_mean(name, names.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("publications are: {}", names.join(", "))),
            });
            continue;
        }
        let publication = data.named(name);
        let items = publication.map_or_else(Vec::new, |(_, p)| p.items(&probe, page.lang));
        if !page.is_section && !items.is_empty() {
            diags.push(
                Diagnostic::error(format!(
                    "publication `{name}` has pages of its own, so it needs a section page"
                ))
                .at(&page.source, span)
                .hint("move `publication` into a folder's _index.md"),
            );
            continue;
        }
        if publication.is_none() && name != CATALOGUE {
            diags.push(
                Diagnostic::error(format!("publication `{name}` has no data"))
                    .at(&page.source, span)
                    .hint(format!("add its files to data/ (see data/README.md), or remove `publication = \"{name}\"`")),
            );
            continue;
        }
        hosted.push((*id, publication, items));
    }
    drop(probe);

    // Item pages and every publication page's URL.
    let mut links = Links::new();
    let mut shown: Vec<Hosted> = Vec::new();
    let mut print_templates = HashMap::new();
    let pages: HashMap<(String, &'static str), String> = content
        .pages
        .iter()
        .map(|p| ((p.key.clone(), p.lang.code), p.path.clone()))
        .collect();
    let mut new_pages = Vec::new();
    for (section, publication, items) in hosted {
        let page = &content.pages[section];
        let name = page
            .front
            .publication
            .as_ref()
            .map(|n| n.get_ref().clone())
            .unwrap_or_default();
        shown.push(Hosted {
            page: section,
            publication: publication.map(|(n, _)| n),
            item: None,
        });
        links.insert(
            (name.clone(), String::new(), page.lang.code),
            page.path.clone(),
        );
        let Some((kind, p)) = publication else {
            continue;
        };
        if let Some(template) = p.index_print() {
            print_templates.insert(section, template);
        }
        for item in items {
            let path = format!("{}{}/", page.path, item.segment);
            new_pages.push((name.clone(), kind, page.lang, path, section, item, p));
        }
    }
    for (name, kind, lang, path, section, item, publication) in new_pages {
        links.insert((name, item.id.clone(), lang.code), path.clone());
        let section_page = &content.pages[section];
        let key = format!("{}#{}", section_page.key, item.id);
        let mut front = FrontMatter::generated(item.title, item.description, item.template);
        if let Some(template) = item.print {
            front.print = true;
            print_templates.insert(content.pages.len(), template);
        }
        let page = Page {
            lang,
            key,
            source: publication.source().clone(),
            front,
            body: 0..0,
            is_section: false,
            path,
            parent: Some(section),
            children: Vec::new(),
            twins: Vec::new(),
            fallback: false,
            print_of: None,
        };
        content.pages.push(page);
        shown.push(Hosted {
            page: content.pages.len() - 1,
            publication: Some(kind),
            item: Some(item.id),
        });
    }
    content.reindex(config);
    (
        PageData {
            datasets,
            owners,
            illustrative,
            hosted: shown,
            print_templates,
            links,
            pages,
        },
        diags,
    )
}

/// Write each dataset (or take it from `reuse`), then build the view of every page a
/// publication shows, in parallel: what the outputs show of the publications. Problems in
/// Markdown from data and in charts are reported here.
pub fn make(model: Model, reuse: Option<Reuse>) -> (Made, Diagnostics) {
    let (files, downloads) = write_datasets(model, reuse);
    let (views, diags) = views(model, &downloads);
    let made = Made {
        files,
        downloads,
        views,
    };
    (made, diags)
}

/// Each dataset's files, by output path, and its downloads, by dataset name.
fn write_datasets(model: Model, reuse: Option<Reuse>) -> (Vec<(String, Vec<u8>)>, Downloads) {
    let page_data = model.page_data;
    let (mut kept, reloaded) = match reuse {
        Some(r) => (r.previous.into_written(), r.reloaded),
        None => (HashMap::new(), Vec::new()),
    };
    let mut slots: Vec<Option<crate::datasets::Written>> = page_data
        .datasets
        .iter()
        .zip(&page_data.owners)
        .map(|(d, owner)| {
            (!reloaded.contains(owner))
                .then(|| kept.remove(d.name))
                .flatten()
        })
        .collect();
    let notice = illustrative_notice(model.strings, model.config);
    use rayon::prelude::*;
    slots
        .par_iter_mut()
        .zip(&page_data.datasets)
        .for_each(|(slot, d)| {
            if slot.is_none() {
                *slot = Some(d.write(&notice, &model.config.languages));
            }
        });
    let mut downloads = Downloads::new();
    let mut files = Vec::new();
    for (d, w) in page_data.datasets.iter().zip(slots.into_iter().flatten()) {
        downloads.insert(d.name, w.downloads);
        files.extend(w.files);
    }
    (files, downloads)
}

/// The view (`data`) of every page a publication shows, built in parallel.
fn views(model: Model, downloads: &Downloads) -> (HashMap<PageId, tera::Value>, Diagnostics) {
    use rayon::prelude::*;
    let page_data = model.page_data;
    let view = View {
        config: model.config,
        data: model.data,
        strings: model.strings,
        links: &page_data.links,
        downloads,
        illustrative: &page_data.illustrative,
        pages: &page_data.pages,
        problems: Default::default(),
    };
    let publication = |name: &str| model.data.named(name).map(|(_, p)| p);
    let values: HashMap<PageId, tera::Value> = page_data
        .hosted
        .par_iter()
        .map(|h| {
            let lang = model.content.pages[h.page].lang;
            let value = match (h.publication.and_then(publication), &h.item) {
                (Some(p), Some(item)) => p.item(&view, lang, item),
                (Some(p), None) => p.index(&view, lang),
                (None, _) => catalogue_page::index(&view, &page_data.datasets, lang),
            };
            (h.page, value)
        })
        .collect();
    let mut diags = Diagnostics::new();
    diags.extend(view.problems.into_inner().unwrap_or_default());
    (values, diags)
}

/// A view with no links yet, for asking publications which pages they have.
fn probe_view<'a>(config: &'a Config, data: &'a Data, strings: &'a Strings) -> View<'a> {
    static EMPTY_LINKS: std::sync::LazyLock<Links> = std::sync::LazyLock::new(Links::new);
    static EMPTY_DOWNLOADS: BTreeMap<&'static str, Vec<Download>> = BTreeMap::new();
    static EMPTY_FLAGS: BTreeMap<&'static str, bool> = BTreeMap::new();
    static EMPTY_PAGES: std::sync::LazyLock<HashMap<(String, &'static str), String>> =
        std::sync::LazyLock::new(HashMap::new);
    View {
        config,
        data,
        strings,
        links: &EMPTY_LINKS,
        downloads: &EMPTY_DOWNLOADS,
        illustrative: &EMPTY_FLAGS,
        pages: &EMPTY_PAGES,
        problems: Default::default(),
    }
}

/// The notice carried by every illustrative page, chart and download.
pub fn illustrative_notice(strings: &Strings, config: &Config) -> Text {
    Text::from_pairs(config.languages.iter().map(|l| {
        (
            l.code,
            strings
                .get(l, "data.illustrative_notice")
                .unwrap_or("These figures are illustrative sample data, not real statistics.")
                .to_string(),
        )
    }))
}

/// The template a publication's section page uses unless it names its own.
pub fn index_template(data: &Data, name: &str) -> Option<&'static str> {
    if name == CATALOGUE {
        return Some("publications/datasets.html");
    }
    data.named(name).map(|(_, p)| p.index_template())
}
