//! Discovery: walk the PATH arguments with the `ignore` crate (ripgrep's walker, honouring
//! `.gitignore`), and pick out ownership files by glob. Explicitly named files are taken as
//! ownership files whatever their name, as linters do with files named on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diag::Finding;
use crate::diag::kinds::IoError;
use crate::paths;

/// The default ownership file globs (DESIGN section 3).
pub const DEFAULT_OWNERSHIP_GLOBS: &[&str] = &[
    "**/raci.yaml",
    "**/raci.yml",
    "**/*.raci.yaml",
    "**/*.raci.yml",
];

/// A file to load, with the path users see.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub display: String,
    pub path: PathBuf,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub ownership: Vec<Candidate>,
    pub findings: Vec<Finding>,
}

pub fn globset(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob)?);
    }
    builder.build()
}

pub fn discover(roots: &[PathBuf], ownership: &GlobSet, exclude: &GlobSet) -> Discovery {
    let mut found = BTreeMap::new();
    let mut findings = Vec::new();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                let shown = paths::display(root);
                findings.push(
                    IoError {
                        path: &shown,
                        error: e.to_string(),
                    }
                    .report(),
                );
                continue;
            }
        };
        if !meta.is_dir() {
            insert(&mut found, root);
            continue;
        }
        walk(root, ownership, exclude, &mut found, &mut findings);
    }
    Discovery {
        ownership: found
            .into_iter()
            .map(|(display, path)| Candidate { display, path })
            .collect(),
        findings,
    }
}

/// Adds a file once, however many overlapping PATHs (`. sub`, `./sub`) reach it: the shown
/// path is normalised, so it is the key.
fn insert(found: &mut BTreeMap<String, PathBuf>, path: &Path) {
    found
        .entry(paths::display(path))
        .or_insert_with(|| path.to_path_buf());
}

fn walk(
    root: &Path,
    ownership: &GlobSet,
    exclude: &GlobSet,
    found: &mut BTreeMap<String, PathBuf>,
    findings: &mut Vec<Finding>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = match &e {
                    ignore::Error::WithPath { path, .. } => paths::display(path),
                    _ => paths::display(root),
                };
                findings.push(
                    IoError {
                        path: &shown,
                        error: e.to_string(),
                    }
                    .report(),
                );
                continue;
            }
        };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if exclude.is_match(rel) || !ownership.is_match(rel) {
            continue;
        }
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            // Named like an ownership file but not one: say so rather than skip it silently.
            findings.push(
                IoError {
                    path: &paths::display(entry.path()),
                    error: "is a folder, not an ownership file".into(),
                }
                .report(),
            );
            continue;
        }
        insert(found, entry.path());
    }
}
