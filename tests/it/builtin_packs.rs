//! The built-in packs encode every row of the two seed matrices (compared with a table written
//! independently from `../shared/seeds/`), and validate with no error and exactly the
//! documented warnings.

use raci_lint::load::registry;
use raci_lint::model::{Pack, RoleSet};

fn packs() -> Vec<Pack> {
    let (packs, _) = registry::builtin();
    packs
}

/// "RA", "AI", "-": roles in RACI order, as the seed table writes them.
fn letters(set: RoleSet) -> String {
    let s: String = set.iter().map(|r| r.letter()).collect();
    if s.is_empty() { "-".into() } else { s }
}

#[test]
fn every_seed_row_is_encoded_exactly() {
    let table = include_str!("../data/seed-rows.tsv");
    let packs = packs();
    let mut expected = Vec::new();
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "{line}");
        expected.push(cols.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>());
    }
    let mut actual = Vec::new();
    for pack in &packs {
        for a in &pack.activities {
            let plans = match &a.plans {
                None => "*".to_owned(),
                Some(p) => p
                    .value
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            };
            actual.push(vec![
                pack.id().to_owned(),
                a.id().to_owned(),
                a.title.clone(),
                plans,
                letters(a.provider.value),
                letters(a.customer.value),
            ]);
        }
    }
    expected.sort();
    actual.sort();
    assert_eq!(actual, expected);
    let count = |id: &str| {
        packs
            .iter()
            .find(|p| p.id() == id)
            .unwrap()
            .activities
            .len()
    };
    assert_eq!(count("sysbee"), 28);
    assert_eq!(count("cegedim-cloud"), 48);
}

#[test]
fn builtin_packs_have_no_error_and_only_the_documented_warning() {
    let (packs, findings) = registry::builtin();
    assert_eq!(packs.len(), 2, "both packs load");
    let got: Vec<(String, Option<String>)> = findings
        .iter()
        .map(|f| (f.code.to_string(), f.activity.clone()))
        .collect();
    // DESIGN section 2: "Performance metrics" has no Accountable party in the source.
    assert_eq!(
        got,
        [(
            "pack-no-accountable".to_owned(),
            Some("performance-metrics".to_owned())
        )]
    );
}

#[test]
fn structure_matches_the_design() {
    let packs = packs();
    let sysbee = packs.iter().find(|p| p.id() == "sysbee").unwrap();
    let offerings: Vec<&str> = sysbee
        .offerings
        .iter()
        .map(|o| o.id.value.as_str())
        .collect();
    assert_eq!(
        offerings,
        [
            "managed-infrastructure",
            "managed-aws",
            "managed-magento",
            "managed-gitlab"
        ]
    );
    assert!(sysbee.plans.is_empty() && sysbee.products.is_empty());

    let ceg = packs.iter().find(|p| p.id() == "cegedim-cloud").unwrap();
    let plans: Vec<&str> = ceg.plans.iter().map(|p| p.id.value.as_str()).collect();
    assert_eq!(plans, ["self-service", "on-request"]);
    let products: Vec<&str> = ceg.products.iter().map(|p| p.id.value.as_str()).collect();
    assert_eq!(
        products,
        [
            "kubernetes",
            "mariadb",
            "opensearch",
            "postgresql",
            "kafka",
            "rabbitmq",
            "load-balancer",
            "data-masking",
            "cluster-storage",
            "object-storage"
        ]
    );
    let overrides: Vec<(&str, &str)> = ceg
        .activities
        .iter()
        .filter_map(|a| a.overrides.as_ref().map(|o| (a.id(), o.value.as_str())))
        .collect();
    assert_eq!(
        overrides,
        [
            ("object-storage/security-patches", "security-patches"),
            ("object-storage/version-upgrades", "version-upgrades")
        ]
    );
    for a in &ceg.activities {
        match a.id().split_once('/') {
            Some((product, _)) => {
                assert_eq!(a.product.as_ref().map(|p| p.value.as_str()), Some(product));
                assert_eq!(a.category, product);
            }
            None => assert_eq!(a.category, "generic", "{}", a.id()),
        }
    }
    let plan_execution = ceg.activity("data-masking/plan-execution").unwrap();
    assert!(
        plan_execution
            .comment
            .as_deref()
            .unwrap()
            .starts_with("Each execution includes")
    );
    assert_eq!(
        plan_execution.title,
        "PDM : Masking plan creation and execution"
    );
    let index = ceg.activity("opensearch/index-management").unwrap();
    assert!(index.comment.as_deref().unwrap().contains("security_audit"));
    let categories: std::collections::BTreeSet<&str> = sysbee
        .activities
        .iter()
        .map(|a| a.category.as_str())
        .collect();
    assert_eq!(
        categories.into_iter().collect::<Vec<_>>(),
        ["maintenance", "security", "troubleshooting"]
    );
}

#[test]
fn each_builtin_id_is_its_packs_provider_id() {
    // A run finds a built-in pack by this id before parsing it.
    for (id, path, text) in raci_lint::load::pack::BUILTIN {
        let source = raci_lint::source::SourceFile::new(*path, *text);
        let (pack, _) = registry::load_one(&source, raci_lint::model::PackOrigin::Builtin);
        assert_eq!(pack.expect(path).id(), *id, "{path}");
    }
}
