//! The command line: clap types only. They are turned once into [`crate::settings::Settings`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  raci-lint                          check the ownership files under the current folder
  raci-lint infra/ services/billing  check only these folders
  raci-lint --format json .          machine-readable report on stdout
  raci-lint --packs rules/ .         add your own rule packs (a file or a folder)
  raci-lint --strict --deny-warnings fail on unowned duties too

Exit status: 0 no error, 1 error findings, 2 usage, configuration, pack or I/O error.";

/// Checks infrastructure repositories' ownership files against hosting providers' RACI matrices.
#[derive(Debug, Parser)]
#[command(
    name = "raci-lint",
    // The package version, and the commit when built from a git checkout (build.rs).
    version = env!("RACI_LINT_VERSION"),
    about,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check ownership files (the default when no subcommand is given)
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// Print the resolved settings and where each came from (default, config file, command
    /// line); takes the same flags as `check`
    Config(CheckArgs),
    /// Explain a code, a provider or an activity; with no argument, list every code
    ///
    /// A diagnostic code: what it means, an example and the fix. A provider: its activities,
    /// with both parties' roles. An activity: its title, plans, roles, the source's comment
    /// and the evidence rules that look for it. With no argument: every diagnostic code, its
    /// default severity and one line on it.
    Explain(ExplainArgs),
    /// List every provider with its plans, products, offerings and activity count
    Providers(PackArgs),
    /// Print a provider's RACI matrix, or an ownership file's with its teams filled in
    Matrix(MatrixArgs),
    /// Write an ownership file listing every duty of a plan and products, to fill in
    Init(InitArgs),
    /// Print the JSON Schema of a file kind, for editors (yaml-language-server)
    ///
    /// The ownership schema also names the providers of the packs in force (built-in, the
    /// config file's `packs`, `--packs`) and, per provider, its plans, products, offerings and
    /// activity ids, so that editors complete and check them.
    Schema(SchemaArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the manual page (roff)
    Manpage,
    /// Run the language server (LSP 3.17) on standard input and output, for editors
    ///
    /// Diagnostics as you type in ownership files and the config file, on open and save in
    /// infrastructure files; hover, completion and quick fixes. Takes the same flags as `check`
    /// (`--config`, `--packs`, `--severity`...); the workspace folder the editor opens is the
    /// current folder.
    Server(CheckArgs),
}

/// What to do, once the command line is read: the subcommand, `check` when none was given.
pub type Mode = Command;

/// Where the authoring commands find rule packs: the built-in ones, the config file's `packs`,
/// and `--packs`.
#[derive(Debug, Clone, Args)]
pub struct PackArgs {
    /// Add a rule pack file, or a folder of them; repeatable
    #[arg(long = "packs", value_name = "PATH")]
    pub packs: Vec<PathBuf>,

    /// Use this config file (for its `packs`) instead of the one found from the current folder
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// A diagnostic code (`claims-provider-duty`), a provider (`sysbee`), PROVIDER/ACTIVITY-ID
    /// (`sysbee/server-os-patching`) or ACTIVITY-ID (`security-patches`); leave it out to list
    /// every diagnostic code
    #[arg(value_name = "WHAT")]
    pub what: Option<String>,

    #[command(flatten)]
    pub packs: PackArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    /// A text table that fits the terminal (80 columns when not a terminal)
    Table,
    /// GitHub-flavoured Markdown, one table per category
    Markdown,
    /// Comma-separated values, one row per activity
    Csv,
    /// JSON, version 1
    Json,
    /// A self-contained HTML report with a legend and a print style
    Html,
}

#[derive(Debug, Clone, Args)]
pub struct MatrixArgs {
    /// A provider id (`cegedim-cloud`) or an ownership file (`infra/raci.yaml`)
    #[arg(value_name = "PROVIDER|OWNERSHIP-FILE")]
    pub target: String,

    /// Only the activities of this plan (a provider's matrix only)
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,

    /// Only generic activities and those of this product; repeatable (a provider's matrix only)
    #[arg(long = "product", value_name = "PRODUCT")]
    pub products: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
    pub format: MatrixFormat,

    /// Write to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub packs: PackArgs,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The provider whose matrix the file follows
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,

    /// The plan you subscribe to (required when the provider has plans)
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,

    /// A product you use; repeatable
    #[arg(long = "product", value_name = "PRODUCT")]
    pub products: Vec<String>,

