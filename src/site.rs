//! Loading a whole site: config, theme, content, data and the pages publications add. The
//! loaded [`Site`] is the frozen model every output is rendered from: loading renders,
//! serialises and writes nothing. Every problem from every stage is collected before anything
//! renders.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::content::{self, Content, FrontMatter, Page, PageId};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::publications::{self, Data, PageData};
use crate::templates;
use crate::theme::{self, StaticFile, StaticSource, Strings, Theme};
use crate::walk;

pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub theme: Theme,
    /// Structured publications from `data/`, and the pages built from them.
    pub data: Data,
    pub page_data: PageData,
    /// Theme static files overlaid by the site's own `static/`, by output path.
    pub statics: Vec<StaticFile>,
}

impl Site {
    /// The parts of the site publications read, to make their datasets and views.
    pub fn publications(&self) -> publications::Model<'_> {
        publications::Model {
            content: &self.content,
            data: &self.data,
            config: &self.config,
            strings: &self.theme.strings,
            page_data: &self.page_data,
        }
    }
}

pub struct LoadOptions<'a> {
    pub root: &'a Path,
    pub base_url: Option<&'a str>,
    pub drafts: bool,
    /// The date "late" and "overdue" are judged against.
    pub today: jiff::civil::Date,
}

/// The build date: `SOURCE_DATE_EPOCH` when set (for reproducible builds), else today (UTC).
/// It is the one date a build takes from outside its input: "today" in the publication
/// calendar and inspection tracker, "printed on" in print editions, and the PDFs' dates.
pub fn build_date() -> Result<jiff::civil::Date, Diagnostic> {
    let timestamp = match std::env::var_os(SOURCE_DATE_EPOCH) {
        None => jiff::Timestamp::now(),
        Some(value) => parse_source_date_epoch(&value.to_string_lossy())?,
    };
    Ok(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date())
}

const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// A `SOURCE_DATE_EPOCH` value: whole seconds since 1970-01-01 UTC, digits only, as
/// `date +%s` prints (<https://reproducible-builds.org/specs/source-date-epoch/>). Anything
/// else is an error rather than silently today's date, which would break reproducibility.
pub fn parse_source_date_epoch(value: &str) -> Result<jiff::Timestamp, Diagnostic> {
    let bad = |why: &str| {
        Diagnostic::error(format!("{SOURCE_DATE_EPOCH} is `{value}`: {why}")).hint(
            "set it to whole seconds since 1970-01-01 UTC, as `date +%s` or \
             `git log -1 --format=%ct` prints (1795305600 is 22 November 2026), or unset it",
        )
    };
    if value.is_empty() {
        return Err(bad("it is empty"));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("it must be digits only"));
    }
    value
        .parse::<i64>()
        .ok()
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .ok_or_else(|| bad("it is past the year 9999"))
}

/// The publications in `data/`, once the folder is known to hold nothing unsafe to read (a link
/// out of the site, a loop, a pipe): with such a problem, only the problem is reported.
pub fn load_data(
    root: &Path,
    config: &Config,
    today: jiff::civil::Date,
) -> (Option<Data>, Diagnostics) {
    checked_data(root, || publications::load(root, config, today))
}

/// The data `load` gives, once `data/` is known to be safe to read.
fn checked_data(
    root: &Path,
    load: impl FnOnce() -> (Data, Diagnostics),
) -> (Option<Data>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let unsafe_files = walk::check(root, Path::new(crate::data::DIR));
    if !unsafe_files.is_empty() {
        diags.extend(unsafe_files);
        return (None, diags);
    }
    let (data, data_diags) = load();
    diags.extend(data_diags);
    (Some(data), diags)
}

/// The loaded site and its warnings, or every error found.
pub fn load(opts: &LoadOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    load_with(opts, |config| load_data(opts.root, config, opts.today))
}

