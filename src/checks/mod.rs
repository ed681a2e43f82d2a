//! Checks: model in, findings out. A check reads the model and pushes its findings into a
//! [`Sink`]; it returns only what the pipeline needs next (the resolved context of a file, the
//! findings a waiver accepted), never a finding. Checks do no I/O.

pub mod pack;
pub mod raci;
pub mod references;
pub mod waivers;

use std::sync::Arc;

use crate::diag::Sink;
use crate::model::{OwnershipFile, Pack, Packs};

/// An ownership file whose provider, plan and products resolved: what the evidence scan needs.
pub struct Resolved {
    pub file: OwnershipFile,
    pub pack: Arc<Pack>,
    /// The folder the file sits in, by its real name (bytes), as the scan walks it; set by
    /// the caller that read the file.
    pub folder: std::path::PathBuf,
}

/// Every check of one ownership file. References come first: a file whose provider, plan or
/// products cannot be resolved is not checked further, as its other findings would be noise.
pub fn ownership_file(file: OwnershipFile, packs: &Packs, sink: &mut Sink) -> Option<Resolved> {
    let pack = {
        let ctx = references::check(&file, packs, sink)?;
        raci::check(&ctx, sink);
        Arc::clone(ctx.pack)
    };
    Some(Resolved {
        file,
        pack,
        folder: std::path::PathBuf::new(),
    })
}
