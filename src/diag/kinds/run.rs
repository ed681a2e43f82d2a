//! Wording of the findings about the run itself: files that cannot be read, config file
//! problems, paths outside the repository, nothing to check, and limits.

use std::sync::Arc;

use super::quoted_list;
use crate::diag::{Code, Finding};
use crate::source::{SourceFile, Span};

pub struct NoOwnershipFiles<'a> {
    pub paths: &'a [String],
    pub globs: &'a [String],
}

impl NoOwnershipFiles<'_> {
    pub fn report(self) -> Finding {
        Finding::new(
            Code::NoOwnershipFiles,
            format!(
                "no ownership files found under {}",
                quoted_list(self.paths.iter().map(String::as_str))
            ),
        )
        .help(format!(
            "raci-lint looks for files matching {} (ignoring what .gitignore ignores); create one, e.g. `raci.yaml` with `provider: sysbee`",
            quoted_list(self.globs.iter().map(String::as_str))
        ))
        .at_path(self.paths.first().cloned().unwrap_or_else(|| ".".into()))
    }
}

/// A file or folder that cannot be read; `error` is the operating system's reason.
pub struct IoError<'a> {
    pub path: &'a str,
    pub error: String,
}

impl IoError<'_> {
    pub fn report(self) -> Finding {
        Finding::new(
            Code::IoError,
            format!("cannot read `{}`: {}", self.path, self.error),
        )
        .at_path(self.path)
    }

    /// A path raci-lint does not read, for a reason of its own rather than the system's.
    pub fn because(path: &str, why: Unreadable) -> Finding {
        IoError {
            path,
            error: why.text(),
        }
        .report()
    }
}

/// Why raci-lint does not read a path that the system would let it read.
pub enum Unreadable {
    /// A FIFO, socket or device where a file to load was expected.
    NotRegularFile,
    /// An ignore file (`.gitignore`, `.ignore`) that is a symbolic link.
    LinkedIgnoreFile,
    /// An ignore file that is not a regular file.
    IgnoreFileNotRegular,
    /// An ignore file over its size limit.
    IgnoreFileTooLarge { size: u64, limit: u64 },
    /// A symbolic link out of the PATH being walked.
    LinkOutOfPath,
    /// A folder whose name matches the ownership-file globs.
    FolderNamedLikeOwnershipFile,
}

impl Unreadable {
    fn text(self) -> String {
        match self {
            Unreadable::NotRegularFile => "not a regular file".to_owned(),
            Unreadable::LinkedIgnoreFile => "an ignore file that is a symbolic link is not followed (git does not follow one either)".to_owned(),
            Unreadable::IgnoreFileNotRegular => "not a regular file; not used".to_owned(),
            Unreadable::IgnoreFileTooLarge { size, limit } => {
                format!("an ignore file of {size} bytes is over the limit of {limit}; not used")
            }
            Unreadable::LinkOutOfPath => {
                "a symbolic link out of the PATH given; not followed".to_owned()
            }
            Unreadable::FolderNamedLikeOwnershipFile => {
                "is a folder, not an ownership file".to_owned()
            }
        }
    }
}

/// A config file path (`packs`, `baseline`) that leads outside the repository.
pub struct OutsideRepository<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub span: Span,
    pub root: &'a str,
}

impl OutsideRepository<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::OutsideRepository,
            format!(
                "`{}` entry `{}` leads outside the repository; it is not read",
                self.key, self.value
            ),
        )
        .at(src, self.span, "outside the repository")
        .help(format!(
            "paths in the config file must stay inside the repository ({}) once links are resolved; name a file elsewhere on the command line instead",
            self.root
        ))
    }

    /// The config file found in the repository is a link out of it.
    pub fn config_file(path: &str, root: &str) -> Finding {
        Finding::new(
            Code::OutsideRepository,
            format!("the config file `{path}` leads outside the repository; it is not read"),
        )
        .at_path(path)
        .help(format!(
            "a config file found in the repository ({root}) must be a file inside it; name one elsewhere with --config"
        ))
    }

    /// A file inside a pack folder named by the config file that is a link out of the
    /// repository.
    pub fn inside_folder(path: &str, root: &str) -> Finding {
        Finding::new(
            Code::OutsideRepository,
            format!("`{path}` leads outside the repository; it is not read"),
        )
        .at_path(path)
        .help(format!(
            "a pack folder named in the config file may only hold files inside the repository ({root}) once links are resolved"
        ))
    }
}

/// The run reached `max-findings`.
pub struct TooManyFindings {
    pub kept: usize,
    pub dropped: usize,
    pub max: usize,
}

