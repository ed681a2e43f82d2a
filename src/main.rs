//! The `raci-lint` binary: parse the command line, run, map the outcome to an exit status.

use std::process::ExitCode;

use clap::Parser;
use raci_lint::cli::Cli;
use raci_lint::settings::Settings;
use raci_lint::{Outcome, render};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            render::clap_error(&e);
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let settings = Settings::from_args(cli.into_check());
    let report = raci_lint::check(&settings);
    if let Err(e) = render::write(&report, &settings) {
        render::fatal(&format!("cannot write the report: {e}"));
        return ExitCode::from(Outcome::Broken as u8);
    }
    ExitCode::from(report.outcome(settings.deny_warnings) as u8)
}
