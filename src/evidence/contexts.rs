//! Where a repository runs commands (DESIGN section 4, `command` matcher), and its Ansible tasks
//! (`ansible` matcher). A file's kind comes from its name (a template's `.j2`/`.tmpl` taken off)
//! or, for scripts, its shebang; each kind says which of its bytes are shell.

use std::path::Path;

use super::shell::{self, Command, Found, Keep, Newline, Place, Text};
use super::yaml::{self, Extent, Node, Scalar};
use granit_parser::ScalarStyle;

/// What a file is, as far as commands go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Shell,
    Makefile,
    Cron {
        fields: CronFields,
    },
    Systemd,
    Fail2ban,
    Ferm,
    Interfaces,
    Yaml,
    /// No commands here (a Dockerfile, a Vagrantfile, docs, anything else).
    None,
}

/// Every kind that holds commands, each cron layout once: what the fuzz target and the
/// property tests read any bytes as.
pub const KINDS: [Kind; 11] = [
    Kind::Shell,
    Kind::Makefile,
    Kind::Cron {
        fields: CronFields::User,
    },
    Kind::Cron {
        fields: CronFields::NoUser,
    },
    Kind::Cron {
        fields: CronFields::MaybeUser,
    },
    Kind::Cron {
        fields: CronFields::Anacron,
    },
    Kind::Systemd,
    Kind::Fail2ban,
    Kind::Ferm,
    Kind::Interfaces,
    Kind::Yaml,
];

/// What comes before the command on a cron line, after the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CronFields {
    /// A system crontab: a user field.
    User,
    /// A user's crontab: none.
    NoUser,
    /// Either: the sixth field is a user when it is a common system user's name.
    MaybeUser,
    /// anacrontab: period, delay and job id, then the command.
    Anacron,
}

/// Users a system crontab commonly runs jobs as: in a file that may or may not have a user
/// field, a sixth field among these is one.
const CRON_USERS: &[&[u8]] = &[
    b"root",
    b"www-data",
    b"postgres",
    b"mysql",
    b"backup",
    b"nobody",
    b"daemon",
    b"nginx",
    b"apache",
    b"ubuntu",
    b"admin",
    b"deploy",
    b"ansible",
    b"debian",
    b"centos",
    b"ec2-user",
];

/// Template suffixes: `backup.sh.j2` is a shell script.
const TEMPLATE: &[&str] = &[".j2", ".jinja2", ".jinja", ".tmpl"];

/// The kind of the file at `rel` (relative path) whose text starts with `head`.
pub fn kind(rel: &Path, head: &[u8]) -> Kind {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut name = name.as_str();
    for suffix in TEMPLATE {
        if let Some(stem) = name.strip_suffix(suffix) {
            name = stem;
            break;
        }
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "sh" | "bash" | "zsh" | "ksh" | "dash" | "ash" => return Kind::Shell,
        "yml" | "yaml" => return Kind::Yaml,
        "mk" => return Kind::Makefile,
        "service" | "socket" | "mount" | "swap" | "path" | "timer" => return Kind::Systemd,
        "ferm" => return Kind::Ferm,
        "cron" => {
            return Kind::Cron {
                fields: CronFields::MaybeUser,
            };
        }
        _ => {}
    }
    if matches!(name, "makefile" | "gnumakefile") {
        return Kind::Makefile;
    }
    if name == "ferm.conf" {
        return Kind::Ferm;
    }
    // The folders, only for a name its extension did not settle (most files are `.sh`, `.yml`).
    let dirs: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let in_dir = |d: &str| dirs.iter().any(|x| x == d);
    if (in_dir("fail2ban") || in_dir("action.d") || in_dir("jail.d"))
        && matches!(ext, "conf" | "local")
    {
        return Kind::Fail2ban;
    }
    if name == "anacrontab" {
        return Kind::Cron {
            fields: CronFields::Anacron,
        };
    }
    // cron.d files and /etc/crontab have a user field; a user's crontab does not; a file named
    // crontab elsewhere may be either, so its sixth field is looked at.
    if in_dir("cron.d") || (name == "crontab" && dirs.last().is_some_and(|d| d == "etc")) {
        return Kind::Cron {
            fields: CronFields::User,
        };
    }
    if name == "crontab" {
        return Kind::Cron {
            fields: CronFields::MaybeUser,
        };
    }
    if in_dir("crontabs") {
        return Kind::Cron {
            fields: CronFields::NoUser,
        };
    }
    if name == "interfaces"
        || in_dir("interfaces.d")
        || (name.starts_with("interfaces.") && in_dir("network"))
    {
        return Kind::Interfaces;
    }
    if name == "cloud.cfg" || in_dir("cloud.cfg.d") {
        return Kind::Yaml;
    }
    if shebang(head) {
        return Kind::Shell;
    }
    // A unit under another name (`firewall.unit.j2`): its first section says so.
    if unit(head) {
        return Kind::Systemd;
    }
    if matches!(name, "user-data" | "cloud-config" | "cloud-init")
        || head.starts_with(b"#cloud-config")
    {
        return Kind::Yaml;
    }
    Kind::None
}

