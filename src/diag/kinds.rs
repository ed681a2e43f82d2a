//! One type per kind of finding, each turning its facts into a located [`Finding`]: every
//! message and help text raci-lint prints is written here and nowhere else.

use std::sync::Arc;

use super::{Code, Finding, Related};
use crate::model::{Activity, OwnershipFile, Pack, RoleSet};
use crate::source::{SourceFile, Sp, Span};
use crate::suggest;

/// "Server OS patching and updates (server-os-patching)".
fn activity_name(activity: &Activity) -> String {
    format!("{} ({})", activity.title, activity.id())
}

/// "Sysbee is Responsible and Accountable", "the customer has no role".
fn holds(party: &str, roles: RoleSet) -> String {
    if roles.is_empty() {
        format!("{party} has no role")
    } else {
        format!("{party} is {}", roles.names())
    }
}

fn on_plan(plan: Option<&str>) -> String {
    plan.map(|p| format!(" on the {p} plan"))
        .unwrap_or_default()
}

/// Lists in messages stop here, so that a hostile file with thousands of names cannot make
/// every finding's help text as long as the file.
const LIST_LIMIT: usize = 12;

fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for item in items {
        if shown.len() < LIST_LIMIT {
            shown.push(format!("`{item}`"));
        } else {
            more += 1;
        }
    }
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// "did you mean `x`? (known providers: ...)", the known names alone, or `none` when there are
/// no names to offer.
fn did_you_mean_or<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    what: &str,
    none: &str,
) -> String {
    let known = quoted_list(candidates.clone());
    match suggest::hint(word, candidates) {
        Some(hint) => format!("{hint} ({what}: {known})"),
        None if known.is_empty() => none.to_owned(),
        None => format!("{what}: {known}"),
    }
}

pub struct UnknownProvider<'a> {
    pub written: &'a Sp<String>,
    pub known: Vec<&'a str>,
    pub broken: bool,
}

impl UnknownProvider<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let help = if self.broken {
            format!(
                "fix the errors reported in the pack of `{}`; this file is checked once it loads",
                self.written.value
            )
        } else {
            did_you_mean_or(
                &self.written.value,
                self.known.iter().copied(),
                "known providers",
                "no rule pack is loaded",
            ) + "; a provider of your own needs a rule pack, given with `--packs`"
        };
        let (message, label) = if self.broken {
            (
                format!(
                    "the rule pack of provider `{}` has errors and was not loaded",
                    self.written.value
                ),
                "its pack is broken",
            )
        } else {
            (
                format!("unknown provider `{}`", self.written.value),
                "no rule pack has this provider id",
            )
        };
        Finding::new(Code::UnknownProvider, message)
            .at(src, self.written.span, label)
            .help(help)
            .subject(self.written.value.clone())
    }
}

pub struct UnknownOffering<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownOffering<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids = self.pack.offerings.iter().map(|o| o.id.value.as_str());
        Finding::new(
            Code::UnknownOffering,
            format!(
                "{} has no offering `{}`",
                self.pack.name, self.written.value
            ),
        )
        .at(src, self.written.span, "unknown offering")
        .help(did_you_mean_or(
            &self.written.value,
            ids,
            "its offerings",
            &format!("{} lists no offerings: remove `offering`", self.pack.name),
        ))
        .provider(self.pack.id())
        .subject(self.written.value.clone())
    }
}

pub struct MissingPlan<'a> {
    pub provider_value: Span,
    pub pack: &'a Pack,
}

impl MissingPlan<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids: Vec<&str> = self
            .pack
            .plans
            .iter()
            .map(|p| p.id.value.as_str())
            .collect();
        Finding::new(
            Code::MissingPlan,
            format!(
                "{} has plans and this file names none: its matrix differs by plan",
                self.pack.name
            ),
        )
        .at(src, self.provider_value, "this provider needs a `plan`")
        .help(format!(
            "add `plan:` with the plan you subscribe to, one of {}",
            quoted_list(ids)
        ))
        .provider(self.pack.id())
    }
}

