//! Every output format carries the same findings in the same order: one snapshot per format on
//! the same fixtures, SARIF validated against the OASIS 2.1.0 schema, JUnit and GitLab read
//! back, GitHub commands escaped as GitHub documents.

use crate::common::settings;

const FIXTURES: &[&str] = &[
    "fixtures/demo",
    "fixtures/headline/sysbee-ansible-upgrade",
    "fixtures/codes/unknown-team",
    "fixtures/codes/unowned-duty",
];

fn render(format: &str, paths: &[&str]) -> String {
    let mut args = vec!["--format", format];
    args.extend_from_slice(paths);
    let settings = settings(&args);
    let report = raci_lint::check(&settings);
    raci_lint::render::text(&report, &settings, false)
}

/// The codes of the findings, in output order, as the JSON report has them.
fn json_codes() -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&render("json", FIXTURES)).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn snapshots() {
    for format in ["concise", "github", "gitlab", "junit", "sarif"] {
        insta::assert_snapshot!(format, render(format, FIXTURES));
    }
}

#[test]
fn every_format_has_the_same_findings_in_the_same_order() {
    let codes = json_codes();
    assert_eq!(
        codes,
        // Sorted by path: fixtures/codes/... comes before fixtures/demo/...
        [
            "unknown-team",
            "unowned-duty",
            "claims-provider-duty",
            "performs-provider-duty"
        ]
    );

    let concise: Vec<String> = render("concise", FIXTURES)
        .lines()
        .map(|l| {
            l.split('[')
                .nth(1)
                .unwrap()
                .split(']')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(concise, codes);

    let github: Vec<String> = render("github", FIXTURES)
        .lines()
        .map(|l| {
            l.split("title=raci-lint ")
                .nth(1)
                .unwrap()
                .split("::")
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(github, codes);

    let gitlab: serde_json::Value = serde_json::from_str(&render("gitlab", FIXTURES)).unwrap();
    let gitlab_codes: Vec<String> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["check_name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(gitlab_codes, codes);

    let sarif: serde_json::Value = serde_json::from_str(&render("sarif", FIXTURES)).unwrap();
    let sarif_codes: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sarif_codes, codes);
}

#[test]
fn sarif_is_valid_against_the_oasis_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for paths in [
        FIXTURES,
        &["fixtures/codes/no-ownership-files"],
        &["fixtures/evidence"],
    ] {
        let sarif: serde_json::Value = serde_json::from_str(&render("sarif", paths)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{paths:?}: {errors:#?}");
    }
    let sarif: serde_json::Value = serde_json::from_str(&render("sarif", FIXTURES)).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        raci_lint::diag::Code::ALL.len(),
        "one rule per code"
    );
    assert!(
        rules
            .iter()
            .all(|r| r["help"]["text"].as_str().unwrap().contains("Fix:"))
    );
    let results = run["results"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(
            r["partialFingerprints"]["raciLint/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
    }
    let evidence = results
        .iter()
        .find(|r| r["ruleId"] == "performs-provider-duty")
        .unwrap();
    assert_eq!(
        evidence["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/headline/sysbee-ansible-upgrade/raci.yaml"
    );
    let claim = results
        .iter()
        .find(|r| r["ruleId"] == "claims-provider-duty")
        .unwrap();
    let region = &claim["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endColumn"]
        ),
        (
            &serde_json::json!(30),
            &serde_json::json!(3),
            &serde_json::json!(26)
        )
    );
}

#[test]
fn junit_reads_back_with_one_case_per_ownership_file() {
    let xml = render("junit", FIXTURES);
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit XML");
    let suite = &report.test_suites[0];
    let cases: Vec<(String, bool)> = suite
        .test_cases
        .iter()
        .map(|c| {
            let ok = matches!(c.status, quick_junit::TestCaseStatus::Success { .. });
            (c.name.to_string(), ok)
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("fixtures/codes/unknown-team/raci.yaml".to_owned(), false),
            ("fixtures/codes/unowned-duty/raci.yaml".to_owned(), true),
            ("fixtures/demo/infra/raci.yaml".to_owned(), false),
            (
                "fixtures/headline/sysbee-ansible-upgrade/raci.yaml".to_owned(),
                true
            ),
        ]
    );
    assert_eq!(suite.failures, 2);
}

#[test]
fn gitlab_issues_have_every_field_code_quality_needs() {
    let issues: serde_json::Value = serde_json::from_str(&render("gitlab", FIXTURES)).unwrap();
    for issue in issues.as_array().unwrap() {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        let severity = issue["severity"].as_str().unwrap();
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&severity));
    }
}

#[test]
fn github_escapes_paths_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("team:a,b");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::write(odd.join("raci.yaml"), "provider: sysbe\n").unwrap();
    let out = render("github", &[odd.to_str().unwrap()]);
    assert!(
        out.contains("team%3Aa%2Cb/raci.yaml,line=1,col=11"),
        "{out}"
    );
    assert!(out.contains("::unknown provider `sysbe`%0Ahelp: "), "{out}");
    assert_eq!(out.lines().count(), 1);
}
