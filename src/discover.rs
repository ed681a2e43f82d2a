//! Discovery: one walk of the PATH arguments with the `ignore` crate (ripgrep's walker,
//! honouring `.gitignore`), parallel, sorting out ownership files by glob and, when evidence is
//! on, keeping every other file for the evidence scan. Explicitly named files are taken as
//! ownership files whatever their name, as linters do with files named on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::diag::Finding;
use crate::diag::kinds::{IoError, Unreadable};
use crate::paths;

/// The default ownership file globs (DESIGN section 3).
pub const DEFAULT_OWNERSHIP_GLOBS: &[&str] = &[
    "**/raci.yaml",
    "**/raci.yml",
    "**/*.raci.yaml",
    "**/*.raci.yml",
];

/// A file to load, with the path users see.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub display: String,
    pub path: PathBuf,
    /// The file's text when it does not come from the disk (`raci-lint -`).
    pub contents: Option<std::sync::Arc<[u8]>>,
}

/// A file the evidence scan may read, and the index of the PATH it was found under (evidence
/// globs match the path relative to it). Kept this small on purpose: a large tree has one per
/// file, and the shown path is only worked out for the files the scan looks at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScanFile {
    pub path: PathBuf,
    pub root: usize,
    /// The walk saw a regular file (from the directory entry, no `stat`): the scan reads it
    /// without asking the file system again. False when unknown (a named file, a link).
    pub regular: bool,
}

impl ScanFile {
    /// The path relative to the PATH it was found under.
    pub fn rel<'a>(&'a self, roots: &[PathBuf]) -> &'a Path {
        roots
            .get(self.root)
            .and_then(|root| self.path.strip_prefix(root).ok())
            .unwrap_or(&self.path)
    }
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub ownership: Vec<Candidate>,
    /// Every other file found; empty unless asked for.
    pub others: Vec<ScanFile>,
    /// Files left out of the scan because they are links out of their PATH (shown path, why).
    pub skipped: Vec<(String, &'static str)>,
    pub findings: Vec<Finding>,
    /// Named files that are not ownership files, with evidence off: nothing checks them.
    pub named_unchecked: Vec<String>,
}

/// What to walk and how.
pub struct Walk<'a> {
    pub roots: &'a [PathBuf],
    pub ownership: &'a GlobSet,
    pub exclude: &'a GlobSet,
    /// Keep non-ownership files for the evidence scan.
    pub keep_others: bool,
    /// The repository root: named files are judged by their path relative to it.
    pub repo_root: &'a Path,
    pub threads: usize,
    /// Called by the walker thread that finds an ownership file, with its shown path and path,
    /// as soon as it does: work on it need not wait for the walk to end.
    pub on_ownership: Option<&'a FoundOwnership<'a>>,
}

/// What [`Walk::on_ownership`] calls: the ownership file's shown path, and its path.
pub type FoundOwnership<'a> = dyn Fn(&str, &Path) + Sync + 'a;

pub fn globset(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob)?);
    }
    builder.build()
}

/// Whether a named file is an ownership file: the ownership globs match its path relative to
/// the repository root (however it was spelt: `./teams/a.yaml`, an absolute path), its path as
/// given, or its name alone.
pub fn is_ownership_name(globs: &GlobSet, path: &Path, repo_root: &Path) -> bool {
    let absolute = paths::absolute(&std::env::current_dir().unwrap_or_default(), path);
    absolute
        .strip_prefix(repo_root)
        .is_ok_and(|rel| globs.is_match(rel))
        || globs.is_match(path)
        || path
            .file_name()
            .is_some_and(|name| globs.is_match(Path::new(name)))
}

/// The ownership files in the folders above each PATH (a file PATH's own folder included), up
/// to the repository root, that the walk did not find: they may govern what the PATHs hold,
/// so `cd infra/ansible && raci-lint` judges its files as the whole repository would.
pub fn ownership_above(
    roots: &[PathBuf],
    repo_root: &Path,
    globs: &GlobSet,
    found: &[Candidate],
) -> Vec<Candidate> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let known: std::collections::HashSet<PathBuf> = found
        .iter()
        .map(|c| paths::absolute(&cwd, &c.path))
        .collect();
    let mut above = BTreeMap::new();
    // What the whole repository's walk would skip is skipped here too.
    let ignores = Ignores::new(repo_root);
    for root in roots {
        // A file that is not on disk (standard input's name) sits in its folder.
        let canonical = std::fs::canonicalize(root).or_else(|e| {
            let folder = match root.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            match root.file_name() {
                Some(name) => std::fs::canonicalize(folder).map(|dir| dir.join(name)),
                None => Err(e),
            }
        });
        let Ok(canonical) = canonical else {
            continue;
        };
        if !canonical.starts_with(repo_root) {
            continue;
        }
        for dir in canonical.ancestors().skip(1) {
            if !dir.starts_with(repo_root) {
                break;
            }
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let rel = path.strip_prefix(repo_root).unwrap_or(&path);
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                let skipped = ignores
                    .as_ref()
                    .is_some_and(|i| i.ignored_on_the_way(&path));
                if is_file && globs.is_match(rel) && !known.contains(&path) && !skipped {
                    above
                        .entry((paths::display_from(Some(&cwd), &path), path.clone()))
                        .or_insert(path);
                }
            }
        }
    }
    above
        .into_iter()
        .map(|((display, _), path)| Candidate {
            display,
            path,
            contents: None,
        })
        .collect()
}

