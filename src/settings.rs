//! Resolved settings for one run, in layers: built-in defaults < config file < command line.
//! Each setting remembers which layer it came from, for `raci-lint config`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::cli::{CheckArgs, ColorChoice, Format};
use crate::config::{self, Level};
use crate::diag::{Code, Finding};
use crate::discover::DEFAULT_OWNERSHIP_GLOBS;
use crate::{evidence, par, paths};

#[derive(Debug, Clone)]
pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub color: ColorChoice,
    pub quiet: bool,
    pub verbose: bool,
    pub packs: Vec<PathBuf>,
    pub strict: bool,
    pub deny_warnings: bool,
    /// Exit 0 whatever was found (2 stays 2).
    pub exit_zero: bool,
    /// Print counts per code instead of the findings.
    pub statistics: bool,
    /// `--fix`: apply fixes and write the files.
    pub fix: bool,
    /// `--unsafe-fixes`: unsafe fixes count as fixable, and apply with `--fix` or `--diff`.
    pub unsafe_fixes: bool,
    /// `--diff`: print the fixes as a unified diff, write nothing.
    pub diff: bool,
    pub ownership_globs: Vec<String>,
    pub exclude: Vec<String>,
    pub evidence: bool,
    pub threads: usize,
    pub max_file_size: u64,
    /// Findings kept per run (`max-findings`); the rest are counted.
    pub max_findings: usize,
    /// Per-code severities from the config file; `None` is `off`.
    pub severity: BTreeMap<Code, Level>,
    /// The config file in force, as shown.
    pub config: Option<String>,
    /// Today's date, for waiver expiry: `RACI_LINT_TODAY` (YYYY-MM-DD) when set, so that tests
    /// and reproducible CI runs can fix it, else the system clock (UTC).
    pub today: crate::checks::waivers::Date,
    /// List waived findings as notes.
    pub show_waived: bool,
    /// The baseline whose findings are hidden (`--baseline`, or the config's `baseline`).
    pub baseline: Option<PathBuf>,
    /// Where `--write-baseline` writes the new baseline.
    pub write_baseline: Option<PathBuf>,
    /// Problems with the config file: the run reports them and stops (exit 2).
    pub setup: Vec<Finding>,
    /// Problems with the config file that leave a path out but let the run go on
    /// (`outside-repository`, exit 2).
    pub notices: Vec<Finding>,
    /// How many of `packs` come from the config file, and so must stay inside `root`.
    pub config_packs: usize,
    /// The repository root (canonical): the folder holding `.git` at or above the current
    /// folder, else the current folder.
    pub root: PathBuf,
    /// With `-`: standard input's bytes and the file they are judged as.
    pub stdin: Option<Stdin>,
    /// Every setting in force with where it came from, in the order `raci-lint config` prints
    /// them.
    pub origins: Vec<Origin>,
}

/// Standard input read for `raci-lint -`, and the name it is judged under.
#[derive(Debug, Clone)]
pub struct Stdin {
    pub name: PathBuf,
    pub bytes: std::sync::Arc<[u8]>,
}

/// Most bytes read from standard input: the largest file either kind may be.
fn stdin_limit(max_file_size: u64) -> u64 {
    max_file_size.max(crate::load::read::MAX_YAML_FILE_SIZE) + 1
}

/// One setting in force, for `raci-lint config`.
#[derive(Debug, Clone)]
pub struct Origin {
    pub name: &'static str,
    pub value: serde_json::Value,
    /// "default", the config file's path, or "command line".
    pub from: String,
    pub section: Section,
}

/// Where a setting goes in a config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A top-level key of the config file.
    File,
    /// A code under `severity`.
    Severity,
    /// Command line only (`--strict`): shown as a comment.
    CommandLine,
}

const DEFAULT: &str = "default";
/// DESIGN section 6: findings kept per run.
pub const DEFAULT_MAX_FINDINGS: usize = 10_000;
const COMMAND_LINE: &str = "command line";

