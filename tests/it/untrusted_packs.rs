//! User packs and repositories are untrusted: a huge pattern, too many globs or rules, an
//! oversized pack or a FIFO given as a pack are clear `pack-*` or `io-error` findings (exit 2),
//! never an out-of-memory or a hang; symbolic links never lead the run out of the PATH given.

use crate::common::{repo, run};
use raci_lint::Outcome;

fn pack_with_rule(pattern: &str, files: &str) -> String {
    format!(
        "provider: {{ id: acme, name: Acme }}\nactivities:\n  - id: patching\n    title: Patching\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence:\n      - id: rule\n        files: {files}\n        pattern: '{pattern}'\n"
    )
}

fn pack_codes(pack: &str) -> (Vec<String>, Outcome) {
    let dir = repo(&[("acme.yaml", pack), ("raci.yaml", "provider: acme\n")]);
    let file = dir.path().join("acme.yaml");
    let (report, outcome) = run(&[
        "--packs",
        file.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let codes = report
        .findings
        .iter()
        .filter(|f| f.code.is_pack())
        .map(|f| f.code.to_string())
        .collect();
    (codes, outcome)
}

#[test]
fn a_pattern_too_big_to_compile_is_a_pack_error() {
    // Compiles to far more than the 1 MiB limit: refused, not built.
    let (codes, outcome) = pack_codes(&pack_with_rule(r"\w{500}\w{500}\w{500}", "[\"**\"]"));
    assert_eq!(codes, ["pack-bad-regex"]);
    assert_eq!(outcome, Outcome::Broken);
    let long = "a".repeat(20_000);
    let (codes, _) = pack_codes(&pack_with_rule(&long, "[\"**\"]"));
    assert_eq!(codes, ["pack-bad-regex"]);
}

#[test]
fn too_many_or_too_long_globs_are_pack_errors() {
    let many: Vec<String> = (0..300).map(|i| format!("\"d{i}/**\"")).collect();
    let (codes, _) = pack_codes(&pack_with_rule("x", &format!("[{}]", many.join(", "))));
    assert_eq!(codes, ["pack-bad-glob"]);
    let long = format!("[\"{}\"]", "a/".repeat(1000));
    let (codes, _) = pack_codes(&pack_with_rule("x", &long));
    assert_eq!(codes, ["pack-bad-glob"]);
}

#[test]
fn too_many_rules_is_a_pack_error() {
    let mut pack = pack_with_rule("x0", "[\"**\"]");
    for i in 1..1001 {
        pack.push_str(&format!(
            "      - {{ id: r{i}, files: [\"**\"], pattern: x{i} }}\n"
        ));
    }
    let (codes, outcome) = pack_codes(&pack);
    assert_eq!(codes, ["pack-invalid-yaml"]);
    assert_eq!(outcome, Outcome::Broken);
}

#[test]
fn an_oversized_pack_is_refused_unread() {
    let dir = repo(&[("raci.yaml", "provider: sysbee\n")]);
    let pack = dir.path().join("big.yaml");
    std::fs::File::create(&pack)
        .unwrap()
        .set_len(64 * 1024 * 1024)
        .unwrap();
    let (report, outcome) = run(&[
        "--packs",
        pack.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let f = report.findings.iter().find(|f| f.code.is_pack()).unwrap();
    assert_eq!(f.code.as_str(), "pack-invalid-yaml");
    assert!(f.message.contains("too large"), "{}", f.message);
    assert_eq!(outcome, Outcome::Broken);
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_a_pack_does_not_hang() {
    let dir = repo(&[("raci.yaml", "provider: sysbee\n")]);
    let fifo = dir.path().join("pack.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    let (report, outcome) = run(&[
        "--packs",
        fifo.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code.as_str() == "io-error")
    );
    assert_eq!(outcome, Outcome::Broken);
}

#[cfg(unix)]
#[test]
fn symbolic_links_never_lead_out_of_the_path() {
    use std::os::unix::fs::symlink;
    let outside = repo(&[
        ("raci.yaml", "provider: sysbe\n"),
        ("patch.sh", "sudo apt-get -y dist-upgrade\n"),
    ]);
    let inside = repo(&[
        (
            "infra/raci.yaml",
            "provider: sysbee\nresponsibilities:\n  seo-issues: web\n",
        ),
        ("infra/local.sh", "sudo apt-get -y dist-upgrade\n"),
    ]);
    let infra = inside.path().join("infra");
    symlink(
        outside.path().join("raci.yaml"),
        infra.join("other.raci.yaml"),
    )
    .unwrap();
    symlink(outside.path().join("patch.sh"), infra.join("patch.sh")).unwrap();
    symlink(infra.join("local.sh"), infra.join("alias.sh")).unwrap();
    let (report, _) = run(&["--verbose", inside.path().to_str().unwrap()]);
    let got: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.code.as_str() != "unowned-duty")
        .map(|f| {
            let p = f.path.clone().unwrap();
            (p.rsplit('/').next().unwrap().to_owned(), f.code.to_string())
        })
        .collect();
    assert_eq!(
        got,
        [
            // A link inside the PATH is followed; the one out of it is not read.
            ("alias.sh".to_owned(), "performs-provider-duty".to_owned()),
            ("local.sh".to_owned(), "performs-provider-duty".to_owned()),
            ("other.raci.yaml".to_owned(), "io-error".to_owned()),
        ]
    );
    assert_eq!(report.summary.skipped, 1);
    assert!(
        report.skipped[0].ends_with("patch.sh (link out of the PATH)"),
        "{:?}",
        report.skipped
    );
}
