//! The config file (`raci-lint.yaml` or `.raci-lint.yaml`, found from the current folder up to
//! the repository root, or `--config`): loading with spans and validation. Every problem is an
//! `invalid-yaml` finding in the config file that stops the run (exit 2): a run must not go on
//! with settings the user did not mean.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::kinds::{ConfigProblem, InvalidConfig, OutsideRepository};
use crate::diag::{Code, Finding, Severity};
use crate::load::ownership::Entries;
use crate::load::{FileKind, read, yaml};
use crate::source::{SourceFile, Sp};
use crate::{paths, suggest};

/// The names a config file may have, in the order they are looked for in each folder.
pub const FILE_NAMES: &[&str] = &["raci-lint.yaml", ".raci-lint.yaml"];

/// A severity setting: a level, or `off` (never reported).
pub type Level = Option<Severity>;

/// A loaded, validated config file. Paths in it are already resolved against its folder.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: String,
    /// The repository root its paths must stay in (canonical).
    pub root: PathBuf,
    /// Problems that leave a path out without stopping the run (`outside-repository`).
    pub problems: Vec<Finding>,
    pub ownership_files: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub packs: Option<Vec<PathBuf>>,
    pub evidence: Option<bool>,
    pub max_file_size: Option<u64>,
    pub max_findings: Option<usize>,
    pub baseline: Option<PathBuf>,
    pub severity: BTreeMap<Code, Level>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    ownership_files: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    packs: Option<Vec<Spanned<String>>>,
    evidence: Option<bool>,
    max_file_size: Option<Spanned<String>>,
    max_findings: Option<usize>,
    baseline: Option<Spanned<String>>,
    severity: Option<Entries<Spanned<String>>>,
}

/// The config file in force: `explicit` (`--config`), else the one [`find`] finds from the
/// current folder.
pub fn locate(explicit: Option<PathBuf>) -> Option<PathBuf> {
    explicit.or_else(|| std::env::current_dir().ok().and_then(|cwd| find(&cwd)))
}

/// Loads the config file in force: `--config` as given (the user's own), or the one found in
/// the repository, which is not read when it is a link out of the repository.
pub fn load_located(explicit: Option<PathBuf>) -> Option<(PathBuf, Result<Config, Finding>)> {
    let given = explicit.is_some();
    let path = locate(explicit)?;
    let root = current_root();
    if !given && !inside(&path, &root) {
        let shown = paths::display(&path);
        let finding = OutsideRepository::config_file(&shown, &root.to_string_lossy()).fatal();
        return Some((path, Err(finding)));
    }
    let loaded = load(&path);
    Some((path, loaded))
}

/// The config file that applies to a run started in `start`: the first of [`FILE_NAMES`] in
/// `start` or a parent up to the repository root; outside a repository, `start` only.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let root = repository_root(&start);
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir == root {
            break;
        }
    }
    None
}

/// The repository root of a run started in `start` (DESIGN section 9): the nearest folder at
/// or above it that holds `.git`; outside a repository, `start` itself. Canonical.
pub fn repository_root(start: &Path) -> PathBuf {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&start)
        .to_path_buf()
}

