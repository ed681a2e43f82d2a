//! Baselines (DESIGN section 5): `--write-baseline` records today's findings, `--baseline` (or
//! the config's `baseline`) hides them; moving lines keeps them hidden, a new finding is never
//! hidden, an entry that matches nothing is a note, and a broken or newer baseline is refused
//! with a finding that points into it.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::repo;
use serde_json::Value;

/// Two claims of Sysbee's duties: two error findings.
const TWO_CLAIMS: &str = "\
provider: sysbee
responsibilities:
  server-os-patching: ops
  server-side-backup: ops
";

fn raci(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(args)
        .current_dir(dir)
        .env("RACI_LINT_TODAY", "2026-06-01")
        .env("NO_COLOR", "1")
        .output()
        .expect("run raci-lint")
}

/// The JSON report's diagnostics as (code, path, line:column, activity).
fn diagnostics(out: &Output) -> Vec<(String, String, String, String)> {
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap_or("").to_owned(),
                format!("{}:{}", d["line"], d["column"]),
                d["activity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn d(code: &str, path: &str, at: &str, activity: &str) -> (String, String, String, String) {
    (code.into(), path.into(), at.into(), activity.into())
}

fn unowned_off(dir: &Path) {
    // Only the two claims stay: unowned duties are not what these tests are about.
    std::fs::write(
        dir.join("raci-lint.yaml"),
        "severity: { unowned-duty: off }\nevidence: false\n",
    )
    .unwrap();
}

#[test]
fn write_then_check_round_trip() {
    let dir = repo(&[("infra/raci.yaml", TWO_CLAIMS)]);
    unowned_off(dir.path());
    let before = raci(dir.path(), &["--format", "json", "."]);
    assert_eq!(before.status.code(), Some(1));
    assert_eq!(diagnostics(&before).len(), 2);

    // Writing records both findings, hides them from this run, and exits 0.
    let out = raci(
        dir.path(),
        &["--format", "json", "--write-baseline", "base.json", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(diagnostics(&out), []);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "raci-lint: recorded 2 findings in the baseline base.json\n"
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(written["version"], 1);
    let entries = written["findings"].as_array().unwrap();
    let fields: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["activity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            (
                "claims-provider-duty",
                "infra/raci.yaml",
                "server-os-patching"
            ),
            (
                "claims-provider-duty",
                "infra/raci.yaml",
                "server-side-backup"
            ),
        ]
    );
    // The fingerprints are those of the JSON report.
    let report: Value = serde_json::from_slice(&before.stdout).unwrap();
    let mut from_report: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fingerprint"].as_str().unwrap())
        .collect();
    let mut from_file: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    from_report.sort_unstable();
    from_file.sort_unstable();
    assert_eq!(from_report, from_file);

    // Checking against it: nothing reported, exit 0, and the summary says what was hidden.
    let out = raci(dir.path(), &["--baseline", "base.json", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "0 errors, 0 warnings in 1 ownership file (2 findings in the baseline not shown)\n"
    );
}

#[test]
fn moved_lines_stay_hidden_and_a_new_finding_is_reported() {
    let dir = repo(&[("infra/raci.yaml", TWO_CLAIMS)]);
    unowned_off(dir.path());
    let out = raci(dir.path(), &["--write-baseline", "base.json", "."]);
    assert_eq!(out.status.code(), Some(0));

    // Lines added above the findings, and the two declarations swapped.
    let moved = "\
# Owned by the platform group.
provider: sysbee

responsibilities:
  server-side-backup: ops
  server-os-patching: ops
";
    std::fs::write(dir.path().join("infra/raci.yaml"), moved).unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(diagnostics(&out), []);

    // A third claim is new: reported, exit 1; the recorded two stay hidden.
    std::fs::write(
        dir.path().join("infra/raci.yaml"),
        format!("{moved}  server-setup: ops\n"),
    )
    .unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        diagnostics(&out),
        [d(
            "claims-provider-duty",
            "infra/raci.yaml",
            "7:3",
            "server-setup"
        )]
    );

    // The same finding in a second file is new too: fingerprints include the path.
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("other/raci.yaml"), TWO_CLAIMS).unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    assert_eq!(diagnostics(&out).len(), 3);
}

