//! Writing the site: into a fresh folder beside the target, swapped in only when everything
//! was written. A manifest records every file the tool wrote, so it can refuse to replace a
//! folder holding anything else: it never deletes or changes a file it did not create.
//!
//! Killed at any moment, a build leaves the previous output in place: the new folder
//! (`.NAME.tryloyw-new-*`, its manifest written before any file) is exchanged with the target in
//! one atomic step where the system has one (Linux `renameat2(RENAME_EXCHANGE)`, macOS
//! `renamex_np(RENAME_SWAP)`); elsewhere the target is moved aside to `.NAME.tryloyw-old-*` first
//! and [`recover`] puts it back if the build died in between. [`recover`] also removes what
//! killed builds left behind, deleting only the files their manifests list.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

pub const MANIFEST: &str = ".tryloyw-manifest";
/// Infixes of the folders a build makes beside the target: `.public.tryloyw-new-XXXXXX`.
const NEW: &str = "tryloyw-new-";
const OLD: &str = "tryloyw-old-";
/// `TRYLOYW_PAUSE_AT=render|write|swap|cleanup` stops a build at that point (see [`pause_point`]).
pub const PAUSE_VAR: &str = "TRYLOYW_PAUSE_AT";
const MANIFEST_HEADER: &str =
    "# Files written by tryloyw. It replaces this folder only while it holds nothing else.\n";

/// Folders of a site that are inputs and must never be written to.
const INPUT_DIRS: &[&str] = &["content", "data", "themes", "static", "templates", "i18n"];

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

/// The files a folder's manifest lists. A line that is not a plain relative path (`..`, `/x`,
/// `C:`) is ignored: a manifest never leads outside its folder.
fn read_manifest(dir: &Path) -> io::Result<HashSet<PathBuf>> {
    match std::fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) => Ok(text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(PathBuf::from)
            .filter(|p| is_plain_relative(p))
            .collect()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(e),
    }
}

/// Whether `path` names something inside the folder it is joined to: only normal components.
fn is_plain_relative(path: &Path) -> bool {
    path.components().next().is_some()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
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

/// Write `files` (path, bytes) as the new output and swap it in: the whole of a build's writing
/// in one call, for tests.
#[cfg(test)]
fn write(target: &Path, files: Vec<(&str, &str)>) -> Result<(), Diagnostic> {
    let staging = Staging::new(target)?;
    for (path, text) in files {
        staging.put(path, text.as_bytes())?;
    }
    staging.finish()
}

/// Where rendered files go: a staging folder on disk ([`Staging`]) or memory (tests, `serve`).
pub trait Sink: Sync {
    /// Write `bytes` as `path` (relative to the output folder).
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Copy the file at `source` as `path`.
    fn copy(&self, path: &str, source: &Path) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(source)
            .map_err(|e| Diagnostic::error(format!("could not read {}: {e}", source.display())))?;
        self.put(path, &bytes)
    }
}

/// A build's new output, written file by file as it is rendered, beside the target: nothing
/// of the site is held in memory. [`Staging::finish`] swaps it in; dropped unfinished (an
/// error, a panic), it is deleted and the target is untouched.
///
/// Every path is appended to the manifest before its file is created, so a build killed at
/// any moment leaves a folder whose manifest names everything it holds; [`Staging::finish`]
/// rewrites the manifest sorted, so it is the same bytes on every run.
pub struct Staging {
    /// `None` only once finished.
    dir: Option<tempfile::TempDir>,
    target: PathBuf,
    /// The first of the target's ancestors this build made, removed again (when empty) if the
    /// build fails: a failed build leaves no trace.
    made: Option<PathBuf>,
    manifest: std::sync::Mutex<std::fs::File>,
    /// Paths written, and folders made, so far.
    written: std::sync::Mutex<HashSet<String>>,
    folders: std::sync::Mutex<HashSet<PathBuf>>,
    _lock: Option<Option<std::fs::File>>,
}

