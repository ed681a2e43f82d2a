//! raci-lint checks ownership files in infrastructure repositories against hosting providers'
//! RACI matrices. Data flows discover → load → check → render; [`check`] ties the first three
//! together and returns a [`Report`] that [`render`] writes out.

pub mod baseline;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diag;
pub mod discover;
pub mod document;
pub mod evidence;
pub mod fix;
pub mod load;
pub mod model;
pub mod par;
pub mod paths;
pub mod policy;
pub mod render;
pub mod reply;
pub mod server;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod wrap;

use diag::kinds::{BadGlob, NamedFileUnchecked, NoOwnershipFiles, TooManyFindings, Waived};
use diag::{Code, Finding, Severity, Sink};
use settings::Settings;

/// Counts shown at the end of every report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Ownership files found.
    pub files: usize,
    /// Files searched for evidence.
    pub scanned: usize,
    /// Files left out of the evidence search (binary, too large).
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings past `max-findings`: counted above, not kept.
    pub dropped: usize,
    /// Findings with a safe fix (what `--fix` applies).
    pub fixable: usize,
    /// With `--fix`: how many fixes were applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}

/// A file `--diff` would change: its shown path, its text before and after (BOM included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    pub shown: String,
    /// Its real name (bytes), relative to the current folder: what the diff's headers name.
    pub header: Vec<u8>,
    pub before: String,
    pub after: String,
}

/// File contents that stand in for what is on disk, by the path discovery found: standard input
/// (`raci-lint -`), and the texts `--fix` and `--diff` have fixed so far.
pub type Overlay = std::collections::BTreeMap<std::path::PathBuf, std::sync::Arc<[u8]>>;

/// What a file with findings is, for fixing it: where it is read from, and whether a fix must
/// leave it loadable as an ownership file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOrigin {
    pub path: std::path::PathBuf,
    pub ownership: bool,
}

/// Where the files that can have fixes come from, by shown path. Two files can share a shown
/// path: names that are not UTF-8 and display alike (`x\xff` and `x\xfe` both show as `x` and
/// U+FFFD). A fix is known by its file's shown path, so neither file gets one: an edit meant
/// for one must never be applied to the other.
#[derive(Debug, Default)]
pub struct Origins {
    by_shown: std::collections::BTreeMap<String, FileOrigin>,
    shared: std::collections::BTreeSet<String>,
}

impl Origins {
    fn insert(&mut self, shown: String, origin: FileOrigin) {
        use std::collections::btree_map::Entry;
        match self.by_shown.entry(shown) {
            Entry::Vacant(entry) => {
                entry.insert(origin);
            }
            Entry::Occupied(mut entry) if entry.get().path == origin.path => {
                entry.get_mut().ownership |= origin.ownership;
            }
            Entry::Occupied(entry) => {
                self.shared.insert(entry.key().clone());
            }
        }
    }

    /// The file shown as `shown`, unless two files show so.
    pub fn get(&self, shown: &str) -> Option<&FileOrigin> {
        if self.shared.contains(shown) {
            return None;
        }
        self.by_shown.get(shown)
    }

    /// Two files show as `shown`.
    pub fn is_shared(&self, shown: &str) -> bool {
        self.shared.contains(shown)
    }

    /// Marks as shared the shown paths that are one file reached two ways (a link to an
    /// ownership file beside it): each reading would be fixed on its own, and the fixes of one
    /// (a waiver unused there) written over the other (where it is used). Asks the file system
    /// only when something has a fix, and resolves every path only when one is a link.
    fn share_aliases(&mut self, any_fix: bool) {
        let is_link = |o: &FileOrigin| {
            std::fs::symlink_metadata(&o.path).is_ok_and(|m| m.file_type().is_symlink())
        };
        if !any_fix || !self.by_shown.values().any(is_link) {
            return;
        }
        let mut real: std::collections::HashMap<std::path::PathBuf, Vec<&str>> = Default::default();
        for (shown, origin) in &self.by_shown {
            if let Ok(file) = std::fs::canonicalize(&origin.path) {
                real.entry(file).or_default().push(shown);
            }
        }
        let alike = real.into_values().filter(|shown| shown.len() > 1);
        let alike: Vec<String> = alike.flatten().map(str::to_owned).collect();
        self.shared.extend(alike);
    }
}

