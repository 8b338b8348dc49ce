//! Markdown pages on disk → the page tree: sections, ordering, URLs per language, twins.

pub mod front_matter;
pub mod paths;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::locale::Lang;
pub use front_matter::{FrontMatter, Ignored, PageDate};
pub use paths::{normalise_alias, output_file};

pub const DIR: &str = "content";

/// An index into [`Content::pages`]. Pages are only ever appended (files, then fallbacks,
/// publication items and print editions), never removed, so every `PageId` the code holds
/// indexes that vector.
pub type PageId = usize;

#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    /// Language-neutral key: the default-language file's path under `content/`, with `/`
    /// separators (`code-of-practice/_index.md`). Twins share it; `@/` links name it.
    pub key: String,
    pub source: SourceFile,
    pub front: FrontMatter,
    /// The Markdown body, as a byte range of `source.text`: from `front_matter::split` of
    /// that text (so on char boundaries), or `0..0` for a generated page.
    pub body: Range<usize>,
    pub is_section: bool,
    /// URL path with leading and trailing slash: `/cy/cod-ymarfer/diben/`.
    pub path: String,
    pub parent: Option<PageId>,
    /// For sections: the pages and subsections directly inside, in reading order.
    pub children: Vec<PageId>,
    /// The same page in each language, including itself, in the site's language order.
    pub twins: Vec<PageId>,
    /// Not translated yet: the default language's text, published (marked) on this language's
    /// URL because the site allows `missing_translation = "fallback"`.
    pub fallback: bool,
    /// The section this page is the print edition of.
    pub print_of: Option<PageId>,
}

impl Page {
    pub fn date(&self) -> Option<jiff::civil::Date> {
        self.front.date.map(|d| d.0)
    }
}

/// A file under `content/` that is not Markdown (an image beside its page), copied as is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    pub output: String,
}

#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by key, then language order: a stable order for every later stage.
    pub pages: Vec<Page>,
    pub by_key: HashMap<(String, &'static str), PageId>,
    pub assets: Vec<Asset>,
    /// Pages on disk that could not be read or whose front matter is in error, by key and
    /// language: known to the tree, so that their twins and the pages below them report
    /// nothing that follows from the one error already reported.
    pub unparsed: HashSet<(String, &'static str)>,
}

impl Content {
    /// Rebuild the key index and twins after pages were added (pages generated from data).
    pub fn reindex(&mut self, config: &Config) {
        self.by_key = self
            .pages
            .iter()
            .enumerate()
            .map(|(id, p)| ((p.key.clone(), p.lang.code), id))
            .collect();
        for id in 0..self.pages.len() {
            let key = &self.pages[id].key;
            let twins = config
                .languages
                .iter()
                .filter_map(|l| self.by_key.get(&(key.clone(), l.code)).copied())
                .collect();
            self.pages[id].twins = twins;
        }
    }

    /// Is there a file for `key` in `lang` whose error was already reported?
    fn is_unparsed(&self, key: &str, lang: Lang) -> bool {
        self.unparsed.contains(&(key.to_string(), lang.code))
    }

    /// Is there a file for `key`, in any language, whose error was already reported?
    fn any_unparsed(&self, key: &str, config: &Config) -> bool {
        config.languages.iter().any(|&l| self.is_unparsed(key, l))
    }

    pub fn get(&self, key: &str, lang: Lang) -> Option<&Page> {
        self.by_key
            .get(&(key.to_string(), lang.code))
            .map(|&id| &self.pages[id])
    }

    pub fn home(&self, lang: Lang) -> Option<PageId> {
        self.by_key
            .get(&("_index.md".to_string(), lang.code))
            .copied()
    }

    /// Root first, excluding the page itself.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut out = Vec::new();
        let mut cur = self.pages[id].parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.pages[p].parent;
        }
        out.reverse();
        out
    }

    /// The page before and after this one among its section's non-section pages.
    pub fn neighbours(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        let Some(parent) = self.pages[id].parent else {
            return (None, None);
        };
        // Sections are not among the neighbours, and have none. Found in place, with no list
        // of siblings made per page.
        if self.pages[id].is_section {
            return (None, None);
        }
        let siblings = &self.pages[parent].children;
        let Some(i) = siblings.iter().position(|&c| c == id) else {
            return (None, None);
        };
        let page = |&c: &PageId| !self.pages[c].is_section;
        let (before, after) = (&siblings[..i], &siblings[i + 1..]);
        (
            before.iter().rev().find(|c| page(c)).copied(),
            after.iter().find(|c| page(c)).copied(),
        )
    }
}

