//! Wording of the findings about accepting findings on purpose: ownership-file waivers and
//! the baseline file.

use std::sync::Arc;

use crate::diag::{Code, Finding};
use crate::source::{SourceFile, Sp, Span};
use crate::suggest;

/// A waiver whose `code` is not one of raci-lint's codes: the file is `invalid-yaml`.
pub struct UnknownWaiverCode<'a> {
    pub code: &'a Sp<String>,
    pub provider: &'a str,
}

impl UnknownWaiverCode<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let hint = suggest::hint(&self.code.value, Code::ALL.iter().map(|c| c.as_str()))
            .unwrap_or_else(|| "the README lists the codes".to_owned());
        Finding::new(
            Code::InvalidYaml,
            format!("unknown code `{}` in a waiver", self.code.value),
        )
        .at(src, self.code.span, "unknown code")
        .help(hint)
        .provider(self.provider)
        .subject(self.code.value.clone())
    }
}

/// A waiver whose `expires` is not a date.
pub struct BadWaiverDate<'a> {
    pub text: &'a Sp<String>,
    pub provider: &'a str,
}

impl BadWaiverDate<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::InvalidYaml,
            format!("`{}` is not a date", self.text.value),
        )
        .at(src, self.text.span, "not YYYY-MM-DD")
        .help("write the expiry date as YYYY-MM-DD, e.g. `expires: 2027-01-31`")
        .provider(self.provider)
    }
}

/// A waiver whose `path` glob does not compile; `reason` is globset's.
pub struct BadWaiverGlob<'a> {
    pub glob: &'a Sp<String>,
    pub reason: String,
    pub provider: &'a str,
}

impl BadWaiverGlob<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::InvalidYaml,
            format!("bad `path` glob `{}`: {}", self.glob.value, self.reason),
        )
        .at(src, self.glob.span, "bad glob")
        .provider(self.provider)
    }
}

pub struct WaiverWithoutReason<'a> {
    pub waiver: &'a crate::model::ownership::Waiver,
    pub provider: &'a str,
}

impl WaiverWithoutReason<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let w = self.waiver;
        let mut f = Finding::new(
            Code::WaiverMissingReason,
            format!(
                "waiver for `{}` has no reason, so it waives nothing",
                w.code.value
            ),
        )
        .at(src, w.code.span, "no `reason`")
        .help("add `reason:` saying why the finding is accepted (a contract clause, a ticket)")
        .provider(self.provider)
        .subject(w.code.value.clone());
        if let Some(a) = &w.activity {
            f = f.activity(a.value.clone());
        }
        f
    }
}

pub struct ExpiredWaiver<'a> {
    pub waiver: &'a crate::model::ownership::Waiver,
    pub expires: &'a Sp<String>,
    pub provider: &'a str,
}

impl ExpiredWaiver<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let w = self.waiver;
        let mut f = Finding::new(
            Code::ExpiredWaiver,
            format!(
                "waiver for `{}` expired on {}; the finding it waived is reported again",
                w.code.value, self.expires.value
            ),
        )
        .at(src, self.expires.span, "expired")
        .help("fix the finding, or renew the waiver with a new date if the reason still holds")
        .provider(self.provider)
        .subject(w.code.value.clone());
        if let Some(a) = &w.activity {
            f = f.activity(a.value.clone());
        }
        f
    }
}

pub struct UnusedFileWaiver<'a> {
    pub waiver: &'a crate::model::ownership::Waiver,
    pub provider: &'a str,
}

impl UnusedFileWaiver<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let w = self.waiver;
        let what = match &w.activity {
            Some(a) => format!("`{}` on `{}`", w.code.value, a.value),
            None => format!("`{}`", w.code.value),
        };
        let mut f = Finding::new(
            Code::UnusedWaiver,
            format!("waiver for {what} matches no finding"),
        )
        .at(src, w.code.span, "waives nothing")
        .help("remove the waiver, or correct its code, activity or path")
        .provider(self.provider)
        .subject(w.code.value.clone());
        if let Some(a) = &w.activity {
            f = f.activity(a.value.clone());
        }
        f
    }
}

/// Help for an `io-error` about a baseline file that does not exist.
pub const BASELINE_MISSING_HELP: &str =
    "write it first: `raci-lint --write-baseline FILE`, from the folder CI runs in";

/// A baseline file that cannot be used: broken JSON, a wrong field, a newer format version.
pub enum BaselineProblem<'a> {
    /// serde_json's message, without its position.
    Json(&'a str),
    TooNew {
        version: &'a str,
        reads: u64,
    },
    BadVersion(&'a str),
    NoVersion,
    NotAnObject,
    BadFingerprint(&'a str),
}

impl BaselineProblem<'_> {
    pub fn report(self, src: &Arc<SourceFile>, span: Span) -> Finding {
        const WRITE_AGAIN: &str = "a baseline is the JSON file `--write-baseline FILE` writes; write it again rather than edit it";
        let (message, help) = match self {
            BaselineProblem::Json(message) => (message.to_owned(), WRITE_AGAIN),
            BaselineProblem::TooNew { version, reads } => (
                format!(
                    "the baseline has format version {version}, newer than this raci-lint reads (version {reads})"
                ),
                "upgrade raci-lint, or write the baseline again with this version's `--write-baseline FILE`",
            ),
            BaselineProblem::BadVersion(shown) => (
                format!("`version` is {shown}, not a baseline format version"),
                WRITE_AGAIN,
            ),
            BaselineProblem::NotAnObject => {
                ("the baseline is not a JSON object".to_owned(), WRITE_AGAIN)
            }
            BaselineProblem::NoVersion => ("the baseline has no `version`".to_owned(), WRITE_AGAIN),
            BaselineProblem::BadFingerprint(text) => (
                format!("`{text}` is not a fingerprint"),
                "a fingerprint is 16 lower-case hex digits, as raci-lint's JSON output shows",
            ),
        };
        Finding::new(Code::InvalidBaseline, format!("baseline: {message}"))
            .at(src, span, "here")
            .help(help)
            .fatal()
    }
}

/// A baseline entry that matched no finding of the run: what it recorded, and where its
/// fingerprint sits in the baseline file (`None` when it could not be found there).
pub struct UnusedBaselineEntry<'a> {
    pub fingerprint: &'a str,
    pub code: &'a str,
    pub path: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub activity: Option<&'a str>,
    pub span: Option<Span>,
}

impl UnusedBaselineEntry<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let mut what = format!("`{}`", self.code);
        if let Some(activity) = self.activity {
            what.push_str(&format!(" for {activity}"));
        }
        if let Some(path) = self.path {
            what.push_str(&format!(" in {path}"));
        }
        let mut f = Finding::new(
            Code::UnusedBaselineEntry,
            format!("baseline entry {what} matches no finding"),
        )
        .help("the finding is fixed or its file moved; write the baseline again with `--write-baseline FILE` to drop the entry")
        .subject(self.fingerprint);
        f = match self.span {
            Some(span) => f.at(src, span, "matches nothing"),
            None => f.at_path(src.path.clone()),
        };
        if let Some(p) = self.provider {
            f = f.provider(p);
        }
        if let Some(a) = self.activity {
            f = f.activity(a);
        }
        f
    }
}
