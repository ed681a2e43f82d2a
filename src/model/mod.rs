//! The domain as plain data: roles, rule packs and ownership files. No I/O, no parsing, no
//! findings: loaders build these, checks read them.

pub mod ownership;
pub mod pack;
pub mod role;

pub use ownership::{Declaration, OwnershipFile, RoleClaim, Team};
pub use pack::{Activity, EvidenceRule, Pack, PackOrigin, Packs};
pub use role::{Role, RoleSet};
