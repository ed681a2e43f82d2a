//! The RACI semantics of an ownership file (DESIGN section 3): which activities apply, what each
//! declaration may claim, and which duties no team holds. One cause, one finding: an activity
//! whose declaration already has a finding is not also reported as unowned.

use std::collections::{BTreeMap, BTreeSet};

use super::references::FileContext;
use crate::diag::fix::title;
use crate::diag::kinds::{
    ActivityNotInPlan, ActivityOverridden, ClaimsProviderDuty, MultipleAccountable,
    PlaceholderTeam, ProductNotDeclared, UnknownActivity, UnknownTeam, UnownedDuty,
};
use crate::diag::{Fix, Sink};
use crate::fix::edits;
use crate::model::ownership::{DeclarationForm, PLACEHOLDER};
use crate::model::{Activity, Applicability, Declaration, Pack, Role, RoleSet};

pub fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let file = ctx.file;
    let pack: &Pack = ctx.pack;
    let src = &file.source;
    let products: BTreeSet<&str> = file.products().map(|p| p.value.as_str()).collect();
    // Roles covered by a team, per declared activity; `None` once a finding was reported.
    let mut covered: BTreeMap<&str, Option<RoleSet>> = BTreeMap::new();

    let declared: BTreeSet<&str> = file
        .declarations()
        .iter()
        .map(|d| d.activity.value.as_str())
        .collect();
    for decl in file.declarations() {
        let Some(activity) = pack.activity(&decl.activity.value) else {
            // A rename onto an activity declared already would be a duplicate key.
            let ids = pack
                .activities
                .iter()
                .map(Activity::id)
                .filter(|id| !declared.contains(id));
            sink.push(
                UnknownActivity {
                    written: &decl.activity,
                    pack,
                }
                .report(src)
                .with_fix(edits::did_you_mean(&src.text, &decl.activity, ids)),
            );
            continue;
        };
        let id = activity.id();
        let key = decl.activity.span;
        let inapplicable = match pack.applicability(activity, ctx.plan, &products) {
            Applicability::Applies => None,
            Applicability::ProductNotDeclared(product) => Some(
                ProductNotDeclared {
                    key,
                    activity,
                    pack,
                    product,
                }
                .report(src)
                .with_fix(
                    edits::add_product(file, product)
                        .map(|edit| Fix::unsafe_(title::add_product(product), vec![edit])),
                ),
            ),
            Applicability::NotOnPlan => file.plan.as_ref().map(|plan| {
                ActivityNotInPlan {
                    key,
                    activity,
                    pack,
                    plan: &plan.value,
                }
                .report(src)
            }),
            Applicability::Overridden(replacements) => {
                let fix = match replacements.as_slice() {
                    [only] if !declared.contains(only.id()) => {
                        let product = only.product.as_ref().map_or("", |p| p.value.as_str());
                        edits::rename(&src.text, decl.activity.span, only.id()).map(|edit| {
                            Fix::safe(title::overridden(only.id(), product), vec![edit])
                        })
                    }
                    _ => None,
                };
                Some(
                    ActivityOverridden {
                        key,
                        activity,
                        pack,
                        replacements,
                    }
                    .report(src)
                    .with_fix(fix),
                )
            }
        };
        if let Some(finding) = inapplicable {
            sink.push(finding);
            covered.insert(id, None);
            continue;
        }
        let before = sink.findings().len();
        let roles = check_declaration(ctx, decl, activity, sink);
        let clean = sink.findings().len() == before;
        covered.insert(id, clean.then_some(roles));
    }

    let anchor = file.anchor();
    for activity in &pack.activities {
        if !activity.is_duty() || !pack.applies(activity, ctx.plan, &products) {
            continue;
        }
        let declared = covered.get(activity.id());
        let roles = match declared {
            Some(None) => continue,
            Some(Some(roles)) => *roles,
            None => RoleSet::EMPTY,
        };
        let missing = activity.unowned(roles);
        if !missing.is_empty() {
            sink.push(
                UnownedDuty {
                    anchor,
                    activity,
                    pack,
                    plan: ctx.plan,
                    service: file.service(),
                    missing,
                    declared: declared.is_some(),
                }
                .report(src),
            );
        }
    }
}

