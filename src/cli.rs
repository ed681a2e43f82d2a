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
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true
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
    /// Files or folders to check [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,

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
}

impl Cli {
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
