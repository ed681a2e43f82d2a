//! Rule pack validation (DESIGN section 2): accountability, references, ids, evidence globs and
//! patterns. Runs on every pack at load; a pack with an error is not used.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diag::Sink;
use crate::diag::kinds::{Listed, PackFinding, PackProblem, PatternProblem};
use crate::model::{Pack, Role};
use crate::source::{SourceFile, Span};

/// Regexes in user packs are untrusted: bound what one may cost to compile and run.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// A pattern longer than this is not hand-written.
pub const MAX_PATTERN_LEN: usize = 16 * 1024;
/// Globs per evidence rule (files and exclusions together), and the length of one glob.
pub const MAX_GLOBS_PER_RULE: usize = 256;
pub const MAX_GLOB_LEN: usize = 1024;
/// Evidence rules per pack: every scanned file is matched against them.
pub const MAX_EVIDENCE_RULES: usize = 1000;
/// `args` regexes of all the `ansible` rules of a pack: each may be tried on every task of its
/// modules, and a 1 MiB file may hold 100,000 tasks.
pub const MAX_PACK_ARG_REGEXES: usize = 64;

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct Reporter<'a> {
    src: &'a Arc<SourceFile>,
    provider: &'a str,
    sink: &'a mut Sink,
}

impl Reporter<'_> {
    fn report(&mut self, problem: PackProblem<'_>, span: Span, activity: Option<&str>) {
        self.sink.push(
            PackFinding {
                problem,
                span,
                provider: Some(self.provider),
                activity,
            }
            .report(self.src),
        );
    }
}

pub fn check(pack: &Pack, sink: &mut Sink) {
    let mut r = Reporter {
        src: &pack.source,
        provider: pack.id(),
        sink,
    };
    let rules: usize = pack.activities.iter().map(|a| a.evidence.len()).sum();
    if rules > MAX_EVIDENCE_RULES {
        let max = MAX_EVIDENCE_RULES;
        r.report(PackProblem::TooManyRules { rules, max }, pack.id.span, None);
    }
    if !is_kebab(pack.id()) {
        r.report(
            PackProblem::ProviderIdNotKebab(pack.id()),
            pack.id.span,
            None,
        );
    }
    for (what, list) in [
        (Listed::Plan, &pack.plans),
        (Listed::Product, &pack.products),
        (Listed::Offering, &pack.offerings),
    ] {
        let mut seen = BTreeSet::new();
        for item in list {
            let id = item.id.value.as_str();
            if !is_kebab(id) {
                r.report(PackProblem::IdNotKebab { what, id }, item.id.span, None);
            }
            if !seen.insert(id) {
                r.report(PackProblem::DefinedTwice { what, id }, item.id.span, None);
            }
        }
    }

    let mut seen = BTreeSet::new();
    // Automaton states of the pack's patterns so far (its search cost bound).
    let mut pack_states = 0;
    let mut arg_regexes = 0;
    for a in &pack.activities {
        let id = a.id();
        let act = Some(id);
        if !seen.insert(id) {
            r.report(PackProblem::ActivityDefinedTwice(id), a.id.span, act);
        }
        let (prefix, name) = match id.split_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, id),
        };
        if !is_kebab(name) || prefix.is_some_and(|p| !is_kebab(p)) {
            r.report(PackProblem::ActivityIdNotKebab(id), a.id.span, act);
        }
        match (prefix, &a.product) {
            (Some(prefix), Some(product)) if product.value != prefix => {
                let problem = PackProblem::ProductMismatch {
                    id,
                    product: &product.value,
                    prefix,
                };
                r.report(problem, product.span, act);
            }
            (Some(prefix), None) => {
                let problem = PackProblem::ProductRowWithoutProduct { id, prefix };
                r.report(problem, a.id.span, act);
            }
            (None, Some(product)) => {
                let problem = PackProblem::GenericRowWithProduct {
                    id,
                    product: &product.value,
                };
                r.report(problem, product.span, act);
            }
            _ => {}
        }
        if let Some(product) = &a.product
            && !pack.has_product(&product.value)
        {
            let problem = PackProblem::UnknownProduct {
                id,
                product: &product.value,
            };
            r.report(problem, product.span, act);
        }
        if let Some(plans) = &a.plans {
            for plan in &plans.value {
                if !pack.has_plan(&plan.value) {
                    let problem = PackProblem::UnknownPlan {
                        id,
                        plan: &plan.value,
                    };
                    r.report(problem, plan.span, act);
                }
            }
        }
        if let Some(overrides) = &a.overrides {
            let target = pack.activity(&overrides.value);
            if a.product.is_none() {
                r.report(PackProblem::GenericOverrides(id), overrides.span, act);
            } else if target.is_none_or(|t| t.product.is_some()) {
                let problem = PackProblem::OverridesNoGeneric {
                    id,
                    target: &overrides.value,
                };
                r.report(problem, overrides.span, act);
            }
        }

        let (provider, customer) = (a.provider.value, a.customer.value);
        let both = a.provider.span.to(a.customer.span);
        if provider.contains(Role::Accountable) && customer.contains(Role::Accountable) {
            r.report(PackProblem::BothAccountable(id), both, act);
        } else if !provider.contains(Role::Accountable) && !customer.contains(Role::Accountable) {
            r.report(PackProblem::NoAccountable(id), both, act);
        }
        if !provider.contains(Role::Responsible) && !customer.contains(Role::Responsible) {
            r.report(PackProblem::NoResponsible(id), both, act);
        }

        let mut rule_ids = BTreeSet::new();
        for rule in &a.evidence {
            let name = rule.id.value.as_str();
            let globs = rule.files.len() + rule.exclude.len();
            if globs > MAX_GLOBS_PER_RULE {
                let problem = PackProblem::TooManyGlobs {
                    rule: name,
                    globs,
                    max: MAX_GLOBS_PER_RULE,
                };
                r.report(problem, rule.id.span, act);
            }
            if !rule_ids.insert(name) {
                let problem = PackProblem::RuleDefinedTwice {
                    rule: name,
                    activity: id,
                };
                r.report(problem, rule.id.span, act);
            }
            for glob in rule.files.iter().chain(&rule.exclude) {
                if glob.value.len() > MAX_GLOB_LEN {
                    let problem = PackProblem::GlobTooLong {
                        len: glob.value.len(),
                        max: MAX_GLOB_LEN,
                    };
                    r.report(problem, glob.span, act);
                } else if let Err(e) = globset::Glob::new(&glob.value) {
                    let problem = PackProblem::BadGlob {
                        glob: &glob.value,
                        reason: e.kind().to_string(),
                    };
                    r.report(problem, glob.span, act);
                }
            }
            let whole_line = !matches!(rule.matcher, crate::model::Matcher::Ansible(_));
            for pattern in rule.matcher.regexes() {
                if !whole_line {
                    arg_regexes += 1;
                }
                let problem = if !whole_line && arg_regexes > MAX_PACK_ARG_REGEXES {
                    Some(PatternProblem::PackTooManyArgs {
                        count: arg_regexes,
                        max: MAX_PACK_ARG_REGEXES,
                    })
                } else if pattern.value.is_empty() && whole_line {
                    Some(PatternProblem::Empty)
                } else if pattern.value.len() > MAX_PATTERN_LEN {
                    Some(PatternProblem::TooLong {
                        len: pattern.value.len(),
                        max: MAX_PATTERN_LEN,
                    })
                } else {
                    regex_cost(&pattern.value, &mut pack_states, &pack.origin).err()
                };
                if let Some(problem) = problem {
                    let problem = PackProblem::BadPattern {
                        rule: name,
                        problem,
                    };
                    r.report(problem, pattern.span, act);
                }
            }
        }
    }
}