/// Extensions of files that never hold commands for the `command` matcher: such a file is not
/// even read for it. Anything else may be a script with a shebang or a unit under another name.
const NOT_COMMANDS: &[&str] = &[
    "py", "rb", "pl", "go", "rs", "java", "js", "ts", "c", "h", "cc", "cpp", "cs", "php", "json",
    "md", "rst", "txt", "html", "htm", "css", "svg", "png", "jpg", "jpeg", "gif", "ico", "pdf",
    "xml", "csv", "lock", "sum", "toml", "ini", "tf", "hcl", "pp", "sls", "erb", "epp", "sql",
    "crt", "pem", "key", "pub", "gpg", "asc", "zip", "gz", "tgz", "xz", "bz2",
];

/// Whether a file at `rel` may hold commands at all, before it is read.
pub fn may_hold_commands(rel: &Path) -> bool {
    if kind(rel, b"") != Kind::None {
        return true;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let stem = TEMPLATE
        .iter()
        .find_map(|t| name.strip_suffix(t))
        .unwrap_or(&name);
    match stem.rsplit_once('.') {
        Some((_, ext)) => !NOT_COMMANDS.contains(&ext),
        None => true,
    }
}

/// Whether a file starts, after comments and blank lines, with a systemd section header.
fn unit(head: &[u8]) -> bool {
    head.split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty() && !l.starts_with(b"#") && !l.starts_with(b";"))
        .is_some_and(|l| matches!(l, b"[Unit]" | b"[Service]" | b"[Socket]" | b"[Timer]"))
}

/// `#!/bin/sh`, `#!/usr/bin/env bash`, and the like.
fn shebang(head: &[u8]) -> bool {
    let Some(line) = head.strip_prefix(b"#!") else {
        return false;
    };
    let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if program.ends_with("/env") {
        program = words.find(|w| !w.starts_with('-')).unwrap_or("");
    }
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(
        name,
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" | "mksh"
    )
}

/// Every command of a file of kind `kind` whose bytes `keep` accepts; `docs` is the file read
/// as YAML, for YAML kinds.
pub fn commands(kind: Kind, text: &[u8], docs: Option<&[Node]>, keep: &Keep<'_>) -> Vec<Command> {
    let mut out = Found::new(keep);
    match kind {
        Kind::Shell => shell::commands(text, Text::script(0), &mut out),
        Kind::Makefile => makefile(text, &mut out),
        Kind::Cron { fields } => cron(text, fields, &mut out),
        Kind::Systemd => keyed_lines(text, &mut out, |line| {
            let rest = line.trim_ascii_start();
            let key_len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let (key, after) = rest.split_at(key_len);
            let value = after.trim_ascii_start().strip_prefix(b"=")?;
            key.starts_with(b"Exec").then_some(())?;
            let value = value.trim_ascii_start();
            let prefixes = value.iter().take_while(|b| b"@-:+!|".contains(b)).count();
            Some(line.len() - value.len() + prefixes)
        }),
        Kind::Interfaces => keyed_lines(text, &mut out, |line| {
            let rest = line.trim_ascii_start();
            let key_len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
            let hook = &rest[..key_len];
            let is_hook = matches!(
                hook,
                b"pre-up" | b"up" | b"post-up" | b"down" | b"pre-down" | b"post-down"
            );
            (is_hook && rest.get(key_len).is_some_and(u8::is_ascii_whitespace))
                .then(|| line.len() - rest.len() + key_len)
        }),
        Kind::Fail2ban => fail2ban(text, &mut out),
        Kind::Ferm => ferm(text, &mut out),
        Kind::Yaml => {
            if let Some(docs) = docs {
                for doc in docs {
                    yaml_commands(text, doc, &mut out);
                }
            }
        }
        Kind::None => {}
    }
    out.commands
}

