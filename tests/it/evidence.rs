//! The evidence scan (DESIGN section 4) with a small user pack: attribution to the nearest
//! ownership file, scopes, plans, inline allows, skipped files, --no-evidence, thread counts.

use crate::common;

use crate::common::{repo, run};
use raci_lint::Outcome;

/// A provider with plans, one duty it holds with evidence on one plan only.
const PACK: &str = r#"
provider: { id: acme, name: Acme Hosting }
plans:
  - { id: basic, name: Basic }
  - { id: managed, name: Managed }
activities:
  - id: os-patching
    title: OS patching
    category: maintenance
    provider: [R, A]
    customer: [I]
    evidence:
      - id: apt-upgrade
        files: ["**/*.sh", "**/*.yml"]
        exclude: ["**/.github/**"]
        pattern: '^[^#]*?(?P<evidence>\bapt-get(\s+-\S+)*\s+(dist-)?upgrade\b)'
        description: "a script upgrades every package"
  - id: db-tuning
    title: Database tuning
    category: maintenance
    plans: [managed]
    provider: [R, A]
    customer: [I]
    evidence:
      - id: alter-system
        files: ["**/*.sql"]
        pattern: '(?i)^\s*alter\s+system\s+set\b'
        description: "SQL changes server settings"
  - id: app-deploy
    title: Application deployment
    category: delivery
    provider: [I]
    customer: [R, A]
    evidence:
      - id: never-reported
        files: ["**"]
        pattern: 'deploy'
"#;

const BASIC: &str = "provider: acme\nplan: basic\nresponsibilities:\n  app-deploy: dev\n";
const OWNER: &str = "provider: acme\nplan: managed\nresponsibilities:\n  app-deploy: dev\n";

/// (path relative to the repo, line, column, code) of a finding.
type Row = (String, usize, usize, String);