#[derive(Default)]
struct Found {
    /// Named files that are not ownership files, with evidence off: nothing checks them.
    named_unchecked: Vec<String>,
    /// By shown path, then real name: names that display alike are still two files.
    ownership: BTreeMap<(String, PathBuf), PathBuf>,
    others: Vec<ScanFile>,
    skipped: Vec<(String, &'static str)>,
    findings: Vec<Finding>,
}

impl Found {
    /// Adds what another walker thread found; a file both found keeps the first path.
    fn absorb(&mut self, other: Found) {
        self.named_unchecked.extend(other.named_unchecked);
        for (key, path) in other.ownership {
            self.ownership.entry(key).or_insert(path);
        }
        self.others.extend(other.others);
        self.skipped.extend(other.skipped);
        self.findings.extend(other.findings);
    }
}

/// One walker thread's [`Found`], added to the shared one when the thread is done with it.
struct Merged<'a> {
    found: Found,
    into: &'a Mutex<Found>,
}

impl Drop for Merged<'_> {
    fn drop(&mut self) {
        lock(self.into).absorb(std::mem::take(&mut self.found));
    }
}

/// Fewer entries than this under the PATHs (see [`fewer_entries_than`]): a run on one thread.
pub const SMALL_TREE: usize = 128;

/// Whether the PATHs `roots` and what their folders hold are fewer than `limit` entries in all,
/// counted without following links or reading ignore files and without `.git`, reading at most
/// `limit` entries.
/// Only how many threads to start depends on it, never what is found.
pub fn fewer_entries_than(roots: &[PathBuf], limit: usize) -> bool {
    // Each PATH is an entry too: `raci-lint $(git ls-files)` names thousands of files.
    if roots.len() >= limit {
        return false;
    }
    let mut left = limit - 1 - roots.len();
    let mut folders: Vec<PathBuf> = roots.to_vec();
    while let Some(folder) = folders.pop() {
        // Not a folder (a file, a FIFO: `O_DIRECTORY` does not open it), or unreadable: the
        // walk reports it.
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            if left == 0 {
                return false;
            }
            left -= 1;
            if entry.file_type().is_ok_and(|t| t.is_dir()) && entry.file_name() != ".git" {
                folders.push(entry.path());
            }
        }
    }
    true
}

pub fn discover(walk: &Walk<'_>) -> Discovery {
    let mut found = Found::default();
    for (index, root) in walk.roots.iter().enumerate() {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                found.findings.push(io_error(root, e.to_string()));
                continue;
            }
        };
        if meta.is_dir() {
            walk_root(root, index, walk, &mut found);
        } else if is_ownership_name(walk.ownership, root, walk.repo_root) {
            insert(&mut found.ownership, paths::display(root), root);
        } else if walk.keep_others {
            // A named infrastructure file: scanned for evidence, not parsed as an ownership file.
            let file = ScanFile {
                path: root.clone(),
                root: index,
                regular: false,
            };
            found.others.push(file);
        } else {
            found.named_unchecked.push(paths::display(root));
        }
    }
    let mut findings = found.findings;
    findings.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    Discovery {
        ownership: found
            .ownership
            .into_iter()
            .map(|((display, _), path)| Candidate {
                display,
                path,
                contents: None,
            })
            .collect(),
        others: dedup_overlapping(found.others, walk.roots.len()),
        skipped: {
            let mut skipped = found.skipped;
            skipped.sort();
            skipped
        },
        findings,
        named_unchecked: found.named_unchecked,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A worker that panicked is re-raised by the walker; the data is still whole.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a walk error is about and what went wrong, the same from either walker: the parallel
/// one puts the path under the depth, the sequential one outside it and wraps walkdir's error,
/// whose text repeats the path. The innermost path, and the innermost I/O error's text.
fn walk_error(e: &ignore::Error, root: &Path) -> (PathBuf, String) {
    let mut path = None;
    let mut inner = e;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err;
            }
            _ => break,
        }
    }
    let why = match inner {
        ignore::Error::Io(io) => {
            let mut cause: &(dyn std::error::Error + 'static) = io;
            while let Some(next) = cause.source() {
                cause = next;
            }
            cause.to_string()
        }
        other => other.to_string(),
    };
    (path.unwrap_or_else(|| root.to_path_buf()), why)
}