/// The lines of `text`: (start offset, line without its end).
fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |e| at + e);
        let line = (at, &text[at..end]);
        at = end + 1;
        Some(line)
    })
}

/// The end of the logical line starting at `start`: lines ending in `\` continue it.
fn continued(text: &[u8], start: usize) -> usize {
    let mut at = start;
    loop {
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |e| at + e);
        let line = text[at..end].strip_suffix(b"\r").unwrap_or(&text[at..end]);
        if line.ends_with(b"\\") && end < text.len() {
            at = end + 1;
        } else {
            return end;
        }
    }
}

/// Lines whose value is a command: `value_at` says where in the line the command starts, if
/// it is such a line. A value continued with `\` is one command.
fn keyed_lines(text: &[u8], out: &mut Found<'_>, value_at: impl Fn(&[u8]) -> Option<usize>) {
    let mut skip_to = 0;
    for (start, line) in lines(text) {
        if start < skip_to {
            continue;
        }
        if line.trim_ascii_start().starts_with(b"#") {
            continue;
        }
        if let Some(at) = value_at(line) {
            let from = start + at;
            let end = continued(text, start);
            skip_to = end;
            shell::commands(&text[from..end], Text::script(from), out);
        }
    }
}

/// Makefile recipe lines: those that start with a tab, `@`, `-` and `+` taken off.
fn makefile(text: &[u8], out: &mut Found<'_>) {
    let mut skip_to = 0;
    for (start, line) in lines(text) {
        if start < skip_to || !line.starts_with(b"\t") {
            continue;
        }
        let prefix = 1 + line[1..]
            .iter()
            .take_while(|b| matches!(b, b'@' | b'-' | b'+' | b' ' | b'\t'))
            .count();
        let from = start + prefix;
        let end = continued(text, start);
        skip_to = end;
        let how = Text {
            make: true,
            ..Text::script(from)
        };
        shell::commands(&text[from..end], how, out);
    }
}

/// Cron lines: the command after the schedule (and after the user, in system crontabs).
fn cron(text: &[u8], fields: CronFields, out: &mut Found<'_>) {
    for (start, line) in lines(text) {
        let trimmed = line.trim_ascii_start();
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
            continue;
        }
        // `NAME=value` lines set the environment.
        let name_len = trimmed
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if name_len > 0 && trimmed[name_len..].trim_ascii_start().starts_with(b"=") {
            continue;
        }
        let mut at = line.len() - trimmed.len();
        let skip = |at: &mut usize| {
            *at += line[*at..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            *at += line[*at..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        };
        let schedule = match fields {
            CronFields::Anacron => 3,
            _ if trimmed.starts_with(b"@") => 1,
            _ => 5,
        };
        for _ in 0..schedule {
            skip(&mut at);
        }
        let user = match fields {
            CronFields::User => true,
            CronFields::MaybeUser => {
                let word = line[at..]
                    .split(|b| b.is_ascii_whitespace())
                    .next()
                    .unwrap_or_default();
                CRON_USERS.contains(&word)
            }
            CronFields::NoUser | CronFields::Anacron => false,
        };
        if user {
            skip(&mut at);
        }
        if at < line.len() {
            shell::commands(&line[at..], Text::script(start + at), out);
        }
    }
}

/// fail2ban actions: `actionstart = ...` and its indented continuation lines, each a command.
fn fail2ban(text: &[u8], out: &mut Found<'_>) {
    let mut in_action = false;
    for (start, line) in lines(text) {
        let trimmed = line.trim_ascii_start();
        let indented = trimmed.len() < line.len();
        if trimmed.is_empty() || trimmed.starts_with(b"#") || trimmed.starts_with(b";") {
            if trimmed.is_empty() {
                in_action = false;
            }
            continue;
        }
        if indented && in_action {
            let from = start + (line.len() - trimmed.len());
            shell::commands(trimmed, Text::script(from), out);
            continue;
        }
        in_action = false;
        if indented || !trimmed.starts_with(b"action") {
            continue;
        }
        let Some(eq) = memchr::memchr(b'=', trimmed) else {
            continue;
        };
        let key = trimmed[..eq].trim_ascii();
        if !key.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_') {
            continue;
        }
        in_action = true;
        let value = &trimmed[eq + 1..];
        let from = start + (line.len() - value.len());
        shell::commands(value, Text::script(from), out);
    }
}

