//! Every fixture in `fixtures/` gives exactly its documented findings, at the documented
//! line and column, with the documented outcome.

use crate::common;

use crate::common::{row, rows, run};
use raci_lint::Outcome;

fn case(args: &[&str], expected: &[common::Row], outcome: Outcome) {
    let (report, got) = run(args);
    assert_eq!(rows(&report), expected, "findings of {args:?}");
    assert_eq!(got, outcome, "outcome of {args:?}");
}

#[test]
fn demo_reports_the_headline_claim_only() {
    case(
        &["fixtures/demo"],
        &[row(
            "claims-provider-duty",
            "30:3",
            "30:26",
            Some("server-os-patching"),
        )],
        Outcome::Failed,
    );
}

#[test]
fn clean_fixtures_have_no_finding() {
    for dir in [
        "fixtures/clean",
        "fixtures/headline/object-storage-overrides",
        "fixtures/headline/self-service-plan",
        "fixtures/headline/on-request-plan",
    ] {
        case(&[dir], &[], Outcome::Clean);
    }
    case(
        &[
            "--packs",
            "fixtures/codes/pack-user/packs",
            "fixtures/codes/pack-user",
        ],
        &[],
        Outcome::Clean,
    );
}

#[test]
fn headline_claims() {
    case(
        &["fixtures/headline/sysbee-os-patching"],
        &[row(
            "claims-provider-duty",
            "20:3",
            "20:26",
            Some("server-os-patching"),
        )],
        Outcome::Failed,
    );
    case(
        &["fixtures/headline/cegedim-on-request-modify-config"],
        &[row(
            "claims-provider-duty",
            "13:3",
            "13:29",
            Some("modify-configurations"),
        )],
        Outcome::Failed,
    );
}

#[test]
fn one_fixture_per_code() {
    let cases: &[(&str, common::Row)] = &[
        ("invalid-yaml", row("invalid-yaml", "7:1", "7:16", None)),
        (
            "invalid-yaml-syntax",
            row("invalid-yaml", "8:17", "8:18", None),
        ),
        ("invalid-yaml-type", row("invalid-yaml", "6:8", "6:9", None)),
        (
            "invalid-yaml-duplicate-key",
            row("invalid-yaml", "23:3", "23:15", None),
        ),
        (
            "unknown-provider",
            row("unknown-provider", "5:11", "5:16", None),
        ),
        (
            "unknown-offering",
            row("unknown-offering", "6:11", "6:24", None),
        ),
        ("missing-plan", row("missing-plan", "4:11", "4:24", None)),
        ("unknown-plan", row("unknown-plan", "6:7", "6:18", None)),
        (
            "unknown-product",
            row("unknown-product", "6:12", "6:23", None),
        ),
        (
            "unknown-activity",
            row("unknown-activity", "23:3", "23:20", None),
        ),
        (
            "activity-not-in-plan",
            row("activity-not-in-plan", "8:3", "8:12", Some("lifecycle")),
        ),
        (
            "product-not-declared",
            row(
                "product-not-declared",
                "14:3",
                "14:22",
                Some("kubernetes/add-node"),
            ),
        ),
        (
            "claims-provider-duty",
            row(
                "claims-provider-duty",
                "15:28",
                "15:44",
                Some("modify-configurations"),
            ),
        ),
        (
            "multiple-accountable",
            row(
                "multiple-accountable",
                "11:18",
                "11:34",
                Some("backup-and-restoration"),
            ),
        ),
        (
            "unknown-team",
            row("unknown-team", "18:19", "18:27", Some("version-upgrades")),
        ),
        (
            "activity-overridden",
            row(
                "activity-overridden",
                "14:3",
                "14:19",
                Some("security-patches"),
            ),
        ),
    ];
    for (dir, expected) in cases {
        case(
            &[&format!("fixtures/codes/{dir}")],
            std::slice::from_ref(expected),
            Outcome::Failed,
        );
    }
}

#[test]
fn warnings_do_not_fail_unless_denied_or_strict() {
    let unowned = [row("unowned-duty", "6:1", "6:17", Some("local-backup"))];
    case(&["fixtures/codes/unowned-duty"], &unowned, Outcome::Clean);
    case(
        &["--deny-warnings", "fixtures/codes/unowned-duty"],
        &unowned,
        Outcome::Failed,
    );
    let (report, outcome) = run(&["--strict", "fixtures/codes/unowned-duty"]);
    assert_eq!(outcome, Outcome::Failed);
    assert_eq!(report.findings[0].severity.as_str(), "error");
    assert_eq!(report.summary.errors, 1);
}

#[test]
fn no_ownership_files_is_a_warning_on_the_searched_path() {
    let (report, outcome) = run(&["fixtures/codes/no-ownership-files"]);
    assert_eq!(rows(&report), [row("no-ownership-files", "-", "-", None)]);
    assert_eq!(
        report.findings[0].path.as_deref(),
        Some("fixtures/codes/no-ownership-files")
    );
    assert_eq!(outcome, Outcome::Clean);
}

#[test]
fn a_broken_user_pack_is_reported_and_exits_2() {
    case(
        &[
            "--packs",
            "fixtures/codes/pack-error/packs",
            "fixtures/codes/pack-error",
        ],
        &[
            row(
                "pack-multiple-accountable",
                "19:15",
                "20:20",
                Some("app-deployment"),
            ),
            row(
                "pack-unknown-reference",
                "24:13",
                "24:17",
                Some("managed-database-backups"),
            ),
            row("unknown-provider", "5:11", "5:24", None),
        ],
        Outcome::Broken,
    );
    let (report, _) = run(&[
        "--packs",
        "fixtures/codes/pack-error/packs",
        "fixtures/codes/pack-error",
    ]);
    let unknown = report.findings.last().unwrap();
    assert!(
        unknown.message.contains("has errors and was not loaded"),
        "the file is told its pack is broken, not that the provider is unknown"
    );
}

#[test]
fn the_baseline_fixture_hides_its_recorded_findings() {
    let baseline = "fixtures/baseline/raci-lint-baseline.json";
    case(
        &["--baseline", baseline, "fixtures/baseline"],
        &[],
        Outcome::Clean,
    );
    let (report, outcome) = run(&["fixtures/baseline"]);
    assert_eq!((report.findings.len(), outcome), (16, Outcome::Failed));
}
