//! `raci-lint providers`: every provider in force, with its plans, products, offerings and
//! activity count.

use std::fmt::Write;

use crate::model::Packs;
use crate::model::pack::Named;

pub fn run(packs: &Packs) -> String {
    let mut out = String::new();
    for (i, pack) in packs.by_id.values().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let origin = match pack.origin {
            crate::model::PackOrigin::Builtin => "built in".to_owned(),
            crate::model::PackOrigin::User => pack.source.path.clone(),
        };
        let _ = writeln!(out, "{} ({}, {origin})", pack.id(), pack.name);
        if let Some(source) = &pack.description {
            let _ = writeln!(out, "  source:     {source}");
        }
        let list = |named: &[Named]| {
            if named.is_empty() {
                "none".to_owned()
            } else {
                named
                    .iter()
                    .map(|n| n.id.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let _ = writeln!(out, "  plans:      {}", list(&pack.plans));
        let _ = writeln!(out, "  products:   {}", list(&pack.products));
        let _ = writeln!(out, "  offerings:  {}", list(&pack.offerings));
        let duties = pack.activities.iter().filter(|a| a.is_duty()).count();
        let _ = writeln!(
            out,
            "  activities: {} ({duties} of them customer duties)",
            pack.activities.len()
        );
    }
    out
}
