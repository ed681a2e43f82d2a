//! What an authoring command is asked, as plain values: the one place that reads clap's types
//! for the commands (`From<cli::Command>`), as `Settings::resolve` is for `check`. Past it,
//! nothing in `commands` knows the command line.

use std::path::PathBuf;

use clap::CommandFactory;

use super::init::InitOptions;
use super::matrix::{MatrixFormat, MatrixOptions};
use super::schema::SchemaKind;
use crate::cli;

/// Where the authoring commands find rule packs: the built-in ones, the config file's `packs`
/// (`config`: the config file named on the command line, else the one found), and `packs`.
#[derive(Debug, Clone, Default)]
pub struct PackOptions {
    pub packs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
}

/// An authoring command and its options.
#[derive(Debug)]
pub enum Request {
    /// A code, provider or activity to explain; `None`: every code.
    Explain {
        what: Option<String>,
        packs: PackOptions,
    },
    Providers(PackOptions),
    Matrix(MatrixOptions),
    Init(InitOptions),
    Schema {
        kind: SchemaKind,
        packs: PackOptions,
    },
    /// A completion script for `shell`, of the command line `command` describes.
    Completions {
        shell: clap_complete::Shell,
        command: Box<clap::Command>,
    },
    /// The manual page of the command line `command` describes.
    Manpage(Box<clap::Command>),
    /// `check`, `config` or `server`: not an authoring command.
    NotAuthoring,
}

impl From<cli::PackArgs> for PackOptions {
    fn from(args: cli::PackArgs) -> PackOptions {
        PackOptions {
            packs: args.packs,
            config: args.config,
        }
    }
}

impl From<cli::MatrixFormat> for MatrixFormat {
    fn from(format: cli::MatrixFormat) -> MatrixFormat {
        match format {
            cli::MatrixFormat::Table => MatrixFormat::Table,
            cli::MatrixFormat::Markdown => MatrixFormat::Markdown,
            cli::MatrixFormat::Csv => MatrixFormat::Csv,
            cli::MatrixFormat::Json => MatrixFormat::Json,
            cli::MatrixFormat::Html => MatrixFormat::Html,
        }
    }
}

impl From<cli::SchemaKind> for SchemaKind {
    fn from(kind: cli::SchemaKind) -> SchemaKind {
        match kind {
            cli::SchemaKind::Ownership => SchemaKind::Ownership,
            cli::SchemaKind::Pack => SchemaKind::Pack,
            cli::SchemaKind::Config => SchemaKind::Config,
        }
    }
}

impl From<cli::Command> for Request {
    fn from(command: cli::Command) -> Request {
        use cli::Command;
        match command {
            Command::Explain(args) => Request::Explain {
                what: args.what,
                packs: args.packs.into(),
            },
            Command::Providers(args) => Request::Providers(args.into()),
            Command::Matrix(args) => Request::Matrix(MatrixOptions {
                target: args.target,
                plan: args.plan,
                products: args.products,
                format: args.format.into(),
                output: args.output,
                packs: args.packs.into(),
            }),
            Command::Init(args) => Request::Init(InitOptions {
                provider: args.provider,
                plan: args.plan,
                products: args.products,
                output: args.output,
                force: args.force,
                packs: args.packs.into(),
            }),
            Command::Schema(args) => Request::Schema {
                kind: args.kind.into(),
                packs: args.packs.into(),
            },
            Command::Completions(args) => Request::Completions {
                shell: args.shell,
                command: Box::new(cli::Cli::command()),
            },
            Command::Manpage => Request::Manpage(Box::new(cli::Cli::command())),
            Command::Check(_) | Command::Config(_) | Command::Server(_) => Request::NotAuthoring,
        }
    }
}
