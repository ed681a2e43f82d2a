//! The evidence scan (DESIGN section 4): files inside an ownership file's scope are searched,
//! line by line, for patterns showing that the repository performs a duty its provider holds.
//! Each file is attributed to the nearest ownership file whose scope covers it; files outside
//! every scope, and files no applicable rule looks at, are never read.

pub mod allow;
pub mod literals;
pub mod rules;

use std::collections::HashMap;
use std::sync::Arc;

use globset::GlobSet;

use crate::checks::Resolved;
use crate::checks::raci::{Applicability, applicability};
use crate::diag::Finding;
use crate::diag::kinds::{InlineAllowWithoutReason, PerformsProviderDuty, UnusedInlineAllow};
use crate::discover::{self, ScanFile};
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
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
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
}

/// An ownership file as the scan sees it: where it governs, and which rules apply to it.
struct Owner<'a> {
    resolved: &'a Resolved,
    rules: &'a PackRules,
    scope: GlobSet,
    /// Indices into `rules.rules` of the rules whose activity applies to this file and is a
    /// provider duty (the provider holds R, the customer share has no R).
    applicable: Vec<usize>,
}

/// Ownership files by the folder they sit in (the shown path's folder, "" at the top).
struct Scopes<'a> {
    by_dir: HashMap<&'a str, Vec<Owner<'a>>>,
}

fn folder(display: &str) -> &str {
    display.rsplit_once('/').map_or("", |(dir, _)| dir)
}

impl<'a> Scopes<'a> {
    fn new(owners: &'a [Resolved], compiled: &'a HashMap<String, PackRules>) -> Scopes<'a> {
        let mut by_dir: HashMap<&str, Vec<Owner>> = HashMap::new();
        for resolved in owners {
            let Some(rules) = compiled.get(resolved.pack.id()) else {
                continue;
            };
            let globs: Vec<String> = match &resolved.file.scope {
                Some(scope) => scope.value.value.iter().map(|g| g.value.clone()).collect(),
                None => vec!["**".to_owned()],
            };
            // Loading rejected bad scope globs; a set that fails here governs nothing.
            let scope = discover::globset(&globs).unwrap_or_else(|_| GlobSet::empty());
            let file = &resolved.file;
            let products = file.products().map(|p| p.value.as_str()).collect();
            let applicable = rules
                .rules
                .iter()
                .enumerate()
                .filter(|(_, rule)| {
                    let a = rules.activity(rule);
                    a.provider.value.contains(Role::Responsible)
                        && !a.customer.value.contains(Role::Responsible)
                        && matches!(
                            applicability(&resolved.pack, a, file.plan(), &products),
                            Applicability::Applies
                        )
                })
                .map(|(i, _)| i)
                .collect();
            by_dir
                .entry(folder(&file.source.path))
                .or_default()
                .push(Owner {
                    resolved,
                    rules,
                    scope,
                    applicable,
                });
        }
        Scopes { by_dir }
    }

    /// The nearest ownership file whose scope covers `display`.
    fn owner_of(&self, display: &str) -> Option<&Owner<'a>> {
        let mut dir = display;
        loop {
            dir = folder(dir);
            if let Some(owners) = self.by_dir.get(dir) {
                let rel = if dir.is_empty() {
                    display
                } else {
                    &display[dir.len() + 1..]
                };
                if let Some(owner) = owners.iter().find(|o| o.scope.is_match(rel)) {
                    return Some(owner);
                }
            }
            if dir.is_empty() {
                return None;
            }
        }
    }
}

/// Scans `files` for evidence against the resolved ownership files, on `threads` threads.
pub fn scan(
    files: &[ScanFile],
    roots: &[std::path::PathBuf],
    owners: &[Resolved],
    threads: usize,
    max_file_size: u64,
) -> ScanOutcome {
    let cwd = std::env::current_dir().ok();
    let mut compiled = HashMap::new();
    for resolved in owners {
        compiled
            .entry(resolved.pack.id().to_owned())
            .or_insert_with(|| PackRules::compile(&resolved.pack));
    }
    let scopes = Scopes::new(owners, &compiled);
    let results = par::map(files, threads, |file| {
        let display = paths::display_from(cwd.as_deref(), &file.path);
        let owner = scopes.owner_of(&display)?;
        let rel = file.rel(roots);
        let rules: Vec<usize> = owner
            .applicable
            .iter()
            .copied()
            .filter(|&i| owner.rules.rules[i].covers(rel))
            .collect();
        if rules.is_empty() {
            return None;
        }
        let target = Target {
            display,
            path: &file.path,
        };
        Some(scan_file(&target, owner, &rules, max_file_size))
    });
    let mut outcome = ScanOutcome::default();
    // The walk's order depends on scheduling; everything below is sorted or counted.
    for result in results.into_iter().flatten() {
        match result {
            FileResult::Skipped(display, reason) => outcome.skipped.push((display, reason)),
            FileResult::Scanned { findings, waived } => {
                outcome.scanned += 1;
                outcome.findings.extend(findings);
                outcome.waived.extend(waived);
            }
        }
    }
    outcome.skipped.sort_by(|a, b| a.0.cmp(&b.0));
    outcome
}

