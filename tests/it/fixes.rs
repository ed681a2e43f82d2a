//! Fixes (DESIGN section 8). Properties over every fixture and over generated ownership files in
//! every style (block and flow, quoted names, comments, CRLF, a BOM): each fix on its own leaves
//! a file that loads; `--fix --unsafe-fixes` leaves no fixable finding, keeps the BOM, the line
//! ends and every comment it did not remove, and a second `--fix` changes nothing.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::prelude::*;
use raci_lint::diag::{Edit, Sink};
use raci_lint::load::ownership;
use raci_lint::model::Packs;
use raci_lint::source::SourceFile;
use raci_lint::{Report, checks, fix};

static PACKS: LazyLock<Packs> = LazyLock::new(common::builtin_packs);

/// The findings of one ownership file's text, as the per-document core reports them.
fn findings(text: &str) -> Vec<raci_lint::diag::Finding> {
    static SETTINGS: LazyLock<raci_lint::settings::Settings> =
        LazyLock::new(|| common::settings(&[]));
    let source = SourceFile::new("raci.yaml", text);
    raci_lint::document::ownership_findings(&source, &PACKS, Path::new("/repo"), &SETTINGS)
}

fn loads(text: &str) -> bool {
    ownership::load(&SourceFile::new("raci.yaml", text)).is_ok()
}

/// Runs `raci-lint ARGS` in-process and writes what `--fix` would write, as `main` does.
fn fix_run(args: &[&str]) -> Report {
    let settings = common::settings(args);
    let report = raci_lint::check(&settings);
    for (path, bytes) in &report.writes {
        std::fs::write(path, bytes).unwrap();
    }
    report
}

/// Every ownership file under `dir`.
fn ownership_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("raci.yaml") || n.ends_with("raci.yml"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_tree(&src, &dst);
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Comments (`# ...` to the end of the line) that a fix must leave alone.
fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| {
            l.find(" #")
                .map(|i| &l[i + 1..])
                .or_else(|| l.trim_start().starts_with('#').then_some(l.trim_start()))
        })
        .map(str::trim_end)
        .collect()
}

/// What `--fix` must keep of a file: its BOM, its line ends, its comments.
fn assert_kept(before: &[u8], after: &[u8], removed_comments: &[&str], what: &str) {
    let bom = |b: &[u8]| b.starts_with(b"\xef\xbb\xbf");
    assert_eq!(bom(before), bom(after), "BOM of {what}");
    let (before, after) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after),
    );
    let crlf = |t: &str| t.contains("\r\n");
    let bare_lf = |t: &str| t.replace("\r\n", "").contains('\n');
    if crlf(&before) && !bare_lf(&before) {
        assert!(!bare_lf(&after), "{what} lost its CRLF line ends:\n{after}");
    }
    if !crlf(&before) {
        assert!(!crlf(&after), "{what} gained CRLF line ends");
    }
    for comment in comments(&before) {
        if !removed_comments.contains(&comment) {
            assert!(after.contains(comment), "{what} lost `{comment}`:\n{after}");
        }
    }
}

/// Each fix alone, applied to the text it was built from, leaves a file that loads, and
/// changes nothing outside its edits.
fn each_fix_alone_loads(text: &str) {
    for f in findings(text) {
        let Some(fix) = &f.fix else { continue };
        let edits: Vec<&Edit> = fix.edits.iter().collect();
        let text = &f.source.as_ref().unwrap().text;
        let fixed = fix::apply(text, &edits);
        if f.code.as_str() == "invalid-yaml" {
            // A renamed key: the file loads, or stops at a later problem.
            let still = findings(&fixed);
            assert!(
                still
                    .iter()
                    .all(|g| g.start() != f.start() || g.code != f.code),
                "the rename did not remove the problem:\n{fixed}"
            );
            continue;
        }
        assert!(
            loads(&fixed),
            "the fix of {} leaves a file that does not load:\n{fixed}",
            f.code
        );
        let range = fix.range().unwrap();
        assert!(
            fixed.starts_with(&text[..range.start]),
            "text before the fix changed"
        );
        assert!(
            fixed.ends_with(&text[range.end..]),
            "text after the fix changed"
        );
    }
}

