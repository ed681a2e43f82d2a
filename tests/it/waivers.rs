//! Waivers in ownership files (DESIGN section 5), with today's date fixed by RACI_LINT_TODAY:
//! each waiver state, path globs for evidence, --show-waived, and `off` beating them all.

use std::process::Command;

fn lint(
    files: &[(&str, &str)],
    args: &[&str],
) -> (i32, Vec<(String, String, String)>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .env("RACI_LINT_TODAY", "2026-11-24")
        .current_dir(dir.path())
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "unowned-duty")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                format!("{}:{}", d["line"], d["column"]),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (out.status.code().unwrap(), rows, json["summary"].clone())
}

fn owner(waivers: &str) -> String {
    format!("provider: sysbee\nresponsibilities:\n  server-os-patching: ops\nwaivers:\n{waivers}")
}

fn row(code: &str, at: &str, severity: &str) -> (String, String, String) {
    (code.to_owned(), at.to_owned(), severity.to_owned())
}

#[test]
fn a_waiver_with_a_reason_accepts_its_finding() {
    let text = owner(
        "  - code: claims-provider-duty\n    activity: server-os-patching\n    reason: \"contract amendment 2026-03\"\n    expires: 2027-01-31\n",
    );
    let (code, rows, summary) = lint(&[("raci.yaml", &text)], &[]);
    assert_eq!(rows, []);
    assert_eq!(summary["errors"], 0);
    assert_eq!(code, 0);
    let (_, rows, summary) = lint(&[("raci.yaml", &text)], &["--show-waived"]);
    assert_eq!(rows, [row("claims-provider-duty", "3:3", "note")]);
    assert_eq!(summary["notes"], 1);
}

#[test]
fn an_expired_waiver_brings_its_finding_back() {
    let text = owner(
        "  - code: claims-provider-duty\n    activity: server-os-patching\n    reason: \"until the migration\"\n    expires: 2026-11-23\n",
    );
    let (code, rows, _) = lint(&[("raci.yaml", &text)], &[]);
    assert_eq!(
        rows,
        [
            row("claims-provider-duty", "3:3", "error"),
            row("expired-waiver", "8:14", "error"),
        ]
    );
    assert_eq!(code, 1);
    // The day it expires it still holds.
    let today = text.replace("2026-11-23", "2026-11-24");
    assert_eq!(lint(&[("raci.yaml", &today)], &[]).1, []);
}

#[test]
fn a_waiver_without_a_reason_waives_nothing_and_is_not_also_unused() {
    let text = owner("  - code: claims-provider-duty\n    activity: server-os-patching\n");
    let (code, rows, _) = lint(&[("raci.yaml", &text)], &[]);
    assert_eq!(
        rows,
        [
            row("claims-provider-duty", "3:3", "error"),
            row("waiver-missing-reason", "5:11", "error"),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_waiver_that_matches_nothing_is_unused() {
    let text = owner(
        "  - code: claims-provider-duty\n    activity: server-setup\n    reason: \"wrong activity\"\n",
    );
    let (_, rows, _) = lint(&[("raci.yaml", &text)], &[]);
    assert_eq!(
        rows,
        [
            row("claims-provider-duty", "3:3", "error"),
            row("unused-waiver", "5:11", "warning"),
        ]
    );
}

#[test]
fn malformed_waivers_are_invalid_yaml_at_the_spot() {
    for (waiver, at) in [
        ("  - code: claims-provider-dutty\n    reason: x\n", "5:11"),
        (
            "  - code: claims-provider-duty\n    reason: x\n    expires: soon\n",
            "7:14",
        ),
        (
            "  - code: claims-provider-duty\n    reason: x\n    path: \"[bad\"\n",
            "7:11",
        ),
    ] {
        let (code, rows, _) = lint(&[("raci.yaml", &owner(waiver))], &[]);
        assert!(
            rows.contains(&row("invalid-yaml", at, "error")),
            "{waiver}: {rows:?}"
        );
        assert_eq!(code, 1);
    }
}

#[test]
fn a_path_glob_waives_evidence_in_matching_files_only() {
    let pack = "provider: { id: acme, name: Acme }\nactivities:\n  - id: ops\n    title: Ops\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence: [{ id: up, files: [\"**/*.sh\"], pattern: 'apt-get upgrade' }]\n";
    let owner = "provider: acme\nwaivers:\n  - code: performs-provider-duty\n    activity: ops\n    path: \"lab/**\"\n    reason: \"lab VMs are ours\"\n";
    let files = [
        ("pack.yaml", pack),
        ("infra/raci.yaml", owner),
        ("infra/lab/vm.sh", "apt-get upgrade\n"),
        ("infra/prod/web.sh", "apt-get upgrade\n"),
    ];
    let (_, rows, summary) = lint(&files, &["--packs", "pack.yaml", "infra"]);
    let codes: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        codes,
        ["performs-provider-duty"],
        "only prod/web.sh is reported"
    );
    assert_eq!(summary["warnings"], 1);
}

#[test]
fn waived_findings_listed_stay_notes_and_never_crowd_out_a_reported_one() {
    // --strict raises unowned duties and evidence to errors: not the waived ones --show-waived
    // lists. Past max-findings the list of waived ones is cut on its own: a reported finding
    // after them in output order is still shown, and nothing is counted as dropped.
    let text = "provider: sysbee\nresponsibilities:\n  server-os-patching: { informed: ops }\n  web-application-security: webteam\nwaivers:\n  - code: performs-provider-duty\n    activity: server-os-patching\n    reason: legacy scripts\n  - code: unowned-duty\n    reason: later\n";
    let script = "apt-get -y dist-upgrade\n".repeat(5);
    let files = [("raci.yaml", text), ("up.sh", script.as_str())];
    let (code, _, summary) = lint(&files, &["--strict", "--show-waived"]);
    assert_eq!(
        (code, &summary["errors"], &summary["notes"]),
        (0, &0.into(), &19.into())
    );
    let mut limited = files.to_vec();
    limited.push(("raci-lint.yaml", "max-findings: 2\n"));
    limited.push(("zz.sh", "iptables -F\n"));
    let (code, rows, summary) = lint(&limited, &["--strict", "--show-waived"]);
    assert_eq!(summary["errors"], 1, "{summary}");
    assert_eq!(summary["notes"], 2, "{summary}");
    assert_eq!(summary["warnings"], 0, "{summary}");
    assert_eq!(summary["dropped"], 0, "{summary}");
    assert_eq!(code, 1);
    let shown: Vec<(&str, &str)> = rows
        .iter()
        .map(|(code, _, severity)| (code.as_str(), severity.as_str()))
        .collect();
    assert!(
        shown.contains(&("performs-provider-duty", "error")),
        "{rows:?}"
    );
    assert!(
        !shown.iter().any(|(c, _)| *c == "too-many-findings"),
        "{rows:?}"
    );
}