/// ferm `@hook pre|post|flush "command";` strings, outside comments.
fn ferm(text: &[u8], out: &mut Found<'_>) {
    for (start, line) in lines(text) {
        // What follows `#` is a comment.
        let code = &line[..memchr::memchr(b'#', line).unwrap_or(line.len())];
        for at in memchr::memmem::find_iter(code, b"@hook") {
            let rest = &code[at + 5..];
            let mut i = 0;
            let skip_space = |i: &mut usize| {
                while rest.get(*i).is_some_and(|b| b.is_ascii_whitespace()) {
                    *i += 1;
                }
            };
            skip_space(&mut i);
            while rest.get(i).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
            }
            skip_space(&mut i);
            let Some(&quote) = rest.get(i).filter(|q| matches!(q, b'"' | b'\'')) else {
                continue;
            };
            let inner = &rest[i + 1..];
            let Some(close) = memchr::memchr(quote, inner) else {
                continue;
            };
            let from = start + at + 5 + i + 1;
            shell::commands(&inner[..close], Text::script(from), out);
        }
    }
}

/// The keys under which YAML holds commands (`contexts::yaml_commands`): a part of a YAML file
/// without any of them holds none.
const YAML_COMMAND_KEYS: &[&[u8]] = &[
    b"shell",
    b"command",
    b"raw",
    b"script",
    b"cron",
    b"runcmd",
    b"bootcmd",
    b"image",
    b"action",
    b"local_action",
];

/// Whether a part of a YAML file may hold commands: it writes one of the keys under which
/// commands are written, as a key (`shell:`, `ansible.builtin.command :`), not inside a word
/// (`description`, `drawing`).
pub fn holds_yaml_commands(part: &[u8]) -> bool {
    YAML_COMMAND_KEYS.iter().any(|k| {
        memchr::memmem::find_iter(part, k).any(|at| {
            let before = at.checked_sub(1).map(|i| part[i]);
            let starts = before.is_none_or(|b| !b.is_ascii_alphanumeric() && b != b'_');
            let after = part[at + k.len()..]
                .iter()
                .find(|b| **b != b' ' && **b != b'\t');
            starts && after == Some(&b':')
        })
    })
}

/// The modules whose value is a command.
const COMMAND_MODULES: &[&str] = &["shell", "command", "raw", "script"];

/// The short name of a module key: `ansible.builtin.apt` is `apt`.
pub fn short(module: &str) -> &str {
    module.rsplit('.').next().unwrap_or(module)
}