#[test]
fn every_fixture_fixes_cleanly() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let files = ownership_files(&fixtures);
    assert!(files.len() > 20, "fixtures found: {}", files.len());
    let mut fixed_any = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if loads(&text) {
            each_fix_alone_loads(&text);
        }
        // The whole fixture folder, fixed in a copy.
        let folder = file.parent().unwrap();
        let copy = tempfile::tempdir().unwrap();
        copy_tree(folder, copy.path());
        let target = copy.path().join(file.file_name().unwrap());
        let before = std::fs::read(&target).unwrap();
        let dir = copy.path().to_str().unwrap();
        let report = fix_run(&["--fix", "--unsafe-fixes", "--no-evidence", dir]);
        let after = std::fs::read(&target).unwrap();
        let shown = file.strip_prefix(&fixtures).unwrap().display().to_string();
        if before != after {
            fixed_any += 1;
            assert!(
                !loads(&String::from_utf8_lossy(&before))
                    || loads(&String::from_utf8_lossy(&after)),
                "{shown} no longer loads"
            );
            assert_kept(&before, &after, &[], &shown);
        }
        assert_eq!(
            report.summary.fixable + report.unsafe_fixable,
            0,
            "{shown}: fixable findings remain after --fix"
        );
        let again = fix_run(&["--fix", "--unsafe-fixes", "--no-evidence", dir]);
        assert_eq!(
            again.summary.fixed,
            Some(0),
            "{shown}: a second --fix fixed more"
        );
        assert_eq!(
            std::fs::read(&target).unwrap(),
            after,
            "{shown} changed again"
        );
    }
    assert!(fixed_any >= 8, "only {fixed_any} fixtures had fixes");
}

/// One generated ownership file: its text and the comments its fixes may remove (those on
/// waiver lines).
#[derive(Debug, Clone)]
struct Generated {
    text: String,
    bom: bool,
}

/// Sysbee activities: customer duties, provider duties, and shared ones.
const ACTIVITIES: &[&str] = &[
    "web-application-security",
    "web-application-development",
    "server-os-patching",
    "local-backup",
    "capacity-planning",
    "seo-issues",
];

fn name_style(name: &str, style: u8) -> String {
    match style % 3 {
        0 => name.to_owned(),
        1 => format!("\"{name}\""),
        _ => format!("'{name}'"),
    }
}

/// A misspelling one edit away: a letter dropped from the middle.
fn misspell(name: &str) -> String {
    let mid = name.len() / 2;
    format!("{}{}", &name[..mid], &name[mid + 1..])
}

