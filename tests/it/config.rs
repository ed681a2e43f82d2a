//! The config file (DESIGN section 6): found from the current folder up to the repository root
//! or given with --config; every key; layers (defaults < file < command line); severities, with
//! `off` beating every flag; every problem an invalid-yaml finding in the file, exit 2.

use std::process::Command;

use crate::common::{repo, row, rows, run};
use raci_lint::Outcome;

const UNOWNED: &str = "provider: sysbee\nresponsibilities: {}\n";

fn with_config(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let mut all = vec![("raci-lint.yaml", config)];
    all.extend_from_slice(files);
    repo(&all)
}

fn lint(dir: &tempfile::TempDir, extra: &[&str]) -> (raci_lint::Report, Outcome) {
    let config = dir.path().join("raci-lint.yaml");
    let root = dir.path().to_str().unwrap();
    let mut args = vec!["--config", config.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(root);
    run(&args)
}

#[test]
fn severity_levels_and_off() {
    let dir = with_config(
        "severity:\n  unowned-duty: note\n  claims-provider-duty: warning\n",
        &[(
            "raci.yaml",
            "provider: sysbee\nresponsibilities:\n  server-setup: ops\n",
        )],
    );
    let (report, outcome) = lint(&dir, &[]);
    assert_eq!(report.summary.errors, 0);
    assert_eq!(report.summary.warnings, 1);
    assert_eq!(report.summary.notes, 15);
    assert_eq!(outcome, Outcome::Clean);
    // --strict raises unowned-duty to an error whatever the file says, but not past `off`.
    let (report, outcome) = lint(&dir, &["--strict"]);
    assert_eq!((report.summary.errors, outcome), (15, Outcome::Failed));
    let off = with_config(
        "severity: { unowned-duty: off }\n",
        &[("raci.yaml", UNOWNED)],
    );
    let (report, outcome) = lint(&off, &["--strict", "--deny-warnings"]);
    assert_eq!(rows(&report), []);
    assert_eq!(outcome, Outcome::Clean);
}

#[test]
fn ownership_files_replace_the_defaults_and_exclude_leaves_out() {
    let dir = with_config(
        "ownership-files: [\"**/owners.yaml\"]\nexclude: [\"vendor/**\"]\n",
        &[
            ("a/owners.yaml", "provider: sysbe\n"),
            ("b/raci.yaml", "provider: sysbe\n"),
            ("vendor/x/owners.yaml", "provider: sysbe\n"),
        ],
    );
    let (report, _) = lint(&dir, &[]);
    let paths: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.path.as_deref().unwrap())
        .collect();
    assert_eq!(paths.len(), 1);
    assert!(paths[0].ends_with("a/owners.yaml"), "{paths:?}");
}

#[test]
fn packs_are_relative_to_the_config_file_and_add_to_packs_flags() {
    let pack = "provider: { id: acme, name: Acme }\nactivities:\n  - { id: ops, title: Ops, category: x, provider: [R, A], customer: [I] }\n";
    let dir = with_config(
        "packs: [\"rules/\"]\n",
        &[
            ("rules/acme.yaml", pack),
            ("raci.yaml", "provider: acme\nresponsibilities:\n  ops: x\n"),
        ],
    );
    let (report, outcome) = lint(&dir, &[]);
    assert_eq!(
        rows(&report),
        [row("claims-provider-duty", "3:3", "3:9", Some("ops"))]
    );
    assert_eq!(outcome, Outcome::Failed);
}

#[test]
fn evidence_and_max_file_size() {
    let pack = "provider: { id: acme, name: Acme }\nactivities:\n  - id: ops\n    title: Ops\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence: [{ id: up, files: [\"**/*.sh\"], pattern: 'apt-get upgrade' }]\n";
    let files = [
        ("rules/acme.yaml", pack),
        ("raci.yaml", "provider: acme\n"),
        ("small.sh", "apt-get upgrade\n"),
    ];
    let big = "#".repeat(2048) + "\napt-get upgrade\n";
    let mut with_big = files.to_vec();
    with_big.push(("big.sh", &big));
    let dir = with_config("packs: [rules]\nmax-file-size: 1KiB\n", &with_big);
    let (report, _) = lint(&dir, &[]);
    assert_eq!((report.summary.scanned, report.summary.skipped), (1, 1));
    let off = with_config("packs: [rules]\nevidence: false\n", &files);
    let (report, _) = lint(&off, &[]);
    assert_eq!(report.summary.scanned, 0);
    // The command line wins over the file: --no-evidence over `evidence: true`.
    let on = with_config("packs: [rules]\nevidence: true\n", &files);
    let (report, _) = lint(&on, &["--no-evidence"]);
    assert_eq!(report.summary.scanned, 0);
}

