//! The evidence scan (DESIGN section 4): files inside an ownership file's scope are searched,
//! line by line, for patterns showing that the repository performs a duty its provider holds.
//! Each file is attributed to the nearest ownership file whose scope covers it; files outside
//! every scope, and files no applicable rule looks at, are never read.

pub mod allow;
pub mod contexts;
pub mod literals;
mod occurrences;
pub mod rules;
pub mod shell;
pub mod yaml;

use std::collections::HashMap;
use std::path::Path;

use globset::GlobSet;

use crate::checks::Resolved;
use crate::diag::Finding;
use crate::diag::kinds::{
    InlineAllowWithoutReason, InvalidAllow, IoError, PerformsProviderDuty, UnknownAllowActivity,
    UnusedInlineAllow,
};
use crate::discover::ScanFile;
use crate::model::Role;
use crate::source::{SourceFile, Span};
use crate::{par, paths};
use rules::PackRules;

/// Files larger than this are not searched (DESIGN: `max-file-size`, default 1 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// ripgrep's binary test: a NUL byte in the first 8 KiB.
const BINARY_PROBE: usize = 8 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    Binary,
    TooLarge,
    /// A FIFO, socket or device: never opened, as a read could block forever.
    NotRegular,
    /// A search of the pack's rules gave up on this file (input crafted against a pattern).
    TooCostly,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::NotRegular => "not a regular file",
            SkipReason::TooCostly => "too costly to search with these rules",
        }
    }
}

#[derive(Debug, Default)]
pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    /// Findings accepted by an inline allow: not reported, kept for `--show-waived`.
    pub waived: Vec<Finding>,
    pub scanned: usize,
    pub skipped: Vec<(String, SkipReason)>,
    /// `performs-provider-duty` findings past `max-findings` in one file: counted, not kept.
    pub dropped: usize,
    /// Files named on the command line that no ownership file's scope covers.
    pub uncovered: Vec<String>,
    /// Files with a finding that has a fix (an unused inline allow): shown path and real path.
    pub fixable: Vec<(String, std::path::PathBuf)>,
}

/// An ownership file as the scan sees it: which rules apply to it.
struct Owner<'a> {
    resolved: &'a Resolved,
    rules: &'a PackRules,
    /// Indices into `rules.rules` of the rules whose activity applies to this file and is a
    /// provider duty (the provider holds R, the customer share has no R).
    applicable: Vec<usize>,
}

/// The ownership files of one folder, with one glob set for all their scopes: attribution asks
/// it once per file instead of asking every owner (20,000 sibling files stay linear).
struct Folder<'a> {
    /// The folder, normalised.
    dir: &'a Path,
    owners: Vec<Owner<'a>>,
    /// Every distinct scope glob of the folder's owners, in owner order.
    /// `None` when the first owner's scope is `**` (the default, when it has none): that
    /// owner takes every file below, with no glob set to build or ask.
    scopes: Option<GlobSet>,
    /// For each glob of `scopes`, the first owner (index into `owners`) that has it.
    owner_of_glob: Vec<usize>,
}

/// Ownership files by the folder they sit in, by its real name.
struct Scopes<'a> {
    /// Keyed by the folder's bytes (both sides are normalised): every file asks for each of
    /// its folders, found as the bytes before each separator of its path; splitting a `Path`
    /// into components and hashing them cost more than the rest of the question.
    by_dir: HashMap<&'a [u8], Folder<'a>>,
}