/// Checks one declaration of an applicable activity; returns the R/A roles it gives a team.
fn check_declaration(
    ctx: &FileContext<'_>,
    decl: &Declaration,
    activity: &Activity,
    sink: &mut Sink,
) -> RoleSet {
    let file = ctx.file;
    let pack: &Pack = ctx.pack;
    let src = &file.source;
    let share = activity.customer.value;

    // `init`'s placeholder where a duty's team goes (the shorthand, or an R or A the customer
    // holds): the duty has no team yet, and nothing else is said about the declaration.
    // Anywhere else it is an ordinary team name and gets the usual checks.
    let duty = activity.customer_duty();
    let placeholder = match &decl.form {
        DeclarationForm::Shorthand(team) => {
            (!duty.is_empty() && team.value == PLACEHOLDER).then_some(team)
        }
        DeclarationForm::Explicit(claims) => claims
            .iter()
            .filter(|c| duty.contains(c.role))
            .flat_map(|c| &c.teams)
            .find(|t| t.value == PLACEHOLDER),
    };
    if let Some(team) = placeholder {
        sink.push(
            PlaceholderTeam {
                team,
                activity,
                pack,
            }
            .report(src),
        );
        return RoleSet::EMPTY;
    }

    if let Some(registry) = &file.teams {
        let names: Vec<&str> = registry
            .value
            .value
            .iter()
            .map(|t| t.name.value.as_str())
            .collect();
        let known: std::collections::HashSet<&str> = names.iter().copied().collect();
        let mut reported = BTreeSet::new();
        for team in decl.teams() {
            // One finding per unknown team and declaration, at its first mention.
            if !known.contains(team.value.as_str()) && reported.insert(team.value.as_str()) {
                sink.push(
                    UnknownTeam {
                        team,
                        registry: &names,
                        provider: pack.id(),
                        activity: Some(activity.id()),
                    }
                    .report(src)
                    .with_fix(edits::did_you_mean(
                        &src.text,
                        team,
                        names.iter().copied(),
                    )),
                );
            }
        }
    }

    match &decl.form {
        DeclarationForm::Shorthand(team) => {
            if duty.is_empty() {
                let fix = edits::to_informed(&src.text, decl, &[])
                    .map(|edits| Fix::unsafe_(title::informed(&[team.value.as_str()]), edits));
                sink.push(
                    ClaimsProviderDuty {
                        span: decl.span,
                        activity,
                        pack,
                        plan: ctx.plan,
                        claimed: RoleSet::DUTY,
                        teams: vec![team.value.as_str()],
                        shorthand: true,
                        also: Vec::new(),
                    }
                    .report(src)
                    .with_fix(fix),
                );
            }
            duty
        }
        DeclarationForm::Explicit(claims) => {
            let mut roles = RoleSet::EMPTY;
            let offending: Vec<_> = claims
                .iter()
                .filter(|c| !c.teams.is_empty() && activity.held_by_provider(c.role))
                .collect();
            if let Some(first) = offending.first() {
                let claimed: RoleSet = offending.iter().map(|c| c.role).collect();
                let mut teams: Vec<&str> = Vec::new();
                for team in offending.iter().flat_map(|c| &c.teams) {
                    if !teams.contains(&team.value.as_str()) {
                        teams.push(&team.value);
                    }
                }
                let fix = edits::to_informed(&src.text, decl, &offending)
                    .map(|edits| Fix::unsafe_(title::informed(&teams), edits));
                sink.push(
                    ClaimsProviderDuty {
                        span: first.span,
                        activity,
                        pack,
                        plan: ctx.plan,
                        claimed,
                        teams,
                        shorthand: false,
                        also: offending[1..].iter().map(|c| c.span).collect(),
                    }
                    .report(src)
                    .with_fix(fix),
                );
            }
            for claim in claims {
                if claim.teams.is_empty() {
                    continue;
                }
                roles.insert(claim.role);
                // An Accountable claim the customer cannot make is already claims-provider-duty.
                if claim.role == Role::Accountable && share.contains(Role::Accountable) {
                    let distinct: BTreeSet<&str> =
                        claim.teams.iter().map(|t| t.value.as_str()).collect();
                    if distinct.len() > 1 {
                        sink.push(
                            MultipleAccountable {
                                span: claim.value_span,
                                activity,
                                pack,
                                teams: claim.teams.iter().map(|t| t.value.as_str()).collect(),
                            }
                            .report(src),
                        );
                    }
                }
            }
            roles.intersection(RoleSet::DUTY)
        }
    }
}
