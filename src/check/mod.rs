//! `tryloyw check`: build the site into a temporary folder (or take a built one with
//! `--output`), parse every HTML page with html5ever, and report what would trip up a reader:
//! broken links and anchors, links into the other language, images without alt text, skipped
//! heading levels, duplicate ids, empty or vague links, tables without captions or headers,
//! missing descriptions and pages without their twin. Findings point at the Markdown source
//! when the build says which file a page came from.
//!
//! Exit codes: 0 no errors (warnings allowed), 1 errors (or the site does not build), 2 usage.

pub mod config;
mod external;
mod links;
mod page;
mod report;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::build::{self, BuildOptions, Failure, PageSource};
use crate::diagnostics::{Diagnostic, Severity, SourceFile};
use crate::output::MANIFEST;
use links::Target;
use page::PageFacts;
use rules::{Level, Levels, Rule};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:column: error: message`, for people.
    #[default]
    Text,
    /// One JSON document on standard output, for programs.
    Json,
}

pub struct CheckOptions {
    pub root: PathBuf,
    /// A built site to check as it is; `None` builds the site into a temporary folder.
    pub output: Option<PathBuf>,
    pub format: Format,
    /// Fetch external links.
    pub external: bool,
}

/// One problem, with its level and where it is.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
    /// The built page, relative to the output folder: `cy/cod-ymarfer/index.html`.
    pub page: String,
    /// The file the page was made from, when the build said so.
    pub source: Option<SourceFile>,
    pub span: Range<usize>,
    /// The problem is in the theme's templates (outside `<main>`), not in the page's content.
    pub in_template: bool,
}

/// An address on another site, and the pages that link to it.
#[derive(Clone, Debug)]
pub struct ExternalLink {
    pub url: String,
    pub pages: Vec<String>,
    /// Set with `--external`: the HTTP status, or what went wrong.
    pub outcome: Option<external::Outcome>,
}

pub struct Report {
    /// HTML pages checked.
    pub pages: usize,
    pub findings: Vec<Finding>,
    pub external: Vec<ExternalLink>,
    /// The folder checked, when the user named it (`--output`): page paths are shown in it.
    pub output: Option<PathBuf>,
    /// Warnings from the build (not counted as findings).
    pub build_warnings: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

pub enum CheckError {
    /// The command cannot run as asked (no such folder, a bad check.toml): exit code 2.
    Usage(Vec<Diagnostic>),
    /// The site does not build: exit code 1.
    Site(Vec<Diagnostic>),
}

/// `tryloyw check`, printing its report. Returns the exit code.
pub fn run(opts: &CheckOptions) -> ExitCode {
    match check(opts) {
        Ok(report) => {
            report::print_build_warnings(&report.build_warnings);
            match opts.format {
                Format::Text => report::print_text(&report),
                Format::Json => report::print_json(&report),
            }
            if report.errors() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(CheckError::Usage(diags)) => {
            report::print_diagnostics(&diags);
            ExitCode::from(2)
        }
        Err(CheckError::Site(diags)) => {
            report::print_build_failure(&diags, opts.format);
            ExitCode::from(1)
        }
    }
}

/// Check the site as `opts` says and return what was found.
pub fn check(opts: &CheckOptions) -> Result<Report, CheckError> {
    let levels = config::load(&opts.root).map_err(CheckError::Usage)?;
    // Keeps the temporary build alive until the pages are read.
    let mut _temp = None;
    let (dir, sources, build_warnings) = match &opts.output {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(CheckError::Usage(vec![
                    Diagnostic::error(format!(
                        "cannot check {}: it is not a folder",
                        dir.display()
                    ))
                    .hint("build the site first (`tryloyw build`), or leave out --output to check a fresh build"),
                ]));
            }
            (dir.clone(), None, Vec::new())
        }
        None => {
            let temp = tempfile::tempdir().map_err(|e| {
                CheckError::Usage(vec![Diagnostic::error(format!(
                    "cannot create a temporary folder to build the site in: {e}"
                ))])
            })?;
            let summary = build::build(&BuildOptions {
                root: opts.root.clone(),
                output: Some(temp.path().join("site")),
                base_url: None,
                drafts: false,
                pdf: true,
            })
            .map_err(|f| match f {
                Failure::Site(d) => CheckError::Site(d),
                Failure::Usage(d) => CheckError::Usage(vec![d]),
            })?;
            _temp = Some(temp);
            (summary.output, Some(summary.sources), summary.warnings)
        }
    };
    let mut report = check_folder(&dir, &opts.root, sources.as_deref(), &levels)
        .map_err(|d| CheckError::Usage(vec![d]))?;
    report.build_warnings = build_warnings;
    if opts.output.is_some() {
        report.output = Some(dir);
    }
    if opts.external {
        fetch_external(&mut report, &levels);
    }
    Ok(report)
}

/// Every file under `dir`, relative, with `/` separators, sorted.
fn list_files(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error(format!("cannot read the folder {}: {e}", dir.display()))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if rel != MANIFEST {
            files.push(rel);
        }
    }
    Ok(files)
}

fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// A finding on a page, before its level and source position are known.
struct Raw {
    page: String,
    finding: page::Finding,
}

/// Check the built site in `dir`. `sources` maps pages to their source files when known.
pub fn check_folder(
    dir: &Path,
    root: &Path,
    sources: Option<&[PageSource]>,
    levels: &Levels,
) -> Result<Report, Diagnostic> {
    let files = list_files(dir)?;
    let file_set: HashSet<&str> = files.iter().map(String::as_str).collect();
    let pages: BTreeMap<String, PageFacts> = files
        .par_iter()
        .filter(|f| is_html(f))
        .map(|f| {
            let bytes = std::fs::read(dir.join(f)).unwrap_or_default();
            (f.clone(), page::analyse(&String::from_utf8_lossy(&bytes)))
        })
        .collect();

    let origin = pages
        .get("index.html")
        .and_then(|p| p.canonical.as_deref())
        .or_else(|| pages.values().find_map(|p| p.canonical.as_deref()))
        .and_then(links::split_origin)
        .map(|(origin, _)| origin);

    let mut raw: Vec<Raw> = Vec::new();
    let mut external: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, facts) in &pages {
        raw.extend(facts.findings.iter().map(|f| Raw {
            page: path.clone(),
            finding: f.clone(),
        }));
        let page_url = links::url_of(path);
        let mut seen = HashSet::new();
        for link in &facts.links {
            let finding = match links::classify(&link.url, &page_url, origin.as_deref()) {
                Target::Ignored => None,
                Target::External(url) => {
                    external.entry(url).or_default().insert(path.clone());
                    None
                }
                Target::Internal {
                    path: target,
                    fragment,
                } => check_internal(
                    link,
                    &target,
                    fragment.as_deref(),
                    path,
                    &file_set,
                    &pages,
                    facts.lang.as_deref(),
                ),
            };
            if let Some(f) = finding
                && seen.insert((f.rule, f.message.clone()))
            {
                raw.push(Raw {
                    page: path.clone(),
                    finding: f,
                });
            }
        }
    }
    match sources {
        Some(sources) => raw.extend(parity_from_sources(sources)),
        None => raw.extend(parity_from_alternates(&pages)),
    }

    let by_output: HashMap<&str, &PageSource> = sources
        .unwrap_or_default()
        .iter()
        .map(|s| (s.output.as_str(), s))
        .collect();
    let mut texts: HashMap<PathBuf, SourceFile> = HashMap::new();
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter_map(|r| {
            let severity = match levels.get(r.finding.rule) {
                Level::Off => return None,
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
            };
            let source = by_output.get(r.page.as_str()).map(|s| {
                texts
                    .entry(s.source.clone())
                    .or_insert_with(|| {
                        let text = std::fs::read_to_string(root.join(&s.source)).unwrap_or_default();
                        SourceFile::new(&s.source, text)
                    })
                    .clone()
            });
            let span = match &source {
                Some(s) if !r.finding.in_template => locate(s, &r.finding.needles),
                _ => 0..0,
            };
            let mut hint = r.finding.hint;
            if let Some(s) = &source
                && r.finding.rule == Rule::MissingDescription
                && !s.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
            {
                hint = format!(
                    "this page is made from `{}`: its publication or template should give it a description, which search engines and listings show",
                    s.path.display()
                );
            }
            Some(Finding {
                rule: r.finding.rule,
                severity,
                message: r.finding.message,
                hint,
                page: r.page,
                source,
                span,
                in_template: r.finding.in_template,
            })
        })
        .collect();
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.source
                    .as_ref()
                    .map_or_else(|| PathBuf::from(&f.page), |s| s.path.clone()),
                f.page.clone(),
                f.span.start,
                f.rule,
                f.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });

    Ok(Report {
        pages: pages.len(),
        findings,
        external: external
            .into_iter()
            .map(|(url, pages)| ExternalLink {
                url,
                pages: pages.into_iter().collect(),
                outcome: None,
            })
            .collect(),
        output: None,
        build_warnings: Vec::new(),
    })
}

fn language_name(code: &str) -> String {
    match code {
        "en" => "English".to_string(),
        "cy" => "Welsh".to_string(),
        other => format!("`{other}`"),
    }
}

/// Broken links and anchors, and links into the other language, for one internal link.
fn check_internal(
    link: &page::Link,
    target: &str,
    fragment: Option<&str>,
    page_path: &str,
    files: &HashSet<&str>,
    pages: &BTreeMap<String, PageFacts>,
    page_lang: Option<&str>,
) -> Option<page::Finding> {
    let url = &link.url;
    let what = match link.element.as_str() {
        "a" | "area" => "link".to_string(),
        "img" => "image".to_string(),
        other => format!("<{other}>"),
    };
    let Some(file) = links::file_for(target, |f| files.contains(f)) else {
        let expected = if target.ends_with('/') {
            format!("{}index.html", target.trim_start_matches('/'))
        } else {
            target.trim_start_matches('/').to_string()
        };
        let hint = if what == "link" {
            "link to pages by their source file, `[text](@/section/page.md)`, so the build checks the link; or correct the address"
        } else {
            "put the file in static/ (or beside the page in content/), or correct the address"
        };
        let mut f = page::Finding::new(
            Rule::BrokenLink,
            format!("{what} to `{url}` leads nowhere: the built site has no `{expected}`"),
            hint,
        );
        f.needles = vec![url.clone()];
        f.in_template = link.in_template;
        return Some(f);
    };
    let target_page = pages.get(&file);
    if let (Some(fragment), Some(target_page)) = (fragment, target_page)
        && !target_page.ids.contains(fragment)
        && !fragment.eq_ignore_ascii_case("top")
    {
        let on = if file == page_path {
            "this page".to_string()
        } else {
            format!("`{}`", links::url_of(&file))
        };
        let mut f = page::Finding::new(
            Rule::BrokenAnchor,
            format!("{what} to `{url}`: there is no element with id `{fragment}` on {on}"),
            "headings get ids from their text (`## Who sees it?` → `who-sees-it`); set one with `## Heading {#id}`, or correct the link",
        );
        f.needles = vec![url.clone(), format!("#{fragment}")];
        f.in_template = link.in_template;
        return Some(f);
    }
    if matches!(link.element.as_str(), "a" | "area")
        && !link.hreflang
        && let Some(target_page) = target_page
        && !target_page.redirect
        && let (Some(from), Some(to)) = (
            link.lang.as_deref().or(page_lang),
            target_page.lang.as_deref(),
        )
        && from != to
    {
        let mut f = page::Finding::new(
            Rule::OtherLanguageLink,
            format!(
                "link from {} text to a {} page: `{url}`",
                language_name(from),
                language_name(to)
            ),
            format!(
                "link to the page's {} twin (`@/…` links do that for you), or add hreflang=\"{to}\" if leaving the language is deliberate",
                language_name(from)
            ),
        );
        f.needles = vec![url.clone()];
        f.in_template = link.in_template;
        return Some(f);
    }
    None
}