    /// Where to write the file (`-` for standard output)
    #[arg(long, short = 'o', value_name = "FILE", default_value = "raci.yaml")]
    pub output: PathBuf,

    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub packs: PackArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Ownership files (`raci.yaml`)
    Ownership,
    /// Rule packs (`rules/*.yaml`)
    Pack,
    /// The config file (`raci-lint.yaml`)
    Config,
}

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Which file kind
    #[arg(value_enum)]
    pub kind: SchemaKind,

    // Where `schema ownership` finds the providers it names.
    #[command(flatten)]
    pub packs: PackArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people
    Human,
    /// One line per finding: path, line, column, severity, code and message
    Concise,
    /// The JSON report, version 1
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// JUnit XML, one test case per ownership file
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files or folders to check [default: .]; `-` reads one file from standard input
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// With `-`: the file standard input is judged as (its name decides an ownership file or
    /// an infrastructure file scanned for evidence) [default: raci.yaml]
    #[arg(long, value_name = "PATH", help_heading = "Input")]
    pub stdin_filename: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, env = "RACI_LINT_FORMAT", hide_env_values = true, help_heading = "Output")]
    pub format: Format,

    /// Print one line per code with its count, most frequent first, instead of the findings
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,

    /// Write the report to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// When to use colour in human output (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Print findings only: no summary line
    #[arg(long, short = 'q', conflicts_with = "verbose", help_heading = "Output")]
    pub quiet: bool,

    /// Also list the packs loaded and the ownership files checked (on stderr)
    #[arg(long, short = 'v', help_heading = "Output")]
    pub verbose: bool,

    /// Use this config file instead of the raci-lint.yaml or .raci-lint.yaml found from the
    /// current folder up to the repository root
    #[arg(long, value_name = "FILE", help_heading = "Rules")]
    pub config: Option<PathBuf>,

    /// Add a rule pack file, or a folder of them; repeatable. A pack with a built-in
    /// provider's id replaces the built-in pack
    #[arg(long = "packs", value_name = "PATH", help_heading = "Rules")]
    pub packs: Vec<PathBuf>,

    /// Do not search infrastructure files for evidence (performs-provider-duty)
    #[arg(long, help_heading = "Rules")]
    pub no_evidence: bool,

    /// Worker threads for the walk, the checks and the evidence scan [default: every core].
    /// The output is the same whatever the count
    #[arg(long, value_name = "N", help_heading = "Rules")]
    pub threads: Option<std::num::NonZeroU16>,

    /// List findings accepted by a waiver or an inline allow, as notes
    #[arg(long, help_heading = "Output")]
    pub show_waived: bool,

    /// Hide the findings recorded in this baseline file (see --write-baseline); replaces the
    /// config file's `baseline`
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in FILE (atomically) so that later runs with --baseline fail
    /// only on new ones; they are hidden from this run's report
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Treat unowned-duty and performs-provider-duty as errors
    #[arg(long, help_heading = "Severity")]
    pub strict: bool,

    /// Fail (exit 1) when there is any warning
    #[arg(long, help_heading = "Severity")]
    pub deny_warnings: bool,

    /// Set a code's severity (error, warning, note or off) over the config file's `severity`;
    /// repeatable: --severity unowned-duty=error
    #[arg(long, value_name = "CODE=LEVEL", value_parser = parse_severity, help_heading = "Severity")]
    pub severity: Vec<(crate::diag::Code, crate::config::Level)>,

    /// Exit 0 whatever was found (a broken run still exits 2)
    #[arg(long, help_heading = "Severity")]
    pub exit_zero: bool,

    /// Apply the safe fixes to the files (atomically), again until none applies, then report
    /// what remains; with `-`, print the fixed file instead
    #[arg(long, help_heading = "Fixes")]
    pub fix: bool,

    /// With --fix or --diff: apply the unsafe fixes too (they guess: read the diff)
    #[arg(long, help_heading = "Fixes")]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing; exit 1 when there is something to
    /// fix
    #[arg(long, help_heading = "Fixes", conflicts_with = "write_baseline")]
    pub diff: bool,
}

/// `CODE=LEVEL` for `--severity`, with did-you-mean for the code.
fn parse_severity(text: &str) -> Result<(crate::diag::Code, crate::config::Level), String> {
    use crate::diag::Code;
    let Some((code, level)) = text.split_once('=') else {
        return Err("write CODE=LEVEL, e.g. unowned-duty=error".to_owned());
    };
    let Some(found) = Code::from_name(code.trim()) else {
        let names = Code::ALL.iter().map(|c| c.as_str());
        let hint = crate::suggest::hint(code.trim(), names)
            .unwrap_or_else(|| "`raci-lint explain` lists the codes".to_owned());
        return Err(format!("unknown code `{code}`: {hint}"));
    };
    if found.fixed_severity() {
        return Err(format!(
            "the severity of `{code}` cannot be changed: it means a file, pack or config could not be used"
        ));
    }
    let level = crate::config::parse_level(level.trim())
        .ok_or_else(|| format!("`{level}` is not a severity: error, warning, note or off"))?;
    Ok((found, level))
}

