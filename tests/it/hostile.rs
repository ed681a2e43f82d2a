//! Hostile input, through the real binary: every file of `fixtures/bad/` and every generated
//! monster ends in a clear finding (with a position where there is one), exit 1 or 2, and the
//! other file in the run still gets its finding. A watchdog kills a run that hangs; no test
//! measures time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n";
const HANG: Duration = Duration::from_secs(60);

/// Runs `raci-lint --format json` on `dir`; returns the exit code and (path suffix, code,
/// "line:col" or "-") of every finding except unowned-duty.
fn lint(dir: &Path) -> (i32, Vec<(String, String, String)>) {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(["--format", "json", "--output"])
        .arg(out.path())
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().unwrap();
            panic!("raci-lint hung on {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path()).unwrap()).unwrap();
    let root = dir.to_str().unwrap();
    let findings = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "unowned-duty")
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            let rel = path
                .strip_prefix(root)
                .unwrap_or(path)
                .trim_start_matches('/');
            let at = match (d["line"].as_u64(), d["column"].as_u64()) {
                (Some(l), Some(c)) => format!("{l}:{c}"),
                _ => "-".to_owned(),
            };
            (rel.to_owned(), d["code"].as_str().unwrap().to_owned(), at)
        })
        .collect();
    (status.code().unwrap_or(-1), findings)
}

/// A temporary repository with the good file and `bad/<name>` written by `make`.
fn with_bad(make: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("good")).unwrap();
    std::fs::write(dir.path().join("good/raci.yaml"), GOOD).unwrap();
    std::fs::create_dir_all(dir.path().join("bad")).unwrap();
    make(&dir.path().join("bad"));
    dir
}

fn expect(dir: &tempfile::TempDir, bad: (&str, &str, &str), exit: i32) {
    let (code, findings) = lint(dir.path());
    let good = (
        "good/raci.yaml".to_owned(),
        "claims-provider-duty".to_owned(),
        "3:3".to_owned(),
    );
    let bad = (bad.0.to_owned(), bad.1.to_owned(), bad.2.to_owned());
    assert!(
        findings.contains(&good),
        "the good file's finding is lost: {findings:?}"
    );
    assert!(findings.contains(&bad), "missing {bad:?} in {findings:?}");
    assert_eq!(
        findings.len(),
        2,
        "one finding for the bad file: {findings:?}"
    );
    assert_eq!(code, exit, "{findings:?}");
}

#[test]
fn the_committed_corpus() {
    let cases = [
        ("alias-bomb", "invalid-yaml", "5:13", 1),
        ("bidi-override", "unknown-activity", "4:3", 1),
        ("binary", "invalid-yaml", "1:11", 1),
        ("bom", "unknown-provider", "2:11", 1),
        ("control-characters", "claims-provider-duty", "5:3", 1),
        ("crlf", "unknown-provider", "2:11", 1),
        ("duplicate-activity", "invalid-yaml", "6:3", 1),
        ("duplicate-key", "invalid-yaml", "3:1", 1),
        ("empty", "invalid-yaml", "1:1", 1),
        ("invalid-utf8", "invalid-yaml", "3:13", 1),
        ("list", "invalid-yaml", "2:1", 1),
        ("nul-bytes", "invalid-yaml", "2:14", 1),
        ("scalar", "invalid-yaml", "2:1", 1),
        ("several-documents", "invalid-yaml", "3:1", 1),
        ("syntax-error", "invalid-yaml", "5:17", 1),
        ("tabs", "invalid-yaml", "4:2", 1),
        ("too-many-scope-globs", "limit-exceeded", "260:5", 1),
        ("too-many-teams", "limit-exceeded", "1004:3", 1),
        ("unknown-key", "invalid-yaml", "3:1", 1),
        ("wrong-type", "invalid-yaml", "4:11", 1),
    ];
    let listed: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir("fixtures/bad")
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, listed, "every corpus folder has a case");
    for (name, code, at, exit) in cases {
        let source = Path::new("fixtures/bad").join(name).join("raci.yaml");
        let dir = with_bad(|bad| {
            std::fs::copy(&source, bad.join("raci.yaml")).unwrap();
        });
        expect(&dir, ("bad/raci.yaml", code, at), exit);
    }
}

