//! Loading: bytes → model. Loading never stops at the first bad file: each problem becomes a
//! finding and the run goes on with the other files.

pub mod ownership;
pub mod pack;
pub mod read;
pub mod registry;
pub mod yaml;
