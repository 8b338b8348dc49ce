//! The incremental build behind `tryloyw serve`. A session holds the last good site, its
//! rendered Markdown and every output in memory, with what each page's Markdown, each page and
//! the site-wide extras read while they were made ([`crate::deps`]) and a fingerprint of each
//! read ([`super::reads`]). A change makes the site anew as cheaply as it can:
//!
//! - a page's text, or wording in its front matter: the page is patched in place;
//! - templates: the theme is compiled again;
//! - static files: only the file list (bytes are read from disk when served);
//! - data: the publications that read the changed files are loaded again;
//! - UI strings: the site is loaded again (print titles and dataset words are strings);
//! - anything else (other front matter, new or deleted pages, site.toml, which every output
//!   reads): the whole site is made again, as `build` would, and the outputs compared to find
//!   what changed.
//!
//! and then makes again exactly what read something whose fingerprint changed: Markdown first,
//! then the pages and extras (whose reads include the Markdown). Whatever the path, the outputs
//! are the bytes a full build of the same files gives; the tests check this on a sequence of
//! edits. A failed rebuild leaves the last good outputs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use toml::Spanned;

use super::reads::{Model, fingerprints};
use crate::content::{FrontMatter, PageId, front_matter};
use crate::deps::{Read, record, recording};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::markdown::Rendered;
use crate::publications;
use crate::render::{self, OutputFile, Shared};
use crate::site::{self, LoadOptions, Site};
use crate::theme::StaticSource;

#[derive(Clone)]
pub struct Options {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Make the PDFs of print editions, when asked to ([`Session::refresh_pdfs`]).
    pub pdf: bool,
}

/// One output: bytes made by the build, or a file served from where it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Bytes(Arc<[u8]>),
    File(PathBuf),
    Embedded(&'static [u8]),
}

/// Every output by path under the site root (`cy/cod-ymarfer/index.html`).
pub type Outputs = BTreeMap<String, Body>;

/// How much a rebuild had to redo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Nothing the site reads changed.
    Nothing,
    Pages,
    Templates,
    Statics,
    /// Data files: the pages that show data.
    Data,
    /// UI strings: the outputs that show a string that changed.
    Strings,
    Site,
}

pub struct Rebuild {
    pub scope: Scope,
    /// The changed inputs, relative to the site root.
    pub inputs: Vec<String>,
    /// Outputs rendered again.
    pub rendered: usize,
    /// Outputs whose bytes differ from before, added or removed.
    pub changed: Vec<String>,
    /// Only stylesheets changed: the browser can swap them without a reload.
    pub css_only: bool,
    pub elapsed: Duration,
    /// Empty when the rebuild succeeded.
    pub errors: Vec<Diagnostic>,
}

/// For each page that has a print edition, the link to its PDF (`{url, size}`).
type PdfLinks = HashMap<PageId, serde_json::Value>;

/// Making the PDFs of a site from its files, away from the session.
pub struct PdfJob {
    generation: u64,
    root: PathBuf,
    base_url: Option<String>,
    drafts: bool,
}

/// The PDFs a [`PdfJob`] made, and the links to them, or why it could not.
pub struct PdfsMade {
    generation: u64,
    result: Result<(Vec<OutputFile>, PdfLinks), Vec<Diagnostic>>,
    elapsed: Duration,
}

impl PdfJob {
    /// Load the site afresh (its files are what the session last built) and make its PDFs.
    pub fn run(self) -> PdfsMade {
        let start = Instant::now();
        let result = load(&self.root, self.base_url.as_deref(), self.drafts)
            .map_err(|d| d.sorted())
            .and_then(|(site, _)| {
                let shared = Shared::new(&site);
                let (artefacts, _) =
                    render::Artefacts::make(&site, &shared, true).map_err(|d| d.sorted())?;
                Ok((artefacts.pdfs, artefacts.pdf_links))
            });
        PdfsMade {
            generation: self.generation,
            result,
            elapsed: start.elapsed(),
        }
    }
}

/// What [`Built::make`] made: the files, and what each thing read.
type MadeFiles = (Vec<OutputFile>, Vec<(Made, Vec<Read>)>);

/// Something the session makes from the site, and keeps the reads of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Made {
    /// A page's Markdown, as HTML.
    Markdown(PageId),
    /// A page's output file.
    Page(PageId),
    /// The 404 pages, redirects, sitemap and the like.
    Extras,
}

/// The last good site and what rendering it left behind.
struct Built {
    site: Site,
    /// One per page of `site`, indexed by [`PageId`].
    markdown: Vec<Rendered>,
    shared: Shared,
    /// The datasets' files and the views of publication pages.
    made: publications::Made,
    pdf_links: PdfLinks,
    /// Whether the PDFs (and the pages that link to them) are up to date.
    pdfs_current: bool,
    /// What each thing read when it was last made.
    reads: HashMap<Made, Vec<Read>>,
    /// Each read's fingerprint when what read it was made.
    seen: HashMap<Read, u64>,
    /// A number for each publication's load, new when it is loaded again: what a
    /// [`Read::Publication`] sees.
    loads: HashMap<&'static str, u64>,
}