pub struct UnknownPlan<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownPlan<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let finding = if self.pack.plans.is_empty() {
            Finding::new(
                Code::UnknownPlan,
                format!(
                    "{} has no plans, but this file names plan `{}`",
                    self.pack.name, self.written.value
                ),
            )
            .at(src, self.written.span, "this provider has no plans")
            .help("remove the `plan:` line")
        } else {
            let ids = self.pack.plans.iter().map(|p| p.id.value.as_str());
            Finding::new(
                Code::UnknownPlan,
                format!("{} has no plan `{}`", self.pack.name, self.written.value),
            )
            .at(src, self.written.span, "unknown plan")
            .help(did_you_mean_or(&self.written.value, ids, "its plans", ""))
        };
        finding
            .provider(self.pack.id())
            .subject(self.written.value.clone())
    }
}

pub struct UnknownProduct<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownProduct<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids = self.pack.products.iter().map(|p| p.id.value.as_str());
        Finding::new(
            Code::UnknownProduct,
            format!("{} has no product `{}`", self.pack.name, self.written.value),
        )
        .at(src, self.written.span, "unknown product")
        .help(did_you_mean_or(
            &self.written.value,
            ids,
            "its products",
            &format!("{} has no products: remove `products`", self.pack.name),
        ))
        .provider(self.pack.id())
        .subject(self.written.value.clone())
    }
}

pub struct UnknownActivity<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownActivity<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids = self.pack.activities.iter().map(|a| a.id());
        let help = match suggest::hint(&self.written.value, ids) {
            Some(hint) => hint,
            None => format!(
                "`raci-lint explain` and the {} rule pack list its activity ids",
                self.pack.name
            ),
        };
        Finding::new(
            Code::UnknownActivity,
            format!(
                "unknown activity `{}`: {} has no such activity",
                self.written.value, self.pack.name
            ),
        )
        .at(src, self.written.span, "not an activity of this provider")
        .help(help)
        .provider(self.pack.id())
        .subject(self.written.value.clone())
    }
}

pub struct ActivityNotInPlan<'a> {
    pub key: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub plan: &'a Sp<String>,
}

impl ActivityNotInPlan<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::ActivityNotInPlan,
            format!(
                "{} is not on the {} plan: {} lists it for {} only",
                activity_name(self.activity),
                self.plan.value,
                self.pack.name,
                self.activity.plans_text()
            ),
        )
        .at(src, self.key, "not part of this plan")
        .also(self.plan.span, "the file's plan")
        .help(format!(
            "remove `{}` from `responsibilities`, or change `plan` if you subscribe to another plan",
            self.activity.id()
        ))
        .provider(self.pack.id())
        .activity(self.activity.id())
    }
}

pub struct ProductNotDeclared<'a> {
    pub key: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub product: &'a str,
}

impl ProductNotDeclared<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::ProductNotDeclared,
            format!(
                "{} belongs to the {} product `{}`, which this file does not declare",
                activity_name(self.activity),
                self.pack.name,
                self.product
            ),
        )
        .at(src, self.key, "product activity")
        .help(format!(
            "add `{}` to `products`, or remove this declaration",
            self.product
        ))
        .provider(self.pack.id())
        .activity(self.activity.id())
    }
}

pub struct ClaimsProviderDuty<'a> {
    pub span: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub plan: Option<&'a str>,
    /// The roles claimed that the customer share lacks.
    pub claimed: RoleSet,
    pub teams: Vec<&'a str>,
    pub shorthand: bool,
}

