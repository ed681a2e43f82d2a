//! Output: the only code that writes to stdout or stderr. Each format turns a [`Report`] into
//! text; [`write()`] sends it to stdout or, atomically, to `--output`.

mod concise;
pub mod escape;
mod excerpt;
mod file;
pub mod github;
mod gitlab;
mod html;
mod human;
mod json;
mod junit;
pub mod matrix;
mod sarif;

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::Report;
use crate::cli::{ColorChoice, Format};
use crate::settings::Settings;

/// Renders the report in the chosen format and writes it where the settings say.
pub fn write(report: &Report, settings: &Settings) -> io::Result<()> {
    if settings.verbose {
        file::quiet_pipe(verbose(report))?;
    }
    let to_stdout = settings
        .output
        .as_deref()
        .is_none_or(|p| p == Path::new("-"));
    let to_terminal = to_stdout && io::stdout().is_terminal();
    let text = text(report, settings, to_terminal);
    match &settings.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => file::stdout(text.as_bytes()),
    }
}

/// The report as text in the chosen format; `to_terminal` decides colour (with `--color auto`)
/// and width.
pub fn text(report: &Report, settings: &Settings, to_terminal: bool) -> String {
    match settings.format {
        Format::Human => {
            let color = match settings.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let width = if to_terminal {
                terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
            } else {
                100
            };
            human::render(
                report,
                &human::Style {
                    color,
                    width,
                    quiet: settings.quiet,
                },
            )
        }
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Junit => junit::render(report),
    }
}

/// Writes a file the way DESIGN section 9 says ([`file::write`]): atomically for a regular
/// file, to the target of a link, directly to a device or FIFO, `-` to standard output.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    file::write(path, bytes, true)
}

/// Findings as plain human text without a summary line, for messages outside a report.
pub fn plain(findings: &[crate::diag::Finding]) -> String {
    let report = crate::Report {
        findings: findings.to_vec(),
        ..Default::default()
    };
    let style = human::Style {
        color: false,
        width: 100,
        quiet: true,
    };
    human::render(&report, &style)
}

fn verbose(report: &Report) -> io::Result<()> {
    let mut err = io::stderr().lock();
    for pack in &report.packs {
        writeln!(err, "pack: {}", escape::text(pack))?;
    }
    for file in &report.checked {
        writeln!(err, "checked: {}", escape::text(file))?;
    }
    for file in &report.skipped {
        writeln!(err, "skipped: {}", escape::text(file))?;
    }
    Ok(())
}

/// `raci-lint config`: every resolved setting and where it came from, then any problem with
/// the config file.
pub fn settings(settings: &Settings) -> io::Result<()> {
    file::quiet_pipe(write_settings(settings))
}

fn write_settings(settings: &Settings) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match &settings.config {
        Some(path) => writeln!(out, "# config file: {}", escape::text(path))?,
        None => writeln!(out, "# config file: none")?,
    }
    let width = settings
        .origins
        .iter()
        .map(|(n, v, _)| n.len() + v.len())
        .max()
        .unwrap_or(0);
    for (name, value, origin) in &settings.origins {
        let pad = width - name.len() - value.len();
        let (value, origin) = (escape::text(value), escape::text(origin));
        writeln!(out, "{name}: {value}{}  # {origin}", " ".repeat(pad))?;
    }
    if !settings.setup.is_empty() || !settings.notices.is_empty() {
        let problems: Vec<_> = settings
            .setup
            .iter()
            .chain(&settings.notices)
            .cloned()
            .collect();
        write!(out, "\n{}", plain(&problems))?;
    }
    out.flush()
}

/// A message for stderr when the run itself failed (the report could not be written).
pub fn fatal(message: &str) {
    let _ = writeln!(io::stderr(), "raci-lint: error: {}", escape::text(message));
}

/// The width of the terminal on stdout, or 80 when stdout is not a terminal.
pub fn terminal_width() -> u16 {
    if io::stdout().is_terminal() {
        // A terminal too narrow for any table gets the width of a pipe.
        terminal_size::terminal_size()
            .map(|(w, _)| w.0)
            .filter(|w| *w >= 40)
            .unwrap_or(80)
    } else {
        80
    }
}

/// Delivers an authoring command's output: stdout, or a file written atomically. A file that
/// exists is replaced only when the output says so; otherwise the error is `AlreadyExists`
/// and the file is left as it was.
pub fn deliver(output: &crate::commands::Output) -> io::Result<()> {
    use crate::commands::Output;
    match output {
        Output::Stdout(text) => file::stdout(text.as_bytes()),
        Output::File {
            path,
            text,
            overwrite,
        } => file::write(path, text.as_bytes(), *overwrite),
    }
}

/// A command's refusal on stderr: the message, the help, then the findings behind it.
pub fn refusal(refusal: &crate::commands::Refusal) {
    let mut text = format!("raci-lint: error: {}\n", escape::text(&refusal.message));
    if let Some(help) = &refusal.help {
        text.push_str(&format!("  help: {}\n", escape::text(help)));
    }
    if !refusal.findings.is_empty() {
        text.push('\n');
        text.push_str(&plain(&refusal.findings));
    }
    let _ = io::stderr().write_all(text.as_bytes());
}

/// A message for stderr about something the run did besides its report.
pub fn notice(message: &str) {
    let _ = writeln!(io::stderr(), "raci-lint: {}", escape::text(message));
}

pub use human::plural;

/// Prints a clap error or help text.
pub fn clap_error(error: &clap::Error) {
    let _ = error.print();
}
