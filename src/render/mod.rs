//! Output: the only code that writes to stdout or stderr. Each format turns a [`Report`] into
//! text; [`write()`] sends it to stdout or, atomically, to `--output`.

mod concise;
mod diff;
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

/// Renders the report in the chosen format and writes it where the settings say. With `--fix`
/// on standard input (`raci-lint - --fix`), standard output gets the fixed file and the report
/// goes to standard error, unless `--output` takes it.
pub fn write(report: &Report, settings: &Settings) -> io::Result<()> {
    if settings.verbose {
        file::quiet_pipe(verbose(report))?;
    }
    if let Some(fixed) = &report.fixed_stdin {
        file::stdout(fixed)?;
        if settings.output.is_none() {
            let text = text(report, settings, io::stderr().is_terminal());
            return file::quiet_pipe(io::stderr().write_all(text.as_bytes()));
        }
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
    if settings.statistics {
        return statistics(report, settings.format == Format::Json);
    }
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
                    unsafe_fixes: settings.unsafe_fixes,
                },
            )
        }
        Format::Concise => concise::render(report, settings.unsafe_fixes),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Junit => junit::render(report),
    }
}

/// `--statistics`: one line per code with its count (dropped findings included), most frequent
/// first; a JSON array with `--format json`.
fn statistics(report: &Report, json: bool) -> String {
    let mut counts: std::collections::BTreeMap<crate::diag::Code, usize> =
        report.dropped_by_code.clone();
    for f in &report.findings {
        *counts.entry(f.code).or_default() += 1;
    }
    let with_fix: std::collections::BTreeSet<crate::diag::Code> = report
        .findings
        .iter()
        .filter(|f| f.fix.is_some())
        .map(|f| f.code)
        .collect();
    let mut rows: Vec<(crate::diag::Code, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    if json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(code, n)| {
                serde_json::json!({ "code": code.as_str(), "count": n, "fixable": with_fix.contains(code) })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let width = rows
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    rows.iter()
        .map(|(code, n)| {
            let mark = if with_fix.contains(code) {
                "[*]"
            } else {
                "   "
            };
            format!(
                "{n:>width$}  {:<26} {mark} {}\n",
                code.as_str(),
                code.summary()
            )
        })
        .collect()
}

/// `--diff`: the unified diff of every fix to standard output (or `--output`), then on standard
/// error how many fixes it holds. A terminal gets file text with its control characters
/// escaped; a pipe or a file gets it as it is, for `patch` to apply.
pub fn diff(report: &Report, settings: &Settings) -> io::Result<()> {
    let text = report.diff.as_deref().map(diff::render).unwrap_or_default();
    let text = text.as_str();
    match settings.output.as_deref().filter(|p| *p != Path::new("-")) {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None if io::stdout().is_terminal() => file::stdout(escape::document(text).as_bytes())?,
        None => file::stdout(text.as_bytes())?,
    }
    if !settings.quiet {
        let fixed = report.summary.fixed.unwrap_or(0);
        let mut line = format!("would fix {}", plural(fixed, "finding"));
        if !settings.unsafe_fixes && report.unsafe_fixable > 0 {
            line.push_str(&format!(
                " ({} more with --unsafe-fixes)",
                report.unsafe_fixable
            ));
        }
        notice(&line);
    }
    Ok(())
}

/// Whether a finding is marked `[*]`: it has a fix that `--fix` applies with these flags.
fn fixable(finding: &crate::diag::Finding, unsafe_fixes: bool) -> bool {
    !finding.waived
        && finding
            .fix
            .as_deref()
            .is_some_and(|f| crate::fix::wanted(f, unsafe_fixes))
}

/// Writes a file the way DESIGN section 9 says (`file::write`): atomically for a regular
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
        unsafe_fixes: false,
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
    let text = if settings.format == Format::Json {
        settings_json(settings)
    } else {
        settings_yaml(settings)
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !settings.setup.is_empty() || !settings.notices.is_empty() {
        let problems: Vec<_> = settings
            .setup
            .iter()
            .chain(&settings.notices)
            .cloned()
            .collect();
        // Problems go to stderr, so stdout stays a file that loads.
        io::stderr().write_all(plain(&problems).as_bytes())?;
    }
    out.flush()
}

/// The settings in force as a config file that loads, each line saying where its value came
/// from; command-line-only settings as comments. JSON values are valid YAML, escapes included.
fn settings_yaml(settings: &Settings) -> String {
    use crate::settings::Section;
    // JSON is YAML: its `\uXXXX` escapes keep every value loadable and every byte printable.
    let value = |v: &serde_json::Value| escape::json(v.to_string());
    let line = |key: String, origin: &str| format!("{key:<44}  # {}\n", escape::text(origin));
    let mut out = String::from(
        "# raci-lint config: the settings in force, as a config file; each comment says where a\n# value came from (default, the config file, or the command line).\n",
    );
    match &settings.config {
        Some(path) => out.push_str(&format!("# config file: {}\n", escape::text(path))),
        None => out.push_str("# config file: none\n"),
    }
    for o in settings
        .origins
        .iter()
        .filter(|o| o.section == Section::File)
    {
        if o.value.is_null() {
            out.push_str(&line(format!("# {}: (none)", o.name), &o.from));
        } else {
            out.push_str(&line(format!("{}: {}", o.name, value(&o.value)), &o.from));
        }
    }
    out.push_str("severity:\n");
    for o in settings
        .origins
        .iter()
        .filter(|o| o.section == Section::Severity)
    {
        let level = o.value.as_str().unwrap_or("off");
        let fixed = crate::diag::Code::from_name(o.name).is_some_and(|c| c.fixed_severity());
        if fixed {
            // Not a setting: these codes always mean the run could not use something.
            out.push_str(&line(format!("  # {}: {level}", o.name), "fixed"));
        } else {
            out.push_str(&line(format!("  {}: {level}", o.name), &o.from));
        }
    }
    out.push_str("# command line only:\n");
    for o in settings
        .origins
        .iter()
        .filter(|o| o.section == Section::CommandLine)
    {
        out.push_str(&line(format!("# {}: {}", o.name, value(&o.value)), &o.from));
    }
    out
}

/// The settings in force as JSON: `{ "config": path|null, "settings": { name: { "value",
/// "from" } }, "severity": { code: { "value", "from" } } }`.
fn settings_json(settings: &Settings) -> String {
    use crate::settings::Section;
    let entries = |section: Section| -> serde_json::Map<String, serde_json::Value> {
        settings
            .origins
            .iter()
            .filter(|o| (o.section == Section::Severity) == (section == Section::Severity))
            .map(|o| {
                (
                    o.name.to_owned(),
                    serde_json::json!({ "value": o.value, "from": o.from }),
                )
            })
            .collect()
    };
    let json = serde_json::json!({
        "config": settings.config,
        "settings": entries(Section::File),
        "severity": entries(Section::Severity),
    });
    let mut text = escape::json(serde_json::to_string_pretty(&json).unwrap_or_default());
    text.push('\n');
    text
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
pub fn deliver(output: &crate::reply::Output) -> io::Result<()> {
    use crate::reply::Output;
    // Pack names, titles and comments (a repository's own pack) and team names reach this
    // text: escape what a terminal or a log would act on, keeping the layout's line breaks.
    match output {
        Output::Stdout(text) => file::stdout(escape::document(text).as_bytes()),
        Output::File {
            path,
            text,
            overwrite,
        } => file::write(path, escape::document(text).as_bytes(), *overwrite),
    }
}

/// A command's refusal on stderr: the message, the help, then the findings behind it.
pub fn refusal(refusal: &crate::reply::Refusal) {
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

/// A usage error on stderr, as clap writes its own, with a pointer to `--help`.
pub fn usage(message: &str) {
    let _ = writeln!(
        io::stderr(),
        "error: {}\n\nFor more information, try '--help'.",
        escape::text(message)
    );
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
