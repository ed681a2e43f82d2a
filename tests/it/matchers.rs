//! The three evidence matchers in a user's pack (DESIGN section 4): `pattern`, `ansible` and
//! `command`, where each finding starts and ends, where allows count, what validation refuses,
//! and hostile files that must finish with the findings they hold.

use crate::common;

use crate::common::{repo, row, rows, run};

const PACK: &str = r#"
provider: { id: acme, name: Acme Hosting }
activities:
  - id: kernel-tuning
    title: Kernel tuning
    category: ops
    provider: [R, A]
    customer: [I]
    evidence:
      - id: sysctl-file
        files: ["**/*.conf"]
        pattern: '^\s*(?P<evidence>vm\.swappiness\s*=)'
      - id: ansible-sysctl
        files: ["**/*.yml"]
        ansible:
          module: [sysctl]
          args: { name: '^vm\.', state: '^(present)?$' }
      - id: sysctl-command
        files: ["**/*"]
        command: '^sysctl\s+(-\S+\s+)*-w\b'
"#;

const OWNER: &str = "provider: acme\nresponsibilities: {}\n";

fn check(files: &[(&str, &str)]) -> Vec<common::Row> {
    check_with(PACK, files)
}

/// The findings of a run over `files` beside an ownership file of the user pack `pack`.
fn check_with(pack: &str, files: &[(&str, &str)]) -> Vec<common::Row> {
    let mut all = vec![("packs/acme.yaml", pack), ("raci.yaml", OWNER)];
    all.extend_from_slice(files);
    let dir = repo(&all);
    let root = dir.path().to_str().unwrap().to_owned();
    let packs = format!("{root}/packs");
    let (report, _) = run(&["--packs", &packs, &root]);
    rows(&report)
}

fn duty(start: &str, end: &str) -> common::Row {
    row("performs-provider-duty", start, end, Some("kernel-tuning"))
}

#[test]
fn a_user_pack_uses_all_three_matchers() {
    let found = check(&[
        (
            "etc/sysctl.d/99.conf",
            "# vm.swappiness = 1\nvm.swappiness = 10\n",
        ),
        (
            "tasks/main.yml",
            "- name: vm.swappiness sysctl\n  ansible.posix.sysctl:\n    name: vm.swappiness\n    value: '10'\n- sysctl: name=net.core.somaxconn value=1024\n- sysctl: { name: vm.dirty_ratio, state: absent }\n",
        ),
        (
            "bin/tune.sh",
            "#!/bin/sh\necho 'sysctl -w vm.x=1'\nsudo sysctl -q \\\n  -w vm.swappiness=10 && true\n",
        ),
    ]);
    assert_eq!(
        found,
        [
            // bin/tune.sh: the whole command, `sudo` and the continuation included; not the
            // echo.
            duty("3:1", "4:22"),
            // etc/sysctl.d/99.conf: the named group of a pattern, not the commented line.
            duty("2:1", "2:16"),
            // tasks/main.yml: the module key, not the title nor the arguments; not the task of
            // another setting, nor the one that removes a setting.
            duty("2:3", "2:23"),
        ]
    );
}

#[test]
fn allows_count_on_any_line_of_a_task_or_command() {
    let found = check(&[
        (
            "tasks/main.yml",
            "- name: tune\n  sysctl:\n    name: vm.swappiness  # raci-lint: allow(kernel-tuning) lab hosts\n    value: 1\n- name: other\n  sysctl:\n    name: vm.overcommit_memory\n",
        ),
        (
            "bin/tune.sh",
            "#!/bin/sh\nsysctl -w \\\n  vm.swappiness=1  # raci-lint: allow(kernel-tuning) lab hosts\n",
        ),
    ]);
    // The second task has no allow: reported; the first task and the command are waived.
    assert_eq!(found, [duty("6:3", "6:9")]);
}

