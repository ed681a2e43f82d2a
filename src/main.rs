//! The `raci-lint` binary: parse the command line, run, map the outcome to an exit status.

use std::process::ExitCode;

use raci_lint::cli::{Cli, Mode};
use raci_lint::settings::Settings;
use raci_lint::{Outcome, render};

/// A run allocates many small, short-lived values on several threads (paths, words, YAML nodes);
/// glibc's allocator spent about a sixth of a scan in malloc and free. mimalloc halves that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::parse_anywhere(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            render::clap_error(&e);
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let args = match cli.into_mode() {
        Mode::Check(args) => args,
        Mode::Config(args) => {
            let settings = Settings::resolve(args);
            let broken = !settings.setup.is_empty() || !settings.notices.is_empty();
            if let Err(e) = render::settings(&settings) {
                render::fatal(&format!("cannot write the settings: {e}"));
                return ExitCode::from(Outcome::Broken as u8);
            }
            return ExitCode::from(if broken {
                Outcome::Broken
            } else {
                Outcome::Clean
            } as u8);
        }
        Mode::Server(args) => {
            return match raci_lint::server::run(args) {
                Ok(true) => ExitCode::from(Outcome::Clean as u8),
                // The client left without `shutdown`: 1, as the protocol asks.
                Ok(false) => ExitCode::from(Outcome::Failed as u8),
                Err(e) => {
                    render::fatal(&format!("the language server stopped: {e}"));
                    ExitCode::from(Outcome::Broken as u8)
                }
            };
        }
        mode => return authoring(mode),
    };
    // `raci-lint chek`: a missing first PATH that is a near miss of a command is a usage error.
    if let Some(first) = args.paths.first()
        && !first.exists()
        && let Some(command) = first.to_str().and_then(raci_lint::cli::near_command)
    {
        render::usage(&format!(
            "`{}` is neither a file nor a folder, nor a command; did you mean `raci-lint {command}`?",
            first.display()
        ));
        return ExitCode::from(Outcome::Broken as u8);
    }
    let settings = Settings::resolve(args);
    let to_stdout = |p: Option<&std::path::Path>| p.is_none_or(|p| p == std::path::Path::new("-"));
    if settings
        .write_baseline
        .as_deref()
        .is_some_and(|b| b == std::path::Path::new("-"))
        && to_stdout(settings.output.as_deref())
    {
        render::usage(
            "--write-baseline - and the report would both go to standard output; give the report --output FILE",
        );
        return ExitCode::from(Outcome::Broken as u8);
    }
    let report = raci_lint::check(&settings);
    if report.diff.is_some() {
        return diff(&report, &settings);
    }
    for (path, bytes) in &report.writes {
        if let Err(e) = render::write_atomically(path, bytes) {
            let shown = raci_lint::paths::display(path);
            render::fatal(&format!("cannot write the fixed file {shown}: {e}"));
            return ExitCode::from(Outcome::Broken as u8);
        }
    }
    let mut outcome = report.outcome(settings.deny_warnings);
    if settings.exit_zero && outcome == Outcome::Failed {
        outcome = Outcome::Clean;
    }
    if let Some(path) = &settings.write_baseline {
        let shown = raci_lint::paths::display(path);
        match &report.new_baseline {
            // A run that could not trust its config, packs or files would record too little.
            None => render::fatal(&format!(
                "the baseline {shown} is not written: fix the problems above first"
            )),
            Some(text) => {
                if let Err(e) = render::write_atomically(path, text.as_bytes()) {
                    render::fatal(&format!("cannot write the baseline {shown}: {e}"));
                    return ExitCode::from(Outcome::Broken as u8);
                }
                if !settings.quiet {
                    render::notice(&format!(
                        "recorded {} in the baseline {shown}",
                        render::plural(report.baselined, "finding")
                    ));
                }
            }
        }
    }
    if let Err(e) = render::write(&report, &settings) {
        render::fatal(&format!("cannot write the report: {e}"));
        return ExitCode::from(Outcome::Broken as u8);
    }
    ExitCode::from(outcome as u8)
}

/// `--diff`: the diff of every fix, written nowhere but the output; exit 1 when there is
/// something to fix (0 with `--exit-zero`), 2 when the run is broken.
fn diff(report: &raci_lint::Report, settings: &Settings) -> ExitCode {
    if let Err(e) = render::diff(report, settings) {
        render::fatal(&format!("cannot write the diff: {e}"));
        return ExitCode::from(Outcome::Broken as u8);
    }
    let outcome = if report.outcome(false) == Outcome::Broken {
        Outcome::Broken
    } else if report.summary.fixed.unwrap_or(0) > 0 && !settings.exit_zero {
        Outcome::Failed
    } else {
        Outcome::Clean
    };
    ExitCode::from(outcome as u8)
}

/// The authoring and audit commands: their output, or their refusal with exit 2.
fn authoring(mode: Mode) -> ExitCode {
    let output = match raci_lint::commands::run(mode, render::terminal_width()) {
        Ok(output) => output,
        Err(refusal) => {
            render::refusal(&refusal);
            return ExitCode::from(Outcome::Broken as u8);
        }
    };
    match render::deliver(&output) {
        Ok(()) => ExitCode::from(Outcome::Clean as u8),
        Err(e) => {
            let path = match &output {
                raci_lint::commands::Output::File { path, .. } => raci_lint::paths::display(path),
                raci_lint::commands::Output::Stdout(_) => "standard output".to_owned(),
            };
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                render::fatal(&format!(
                    "{path} exists; it is left as it was (--force replaces it)"
                ));
            } else {
                render::fatal(&format!("cannot write {path}: {e}"));
            }
            ExitCode::from(Outcome::Broken as u8)
        }
    }
}
