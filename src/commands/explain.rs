//! `raci-lint explain [CODE | PROVIDER | PROVIDER/ACTIVITY-ID | ACTIVITY-ID]`: every code with
//! its default severity (no argument); a code's meaning, example and fix (from `diag::explain`,
//! the same place SARIF's help text comes from); a provider's activities with both parties'
//! roles; or an activity's title, plans, roles, the source's comment and its evidence rules.

use std::fmt::Write;

use super::Refusal;
use crate::diag::Code;
use crate::diag::explain::explain;
use crate::model::{Activity, Pack, Packs, RoleSet};
use crate::suggest;
use crate::wrap::wrap;

const WIDTH: usize = 80;

/// The explanation of `what`, or a refusal with did-you-mean. With no argument, the command
/// prints [`codes_text`], which needs no pack.
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
    if let Some(pack) = packs.get(what) {
        let mut out = provider_text(pack);
        // A user pack may name its provider like an activity of another: say how to get it.
        for (other, activity) in &found {
            let _ = writeln!(
                out,
                "\n`{what}` is also an activity of {}: `raci-lint explain {}/{}`",
                other.name,
                other.id(),
                activity.id()
            );
        }
        return Ok(out);
    }
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
        names.push(pack.id().to_owned());
        for activity in &pack.activities {
            names.push(activity.id().to_owned());
            names.push(format!("{}/{}", pack.id(), activity.id()));
        }
    }
    let help = suggest::hint(what, names.iter().map(String::as_str)).unwrap_or_else(|| {
        "give a diagnostic code, a provider, an activity id or PROVIDER/ACTIVITY-ID; `raci-lint explain` lists the codes, `raci-lint providers` the providers".to_owned()
    });
    Refusal::new(format!(
        "`{what}` is not a diagnostic code, a provider or an activity id"
    ))
    .help(help)
}

/// Every code, one line each: name, default severity, summary.
pub fn codes_text() -> String {
    let name_width = Code::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    let severity_width = Code::ALL
        .iter()
        .map(|c| c.default_severity().as_str().len())
        .max()
        .unwrap_or(0);
    let mut out = "Every diagnostic code, its default severity and what it means:\n\n".to_owned();
    for code in Code::ALL {
        let _ = writeln!(
            out,
            "  {:<name_width$}  {:<severity_width$}  {}",
            code.as_str(),
            code.default_severity().as_str(),
            code.summary()
        );
    }
    // The command on a line of its own, so that it is never split.
    out.push_str("\n`raci-lint explain CODE` tells more about one, with an example and the fix.\n");
    out.push_str("The config file's `severity` map changes a code's severity.\n");
    out
}

