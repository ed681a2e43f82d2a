//! Property tests: arbitrary and mutated ownership files, rule packs and scanned files never
//! make raci-lint panic, every span stays inside its file, and the evidence prefilters never
//! reject a text that a rule matches.

use crate::common;

use std::sync::{Arc, LazyLock};

use proptest::prelude::*;
use raci_lint::checks;
use raci_lint::diag::Sink;
use raci_lint::evidence::{allow, contexts, rules::PackRules};
use raci_lint::load::{ownership, registry};
use raci_lint::model::{PackOrigin, Packs};
use raci_lint::source::SourceFile;

/// The built-in packs, loaded once for every case.
static PACKS: LazyLock<Packs> = LazyLock::new(common::builtin_packs);

/// Their evidence rules, compiled once.
static RULES: LazyLock<Vec<PackRules>> =
    LazyLock::new(|| PACKS.by_id.values().map(PackRules::compile).collect());

const SEEDS: &[&str] = &[
    include_str!("../../fixtures/demo/infra/raci.yaml"),
    include_str!("../../fixtures/clean/billing/raci.yaml"),
    include_str!("../../fixtures/codes/unknown-team/raci.yaml"),
    include_str!("../../fixtures/codes/multiple-accountable/raci.yaml"),
    include_str!("../../fixtures/bad/alias-bomb/raci.yaml"),
];

/// A seed file with a few bytes inserted, removed or replaced: close to valid, so the mutants
/// reach deep into loading and checking rather than failing at the first byte.
fn mutant(seeds: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<u16>(), 0u8..3, any::<u8>()), 1..8);
    (0..seeds.len(), edits).prop_map(move |(i, edits)| {
        let mut bytes = seeds[i].as_bytes().to_vec();
        for (at, op, byte) in edits {
            let at = usize::from(at) % (bytes.len() + 1);
            match op {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ if at < bytes.len() => bytes[at] = byte,
                _ => {}
            }
        }
        bytes
    })
}

