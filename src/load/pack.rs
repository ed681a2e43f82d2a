//! Rule packs: YAML → [`Pack`] with spans. Structural problems (syntax, unknown keys, a role
//! that is not R/A/C/I) are `pack-invalid-yaml`; semantic validation is `checks::pack`.

use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::FileKind;
use super::yaml::{self, sp};
use crate::diag::Finding;
use crate::diag::kinds::{MatcherProblem, PackFinding, PackProblem};
use crate::model::pack::Named;
use crate::model::{
    Activity, AnsibleMatcher, EvidenceRule, Matcher, Pack, PackOrigin, Role, RoleSet,
};
use crate::source::{SourceFile, Sp};

/// The built-in packs, compiled in: (provider id, file name, text). The id is known before the
/// text is parsed, so that a run parses only the packs its ownership files name; a test keeps it
/// equal to the pack's `provider.id`.
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "cegedim-cloud",
        "rules/cegedim-cloud.yaml",
        include_str!("../../rules/cegedim-cloud.yaml"),
    ),
    (
        "sysbee",
        "rules/sysbee.yaml",
        include_str!("../../rules/sysbee.yaml"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    provider: RawProvider,
    #[serde(default)]
    plans: Vec<RawNamed>,
    #[serde(default)]
    products: Vec<RawNamed>,
    #[serde(default)]
    offerings: Vec<RawNamed>,
    activities: Vec<RawActivity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    id: Spanned<String>,
    name: String,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamed {
    id: Spanned<String>,
    name: String,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActivity {
    id: Spanned<String>,
    title: String,
    category: String,
    plans: Option<Spanned<Vec<Spanned<String>>>>,
    product: Option<Spanned<String>>,
    provider: Spanned<Vec<Spanned<String>>>,
    customer: Spanned<Vec<Spanned<String>>>,
    comment: Option<String>,
    overrides: Option<Spanned<String>>,
    #[serde(default)]
    evidence: Vec<RawEvidence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    id: Spanned<String>,
    files: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    pattern: Option<Spanned<String>>,
    ansible: Option<Spanned<RawAnsible>>,
    command: Option<Spanned<String>>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnsible {
    module: Vec<Spanned<String>>,
    #[serde(default)]
    args: std::collections::BTreeMap<String, Spanned<String>>,
}

/// Parses a pack. A structural problem yields no pack and its finding; a bad role letter yields
/// the pack (without that role) and a finding, so that validation still reports the rest.
pub fn load(source: &Arc<SourceFile>, origin: PackOrigin) -> (Option<Pack>, Vec<Finding>) {
    let mut raw: RawPack = match yaml::parse(source, FileKind::Pack) {
        Ok(raw) => raw,
        Err(finding) => return (None, vec![finding]),
    };
    let src: &SourceFile = source;
    let mut findings = Vec::new();
    let list = |l: Vec<Spanned<String>>| -> Vec<Sp<String>> {
        l.into_iter().map(|s| sp(src, s)).collect()
    };
    let mut rule = |e: RawEvidence| -> Option<EvidenceRule> {
        let id = sp(src, e.id);
        let mut matchers = Vec::new();
        if let Some(p) = e.pattern {
            matchers.push(Matcher::Pattern(sp(src, p)));
        }
        if let Some(a) = e.ansible {
            let span = yaml::span(src, &a.referenced);
            let a = a.value;
            if a.module.is_empty() {
                let problem = PackProblem::BadMatcher {
                    rule: &id.value,
                    reason: MatcherProblem::NoModule,
                };
                findings.push(PackFinding::at(problem, span).report(source));
                return None;
            }
            matchers.push(Matcher::Ansible(AnsibleMatcher {
                modules: list(a.module),
                args: a.args.into_iter().map(|(k, v)| (k, sp(src, v))).collect(),
            }));
        }
        if let Some(c) = e.command {
            matchers.push(Matcher::Command(sp(src, c)));
        }
        if matchers.len() != 1 {
            let kinds: Vec<&str> = matchers.iter().map(Matcher::kind).collect();
            let problem = PackProblem::BadMatcher {
                rule: &id.value,
                reason: MatcherProblem::Count(kinds),
            };
            findings.push(PackFinding::at(problem, id.span).report(source));
            return None;
        }
        Some(EvidenceRule {
            files: list(e.files),
            exclude: list(e.exclude),
            matcher: matchers.remove(0),
            description: e.description,
            id,
        })
    };
    let evidence: Vec<Vec<EvidenceRule>> = raw
        .activities
        .iter_mut()
        .map(|a| {
            std::mem::take(&mut a.evidence)
                .into_iter()
                .filter_map(&mut rule)
                .collect()
        })
        .collect();
    let mut roles = |list: Spanned<Vec<Spanned<String>>>| -> Sp<RoleSet> {
        let span = yaml::span(src, &list.referenced);
        let mut set = RoleSet::EMPTY;
        let mut whole = span;
        for letter in list.value {
            let letter = sp(src, letter);
            whole = whole.to(letter.span);
            match Role::from_letter(&letter.value) {
                Some(role) => set.insert(role),
                None => findings.push(
                    PackFinding {
                        problem: PackProblem::NotARole(&letter.value),
                        span: letter.span,
                        provider: None,
                        activity: None,
                    }
                    .report(source),
                ),
            }
        }
        Sp::new(set, whole)
    };
    let named = |n: RawNamed| Named {
        id: sp(src, n.id),
        name: n.name,
        description: n.description,
    };
    let list = |l: Vec<Spanned<String>>| -> Vec<Sp<String>> {
        l.into_iter().map(|s| sp(src, s)).collect()
    };
    let activities = raw
        .activities
        .into_iter()
        .zip(evidence)
        .map(|(a, evidence)| Activity {
            id: sp(src, a.id),
            title: a.title,
            category: a.category,
            plans: a.plans.map(|p| {
                let p = sp(src, p);
                Sp::new(list(p.value), p.span)
            }),
            product: a.product.map(|p| sp(src, p)),
            provider: roles(a.provider),
            customer: roles(a.customer),
            comment: a.comment,
            overrides: a.overrides.map(|o| sp(src, o)),
            evidence,
        })
        .collect();
    let pack = Pack {
        source: Arc::clone(source),
        origin,
        id: sp(src, raw.provider.id),
        name: raw.provider.name,
        description: raw.provider.source,
        plans: raw.plans.into_iter().map(named).collect(),
        products: raw.products.into_iter().map(named).collect(),
        offerings: raw.offerings.into_iter().map(named).collect(),
        activities,
    };
    (Some(pack), findings)
}
