//! A command line that forgives (DESIGN section 6): options anywhere, `help`, did-you-mean for a
//! mistyped command, `--severity`, `--exit-zero`, `--statistics`, `RACI_LINT_FORMAT`, and
//! `raci-lint config` printing a config file that loads.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn raci_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_raci-lint"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RACI_LINT_FORMAT")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn raci(args: &[&str]) -> Output {
    raci_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn options_go_anywhere() {
    let runs = [
        raci(&["--format", "json", "check", "fixtures/demo"]),
        raci(&["check", "--format", "json", "fixtures/demo"]),
        raci(&["--format", "json", "fixtures/demo"]),
        raci(&["--format=json", "-q", "check", "fixtures/demo"]),
        raci(&["-q", "check", "fixtures/demo", "--format", "json"]),
    ];
    for out in &runs {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert_eq!(out.stdout, runs[0].stdout);
    }
    let out = raci(&[
        "--packs",
        "fixtures/codes/pack-error/packs",
        "explain",
        "sysbee",
    ]);
    assert_eq!(out.status.code(), Some(2), "a broken pack is still refused");
}

#[test]
fn help_is_a_command() {
    let out = raci(&["help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("Usage: raci-lint"),
        "{}",
        text(&out.stdout)
    );
    let out = raci(&["help", "matrix"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Usage: raci-lint matrix"));
}

#[test]
fn a_mistyped_command_is_a_usage_error_with_did_you_mean() {
    for (typo, meant) in [
        ("chek", "check"),
        ("provider", "providers"),
        ("matrx", "matrix"),
    ] {
        let out = raci(&[typo]);
        assert_eq!(out.status.code(), Some(2), "{typo}");
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("did you mean `raci-lint {meant}`?")),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    // A folder of that name is a PATH like any other.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("chek")).unwrap();
    let out = raci_in(dir.path(), &["chek"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no-ownership-files"));
}

#[test]
fn severity_exit_zero_and_statistics() {
    let out = raci(&[
        "--severity",
        "claims-provider-duty=warning",
        "fixtures/demo",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("0 errors, 1 warning"));
    let out = raci(&[
        "--severity",
        "claims-provider-duty=off",
        "--format",
        "concise",
        "fixtures/demo",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let out = raci(&["--severity", "claims-provider-dutty=error", "fixtures/demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `claims-provider-duty`?"));
    let out = raci(&["--severity", "claims-provider-duty=fatal", "fixtures/demo"]);
    assert_eq!(out.status.code(), Some(2));
    let out = raci(&["--exit-zero", "fixtures/demo"]);
    assert_eq!(out.status.code(), Some(0));
    let out = raci(&[
        "--exit-zero",
        "--packs",
        "fixtures/codes/pack-error/packs",
        "fixtures/codes/pack-error",
    ]);
    assert_eq!(out.status.code(), Some(2), "a broken run stays 2");
    let out = raci(&["--statistics", "--no-evidence", "fixtures/codes"]);
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert!(!lines.is_empty());
    let counts: Vec<usize> = lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first: {lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains(" claims-provider-duty ")),
        "{lines:?}"
    );
    let out = raci(&["--statistics", "--format", "json", "fixtures/demo"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{ "code": "claims-provider-duty", "count": 1, "fixable": true }])
    );
}

#[test]
fn the_format_comes_from_the_environment_unless_given() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = raci_in(root, &["fixtures/demo"], &[("RACI_LINT_FORMAT", "json")]);
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
    let out = raci_in(
        root,
        &["--format", "concise", "fixtures/demo"],
        &[("RACI_LINT_FORMAT", "json")],
    );
    assert!(text(&out.stdout).starts_with("fixtures/demo/infra/raci.yaml:30:3: error"));
}

#[test]
fn config_prints_a_config_file_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("raci-lint.yaml"),
        "evidence: false\nseverity: { unowned-duty: note }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("raci.yaml"),
        "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n",
    )
    .unwrap();
    let out = raci_in(
        dir.path(),
        &[
            "config",
            "--strict",
            "--severity",
            "claims-provider-duty=warning",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let printed = text(&out.stdout);
    assert!(printed.contains("evidence: false"), "{printed}");
    let line = |key: &str| {
        printed
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap()
            .to_owned()
    };
    assert!(
        line("unowned-duty:").contains("error")
            && line("unowned-duty:").contains("raised by --strict")
    );
    assert!(
        line("claims-provider-duty:").contains("warning  ")
            && line("claims-provider-duty:").ends_with("# command line")
    );
    assert!(line("evidence:").ends_with("# raci-lint.yaml"));
    // It loads, and means what it says.
    std::fs::write(dir.path().join("printed.yaml"), &printed).unwrap();
    let out = raci_in(
        dir.path(),
        &["--config", "printed.yaml", "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["scanned"], 0, "evidence: false held");
    assert!(
        report["summary"]["errors"].as_u64().unwrap() > 1,
        "unowned-duty is an error"
    );
    assert_eq!(
        report["summary"]["warnings"], 1,
        "claims-provider-duty is a warning"
    );
    let out = raci_in(dir.path(), &["config", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["settings"]["evidence"],
        serde_json::json!({ "value": false, "from": "raci-lint.yaml" })
    );
    assert_eq!(json["severity"]["unowned-duty"]["value"], "note");
    // Problems with the config file name it as the config file.
    std::fs::write(dir.path().join("raci-lint.yaml"), "severty: {}\n").unwrap();
    let out = raci_in(dir.path(), &["--format", "concise"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("unknown key `severty` in the config file"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_human_output_never_breaks_an_id_or_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "infrastructure/environments/production/shop-frontend/web-servers";
    std::fs::create_dir_all(dir.path().join(deep)).unwrap();
    std::fs::write(
        dir.path().join(deep).join("raci.yaml"),
        "provider: sysbee\nresponsibilities: {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(deep).join("upgrade.sh"),
        "apt-get -y dist-upgrade\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(deep).join("blob.sh"), b"\0\0binary").unwrap();
    let out = raci_in(dir.path(), &[], &[]);
    let shown = text(&out.stdout);
    let ids = [
        "seo-issues",
        "web-application-malware-removal",
        "database-schema-and-query-optimization",
        "third-party-troubleshooting",
    ];
    for id in ids {
        assert!(
            shown.contains(&format!("({id})")),
            "{id} is broken in:\n{shown}"
        );
    }
    assert!(shown.contains("allow(server-os-patching)"));
    assert!(shown.contains(&format!("{deep}/raci.yaml")), "{shown}");
    // The ownership file an evidence match is attributed to: one line, no second snippet.
    assert_eq!(
        shown.matches("attributed to this ownership file:").count(),
        1,
        "{shown}"
    );
    assert_eq!(
        shown.matches(&format!("{deep}/raci.yaml:1:1\n")).count(),
        1,
        "{shown}"
    );
    // The summary counts skipped files.
    assert!(
        shown
            .trim_end()
            .ends_with("in 1 ownership file; 1 file skipped (--verbose lists them)"),
        "{shown}"
    );
}

fn diagnostics(out: &Output) -> Vec<(String, u64, Option<String>, String)> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "unowned-duty")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["activity"].as_str().map(str::to_owned),
                format!("{} {} {}", d["path"], d["message"], d["help"]),
            )
        })
        .collect()
}

#[test]
fn allows_are_judged_fairly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let raci = "provider: sysbee\nresponsibilities: {}\nwaivers:\n  - code: performs-provider-duty\n    activity: os-network-firewall-configuration\n    reason: the lab firewall is ours\n";
    std::fs::write(dir.path().join("raci.yaml"), raci).unwrap();
    let script = "apt-get -y dist-upgrade  # raci-lint: allow server-os-patching lab VMs\n\
        apt-get -y dist-upgrade  # raci-lint: allow(server-os-patchin) lab VMs\n\
        apt-get -y dist-upgrade  # raci-lint: allow(sysbee/server-os-patching)\n\
        echo hi  # raci-lint: allow(server-os-patching) nothing here to allow\n\
        \n\
        \n\
        echo the raci-lint: allowed list is empty\n";
    std::fs::write(dir.path().join("up.sh"), script).unwrap();
    let out = raci_in(dir.path(), &["--format", "json"], &[]);
    let found = diagnostics(&out);
    let row = |code: &str, line: u64| {
        found
            .iter()
            .find(|d| d.0 == code && d.1 == line && d.3.starts_with("\"up.sh\""))
    };
    assert!(row("invalid-allow", 1).is_some(), "{found:?}");
    let unknown = row("unknown-activity", 2).unwrap();
    assert!(
        unknown.3.contains("did you mean `server-os-patching`?"),
        "{unknown:?}"
    );
    let no_reason = row("waiver-missing-reason", 3).unwrap();
    assert_eq!(no_reason.2.as_deref(), Some("server-os-patching"));
    let unused = row("unused-waiver", 4).unwrap();
    assert_eq!(unused.2.as_deref(), Some("server-os-patching"));
    // None of those allows allowed anything: three matches are reported.
    assert_eq!(
        found
            .iter()
            .filter(|d| d.0 == "performs-provider-duty")
            .count(),
        3
    );
    assert!(
        !found.iter().any(|d| d.1 == 7),
        "`allowed` is another word: {found:?}"
    );
    // The evidence waiver matched nothing in a scan: unused.
    assert!(
        row("unused-waiver", 4).is_some()
            && found
                .iter()
                .any(|d| d.0 == "unused-waiver" && d.3.contains("os-network-firewall"))
    );
    // With no scan, evidence waivers are not judged.
    for args in [
        vec!["--no-evidence", "--format", "json"],
        vec!["--format", "json", "raci.yaml"],
    ] {
        let out = raci_in(dir.path(), &args, &[]);
        let found = diagnostics(&out);
        assert!(
            found.iter().all(|d| d.0 != "unused-waiver"),
            "{args:?}: {found:?}"
        );
        let out = raci_in(dir.path(), &[&args[..], &["--deny-warnings"]].concat(), &[]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "unowned duties are warnings: {args:?}"
        );
    }
}

fn raci_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(args)
        .current_dir(dir)
        .env_remove("RACI_LINT_FORMAT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_judged_as_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("infra/scripts")).unwrap();
    std::fs::write(
        dir.path().join("infra/raci.yaml"),
        "provider: sysbee\nresponsibilities:\n  local-backup: ops\n",
    )
    .unwrap();
    let claim = "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n";
    // An ownership file, by default `raci.yaml`.
    let out = raci_stdin(
        dir.path(),
        &["-", "--format", "concise", "--severity", "unowned-duty=off"],
        claim,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).lines().next().unwrap_or(""),
        "raci.yaml:3:3: error[claims-provider-duty] Server OS patching and updates (server-os-patching) is Sysbee's duty: Sysbee is Responsible and Accountable, the customer has no role; yet team `ops` is declared to hold it"
    );
    // Under another name, in place of the file on disk.
    let out = raci_stdin(
        dir.path(),
        &[
            "--stdin-filename",
            "infra/raci.yaml",
            "--format",
            "json",
            "-",
        ],
        claim,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "claims-provider-duty")
            .count(),
        1
    );
    // An infrastructure file: scanned, attributed to the ownership file above its name.
    let out = raci_stdin(
        dir.path(),
        &[
            "-",
            "--stdin-filename",
            "infra/scripts/up.sh",
            "--format",
            "concise",
        ],
        "#!/bin/sh\napt-get -y dist-upgrade\n",
    );
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with("infra/scripts/up.sh:2:1: warning[performs-provider-duty]"),
        "{shown}{}",
        text(&out.stderr)
    );
    assert_eq!(
        shown.lines().count(),
        1,
        "the ownership file above is not itself reported: {shown}"
    );
}

#[test]
fn a_snippet_to_copy_stays_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("raci.yaml"),
        "provider: sysbee\nresponsibilities: {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("up.sh"),
        "apt-get -y dist-upgrade  # raci-lint: allow server-os-patching lab VMs\n",
    )
    .unwrap();
    let shown = text(&raci_in(dir.path(), &[], &[]).stdout);
    for snippet in [
        "`raci-lint: allow(server-os-patching) lab VMs`",
        "`raci-lint: allow(server-os-patching) <reason>`",
    ] {
        assert!(shown.contains(snippet), "{snippet} is broken in:\n{shown}");
    }
}