impl<'a> Scopes<'a> {
    fn new(
        owners: &'a [Resolved],
        compiled: &'a HashMap<String, PackRules>,
        threads: usize,
    ) -> Scopes<'a> {
        let mut grouped: HashMap<&Path, Vec<(Owner, Vec<String>)>> = HashMap::new();
        for resolved in owners {
            let Some(rules) = compiled.get(resolved.pack.id()) else {
                continue;
            };
            let globs: Vec<String> = match &resolved.file.scope {
                Some(scope) => scope.value.value.iter().map(|g| g.value.clone()).collect(),
                None => vec!["**".to_owned()],
            };
            let file = &resolved.file;
            let products = file.products().map(|p| p.value.as_str()).collect();
            let applicable = rules
                .rules
                .iter()
                .enumerate()
                .filter(|(_, rule)| {
                    let a = rules.activity(rule);
                    a.provider.value.contains(Role::Responsible)
                        && a.held_by_provider(Role::Responsible)
                        && resolved.pack.applies(a, file.plan(), &products)
                })
                .map(|(i, _)| i)
                .collect();
            let owner = Owner {
                resolved,
                rules,
                applicable,
            };
            grouped
                .entry(resolved.folder.as_path())
                .or_default()
                .push((owner, globs));
        }
        // A glob set per folder, in parallel: a tree of 100 ownership files in as many folders
        // spent 2 ms on them, on one thread.
        let grouped: Vec<_> = grouped.into_iter().collect();
        let sets = par::map(&grouped, threads, |(_, entries)| Folder::scopes(entries));
        let by_dir = grouped
            .into_iter()
            .zip(sets)
            .map(|((dir, entries), (scopes, owner_of_glob))| {
                let owners = entries.into_iter().map(|(owner, _)| owner).collect();
                let folder = Folder {
                    dir,
                    owners,
                    scopes,
                    owner_of_glob,
                };
                (dir.as_os_str().as_encoded_bytes(), folder)
            })
            .collect();
        Scopes { by_dir }
    }

    /// The nearest ownership file whose scope covers `path` (normalised, as the folders are).
    fn owner_of(&self, path: &Path, matched: &mut Vec<usize>) -> Option<&Owner<'a>> {
        for dir in folders_of(path) {
            if let Some(folder) = self.by_dir.get(dir) {
                let rel = paths::below(path, folder.dir).unwrap_or(path);
                let Some(scopes) = &folder.scopes else {
                    return folder.owners.first();
                };
                scopes.matches_into(rel, matched);
                if let Some(first) = matched.iter().map(|&g| folder.owner_of_glob[g]).min() {
                    return folder.owners.get(first);
                }
            }
        }
        None
    }
}

/// The bytes of each folder above `path` (normalised), nearest first, as `Path::parent` gives
/// them. On Unix, the bytes before each `/`: no splitting into components.
fn folders_of(path: &Path) -> impl Iterator<Item = &[u8]> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut end = bytes.len();
    let mut ancestors = path.ancestors().skip(1);
    std::iter::from_fn(move || {
        if !cfg!(unix) {
            // Prefixes (`C:\`, `\\server\share\`) end where only `Path` knows.
            return ancestors
                .next()
                .map(|dir| dir.as_os_str().as_encoded_bytes());
        }
        let at = bytes[..end].iter().rposition(|&b| b == b'/')?;
        end = at;
        // The root keeps its separator.
        Some(&bytes[..at.max(1)])
    })
}

impl Folder<'_> {
    /// One glob set of the distinct scope globs of a folder's owners (given in owner order),
    /// and for each of its globs the first owner that has it.
    fn scopes(entries: &[(Owner<'_>, Vec<String>)]) -> (Option<GlobSet>, Vec<usize>) {
        if entries
            .first()
            .is_some_and(|(_, scope)| scope.iter().any(|g| g == "**"))
        {
            return (None, Vec::new());
        }
        let mut first_owner: HashMap<&str, usize> = HashMap::new();
        let mut globs = Vec::new();
        for (index, (_, scope)) in entries.iter().enumerate() {
            for glob in scope {
                // A glob another owner of this folder already has can never pick this one.
                if let std::collections::hash_map::Entry::Vacant(e) = first_owner.entry(glob) {
                    globs.push(glob.as_str());
                    e.insert(index);
                }
            }
        }
        let mut builder = globset::GlobSetBuilder::new();
        let mut owner_of_glob = Vec::with_capacity(globs.len());
        for glob in globs {
            // Loading rejected bad scope globs; one that still fails here governs nothing.
            if let Ok(g) = globset::Glob::new(glob) {
                builder.add(g);
                owner_of_glob.push(first_owner[glob]);
            }
        }
        let scopes = builder.build().unwrap_or_else(|_| GlobSet::empty());
        (Some(scopes), owner_of_glob)
    }
}

/// What one scan reads and how.
pub struct Plan<'a> {
    /// The files the walk kept for the scan.
    pub files: &'a [ScanFile],
    /// The PATHs they were found under.
    pub roots: &'a [std::path::PathBuf],
    /// The repository root: evidence globs are relative to it.
    pub repo_root: &'a Path,
    /// The ownership files that resolved, whose scopes decide what is read.
    pub owners: &'a [Resolved],
    pub threads: usize,
    pub max_file_size: u64,
    /// Findings kept along the way (`max-findings`, or more when a baseline applies later).
    pub max_findings: usize,
    /// Waived findings kept, for `--show-waived`: never recorded or counted, so never more than
    /// `max-findings`.
    pub max_waived: usize,
    /// Files whose bytes do not come from the disk: standard input (`raci-lint -`), and the
    /// texts fixed so far by `--fix` or `--diff`.
    pub overlay: &'a crate::Overlay,
    /// Pack rules compiled while the walk ran.
    pub precompiled: Option<&'a Precompiled>,
    /// The ownership files' waivers: a match one of them accepts is waived where it is found,
    /// never counted past `max-findings` as reported.
    pub waivers: Option<&'a crate::checks::waivers::Waivers<'a>>,
}