fn check_ownership(bytes: &[u8], packs: &Packs) {
    let source = SourceFile::new("raci.yaml", String::from_utf8_lossy(bytes).into_owned());
    let mut sink = Sink::default();
    match ownership::load(&source) {
        Ok(file) => {
            checks::ownership_file(file, packs, &mut sink);
        }
        Err(finding) => sink.push(finding),
    }
    for f in sink.findings() {
        if let (Some(src), Some(label)) = (&f.source, &f.primary) {
            assert!(label.span.end <= src.text.len(), "span past the end: {f:?}");
            let start = f.start().unwrap();
            assert!(start.line >= 1 && start.column >= 1);
        }
        // A fix's edits lie inside the text, on character boundaries, without overlapping.
        if let (Some(fix), Some(src)) = (&f.fix, &f.source) {
            let mut end = 0;
            for e in &fix.edits {
                assert!(e.span.start >= end, "overlapping edits: {fix:?}");
                assert!(e.span.end <= src.text.len(), "edit past the end: {fix:?}");
                assert!(
                    src.text.is_char_boundary(e.span.start)
                        && src.text.is_char_boundary(e.span.end)
                );
                end = e.span.end;
            }
            let edits: Vec<&raci_lint::diag::Edit> = fix.edits.iter().collect();
            let _ = raci_lint::fix::apply(&src.text, &edits);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_ownership_files_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_ownership(&bytes, &PACKS);
    }

    #[test]
    fn mutated_ownership_files_never_panic(bytes in mutant(SEEDS)) {
        check_ownership(&bytes, &PACKS);
    }

    #[test]
    fn mutated_packs_never_panic(bytes in mutant(&[
        include_str!("../../fixtures/codes/pack-user/packs/acme.yaml"),
        include_str!("../../fixtures/codes/pack-error/packs/broken.yaml"),
    ])) {
        let source = SourceFile::new("pack.yaml", String::from_utf8_lossy(&bytes).into_owned());
        let (pack, _findings) = registry::load_one(&source, PackOrigin::User);
        if let Some(pack) = pack {
            // A pack that validates must also compile for scanning.
            let _ = PackRules::compile(&Arc::new(pack));
        }
    }

    #[test]
    fn mutated_config_files_never_panic(bytes in mutant(&[
        include_str!("../../fixtures/config/raci-lint.yaml"),
    ])) {
        let source = SourceFile::new("raci-lint.yaml", String::from_utf8_lossy(&bytes).into_owned());
        if let Err(finding) = raci_lint::config::parse(&source, std::path::Path::new("."), std::path::Path::new("/")) {
            prop_assert!(finding.fatal, "a config problem always stops the run");
        }
    }

    #[test]
    fn evidence_matches_stay_on_one_line_and_prefilters_are_sound(
        lines in prop::collection::vec(prop_oneof![
            Just("sudo apt-get -y dist-upgrade".to_owned()),
            Just("  apt: upgrade=dist".to_owned()),
            Just("iptables -t nat -A POSTROUTING -j MASQUERADE".to_owned()),
            Just("pg_dump -Fc shop > /backup/shop.dump".to_owned()),
            Just("ALTER SYSTEM SET work_mem = '64MB';".to_owned()),
            Just("# raci-lint: allow(server-os-patching) lab".to_owned()),
            Just("    name: \"*\"".to_owned()),
            Just("- ansible.builtin.apt:\n    upgrade: dist".to_owned()),
            Just("- yum: name=* state=latest".to_owned()),
            Just("- ansible.builtin.copy:\n    dest: /etc/apt/apt.conf.d/20auto-upgrades".to_owned()),
            Just("- service: name=unattended-upgrades enabled=yes".to_owned()),
            Just("    name: \"unattended-upgr\\x61des\"".to_owned()),
            Just("- shell: |\n    apt-get update && \\\n      apt-get -y upgrade".to_owned()),
            Just("ssh host 'sudo zypper -n patch'".to_owned()),
            // A word joined across quotes that starts before its command does.
            Just("true;zyp\"per\" -n patch".to_owned()),
            // Read twice: a YAML string, then the free-form arguments; an `sh -c` string.
            Just("- copy: \"src=a dest=/etc/apt/apt.conf.d/20auto-up\\\"grades\\\"\"".to_owned()),
            Just("sh -c \"pg_\\\"dump\\\" shop\"".to_owned()),
            Just("<<EOF".to_owned()),
            Just("EOF".to_owned()),
            "[ -~\t]{0,40}",
            any::<String>(),
        ], 0..12),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let bytes = text.as_bytes();
        // The same text read as a script and as YAML: every rule that matches in either way
        // must be among the literal prefilter's candidates.
        let commands = contexts::commands(contexts::Kind::Shell, bytes, None, &|_, _| true);
        let docs = raci_lint::evidence::yaml::parse(&text);
        let tasks = contexts::tasks(&docs, &|_| true);
        for rules in RULES.iter() {
            for (i, rule) in rules.rules.iter().enumerate() {
                let mut matched = false;
                for (start, end) in rule.matches(bytes) {
                    prop_assert!(start <= end && end <= bytes.len());
                    prop_assert!(!bytes[start..end].contains(&b'\n'), "a match crossed a line end");
                    matched = true;
                }
                matched |= commands.iter().any(|c| rule.matches_command(&c.text) == Ok(true));
                matched |= tasks.iter().any(|t| rule.matches_task(t) == Ok(true));
                prop_assert!(
                    !matched || rules.candidates(bytes, &[i]) == [i],
                    "the prefilter rejected rule {} on a text it matches", rule.id
                );
            }
            prop_assert_eq!(
                matching_commands(rules, &commands),
                matching_commands(rules, &commands_near_literals(rules, contexts::Kind::Shell, bytes, None)),
                "a command a rule matches was not built"
            );
        }
        for c in &commands {
            prop_assert!(c.start <= c.end && c.end <= bytes.len());
        }
        let starts: Vec<usize> = std::iter::once(0)
            .chain(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
            .collect();
        for a in allow::find(bytes, &starts) {
            prop_assert!(a.start <= a.end && a.end <= bytes.len());
        }
    }
}

/// The commands the scan builds from `text` read as `kind`: those whose bytes hold a literal of
/// one of the pack's `command` rules.
fn commands_near_literals(
    rules: &PackRules,
    kind: contexts::Kind,
    text: &[u8],
    docs: Option<&[raci_lint::evidence::yaml::Node]>,
) -> Vec<raci_lint::evidence::shell::Command> {
    let all: Vec<usize> = (0..rules.rules.len()).collect();
    let (_, hits) = rules.candidates_and_hits(text, &all);
    let keep = |start, end| {
        hits.as_ref()
            .is_none_or(|h| h.command_literal_within(start, end))
    };
    contexts::commands(kind, text, docs, &keep)
}

/// Each command that a `command` rule of the pack matches, with the rule.
fn matching_commands(
    rules: &PackRules,
    commands: &[raci_lint::evidence::shell::Command],
) -> Vec<(usize, String, usize, usize)> {
    let mut matched = Vec::new();
    for (i, rule) in rules.rules.iter().enumerate() {
        for c in commands {
            if rule.matches_command(&c.text) == Ok(true) {
                matched.push((i, c.text.clone(), c.start, c.end));
            }
        }
    }
    matched.sort();
    matched
}

/// Inputs the `evidence` fuzz target found, kept: the prefilter must take every rule that
/// matches them, read as any kind of file. The first splits `pg_dump` with a quote
/// (`pg_du"mp`), which the shell lexer joins.
#[test]
fn fuzz_finds_stay_sound() {
    for data in [&include_bytes!("../data/fuzz-evidence-quote-in-word.sh")[..]] {
        let docs = std::str::from_utf8(data)
            .map(raci_lint::evidence::yaml::parse)
            .unwrap_or_default();
        let tasks = contexts::tasks(&docs, &|_| true);
        let mut commands = Vec::new();
        for kind in contexts::KINDS {
            commands.extend(contexts::commands(kind, data, Some(&docs), &|_, _| true));
        }
        let mut checked = 0;
        for rules in RULES.iter() {
            let mut near = Vec::new();
            for kind in contexts::KINDS {
                near.extend(commands_near_literals(rules, kind, data, Some(&docs)));
            }
            assert_eq!(
                matching_commands(rules, &commands),
                matching_commands(rules, &near),
                "a command a rule matches was not built"
            );
            for (i, rule) in rules.rules.iter().enumerate() {
                let matched = !rule.matches(data).is_empty()
                    || commands
                        .iter()
                        .any(|c| rule.matches_command(&c.text) == Ok(true))
                    || tasks.iter().any(|t| rule.matches_task(t) == Ok(true));
                checked += usize::from(matched);
                assert!(
                    !matched || rules.candidates(data, &[i]) == [i],
                    "the prefilter rejected rule {}",
                    rule.id
                );
            }
        }
        assert!(checked > 0, "the kept input matches some rule");
    }
}
