//! Baselines: the findings of one day, recorded by fingerprint so that later runs fail only on
//! new ones. Reading (JSON, with a finding that points into a broken file), matching (a
//! multiset: two equal findings need two entries) and the text `--write-baseline` writes.
//! Writing the file is the binary's job; this module never touches the disk except to read.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::kinds::{BASELINE_MISSING_HELP, BaselineProblem, UnusedBaselineEntry};
use crate::diag::{Code, Finding, fingerprint};
use crate::load::{FileKind, read};
use crate::paths;
use crate::source::{SourceFile, Span};

/// The format version this raci-lint writes and the newest it reads.
pub const VERSION: u64 = 1;

/// Baselines grow with the findings of a large repository: larger than a hand-written file,
/// still bounded.
pub use crate::load::read::MAX_BASELINE_SIZE;

/// One recorded finding. Only the fingerprint is matched; the rest is there for people
/// reading the file or its diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u64,
    findings: Vec<Entry>,
}

/// Only the version, read first: a newer file may have a shape this version cannot parse.
#[derive(Deserialize)]
struct Probe {
    version: Option<serde_json::Value>,
}

/// A loaded baseline: its entries, each with the span of its fingerprint in the file.
#[derive(Debug)]
pub struct Baseline {
    pub source: Arc<SourceFile>,
    pub entries: Vec<(Entry, Option<Span>)>,
}

/// Whether a finding goes into a baseline. Findings that make the run exit 2 (a broken config,
/// pack or file) are never hidden: a baseline accepts known problems, not a broken run. Nor is
/// `invalid-yaml`: one fingerprint stands for any parse error of a file, so recording one would
/// hide the next, and a file that does not parse is not checked at all.
pub fn records(finding: &Finding) -> bool {
    !finding.breaks_run()
        && !finding.waived
        && !matches!(
            finding.code,
            Code::InvalidYaml | Code::UnusedBaselineEntry | Code::TooManyFindings
        )
}

/// Reads and validates the baseline at `path`; a problem is one finding pointing into it.
pub fn load(path: &Path) -> Result<Baseline, Finding> {
    let shown = paths::display(path);
    let source = read::from_disk(path, &shown, FileKind::Baseline).map_err(|finding| {
        if finding.code == Code::IoError && !path.exists() {
            finding.help(BASELINE_MISSING_HELP)
        } else {
            finding
        }
    })?;
    parse(source)
}

/// Validates a baseline's text.
pub fn parse(source: Arc<SourceFile>) -> Result<Baseline, Finding> {
    let whole = Span::new(0, source.text.len().min(1));
    let json_error = |e: serde_json::Error| {
        // serde_json counts columns in bytes.
        let at = source.byte_offset_of(e.line(), e.column());
        let end = source.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        BaselineProblem::Json(message).report(&source, Span::new(at, end))
    };
    // serde reads a struct from an array too: refuse anything but an object up front.
    let first = source.text.len() - source.text.trim_start().len();
    if let Some(c) = source.text[first..].chars().next()
        && c != '{'
    {
        return Err(
            BaselineProblem::NotAnObject.report(&source, Span::new(first, first + c.len_utf8()))
        );
    }
    let probe: Probe = serde_json::from_str(&source.text).map_err(json_error)?;
    let version_span = source
        .text
        .find("\"version\"")
        .map_or(whole, |i| Span::new(i, i + "\"version\"".len()));
    match &probe.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(serde_json::Value::Number(n)) if n.as_u64().is_some_and(|v| v > VERSION) => {
            let version = n.to_string();
            return Err(BaselineProblem::TooNew {
                version: &version,
                reads: VERSION,
            }
            .report(&source, version_span));
        }
        Some(other) => {
            let shown = other.to_string();
            return Err(BaselineProblem::BadVersion(&shown).report(&source, version_span));
        }
        None => return Err(BaselineProblem::NoVersion.report(&source, whole)),
    }
    let file: File = serde_json::from_str(&source.text).map_err(json_error)?;
    let mut cursor = 0;
    let mut entries = Vec::with_capacity(file.findings.len());
    for entry in file.findings {
        let quoted = format!("\"{}\"", entry.fingerprint);
        let span = source.text[cursor..].find(&quoted).map(|i| {
            let start = cursor + i + 1;
            Span::new(start, start + entry.fingerprint.len())
        });
        if let Some(s) = span {
            cursor = s.end;
        }
        if !is_fingerprint(&entry.fingerprint) {
            return Err(BaselineProblem::BadFingerprint(&entry.fingerprint)
                .report(&source, span.unwrap_or(whole)));
        }
        entries.push((entry, span));
    }
    Ok(Baseline { source, entries })
}