/// Scans the plan's files for evidence against the resolved ownership files; `trim` keeps the
/// findings to `max-findings` between chunks of files.
pub fn scan(plan: &Plan<'_>, trim: &mut dyn FnMut(Vec<Finding>) -> Vec<Finding>) -> ScanOutcome {
    let Plan {
        files,
        roots,
        repo_root,
        owners,
        threads,
        max_file_size,
        max_findings,
        max_waived,
        overlay,
        precompiled: _,
        waivers,
    } = *plan;
    let cwd = std::env::current_dir().unwrap_or_default();
    let compiled = compile(owners, threads, plan.files.len(), plan.precompiled);
    let scopes = Scopes::new(owners, &compiled, threads);
    let scan_one = |file: &ScanFile| {
        let absolute = paths::absolute(&cwd, &file.path);
        let display = || paths::display_from(Some(&cwd), &file.path);
        let Some(owner) = scopes.owner_of(&absolute, &mut Vec::new()) else {
            // A file named on the command line that no ownership file governs: say so.
            let named = roots.get(file.root).is_some_and(|r| *r == file.path);
            return named.then(|| (FileResult::Uncovered(display()), None));
        };
        // Evidence globs are relative to the repository root, whatever PATH found the file (a
        // PATH outside the repository: relative to that PATH).
        let rel = paths::below(&absolute, repo_root).unwrap_or_else(|| file.rel(roots));
        let target = Target {
            display: std::cell::OnceCell::new(),
            cwd: Some(&cwd),
            path: &file.path,
            contents: overlay.get(&file.path).map(|bytes| &**bytes),
            regular: file.regular,
        };
        let bounds = Bounds {
            file_size: max_file_size,
            findings: max_findings,
            waived: max_waived,
        };
        let result = judge(owner, rel, &target, bounds, waivers)?;
        if let FileResult::Scanned { findings, .. } = &result
            && findings.iter().any(|f| f.fix.is_some())
        {
            return Some((result, Some((target.shown().to_owned(), file.path.clone()))));
        }
        Some((result, None))
    };
    let mut outcome = ScanOutcome::default();
    // Results are taken as the workers hand them over, in no set order: the findings are kept
    // to `max-findings` (the first in output order, the rest counted) whenever they reach
    // twice as many, so that many files with many matches each keep no more in memory than can
    // be shown; everything else is sorted or counted.
    let first_in_output_order =
        |waived: Vec<Finding>| crate::diag::first_in_output_order(waived, max_waived);
    par::each(files, threads, scan_one, |result| {
        let Some((result, fixable)) = result else {
            return;
        };
        outcome.fixable.extend(fixable);
        match result {
            FileResult::Skipped(display, reason) => outcome.skipped.push((display, reason)),
            FileResult::Failed(finding) => outcome.findings.push(*finding),
            FileResult::Uncovered(display) => outcome.uncovered.push(display),
            FileResult::Scanned {
                findings,
                waived,
                dropped,
            } => {
                outcome.scanned += 1;
                outcome.findings.extend(findings);
                outcome.waived.extend(waived);
                outcome.dropped += dropped;
            }
        }
        if outcome.findings.len() > max_findings.saturating_mul(2) {
            outcome.findings = trim(std::mem::take(&mut outcome.findings));
        }
        // Waived findings are only listed with --show-waived; past the limit they are not.
        if outcome.waived.len() > max_waived.saturating_mul(2) {
            outcome.waived = first_in_output_order(std::mem::take(&mut outcome.waived));
        }
    });
    if outcome.findings.len() > max_findings {
        outcome.findings = trim(std::mem::take(&mut outcome.findings));
    }
    if outcome.waived.len() > max_waived {
        outcome.waived = first_in_output_order(std::mem::take(&mut outcome.waived));
    }
    outcome.uncovered.sort();
    outcome.skipped.sort_by(|a, b| a.0.cmp(&b.0));
    drop(scopes);
    par::drop_aside(compiled);
    outcome
}