impl Built {
    fn model(&self) -> Model<'_> {
        Model {
            site: &self.site,
            markdown: &self.markdown,
            shared: &self.shared,
            made: &self.made,
            pdf_links: &self.pdf_links,
            loads: &self.loads,
        }
    }

    /// Make these pages or extras, recording what each read.
    fn make(&self, what: &[Made]) -> Result<MadeFiles, Vec<Diagnostic>> {
        type Files = Result<Vec<OutputFile>, Vec<Diagnostic>>;
        let site = &self.site;
        let results: Vec<(Files, Vec<Read>)> = what
            .par_iter()
            .map(|&made| {
                recording(|| match made {
                    Made::Page(id) => {
                        let inputs = render::PageInputs {
                            site,
                            shared: &self.shared,
                            made: &self.made,
                            pdf_links: &self.pdf_links,
                        };
                        render::page_output(&inputs, id, &self.markdown)
                            .map(|f| vec![f])
                            .map_err(|d| vec![d])
                    }
                    Made::Extras => {
                        // The sitemap and redirects show every page's address, dates and aliases.
                        (0..site.content.pages.len()).for_each(|id| record(Read::Page(id)));
                        record(Read::Template("404.html".to_string()));
                        render::extras(site, &self.shared)
                    }
                    // Markdown is made by `markdown`, never asked for here.
                    Made::Markdown(_) => Ok(Vec::new()),
                })
            })
            .collect();
        let mut diags = Diagnostics::new();
        let mut files = Vec::with_capacity(results.len());
        let mut reads = Vec::with_capacity(results.len());
        for (&made, (result, read)) in what.iter().zip(results) {
            match result {
                Ok(f) => files.extend(f),
                Err(ds) => diags.extend(ds),
            }
            reads.push((made, read));
        }
        if diags.has_errors() {
            Err(diags.sorted())
        } else {
            Ok((files, reads))
        }
    }

    /// Make again what read something that changed since it was made: the Markdown first,
    /// then the pages and extras. Only reads that `touched` allows can have changed; the rest
    /// are not looked at. On error the site's Markdown and reads are as they were.
    fn redo(
        &mut self,
        touched: impl Fn(&Read) -> bool,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let mut now = fingerprints(
            self.seen
                .keys()
                .filter(|r| touched(r) && !matches!(r, Read::Markdown(_))),
            &self.model(),
        );
        let stale = |reads: &[Read], now: &HashMap<Read, u64>| {
            reads
                .iter()
                .any(|r| now.get(r).is_some_and(|f| self.seen.get(r) != Some(f)))
        };
        let mut md_ids: Vec<PageId> = self
            .reads
            .iter()
            .filter_map(|(made, reads)| match made {
                Made::Markdown(id) if stale(reads, &now) => Some(*id),
                _ => None,
            })
            .collect();
        md_ids.sort_unstable();
        let remade = markdown(&self.site, &self.made.downloads, &md_ids);
        let mut diags = Diagnostics::new();
        let mut undo = Vec::with_capacity(remade.len());
        for (id, rendered, ds, reads) in remade {
            diags.extend(ds);
            let old_md = std::mem::replace(&mut self.markdown[id], rendered);
            let old_reads = self.reads.insert(Made::Markdown(id), reads);
            undo.push((id, old_md, old_reads));
        }
        render::check_anchors(&self.site, &self.markdown, &mut diags);
        let made = if diags.has_errors() {
            Err(diags.sorted())
        } else {
            let markdown: Vec<Read> = md_ids.iter().map(|&id| Read::Markdown(id)).collect();
            now.extend(fingerprints(markdown.iter(), &self.model()));
            let mut what: Vec<Made> = self
                .reads
                .iter()
                .filter(|(made, reads)| !matches!(made, Made::Markdown(_)) && stale(reads, &now))
                .map(|(made, _)| *made)
                .collect();
            what.sort_unstable();
            self.make(&what)
        };
        let (files, reads) = match made {
            Ok(made) => made,
            Err(errors) => {
                for (id, md, reads) in undo {
                    self.markdown[id] = md;
                    if let Some(reads) = reads {
                        self.reads.insert(Made::Markdown(id), reads);
                    }
                }
                return Err(errors);
            }
        };
        self.seen.extend(now);
        let mut fresh: BTreeSet<Read> = BTreeSet::new();
        for (made, read) in reads {
            fresh.extend(read.iter().filter(|r| !self.seen.contains_key(*r)).cloned());
            self.reads.insert(made, read);
        }
        for id in &md_ids {
            if let Some(read) = self.reads.get(&Made::Markdown(*id)) {
                fresh.extend(read.iter().filter(|r| !self.seen.contains_key(*r)).cloned());
            }
        }
        let fresh = fingerprints(fresh.iter(), &self.model());
        self.seen.extend(fresh);
        Ok(files)
    }
}