/// A provider: what it offers, then each activity with both parties' roles, by category.
pub fn provider_text(pack: &Pack) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let duties = pack.activities.iter().filter(|a| a.is_duty()).count();
    let mut out = format!(
        "{} ({}): {}, {}\n",
        pack.id(),
        pack.name,
        count(pack.activities.len(), "activity", "activities"),
        count(duties, "customer duty", "customer duties"),
    );
    if let Some(source) = &pack.description {
        out.push_str(&hanging("  source: ", source, 4, WIDTH));
    }
    for (what, named) in [
        ("plans", &pack.plans),
        ("products", &pack.products),
        ("offerings", &pack.offerings),
    ] {
        if !named.is_empty() {
            let ids: Vec<&str> = named.iter().map(|n| n.id.value.as_str()).collect();
            out.push_str(&hanging(&format!("  {what}: "), &ids.join(", "), 4, WIDTH));
        }
    }
    out.push('\n');
    out.push_str(&wrap(
        "Roles: R Responsible, A Accountable, C Consulted, I Informed. A customer R or A is a duty: an ownership file names a team for it.",
        WIDTH,
        "",
    ));
    // The provider's column is headed by its name, unless a long name would push the titles
    // off the line.
    let heading = if pack.name.chars().count() <= 16 {
        pack.name.as_str()
    } else {
        "provider"
    };
    let provider_width = heading.chars().count().max(7);
    let customer_width = "customer".len();
    let columns = |provider: &str, customer: &str| {
        format!("  {provider:<provider_width$}  {customer:<customer_width$}  ")
    };
    out.push('\n');
    out.push_str(&columns(heading, "customer"));
    out.push_str("activity id, then its title\n");
    // By category in the pack's order, as `matrix` groups them.
    let mut groups: Vec<(&str, Vec<&Activity>)> = Vec::new();
    for activity in &pack.activities {
        match groups.iter_mut().find(|(c, _)| *c == activity.category) {
            Some((_, members)) => members.push(activity),
            None => groups.push((&activity.category, vec![activity])),
        }
    }
    for (category, members) in &groups {
        let _ = writeln!(out, "\n  [{category}]");
        for activity in members {
            let prefix = columns(
                &role_letters(activity.provider.value),
                &role_letters(activity.customer.value),
            );
            let _ = writeln!(out, "{prefix}{}", activity.id());
            let mut title = activity.title.clone();
            if let Some(ids) = activity.plan_ids()
                && ids.len() < pack.plans.len()
            {
                let _ = write!(title, " ({} only)", ids.join(", "));
            }
            let indent = " ".repeat(prefix.chars().count());
            out.push_str(&hanging(&indent, &title, indent.len(), WIDTH));
        }
    }
    if pack.activities.is_empty() {
        out.push_str("\n  (no activities)\n");
    }
    // On a line of its own, so that the command is never split.
    let _ = writeln!(
        out,
        "\n`raci-lint explain {}/ACTIVITY-ID` tells more about one activity.",
        pack.id()
    );
    out
}

/// "R A", or "-" for no role.
fn role_letters(set: RoleSet) -> String {
    if set.is_empty() {
        "-".to_owned()
    } else {
        set.letters().replace(", ", " ")
    }
}

/// `text` after `prefix`, word-wrapped to `width` with the next lines indented by `indent`.
/// Words are never broken, so an id stays whole even when it is longer than the line.
fn hanging(prefix: &str, text: &str, indent: usize, width: usize) -> String {
    let indent = " ".repeat(indent);
    let mut out = prefix.to_owned();
    let mut column = prefix.chars().count();
    let mut first = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !first && column + 1 + len > width {
            out.push('\n');
            out.push_str(&indent);
            column = indent.len();
        } else if !first {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
        first = false;
    }
    out.push('\n');
    out
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
        field("plans", crate::render::matrix::plans(activity));
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
    let duty = activity.customer_duty();
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
            out.push_str(&wrap(&matcher_line(&rule.matcher), WIDTH, "    "));
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
                "; every glob and the matcher: {}:{}",
                pack.source.path, at.line
            ));
            out.push_str(&wrap(&line, WIDTH, "    "));
        }
    }
    out
}

/// What an evidence rule's matcher looks for, in one line: its kind and, for a regex written
/// on one line, the regex.
fn matcher_line(matcher: &crate::model::Matcher) -> String {
    use crate::model::Matcher;
    let regex = |r: &str| {
        let r = r.trim();
        if r.contains('\n') {
            "(a multi-line regex)".to_owned()
        } else {
            format!("`{r}`")
        }
    };
    match matcher {
        Matcher::Pattern(p) => format!("pattern (a regex over one line): {}", regex(&p.value)),
        Matcher::Command(c) => format!(
            "command (a regex over one shell command): {}",
            regex(&c.value)
        ),
        Matcher::Ansible(a) => {
            let modules: Vec<&str> = a.modules.iter().map(|m| m.value.as_str()).collect();
            let mut line = format!("ansible: a task of module {}", modules.join(", "));
            for (name, r) in &a.args {
                line.push_str(&format!("; {name} matching {}", regex(&r.value)));
            }
            line
        }
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
