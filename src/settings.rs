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
    /// (setting, value, where it came from), in the order `raci-lint config` prints them.
    pub origins: Vec<(&'static str, String, String)>,
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
        let config_path = config::locate(args.config.clone());
        let config = config_path
            .as_deref()
            .and_then(|path| match config::load(path) {
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
        let mut note = |name: &'static str, value: String, origin: String| {
            origins.push((name, value, origin));
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
        note("ownership-files", format!("{ownership_globs:?}"), origin);

        let (exclude, origin) = match config.as_ref().and_then(|c| c.exclude.clone()) {
            Some(globs) => (globs, from_file()),
            None => (Vec::new(), DEFAULT.to_owned()),
        };
        note("exclude", format!("{exclude:?}"), origin);

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
        note("packs", format!("{shown:?}"), origin);

        let (evidence, origin) = if args.no_evidence {
            (false, COMMAND_LINE.to_owned())
        } else {
            match config.as_ref().and_then(|c| c.evidence) {
                Some(on) => (on, from_file()),
                None => (true, DEFAULT.to_owned()),
            }
        };
        note("evidence", evidence.to_string(), origin);

        let (max_file_size, origin) = match config.as_ref().and_then(|c| c.max_file_size) {
            Some(n) => (n, from_file()),
            None => (evidence::DEFAULT_MAX_FILE_SIZE, DEFAULT.to_owned()),
        };
        note("max-file-size", max_file_size.to_string(), origin);

        let (max_findings, origin) = match config.as_ref().and_then(|c| c.max_findings) {
            Some(n) => (n, from_file()),
            None => (DEFAULT_MAX_FINDINGS, DEFAULT.to_owned()),
        };
        note("max-findings", max_findings.to_string(), origin);

        let severity = config
            .as_ref()
            .map(|c| c.severity.clone())
            .unwrap_or_default();
        for code in Code::ALL {
            let (level, origin) = match severity.get(code) {
                Some(level) => (*level, from_file()),
                None => (Some(code.default_severity()), DEFAULT.to_owned()),
            };
            let shown = level.map_or("off", |s| s.as_str()).to_owned();
            let name: &'static str = code.as_str();
            note(name, shown, origin);
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
                .map_or_else(|| "none".to_owned(), paths::display),
            origin,
        );

        let flag = |on: bool| {
            if on {
                COMMAND_LINE.to_owned()
            } else {
                DEFAULT.to_owned()
            }
        };
        note("strict", args.strict.to_string(), flag(args.strict));
        note(
            "deny-warnings",
            args.deny_warnings.to_string(),
            flag(args.deny_warnings),
        );
        let threads = args
            .threads
            .map_or_else(par::default_threads, |n| usize::from(n.get()));
        note("threads", threads.to_string(), flag(args.threads.is_some()));

        Settings {
            paths: if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths
            },
            format: args.format,
            output: args.output,
            color: args.color,
            quiet: args.quiet,
            verbose: args.verbose,
            packs,
            strict: args.strict,
            deny_warnings: args.deny_warnings,
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
