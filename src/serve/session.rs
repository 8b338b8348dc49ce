//! The incremental build behind `tryloyw serve`. A session holds the last good site, its
//! rendered Markdown and every output in memory, and redoes only what a change touches:
//!
//! - a page's text (its front matter unchanged): that page's Markdown and template, and the
//!   print editions that contain it. Nothing else reads a page's body.
//! - templates only: the pages whose template uses a changed one, and the extra pages.
//! - static files only: the file list (bytes are read from disk when served).
//! - anything else (front matter, new or deleted pages, data, UI strings, site.toml): the
//!   whole site, as `build` would, and the outputs compared to find what changed.
//!
//! Whatever the path, the outputs are the bytes a full build of the same files gives; the
//! tests check this on a sequence of edits. A failed rebuild leaves the last good outputs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::{FrontMatter, PageId, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::markdown::Rendered;
use crate::render::{self, OutputFile, Rendering, Shared};
use crate::site::{self, LoadOptions, Site};
use crate::theme::StaticSource;
use toml::Spanned;

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
                let markdown = render::markdown_all(&site).map_err(|d| d.sorted())?;
                render::pdfs(&site, &markdown, true).map_err(|d| d.sorted())
            });
        PdfsMade {
            generation: self.generation,
            result,
            elapsed: start.elapsed(),
        }
    }
}