pub struct Session {
    opts: Options,
    /// Counts the changes applied, so PDFs made from older files can be told apart.
    generation: u64,
    /// The files in the watched folders at the last whole rebuild, relative to the root.
    files: BTreeSet<PathBuf>,
    built: Option<Built>,
    outputs: Outputs,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Session {
    /// Build the whole site once. Errors leave an empty session that the next change retries.
    pub fn start(opts: Options) -> (Session, Rebuild) {
        let mut session = Session {
            opts,
            generation: 0,
            files: BTreeSet::new(),
            built: None,
            outputs: Outputs::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let report = session.rebuild_all(Instant::now(), Vec::new());
        (session, report)
    }

    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    /// The errors of the last rebuild; empty when it succeeded.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Whether [`refresh_pdfs`](Self::refresh_pdfs) has work to do.
    pub fn pdfs_pending(&self) -> bool {
        self.opts.pdf && self.built.as_ref().is_some_and(|b| !b.pdfs_current)
    }

    /// Rebuild after these files changed (absolute paths, as the watcher reports them).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Rebuild {
        let start = Instant::now();
        let inputs = self.relevant(changed);
        if inputs.is_empty() {
            return self.nothing(start);
        }
        self.generation += 1;
        let shown: Vec<String> = inputs.iter().map(|p| slash(p)).collect();
        // After a failure, only a whole rebuild can tell that every problem is gone.
        if self.built.is_none() || !self.errors.is_empty() {
            return self.rebuild_all(start, shown);
        }
        let theme_dir = PathBuf::from("themes").join(&self.site().config.theme);
        let kind = |p: &Path| {
            if p.starts_with("content") && p.extension().is_some_and(|e| e == "md") {
                Kind::Page
            } else if p.starts_with(theme_dir.join("templates")) {
                Kind::Template
            } else if p.starts_with("static") || p.starts_with(theme_dir.join("static")) {
                Kind::Static
            } else if p.starts_with("data") {
                Kind::Data
            } else if p.starts_with(theme_dir.join("i18n")) {
                Kind::Strings
            } else {
                Kind::Other
            }
        };
        let kinds: BTreeSet<Kind> = inputs.iter().map(|p| kind(p)).collect();
        let outcome = match kinds.iter().collect::<Vec<_>>().as_slice() {
            [Kind::Page] => self.try_pages(&inputs),
            [Kind::Template] => self.templates(),
            [Kind::Static] => Some(self.statics(&inputs)),
            [Kind::Data] => return self.rebuild_data(start, shown),
            [Kind::Strings] => return self.rebuild_strings(start, shown),
            _ => None,
        };
        match outcome {
            Some(Ok((scope, rendered, changed))) => {
                self.errors.clear();
                let css_only = scope == Scope::Statics
                    && inputs
                        .iter()
                        .all(|p| p.extension().is_some_and(|e| e == "css"));
                Rebuild {
                    scope,
                    inputs: shown,
                    rendered,
                    changed,
                    css_only,
                    elapsed: start.elapsed(),
                    errors: Vec::new(),
                }
            }
            Some(Err(errors)) => self.failed(start, shown, errors),
            None => self.rebuild_all(start, shown),
        }
    }

    /// What making the PDFs of the site as it is now needs, when they are out of date: it
    /// runs on another thread, so editing never waits for Typst.
    pub fn pdf_job(&self) -> Option<PdfJob> {
        if !self.pdfs_pending() || !self.errors.is_empty() {
            return None;
        }
        Some(PdfJob {
            generation: self.generation,
            root: self.opts.root.clone(),
            base_url: self.opts.base_url.clone(),
            drafts: self.opts.drafts,
        })
    }

    /// Take PDFs made by a [`PdfJob`] and render the pages that link to them with their
    /// sizes. PDFs of files that changed since the job started are dropped (a newer job
    /// will follow).
    pub fn accept_pdfs(&mut self, made: PdfsMade) -> Rebuild {
        let start = Instant::now();
        if made.generation != self.generation {
            return self.nothing(start);
        }
        let Some(built) = self.built.as_mut() else {
            return self.nothing(start);
        };
        let result = made.result.and_then(|(files, links)| {
            let old = std::mem::replace(&mut built.pdf_links, links);
            let mut out = built
                .redo(|r| matches!(r, Read::Pdf(_)))
                .inspect_err(|_| built.pdf_links = old)?;
            built.pdfs_current = true;
            out.extend(files);
            Ok(out)
        });
        match result {
            Ok(files) => {
                let rendered = files.len();
                let changed = self.merge(files);
                Rebuild {
                    scope: Scope::Pages,
                    inputs: Vec::new(),
                    rendered,
                    changed,
                    css_only: false,
                    elapsed: start.elapsed() + made.elapsed,
                    errors: Vec::new(),
                }
            }
            Err(errors) => self.failed(start, Vec::new(), errors),
        }
    }

    /// [`pdf_job`](Self::pdf_job) and [`accept_pdfs`](Self::accept_pdfs) on this thread.
    pub fn refresh_pdfs(&mut self) -> Rebuild {
        match self.pdf_job() {
            Some(job) => {
                let made = job.run();
                self.accept_pdfs(made)
            }
            None => self.nothing(Instant::now()),
        }
    }

    /// Called only once `apply` has returned early when nothing was built.
    fn site(&self) -> &Site {
        &self
            .built
            .as_ref()
            .expect("a session with outputs has a site")
            .site
    }

    fn nothing(&self, start: Instant) -> Rebuild {
        Rebuild {
            scope: Scope::Nothing,
            inputs: Vec::new(),
            rendered: 0,
            changed: Vec::new(),
            css_only: false,
            elapsed: start.elapsed(),
            errors: self.errors.clone(),
        }
    }

    fn failed(&mut self, start: Instant, inputs: Vec<String>, errors: Vec<Diagnostic>) -> Rebuild {
        // Warnings wait for a good build; the overlay is for what stops it.
        let errors: Vec<Diagnostic> = errors.into_iter().filter(|d| d.is_error()).collect();
        self.errors = errors.clone();
        Rebuild {
            scope: Scope::Site,
            inputs,
            rendered: 0,
            changed: Vec::new(),
            css_only: false,
            elapsed: start.elapsed(),
            errors,
        }
    }

    /// Changed files the site reads, relative to the root. Editors' swap and backup files,
    /// hidden files and the output folder are not inputs.
    fn relevant(&self, changed: &[PathBuf]) -> Vec<PathBuf> {
        let root = &self.opts.root;
        let mut out: BTreeSet<PathBuf> = BTreeSet::new();
        for path in changed {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let name = rel.to_string_lossy();
            let junk = rel.components().any(|c| {
                let c = c.as_os_str().to_string_lossy();
                c.starts_with('.') || c.starts_with('#') || c.ends_with('~')
            }) || name.ends_with(".swp")
                || name.ends_with(".swx")
                || name.ends_with(".tmp")
                || name.ends_with("___jb_tmp___")
                || name.ends_with("___jb_old___")
                // Vim checks that it may write in a folder with a file named 4913.
                || rel
                    .file_name()
                    .is_some_and(|f| f.to_string_lossy().chars().all(|c| c.is_ascii_digit()));
            let read = rel == Path::new("site.toml")
                || ["content", "data", "themes", "static"]
                    .iter()
                    .any(|d| rel.starts_with(d));
            // A file that is gone and was never read (`sed -i`'s temporary file) changed
            // nothing; a page or folder that is gone did.
            let vanished_stranger = !path.exists() && !self.reads_under(rel);
            if read && !junk && !vanished_stranger {
                out.insert(rel.to_path_buf());
            }
        }
        out.into_iter().collect()
    }

    /// Whether the last good build read `rel` or anything below it.
    fn reads_under(&self, rel: &Path) -> bool {
        self.built.is_none()
            || self
                .files
                .range(rel.to_path_buf()..)
                .next()
                .is_some_and(|p| p.starts_with(rel))
    }

    /// Note every file in the watched folders, so a path that vanishes can be told to be a
    /// file the site had (a change) or an editor's temporary one (none).
    fn note_files(&mut self) {
        let root = &self.opts.root;
        self.files = ["content", "data", "themes", "static"]
            .iter()
            .flat_map(|d| walkdir::WalkDir::new(root.join(d)).into_iter().flatten())
            .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
            .collect();
    }

    fn load(&self) -> Result<(Site, Diagnostics), Diagnostics> {
        load(
            &self.opts.root,
            self.opts.base_url.as_deref(),
            self.opts.drafts,
        )
    }

    /// Load and render everything, as `build` does, and keep what the next change reuses.
    fn rebuild_all(&mut self, start: Instant, inputs: Vec<String>) -> Rebuild {
        match self.load() {
            Ok((site, warnings)) => self.install_all(start, inputs, site, warnings),
            Err(d) => self.failed(start, inputs, d.sorted()),
        }
    }

    /// Render everything from a loaded site and keep what the next change reuses.
    fn install_all(
        &mut self,
        start: Instant,
        inputs: Vec<String>,
        site: Site,
        mut warnings: Diagnostics,
    ) -> Rebuild {
        let loads = crate::publications::names()
            .into_iter()
            .map(|name| (name, self.generation))
            .collect();
        let (built, files, render_warnings) = match make_all(site, loads) {
            Ok(made) => made,
            Err(d) => return self.failed(start, inputs, d),
        };
        let site = &built.site;
        let rendered = files.len();
        let mut outputs: Outputs = site
            .statics
            .iter()
            .map(|f| {
                let body = match &f.source {
                    StaticSource::Disk(p) => Body::File(p.clone()),
                    StaticSource::Embedded(b) => Body::Embedded(b),
                };
                (f.output.clone(), body)
            })
            .collect();
        for a in &site.content.assets {
            outputs.insert(a.output.clone(), Body::File(a.source.clone()));
        }
        for f in files {
            outputs.insert(f.path, Body::Bytes(f.bytes.into()));
        }
        let changed = diff(&self.outputs, &outputs);
        self.outputs = outputs;
        self.note_files();
        warnings.extend(render_warnings);
        self.warnings = warnings.sorted();
        self.errors.clear();
        self.built = Some(built);
        Rebuild {
            scope: Scope::Site,
            inputs,
            rendered,
            changed,
            css_only: false,
            elapsed: start.elapsed(),
            errors: Vec::new(),
        }
    }

    /// Data changed: load again the publications that read the changed files (or all of
    /// `data/` when others depend on them) and make again what read data that changed. A site
    /// whose pages are not the same ones (an organisation added) is made whole.
    fn rebuild_data(&mut self, start: Instant, inputs: Vec<String>) -> Rebuild {
        let today = match site::build_date() {
            Ok(d) => d,
            Err(d) => return self.failed(start, inputs, vec![d]),
        };
        let changed: Vec<String> = inputs
            .iter()
            .filter_map(|p| p.strip_prefix("data/"))
            .map(str::to_string)
            .collect();
        let o = self.opts.clone();
        self.remake(start, inputs, Scope::Data, move |old_site| {
            let opts = LoadOptions {
                root: &o.root,
                base_url: o.base_url.as_deref(),
                drafts: o.drafts,
                today,
            };
            // A failure leaves no site: the next change loads the whole site again.
            site::reload_data(&opts, old_site, &changed).unwrap_or_else(|_| {
                let all = load(&o.root, o.base_url.as_deref(), o.drafts);
                (all, crate::publications::names())
            })
        })
    }

    /// UI strings changed: load the site again (its print editions' titles and its datasets'
    /// column words are strings) and make again what read a string that changed.
    fn rebuild_strings(&mut self, start: Instant, inputs: Vec<String>) -> Rebuild {
        let o = self.opts.clone();
        self.remake(start, inputs, Scope::Strings, move |_| {
            (load(&o.root, o.base_url.as_deref(), o.drafts), Vec::new())
        })
    }

    /// Make again, from the site `reload` gives for the last good one after data or strings
    /// changed, what read something that changed. The publications it names were loaded
    /// again; the others' datasets keep the files written before unless the strings changed.
    /// A site whose pages are not the same ones (an organisation added) is made whole.
    fn remake(
        &mut self,
        start: Instant,
        inputs: Vec<String>,
        scope: Scope,
        reload: impl FnOnce(Site) -> site::Reloaded,
    ) -> Rebuild {
        let Some(old) = self.built.take() else {
            return self.rebuild_all(start, inputs);
        };
        let old_shape = shape(&old.site);
        let (loaded, reloaded) = reload(old.site);
        let (site, mut warnings) = match loaded {
            Ok(loaded) => loaded,
            Err(d) => return self.failed(start, inputs, d.sorted()),
        };
        if old_shape != shape(&site) {
            return self.install_all(start, inputs, site, warnings);
        }
        let old_downloads = downloads(&old.made);
        // Datasets of the publications not loaded again keep the files written before; new
        // strings may reword any dataset, so then every one is written again.
        let reuse = (scope == Scope::Data).then(|| publications::Reuse {
            previous: old.made,
            reloaded: reloaded.clone(),
        });
        let (made, made_diags) = publications::make(site.publications(), reuse);
        warnings.extend(made_diags);
        if warnings.has_errors() {
            return self.failed(start, inputs, warnings.sorted());
        }
        let mut loads = old.loads;
        for name in reloaded {
            loads.insert(name, self.generation);
        }
        let mut built = Built {
            shared: Shared::new(&site),
            site,
            markdown: old.markdown,
            made,
            pdf_links: old.pdf_links,
            pdfs_current: false,
            reads: old.reads,
            seen: old.seen,
            loads,
        };
        // Only data or strings changed: page texts and templates are as they were (an edit to
        // one that is read from disk here arrives as its own change, and is compared then).
        let mut files = match built.redo(|r| !matches!(r, Read::Body(_) | Read::Template(_))) {
            Ok(f) => f,
            Err(errors) => return self.failed(start, inputs, errors),
        };
        let rendered = files.len();
        // Datasets whose files are new; those of publications not loaded again are as they were.
        let new_downloads = downloads(&built.made);
        let written: BTreeSet<&str> = new_downloads
            .iter()
            .filter(|(name, d)| old_downloads.get(*name) != Some(*d))
            .flat_map(|(_, d)| d.iter().map(|(path, _)| path.as_str()))
            .collect();
        files.extend(dataset_files(&built.made).filter(|f| written.contains(f.path.as_str())));
        let mut gone: Vec<String> = old_downloads
            .values()
            .flatten()
            .map(|(path, _)| path.clone())
            .filter(|p| !new_downloads.values().flatten().any(|(q, _)| q == p))
            .collect();
        for p in &gone {
            self.outputs.remove(p);
        }
        let mut changed = self.merge(files);
        changed.append(&mut gone);
        changed.sort();
        self.note_files();
        self.warnings = warnings.sorted();
        self.errors.clear();
        self.built = Some(built);
        Rebuild {
            scope,
            inputs,
            rendered,
            changed,
            css_only: false,
            elapsed: start.elapsed(),
            errors: Vec::new(),
        }
    }

    /// Page text edits. `None` when a change is more than a body edit of a known page (front
    /// matter, a new or deleted file), which needs the whole site.
    fn try_pages(&mut self, inputs: &[PathBuf]) -> Option<Outcome> {
        let built = self.built.as_mut()?;
        let mut edits: Vec<Edit> = Vec::new();
        for rel in inputs {
            // A page over the limit is reported by a whole load.
            let size = std::fs::metadata(self.opts.root.join(rel)).ok()?.len();
            if size > crate::content::MAX_PAGE_BYTES {
                return None;
            }
            let text = std::fs::read_to_string(self.opts.root.join(rel)).ok()?;
            let pages = &built.site.content.pages;
            let ids: Vec<PageId> = (0..pages.len())
                .filter(|&id| pages[id].source.path == *rel && !pages[id].key.contains('#'))
                .collect();
            let first = *ids.first()?;
            let source = SourceFile::new(rel, text);
            let (front, body) = match front_matter::parse(&source) {
                Ok(parsed) => parsed,
                Err(ds) => return Some(Err(ds)),
            };
            let old = &pages[first];
            // Each body range is of its own text, from `front_matter`.
            let front = if old.source.text[..old.body.start] == source.text[..body.start] {
                None
            } else if wording_only(&old.front, &front)
                && !pages
                    .iter()
                    .any(|p| p.print_of.is_some_and(|e| ids.contains(&e)))
            {
                Some(front)
            } else {
                return None;
            };
            edits.extend(ids.into_iter().map(|id| Edit {
                id,
                source: source.clone(),
                body: body.clone(),
                front: front.clone(),
            }));
        }
        Some(patch_pages(built, edits).map(|(rendered, files)| {
            let changed = self.merge(files);
            (Scope::Pages, rendered, changed)
        }))
    }

    /// Templates changed: compile the theme again and make again what read them. `None` when
    /// a template was added or removed, which can change the template a page is made with:
    /// that needs the whole site.
    fn templates(&mut self) -> Option<Outcome> {
        let built = self.built.as_mut()?;
        let site = &mut built.site;
        let (sources, diags) = crate::theme::load(&self.opts.root, &site.config);
        let mut diags: Diagnostics = diags;
        let Some(sources) = sources else {
            return Some(Err(diags.sorted()));
        };
        if !sources.templates.keys().eq(site.theme.templates.keys()) {
            return None;
        }
        let functions = render::template_functions(&site.config, &sources.strings, &site.content);
        let (theme, template_diags) = sources.compile(functions);
        diags.extend(template_diags);
        for id in 0..site.content.pages.len() {
            if let Err(d) = render::template_for(&site.content, &site.data, &theme, id) {
                diags.push(d);
            }
        }
        if diags.has_errors() {
            return Some(Err(diags.sorted()));
        }
        let old_theme = std::mem::replace(&mut site.theme, theme);
        built.pdfs_current = false;
        match built.redo(|r| matches!(r, Read::Template(_))) {
            Ok(files) => {
                let rendered = files.len();
                Some(Ok((Scope::Templates, rendered, self.merge(files))))
            }
            Err(errors) => {
                built.site.theme = old_theme;
                Some(Err(errors))
            }
        }
    }

    /// Static files changed: their bytes are read when served, so only the list can change.
    fn statics(&mut self, inputs: &[PathBuf]) -> Outcome {
        // A file added or removed changes the list; the whole site is cheap enough to redo
        // then, and it checks that no page claims the same path.
        let all_exist = inputs.iter().all(|p| self.opts.root.join(p).is_file());
        let known = inputs.iter().all(|p| {
            self.outputs.values().any(|b| match b {
                Body::File(f) => f == &self.opts.root.join(p),
                _ => false,
            })
        });
        if !(all_exist && known) {
            let report = self.rebuild_all(Instant::now(), Vec::new());
            return if report.errors.is_empty() {
                Ok((Scope::Site, report.rendered, report.changed))
            } else {
                Err(report.errors)
            };
        }
        let changed = inputs
            .iter()
            .filter_map(|p| {
                let abs = self.opts.root.join(p);
                self.outputs
                    .iter()
                    .find(|(_, b)| **b == Body::File(abs.clone()))
                    .map(|(path, _)| path.clone())
            })
            .collect();
        Ok((Scope::Statics, 0, changed))
    }

    /// Put rendered files into the outputs; the paths whose bytes changed.
    fn merge(&mut self, files: Vec<OutputFile>) -> Vec<String> {
        let mut changed = Vec::new();
        for f in files {
            let body = Body::Bytes(f.bytes.into());
            if self.outputs.get(&f.path) != Some(&body) {
                changed.push(f.path.clone());
                self.outputs.insert(f.path, body);
            }
        }
        changed.sort();
        changed
    }
}

/// What a partial rebuild did (scope, outputs rendered, outputs changed), or its errors.
type Outcome = Result<(Scope, usize, Vec<String>), Vec<Diagnostic>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    Template,
    Static,
    Data,
    Strings,
    Other,
}

