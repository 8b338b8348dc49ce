//! `tryloyw build`: load, then render straight into a staging folder beside the output, swapped
//! in only when the whole site rendered without an error.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::output;
use crate::render;
use crate::site::{self, LoadOptions};

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Make the PDFs of print editions (when built with the `pdf` feature).
    pub pdf: bool,
}

/// Where a built page came from, so checks of the output can point at the source.
#[derive(Clone, Debug)]
pub struct PageSource {
    /// Output path, relative to the output folder: `cy/cod-ymarfer/index.html`.
    pub output: String,
    /// The Markdown or data file it was made from, relative to the site root.
    pub source: PathBuf,
    pub lang: &'static str,
    /// Language-neutral key: twins share it.
    pub key: String,
}

pub struct Summary {
    /// (language name, page count), in the site's language order.
    pub pages: Vec<(&'static str, usize)>,
    /// Translation parity for each language but the default: (language name, pages
    /// translated, pages published in the default language's text instead, stale translations).
    pub parity: Vec<(&'static str, usize, usize, usize)>,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    pub sources: Vec<PageSource>,
}

pub enum Failure {
    /// The site has errors: exit code 1.
    Site(Vec<Diagnostic>),
    /// The command cannot run as asked (a refused output folder): exit code 2.
    Usage(Diagnostic),
}

pub fn output_dir(root: &Path, output: Option<&Path>) -> PathBuf {
    match output {
        Some(o) => o.to_path_buf(),
        None => root.join("public"),
    }
}

pub fn build(opts: &BuildOptions) -> Result<Summary, Failure> {
    let start = Instant::now();
    let target = output_dir(&opts.root, opts.output.as_deref());
    let today = site::build_date().map_err(Failure::Usage)?;
    let checked = output::check_target(&opts.root, &target).map_err(Failure::Usage)?;
    // What an interrupted build left: a previous output put back if it was aside (and then
    // checked like any other), the rest deleted.
    let missing = !checked.exists();
    let recovered = output::recover(&checked);
    let target = if missing && checked.exists() {
        output::check_target(&opts.root, &target).map_err(Failure::Usage)?
    } else {
        checked
    };
    let load = LoadOptions {
        root: &opts.root,
        base_url: opts.base_url.as_deref(),
        drafts: opts.drafts,
        today,
    };
    let (site, mut warnings) = site::load(&load).map_err(|d| Failure::Site(d.sorted()))?;
    warnings.extend(recovered);
    output::pause_point("render");
    let staging = output::Staging::new(&target).map_err(|d| Failure::Site(vec![d]))?;
    let render_warnings =
        render::render_into(&site, opts.pdf, &staging).map_err(|d| Failure::Site(d.sorted()))?;
    warnings.extend(render_warnings);
    let warnings = warnings.sorted();
    let warnings_ref = &warnings;
    let pages = site
        .config
        .languages
        .iter()
        .map(|l| {
            (
                l.endonym,
                site.content.pages.iter().filter(|p| p.lang == *l).count(),
            )
        })
        .collect();
    let files = staging.files_written();
    let default = site.config.default_language();
    let stale = |lang: crate::locale::Lang| {
        warnings_ref
            .iter()
            .filter(|d| d.code == Some("stale-translation"))
            .filter(|d| {
                d.source.as_ref().is_some_and(|s| {
                    site.content
                        .pages
                        .iter()
                        .any(|p| p.lang == lang && p.source.path == s.path)
                })
            })
            .count()
    };
    let parity = site
        .config
        .languages
        .iter()
        .filter(|&&l| l != default)
        .map(|&l| {
            let of = |fallback: bool| {
                site.content
                    .pages
                    .iter()
                    .filter(|p| p.lang == l && p.fallback == fallback)
                    .count()
            };
            (l.endonym, of(false), of(true), stale(l))
        })
        .collect();
    let sources = site
        .content
        .pages
        .iter()
        .map(|p| PageSource {
            output: format!("{}index.html", p.path.trim_start_matches('/')),
            source: p.source.path.clone(),
            lang: p.lang.code,
            key: p.key.clone(),
        })
        .collect();
    staging.finish().map_err(|d| Failure::Site(vec![d]))?;
    Ok(Summary {
        pages,
        files,
        output: target,
        elapsed: start.elapsed(),
        parity,
        warnings,
        sources,
    })
}