impl ClaimsProviderDuty<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let a = self.activity;
        let provider_roles = a.provider.value;
        let share = a.customer.value;
        let teams = quoted_list(self.teams.iter().copied());
        let team_word = if self.teams.len() == 1 {
            "team"
        } else {
            "teams"
        };
        let what = if self.shorthand {
            "to hold it".to_owned()
        } else {
            self.claimed.names()
        };
        let message = format!(
            "{} is {}'s duty{}: {}, {}; yet {team_word} {teams} {} declared {what}",
            activity_name(a),
            self.pack.name,
            on_plan(self.plan),
            holds(&self.pack.name, provider_roles),
            holds("the customer", share),
            if self.teams.len() == 1 { "is" } else { "are" },
        );
        let allowed = share.intersection(RoleSet::DUTY).is_empty();
        let help = if self.shorthand && allowed {
            format!(
                "remove this line, or keep the team informed with `{}: {{ informed: {} }}`; if your contract with {} differs, add a waiver with the reason",
                a.id(),
                self.teams.first().copied().unwrap_or("team"),
                self.pack.name
            )
        } else {
            format!(
                "drop the {} role{} here (the customer may be {}), or add a waiver with the reason if your contract with {} differs",
                self.claimed.letters(),
                if self.claimed.iter().count() == 1 {
                    ""
                } else {
                    "s"
                },
                share.claimable().names(),
                self.pack.name
            )
        };
        Finding::new(Code::ClaimsProviderDuty, message)
            .at(src, self.span, format!("claims {}'s duty", self.pack.name))
            .help(help)
            .provider(self.pack.id())
            .activity(a.id())
    }
}

pub struct MultipleAccountable<'a> {
    pub span: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub teams: Vec<&'a str>,
}

impl MultipleAccountable<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::MultipleAccountable,
            format!(
                "{} has {} accountable teams ({}): exactly one team is accountable for an activity",
                activity_name(self.activity),
                self.teams.len(),
                quoted_list(self.teams.iter().copied())
            ),
        )
        .at(src, self.span, "more than one accountable team")
        .help("keep one team under `accountable`; the others can be `responsible` or `consulted`")
        .provider(self.pack.id())
        .activity(self.activity.id())
    }
}

pub struct UnknownTeam<'a> {
    pub team: &'a Sp<String>,
    pub registry: &'a [&'a str],
    pub provider: &'a str,
    pub activity: Option<&'a str>,
}

impl UnknownTeam<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let mut finding = Finding::new(
            Code::UnknownTeam,
            format!(
                "team `{}` is not in this file's `teams` registry",
                self.team.value
            ),
        )
        .at(src, self.team.span, "unknown team")
        .help(
            did_you_mean_or(
                &self.team.value,
                self.registry.iter().copied(),
                "registered teams",
                "the registry is empty",
            ) + "; or add the team under `teams`",
        )
        .provider(self.provider)
        .subject(self.team.value.clone());
        if let Some(activity) = self.activity {
            finding = finding.activity(activity);
        }
        finding
    }
}

/// A declaration still holding `raci-lint init`'s placeholder team: the duty has no team yet.
pub struct PlaceholderTeam<'a> {
    pub team: &'a Sp<String>,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
}

impl PlaceholderTeam<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let a = self.activity;
        Finding::new(
            Code::UnownedDuty,
            format!(
                "no team holds {} yet: `{}` is the placeholder `raci-lint init` wrote; {}",
                activity_name(a),
                self.team.value,
                holds("the customer", a.customer.value),
            ),
        )
        .at(src, self.team.span, "placeholder")
        .help(format!(
            "replace `{}` with the team that holds the customer's {}",
            self.team.value,
            a.customer.value.intersection(RoleSet::DUTY).names()
        ))
        .provider(self.pack.id())
        .activity(a.id())
    }
}

pub struct UnownedDuty<'a> {
    pub anchor: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub plan: Option<&'a str>,
    pub service: Option<&'a str>,
    pub missing: RoleSet,
    /// The activity is declared, but without every R/A role.
    pub declared: bool,
}

