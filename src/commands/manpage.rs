//! `raci-lint manpage`: one roff page for the whole command line, from the same clap definition
//! as `--help`. Each subcommand gets a subsection of this page (there are no `raci-lint-check(1)`
//! pages to point to), and the examples are set without filling, line for line as `--help`
//! shows them.

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, roman};

/// The manual page of `command` (the top-level `raci-lint` command), as roff text.
pub fn render(command: Command) -> std::io::Result<String> {
    // The package version, not the commit that `--version` names: a page is the same for every
    // build of a release, and packagers build it once.
    let command = command.version(env!("CARGO_PKG_VERSION"));
    // Subcommands are taken from the definition before clap builds it, which would give each
    // a help flag.
    let unbuilt = command.clone();
    let man = Man::new(command);
    let mut page = Page::default();
    page.section(|w| man.render_title(w))?;
    // Ids and flags are copied from the page: no hyphenation, and no stretched spaces.
    let mut setup = Roff::new();
    setup.control("nh", []).control("ad", ["l"]);
    page.roff(&setup);
    page.section(|w| man.render_name_section(w))?;
    page.section(|w| man.render_synopsis_section(w))?;
    page.section(|w| man.render_description_section(w))?;
    page.section(|w| man.render_options_section(w))?;
    subcommands(&mut page, &unbuilt)?;
    if let Some(after) = unbuilt.get_after_help() {
        examples(&mut page, &after.to_string());
    }
    page.section(|w| man.render_version_section(w))?;
    Ok(page.text)
}

/// Roff text put together from clap_mangen's sections and ours, with the preamble that defines
/// the apostrophe string (which every rendering starts with) once at the top.
struct Page {
    preamble: String,
    text: String,
}

impl Default for Page {
    fn default() -> Page {
        let preamble = Roff::new().render();
        Page {
            text: preamble.clone(),
            preamble,
        }
    }
}

impl Page {
    /// Appends what `render` writes, less the preamble.
    fn section(
        &mut self,
        render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut buf = Vec::new();
        render(&mut buf)?;
        let text = String::from_utf8_lossy(&buf);
        self.text
            .push_str(text.strip_prefix(&self.preamble).unwrap_or(&text));
        Ok(())
    }

    fn roff(&mut self, roff: &Roff) {
        let text = roff.render();
        self.text
            .push_str(text.strip_prefix(&self.preamble).unwrap_or(&text));
    }
}

/// The ids of the options and arguments a user sees, help and version flags left out.
fn visible_args(command: &Command) -> Vec<&str> {
    let mut ids: Vec<&str> = command
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .map(|a| a.get_id().as_str())
        .filter(|id| !matches!(*id, "help" | "version"))
        .collect();
    ids.sort_unstable();
    ids
}

/// A subsection per visible subcommand: its synopsis, description and options. A subcommand
/// that takes exactly the top level's options (`check`, `config`) points to them instead.
fn subcommands(page: &mut Page, command: &Command) -> std::io::Result<()> {
    let subs: Vec<&Command> = command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .collect();
    if subs.is_empty() {
        return Ok(());
    }
    let top_args = visible_args(command);
    let top_after = command.get_after_help().map(ToString::to_string);
    let mut heading = Roff::new();
    heading.control("SH", ["SUBCOMMANDS"]);
    page.roff(&heading);
    for sub in subs {
        let name = format!("{} {}", command.get_name(), sub.get_name());
        let mut intro = Roff::new();
        intro.control("SS", [name.as_str()]);
        page.roff(&intro);
        // The help flag of each subcommand would repeat on every one: the top level lists it.
        let sub = sub
            .clone()
            .bin_name(&name)
            .disable_help_flag(true)
            .mut_args(|arg| arg.help_heading(None));
        let man = Man::new(sub.clone());
        page.section(|w| without_headings(w, |w| man.render_synopsis_section(w)))?;
        let mut about = Roff::new();
        if let Some(text) = sub.get_long_about().or_else(|| sub.get_about()) {
            about.control("PP", []);
            for line in text.to_string().lines() {
                if line.trim().is_empty() {
                    about.control("PP", []);
                } else {
                    about.text([roman(line)]);
                }
            }
        }
        let own = visible_args(&sub);
        let shared = !own.is_empty() && own == top_args;
        if shared {
            about.control("PP", []);
            about.text([roman(format!(
                "Takes the options and arguments of {} described above.",
                command.get_name()
            ))]);
        }
        page.roff(&about);
        if !shared && !own.is_empty() {
            page.section(|w| without_headings(w, |w| man.render_options_section(w)))?;
        }
        let after = sub.get_after_help().map(ToString::to_string);
        // `check` repeats the top level's examples; they are set once, at the end.
        if let Some(after) = after.filter(|a| Some(a) != top_after.as_ref()) {
            let mut block = Roff::new();
            block.control("PP", []);
            verbatim(&mut block, &after);
            page.roff(&block);
        }
    }
    Ok(())
}

/// What `render` writes, less its `.SH` lines: a subcommand's synopsis and options sit in the
/// subsection of that subcommand.
fn without_headings(
    w: &mut Vec<u8>,
    render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    for line in String::from_utf8_lossy(&buf).lines() {
        if !line.starts_with(".SH ") {
            w.extend_from_slice(line.as_bytes());
            w.push(b'\n');
        }
    }
    Ok(())
}

/// The examples after the options, as `--help` shows them: an `Examples:` first line becomes
/// the section heading, and every other line is kept as it is (no filling, no adjusting).
fn examples(page: &mut Page, after: &str) {
    let body = after
        .strip_prefix("Examples:\n")
        .unwrap_or(after)
        .trim_end();
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    verbatim(&mut roff, body);
    page.roff(&roff);
}

/// `text` line for line: no filling, no hyphenation, spaces kept.
fn verbatim(roff: &mut Roff, text: &str) {
    roff.control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}
