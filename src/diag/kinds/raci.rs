//! Wording of the RACI findings about an ownership file's declarations: unknown activities,
//! activities that do not apply (plan, product, override), claims on the provider's duties,
//! accountability, teams, placeholders and unowned duties.

use std::sync::Arc;

use super::{activity_name, did_you_mean_or, holds, on_plan, plans_text, quoted_list};
use crate::diag::{Code, Finding};
use crate::model::{Activity, Pack, RoleSet};
use crate::source::{SourceFile, Sp, Span};
use crate::suggest;

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
                plans_text(self.activity)
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
    /// The other claims on the provider's duties in the declaration, after the first.
    pub also: Vec<Span>,
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
        let allowed = a.customer_duty().is_empty();
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
        let mut finding = Finding::new(Code::ClaimsProviderDuty, message)
            .at(src, self.span, format!("claims {}'s duty", self.pack.name))
            .help(help)
            .provider(self.pack.id())
            .activity(a.id());
        for span in self.also {
            finding = finding.also(span, "also claimed");
        }
        finding
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
            a.customer_duty().names()
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
