//! The packs in force for a run: the built-in packs, then the user's (`--packs`), which replace
//! a built-in pack of the same provider id. A pack with an error is not used.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{FileKind, pack, read};
use crate::checks;
use crate::diag::kinds::{IoError, OutsideRepository, PackFinding, PackProblem};
use crate::diag::{Finding, Severity, Sink};
use crate::model::pack::Deferred;
use crate::model::{Pack, PackOrigin, Packs};
use crate::paths;
use crate::source::SourceFile;

/// Loads and validates one pack; returns it when it has no error, with all its findings.
pub fn load_one(source: &Arc<SourceFile>, origin: PackOrigin) -> (Option<Pack>, Vec<Finding>) {
    let (pack, mut findings) = pack::load(source, origin);
    let Some(pack) = pack else {
        return (None, findings);
    };
    let mut sink = Sink::default();
    checks::pack::check(&pack, &mut sink);
    findings.extend(sink.into_sorted());
    let ok = !findings.iter().any(|f| f.severity == Severity::Error);
    (ok.then_some(pack), findings)
}

/// The built-in packs, with their validation findings (the test suite keeps these to the
/// documented warnings).
pub fn builtin() -> (Vec<Pack>, Vec<Finding>) {
    builtin_packs(true)
}

/// The built-in packs, parsed in parallel (most of a small repository's run); `checked`: with
/// the validation a user pack gets. A run skips it: the test suite keeps the built-in packs
/// free of errors (`builtin_packs_have_no_error_and_only_the_documented_warning`), and a run
/// reports only their errors.
fn builtin_packs(checked: bool) -> (Vec<Pack>, Vec<Finding>) {
    let mut packs = Vec::new();
    let mut findings = Vec::new();
    let loaded = crate::par::map_costly(pack::BUILTIN, pack::BUILTIN.len(), |(_, name, text)| {
        let source = SourceFile::new(*name, *text);
        if checked {
            load_one(&source, PackOrigin::Builtin)
        } else {
            pack::load(&source, PackOrigin::Builtin)
        }
    });
    for (pack, found) in loaded {
        packs.extend(pack);
        findings.extend(found);
    }
    (packs, findings)
}

/// Every pack in force, and the findings to report: errors of any pack, every finding of a
/// user pack.
pub fn load(user: &[PathBuf]) -> (Packs, Vec<Finding>) {
    load_confined(user, 0, Path::new("/"))
}

/// [`load`], where the first `confined` paths come from the config file: a file found in one
/// of those folders must stay inside `root` (the repository) once links are resolved.
pub fn load_confined(user: &[PathBuf], confined: usize, root: &Path) -> (Packs, Vec<Finding>) {
    let mut packs = Packs::default();
    let (builtin, builtin_findings) = builtin_packs(false);
    let mut findings: Vec<Finding> = builtin_findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    for pack in builtin {
        packs.insert(Arc::new(pack));
    }
    add_user_packs(&mut packs, user, confined, root, &mut findings);
    (packs, findings)
}

/// [`load_confined`] for a check run: a built-in pack is parsed only when something asks for
/// its provider, which is what most of a small repository's run was. The test suite keeps the
/// built-in packs free of errors (`builtin_packs_have_no_error_and_only_the_documented_warning`);
/// one that failed to parse would be an unknown provider.
pub fn load_for_run(user: &[PathBuf], confined: usize, root: &Path) -> (Packs, Vec<Finding>) {
    let mut packs = Packs::default();
    for (id, path, text) in pack::BUILTIN {
        packs.defer(id, Deferred::new(path, text, parse_builtin));
    }
    let mut findings = Vec::new();
    add_user_packs(&mut packs, user, confined, root, &mut findings);
    (packs, findings)
}

fn parse_builtin(path: &'static str, text: &'static str) -> Option<Pack> {
    pack::load(&SourceFile::new(path, text), PackOrigin::Builtin).0
}

/// Loads the user's packs into `packs`, each replacing a built-in pack of the same provider.
fn add_user_packs(
    packs: &mut Packs,
    user: &[PathBuf],
    confined: usize,
    root: &Path,
    findings: &mut Vec<Finding>,
) {
    let mut user_ids = std::collections::BTreeSet::new();
    for file in user_pack_files(user, confined, root, findings) {
        let shown = paths::display(&file);
        let source = match read::from_disk(&file, &shown, FileKind::Pack) {
            Ok(source) => source,
            Err(finding) => {
                findings.push(finding);
                continue;
            }
        };
        let (pack, found) = load_one(&source, PackOrigin::User);
        let failed = pack.is_none();
        findings.extend(found);
        let Some(pack) = pack else {
            if failed && let Some(id) = provider_id_of(&source) {
                packs.broken.insert(id);
            }
            continue;
        };
        let id = pack.id().to_owned();
        if !user_ids.insert(id.clone()) {
            findings.push(
                PackFinding {
                    problem: PackProblem::DuplicateProvider(&id),
                    span: pack.id.span,
                    provider: Some(&id),
                    activity: None,
                }
                .report(&source),
            );
            continue;
        }
        if packs.is_builtin(&id) {
            findings.push(
                PackFinding {
                    problem: PackProblem::ReplacesBuiltin(&id),
                    span: pack.id.span,
                    provider: Some(&id),
                    activity: None,
                }
                .report(&source),
            );
        }
        packs.broken.remove(&id);
        packs.insert(Arc::new(pack));
    }
}

/// The provider id of a pack that failed to load, if its YAML is readable that far, so that
/// ownership files naming it are told the pack is broken rather than unknown.
fn provider_id_of(source: &Arc<SourceFile>) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Loose {
        provider: LooseProvider,
    }
    #[derive(serde::Deserialize)]
    struct LooseProvider {
        id: String,
    }
    super::yaml::parse::<Loose>(source, FileKind::Pack)
        .ok()
        .map(|l| l.provider.id)
}

/// The pack files named by `--packs`: files as given, folders searched for `*.yaml`/`*.yml`,
/// in sorted order so that the run does not depend on the file system's order.
fn user_pack_files(
    paths: &[PathBuf],
    confined: usize,
    root: &Path,
    findings: &mut Vec<Finding>,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                collect_yaml(path, &mut found, findings);
                for file in found {
                    if index < confined && !crate::config::inside(&file, root) {
                        let shown = paths::display(&file);
                        findings.push(OutsideRepository::inside_folder(
                            &shown,
                            &root.to_string_lossy(),
                        ));
                    } else {
                        files.push(file);
                    }
                }
            }
            Ok(_) => files.push(path.clone()),
            Err(e) => findings.push(
                IoError {
                    path: &paths::display(path),
                    error: e.to_string(),
                }
                .report(),
            ),
        }
    }
    files
}

fn collect_yaml(dir: &Path, files: &mut Vec<PathBuf>, findings: &mut Vec<Finding>) {
    // A pack folder is read whole: no ignore file of the repository's is read on the way (a
    // hostile one could be a link to /dev/zero).
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .ignore(false)
        .git_ignore(false)
        .git_exclude(false)
        .git_global(false)
        .parents(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_yaml = entry
                    .path()
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml");
                if is_yaml && entry.file_type().is_some_and(|t| !t.is_dir()) {
                    files.push(entry.into_path());
                }
            }
            Err(e) => findings.push(
                IoError {
                    path: &paths::display(dir),
                    error: e.to_string(),
                }
                .report(),
            ),
        }
    }
}