impl Staging {
    /// A fresh staging folder beside `target`, which must have passed [`check_target`].
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let (parent, name) = parent_and_name(target)?;
        let made = parent.ancestors().take_while(|a| !a.exists()).last();
        let made = made.map(Path::to_path_buf);
        std::fs::create_dir_all(parent).map_err(|e| fail("creating the parent folder", e))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.{NEW}"))
            .tempdir_in(parent)
            .map_err(|e| fail("creating a staging folder", e))?;
        // Held until the swap is done, so no other build's [`recover`] takes this folder for a
        // leftover. Where folders cannot be locked, there is no lock to wait for either.
        let lock = lock(dir.path());
        let mut manifest = std::fs::File::create(dir.path().join(MANIFEST))
            .map_err(|e| fail("the manifest", e))?;
        io::Write::write_all(&mut manifest, MANIFEST_HEADER.as_bytes())
            .map_err(|e| fail("the manifest", e))?;
        Ok(Staging {
            dir: Some(dir),
            target: target.to_path_buf(),
            made,
            manifest: std::sync::Mutex::new(manifest),
            written: Default::default(),
            folders: Default::default(),
            _lock: lock,
        })
    }

    /// The path `path` will be written to, once it is known to stay inside the folder, recorded
    /// in the manifest, and its folder made.
    fn claim(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        let rel = Path::new(path);
        if !is_plain_relative(rel) {
            // Every producer checks its paths; this is the last line of defence.
            return Err(Diagnostic::error(format!(
                "refusing to write `{path}`: an output path must stay inside the output folder"
            )));
        }
        if !self
            .written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string())
        {
            return Err(
                Diagnostic::error(format!("two outputs want `{path}`")).hint("rename one of them")
            );
        }
        {
            let mut manifest = self.manifest.lock().unwrap_or_else(|p| p.into_inner());
            io::Write::write_all(&mut *manifest, format!("{path}\n").as_bytes())
                .map_err(|e| fail("the manifest", e))?;
        }
        let dest = self.path().join(rel);
        if let Some(folder) = rel.parent().filter(|f| !f.as_os_str().is_empty()) {
            let folders = || self.folders.lock().unwrap_or_else(|p| p.into_inner());
            // Noted only once it exists: a writer that finds it noted may write into it at
            // once. Two writers may both make it, which `create_dir_all` allows.
            if !folders().contains(folder) {
                std::fs::create_dir_all(self.path().join(folder))
                    .map_err(|e| fail("creating folders", e))?;
                folders().insert(folder.to_path_buf());
            }
        }
        Ok(dest)
    }

    fn path(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), |d| d.path())
    }

    /// How many files are written so far.
    pub fn files_written(&self) -> usize {
        self.written.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Swap the new output in for the target.
    pub fn finish(mut self) -> Result<(), Diagnostic> {
        let mut paths: Vec<String> = {
            let written = self.written.get_mut().unwrap_or_else(|p| p.into_inner());
            written.drain().collect()
        };
        paths.sort_unstable();
        let manifest = format!("{MANIFEST_HEADER}{}\n", paths.join("\n"));
        // Replaced in one step: killed here, the folder still has a manifest naming its files.
        let sorted = self.path().join(format!("{MANIFEST}.sorted"));
        std::fs::write(&sorted, manifest).map_err(|e| fail("the manifest", e))?;
        std::fs::rename(&sorted, self.path().join(MANIFEST))
            .map_err(|e| fail("the manifest", e))?;
        make_readable(self.path()).map_err(|e| fail("setting permissions", e))?;
        let target = self.target.clone();
        let (parent, name) = parent_and_name(&target)?;
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let staging = dir.keep();
        swap_in(&staging, &target, parent, name).inspect_err(|_| remove_owned(&staging))
    }
}

impl Drop for Staging {
    /// Unfinished: the staging folder goes, and the folders made for it if they are empty.
    fn drop(&mut self) {
        let Some(dir) = self.dir.take() else {
            return;
        };
        drop(dir);
        if let Some(made) = &self.made {
            for folder in self.target.ancestors().skip(1) {
                if std::fs::remove_dir(folder).is_err() || folder == made {
                    break;
                }
            }
        }
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let dest = self.claim(path)?;
        std::fs::write(dest, bytes).map_err(|e| fail(path, e))
    }

    fn copy(&self, path: &str, source: &Path) -> Result<(), Diagnostic> {
        let dest = self.claim(path)?;
        std::fs::copy(source, dest)
            .map(|_| ())
            .map_err(|e| fail(path, e))
    }
}