impl UnownedDuty<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let a = self.activity;
        let service = self
            .service
            .map(|s| format!(" for service `{s}`"))
            .unwrap_or_default();
        let help = if self.declared {
            let keys: Vec<&str> = self.missing.iter().map(|r| r.key()).collect();
            format!(
                "add {} to `{}` under `responsibilities`",
                keys.iter()
                    .map(|k| format!("`{k}: <team>`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                a.id()
            )
        } else {
            format!(
                "add `{}: <team>` under `responsibilities` to name the team that holds it",
                a.id()
            )
        };
        Finding::new(
            Code::UnownedDuty,
            format!(
                "no team holds the customer's {} role{} for {}{}{}: {}, {}",
                self.missing.names(),
                if self.missing.iter().count() == 1 {
                    ""
                } else {
                    "s"
                },
                activity_name(a),
                service,
                on_plan(self.plan),
                holds("the customer", a.customer.value),
                holds(&self.pack.name, a.provider.value),
            ),
        )
        .at(src, self.anchor, format!("no team for {}", a.id()))
        .help(help)
        .provider(self.pack.id())
        .activity(a.id())
    }
}

pub struct ActivityOverridden<'a> {
    pub key: Span,
    pub activity: &'a Activity,
    pub pack: &'a Pack,
    pub replacements: Vec<&'a Activity>,
}

impl ActivityOverridden<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let instead: Vec<&str> = self.replacements.iter().map(|a| a.id()).collect();
        Finding::new(
            Code::ActivityOverridden,
            format!(
                "{} does not apply: every product this file declares replaces it with its own activity",
                activity_name(self.activity),
            ),
        )
        .at(src, self.key, "replaced by a product activity")
        .help(format!(
            "declare {} instead",
            quoted_list(instead.iter().copied())
        ))
        .provider(self.pack.id())
        .activity(self.activity.id())
    }
}

pub struct NoOwnershipFiles<'a> {
    pub paths: &'a [String],
    pub globs: &'a [String],
}

impl NoOwnershipFiles<'_> {
    pub fn report(self) -> Finding {
        Finding::new(
            Code::NoOwnershipFiles,
            format!(
                "no ownership files found under {}",
                quoted_list(self.paths.iter().map(String::as_str))
            ),
        )
        .help(format!(
            "raci-lint looks for files matching {} (ignoring what .gitignore ignores); create one, e.g. `raci.yaml` with `provider: sysbee`",
            quoted_list(self.globs.iter().map(String::as_str))
        ))
        .at_path(self.paths.first().cloned().unwrap_or_else(|| ".".into()))
    }
}

pub struct IoError<'a> {
    pub path: &'a str,
    pub error: String,
}

impl IoError<'_> {
    pub fn report(self) -> Finding {
        Finding::new(
            Code::IoError,
            format!("cannot read `{}`: {}", self.path, self.error),
        )
        .at_path(self.path)
    }
}

/// Pack validation findings: small enough to share one type with a code per problem.
pub struct PackProblem<'a> {
    pub code: Code,
    pub span: Span,
    pub label: &'a str,
    pub message: String,
    pub help: Option<String>,
    pub provider: &'a str,
    pub activity: Option<&'a str>,
}

impl PackProblem<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let mut finding = Finding::new(self.code, self.message)
            .at(src, self.span, self.label)
            .provider(self.provider);
        if let Some(help) = self.help {
            finding = finding.help(help);
        }
        if let Some(activity) = self.activity {
            finding = finding.activity(activity);
        }
        finding
    }
}

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
            "leave this to {}, or record why with `raci-lint: allow({}) <reason>` in a comment on this line or the line above, or a waiver in `{}`",
            self.pack.name,
            a.id(),
            self.owner.source.path
        ))
        .provider(self.pack.id())
        .activity(a.id())
        .subject(format!("{}\n{}", self.rule, fingerprint_line(self.line_text)));
        finding.related.push(Related {
            source: Arc::clone(&self.owner.source),
            label: super::Label {
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

pub struct UnusedBaselineEntry<'a> {
    pub entry: &'a crate::baseline::Entry,
    pub span: Option<Span>,
}

impl UnusedBaselineEntry<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let e = self.entry;
        let mut what = format!("`{}`", e.code);
        if let Some(activity) = &e.activity {
            what.push_str(&format!(" for {activity}"));
        }
        if let Some(path) = &e.path {
            what.push_str(&format!(" in {path}"));
        }
        let mut f = Finding::new(
            Code::UnusedBaselineEntry,
            format!("baseline entry {what} matches no finding"),
        )
        .help("the finding is fixed or its file moved; write the baseline again with `--write-baseline FILE` to drop the entry")
        .subject(e.fingerprint.clone());
        f = match self.span {
            Some(span) => f.at(src, span, "matches nothing"),
            None => f.at_path(src.path.clone()),
        };
        if let Some(p) = &e.provider {
            f = f.provider(p.clone());
        }
        if let Some(a) = &e.activity {
            f = f.activity(a.clone());
        }
        f
    }
}

