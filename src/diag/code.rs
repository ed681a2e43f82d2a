//! Every diagnostic code raci-lint can report, with its default severity and a one-line summary.
//! The list is user-facing and stable: a snapshot test keeps it from changing by accident.

use std::fmt;

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $summary:literal; )*) => {
        /// A diagnostic code, written kebab-case everywhere users see it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// What the code means, in one sentence.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    InvalidYaml = "invalid-yaml", Error, "syntax error, wrong type, unknown or duplicate key";
    UnknownProvider = "unknown-provider", Error, "provider id not in any rule pack";
    UnknownOffering = "unknown-offering", Error, "offering not listed by the provider";
    MissingPlan = "missing-plan", Error, "the provider has plans and the file names none";
    UnknownPlan = "unknown-plan", Error, "plan not defined by the provider (or the provider has none)";
    UnknownProduct = "unknown-product", Error, "product not defined by the provider";
    UnknownActivity = "unknown-activity", Error, "activity id not in the provider's rule pack";
    ActivityNotInPlan = "activity-not-in-plan", Error, "the activity exists but not on the file's plan";
    ProductNotDeclared = "product-not-declared", Error, "a product activity used without its product in `products`";
    ClaimsProviderDuty = "claims-provider-duty", Error, "the customer claims R or A that its share lacks";
    MultipleAccountable = "multiple-accountable", Error, "more than one team accountable for one activity";
    UnknownTeam = "unknown-team", Error, "team not in the file's `teams` registry";
    UnownedDuty = "unowned-duty", Warning, "a customer R or A role among applicable activities has no team";
    PerformsProviderDuty = "performs-provider-duty", Warning, "evidence that the repository does what the provider holds";
    NoOwnershipFiles = "no-ownership-files", Warning, "nothing to check was found";
    WaiverMissingReason = "waiver-missing-reason", Error, "a waiver or inline allow without a reason";
    ExpiredWaiver = "expired-waiver", Error, "a waiver past its `expires` date";
    UnusedWaiver = "unused-waiver", Warning, "a waiver or inline allow that matched no finding";
    UnusedBaselineEntry = "unused-baseline-entry", Note, "a baseline entry that matched no finding";
    ActivityOverridden = "activity-overridden", Error, "a generic activity declared where every declared product overrides it";
    IoError = "io-error", Error, "a file could not be read";
    InvalidAllow = "invalid-allow", Warning, "a comment that looks like an inline allow but is not one";
    InvalidBaseline = "invalid-baseline", Error, "the baseline file is not a baseline this version reads";
    OutsideRepository = "outside-repository", Error, "a path taken from the config file leads outside the repository";
    TooManyFindings = "too-many-findings", Warning, "the run reached `max-findings`; the rest were counted, not kept";
    LimitExceeded = "limit-exceeded", Error, "an ownership file goes past a per-file limit";
    PackInvalidYaml = "pack-invalid-yaml", Error, "a rule pack is not valid YAML for the pack schema";
    PackBadId = "pack-bad-id", Error, "a provider, plan, product, offering or activity id is not kebab-case";
    PackDuplicateId = "pack-duplicate-id", Error, "an id is defined twice in one rule pack";
    PackDuplicateProvider = "pack-duplicate-provider", Error, "two user packs define the same provider";
    PackUnknownReference = "pack-unknown-reference", Error, "an activity names a plan, product or overridden activity the pack does not define";
    PackProductMismatch = "pack-product-mismatch", Error, "a product row's `product` is missing or differs from its id's prefix";
    PackMultipleAccountable = "pack-multiple-accountable", Error, "both parties are Accountable for one activity";
    PackNoAccountable = "pack-no-accountable", Warning, "no party is Accountable for an activity";
    PackNoResponsible = "pack-no-responsible", Warning, "no party is Responsible for an activity";
    PackBadGlob = "pack-bad-glob", Error, "an evidence glob does not compile";
    PackBadRegex = "pack-bad-regex", Error, "an evidence pattern does not compile or is empty";
    PackReplacesBuiltin = "pack-replaces-builtin", Note, "a user pack replaces the built-in pack of the same provider";
}

impl Code {
    /// Pack validation codes: reported for user packs only.
    pub fn is_pack(self) -> bool {
        self.as_str().starts_with("pack-")
    }

    /// Codes whose severity no setting changes: those that make the run exit 2, and
    /// `invalid-yaml` (turned off, a broken ownership file would go unseen).
    pub fn fixed_severity(self) -> bool {
        (self.is_fatal() && self.default_severity() == Severity::Error) || self == Code::InvalidYaml
    }

    /// Codes that stop the run from trusting its own configuration: exit status 2.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            Code::IoError | Code::InvalidBaseline | Code::OutsideRepository
        ) || (self.is_pack() && self != Code::PackReplacesBuiltin)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
