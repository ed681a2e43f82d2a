//! Fuzz target: any bytes as a scanned file, against the built-in evidence rules: matches stay
//! on one line, and the prefilters never reject a text that a rule matches.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use raci_lint::evidence::{allow, rules::PackRules};

static RULES: LazyLock<Vec<PackRules>> = LazyLock::new(|| {
    let (builtin, _) = raci_lint::load::registry::builtin();
    builtin
        .into_iter()
        .map(|p| PackRules::compile(&Arc::new(p)))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    for rules in RULES.iter() {
        let mut matched = false;
        for rule in &rules.rules {
            for (start, end) in rule.matches(data) {
                assert!(start <= end && end <= data.len());
                assert!(!data[start..end].contains(&b'\n'));
                matched = true;
            }
        }
        assert!(!matched || rules.may_match(data));
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(data.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
        .collect();
    for a in allow::find(data, &starts) {
        assert!(a.start <= a.end && a.end <= data.len());
    }
});