/// Pages whose language-neutral key exists in only some of the site's languages.
fn parity_from_sources(sources: &[PageSource]) -> Vec<Raw> {
    let mut langs: Vec<&str> = Vec::new();
    let mut by_key: BTreeMap<&str, Vec<&PageSource>> = BTreeMap::new();
    for s in sources {
        if !langs.contains(&s.lang) {
            langs.push(s.lang);
        }
        by_key.entry(&s.key).or_default().push(s);
    }
    let mut out = Vec::new();
    for (key, twins) in by_key {
        for lang in &langs {
            if twins.iter().any(|t| t.lang == *lang) {
                continue;
            }
            for t in &twins {
                out.push(Raw {
                    page: t.output.clone(),
                    finding: page::Finding::new(
                        Rule::TranslationParity,
                        format!(
                            "this page has no {} version (key `{key}`)",
                            language_name(lang)
                        ),
                        format!(
                            "every page needs its twin in every language: add the {} one beside `{}`",
                            language_name(lang),
                            t.source.display()
                        ),
                    ),
                });
            }
        }
    }
    out
}

/// Without the build's source map: pages whose `<link rel="alternate" hreflang>` list leaves out
/// one of the site's languages.
fn parity_from_alternates(pages: &BTreeMap<String, PageFacts>) -> Vec<Raw> {
    let langs: BTreeSet<&str> = pages
        .values()
        .filter(|p| !p.redirect && !p.alternates.is_empty())
        .filter_map(|p| p.lang.as_deref())
        .collect();
    let mut out = Vec::new();
    for (path, p) in pages {
        if p.redirect || p.alternates.is_empty() {
            continue;
        }
        for lang in &langs {
            if !p.alternates.iter().any(|a| a == lang) && p.lang.as_deref() != Some(*lang) {
                out.push(Raw {
                    page: path.clone(),
                    finding: page::Finding::new(
                        Rule::TranslationParity,
                        format!("this page has no {} version", language_name(lang)),
                        "its <link rel=\"alternate\" hreflang> list names no page in that language: add the page's twin",
                    ),
                });
            }
        }
    }
    out
}