impl Cli {
    /// Parses a command line where options may come before the subcommand
    /// (`raci-lint --format json check .` is `raci-lint check --format json .`), as ruff and
    /// cargo-deny users expect.
    pub fn parse_anywhere<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString>,
    {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        Cli::try_parse_from(subcommand_first(args))
    }

    pub fn into_mode(self) -> Mode {
        self.command.unwrap_or(Command::Check(self.check))
    }

    /// The check arguments, whether given after `check` or without it (`None` for the other
    /// commands).
    pub fn into_check(self) -> Option<CheckArgs> {
        match self.into_mode() {
            Mode::Check(args) | Mode::Config(args) => Some(args),
            _ => None,
        }
    }
}

/// The command line with its subcommand moved in front of the options that precede it. Only the
/// first word that is not an option or an option's value can be the subcommand; anything else
/// (a PATH) leaves the line as it was.
fn subcommand_first(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let command = Cli::command();
    let takes_value = |arg: &clap::Arg| arg.get_action().takes_values();
    let long_takes = |name: &str| {
        command
            .get_arguments()
            .find(|a| a.get_long() == Some(name))
            .is_some_and(takes_value)
    };
    let short_takes = |c: char| {
        command
            .get_arguments()
            .find(|a| a.get_short() == Some(c))
            .is_some_and(takes_value)
    };
    let is_subcommand =
        |word: &str| word == "help" || command.get_subcommands().any(|s| s.get_name() == word);
    let mut i = 1;
    while i < args.len() {
        let Some(word) = args[i].to_str() else {
            return args;
        };
        if word == "--" || word == "-" || !word.starts_with('-') {
            if i > 1 && is_subcommand(word) {
                let sub = args.remove(i);
                args.insert(1, sub);
            }
            return args;
        }
        if let Some(long) = word.strip_prefix("--") {
            if !long.contains('=') && long_takes(long) {
                i += 1;
            }
        } else {
            // Short flags, bundled or not: a value-taking one takes the rest or the next word.
            let shorts: Vec<char> = word.chars().skip(1).collect();
            if let Some(at) = shorts.iter().position(|&c| short_takes(c))
                && at + 1 == shorts.len()
            {
                i += 1;
            }
        }
        i += 1;
    }
    args
}

/// The subcommand a mistyped first PATH most likely meant (`chek` → `check`), for a usage error
/// rather than "cannot read".
pub fn near_command(word: &str) -> Option<&'static str> {
    use clap::CommandFactory;
    let command = Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .chain(std::iter::once("help".to_owned()))
        .collect();
    let found = crate::suggest::did_you_mean(word, names.iter().map(String::as_str))?;
    SUBCOMMANDS.iter().copied().find(|n| *n == found)
}

/// The subcommands' names, for [`near_command`] (a test keeps the list complete).
pub const SUBCOMMANDS: &[&str] = &[
    "check",
    "config",
    "explain",
    "providers",
    "matrix",
    "init",
    "schema",
    "completions",
    "manpage",
    "server",
    "help",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn order(args: &[&str]) -> Vec<String> {
        subcommand_first(args.iter().map(Into::into).collect())
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn the_subcommand_moves_in_front_of_the_options() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["r", "--format", "json", "check", "."],
                &["r", "check", "--format", "json", "."],
            ),
            (
                &["r", "--format=json", "-q", "check"],
                &["r", "check", "--format=json", "-q"],
            ),
            (&["r", "-o", "out", "config"], &["r", "config", "-o", "out"]),
            (&["r", "-qo", "out", "check"], &["r", "check", "-qo", "out"]),
            // A PATH that happens to be named like a value stays a PATH.
            (
                &["r", "--format", "json", "infra"],
                &["r", "--format", "json", "infra"],
            ),
            (
                &["r", "--output", "check", "."],
                &["r", "--output", "check", "."],
            ),
            (&["r", "infra", "check"], &["r", "infra", "check"]),
            (
                &["r", "--packs", "p", "explain", "x"],
                &["r", "explain", "--packs", "p", "x"],
            ),
            (&["r", "-v", "help"], &["r", "help", "-v"]),
        ];
        for (given, want) in cases {
            assert_eq!(order(given), *want, "{given:?}");
        }
    }

    #[test]
    fn every_subcommand_is_known_to_near_command() {
        use clap::CommandFactory;
        let mut names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_owned())
            .collect();
        names.push("help".to_owned());
        let mut listed: Vec<String> = SUBCOMMANDS.iter().map(|s| (*s).to_owned()).collect();
        names.sort();
        listed.sort();
        assert_eq!(names, listed);
        assert_eq!(near_command("chek"), Some("check"));
        assert_eq!(near_command("provider"), Some("providers"));
        assert_eq!(near_command("matrx"), Some("matrix"));
        assert_eq!(near_command("infra"), None);
    }
}
