//! One type per kind of finding, each turning its facts into a located
//! [`Finding`](super::Finding): every message and help text raci-lint prints is written here and
//! nowhere else, one file per family of findings. Checks and loaders pass facts; these types
//! word them.

mod evidence;
mod pack;
mod raci;
mod references;
mod run;
mod waivers;
mod yaml;

pub use evidence::*;
pub use pack::*;
pub use raci::*;
pub use references::*;
pub use run::*;
pub use waivers::*;
pub use yaml::*;

use crate::model::{Activity, RoleSet};
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

/// The plans an activity is on, in a sentence: "every plan", "the self-service plan", "the
/// self-service, on-request plans".
pub fn plans_text(activity: &Activity) -> String {
    match activity.plan_ids() {
        None => "every plan".to_owned(),
        Some(ids) => {
            let plural = if ids.len() == 1 { "plan" } else { "plans" };
            format!("the {} {plural}", ids.join(", "))
        }
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
