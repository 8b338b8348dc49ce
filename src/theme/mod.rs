//! A theme: Tera templates, UI strings per language, and static files. A site's
//! `themes/<name>/` folder is used when present; otherwise the default theme compiled into the
//! binary, so a site with no `themes/` folder builds.

pub mod i18n;

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
pub use i18n::Strings;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme's files come from.
enum Files {
    /// The site folder and the theme's folder inside it (`themes/<name>`).
    Disk {
        root: PathBuf,
        theme: PathBuf,
    },
    Embedded(&'static Dir<'static>),
}

/// Bytes of a static file, read only when written.
#[derive(Clone, Debug)]
pub enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

#[derive(Clone, Debug)]
pub struct StaticFile {
    /// Path under the output root, with `/` separators.
    pub output: String,
    pub source: StaticSource,
}

/// A theme as read from disk (or the binary), before its templates are compiled: they can
/// only be compiled once the template functions, which need the content, exist.
pub struct ThemeSources {
    pub templates: BTreeMap<String, SourceFile>,
    pub strings: Strings,
    pub statics: Vec<StaticFile>,
    pub shown_as: String,
}

pub struct Theme {
    pub tera: tera::Tera,
    /// Template sources by name, so render errors can quote the template line.
    pub templates: BTreeMap<String, SourceFile>,
    pub strings: Strings,
    pub statics: Vec<StaticFile>,
    /// How the theme is named in messages: `themes/default` or `themes/default (built in)`.
    pub shown_as: String,
}