/// One `.md` file found on disk, before parsing.
struct Found {
    key: String,
    lang: Lang,
    abs: PathBuf,
    rel: PathBuf,
}

pub fn load(root: &Path, config: &Config, drafts: bool) -> (Content, Diagnostics) {
    let mut diags = Diagnostics::new();
    let dir = root.join(DIR);
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error(format!("no `{DIR}/` folder in {}", root.display()))
                .hint("create content/_index.md (the home page) and its twin content/_index.cy.md"),
        );
        return (Content::default(), diags);
    }
    let (found, assets) = discover(root, config, &mut diags);

    // Read and parse in parallel; collect in discovery order so the result is deterministic.
    let parsed: Vec<(String, Lang, ReadPage)> = found
        .into_par_iter()
        .map(|f| (f.key.clone(), f.lang, read_page(f)))
        .collect();
    let mut pages = Vec::new();
    let mut unparsed = HashSet::new();
    let mut ignored = Vec::new();
    for (key, lang, p) in parsed {
        match p {
            Ok((page, zola)) => {
                ignored.extend(zola.into_iter().map(|i| (page.source.clone(), i)));
                if !page.front.draft || drafts {
                    pages.push(page);
                }
            }
            Err(ds) => {
                diags.extend(ds);
                unparsed.insert((key, lang.code));
            }
        }
    }
    let mut content = Content {
        pages,
        by_key: HashMap::new(),
        assets,
        unparsed,
    };
    diags.extend(zola_warnings(ignored));
    link_tree(&mut content, config, &mut diags);
    (content, diags)
}

fn discover(root: &Path, config: &Config, diags: &mut Diagnostics) -> (Vec<Found>, Vec<Asset>) {
    let mut found = Vec::new();
    let mut assets = Vec::new();
    let (files, errors) = crate::walk::files(root, Path::new(DIR));
    diags.extend(errors);
    for file in files {
        let rel_slash = file.rel;
        let rel = Path::new(DIR).join(&rel_slash);
        let Some(stem) = rel_slash.strip_suffix(".md") else {
            if !is_editor_junk(&rel_slash) {
                assets.push(Asset {
                    source: file.abs,
                    output: rel_slash,
                });
            }
            continue;
        };
        // `page.cy.md` is the Welsh twin of `page.md`.
        let (key, lang) = match stem.rsplit_once('.') {
            Some((base, code)) if !base.ends_with('/') && !base.is_empty() => {
                match config.language(code) {
                    Some(l) if l != config.default_language() => (format!("{base}.md"), l),
                    Some(_) => {
                        diags.push(
                        Diagnostic::error(format!(
                            "`{}` names the default language; default-language pages have no language suffix",
                            rel.display()
                        ))
                        .hint(format!("rename it to {base}.md")),
                    );
                        continue;
                    }
                    None => {
                        diags.push(
                        Diagnostic::error(format!(
                            "`{}` is for language `{code}`, which is not in site.toml `languages`",
                            rel.display()
                        ))
                        .hint("add the language to site.toml, or rename the file"),
                    );
                        continue;
                    }
                }
            }
            _ => (rel_slash.clone(), config.default_language()),
        };
        found.push(Found {
            key,
            lang,
            abs: file.abs,
            rel,
        });
    }
    let order = |l: Lang| config.languages.iter().position(|&x| x == l);
    found.sort_by(|a, b| a.key.cmp(&b.key).then(order(a.lang).cmp(&order(b.lang))));
    (found, assets)
}