/// The rules of every pack the owners use, compiled once per pack, for a scan of `files` files:
/// taken from `ready` when compiled there beforehand. In parallel: a pack's rules take a few
/// milliseconds, most of a small repository's scan.
fn compile(
    owners: &[Resolved],
    threads: usize,
    files: usize,
    ready: Option<&Precompiled>,
) -> HashMap<String, PackRules> {
    let mut compiled = HashMap::new();
    let mut packs: Vec<&std::sync::Arc<crate::model::Pack>> = Vec::new();
    for resolved in owners {
        let id = resolved.pack.id();
        if compiled.contains_key(id) || packs.iter().any(|p| p.id() == id) {
            continue;
        }
        match ready.and_then(|r| r.take(id)) {
            Some(rules) => {
                compiled.insert(id.to_owned(), rules);
            }
            None => packs.push(&resolved.pack),
        }
    }
    let fresh = par::map_costly(&packs, threads, |pack| PackRules::compile_for(pack, files));
    compiled.extend(packs.iter().map(|p| p.id().to_owned()).zip(fresh));
    compiled
}

/// Pack rules compiled before the scan, by pack id: a walker thread compiles a pack's rules as
/// soon as an ownership file it found names the pack, while the other threads walk on, rather
/// than every thread but one waiting for them between the walk and the scan.
#[derive(Default)]
pub struct Precompiled(std::sync::Mutex<HashMap<String, Option<PackRules>>>);

impl Precompiled {
    /// Compiles `pack`'s rules unless a thread already has or is doing so. For a tree large
    /// enough to walk on several threads: the literal automaton is a DFA, and the set of the
    /// pack's command rules is built now rather than by the first file that needs it.
    pub fn compile(&self, pack: &std::sync::Arc<crate::model::Pack>) {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        match lock().entry(pack.id().to_owned()) {
            std::collections::hash_map::Entry::Occupied(_) => return,
            std::collections::hash_map::Entry::Vacant(v) => v.insert(None),
        };
        let rules = PackRules::compile(pack);
        rules.prepare();
        lock().insert(pack.id().to_owned(), Some(rules));
    }

    fn take(&self, id: &str) -> Option<PackRules> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get_mut(id).and_then(Option::take)
    }
}

/// One file judged against its owner: the rules whose globs cover `rel` (none: the file is not
/// read), then the scan. The same for a run and for one document.
fn judge(
    owner: &Owner<'_>,
    rel: &Path,
    target: &Target<'_>,
    bounds: Bounds,
    waivers: Option<&crate::checks::waivers::Waivers<'_>>,
) -> Option<FileResult> {
    let commands = std::cell::OnceCell::new();
    let rules: Vec<usize> = owner
        .rules
        .covering(rel, &owner.applicable)
        .into_iter()
        .filter(|&i| {
            !matches!(owner.rules.rules[i].matcher, rules::Matcher::Command(_))
                || *commands.get_or_init(|| contexts::may_hold_commands(rel))
        })
        .collect();
    if rules.is_empty() {
        return None;
    }
    Some(scan_file(target, rel, owner, &rules, bounds, waivers))
}

/// An infrastructure file's text, judged as the file at `path` (absolute).
pub struct Document<'a> {
    pub path: &'a Path,
    pub shown: &'a str,
    pub bytes: &'a [u8],
    /// Evidence globs are relative to it.
    pub repo_root: &'a Path,
}

/// The per-document core of the scan: `doc` against the ownership files that may govern it, with
/// no file system access. Reported findings only; waived ones are left out. With `waivers`, the
/// matches they accept are left out before the file's findings are cut to `max_findings`, as the
/// scan of a run leaves them out.
pub fn check_document(
    doc: &Document<'_>,
    owners: &[Resolved],
    (max_file_size, max_findings): (u64, usize),
    waivers: Option<&crate::checks::waivers::Waivers<'_>>,
) -> Vec<Finding> {
    let compiled = compile(owners, 1, 1, None);
    let scopes = Scopes::new(owners, &compiled, 1);
    // Scopes are keyed by normalised folders: an editor's path may be spelt `/repo//infra/x`.
    let path = paths::absolute(Path::new("/"), doc.path);
    let Some(owner) = scopes.owner_of(&path, &mut Vec::new()) else {
        return Vec::new();
    };
    let rel = path.strip_prefix(doc.repo_root).unwrap_or(&path);
    let target = Target {
        display: std::cell::OnceCell::from(doc.shown.to_owned()),
        cwd: None,
        path: doc.path,
        contents: Some(doc.bytes),
        regular: false,
    };
    let bounds = Bounds {
        file_size: max_file_size,
        findings: max_findings,
        waived: 0,
    };
    match judge(owner, rel, &target, bounds, waivers) {
        Some(FileResult::Scanned { findings, .. }) => findings,
        Some(FileResult::Failed(finding)) => vec![*finding],
        _ => Vec::new(),
    }
}

