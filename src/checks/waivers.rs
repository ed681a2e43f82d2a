//! Waivers in ownership files (DESIGN section 5): a waiver with a reason, not expired, accepts
//! the findings of its file (and the evidence attributed to it) that match its code, activity
//! and path glob. A waiver without a reason waives nothing and is only `waiver-missing-reason`;
//! an expired one is `expired-waiver` and its finding comes back; a valid one that matched
//! nothing is `unused-waiver`.

use std::sync::Arc;

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
}

/// A waiver that may apply.
struct Active<'a> {
    set: &'a WaiverSet,
    waiver: &'a Waiver,
    code: Code,
    path: Option<GlobMatcher>,
    used: bool,
}

impl Active<'_> {
    fn matches(&self, f: &Finding) -> bool {
        if f.code != self.code {
            return false;
        }
        if let Some(activity) = &self.waiver.activity
            && f.activity.as_deref() != Some(activity.value.as_str())
        {
            return false;
        }
        if let Some(glob) = &self.path {
            let path = f.path.as_deref().unwrap_or("");
            let rel = if self.set.folder.is_empty() {
                path
            } else {
                path.strip_prefix(&self.set.folder)
                    .map_or(path, |p| p.trim_start_matches('/'))
            };
            return glob.is_match(rel);
        }
        true
    }

    /// Whether the finding belongs to this waiver's ownership file.
    fn owns(&self, f: &Finding) -> bool {
        let own = &self.set.source.path;
        f.path.as_deref() == Some(own.as_str())
            || f.related.first().is_some_and(|r| &r.source.path == own)
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
    today: Date,
    evidence_judged: bool,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut reported = Vec::new();
    let mut active = Vec::new();
    for set in sets {
        let src = &set.source;
        for waiver in &set.field.value.value {
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
                    Ok(g) => Some(g.compile_matcher()),
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
                set,
                waiver,
                code,
                path,
                used: false,
            });
        }
    }
    // The waivers of each ownership file, so a finding asks only its own file's waivers.
    let mut by_file: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, a) in active.iter().enumerate() {
        by_file
            .entry(a.set.source.path.as_str())
            .or_default()
            .push(i);
    }
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
                    .filter_map(|path| by_file.get(path))
                    .flatten()
                    .copied()
                    .find(|&i| active[i].owns(&f) && active[i].matches(&f))
            })
            .flatten();
        match hit {
            Some(i) => {
                active[i].used = true;
                waived.push(f);
            }
            None => reported.push(f),
        }
    }
    let judged =
        |a: &&Active| a.set.checked && (evidence_judged || a.code != Code::PerformsProviderDuty);
    for a in active.iter().filter(|a| !a.used).filter(judged) {
        let index = a
            .set
            .field
            .value
            .value
            .iter()
            .position(|w| std::ptr::eq(w, a.waiver));
        let fix = index
            .and_then(|i| edits::remove_waiver(&a.set.source.text, &a.set.field, i))
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
    (reported, waived)
}

#[cfg(test)]
mod tests {
    use super::*;

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