/// A page file's new text: its body, and its front matter when that changed too.
struct Edit {
    id: PageId,
    source: SourceFile,
    body: std::ops::Range<usize>,
    front: Option<FrontMatter>,
}

/// Whether a front matter edit changes only wording (title, description, `updated`, `extra`,
/// `translated_from`): the pages stay where they are, so only the pages that show the
/// wording need rendering. Anything else moves pages, and needs the whole site.
fn wording_only(a: &FrontMatter, b: &FrontMatter) -> bool {
    let value = |s: &Option<Spanned<String>>| s.as_ref().map(|v| v.get_ref().clone());
    let aliases = |f: &FrontMatter| {
        f.aliases
            .iter()
            .map(|a| a.get_ref().clone())
            .collect::<Vec<_>>()
    };
    a.date == b.date
        && a.weight == b.weight
        && a.draft == b.draft
        && a.print == b.print
        && a.menu == b.menu
        && value(&a.slug) == value(&b.slug)
        && value(&a.template) == value(&b.template)
        && value(&a.publication) == value(&b.publication)
        && a.publication.is_none()
        && aliases(a) == aliases(b)
}

/// What a page edit replaced, to put back if the edit breaks the site.
struct Undo {
    pages: Vec<(
        PageId,
        SourceFile,
        std::ops::Range<usize>,
        Option<FrontMatter>,
    )>,
    children: Vec<(PageId, Vec<PageId>)>,
    theme: Option<crate::theme::Theme>,
    shared: Option<Shared>,
}

