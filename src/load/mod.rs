//! Loading: bytes → model. Loading never stops at the first bad file: each problem becomes a
//! finding and the run goes on with the other files.

pub mod ownership;
pub mod pack;
pub mod read;
pub mod registry;
pub mod yaml;

/// The kind of file being loaded: it decides the size limit, the code of its problems and how
/// messages name it (its wording is in [`crate::diag::kinds`]).
pub use crate::diag::kinds::FileKind;