#[test]
fn every_problem_is_invalid_yaml_in_the_config_file_and_exit_2() {
    let cases = [
        (
            "ownership-file: [\"x\"]\n",
            "1:1",
            "did you mean `ownership-files`?",
        ),
        (
            "severity:\n  unowned-dutty: off\n",
            "2:3",
            "did you mean `unowned-duty`?",
        ),
        (
            "severity:\n  unowned-duty: loud\n",
            "2:17",
            "`error`, `warning`, `note` or `off`",
        ),
        ("max-file-size: 1 parsec\n", "1:16", "`512KiB`"),
        ("evidence: maybe\n", "1:11", ""),
        ("exclude: [\"[bad\"]\n", "1:11", "globset"),
        ("baseline: ''\n", "1:11", "relative to this config file"),
        ("baseline: [a]\n", "1:11", ""),
    ];
    for (config, at, help) in cases {
        let dir = with_config(config, &[("raci.yaml", "provider: sysbe\n")]);
        let (report, outcome) = lint(&dir, &[]);
        assert_eq!(outcome, Outcome::Broken, "{config}");
        assert_eq!(
            report.findings.len(),
            1,
            "only the config finding: {config}"
        );
        let f = &report.findings[0];
        assert_eq!(f.code.as_str(), "invalid-yaml", "{config}");
        assert!(f.path.as_deref().unwrap().ends_with("raci-lint.yaml"));
        let p = f.start().unwrap();
        assert_eq!(format!("{}:{}", p.line, p.column), at, "{config}");
        assert!(
            f.help.as_deref().unwrap_or("").contains(help),
            "{config}: {:?}",
            f.help
        );
    }
}

#[test]
fn found_from_the_current_folder_up_to_the_repository_root() {
    let dir = repo(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        (
            ".raci-lint.yaml",
            "severity: { unknown-provider: warning }\n",
        ),
        ("svc/deep/raci.yaml", "provider: sysbe\n"),
    ]);
    let run_in = |sub: &str| {
        Command::new(env!("CARGO_BIN_EXE_raci-lint"))
            .current_dir(dir.path().join(sub))
            .output()
            .unwrap()
    };
    // From a sub-folder the repository's config applies: the finding is only a warning.
    let out = run_in("svc/deep");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A config above the repository root is not used.
    let outer = repo(&[
        ("raci-lint.yaml", "severity: { unknown-provider: off }\n"),
        ("inner/.git/HEAD", "ref: refs/heads/main\n"),
        ("inner/raci.yaml", "provider: sysbe\n"),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .current_dir(outer.path().join("inner"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn config_subcommand_prints_each_setting_and_its_origin() {
    let dir = with_config("evidence: false\nseverity: { unowned-duty: off }\n", &[]);
    let config = dir.path().join("raci-lint.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(["config", "--strict", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Codes sit under `severity:`, command-line-only settings are comments.
    let line = |name: &str| {
        text.lines()
            .find(|l| {
                l.trim_start_matches(['#', ' '])
                    .starts_with(&format!("{name}: "))
            })
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    assert!(line("evidence").contains("false") && line("evidence").ends_with("raci-lint.yaml"));
    assert!(
        line("unowned-duty").contains(": off") && line("unowned-duty").ends_with("raci-lint.yaml")
    );
    assert!(line("claims-provider-duty").ends_with("# default"));
    assert!(line("strict").contains("true") && line("strict").ends_with("# command line"));
    assert!(line("max-file-size").contains("1048576"));
}

#[test]
fn the_example_config_is_valid() {
    let config = raci_lint::config::load(std::path::Path::new("fixtures/config/raci-lint.yaml"))
        .expect("fixtures/config/raci-lint.yaml is valid");
    assert_eq!(config.max_file_size, Some(512 * 1024));
    assert_eq!(config.severity.len(), 4);
    // Relative to the config file's folder.
    assert_eq!(
        config.baseline.as_deref(),
        Some(std::path::Path::new(
            "fixtures/config/.raci-lint-baseline.json"
        ))
    );
}