/// Editors' swap and backup files are not content.
fn is_editor_junk(name: &str) -> bool {
    name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") || name.contains("/#")
}

/// A page as read: the page and the Zola fields it read past, or why it could not be read.
type ReadPage = Result<(Page, Vec<Ignored>), Vec<Diagnostic>>;

/// The largest page read: 10 MB, about 600 times the largest page of the bundled site. A page
/// takes about 45 times its size in memory while it is rendered (a 50 MB page: 2.2 GB), so this
/// bounds one page's share to about 450 MB.
pub const MAX_PAGE_BYTES: u64 = 10 * 1024 * 1024;

/// A page over [`MAX_PAGE_BYTES`], refused before it is read.
fn too_large(rel: &Path, size: u64) -> Diagnostic {
    let mb = crate::diagnostics::megabytes;
    Diagnostic::error(format!(
        "{} is {}; Tryloyw reads at most {} of Markdown from one page",
        rel.display(),
        mb(size),
        mb(MAX_PAGE_BYTES)
    ))
    .in_file(&SourceFile::new(rel, ""))
    .hint("split it into several pages, or put long tables in a CSV file in data/")
}

fn read_page(f: Found) -> ReadPage {
    // Refused before reading: a page over the limit is not read into memory at all.
    let size = std::fs::metadata(&f.abs).map_or(0, |m| m.len());
    if size > MAX_PAGE_BYTES {
        return Err(vec![too_large(&f.rel, size)]);
    }
    let bytes = std::fs::read(&f.abs).map_err(|e| {
        vec![
            Diagnostic::error(format!("cannot read {}: {e}", f.rel.display())).hint(
                "check that the file and its folders can be read by the user running tryloyw",
            ),
        ]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let source = SourceFile::new(&f.rel, "");
        vec![
            Diagnostic::error(format!(
                "{} is not valid UTF-8 (byte {})",
                f.rel.display(),
                e.utf8_error().valid_up_to()
            ))
            .in_file(&source)
            .hint("save the file as UTF-8"),
        ]
    })?;
    let source = SourceFile::new(f.rel, text);
    let (front, body, ignored) = front_matter::parse_reading_past_zola(&source)?;
    let is_section = f.key == "_index.md" || f.key.ends_with("/_index.md");
    let page = Page {
        lang: f.lang,
        key: f.key,
        source,
        front,
        body,
        is_section,
        path: String::new(),
        parent: None,
        children: Vec::new(),
        twins: Vec::new(),
        fallback: false,
        print_of: None,
    };
    Ok((page, ignored))
}

/// One warning for each Zola field read past, at its first use, with how many other files
/// have it: a tree moved from Zola gets a few lines, not one per section.
fn zola_warnings(ignored: Vec<(SourceFile, Ignored)>) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&'static str, (SourceFile, Range<usize>, usize)> = BTreeMap::new();
    for (source, i) in ignored {
        first
            .entry(i.key)
            .and_modify(|e| e.2 += 1)
            .or_insert((source, i.span, 0));
    }
    first
        .into_iter()
        .map(|(key, (source, span, others))| {
            let elsewhere = match others {
                0 => String::new(),
                1 => " (here and in 1 other file)".to_string(),
                n => format!(" (here and in {n} other files)"),
            };
            let hint = match key {
                "sort_by" => "a section lists its pages by `weight`, then newest `date`, then title; remove `sort_by` once the site is no longer built with Zola",
                k if k.starts_with("paginate") => "sections are not paginated here: every page is listed; remove it once the site is no longer built with Zola",
                _ => "remove it once the site is no longer built with Zola",
            };
            Diagnostic::warning(format!("Zola's `{key}` has no effect in Tryloyw{elsewhere}"))
                .at(&source, span)
                .label("read past")
                .code("zola-field")
                .hint(hint)
        })
        .collect()
}

