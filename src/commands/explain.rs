//! `raci-lint explain CODE | PROVIDER/ACTIVITY-ID | ACTIVITY-ID`: a code's meaning, example and
//! fix (from `diag::explain`, the same place SARIF's help text comes from), or an activity's
//! title, plans, both parties' roles, the source's comment and its evidence rules.

use std::fmt::Write;

use super::{Refusal, wrap};
use crate::diag::Code;
use crate::diag::explain::explain;
use crate::model::{Activity, Pack, Packs, RoleSet};
use crate::suggest;

const WIDTH: usize = 80;

/// The explanation of `what`, or a refusal with did-you-mean.
pub fn run(what: &str, packs: &Packs) -> Result<String, Refusal> {
    if let Some(code) = Code::from_name(what) {
        return Ok(code_text(code));
    }
    if let Some((provider, id)) = what.split_once('/')
        && let Some(pack) = packs.get(provider)
    {
        return match pack.activity(id) {
            Some(activity) => Ok(activity_text(pack, activity)),
            None => Err(super::unknown(
                &format!("{} activity", pack.name),
                id,
                pack.activities.iter().map(Activity::id),
            )),
        };
    }
    let found: Vec<(&Pack, &Activity)> = packs
        .by_id
        .values()
        .filter_map(|pack| pack.activity(what).map(|a| (&**pack, a)))
        .collect();
    match found.as_slice() {
        [] => Err(not_found(what, packs)),
        [(pack, activity)] => Ok(activity_text(pack, activity)),
        several => {
            let ids: Vec<String> = several
                .iter()
                .map(|(p, a)| format!("{}/{}", p.id(), a.id()))
                .collect();
            let mut out = format!(
                "`{what}` is an activity of {} providers: {}\n",
                several.len(),
                ids.join(", ")
            );
            for (pack, activity) in several {
                out.push('\n');
                out.push_str(&activity_text(pack, activity));
            }
            Ok(out)
        }
    }
}

fn not_found(what: &str, packs: &Packs) -> Refusal {
    let mut names: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_owned()).collect();
    for pack in packs.by_id.values() {
        for activity in &pack.activities {
            names.push(activity.id().to_owned());
            names.push(format!("{}/{}", pack.id(), activity.id()));
        }
    }
    let help = suggest::hint(what, names.iter().map(String::as_str)).unwrap_or_else(|| {
        "give a diagnostic code (`raci-lint --help` shows where they are listed), an activity id, or PROVIDER/ACTIVITY-ID; `raci-lint matrix PROVIDER` lists the activities".to_owned()
    });
    Refusal::new(format!(
        "`{what}` is neither a diagnostic code nor an activity id"
    ))
    .help(help)
}

/// A code: default severity and summary, then meaning, example and fix.
pub fn code_text(code: Code) -> String {
    let e = explain(code);
    let mut out = format!(
        "{code} ({} by default): {}\n\n",
        code.default_severity().as_str(),
        code.summary()
    );
    out.push_str(&wrap(e.meaning, WIDTH, ""));
    out.push_str("\nExample:\n");
    for line in e.example.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out.push_str("\nFix:\n");
    out.push_str(&wrap(e.fix, WIDTH, "    "));
    out
}

/// An activity: its title and id, category, plans, product, both parties' roles, whether it is
/// a duty, the source's comment and the evidence rules that look for it.
pub fn activity_text(pack: &Pack, activity: &Activity) -> String {
    let mut out = format!("{}/{}: {}\n\n", pack.id(), activity.id(), activity.title);
    let pad = pack.name.chars().count().max(9) + 1;
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "  {:<pad$} {value}", format!("{name}:"));
    };
    field("provider", format!("{} ({})", pack.name, pack.id()));
    field("category", activity.category.clone());
    if !pack.plans.is_empty() {
        field("plans", plans(activity));
    }
    if let Some(product) = &activity.product {
        field("product", product.value.clone());
    }
    if let Some(overrides) = &activity.overrides {
        field(
            "overrides",
            format!("{} (for this product)", overrides.value),
        );
    }
    field(&pack.name, roles(activity.provider.value));
    field("customer", roles(activity.customer.value));
    let duty = activity.customer.value.intersection(RoleSet::DUTY);
    let duty = if duty.is_empty() {
        format!(
            "no: {} holds it; a team declared for R or A is claims-provider-duty",
            pack.name
        )
    } else {
        format!(
            "yes: an ownership file names a team as {} (else unowned-duty)",
            duty.names()
        )
    };
    field("duty", duty);
    if let Some(comment) = &activity.comment {
        out.push_str("\nComment (from the source):\n");
        out.push_str(&wrap(comment, WIDTH, "    "));
    }
    if !activity.evidence.is_empty() {
        out.push_str("\nEvidence rules (performs-provider-duty):\n");
        for rule in &activity.evidence {
            let at = pack.source.line_col(rule.id.span.start);
            let _ = writeln!(out, "  {}", rule.id.value);
            if let Some(description) = &rule.description {
                out.push_str(&wrap(description, WIDTH, "    "));
            }
            const SHOWN: usize = 6;
            let files: Vec<&str> = rule
                .files
                .iter()
                .take(SHOWN)
                .map(|g| g.value.as_str())
                .collect();
            let mut line = format!("files: {}", files.join(" "));
            if rule.files.len() > SHOWN {
                line.push_str(&format!(" … ({} globs)", rule.files.len()));
            }
            if !rule.exclude.is_empty() {
                line.push_str(&format!(", {} excluded", rule.exclude.len()));
            }
            line.push_str(&format!(
                "; every glob and the pattern: {}:{}",
                pack.source.path, at.line
            ));
            out.push_str(&wrap(&line, WIDTH, "    "));
        }
    }
    out
}

/// "self-service, on-request" or "every plan".
pub fn plans(activity: &Activity) -> String {
    match &activity.plans {
        None => "every plan".to_owned(),
        Some(plans) => plans
            .value
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// "R, A (Responsible and Accountable)" or "no role".
fn roles(set: crate::model::RoleSet) -> String {
    if set.is_empty() {
        "no role".to_owned()
    } else {
        format!("{} ({})", set.letters(), set.names())
    }
}
