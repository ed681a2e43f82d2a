//! The precision corpus (`fixtures/evidence/`): every built-in evidence rule finds exactly the
//! lines listed in `expected.tsv` in the `found/` files, and nothing in the `not-found/` files
//! (container builds, CI workflows, docs, status reads, named-package updates, comments).

use std::collections::BTreeSet;

use crate::common::run;

/// (path under fixtures/evidence, line, activity, rule).
type Hit = (String, usize, String, String);

fn expected() -> BTreeSet<Hit> {
    include_str!("../../fixtures/evidence/expected.tsv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (
                c[0].to_owned(),
                c[1].parse().unwrap(),
                c[2].to_owned(),
                c[3].to_owned(),
            )
        })
        .collect()
}

fn found(root: &str, strip: &str) -> BTreeSet<Hit> {
    let (report, _) = run(&["--threads", "2", root]);
    let others: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code.as_str() != "performs-provider-duty")
        .map(|f| (f.code.as_str(), f.path.clone()))
        .collect();
    assert_eq!(others, [], "the corpus's ownership files are clean");
    report
        .findings
        .iter()
        .map(|f| {
            let path = f.path.as_deref().unwrap();
            let rel = path[path.find(strip).unwrap() + strip.len()..].to_owned();
            let rule = f
                .subject
                .as_deref()
                .unwrap()
                .split('\n')
                .next()
                .unwrap()
                .to_owned();
            (
                rel,
                f.start().unwrap().line,
                f.activity.clone().unwrap(),
                rule,
            )
        })
        .collect()
}

#[test]
fn every_rule_finds_exactly_the_expected_lines() {
    let expected = expected();
    let got = found("fixtures/evidence", "fixtures/evidence/");
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert!(
        got.iter().all(|h| h.0.contains("/found/")),
        "nothing in not-found/"
    );
    // At least five found files per rule, as the corpus promises.
    let rules: BTreeSet<&str> = expected.iter().map(|h| h.3.as_str()).collect();
    for rule in rules {
        let files: BTreeSet<&str> = expected
            .iter()
            .filter(|h| h.3 == rule)
            .map(|h| h.0.as_str())
            .collect();
        assert!(files.len() >= 5, "{rule} has {} found files", files.len());
    }
}

#[test]
fn cegedim_security_patches_use_the_same_patching_rules() {
    // The os-patching corpus under a cegedim.cloud owner: the same lines, as security-patches.
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::path::Path::new("fixtures/evidence/os-patching");
    // Allows name the sysbee activity: they are checked under the sysbee owner only.
    copy(corpus, &dir.path().join("os-patching"));
    std::fs::remove_dir_all(dir.path().join("os-patching/allows")).unwrap();
    std::fs::write(
        dir.path().join("os-patching/raci.yaml"),
        "provider: cegedim-cloud\nplan: on-request\nresponsibilities:\n  usage: p\n  backup-and-restoration: p\n  disaster-recovery: p\n  security-patches: p\n  version-upgrades: p\n",
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let strip = format!("{}/", dir.path().file_name().unwrap().to_str().unwrap());
    let got = found(root, &strip);
    let want: BTreeSet<Hit> = expected()
        .into_iter()
        .filter(|h| h.0.starts_with("os-patching/"))
        .map(|(p, l, _, r)| (p, l, "security-patches".to_owned(), r))
        .collect();
    assert_eq!(got, want);
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