prop_compose! {
    fn generated()(
        misspelt_provider in any::<bool>(),
        quote in any::<u8>(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        comment in any::<bool>(),
        decls in prop::collection::vec((0..ACTIVITIES.len(), 0u8..5, any::<bool>()), 0..5),
        registry in any::<bool>(),
        waivers in 0usize..3,
        flow_waivers in any::<bool>(),
        key_typo in prop::sample::select(vec![0u8, 0, 0, 1]),
    ) -> Generated {
        let provider = if misspelt_provider { "sysbe" } else { "sysbee" };
        let mut lines = vec!["# generated ownership file".to_owned()];
        let c = if comment { "   # who and why" } else { "" };
        lines.push(format!("provider: {}{c}", name_style(provider, quote)));
        if registry {
            lines.push("teams: { ops: {}, webteam: {} }".to_owned());
        }
        let mut seen = std::collections::BTreeSet::new();
        if !decls.is_empty() {
            // Now and then a misspelt key: the file does not load until it is renamed.
            lines.push(if key_typo == 1 { "responsibilites:" } else { "responsibilities:" }.to_owned());
        }
        for (i, form, typo) in decls {
            let id = ACTIVITIES[i];
            let key = if typo && registry { id.to_owned() } else if typo { misspell(id) } else { id.to_owned() };
            if !seen.insert(key.clone()) {
                continue;
            }
            let team = if typo && registry { "opz" } else { "ops" };
            match form {
                0 => lines.push(format!("  {key}: {team}{c}")),
                1 => lines.push(format!("  {key}: {{ responsible: {team}, accountable: webteam }}")),
                2 => {
                    lines.push(format!("  {key}:{c}"));
                    lines.push(format!("    responsible: [{team}, webteam]"));
                    lines.push("    informed: webteam".to_owned());
                }
                3 => {
                    lines.push(format!("  {key}:"));
                    lines.push(format!("    accountable: {}", name_style(team, quote)));
                }
                _ => lines.push(format!("  {key}: {}", name_style(team, quote))),
            }
        }
        if waivers > 0 {
            if flow_waivers {
                let items: Vec<String> = (0..waivers)
                    .map(|i| format!("{{code: activity-overridden, reason: \"not used {i}\"}}"))
                    .collect();
                lines.push(format!("waivers: [{}]", items.join(", ")));
            } else {
                lines.push("waivers:".to_owned());
                for i in 0..waivers {
                    lines.push("  - code: activity-overridden".to_owned());
                    lines.push(format!("    reason: not used {i}"));
                }
            }
        }
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(eol);
        text.push_str(eol);
        Generated { text, bom }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_fix_cleanly(g in generated()) {
        each_fix_alone_loads(&g.text);
        let had_fixes = findings(&g.text).iter().any(|f| f.fix.is_some());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("raci.yaml");
        let before = fix::bytes(&g.text, g.bom);
        std::fs::write(&path, &before).unwrap();
        let root = dir.path().to_str().unwrap();
        let report = fix_run(&["--fix", "--unsafe-fixes", root]);
        let after = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&after);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        prop_assert!(loads(text), "fixed file does not load:\n{text}");
        prop_assert_eq!(report.summary.fixable + report.unsafe_fixable, 0, "fixable left:\n{}", text);
        prop_assert_eq!(had_fixes, report.summary.fixed.unwrap_or(0) > 0);
        // Fixes change what they fix and nothing else.
        let left = findings(text);
        prop_assert!(left.iter().all(|f| f.fix.is_none()), "{left:?}");
        let removed: Vec<&str> = Vec::new();
        assert_kept(&before, &after, &removed, "the generated file");

        let again = fix_run(&["--fix", "--unsafe-fixes", root]);
        prop_assert_eq!(again.summary.fixed, Some(0));
        prop_assert_eq!(std::fs::read(&path).unwrap(), after);
    }
}

#[test]
fn unused_waivers_go_only_once_nothing_else_changes_what_is_checked() {
    // The provider is misspelt: until it is fixed nothing is checked and the waiver looks
    // unused. Fixing the provider first puts the waiver to use; it must survive.
    let dir = common::repo(&[(
        "raci.yaml",
        "provider: sysbe\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: later\n",
    )]);
    let root = dir.path().to_str().unwrap();
    let report = fix_run(&["--fix", "--unsafe-fixes", root]);
    let text = std::fs::read_to_string(dir.path().join("raci.yaml")).unwrap();
    assert!(text.starts_with("provider: sysbee\n"), "{text}");
    assert!(text.contains("code: unowned-duty"), "{text}");
    assert_eq!(report.summary.fixed, Some(1));
    let mut sink = Sink::default();
    let file = ownership::load(&SourceFile::new("raci.yaml", text.as_str())).unwrap();
    checks::ownership_file(file, &PACKS, &mut sink);
    assert!(
        sink.findings()
            .iter()
            .any(|f| f.code.as_str() == "unowned-duty")
    );
}

#[test]
fn safe_fixes_only_without_unsafe_fixes() {
    let dir = common::repo(&[
        (
            "shop/raci.yaml",
            "provider: sysbe\nwaivers:\n  - code: unowned-duty\n    reason: later\n",
        ),
        (
            "web/raci.yaml",
            "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: activity-overridden # stale\n    reason: old\n  - code: unowned-duty\n    reason: later\n",
        ),
    ]);
    let root = dir.path().to_str().unwrap();
    let report = fix_run(&["--fix", root]);
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    // The misspelt provider is a guess (unsafe): left. Its file is not checked, so its waiver
    // is not judged, not reported unused, and not removed.
    assert_eq!(
        read("shop/raci.yaml"),
        "provider: sysbe\nwaivers:\n  - code: unowned-duty\n    reason: later\n"
    );
    // The stale waiver of a checked file is removed (safe), with its comment.
    assert_eq!(
        read("web/raci.yaml"),
        "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: later\n"
    );
    assert_eq!(report.summary.fixed, Some(1));
    assert_eq!(report.unsafe_fixable, 1);
}

#[test]
fn the_generator_reaches_the_fixes_it_is_for() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let g = generated().new_tree(&mut runner).unwrap().current();
        for f in findings(&g.text) {
            if f.fix.is_some() {
                codes.insert(f.code.as_str());
            }
        }
    }
    let expected = [
        "claims-provider-duty",
        "invalid-yaml",
        "unknown-activity",
        "unknown-provider",
        "unknown-team",
        "unused-waiver",
    ];
    for code in expected {
        assert!(
            codes.contains(code),
            "no generated file has a {code} fix: {codes:?}"
        );
    }
}