/// A file being scanned: its shown path and where to read it.
struct Target<'a> {
    /// The path users see, worked out only when something is reported: most files are not.
    display: std::cell::OnceCell<String>,
    cwd: Option<&'a Path>,
    path: &'a std::path::Path,
    /// Its bytes, when they do not come from the disk.
    contents: Option<&'a [u8]>,
    /// The walk saw a regular file: no `stat` before reading it.
    regular: bool,
}

impl Target<'_> {
    fn shown(&self) -> &str {
        self.display
            .get_or_init(|| paths::display_from(self.cwd, self.path))
    }
}

enum FileResult {
    Skipped(String, SkipReason),
    /// The file could not be read: an `io-error`, and not counted as scanned.
    Failed(Box<Finding>),
    /// A file named on the command line that no ownership file's scope covers.
    Uncovered(String),
    Scanned {
        findings: Vec<Finding>,
        waived: Vec<Finding>,
        dropped: usize,
    },
}

impl FileResult {
    fn nothing() -> FileResult {
        FileResult::Scanned {
            findings: Vec::new(),
            waived: Vec::new(),
            dropped: 0,
        }
    }
}

thread_local! {
    /// The buffer files are read into, one per scanning thread: most files hold no evidence,
    /// and a fresh allocation for each showed in the profile.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The thread's read buffer, taken for one file and given back (emptied) when dropped; one that
/// grew past a few MiB is let go rather than kept.
struct Buffer(Vec<u8>);

impl Buffer {
    fn take() -> Buffer {
        let mut bytes = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
        bytes.clear();
        Buffer(bytes)
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        let bytes = std::mem::take(&mut self.0);
        if bytes.capacity() <= 4 * DEFAULT_MAX_FILE_SIZE as usize {
            BUFFER.with(|b| *b.borrow_mut() = bytes);
        }
    }
}

/// One match of one rule, ordered as findings are shown: by position, then rule.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Hit {
    start: usize,
    end: usize,
    rule: usize,
    /// The task or command takes more than one line.
    multiline: bool,
}

/// What one file's scan may read and keep.
#[derive(Clone, Copy)]
struct Bounds {
    file_size: u64,
    /// Findings, the first in output order.
    findings: usize,
    /// Waived findings, for `--show-waived`.
    waived: usize,
}

