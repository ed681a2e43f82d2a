//! Shell commands out of shell text, one at a time (DESIGN section 4, `command` matcher): a line
//! continued with `\` is one command; `a && b`, `a; b`, `a | b` are several; comments and heredoc
//! bodies are not commands; `sudo`, `env`, `VAR=value` and similar prefixes are taken off, as are
//! redirections; a command that only prints (`echo`, `printf`, `logger`) is left out; `sh -c
//! STRING` counts as the commands of STRING. A small lexer, not a shell: it never evaluates
//! anything and is linear in its input.

/// A command found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// Its words as the shell would pass them, prefixes and redirections left out, joined by
    /// single spaces.
    pub text: String,
    /// The bytes of the file it spans, prefixes included.
    pub start: usize,
    pub end: usize,
}

/// Where the lexed text lies in the file.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// The text is the file's bytes from this offset on: spans are exact.
    At(usize),
    /// The text was decoded from this range (an unquoted string): every command spans it.
    Within(usize, usize),
}

impl Place {
    fn span(self, start: usize, end: usize) -> (usize, usize) {
        match self {
            Place::At(base) => (base + start, base + end),
            Place::Within(s, e) => (s, e),
        }
    }
}

/// How a line end in the text reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Newline {
    /// Ends a command, as in a script.
    Separates,
    /// Is a space: a folded YAML string, a quoted string over several lines.
    Space,
}

/// What the text is for the lexer.
#[derive(Clone, Copy, Debug)]
pub struct Text {
    pub place: Place,
    pub newline: Newline,
    /// An Ansible free-form command: `chdir=`, `creates=` and the like are its options, not
    /// words of the command.
    pub ansible: bool,
    /// A Makefile recipe: `$(VAR)` is a make variable, `$$` a dollar.
    pub make: bool,
}

impl Text {
    pub fn script(at: usize) -> Text {
        Text {
            place: Place::At(at),
            newline: Newline::Separates,
            ansible: false,
            make: false,
        }
    }
}

/// `sh -c` inside `sh -c` inside ...: deeper strings are left alone.
const MAX_DEPTH: u8 = 4;

/// Whether a command spanning these bytes of the file is wanted.
pub type Keep<'k> = dyn Fn(usize, usize) -> bool + 'k;

/// The commands found, and which to build: every command is lexed (quotes and heredocs carry
/// from one to the next), but only those whose bytes `keep` accepts are made into a
/// [`Command`]. The scan keeps those whose bytes hold a literal of a `command` rule: no other
/// can match one, and most commands of a script hold none.
pub struct Found<'k> {
    pub commands: Vec<Command>,
    keep: &'k Keep<'k>,
}

impl<'k> Found<'k> {
    pub fn new(keep: &'k Keep<'k>) -> Found<'k> {
        Found {
            commands: Vec::new(),
            keep,
        }
    }

    /// Every command.
    pub fn all() -> Found<'static> {
        Found::new(&|_, _| true)
    }
}

/// The commands of `text` (bytes of shell), appended to `out`.
pub fn commands(text: &[u8], how: Text, out: &mut Found<'_>) {
    lex(text, how, 0, out);
}

/// One command given as its words (an `argv` list): `sh -c STRING` still counts as the
/// commands of STRING.
pub fn from_words(words: Vec<String>, start: usize, end: usize, out: &mut Found<'_>) {
    let mut lexed = Words::default();
    for text in &words {
        lexed.extend(text.as_bytes(), 0);
        lexed.end_word(0);
    }
    let how = Text {
        place: Place::Within(start, end),
        ..Text::script(0)
    };
    lexed.finish(how, 0, out);
}

/// A word: its text (a range of [`Words::arena`]) and its offsets in the lexed text.
#[derive(Debug)]
struct Word {
    from: usize,
    to: usize,
    start: usize,
    end: usize,
}

