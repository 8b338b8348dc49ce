//! Writing the site: into a fresh folder beside the target, swapped in only when everything
//! was written. A manifest records every file the tool wrote, so it can refuse to replace a
//! folder holding anything else: it never deletes or changes a file it did not create.

use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

pub const MANIFEST: &str = ".tryloyw-manifest";
const MANIFEST_HEADER: &str =
    "# Files written by tryloyw. It replaces this folder only while it holds nothing else.\n";

/// Folders of a site that are inputs and must never be written to.
const INPUT_DIRS: &[&str] = &["content", "data", "themes", "static", "templates", "i18n"];

/// Where a file's bytes come from.
pub enum Bytes {
    Owned(Vec<u8>),
    Copy(PathBuf),
    Static(&'static [u8]),
}

pub struct Entry {
    pub path: String,
    pub bytes: Bytes,
}

/// Absolute, normalised form of a path that may not exist yet.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    // Resolve symlinks in the longest existing ancestor so comparisons are meaningful.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(name)) => {
                rest.push(name.to_os_string());
                existing = p;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize()?;
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    Ok(out)
}

/// Check that `target` is a folder the tool may replace. Returns its absolute path.
pub fn check_target(root: &Path, target: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = target.display().to_string();
    let io_err = |e: io::Error| Diagnostic::error(format!("cannot use output folder {shown}: {e}"));
    let abs = absolute(target).map_err(io_err)?;
    let root = absolute(root).map_err(io_err)?;
    let refuse = |why: String| {
        Diagnostic::error(format!("refusing to write the site into {shown}: {why}"))
            .hint("choose a new or empty folder with --output, or leave it out to use public/")
    };
    if root.starts_with(&abs) {
        return Err(refuse("it holds the site's own files".into()));
    }
    for dir in INPUT_DIRS {
        if abs.starts_with(root.join(dir)) {
            return Err(refuse(format!("it is inside the site's {dir}/ folder")));
        }
    }
    if abs.exists() && !abs.is_dir() {
        return Err(refuse("it is a file".into()));
    }
    if abs.is_dir() {
        let foreign = foreign_files(&abs).map_err(io_err)?;
        if !foreign.is_empty() {
            let list: Vec<String> = foreign
                .iter()
                .take(5)
                .map(|p| p.display().to_string())
                .collect();
            let more = foreign.len().saturating_sub(5);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            return Err(refuse(format!(
                "it holds files tryloyw did not write: {}{more}",
                list.join(", ")
            )));
        }
    }
    Ok(abs)
}

fn read_manifest(dir: &Path) -> io::Result<HashSet<PathBuf>> {
    match std::fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) => Ok(text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(PathBuf::from)
            .collect()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(e),
    }
}

/// Files under `dir` that its manifest does not list (relative paths, sorted).
fn foreign_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let ours = read_manifest(dir)?;
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if rel != Path::new(MANIFEST) && !ours.contains(rel) {
            foreign.push(rel.to_path_buf());
        }
    }
    Ok(foreign)
}

/// Write `entries` to a staging folder beside `target`, then swap it in. `target` must
/// have passed [`check_target`].
pub fn write(target: &Path, entries: Vec<Entry>) -> Result<(), Diagnostic> {
    let fail = |what: &str, e: io::Error| {
        Diagnostic::error(format!("could not write the site ({what}): {e}"))
    };
    let parent = target
        .parent()
        .ok_or_else(|| Diagnostic::error("output folder has no parent"))?;
    std::fs::create_dir_all(parent).map_err(|e| fail("creating the parent folder", e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tryloyw-new-"))
        .tempdir_in(parent)
        .map_err(|e| fail("creating a staging folder", e))?;

    let dirs: BTreeSet<PathBuf> = entries
        .iter()
        .filter_map(|e| Path::new(&e.path).parent().map(Path::to_path_buf))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(staging.path().join(d)).map_err(|e| fail("creating folders", e))?;
    }
    entries.par_iter().try_for_each(|e| {
        let dest = staging.path().join(&e.path);
        match &e.bytes {
            Bytes::Owned(b) => std::fs::write(&dest, b),
            Bytes::Static(b) => std::fs::write(&dest, b),
            Bytes::Copy(src) => std::fs::copy(src, &dest).map(|_| ()),
        }
        .map_err(|err| fail(&e.path, err))
    })?;
    let mut paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    paths.sort_unstable();
    let manifest = format!("{MANIFEST_HEADER}{}\n", paths.join("\n"));
    std::fs::write(staging.path().join(MANIFEST), manifest).map_err(|e| fail("the manifest", e))?;
    make_readable(staging.path()).map_err(|e| fail("setting permissions", e))?;

    let staging = staging.keep();
    swap_in(&staging, target, parent, &name).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&staging);
    })
}

/// Staging folders are created private; a published site must be readable by a web server.
fn make_readable(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn swap_in(staging: &Path, target: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    let fail =
        |e: io::Error| Diagnostic::error(format!("could not replace {}: {e}", target.display()));
    if !target.exists() {
        return std::fs::rename(staging, target).map_err(fail);
    }
    // Move the old output aside (renaming onto an empty folder replaces it), put the new one
    // in place, then delete the old output's files: only those its manifest lists.
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.tryloyw-old-"))
        .tempdir_in(parent)
        .map_err(fail)?
        .keep();
    std::fs::rename(target, &old).map_err(fail)?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(fail(e));
    }
    remove_owned(&old);
    Ok(())
}

/// Delete the files a manifest lists and the folders left empty; anything else stays.
fn remove_owned(dir: &Path) {
    let Ok(ours) = read_manifest(dir) else {
        return;
    };
    for rel in &ours {
        let _ = std::fs::remove_file(dir.join(rel));
    }
    let _ = std::fs::remove_file(dir.join(MANIFEST));
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, text: &str) -> Entry {
        Entry {
            path: path.into(),
            bytes: Bytes::Owned(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_own_output_and_refuses_foreign_files() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let target = check_target(site.path(), &out).unwrap();
        write(
            &target,
            vec![entry("index.html", "one"), entry("a/index.html", "a")],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );

        let target = check_target(site.path(), &out).unwrap();
        write(&target, vec![entry("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale output removed");

        std::fs::write(out.join("mine.txt"), "user's").unwrap();
        let err = check_target(site.path(), &out).unwrap_err();
        assert!(err.message.contains("mine.txt"), "{}", err.message);
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging folders left behind: {leftovers:?}"
        );
    }

    #[test]
    fn refuses_input_folders_and_the_site_itself() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("content")).unwrap();
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path(), &site.path().join("content")).is_err());
        assert!(check_target(site.path(), &site.path().join("content/x")).is_err());
    }
}
