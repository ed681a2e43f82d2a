//! A matrix as `raci-lint matrix` shows it: a pack's activities, grouped, and for an ownership
//! file the teams holding each role and the duties no team holds. Data only: `commands::matrix`
//! builds it, `render::matrix` and `render::html` format it.

use super::{Activity, Pack, Role, RoleSet};

/// One row: an activity, and with an ownership file, who holds which role.
#[derive(Debug)]
pub struct Row<'a> {
    pub activity: &'a Activity,
    /// Teams per role, in RACI order (ownership files only).
    pub teams: Vec<(Role, Vec<String>)>,
    /// Customer R or A roles no team holds (ownership files only).
    pub unowned: RoleSet,
}

/// The ownership file a matrix was made from.
#[derive(Debug)]
pub struct FileInfo {
    pub path: String,
    pub service: Option<String>,
}

#[derive(Debug)]
pub struct Matrix<'a> {
    pub pack: &'a Pack,
    pub plan: Option<String>,
    pub products: Vec<String>,
    pub file: Option<FileInfo>,
    /// Rows grouped by category (for product rows, the product), in the pack's order.
    pub groups: Vec<(String, Vec<Row<'a>>)>,
}

impl Matrix<'_> {
    pub fn rows(&self) -> impl Iterator<Item = &Row<'_>> {
        self.groups.iter().flat_map(|(_, rows)| rows)
    }
}