#[test]
fn validation_wants_exactly_one_matcher_and_sound_regexes() {
    let bad = r#"
provider: { id: acme, name: Acme Hosting }
activities:
  - id: kernel-tuning
    title: Kernel tuning
    category: ops
    provider: [R, A]
    customer: []
    evidence:
      - id: two
        files: ["**/*"]
        pattern: 'a'
        command: 'b'
      - id: none
        files: ["**/*"]
      - id: no-module
        files: ["**/*"]
        ansible: { module: [] }
      - id: bad-arg
        files: ["**/*"]
        ansible: { module: [sysctl], args: { name: '(' } }
"#;
    let dir = repo(&[("packs/acme.yaml", bad), ("raci.yaml", OWNER)]);
    let root = dir.path().to_str().unwrap().to_owned();
    let packs = format!("{root}/packs");
    let (report, outcome) = run(&["--packs", &packs, &root]);
    let pack_rows: Vec<(String, String, String)> = report
        .findings
        .iter()
        .filter(|f| f.code.as_str().starts_with("pack-"))
        .map(|f| {
            let at = f.start().unwrap();
            (
                f.code.to_string(),
                format!("{}:{}", at.line, at.column),
                f.message.clone(),
            )
        })
        .collect();
    let want = [
        (
            "pack-invalid-yaml",
            "10:13",
            "evidence rule `two` has 2 matchers (`pattern`, `command`)",
        ),
        (
            "pack-invalid-yaml",
            "14:13",
            "evidence rule `none` has no matcher",
        ),
        (
            "pack-invalid-yaml",
            "18:18",
            "the `ansible` matcher of evidence rule `no-module` names no module",
        ),
    ];
    for (code, at, message) in want {
        assert!(
            pack_rows
                .iter()
                .any(|(c, a, m)| c == code && a == at && m == message),
            "{code} at {at}: {message}\n{pack_rows:#?}"
        );
    }
    assert!(
        pack_rows
            .iter()
            .any(|(c, a, m)| c == "pack-bad-regex" && a == "21:52" && m.contains("bad-arg")),
        "{pack_rows:#?}"
    );
    assert_eq!(outcome as i32, 2);
}

/// A pack of one provider-held activity, its evidence rules to be appended.
fn pack_head() -> String {
    "provider: { id: acme, name: Acme }\nactivities:\n  - id: hit\n    title: Hit\n    category: g\n    provider: [R, A]\n    customer: [I]\n    evidence:\n".to_owned()
}

#[test]
fn too_many_argument_regexes_are_refused() {
    let mut pack = pack_head();
    for i in 0..65 {
        pack.push_str(&format!(
            "      - {{ id: r{i}, files: ['**/*.yml'], ansible: {{ module: [m], args: {{ x: 'y' }} }} }}\n"
        ));
    }
    let dir = repo(&[("packs/acme.yaml", &pack), ("raci.yaml", OWNER)]);
    let root = dir.path().to_str().unwrap().to_owned();
    let packs = format!("{root}/packs");
    let (report, _) = run(&["--packs", &packs, &root]);
    let refused: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "pack-bad-regex")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert!(refused[0].contains("65 argument regexes, more than the 64"));
}

/// Files built to make the structure readers slow or deep: every one finishes, with the
/// findings it holds and no other.
#[test]
fn hostile_structures_finish_with_their_findings() {
    let deep = format!("{}\n- sysctl: {{ name: vm.x }}\n", "[".repeat(100_000));
    let many_tasks = "- sysctl: { name: vm.x }\n".repeat(5_000);
    let args_repeated = format!(
        "- args: {{ name: vm.y }}\n{}",
        "  sysctl: x\n".repeat(5_000)
    );
    let commands = "sysctl -w a=1;".repeat(20_000);
    let unclosed = format!("#!/bin/sh\nsysctl -w a=1\necho '{}\n", "x".repeat(500_000));
    let heredocs = format!("#!/bin/sh\n{}\nsysctl -w a=1\n", "cat <<E ".repeat(100_000));
    let nested = format!(
        "#!/bin/sh\n{}sysctl -w a=1{}\n",
        "sh -c \"".repeat(50),
        "\"".repeat(50)
    );
    // Thousands of keys naming the module in one task, with a large `args:`; many allows
    // without a closing parenthesis on one line.
    let keys = format!(
        "- name: t\n{}  args:\n{}",
        (0..2000)
            .map(|i| format!("  a{i}.sysctl: x\n"))
            .collect::<String>(),
        (0..2000)
            .map(|i| format!("    k{i}: v\n"))
            .collect::<String>()
    );
    let allows = format!(
        "#!/bin/sh\n{}\nsysctl -w a=1\n",
        "# raci-lint: allow(kernel-tuning ".repeat(20_000)
    );
    let files = [
        ("keys.yml", keys.as_str()),
        ("allows.sh", allows.as_str()),
        ("deep.yml", deep.as_str()),
        ("many.yml", many_tasks.as_str()),
        ("args.yml", args_repeated.as_str()),
        ("commands.sh", commands.as_str()),
        ("unclosed.sh", unclosed.as_str()),
        ("heredocs.sh", heredocs.as_str()),
        ("nested.sh", nested.as_str()),
    ];
    let mut all = vec![
        ("packs/acme.yaml", PACK),
        ("raci.yaml", OWNER),
        ("conf/raci-lint.yaml", "max-findings: 1000000\n"),
    ];
    all.extend_from_slice(&files);
    let dir = repo(&all);
    let root = dir.path().to_str().unwrap().to_owned();
    let packs = format!("{root}/packs");
    let config = format!("{root}/conf/raci-lint.yaml");
    // The binary, which reads the config file's `max-findings`.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args([
            "--config", &config, "--packs", &packs, "--format", "json", &root,
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["diagnostics"].as_array().unwrap();
    let count = |name: &str| {
        findings
            .iter()
            .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .count()
    };
    // Each key is a use of the module, without `name: vm...` in the task: none matches.
    assert_eq!(count("keys.yml"), 0);
    // 20,000 malformed allows, each `invalid-allow`, and the command they do not waive.
    assert_eq!(count("allows.sh"), 20_001);
    // Nesting past the parser's limit stops the YAML read: nothing after it is a task.
    assert_eq!(count("deep.yml"), 0);
    assert_eq!(count("many.yml"), 5_000);
    // One task whose module key repeats: each key is a use of the module.
    assert_eq!(count("args.yml"), 5_000);
    assert_eq!(count("commands.sh"), 20_000);
    // The first command; the unclosed quote swallows the rest.
    assert_eq!(count("unclosed.sh"), 1);
    // The heredocs never close: the command after them is a heredoc body.
    assert_eq!(count("heredocs.sh"), 0);
    // `sh -c` inside `sh -c` past the depth the reader follows is not read further.
    assert_eq!(count("nested.sh"), 0);
    let others: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["code"].as_str())
        .filter(|c| *c != "performs-provider-duty" && *c != "invalid-allow")
        .collect();
    assert_eq!(others, Vec::<&str>::new());
    assert_eq!(out.status.code(), Some(0), "warnings only");
}