/// The repository root of a run started in the current folder.
pub fn current_root() -> PathBuf {
    repository_root(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")))
}

/// Where `path` leads once every link on the way is resolved: each existing prefix is made
/// canonical before the next component is added, so `link/..` goes where the kernel goes; the
/// part that does not exist is added as written.
pub fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut exists = true;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                if exists {
                    match std::fs::canonicalize(&out) {
                        Ok(canonical) => out = canonical,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    out
}

/// Whether `path` stays inside `root` (canonical) once links are resolved, and out of its
/// `.git` folder (credentials CI keeps there are never a repository's files).
pub fn inside(path: &Path, root: &Path) -> bool {
    let path = resolved(path);
    path.starts_with(root) && !path.starts_with(root.join(".git"))
}

fn invalid(
    source: &Arc<SourceFile>,
    span: crate::source::Span,
    problem: ConfigProblem<'_>,
) -> Finding {
    InvalidConfig { problem, span }.report(source)
}

/// A severity name: `error`, `warning`, `note`, or `off` (`Some(None)`).
pub fn parse_level(text: &str) -> Option<Level> {
    match text {
        "error" => Some(Some(Severity::Error)),
        "warning" => Some(Some(Severity::Warning)),
        "note" => Some(Some(Severity::Note)),
        "off" => Some(None),
        _ => None,
    }
}

/// Parses a byte size: `1048576`, `512KiB`, `1MiB`, `2MB`, `1 GiB`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let factor: u64 = match unit.trim() {
        "" | "B" => 1,
        "KB" | "kB" => 1000,
        "KiB" => 1024,
        "MB" => 1000 * 1000,
        "MiB" => 1024 * 1024,
        "GB" => 1000 * 1000 * 1000,
        "GiB" => 1024 * 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// Loads and validates a config file; the first problem is a fatal finding.
pub fn load(path: &Path) -> Result<Config, Finding> {
    let shown = paths::display(path);
    let source = read::from_disk(path, &shown, FileKind::Config).map_err(Finding::fatal)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // The repository the config file belongs to: for the file found from the current folder,
    // the current folder's repository; for `--config`, the one holding the named file.
    let root = repository_root(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &dir
    });
    parse(&source, &dir, &root)
}

/// Validates a config file's text; `dir` is the folder its relative paths start from, `root`
/// the repository root they must stay in.
pub fn parse(source: &Arc<SourceFile>, dir: &Path, root: &Path) -> Result<Config, Finding> {
    let raw: RawConfig = yaml::parse(source, FileKind::Config).map_err(Finding::fatal)?;
    let source = Arc::clone(source);
    let shown = source.path.clone();
    let src: &SourceFile = &source;
    let spanned = |list: Option<Vec<Spanned<String>>>| -> Option<Vec<Sp<String>>> {
        list.map(|l| l.into_iter().map(|s| yaml::sp(src, s)).collect())
    };

    let ownership_files = spanned(raw.ownership_files);
    let exclude = spanned(raw.exclude);
    for glob in ownership_files.iter().chain(&exclude).flatten() {
        if let Err(e) = globset::Glob::new(&glob.value) {
            let reason = e.kind().to_string();
            let problem = ConfigProblem::BadGlob {
                glob: &glob.value,
                reason,
            };
            return Err(invalid(&source, glob.span, problem));
        }
    }
    let baseline = match raw.baseline.map(|b| yaml::sp(src, b)) {
        Some(b) if b.value.trim().is_empty() => {
            return Err(invalid(&source, b.span, ConfigProblem::EmptyBaseline));
        }
        b => b,
    };
    let mut problems = Vec::new();
    // A pull request controls this file: nothing it names outside the repository is read.
    let mut confine = |key: &'static str, value: Sp<String>| -> Option<PathBuf> {
        let path = dir.join(&value.value);
        if inside(&path, root) {
            Some(path)
        } else {
            problems.push(
                OutsideRepository {
                    key,
                    value: &value.value,
                    span: value.span,
                    root: &root.to_string_lossy(),
                }
                .report(&source),
            );
            None
        }
    };
    let baseline = baseline.and_then(|b| confine("baseline", b));
    let packs = spanned(raw.packs).map(|list| {
        list.into_iter()
            .filter_map(|p| confine("packs", p))
            .collect::<Vec<_>>()
    });
    let max_file_size = match raw.max_file_size {
        None => None,
        Some(size) => {
            let size = yaml::sp(src, size);
            match parse_size(&size.value) {
                Some(n) => Some(n),
                None => {
                    let problem = ConfigProblem::NotASize(&size.value);
                    return Err(invalid(&source, size.span, problem));
                }
            }
        }
    };
    let mut severity = BTreeMap::new();
    for (key, value) in raw.severity.map(|e| e.0).unwrap_or_default() {
        let key = yaml::sp(src, key);
        let value = yaml::sp(src, value);
        let Some(code) = Code::from_name(&key.value) else {
            let names = Code::ALL.iter().map(|c| c.as_str());
            let problem = ConfigProblem::UnknownCode {
                code: &key.value,
                hint: suggest::hint(&key.value, names),
            };
            return Err(invalid(&source, key.span, problem));
        };
        if code.fixed_severity() {
            let problem = ConfigProblem::FixedSeverity(&key.value);
            return Err(invalid(&source, key.span, problem));
        }
        let Some(level) = parse_level(value.value.as_str()) else {
            let problem = ConfigProblem::NotASeverity(&value.value);
            return Err(invalid(&source, value.span, problem));
        };
        severity.insert(code, level);
    }
    Ok(Config {
        path: shown,
        root: root.to_path_buf(),
        problems,
        ownership_files: ownership_files.map(|l| l.into_iter().map(|g| g.value).collect()),
        exclude: exclude.map(|l| l.into_iter().map(|g| g.value).collect()),
        packs,
        evidence: raw.evidence,
        max_file_size,
        max_findings: raw.max_findings,
        baseline,
        severity,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        let cases = [
            ("1048576", Some(1_048_576)),
            ("512KiB", Some(524_288)),
            ("1MiB", Some(1_048_576)),
            ("2MB", Some(2_000_000)),
            ("1 GiB", Some(1_073_741_824)),
            ("10B", Some(10)),
            ("1.5MiB", None),
            ("MiB", None),
            ("12 parsecs", None),
            ("99999999999999999999GiB", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size(text), want, "{text}");
        }
    }
}
