//! Wording of rule pack findings (`pack-*` codes): validation (ids, references, parties,
//! evidence globs and patterns), a role letter that is not R/A/C/I, and the registry's
//! duplicate and replacing packs.

use std::sync::Arc;

use crate::diag::{Code, Finding};
use crate::source::{SourceFile, Span};

/// The lists of a pack whose entries have ids.
#[derive(Clone, Copy, Debug)]
pub enum Listed {
    Plan,
    Product,
    Offering,
}

impl Listed {
    fn word(self) -> &'static str {
        match self {
            Listed::Plan => "plan",
            Listed::Product => "product",
            Listed::Offering => "offering",
        }
    }
}

/// Why an evidence pattern is not usable.
pub enum PatternProblem {
    Empty,
    TooLong {
        len: usize,
        max: usize,
    },
    /// The regex library's own reason (a syntax error, say).
    Regex(String),
    /// The automaton exceeds the compile size limit.
    TooLarge {
        limit: usize,
        max_states: usize,
    },
    TooManyStates {
        states: usize,
        max: usize,
    },
    /// The pack's patterns together.
    PackTooManyStates {
        states: usize,
        max: usize,
    },
    /// The `args` regexes of the pack's `ansible` rules together.
    PackTooManyArgs {
        count: usize,
        max: usize,
    },
}

impl PatternProblem {
    fn text(self) -> String {
        match self {
            PatternProblem::Empty => "the pattern is empty: it would match every line".to_owned(),
            PatternProblem::TooLong { len, max } => {
                format!("the pattern is {len} bytes long; at most {max} are allowed")
            }
            PatternProblem::Regex(reason) => reason,
            PatternProblem::TooLarge { limit, max_states } => format!(
                "its automaton exceeds {limit} bytes, far more than the {max_states} automaton states that keep a 1 MiB file searched in well under a second; counted repetitions (`{{100}}`) and Unicode classes (`.`, `\\w`, `[^x]`) multiply states: use `+` or `*`, smaller counts, or ASCII classes (`(?-u:\\w)`)"
            ),
            PatternProblem::TooManyStates { states, max } => format!(
                "it compiles to {states} automaton states, more than the {max} that keep a 1 MiB file searched in well under a second; counted repetitions (`{{100}}`) and Unicode classes (`.`, `\\w`, `[^x]`) multiply states: use `+` or `*`, smaller counts, or ASCII classes (`(?-u:\\w)`)"
            ),
            PatternProblem::PackTooManyArgs { count, max } => format!(
                "the pack's `ansible` rules have {count} argument regexes, more than the {max} one pack may use (each is tried on every task of its modules); match fewer arguments or split the pack"
            ),
            PatternProblem::PackTooManyStates { states, max } => format!(
                "the pack's patterns add up to {states} automaton states, more than the {max} one pack may use; make the patterns smaller or split the pack"
            ),
        }
    }
}

