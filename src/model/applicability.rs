//! Whether an activity of a pack applies to an ownership file's plan and products, and if not,
//! why: the one answer `check`, the evidence scan, `matrix`, `init` and the language server
//! share.

use std::collections::BTreeSet;

use super::{Activity, Pack};

/// Whether an activity applies to a file, and if not, why.
#[derive(Debug)]
pub enum Applicability<'a> {
    Applies,
    /// A product activity of a product the file does not declare.
    ProductNotDeclared(&'a str),
    NotOnPlan,
    /// Every declared product replaces this generic activity with one of these.
    Overridden(Vec<&'a Activity>),
}

impl Applicability<'_> {
    pub fn applies(&self) -> bool {
        matches!(self, Applicability::Applies)
    }
}

impl Pack {
    /// Whether `activity` (one of this pack's) applies to a file on `plan` that declares
    /// `products`.
    pub fn applicability<'a>(
        &'a self,
        activity: &'a Activity,
        plan: Option<&str>,
        products: &BTreeSet<&str>,
    ) -> Applicability<'a> {
        if let Some(product) = &activity.product
            && !products.contains(product.value.as_str())
        {
            return Applicability::ProductNotDeclared(&product.value);
        }
        if !activity.on_plan(plan) {
            return Applicability::NotOnPlan;
        }
        if activity.product.is_none() && !products.is_empty() {
            let replacements: Vec<&Activity> = self
                .overriders(activity.id())
                .filter(|o| {
                    o.on_plan(plan)
                        && o.product
                            .as_ref()
                            .is_some_and(|p| products.contains(p.value.as_str()))
                })
                .collect();
            let covered: BTreeSet<&str> = replacements
                .iter()
                .filter_map(|o| o.product.as_ref().map(|p| p.value.as_str()))
                .collect();
            if covered.len() == products.len() {
                return Applicability::Overridden(replacements);
            }
        }
        Applicability::Applies
    }

    /// Whether `activity` applies at all to a file on `plan` that declares `products`.
    pub fn applies(
        &self,
        activity: &Activity,
        plan: Option<&str>,
        products: &BTreeSet<&str>,
    ) -> bool {
        self.applicability(activity, plan, products).applies()
    }
}
