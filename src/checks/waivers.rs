//! Waivers in ownership files (DESIGN section 5): a waiver with a reason, not expired, accepts
//! the findings of its file (and the evidence attributed to it) that match its code, activity
//! and path glob. A waiver without a reason waives nothing and is only `waiver-missing-reason`;
//! an expired one is `expired-waiver` and its finding comes back; a valid one that matched
//! nothing is `unused-waiver`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use globset::GlobMatcher;

use crate::diag::fix::title;
use crate::diag::kinds::{
    BadWaiverDate, BadWaiverGlob, ExpiredWaiver, UnknownWaiverCode, UnusedFileWaiver,
    WaiverWithoutReason,
};
use crate::diag::{Code, Finding, Fix};
use crate::fix::edits;
use crate::model::ownership::{Field, Waiver};
use crate::source::SourceFile;

/// A calendar date, compared as (year, month, day).
pub type Date = (i32, u32, u32);

/// `YYYY-MM-DD`, checked for a real month and day.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

/// The civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn date_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u32, d as u32)
}

/// The waivers of one ownership file.
pub struct WaiverSet {
    pub source: Arc<SourceFile>,
    /// The file's folder as shown ("" at the top), where `path` globs start.
    pub folder: String,
    pub provider: String,
    /// The `waivers` key and its list, as read: an unused waiver's fix removes its entry.
    pub field: Field<Vec<Waiver>>,
    /// The file's provider, plan and products resolved, so it was checked. Otherwise nothing
    /// of it was judged and its waivers are never reported unused: that would be noise, and a
    /// fix would remove waivers that are needed once the file resolves.
    pub checked: bool,
    /// The waivers (by index) that accepted one of the file's own findings as soon as it was
    /// checked ([`waive_own`]): before any cap on findings, so that none past it is counted as
    /// reported, nor its waiver as unused.
    pub used: Vec<bool>,
}

/// A waiver that may apply.
struct Active<'a> {
    /// Its index in its set's list.
    index: usize,
    set: &'a WaiverSet,
    waiver: &'a Waiver,
    code: Code,
    /// The `path` glob, and the folder it starts from: the ownership file's folder made
    /// absolute, so that a finding's shown path (relative to the current folder, which may be
    /// below the ownership file's) is judged from the right place.
    path: Option<(GlobMatcher, std::path::PathBuf)>,
    /// Set from any thread of the scan, as evidence is waived where it is found.
    used: AtomicBool,
}

impl Active<'_> {
    fn matches(&self, f: &Finding, cwd: &std::path::Path) -> bool {
        f.code == self.code
            && self.takes_activity(f.activity.as_deref())
            && self.takes_path(f.path.as_deref().unwrap_or(""), cwd)
    }

    fn takes_activity(&self, activity: Option<&str>) -> bool {
        self.waiver
            .activity
            .as_ref()
            .is_none_or(|a| activity == Some(a.value.as_str()))
    }

    /// Whether the path glob takes `path`, shown relative to `cwd`.
    fn takes_path(&self, path: &str, cwd: &std::path::Path) -> bool {
        let Some((glob, folder)) = &self.path else {
            return true;
        };
        let absolute = crate::paths::absolute(cwd, std::path::Path::new(path));
        match crate::paths::below(&absolute, folder) {
            Some(rel) => glob.is_match(rel),
            None => glob.is_match(path),
        }
    }

    fn use_it(&self) {
        self.used.store(true, Ordering::Relaxed);
    }

    /// Whether the finding belongs to this waiver's ownership file: the very file read, not
    /// one whose name only displays alike (`x\xff` and `x\xfe` both show as `x` and U+FFFD).
    fn owns(&self, f: &Finding) -> bool {
        let own = &self.set.source;
        f.source.as_ref().is_some_and(|s| Arc::ptr_eq(s, own))
            || f.related
                .first()
                .is_some_and(|r| Arc::ptr_eq(&r.source, own))
    }
}

/// Splits `findings` into those still reported and those waived, adding the waivers' own
/// findings (missing reason, expired, unused, malformed) to the reported ones.
///
/// Evidence waivers (`performs-provider-duty`) are judged only when the scan ran
/// (`evidence_judged`): with `--no-evidence`, or PATHs that name only ownership files, they are
/// never unused.
pub fn apply(
    findings: Vec<Finding>,
    sets: &[WaiverSet],
    (today, cwd): (Date, &std::path::Path),
    evidence_judged: bool,
) -> (Vec<Finding>, Vec<Finding>) {
    let waivers = Waivers::new(sets, today, cwd);
    let (mut reported, waived) = waivers.split(findings);
    reported.extend(waivers.finish(evidence_judged));
    (reported, waived)
}