/// What is wrong with a pack, as facts.
pub enum PackProblem<'a> {
    TooManyRules {
        rules: usize,
        max: usize,
    },
    ProviderIdNotKebab(&'a str),
    IdNotKebab {
        what: Listed,
        id: &'a str,
    },
    DefinedTwice {
        what: Listed,
        id: &'a str,
    },
    ActivityDefinedTwice(&'a str),
    ActivityIdNotKebab(&'a str),
    /// A product row whose `product` differs from its id's prefix.
    ProductMismatch {
        id: &'a str,
        product: &'a str,
        prefix: &'a str,
    },
    ProductRowWithoutProduct {
        id: &'a str,
        prefix: &'a str,
    },
    GenericRowWithProduct {
        id: &'a str,
        product: &'a str,
    },
    UnknownProduct {
        id: &'a str,
        product: &'a str,
    },
    UnknownPlan {
        id: &'a str,
        plan: &'a str,
    },
    GenericOverrides(&'a str),
    OverridesNoGeneric {
        id: &'a str,
        target: &'a str,
    },
    BothAccountable(&'a str),
    NoAccountable(&'a str),
    NoResponsible(&'a str),
    TooManyGlobs {
        rule: &'a str,
        globs: usize,
        max: usize,
    },
    RuleDefinedTwice {
        rule: &'a str,
        activity: &'a str,
    },
    GlobTooLong {
        len: usize,
        max: usize,
    },
    BadGlob {
        glob: &'a str,
        /// globset's reason.
        reason: String,
    },
    BadPattern {
        rule: &'a str,
        problem: PatternProblem,
    },
    /// An evidence rule without exactly one matcher, or an `ansible` matcher without modules.
    BadMatcher {
        rule: &'a str,
        reason: MatcherProblem,
    },
    /// A role letter that is not R, A, C or I.
    NotARole(&'a str),
    /// Two user packs with one provider id.
    DuplicateProvider(&'a str),
    /// A user pack with a built-in pack's provider id.
    ReplacesBuiltin(&'a str),
}

/// A pack problem located in the pack's file.
pub struct PackFinding<'a> {
    pub problem: PackProblem<'a>,
    pub span: Span,
    /// The pack's provider id, when the pack was read that far.
    pub provider: Option<&'a str>,
    pub activity: Option<&'a str>,
}

/// Why an evidence rule's matcher is not usable.
pub enum MatcherProblem {
    /// The matcher keys the rule has (none, or more than one).
    Count(Vec<&'static str>),
    NoModule,
}

impl<'a> PackFinding<'a> {
    /// A problem at `span`, before the pack's provider is known.
    pub fn at(problem: PackProblem<'a>, span: Span) -> PackFinding<'a> {
        PackFinding {
            problem,
            span,
            provider: None,
            activity: None,
        }
    }
}

impl PackFinding<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let (code, label, message, help) = words(self.problem);
        let mut finding = Finding::new(code, message).at(src, self.span, label);
        if let Some(provider) = self.provider {
            finding = finding.provider(provider);
        }
        if let Some(help) = help {
            finding = finding.help(help);
        }
        if let Some(activity) = self.activity {
            finding = finding.activity(activity);
        }
        finding
    }
}

/// The code, label, message and help of a pack problem.
fn words(problem: PackProblem<'_>) -> (Code, &'static str, String, Option<String>) {
    use PackProblem as P;
    match problem {
        P::BadMatcher { rule, reason } => match reason {
            MatcherProblem::Count(kinds) if kinds.is_empty() => (
                Code::PackInvalidYaml,
                "no matcher",
                format!("evidence rule `{rule}` has no matcher"),
                Some("give it exactly one of `pattern`, `ansible` or `command`".into()),
            ),
            MatcherProblem::Count(kinds) => (
                Code::PackInvalidYaml,
                "more than one matcher",
                format!(
                    "evidence rule `{rule}` has {} matchers (`{}`)",
                    kinds.len(),
                    kinds.join("`, `")
                ),
                Some("give it exactly one of `pattern`, `ansible` or `command`: split it into one rule per matcher".into()),
            ),
            MatcherProblem::NoModule => (
                Code::PackInvalidYaml,
                "no module",
                format!("the `ansible` matcher of evidence rule `{rule}` names no module"),
                Some("list the modules it matches, e.g. `module: [apt]`".into()),
            ),
        },
        P::TooManyRules { rules, max } => (
            Code::PackInvalidYaml,
            "too many evidence rules",
            format!("the pack has {rules} evidence rules; at most {max} are allowed"),
            None,
        ),
        P::ProviderIdNotKebab(id) => (
            Code::PackBadId,
            "not kebab-case",
            format!("provider id `{id}` is not kebab-case"),
            Some("use lower-case letters, digits and single hyphens, e.g. `acme-platform`".into()),
        ),
        P::IdNotKebab { what, id } => (
            Code::PackBadId,
            "not kebab-case",
            format!("{} id `{id}` is not kebab-case", what.word()),
            None,
        ),
        P::DefinedTwice { what, id } => (
            Code::PackDuplicateId,
            "defined again here",
            format!("{} `{id}` is defined twice", what.word()),
            None,
        ),
        P::ActivityDefinedTwice(id) => (
            Code::PackDuplicateId,
            "defined again here",
            format!("activity `{id}` is defined twice"),
            Some("activity ids are unique within a pack".into()),
        ),
        P::ActivityIdNotKebab(id) => (
            Code::PackBadId,
            "not kebab-case",
            format!("activity id `{id}` is not kebab-case (`name` or `product/name`)"),
            None,
        ),
        P::ProductMismatch {
            id,
            product,
            prefix,
        } => (
            Code::PackProductMismatch,
            "differs from the id's prefix",
            format!("activity `{id}` has product `{product}`, but its id names product `{prefix}`"),
            Some(format!("write `product: {prefix}`")),
        ),
        P::ProductRowWithoutProduct { id, prefix } => (
            Code::PackProductMismatch,
            "product row without `product`",
            format!("activity `{id}` is a product row but has no `product`"),
            Some(format!("add `product: {prefix}`")),
        ),
        P::GenericRowWithProduct { id, product } => (
            Code::PackProductMismatch,
            "generic row with a product",
            format!("activity `{id}` names a product but its id has no `product/` prefix"),
            Some(format!("rename it `{product}/{id}`")),
        ),
        P::UnknownProduct { id, product } => (
            Code::PackUnknownReference,
            "unknown product",
            format!("activity `{id}` names product `{product}`, which the pack does not define"),
            Some("add it under `products`".into()),
        ),
        P::UnknownPlan { id, plan } => (
            Code::PackUnknownReference,
            "unknown plan",
            format!("activity `{id}` names plan `{plan}`, which the pack does not define"),
            Some("add it under `plans`, or fix the plan id".into()),
        ),
        P::GenericOverrides(id) => (
            Code::PackUnknownReference,
            "only product rows override",
            format!("activity `{id}` is generic and cannot override another activity"),
            None,
        ),
        P::OverridesNoGeneric { id, target } => (
            Code::PackUnknownReference,
            "no such generic activity",
            format!(
                "activity `{id}` overrides `{target}`, which is not a generic activity of this pack"
            ),
            None,
        ),
        P::BothAccountable(id) => (
            Code::PackMultipleAccountable,
            "both parties are Accountable",
            format!("activity `{id}` makes both the provider and the customer Accountable"),
            Some("exactly one party is Accountable for an activity".into()),
        ),
        P::NoAccountable(id) => (
            Code::PackNoAccountable,
            "no party is Accountable",
            format!("activity `{id}` has no Accountable party"),
            None,
        ),
        P::NoResponsible(id) => (
            Code::PackNoResponsible,
            "no party is Responsible",
            format!("activity `{id}` has no Responsible party"),
            None,
        ),
        P::TooManyGlobs { rule, globs, max } => (
            Code::PackBadGlob,
            "too many globs",
            format!("evidence rule `{rule}` has {globs} globs; at most {max} are allowed"),
            Some("use `**` and wildcards rather than listing files".into()),
        ),
        P::RuleDefinedTwice { rule, activity } => (
            Code::PackDuplicateId,
            "defined again here",
            format!("evidence rule `{rule}` is defined twice in activity `{activity}`"),
            None,
        ),
        P::GlobTooLong { len, max } => (
            Code::PackBadGlob,
            "glob too long",
            format!("an evidence glob is {len} bytes long; at most {max} are allowed"),
            None,
        ),
        P::BadGlob { glob, reason } => (
            Code::PackBadGlob,
            "bad glob",
            format!("evidence glob `{glob}` does not compile: {reason}"),
            None,
        ),
        P::BadPattern { rule, problem } => (
            Code::PackBadRegex,
            "bad pattern",
            format!(
                "evidence pattern of rule `{rule}` is not usable: {}",
                problem.text()
            ),
            Some("patterns use Rust regex syntax, matched line by line".into()),
        ),
        P::NotARole(letter) => (
            Code::PackInvalidYaml,
            "not R, A, C or I",
            format!("`{letter}` is not a RACI role"),
            Some("roles are written R, A, C or I, e.g. `customer: [A, R]`".into()),
        ),
        P::DuplicateProvider(id) => (
            Code::PackDuplicateProvider,
            "defined again here",
            format!("provider `{id}` is defined by more than one user pack"),
            Some("keep one pack per provider id".into()),
        ),
        P::ReplacesBuiltin(id) => (
            Code::PackReplacesBuiltin,
            "replaces the built-in pack",
            format!("this pack replaces the built-in `{id}` pack for this run"),
            Some("rename the provider id to keep the built-in pack as well".into()),
        ),
    }
}