/// The commands held in one YAML document.
fn yaml_commands(text: &[u8], doc: &Node, out: &mut Found<'_>) {
    yaml::walk(doc, &mut |node, parent| {
        let Node::Map(entries, _) = node else {
            return;
        };
        let container = node.get("image").is_some();
        if container {
            container_commands(text, node, out);
        }
        // A task's `args:` is read at most once, however many null command keys it has.
        let mut task_args_read = false;
        for (key, value) in entries {
            let Some(key) = key.scalar() else { continue };
            if matches!(key.value.as_str(), "runcmd" | "bootcmd")
                && let Node::Seq(items, _) = value
            {
                for item in items {
                    match item {
                        Node::Scalar(s) => scalar_commands(text, s, false, out),
                        Node::Seq(words, e) => {
                            shell::from_words(strings(words), e.start, e.end, out)
                        }
                        _ => {}
                    }
                }
            }
            // Ansible tasks are the mappings of a list; a container's `command` is not one.
            if container || !matches!(parent, Some(Node::Seq(..))) {
                continue;
            }
            let module = short(&key.value);
            if matches!(key.value.as_str(), "action" | "local_action") {
                // `action: shell apt-get -y upgrade`, `action: { module: command, cmd: ... }`.
                match value {
                    Node::Scalar(s) => {
                        let mut words = s.value.splitn(2, char::is_whitespace);
                        let (name, rest) = (words.next().unwrap_or(""), words.next());
                        if COMMAND_MODULES.contains(&short(name))
                            && let Some(rest) = rest
                        {
                            let how = Text {
                                place: Place::Within(s.extent.start, s.extent.end),
                                ansible: true,
                                ..Text::script(0)
                            };
                            shell::commands(rest.as_bytes(), how, out);
                        }
                    }
                    Node::Map(..) => {
                        let named = value
                            .get("module")
                            .and_then(Node::scalar)
                            .is_some_and(|m| COMMAND_MODULES.contains(&short(&m.value)));
                        if named {
                            command_args(text, value, out);
                        }
                    }
                    _ => {}
                }
            } else if COMMAND_MODULES.contains(&module) {
                match value {
                    Node::Scalar(s) if !value.is_null() => scalar_commands(text, s, true, out),
                    Node::Map(..) => command_args(text, value, out),
                    _ => {
                        if !std::mem::replace(&mut task_args_read, true)
                            && let Some(args) = node.get("args")
                        {
                            command_args(text, args, out);
                        }
                    }
                }
            } else if module == "cron" {
                match value {
                    Node::Map(..) => {
                        if let Some(Node::Scalar(job)) = value.get("job") {
                            scalar_commands(text, job, false, out);
                        }
                    }
                    Node::Scalar(s) => {
                        let job = yaml::key_values(&s.value)
                            .into_iter()
                            .find(|(k, _)| k == "job");
                        if let Some((_, job)) = job {
                            let how = Text {
                                place: Place::Within(s.extent.start, s.extent.end),
                                ..Text::script(0)
                            };
                            shell::commands(job.as_bytes(), how, out);
                        }
                    }
                    _ => {}
                }
            }
        }
    });
}

/// `cmd:` or `argv:` of an Ansible command task's arguments.
fn command_args(text: &[u8], args: &Node, out: &mut Found<'_>) {
    if let Some(Node::Scalar(cmd)) = args.get("cmd") {
        scalar_commands(text, cmd, true, out);
    }
    if let Some(Node::Seq(words, e)) = args.get("argv") {
        shell::from_words(strings(words), e.start, e.end, out);
    }
}

/// A Kubernetes container's `command` and `args`: one command, or the commands of its `sh -c`
/// string.
fn container_commands(text: &[u8], container: &Node, out: &mut Found<'_>) {
    let mut words: Vec<&Node> = Vec::new();
    let mut extent: Option<Extent> = None;
    for key in ["command", "args"] {
        if let Some(Node::Seq(items, e)) = container.get(key) {
            words.extend(items);
            extent = Some(extent.map_or(*e, |x| Extent {
                start: x.start.min(e.start),
                end: x.end.max(e.end),
            }));
        }
    }
    let Some(extent) = extent else { return };
    let values: Vec<&str> = words
        .iter()
        .map(|w| w.scalar().map_or("", |s| s.value.as_str()))
        .collect();
    let shell_name = values
        .first()
        .map(|w| w.rsplit('/').next().unwrap_or(w))
        .is_some_and(|w| matches!(w, "sh" | "bash" | "ash" | "dash" | "zsh"));
    let script_at = values
        .iter()
        .position(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('c'))
        .map(|i| i + 1);
    if shell_name && let Some(Node::Scalar(script)) = script_at.and_then(|i| words.get(i).copied())
    {
        scalar_commands(text, script, false, out);
        return;
    }
    let values = values.into_iter().map(str::to_owned).collect();
    shell::from_words(values, extent.start, extent.end, out);
}