impl Settings {
    /// Built-in defaults, then the config file (`--config`, or the one found from the current
    /// folder upward), then the command line.
    pub fn resolve(args: CheckArgs) -> Settings {
        let mut setup = Vec::new();
        let located = config::load_located(args.config.clone());
        let config_path = located.as_ref().map(|(path, _)| path.clone());
        let config = located.and_then(|(_, loaded)| match loaded {
            Ok(config) => Some(config),
            Err(finding) => {
                setup.push(finding);
                None
            }
        });
        let from_file = || {
            config
                .as_ref()
                .map_or_else(|| DEFAULT.to_owned(), |c| c.path.clone())
        };
        let mut origins = Vec::new();
        let mut note = |name: &'static str, value: serde_json::Value, origin: String| {
            let section = if Code::from_name(name).is_some() {
                Section::Severity
            } else if matches!(name, "strict" | "deny-warnings" | "exit-zero" | "threads") {
                Section::CommandLine
            } else {
                Section::File
            };
            origins.push(Origin {
                name,
                value,
                from: origin,
                section,
            });
        };

        let (ownership_globs, origin) =
            match config.as_ref().and_then(|c| c.ownership_files.clone()) {
                Some(globs) => (globs, from_file()),
                None => (
                    DEFAULT_OWNERSHIP_GLOBS
                        .iter()
                        .map(|g| (*g).to_owned())
                        .collect(),
                    DEFAULT.to_owned(),
                ),
            };
        note("ownership-files", ownership_globs.clone().into(), origin);

        let (exclude, origin) = match config.as_ref().and_then(|c| c.exclude.clone()) {
            Some(globs) => (globs, from_file()),
            None => (Vec::new(), DEFAULT.to_owned()),
        };
        note("exclude", exclude.clone().into(), origin);

        // Packs add up: the config file's, then `--packs`.
        let mut packs = config
            .as_ref()
            .and_then(|c| c.packs.clone())
            .unwrap_or_default();
        let config_packs = packs.len();
        let mut origin = if packs.is_empty() {
            DEFAULT.to_owned()
        } else {
            from_file()
        };
        if !args.packs.is_empty() {
            origin = if packs.is_empty() {
                COMMAND_LINE.to_owned()
            } else {
                format!("{origin} + {COMMAND_LINE}")
            };
            packs.extend(args.packs.iter().cloned());
        }
        let shown: Vec<String> = packs.iter().map(|p| paths::display(p)).collect();
        note("packs", shown.into(), origin);

        let (evidence, origin) = if args.no_evidence {
            (false, COMMAND_LINE.to_owned())
        } else {
            match config.as_ref().and_then(|c| c.evidence) {
                Some(on) => (on, from_file()),
                None => (true, DEFAULT.to_owned()),
            }
        };
        note("evidence", evidence.into(), origin);

        let (max_file_size, origin) = match config.as_ref().and_then(|c| c.max_file_size) {
            Some(n) => (n, from_file()),
            None => (evidence::DEFAULT_MAX_FILE_SIZE, DEFAULT.to_owned()),
        };
        note("max-file-size", max_file_size.into(), origin);

        let (max_findings, origin) = match config.as_ref().and_then(|c| c.max_findings) {
            Some(n) => (n, from_file()),
            None => (DEFAULT_MAX_FINDINGS, DEFAULT.to_owned()),
        };
        note("max-findings", max_findings.into(), origin);

