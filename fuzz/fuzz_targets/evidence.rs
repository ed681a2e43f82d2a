//! Fuzz target: any bytes as a scanned file, against the built-in evidence rules, read as every
//! kind of file the `command` matcher knows and as YAML: matches and commands stay inside the
//! file, pattern matches on one line, and the literal prefilter never rejects a rule that
//! matches.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use raci_lint::evidence::contexts::{self, KINDS};
use raci_lint::evidence::{allow, rules::PackRules, yaml};

static RULES: LazyLock<Vec<PackRules>> = LazyLock::new(|| {
    let (builtin, _) = raci_lint::load::registry::builtin();
    builtin
        .into_iter()
        .map(|p| PackRules::compile(&Arc::new(p)))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let docs = std::str::from_utf8(data)
        .map(yaml::parse)
        .unwrap_or_default();
    let tasks = contexts::tasks(&docs, &|_| true);
    for t in &tasks {
        assert!(t.key.start <= t.key.end && t.key.end <= data.len());
    }
    let mut commands = Vec::new();
    for kind in KINDS {
        for c in contexts::commands(kind, data, Some(&docs), &|_, _| true) {
            assert!(c.start <= c.end && c.end <= data.len(), "{kind:?}");
            commands.push(c);
        }
    }
    for rules in RULES.iter() {
        // The scan builds only the commands whose bytes hold a literal of a `command` rule:
        // every command a rule matches must be among them.
        let all: Vec<usize> = (0..rules.rules.len()).collect();
        let (_, hits) = rules.candidates_and_hits(data, &all);
        let keep = |start, end| {
            hits.as_ref()
                .is_none_or(|h| h.command_literal_within(start, end))
        };
        let mut near = Vec::new();
        for kind in KINDS {
            near.extend(contexts::commands(kind, data, Some(&docs), &keep));
        }
        for c in &commands {
            let matches = rules
                .rules
                .iter()
                .any(|r| r.matches_command(&c.text) == Ok(true));
            assert!(!matches || near.contains(c), "{:?} was not built", c.text);
        }
        for (i, rule) in rules.rules.iter().enumerate() {
            let mut matched = false;
            for (start, end) in rule.matches(data) {
                assert!(start <= end && end <= data.len());
                assert!(!data[start..end].contains(&b'\n'));
                matched = true;
            }
            matched |= commands
                .iter()
                .any(|c| rule.matches_command(&c.text) == Ok(true));
            matched |= tasks.iter().any(|t| rule.matches_task(t) == Ok(true));
            assert!(
                !matched || rules.candidates(data, &[i]) == [i],
                "{}",
                rule.id
            );
        }
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            data.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let allows = allow::find(data, &starts);
    for a in &allows {
        assert!(a.start <= a.end && a.end <= data.len());
    }
    // The binary search for a covering allow agrees with asking every allow.
    for first in 0..starts.len().min(32) {
        for last in first..starts.len().min(first + 4) {
            let fast = allow::covering(&allows, first, last, "sysbee", "server-os-patching");
            let slow = allows.iter().position(|a| {
                a.reason.is_some()
                    && a.covers_lines(first, last)
                    && a.names("sysbee", "server-os-patching")
            });
            assert_eq!(fast, slow);
        }
    }
});