fn strings(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .map(|n| n.scalar().map_or(String::new(), |s| s.value.clone()))
        .collect()
}

/// The commands of a YAML string, lexed where it lies in the file so that each command spans
/// its own bytes: a block scalar's indentation and a quoted string's line folds are spaces to
/// the shell. A string whose bytes cannot be found is lexed as decoded, spanning the string.
fn scalar_commands(text: &[u8], s: &Scalar, ansible: bool, out: &mut Found<'_>) {
    let Extent { start, end } = s.extent;
    let raw = text.get(start..end).unwrap_or_default();
    let region = match s.style {
        ScalarStyle::Plain => Some((start, end, Newline::Space)),
        // A quoted string has YAML escapes (`\"`, `''`, `\n`) that are not the shell's: its
        // decoded value is lexed, every command spanning the string.
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => None,
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let newline = if s.style == ScalarStyle::Literal {
                Newline::Separates
            } else {
                Newline::Space
            };
            // The span may start at the `|`/`>` header or at the content.
            if raw.starts_with(b"|") || raw.starts_with(b">") {
                memchr::memchr(b'\n', raw).map(|nl| (start + nl + 1, end, newline))
            } else {
                Some((start, end, newline))
            }
        }
    };
    let how = |place, newline| Text {
        place,
        newline,
        ansible,
        make: false,
    };
    match region {
        Some((from, to, newline)) if from <= to => {
            shell::commands(&text[from..to], how(Place::At(from), newline), out);
        }
        _ => shell::commands(
            s.value.as_bytes(),
            how(Place::Within(start, end), Newline::Separates),
            out,
        ),
    }
}

/// One Ansible task's use of a module, as the `ansible` matcher sees it.
#[derive(Debug)]
pub struct Task {
    /// The module's short name.
    pub module: String,
    /// The module key (or `action:` key), which a finding underlines.
    pub key: Extent,
    /// The whole task: allows on any of its lines count.
    pub task: Extent,
    /// Named arguments with their scalar values (a list gives several).
    pub args: Vec<(String, Vec<String>)>,
    /// The task's `args:` keyword, shared by every module key of the task (a hostile task may
    /// write thousands of keys that name the module), by name.
    pub shared: std::rc::Rc<std::collections::HashMap<String, Vec<String>>>,
}

impl Task {
    /// The values of argument `name` (`name|pkg`: the first of these aliases the task sets);
    /// an argument the task leaves out is the empty string.
    pub fn values(&self, name: &str) -> Vec<&str> {
        let set = name.split('|').find_map(|alias| {
            let alias = alias.trim();
            self.args
                .iter()
                .find(|(k, _)| k == alias)
                .map(|(_, v)| v)
                .or_else(|| self.shared.get(alias))
        });
        match set {
            Some(values) => values.iter().map(String::as_str).collect(),
            None => vec![""],
        }
    }
}

