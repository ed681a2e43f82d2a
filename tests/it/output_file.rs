//! `--output FILE` writes the report atomically and leaves stdout empty; a failed write is
//! exit 2 with a message, and the old file is left as it was.

use std::process::Command;

fn raci_lint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_raci-lint"))
}

#[test]
fn output_file_replaces_the_report_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "old report").unwrap();
    let run = raci_lint()
        .args(["--format", "json", "--output"])
        .arg(&out)
        .arg("fixtures/demo")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "claims-provider-duty");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn unwritable_output_is_exit_2() {
    let run = raci_lint()
        .args(["--output", "/nonexistent-dir/report.txt", "fixtures/clean"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cannot write the report"), "{stderr}");
}

#[test]
fn no_color_is_honoured_and_color_always_wins() {
    let run = raci_lint()
        .env("NO_COLOR", "1")
        .args(["fixtures/demo"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&run.stdout).contains("\x1b["));
    let run = raci_lint()
        .env("NO_COLOR", "1")
        .args(["--color", "always", "fixtures/demo"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&run.stdout).contains("\x1b["));
}

#[test]
fn verbose_lists_packs_and_files_on_stderr() {
    let run = raci_lint().args(["-v", "fixtures/clean"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("pack: sysbee (rules/sysbee.yaml)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("checked: fixtures/clean/billing/raci.yaml"),
        "{stderr}"
    );
    assert_eq!(run.status.code(), Some(0));
}

#[test]
fn verbose_lists_every_pack_even_one_no_file_names() {
    // Only Sysbee is named: the cegedim.cloud pack is not parsed, but is still in force.
    let run = raci_lint()
        .args(["-v", "fixtures/headline/sysbee-os-patching"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    let packs: Vec<&str> = stderr.lines().filter(|l| l.starts_with("pack: ")).collect();
    assert_eq!(
        packs,
        [
            "pack: cegedim-cloud (rules/cegedim-cloud.yaml)",
            "pack: sysbee (rules/sysbee.yaml)"
        ],
        "{stderr}"
    );
    assert_eq!(run.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn output_file_is_an_ordinary_readable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.txt");
    let status = raci_lint()
        .arg("--output")
        .arg(&out)
        .arg("fixtures/clean")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
}