/// The words of the command being read, their texts side by side in one buffer that every
/// command of the text reuses: a string for each word (an allocation and a free) was most of
/// the lexer's time.
#[derive(Default)]
struct Words {
    arena: String,
    list: Vec<Word>,
    /// The bytes of the word being read, and where it started; `None` between words.
    current: Vec<u8>,
    started: Option<usize>,
}

impl Words {
    fn push(&mut self, byte: u8, at: usize) {
        self.started.get_or_insert(at);
        self.current.push(byte);
    }

    /// Starts a word at `at` unless one is being read (an empty quoted string is a word), and
    /// adds `bytes` to it.
    fn extend(&mut self, bytes: &[u8], at: usize) {
        self.started.get_or_insert(at);
        self.current.extend_from_slice(bytes);
    }

    fn end_word(&mut self, end: usize) {
        let Some(start) = self.started.take() else {
            return;
        };
        let from = self.arena.len();
        match std::str::from_utf8(&self.current) {
            Ok(text) => self.arena.push_str(text),
            Err(_) => self.arena.push_str(&String::from_utf8_lossy(&self.current)),
        }
        self.current.clear();
        self.list.push(Word {
            from,
            to: self.arena.len(),
            start,
            end,
        });
    }

    /// The command the words make, to `out`; then the words are let go.
    fn finish(&mut self, how: Text, depth: u8, out: &mut Found<'_>) {
        command(&mut self.list, &self.arena, how, depth, out);
        self.list.clear();
        self.arena.clear();
    }
}