/// Every task of the YAML documents using a module for which `wanted(short name)` holds.
pub fn tasks(docs: &[Node], wanted: &dyn Fn(&str) -> bool) -> Vec<Task> {
    let mut found = Vec::new();
    for doc in docs {
        yaml::walk(doc, &mut |node, parent| {
            let (Node::Map(entries, task), Some(Node::Seq(..))) = (node, parent) else {
                return;
            };
            // The task's `args:` keyword, read once per task and only for a wanted module (a
            // hostile mapping may repeat a module key many times).
            let extra = std::cell::OnceCell::new();
            let extra = || {
                std::rc::Rc::clone(extra.get_or_init(|| {
                    let pairs = match node.get("args") {
                        Some(Node::Map(entries, _)) => map_args(entries),
                        Some(Node::Scalar(s)) => yaml::key_values(&s.value)
                            .into_iter()
                            .map(|(k, v)| (k, vec![v]))
                            .collect(),
                        _ => Vec::new(),
                    };
                    // The first of a repeated name counts, as in a list.
                    let mut by_name = std::collections::HashMap::new();
                    for (k, v) in pairs {
                        by_name.entry(k).or_insert(v);
                    }
                    std::rc::Rc::new(by_name)
                }))
            };
            for (key, value) in entries {
                let Some(k) = key.scalar() else { continue };
                if k.value == "args" {
                    continue;
                }
                // The module's name first: most keys of most tasks are no wanted module, and
                // reading their arguments would be wasted.
                let module = match k.value.as_str() {
                    "action" | "local_action" => match value {
                        Node::Scalar(s) => s.value.split_whitespace().next().unwrap_or(""),
                        Node::Map(..) => match value.get("module") {
                            Some(Node::Scalar(m)) => m.value.as_str(),
                            _ => continue,
                        },
                        _ => continue,
                    },
                    // A list is data (a Kubernetes container's `command`), not arguments.
                    name if !matches!(value, Node::Seq(..)) => name,
                    _ => continue,
                };
                let module = short(module);
                if !wanted(module) {
                    continue;
                }
                let args = match (k.value.as_str(), value) {
                    ("action" | "local_action", Node::Map(entries, _)) => map_args(entries),
                    _ => module_args(value),
                };
                found.push(Task {
                    module: module.to_owned(),
                    key: k.extent,
                    task: *task,
                    args,
                    shared: extra(),
                });
            }
        });
    }
    found
}

fn module_args(value: &Node) -> Vec<(String, Vec<String>)> {
    match value {
        Node::Map(entries, _) => map_args(entries),
        Node::Scalar(s) if !value.is_null() => yaml::key_values(&s.value)
            .into_iter()
            .map(|(k, v)| (k, vec![v]))
            .collect(),
        _ => Vec::new(),
    }
}

