//! The ownership-file semantics of DESIGN section 3, one rule per test, on small inline files.

use crate::common;

use crate::common::{repo, row, rows, run};
use raci_lint::Outcome;

const SYSBEE_DUTIES: &[&str] = &[
    "web-application-security",
    "web-application-data-encryption",
    "web-application-access-management",
    "local-backup",
    "security-awareness-training",
    "web-application-development",
    "web-application-patching",
    "local-maintenance",
    "web-application-debugging",
    "local-network-troubleshooting",
    "local-hardware-troubleshooting",
    "web-application-malware-removal",
    "database-schema-and-query-optimization",
    "third-party-troubleshooting",
    "seo-issues",
];

/// A Sysbee file that owns every duty, plus `extra` lines under `responsibilities`.
fn sysbee_file(extra: &str) -> String {
    let mut text = String::from("provider: sysbee\nresponsibilities:\n");
    for duty in SYSBEE_DUTIES {
        text.push_str(&format!("  {duty}: webteam\n"));
    }
    text.push_str(extra);
    text
}

fn check(text: &str) -> (Vec<common::Row>, Outcome) {
    let dir = repo(&[("raci.yaml", text)]);
    let (report, outcome) = run(&[dir.path().to_str().unwrap()]);
    (rows(&report), outcome)
}

#[test]
fn consulted_and_informed_may_always_be_declared() {
    let (rows, outcome) = check(&sysbee_file(
        "  server-os-patching:\n    informed: ops\n    consulted: [ops, webteam]\n",
    ));
    assert_eq!(rows, []);
    assert_eq!(outcome, Outcome::Clean);
}

#[test]
fn explicit_claims_of_r_and_a_are_one_finding_at_the_first_role() {
    let (rows, _) = check(&sysbee_file(
        "  server-setup:\n    responsible: ops\n    accountable: ops\n",
    ));
    assert_eq!(
        rows,
        [row(
            "claims-provider-duty",
            "19:5",
            "19:21",
            Some("server-setup")
        )]
    );
}

#[test]
fn shorthand_takes_the_whole_customer_share() {
    // backup-and-restoration: the customer is A and I; the shorthand is valid and covers A.
    let text = "provider: cegedim-cloud\nplan: on-request\nresponsibilities:\n  usage: platform\n  backup-and-restoration: data\n  disaster-recovery: data\n  security-patches: platform\n  version-upgrades: platform\n";
    assert_eq!(check(text), (vec![], Outcome::Clean));
}

#[test]
fn shorthand_where_the_customer_is_only_informed_claims_a_duty() {
    let text = "provider: cegedim-cloud\nplan: on-request\nresponsibilities:\n  usage: platform\n  backup-and-restoration: data\n  disaster-recovery: data\n  security-patches: platform\n  version-upgrades: platform\n  standard-monitoring: sre\n";
    let (rows, outcome) = check(text);
    assert_eq!(
        rows,
        [row(
            "claims-provider-duty",
            "9:3",
            "9:27",
            Some("standard-monitoring")
        )]
    );
    assert_eq!(outcome, Outcome::Failed);
}

#[test]
fn a_partly_declared_duty_names_the_missing_role() {
    let text = "provider: cegedim-cloud\nplan: on-request\nresponsibilities:\n  usage: platform\n  backup-and-restoration: data\n  disaster-recovery: data\n  security-patches: platform\n  version-upgrades:\n    accountable: platform\n";
    let dir = repo(&[("raci.yaml", text)]);
    let (report, outcome) = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(
        rows(&report),
        [row("unowned-duty", "3:1", "3:17", Some("version-upgrades"))]
    );
    let f = &report.findings[0];
    assert!(
        f.message.starts_with(
            "no team holds the customer's Responsible role for Version Upgrades (version-upgrades)"
        ),
        "{}",
        f.message
    );
    assert!(f.help.as_deref().unwrap().contains("`responsible: <team>`"));
    assert_eq!(outcome, Outcome::Clean);
}

