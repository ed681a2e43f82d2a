//! Wording of the evidence scan's findings: a match showing the repository performs a duty
//! its provider holds, and inline allows (without a reason, unused, malformed, unknown).

use std::sync::Arc;

use super::{activity_name, holds};
use crate::diag::{Code, Finding, Label, Related};
use crate::model::{Activity, OwnershipFile, Pack};
use crate::source::{SourceFile, Span};

/// The part of a matched line that goes into a fingerprint: trimmed, and at most its first
/// [`FINGERPRINT_LINE`] bytes, so that many matches on one long line cost neither time nor
/// memory per byte of the line (DESIGN section 9). Shorter lines are whole, as before.
pub fn fingerprint_line(line: &str) -> &str {
    let line = line.trim();
    if line.len() <= FINGERPRINT_LINE {
        return line;
    }
    let mut end = FINGERPRINT_LINE;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// Bytes of a matched line that identify an evidence finding.
pub const FINGERPRINT_LINE: usize = 256;

pub struct PerformsProviderDuty<'a> {
    pub span: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub rule: &'a str,
    pub description: Option<&'a str>,
    /// The matched line, trimmed into the fingerprint so that moving it keeps its identity.
    pub line_text: &'a str,
    pub owner: &'a OwnershipFile,
    /// Where an inline allow counts, after "in a comment on": "this line or the line above",
    /// or for a match over several lines "any line of this task or the line above it".
    pub allow_at: &'a str,
}

impl PerformsProviderDuty<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let a = self.activity;
        let what = self
            .description
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let mut finding = Finding::new(
            Code::PerformsProviderDuty,
            format!(
                "this repository performs {}, which {} holds ({}){what}",
                activity_name(a),
                self.pack.name,
                holds(&self.pack.name, a.provider.value),
            ),
        )
        .at(src, self.span, format!("evidence `{}`", self.rule))
        .help(format!(
            "leave this to {}, or record why with `raci-lint: allow({}) <reason>` in a comment on {}, or a waiver in `{}`",
            self.pack.name,
            a.id(),
            self.allow_at,
            self.owner.source.path
        ))
        .provider(self.pack.id())
        .activity(a.id())
        .subject(format!("{}\n{}", self.rule, fingerprint_line(self.line_text)));
        finding.related.push(Related {
            source: Arc::clone(&self.owner.source),
            label: Label {
                span: self.owner.provider.key.to(self.owner.provider.value.span),
                text: Some("attributed to this ownership file".into()),
            },
        });
        finding
    }
}

pub struct InlineAllowWithoutReason<'a> {
    pub span: Span,
    pub activity: &'a str,
    pub provider: &'a str,
    /// The pack's id of the activity, for machine output.
    pub resolved: Option<&'a str>,
}

impl InlineAllowWithoutReason<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let finding = Finding::new(
            Code::WaiverMissingReason,
            format!(
                "inline allow for `{}` has no reason, so it allows nothing",
                self.activity
            ),
        )
        .at(src, self.span, "no reason given")
        .help(format!(
            "say why after the parenthesis: `raci-lint: allow({}) <reason>`",
            self.activity
        ))
        .provider(self.provider)
        .subject(self.activity.to_owned());
        match self.resolved {
            Some(id) => finding.activity(id),
            None => finding,
        }
    }
}

pub struct UnusedInlineAllow<'a> {
    pub span: Span,
    pub activity: &'a str,
    pub provider: &'a str,
    /// The pack's id of the activity, for machine output.
    pub resolved: Option<&'a str>,
}

impl UnusedInlineAllow<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let finding = Finding::new(
            Code::UnusedWaiver,
            format!(
                "inline allow for `{}` matches no evidence on its line or the next",
                self.activity
            ),
        )
        .at(src, self.span, "allows nothing")
        .help("remove it, or move it onto the matching line or the line above it")
        .provider(self.provider)
        .subject(self.activity.to_owned());
        match self.resolved {
            Some(id) => finding.activity(id),
            None => finding,
        }
    }
}

/// A comment that looks like an inline allow but is not one.
pub struct InvalidAllow<'a> {
    pub span: Span,
    pub provider: &'a str,
}

impl InvalidAllow<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::InvalidAllow,
            "this looks like an inline allow but is not one: the activity must be in parentheses",
        )
        .at(src, self.span, "not an allow")
        .help("write `raci-lint: allow(<activity-id>) <reason>`, e.g. `raci-lint: allow(server-os-patching) lab VMs`")
        .provider(self.provider)
    }
}

/// An inline allow naming an activity the provider's matrix does not have.
pub struct UnknownAllowActivity<'a> {
    pub span: Span,
    pub activity: &'a str,
    pub pack_name: &'a str,
    pub provider: &'a str,
    pub hint: Option<String>,
}

impl UnknownAllowActivity<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::UnknownActivity,
            format!(
                "inline allow names `{}`, which is not an activity of {}'s matrix",
                self.activity, self.pack_name
            ),
        )
        .at(src, self.span, "unknown activity")
        .help(self.hint.unwrap_or_else(|| {
            format!("`raci-lint explain {}` lists the activities", self.provider)
        }))
        .provider(self.provider)
        .subject(self.activity.to_owned())
    }
}
