//! `raci-lint matrix` output: a text table that fits the terminal, Markdown, CSV and JSON. The
//! HTML report is in `render/html.rs`.

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table, Width, presets};
use serde_json::{Map, Value, json};

use crate::model::matrix::{Matrix, Row};
use crate::model::{Activity, Role, RoleSet};

pub use super::html::render as html;

/// The plans an activity is on: "self-service, on-request", or "every plan".
pub fn plans(activity: &Activity) -> String {
    match activity.plan_ids() {
        None => "every plan".to_owned(),
        Some(ids) => ids.join(", "),
    }
}

/// "R, A", or "-" for no role.
pub fn letters(set: RoleSet) -> String {
    if set.is_empty() {
        "-".to_owned()
    } else {
        set.letters()
    }
}

/// "platform (R, A); data (R, I)", or "-": each team with the roles it holds.
pub fn teams(row: &Row<'_>) -> String {
    let mut by_team: Vec<(&str, RoleSet)> = Vec::new();
    for (role, teams) in &row.teams {
        for team in teams {
            match by_team.iter_mut().find(|(t, _)| t == team) {
                Some((_, roles)) => roles.insert(*role),
                None => by_team.push((team, [*role].into_iter().collect())),
            }
        }
    }
    if by_team.is_empty() {
        return "-".to_owned();
    }
    by_team
        .iter()
        .map(|(team, roles)| format!("{team} ({})", roles.letters()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// "UNOWNED R, A" when a customer duty has no team.
pub fn unowned(row: &Row<'_>) -> Option<String> {
    (!row.unowned.is_empty()).then(|| format!("UNOWNED {}", row.unowned.letters()))
}

/// The heading line(s): provider, plan, products, file.
pub fn title(m: &Matrix<'_>) -> String {
    let mut parts = vec![format!("{} RACI matrix", m.pack.name)];
    if let Some(plan) = &m.plan {
        parts.push(format!("plan {plan}"));
    }
    if !m.products.is_empty() {
        parts.push(format!("products {}", m.products.join(", ")));
    }
    if let Some(file) = &m.file {
        match &file.service {
            Some(service) => parts.push(format!("{service} ({})", file.path)),
            None => parts.push(file.path.clone()),
        }
    }
    parts.join(" · ")
}

/// Whether a plans column is worth showing: the provider has plans and none was chosen.
pub(super) fn show_plans(m: &Matrix<'_>) -> bool {
    !m.pack.plans.is_empty() && m.plan.is_none()
}

/// A table that fits `width` columns: titles wrap, ids stay whole.
pub fn table(m: &Matrix<'_>, width: u16) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    // The title line names the provider: its column says "Provider" to stay narrow.
    let mut header = vec![
        "Activity".to_owned(),
        "Provider".to_owned(),
        "Customer".to_owned(),
    ];
    if m.file.is_some() {
        header.push("Teams".to_owned());
    }
    if show_plans(m) {
        header.push("Plans".to_owned());
    }
    let columns = header.len();
    t.set_header(header);
    for (i, (group, rows)) in m.groups.iter().enumerate() {
        if i > 0 {
            t.add_row(vec![String::new(); columns]);
        }
        let mut heading = vec![String::new(); columns];
        heading[0] = format!("[{group}]");
        t.add_row(heading);
        for row in rows {
            let a = row.activity;
            let mut cells = vec![
                Cell::new(format!("{}\n{}", a.id(), a.title)),
                Cell::new(letters(a.provider.value)),
                Cell::new(letters(a.customer.value)),
            ];
            if m.file.is_some() {
                let mut text = teams(row);
                if let Some(u) = unowned(row) {
                    text = if row.teams.is_empty() {
                        u
                    } else {
                        format!("{text}; {u}")
                    };
                }
                cells.push(Cell::new(text));
            }
            if show_plans(m) {
                cells.push(Cell::new(plans(a).replace(", ", "\n")));
            }
            t.add_row(cells);
        }
    }
    // Ids stay whole (users copy them) as long as they leave room for the other columns.
    let longest_id = m.rows().map(|r| r.activity.id().len()).max().unwrap_or(8);
    let id_width = u16::try_from(longest_id)
        .unwrap_or(u16::MAX)
        .min(width.saturating_mul(11) / 20);
    for (i, column) in t.column_iter_mut().enumerate() {
        column.set_padding((0, 2));
        match i {
            0 => column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(id_width))),
            1 | 2 => column.set_constraint(ColumnConstraint::ContentWidth),
            _ => column,
        };
    }
    let mut out = crate::wrap::wrap(&title(m), usize::from(width), "");
    out.push('\n');
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&legend_line(m));
    out
}