fn map_args(entries: &[(Node, Node)]) -> Vec<(String, Vec<String>)> {
    entries
        .iter()
        .filter_map(|(k, v)| {
            let k = k.scalar()?;
            let values = match v {
                Node::Scalar(s) => vec![s.value.clone()],
                Node::Seq(items, _) => items
                    .iter()
                    .filter_map(|i| i.scalar().map(|s| s.value.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            Some((k.value.clone(), values))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_commands_of(text: &str) -> Vec<(String, usize)> {
        let docs = yaml::parse(text);
        commands(Kind::Yaml, text.as_bytes(), Some(&docs), &|_, _| true)
            .into_iter()
            .map(|c| (c.text, text[..c.start].matches('\n').count() + 1))
            .collect()
    }

    #[test]
    fn kinds_by_name_and_shebang() {
        let k = |p: &str, head: &str| kind(Path::new(p), head.as_bytes());
        assert_eq!(k("roles/x/templates/backup.sh.j2", ""), Kind::Shell);
        assert_eq!(k("bin/patch", "#!/usr/bin/env bash\n"), Kind::Shell);
        assert_eq!(k("bin/patch", "#!/usr/bin/python3\n"), Kind::None);
        assert_eq!(
            k("etc/cron.d/backup", ""),
            Kind::Cron {
                fields: CronFields::User
            }
        );
        assert_eq!(
            k("roles/x/files/crontab", ""),
            Kind::Cron {
                fields: CronFields::MaybeUser
            }
        );
        assert_eq!(k("etc/cloud/cloud.cfg.d/99-upgrade.cfg", ""), Kind::Yaml);
        assert_eq!(k("src/interfaces.py", ""), Kind::None);
        assert_eq!(k("etc/network/interfaces", ""), Kind::Interfaces);
        assert_eq!(k("fail2ban/action.d/x.conf", ""), Kind::Fail2ban);
        assert_eq!(k("Dockerfile", "RUN apt-get upgrade"), Kind::None);
        assert_eq!(k("x/Makefile", ""), Kind::Makefile);
        assert_eq!(k("units/a.service.j2", ""), Kind::Systemd);
        assert_eq!(
            k("templates/firewall.unit.j2", "# x\n[Unit]\n"),
            Kind::Systemd
        );
        assert!(may_hold_commands(Path::new("t/firewall.init.j2")));
        assert!(!may_hold_commands(Path::new("src/main.py")));
    }

    #[test]
    fn cron_fields() {
        let texts = |fields, text: &str| -> Vec<String> {
            commands(Kind::Cron { fields }, text.as_bytes(), None, &|_, _| true)
                .into_iter()
                .map(|c| c.text)
                .collect()
        };
        let line = "0 3 * * * apt-get -y upgrade\n";
        assert_eq!(texts(CronFields::MaybeUser, line), ["apt-get -y upgrade"]);
        assert_eq!(
            texts(CronFields::MaybeUser, "0 3 * * * root apt-get -y upgrade\n"),
            ["apt-get -y upgrade"]
        );
        assert_eq!(
            texts(
                CronFields::Anacron,
                "7 25 weekly.upgrade apt-get -y upgrade\n"
            ),
            ["apt-get -y upgrade"]
        );
    }

    #[test]
    fn ansible_command_tasks_and_cloud_init() {
        let text = "- name: upgrade apt-get upgrade\n  shell: |\n    set -e\n    apt-get -y \\\n      dist-upgrade\n  when: apt-get\n- cron:\n    name: x\n    job: \"apt-get -y upgrade\"\nruncmd:\n  - apt-get upgrade -y\n  - [yum, -y, update]\n";
        // runcmd here is a key of a mapping inside the list: still found.
        let found = yaml_commands_of(text);
        assert!(
            found.contains(&("apt-get -y dist-upgrade".into(), 4)),
            "{found:?}"
        );
        assert!(
            found.contains(&("apt-get -y upgrade".into(), 9)),
            "{found:?}"
        );
        assert!(!found.iter().any(|(t, _)| t.contains("upgrade apt-get")));
    }

    #[test]
    fn action_forms_and_quoted_strings() {
        let text = "- action: shell apt-get -y upgrade chdir=/tmp\n- local_action: { module: command, cmd: yum -y update }\n- shell: \"sh -c \\\"apt-get update && apt-get -y dist-upgrade\\\"\"\n";
        let found: Vec<String> = yaml_commands_of(text).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            found,
            [
                "apt-get -y upgrade",
                "yum -y update",
                "apt-get update",
                "apt-get -y dist-upgrade"
            ]
        );
    }

    #[test]
    fn kubernetes_sh_c() {
        let text = "containers:\n  - name: b\n    image: postgres\n    command: [\"/bin/sh\", \"-c\"]\n    args:\n      - pg_dump -Fc db | gzip > /b/db.gz\n";
        let found = yaml_commands_of(text);
        assert_eq!(
            found,
            [("pg_dump -Fc db".to_owned(), 6), ("gzip".to_owned(), 6)]
        );
    }

    #[test]
    fn tasks_in_every_form() {
        let text = "- ansible.builtin.apt:\n    upgrade: dist\n- apt: upgrade=full update_cache=yes\n- apt: { upgrade: 'yes' }\n- action: apt upgrade=safe\n- name: t\n  apt:\n  args:\n    upgrade: dist\nvars:\n  apt: {upgrade: dist}\n";
        let docs = yaml::parse(text);
        let tasks = tasks(&docs, &|m| m == "apt");
        let upgrades: Vec<Vec<&str>> = tasks.iter().map(|t| t.values("upgrade")).collect();
        assert_eq!(
            upgrades,
            [
                vec!["dist"],
                vec!["full"],
                vec!["yes"],
                vec!["safe"],
                vec!["dist"]
            ]
        );
        assert_eq!(
            &text[tasks[0].key.start..tasks[0].key.end],
            "ansible.builtin.apt"
        );
    }
}