/// The last good site and what rendering it left behind.
struct Built {
    site: Site,
    /// One per page of `site`, indexed by [`PageId`].
    markdown: Vec<Rendered>,
    shared: Shared,
    pdf_links: PdfLinks,
    /// Whether the PDFs (and the pages that link to them) are up to date.
    pdfs_current: bool,
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
            } else {
                Kind::Other
            }
        };
        let kinds: BTreeSet<Kind> = inputs.iter().map(|p| kind(p)).collect();
        let outcome = match kinds.iter().collect::<Vec<_>>().as_slice() {
            [Kind::Page] => self.try_pages(&inputs),
            [Kind::Template] => Some(self.templates(&inputs)),
            [Kind::Static] => Some(self.statics(&inputs)),
            [Kind::Data] => return self.rebuild_data(start, shown),
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
            built.pdf_links = links;
            built.pdfs_current = true;
            let linking: Vec<PageId> = (0..built.site.content.pages.len())
                .filter(|&id| {
                    let page = &built.site.content.pages[id];
                    built.pdf_links.contains_key(&page.print_of.unwrap_or(id))
                })
                .collect();
            let mut out = render_pages(built, &linking)?;
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
        let (site, mut warnings) = match self.load() {
            Ok(loaded) => loaded,
            Err(d) => return self.failed(start, inputs, d.sorted()),
        };
        let Rendering {
            files,
            markdown,
            shared,
            pdf_links,
            warnings: render_warnings,
        } = match render::render_all(&site, false) {
            Ok(r) => r,
            Err(d) => return self.failed(start, inputs, d.sorted()),
        };
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
        self.built = Some(Built {
            site,
            markdown,
            shared,
            pdf_links,
            pdfs_current: false,
        });
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

    /// Data changed: load the site again (publications read all of `data/`), but render
    /// only the pages whose data changed: publication pages whose values differ, pages whose
    /// shortcodes now show something else, print editions, and every page when the site's
    /// lists (navigation, section listings) changed. Other pages keep their bytes.
    fn rebuild_data(&mut self, start: Instant, inputs: Vec<String>) -> Rebuild {
        let Some(old) = self.built.as_ref() else {
            return self.rebuild_all(start, inputs);
        };
        let (site, warnings) = match self.load() {
            Ok(loaded) => loaded,
            Err(d) => return self.failed(start, inputs, d.sorted()),
        };
        if !same_pages(&old.site, &site) {
            return self.rebuild_all(start, inputs);
        }
        let pages = &site.content.pages;
        let shows_data = |id: PageId| {
            let p = &pages[id];
            // A page's body range is within its source text (see `Page::body`).
            p.key.contains('#') || p.source.text[p.body.clone()].contains("{{")
        };
        let redo: Vec<PageId> = (0..pages.len()).filter(|&id| shows_data(id)).collect();
        // `same_pages` held, so the old site has as many pages as this one.
        let mut markdown = old.markdown.clone();
        let mut diags = Diagnostics::new();
        let mut new_text = BTreeSet::new();
        for (id, (rendered, ds)) in {
            use rayon::prelude::*;
            redo.par_iter()
                .map(|&id| (id, render::markdown_of(&site, id)))
                .collect::<Vec<_>>()
        } {
            diags.extend(ds);
            let before = &markdown[id];
            if rendered.html != before.html
                || rendered.toc != before.toc
                || rendered.illustrative != before.illustrative
            {
                new_text.insert(id);
            }
            markdown[id] = rendered;
        }
        render::check_anchors(&site, &markdown, &mut diags);
        if diags.has_errors() {
            return self.failed(start, inputs, diags.sorted());
        }
        let shared = Shared::new(&site);
        let render_all = !shared.same_as(&old.shared);
        let ids: Vec<PageId> = (0..pages.len())
            .filter(|&id| {
                render_all
                    || new_text.contains(&id)
                    || site.page_data.values.get(&id) != old.site.page_data.values.get(&id)
                    || pages[id].print_of.is_some()
            })
            .collect();
        let old_datasets: Vec<String> = old
            .site
            .page_data
            .files
            .iter()
            .map(|(p, _)| p.clone())
            .collect();
        let built = Built {
            site,
            markdown,
            shared,
            pdf_links: old.pdf_links.clone(),
            pdfs_current: false,
        };
        let files = render_pages(&built, &ids).and_then(|mut files| {
            files.extend(render::extras(&built.site, &built.shared)?);
            Ok(files)
        });
        let mut files = match files {
            Ok(f) => f,
            Err(errors) => return self.failed(start, inputs, errors),
        };
        let rendered = files.len();
        files.extend(
            built
                .site
                .page_data
                .files
                .iter()
                .map(|(path, bytes)| OutputFile {
                    path: path.clone(),
                    bytes: bytes.clone(),
                }),
        );
        let mut gone: Vec<String> = old_datasets
            .into_iter()
            .filter(|p| !files.iter().any(|f| &f.path == p))
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
            scope: Scope::Data,
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

    /// Templates changed: compile the theme again and render the pages that use them.
    fn templates(&mut self, inputs: &[PathBuf]) -> Outcome {
        // `apply` rebuilds everything, never calling this, when nothing was built.
        let built = self.built.as_mut().expect("checked by apply");
        let templates_dir = PathBuf::from("themes")
            .join(&built.site.config.theme)
            .join("templates");
        let names: BTreeSet<String> = inputs
            .iter()
            .filter_map(|p| p.strip_prefix(&templates_dir).ok())
            .map(slash)
            .collect();
        let site = &mut built.site;
        let (sources, diags) = crate::theme::load(&self.opts.root, &site.config);
        let mut diags: Diagnostics = diags;
        let Some(sources) = sources else {
            return Err(diags.sorted());
        };
        let functions = render::template_functions(&site.config, &sources.strings, &site.content);
        let (theme, template_diags) = sources.compile(functions);
        diags.extend(template_diags);
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        let mut uses: Vec<(PageId, String)> = Vec::new();
        for id in 0..site.content.pages.len() {
            match render::template_for(&site.content, &site.data, &theme, id) {
                Ok(t) => uses.push((id, t)),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        let affected = users_of(&theme.templates, &names);
        let old_theme = std::mem::replace(&mut site.theme, theme);
        // Print editions also render publication text through its templates, whatever
        // their own template is; there are few, so they are always rendered again.
        let pages: Vec<PageId> = uses
            .into_iter()
            .filter(|&(id, ref t)| {
                affected.contains(t) || built.site.content.pages[id].print_of.is_some()
            })
            .map(|(id, _)| id)
            .collect();
        built.pdfs_current = false;
        let result = render_pages(built, &pages).and_then(|mut files| {
            files.extend(render::extras(&built.site, &built.shared)?);
            Ok(files)
        });
        match result {
            Ok(files) => {
                let rendered = files.len();
                Ok((Scope::Templates, rendered, self.merge(files)))
            }
            Err(errors) => {
                built.site.theme = old_theme;
                Err(errors)
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
    markdown: Vec<(PageId, Rendered)>,
    children: Vec<(PageId, Vec<PageId>)>,
    theme: Option<crate::theme::Theme>,
    shared: Option<Shared>,
}

/// Swap in the edited pages' text, render their Markdown and the pages that show it. On any
/// error the site is left as it was.
fn patch_pages(
    built: &mut Built,
    edits: Vec<Edit>,
) -> Result<(usize, Vec<OutputFile>), Vec<Diagnostic>> {
    let mut undo = Undo {
        pages: Vec::new(),
        markdown: Vec::new(),
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
        Ok(Vec::new())
    };
    let result = result.and_then(|also| {
        let mut diags = Diagnostics::new();
        for &id in &ids {
            let (rendered, ds) = render::markdown_of(&built.site, id);
            diags.extend(ds);
            undo.markdown
                .push((id, std::mem::replace(&mut built.markdown[id], rendered)));
        }
        render::check_anchors(&built.site, &built.markdown, &mut diags);
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        let mut pages = ids.clone();
        pages.extend(editions_containing(&built.site, &ids));
        pages.extend(also);
        pages.sort_unstable();
        pages.dedup();
        let mut files = render_pages(built, &pages)?;
        if wording {
            files.extend(render::extras(&built.site, &built.shared)?);
        }
        Ok((files.len(), files))
    });
    match result {
        Ok(done) => {
            // The PDFs hold the text too; they are made again when the editor pauses.
            built.pdfs_current = false;
            Ok(done)
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
            for (id, md) in undo.markdown {
                built.markdown[id] = md;
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

/// New wording in front matter: put the pages back in reading order, give the templates the
/// new titles, and find the pages that show them: the section that lists the page, its
/// neighbours, the pages below it (breadcrumbs), and every page of a language whose shared
/// lists (navigation, latest pages) changed or whose templates name the page.
fn reword(
    built: &mut Built,
    ids: &[PageId],
    undo: &mut Undo,
) -> Result<Vec<PageId>, Vec<Diagnostic>> {
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
    let old_shared = std::mem::replace(&mut built.shared, shared);
    let content = &built.site.content;
    let templates = &built.site.theme.templates;
    let mut all_of: BTreeSet<&str> = built
        .site
        .config
        .languages
        .iter()
        .filter(|l| !built.shared.same_lists(&old_shared, l.code))
        .map(|l| l.code)
        .collect();
    undo.shared = Some(old_shared);
    let mut also: BTreeSet<PageId> = BTreeSet::new();
    for &id in ids {
        let page = &content.pages[id];
        let named = format!("\"{}\"", page.key);
        if templates.values().any(|t| t.text.contains(&named)) {
            all_of.insert(page.lang.code);
        }
        if let Some(parent) = page.parent {
            also.insert(parent);
            also.extend(content.pages[parent].children.iter().copied());
        }
    }
    for p in 0..content.pages.len() {
        let page = &content.pages[p];
        if all_of.contains(page.lang.code) || content.ancestors(p).iter().any(|a| ids.contains(a)) {
            also.insert(p);
        }
    }
    Ok(also.into_iter().collect())
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

/// Whether two loads of a site have the same pages at the same paths, with the same text
/// (pages made from data aside, whose text is the data file's).
fn same_pages(a: &Site, b: &Site) -> bool {
    let (a, b) = (&a.content.pages, &b.content.pages);
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.key == b.key
                && a.lang == b.lang
                && a.path == b.path
                && a.print_of == b.print_of
                && (a.key.contains('#') || a.source.text == b.source.text)
        })
}

/// Print editions that show any of these pages: those of the pages' own or enclosing sections.
fn editions_containing(site: &Site, ids: &[PageId]) -> Vec<PageId> {
    let content = &site.content;
    let mut holders: BTreeSet<PageId> = BTreeSet::new();
    for &id in ids {
        holders.insert(id);
        holders.extend(content.ancestors(id));
    }
    (0..content.pages.len())
        .filter(|&e| {
            content.pages[e]
                .print_of
                .is_some_and(|s| holders.contains(&s))
        })
        .collect()
}

fn render_pages(built: &Built, ids: &[PageId]) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let results: Vec<Result<OutputFile, Diagnostic>> = ids
        .par_iter()
        .map(|&id| {
            render::page_output(
                &built.site,
                &built.shared,
                id,
                &built.markdown,
                &built.pdf_links,
            )
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        Err(diags.sorted())
    } else {
        Ok(files)
    }
}

/// The templates that use any of `changed` (themselves included), through `extends`,
/// `include` and `import`. A template names another by quoting its name, so a quoted name
/// counts as a use: it may over-count, never under-count.
fn users_of(
    templates: &BTreeMap<String, SourceFile>,
    changed: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mentions: HashMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(name, source)| {
            let used = templates
                .keys()
                .filter(|other| {
                    *other != name
                        && (source.text.contains(&format!("\"{other}\""))
                            || source.text.contains(&format!("'{other}'")))
                })
                .map(String::as_str)
                .collect();
            (name.as_str(), used)
        })
        .collect();
    let mut users: BTreeSet<String> = changed.clone();
    loop {
        let before = users.len();
        for (name, used) in &mentions {
            if used.iter().any(|u| users.contains(*u)) {
                users.insert((*name).to_string());
            }
        }
        if users.len() == before {
            return users;
        }
    }
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