/// A file being scanned: its shown path and where to read it.
struct Target<'a> {
    display: String,
    path: &'a std::path::Path,
}

enum FileResult {
    Skipped(String, SkipReason),
    Scanned {
        findings: Vec<Finding>,
        waived: Vec<Finding>,
    },
}

/// One match of one rule.
struct Hit {
    rule: usize,
    line: usize,
    start: usize,
    end: usize,
}

fn scan_file(file: &Target<'_>, owner: &Owner<'_>, rules: &[usize], max: u64) -> FileResult {
    let too_large = || FileResult::Skipped(file.display.clone(), SkipReason::TooLarge);
    match std::fs::metadata(file.path) {
        Ok(meta) if !meta.is_file() => {
            return FileResult::Scanned {
                findings: vec![],
                waived: vec![],
            };
        }
        Ok(meta) if meta.len() > max => return too_large(),
        _ => {}
    }
    let Ok(bytes) = std::fs::read(file.path) else {
        // Vanished or unreadable between the walk and now: not evidence, and not ours to
        // report as an ownership problem.
        return FileResult::Scanned {
            findings: vec![],
            waived: vec![],
        };
    };
    if bytes.len() as u64 > max {
        return too_large();
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        return FileResult::Skipped(file.display.clone(), SkipReason::Binary);
    }
    let has_allows = allow::mentioned(&bytes);
    let may_match = owner.rules.may_match(&bytes);
    if !may_match && !has_allows {
        return FileResult::Scanned {
            findings: vec![],
            waived: vec![],
        };
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', &bytes).map(|i| i + 1))
        .collect();
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at) - 1;
    let mut hits = Vec::new();
    if may_match {
        for &rule in rules {
            for (start, end) in owner.rules.rules[rule].matches(&bytes) {
                hits.push(Hit {
                    rule,
                    line: line_of(start),
                    start,
                    end,
                });
            }
        }
    }
    let allows = if has_allows {
        allow::find(&bytes, &line_starts)
    } else {
        Vec::new()
    };
    if hits.is_empty() && allows.is_empty() {
        return FileResult::Scanned {
            findings: vec![],
            waived: vec![],
        };
    }
    report(file, owner, &bytes, &hits, &allows)
}

/// Turns hits and allows into findings: a hit covered by an allow with a reason is waived; an
/// allow without a reason suppresses nothing; an allow with a reason that covered nothing is
/// unused.
fn report(
    file: &Target<'_>,
    owner: &Owner<'_>,
    bytes: &[u8],
    hits: &[Hit],
    allows: &[allow::Allow],
) -> FileResult {
    let text = String::from_utf8_lossy(bytes);
    let bom = if bytes.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    // Offsets in the text as shown: the same as in the bytes unless invalid UTF-8 was
    // replaced or a BOM removed.
    let offset = |at: usize| -> usize {
        let lossy = match &text {
            std::borrow::Cow::Borrowed(_) => at,
            std::borrow::Cow::Owned(_) => String::from_utf8_lossy(&bytes[..at]).len(),
        };
        lossy.saturating_sub(bom)
    };
    let source: Arc<SourceFile> = SourceFile::new(file.display.clone(), text.clone().into_owned());
    let pack = &owner.resolved.pack;
    let provider = pack.id();
    let mut used = vec![false; allows.len()];
    let mut findings = Vec::new();
    let mut waived = Vec::new();
    for hit in hits {
        let rule = &owner.rules.rules[hit.rule];
        let activity = owner.rules.activity(rule);
        let span = Span::new(offset(hit.start), offset(hit.end));
        let finding = PerformsProviderDuty {
            span,
            activity,
            pack,
            rule: &rule.id,
            description: rule.description.as_deref(),
            line_text: source.line_text(span.start),
            owner: &owner.resolved.file,
        }
        .report(&source);
        let allowed = allows.iter().enumerate().find(|(_, a)| {
            a.reason.is_some() && a.covers_line(hit.line) && a.names(provider, activity.id())
        });
        match allowed {
            Some((i, _)) => {
                used[i] = true;
                waived.push(finding);
            }
            None => findings.push(finding),
        }
    }
    for (a, used) in allows.iter().zip(used) {
        let span = Span::new(offset(a.start), offset(a.end));
        if a.reason.is_none() {
            findings.push(
                InlineAllowWithoutReason {
                    span,
                    activity: &a.activity,
                    provider,
                }
                .report(&source),
            );
        } else if !used {
            findings.push(
                UnusedInlineAllow {
                    span,
                    activity: &a.activity,
                    provider,
                }
                .report(&source),
            );
        }
    }
    FileResult::Scanned { findings, waived }
}
