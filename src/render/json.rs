//! The JSON report, version 1 (DESIGN section 7). Field names and presence are part of the
//! contract: optional fields are left out, never `null`.

use serde::Serialize;

use crate::diag::{Finding, fingerprint};
use crate::{Report, Summary};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity: Option<&'a str>,
    /// For an evidence finding: the ownership file it was attributed to.
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

/// A fix (DESIGN section 7): positions as the diagnostic's, `content` replaces the range.
#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: &'a str,
}

fn fix<'a>(f: &'a Finding) -> Option<JsonFix<'a>> {
    let (fix, source, path) = (f.fix.as_deref()?, f.source.as_ref()?, f.path.as_deref()?);
    Some(JsonFix {
        applicability: fix.applicability.as_str(),
        message: &fix.title,
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let (start, end) = (source.line_col(e.span.start), source.line_col(e.span.end));
                JsonEdit {
                    path,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    content: &e.content,
                }
            })
            .collect(),
    })
}

impl<'a> From<&'a Finding> for JsonDiagnostic<'a> {
    fn from(f: &'a Finding) -> Self {
        let start = f.start();
        let end = f.end();
        JsonDiagnostic {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            message: &f.message,
            help: f.help.as_deref(),
            path: f.path.as_deref().unwrap_or("."),
            line: start.map(|p| p.line),
            column: start.map(|p| p.column),
            end_line: end.map(|p| p.line),
            end_column: end.map(|p| p.column),
            provider: f.provider.as_deref(),
            activity: f.activity.as_deref(),
            owner: (f.code == crate::diag::Code::PerformsProviderDuty)
                .then(|| f.related.first().map(|r| r.source.path.as_str()))
                .flatten(),
            fingerprint: fingerprint::of(f),
            fix: fix(f),
        }
    }
}

pub fn render(report: &Report) -> String {
    let json = JsonReport {
        version: VERSION,
        diagnostics: report.findings.iter().map(JsonDiagnostic::from).collect(),
        summary: &report.summary,
    };
    // Serialising plain strings and integers cannot fail.
    let mut text = super::escape::json(serde_json::to_string_pretty(&json).unwrap_or_default());
    text.push('\n');
    text
}
