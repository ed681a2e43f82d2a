//! Untrusted input (DESIGN section 9), through the real binary: a repository from a hostile pull
//! request reads nothing outside itself, cannot spoof the CI log, keeps every finding, and
//! cannot make raci-lint destroy files. Big inputs are generated here, never committed; no test
//! measures time (bench/hostile.sh does), a watchdog only catches hangs.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const HANG: Duration = Duration::from_secs(120);

const CLAIM: &str = "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n";

/// Runs raci-lint in `dir` with `args`, killed if it hangs.
fn raci<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // The pipes are drained while we wait, so a large report cannot block the child.
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output().unwrap()));
    match wait.recv_timeout(HANG) {
        Ok(out) => out,
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("raci-lint hung in {}", dir.display());
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary git repository (a `.git` folder is all a root needs) with `files`.
fn repo(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .filter(|c| c != "unowned-duty")
        .collect()
}

#[test]
fn config_paths_outside_the_repository_are_refused_and_nothing_is_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = "provider: { id: leak, name: SECRET-TOKEN-123 }\nactivities: []\n";
    std::fs::write(outside.path().join("pack.yaml"), secret).unwrap();
    std::fs::write(outside.path().join("base.json"), "SECRET-TOKEN-123").unwrap();
    let out_pack = outside.path().join("pack.yaml");
    let config = format!(
        "packs: [\"/proc/self/environ\", \"../../../../../etc/passwd\", \"{}\", \"linked/\", \"rules/\"]\nbaseline: {}\n",
        out_pack.display(),
        outside.path().join("base.json").display()
    );
    let dir = repo(&[
        ("raci-lint.yaml", config.as_bytes()),
        ("raci.yaml", CLAIM.as_bytes()),
        (
            "rules/ok.yaml",
            b"provider: { id: mine, name: Mine }\nactivities: []\n",
        ),
    ]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
    std::os::unix::fs::symlink(&out_pack, dir.path().join("rules/evil.yaml")).unwrap();
    for format in ["human", "json", "concise"] {
        let out = raci(dir.path(), &["--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!all.contains("SECRET-TOKEN-123"), "{all}");
        assert!(!all.contains("PATH="), "{all}");
        assert!(!all.contains("root:x:0"), "{all}");
        assert!(all.contains("outside-repository"), "{all}");
    }
    let report = json(&raci(dir.path(), &["--format", "json"]));
    let outside: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "outside-repository")
        .map(|d| (d["path"].as_str().unwrap().to_owned(), d["line"].as_u64()))
        .collect();
    assert_eq!(
        outside,
        [
            ("raci-lint.yaml".to_owned(), Some(1)),
            ("raci-lint.yaml".to_owned(), Some(1)),
            ("raci-lint.yaml".to_owned(), Some(1)),
            ("raci-lint.yaml".to_owned(), Some(1)),
            ("raci-lint.yaml".to_owned(), Some(2)),
            ("rules/evil.yaml".to_owned(), None),
        ]
    );
    // The rest of the run went on: the claim is still found.
    assert!(codes(&report).contains(&"claims-provider-duty".to_owned()));
    // On the command line the same path is the user's own: it is read (and is no baseline).
    let cli = raci(
        dir.path(),
        &[
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--baseline"),
            out_pack.as_os_str(),
        ],
    );
    assert!(codes(&json(&cli)).contains(&"invalid-baseline".to_owned()));
}

#[test]
fn outside_a_repository_the_config_is_looked_for_in_the_current_folder_only() {
    let top = tempfile::tempdir().unwrap();
    std::fs::write(
        top.path().join("raci-lint.yaml"),
        "severity: { claims-provider-duty: off }\n",
    )
    .unwrap();
    std::fs::create_dir(top.path().join("work")).unwrap();
    std::fs::write(top.path().join("work/raci.yaml"), CLAIM).unwrap();
    let out = raci(&top.path().join("work"), &["--format", "concise"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

#[test]
fn ignore_files_above_the_repository_root_do_not_apply() {
    let top = tempfile::tempdir().unwrap();
    std::fs::write(top.path().join(".gitignore"), "*\n").unwrap();
    std::fs::write(top.path().join(".ignore"), "raci.yaml\n").unwrap();
    let repo_dir = top.path().join("repo");
    std::fs::create_dir_all(repo_dir.join(".git")).unwrap();
    std::fs::create_dir_all(repo_dir.join("infra/deep")).unwrap();
    std::fs::write(repo_dir.join("infra/raci.yaml"), CLAIM).unwrap();
    std::fs::write(repo_dir.join("infra/deep/raci.yaml"), CLAIM).unwrap();
    // An ignore file inside the repository, above the PATH, still applies.
    std::fs::write(repo_dir.join(".gitignore"), "deep/\n").unwrap();
    let out = raci(&repo_dir, &["--format", "json", "infra"]);
    let report = json(&out);
    assert_eq!(report["summary"]["files"], 1, "{}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(1));
    let out = raci(&repo_dir, &["--format", "json"]);
    assert_eq!(json(&out)["summary"]["files"], 1);
}

/// Names, values and lines that try to write their own log lines or terminal escapes.
fn spoofing_repo() -> tempfile::TempDir {
    let evil = "x\n::error file=evil.yaml::spoofed\u{1b}[2J\u{85}\u{202e}";
    let dir = repo(&[]);
    let folder = dir.path().join(evil);
    std::fs::create_dir_all(&folder).unwrap();
    let ownership = "provider: sysbee\nteams: { ops: {} }\nresponsibilities:\n  server-os-patching: \"ops\\n::error::team\\e[31m\"\n  web-application-security: \"x\\u0085y\"\n";
    std::fs::write(folder.join("raci.yaml"), ownership).unwrap();
    let script = "#!/bin/sh\napt-get -y dist-upgrade # \u{1b}]0;title\u{7}\n::error::in-a-line\n";
    std::fs::write(folder.join("upgrade.sh"), script).unwrap();
    dir
}

#[test]
fn no_file_name_value_or_line_reaches_the_log_raw() {
    let dir = spoofing_repo();
    for format in [
        "human", "concise", "github", "junit", "sarif", "gitlab", "json",
    ] {
        let out = raci(dir.path(), &["--format", format, "--verbose"]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        for stream in [&out.stdout, &out.stderr] {
            let shown = text(stream);
            for line in shown.lines() {
                let trimmed = line.trim_start();
                assert!(
                    !trimmed.starts_with("::error file=evil") && !trimmed.starts_with("::error::"),
                    "{format}: a spoofed command: {line:?}"
                );
            }
            for c in shown.chars() {
                assert!(
                    !(c == '\u{202e}' || (c.is_control() && c != '\n')),
                    "{format}: raw {c:?} in {shown:?}"
                );
            }
        }
    }
    // Structured formats keep the real name, with their own escapes.
    let report = json(&raci(dir.path(), &["--format", "json"]));
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("x\n::error file=evil.yaml::spoofed\u{1b}")),
        "{paths:?}"
    );
    // SARIF URIs are percent-encoded; JUnit stays well-formed XML.
    let sarif = text(&raci(dir.path(), &["--format", "sarif"]).stdout);
    assert!(sarif.contains("\"uri\": \"x%0A%3A%3Aerror%20file%3Devil.yaml%3A%3Aspoofed%1B%5B2J%C2%85%E2%80%AE/raci.yaml\""), "{sarif}");
    let junit = raci(dir.path(), &["--format", "junit"]).stdout;
    let mut reader = quick_xml::Reader::from_reader(junit.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => buf.clear(),
            Err(e) => panic!("JUnit is not well-formed: {e}"),
        }
    }
    // Text formats show escapes as Rust's escape_debug writes them.
    let concise = text(&raci(dir.path(), &["--format", "concise"]).stdout);
    assert!(
        concise
            .contains("x\\n::error file=evil.yaml::spoofed\\u{1b}[2J\\u{85}\\u{202e}/raci.yaml:"),
        "{concise}"
    );
}

#[test]
fn many_findings_in_one_file_and_long_lines_render_in_every_format() {
    // One line of 200,000 bytes with 5,000 matches, and 5,000 unknown teams.
    let pack = "provider: { id: acme, name: Acme }\nactivities:\n  - id: ops\n    title: Ops\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence: [{ id: hit, files: [\"**/*.txt\"], pattern: 'HIT' }]\n";
    let line = "HIT".repeat(5_000) + &"é".repeat(50_000);
    let teams: String = (0..5_000).map(|i| format!("  t{i}: ghost{i}\n")).collect();
    let dir = repo(&[
        ("packs/acme.yaml", pack.as_bytes()),
        ("raci.yaml", b"provider: acme\n"),
        ("long.txt", line.as_bytes()),
        (
            "sub/raci.yaml",
            format!("provider: sysbee\nteams: {{ ops: {{}} }}\nresponsibilities:\n{teams}")
                .as_bytes(),
        ),
    ]);
    for format in [
        "human", "concise", "json", "sarif", "github", "gitlab", "junit",
    ] {
        let out = raci(dir.path(), &["--packs", "packs", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stdout.len() > 5_000 * 20, "{format}");
    }
    let human = text(&raci(dir.path(), &["--packs", "packs"]).stdout);
    // Each snippet is a window of its line, not the whole 300 KB line.
    assert!(human.len() < 5_000 * 2_000, "{}", human.len());
    assert!(
        human.contains("[long.txt:1:14998]"),
        "the last match's real column"
    );
}

#[test]
fn many_sibling_ownership_files_each_keep_their_own_scope() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..2_000 {
        files.push((
            format!("team{i}.raci.yaml"),
            format!("provider: sysbee\nscope: [\"d{i}/**\"]\n").into_bytes(),
        ));
    }
    files.push(("d1234/up.sh".into(), b"apt-get -y dist-upgrade\n".to_vec()));
    files.push(("d7/up.sh".into(), b"apt-get -y dist-upgrade\n".to_vec()));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let dir = repo(&refs);
    let report = json(&raci(dir.path(), &["--format", "json"]));
    let owners: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "performs-provider-duty")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(owners.len(), 2, "{owners:?}");
    assert_eq!(report["summary"]["files"], 2_000);
}

#[test]
fn findings_past_max_findings_are_counted_and_still_decide_the_exit_status() {
    let pack = "provider: { id: acme, name: Acme }\nactivities:\n  - id: ops\n    title: Ops\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence: [{ id: every-line, files: [\"**/*.txt\"], pattern: '^' }]\n";
    let newlines = vec![b'\n'; 300_000];
    let dir = repo(&[
        ("packs/acme.yaml", pack.as_bytes()),
        ("raci.yaml", b"provider: acme\n"),
        ("a.txt", &newlines),
        ("b.txt", &newlines),
        ("raci-lint.yaml", b"max-findings: 100\n"),
    ]);
    let out = raci(dir.path(), &["--packs", "packs", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    // The kept findings, plus the one that says so.
    assert_eq!(diagnostics.len(), 101);
    assert_eq!(diagnostics[0]["code"], "too-many-findings");
    assert_eq!(diagnostics[1]["path"], "a.txt");
    assert_eq!(diagnostics[1]["line"], 1);
    assert_eq!(diagnostics[100]["line"], 100);
    let total = 2 * 300_001;
    assert_eq!(report["summary"]["dropped"], total - 100);
    assert_eq!(report["summary"]["warnings"], total + 1);
    // An error among the dropped still fails the run.
    let out = raci(
        dir.path(),
        &["--packs", "packs", "--format", "json", "--strict"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["summary"]["errors"], total);
    // Many files with many matches each: counted the same way, whatever the chunking.
    let many: Vec<(String, Vec<u8>)> = (0..5_000)
        .map(|i| (format!("many/f{i:04}.txt"), vec![b'\n'; 9]))
        .collect();
    let mut files: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    files.push(("packs/acme.yaml", pack.as_bytes()));
    files.push(("raci.yaml", b"provider: acme\n"));
    files.push(("raci-lint.yaml", b"max-findings: 100\n"));
    let dir = repo(&files);
    let report = json(&raci(dir.path(), &["--packs", "packs", "--format", "json"]));
    assert_eq!(report["summary"]["dropped"], 5_000 * 10 - 100);
    assert_eq!(report["diagnostics"][1]["path"], "many/f0000.txt");
    assert_eq!(report["diagnostics"][100]["path"], "many/f0009.txt");
    // The scan's results come in whatever order the threads finish files: the same report.
    let shown = |threads: &str| {
        let args = ["--packs", "packs", "--format", "json", "--threads", threads];
        raci(dir.path(), &args).stdout
    };
    let one = shown("1");
    for threads in ["2", "8", "8"] {
        assert_eq!(shown(threads), one, "{threads} threads");
    }
}

#[test]
fn waived_findings_past_max_findings_are_not_counted_and_their_waivers_are_used() {
    // Three ownership files with 15 waived findings each, and a script with 20 waived matches:
    // past max-findings (3), none of them may count as reported, nor leave its waiver looking
    // unused (whose fix would remove a waiver in use).
    const OWNER: &str = "provider: sysbee\nresponsibilities:\n  server-os-patching: { informed: ops }\nwaivers:\n  - code: unowned-duty\n    reason: later\n";
    let scripts = format!("{OWNER}  - code: performs-provider-duty\n    reason: legacy scripts\n");
    let script = "apt-get -y dist-upgrade\n".repeat(20);
    let dir = repo(&[
        ("raci-lint.yaml", b"max-findings: 3\n"),
        ("a/raci.yaml", scripts.as_bytes()),
        ("b/raci.yaml", OWNER.as_bytes()),
        ("c/raci.yaml", OWNER.as_bytes()),
        ("a/up.sh", script.as_bytes()),
    ]);
    for threads in ["1", "2"] {
        let out = raci(
            dir.path(),
            &["--format", "json", "--deny-warnings", "--threads", threads],
        );
        let report = json(&out);
        assert_eq!(out.status.code(), Some(0), "{report}");
        assert_eq!(codes(&report), Vec::<String>::new());
        assert_eq!(report["summary"]["warnings"], 0);
        assert_eq!(report["summary"]["dropped"], 0);
        assert_eq!(report["summary"]["scanned"], 1);
        // Listed, the first max-findings at most, as notes, and the run as clean.
        let out = raci(
            dir.path(),
            &[
                "--format",
                "json",
                "--show-waived",
                "--deny-warnings",
                "--threads",
                threads,
            ],
        );
        assert_eq!(out.status.code(), Some(0));
        let shown = json(&out);
        let listed = shown["diagnostics"].as_array().unwrap();
        assert_eq!(listed.len(), 3, "{shown}");
        for d in listed {
            assert_eq!(d["severity"], "note", "{d}");
            assert!(
                d["message"].as_str().unwrap().starts_with("waived: "),
                "{d}"
            );
        }
    }
    let fixed = raci(dir.path(), &["--fix", "."]);
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed.stderr));
    for (folder, text) in [("a", scripts.as_str()), ("b", OWNER), ("c", OWNER)] {
        let kept = std::fs::read_to_string(dir.path().join(folder).join("raci.yaml")).unwrap();
        assert_eq!(kept, text);
    }
}

#[test]
fn more_ownership_files_than_the_walk_checks_read_the_same_on_any_thread_count() {
    // The walker threads check at most 1,024 ownership files, holding at most max-findings
    // findings in all; the others are checked after the walk. 1,100 folders, each with an
    // ownership file that claims a provider duty and a script that performs one: past both
    // bounds, the report is the one a single thread gives.
    let mut files: Vec<(String, &[u8])> = Vec::new();
    for i in 0..1_100 {
        files.push((format!("team{i:04}/raci.yaml"), CLAIM.as_bytes()));
        files.push((format!("team{i:04}/up.sh"), b"apt-get -y dist-upgrade\n"));
    }
    files.push(("raci-lint.yaml".to_owned(), b"max-findings: 300\n"));
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let dir = repo(&files);
    let shown = |threads: &str| {
        let out = raci(dir.path(), &["--format", "json", "--threads", threads]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        out.stdout
    };
    let one = shown("1");
    let report: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(report["summary"]["files"], 1_100);
    assert_eq!(report["summary"]["scanned"], 1_100);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 301);
    assert!(report["summary"]["dropped"].as_u64().unwrap() > 2_000);
    for threads in ["2", "8", "2"] {
        assert_eq!(shown(threads), one, "{threads} threads");
    }
}

#[test]
fn fixes_past_the_walks_bounds_are_the_same_on_any_thread_count() {
    // On several threads the walk checks the first 1,024 ownership files itself, reading the
    // fixed text of the round before; the rest are checked after it. 1,100 files, each with a
    // waiver that waives nothing: every one is fixed, whatever the thread count.
    const USED: &str = "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: later\n";
    let stale = format!("{USED}  - code: activity-overridden\n    reason: old\n");
    for threads in ["1", "2", "8"] {
        let files: Vec<(String, &[u8])> = (0..1_100)
            .map(|i| (format!("team{i:04}/raci.yaml"), stale.as_bytes()))
            .collect();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
        let dir = repo(&files);
        let out = raci(
            dir.path(),
            &["--fix", "--format", "json", "--threads", threads],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let report = json(&out);
        assert_eq!(report["summary"]["fixed"], 1_100, "{threads} threads");
        assert_eq!(report["diagnostics"].as_array().unwrap().len(), 0);
        for i in 0..1_100 {
            let path = dir.path().join(format!("team{i:04}/raci.yaml"));
            assert_eq!(
                std::fs::read_to_string(path).unwrap(),
                USED,
                "{threads}: {i}"
            );
        }
    }
}

#[test]
fn names_that_display_alike_are_two_files() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo(&[]);
    for byte in [0xff_u8, 0xfe] {
        let name = [b'x', byte];
        let folder = dir.path().join(OsStr::from_bytes(&name));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("raci.yaml"), CLAIM).unwrap();
        std::fs::write(folder.join("up.sh"), "apt-get -y dist-upgrade\n").unwrap();
    }
    for threads in ["1", "2", "8"] {
        let report = json(&raci(
            dir.path(),
            &["--format", "json", "--threads", threads],
        ));
        assert_eq!(report["summary"]["files"], 2);
        let found = codes(&report);
        let claims = found
            .iter()
            .filter(|c| *c == "claims-provider-duty")
            .count();
        let evidence = found
            .iter()
            .filter(|c| *c == "performs-provider-duty")
            .count();
        assert_eq!((claims, evidence), (2, 2), "{found:?}");
    }
}

#[test]
fn files_that_display_alike_get_no_fix_and_are_never_written_with_each_others_text() {
    // Two ownership files, each with a waiver that waives nothing (a safe fix removes it), in
    // folders whose names are not UTF-8 and show alike. Their fixes are known by the shown
    // path: one file's edits applied to the other's text would write it with the wrong bytes.
    use std::os::unix::ffi::OsStrExt;
    const STALE: &str = "  - code: activity-overridden\n    reason: old\n";
    let first = format!(
        "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n{STALE}"
    );
    let second = format!(
        "# a longer file\nprovider: sysbee\nresponsibilities:\n  web-application-security: webteam\nwaivers:\n  - code: unowned-duty\n    reason: later\n{STALE}"
    );
    let dir = repo(&[("plain/raci.yaml", first.as_bytes())]);
    let mut alike = Vec::new();
    for (byte, body) in [(0xff_u8, &first), (0xfe, &second)] {
        let folder = dir.path().join(OsStr::from_bytes(&[b'x', byte]));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("raci.yaml"), body).unwrap();
        alike.push((folder.join("raci.yaml"), body.clone()));
    }
    let report = json(&raci(dir.path(), &["--format", "json"]));
    let fixes: Vec<(&str, bool)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unused-waiver")
        .map(|d| (d["path"].as_str().unwrap(), d.get("fix").is_some()))
        .collect();
    assert_eq!(fixes.len(), 3, "{fixes:?}");
    for (path, fix) in &fixes {
        assert_eq!(*fix, *path == "plain/raci.yaml", "{fixes:?}");
    }
    assert_eq!(report["summary"]["fixable"], 1);
    // Nor does one file's waiver accept the other's findings: the second waives its unowned
    // duties, the first does not.
    let unowned = |path: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "unowned-duty" && d["path"] == path)
            .count()
    };
    assert_eq!(
        (unowned("plain/raci.yaml"), unowned("x\u{fffd}/raci.yaml")),
        (14, 14)
    );

    let diff = raci(dir.path(), &["--diff", "."]);
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff.stderr));
    let headers: Vec<String> = text(&diff.stdout)
        .lines()
        .filter(|l| l.starts_with("+++"))
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, ["+++ b/plain/raci.yaml"]);

    let out = raci(dir.path(), &["--fix", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .lines()
            .any(|l| l.ends_with("; fixed 1 finding")),
        "{}",
        text(&out.stdout)
    );
    let fixed = std::fs::read_to_string(dir.path().join("plain/raci.yaml")).unwrap();
    assert!(!fixed.contains("activity-overridden"), "{fixed}");
    for (path, body) in alike {
        assert_eq!(std::fs::read_to_string(&path).unwrap(), body);
    }
}