/// Where in a Markdown source a finding is: the first needle found after the front matter, or
/// the start of the file.
fn locate(source: &SourceFile, needles: &[String]) -> Range<usize> {
    let is_markdown = source
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if !is_markdown {
        return 0..0;
    }
    let text = &source.text;
    let body = if let Some(rest) = text.strip_prefix("+++") {
        rest.find("\n+++").map_or(0, |i| 3 + i + 4)
    } else {
        0
    };
    // After `+++` or a line break: between characters, and within the text.
    let body = body.min(text.len());
    needles
        .iter()
        .find_map(|n| {
            text[body..]
                .find(n.as_str())
                .map(|i| body + i..body + i + n.len())
        })
        .unwrap_or(0..0)
}

fn fetch_external(report: &mut Report, levels: &Levels) {
    let urls: Vec<String> = report.external.iter().map(|e| e.url.clone()).collect();
    let outcomes = external::fetch_all(&urls);
    let severity = match levels.get(Rule::ExternalLink) {
        Level::Off => None,
        Level::Error => Some(Severity::Error),
        Level::Warning => Some(Severity::Warning),
    };
    for (link, outcome) in report.external.iter_mut().zip(outcomes) {
        let problem = match &outcome {
            Ok(status) if *status < 400 => None,
            Ok(status) => Some(format!("answered HTTP {status}")),
            Err(e) => Some(format!("could not be fetched: {e}")),
        };
        link.outcome = Some(outcome);
        if let (Some(problem), Some(severity)) = (problem, severity) {
            report.findings.push(Finding {
                rule: Rule::ExternalLink,
                severity,
                message: format!("external link `{}` {problem}", link.url),
                hint: format!(
                    "linked from {}; check the address, or link to an archived copy",
                    // Every external link is recorded with the page it was found on.
                    if link.pages.len() == 1 {
                        format!("`{}`", link.pages[0])
                    } else {
                        format!(
                            "`{}` and {} other {}",
                            link.pages[0],
                            link.pages.len() - 1,
                            if link.pages.len() == 2 {
                                "page"
                            } else {
                                "pages"
                            }
                        )
                    }
                ),
                page: link.pages.first().cloned().unwrap_or_default(),
                source: None,
                span: 0..0,
                in_template: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_skips_front_matter_and_tries_needles_in_order() {
        let s = SourceFile::new(
            "content/a.md",
            "+++\ntitle = \"here\"\n+++\nSee [here](/x/).\n",
        );
        let r = locate(&s, &["[here]".into()]);
        assert_eq!(&s.text[r.clone()], "[here]");
        assert_eq!(s.line_col(r.start), (4, 5));
        assert_eq!(locate(&s, &["nothing".into()]), 0..0);
        let data = SourceFile::new("data/x.toml", "here");
        assert_eq!(locate(&data, &["here".into()]), 0..0);
    }
}
