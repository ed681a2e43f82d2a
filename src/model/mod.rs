//! The domain as plain data: roles, rule packs and ownership files, and the questions every
//! part of raci-lint asks of them (which activities apply, which roles are duties, which are
//! unowned). No I/O, no parsing, no findings, no wording: loaders build these, checks and
//! commands read them.

pub mod applicability;
pub mod matrix;
pub mod ownership;
pub mod pack;
pub mod role;

pub use applicability::Applicability;
pub use ownership::{Declaration, OwnershipFile, RoleClaim, Team};
pub use pack::{Activity, AnsibleMatcher, EvidenceRule, Matcher, Pack, PackOrigin, Packs};
pub use role::{Role, RoleSet};
