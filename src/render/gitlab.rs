//! GitLab Code Quality: the JSON array GitLab's merge request widget reads
//! (`artifacts:reports:codequality`).

use serde::Serialize;

use crate::Report;
use crate::diag::{Severity, fingerprint};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    /// The help text, where GitLab shows an issue's details.
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content<'a>>,
    check_name: &'a str,
    fingerprint: String,
    severity: &'a str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Content<'a> {
    body: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub fn render(report: &Report) -> String {
    let issues: Vec<Issue> = report
        .findings
        .iter()
        .map(|f| Issue {
            description: format!("{} [{}]", f.message, f.code),
            content: f.help.as_deref().map(|body| Content { body }),
            check_name: f.code.as_str(),
            fingerprint: fingerprint::of(f),
            // GitLab's scale: info, minor, major, critical, blocker.
            severity: match f.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            },
            location: Location {
                path: f.path.as_deref().unwrap_or("."),
                lines: Lines {
                    begin: f.start().map_or(1, |p| p.line),
                },
            },
        })
        .collect();
    let mut text = super::escape::json(serde_json::to_string_pretty(&issues).unwrap_or_default());
    text.push('\n');
    text
}