impl Files {
    /// Every file under `sub/`, as (path relative to `sub/`, bytes), sorted; what cannot be
    /// read safely (a link out of the site, a loop, an unreadable file) goes to `diags`.
    fn list(&self, sub: &str, diags: &mut Diagnostics) -> Vec<(String, StaticSource)> {
        let mut out = Vec::new();
        match self {
            Files::Disk { root, theme } => {
                let (files, errors) = crate::walk::files(root, &theme.join(sub));
                diags.extend(errors);
                out.extend(
                    files
                        .into_iter()
                        .map(|f| (f.rel, StaticSource::Disk(f.abs))),
                );
            }
            Files::Embedded(dir) => {
                if let Some(d) = dir.get_dir(sub) {
                    collect_embedded(d, sub, &mut out);
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
        out
    }
}

fn collect_embedded(
    dir: &'static Dir<'static>,
    prefix: &str,
    out: &mut Vec<(String, StaticSource)>,
) {
    for f in dir.files() {
        let rel = f.path().strip_prefix(prefix).unwrap_or(f.path());
        out.push((
            crate::walk::slash(rel),
            StaticSource::Embedded(f.contents()),
        ));
    }
    for d in dir.dirs() {
        collect_embedded(d, prefix, out);
    }
}

fn read(source: &StaticSource) -> std::io::Result<Vec<u8>> {
    match source {
        StaticSource::Disk(p) => std::fs::read(p),
        StaticSource::Embedded(b) => Ok(b.to_vec()),
    }
}

pub fn load(root: &Path, config: &Config) -> (Option<ThemeSources>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let theme = Path::new("themes").join(&config.theme);
    let (files, shown_as) = if root.join(&theme).is_dir() {
        (
            Files::Disk {
                root: root.to_path_buf(),
                theme,
            },
            format!("themes/{}", config.theme),
        )
    } else if config.theme == "default" {
        (
            Files::Embedded(&DEFAULT_THEME),
            "themes/default (built in)".to_string(),
        )
    } else {
        diags.push(
            Diagnostic::error(format!("theme `{}` not found", config.theme))
                .hint(format!(
                    "create themes/{}/, or remove `theme` from site.toml to use the built-in default theme",
                    config.theme
                )),
        );
        return (None, diags);
    };

    let templates = read_sources(&files, "templates", &shown_as, &mut diags);

    let strings_files = read_sources(&files, "i18n", &shown_as, &mut diags)
        .into_iter()
        .filter_map(|(name, source)| {
            // `cy.toml`, or any `cy/*.toml`: translators may split strings by topic.
            let code = match name.split_once('/') {
                Some((dir, file)) if file.ends_with(".toml") => dir,
                _ => name.strip_suffix(".toml")?,
            };
            config
                .language(code)
                .map(|lang| i18n::StringsFile { lang, source })
        })
        .collect();
    let (strings, string_diags) = i18n::load(strings_files, config, &format!("{shown_as}/i18n"));
    diags.extend(string_diags);

    let statics = files
        .list("static", &mut diags)
        .into_iter()
        .map(|(output, source)| StaticFile { output, source })
        .collect();
    let theme = ThemeSources {
        templates: templates.into_iter().collect(),
        strings,
        statics,
        shown_as,
    };
    (Some(theme), diags)
}

impl ThemeSources {
    /// Compile the templates into `base`, which already has the template functions.
    pub fn compile(self, base: tera::Tera) -> (Theme, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let tera = build_tera(base, &self.templates, &self.shown_as, &mut diags);
        let theme = Theme {
            tera,
            templates: self.templates,
            strings: self.strings,
            statics: self.statics,
            shown_as: self.shown_as,
        };
        (theme, diags)
    }
}

fn read_sources(
    files: &Files,
    sub: &str,
    shown_as: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, SourceFile)> {
    let mut out = Vec::new();
    for (name, source) in files.list(sub, diags) {
        let shown = format!("{shown_as}/{sub}/{name}");
        match read(&source).map(String::from_utf8) {
            Ok(Ok(text)) => out.push((name, SourceFile::new(shown, text))),
            Ok(Err(_)) => diags.push(Diagnostic::error(format!("{shown} is not valid UTF-8"))),
            Err(e) => diags.push(Diagnostic::error(format!("cannot read {shown}: {e}"))),
        }
    }
    out
}

/// Parse every template on its own first, so each syntax error is reported, then together
/// so inheritance, includes and function names can be checked.
fn build_tera(
    mut tera: tera::Tera,
    templates: &BTreeMap<String, SourceFile>,
    shown_as: &str,
    diags: &mut Vec<Diagnostic>,
) -> tera::Tera {
    let mut syntax_ok = true;
    for (name, source) in templates {
        let mut probe = tera::Tera::new();
        probe.register_from(&tera);
        if let Err(e) = probe.add_raw_template(name, &source.text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            syntax_ok = false;
            diags.push(template_error(&e, templates, None));
        }
    }
    // Every template makes HTML (pages, print editions, 404 pages), whatever its name ends
    // in (`page.htm`, `custom.tera`): escape values in all of them. The suffix "" matches
    // every name.
    tera.autoescape_on(vec![""]);
    if syntax_ok
        && let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), &*s.text)))
    {
        // Tera reports reference errors (unknown function, include, filter) as one text with
        // its own `--> name:line:col` pointers; show them with the theme's path.
        let mut d = template_error(&e, templates, None);
        d.message = d
            .message
            .replace(" --> ", &format!(" --> {shown_as}/templates/"));
        diags.push(d);
    }
    tera
}

/// A Tera error as a diagnostic that points into the template source.
pub fn template_error(
    e: &tera::Error,
    templates: &BTreeMap<String, SourceFile>,
    rendering: Option<&SourceFile>,
) -> Diagnostic {
    let context = rendering
        .map(|s| format!(" (while rendering {})", s.path.display()))
        .unwrap_or_default();
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    if let Some(r) = report {
        let mut d = Diagnostic::error(format!("template error: {}{context}", r.message()))
            .hint("see the template context reference in the README");
        if let Some(source) = templates.get(r.filename()) {
            d = d.at(source, r.span().range.clone());
        }
        return d;
    }
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    let d = Diagnostic::error(format!("template error: {message}{context}"));
    match e.kind() {
        tera::ErrorKind::TemplateNotFound(name) => d.hint(format!(
            "no template `{name}`; the theme has: {}",
            templates.keys().cloned().collect::<Vec<_>>().join(", ")
        )),
        _ => d,
    }
}

/// Read a static file's bytes (for the writer).
pub fn static_bytes(source: &StaticSource) -> std::io::Result<Vec<u8>> {
    read(source)
}