#[test]
fn the_diff_applies_with_patch_and_gives_what_fix_writes() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/fix-diff.in");
    let bin = env!("CARGO_BIN_EXE_raci-lint");
    let patched = tempfile::tempdir().unwrap();
    copy_tree(&input, patched.path());
    let diff = std::process::Command::new(bin)
        .args(["--diff", "--unsafe-fixes", "."])
        .current_dir(patched.path())
        .output()
        .unwrap();
    assert_eq!(
        diff.status.code(),
        Some(1),
        "--diff exits 1 when there is something to fix"
    );
    let fixed = tempfile::tempdir().unwrap();
    copy_tree(&input, fixed.path());
    // --diff wrote nothing.
    for file in ["shop/raci.yaml", "ocr/raci.yaml"] {
        assert_eq!(
            std::fs::read(patched.path().join(file)).unwrap(),
            std::fs::read(input.join(file)).unwrap()
        );
    }
    assert!(
        patch(patched.path(), &diff.stdout),
        "patch refused the diff"
    );
    let status = std::process::Command::new(bin)
        .args(["--fix", "--unsafe-fixes", "--quiet", "."])
        .current_dir(fixed.path())
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0));
    for file in ["shop/raci.yaml", "ocr/raci.yaml"] {
        let (a, b) = (
            std::fs::read(patched.path().join(file)).unwrap(),
            std::fs::read(fixed.path().join(file)).unwrap(),
        );
        assert_eq!(
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b),
            "{file}"
        );
        assert_kept(
            &std::fs::read(input.join(file)).unwrap(),
            &b,
            &[
                "# misspelt: unknown-provider, renamed by --unsafe-fixes",
                "# nothing claims a provider duty here any more",
            ],
            file,
        );
    }
    // Nothing left to fix: --diff now exits 0 and prints nothing.
    let again = std::process::Command::new(bin)
        .args(["--diff", "--unsafe-fixes", "."])
        .current_dir(fixed.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

#[test]
fn stdin_with_fix_prints_the_fixed_file() {
    let dir = common::repo(&[]);
    let bin = env!("CARGO_BIN_EXE_raci-lint");
    let mut child = std::process::Command::new(bin)
        .args(["--fix", "--unsafe-fixes", "--format", "concise", "-"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        b"provider: sysbe # typo\nresponsibilities:\n  server-os-patching: ops\n",
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "provider: sysbee # typo\nresponsibilities:\n  server-os-patching: { informed: ops }\n"
    );
    // The report goes to stderr; nothing is written to disk.
    assert!(String::from_utf8_lossy(&out.stderr).contains("unowned-duty"));
    assert!(!dir.path().join("raci.yaml").exists());
}

#[test]
fn a_hostile_folder_name_cannot_forge_a_diff_header() {
    // A folder named to end the `+++` line and start one of its own, pointing `patch` at
    // another file.
    let evil = "x\n+++ b/.bashrc\n@@ -1 +1 @@";
    let dir = common::repo(&[(
        &format!("{evil}/raci.yaml"),
        "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: activity-overridden\n    reason: old\n",
    )]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(["--diff", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("+++")).collect();
    assert_eq!(
        headers,
        [r#"+++ "b/x\n+++ b/.bashrc\n@@ -1 +1 @@/raci.yaml""#],
        "{diff}"
    );
    assert_eq!(
        diff.lines().filter(|l| l.starts_with("@@")).count(),
        1,
        "{diff}"
    );
}

#[test]
fn an_allow_is_read_only_in_a_comment_and_its_removal_changes_no_command() {
    const OWNER: &str = "provider: sysbee\nresponsibilities:\n  local-backup: ops\n";
    // In a string, `raci-lint: allow(...)` is text the script prints or stores: it hides no
    // finding, and no fix cuts the string. After a line continued with `\`, the unused allow's
    // line is emptied, not removed, so `echo done` stays a command of its own.
    let strings = "#!/bin/sh\necho \"tip: raci-lint: allow(server-setup) silences it\"\nMSG=\"raci-lint: allow(server-os-patching) x\"\napt-get -y upgrade\n";
    let continued = "#!/bin/sh\nyum update \\\n  # raci-lint: allow(server-os-patching) golden image\necho done\n";
    let task = "- debug:\n    msg: \"raci-lint: allow(server-os-patching) y\"\n";
    let dir = common::repo(&[
        ("raci.yaml", OWNER),
        ("strings.sh", strings),
        ("continued.sh", continued),
        ("play.yml", task),
    ]);
    let lint = |args: &[&str]| binary(dir.path(), args);
    let out = lint(&["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<(String, String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "unowned-duty")
        .map(|d| {
            let path = d["path"].as_str().unwrap().to_owned();
            (
                path,
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    let row = |p: &str, c: &str, l: u64| (p.to_owned(), c.to_owned(), l);
    assert_eq!(
        found,
        [
            row("continued.sh", "performs-provider-duty", 2),
            row("continued.sh", "unused-waiver", 3),
            row("strings.sh", "performs-provider-duty", 4),
        ]
    );
    let fixed = lint(&["--fix", "."]);
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stdout)
    );
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert_eq!(read("strings.sh"), strings);
    assert_eq!(read("play.yml"), task);
    assert_eq!(
        read("continued.sh"),
        "#!/bin/sh\nyum update \\\n\necho done\n"
    );
}

#[test]
fn fixes_past_max_findings_are_counted_and_applied() {
    // 30 ownership files, each with a waiver that waives nothing, and max-findings 2: the
    // findings past the limit are counted, not shown, and their fixes too; --diff and --fix
    // reach every one of them.
    const USED: &str = "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: later\n";
    let stale = format!("{USED}  - code: activity-overridden\n    reason: old\n");
    let mut files: Vec<(String, &str)> = (0..30)
        .map(|i| (format!("team{i:02}/raci.yaml"), stale.as_str()))
        .collect();
    files.push(("raci-lint.yaml".to_owned(), "max-findings: 2\n"));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = common::repo(&files);
    let lint = |args: &[&str]| binary(dir.path(), args);
    let out = lint(&["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["fixable"], 30, "{}", report["summary"]);
    assert_eq!(report["summary"]["dropped"], 28);
    let diff = lint(&["--diff", "."]);
    let diff = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.lines().filter(|l| l.starts_with("+++ ")).count(), 30);
    let fixed = lint(&["--fix", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&fixed.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 30);
    for i in 0..30 {
        let text = std::fs::read_to_string(dir.path().join(format!("team{i:02}/raci.yaml")));
        assert_eq!(text.unwrap(), USED, "team{i:02}");
    }
}

#[test]
fn a_diff_names_odd_folders_so_that_patch_finds_them() {
    // A folder with a space and one whose name is not UTF-8: `patch -p1` applies the diff to
    // the right files, which then equal what --fix writes.
    use std::os::unix::ffi::OsStrExt;
    const STALE: &str = "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: later\n  - code: activity-overridden\n    reason: old\n";
    let folders: [&[u8]; 2] = [b"sp ace", b"nonutf\xe9"];
    let make = || {
        let dir = common::repo(&[]);
        for folder in folders {
            let folder = dir.path().join(std::ffi::OsStr::from_bytes(folder));
            std::fs::create_dir(&folder).unwrap();
            std::fs::write(folder.join("raci.yaml"), STALE).unwrap();
        }
        dir
    };
    let (patched, fixed) = (make(), make());
    let diff = binary(patched.path(), &["--diff", "."]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(
        patch(patched.path(), &diff.stdout),
        "patch refused the diff:\n{}",
        String::from_utf8_lossy(&diff.stdout)
    );
    let out = binary(fixed.path(), &["--fix", "--quiet", "."]);
    assert_eq!(out.status.code(), Some(0));
    for folder in folders {
        let file = |dir: &tempfile::TempDir| {
            let path = dir.path().join(std::ffi::OsStr::from_bytes(folder));
            std::fs::read_to_string(path.join("raci.yaml")).unwrap()
        };
        assert!(!file(&fixed).contains("activity-overridden"));
        assert_eq!(file(&patched), file(&fixed));
    }
}

#[test]
fn an_unused_waiver_written_as_a_flow_mapping_is_removed_too() {
    // `- {code: ..., reason: ...}` is a block list item in flow style: its line goes, as a
    // block entry's lines do; the last one takes the `waivers:` key with it.
    const HEAD: &str = "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\n";
    let two = format!(
        "{HEAD}waivers:\n  - {{code: unowned-duty, reason: later}}\n  - {{code: activity-overridden, reason: old}}\n"
    );
    let one = format!("{HEAD}waivers:\n  - {{code: activity-overridden, reason: old}}\n");
    let dir = common::repo(&[
        ("two/raci.yaml", two.as_str()),
        ("one/raci.yaml", one.as_str()),
    ]);
    let out = binary(dir.path(), &["--fix", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 2, "{}", report["summary"]);
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert_eq!(
        read("two/raci.yaml"),
        format!("{HEAD}waivers:\n  - {{code: unowned-duty, reason: later}}\n")
    );
    assert_eq!(read("one/raci.yaml"), HEAD);
}

/// The binary run in `dir` with `args`.
fn binary(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `patch -p1` applies `diff` in `dir`; whether it succeeded.
fn patch(dir: &Path, diff: &[u8]) -> bool {
    let mut patch = std::process::Command::new("patch")
        .args(["-p1", "--quiet", "--no-backup-if-mismatch"])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("`patch` is installed");
    std::io::Write::write_all(patch.stdin.as_mut().unwrap(), diff).unwrap();
    patch.wait().unwrap().success()
}