fn io_error(path: &Path, error: String) -> Finding {
    IoError {
        path: &paths::display(path),
        error,
    }
    .report()
}

fn unreadable(path: &Path, why: Unreadable) -> Finding {
    IoError::because(&paths::display(path), why)
}

/// Adds a file once, however many overlapping PATHs (`. sub`, `./sub`) reach it: its real
/// name, normalised, is the key.
fn insert(found: &mut BTreeMap<(String, PathBuf), PathBuf>, display: String, path: &Path) {
    found
        .entry((display, paths::normal(path)))
        .or_insert_with(|| path.to_path_buf());
}

/// One walk finds each file once; overlapping PATHs (`. sub`) find some twice, under different
/// spellings: keep the first PATH's, by shown path.
fn dedup_overlapping(mut files: Vec<ScanFile>, roots: usize) -> Vec<ScanFile> {
    if roots > 1 {
        let cwd = std::env::current_dir().ok();
        let mut seen = std::collections::HashSet::new();
        files.sort_by_key(|f| f.root);
        files.retain(|f| seen.insert(paths::normal_from(cwd.as_deref(), &f.path)));
    }
    files
}

/// Whether a symbolic link leads inside `root` (canonical). Links are never followed out of the
/// PATH they were found under, nor into a `.git` folder (where CI keeps credentials).
fn link_inside(path: &Path, root: Option<&Path>) -> bool {
    match (std::fs::canonicalize(path), root) {
        (Ok(target), Some(root)) => {
            target.starts_with(root) && !target.components().any(|c| c.as_os_str() == ".git")
        }
        _ => false,
    }
}

/// Ignore files read per folder. raci-lint reads them itself rather than through the walker:
/// never through a link (as git), at most [`MAX_IGNORE_FILE`] bytes each, so a `.gitignore`
/// that is a link to `/dev/zero` or a 100 MB file cannot stall or exhaust a run.
pub const MAX_IGNORE_FILE: u64 = 64 * 1024;

/// The ignore files that apply in each folder of one walk, cached: a folder's chain is its own
/// files (`.ignore` before `.gitignore`, and `.git/info/exclude` at the repository root), then
/// its parent's chain, up to the top folder (the repository root, or the walked PATH outside a
/// repository). Ignore files above the repository root never apply, as with git.
struct Ignores {
    top: PathBuf,
    repo: Option<PathBuf>,
    /// Read far more often than written: every walked entry asks for its folder's chain.
    /// Keyed by the folder's bytes: hashing a `Path` goes component by component, which showed
    /// in the walk's profile.
    chains: std::sync::RwLock<std::collections::HashMap<std::ffi::OsString, Chain>>,
    problems: Mutex<Vec<Finding>>,
    /// Which walk this is, for [`LAST_CHAIN`].
    id: u64,
}

/// A chain of ignore files, outermost last.
type Chain = Arc<Vec<Arc<Gitignore>>>;

thread_local! {
    /// This thread's last folder asked about, with its chain, and the [`Ignores`] it came from.
    /// The walker filters a folder's entries one after another on one thread, so most entries
    /// ask for the folder the one before asked for: no lock, no hash, no shared counter.
    static LAST_CHAIN: std::cell::RefCell<Option<(u64, PathBuf, Chain)>> =
        const { std::cell::RefCell::new(None) };
}

