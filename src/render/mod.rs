//! Output: the only code that writes to stdout or stderr. Each format turns a [`Report`] into
//! text; [`write()`] sends it to stdout or, atomically, to `--output`.

mod concise;
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
        verbose(report)?;
    }
    let to_terminal = settings.output.is_none() && io::stdout().is_terminal();
    let text = text(report, settings, to_terminal);
    match &settings.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()
        }
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

/// Writes through a temporary file in the same folder, renamed over the target: a reader never
/// sees half a report, and a failed run leaves the old file as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via_temp(path, bytes, true)
}

/// [`write_atomically`], or with `replace` false, a rename that fails with `AlreadyExists`
/// rather than replace a file (one created meanwhile included).
fn write_via_temp(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !replace && path.exists() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); a report is an ordinary file: keep the mode of the
    // file it replaces, else rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

/// Findings as plain human text without a summary line, for messages outside a report.
fn plain(findings: &[crate::diag::Finding]) -> String {
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
        writeln!(err, "pack: {pack}")?;
    }
    for file in &report.checked {
        writeln!(err, "checked: {file}")?;
    }
    for file in &report.skipped {
        writeln!(err, "skipped: {file}")?;
    }
    Ok(())
}

/// `raci-lint config`: every resolved setting and where it came from, then any problem with
/// the config file.
pub fn settings(settings: &Settings) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match &settings.config {
        Some(path) => writeln!(out, "# config file: {path}")?,
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
        writeln!(out, "{name}: {value}{}  # {origin}", " ".repeat(pad))?;
    }
    if !settings.setup.is_empty() {
        write!(out, "\n{}", plain(&settings.setup))?;
    }
    out.flush()
}

/// A message for stderr when the run itself failed (the report could not be written).
pub fn fatal(message: &str) {
    let _ = writeln!(io::stderr(), "raci-lint: error: {message}");
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
        Output::Stdout(text) => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()
        }
        Output::File {
            path,
            text,
            overwrite,
        } => write_via_temp(path, text.as_bytes(), *overwrite),
    }
}

/// A command's refusal on stderr: the message, the help, then the findings behind it.
pub fn refusal(refusal: &crate::commands::Refusal) {
    let mut text = format!("raci-lint: error: {}\n", refusal.message);
    if let Some(help) = &refusal.help {
        text.push_str(&format!("  help: {help}\n"));
    }
    if !refusal.findings.is_empty() {
        text.push('\n');
        text.push_str(&plain(&refusal.findings));
    }
    let _ = io::stderr().write_all(text.as_bytes());
}

/// A message for stderr about something the run did besides its report.
pub fn notice(message: &str) {
    let _ = writeln!(io::stderr(), "raci-lint: {message}");
}

pub use human::plural;

/// Prints a clap error or help text.
pub fn clap_error(error: &clap::Error) {
    let _ = error.print();
}