        let mut severity = config
            .as_ref()
            .map(|c| c.severity.clone())
            .unwrap_or_default();
        let from_flags: std::collections::BTreeSet<Code> =
            args.severity.iter().map(|(code, _)| *code).collect();
        // `--severity` over the config file's map, the last one for a code winning.
        severity.extend(args.severity.iter().copied());
        for code in Code::ALL {
            let (mut level, mut origin) = match severity.get(code) {
                Some(level) if from_flags.contains(code) => (*level, COMMAND_LINE.to_owned()),
                Some(level) => (*level, from_file()),
                None => (Some(code.default_severity()), DEFAULT.to_owned()),
            };
            // What is in force: `--strict` raises these two unless they are off.
            if args.strict
                && matches!(code, Code::UnownedDuty | Code::PerformsProviderDuty)
                && level.is_some()
            {
                level = Some(crate::diag::Severity::Error);
                origin = format!("{origin}, raised by --strict");
            }
            let shown = level.map_or("off", |s| s.as_str()).to_owned();
            let name: &'static str = code.as_str();
            note(name, shown.into(), origin);
        }

        let (baseline, origin) = match (
            &args.baseline,
            config.as_ref().and_then(|c| c.baseline.clone()),
        ) {
            (Some(path), _) => (Some(path.clone()), COMMAND_LINE.to_owned()),
            (None, Some(path)) => (Some(path), from_file()),
            (None, None) => (None, DEFAULT.to_owned()),
        };
        note(
            "baseline",
            baseline
                .as_deref()
                .map_or(serde_json::Value::Null, |p| paths::display(p).into()),
            origin,
        );

        let flag = |on: bool| {
            if on {
                COMMAND_LINE.to_owned()
            } else {
                DEFAULT.to_owned()
            }
        };
        note("strict", args.strict.into(), flag(args.strict));
        note(
            "deny-warnings",
            args.deny_warnings.into(),
            flag(args.deny_warnings),
        );
        note("exit-zero", args.exit_zero.into(), flag(args.exit_zero));
        let threads = args
            .threads
            .map_or_else(par::default_threads, |n| usize::from(n.get()));
        note("threads", threads.into(), flag(args.threads.is_some()));

        // `-`: standard input, judged as --stdin-filename (default `raci.yaml`).
        let mut paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths
        };
        let mut stdin = None;
        if paths.iter().any(|p| p.as_os_str() == "-") {
            use std::io::Read;
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("raci.yaml"));
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin()
                .take(stdin_limit(max_file_size))
                .read_to_end(&mut bytes)
            {
                setup.push(
                    crate::diag::kinds::IoError {
                        path: "-",
                        error: e.to_string(),
                    }
                    .report(),
                );
            }
            for p in paths.iter_mut().filter(|p| p.as_os_str() == "-") {
                p.clone_from(&name);
            }
            paths.dedup();
            stdin = Some(Stdin {
                name,
                bytes: bytes.into(),
            });
        }

        Settings {
            paths,
            stdin,
            format: args.format,
            output: args.output,
            color: args.color,
            quiet: args.quiet,
            verbose: args.verbose,
            packs,
            strict: args.strict,
            deny_warnings: args.deny_warnings,
            exit_zero: args.exit_zero,
            statistics: args.statistics,
            fix: args.fix,
            unsafe_fixes: args.unsafe_fixes,
            diff: args.diff,
            ownership_globs,
            exclude,
            evidence,
            threads,
            max_file_size,
            max_findings,
            severity,
            // The file in force, or the one that failed to load.
            today: today(),
            show_waived: args.show_waived,
            baseline,
            write_baseline: args.write_baseline,
            config: config
                .as_ref()
                .map(|c| c.path.clone())
                .or_else(|| config_path.as_deref().map(paths::display)),
            setup,
            notices: config
                .as_ref()
                .map(|c| c.problems.clone())
                .unwrap_or_default(),
            config_packs,
            root: config
                .as_ref()
                .map_or_else(config::current_root, |c| c.root.clone()),
            origins,
        }
    }
}

/// Today's date: `RACI_LINT_TODAY` when it holds a valid YYYY-MM-DD, else the system clock (UTC).
fn today() -> crate::checks::waivers::Date {
    use crate::checks::waivers::{date_from_days, parse_date};
    if let Some(date) = std::env::var("RACI_LINT_TODAY")
        .ok()
        .and_then(|v| parse_date(&v))
    {
        return date;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}