#[test]
fn each_entry_hides_one_finding() {
    // Two evidence findings on equal lines share a fingerprint; a baseline holding one of
    // them hides one, and the other is new.
    let dir = repo(&[
        ("raci.yaml", "provider: sysbee\nresponsibilities: {}\n"),
        ("patch.sh", "#!/bin/sh\napt-get upgrade -y\n"),
    ]);
    std::fs::write(
        dir.path().join("raci-lint.yaml"),
        "severity: { unowned-duty: off }\n",
    )
    .unwrap();
    let out = raci(dir.path(), &["--write-baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert_eq!(text.matches("performs-provider-duty").count(), 1, "{text}");

    std::fs::write(
        dir.path().join("patch.sh"),
        "#!/bin/sh\napt-get upgrade -y\napt-get upgrade -y\n",
    )
    .unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    let found = diagnostics(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "performs-provider-duty");
    assert_eq!(found[0].2, "3:1");
}

#[test]
fn an_entry_that_matches_nothing_is_a_note_at_its_fingerprint() {
    let dir = repo(&[("infra/raci.yaml", TWO_CLAIMS)]);
    unowned_off(dir.path());
    raci(dir.path(), &["--write-baseline", "base.json"]);
    // `server-side-backup` is fixed: its entry (the second, fingerprint on line 12) no longer
    // matches.
    std::fs::write(
        dir.path().join("infra/raci.yaml"),
        TWO_CLAIMS.replace("  server-side-backup: ops\n", ""),
    )
    .unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        diagnostics(&out),
        [d(
            "unused-baseline-entry",
            "base.json",
            "12:23",
            "server-side-backup"
        )]
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["severity"], "note");

    // Checking only another folder does not call the entries of infra/ unused.
    std::fs::create_dir_all(dir.path().join("apps")).unwrap();
    std::fs::write(
        dir.path().join("apps/raci.yaml"),
        "provider: sysbee\nresponsibilities: {}\n",
    )
    .unwrap();
    let out = raci(
        dir.path(),
        &["--baseline", "base.json", "--format", "json", "apps"],
    );
    assert_eq!(diagnostics(&out), []);

    // The note can be turned off like any code.
    std::fs::write(
        dir.path().join("raci-lint.yaml"),
        "severity: { unowned-duty: off, unused-baseline-entry: off }\n",
    )
    .unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    assert_eq!(diagnostics(&out), []);
}

#[test]
fn the_config_names_the_baseline_relative_to_itself() {
    let dir = repo(&[
        ("infra/raci.yaml", TWO_CLAIMS),
        (
            "ci/raci-lint.yaml",
            "severity: { unowned-duty: off }\nevidence: false\nbaseline: baseline.json\n",
        ),
    ]);
    let out = raci(
        dir.path(),
        &[
            "--config",
            "ci/raci-lint.yaml",
            "--write-baseline",
            "ci/baseline.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = raci(dir.path(), &["--config", "ci/raci-lint.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    // `raci-lint config` shows where the baseline setting came from.
    let out = raci(dir.path(), &["config", "--config", "ci/raci-lint.yaml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("baseline:")).unwrap();
    assert!(
        line.contains("ci/baseline.json") && line.ends_with("# ci/raci-lint.yaml"),
        "{line}"
    );

    // --baseline replaces the config's: a missing file is an io-error, exit 2.
    let out = raci(
        dir.path(),
        &[
            "--config",
            "ci/raci-lint.yaml",
            "--baseline",
            "nope.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("nope.json: error[io-error] cannot read `nope.json`")),
        "{text}"
    );

    // An empty `baseline` in the config is refused at its spot.
    std::fs::write(dir.path().join("ci/raci-lint.yaml"), "baseline: ''\n").unwrap();
    let out = raci(
        dir.path(),
        &["--config", "ci/raci-lint.yaml", "--format", "concise"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next().unwrap(),
        "ci/raci-lint.yaml:1:11: error[invalid-yaml] `baseline` is empty"
    );
}

/// A bad baseline: (file text, line:column of the finding, words of its message).
const BROKEN: &[(&str, &str, &str)] = &[
    (
        "{\"version\": 1, \"findings\": [\n  {\"fingerprint\": \"3fbbb184ce4b1069\",}\n]}\n",
        "2:38",
        "key must be a string",
    ),
    (
        "{\"version\": 2, \"findings\": []}\n",
        "1:2",
        "format version 2, newer than this raci-lint reads (version 1)",
    ),
    (
        "{\"version\": \"1\", \"findings\": []}\n",
        "1:2",
        "`version` is \"1\"",
    ),
    ("{\"findings\": []}\n", "1:1", "no `version`"),
    (
        "{\"version\": 1, \"findings\": [{\"fingerprint\": \"xyz\", \"code\": \"io-error\"}]}\n",
        "1:46",
        "`xyz` is not a fingerprint",
    ),
    (
        "{\"version\": 1, \"findings\": [{\"fingerprnt\": \"3fbbb184ce4b1069\"}]}\n",
        "1:41",
        "unknown field `fingerprnt`",
    ),
    ("[1, 2]\n", "1:1", "not a JSON object"),
    ("", "1:1", "EOF"),
];

#[test]
fn a_broken_or_newer_baseline_is_refused_at_the_spot_and_the_run_goes_on() {
    for (text, at, words) in BROKEN {
        let dir = repo(&[("infra/raci.yaml", TWO_CLAIMS), ("base.json", text)]);
        unowned_off(dir.path());
        let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let found = diagnostics(&out);
        // The findings are all reported, nothing hidden, with the baseline's problem first.
        assert_eq!(found.len(), 3, "{text}: {found:?}");
        assert_eq!(
            found[0],
            d("invalid-baseline", "base.json", at, ""),
            "{text}"
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let message = report["diagnostics"][0]["message"].as_str().unwrap();
        assert!(
            message.starts_with("baseline: ") && message.contains(words),
            "{text}: {message}"
        );
    }
}

#[test]
fn a_run_that_exits_2_does_not_write_the_baseline() {
    let dir = repo(&[
        ("infra/raci.yaml", TWO_CLAIMS),
        ("base.json", "keep me"),
        ("raci-lint.yaml", "severty: {}\n"),
    ]);
    let out = raci(
        dir.path(),
        &["--write-baseline", "base.json", "--format", "concise"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not written"));
    // Nothing is hidden either: the config problem is reported, not a baseline summary.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[invalid-yaml]"), "{stdout}");
    assert!(!stdout.contains("in the baseline"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("base.json")).unwrap(),
        "keep me"
    );

    // An unreadable ownership file (exit 2) keeps the other files' findings visible too.
    let dir = repo(&[
        ("a/raci.yaml", TWO_CLAIMS),
        (
            "b/raci.yaml",
            "provider: sysbee
",
        ),
    ]);
    std::fs::remove_file(dir.path().join("b/raci.yaml")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/raci.yaml", dir.path().join("b/raci.yaml")).unwrap();
    let out = raci(
        dir.path(),
        &[
            "--write-baseline",
            "base.json",
            "--format",
            "concise",
            "--no-evidence",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[claims-provider-duty]"), "{stdout}");
    assert!(!dir.path().join("base.json").exists());
}

#[test]
fn writing_replaces_the_old_baseline_whatever_it_held() {
    // --write-baseline does not read --baseline: a broken old file is simply replaced.
    let dir = repo(&[("infra/raci.yaml", TWO_CLAIMS), ("base.json", "{broken")]);
    unowned_off(dir.path());
    let out = raci(
        dir.path(),
        &[
            "--baseline",
            "base.json",
            "--write-baseline",
            "base.json",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(out.stderr, b"");
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    // The same findings give the same file, byte for byte.
    raci(
        dir.path(),
        &["--write-baseline", "again.json", "--threads", "1"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again.json")).unwrap(),
        text
    );
}

#[test]
fn a_parse_error_is_never_recorded_so_a_different_one_is_not_hidden() {
    let dir = repo(&[("infra/raci.yaml", "provider: sysbee\nresponsibilites: {}\n")]);
    unowned_off(dir.path());
    let out = raci(
        dir.path(),
        &["--write-baseline", "base.json", "--format", "concise"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(!text.contains("invalid-yaml"), "{text}");
    std::fs::write(dir.path().join("infra/raci.yaml"), "provider: [sysbee\n").unwrap();
    let out = raci(dir.path(), &["--baseline", "base.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(diagnostics(&out)[0].0, "invalid-yaml");
}

#[test]
fn findings_past_max_findings_are_recorded_and_hidden_like_the_rest() {
    // max-findings 3, and 15 unowned duties plus 20 matches of a script: a baseline written
    // holds all 35, and read back hides all 35, none cut and counted first. A new match is then
    // the one finding, on one thread or two.
    let dir = repo(&[
        ("raci-lint.yaml", "max-findings: 3\n"),
        (
            "raci.yaml",
            "provider: sysbee\nresponsibilities:\n  server-os-patching: { informed: ops }\n",
        ),
        ("up.sh", &"apt-get -y dist-upgrade\n".repeat(20)),
    ]);
    let root = dir.path();
    let written = raci(root, &["--write-baseline", "b.json", "--format", "json"]);
    assert_eq!(written.status.code(), Some(0));
    let baseline: Value =
        serde_json::from_slice(&std::fs::read(root.join("b.json")).unwrap()).expect("a baseline");
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 35);
    let summary = |out: &Output| -> Value {
        let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        report["summary"].clone()
    };
    for threads in ["1", "2"] {
        let args = [
            "--baseline",
            "b.json",
            "--deny-warnings",
            "--format",
            "json",
            "--threads",
            threads,
        ];
        let out = raci(root, &args);
        assert_eq!(diagnostics(&out), []);
        assert_eq!(summary(&out)["dropped"], 0);
        assert_eq!(out.status.code(), Some(0));
    }
    let mut script = "apt-get -y dist-upgrade\n".repeat(20);
    script.push_str("yum -y update\n");
    std::fs::write(root.join("up.sh"), script).unwrap();
    let out = raci(root, &["--baseline", "b.json", "--format", "json"]);
    assert_eq!(
        diagnostics(&out),
        [d(
            "performs-provider-duty",
            "up.sh",
            "21:1",
            "server-os-patching"
        )]
    );
    assert_eq!(summary(&out)["dropped"], 0);
}

#[test]
fn diff_and_write_baseline_together_are_refused() {
    // --diff writes nothing: a baseline asked of the same run would silently not be written.
    let dir = repo(&[("raci.yaml", TWO_CLAIMS)]);
    let out = raci(dir.path(), &["--diff", "--write-baseline", "b.json", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'--diff' cannot be used with '--write-baseline <FILE>'"),
        "{stderr}"
    );
    assert!(!dir.path().join("b.json").exists());
}