#[test]
fn deep_nesting_and_many_aliases() {
    let deep = with_bad(|bad| {
        let text = format!(
            "provider: sysbee\nteams:\n  ops: {}\n",
            "{a: ".repeat(100_000)
        );
        std::fs::write(bad.join("raci.yaml"), text).unwrap();
    });
    expect(&deep, ("bad/raci.yaml", "invalid-yaml", "3:9"), 1);
    let aliases = with_bad(|bad| {
        let refs = vec!["*s"; 20_000].join(", ");
        let text = format!("provider: sysbee\nservice: &s x\nscope: [{refs}]\n");
        std::fs::write(bad.join("raci.yaml"), text).unwrap();
    });
    let (code, findings) = lint(aliases.path());
    assert!(
        findings
            .iter()
            .any(|f| f.0 == "bad/raci.yaml" && f.1 == "invalid-yaml"),
        "{findings:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_5_mb_line_and_a_100_mb_file_are_refused_before_parsing() {
    let line = with_bad(|bad| {
        let text = format!("provider: sysbee\nservice: {}\n", "x".repeat(5_000_000));
        std::fs::write(bad.join("raci.yaml"), text).unwrap();
    });
    expect(&line, ("bad/raci.yaml", "invalid-yaml", "-"), 1);
    let huge = with_bad(|bad| {
        // Sparse: 100 MB on paper, nothing on disk; the size check refuses it unread.
        let file = std::fs::File::create(bad.join("raci.yaml")).unwrap();
        file.set_len(100 * 1024 * 1024).unwrap();
    });
    expect(&huge, ("bad/raci.yaml", "invalid-yaml", "-"), 1);
}

#[cfg(unix)]
#[test]
fn special_files_named_like_ownership_files() {
    use std::os::unix::fs::symlink;
    let folder = with_bad(|bad| std::fs::create_dir(bad.join("raci.yaml")).unwrap());
    expect(&folder, ("bad/raci.yaml", "io-error", "-"), 2);

    let dangling = with_bad(|bad| symlink(bad.join("nowhere"), bad.join("raci.yaml")).unwrap());
    expect(&dangling, ("bad/raci.yaml", "io-error", "-"), 2);

    let looping = with_bad(|bad| {
        symlink(bad.join("b.raci.yaml"), bad.join("raci.yaml")).unwrap();
        symlink(bad.join("raci.yaml"), bad.join("b.raci.yaml")).unwrap();
    });
    let (code, findings) = lint(looping.path());
    let loops: Vec<_> = findings.iter().filter(|f| f.1 == "io-error").collect();
    assert_eq!(loops.len(), 2, "{findings:?}");
    assert_eq!(code, 2);

    // A folder link back up the tree: the walker does not follow links, so there is no loop.
    let dir_loop = with_bad(|bad| symlink("..", bad.join("up")).unwrap());
    let (code, findings) = lint(dir_loop.path());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(code, 1);

    let fifo = with_bad(|bad| {
        let ok = Command::new("mkfifo").arg(bad.join("raci.yaml")).status();
        assert!(ok.is_ok_and(|s| s.success()), "mkfifo");
    });
    expect(&fifo, ("bad/raci.yaml", "io-error", "-"), 2);
}

#[cfg(unix)]
#[test]
fn a_non_utf8_path_is_checked_and_shown_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let dir = with_bad(|bad| {
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.raci.yaml");
        std::fs::write(bad.join(name), "provider: sysbe\n").unwrap();
    });
    expect(
        &dir,
        ("bad/caf\u{fffd}.raci.yaml", "unknown-provider", "1:11"),
        1,
    );
}