/// The key of the section a page belongs to: `a/b.md` → `a/_index.md`; `a/_index.md` →
/// `_index.md`; the home page has none.
fn parent_key(key: &str) -> Option<String> {
    if key == "_index.md" {
        return None;
    }
    let dir = key.strip_suffix("/_index.md").unwrap_or(key);
    Some(match dir.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/_index.md"),
        None => "_index.md".to_string(),
    })
}

/// The URL segment a page adds: its slug, or its file or folder name.
fn default_segment(key: &str) -> &str {
    let trimmed = key
        .strip_suffix("/_index.md")
        .or_else(|| key.strip_suffix(".md"))
        .unwrap_or(key);
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn link_tree(content: &mut Content, config: &Config, diags: &mut Diagnostics) {
    content.reindex(config);
    check_twins(content, config, diags);
    if config.fallback {
        add_fallbacks(content, config);
        content.reindex(config);
    }
    check_stale(content, config, diags);

    // Parents.
    for id in 0..content.pages.len() {
        let page = &content.pages[id];
        let Some(pk) = parent_key(&page.key) else {
            continue;
        };
        match content.by_key.get(&(pk.clone(), page.lang.code)) {
            Some(&parent) => content.pages[id].parent = Some(parent),
            None => {
                // Reported once, for the default-language page, when the section is missing
                // in every language; a missing twin is reported by check_twins.
                let section_missing = config
                    .languages
                    .iter()
                    .all(|l| !content.by_key.contains_key(&(pk.clone(), l.code)));
                if section_missing
                    && page.lang == config.default_language()
                    && !content.any_unparsed(&pk, config)
                {
                    diags.push(
                        Diagnostic::error(format!(
                            "`{}` is in a folder with no section page",
                            page.source.path.display()
                        ))
                        .in_file(&page.source)
                        .hint(format!(
                            "create content/{pk} (and its translations) for this folder"
                        )),
                    );
                }
            }
        }
    }
    if content.home(config.default_language()).is_none()
        && !content.pages.is_empty()
        && !content.any_unparsed("_index.md", config)
    {
        diags.push(Diagnostic::error("the site has no home page").hint("create content/_index.md"));
    }

    // Children, in reading order: weight, then newest date first, then title.
    let mut children: BTreeMap<PageId, Vec<PageId>> = BTreeMap::new();
    for (id, p) in content.pages.iter().enumerate() {
        if let Some(parent) = p.parent {
            children.entry(parent).or_default().push(id);
        }
    }
    for (parent, mut kids) in children {
        kids.sort_by(|&a, &b| reading_order(&content.pages[a], &content.pages[b]));
        content.pages[parent].children = kids;
    }

    content.reindex(config);
    assign_paths(content, config, diags);
}

/// Pages of a section in reading order: weight, then newest date first, then title.
pub fn reading_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    (a.front.weight.is_none(), a.front.weight)
        .cmp(&(b.front.weight.is_none(), b.front.weight))
        .then_with(|| b.date().cmp(&a.date()))
        .then_with(|| {
            a.front
                .title
                .to_lowercase()
                .cmp(&b.front.title.to_lowercase())
        })
        .then_with(|| a.key.cmp(&b.key))
}

/// Every page must exist in every language (a later option will allow a marked fallback).
fn check_twins(content: &Content, config: &Config, diags: &mut Diagnostics) {
    let mut keys: Vec<&str> = content.pages.iter().map(|p| p.key.as_str()).collect();
    keys.dedup();
    for key in keys {
        let present: Vec<&Page> = config
            .languages
            .iter()
            .filter_map(|l| content.get(key, l))
            .collect();
        let Some(witness) = present.first() else {
            continue;
        };
        for &lang in &config.languages {
            if present.iter().any(|p| p.lang == lang) || content.is_unparsed(key, lang) {
                continue;
            }
            let expected = twin_file_name(key, lang, config);
            let what = if key.ends_with("_index.md") {
                "section"
            } else {
                "page"
            };
            let falls_back = config.fallback && witness.lang == config.default_language();
            let message = format!(
                "{what} `{}` has no {} twin",
                witness.source.path.display(),
                lang.endonym
            );
            let d = if falls_back {
                Diagnostic::warning(format!(
                    "{message}: its {} text is published in its place",
                    witness.lang.endonym
                ))
            } else {
                Diagnostic::error(message)
            };
            diags.push(
                d.in_file(&witness.source)
                    .code("missing-twin")
                    .hint(format!("create {DIR}/{expected} with the translated text")),
            );
        }
    }
}