fn is_fingerprint(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The entry recording `finding`.
fn entry(finding: &Finding) -> Entry {
    Entry {
        fingerprint: fingerprint::of(finding),
        code: finding.code.as_str().to_owned(),
        path: finding.path.clone(),
        provider: finding.provider.clone(),
        activity: finding.activity.clone(),
    }
}

/// The baseline file recording every finding [`records`] accepts, sorted so that the file
/// is the same whatever the order of `findings`, and diffs stay small.
pub fn write(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings.iter().filter(|f| records(f)).map(entry).collect();
    entries.sort_by(|a, b| {
        (&a.path, &a.code, &a.provider, &a.activity, &a.fingerprint).cmp(&(
            &b.path,
            &b.code,
            &b.provider,
            &b.activity,
            &b.fingerprint,
        ))
    });
    let file = File {
        version: VERSION,
        findings: entries,
    };
    // Serialising plain strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// What matching a run's findings against a baseline gives.
pub struct Matched {
    /// The findings the baseline does not hide, in their original order.
    pub kept: Vec<Finding>,
    pub hidden: usize,
    /// `unused-baseline-entry` notes for entries that matched nothing.
    pub unused: Vec<Finding>,
}

/// Hides each finding recorded in `baseline`, one entry per finding. Entries left over are
/// reported when `in_scope` says this run could have matched them.
pub fn apply(
    baseline: &Baseline,
    findings: Vec<Finding>,
    in_scope: impl Fn(&Entry) -> bool,
) -> Matched {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for (entry, _) in &baseline.entries {
        *left.entry(entry.fingerprint.as_str()).or_default() += 1;
    }
    let mut kept = Vec::with_capacity(findings.len());
    let mut hidden = 0;
    for finding in findings {
        if records(&finding)
            && let Some(n) = left.get_mut(fingerprint::of(&finding).as_str())
            && *n > 0
        {
            *n -= 1;
            hidden += 1;
            continue;
        }
        kept.push(finding);
    }
    // The last entries of a fingerprint are the unused ones.
    let mut unused = Vec::new();
    for (entry, span) in baseline.entries.iter().rev() {
        let Some(n) = left.get_mut(entry.fingerprint.as_str()) else {
            continue;
        };
        if *n == 0 {
            continue;
        }
        *n -= 1;
        if in_scope(entry) {
            unused.push(
                UnusedBaselineEntry {
                    fingerprint: &entry.fingerprint,
                    code: &entry.code,
                    path: entry.path.as_deref(),
                    provider: entry.provider.as_deref(),
                    activity: entry.activity.as_deref(),
                    span: *span,
                }
                .report(&baseline.source),
            );
        }
    }
    unused.reverse();
    Matched {
        kept,
        hidden,
        unused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(activity: &str) -> Finding {
        let src = SourceFile::new("infra/raci.yaml", "provider: sysbee\n");
        Finding::new(Code::UnownedDuty, "m")
            .at(&src, Span::new(0, 8), "")
            .provider("sysbee")
            .activity(activity)
    }

    fn baseline(findings: &[Finding]) -> Baseline {
        parse(SourceFile::new("b.json", write(findings))).unwrap()
    }

    #[test]
    fn a_written_baseline_reads_back_and_hides_what_it_recorded() {
        let all = [finding("backups"), finding("server-setup")];
        let b = baseline(&all);
        assert_eq!(b.entries.len(), 2);
        assert!(b.entries.iter().all(|(_, span)| span.is_some()));
        let m = apply(&b, all.to_vec(), |_| true);
        assert_eq!((m.kept.len(), m.hidden, m.unused.len()), (0, 2, 0));
    }

    #[test]
    fn counts_matter_a_second_equal_finding_is_new() {
        let b = baseline(&[finding("backups")]);
        let m = apply(&b, vec![finding("backups"), finding("backups")], |_| true);
        assert_eq!((m.kept.len(), m.hidden), (1, 1));
    }

    #[test]
    fn leftover_entries_are_notes_only_in_scope() {
        let b = baseline(&[finding("backups"), finding("server-setup")]);
        let m = apply(&b, vec![finding("backups")], |_| true);
        assert_eq!(m.unused.len(), 1);
        assert_eq!(m.unused[0].code, Code::UnusedBaselineEntry);
        assert_eq!(m.unused[0].activity.as_deref(), Some("server-setup"));
        let m = apply(&b, vec![finding("backups")], |_| false);
        assert!(m.unused.is_empty());
    }

    #[test]
    fn pack_warnings_are_recorded_pack_errors_never() {
        let warning = Finding::new(Code::PackNoAccountable, "w").at_path("packs/a.yaml");
        let error = Finding::new(Code::PackBadRegex, "e").at_path("packs/a.yaml");
        assert!(records(&warning));
        assert!(!records(&error));
    }

    #[test]
    fn fatal_findings_are_never_recorded() {
        let io = Finding::new(Code::IoError, "cannot read").at_path("x");
        let text = write(&[io, finding("backups")]);
        assert_eq!(text.matches("\"fingerprint\"").count(), 1);
    }
}