/// The outcome of a check run: sorted findings, counts, and what `--verbose` lists.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub packs: Vec<String>,
    pub checked: Vec<String>,
    /// Files left out of the evidence search, with why.
    pub skipped: Vec<String>,
    /// Findings accepted on purpose (inline allows): not reported, not counted.
    pub waived: Vec<Finding>,
    /// Findings hidden because the baseline records them (or, with `--write-baseline`, because
    /// the new baseline does).
    pub baselined: usize,
    /// With `--write-baseline`: the baseline file's text, for the caller to write.
    pub new_baseline: Option<String>,
    /// A finding that makes the run exit 2 was among those dropped past `max-findings`.
    pub dropped_breaks_run: bool,
    /// Findings dropped past `max-findings`, by code (for `--statistics`).
    pub dropped_by_code: std::collections::BTreeMap<Code, usize>,
    /// Findings with an unsafe fix (what `--unsafe-fixes` adds), unless `--unsafe-fixes` made
    /// them fixable.
    pub unsafe_fixable: usize,
    /// Where the files that can have fixes come from, by shown path.
    pub origins: Origins,
    /// With `--diff`: every changed file before and after its fixes, for the caller to print.
    pub diff: Option<Vec<FileDiff>>,
    /// With `--fix` or `--diff`: the findings with fixes past `max-findings`, counted and not
    /// shown, but fixed like the others.
    pub unshown_fixes: Vec<Finding>,
    /// With `--fix`: the files to write (path, bytes), for the caller to write.
    pub writes: Vec<(std::path::PathBuf, Vec<u8>)>,
    /// With `--fix` and `-`: the fixed text of standard input, printed instead of written.
    pub fixed_stdin: Option<Vec<u8>>,
}

/// Ownership files loaded and checked at a time, between two applications of `max-findings`.
const CHUNK: usize = 1024;

/// Findings counted but not kept (past `max-findings`), by code and default severity.
#[derive(Debug, Clone, Copy)]
struct Dropped {
    code: Code,
    severity: Severity,
    breaks_run: bool,
    count: usize,
    /// Of them, how many have a safe and how many an unsafe fix: the summary's fixable counts
    /// include them, as its other counts do.
    fixes: [usize; 2],
}

/// Keeps the first `max` findings in output order; the rest become counts. Findings within the
/// limit are returned as they came: only a cut needs the order (`finish` sorts once).
fn cap(findings: Vec<Finding>, max: usize, dropped: &mut Vec<Dropped>) -> Vec<Finding> {
    if findings.len() <= max {
        return findings;
    }
    let mut sink = Sink::default();
    sink.extend(findings);
    let mut sorted = sink.into_sorted();
    for f in sorted.drain(max..) {
        let (code, severity, breaks_run) = (f.code, f.severity, f.breaks_run());
        // One count per kind, not one entry per dropped finding.
        let at = dropped
            .iter()
            .position(|d| (d.code, d.severity, d.breaks_run) == (code, severity, breaks_run))
            .unwrap_or_else(|| {
                dropped.push(Dropped {
                    code,
                    severity,
                    breaks_run,
                    count: 0,
                    fixes: [0, 0],
                });
                dropped.len() - 1
            });
        let d = &mut dropped[at];
        d.count += 1;
        match f.fix.as_deref().map(|fix| fix.applicability) {
            Some(diag::Applicability::Safe) => d.fixes[0] += 1,
            Some(diag::Applicability::Unsafe) => d.fixes[1] += 1,
            None => {}
        }
    }
    sorted
}

/// Exit statuses (DESIGN section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No error-severity finding.
    Clean = 0,
    /// At least one error-severity finding (or a warning with `--deny-warnings`).
    Failed = 1,
    /// Usage, configuration, pack or I/O error.
    Broken = 2,
}