/// The git blob hash of a text: what `git hash-object` prints, so an old version can be found
/// in the repository's history.
pub fn blob_hash(text: &str) -> String {
    use sha1::{Digest, Sha1};
    let mut h = Sha1::new();
    h.update(format!("blob {}\0", text.len()).as_bytes());
    h.update(text.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A translation is stale when its `translated_from` no longer matches the default-language
/// file: the original changed after it was translated.
fn check_stale(content: &Content, config: &Config, diags: &mut Diagnostics) {
    for page in &content.pages {
        let Some(from) = &page.front.translated_from else {
            continue;
        };
        let Some(original) = content.get(&page.key, config.default_language()) else {
            continue;
        };
        if page.fallback || page.lang == config.default_language() {
            continue;
        }
        if blob_hash(&original.source.text) != *from.get_ref() {
            diags.push(
                Diagnostic::warning(format!(
                    "translation is out of date: {} changed after it was translated",
                    original.source.path.display()
                ))
                .at(&page.source, from.span())
                .code("stale-translation")
                .hint(format!(
                    "`tryloyw translations` shows what changed; after updating, run `tryloyw translations mark {}`",
                    page.source.path.display()
                )),
            );
        }
    }
}

/// For each default-language page without a twin, its text on the other language's URL.
fn add_fallbacks(content: &mut Content, config: &Config) {
    let default = config.default_language();
    let mut added = Vec::new();
    for page in &content.pages {
        if page.lang != default {
            continue;
        }
        for &lang in &config.languages {
            if lang != default
                && !content.by_key.contains_key(&(page.key.clone(), lang.code))
                && !content.is_unparsed(&page.key, lang)
            {
                let mut copy = page.clone();
                copy.lang = lang;
                copy.fallback = true;
                added.push(copy);
            }
        }
    }
    content.pages.extend(added);
    let order = |l: Lang| config.languages.iter().position(|&x| x == l);
    content
        .pages
        .sort_by(|a, b| a.key.cmp(&b.key).then(order(a.lang).cmp(&order(b.lang))));
}

fn twin_file_name(key: &str, lang: Lang, config: &Config) -> String {
    if lang == config.default_language() {
        key.to_string()
    } else {
        format!("{}.{}.md", key.trim_end_matches(".md"), lang.code)
    }
}

/// Each page's URL path, worked out parents first: keys sort `a/_index.md` before
/// `a/b/_index.md`, but a page `a/b.md` may come before `a/_index.md`, so paths are resolved
/// recursively (as deep as the folders nest) and remembered.
struct Paths<'a> {
    content: &'a Content,
    config: &'a Config,
    /// (path, whether it is a guess made after an error) by page.
    memo: Vec<Option<(String, bool)>>,
    /// Keys whose file name gives no URL segment, reported once for all their languages.
    reported: HashSet<String>,
    diags: &'a mut Diagnostics,
}

impl Paths<'_> {
    fn path_of(&mut self, id: PageId) -> (String, bool) {
        if let Some(known) = &self.memo[id] {
            return known.clone();
        }
        let page = &self.content.pages[id];
        let prefix = format!("{}/", self.config.lang_prefix(page.lang));
        let result = if page.key == "_index.md" {
            (prefix, false)
        } else {
            let (segment, guessed) = self.segment(page);
            // With no parent, its section is missing or in error (reported already).
            let (parent, parent_guessed) = match page.parent {
                Some(p) => self.path_of(p),
                None => (prefix, true),
            };
            (format!("{parent}{segment}/"), guessed || parent_guessed)
        };
        self.memo[id] = Some(result.clone());
        result
    }

    /// The URL segment a page adds, and whether it is a guess because of an error.
    fn segment(&mut self, page: &Page) -> (String, bool) {
        match &page.front.slug {
            Some(slug) if paths::is_valid_slug(slug.get_ref()) => (slug.get_ref().clone(), false),
            Some(slug) => {
                let suggestion = slug::slugify(slug.get_ref());
                let hint = if suggestion.is_empty() {
                    "use lowercase letters, digits and hyphens, such as `slug = \"about\"`"
                        .to_string()
                } else {
                    format!("try `slug = \"{suggestion}\"`")
                };
                self.diags.push(
                    Diagnostic::error(format!("invalid slug `{}`", paths::shown(slug.get_ref())))
                        .at(&page.source, slug.span())
                        .label("slugs are lowercase letters, digits and hyphens")
                        .hint(hint),
                );
                (suggestion, true)
            }
            None => {
                let name = default_segment(&page.key);
                let segment = slug::slugify(name);
                if segment.is_empty() {
                    if self.reported.insert(page.key.clone()) {
                        self.diags.push(
                            Diagnostic::error(format!(
                                "`{}`: the name `{name}` gives no URL segment",
                                page.source.path.display()
                            ))
                            .in_file(&page.source)
                            .hint("rename it with letters or digits, or give it a `slug`"),
                        );
                    }
                    return (segment, true);
                }
                (segment, false)
            }
        }
    }
}