fn lex(text: &[u8], how: Text, depth: u8, out: &mut Found<'_>) {
    let mut words = Words::default();
    let mut heredocs: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut i = 0;
    let n = text.len();
    macro_rules! end_word {
        () => {
            words.end_word(i)
        };
    }
    macro_rules! end_command {
        () => {
            end_word!();
            words.finish(how, depth, out);
        };
    }
    while i < n {
        let b = text[i];
        match b {
            b' ' | b'\t' | b'\r' => {
                end_word!();
                i += 1;
            }
            b'\n' => {
                if how.newline == Newline::Space {
                    end_word!();
                    i += 1;
                    continue;
                }
                end_command!();
                i += 1;
                // Heredoc bodies follow the line that opened them: not commands.
                for (delimiter, _) in std::mem::take(&mut heredocs) {
                    i = skip_heredoc(text, i, &delimiter);
                }
            }
            // A template expression is one word, its spaces left out:
            // `/opt/{{ version }}/bin/pg_dump` is a path.
            b'{' if text.get(i + 1) == Some(&b'{') => {
                let close = memchr::memmem::find(&text[i..], b"}}").map_or(n, |c| i + c + 2);
                for &c in &text[i..close] {
                    if !c.is_ascii_whitespace() {
                        words.push(c, i);
                    }
                }
                i = close;
            }
            b'$' if how.make && text.get(i + 1) == Some(&b'$') => {
                words.push(b'$', i);
                i += 2;
            }
            b'$' if how.make && matches!(text.get(i + 1), Some(b'(' | b'{')) => {
                let close = if text[i + 1] == b'(' { b')' } else { b'}' };
                let end = memchr::memchr(close, &text[i..]).map_or(n, |c| i + c + 1);
                for &c in &text[i..end] {
                    words.push(c, i);
                }
                i = end;
            }
            b'#' if words.started.is_none() => {
                i += memchr::memchr(b'\n', &text[i..]).unwrap_or(n - i);
            }
            b'\\' => match text.get(i + 1) {
                Some(b'\n') => i += 2,
                Some(b'\r') if text.get(i + 2) == Some(&b'\n') => i += 3,
                Some(&c) => {
                    words.push(c, i);
                    i += 2;
                }
                None => i += 1,
            },
            b'\'' => {
                let start = i;
                let close = memchr::memchr(b'\'', &text[i + 1..]).map_or(n, |c| i + 1 + c);
                words.extend(&text[i + 1..close], start);
                i = (close + 1).min(n);
            }
            b'"' => {
                words.extend(&[], i);
                i += 1;
                let mut substitutions = true;
                while i < n && text[i] != b'"' {
                    if text[i] == b'\\' && i + 1 < n {
                        let next = text[i + 1];
                        if next == b'\n' {
                            i += 2;
                            continue;
                        }
                        if matches!(next, b'"' | b'\\' | b'$' | b'`') {
                            words.push(next, i);
                            i += 2;
                            continue;
                        }
                    }
                    // `"$(pg_dump db)"`, `"`date`"`: a command substitution inside the quotes
                    // runs its commands; the word keeps its text.
                    // One that does not close ends the look for others in this string, so a
                    // string of `$($($(` costs one scan, not one per `$(`.
                    let inner = if !substitutions {
                        None
                    } else if text[i..].starts_with(b"$(") {
                        let found = substitution_end(text, i + 2).map(|end| (i + 2, end));
                        substitutions = found.is_some();
                        found
                    } else if text[i] == b'`' {
                        let found = memchr::memchr2(b'`', b'"', &text[i + 1..])
                            .filter(|&e| text[i + 1 + e] == b'`')
                            .map(|e| (i + 1, i + 1 + e));
                        substitutions = found.is_some();
                        found
                    } else {
                        None
                    };
                    if let Some((from, to)) = inner {
                        if depth < MAX_DEPTH {
                            let place = match how.place {
                                Place::At(base) => Place::At(base + from),
                                within => within,
                            };
                            let sub = Text { place, ..how };
                            lex(&text[from..to], sub, depth + 1, out);
                        }
                        for (k, &b) in text.iter().enumerate().take((to + 1).min(n)).skip(i) {
                            words.push(b, k);
                        }
                        i = to + 1;
                        continue;
                    }
                    words.push(text[i], i);
                    i += 1;
                }
                i = (i + 1).min(n);
            }
            // A here-string (`<<<`) is a redirection, not a heredoc.
            b'<' if text[i..].starts_with(b"<<<") => {
                end_word!();
                words.extend(b"<<<", i);
                i += 3;
            }
            b'<' if text.get(i + 1) == Some(&b'<') => {
                end_word!();
                let (delimiter, dash, next) = heredoc_delimiter(text, i + 2);
                if !delimiter.is_empty() {
                    heredocs.push((delimiter, dash));
                }
                i = next;
            }
            b'&' if text.get(i + 1) == Some(&b'>') => {
                words.push(b, i);
                i += 1;
            }
            b'&' if words.started.is_some()
                && (words.current.ends_with(b">") || words.current.ends_with(b"<")) =>
            {
                words.push(b, i);
                i += 1;
            }
            b';' | b'&' | b'|' | b'(' | b')' | b'`' => {
                end_command!();
                i += 1;
            }
            _ => {
                // A run of bytes that mean nothing to the lexer, taken at once.
                let run = text[i + 1..]
                    .iter()
                    .position(|&c| SPECIAL[usize::from(c)])
                    .map_or(n, |k| i + 1 + k);
                words.extend(&text[i..run], i);
                i = run;
            }
        }
    }
    end_command!();
}

/// The bytes the lexer's loop looks at; any other byte is part of a word.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let bytes = b" \t\r\n{$#\\'\"<&;|()`";
    let mut k = 0;
    while k < bytes.len() {
        special[bytes[k] as usize] = true;
        k += 1;
    }
    special
};

/// Where the `$(` substitution opened before `from` closes: its matching `)`, nesting counted,
/// not past the closing quote of the string it sits in. `None` when it does not close there.
fn substitution_end(text: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &b) in text.iter().enumerate().skip(from) {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(k),
            b')' => depth -= 1,
            b'"' => return None,
            _ => {}
        }
    }
    None
}