fn scan_file(
    file: &Target<'_>,
    rel: &Path,
    owner: &Owner<'_>,
    rules: &[usize],
    bounds: Bounds,
    waivers: Option<&crate::checks::waivers::Waivers<'_>>,
) -> FileResult {
    let Bounds {
        file_size: max,
        findings: max_findings,
        waived: max_waived,
    } = bounds;
    let skipped = |why| FileResult::Skipped(file.shown().to_owned(), why);
    let failed = |e: std::io::Error| {
        FileResult::Failed(Box::new(
            IoError {
                path: file.shown(),
                error: e.to_string(),
            }
            .report(),
        ))
    };
    let mut buffer = Buffer::take();
    let bytes: &[u8] = match file.contents {
        Some(bytes) => bytes,
        None => {
            // A file the walk did not see as regular (named on the command line, a link) is
            // asked about first: a FIFO or a device is never opened, as a read could block.
            if !file.regular {
                match std::fs::metadata(file.path) {
                    Ok(meta) if !meta.is_file() => {
                        return skipped(SkipReason::NotRegular);
                    }
                    Ok(meta) if meta.len() > max => return skipped(SkipReason::TooLarge),
                    Ok(_) => {}
                    Err(e) => return failed(e),
                }
            }
            let read = std::fs::File::open(file.path).and_then(|f| {
                std::io::Read::read_to_end(&mut std::io::Read::take(f, max + 1), &mut buffer.0)
            });
            if let Err(e) = read {
                return failed(e);
            }
            &buffer.0
        }
    };
    if bytes.len() as u64 > max {
        return skipped(SkipReason::TooLarge);
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        return skipped(SkipReason::Binary);
    }
    let has_allows = allow::mentioned(bytes);
    let (candidates, places) = owner.rules.candidates_and_hits(bytes, rules);
    if candidates.is_empty() && !has_allows {
        return FileResult::nothing();
    }
    // Where lines start, worked out when a match or an allow needs it: most files read have
    // neither.
    let line_starts = std::cell::OnceCell::new();
    let line_starts = || -> &[usize] {
        line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
                .collect::<Vec<usize>>()
        })
    };
    let line_of = |at: usize| line_starts().partition_point(|&s| s <= at) - 1;
    let allows = if has_allows {
        allow::find(bytes, line_starts())
    } else {
        Vec::new()
    };
    let mut used = vec![false; allows.len()];
    let provider = owner.resolved.pack.id();
    // The owner's evidence waivers that take this file, worked out at the first match.
    let waived_by_owner = std::cell::OnceCell::new();
    let waived_by_owner = |activity: &str| {
        waivers.is_some_and(|w| {
            let candidates = waived_by_owner
                .get_or_init(|| w.for_evidence(&owner.resolved.file.source, file.shown()));
            w.accepts_evidence(candidates, activity)
        })
    };
    // The file's first `max_findings` hits in output order, kept in a bounded heap whatever
    // the number of matches (400 rules matching 70,000 commands each would otherwise hold
    // millions of hits).
    let mut hits: std::collections::BinaryHeap<Hit> = std::collections::BinaryHeap::new();
    let mut waived_hits = Vec::new();
    let mut dropped = 0;
    let structure = Structure::new(bytes, rel, owner, &candidates, places);
    let mut consider = |rule: usize, m: Match| {
        let activity = owner.rules.activity(&owner.rules.rules[rule]).id();
        let (first, last) = (line_of(m.from), line_of(m.to.max(m.from + 1) - 1));
        let hit = Hit {
            rule,
            start: m.start,
            end: m.end,
            multiline: last > first,
        };
        let allowed = allow::covering(&allows, first, last, provider, activity);
        if let Some(i) = allowed {
            used[i] = true;
        }
        if allowed.is_some() || waived_by_owner(activity) {
            if waived_hits.len() < max_waived {
                waived_hits.push(hit);
            }
        } else {
            hits.push(hit);
            if hits.len() > max_findings {
                hits.pop();
                dropped += 1;
            }
        }
    };
    let searched = (|| -> Result<(), rules::GaveUp> {
        for &rule in &candidates {
            let r = &owner.rules.rules[rule];
            match r.matcher {
                rules::Matcher::Pattern { .. } => r.each_match(bytes, &mut |start, end| {
                    let m = Match {
                        start,
                        end,
                        from: start,
                        to: end,
                    };
                    consider(rule, m);
                })?,
                rules::Matcher::Ansible { .. } => {
                    structure.each_task_match(r, &mut |m| consider(rule, m))?
                }
                // Searched command by command for all rules at once, below.
                rules::Matcher::Command(_) => {}
            }
        }
        owner.rules.each_command_match(
            &structure.commands,
            &structure.command_rules,
            &mut |rule, c| {
                let c = &structure.commands[c];
                let m = Match {
                    start: c.start,
                    end: c.end,
                    from: c.start,
                    to: c.end,
                };
                consider(rule, m);
            },
        )
    })();
    if searched.is_err() {
        // Input crafted against a pack's patterns: skipped with its reason, never a long search.
        return skipped(SkipReason::TooCostly);
    }
    let hits = hits.into_sorted_vec();
    if hits.is_empty() && waived_hits.is_empty() && allows.is_empty() {
        return FileResult::nothing();
    }
    let mut result = report(file, owner, bytes, &hits, &waived_hits, &allows, &used);
    if let FileResult::Scanned { dropped: d, .. } = &mut result {
        *d = dropped;
    }
    result
}

/// One match: the bytes a finding underlines, and the bytes of the whole task or command, on
/// any line of which an allow counts.
struct Match {
    start: usize,
    end: usize,
    from: usize,
    to: usize,
}

/// What a file holds beyond its lines, read once and only when a rule needs it: its commands,
/// its Ansible tasks by module.
struct Structure {
    commands: Vec<shell::Command>,
    /// The candidate `command` rules, searched over `commands` together.
    command_rules: Vec<usize>,
    tasks: Vec<contexts::Task>,
    /// Tasks by module short name (indices into `tasks`).
    by_module: HashMap<String, Vec<usize>>,
}