impl Report {
    pub fn outcome(&self, deny_warnings: bool) -> Outcome {
        if self.dropped_breaks_run || self.findings.iter().any(Finding::breaks_run) {
            Outcome::Broken
        } else if self.summary.errors > 0 || (deny_warnings && self.summary.warnings > 0) {
            Outcome::Failed
        } else {
            Outcome::Clean
        }
    }
}

/// Discover, load and check: everything but the output. With `--fix` or `--diff`, fixes are
/// applied in rounds (in memory) and the report is of what remains.
pub fn check(settings: &Settings) -> Report {
    if settings.fix || settings.diff {
        fixing(settings)
    } else {
        run(settings, &Overlay::new())
    }
}

/// One ownership file loaded and checked, its findings split by its own waivers, then each
/// part capped to `max_findings`.
struct OwnershipChecked {
    resolved: Option<checks::Resolved>,
    waivers: Option<checks::waivers::WaiverSet>,
    findings: Vec<Finding>,
    waived: Vec<Finding>,
    dropped: Vec<Dropped>,
}

/// `keep`: findings kept of one file (`max-findings`, or more when a baseline applies later);
/// waived ones are kept to `max_findings`, as they are only listed.
fn check_ownership(
    candidate: &discover::Candidate,
    packs: &model::pack::Packs,
    cwd: &std::path::Path,
    (keep, max_findings): (usize, usize),
    today: checks::waivers::Date,
) -> OwnershipChecked {
    let folder = paths::absolute(cwd, candidate.path.parent().unwrap_or(&candidate.path));
    let source = load::read::source(
        &candidate.path,
        &candidate.display,
        candidate.contents.as_deref(),
        load::FileKind::Ownership,
    );
    let mut checked = match source {
        Ok(source) => document::ownership(&source, packs, &folder),
        Err(finding) => document::Checked {
            findings: vec![finding],
            resolved: None,
            waivers: None,
        },
    };
    let (findings, waived) = match &mut checked.waivers {
        Some(set) => checks::waivers::waive_own(set, checked.findings, (today, cwd)),
        None => (checked.findings, Vec::new()),
    };
    let mut dropped = Vec::new();
    OwnershipChecked {
        resolved: checked.resolved,
        waivers: checked.waivers,
        findings: cap(findings, keep, &mut dropped),
        waived: diag::first_in_output_order(waived, max_findings),
        dropped,
    }
}

/// Ownership files checked during the walk, at most this many, and holding at most
/// `max-findings` findings in all: each result waits in memory until its chunk is taken after
/// the walk, beside that chunk's own results. A file past either limit is checked in its chunk,
/// as without the walk's help.
const EARLY: usize = 1024;

/// Ownership files checked during the walk, by shown path and path.
type EarlyChecks = std::collections::HashMap<(String, std::path::PathBuf), OwnershipChecked>;

/// What the walker threads did as they found ownership files: the files checked, by shown path
/// and path, and the rules of their packs compiled. The same work as after the walk, done by
/// threads that would otherwise wait at its end; nothing depends on which thread did it.
#[derive(Default)]
struct Early {
    checked: std::sync::Mutex<EarlyChecks>,
    started: std::sync::atomic::AtomicUsize,
    /// Findings held in `checked`, all files together.
    held: std::sync::atomic::AtomicUsize,
    rules: evidence::Precompiled,
}

