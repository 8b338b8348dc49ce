//! Walking an input folder (`content/`, `static/`, a theme's folders, `data/`) so that nothing
//! outside the site is read and no problem passes in silence.
//!
//! - A symlink to a file or folder inside the site is followed: an editor may share one image
//!   between two pages, and everything read is still the site's own.
//! - A symlink that leads outside the site folder, a symlink loop (`content/loop -> .`), a
//!   broken symlink, a file or folder that cannot be read, and anything that is neither a file
//!   nor a folder (a pipe, a socket, a device) is an error naming its path. None is read.
//! - Hidden files and folders (`.git`, `.DS_Store`) are skipped, as they always were.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// A file found under an input folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// Where to read it: the folder's path joined with `rel` (links not resolved).
    pub abs: PathBuf,
    /// Its path under the folder, with `/` separators: `code-of-practice/aims.md`.
    pub rel: String,
}

/// How a walk shows paths in messages: relative to the site root where possible.
struct Shown<'a> {
    root: &'a Path,
}

impl Shown<'_> {
    fn path(&self, p: &Path) -> String {
        p.strip_prefix(self.root).unwrap_or(p).display().to_string()
    }
}

/// Every file under `root/folder`, sorted by path, and an error for each thing under it that
/// cannot be used safely. A missing folder has no files and no errors.
pub fn files(root: &Path, folder: &Path) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let dir = root.join(folder);
    let shown = Shown { root };
    if std::fs::symlink_metadata(&dir).is_err() {
        return (found, errors);
    }
    let site = match root.canonicalize() {
        Ok(site) => site,
        Err(e) => {
            errors.push(Diagnostic::error(format!(
                "cannot read the site folder {}: {e}",
                root.display()
            )));
            return (found, errors);
        }
    };
    // The folder itself (or a folder above it, such as `themes/<name>`) may be a link.
    if let Err(d) = inside_site(&site, &dir, &shown) {
        errors.push(d);
        return (found, errors);
    }
    let mut walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(walk_error(&e, &shown));
                continue;
            }
        };
        let is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink()
            && let Err(d) = inside_site(&site, entry.path(), &shown)
        {
            errors.push(d);
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        if is_dir {
            continue;
        }
        if !entry.file_type().is_file() {
            errors.push(
                Diagnostic::error(format!(
                    "{} is not a file or a folder (a pipe, socket or device)",
                    shown.path(entry.path())
                ))
                .hint(format!(
                    "remove it from {}/: only files and folders are read",
                    folder.display()
                )),
            );
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        found.push(Found {
            abs: entry.path().to_path_buf(),
            rel: slash(rel),
        });
    }
    (found, errors)
}

/// Check a folder and that each of its files can be opened, without collecting them (for
/// `data/`, whose files are read by name).
pub fn check(root: &Path, folder: &Path) -> Vec<Diagnostic> {
    let (files, mut errors) = files(root, folder);
    errors.extend(files.iter().filter_map(|f| readable(root, &f.abs).err()));
    errors
}

/// Can the file be opened for reading? An error naming it if not.
pub fn readable(root: &Path, file: &Path) -> Result<(), Diagnostic> {
    std::fs::File::open(file)
        .map(drop)
        .map_err(|e| cannot_read(&Shown { root }.path(file), &e))
}

fn cannot_read(shown: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot read {shown}: {e}"))
        .hint("check that the file and its folders can be read by the user running tryloyw")
}

/// `path` resolved (through every link) lies inside the site folder.
fn inside_site(site: &Path, path: &Path, shown: &Shown) -> Result<(), Diagnostic> {
    match path.canonicalize() {
        Ok(real) if real.starts_with(site) => Ok(()),
        Ok(real) => Err(Diagnostic::error(format!(
            "{} leads outside the site folder, to {}",
            shown.path(path),
            real.display()
        ))
        .hint(
            "copy what it points to into the site: tryloyw reads nothing outside the site folder",
        )),
        Err(e) => Err(link_error(path, &e, shown)),
    }
}

fn link_error(path: &Path, e: &io::Error, shown: &Shown) -> Diagnostic {
    let target = std::fs::read_link(path)
        .map(|t| format!(" (it points to {})", t.display()))
        .unwrap_or_default();
    match e.kind() {
        io::ErrorKind::NotFound => Diagnostic::error(format!(
            "{} is a broken symlink{target}: what it points to does not exist",
            shown.path(path)
        ))
        .hint("remove the link, or point it at a file inside the site"),
        // A chain of links that ends where it began reads "too many levels of symbolic links".
        _ => Diagnostic::error(format!(
            "cannot follow the symlink {}{target}: {e}",
            shown.path(path)
        ))
        .hint(
            "remove the link, or point it at a file inside the site (a loop of links never ends)",
        ),
    }
}

fn walk_error(e: &walkdir::Error, shown: &Shown) -> Diagnostic {
    let path = e.path().map(|p| shown.path(p)).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(format!(
            "{path} is a symlink loop: it leads back to {}/, which holds it",
            shown.path(ancestor)
        ))
        .hint("remove the link, or point it at a folder that does not hold it");
    }
    match (e.path(), e.io_error()) {
        (Some(p), Some(io)) if p.is_symlink() => link_error(p, io, shown),
        (_, Some(io)) => cannot_read(&path, io),
        _ => Diagnostic::error(format!("cannot read {path}: {e}")),
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// A relative path with `/` separators, whatever the system's.
pub fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
