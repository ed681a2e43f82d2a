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
pub mod evidence;
pub mod load;
pub mod model;
pub mod par;
pub mod paths;
pub mod render;
pub mod settings;
pub mod source;
pub mod suggest;

use diag::kinds::{NamedFileUnchecked, NoOwnershipFiles, TooManyFindings};
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
        match dropped
            .iter_mut()
            .find(|d| (d.code, d.severity, d.breaks_run) == (code, severity, breaks_run))
        {
            Some(d) => d.count += 1,
            None => dropped.push(Dropped {
                code,
                severity,
                breaks_run,
                count: 1,
            }),
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

/// Discover, load and check: everything but the output.
pub fn check(settings: &Settings) -> Report {
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

    sink.extend(settings.notices.iter().cloned());
    let (packs, pack_findings) =
        load::registry::load_confined(&settings.packs, settings.config_packs, &settings.root);
    sink.extend(pack_findings);
    report.packs = packs
        .by_id
        .values()
        .map(|p| format!("{} ({})", p.id(), p.source.path))
        .collect();

    let ownership = discover::globset(&settings.ownership_globs);
    let exclude = discover::globset(&settings.exclude);
    let (ownership, exclude) = match (ownership, exclude) {
        (Ok(o), Ok(e)) => (o, e),
        (Err(e), _) | (_, Err(e)) => {
            // Built-in defaults always compile; user globs arrive with the config file.
            sink.push(Finding::new(Code::IoError, format!("bad glob: {e}")).at_path("."));
            return finish(report, sink, settings, baseline.as_ref(), Vec::new());
        }
    };
    // Standard input (`raci-lint -`) is judged as the file it names, never read from disk.
    let stdin = settings.stdin.as_ref();
    let is_stdin = |p: &std::path::Path| stdin.is_some_and(|s| s.name == p);
    let named_file = |p: &std::path::Path| {
        (p.is_file() || is_stdin(p)) && !discover::is_ownership_name(&ownership, p, &settings.root)
    };
    // Whether any PATH is more than an ownership file: a folder, or another file to scan.
    let scanned_any_path = settings.paths.iter().any(|p| p.is_dir() || named_file(p));
    let named_files = settings.paths.iter().any(|p| named_file(p));
    let walked: Vec<std::path::PathBuf> = settings
        .paths
        .iter()
        .filter(|p| !is_stdin(p))
        .cloned()
        .collect();
    let mut found = discover::discover(&discover::Walk {
        roots: &walked,
        ownership: &ownership,
        exclude: &exclude,
        keep_others: settings.evidence,
        repo_root: &settings.root,
        threads: settings.threads,
    });
    if let Some(stdin) = stdin {
        let display = paths::display(&stdin.name);
        if discover::is_ownership_name(&ownership, &stdin.name, &settings.root) {
            found.ownership.push(discover::Candidate {
                display,
                path: stdin.name.clone(),
                contents: Some(std::sync::Arc::clone(&stdin.bytes)),
            });
            found.ownership.sort_by(|a, b| a.display.cmp(&b.display));
        } else if settings.evidence {
            let root = settings.paths.iter().position(|p| is_stdin(p)).unwrap_or(0);
            found.others.push(discover::ScanFile {
                path: stdin.name.clone(),
                root,
            });
        } else {
            found.named_unchecked.push(display);
        }
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
    let cwd = std::env::current_dir().unwrap_or_default();
    let check_one = |candidate: &discover::Candidate| {
        let mut sink = Sink::default();
        let file = load::read::ownership_source(candidate)
            .and_then(|source| load::ownership::load(&source));
        let mut waivers = None;
        let resolved = match file {
            Ok(mut file) => {
                sink.extend(load::ownership::enforce_limits(&mut file));
                waivers = file.waivers.as_ref().map(|w| checks::waivers::WaiverSet {
                    source: std::sync::Arc::clone(&file.source),
                    folder: file
                        .source
                        .path
                        .rsplit_once('/')
                        .map_or(String::new(), |(dir, _)| dir.to_owned()),
                    provider: file.provider.value.value.clone(),
                    waivers: w.value.value.clone(),
                });
                checks::ownership_file(file, &packs, &mut sink).map(|mut resolved| {
                    resolved.folder =
                        paths::absolute(&cwd, candidate.path.parent().unwrap_or(&candidate.path));
                    resolved
                })
            }
            Err(finding) => {
                sink.push(finding);
                None
            }
        };
        let mut dropped = Vec::new();
        let findings = cap(sink.into_findings(), settings.max_findings, &mut dropped);
        (resolved, waivers, findings, dropped)
    };
    let mut resolved = Vec::new();
    let mut waiver_sets = Vec::new();
    let mut dropped = Vec::new();
    // In chunks, capped after each: thousands of ownership files with findings each keep no
    // more in memory than can be shown.
    for chunk in found.ownership.chunks(CHUNK) {
        for (file, waivers, findings, lost) in par::map(chunk, settings.threads, check_one) {
            resolved.extend(file);
            waiver_sets.extend(waivers);
            sink.extend(findings);
            dropped.extend(lost);
        }
        if sink.findings().len() > settings.max_findings {
            let kept = cap(sink.into_findings(), settings.max_findings, &mut dropped);
            sink = Sink::default();
            sink.extend(kept);
        }
    }
    for (file, waivers, _, _) in par::map(&above, settings.threads, check_one) {
        resolved.extend(file);
        waiver_sets.extend(waivers);
    }
    let outside: std::collections::HashSet<&str> =
        above.iter().map(|c| c.display.as_str()).collect();

    if settings.evidence {
        let mut trimmed = Vec::new();
        let mut trim = |findings| cap(findings, settings.max_findings, &mut trimmed);
        let plan = evidence::Plan {
            files: &found.others,
            roots: &settings.paths,
            repo_root: &settings.root,
            owners: &resolved,
            threads: settings.threads,
            max_file_size: settings.max_file_size,
            max_findings: settings.max_findings,
            overlay: stdin.map(|s| (s.name.as_path(), &*s.bytes)),
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
        sink.extend(scan.findings);
        if scan.dropped > 0 {
            dropped.push(Dropped {
                code: Code::PerformsProviderDuty,
                severity: Code::PerformsProviderDuty.default_severity(),
                breaks_run: false,
                count: scan.dropped,
            });
        }
    }
    // Evidence waivers are judged only when the scan looked at something: not with
    // --no-evidence, nor when the PATHs name only ownership files.
    let evidence_judged = settings.evidence && scanned_any_path;
    let (kept, waived) = checks::waivers::apply(
        sink.into_findings(),
        &waiver_sets,
        settings.today,
        evidence_judged,
    );
    // Waivers of the ownership files above the PATHs are used, never reported.
    let kept: Vec<Finding> = kept
        .into_iter()
        .filter(|f| f.path.as_deref().is_none_or(|p| !outside.contains(p)))
        .collect();
    report.waived.extend(waived);
    let mut sink = Sink::default();
    sink.extend(kept);
    if settings.show_waived {
        sink.extend(report.waived.iter().cloned().map(|mut f| {
            f.severity = Severity::Note;
            f.message = format!("waived: {}", f.message);
            f.waived = true;
            f
        }));
    }
    finish(report, sink, settings, baseline.as_ref(), dropped)
}

/// Applies the config file's severities: `off` removes a finding whatever the flags.
fn severities(findings: &mut Vec<Finding>, settings: &Settings) {
    findings.retain_mut(|finding| {
        if finding.fatal || finding.waived {
            return true;
        }
        match settings.severity.get(&finding.code) {
            Some(Some(level)) => {
                finding.severity = *level;
                true
            }
            Some(None) => false,
            None => true,
        }
    });
}

/// Whether this run could have matched a baseline entry: its code is on, its path lies under
/// a PATH checked, and evidence entries only when evidence is searched. Other entries are not
/// reported as unused.
fn in_scope(entry: &baseline::Entry, settings: &Settings, roots: &[String]) -> bool {
    let code = Code::from_name(&entry.code);
    if code.is_some_and(|c| settings.severity.get(&c) == Some(&None)) {
        return false;
    }
    if !settings.evidence && code == Some(Code::PerformsProviderDuty) {
        return false;
    }
    let Some(path) = &entry.path else {
        return true;
    };
    roots.iter().any(|root| {
        root == "."
            || path == root
            || path
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

fn finish(
    mut report: Report,
    sink: Sink,
    settings: &Settings,
    baseline: Option<&baseline::Baseline>,
    mut dropped: Vec<Dropped>,
) -> Report {
    let mut findings = sink.into_findings();
    severities(&mut findings, settings);
    if settings.write_baseline.is_some() && !findings.iter().any(Finding::breaks_run) {
        // A run that exits 2 records nothing and hides nothing: `new_baseline` stays empty.
        let text = baseline::write(&findings);
        let before = findings.len();
        findings.retain(|f| !baseline::records(f));
        report.baselined = before - findings.len();
        report.new_baseline = Some(text);
    } else if let Some(baseline) = baseline {
        let roots: Vec<String> = settings.paths.iter().map(|p| paths::display(p)).collect();
        let matched = baseline::apply(baseline, findings, |e| in_scope(e, settings, &roots));
        findings = matched.kept;
        report.baselined = matched.hidden;
        let mut unused = matched.unused;
        severities(&mut unused, settings);
        findings.extend(unused);
    }
    let mut sink = Sink::default();
    sink.extend(findings);
    let mut findings = cap(sink.into_sorted(), settings.max_findings, &mut dropped);
    let strict = |code: Code, severity: Severity| {
        if settings.strict && matches!(code, Code::UnownedDuty | Code::PerformsProviderDuty) {
            Severity::Error
        } else {
            severity
        }
    };
    let mut count = |severity: Severity, n: usize| match severity {
        Severity::Error => report.summary.errors += n,
        Severity::Warning => report.summary.warnings += n,
        Severity::Note => report.summary.notes += n,
    };
    for finding in &mut findings {
        finding.severity = strict(finding.code, finding.severity);
        count(finding.severity, 1);
    }
    let mut lost = 0;
    for d in &dropped {
        // The config's severities apply to counted findings as to kept ones.
        let severity = match settings.severity.get(&d.code) {
            Some(None) if !d.breaks_run => continue,
            Some(Some(level)) if !d.breaks_run => *level,
            _ => d.severity,
        };
        count(strict(d.code, severity), d.count);
        lost += d.count;
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
    report.findings = findings;
    report
}