fn assign_paths(content: &mut Content, config: &Config, diags: &mut Diagnostics) {
    let mut paths = Paths {
        content,
        config,
        memo: vec![None; content.pages.len()],
        reported: HashSet::new(),
        diags,
    };
    for id in 0..content.pages.len() {
        paths.path_of(id);
    }
    let memo = std::mem::take(&mut paths.memo);
    // Pages whose path is a guess (their slug or a section above them is in error) take part
    // in no URL comparison: a clash found with a guessed path would be a consequence.
    let mut uncertain = vec![false; content.pages.len()];
    for (id, entry) in memo.into_iter().enumerate() {
        if let Some((path, guessed)) = entry {
            content.pages[id].path = path;
            uncertain[id] = guessed;
        }
    }

    // Two pages (or a page and an alias) must not claim one URL.
    let mut claimed: HashMap<String, (PageId, Range<usize>)> = HashMap::new();
    for (id, page) in content.pages.iter().enumerate() {
        if uncertain[id] {
            continue;
        }
        let mut claims = vec![(page.path.clone(), 0..0)];
        for alias in &page.front.aliases {
            match paths::check_alias(alias.get_ref()) {
                Ok(()) => claims.push((normalise_alias(alias.get_ref()), alias.span())),
                Err(refusal) => diags.push(
                    Diagnostic::error(format!(
                        "alias `{}` {}",
                        paths::shown(alias.get_ref()),
                        refusal.why
                    ))
                    .at(&page.source, alias.span())
                    .label("not a path on this site")
                    .hint(refusal.hint),
                ),
            }
        }
        for (path, span) in claims {
            if let Some((other, _)) = claimed.get(&path) {
                let other = &content.pages[*other];
                diags.push(
                    Diagnostic::error(format!(
                        "URL `{path}` is used by both `{}` and `{}`",
                        other.source.path.display(),
                        page.source.path.display()
                    ))
                    .at(&page.source, span)
                    .hint("give one of them a different `slug` (or alias)"),
                );
            } else {
                claimed.insert(path, (id, span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_keys() {
        assert_eq!(parent_key("_index.md"), None);
        assert_eq!(parent_key("about.md").as_deref(), Some("_index.md"));
        assert_eq!(parent_key("a/_index.md").as_deref(), Some("_index.md"));
        assert_eq!(parent_key("a/b.md").as_deref(), Some("a/_index.md"));
        assert_eq!(parent_key("a/b/_index.md").as_deref(), Some("a/_index.md"));
    }

    #[test]
    fn segments() {
        assert_eq!(default_segment("a/b/_index.md"), "b");
        assert_eq!(default_segment("a/purpose.md"), "purpose");
    }
}