/// Every finding as a [`Row`], and the summary counts.
fn lint(dir: &tempfile::TempDir, extra: &[&str]) -> (Vec<Row>, raci_lint::Summary, Outcome) {
    let pack = dir.path().join("pack.yaml");
    std::fs::write(&pack, PACK).unwrap();
    let root = dir.path().to_str().unwrap().to_owned();
    let mut args = vec!["--packs", pack.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(&root);
    let (report, outcome) = run(&args);
    let rows = report
        .findings
        .iter()
        .filter(|f| f.code.as_str() != "pack-replaces-builtin")
        .map(|f| {
            let p = f.path.clone().unwrap();
            let rel = p[p
                .find(dir.path().file_name().unwrap().to_str().unwrap())
                .unwrap()..]
                .split_once('/')
                .unwrap()
                .1
                .to_owned();
            let start = f.start().unwrap();
            (rel, start.line, start.column, f.code.to_string())
        })
        .collect();
    (rows, report.summary, outcome)
}

fn row(path: &str, line: usize, column: usize, code: &str) -> Row {
    (path.to_owned(), line, column, code.to_owned())
}

#[test]
fn a_match_is_attributed_to_the_nearest_ownership_file_and_spans_the_text() {
    let dir = repo(&[
        ("raci.yaml", OWNER),
        ("svc/raci.yaml", BASIC),
        (
            "svc/scripts/patch.sh",
            "#!/bin/sh\nset -e\nsudo apt-get -y dist-upgrade\n",
        ),
        ("svc/db/tune.sql", "ALTER SYSTEM SET work_mem = '64MB';\n"),
        (
            "db/tune.sql",
            "-- tuning\nalter system set work_mem = '64MB';\n",
        ),
    ]);
    let (rows, summary, outcome) = lint(&dir, &[]);
    assert_eq!(
        rows,
        [
            row("db/tune.sql", 2, 1, "performs-provider-duty"),
            // svc/ is on the basic plan, where db-tuning is not a duty: no finding for its SQL.
            row("svc/scripts/patch.sh", 3, 6, "performs-provider-duty"),
        ]
    );
    // svc/db/tune.sql has no applicable rule on the basic plan, so it is not even read.
    assert_eq!(summary.scanned, 2);
    assert_eq!(outcome, Outcome::Clean, "evidence is a warning");
    let (report, _) = run(&[
        "--packs",
        dir.path().join("pack.yaml").to_str().unwrap(),
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    let patch = report
        .findings
        .iter()
        .find(|f| f.path.as_deref().unwrap().ends_with("patch.sh"))
        .unwrap();
    assert_eq!(patch.end().unwrap().column, 29);
    assert_eq!(patch.activity.as_deref(), Some("os-patching"));
    assert!(
        patch.message.contains("which Acme Hosting holds"),
        "{}",
        patch.message
    );
    assert!(patch.message.ends_with("a script upgrades every package"));
    assert!(patch.related[0].source.path.ends_with("svc/raci.yaml"));
}

#[test]
fn scope_limits_what_is_read_and_files_outside_every_scope_are_not_scanned() {
    let dir = repo(&[
        (
            "infra/raci.yaml",
            "provider: acme\nplan: basic\nscope: [\"ansible/**\"]\nresponsibilities:\n  app-deploy: dev\n",
        ),
        ("infra/ansible/site.yml", "- shell: apt-get upgrade -y\n"),
        ("infra/scripts/patch.sh", "apt-get upgrade\n"),
        ("other/patch.sh", "apt-get upgrade\n"),
        (".github/workflows/ci.yml", "- run: apt-get upgrade\n"),
    ]);
    let (rows, summary, _) = lint(&dir, &[]);
    assert_eq!(
        rows,
        [row(
            "infra/ansible/site.yml",
            1,
            10,
            "performs-provider-duty"
        )]
    );
    assert_eq!(summary.scanned, 1);
}

#[test]
fn in_one_folder_the_first_ownership_file_whose_scope_covers_a_file_owns_it() {
    // `a` has no scope (all of its folder), so `b`'s narrower scope never wins; swapped, the
    // scoped file comes first and takes only what its scope covers.
    let owner_of = |a: &str, b: &str| {
        let dir = repo(&[
            ("a.raci.yaml", a),
            ("b.raci.yaml", b),
            ("scripts/patch.sh", "apt-get upgrade\n"),
            ("ansible/up.sh", "apt-get upgrade\n"),
        ]);
        let pack = dir.path().join("pack.yaml");
        std::fs::write(&pack, PACK).unwrap();
        let (report, _) = run(&[
            "--packs",
            pack.to_str().unwrap(),
            "--format",
            "json",
            dir.path().to_str().unwrap(),
        ]);
        let mut owners: Vec<(String, String)> = report
            .findings
            .iter()
            .filter(|f| f.code == raci_lint::diag::Code::PerformsProviderDuty)
            .map(|f| {
                let file = f.path.as_deref().unwrap();
                let owner = f.related[0].source.path.as_str();
                let name = |p: &str| p.rsplit('/').next().unwrap().to_owned();
                (name(file), name(owner))
            })
            .collect();
        owners.sort();
        owners
    };
    let scoped = "provider: acme\nplan: basic\nscope: [\"scripts/**\"]\nresponsibilities:\n  app-deploy: dev\n";
    let pair = |file: &str, owner: &str| (file.to_owned(), owner.to_owned());
    assert_eq!(
        owner_of(BASIC, scoped),
        [
            pair("patch.sh", "a.raci.yaml"),
            pair("up.sh", "a.raci.yaml")
        ]
    );
    assert_eq!(
        owner_of(scoped, BASIC),
        [
            pair("patch.sh", "a.raci.yaml"),
            pair("up.sh", "b.raci.yaml")
        ]
    );
}

#[test]
fn inline_allows() {
    let dir = repo(&[
        ("raci.yaml", BASIC),
        (
            "a.sh",
            "# raci-lint: allow(os-patching) golden image build, not a server\napt-get upgrade\n",
        ),
        (
            "b.sh",
            "apt-get upgrade # raci-lint: allow(acme/os-patching)\n",
        ),
        (
            "c.sh",
            "echo ok # raci-lint: allow(os-patching) nothing here\n",
        ),
        (
            "d.sh",
            "apt-get upgrade # raci-lint: allow(db-tuning) wrong activity\n",
        ),
    ]);
    let (rows, _, outcome) = lint(&dir, &[]);
    assert_eq!(
        rows,
        [
            row("b.sh", 1, 1, "performs-provider-duty"),
            row("b.sh", 1, 19, "waiver-missing-reason"),
            row("c.sh", 1, 11, "unused-waiver"),
            row("d.sh", 1, 1, "performs-provider-duty"),
            row("d.sh", 1, 19, "unused-waiver"),
        ]
    );
    assert_eq!(
        outcome,
        Outcome::Failed,
        "an allow without a reason is an error"
    );
    let (report, _) = run(&[
        "--packs",
        dir.path().join("pack.yaml").to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(report.waived.len(), 1, "a.sh's match is waived, not lost");
}

#[test]
fn binary_and_large_files_are_skipped_and_counted() {
    let dir = repo(&[("raci.yaml", BASIC), ("tool.sh", "apt-get upgrade\n")]);
    std::fs::write(
        dir.path().join("blob.sh"),
        b"apt-get upgrade\n\x00\x01binary",
    )
    .unwrap();
    let mut big = b"#!/bin/sh\n".to_vec();
    big.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    big.extend(b"\napt-get upgrade\n");
    std::fs::write(dir.path().join("big.sh"), big).unwrap();
    let (rows, summary, _) = lint(&dir, &[]);
    assert_eq!(rows, [row("tool.sh", 1, 1, "performs-provider-duty")]);
    assert_eq!((summary.scanned, summary.skipped), (1, 2));
}

#[test]
fn no_evidence_turns_the_scan_off() {
    let dir = repo(&[("raci.yaml", BASIC), ("p.sh", "apt-get upgrade\n")]);
    let (rows, summary, _) = lint(&dir, &["--no-evidence"]);
    assert_eq!(rows, []);
    assert_eq!(summary.scanned, 0);
}

#[test]
fn strict_makes_evidence_an_error() {
    let dir = repo(&[("raci.yaml", BASIC), ("p.sh", "apt-get upgrade\n")]);
    let (_, summary, outcome) = lint(&dir, &["--strict"]);
    assert_eq!((summary.errors, outcome), (1, Outcome::Failed));
}

#[test]
fn the_walk_on_one_thread_and_on_many_sees_the_same_files() {
    // Over 128 entries, `--threads 4` walks in parallel and `--threads 1` on the run's own
    // thread: both honour .gitignore files at every level, skip .git, keep hidden folders.
    let mut files: Vec<(String, String)> = vec![
        ("raci.yaml".into(), OWNER.into()),
        (".gitignore".into(), "build/\n*.tmp.sh\n".into()),
        ("svc1/.gitignore".into(), "local.sh\n".into()),
        ("svc1/local.sh".into(), "apt-get upgrade\n".into()),
        ("svc1/kept.sh".into(), "apt-get upgrade\n".into()),
        ("build/gen.sh".into(), "apt-get upgrade\n".into()),
        ("x.tmp.sh".into(), "apt-get upgrade\n".into()),
        (".hidden/h.sh".into(), "apt-get upgrade\n".into()),
        (".git/hooks/pre-push.sh".into(), "apt-get upgrade\n".into()),
    ];
    for i in 0..150 {
        files.push((format!("pad{}/p{i}.txt", i % 9), "nothing\n".into()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = repo(&refs);
    let (one, summary, _) = lint(&dir, &["--threads", "1"]);
    let mut found: Vec<&str> = one.iter().map(|r| r.0.as_str()).collect();
    found.sort_unstable();
    assert_eq!(found, [".hidden/h.sh", "svc1/kept.sh"]);
    assert_eq!(summary.scanned, 2);
    for _ in 0..5 {
        let (many, again, _) = lint(&dir, &["--threads", "4"]);
        assert_eq!((many, again.scanned), (one.clone(), summary.scanned));
    }
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let mut files: Vec<(String, String)> = vec![("raci.yaml".into(), OWNER.into())];
    for i in 0..300 {
        files.push((
            format!("svc{}/s{i}.sh", i % 7),
            format!("echo {i}\napt-get -q upgrade\n"),
        ));
        files.push((
            format!("svc{}/t{i}.sql", i % 5),
            "ALTER SYSTEM SET x = 1;\n".into(),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = repo(&refs);
    let pack = dir.path().join("pack.yaml");
    std::fs::write(&pack, PACK).unwrap();
    let render = |threads: &str| {
        let args = [
            "--packs",
            pack.to_str().unwrap(),
            "--format",
            "json",
            "--threads",
            threads,
            dir.path().to_str().unwrap(),
        ];
        let settings = common::settings(&args);
        let report = raci_lint::check(&settings);
        raci_lint::render::text(&report, &settings, false)
    };
    let one = render("1");
    assert!(one.matches("performs-provider-duty").count() == 600);
    for _ in 0..10 {
        assert_eq!(render("8"), one);
        assert_eq!(render("2"), one);
    }
}
