//! The JSON report (DESIGN section 7), read back with an independent deserializer that rejects
//! unknown fields, so that the documented shape is exactly what is written.

use crate::common::{repo, settings};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    version: u32,
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Diagnostic {
    code: String,
    severity: String,
    message: String,
    help: Option<String>,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    provider: Option<String>,
    activity: Option<String>,
    /// Evidence findings only: the ownership file they are attributed to.
    owner: Option<String>,
    fingerprint: String,
    fix: Option<Fix>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Fix {
    applicability: String,
    message: String,
    edits: Vec<Edit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Edit {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Summary {
    files: usize,
    scanned: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    dropped: usize,
    fixable: usize,
    fixed: Option<usize>,
}

fn json(args: &[&str]) -> (String, Report) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let settings = settings(&all);
    let report = raci_lint::check(&settings);
    let text = raci_lint::render::text(&report, &settings, false);
    let parsed = serde_json::from_str(&text).expect("valid JSON report");
    (text, parsed)
}

#[test]
fn the_headline_finding_in_json() {
    let (_, report) = json(&["fixtures/demo"]);
    assert_eq!(report.version, 1);
    assert_eq!(report.diagnostics.len(), 1);
    let d = &report.diagnostics[0];
    assert_eq!(d.code, "claims-provider-duty");
    assert_eq!(d.severity, "error");
    assert_eq!(d.path, "fixtures/demo/infra/raci.yaml");
    assert_eq!(
        (d.line, d.column, d.end_line, d.end_column),
        (Some(30), Some(3), Some(30), Some(26))
    );
    assert_eq!(d.provider.as_deref(), Some("sysbee"));
    assert_eq!(d.activity.as_deref(), Some("server-os-patching"));
    assert!(
        d.message
            .contains("Server OS patching and updates (server-os-patching)")
    );
    assert!(d.message.contains("Sysbee is Responsible and Accountable"));
    assert!(d.help.as_deref().unwrap().starts_with("remove this line"));
    assert_eq!(d.fingerprint.len(), 16);
    assert!(d.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        report.summary,
        Summary {
            files: 1,
            // The demo's two Ansible files are in scope and searched; neither is evidence.
            scanned: 2,
            skipped: 0,
            errors: 1,
            warnings: 0,
            notes: 0,
            dropped: 0,
            fixable: 0,
            fixed: None,
        }
    );
    // `server-os-patching: ops`: the team keeps its place as informed (a guess: unsafe).
    let fix = d.fix.as_ref().expect("claims-provider-duty has a fix");
    assert_eq!(fix.applicability, "unsafe");
    assert_eq!(fix.edits.len(), 1);
    let e = &fix.edits[0];
    assert_eq!(
        (e.path.as_str(), e.line, e.column, e.end_line, e.end_column),
        ("fixtures/demo/infra/raci.yaml", 30, 23, 30, 26)
    );
    assert_eq!(e.content, "{ informed: ops }");
}

#[test]
fn absent_fields_are_left_out_not_null() {
    let (text, report) = json(&["fixtures/codes/unknown-provider"]);
    assert!(!text.contains("null"));
    let unknown = &report.diagnostics[0];
    assert_eq!(unknown.code, "unknown-provider");
    assert!(unknown.activity.is_none() && unknown.provider.is_none());
    assert!(unknown.message.contains("`sysbe`"));
    let (text, report) = json(&["fixtures/codes/no-ownership-files"]);
    assert!(!text.contains("null"));
    let none = &report.diagnostics[0];
    assert_eq!(none.code, "no-ownership-files");
    assert!(none.line.is_none() && none.column.is_none() && none.end_line.is_none());
    assert_eq!(none.path, "fixtures/codes/no-ownership-files");
}

#[test]
fn fingerprints_survive_lines_moving_and_differ_between_findings() {
    let body =
        "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n  server-setup: ops\n";
    let dir = repo(&[("raci.yaml", body)]);
    let prints = || -> Vec<(String, Option<String>, Option<usize>, String)> {
        let (_, report) = json(&[dir.path().to_str().unwrap()]);
        report
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "claims-provider-duty")
            .map(|d| (d.code, d.activity, d.line, d.fingerprint))
            .collect()
    };
    let before = prints();
    std::fs::write(
        dir.path().join("raci.yaml"),
        format!("# moved down\n\n{body}"),
    )
    .unwrap();
    let after = prints();
    assert_eq!(before.len(), 2);
    assert_ne!(before[0].3, before[1].3, "two findings, two fingerprints");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.2, b.2.map(|l| l + 2), "the finding moved two lines");
        assert_eq!(a.3, b.3, "its fingerprint did not change");
    }
}

#[test]
fn output_is_sorted_by_path_line_column_code() {
    let (_, report) = json(&["fixtures"]);
    let keys: Vec<(String, usize, usize, String)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.path.clone(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.code.clone(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(report.summary.files > 20);
}

#[test]
fn repeated_runs_are_byte_identical() {
    // Files are checked on several threads; the sorted output must not depend on scheduling.
    let (first, _) = json(&["fixtures"]);
    for _ in 0..5 {
        let (again, _) = json(&["fixtures"]);
        assert_eq!(again, first);
    }
}

#[test]
fn ownership_files_checked_during_the_walk_read_as_after_it() {
    // Over 128 entries on several threads, the walker thread that finds an ownership file
    // checks it and compiles its pack's rules at once; on one thread, both wait for the walk.
    // The fixtures hold broken, unresolved and resolved ownership files of both packs.
    let (one, report) = json(&["--threads", "1", "fixtures"]);
    assert!(report.summary.files > 50 && report.summary.scanned > 200);
    let codes: std::collections::BTreeSet<&str> =
        report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    for code in [
        "performs-provider-duty",
        "unknown-provider",
        "claims-provider-duty",
    ] {
        assert!(codes.contains(code), "{code}");
    }
    for threads in ["2", "8"] {
        for _ in 0..3 {
            assert_eq!(
                json(&["--threads", threads, "fixtures"]).0,
                one,
                "{threads}"
            );
        }
    }
}

#[test]
fn evidence_findings_name_their_ownership_file() {
    let (_, report) = json(&["fixtures/headline/sysbee-ansible-upgrade"]);
    let evidence: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "performs-provider-duty")
        .collect();
    assert_eq!(evidence.len(), 1);
    assert_eq!(
        evidence[0].owner.as_deref(),
        Some("fixtures/headline/sysbee-ansible-upgrade/raci.yaml")
    );
    assert!(
        report
            .diagnostics
            .iter()
            .filter(|d| d.code != "performs-provider-duty")
            .all(|d| d.owner.is_none())
    );
}