impl Structure {
    fn new(
        bytes: &[u8],
        rel: &Path,
        owner: &Owner<'_>,
        candidates: &[usize],
        hits: Option<rules::YamlHits>,
    ) -> Structure {
        use rules::Matcher;
        let rules = || candidates.iter().map(|&r| &owner.rules.rules[r]);
        let command_rules: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&r| matches!(owner.rules.rules[r].matcher, Matcher::Command(_)))
            .collect();
        let modules: Vec<&str> = rules()
            .filter_map(|r| match &r.matcher {
                Matcher::Ansible { modules, .. } => Some(modules.iter().map(String::as_str)),
                _ => None,
            })
            .flatten()
            .collect();
        let kind = if command_rules.is_empty() {
            contexts::Kind::None
        } else {
            contexts::kind(rel, &bytes[..bytes.len().min(1024)])
        };
        let needs_yaml = !modules.is_empty() || kind == contexts::Kind::Yaml;
        // YAML is read as text: a file that is not UTF-8 has no YAML structure. Only the items
        // and documents holding a literal of a rule that reads YAML are parsed.
        let docs = match std::str::from_utf8(bytes) {
            Ok(text) if needs_yaml => {
                match &hits {
                    Some(hits) => {
                        let keep = |from: usize, to: usize| {
                            let part = &bytes[from..to];
                            // The hits inside this part, by binary search: both lists are in
                            // file order (a file of 40,000 tasks is 40,000 parts).
                            let lo = hits.tasks.partition_point(|&(at, _)| at < from);
                            let hi = hits.tasks.partition_point(|&(at, _)| at < to);
                            // A task of the rule's module that writes the arguments it needs.
                            let mut lits: Vec<usize> =
                                hits.tasks[lo..hi].iter().map(|&(_, lit)| lit).collect();
                            let task = owner.rules.part_may_match_any(&mut lits, part, candidates);
                            // All that a command rule needs, where YAML can hold commands.
                            let command = || {
                                let lo = hits.commands.partition_point(|&(at, _)| at < from);
                                let hi = hits.commands.partition_point(|&(at, _)| at < to);
                                let mut lits: Vec<usize> =
                                    hits.commands[lo..hi].iter().map(|&(_, lit)| lit).collect();
                                lits.sort_unstable();
                                lits.dedup();
                                !lits.is_empty() && owner.rules.part_may_run(&lits, candidates)
                            };
                            task || (kind == contexts::Kind::Yaml
                                && command()
                                && contexts::holds_yaml_commands(part))
                        };
                        yaml::parse_parts(text, &keep)
                    }
                    None => yaml::parse(text),
                }
            }
            _ => Vec::new(),
        };
        let commands = if command_rules.is_empty() {
            Vec::new()
        } else {
            // Only commands whose bytes hold a literal of a `command` rule can match one.
            let keep = |start, end| {
                hits.as_ref()
                    .is_none_or(|h| h.command_literal_within(start, end))
            };
            contexts::commands(kind, bytes, Some(&docs), &keep)
        };
        let tasks = if modules.is_empty() {
            Vec::new()
        } else {
            contexts::tasks(&docs, &|m| modules.contains(&m))
        };
        let mut by_module: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in tasks.iter().enumerate() {
            by_module.entry(t.module.clone()).or_default().push(i);
        }
        Structure {
            commands,
            command_rules,
            tasks,
            by_module,
        }
    }

    /// Calls `each` with every match of an `ansible` rule, in task order.
    fn each_task_match(
        &self,
        rule: &rules::Rule,
        each: &mut dyn FnMut(Match),
    ) -> Result<(), rules::GaveUp> {
        let rules::Matcher::Ansible { modules, .. } = &rule.matcher else {
            return Ok(());
        };
        let mut tasks: Vec<usize> = modules
            .iter()
            .filter_map(|m| self.by_module.get(m))
            .flatten()
            .copied()
            .collect();
        tasks.sort_unstable();
        tasks.dedup();
        for t in tasks {
            let t = &self.tasks[t];
            if rule.matches_task(t)? {
                each(Match {
                    start: t.key.start,
                    end: t.key.end,
                    from: t.task.start.min(t.key.start),
                    to: t.task.end.max(t.key.end),
                });
            }
        }
        Ok(())
    }
}

