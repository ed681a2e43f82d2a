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
    let allows = allow::find(data, &starts);
    for a in &allows {
        assert!(a.start <= a.end && a.end <= data.len());
    }
    // The binary search for a covering allow agrees with asking every allow.
    for line in 0..starts.len().min(64) {
        let fast = allow::covering(&allows, line, "sysbee", "server-os-patching");
        let slow = allows.iter().position(|a| {
            a.reason.is_some() && a.covers_line(line) && a.names("sysbee", "server-os-patching")
        });
        assert_eq!(fast, slow);
    }
});
