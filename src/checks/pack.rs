//! Rule pack validation (DESIGN section 2): accountability, references, ids, evidence globs and
//! patterns. Runs on every pack at load; a pack with an error is not used.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diag::kinds::PackProblem;
use crate::diag::{Code, Sink};
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
    fn report(
        &mut self,
        code: Code,
        span: Span,
        label: &str,
        message: String,
        help: Option<String>,
        activity: Option<&str>,
    ) {
        self.sink.push(
            PackProblem {
                code,
                span,
                label,
                message,
                help,
                provider: self.provider,
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
        r.report(
            Code::PackInvalidYaml,
            pack.id.span,
            "too many evidence rules",
            format!(
                "the pack has {rules} evidence rules; at most {MAX_EVIDENCE_RULES} are allowed"
            ),
            None,
            None,
        );
    }
    if !is_kebab(pack.id()) {
        r.report(
            Code::PackBadId,
            pack.id.span,
            "not kebab-case",
            format!("provider id `{}` is not kebab-case", pack.id()),
            Some("use lower-case letters, digits and single hyphens, e.g. `acme-platform`".into()),
            None,
        );
    }
    for (what, list) in [
        ("plan", &pack.plans),
        ("product", &pack.products),
        ("offering", &pack.offerings),
    ] {
        let mut seen = BTreeSet::new();
        for item in list {
            let id = item.id.value.as_str();
            if !is_kebab(id) {
                r.report(
                    Code::PackBadId,
                    item.id.span,
                    "not kebab-case",
                    format!("{what} id `{id}` is not kebab-case"),
                    None,
                    None,
                );
            }
            if !seen.insert(id) {
                r.report(
                    Code::PackDuplicateId,
                    item.id.span,
                    "defined again here",
                    format!("{what} `{id}` is defined twice"),
                    None,
                    None,
                );
            }
        }
    }

    let mut seen = BTreeSet::new();
    // Automaton states of the pack's patterns so far (its search cost bound).
    let mut pack_states = 0;
    for a in &pack.activities {
        let id = a.id();
        let act = Some(id);
        if !seen.insert(id) {
            r.report(
                Code::PackDuplicateId,
                a.id.span,
                "defined again here",
                format!("activity `{id}` is defined twice"),
                Some("activity ids are unique within a pack".into()),
                act,
            );
        }
        let (prefix, name) = match id.split_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, id),
        };
        if !is_kebab(name) || prefix.is_some_and(|p| !is_kebab(p)) {
            r.report(
                Code::PackBadId,
                a.id.span,
                "not kebab-case",
                format!("activity id `{id}` is not kebab-case (`name` or `product/name`)"),
                None,
                act,
            );
        }
        match (prefix, &a.product) {
            (Some(prefix), Some(product)) if product.value != prefix => r.report(
                Code::PackProductMismatch,
                product.span,
                "differs from the id's prefix",
                format!(
                    "activity `{id}` has product `{}`, but its id names product `{prefix}`",
                    product.value
                ),
                Some(format!("write `product: {prefix}`")),
                act,
            ),
            (Some(prefix), None) => r.report(
                Code::PackProductMismatch,
                a.id.span,
                "product row without `product`",
                format!("activity `{id}` is a product row but has no `product`"),
                Some(format!("add `product: {prefix}`")),
                act,
            ),
            (None, Some(product)) => r.report(
                Code::PackProductMismatch,
                product.span,
                "generic row with a product",
                format!("activity `{id}` names a product but its id has no `product/` prefix"),
                Some(format!("rename it `{}/{id}`", product.value)),
                act,
            ),
            _ => {}
        }
        if let Some(product) = &a.product
            && !pack.has_product(&product.value)
        {
            r.report(
                Code::PackUnknownReference,
                product.span,
                "unknown product",
                format!(
                    "activity `{id}` names product `{}`, which the pack does not define",
                    product.value
                ),
                Some("add it under `products`".into()),
                act,
            );
        }
        if let Some(plans) = &a.plans {
            for plan in &plans.value {
                if !pack.has_plan(&plan.value) {
                    r.report(
                        Code::PackUnknownReference,
                        plan.span,
                        "unknown plan",
                        format!(
                            "activity `{id}` names plan `{}`, which the pack does not define",
                            plan.value
                        ),
                        Some("add it under `plans`, or fix the plan id".into()),
                        act,
                    );
                }
            }
        }
        if let Some(overrides) = &a.overrides {
            let target = pack.activity(&overrides.value);
            if a.product.is_none() {
                r.report(
                    Code::PackUnknownReference,
                    overrides.span,
                    "only product rows override",
                    format!("activity `{id}` is generic and cannot override another activity"),
                    None,
                    act,
                );
            } else if target.is_none_or(|t| t.product.is_some()) {
                r.report(
                    Code::PackUnknownReference,
                    overrides.span,
                    "no such generic activity",
                    format!("activity `{id}` overrides `{}`, which is not a generic activity of this pack", overrides.value),
                    None,
                    act,
                );
            }
        }

        let (provider, customer) = (a.provider.value, a.customer.value);
        let both = a.provider.span.to(a.customer.span);
        if provider.contains(Role::Accountable) && customer.contains(Role::Accountable) {
            r.report(
                Code::PackMultipleAccountable,
                both,
                "both parties are Accountable",
                format!("activity `{id}` makes both the provider and the customer Accountable"),
                Some("exactly one party is Accountable for an activity".into()),
                act,
            );
        } else if !provider.contains(Role::Accountable) && !customer.contains(Role::Accountable) {
            r.report(
                Code::PackNoAccountable,
                both,
                "no party is Accountable",
                format!("activity `{id}` has no Accountable party"),
                None,
                act,
            );
        }
        if !provider.contains(Role::Responsible) && !customer.contains(Role::Responsible) {
            r.report(
                Code::PackNoResponsible,
                both,
                "no party is Responsible",
                format!("activity `{id}` has no Responsible party"),
                None,
                act,
            );
        }

        let mut rule_ids = BTreeSet::new();
        for rule in &a.evidence {
            let globs = rule.files.len() + rule.exclude.len();
            if globs > MAX_GLOBS_PER_RULE {
                r.report(
                    Code::PackBadGlob,
                    rule.id.span,
                    "too many globs",
                    format!(
                        "evidence rule `{}` has {globs} globs; at most {MAX_GLOBS_PER_RULE} are allowed",
                        rule.id.value
                    ),
                    Some("use `**` and wildcards rather than listing files".into()),
                    act,
                );
            }
            if !rule_ids.insert(rule.id.value.as_str()) {
                r.report(
                    Code::PackDuplicateId,
                    rule.id.span,
                    "defined again here",
                    format!(
                        "evidence rule `{}` is defined twice in activity `{id}`",
                        rule.id.value
                    ),
                    None,
                    act,
                );
            }
            for glob in rule.files.iter().chain(&rule.exclude) {
                if glob.value.len() > MAX_GLOB_LEN {
                    r.report(
                        Code::PackBadGlob,
                        glob.span,
                        "glob too long",
                        format!(
                            "an evidence glob is {} bytes long; at most {MAX_GLOB_LEN} are allowed",
                            glob.value.len()
                        ),
                        None,
                        act,
                    );
                } else if let Err(e) = globset::Glob::new(&glob.value) {
                    r.report(
                        Code::PackBadGlob,
                        glob.span,
                        "bad glob",
                        format!(
                            "evidence glob `{}` does not compile: {}",
                            glob.value,
                            e.kind()
                        ),
                        None,
                        act,
                    );
                }
            }
            let pattern = &rule.pattern;
            let problem = if pattern.value.is_empty() {
                Some("the pattern is empty: it would match every line".to_owned())
            } else if pattern.value.len() > MAX_PATTERN_LEN {
                Some(format!(
                    "the pattern is {} bytes long; at most {MAX_PATTERN_LEN} are allowed",
                    pattern.value.len()
                ))
            } else {
                regex_cost(&pattern.value, &mut pack_states, &pack.origin).err()
            };
            if let Some(problem) = problem {
                r.report(
                    Code::PackBadRegex,
                    pattern.span,
                    "bad pattern",
                    format!(
                        "evidence pattern of rule `{}` is not usable: {problem}",
                        rule.id.value
                    ),
                    Some("patterns use Rust regex syntax, matched line by line".into()),
                    act,
                );
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
) -> Result<(), String> {
    use crate::evidence::rules::{MAX_PACK_STATES, MAX_RULE_STATES, scanner_form, states};
    // The built-in packs are this project's own code: measured against crafted input in
    // bench/hostile.sh and compiled by a unit test, not at every run (it would double the
    // fixed cost of a run).
    if *origin == crate::model::PackOrigin::Builtin {
        return Ok(());
    }
    let hir = scanner_form(pattern)?;
    let too_large = |e: String| {
        if e.contains("size limit") {
            format!(
                "its automaton exceeds {REGEX_SIZE_LIMIT} bytes, far more than the {MAX_RULE_STATES} automaton states that keep a 1 MiB file searched in well under a second; counted repetitions (`{{100}}`) and Unicode classes (`.`, `\\w`, `[^x]`) multiply states: use `+` or `*`, smaller counts, or ASCII classes (`(?-u:\\w)`)"
            )
        } else {
            e
        }
    };
    let n = states(&hir).map_err(too_large)?;
    regex::bytes::RegexBuilder::new(&hir.to_string())
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| too_large(e.to_string()))?;
    if n > MAX_RULE_STATES {
        return Err(format!(
            "it compiles to {n} automaton states, more than the {MAX_RULE_STATES} that keep a 1 MiB file searched in well under a second; counted repetitions (`{{100}}`) and Unicode classes (`.`, `\\w`, `[^x]`) multiply states: use `+` or `*`, smaller counts, or ASCII classes (`(?-u:\\w)`)"
        ));
    }
    *pack_states += n;
    if *pack_states > MAX_PACK_STATES {
        return Err(format!(
            "the pack's patterns add up to {} automaton states, more than the {MAX_PACK_STATES} one pack may use; make the patterns smaller or split the pack",
            *pack_states
        ));
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
        for text in crate::load::pack::BUILTIN.iter().map(|(_, t)| *t) {
            let source = crate::source::SourceFile::new("builtin.yaml", text);
            let (pack, _) = crate::load::pack::load(&source, crate::model::PackOrigin::Builtin);
            for rule in pack.unwrap().activities.iter().flat_map(|a| &a.evidence) {
                let hir = scanner_form(&rule.pattern.value).unwrap();
                assert!(states(&hir).unwrap() > 0, "{}", rule.id.value);
                regex::bytes::RegexBuilder::new(&hir.to_string())
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .unwrap();
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