/// After `<<`: the delimiter (quotes taken off), whether it was `<<-`, and where the operator
/// ends.
fn heredoc_delimiter(text: &[u8], mut i: usize) -> (Vec<u8>, bool, usize) {
    let dash = text.get(i) == Some(&b'-');
    if dash {
        i += 1;
    }
    while i < text.len() && matches!(text[i], b' ' | b'\t') {
        i += 1;
    }
    let mut delimiter = Vec::new();
    while i < text.len() {
        match text[i] {
            b'\'' | b'"' | b'\\' => i += 1,
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            c => {
                delimiter.push(c);
                i += 1;
            }
        }
    }
    (delimiter, dash, i)
}

/// The offset just past the line that closes a heredoc started at `i`: its delimiter alone
/// on a line (indentation allowed: the script may sit in an indented YAML block).
fn skip_heredoc(text: &[u8], mut i: usize, delimiter: &[u8]) -> usize {
    while i < text.len() {
        let end = memchr::memchr(b'\n', &text[i..]).map_or(text.len(), |e| i + e);
        let line = text[i..end].trim_ascii();
        i = (end + 1).min(text.len());
        if line == delimiter {
            break;
        }
    }
    i
}

/// Words that start a compound command or only change how the next one runs.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "exec", "nohup",
    "command", "builtin", "fi", "done", "esac",
];

/// Commands that only print their arguments: a command written there is not run.
const PRINTS: &[&str] = &["echo", "printf", "logger", "wall", ":", "true", "false"];

/// Ansible's options of a free-form command.
const ANSIBLE_OPTIONS: &[&str] = &[
    "chdir=",
    "creates=",
    "removes=",
    "executable=",
    "warn=",
    "stdin=",
    "stdin_add_newline=",
    "strip_empty_ends=",
];

/// The command `words` (texts in `arena`) make, to `out`.
fn command(words: &mut Vec<Word>, arena: &str, how: Text, depth: u8, out: &mut Found<'_>) {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return;
    };
    let (start, end) = how.place.span(first.start, last.end);
    // The commands of an `sh -c` string span the same bytes: none is wanted either.
    if !(out.keep)(start, end) {
        return;
    }
    let text = |w: &Word| &arena[w.from..w.to];
    if how.ansible {
        words.retain(|w| !ANSIBLE_OPTIONS.iter().any(|o| text(w).starts_with(o)));
    }
    without_redirections(words, arena);
    let words = without_prefixes(words, arena);
    let Some(name) = words.first() else {
        return;
    };
    let base = basename(text(name));
    if PRINTS.contains(&base) {
        return;
    }
    // `sh -c STRING`, `su [user] -c STRING`, `ssh [options] host STRING...`: the commands of
    // the string, which another shell (or another host) runs.
    let inner: Option<std::borrow::Cow<'_, str>> = match base {
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" => words[1..]
            .iter()
            // Options such as `-e`, `-x` may come first, or with `c` in one word (`-ec`).
            .position(|w| {
                let t = text(w);
                t.starts_with('-') && !t.starts_with("--") && t.contains('c')
            })
            .and_then(|at| words.get(at + 2))
            .map(|w| text(w).into()),
        "su" | "runuser" => words[1..]
            .iter()
            .position(|w| matches!(text(w), "-c" | "--command"))
            .and_then(|at| words.get(at + 2))
            .map(|w| text(w).into()),
        "ssh" => ssh_command(&words[1..], arena).map(Into::into),
        _ => None,
    };
    if let Some(inner) = inner {
        if depth < MAX_DEPTH {
            let how = Text {
                place: Place::Within(start, end),
                ..Text::script(0)
            };
            lex(inner.as_bytes(), how, depth + 1, out);
        }
        return;
    }
    let mut joined = String::with_capacity(words.iter().map(|w| w.to - w.from + 1).sum());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(text(w));
    }
    out.commands.push(Command {
        text: joined,
        start,
        end,
    });
}

