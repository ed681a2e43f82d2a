//! What an authoring command replies: its text and where it goes ([`Output`]), or why it will
//! not do what it was asked ([`Refusal`]). Data only: `commands` makes them, `render` delivers
//! them, and neither depends on the other through these.

use std::path::PathBuf;

use crate::diag::Finding;

/// A command that cannot do what it was asked: a usage error (exit 2), with what would help,
/// and the findings behind it when a file was at fault (a broken pack or config file).
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub help: Option<String>,
    pub findings: Vec<Finding>,
}

impl Refusal {
    pub fn new(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            help: None,
            findings: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Refusal {
        self.help = Some(help.into());
        self
    }
}

/// What a command produced and where it goes.
#[derive(Debug)]
pub enum Output {
    Stdout(String),
    /// Written atomically; an existing file is replaced only with `overwrite`.
    File {
        path: PathBuf,
        text: String,
        overwrite: bool,
    },
}