/// Swap in the edited pages' text and make again what read it. On any error the site is left
/// as it was.
fn patch_pages(
    built: &mut Built,
    edits: Vec<Edit>,
) -> Result<(usize, Vec<OutputFile>), Vec<Diagnostic>> {
    let mut undo = Undo {
        pages: Vec::new(),
        children: Vec::new(),
        theme: None,
        shared: None,
    };
    let wording = edits.iter().any(|e| e.front.is_some());
    for e in edits {
        let page = &mut built.site.content.pages[e.id];
        let old_source = std::mem::replace(&mut page.source, e.source);
        let old_body = std::mem::replace(&mut page.body, e.body);
        let old_front = e.front.map(|f| std::mem::replace(&mut page.front, f));
        undo.pages.push((e.id, old_source, old_body, old_front));
    }
    let ids: Vec<PageId> = undo.pages.iter().map(|(id, ..)| *id).collect();
    let result = if wording {
        reword(built, &ids, &mut undo)
    } else {
        Ok(())
    };
    // Pages keep their places and data: only what pages and shared lists show can differ.
    let result = result.and_then(|()| {
        built.redo(|r| {
            matches!(
                r,
                Read::Page(_)
                    | Read::Summary(_)
                    | Read::Body(_)
                    | Read::Children(_)
                    | Read::Shared(_)
            )
        })
    });
    match result {
        Ok(files) => {
            // The PDFs hold the text too; they are made again when the editor pauses.
            built.pdfs_current = false;
            Ok((files.len(), files))
        }
        Err(errors) => {
            let content = &mut built.site.content;
            for (id, source, body, front) in undo.pages {
                let page = &mut content.pages[id];
                page.source = source;
                page.body = body;
                if let Some(f) = front {
                    page.front = f;
                }
            }
            for (id, kids) in undo.children {
                content.pages[id].children = kids;
            }
            if let Some(t) = undo.theme {
                built.site.theme = t;
            }
            if let Some(s) = undo.shared {
                built.shared = s;
            }
            Err(errors)
        }
    }
}