#[test]
fn without_responsibilities_unowned_duties_point_at_provider() {
    let (rows, _) = check("provider: cegedim-cloud\nplan: self-service\n");
    let expected: Vec<common::Row> = [
        "backup-and-restoration",
        "disaster-recovery",
        "lifecycle",
        "security-patches",
        "usage",
        "version-upgrades",
    ]
    .iter()
    .map(|a| row("unowned-duty", "1:1", "1:9", Some(a)))
    .collect();
    assert_eq!(rows, expected);
}

#[test]
fn one_cause_one_finding() {
    // The unknown team is the finding; the duty it was meant to cover is not also unowned.
    let text = sysbee_file("")
        .replace(
            "provider: sysbee\n",
            "provider: sysbee\nteams:\n  webteam: {}\n",
        )
        .replace("  seo-issues: webteam\n", "  seo-issues: marketing\n");
    let (rows, _) = check(&text);
    assert_eq!(
        rows,
        [row("unknown-team", "19:15", "19:24", Some("seo-issues"))]
    );
}

#[test]
fn an_unknown_activity_is_reported_once_and_the_duty_stays_unowned() {
    let text = sysbee_file("").replace("  seo-issues:", "  seo-issue:");
    let (rows, _) = check(&text);
    assert_eq!(
        rows,
        [
            row("unowned-duty", "2:1", "2:17", Some("seo-issues")),
            row("unknown-activity", "17:3", "17:12", None),
        ]
    );
}

#[test]
fn an_unknown_provider_or_plan_stops_the_file() {
    let (rows, _) = check("provider: cegedim-cloud\nplan: gold\nresponsibilities:\n  nope: x\n");
    assert_eq!(rows, [row("unknown-plan", "2:7", "2:11", None)]);
    let (rows, _) = check("provider: sysbee\nplan: gold\n");
    assert_eq!(rows, [row("unknown-plan", "2:7", "2:11", None)]);
}

#[test]
fn products_that_do_not_all_override_keep_the_generic_activity() {
    let text = "provider: cegedim-cloud\nplan: on-request\nproducts: [kafka, object-storage]\nresponsibilities:\n  usage: platform\n  backup-and-restoration: data\n  disaster-recovery: data\n  version-upgrades: platform\n  kafka/manage-objects: platform\n";
    let (rows, _) = check(text);
    assert_eq!(
        rows,
        [row("unowned-duty", "4:1", "4:17", Some("security-patches"))]
    );
}

#[test]
fn product_not_declared_wins_over_not_in_plan() {
    // kubernetes/add-node is self-service only and its product is not declared: one finding.
    let text = "provider: cegedim-cloud\nplan: on-request\nresponsibilities:\n  usage: platform\n  backup-and-restoration: data\n  disaster-recovery: data\n  security-patches: platform\n  version-upgrades: platform\n  kubernetes/add-node: platform\n";
    let (rows, _) = check(text);
    assert_eq!(
        rows,
        [row(
            "product-not-declared",
            "9:3",
            "9:22",
            Some("kubernetes/add-node")
        )]
    );
}

#[test]
fn a_user_pack_replaces_the_builtin_one_with_a_note() {
    let pack = "provider:\n  id: sysbee\n  name: Sysbee (our contract)\nactivities:\n  - id: server-os-patching\n    title: Server OS patching and updates\n    category: maintenance\n    provider: [A]\n    customer: [R]\n";
    let dir = repo(&[
        ("packs/sysbee.yaml", pack),
        (
            "raci.yaml",
            "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n",
        ),
    ]);
    let root = dir.path().to_str().unwrap();
    let packs = dir.path().join("packs");
    let (report, outcome) = run(&["--packs", packs.to_str().unwrap(), root]);
    assert_eq!(
        rows(&report),
        [row("pack-replaces-builtin", "2:7", "2:13", None)]
    );
    assert_eq!(report.findings[0].severity.as_str(), "note");
    assert_eq!(outcome, Outcome::Clean);
}