/// The remote command of `ssh` arguments: the words after the options and the host.
fn ssh_command(args: &[Word], arena: &str) -> Option<String> {
    const WITH_VALUE: &[u8] = b"BbcDEeFIiJLlmOoPpQRSWw";
    let text = |w: &Word| &arena[w.from..w.to];
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = text(w).as_bytes();
        if t.first() != Some(&b'-') || t.len() < 2 {
            break;
        }
        let last = t[t.len() - 1];
        i += if t.len() == 2 && WITH_VALUE.contains(&last) {
            2
        } else {
            1
        };
    }
    let rest = args.get(i + 1..)?;
    (!rest.is_empty()).then(|| rest.iter().map(text).collect::<Vec<_>>().join(" "))
}

fn basename(word: &str) -> &str {
    // Words are short: a plain loop, not a searcher set up per call.
    match word.bytes().rposition(|b| b == b'/') {
        Some(at) => &word[at + 1..],
        None => word,
    }
}

/// `>file`, `2>&1`, `> file`, `<input`: not words of the command. `<name>` (a fail2ban tag)
/// is a word.
fn without_redirections(words: &mut Vec<Word>, arena: &str) {
    let mut skip_next = false;
    // `retain` visits the words once each, in order.
    words.retain(|w| {
        if skip_next {
            skip_next = false;
            return false;
        }
        let full = &arena[w.from..w.to];
        let t = full.trim_start_matches(|c: char| c.is_ascii_digit());
        let redirection = t.starts_with('>')
            || t.starts_with("&>")
            || (t.starts_with('<') && !is_tag(t))
            || (t.len() < full.len() && t.starts_with(['<', '>']));
        if redirection {
            let operator = t.trim_start_matches(['<', '>', '&', '|']);
            skip_next = operator.is_empty();
        }
        !redirection
    });
}