/// New wording in front matter: put the pages back in reading order, and give the templates
/// and the shared lists the new titles.
fn reword(built: &mut Built, ids: &[PageId], undo: &mut Undo) -> Result<(), Vec<Diagnostic>> {
    let site = &mut built.site;
    let parents: BTreeSet<PageId> = ids
        .iter()
        .filter_map(|&id| site.content.pages[id].parent)
        .collect();
    for &parent in &parents {
        let mut kids = site.content.pages[parent].children.clone();
        let pages = &site.content.pages;
        kids.sort_by(|&a, &b| crate::content::reading_order(&pages[a], &pages[b]));
        let old = std::mem::replace(&mut site.content.pages[parent].children, kids);
        undo.children.push((parent, old));
    }
    let t = &site.theme;
    let sources = crate::theme::ThemeSources {
        templates: t.templates.clone(),
        strings: t.strings.clone(),
        statics: t.statics.clone(),
        shown_as: t.shown_as.clone(),
    };
    let functions = render::template_functions(&site.config, &sources.strings, &site.content);
    let (theme, diags) = sources.compile(functions);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    undo.theme = Some(std::mem::replace(&mut site.theme, theme));
    let shared = Shared::new(site);
    undo.shared = Some(std::mem::replace(&mut built.shared, shared));
    Ok(())
}