/// An ownership file's own findings split by its own waivers as soon as it is checked, the
/// waivers used marked in `set`: a cap on findings then never counts a waived one as reported.
/// Only evidence is attributed to a file from elsewhere, and the scan waives it where found.
pub fn waive_own(
    set: &mut WaiverSet,
    findings: Vec<Finding>,
    (today, cwd): (Date, &std::path::Path),
) -> (Vec<Finding>, Vec<Finding>) {
    let (split, used) = {
        let waivers = Waivers::new(std::slice::from_ref(set), today, cwd);
        let split = waivers.split(findings);
        let used: Vec<usize> = waivers
            .active
            .iter()
            .filter(|a| a.used.load(Ordering::Relaxed))
            .map(|a| a.index)
            .collect();
        (split, used)
    };
    for i in used {
        if let Some(u) = set.used.get_mut(i) {
            *u = true;
        }
    }
    split
}

/// The valid waivers of a run's ownership files, ready to accept findings in as many steps as
/// the run takes, then judged once: malformed, expired, unused.
pub struct Waivers<'a> {
    active: Vec<Active<'a>>,
    /// The active waivers of each ownership file, by its shown path, so a finding asks only its
    /// own file's waivers.
    by_file: std::collections::HashMap<&'a str, Vec<usize>>,
    /// The waivers' own findings but `unused-waiver`, found as they were read.
    problems: Vec<Finding>,
    /// The current folder, which shown paths are relative to.
    cwd: std::path::PathBuf,
}

impl<'a> Waivers<'a> {
    /// `cwd`: the current folder, which the shown paths of `sets` and of findings are
    /// relative to.
    pub fn new(sets: &'a [WaiverSet], today: Date, cwd: &std::path::Path) -> Waivers<'a> {
        let (active, problems) = read(sets, today, cwd);
        let mut by_file: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, a) in active.iter().enumerate() {
            by_file
                .entry(a.set.source.path.as_str())
                .or_default()
                .push(i);
        }
        Waivers {
            active,
            by_file,
            problems,
            cwd: cwd.to_path_buf(),
        }
    }

    /// Splits `findings` into those still reported and those waived.
    pub fn split(&self, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
        let mut reported = Vec::new();
        let mut waived = Vec::new();
        for f in findings {
            // Waivers accept findings about the repository, not problems with waivers themselves.
            let waivable = !f.fatal
                && !matches!(
                    f.code,
                    Code::WaiverMissingReason | Code::ExpiredWaiver | Code::UnusedWaiver
                );
            let owners = [
                f.path.as_deref(),
                f.related.first().map(|r| r.source.path.as_str()),
            ];
            let hit = waivable
                .then(|| {
                    owners
                        .into_iter()
                        .flatten()
                        .filter_map(|path| self.by_file.get(path))
                        .flatten()
                        .copied()
                        .find(|&i| self.active[i].owns(&f) && self.active[i].matches(&f, &self.cwd))
                })
                .flatten();
            match hit {
                Some(i) => {
                    self.active[i].use_it();
                    waived.push(f);
                }
                None => reported.push(f),
            }
        }
        (reported, waived)
    }

    /// The `performs-provider-duty` waivers of the ownership file `owner` whose path glob
    /// takes the file shown as `shown`, in the order [`Waivers::split`] asks them.
    pub fn for_evidence(&self, owner: &Arc<SourceFile>, shown: &str) -> Vec<usize> {
        self.by_file
            .get(owner.path.as_str())
            .map_or_else(Vec::new, |indices| {
                indices
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let a = &self.active[i];
                        Arc::ptr_eq(&a.set.source, owner)
                            && a.code == Code::PerformsProviderDuty
                            && a.takes_path(shown, &self.cwd)
                    })
                    .collect()
            })
    }

    /// Whether one of `candidates` (from [`Waivers::for_evidence`]) accepts evidence of
    /// `activity`: the first that does is used, as [`Waivers::split`] would use it.
    pub fn accepts_evidence(&self, candidates: &[usize], activity: &str) -> bool {
        let first = candidates
            .iter()
            .map(|&i| &self.active[i])
            .find(|a| a.takes_activity(Some(activity)));
        first.inspect(|a| a.use_it()).is_some()
    }

    /// The waivers' own findings: malformed, missing reason, expired, and each valid waiver of
    /// a checked file that accepted nothing in any step.
    pub fn finish(self, evidence_judged: bool) -> Vec<Finding> {
        let mut reported = self.problems;
        let judged = |a: &&Active| {
            a.set.checked && (evidence_judged || a.code != Code::PerformsProviderDuty)
        };
        let unused = self
            .active
            .iter()
            .filter(|a| !a.used.load(Ordering::Relaxed))
            .filter(judged);
        for a in unused {
            let fix = edits::remove_waiver(&a.set.source.text, &a.set.field, a.index)
                .map(|edit| Fix::safe(title::remove_waiver(), vec![edit]));
            reported.push(
                UnusedFileWaiver {
                    waiver: a.waiver,
                    provider: &a.set.provider,
                }
                .report(&a.set.source)
                .with_fix(fix),
            );
        }
        reported
    }
}