/// Turns hits and allows into findings: a hit covered by an allow with a reason is waived; an
/// allow without a reason suppresses nothing; an allow with a reason that covered nothing is
/// unused.
fn report(
    file: &Target<'_>,
    owner: &Owner<'_>,
    bytes: &[u8],
    hits: &[Hit],
    waived_hits: &[Hit],
    allows: &[allow::Allow],
    used: &[bool],
) -> FileResult {
    let (source, lossy) = match SourceFile::decode(file.shown().to_owned(), bytes.to_vec()) {
        Ok(source) => (source, false),
        // Not UTF-8: still scanned, shown with replacement characters.
        Err(bad) => (bad.source, true),
    };
    let offsets = Offsets::new(bytes, lossy, source.bom);
    let pack = &owner.resolved.pack;
    let provider = pack.id();
    let finding = |hit: &Hit| {
        let rule = &owner.rules.rules[hit.rule];
        let span = Span::new(offsets.of(hit.start), offsets.of(hit.end));
        PerformsProviderDuty {
            span,
            activity: owner.rules.activity(rule),
            pack,
            rule: &rule.id,
            description: rule.description.as_deref(),
            line_text: source.line_text(span.start),
            owner: &owner.resolved.file,
            allow_at: match rule.matcher {
                rules::Matcher::Ansible { .. } => "any line of this task or the line above it",
                rules::Matcher::Command(_) if hit.multiline => {
                    "any line of this command or the line above it"
                }
                _ => "this line or the line above",
            },
        }
        .report(&source)
    };
    let mut findings: Vec<Finding> = hits.iter().map(finding).collect();
    let waived = waived_hits.iter().map(finding).collect();
    for (a, used) in allows.iter().zip(used) {
        let span = Span::new(offsets.of(a.start), offsets.of(a.end));
        let known = a.resolve(pack);
        if a.malformed {
            findings.push(InvalidAllow { span, provider }.report(&source));
        } else if known.is_none() {
            let ids = pack.activities.iter().map(crate::model::Activity::id);
            let written = a
                .activity
                .rsplit_once('/')
                .map_or(a.activity.as_str(), |(_, id)| id);
            findings.push(
                UnknownAllowActivity {
                    span,
                    activity: &a.activity,
                    pack_name: &pack.name,
                    provider,
                    hint: crate::suggest::hint(written, ids),
                }
                .report(&source),
            );
        } else if a.reason.is_none() {
            findings.push(
                InlineAllowWithoutReason {
                    span,
                    activity: &a.activity,
                    provider,
                    resolved: known,
                }
                .report(&source),
            );
        } else if !used {
            // A file that is not valid UTF-8 is shown with replacement characters: writing that
            // text back would change more than the allow.
            let fix = (!lossy)
                .then(|| crate::fix::edits::remove_allow(&source.text, span))
                .flatten()
                .map(|edit| {
                    crate::diag::Fix::safe(crate::diag::fix::title::remove_allow(), vec![edit])
                });
            findings.push(
                UnusedInlineAllow {
                    span,
                    activity: &a.activity,
                    provider,
                    resolved: known,
                }
                .report(&source)
                .with_fix(fix),
            );
        }
    }
    FileResult::Scanned {
        findings,
        waived,
        dropped: 0,
    }
}

/// Byte offsets in a file turned into offsets in its text as shown: the same unless invalid
/// UTF-8 was replaced or a BOM removed. Built once per file, so each lookup is a binary search
/// (a file full of invalid bytes and matches stays linear).
struct Offsets {
    bom: usize,
    /// (start in the bytes, start in the lossy text, length in the bytes, valid) of each run;
    /// empty when the bytes are valid UTF-8.
    runs: Vec<(usize, usize, usize, bool)>,
}

impl Offsets {
    /// `lossy`: the text replaced invalid sequences; `bom`: it lost a leading BOM.
    fn new(bytes: &[u8], lossy: bool, bom: bool) -> Offsets {
        let bom = if bom { '\u{feff}'.len_utf8() } else { 0 };
        let mut runs = Vec::new();
        if lossy {
            let (mut raw, mut shown) = (0, 0);
            for chunk in bytes.utf8_chunks() {
                let valid = chunk.valid().len();
                runs.push((raw, shown, valid, true));
                (raw, shown) = (raw + valid, shown + valid);
                let invalid = chunk.invalid().len();
                if invalid > 0 {
                    runs.push((raw, shown, invalid, false));
                    (raw, shown) = (raw + invalid, shown + '\u{fffd}'.len_utf8());
                }
            }
        }
        Offsets { bom, runs }
    }

    fn of(&self, at: usize) -> usize {
        let shown = match self.runs.partition_point(|r| r.0 <= at).checked_sub(1) {
            None => at,
            Some(i) => {
                let (raw, shown, len, valid) = self.runs[i];
                if valid {
                    shown + (at - raw).min(len)
                } else {
                    // Inside a replaced sequence: where its replacement character starts.
                    shown
                }
            }
        };
        shown.saturating_sub(self.bom)
    }
}
