//! Snapshots of the human rendering, one per kind of finding, as a terminal without colour
//! shows them (100 columns).

use crate::common::{repo, settings};

fn human(args: &[&str]) -> String {
    let settings = settings(args);
    let report = raci_lint::check(&settings);
    raci_lint::render::text(&report, &settings, false)
}

#[test]
fn claims_provider_duty_sysbee() {
    insta::assert_snapshot!(human(&["fixtures/headline/sysbee-os-patching"]));
}

#[test]
fn claims_provider_duty_explicit_role_on_a_plan() {
    insta::assert_snapshot!(human(&["fixtures/codes/claims-provider-duty"]));
}

#[test]
fn unknown_activity_with_did_you_mean() {
    insta::assert_snapshot!(human(&["fixtures/codes/unknown-activity"]));
}

#[test]
fn activity_not_in_plan_points_at_the_plan_too() {
    insta::assert_snapshot!(human(&["fixtures/codes/activity-not-in-plan"]));
}

#[test]
fn unowned_duty_warning() {
    insta::assert_snapshot!(human(&["fixtures/codes/unowned-duty"]));
}

#[test]
fn invalid_yaml_unknown_key() {
    insta::assert_snapshot!(human(&["fixtures/codes/invalid-yaml"]));
}

#[test]
fn unknown_team_and_multiple_accountable() {
    insta::assert_snapshot!(human(&[
        "fixtures/codes/unknown-team",
        "fixtures/codes/multiple-accountable"
    ]));
}

#[test]
fn activity_overridden_names_the_product_activity() {
    insta::assert_snapshot!(human(&["fixtures/codes/activity-overridden"]));
}

#[test]
fn findings_without_a_span_and_quiet_mode() {
    insta::assert_snapshot!(human(&["--quiet", "fixtures/codes/no-ownership-files"]));
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let demo = ["--color", "always", "fixtures/demo"];
    let settings = settings(&demo);
    let report = raci_lint::check(&settings);
    assert!(raci_lint::render::text(&report, &settings, false).contains("\x1b["));
    let plain = human(&["fixtures/demo"]);
    assert!(!plain.contains("\x1b["));
}

#[test]
fn summary_counts_every_severity() {
    let dir = repo(&[
        ("a/raci.yaml", "provider: cegedim-cloud\nplan: on-request\n"),
        ("b/raci.yaml", "provider: sysbe\n"),
    ]);
    let out = human(&[
        "--packs",
        "fixtures/codes/pack-user/packs",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        out.ends_with(
            "1 error, 5 warnings in 2 ownership files; 1 fixable with --fix --unsafe-fixes\n"
        ),
        "{}",
        out.lines().last().unwrap()
    );
}
