//! Resolved settings for one run: built-in defaults, then the command line.

use std::path::PathBuf;

use crate::cli::{CheckArgs, ColorChoice, Format};
use crate::discover::DEFAULT_OWNERSHIP_GLOBS;
use crate::{evidence, par};

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
}

impl Settings {
    pub fn from_args(args: CheckArgs) -> Settings {
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
            packs: args.packs,
            strict: args.strict,
            deny_warnings: args.deny_warnings,
            ownership_globs: DEFAULT_OWNERSHIP_GLOBS
                .iter()
                .map(|g| (*g).to_owned())
                .collect(),
            exclude: Vec::new(),
            evidence: !args.no_evidence,
            threads: args
                .threads
                .map_or_else(par::default_threads, |n| usize::from(n.get())),
            max_file_size: evidence::DEFAULT_MAX_FILE_SIZE,
        }
    }
}
