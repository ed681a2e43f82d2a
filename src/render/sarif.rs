//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one rule per code with its
//! explanation as help, one result per finding with `partialFingerprints`, and the ownership
//! file an evidence match is attributed to as a related location. Our own serde types, kept
//! valid by a test against the OASIS schema.

use serde::Serialize;

use crate::Report;
use crate::diag::explain::explain;
use crate::diag::{Code, Finding, Severity, fingerprint};
use crate::source::SourceFile;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    results: Vec<SarifResult<'a>>,
    /// Our columns count Unicode scalar values, not SARIF's default UTF-16 code units.
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

/// A fix as SARIF carries it: one artifact change (the finding's own file) of replacements.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: Artifact<'a>,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "raciLint/v1")]
    raci_lint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Artifact<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact<'a> {
    uri: std::borrow::Cow<'a, str>,
}

/// A path as a relative URI reference: every byte outside RFC 3986's unreserved set and `/`
/// percent-encoded, so `#`, `?` and `%` in a file name stay part of the path.
fn uri(path: &str) -> std::borrow::Cow<'_, str> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/');
    if path.bytes().all(plain) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for b in path.bytes() {
        if plain(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn region(source: &SourceFile, span: crate::source::Span) -> Region {
    let (start, end) = (source.line_col(span.start), source.line_col(span.end));
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn result(f: &Finding) -> SarifResult<'_> {
    let locations = match &f.path {
        Some(path) => vec![Location {
            id: None,
            physical_location: Physical {
                artifact_location: Artifact { uri: uri(path) },
                region: f
                    .source
                    .as_ref()
                    .zip(f.primary.as_ref())
                    .map(|(s, l)| region(s, l.span)),
            },
            message: None,
        }],
        None => Vec::new(),
    };
    let related_locations = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i),
            physical_location: Physical {
                artifact_location: Artifact {
                    uri: uri(&r.source.path),
                },
                region: Some(region(&r.source, r.label.span)),
            },
            message: r.label.text.clone().map(|text| Text { text }),
        })
        .collect();
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let fixes = match (&f.fix, &f.source, &f.path) {
        (Some(fix), Some(source), Some(path)) => vec![SarifFix {
            description: Text {
                text: fix.title.clone(),
            },
            artifact_changes: [ArtifactChange {
                artifact_location: Artifact { uri: uri(path) },
                replacements: fix
                    .edits
                    .iter()
                    .map(|e| Replacement {
                        deleted_region: region(source, e.span),
                        inserted_content: Text {
                            text: e.content.clone(),
                        },
                    })
                    .collect(),
            }],
        }],
        _ => Vec::new(),
    };
    SarifResult {
        fixes,
        rule_id: f.code.as_str(),
        rule_index: Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0),
        level: level(f.severity),
        message: Text { text: message },
        locations,
        related_locations,
        partial_fingerprints: Fingerprints {
            raci_lint: fingerprint::of(f),
        },
    }
}

fn rules() -> Vec<Rule> {
    Code::ALL
        .iter()
        .map(|code| {
            let e = explain(*code);
            Rule {
                id: code.as_str(),
                name: code
                    .as_str()
                    .split('-')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect(),
                short_description: Text {
                    text: code.summary().to_owned(),
                },
                full_description: Text {
                    text: e.meaning.to_owned(),
                },
                help: Text {
                    text: format!("{}\n\nExample:\n{}\n\nFix: {}", e.meaning, e.example, e.fix),
                },
                default_configuration: Configuration {
                    level: level(code.default_severity()),
                },
            }
        })
        .collect()
}

pub fn render(report: &Report) -> String {
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "raci-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rules(),
                },
            },
            results: report.findings.iter().map(result).collect(),
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut text = super::escape::json(serde_json::to_string_pretty(&log).unwrap_or_default());
    text.push('\n');
    text
}