/// Files kept in memory, by path: what `serve` serves and tests look at.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((path.to_string(), bytes.to_vec()));
        Ok(())
    }
}

fn fail(what: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("could not write the site ({what}): {e}"))
}

/// The folder the target is in, and the target's own name.
fn parent_and_name(target: &Path) -> Result<(&Path, &str), Diagnostic> {
    let unusable = || {
        Diagnostic::error(format!(
            "cannot use {} as the output folder: it has no parent or no name",
            target.display()
        ))
    };
    let parent = target.parent().ok_or_else(unusable)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(unusable)?;
    Ok((parent, name))
}

/// An exclusive lock on a folder, held while the returned file is open; `None` when another
/// build holds it. Where a folder cannot be opened or locked (not every system can), the
/// answer is a lock that guards nothing.
fn lock(dir: &Path) -> Option<Option<std::fs::File>> {
    let Ok(file) = std::fs::File::open(dir) else {
        return Some(None);
    };
    match file.try_lock() {
        Ok(()) => Some(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => None,
        Err(std::fs::TryLockError::Error(_)) => Some(None),
    }
}

/// For tests and for seeing what a killed build leaves: when `TRYLOYW_PAUSE_AT` names this
/// point, print `tryloyw: paused at NAME` to standard error and wait a minute before going on.
/// The points: `render` (the site is loaded, rendering starts; nothing is on disk yet),
/// `write` (the staging folder holds the site's own files, datasets, PDFs and extras, but no
/// page yet), `swap` (every file is written, the target not yet replaced), `swap-aside` (only
/// where there is no atomic exchange: the old output moved aside, the new one not yet in) and
/// `cleanup` (the new output is in place, the old one not yet deleted).
pub fn pause_point(name: &str) {
    if std::env::var_os(PAUSE_VAR).is_some_and(|v| v == name) {
        eprintln!("tryloyw: paused at {name}");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
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
    pause_point("swap");
    if !target.exists() {
        return std::fs::rename(staging, target).map_err(fail);
    }
    match exchange(staging, target) {
        Ok(()) => {
            // The old output is now where the new one was.
            pause_point("cleanup");
            remove_owned(staging);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {
            swap_by_renames(staging, target, parent, name).map_err(fail)
        }
        Err(e) => Err(fail(e)),
    }
}

/// Exchange two folders in one step, or `Unsupported` where the system or file system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Kernels or file systems without the exchange (old Linux, some network mounts).
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            Err(io::ErrorKind::Unsupported.into())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Without an atomic exchange: move the old output aside (renaming onto an empty folder
/// replaces it), put the new one in place, then delete the old output's files. A build killed
/// between the two renames leaves the old output in `.NAME.tryloyw-old-*`, which [`recover`]
/// puts back.
fn swap_by_renames(staging: &Path, target: &Path, parent: &Path, name: &str) -> io::Result<()> {
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.{OLD}"))
        .tempdir_in(parent)?
        .keep();
    // The old output stays locked while it is aside, so no other build's [`recover`] moves it.
    let _lock = lock(target);
    if let Err(e) = std::fs::rename(target, &old) {
        let _ = std::fs::remove_dir(&old);
        return Err(e);
    }
    pause_point("swap-aside");
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    pause_point("cleanup");
    remove_owned(&old);
    Ok(())
}

/// Undo what killed builds left beside `target`: if the target is missing but a build had
/// moved it aside, put it back; then delete the files of every `.NAME.tryloyw-new-*` and
/// `-old-*` folder that its manifest lists, and the folders left empty. A folder another build
/// is using is left alone; one still holding other files stays, with a warning.
pub fn recover(target: &Path) -> Vec<Diagnostic> {
    let Ok((parent, name)) = parent_and_name(target) else {
        return Vec::new();
    };
    let Ok(read) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefixes = [format!(".{name}.{NEW}"), format!(".{name}.{OLD}")];
    let mut leftovers: Vec<PathBuf> = read
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            prefixes.iter().any(|p| n.starts_with(p.as_str()))
        })
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    let mut warnings = Vec::new();
    if !target.exists() {
        // Killed between moving the output aside and putting the new one in: the old output,
        // complete with its manifest, goes back.
        let aside = leftovers.iter().position(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefixes[1].as_str()))
                && p.join(MANIFEST).is_file()
        });
        if let Some(i) = aside {
            let old = leftovers.remove(i);
            // Locked: a live build is between its two renames and will finish the job.
            if let Some(_lock) = lock(&old)
                && let Err(e) = std::fs::rename(&old, target)
            {
                warnings.push(Diagnostic::warning(format!(
                    "could not put the previous output back from {}: {e}",
                    old.display()
                )));
            }
        }
    }
    for dir in leftovers {
        let Some(_lock) = lock(&dir) else {
            continue; // another build is writing it
        };
        remove_owned(&dir);
        if dir.exists() {
            warnings.push(
                Diagnostic::warning(format!(
                    "left {} in place: it holds files tryloyw did not write",
                    dir.display()
                ))
                .hint("it is what remains of an interrupted build; delete it when you have looked"),
            );
        }
    }
    warnings
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

    #[test]
    fn replaces_own_output_and_refuses_foreign_files() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let target = check_target(site.path(), &out).unwrap();
        write(&target, vec![("index.html", "one"), ("a/index.html", "a")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );

        let target = check_target(site.path(), &out).unwrap();
        write(&target, vec![("index.html", "two")]).unwrap();
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

    /// Writers running side by side into the same new folders: each finds its folder made,
    /// whoever made it (a folder noted before it existed let a writer fail to open its file).
    #[test]
    fn parallel_writers_share_new_folders() {
        use rayon::prelude::*;
        let site = tempfile::tempdir().unwrap();
        let target = check_target(site.path(), &site.path().join("public")).unwrap();
        let staging = Staging::new(&target).unwrap();
        // Rayon splits the list in halves: the two halves' k-th paths, written at about the
        // same time, share a folder.
        let paths: Vec<String> = (0..4000)
            .map(|i| format!("d{}/e/f{i}.txt", i % 2000))
            .collect();
        let failed: Vec<String> = paths
            .par_iter()
            .filter_map(|p| staging.put(p, b"x").err().map(|d| d.message))
            .collect();
        assert!(failed.is_empty(), "{failed:?}");
        staging.finish().unwrap();
        let written = walkdir::WalkDir::new(site.path().join("public"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file() && e.file_name() != MANIFEST)
            .count();
        assert_eq!(written, paths.len());
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn refuses_output_paths_that_leave_the_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("out").join("public");
        for bad in ["../escaped.html", "/etc/x", "a/../../b", "", "./a/../../c"] {
            let err = write(&out, vec![("index.html", "x"), (bad, "x")]).unwrap_err();
            assert!(
                err.message.contains("must stay inside"),
                "{bad}: {}",
                err.message
            );
        }
        assert!(!site.path().join("out").exists(), "nothing written");
    }

    #[test]
    fn swap_by_renames_replaces_the_output_and_removes_the_old_one() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write(&out, vec![("index.html", "one"), ("a/b.html", "b")]).unwrap();
        let staging = site.path().join(".public.tryloyw-new-test");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(
            staging.join(MANIFEST),
            format!("{MANIFEST_HEADER}index.html\n"),
        )
        .unwrap();
        std::fs::write(staging.join("index.html"), "two").unwrap();
        swap_by_renames(&staging, &out, site.path(), "public").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists());
        assert_eq!(names_in(site.path()), ["public"]);
    }

    #[test]
    fn recover_leaves_a_folder_another_build_holds() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write(&out, vec![("index.html", "one")]).unwrap();
        let busy = site.path().join(".public.tryloyw-new-busy");
        std::fs::create_dir(&busy).unwrap();
        std::fs::write(busy.join(MANIFEST), MANIFEST_HEADER).unwrap();
        let held = lock(&busy).expect("free").expect("folders lock here");
        assert!(recover(&out).is_empty());
        assert!(
            busy.join(MANIFEST).exists(),
            "a live build's folder was emptied"
        );
        drop(held);
        assert!(recover(&out).is_empty());
        assert_eq!(names_in(site.path()), ["public"]);
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