impl TooManyFindings {
    pub fn report(self) -> Finding {
        Finding::new(
            Code::TooManyFindings,
            format!(
                "{} more findings past `max-findings` ({}) were counted, not shown; the summary and the exit status include them",
                self.dropped, self.max
            ),
        )
        .help(format!(
            "the first {} findings in output order are shown; fix or waive the most frequent ones, or raise `max-findings` in the config file",
            self.kept
        ))
    }
}

/// An ownership file past a per-file limit.
pub struct LimitExceeded {
    pub what: &'static str,
    pub limit: usize,
    pub count: usize,
    pub span: Span,
}

impl LimitExceeded {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            Code::LimitExceeded,
            format!(
                "this file has {} {}, more than the limit of {}; those past it are not used",
                self.count, self.what, self.limit
            ),
        )
        .at(src, self.span, "the first past the limit")
        .subject(self.what)
        .help(format!(
            "keep at most {} {} in one ownership file: split it, or use fewer, broader entries",
            self.limit, self.what
        ))
    }
}

/// A file named on the command line that nothing checks.
pub struct NamedFileUnchecked<'a> {
    pub path: &'a str,
    /// Evidence is off (`--no-evidence`), rather than no scope covering the file.
    pub evidence_off: bool,
}

impl NamedFileUnchecked<'_> {
    pub fn report(self) -> Finding {
        let (message, help) = if self.evidence_off {
            (
                format!(
                    "`{}` is not an ownership file, and the evidence scan is off: nothing checks it",
                    self.path
                ),
                "drop --no-evidence (or `evidence: false`) to scan it for evidence".to_owned(),
            )
        } else {
            (
                format!(
                    "no ownership file's scope covers `{}`: nothing checks it",
                    self.path
                ),
                "add a `raci.yaml` in its folder or above, or widen a `scope` to cover it"
                    .to_owned(),
            )
        };
        Finding::new(Code::NoOwnershipFiles, message)
            .help(help)
            .at_path(self.path)
    }
}

/// What is wrong with a value of the config file.
pub enum ConfigProblem<'a> {
    /// An `ownership-files` or `exclude` glob that does not compile; `reason` is globset's.
    BadGlob {
        glob: &'a str,
        reason: String,
    },
    EmptyBaseline,
    NotASize(&'a str),
    /// A code under `severity` that raci-lint does not have, with did-you-mean if any.
    UnknownCode {
        code: &'a str,
        hint: Option<String>,
    },
    /// A code whose severity is fixed (it means the run is broken).
    FixedSeverity(&'a str),
    NotASeverity(&'a str),
}

/// A config file problem: `invalid-yaml`, fatal (the run stops before anything is checked).
pub struct InvalidConfig<'a> {
    pub problem: ConfigProblem<'a>,
    pub span: Span,
}

impl InvalidConfig<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let (message, help) = match self.problem {
            ConfigProblem::BadGlob { glob, reason } => (
                format!("bad glob `{glob}`: {reason}"),
                "globs use globset syntax, relative to the PATH searched: `**/raci.yaml`, `vendor/**`".to_owned(),
            ),
            ConfigProblem::EmptyBaseline => (
                "`baseline` is empty".to_owned(),
                "name the baseline file, relative to this config file: `.raci-lint-baseline.json`".to_owned(),
            ),
            ConfigProblem::NotASize(text) => (
                format!("`{text}` is not a size"),
                "write bytes or a number with a unit: `1048576`, `512KiB`, `1MiB`, `2MB`".to_owned(),
            ),
            ConfigProblem::UnknownCode { code, hint } => (
                format!("unknown code `{code}` in `severity`"),
                hint.unwrap_or_else(|| "`raci-lint explain` lists the codes".to_owned()),
            ),
            ConfigProblem::FixedSeverity(code) => (
                format!("the severity of `{code}` cannot be changed"),
                "it means a file, pack or config could not be used, and the run must say so (exit 2 or error); fix the cause instead".to_owned(),
            ),
            ConfigProblem::NotASeverity(text) => (
                format!("`{text}` is not a severity"),
                "a severity is `error`, `warning`, `note` or `off`".to_owned(),
            ),
        };
        Finding::new(Code::InvalidYaml, message)
            .at(src, self.span, "here")
            .help(help)
            .fatal()
    }
}

/// An ownership-file glob or exclusion from the config file that does not compile, found when
/// the run builds its glob sets; `error` is globset's.
pub struct BadGlob {
    pub error: String,
}

impl BadGlob {
    pub fn report(self) -> Finding {
        Finding::new(Code::IoError, format!("bad glob: {}", self.error)).at_path(".")
    }
}

/// A finding accepted by a waiver or an inline allow, listed with `--show-waived`: its
/// message says so.
pub struct Waived(pub Finding);

impl Waived {
    pub fn report(self) -> Finding {
        let mut finding = self.0;
        finding.message = format!("waived: {}", finding.message);
        finding
    }
}