fn is_tag(t: &str) -> bool {
    t.len() > 2
        && t.ends_with('>')
        && t[1..t.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether a word is `NAME=value`.
fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let name = name.strip_suffix('+').unwrap_or(name);
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The command without what only changes how it runs: keywords, assignments, `sudo`, `env`,
/// `nice`, `ionice`, `timeout`, `stdbuf`, `flock`, with their options.
fn without_prefixes<'w>(words: &'w [Word], arena: &str) -> &'w [Word] {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let t = &arena[w.from..w.to];
        // `$SUDO`, `${SUDO}`, Make's `$(SUDO)`: a variable holding sudo.
        let sudo_variable = matches!(
            t.trim_matches(|c| matches!(c, '$' | '{' | '}' | '(' | ')')),
            "SUDO" | "sudo"
        ) && t.starts_with('$');
        if KEYWORDS.contains(&t) || is_assignment(t) || sudo_variable {
            i += 1;
            continue;
        }
        // Options that take a value as the next word, per prefix command.
        let with_value: &[&str] = match basename(t) {
            "sudo" | "doas" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"],
            "env" => &["-u", "-C", "-S", "--unset", "--chdir"],
            "nice" => &["-n", "--adjustment"],
            "ionice" => &["-c", "-n", "-p", "-P", "-u"],
            "timeout" => &["-k", "-s", "--kill-after", "--signal"],
            "stdbuf" => &["-i", "-o", "-e"],
            "flock" => &["-w", "--timeout", "-E", "-c"],
            _ => return &words[i..],
        };
        let prefix = basename(t);
        i += 1;
        while let Some(w) = words.get(i) {
            let t = &arena[w.from..w.to];
            if t == "--" {
                i += 1;
                break;
            }
            if t.starts_with('-') && t.len() > 1 {
                i += if with_value.contains(&t) { 2 } else { 1 };
            } else if prefix == "env" && is_assignment(t) {
                i += 1;
            } else {
                break;
            }
        }
        // `timeout DURATION cmd`, `flock FILE cmd`: one more word before the command.
        if matches!(prefix, "timeout" | "flock") {
            i += 1;
        }
    }
    &words[words.len()..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<String> {
        let mut out = Found::all();
        commands(script.as_bytes(), Text::script(0), &mut out);
        out.commands.into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn one_command_at_a_time() {
        assert_eq!(
            texts("apt-get update && apt-get -y upgrade; yum update | tee log\n"),
            [
                "apt-get update",
                "apt-get -y upgrade",
                "yum update",
                "tee log"
            ]
        );
        assert_eq!(
            texts(
                "sudo -E env DEBIAN_FRONTEND=noninteractive apt-get \\\n  -y dist-upgrade >/dev/null 2>&1\n"
            ),
            ["apt-get -y dist-upgrade"]
        );
        assert_eq!(
            texts("# apt-get upgrade\n  echo \"apt-get upgrade\"\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            texts("cat <<EOF | mail root\napt-get upgrade\nEOF\nls\n"),
            ["cat", "mail root", "ls"]
        );
        assert_eq!(
            texts("if true; then nice -n 19 ionice -c3 pg_dump -Fc db > x; fi"),
            ["pg_dump -Fc db"]
        );
        assert_eq!(
            texts("sh -c 'apt-get update && apt-get upgrade -y'"),
            ["apt-get update", "apt-get upgrade -y"]
        );
        assert_eq!(texts("x=$(pg_dump db)"), ["pg_dump db"]);
        assert_eq!(texts("$SUDO apt-get -y upgrade"), ["apt-get -y upgrade"]);
        assert_eq!(
            texts("out=\"$(pg_dump db)\" && echo \"`mysqldump x`\""),
            ["pg_dump db", "mysqldump x"]
        );
        assert_eq!(
            texts("su - \"$u\" -c \"pg_dumpall --globals-only\" >> x"),
            ["pg_dumpall --globals-only"]
        );
        assert_eq!(
            texts("n=$(wc -w <<< \"$list\")\npg_dump db\n"),
            ["wc -w", "pg_dump db"]
        );
        assert_eq!(
            texts("ssh -p 22 \"$host\" 'sudo yum -y update' > log"),
            ["yum -y update"]
        );
        assert_eq!(
            texts("/opt/{{ v }}/bin/pg_dump -Fc {{ db.name }}"),
            ["/opt/{{v}}/bin/pg_dump -Fc {{db.name}}"]
        );
        assert_eq!(
            texts("<iptables> -I f2b-<name> 1 -j RETURN"),
            ["<iptables> -I f2b-<name> 1 -j RETURN"]
        );
        assert_eq!(
            texts("apt-get -o Dpkg::Options::=\"--force-confold\" -y upgrade"),
            ["apt-get -o Dpkg::Options::=--force-confold -y upgrade"]
        );
    }

    #[test]
    fn spans_cover_the_command_with_its_prefixes() {
        let script = "set -e\n  sudo apt-get \\\n   upgrade # now\n";
        let mut out = Found::all();
        commands(script.as_bytes(), Text::script(10), &mut out);
        let out = out.commands;
        assert_eq!(out[1].text, "apt-get upgrade");
        let start = script.find("sudo").unwrap();
        let end = script.find(" # now").unwrap();
        assert_eq!((out[1].start, out[1].end), (10 + start, 10 + end));
        // A command whose bytes are not wanted is not built; the others are, where they lie.
        let from_sudo = |from, _| from >= 10 + start;
        let mut near = Found::new(&from_sudo);
        commands(script.as_bytes(), Text::script(10), &mut near);
        assert_eq!(near.commands, out[1..]);
    }

    #[test]
    fn ansible_free_form_options_are_not_words() {
        let mut out = Found::all();
        let how = Text {
            ansible: true,
            ..Text::script(0)
        };
        commands(b"chdir=/tmp apt-get -y upgrade creates=/x", how, &mut out);
        assert_eq!(out.commands[0].text, "apt-get -y upgrade");
    }
}