/// Make everything from `site`, as `build` does without PDFs, recording what each thing read:
/// what the next change starts from, its outputs (datasets included) and the warnings.
fn make_all(
    site: Site,
    loads: HashMap<&'static str, u64>,
) -> Result<(Built, Vec<OutputFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let ids: Vec<PageId> = (0..site.content.pages.len()).collect();
    let mut diags = Diagnostics::new();
    let (made, made_diags) = publications::make(site.publications(), None);
    diags.extend(made_diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let mut md = Vec::with_capacity(ids.len());
    let mut reads = HashMap::new();
    for (id, rendered, ds, read) in markdown(&site, &made.downloads, &ids) {
        diags.extend(ds);
        md.push(rendered);
        reads.insert(Made::Markdown(id), read);
    }
    render::check_anchors(&site, &md, &mut diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let mut built = Built {
        shared: Shared::new(&site),
        site,
        markdown: md,
        made,
        pdf_links: PdfLinks::new(),
        pdfs_current: false,
        reads,
        seen: HashMap::new(),
        loads,
    };
    let what: Vec<Made> = ids
        .into_iter()
        .map(Made::Page)
        .chain([Made::Extras])
        .collect();
    let (mut files, reads) = built.make(&what)?;
    built.reads.extend(reads);
    let all: BTreeSet<&Read> = built.reads.values().flatten().collect();
    built.seen = fingerprints(all.into_iter(), &built.model());
    files.extend(dataset_files(&built.made));
    Ok((built, files, diags.sorted()))
}

/// These pages' Markdown, recording what each read.
fn markdown(
    site: &Site,
    downloads: &publications::Downloads,
    ids: &[PageId],
) -> Vec<(PageId, Rendered, Vec<Diagnostic>, Vec<Read>)> {
    ids.par_iter()
        .map(|&id| {
            let ((rendered, diags), reads) = recording(|| render::markdown_of(site, downloads, id));
            (id, rendered, diags, reads)
        })
        .collect()
}

/// The datasets' files.
fn dataset_files(made: &publications::Made) -> impl Iterator<Item = OutputFile> + '_ {
    made.files.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        bytes: bytes.clone(),
    })
}

/// Load the site as `build` does (dated today, or `SOURCE_DATE_EPOCH`).
fn load(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let today = site::build_date().map_err(|d| {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    })?;
    site::load(&LoadOptions {
        root,
        base_url,
        drafts,
        today,
    })
}

/// Each page's key, language, path and the page it is the print edition of: two loads with
/// the same shape have the same pages at the same paths, so the reads recorded for one name
/// the same pages in the other.
fn shape(site: &Site) -> Vec<(String, &'static str, String, Option<PageId>)> {
    site.content
        .pages
        .iter()
        .map(|p| (p.key.clone(), p.lang.code, p.path.clone(), p.print_of))
        .collect()
}

/// Each dataset's files and their checksums, by dataset name.
fn downloads(made: &publications::Made) -> BTreeMap<&'static str, Vec<(String, String)>> {
    made.downloads
        .iter()
        .map(|(name, d)| {
            let files = d
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect();
            (*name, files)
        })
        .collect()
}

/// Paths whose bodies differ between two sets of outputs.
fn diff(before: &Outputs, after: &Outputs) -> Vec<String> {
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(path, body)| before.get(*path) != Some(*body))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    changed.sort();
    changed
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
