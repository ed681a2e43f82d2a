//! `raci-lint init`: a new ownership file listing every duty of a plan and products, each held
//! by the placeholder team until someone names the real one. `check` reports a placeholder as
//! an unowned duty, so the file is flagged until it is filled in and accepted once it is.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use super::{PackOptions, Refusal, plan_and_products};
use crate::model::Packs;
use crate::model::ownership::PLACEHOLDER;

/// `raci-lint init`'s options.
#[derive(Debug)]
pub struct InitOptions {
    pub provider: Option<String>,
    pub plan: Option<String>,
    pub products: Vec<String>,
    /// Where to write the file; `-` is standard output.
    pub output: PathBuf,
    /// Replace the file if it exists.
    pub force: bool,
    pub packs: PackOptions,
}

/// The file's text for `provider`, `plan` and `products`.
pub fn run(
    packs: &Packs,
    provider: Option<&str>,
    plan: Option<&str>,
    products: &[String],
) -> Result<String, Refusal> {
    let Some(provider) = provider else {
        let ids: Vec<&str> = packs.ids().collect();
        return Err(Refusal::new("name the provider with --provider")
            .help(format!("providers: {}", ids.join(", "))));
    };
    let pack = super::provider(packs, provider)?;
    plan_and_products(pack, plan, products, true)?;
    let chosen: BTreeSet<&str> = products.iter().map(String::as_str).collect();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Ownership file for {} ({}), written by `raci-lint init`.",
        pack.name,
        pack.id()
    );
    let _ = writeln!(
        out,
        "# Each line below is a duty: the customer holds R (Responsible) or A (Accountable)."
    );
    let _ = writeln!(
        out,
        "# Replace every {PLACEHOLDER} with the team that holds it; `raci-lint check` reports a {PLACEHOLDER} as"
    );
    let _ = writeln!(
        out,
        "# unowned-duty until then. `raci-lint explain ACTIVITY` tells more about each one."
    );
    out.push_str("# service: my-service\n");
    let _ = writeln!(out, "provider: {}", pack.id());
    if let Some(plan) = plan {
        let _ = writeln!(out, "plan: {plan}");
    }
    if !pack.offerings.is_empty() {
        let ids: Vec<&str> = pack.offerings.iter().map(|o| o.id.value.as_str()).collect();
        let _ = writeln!(out, "# offering: {}   # one of: {}", ids[0], ids.join(", "));
    }
    if !products.is_empty() {
        let _ = writeln!(out, "products: [{}]", products.join(", "));
    }
    out.push_str(
        "# teams:                  # optional: when present, every team used must be listed\n",
    );
    out.push_str("#   platform: { contact: \"platform@example.com\" }\n");
    out.push_str("responsibilities:\n");

    let mut category: Option<&str> = None;
    let mut duties = 0;
    for activity in &pack.activities {
        if !activity.is_duty() || !pack.applies(activity, plan, &chosen) {
            continue;
        }
        if category != Some(activity.category.as_str()) {
            if category.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "  # --- {} ---", activity.category);
            category = Some(&activity.category);
        }
        let share = activity.customer.value;
        let _ = writeln!(
            out,
            "  # {} (customer: {}{})",
            activity.title.replace(['\n', '\r'], " "),
            share.letters(),
            if activity.customer_duty() == share {
                String::new()
            } else {
                "; the team holds all of them".to_owned()
            }
        );
        let _ = writeln!(out, "  {}: {PLACEHOLDER}", activity.id());
        duties += 1;
    }
    if duties == 0 {
        out.push_str("  {}   # no customer duty applies to this plan and these products\n");
    }
    Ok(out)
}