#[test]
fn two_user_packs_with_one_provider_id_are_an_error() {
    let pack = "provider:\n  id: acme\n  name: Acme\nactivities: []\n";
    let dir = repo(&[("packs/a.yaml", pack), ("packs/b.yaml", pack)]);
    let packs = dir.path().join("packs");
    let (report, outcome) = run(&[
        "--packs",
        packs.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"pack-duplicate-provider"), "{codes:?}");
    assert_eq!(outcome, Outcome::Broken);
}

#[test]
fn pack_validation_reports_each_problem_with_its_span() {
    let pack = "provider:\n  id: Acme_Cloud\n  name: Acme\nplans:\n  - { id: basic, name: Basic }\nproducts:\n  - { id: db, name: Database }\nactivities:\n  - id: a\n    title: A\n    category: x\n    provider: [R]\n    customer: [I]\n  - id: a\n    title: A again\n    category: x\n    provider: [R, A]\n    customer: [I]\n  - id: db/b\n    title: B\n    category: db\n    product: web\n    plans: [gold]\n    provider: [R, A]\n    customer: [X]\n    overrides: nothing\n    evidence:\n      - { id: e, files: ['[bad'], pattern: '(' }\n      - { id: e, files: ['**'], pattern: '' }\n";
    let dir = repo(&[("acme.yaml", pack)]);
    let file = dir.path().join("acme.yaml");
    let (report, outcome) = run(&[
        "--packs",
        file.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let got: Vec<(String, String)> = rows(&report)
        .into_iter()
        .filter(|r| r.0.starts_with("pack-"))
        .map(|r| (r.0, r.1))
        .collect();
    let expected = [
        ("pack-bad-id", "2:7"),
        ("pack-no-accountable", "12:15"),
        ("pack-duplicate-id", "14:9"),
        ("pack-product-mismatch", "22:14"),
        ("pack-unknown-reference", "22:14"),
        ("pack-unknown-reference", "23:13"),
        ("pack-invalid-yaml", "25:16"),
        ("pack-unknown-reference", "26:16"),
        // Quoted scalars are spanned from their opening quote.
        ("pack-bad-glob", "28:26"),
        ("pack-bad-regex", "28:44"),
        ("pack-bad-regex", "29:42"),
        ("pack-duplicate-id", "29:15"),
    ];
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    expected.sort();
    assert_eq!(got_sorted, expected, "{got:?}");
    assert_eq!(outcome, Outcome::Broken);
}

#[test]
fn a_missing_path_is_an_io_error_and_the_others_are_still_checked() {
    let (report, outcome) = run(&["no/such/dir", "fixtures/demo"]);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["claims-provider-duty", "io-error"]);
    assert_eq!(report.findings[1].path.as_deref(), Some("no/such/dir"));
    assert_eq!(outcome, Outcome::Broken);
}

#[test]
fn gitignored_ownership_files_are_not_read() {
    let dir = repo(&[
        (".gitignore", "vendor/\n"),
        ("vendor/raci.yaml", "not: [valid\n"),
        (".hidden/raci.yml", "provider: sysbe\n"),
        ("svc/billing.raci.yaml", "provider: sysbee\nplan: x\n"),
    ]);
    let (report, _) = run(&[dir.path().to_str().unwrap()]);
    let got: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| {
            let p = f.path.as_deref().unwrap();
            (
                &p[p.len()
                    .min(p.rfind(".hidden").or(p.rfind("svc")).unwrap_or(0))..],
                f.code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (".hidden/raci.yml", "unknown-provider"),
            ("svc/billing.raci.yaml", "unknown-plan")
        ]
    );
    assert_eq!(report.summary.files, 2);
}

#[test]
fn overlapping_paths_check_each_file_once() {
    let dir = repo(&[("sub/raci.yaml", "provider: sysbe\n")]);
    let root = dir.path().to_str().unwrap();
    let sub = dir.path().join("sub");
    let file = dir.path().join("sub/raci.yaml");
    let (report, _) = run(&[root, sub.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(report.summary.files, 1);
    assert_eq!(
        rows(&report),
        [row("unknown-provider", "1:11", "1:16", None)]
    );
}

#[test]
fn an_unknown_team_is_reported_once_per_declaration() {
    let text = sysbee_file("")
        .replace(
            "provider: sysbee\n",
            "provider: sysbee\nteams:\n  webteam: {}\n",
        )
        .replace(
            "  seo-issues: webteam\n",
            "  seo-issues:\n    responsible: [x, x]\n    accountable: x\n",
        );
    let (rows, _) = check(&text);
    assert_eq!(
        rows,
        [row("unknown-team", "20:19", "20:20", Some("seo-issues"))]
    );
}

#[test]
fn an_accountable_claim_on_a_provider_duty_is_one_finding() {
    let (rows, _) = check(&sysbee_file(
        "  server-os-patching:\n    accountable: [c, d]\n",
    ));
    assert_eq!(
        rows,
        [row(
            "claims-provider-duty",
            "19:5",
            "19:24",
            Some("server-os-patching")
        )]
    );
}

#[test]
fn help_lists_are_bounded_whatever_the_registry_size() {
    let mut text = String::from("provider: sysbee\nteams:\n");
    for i in 0..4000 {
        text.push_str(&format!("  team{i}: {{}}\n"));
    }
    text.push_str("responsibilities:\n  seo-issues:\n    informed: [");
    text.push_str(
        &(0..4000)
            .map(|i| format!("other{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    text.push_str("]\n");
    let dir = repo(&[("raci.yaml", &text)]);
    let (report, _) = run(&[dir.path().to_str().unwrap()]);
    let unknown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "unknown-team")
        .collect();
    assert_eq!(unknown.len(), 4000);
    for f in unknown {
        assert!(
            f.help.as_deref().unwrap().len() < 300,
            "{}",
            f.help.as_deref().unwrap()
        );
    }
}

#[test]
fn team_names_must_be_non_empty_and_numbers_are_names() {
    for (decl, at) in [
        ("  seo-issues: \"\"\n", "17:3"),
        (
            "  seo-issues:\n    responsible: \"\"\n    accountable: a\n",
            "18:5",
        ),
        (
            "  seo-issues:\n    responsible: [a, \"  \"]\n    accountable: a\n",
            "18:22",
        ),
        ("  seo-issues: yes\n", "17:3"),
    ] {
        let text = sysbee_file("").replace("  seo-issues: webteam\n", decl);
        let (rows, _) = check(&text);
        assert_eq!(rows.len(), 1, "{decl}: {rows:?}");
        assert_eq!(
            (rows[0].0.as_str(), rows[0].1.as_str()),
            ("invalid-yaml", at),
            "{decl}"
        );
    }
    let text = sysbee_file("").replace("  seo-issues: webteam\n", "  seo-issues: 2024\n");
    assert_eq!(check(&text), (vec![], Outcome::Clean));
}

#[test]
fn scope_globs_must_compile_and_stay_inside() {
    for (scope, col) in [
        ("[\"[bad\"]", "9"),
        ("[\"/etc/**\"]", "9"),
        ("[\"ansible/**\", \"../x/**\"]", "23"),
    ] {
        let (rows, _) = check(&format!("provider: sysbee\nscope: {scope}\n"));
        assert_eq!(
            rows,
            [row("invalid-yaml", &format!("2:{col}"), &rows[0].2, None)],
            "{scope}"
        );
    }
}

#[test]
fn a_broken_flow_style_pack_is_named_broken() {
    let pack = "provider: { id: acme, name: Acme }  # flow style\nactivities:\n  - { id: a, title: A, category: x, provider: [A], customer: [A, R] }\n";
    let dir = repo(&[("packs/acme.yaml", pack), ("raci.yaml", "provider: acme\n")]);
    let packs = dir.path().join("packs");
    let (report, outcome) = run(&[
        "--packs",
        packs.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let unknown = report
        .findings
        .iter()
        .find(|f| f.code.as_str() == "unknown-provider")
        .unwrap();
    assert!(
        unknown.message.contains("has errors"),
        "{}",
        unknown.message
    );
    assert_eq!(outcome, Outcome::Broken);
}