/// A user pack of many patterns crafted against one file (each within the per-rule budget): the
/// lazy DFA gives up deterministically and the file is skipped with its reason, instead of a
/// search that costs the pack's states times the bytes (issue 12). Other files are still read.
#[test]
fn a_file_crafted_against_the_patterns_is_skipped_as_too_costly() {
    let mut pack = pack_head();
    for i in 0..40 {
        pack.push_str(&format!(
            "      - {{ id: r{i}, files: ['**/*.txt'], pattern: '(a|b)*a(a|b){{{}}}$' }}\n",
            10 + i % 5
        ));
    }
    // Random a/b words: every byte makes new DFA states.
    let mut state: u32 = 1;
    let mut crafted = String::new();
    while crafted.len() < 256 * 1024 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        crafted.push(if state >> 16 & 1 == 0 { 'a' } else { 'b' });
        if state >> 20 & 15 == 0 {
            crafted.push(' ');
        }
    }
    let dir = repo(&[
        ("packs/acme.yaml", &pack),
        ("raci.yaml", "provider: acme\n"),
        ("crafted.txt", &crafted),
        ("plain.txt", "ba\nxa\n"),
    ]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(["--packs", "packs", "--verbose", "--color", "never", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped: crafted.txt (too costly to search with these rules)")
            || stdout.contains("skipped: crafted.txt (too costly to search with these rules)"),
        "{stdout}\n{stderr}"
    );
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(["--packs", "packs", "--format", "json", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    // plain.txt is still searched; crafted.txt is counted as skipped, with no finding.
    assert_eq!(json["summary"]["scanned"], 1, "{json}");
    assert_eq!(json["summary"]["skipped"], 1, "{json}");
    assert_eq!(out.status.code(), Some(0));
}

const FIREWALL_PACK: &str = r#"
provider: { id: acme, name: Acme Hosting }
activities:
  - id: firewall
    title: Firewall
    category: ops
    provider: [R, A]
    customer: [I]
    evidence:
      - id: ufw-command
        files: ["**/*"]
        command: '^ufw\s+(?:--?\S+\s+)*(?:allow|deny)\b'
"#;

fn check_firewall(files: &[(&str, &str)]) -> Vec<common::Row> {
    check_with(FIREWALL_PACK, files)
}

fn firewall(start: &str, end: &str) -> common::Row {
    row("performs-provider-duty", start, end, Some("firewall"))
}

/// The literal prefilter asks for every word a rule needs (`ufw` and `allow` or `deny`), in the
/// file and then in each YAML task: words split over lines, folded or continued, still count,
/// and words that only meet in two different tasks do not.
#[test]
fn the_prefilter_wants_all_of_a_rule_words_where_a_command_can_be() {
    let found = check_firewall(&[
        (
            "tasks/main.yml",
            "- name: allow ssh\n  command: ufw status\n- name: open ssh\n  shell: >\n    ufw\n    allow 22\n- ansible.builtin.command:\n    cmd: \"ufw --force deny 23\"\n",
        ),
        (
            "bin/open.sh",
            "#!/bin/sh\nufw status  # allow later\nsudo ufw \\\n  allow 22\n",
        ),
        ("bin/read.sh", "#!/bin/sh\nufw status\necho allow\n"),
    ]);
    assert_eq!(
        found,
        [
            firewall("3:1", "4:11"),
            firewall("5:5", "6:13"),
            firewall("8:10", "8:31"),
        ],
        "{found:#?}"
    );
}

/// The per-document core (what the language server calls) finds the ownership file that governs
/// a document however its path is spelt: scopes are keyed by normalised folders.
#[test]
fn a_document_path_with_extra_slashes_or_dots_still_has_its_owner() {
    use raci_lint::evidence::{Document, check_document};
    use raci_lint::source::SourceFile;
    use std::path::Path;
    let (packs, _) = raci_lint::load::registry::load(&[]);
    let owner = SourceFile::new(
        "raci.yaml",
        "provider: sysbee\noffering: managed-infrastructure\nresponsibilities:\n  web-application-security: platform\n",
    );
    let resolved: Vec<_> = raci_lint::document::ownership(&owner, &packs, Path::new("/repo"))
        .resolved
        .into_iter()
        .collect();
    assert_eq!(resolved.len(), 1, "the ownership file resolves");
    let script = b"#!/bin/sh\napt-get -y dist-upgrade\n";
    for spelt in [
        "/repo/bin/up.sh",
        "/repo//bin/up.sh",
        "/repo/./bin/up.sh",
        "/repo/x/../bin/up.sh",
    ] {
        let doc = Document {
            path: Path::new(spelt),
            shown: "bin/up.sh",
            bytes: script,
            repo_root: Path::new("/repo"),
        };
        let found = check_document(&doc, &resolved, (1 << 20, 100), None);
        let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["performs-provider-duty"], "{spelt}");
    }
}

/// Quotes, backslashes and YAML escapes inside a word hide none of a rule's words from the
/// prefilter: the shell lexer and the YAML reader join them, and so does the literal pass.
#[test]
fn quoting_inside_a_word_hides_nothing_from_the_prefilter() {
    let found = check_firewall(&[
        (
            "bin/open.sh",
            "#!/bin/sh\nu'f'w \"al\"low 22\nufw d\\\neny 23\n",
        ),
        (
            "tasks/main.yml",
            "- shell: \"ufw \\x61llow 22\"\n- command: \"\\u0075fw deny 23\"\n",
        ),
    ]);
    assert_eq!(
        found,
        [
            firewall("2:1", "2:17"),
            firewall("3:1", "4:7"),
            firewall("1:10", "1:27"),
            firewall("2:12", "2:30"),
        ],
        "{found:#?}"
    );
}

/// An `ansible` rule's argument written with a YAML escape or split by quotes is still read:
/// the gate that skips tasks without the arguments a rule needs sees the joined words too.
#[test]
fn escaped_arguments_still_reach_the_ansible_matcher() {
    let found = check(&[(
        "tasks/main.yml",
        "- sysctl:\n    name: \"v\\x6d.swappiness\"\n    value: '10'\n- sysctl: { \"na\\u006de\": \"vm.dirty_ratio\" }\n",
    )]);
    assert_eq!(
        found,
        [duty("1:3", "1:9"), duty("4:3", "4:9")],
        "{found:#?}"
    );
}

/// An editor's view of a script waives evidence where it is found, as a run does: five waived
/// upgrades do not fill the file's three places and hide the firewall flush after them.
#[test]
fn a_document_waives_evidence_before_its_findings_are_cut() {
    use std::path::Path;
    let (packs, _) = raci_lint::load::registry::load(&[]);
    let owner = raci_lint::source::SourceFile::new(
        "raci.yaml",
        "provider: sysbee\noffering: managed-infrastructure\nresponsibilities:\n  web-application-security: platform\nwaivers:\n  - code: performs-provider-duty\n    activity: server-os-patching\n    reason: legacy scripts\n",
    );
    let checked = raci_lint::document::ownership(&owner, &packs, Path::new("/repo"));
    let owners: Vec<_> = checked.resolved.into_iter().collect();
    let sets: Vec<_> = checked.waivers.into_iter().collect();
    let mut settings = crate::common::settings(&[]);
    settings.max_findings = 3;
    let script = "apt-get -y dist-upgrade\n".repeat(5) + "iptables -F\n";
    let found = raci_lint::document::infrastructure(
        Path::new("/repo/bin/up.sh"),
        "bin/up.sh",
        script.as_bytes(),
        (&owners, &sets),
        Path::new("/repo"),
        &settings,
    );
    let rows: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|f| (f.code.as_str(), f.activity.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [(
            "performs-provider-duty",
            Some("os-network-firewall-configuration")
        )]
    );
}