/// Whether an evidence pattern may run: it compiles, in the form the scanner runs, as a byte
/// regex within the size limits, and its automaton fits the per-rule and per-pack state
/// budgets that keep a 1 MiB file under a second (DESIGN section 4). Adds its states to
/// `pack_states`; `Err` says why not.
fn regex_cost(
    pattern: &str,
    pack_states: &mut usize,
    origin: &crate::model::PackOrigin,
) -> Result<(), PatternProblem> {
    use crate::evidence::rules::{MAX_PACK_STATES, MAX_RULE_STATES, scanner_form, states};
    // The built-in packs are this project's own code: measured against crafted input in
    // bench/hostile.sh and compiled by a unit test, not at every run (it would double the
    // fixed cost of a run).
    if *origin == crate::model::PackOrigin::Builtin {
        return Ok(());
    }
    let hir = scanner_form(pattern).map_err(PatternProblem::Regex)?;
    let too_large = |e: String| {
        if e.contains("size limit") {
            PatternProblem::TooLarge {
                limit: REGEX_SIZE_LIMIT,
                max_states: MAX_RULE_STATES,
            }
        } else {
            PatternProblem::Regex(e)
        }
    };
    let n = states(&hir).map_err(too_large)?;
    regex::bytes::RegexBuilder::new(&hir.to_string())
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| too_large(e.to_string()))?;
    if n > MAX_RULE_STATES {
        return Err(PatternProblem::TooManyStates {
            states: n,
            max: MAX_RULE_STATES,
        });
    }
    *pack_states += n;
    if *pack_states > MAX_PACK_STATES {
        return Err(PatternProblem::PackTooManyStates {
            states: *pack_states,
            max: MAX_PACK_STATES,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_kebab;

    #[test]
    fn builtin_patterns_compile_as_the_scanner_runs_them() {
        use super::REGEX_SIZE_LIMIT;
        use crate::evidence::rules::{scanner_form, states};
        for text in crate::load::pack::BUILTIN.iter().map(|(_, _, t)| *t) {
            let source = crate::source::SourceFile::new("builtin.yaml", text);
            let (pack, _) = crate::load::pack::load(&source, crate::model::PackOrigin::Builtin);
            for rule in pack.unwrap().activities.iter().flat_map(|a| &a.evidence) {
                for pattern in rule.matcher.regexes() {
                    let hir = scanner_form(&pattern.value).unwrap();
                    assert!(states(&hir).unwrap() > 0, "{}", rule.id.value);
                    regex::bytes::RegexBuilder::new(&hir.to_string())
                        .size_limit(REGEX_SIZE_LIMIT)
                        .build()
                        .unwrap();
                }
            }
        }
    }

    #[test]
    fn kebab_case_ids() {
        for ok in ["sysbee", "cegedim-cloud", "a1-b2"] {
            assert!(is_kebab(ok), "{ok}");
        }
        for bad in ["", "Sysbee", "a_b", "-a", "a-", "a--b", "a b"] {
            assert!(!is_kebab(bad), "{bad}");
        }
    }
}
