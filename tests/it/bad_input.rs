//! Bad input: every malformed ownership file ends in one clear finding (with a span where there
//! is one), and the findings of the other files in the run are still reported.

use crate::common::{repo, run};
use raci_lint::Outcome;

/// Runs a repository holding `bad` as `bad/raci.yaml` next to the demo's known-bad file, and
/// returns the bad file's findings as (code, line:col or "-", message).
fn lint_beside_demo(bad: &[u8]) -> (Vec<(String, String, String)>, Outcome) {
    let dir = repo(&[(
        "good/raci.yaml",
        "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n",
    )]);
    std::fs::create_dir_all(dir.path().join("bad")).unwrap();
    std::fs::write(dir.path().join("bad/raci.yaml"), bad).unwrap();
    let (report, outcome) = run(&[dir.path().to_str().unwrap()]);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code.as_str() == "claims-provider-duty"),
        "the other file's finding is still reported"
    );
    let bad = report
        .findings
        .iter()
        .filter(|f| f.path.as_deref().is_some_and(|p| p.contains("bad/")))
        .map(|f| {
            let at = f
                .start()
                .map_or("-".to_owned(), |p| format!("{}:{}", p.line, p.column));
            (f.code.to_string(), at, f.message.clone())
        })
        .collect();
    (bad, outcome)
}

fn one(bad: &[u8]) -> (String, String, String) {
    let (mut findings, outcome) = lint_beside_demo(bad);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_ne!(outcome, Outcome::Clean);
    findings.remove(0)
}

#[test]
fn syntax_and_schema_errors() {
    let cases: &[(&[u8], &str, &str)] = &[
        (b"provider: [sysbee\n", "invalid-yaml", "1:11"),
        (
            b"provider: sysbee\nprovider: sysbee\n",
            "invalid-yaml",
            "2:1",
        ),
        (
            b"provider: sysbee\nresponsibilities: [a]\n",
            "invalid-yaml",
            "2:19",
        ),
        (
            b"provider: sysbee\nteams:\n\tops: {}\n",
            "invalid-yaml",
            "3:2",
        ),
        (b"- provider: sysbee\n", "invalid-yaml", "1:1"),
        (b"just a string\n", "invalid-yaml", "1:1"),
        (b"plan: x\n", "invalid-yaml", "1:1"),
        (
            b"provider: sysbee\nresponsibilities:\n  seo-issues:\n    owner: x\n",
            "invalid-yaml",
            "4:5",
        ),
        // A value of the wrong type is reported at its entry.
        (
            b"provider: sysbee\nresponsibilities:\n  seo-issues: true\n",
            "invalid-yaml",
            "3:3",
        ),
    ];
    for (text, code, at) in cases {
        let (got_code, got_at, message) = one(text);
        assert_eq!(
            (got_code.as_str(), got_at.as_str()),
            (*code, *at),
            "{message}"
        );
    }
}

#[test]
fn empty_and_several_documents() {
    for text in [&b""[..], b"\n\n", b"# only a comment\n"] {
        let (code, at, message) = one(text);
        assert_eq!((code.as_str(), at.as_str()), ("invalid-yaml", "1:1"));
        assert!(message.contains("empty"), "{message}");
    }
    let (code, at, message) = one(b"provider: sysbee\n---\nprovider: sysbee\n");
    assert_eq!((code.as_str(), at.as_str()), ("invalid-yaml", "2:1"));
    assert!(message.contains("several YAML documents"), "{message}");
}

#[test]
fn bom_and_crlf_are_accepted_with_editor_columns() {
    let (findings, _) =
        lint_beside_demo(b"\xef\xbb\xbfprovider: sysbe\r\nresponsibilities: {}\r\n");
    assert_eq!(
        findings
            .iter()
            .map(|f| (f.0.as_str(), f.1.as_str()))
            .collect::<Vec<_>>(),
        [("unknown-provider", "1:11")]
    );
}

#[test]
fn invalid_utf8_and_binary() {
    let (code, at, message) = one(b"provider: sysbee\nservice: caf\xe9\n");
    assert_eq!((code.as_str(), at.as_str()), ("invalid-yaml", "2:13"));
    assert!(message.contains("UTF-8"));
    let (code, _, _) = one(b"\x00\x01\x02binary\x00garbage");
    assert_eq!(code, "invalid-yaml");
}

#[test]
fn alias_bombs_and_deep_nesting_stop_fast() {
    let mut bomb = String::from("provider: sysbee\nservice: x\nteams:\n  a: &a {contact: x}\n");
    let mut prev = "a".to_owned();
    for level in 0..12 {
        let name = format!("l{level}");
        let refs = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        prev = name;
    }
    let (code, _, message) = one(bomb.as_bytes());
    assert_eq!(code, "invalid-yaml", "{message}");

    // Typed parsing refuses the first `[` where a string is expected; nesting where the
    // schema allows any mapping hits the depth budget instead. Neither overflows the stack.
    for deep in [
        format!("provider: sysbee\nservice: {}\n", "[".repeat(100_000)),
        "[".repeat(100_000),
        format!(
            "provider: sysbee\nteams:\n  ops: {}\n",
            "{a: ".repeat(100_000)
        ),
    ] {
        let (code, _, message) = one(deep.as_bytes());
        assert_eq!(code, "invalid-yaml", "{message}");
    }

    let aliases = format!(
        "provider: sysbee\nservice: &s x\nscope: [{}]\n",
        vec!["*s"; 20_000].join(", ")
    );
    let (code, _, _) = one(aliases.as_bytes());
    assert_eq!(code, "invalid-yaml");
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let mut big = b"provider: sysbee\nservice: ".to_vec();
    big.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    let (code, at, message) = one(&big);
    assert_eq!((code.as_str(), at.as_str()), ("invalid-yaml", "-"));
    assert!(message.contains("too large"), "{message}");
}

#[cfg(unix)]
#[test]
fn folders_fifos_and_dangling_links_named_like_ownership_files() {
    let dir = repo(&[(
        "good/raci.yaml",
        "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n",
    )]);
    let root = dir.path();
    std::fs::create_dir_all(root.join("folder/raci.yaml")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling.raci.yaml")).unwrap();
    let fifo = root.join("fifo.raci.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    let made_fifo = status.is_ok_and(|s| s.success());
    let (report, outcome) = run(&[root.to_str().unwrap()]);
    let mut got: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.code.as_str() != "unowned-duty")
        .map(|f| {
            let path = f.path.clone().unwrap();
            let name = path
                .rsplit_once(root.file_name().unwrap().to_str().unwrap())
                .unwrap()
                .1
                .to_owned();
            (name, f.code.to_string())
        })
        .collect();
    got.sort();
    let mut expected = vec![
        ("/dangling.raci.yaml".to_owned(), "io-error".to_owned()),
        ("/folder/raci.yaml".to_owned(), "io-error".to_owned()),
        (
            "/good/raci.yaml".to_owned(),
            "claims-provider-duty".to_owned(),
        ),
    ];
    if made_fifo {
        expected.push(("/fifo.raci.yaml".to_owned(), "io-error".to_owned()));
    }
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(outcome, Outcome::Broken);
}

#[test]
fn a_lone_document_marker_is_an_empty_file() {
    let (code, at, message) = one(b"---\n");
    assert_eq!((code.as_str(), at.as_str()), ("invalid-yaml", "1:1"));
    assert!(message.contains("empty"), "{message}");
}