impl Ignores {
    fn new(root: &Path) -> Option<Ignores> {
        static WALKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let root = std::fs::canonicalize(root).ok()?;
        let repo = root
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .map(Path::to_path_buf);
        Some(Ignores {
            top: repo.clone().unwrap_or(root),
            repo,
            chains: std::sync::RwLock::default(),
            problems: Mutex::default(),
            id: WALKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Whether `path` (absolute) is ignored: the deepest ignore file that says anything decides.
    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Some(dir) = path.parent() else {
            return false;
        };
        LAST_CHAIN.with_borrow_mut(|last| {
            let hit = matches!(last, Some((id, folder, _))
                if *id == self.id && folder.as_os_str() == dir.as_os_str());
            if !hit {
                let chain = if dir.starts_with(&self.top) {
                    self.chain(dir)
                } else {
                    Chain::default()
                };
                *last = Some((self.id, dir.to_path_buf(), chain));
            }
            last.as_ref().is_some_and(|(_, _, chain)| {
                chain
                    .iter()
                    .map(|m| m.matched(path, is_dir))
                    .find(|m| !m.is_none())
                    .is_some_and(|m| m.is_ignore())
            })
        })
    }

    /// Whether `path` or a folder on the way to it from the top is ignored.
    fn ignored_on_the_way(&self, path: &Path) -> bool {
        self.ignored(path, false)
            || path
                .ancestors()
                .skip(1)
                .take_while(|dir| dir.starts_with(&self.top) && *dir != self.top)
                .any(|dir| self.ignored(dir, true))
    }

    fn chain(&self, dir: &Path) -> Chain {
        if let Some(chain) = self
            .chains
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir.as_os_str())
        {
            return Arc::clone(chain);
        }
        let mut chain: Vec<Arc<Gitignore>> = self.own(dir);
        if dir != self.top
            && let Some(parent) = dir.parent()
        {
            chain.extend(self.chain(parent).iter().cloned());
        }
        let chain = Arc::new(chain);
        self.chains
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.as_os_str().to_owned(), Arc::clone(&chain));
        chain
    }

    fn own(&self, dir: &Path) -> Vec<Arc<Gitignore>> {
        let mut names = vec![dir.join(".ignore"), dir.join(".gitignore")];
        if self.repo.as_deref() == Some(dir) {
            names.push(dir.join(".git/info/exclude"));
        }
        names
            .iter()
            .filter_map(|file| self.read(dir, file))
            .map(Arc::new)
            .collect()
    }

    fn read(&self, dir: &Path, file: &Path) -> Option<Gitignore> {
        let meta = std::fs::symlink_metadata(file).ok()?;
        let problem = if meta.file_type().is_symlink() {
            Some(Unreadable::LinkedIgnoreFile)
        } else if !meta.is_file() {
            Some(Unreadable::IgnoreFileNotRegular)
        } else if meta.len() > MAX_IGNORE_FILE {
            Some(Unreadable::IgnoreFileTooLarge {
                size: meta.len(),
                limit: MAX_IGNORE_FILE,
            })
        } else {
            None
        };
        if let Some(why) = problem {
            lock(&self.problems).push(unreadable(file, why));
            return None;
        }
        let mut bytes = Vec::new();
        let read = std::fs::File::open(file).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_IGNORE_FILE), &mut bytes)
        });
        if let Err(e) = read {
            lock(&self.problems).push(io_error(file, e.to_string()));
            return None;
        }
        let mut builder = GitignoreBuilder::new(dir);
        for line in String::from_utf8_lossy(&bytes).lines() {
            // A broken line is skipped, as git and ripgrep do.
            let _ = builder.add_line(Some(file.to_path_buf()), line);
        }
        builder.build().ok()
    }
}

fn walk_root(root: &Path, index: usize, walk: &Walk<'_>, found: &mut Found) {
    let canonical_root = std::fs::canonicalize(root).ok();
    let canonical_root = canonical_root.as_deref();
    // The walked folder's path from the repository root: the ownership and exclude globs are
    // over paths from the root, whatever folder the walk starts from (`cd infra && raci-lint`).
    let in_repo = canonical_root
        .and_then(|c| c.strip_prefix(walk.repo_root).ok())
        .filter(|p| !p.as_os_str().is_empty());
    let ignores = Arc::new(Ignores::new(root));
    let filter = Arc::clone(&ignores);
    let owned_root = root.to_path_buf();
    let absolute = canonical_root.map(Path::to_path_buf);
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .hidden(false)
        // Ignore files are read by `Ignores`, bounded and never through a link.
        .require_git(false)
        .ignore(false)
        .git_ignore(false)
        .git_exclude(false)
        .parents(false)
        .threads(walk.threads)
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            match (&absolute, filter.as_ref()) {
                (Some(abs), Some(ignores)) => {
                    let rel = paths::below(e.path(), &owned_root).unwrap_or(e.path());
                    let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                    // The walked PATH itself is never ignored: it was named.
                    rel.as_os_str().is_empty() || !ignores.ignored(&abs.join(rel), is_dir)
                }
                _ => true,
            }
        });
    if walk.threads <= 1 {
        // On this thread: the parallel walker starts one of its own even for one.
        for entry in walker.build() {
            classify(root, (canonical_root, in_repo), index, walk, entry, found);
        }
    } else {
        let shared = Mutex::new(std::mem::take(found));
        walker.build_parallel().run(|| {
            // Each walker thread sorts files into its own lists, merged when it ends: a lock
            // per file had the threads wait on each other.
            let mut mine = Merged {
                found: Found::default(),
                into: &shared,
            };
            Box::new(move |entry| {
                classify(
                    root,
                    (canonical_root, in_repo),
                    index,
                    walk,
                    entry,
                    &mut mine.found,
                );
                ignore::WalkState::Continue
            })
        });
        *found = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    }
    if let Some(ignores) = ignores.as_ref() {
        let problems = std::mem::take(&mut *lock(&ignores.problems));
        found.findings.extend(problems);
        // A chain per folder of the tree: thousands of them.
        let chains =
            std::mem::take(&mut *ignores.chains.write().unwrap_or_else(|e| e.into_inner()));
        crate::par::drop_aside(chains);
    }
}