#[test]
fn a_linked_ownership_file_and_its_target_get_no_fix_from_each_other() {
    // b/raci.yaml is a link to a/raci.yaml: one file read twice. Its evidence waiver is used
    // in a/ (a script there) and unused in b/ (nothing there): the fix that removes it in b/
    // would be written through the link, taking from a/ a waiver it uses.
    const OWNER: &str = "provider: sysbee\nresponsibilities:\n  server-os-patching: { informed: ops }\n  web-application-security: webteam\nwaivers:\n  - code: performs-provider-duty\n    reason: legacy scripts\n  - code: unowned-duty\n    reason: later\n";
    let dir = repo(&[
        ("a/raci.yaml", OWNER.as_bytes()),
        ("a/up.sh", b"apt-get -y dist-upgrade\n"),
        ("b/readme.md", b"nothing to see\n"),
    ]);
    std::os::unix::fs::symlink("../a/raci.yaml", dir.path().join("b/raci.yaml")).unwrap();
    let report = json(&raci(dir.path(), &["--format", "json"]));
    let unused: Vec<(&str, bool)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unused-waiver")
        .map(|d| (d["path"].as_str().unwrap(), d.get("fix").is_some()))
        .collect();
    assert_eq!(unused, [("b/raci.yaml", false)], "{report}");
    let out = raci(dir.path(), &["--fix", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let kept = std::fs::read_to_string(dir.path().join("a/raci.yaml")).unwrap();
    assert_eq!(kept, OWNER);
    assert!(
        std::fs::symlink_metadata(dir.path().join("b/raci.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn globs_read_from_the_repository_root_whatever_folder_the_run_starts_in() {
    // The config's ownership-files and exclude globs are paths from the repository root, and a
    // waiver's path glob is a path from its ownership file's folder: `cd sub && raci-lint`
    // reports what the whole repository reports for sub/.
    const ROOT: &str = "provider: sysbee\nresponsibilities:\n  server-os-patching: { informed: ops }\nwaivers:\n  - code: performs-provider-duty\n    path: \"sub/waived/**\"\n    reason: legacy\n  - code: performs-provider-duty\n    path: \"deep/**\"\n    reason: not below sub\n  - code: unowned-duty\n    reason: later\n";
    const UP: &[u8] = b"apt-get -y dist-upgrade\n";
    let dir = repo(&[
        (
            "raci-lint.yaml",
            b"ownership-files: [\"**/raci.yaml\", \"own/*/*.yaml\"]\nexclude: [\"deep/**\"]\n",
        ),
        ("raci.yaml", ROOT.as_bytes()),
        ("own/x/svc.yaml", CLAIM.as_bytes()),
        ("sub/deep/x.sh", UP),
        ("sub/waived/z.sh", UP),
        ("sub/plain.sh", UP),
        ("deep/y.sh", UP),
    ]);
    let below = |folder: &str| -> Vec<(String, String, u64)> {
        let from = dir.path().join(folder);
        let report = json(&raci(&from, &["--format", "json"]));
        let prefix = if folder == "." {
            String::new()
        } else {
            format!("{folder}/")
        };
        let mut rows: Vec<_> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| {
                let path = format!("{prefix}{}", d["path"].as_str()?);
                Some((path, d["code"].as_str()?.to_owned(), d["line"].as_u64()?))
            })
            .collect();
        rows.sort();
        rows
    };
    let whole = below(".");
    let row = |p: &str, c: &str| (p.to_owned(), c.to_owned(), 1);
    for expected in [
        row("own/x/svc.yaml", "claims-provider-duty"),
        row("sub/deep/x.sh", "performs-provider-duty"),
        row("sub/plain.sh", "performs-provider-duty"),
    ] {
        assert!(
            whole.iter().any(|r| r.0 == expected.0 && r.1 == expected.1),
            "{whole:?}"
        );
    }
    for folder in ["sub", "own"] {
        let part: Vec<_> = whole
            .iter()
            .filter(|r| r.0.starts_with(&format!("{folder}/")))
            .cloned()
            .collect();
        assert_eq!(below(folder), part, "from {folder}/");
    }
}

#[test]
fn unreadable_and_special_scanned_files_are_reported_never_silent() {
    let dir = repo(&[("raci.yaml", CLAIM.as_bytes()), ("ok.sh", b"echo hi\n")]);
    std::os::unix::fs::symlink("/nowhere/at/all", dir.path().join("gone.sh")).unwrap();
    let fifo = dir.path().join("pipe.sh");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = raci(dir.path(), &["--format", "json", "--verbose"]);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let io: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "io-error")
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(io, ["gone.sh"]);
    assert_eq!(report["summary"]["scanned"], 1);
    assert_eq!(report["summary"]["skipped"], 1);
    assert!(
        text(&out.stderr).contains("skipped: pipe.sh (not a regular file)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn output_targets_are_written_as_design_says() {
    let dir = repo(&[("raci.yaml", CLAIM.as_bytes())]);
    let p = dir.path();
    // Through a link: the target is replaced, the link stays.
    std::fs::write(p.join("real.json"), "old").unwrap();
    std::os::unix::fs::symlink("real.json", p.join("link.json")).unwrap();
    raci(p, &["--format", "json", "--output", "link.json"]);
    assert!(
        std::fs::symlink_metadata(p.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(p.join("real.json"))
            .unwrap()
            .contains("\"version\": 1")
    );
    // A FIFO is written to, and stays a FIFO.
    let fifo = p.join("out.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = raci(p, &["--format", "concise", "--output", "out.fifo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(reader.join().unwrap().contains("claims-provider-duty"));
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // `-` and /dev/stdout are standard output; /dev/stdout stays a link.
    for target in ["-", "/dev/stdout"] {
        let out = raci(p, &["--format", "concise", "--output", target]);
        assert!(
            text(&out.stdout).contains("claims-provider-duty"),
            "{target}"
        );
    }
    assert!(
        std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // init --force and matrix --output through a link, and a baseline: no temporary left.
    std::os::unix::fs::symlink("real.yaml", p.join("init.yaml")).unwrap();
    let out = raci(
        p,
        &[
            "init",
            "--provider",
            "sysbee",
            "--output",
            "init.yaml",
            "--force",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        std::fs::read_to_string(p.join("real.yaml"))
            .unwrap()
            .contains("provider: sysbee")
    );
    let out = raci(p, &["matrix", "sysbee", "--output", "-"]);
    assert!(text(&out.stdout).contains("server-os-patching"));
    raci(p, &["--write-baseline", "base.json"]);
    let leftovers: Vec<_> = std::fs::read_dir(p)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_run_status() {
    let dir = repo(&[("raci.yaml", CLAIM.as_bytes())]);
    for args in [
        vec![],
        vec!["--format", "json"],
        vec!["config"],
        vec!["matrix", "sysbee"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
            .args(&args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before raci-lint writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let want = if args.is_empty() || args[0] == "--format" {
            1
        } else {
            0
        };
        assert_eq!(out.status.code(), Some(want), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
}

fn pack_with_pattern(pattern: &str) -> String {
    format!(
        "provider: {{ id: acme, name: Acme }}\nactivities:\n  - id: ops\n    title: Ops\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence: [{{ id: rule, files: [\"**/*.txt\"], pattern: '{pattern}' }}]\n"
    )
}

#[test]
fn patterns_that_could_stall_a_search_are_refused_with_a_reason() {
    // Large counted repetitions of Unicode classes, and the exponential-DFA family past the
    // budget: each would take seconds on a crafted 1 MiB file.
    for pattern in [
        ".{1000}",
        r"\w{50}",
        r"(?s:.)*a.{150}$",
        "[^x]{300}y",
        r"(\w+\s*){20}$",
    ] {
        let dir = repo(&[
            ("packs/acme.yaml", pack_with_pattern(pattern).as_bytes()),
            ("raci.yaml", b"provider: acme\n"),
            ("a.txt", b"aaaa\n"),
        ]);
        let out = raci(dir.path(), &["--packs", "packs", "--format", "concise"]);
        assert_eq!(out.status.code(), Some(2), "{pattern}");
        let shown = text(&out.stdout);
        assert!(
            shown.contains("packs/acme.yaml:8:")
                && shown.contains("error[pack-bad-regex]")
                && shown.contains("automaton states"),
            "{pattern}: {shown}"
        );
    }
}

#[test]
fn patterns_within_the_budget_search_crafted_files() {
    // Under the budget, on the inputs that make the lazy DFA give up: the run ends (the time
    // is measured in bench/hostile.sh) and finds what it should.
    let ab: Vec<u8> = (0..1_usize << 20)
        .map(|i| match i % 21 {
            20 => b'\n',
            k if (i * 7 + k) % 3 == 0 => b'a',
            _ => b'b',
        })
        .collect();
    for (pattern, hits) in [
        (r"[ab]*a[ab]{30}$", None),
        (r"\bbab\b", Some(0)),
        ("é+x", Some(1)),
    ] {
        let dir = repo(&[
            ("packs/acme.yaml", pack_with_pattern(pattern).as_bytes()),
            ("raci.yaml", b"provider: acme\n"),
            ("ab.txt", &ab),
            ("utf8.txt", format!("{}x\n", "é".repeat(400_000)).as_bytes()),
        ]);
        let out = raci(dir.path(), &["--packs", "packs", "--format", "json"]);
        assert_ne!(
            out.status.code(),
            Some(2),
            "{pattern}: {}",
            text(&out.stdout)
        );
        let report = json(&out);
        if let Some(hits) = hits {
            let found = codes(&report)
                .iter()
                .filter(|c| *c == "performs-provider-duty")
                .count();
            assert_eq!(found, hits, "{pattern}");
        }
    }
}

#[test]
fn per_file_limits_are_findings_at_the_first_item_past_them() {
    let globs: Vec<String> = (0..300).map(|i| format!("\"g{i}/**\"")).collect();
    let teams: String = (0..1_001).map(|i| format!("  t{i}: {{}}\n")).collect();
    let waivers: String = (0..1_001)
        .map(|i| format!("  - {{ code: unknown-team, reason: r{i} }}\n"))
        .collect();
    let file = format!(
        "provider: sysbee\nscope: [{}]\nteams:\n{teams}waivers:\n{waivers}",
        globs.join(", ")
    );
    let dir = repo(&[("raci.yaml", file.as_bytes())]);
    let out = raci(dir.path(), &["--format", "json", "--no-evidence"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let limits: Vec<(u64, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "limit-exceeded")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let glob_257 = "provider: sysbee\nscope: [".len() + globs[..256].join(", ").len() + 2;
    assert_eq!(limits.len(), 3, "{limits:?}");
    assert_eq!((limits[0].0, limits[0].1), (2, glob_257 as u64 - 16));
    assert!(
        limits[0]
            .2
            .contains("300 scope globs, more than the limit of 256")
    );
    assert_eq!((limits[1].0, limits[1].1), (3 + 1_001, 3));
    assert!(
        limits[1]
            .2
            .contains("1001 teams, more than the limit of 1000")
    );
    assert_eq!(limits[2].0, 3 + 1_001 + 1 + 1_001);
    assert!(
        limits[2]
            .2
            .contains("1001 waivers, more than the limit of 1000")
    );
}

#[test]
fn codes_that_mean_a_broken_run_keep_their_severity() {
    let dir = repo(&[("raci.yaml", CLAIM.as_bytes())]);
    let out = raci(dir.path(), &["--severity", "io-error=off", "/nonexistent"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be changed"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(
        dir.path().join("raci-lint.yaml"),
        "severity: { invalid-yaml: off }\n",
    )
    .unwrap();
    let out = raci(dir.path(), &["--format", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("the severity of `invalid-yaml` cannot be changed"));
}

#[test]
fn a_config_file_or_link_into_git_leading_out_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "SECRET-TOKEN-123: x\n").unwrap();
    let dir = repo(&[("raci.yaml", CLAIM.as_bytes())]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("raci-lint.yaml"),
    )
    .unwrap();
    for args in [vec!["--format", "json"], vec!["providers"], vec!["config"]] {
        let out = raci(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!all.contains("SECRET-TOKEN-123"), "{args:?}: {all}");
        assert!(
            all.contains("outside-repository") || all.contains("leads outside"),
            "{args:?}: {all}"
        );
    }
    // Links into .git are not followed, and config paths into .git are refused.
    std::fs::remove_file(dir.path().join("raci-lint.yaml")).unwrap();
    std::fs::write(
        dir.path().join(".git/config"),
        "[http]\n  extraheader = AUTHORIZATION: basic SECRET-TOKEN-123\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(".git/config", dir.path().join("leak.txt")).unwrap();
    std::fs::write(dir.path().join("raci-lint.yaml"), "baseline: .git/config\n").unwrap();
    let pack = "provider: { id: evilco, name: Evil }\nactivities:\n  - id: leak\n    title: Leak\n    category: x\n    provider: [R, A]\n    customer: [I]\n    evidence: [{ id: all, files: [\"**/*\"], pattern: 'AUTHORIZATION.*' }]\n";
    std::fs::write(dir.path().join("p.yaml"), pack).unwrap();
    std::fs::write(dir.path().join("raci.yaml"), "provider: evilco\n").unwrap();
    let out = raci(dir.path(), &["--packs", "p.yaml", "--verbose"]);
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(!all.contains("SECRET-TOKEN-123"), "{all}");
    assert!(
        all.contains("`baseline` entry `.git/config` leads outside the repository"),
        "{all}"
    );
}

#[test]
fn pack_text_reaches_no_terminal_raw_in_the_authoring_commands() {
    let pack = "provider: { id: evilco, name: \"Evil\\e]0;pwn\\a Co\\u0085\\u202e\", source: \"src\\n::error file=x::spoof\" }\nactivities:\n  - id: leak\n    title: \"Le\\eak\"\n    category: \"cat\\r\\n::error::x\"\n    provider: [I]\n    customer: [R, A]\n    comment: \"com\\n::error::x\\u2028\"\n";
    let dir = repo(&[
        ("p.yaml", pack.as_bytes()),
        ("raci.yaml", b"provider: evilco\nteams: { \"ops\\e[2J\": {} }\nresponsibilities:\n  leak: \"ops\\e[2J\"\n"),
    ]);
    let runs: [&[&str]; 8] = [
        &["providers", "--packs", "p.yaml"],
        &["explain", "evilco", "--packs", "p.yaml"],
        &["explain", "evilco/leak", "--packs", "p.yaml"],
        &["matrix", "evilco", "--packs", "p.yaml"],
        &[
            "matrix", "evilco", "--packs", "p.yaml", "--format", "markdown",
        ],
        &[
            "matrix",
            "raci.yaml",
            "--packs",
            "p.yaml",
            "--format",
            "json",
        ],
        &[
            "matrix",
            "raci.yaml",
            "--packs",
            "p.yaml",
            "--format",
            "html",
        ],
        &[
            "init",
            "--provider",
            "evilco",
            "--packs",
            "p.yaml",
            "-o",
            "-",
        ],
    ];
    for args in runs {
        let out = raci(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let shown = text(&out.stdout);
        for line in shown.lines() {
            assert!(
                !line.trim_start().starts_with("::error"),
                "{args:?}: {line:?}"
            );
        }
        assert!(
            !shown.chars().any(|c| c != '\n'
                && c != '\t'
                && (c.is_control() || c == '\u{202e}' || c == '\u{2028}')),
            "{args:?}: {shown:?}"
        );
        if args.contains(&"json") {
            assert!(
                serde_json::from_str::<serde_json::Value>(&shown).is_ok(),
                "{shown}"
            );
        }
    }
    // The file init writes still loads.
    let init = raci(
        dir.path(),
        &[
            "init",
            "--provider",
            "evilco",
            "--packs",
            "p.yaml",
            "-o",
            "new.raci.yaml",
        ],
    );
    assert_eq!(init.status.code(), Some(0));
    let out = raci(
        dir.path(),
        &["--packs", "p.yaml", "--format", "concise", "new.raci.yaml"],
    );
    assert!(
        !text(&out.stdout).contains("invalid-yaml"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn ignore_files_are_read_bounded_and_never_through_a_link() {
    let dir = repo(&[
        ("raci.yaml", CLAIM.as_bytes()),
        ("sub/raci.yaml", CLAIM.as_bytes()),
        ("big/raci.yaml", CLAIM.as_bytes()),
        (
            "big/.gitignore",
            "*abcde*fabcd*/x\n".repeat(10_000).as_bytes(),
        ),
        ("kept/.gitignore", b"ignored/\n"),
        ("kept/ignored/raci.yaml", CLAIM.as_bytes()),
    ]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("sub/.gitignore")).unwrap();
    let out = raci(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let io: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "io-error")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(io.len(), 2, "{io:?}");
    assert_eq!(io[0].0, "big/.gitignore");
    assert!(io[0].1.contains("over the limit of 65536"), "{io:?}");
    assert_eq!(io[1].0, "sub/.gitignore");
    assert!(io[1].1.contains("symbolic link is not followed"), "{io:?}");
    // Ignore files that are fine still apply; the others' folders are still checked.
    assert_eq!(report["summary"]["files"], 3, "{}", text(&out.stdout));
}

#[test]
fn a_folder_below_the_root_is_judged_as_the_whole_repository_judges_it() {
    let dir = repo(&[
        (".gitignore", b"legacy/raci.yaml\n"),
        (
            "legacy/raci.yaml",
            b"provider: sysbee\nresponsibilities: {}\n",
        ),
        ("legacy/sub/x.sh", b"apt-get -y dist-upgrade\n"),
        (
            "infra/raci.yaml",
            b"provider: sysbee\nscope: [\"ansible/**\"]\n",
        ),
        ("infra/ansible/up.sh", b"apt-get -y dist-upgrade\n"),
    ]);
    let whole = json(&raci(dir.path(), &["--format", "json"]));
    let evidence = |report: &serde_json::Value| -> Vec<String> {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "performs-provider-duty")
            .map(|d| d["path"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(evidence(&whole), ["infra/ansible/up.sh"]);
    let below = json(&raci(
        &dir.path().join("infra/ansible"),
        &["--format", "json"],
    ));
    assert_eq!(evidence(&below), ["up.sh"]);
    let ignored = json(&raci(&dir.path().join("legacy/sub"), &["--format", "json"]));
    assert!(evidence(&ignored).is_empty(), "{ignored}");
}

/// An unreadable folder is one `io-error` at that folder, the same on one thread and on many,
/// in a small tree and a large one (the walk differs: sequential or parallel). Needs a user
/// the folder is closed to: run as root (as CI is), the test drops to `nobody` with `setpriv`;
/// without root or setpriv it checks nothing, as root can read any folder.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_one_io_error_whatever_the_walk() {
    use std::os::unix::fs::PermissionsExt;
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0");
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok();
    if !root || !setpriv {
        return;
    }
    let open = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let dir = repo(&[
        ("raci.yaml", CLAIM.as_bytes()),
        ("ok/up.sh", b"apt-get -y dist-upgrade\n"),
    ]);
    // The binary, where `nobody` may run it.
    let bin = dir.path().join("raci-lint-bin");
    std::fs::copy(env!("CARGO_BIN_EXE_raci-lint"), &bin).unwrap();
    std::fs::create_dir(dir.path().join("secret")).unwrap();
    let run = |threads: &str| {
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(["--format", "concise", "--threads", threads, "."])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        text(&out.stdout)
            .lines()
            .filter(|l| l.contains("io-error"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let expected =
        ["secret: error[io-error] cannot read `secret`: Permission denied (os error 13)"];
    for size in [0, 200] {
        for i in 0..size {
            std::fs::write(dir.path().join(format!("ok/f{i}.txt")), "x\n").unwrap();
        }
        for path in [dir.path(), &dir.path().join("ok"), &dir.path().join(".git")] {
            open(path, 0o755);
        }
        for entry in std::fs::read_dir(dir.path().join("ok")).unwrap() {
            open(&entry.unwrap().path(), 0o644);
        }
        open(&dir.path().join("raci.yaml"), 0o644);
        open(&bin, 0o755);
        open(&dir.path().join("secret"), 0o000);
        for threads in ["1", "2"] {
            assert_eq!(run(threads), expected, "{size} files, {threads} threads");
        }
        open(&dir.path().join("secret"), 0o755);
    }
}