/// The valid waivers of `sets`, and the findings of those that are not.
fn read<'a>(
    sets: &'a [WaiverSet],
    today: Date,
    cwd: &std::path::Path,
) -> (Vec<Active<'a>>, Vec<Finding>) {
    let mut reported = Vec::new();
    let mut active = Vec::new();
    for set in sets {
        let src = &set.source;
        for (index, waiver) in set.field.value.value.iter().enumerate() {
            let provider = set.provider.as_str();
            let Some(code) = Code::from_name(&waiver.code.value) else {
                let code = &waiver.code;
                reported.push(UnknownWaiverCode { code, provider }.report(src));
                continue;
            };
            let expires = match &waiver.expires {
                None => None,
                Some(text) => match parse_date(&text.value) {
                    Some(date) => Some((date, text)),
                    None => {
                        reported.push(BadWaiverDate { text, provider }.report(src));
                        continue;
                    }
                },
            };
            let path = match &waiver.path {
                None => None,
                Some(glob) => match globset::Glob::new(&glob.value) {
                    Ok(g) => {
                        let folder = std::path::Path::new(&set.folder);
                        Some((g.compile_matcher(), crate::paths::absolute(cwd, folder)))
                    }
                    Err(e) => {
                        let reason = e.kind().to_string();
                        reported.push(
                            BadWaiverGlob {
                                glob,
                                reason,
                                provider,
                            }
                            .report(src),
                        );
                        continue;
                    }
                },
            };
            if waiver
                .reason
                .as_ref()
                .is_none_or(|r| r.value.trim().is_empty())
            {
                reported.push(
                    WaiverWithoutReason {
                        waiver,
                        provider: &set.provider,
                    }
                    .report(src),
                );
                continue;
            }
            if let Some((date, text)) = expires
                && date < today
            {
                reported.push(
                    ExpiredWaiver {
                        waiver,
                        expires: text,
                        provider: &set.provider,
                    }
                    .report(src),
                );
                continue;
            }
            active.push(Active {
                index,
                set,
                waiver,
                code,
                path,
                used: AtomicBool::new(set.used.get(index).copied().unwrap_or(false)),
            });
        }
    }
    (active, reported)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ownership file checked, as the run checks it: its findings and its waivers.
    fn checked(text: &str) -> (Vec<Finding>, WaiverSet) {
        let mut packs = crate::model::Packs::default();
        for pack in crate::load::registry::builtin().0 {
            packs.insert(Arc::new(pack));
        }
        let source = Arc::new(SourceFile::new("infra/raci.yaml", text));
        let checked = crate::document::ownership(&source, &packs, std::path::Path::new("/r"));
        (checked.findings, checked.waivers.expect("a waivers key"))
    }

    fn summary(findings: &[Finding]) -> Vec<(String, u32, String)> {
        let mut out: Vec<_> = findings
            .iter()
            .map(|f| {
                let line = f.primary.as_ref().map_or(0, |l| {
                    f.source
                        .as_ref()
                        .map_or(0, |s| s.line_col(l.span.start).line)
                });
                (f.code.as_str().to_owned(), line as u32, f.message.clone())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn waiving_a_file_as_it_is_checked_then_judging_gives_what_one_pass_gives() {
        // Two waivers take the same findings: the first is used, the second is unused. An
        // expired one and one without a reason are reported once, not once per step.
        let text = "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: first\n  - code: unowned-duty\n    reason: second\n  - code: claims-provider-duty\n    reason: old\n    expires: 2020-01-01\n  - code: activity-overridden\n";
        let today = (2026, 6, 1);
        let (findings, set) = checked(text);
        let cwd = std::path::Path::new("/r");
        let (once_reported, once_waived) =
            apply(findings, std::slice::from_ref(&set), (today, cwd), true);

        let (findings, mut set) = checked(text);
        let (mut reported, waived) = waive_own(&mut set, findings, (today, cwd));
        assert_eq!(set.used, [true, false, false, false]);
        let sets = [set];
        let waivers = Waivers::new(&sets, today, cwd);
        let (rest, late) = waivers.split(reported);
        assert!(late.is_empty());
        reported = rest;
        reported.extend(waivers.finish(true));

        assert_eq!(summary(&reported), summary(&once_reported));
        assert_eq!(summary(&waived), summary(&once_waived));
        let codes: Vec<String> = summary(&reported).into_iter().map(|(c, ..)| c).collect();
        assert_eq!(
            codes,
            ["expired-waiver", "unused-waiver", "waiver-missing-reason"],
            "{reported:?}"
        );
        assert_eq!(waived.len(), 14);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2027-01-31"), Some((2027, 1, 31)));
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-1-31",
            "tomorrow",
            "2027-01-32",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(date_from_days(0), (1970, 1, 1));
        assert_eq!(date_from_days(20_416), (2025, 11, 24));
        assert_eq!(date_from_days(-1), (1969, 12, 31));
    }
}