/// What a site loaded again after files under `data/` changed gives: the site (or its
/// errors) and the publications loaded again.
pub type Reloaded = (Result<(Site, Diagnostics), Diagnostics>, Vec<&'static str>);

/// `old` loaded again after these files under `data/` changed (relative to `data/`): only the
/// publications that read them are loaded again. `None`, with `old` as it was, when the change
/// needs a whole [`load`] (see [`publications::reload`]).
pub fn reload_data(opts: &LoadOptions, old: Site, changed: &[String]) -> Result<Reloaded, Site> {
    let mut old = old;
    // "Late" and "overdue" are judged against the day: a new one needs all data again.
    if old.data.today != opts.today {
        return Err(old);
    }
    let Some((reloaded, diags)) =
        publications::reload(opts.root, &old.config, &mut old.data, changed)
    else {
        return Err(old);
    };
    let data = old.data;
    let site = load_with(opts, |_| checked_data(opts.root, || (data, diags)));
    Ok((site, reloaded))
}

/// [`load`], with the data from `data`.
fn load_with(
    opts: &LoadOptions,
    data: impl FnOnce(&Config) -> (Option<Data>, Diagnostics),
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let config = match config::load(opts.root, opts.base_url) {
        Ok(c) => c,
        Err(ds) => {
            diags.extend(ds);
            return Err(diags);
        }
    };
    let (sources, theme_diags) = theme::load(opts.root, &config);
    diags.extend(theme_diags);
    let (mut content, content_diags) = content::load(opts.root, &config, opts.drafts);
    diags.extend(content_diags);
    let (data, data_diags) = data(&config);
    diags.extend(data_diags);
    let theme_statics = sources.as_ref().map_or(&[][..], |s| &s.statics[..]);
    let (statics, static_diags) = overlay_statics(opts.root, theme_statics);
    diags.extend(static_diags);
    let (Some(sources), Some(data)) = (sources, data) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let (page_data, publication_diags) =
        publications::attach(&mut content, &data, &config, &sources.strings);
    diags.extend(publication_diags);
    add_editions(&mut content, &config, &sources.strings);
    let functions = templates::template_functions(&config, &sources.strings, &content);
    let (theme, template_diags) = sources.compile(functions);
    diags.extend(template_diags);
    for id in 0..content.pages.len() {
        if let Err(d) = templates::template_for(&content, &data, &theme, id) {
            diags.push(d);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let site = Site {
        root: opts.root.to_path_buf(),
        config,
        content,
        theme,
        data,
        page_data,
        statics,
    };
    Ok((site, diags))
}

/// Add a print edition (see [`crate::print`]) below every page and section that asks for one.
fn add_editions(content: &mut Content, config: &Config, strings: &Strings) {
    let sources: Vec<PageId> = content
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.front.print && !p.fallback && p.print_of.is_none())
        .map(|(id, _)| id)
        .collect();
    for source in sources {
        let s = &content.pages[source];
        let segment = config.routes.get(s.lang, crate::routes::Route::Print);
        let title = strings
            .get(s.lang, "print.title")
            .unwrap_or("{title}: print edition")
            .replace("{title}", &s.front.title);
        let mut front = FrontMatter::generated(title, s.front.description.clone(), "print.html");
        front.menu = false;
        let page = Page {
            lang: s.lang,
            key: format!("{}#print", s.key),
            source: s.source.clone(),
            front,
            body: 0..0,
            is_section: false,
            path: format!("{}{segment}/", s.path),
            parent: Some(source),
            children: Vec::new(),
            twins: Vec::new(),
            fallback: false,
            print_of: Some(source),
        };
        content.pages.push(page);
    }
    content.reindex(config);
}

/// The theme's static files overlaid by the site's own `static/`, by output path; every file
/// read from disk must be readable now, so the build never fails half-way through writing.
fn overlay_statics(root: &Path, theme: &[StaticFile]) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let mut by_path: std::collections::BTreeMap<String, StaticFile> = theme
        .iter()
        .map(|f| (f.output.clone(), f.clone()))
        .collect();
    let (files, mut errors) = walk::files(root, Path::new("static"));
    for f in files {
        by_path.insert(
            f.rel.clone(),
            StaticFile {
                output: f.rel,
                source: StaticSource::Disk(f.abs),
            },
        );
    }
    for f in by_path.values() {
        if let StaticSource::Disk(path) = &f.source
            && let Err(d) = walk::readable(root, path)
        {
            errors.push(d);
        }
    }
    (by_path.into_values().collect(), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_is_whole_seconds_or_an_error() {
        let date = |v: &str| {
            parse_source_date_epoch(v).map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        };
        assert_eq!(date("0").unwrap(), jiff::civil::date(1970, 1, 1));
        assert_eq!(date("1795305600").unwrap(), jiff::civil::date(2026, 11, 22));
        assert_eq!(date("1795391999").unwrap(), jiff::civil::date(2026, 11, 22));
        for (bad, why) in [
            ("", "empty"),
            ("abc", "digits only"),
            ("-1", "digits only"),
            ("1.5", "digits only"),
            (" 1", "digits only"),
            ("2024-01-01", "digits only"),
            ("99999999999999", "past the year 9999"),
            ("99999999999999999999999", "past the year 9999"),
        ] {
            let err = date(bad).unwrap_err();
            assert!(err.message.contains(why), "{bad:?}: {}", err.message);
            assert!(err.message.contains(&format!("`{bad}`")), "{}", err.message);
            assert!(err.hint.is_some());
        }
    }
}
