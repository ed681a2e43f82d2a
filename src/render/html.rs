//! `raci-lint matrix --format html`: one self-contained HTML file (inline CSS, no script, no
//! request to anywhere) with a legend, colour-coded R/A/C/I cells, a section per category or
//! product, and a print style. It is also well-formed XML, so tests can parse it strictly.

use std::fmt::Write;

use super::matrix::{plans, show_plans, teams, title, unowned};
use crate::model::matrix::Matrix;
use crate::model::{Role, RoleSet};

const STYLE: &str = r#"
:root { --r: #c62828; --a: #1565c0; --c: #ef6c00; --i: #2e7d32; --line: #d0d4da; --muted: #5f6670; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; margin: 0 0 1rem; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: 6px; }
.legend span.role { display: inline-block; width: 1.6em; text-align: center; border-radius: 3px; margin-right: .3em; }
table.matrix { border-collapse: collapse; width: 100%; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: .3rem .45rem; vertical-align: top; text-align: left; }
.matrix thead th { background: #f3f5f8; position: sticky; top: 0; }
.matrix th.party { text-align: center; }
.matrix tr.group-head th { background: #e8ecf2; font-size: 1rem; text-transform: capitalize; }
.matrix td.activity code { font-size: .85em; color: var(--muted); }
.matrix td.role { text-align: center; font-weight: 700; width: 2.2em; }
.role.r { background: var(--r); color: #fff; }
.role.a { background: var(--a); color: #fff; }
.role.c { background: var(--c); color: #fff; }
.role.i { background: var(--i); color: #fff; }
.unowned { color: #fff; background: #b71c1c; font-weight: 700; padding: 0 .35em; border-radius: 3px; white-space: nowrap; }
tr.has-unowned td.teams { outline: 2px solid #b71c1c; outline-offset: -2px; }
.comment { color: var(--muted); font-size: .9em; }
footer { margin-top: 1rem; color: var(--muted); font-size: .85em; }
@media print {
  body { margin: 0; font-size: 9pt; }
  .matrix thead { display: table-header-group; }
  .matrix thead th { position: static; }
  .matrix tr { break-inside: avoid; }
  .matrix tbody.group { break-before: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn role_cells(out: &mut String, set: RoleSet) {
    for role in Role::ALL {
        if set.contains(role) {
            let letter = role.letter();
            let class = letter.to_ascii_lowercase();
            let _ = write!(
                out,
                "<td class=\"role {class}\" title=\"{}\">{letter}</td>",
                role.name()
            );
        } else {
            out.push_str("<td class=\"role\"></td>");
        }
    }
}

pub fn render(m: &Matrix<'_>) -> String {
    let with_file = m.file.is_some();
    let with_plans = show_plans(m);
    let columns = 1 + 8 + usize::from(with_file) + usize::from(with_plans) + 1;
    let heading = title(m);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&heading));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&heading));
    let count = m.rows().count();
    let mut meta = format!("{count} activities");
    if let Some(source) = &m.pack.description {
        meta.push_str(&format!(" · source: {source}"));
    }
    if with_file {
        let unowned_rows = m.rows().filter(|r| !r.unowned.is_empty()).count();
        meta.push_str(&format!(" · {unowned_rows} with an unowned customer duty"));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&meta));
    out.push_str("<div class=\"legend\" id=\"legend\">\n");
    for role in Role::ALL {
        let letter = role.letter();
        let _ = writeln!(
            out,
            "<span><span class=\"role {}\">{letter}</span>{}</span>",
            letter.to_ascii_lowercase(),
            role.name()
        );
    }
    if with_file {
        out.push_str("<span><span class=\"unowned\">UNOWNED</span> a customer duty no team of the file holds</span>\n");
    }
    out.push_str("</div>\n<table class=\"matrix\">\n<thead>\n<tr><th rowspan=\"2\">Activity</th>");
    let _ = write!(
        out,
        "<th class=\"party\" colspan=\"4\">{}</th><th class=\"party\" colspan=\"4\">Customer</th>",
        esc(&m.pack.name)
    );
    if with_file {
        out.push_str("<th rowspan=\"2\">Teams</th>");
    }
    if with_plans {
        out.push_str("<th rowspan=\"2\">Plans</th>");
    }
    out.push_str("<th rowspan=\"2\">Comment</th></tr>\n<tr>");
    for _ in 0..2 {
        for role in Role::ALL {
            let _ = write!(
                out,
                "<th class=\"party\" title=\"{}\">{}</th>",
                role.name(),
                role.letter()
            );
        }
    }
    out.push_str("</tr>\n</thead>\n");
    for (group, rows) in &m.groups {
        let _ = writeln!(
            out,
            "<tbody class=\"group\" data-group=\"{0}\">\n<tr class=\"group-head\"><th colspan=\"{columns}\">{0}</th></tr>",
            esc(group)
        );
        for row in rows {
            let a = row.activity;
            let class = if row.unowned.is_empty() {
                "activity"
            } else {
                "activity has-unowned"
            };
            let _ = write!(
                out,
                "<tr class=\"{class}\" data-activity=\"{}\" data-provider=\"{}\" data-customer=\"{}\">",
                esc(a.id()),
                a.provider.value.letters(),
                a.customer.value.letters()
            );
            let _ = write!(
                out,
                "<td class=\"activity\">{}<br/><code>{}</code></td>",
                esc(&a.title),
                esc(a.id())
            );
            role_cells(&mut out, a.provider.value);
            role_cells(&mut out, a.customer.value);
            if with_file {
                let mut cell = esc(&teams(row));
                if let Some(u) = unowned(row) {
                    cell.push_str(&format!(" <span class=\"unowned\">{}</span>", esc(&u)));
                }
                let _ = write!(out, "<td class=\"teams\">{cell}</td>");
            }
            if with_plans {
                let _ = write!(out, "<td class=\"plans\">{}</td>", esc(&plans(a)));
            }
            let _ = writeln!(
                out,
                "<td class=\"comment\">{}</td></tr>",
                esc(a.comment.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<footer>Generated by raci-lint {} from the {} rule pack.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        esc(m.pack.id())
    );
    out
}