impl Early {
    fn check(
        &self,
        candidate: &discover::Candidate,
        evidence: bool,
        max_findings: usize,
        check: &dyn Fn(&discover::Candidate) -> OwnershipChecked,
    ) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.started.fetch_add(1, Relaxed) >= EARLY {
            return;
        }
        let checked = check(candidate);
        if evidence && let Some(resolved) = &checked.resolved {
            self.rules.compile(&resolved.pack);
        }
        // Waived findings are held too (for --show-waived).
        let findings = checked.findings.len() + checked.waived.len();
        if self.held.fetch_add(findings, Relaxed) + findings > max_findings {
            return;
        }
        let key = (candidate.display.clone(), candidate.path.clone());
        self.lock().insert(key, checked);
    }

    /// The result for `candidate`, when a walker thread checked the same file under the same
    /// spelling.
    fn take(&self, candidate: &discover::Candidate) -> Option<OwnershipChecked> {
        let key = (candidate.display.clone(), candidate.path.clone());
        self.lock().remove(&key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, EarlyChecks> {
        self.checked.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One run over the files, with `overlay` standing in for the disk where it has a file.
fn run(settings: &Settings, overlay: &Overlay) -> Report {
    let mut sink = Sink::default();
    let mut report = Report::default();
    if !settings.setup.is_empty() {
        // A broken config file: nothing is checked with settings the user did not mean.
        sink.extend(settings.setup.iter().cloned());
        return finish(report, sink, settings, None, Vec::new());
    }
    // With `--write-baseline`, the old baseline is not read: the new one replaces it.
    let baseline = match (&settings.write_baseline, &settings.baseline) {
        (None, Some(path)) => match baseline::load(path) {
            Ok(baseline) => Some(baseline),
            Err(finding) => {
                // The run goes on without hiding anything, and exits 2.
                sink.push(finding.fatal());
                None
            }
        },
        _ => None,
    };
    // Findings kept along the way, before the baseline is applied in `finish`: a baseline
    // written records every finding, and one read can hide at most its entries, so that many
    // more than are shown are kept. A finding the baseline records is then never cut and
    // counted first, unless more than `max-findings` remain once it has hidden its own.
    // --fix and --diff need every finding's fix, whatever is shown.
    let keep = match &baseline {
        _ if settings.fix || settings.diff || settings.write_baseline.is_some() => usize::MAX,
        Some(baseline) => settings.max_findings.saturating_add(baseline.entries.len()),
        None => settings.max_findings,
    };
    let cuts = (keep, settings.max_findings);

    sink.extend(settings.notices.iter().cloned());
    let ownership = discover::globset(&settings.ownership_globs);
    let exclude = discover::globset(&settings.exclude);
    let globs = match (ownership, exclude) {
        (Ok(o), Ok(e)) => Ok((o, e)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    // Standard input (`raci-lint -`) is judged as the file it names, never read from disk.
    let stdin = settings.stdin.as_ref();
    let is_stdin = |p: &std::path::Path| stdin.is_some_and(|s| s.name == p);
    let walked: Vec<std::path::PathBuf> = settings
        .paths
        .iter()
        .filter(|p| !is_stdin(p))
        .cloned()
        .collect();
    // A small tree is checked on this thread alone: starting threads cost more than they save
    // (a single Ansible role ran 15 % faster with `--threads 1`).
    let threads = if discover::fewer_entries_than(&walked, discover::SMALL_TREE) {
        1
    } else {
        settings.threads
    };
    let mut overlay = overlay.clone();
    if let Some(stdin) = stdin {
        overlay
            .entry(stdin.name.clone())
            .or_insert_with(|| std::sync::Arc::clone(&stdin.bytes));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let early = Early::default();
    // User packs load while the walk runs: neither needs the other. Built-in packs are parsed
    // when an ownership file first names their provider.
    let load_packs =
        || load::registry::load_for_run(&settings.packs, settings.config_packs, &settings.root);
    let walk = |on_ownership: Option<&discover::FoundOwnership<'_>>| {
        globs.as_ref().ok().map(|(ownership, exclude)| {
            discover::discover(&discover::Walk {
                roots: &walked,
                ownership,
                exclude,
                keep_others: settings.evidence,
                repo_root: &settings.root,
                threads,
                on_ownership,
            })
        })
    };
    let ((packs, pack_findings), found) = if settings.packs.is_empty() {
        let packs = load_packs();
        // On several threads, each ownership file is checked by the walker thread that finds
        // it, and its pack's rules compiled, while the others walk on.
        let found = if threads > 1 {
            let check = |display: &str, path: &std::path::Path| {
                let candidate = discover::Candidate {
                    display: display.to_owned(),
                    path: path.to_path_buf(),
                    contents: overlay.get(path).cloned(),
                };
                early.check(&candidate, settings.evidence, settings.max_findings, &|c| {
                    check_ownership(c, &packs.0, &cwd, cuts, settings.today)
                });
            };
            walk(Some(&check))
        } else {
            walk(None)
        };
        (packs, found)
    } else {
        std::thread::scope(|scope| {
            let loading = scope.spawn(load_packs);
            let found = walk(None);
            let packs = loading
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (packs, found)
        })
    };
    sink.extend(pack_findings);
    report.packs = packs.listing();

    let (ownership, _) = match globs {
        Ok(globs) => globs,
        Err(e) => {
            // Built-in defaults always compile; user globs arrive with the config file.
            sink.push(
                BadGlob {
                    error: e.to_string(),
                }
                .report(),
            );
            return finish(report, sink, settings, baseline.as_ref(), Vec::new());
        }
    };
    let named_file = |p: &std::path::Path| {
        (p.is_file() || is_stdin(p)) && !discover::is_ownership_name(&ownership, p, &settings.root)
    };
    // Whether any PATH is more than an ownership file: a folder, or another file to scan.
    let scanned_any_path = settings.paths.iter().any(|p| p.is_dir() || named_file(p));
    let named_files = settings.paths.iter().any(|p| named_file(p));
    // Walked whenever the globs compiled.
    let mut found = found.unwrap_or_default();
    if let Some(stdin) = stdin {
        let display = paths::display(&stdin.name);
        if discover::is_ownership_name(&ownership, &stdin.name, &settings.root) {
            found.ownership.push(discover::Candidate {
                display,
                path: stdin.name.clone(),
                contents: None,
            });
            found.ownership.sort_by(|a, b| a.display.cmp(&b.display));
        } else if settings.evidence {
            let root = settings.paths.iter().position(|p| is_stdin(p)).unwrap_or(0);
            found.others.push(discover::ScanFile {
                path: stdin.name.clone(),
                root,
                regular: false,
            });
        } else {
            found.named_unchecked.push(display);
        }
    }
    for candidate in &mut found.ownership {
        candidate.contents = overlay.get(&candidate.path).cloned();
        report.origins.insert(
            candidate.display.clone(),
            FileOrigin {
                path: candidate.path.clone(),
                ownership: true,
            },
        );
    }
    report.summary.files = found.ownership.len();
    // Ownership files above the PATHs (up to the repository root) govern what the PATHs hold;
    // their own findings lie outside the PATHs and are not reported.
    let above = if settings.evidence {
        discover::ownership_above(
            &settings.paths,
            &settings.root,
            &ownership,
            &found.ownership,
        )
    } else {
        Vec::new()
    };
    for path in &found.named_unchecked {
        sink.push(
            NamedFileUnchecked {
                path,
                evidence_off: true,
            }
            .report(),
        );
    }
    // A PATH that could not be read already has its io-error, a named file its own line:
    // "nothing found" would be noise.
    if found.ownership.is_empty() && above.is_empty() && !named_files && found.findings.is_empty() {
        let shown: Vec<String> = settings.paths.iter().map(|p| paths::display(p)).collect();
        sink.push(
            NoOwnershipFiles {
                paths: &shown,
                globs: &settings.ownership_globs,
            }
            .report(),
        );
    }
    sink.extend(found.findings);

    report.checked = found.ownership.iter().map(|c| c.display.clone()).collect();
    let check_one = |candidate: &discover::Candidate| {
        early
            .take(candidate)
            .unwrap_or_else(|| check_ownership(candidate, &packs, &cwd, cuts, settings.today))
    };
    let mut resolved = Vec::new();
    let mut waiver_sets = Vec::new();
    let mut dropped = Vec::new();
    let mut waived_own = Vec::new();
    // In chunks, capped after each: thousands of ownership files with findings each keep no
    // more in memory than can be shown.
    for chunk in found.ownership.chunks(CHUNK) {
        for checked in par::map(chunk, threads, check_one) {
            resolved.extend(checked.resolved);
            waiver_sets.extend(checked.waivers);
            sink.extend(checked.findings);
            waived_own.extend(checked.waived);
            dropped.extend(checked.dropped);
        }
        if sink.findings().len() > keep {
            let kept = cap(sink.into_findings(), keep, &mut dropped);
            sink = Sink::default();
            sink.extend(kept);
        }
        waived_own = diag::first_in_output_order(waived_own, settings.max_findings);
    }
    for checked in par::map(&above, threads, check_one) {
        resolved.extend(checked.resolved);
        waiver_sets.extend(checked.waivers);
    }
    let outside: std::collections::HashSet<&str> =
        above.iter().map(|c| c.display.as_str()).collect();
    // Every ownership file's waivers, before the scan: evidence is waived where it is found, so
    // that a waived match is never counted past `max-findings` as a reported one.
    let waivers = checks::waivers::Waivers::new(&waiver_sets, settings.today, &cwd);

    if settings.evidence {
        let mut trimmed = Vec::new();
        let mut trim = |findings| cap(findings, keep, &mut trimmed);
        let plan = evidence::Plan {
            files: &found.others,
            roots: &settings.paths,
            repo_root: &settings.root,
            owners: &resolved,
            threads,
            max_file_size: settings.max_file_size,
            max_findings: keep,
            max_waived: settings.max_findings,
            overlay: &overlay,
            precompiled: Some(&early.rules),
            waivers: Some(&waivers),
        };
        let scan = evidence::scan(&plan, &mut trim);
        for path in &scan.uncovered {
            sink.push(
                NamedFileUnchecked {
                    path,
                    evidence_off: false,
                }
                .report(),
            );
        }
        dropped.extend(trimmed);
        report.summary.scanned = scan.scanned;
        report.summary.skipped = scan.skipped.len() + found.skipped.len();
        report.skipped = scan
            .skipped
            .into_iter()
            .map(|(path, why)| format!("{path} ({})", why.as_str()))
            .chain(
                found
                    .skipped
                    .iter()
                    .map(|(path, why)| format!("{path} ({why})")),
            )
            .collect();
        report.skipped.sort();
        report.waived = scan.waived;
        for (display, path) in scan.fixable {
            report.origins.insert(
                display,
                FileOrigin {
                    path,
                    ownership: false,
                },
            );
        }
        sink.extend(scan.findings);
        if scan.dropped > 0 {
            dropped.push(Dropped {
                code: Code::PerformsProviderDuty,
                severity: Code::PerformsProviderDuty.default_severity(),
                breaks_run: false,
                count: scan.dropped,
                fixes: [0, 0],
            });
        }
    }
    // Evidence waivers are judged only when the scan looked at something: not with
    // --no-evidence, nor when the PATHs name only ownership files.
    let evidence_judged = settings.evidence && scanned_any_path;
    let (mut kept, waived) = waivers.split(sink.into_findings());
    kept.extend(waivers.finish(evidence_judged));
    // Waivers of the ownership files above the PATHs are used, never reported.
    let kept: Vec<Finding> = kept
        .into_iter()
        .filter(|f| f.path.as_deref().is_none_or(|p| !outside.contains(p)))
        .collect();
    report.waived.extend(waived);
    report.waived.extend(waived_own);
    let mut sink = Sink::default();
    sink.extend(kept);
    if settings.show_waived {
        sink.extend(report.waived.iter().cloned().map(|f| {
            let mut f = Waived(f).report();
            f.severity = Severity::Note;
            f.waived = true;
            f
        }));
    }
    par::drop_aside((found.others, found.ownership, resolved, early, packs));
    finish(report, sink, settings, baseline.as_ref(), dropped)
}

fn finish(
    mut report: Report,
    sink: Sink,
    settings: &Settings,
    baseline: Option<&baseline::Baseline>,
    mut dropped: Vec<Dropped>,
) -> Report {
    let mut findings = sink.into_findings();
    policy::severities(&mut findings, settings);
    if settings.write_baseline.is_some() && !findings.iter().any(Finding::breaks_run) {
        // A run that exits 2 records nothing and hides nothing: `new_baseline` stays empty.
        let text = baseline::write(&findings);
        let before = findings.len();
        findings.retain(|f| !baseline::records(f));
        report.baselined = before - findings.len();
        report.new_baseline = Some(text);
    } else if let Some(baseline) = baseline {
        let roots: Vec<String> = settings.paths.iter().map(|p| paths::display(p)).collect();
        let matched = baseline::apply(baseline, findings, |e| {
            policy::baseline_in_scope(e, settings, &roots)
        });
        findings = matched.kept;
        report.baselined = matched.hidden;
        let mut unused = matched.unused;
        policy::severities(&mut unused, settings);
        findings.extend(unused);
    }
    // A file whose fixes could be written into another file gets none, shown or not.
    let any_fix = findings.iter().any(|f| f.fix.is_some());
    report.origins.share_aliases(any_fix);
    for finding in &mut findings {
        if finding
            .path
            .as_deref()
            .is_some_and(|p| report.origins.is_shared(p))
        {
            finding.fix = None;
        }
    }
    let mut sink = Sink::default();
    sink.extend(findings);
    // Waived findings listed by --show-waived are cut on their own, the first `max-findings`
    // in output order, and never counted past it: they are only listed, so they neither push a
    // reported finding out of the list nor bring a too-many-findings warning.
    let (listed, reported): (Vec<Finding>, Vec<Finding>) =
        sink.into_sorted().into_iter().partition(|f| f.waived);
    if settings.fix || settings.diff {
        // Fixed whether shown or not.
        report.unshown_fixes = reported
            .iter()
            .skip(settings.max_findings)
            .filter(|f| f.fix.is_some())
            .cloned()
            .collect();
    }
    let mut findings = cap(reported, settings.max_findings, &mut dropped);
    if !listed.is_empty() {
        let mut sink = Sink::default();
        sink.extend(findings);
        sink.extend(listed.into_iter().take(settings.max_findings));
        findings = sink.into_sorted();
    }
    let strict = |code: Code, severity: Severity| policy::strict(settings, code, severity);
    let mut count = |severity: Severity, n: usize| match severity {
        Severity::Error => report.summary.errors += n,
        Severity::Warning => report.summary.warnings += n,
        Severity::Note => report.summary.notes += n,
    };
    for finding in &mut findings {
        // --strict raises what is reported; a waived finding listed stays a note.
        if !finding.waived {
            finding.severity = strict(finding.code, finding.severity);
        }
        count(finding.severity, 1);
    }
    let mut lost = 0;
    let mut dropped_fixes = [0, 0];
    for d in &dropped {
        // The config's severities apply to counted findings as to kept ones.
        let severity = match settings.severity.get(&d.code) {
            Some(None) if !d.breaks_run => continue,
            Some(Some(level)) if !d.breaks_run => strict(d.code, *level),
            _ => strict(d.code, d.severity),
        };
        count(severity, d.count);
        lost += d.count;
        dropped_fixes = [dropped_fixes[0] + d.fixes[0], dropped_fixes[1] + d.fixes[1]];
        *report.dropped_by_code.entry(d.code).or_default() += d.count;
        report.dropped_breaks_run |= d.breaks_run;
    }
    if lost > 0 {
        let notice = TooManyFindings {
            kept: findings.len(),
            dropped: lost,
            max: settings.max_findings,
        }
        .report();
        count(notice.severity, 1);
        findings.insert(0, notice);
    }
    report.summary.dropped = lost;
    for fix in findings
        .iter()
        .filter(|f| !f.waived)
        .filter_map(|f| f.fix.as_deref())
    {
        match fix.applicability {
            diag::Applicability::Safe => report.summary.fixable += 1,
            diag::Applicability::Unsafe => report.unsafe_fixable += 1,
        }
    }
    // Findings past `max-findings` with fixes count too (not those of codes turned off).
    report.summary.fixable += dropped_fixes[0];
    report.unsafe_fixable += dropped_fixes[1];
    report.findings = findings;
    report
}

/// `--fix` and `--diff`: rounds of fixing in memory (at most [`fix::MAX_ROUNDS`]), each a whole
/// run over the texts fixed so far, until no wanted fix applies. The report is the last run's:
/// what remains once the fixed files are written.
fn fixing(settings: &Settings) -> Report {
    let mut overlay = Overlay::new();
    // The text each fixed file had before the first round, for the diff: shown path, text.
    let mut originals: std::collections::BTreeMap<std::path::PathBuf, (String, String)> =
        Default::default();
    let mut fixed = 0;
    let mut report = run(settings, &overlay);
    for _ in 0..fix::MAX_ROUNDS {
        let mut by_file: std::collections::BTreeMap<&str, Vec<&Finding>> = Default::default();
        for finding in report.findings.iter().chain(&report.unshown_fixes) {
            if let (Some(fix), Some(path)) = (&finding.fix, &finding.path)
                && !finding.waived
                && fix::wanted(fix, settings.unsafe_fixes)
            {
                by_file.entry(path.as_str()).or_default().push(finding);
            }
        }
        // Removing an unused waiver waits until no other fix applies: another fix (a provider
        // renamed, say) changes what is checked, and the waiver may then be used.
        let others = by_file
            .values()
            .flatten()
            .any(|f| f.code != Code::UnusedWaiver);
        if others {
            for findings in by_file.values_mut() {
                findings.retain(|f| f.code != Code::UnusedWaiver);
            }
        }
        let mut changed = false;
        for (shown, findings) in by_file {
            if findings.is_empty() {
                continue;
            }
            let (Some(origin), Some(source)) = (report.origins.get(shown), &findings[0].source)
            else {
                continue;
            };
            let fixes: Vec<&diag::Fix> = findings.iter().filter_map(|f| f.fix.as_deref()).collect();
            let (text, applied) = fix_text(source, &fixes, origin.ownership);
            if applied == 0 {
                continue;
            }
            originals.entry(origin.path.clone()).or_insert_with(|| {
                let before = fix::bytes(&source.text, source.bom);
                (
                    shown.to_owned(),
                    String::from_utf8_lossy(&before).into_owned(),
                )
            });
            overlay.insert(origin.path.clone(), fix::bytes(&text, source.bom).into());
            fixed += applied;
            changed = true;
        }
        if !changed {
            break;
        }
        report = run(settings, &overlay);
    }
    report.summary.fixed = Some(fixed);
    let stdin = settings.stdin.as_ref().map(|s| s.name.as_path());
    if settings.diff {
        // With the BOM, as the file on disk has it, so that `patch` finds its context.
        let mut diff: Vec<FileDiff> = originals
            .iter()
            .map(|(path, (shown, before))| FileDiff {
                shown: shown.clone(),
                header: paths::name_bytes(path),
                before: before.clone(),
                after: String::from_utf8_lossy(&overlay[path]).into_owned(),
            })
            .collect();
        diff.sort_by(|a, b| a.shown.cmp(&b.shown));
        report.diff = Some(diff);
    } else {
        // Standard input comes back whole, fixed or not.
        report.fixed_stdin = settings
            .stdin
            .as_ref()
            .map(|s| overlay.get(&s.name).unwrap_or(&s.bytes).to_vec());
        report.writes = overlay
            .into_iter()
            .filter(|(path, _)| Some(path.as_path()) != stdin)
            .map(|(path, bytes)| (path, bytes.to_vec()))
            .collect();
    }
    report
}

fn edits_of<'a>(fixes: &[&'a diag::Fix]) -> Vec<&'a diag::Edit> {
    fixes.iter().flat_map(|f| &f.edits).collect()
}

/// `source`'s text with the fixes of one round applied (those that overlap none before them),
/// and how many went in. An ownership file must still load: when the round together breaks it,
/// its fixes are tried one at a time and each kept only if the file still loads.
fn fix_text(source: &source::SourceFile, fixes: &[&diag::Fix], ownership: bool) -> (String, usize) {
    let chosen: Vec<&diag::Fix> = fix::choose(fixes).into_iter().map(|i| fixes[i]).collect();
    let loads = |text: &str| {
        !ownership
            || load::ownership::load(&source::SourceFile::new(source.path.clone(), text)).is_ok()
    };
    let text = fix::apply(&source.text, &edits_of(&chosen));
    if loads(&text) {
        return (text, chosen.len());
    }
    let mut kept: Vec<&diag::Fix> = Vec::new();
    let mut text = source.text.clone();
    for fix in chosen {
        kept.push(fix);
        let candidate = fix::apply(&source.text, &edits_of(&kept));
        if loads(&candidate) {
            text = candidate;
        } else {
            kept.pop();
        }
    }
    (text, kept.len())
}