/// A config file path (`packs`, `baseline`) that leads outside the repository.
pub struct OutsideRepository<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub span: Span,
    pub root: &'a str,
}

impl OutsideRepository<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::OutsideRepository,
            format!(
                "`{}` entry `{}` leads outside the repository; it is not read",
                self.key, self.value
            ),
        )
        .at(src, self.span, "outside the repository")
        .help(format!(
            "paths in the config file must stay inside the repository ({}) once links are resolved; name a file elsewhere on the command line instead",
            self.root
        ))
    }

    /// The config file found in the repository is a link out of it.
    pub fn config_file(path: &str, root: &str) -> Finding {
        Finding::new(
            Code::OutsideRepository,
            format!("the config file `{path}` leads outside the repository; it is not read"),
        )
        .at_path(path)
        .help(format!(
            "a config file found in the repository ({root}) must be a file inside it; name one elsewhere with --config"
        ))
    }

    /// A file inside a pack folder named by the config file that is a link out of the
    /// repository.
    pub fn inside_folder(path: &str, root: &str) -> Finding {
        Finding::new(
            Code::OutsideRepository,
            format!("`{path}` leads outside the repository; it is not read"),
        )
        .at_path(path)
        .help(format!(
            "a pack folder named in the config file may only hold files inside the repository ({root}) once links are resolved"
        ))
    }
}

/// The run reached `max-findings`.
pub struct TooManyFindings {
    pub kept: usize,
    pub dropped: usize,
    pub max: usize,
}

impl TooManyFindings {
    pub fn report(self) -> Finding {
        Finding::new(
            Code::TooManyFindings,
            format!(
                "{} more findings past `max-findings` ({}) were counted, not shown; the summary and the exit status include them",
                self.dropped, self.max
            ),
        )
        .help(format!(
            "the first {} findings in output order are shown; fix or waive the most frequent ones, or raise `max-findings` in the config file",
            self.kept
        ))
    }
}

/// An ownership file past a per-file limit.
pub struct LimitExceeded {
    pub what: &'static str,
    pub limit: usize,
    pub count: usize,
    pub span: Span,
}

impl LimitExceeded {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::LimitExceeded,
            format!(
                "this file has {} {}, more than the limit of {}; those past it are not used",
                self.count, self.what, self.limit
            ),
        )
        .at(src, self.span, "the first past the limit")
        .subject(self.what)
        .help(format!(
            "keep at most {} {} in one ownership file: split it, or use fewer, broader entries",
            self.limit, self.what
        ))
    }
}

/// A file named on the command line that nothing checks.
pub struct NamedFileUnchecked<'a> {
    pub path: &'a str,
    /// Evidence is off (`--no-evidence`), rather than no scope covering the file.
    pub evidence_off: bool,
}

impl NamedFileUnchecked<'_> {
    pub fn report(self) -> Finding {
        let (message, help) = if self.evidence_off {
            (
                format!(
                    "`{}` is not an ownership file, and the evidence scan is off: nothing checks it",
                    self.path
                ),
                "drop --no-evidence (or `evidence: false`) to scan it for evidence".to_owned(),
            )
        } else {
            (
                format!(
                    "no ownership file's scope covers `{}`: nothing checks it",
                    self.path
                ),
                "add a `raci.yaml` in its folder or above, or widen a `scope` to cover it"
                    .to_owned(),
            )
        };
        Finding::new(Code::NoOwnershipFiles, message)
            .help(help)
            .at_path(self.path)
    }
}
