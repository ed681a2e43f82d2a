//! References from an ownership file to its provider's pack: provider, plan, products,
//! offering. Returns the resolved context the RACI checks need, or `None` when the file cannot
//! be checked further.

use std::sync::Arc;

use crate::diag::Sink;
use crate::diag::kinds::{
    MissingPlan, UnknownOffering, UnknownPlan, UnknownProduct, UnknownProvider,
};
use crate::fix::edits;
use crate::model::{OwnershipFile, Pack, Packs};

/// An ownership file resolved against its pack.
pub struct FileContext<'a> {
    pub file: &'a OwnershipFile,
    pub pack: &'a Arc<Pack>,
    pub plan: Option<&'a str>,
}

pub fn check<'a>(
    file: &'a OwnershipFile,
    packs: &'a Packs,
    sink: &mut Sink,
) -> Option<FileContext<'a>> {
    let src = &file.source;
    let provider = &file.provider.value;
    let text = &src.text;
    let Some(pack) = packs.get(&provider.value) else {
        let broken = packs.broken.contains(&provider.value);
        let fix = (!broken)
            .then(|| edits::did_you_mean(text, provider, packs.ids()))
            .flatten();
        sink.push(
            UnknownProvider {
                written: provider,
                known: packs.ids().collect(),
                broken,
            }
            .report(src)
            .with_fix(fix),
        );
        return None;
    };

    let mut resolved = true;
    match (&file.plan, pack.plans.is_empty()) {
        (None, false) => {
            sink.push(
                MissingPlan {
                    provider_value: provider.span,
                    pack,
                }
                .report(src),
            );
            resolved = false;
        }
        (Some(plan), no_plans) if no_plans || !pack.has_plan(&plan.value.value) => {
            let ids = pack.plans.iter().map(|p| p.id.value.as_str());
            sink.push(
                UnknownPlan {
                    written: &plan.value,
                    pack,
                }
                .report(src)
                .with_fix(edits::did_you_mean(text, &plan.value, ids)),
            );
            resolved = false;
        }
        _ => {}
    }
    for product in file.products() {
        if !pack.has_product(&product.value) {
            let ids = pack.products.iter().map(|p| p.id.value.as_str());
            sink.push(
                UnknownProduct {
                    written: product,
                    pack,
                }
                .report(src)
                .with_fix(edits::did_you_mean(text, product, ids)),
            );
            resolved = false;
        }
    }
    if let Some(offering) = &file.offering
        && !pack.has_offering(&offering.value.value)
    {
        let ids = pack.offerings.iter().map(|o| o.id.value.as_str());
        sink.push(
            UnknownOffering {
                written: &offering.value,
                pack,
            }
            .report(src)
            .with_fix(edits::did_you_mean(text, &offering.value, ids)),
        );
    }
    resolved.then(|| FileContext {
        file,
        pack,
        plan: file.plan(),
    })
}