/// `canonical_root`: the walked PATH resolved; `in_repo`: its path from the repository root,
/// when it lies below the root.
fn classify(
    root: &Path,
    (canonical_root, in_repo): (Option<&Path>, Option<&Path>),
    index: usize,
    walk: &Walk<'_>,
    entry: Result<ignore::DirEntry, ignore::Error>,
    found: &mut Found,
) {
    let entry = match entry {
        Ok(entry) => entry,
        Err(e) => {
            let (at, why) = walk_error(&e, root);
            found.findings.push(io_error(&at, why));
            return;
        }
    };
    let path = entry.path();
    let rel = paths::below(path, root).unwrap_or(path);
    if rel.as_os_str().is_empty() {
        return;
    }
    let joined;
    let rel = match in_repo {
        Some(prefix) => {
            joined = prefix.join(rel);
            joined.as_path()
        }
        None => rel,
    };
    if walk.exclude.is_match(rel) {
        return;
    }
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    let escapes = entry.path_is_symlink()
        && std::fs::symlink_metadata(path).is_ok()
        && std::fs::metadata(path).is_ok()
        && !link_inside(path, canonical_root);
    if walk.ownership.is_match(rel) {
        if escapes {
            let e = unreadable(path, Unreadable::LinkOutOfPath);
            found.findings.push(e);
        } else if is_dir {
            // Named like an ownership file but not one: say so rather than skip it silently.
            let e = unreadable(path, Unreadable::FolderNamedLikeOwnershipFile);
            found.findings.push(e);
        } else {
            let display = paths::display(path);
            if let Some(found_one) = walk.on_ownership {
                found_one(&display, path);
            }
            insert(&mut found.ownership, display, path);
        }
    } else if walk.keep_others && escapes {
        found
            .skipped
            .push((paths::display(path), "link out of the PATH"));
    } else if walk.keep_others && !is_dir {
        let regular = entry.file_type().is_some_and(|t| t.is_file());
        let file = ScanFile {
            path: entry.into_path(),
            root: index,
            regular,
        };
        found.others.push(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// walkdir's error as the sequential walker wraps it: its text names the path again, its
    /// source is the operating system's error.
    #[derive(Debug)]
    struct Walkdir(std::io::Error);

    impl std::fmt::Display for Walkdir {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "IO error for operation on ./secret: {}", self.0)
        }
    }

    impl std::error::Error for Walkdir {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn an_unreadable_folder_reads_the_same_from_either_walker() {
        let denied = || std::io::Error::from_raw_os_error(13);
        // The parallel walker: the path under the depth.
        let parallel = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("./secret"),
                err: Box::new(ignore::Error::Io(denied())),
            }),
        };
        // The sequential walker: the path outside, walkdir's error inside.
        let sequential = ignore::Error::WithPath {
            path: PathBuf::from("./secret"),
            err: Box::new(ignore::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                Walkdir(denied()),
            ))),
        };
        let root = Path::new(".");
        let expected = (PathBuf::from("./secret"), denied().to_string());
        assert_eq!(walk_error(&parallel, root), expected);
        assert_eq!(walk_error(&sequential, root), expected);
        // No path at all: the walked PATH.
        let bare = ignore::Error::Io(denied());
        assert_eq!(walk_error(&bare, root).0, PathBuf::from("."));
    }

    #[test]
    fn each_path_counts_as_an_entry() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = (0..3).map(|i| dir.path().join(format!("f{i}"))).collect();
        for f in &files {
            std::fs::write(f, "x").unwrap();
        }
        assert!(fewer_entries_than(&files, 4));
        assert!(!fewer_entries_than(&files, 3));
        // The folder itself, then its three files.
        assert!(fewer_entries_than(&[dir.path().to_path_buf()], 5));
        assert!(!fewer_entries_than(&[dir.path().to_path_buf()], 4));
    }
}