fn legend_line(m: &Matrix<'_>) -> String {
    let mut out =
        "\nR Responsible · A Accountable · C Consulted · I Informed · - no role\n".to_owned();
    if m.file.is_some() {
        out.push_str("UNOWNED: a customer duty no team of the file holds (unowned-duty)\n");
    }
    out
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(m: &Matrix<'_>) -> String {
    let mut out = format!("# {}\n\n", md_escape(&title(m)));
    if let Some(source) = &m.pack.description {
        out.push_str(&format!("Source: {}\n\n", md_escape(source)));
    }
    out.push_str("R Responsible, A Accountable, C Consulted, I Informed.\n");
    for (group, rows) in &m.groups {
        out.push_str(&format!("\n## {}\n\n", md_escape(group)));
        let mut header = vec!["Activity", "Title", m.pack.name.as_str(), "Customer"];
        if m.file.is_some() {
            header.push("Teams");
        }
        if show_plans(m) {
            header.push("Plans");
        }
        let header: Vec<String> = header.into_iter().map(md_escape).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
        for row in rows {
            let a = row.activity;
            let mut cells = vec![
                format!("`{}`", a.id()),
                md_escape(&a.title),
                letters(a.provider.value),
                letters(a.customer.value),
            ];
            if m.file.is_some() {
                let mut text = md_escape(&teams(row));
                if let Some(u) = unowned(row) {
                    text = format!("{text} **{u}**");
                }
                cells.push(text);
            }
            if show_plans(m) {
                cells.push(plans(a));
            }
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    out
}

pub fn csv(m: &Matrix<'_>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "category", "id", "title", "product", "plans", "provider", "customer",
    ];
    if m.file.is_some() {
        header.extend([
            "responsible",
            "accountable",
            "consulted",
            "informed",
            "unowned",
        ]);
    }
    header.push("comment");
    // Writing to memory cannot fail.
    let _ = w.write_record(&header);
    for row in m.rows() {
        let a = row.activity;
        let mut record = vec![
            a.category.clone(),
            a.id().to_owned(),
            a.title.clone(),
            a.product
                .as_ref()
                .map(|p| p.value.clone())
                .unwrap_or_default(),
            if m.pack.plans.is_empty() {
                String::new()
            } else {
                plans(a)
            },
            a.provider.value.letters().replace(", ", " "),
            a.customer.value.letters().replace(", ", " "),
        ];
        if m.file.is_some() {
            for role in Role::ALL {
                record.push(
                    row.teams
                        .iter()
                        .find(|(r, _)| *r == role)
                        .map(|(_, t)| t.join(" "))
                        .unwrap_or_default(),
                );
            }
            record.push(row.unowned.letters().replace(", ", " "));
        }
        record.push(a.comment.clone().unwrap_or_default());
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn role_list(set: RoleSet) -> Value {
    Value::Array(set.iter().map(|r| json!(r.letter().to_string())).collect())
}

pub fn json(m: &Matrix<'_>) -> String {
    let activities: Vec<Value> = m
        .rows()
        .map(|row| {
            let a = row.activity;
            let mut o = Map::new();
            o.insert("id".into(), json!(a.id()));
            o.insert("title".into(), json!(a.title));
            o.insert("category".into(), json!(a.category));
            if let Some(p) = &a.product {
                o.insert("product".into(), json!(p.value));
            }
            // The plans the row is on: a row that names none is on every plan of the pack
            // (none, for a provider without plans). Never null: lists are always lists.
            let plans: Vec<&str> = a
                .plan_ids()
                .unwrap_or_else(|| m.pack.plans.iter().map(|p| p.id.value.as_str()).collect());
            o.insert("plans".into(), json!(plans));
            o.insert("provider".into(), role_list(a.provider.value));
            o.insert("customer".into(), role_list(a.customer.value));
            if let Some(c) = &a.comment {
                o.insert("comment".into(), json!(c));
            }
            if let Some(ov) = &a.overrides {
                o.insert("overrides".into(), json!(ov.value));
            }
            if m.file.is_some() {
                // Every role, with the teams holding it: `[]` when none does.
                let teams: Map<String, Value> = Role::ALL
                    .iter()
                    .map(|role| {
                        let held: &[String] = row
                            .teams
                            .iter()
                            .find(|(r, _)| r == role)
                            .map_or(&[], |(_, t)| t.as_slice());
                        (role.key().to_owned(), json!(held))
                    })
                    .collect();
                o.insert("teams".into(), Value::Object(teams));
                o.insert("unowned".into(), role_list(row.unowned));
            }
            Value::Object(o)
        })
        .collect();
    let report = json!({
        "version": 1,
        "provider": {
            "id": m.pack.id(),
            "name": m.pack.name,
            "source": m.pack.description,
        },
        "plan": m.plan,
        "products": m.products,
        "file": m.file.as_ref().map(|f| json!({"path": f.path, "service": f.service})),
        "activities": activities,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
