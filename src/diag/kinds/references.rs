//! Wording of the findings about an ownership file's references to its provider's pack:
//! provider, offering, plan and product.

use std::sync::Arc;

use super::{did_you_mean_or, quoted_list};
use crate::diag::{Code, Finding};
use crate::model::Pack;
use crate::source::{SourceFile, Sp, Span};

pub struct UnknownProvider<'a> {
    pub written: &'a Sp<String>,
    pub known: Vec<&'a str>,
    pub broken: bool,
}

impl UnknownProvider<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let help = if self.broken {
            format!(
                "fix the errors reported in the pack of `{}`; this file is checked once it loads",
                self.written.value
            )
        } else {
            did_you_mean_or(
                &self.written.value,
                self.known.iter().copied(),
                "known providers",
                "no rule pack is loaded",
            ) + "; a provider of your own needs a rule pack, given with `--packs`"
        };
        let (message, label) = if self.broken {
            (
                format!(
                    "the rule pack of provider `{}` has errors and was not loaded",
                    self.written.value
                ),
                "its pack is broken",
            )
        } else {
            (
                format!("unknown provider `{}`", self.written.value),
                "no rule pack has this provider id",
            )
        };
        Finding::new(Code::UnknownProvider, message)
            .at(src, self.written.span, label)
            .help(help)
            .subject(self.written.value.clone())
    }
}

pub struct UnknownOffering<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownOffering<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids = self.pack.offerings.iter().map(|o| o.id.value.as_str());
        Finding::new(
            Code::UnknownOffering,
            format!(
                "{} has no offering `{}`",
                self.pack.name, self.written.value
            ),
        )
        .at(src, self.written.span, "unknown offering")
        .help(did_you_mean_or(
            &self.written.value,
            ids,
            "its offerings",
            &format!("{} lists no offerings: remove `offering`", self.pack.name),
        ))
        .provider(self.pack.id())
        .subject(self.written.value.clone())
    }
}

pub struct MissingPlan<'a> {
    pub provider_value: Span,
    pub pack: &'a Pack,
}

impl MissingPlan<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids: Vec<&str> = self
            .pack
            .plans
            .iter()
            .map(|p| p.id.value.as_str())
            .collect();
        Finding::new(
            Code::MissingPlan,
            format!(
                "{} has plans and this file names none: its matrix differs by plan",
                self.pack.name
            ),
        )
        .at(src, self.provider_value, "this provider needs a `plan`")
        .help(format!(
            "add `plan:` with the plan you subscribe to, one of {}",
            quoted_list(ids)
        ))
        .provider(self.pack.id())
    }
}

pub struct UnknownPlan<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownPlan<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let finding = if self.pack.plans.is_empty() {
            Finding::new(
                Code::UnknownPlan,
                format!(
                    "{} has no plans, but this file names plan `{}`",
                    self.pack.name, self.written.value
                ),
            )
            .at(src, self.written.span, "this provider has no plans")
            .help("remove the `plan:` line")
        } else {
            let ids = self.pack.plans.iter().map(|p| p.id.value.as_str());
            Finding::new(
                Code::UnknownPlan,
                format!("{} has no plan `{}`", self.pack.name, self.written.value),
            )
            .at(src, self.written.span, "unknown plan")
            .help(did_you_mean_or(&self.written.value, ids, "its plans", ""))
        };
        finding
            .provider(self.pack.id())
            .subject(self.written.value.clone())
    }
}

pub struct UnknownProduct<'a> {
    pub written: &'a Sp<String>,
    pub pack: &'a Pack,
}

impl UnknownProduct<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let ids = self.pack.products.iter().map(|p| p.id.value.as_str());
        Finding::new(
            Code::UnknownProduct,
            format!("{} has no product `{}`", self.pack.name, self.written.value),
        )
        .at(src, self.written.span, "unknown product")
        .help(did_you_mean_or(
            &self.written.value,
            ids,
            "its products",
            &format!("{} has no products: remove `products`", self.pack.name),
        ))
        .provider(self.pack.id())
        .subject(self.written.value.clone())
    }
}
