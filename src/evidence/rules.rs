//! Evidence rules compiled for scanning: globs into glob sets, and patterns rewritten so that no
//! match can cross a line end (every class loses `\n` and `\r`, as ripgrep does), which lets each
//! pattern run over a whole file at once, with one union per pack as a prefilter that rejects
//! most files in a single pass.

use std::sync::{Arc, OnceLock};

use globset::GlobSet;
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{self, Class, Hir, HirKind};

use crate::checks::pack::REGEX_SIZE_LIMIT;
use crate::model::{Activity, Pack};

use super::literals::{self, Query};
use super::occurrences::Occurrences;

/// The capture group whose text a finding underlines, when a pattern has it.
pub const EVIDENCE_GROUP: &str = "evidence";

/// One evidence rule, ready to run.
pub struct Rule {
    pub activity: usize,
    pub id: String,
    pub description: Option<String>,
    /// Indices of the pack's distinct glob lists: rules often share their lists.
    files: usize,
    exclude: usize,
    pub matcher: Matcher,
}

/// A rule's matcher, compiled. Regexes compile the first time a file needs them: most runs
/// need few of a pack's rules.
pub enum Matcher {
    /// Line-bounded, multi-line: run over a whole file, every match lies within one line.
    /// `group`: the pattern has a group named `evidence`, which is what the finding underlines
    /// (patterns often need a prefix such as `^[^#]*` to skip comments, which is not the
    /// evidence itself).
    Pattern { regex: Lazy, group: bool },
    /// Over each command's text.
    Command(Lazy),
    /// Module short names, and each named argument's regex.
    Ansible {
        modules: Vec<String>,
        args: Vec<(String, Lazy)>,
    },
}

impl Rule {
    /// For a `pattern` rule, calls `each` with every byte range of `text` (a whole file) it
    /// matches, one at a time: a file with a million matches is never held as a list.
    pub fn each_match(
        &self,
        text: &[u8],
        each: &mut dyn FnMut(usize, usize),
    ) -> Result<(), GaveUp> {
        let Matcher::Pattern { regex, group } = &self.matcher else {
            return Ok(());
        };
        let mut groups = None;
        let mut underline = |start: usize, end: usize| -> (usize, usize) {
            if !*group {
                return (start, end);
            }
            let Some(vm) = regex.pikevm() else {
                return (start, end);
            };
            let (cache, caps) =
                groups.get_or_insert_with(|| (vm.create_cache(), vm.create_captures()));
            // The match is known: only its groups are asked for, within it.
            let input = regex_automata::Input::new(text)
                .range(start..end)
                .anchored(regex_automata::Anchored::Yes);
            vm.search(cache, &input, caps);
            caps.get_group_by_name(EVIDENCE_GROUP)
                .or_else(|| caps.get_match().map(|m| m.span()))
                .map_or((start, end), |span| (span.start, span.end))
        };
        let Some(dfa) = regex.dfa() else {
            // No lazy DFA for this pattern (it did not build): the regex crate's engines.
            if let Some(r) = regex.get() {
                for m in r.find_iter(text) {
                    let (s, e) = underline(m.start(), m.end());
                    each(s, e);
                }
            }
            return Ok(());
        };
        let mut cache = dfa.caches.get();
        let mut searcher =
            regex_automata::util::iter::Searcher::new(regex_automata::Input::new(text));
        loop {
            match searcher.try_advance(|input| dfa.re.try_search(&mut cache, input)) {
                Ok(Some(m)) => {
                    let (s, e) = underline(m.start(), m.end());
                    each(s, e);
                }
                Ok(None) => return Ok(()),
                Err(_) => return Err(GaveUp),
            }
        }
    }

    /// The byte ranges a `pattern` rule matches in `text`, as a list (tests and the fuzz
    /// target; the scan uses `each_match`). A search that gives up ends the list.
    pub fn matches(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let _ = self.each_match(text, &mut |s, e| found.push((s, e)));
        found
    }

    /// For a `command` rule, whether it matches one command's text.
    pub fn matches_command(&self, text: &str) -> Result<bool, GaveUp> {
        match &self.matcher {
            Matcher::Command(regex) => regex.is_match(text.as_bytes()),
            _ => Ok(false),
        }
    }

    /// For an `ansible` rule, whether it matches one task: its module is one of the rule's and
    /// every named argument has a value that matches.
    pub fn matches_task(&self, task: &super::contexts::Task) -> Result<bool, GaveUp> {
        let Matcher::Ansible { modules, args } = &self.matcher else {
            return Ok(false);
        };
        if !modules.contains(&task.module) {
            return Ok(false);
        }
        for (name, regex) in args {
            let mut any = false;
            for value in task.values(name) {
                if regex.is_match(value.as_bytes())? {
                    any = true;
                    break;
                }
            }
            if !any {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Every evidence rule of one pack.
pub struct PackRules {
    pub pack: Arc<Pack>,
    pub rules: Vec<Rule>,
    /// Every glob of the pack's rules in one set: a file is matched against them all at once.
    globs: Globs,
    /// The required literals of every rule that has them, in one automaton: a rule none of
    /// whose literals a file holds cannot match it, and is not run.
    literals: Option<Occurrences>,
    /// For each literal of the automaton, the rules whose query names it.
    literal_rules: Vec<Vec<usize>>,
    /// For each literal, whether it is the short name of an `ansible` rule's module: only
    /// those, written as a key, say where a task may be.
    module_names: Vec<bool>,
    /// Per rule, what a text must hold for it to match, over the automaton's literals.
    queries: Vec<Query<usize>>,
    /// Rules without usable literals: they run on every file they cover.
    always: Vec<bool>,
    /// Every `command` rule of the pack in one set, so that each command is searched once
    /// whatever the number of rules (a file may hold hundreds of thousands of commands).
    commands: Option<CommandSet>,
    /// Per rule, for `ansible` rules: the arguments a matching task must write.
    required_args: Vec<Vec<RequiredArg>>,
}

/// The globs of every distinct `files` or `exclude` list of a pack, in one set.
struct Globs {
    set: GlobSet,
    /// For each glob of `set`, the list it is in (what a rule's `files` and `exclude` name).
    list_of: Vec<usize>,
    lists: usize,
}

/// An argument an `ansible` rule cannot match without: its names (aliases), and the literals
/// one of which its value must hold, when its regex has usable ones.
struct RequiredArg {
    /// Each name's searcher, built once: a part is asked about for each of its tasks.
    names: Vec<memchr::memmem::Finder<'static>>,
    values: Option<literals::Literals>,
}

/// Where a file may hold a match: module keys of `ansible` rules (offset, literal) and
/// literals of `command` rules (offset, literal; and the bytes each takes up).
#[derive(Debug, Default)]
pub struct YamlHits {
    pub tasks: Vec<(usize, usize)>,
    pub commands: Vec<(usize, usize)>,
    /// The bytes of each literal of a `command` rule, or of the word that holds it once
    /// joined across quotes (`ap"t-get"`), sorted; and for each, the furthest end so far.
    spans: Vec<(usize, usize)>,
    reach: Vec<usize>,
}

impl YamlHits {
    /// Whether the bytes `start..end` overlap a literal of a `command` rule: a command that
    /// does not cannot match one (its words are bytes of the file, unquoted and unescaped once
    /// or twice, as [`joined_words`] reads them too, and a literal of a `command` rule holds no
    /// white space).
    pub fn command_literal_within(&self, start: usize, end: usize) -> bool {
        let before_end = self.spans.partition_point(|&(s, _)| s < end);
        before_end > 0 && self.reach[before_end - 1] > start
    }

    fn sort(&mut self) {
        self.tasks.sort_unstable();
        self.commands.sort_unstable();
        self.commands.dedup();
        self.spans.sort_unstable();
        self.spans.dedup();
        let mut furthest = 0;
        self.reach = self
            .spans
            .iter()
            .map(|&(_, end)| {
                furthest = furthest.max(end);
                furthest
            })
            .collect();
    }
}

/// Every word of `text` that a reader joins across quotes or backslashes, as it reads it:
/// `pg_du"mp"` and `pg_du\` + line end + `mp` are `pg_dump` to the shell lexer, `"\x70g_dump"`
/// is `pg_dump` in a YAML double-quoted scalar. `each(start, end, word)` gets each such word
/// (with the bytes it takes up) as the shell reads it and, when it holds `\x`, `\u` or `\U`,
/// as YAML does; each of these also without the quotes and backslashes left in it, as a
/// second reading leaves it; it returns false to stop. The literal automaton runs over these too, so
/// quoting inside a word hides no literal from the prefilter. Linear: words never overlap.
pub fn joined_words(text: &[u8], each: &mut dyn FnMut(usize, usize, &[u8]) -> bool) {
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut word = Vec::new();
    let mut stripped = Vec::new();
    let mut next = 0;
    let quote = |b: u8| b == b'"' || b == b'\'';
    while let Some(k) = memchr::memchr3(b'"', b'\'', b'\\', &text[next..]) {
        let at = next + k;
        if quote(text[at]) {
            // Quotes join only what stands right before and after them (`u"f"w`), not a
            // quoted string's ends (`"ufw"`, the common case, skipped here at once).
            let mut before = at;
            while before > next && quote(text[before - 1]) {
                before -= 1;
            }
            let after = text[at..]
                .iter()
                .position(|&b| !quote(b))
                .map_or(text.len(), |n| at + n);
            let joins =
                before > 0 && !space(text[before - 1]) && after < text.len() && !space(text[after]);
            if !joins {
                next = after;
                continue;
            }
        }
        let mut start = at;
        while start > next && !space(text[start - 1]) {
            start -= 1;
        }
        let mut end = at;
        let mut yaml = false;
        while end < text.len() && !space(text[end]) {
            if text[end] == b'\\' {
                yaml |= matches!(text.get(end + 1), Some(b'x' | b'u' | b'U'));
                end = escaped_line_end(text, end).unwrap_or((end + 2).min(text.len()));
                continue;
            }
            end += 1;
        }
        let raw = &text[start..end];
        next = end.max(at + 1);
        for yaml in [false, true].into_iter().take(1 + usize::from(yaml)) {
            unquote(raw, yaml, &mut word);
            if !each(start, end, &word) {
                return;
            }
            // Read twice (a YAML string, then a shell; an `sh -c` string): an escaped quote
            // or backslash is gone after the second reading (`pg_\"dump\"` is `pg_dump`).
            if memchr::memchr3(b'"', b'\'', b'\\', &word).is_some() {
                stripped.clear();
                stripped.extend(word.iter().filter(|b| !matches!(b, b'"' | b'\'' | b'\\')));
                if !each(start, end, &stripped) {
                    return;
                }
            }
        }
    }
}

/// For a backslash at `at` before a line end: where the next line's text starts, its indent
/// skipped (the shell joins the lines; YAML also drops the indent).
fn escaped_line_end(text: &[u8], at: usize) -> Option<usize> {
    let mut q = at + 1;
    if text.get(q) == Some(&b'\r') {
        q += 1;
    }
    if text.get(q) != Some(&b'\n') {
        return None;
    }
    q += 1;
    while q < text.len() && matches!(text[q], b' ' | b'\t') {
        q += 1;
    }
    Some(q)
}

/// `raw` without quotes, with escaped line ends (and the next line's indent) dropped and every
/// other backslash escape taken as the byte it escapes; `yaml`: `\xHH`, `\uHHHH` and
/// `\UHHHHHHHH` decoded as YAML does.
fn unquote(raw: &[u8], yaml: bool, out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'"' | b'\'' => i += 1,
            b'\\' => {
                let digits = match raw.get(i + 1) {
                    Some(b'x') if yaml => 2,
                    Some(b'u') if yaml => 4,
                    Some(b'U') if yaml => 8,
                    _ => 0,
                };
                let code = raw
                    .get(i + 2..i + 2 + digits)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                if let (true, Some(c)) = (digits > 0, code) {
                    let mut utf8 = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                    i += 2 + digits;
                    continue;
                }
                if let Some(next) = escaped_line_end(raw, i) {
                    i = next;
                } else if let Some(&b) = raw.get(i + 1) {
                    out.push(b);
                    i += 2;
                } else {
                    i += 1;
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
}

/// Whether `text[start..end]`, a module name, is written as a key (`apt:`, `apt :`), or as the
/// module of an `action:` line.
fn module_key(text: &[u8], start: usize, end: usize) -> bool {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    // `apt:`, `"apt":`, `apt :`.
    let after = text[end..]
        .iter()
        .position(|b| !blank(b) && *b != b'"' && *b != b'\'')
        .map(|i| text[end + i]);
    if after == Some(b':') {
        return true;
    }
    // `action: apt upgrade=dist`, `action: ansible.builtin.apt ...`, and the map form's
    // `module: apt`: what comes before, past a collection prefix and blanks, is that key. The
    // look back is bounded, so a long line of hits stays linear.
    let from = start.saturating_sub(256);
    let before = &text[from..start];
    let prefix = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'.')
        .count();
    let before = &before[..before.len() - prefix];
    let blanks = before.iter().rev().take_while(|b| blank(b)).count();
    let before = &before[..before.len() - blanks];
    before.ends_with(b"action:") || before.ends_with(b"module:")
}

/// Whether `haystack` holds `needle` (lower-case ASCII), whatever the case: a search for its
/// first byte in either case, then a comparison, never a window per byte.
fn contains_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        haystack,
    )
    .any(|at| {
        haystack
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// The `command` rules of a pack as one multi-pattern lazy DFA, compiled on first use: each
/// command is searched once whatever the number of rules, and the search gives up as a single
/// rule's does.
struct CommandSet {
    /// Index in the set → index in `PackRules::rules`.
    rules: Vec<usize>,
    patterns: Vec<String>,
    dfa: OnceLock<Option<SetSearcher>>,
}

struct SetSearcher {
    dfa: std::sync::Arc<regex_automata::hybrid::dfa::DFA>,
    caches: CachePool<regex_automata::hybrid::dfa::Cache>,
}

impl CommandSet {
    fn get(&self) -> Option<&SetSearcher> {
        self.dfa
            .get_or_init(|| {
                let dfa = regex_automata::hybrid::dfa::Builder::new()
                    .configure(dfa_config().match_kind(regex_automata::MatchKind::All))
                    .syntax(syntax_config())
                    .thompson(thompson_config())
                    .build_many(&self.patterns)
                    .ok()?;
                let dfa = std::sync::Arc::new(dfa);
                let pool_dfa = std::sync::Arc::clone(&dfa);
                let caches: CachePool<_> =
                    regex_automata::util::pool::Pool::new(Box::new(move || {
                        pool_dfa.create_cache()
                    }));
                Some(SetSearcher { dfa, caches })
            })
            .as_ref()
    }
}

/// A regex compiled on first use, from its scanner form. Compiling every rule and union of a
/// pack up front cost about 30 ms a run, most of a small repository's time; a run compiles only
/// what the files it reads need. `None` inside when it does not compile within the limits.
///
/// Searches go through a lazy DFA that gives up, deterministically, when its cache thrashes
/// (input crafted against the pattern): the file is then skipped as too costly, where the regex
/// crate would fall back to an engine whose cost is the pattern's states times the bytes. A
/// user pack of many such rules could otherwise hold a 1 MiB file for many seconds.
pub struct Lazy {
    hir: Hir,
    regex: OnceLock<Option<Regex>>,
    dfa: OnceLock<Option<Searcher>>,
    /// For a pattern's `evidence` group, within a match the lazy DFA found: an NFA alone is
    /// far cheaper to build than the regex crate's engines.
    pikevm: OnceLock<Option<PikeVM>>,
}

type PikeVM = regex_automata::nfa::thompson::pikevm::PikeVM;

/// A lazy DFA with a pool of caches, one per thread at a time: a cache costs an allocation and
/// its first states, which a search per task or per file would pay again each time.
struct Searcher {
    re: std::sync::Arc<HybridRegex>,
    caches: CachePool<regex_automata::hybrid::regex::Cache>,
}

type CachePool<T> = regex_automata::util::pool::Pool<T, Box<dyn Fn() -> T + Send + Sync>>;

/// A search gave up: the file is too costly to search with this pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaveUp;

impl Lazy {
    fn new(hir: Hir) -> Lazy {
        Lazy {
            hir,
            regex: OnceLock::new(),
            dfa: OnceLock::new(),
            pikevm: OnceLock::new(),
        }
    }

    fn pikevm(&self) -> Option<&PikeVM> {
        self.pikevm
            .get_or_init(|| {
                let nfa = regex_automata::nfa::thompson::Compiler::new()
                    .configure(thompson_config())
                    .build_from_hir(&self.hir)
                    .ok()?;
                PikeVM::new_from_nfa(nfa).ok()
            })
            .as_ref()
    }

    fn get(&self) -> Option<&Regex> {
        self.regex.get_or_init(|| build(&self.hir)).as_ref()
    }

    fn dfa(&self) -> Option<&Searcher> {
        self.dfa
            .get_or_init(|| {
                let re = HybridRegex::builder()
                    .syntax(syntax_config())
                    .thompson(thompson_config())
                    .dfa(dfa_config())
                    .build(&self.hir.to_string())
                    .ok()?;
                let re = std::sync::Arc::new(re);
                let pool_re = std::sync::Arc::clone(&re);
                let caches: CachePool<_> =
                    regex_automata::util::pool::Pool::new(Box::new(move || pool_re.create_cache()));
                Some(Searcher { re, caches })
            })
            .as_ref()
    }

    /// Whether the regex matches `text` anywhere.
    fn is_match(&self, text: &[u8]) -> Result<bool, GaveUp> {
        if let Some(dfa) = self.dfa() {
            let mut cache = dfa.caches.get();
            let input = regex_automata::Input::new(text).earliest(true);
            return dfa
                .re
                .try_search(&mut cache, &input)
                .map(|m| m.is_some())
                .map_err(|_| GaveUp);
        }
        Ok(self.get().is_some_and(|r| r.is_match(text)))
    }
}

type HybridRegex = regex_automata::hybrid::regex::Regex;

fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new().utf8(false)
}

fn thompson_config() -> regex_automata::nfa::thompson::Config {
    regex_automata::nfa::thompson::Config::new()
        .utf8(false)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
}

/// The lazy DFA gives up as the regex crate's would before it falls back to a slower engine:
/// after its cache was cleared three times with fewer than ten bytes searched per new state.
fn dfa_config() -> regex_automata::hybrid::dfa::Config {
    regex_automata::hybrid::dfa::Config::new()
        .cache_capacity(2 * REGEX_SIZE_LIMIT)
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10))
}

/// Whether a pattern has the capture group named `name`.
fn has_group(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(cap) => cap.name.as_deref() == Some(name) || has_group(&cap.sub, name),
        HirKind::Repetition(rep) => has_group(&rep.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(|h| has_group(h, name))
        }
        _ => false,
    }
}

/// A regex over one value (a command, an argument): `^`/`$` at its ends, word boundaries judged
/// on ASCII.
fn whole_value(pattern: &str) -> Option<Hir> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    Some(ascii_words(&hir))
}

/// The same expression with Unicode word boundaries judged on ASCII.
fn ascii_words(hir: &Hir) -> Hir {
    rewrite(hir, &|leaf| match leaf.kind() {
        HirKind::Look(look) => Hir::look(ascii_boundary(*look)),
        _ => leaf.clone(),
    })
}

/// `hir` with every leaf (class, literal, look-around, empty) replaced by `leaf(it)`; groups,
/// repetitions, concatenations and alternations kept as they are.
fn rewrite(hir: &Hir, leaf: &dyn Fn(&Hir) -> Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(rewrite(&rep.sub, leaf));
            Hir::repetition(rep)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(rewrite(&cap.sub, leaf));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| rewrite(h, leaf)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|h| rewrite(h, leaf)).collect())
        }
        _ => leaf(hir),
    }
}

/// `pattern` as the scanner runs it: `^`/`$` at line ends (LF or CRLF), no class, literal or
/// `.` able to match a line end, and word boundaries judged on ASCII (a Unicode `\b` sends the
/// regex engine to its slowest path on any non-ASCII file). `None` when it does not parse.
fn line_bounded(pattern: &str) -> Option<Hir> {
    scanner_form(pattern).ok()
}

/// `line_bounded`, with the parser's reason when the pattern does not parse.
pub fn scanner_form(pattern: &str) -> Result<Hir, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .crlf(true)
        // Searches run over bytes: `(?-u)` classes may match any byte.
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    Ok(without_line_ends(&hir))
}

/// Most automaton states one evidence pattern of a user pack may compile to. A search costs at
/// worst about a constant per state per byte (when the lazy DFA gives up, as patterns such as
/// `(?s:.)*a.{60}$` make it do on crafted input): measured here at up to 1.6 ms per state for
/// 1 MiB, so 400 states keep a crafted 1 MiB file around half a second (bench/hostile.sh).
pub const MAX_RULE_STATES: usize = 400;
/// Most automaton states all the evidence patterns of one user pack may add up to.
pub const MAX_PACK_STATES: usize = 16_000;

/// The number of automaton states (Thompson NFA) the scanner's form of a pattern compiles to;
/// `Err` with the reason when it does not compile within the size limit.
pub fn states(hir: &Hir) -> Result<usize, String> {
    use regex_automata::nfa::thompson;
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .shrink(false),
        )
        .build_from_hir(hir)
        .map(|nfa| nfa.states().len())
        .map_err(|e| e.to_string())
}

fn without_line_ends(hir: &Hir) -> Hir {
    rewrite(hir, &|leaf| match leaf.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.difference(&hir::ClassUnicode::new([hir::ClassUnicodeRange::new(
                '\n', '\r',
            )]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.difference(&hir::ClassBytes::new([hir::ClassBytesRange::new(
                b'\n', b'\r',
            )]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Literal(hir::Literal(bytes))
            if bytes.iter().any(|b| (b'\n'..=b'\r').contains(b)) =>
        {
            Hir::fail()
        }
        HirKind::Look(look) => Hir::look(ascii_boundary(*look)),
        _ => leaf.clone(),
    })
}

/// Unicode word boundaries judged on ASCII word characters instead.
fn ascii_boundary(look: hir::Look) -> hir::Look {
    use hir::Look;
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// The same expression with every capture group made non-capturing: a union of patterns may
/// not name a group twice, and the prefilter only asks whether anything matches.
fn uncaptured(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Capture(cap) => uncaptured(&cap.sub),
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(uncaptured(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(uncaptured).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(uncaptured).collect()),
        _ => hir.clone(),
    }
}

fn build(hir: &Hir) -> Option<Regex> {
    RegexBuilder::new(&hir.to_string())
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .ok()
}

/// Whether an `ansible` rule's argument must be written for the rule to match: its regex
/// cannot match the empty value.
fn must_be_written(regex: &Lazy) -> bool {
    regex.hir.properties().minimum_len().is_some_and(|n| n > 0)
}

/// The literals one of which the value of an `ansible` rule's argument must hold, when it
/// must be written and its regex has them.
fn required_values(regex: &Lazy) -> Option<literals::Literals> {
    must_be_written(regex)
        .then(|| literals::required(&uncaptured(&regex.hir)).and_then(literals::unspaced))
        .flatten()
}

/// Below this many files to scan, a pack's literal automaton is an NFA: building the DFA took
/// longer than the scan saved (on a single role: 3 % of the run; on debops the NFA cost 20 %).
const FEW_FILES: usize = 1000;

impl PackRules {
    /// Compiles a validated pack's rules. Validation has already rejected bad globs and
    /// patterns, so a rule that still fails to compile is left out rather than trusted.
    pub fn compile(pack: &Arc<Pack>) -> PackRules {
        Self::compile_for(pack, usize::MAX)
    }

    /// [`PackRules::compile`] for a scan of `files` files: for a few, the literal automaton is
    /// a quick one to build (a contiguous NFA) rather than a DFA, whose build time only pays
    /// off over many files.
    pub fn compile_for(pack: &Arc<Pack>, files: usize) -> PackRules {
        use crate::model::Matcher as M;
        let few_files = files < FEW_FILES;
        let mut rules = Vec::new();
        let mut required: Vec<Query<Vec<u8>>> = Vec::new();
        // Each distinct list of globs once: the built-in rules share a few lists.
        let mut lists: Vec<Vec<globset::Glob>> = Vec::new();
        let mut seen: std::collections::HashMap<Vec<String>, usize> = Default::default();
        let mut globs = |list: &[crate::source::Sp<String>]| -> Option<usize> {
            let key: Vec<String> = list.iter().map(|g| g.value.clone()).collect();
            if let Some(&i) = seen.get(&key) {
                return Some(i);
            }
            let compiled = key
                .iter()
                .map(|g| globset::Glob::new(g).ok())
                .collect::<Option<Vec<_>>>()?;
            lists.push(compiled);
            seen.insert(key, lists.len() - 1);
            Some(lists.len() - 1)
        };
        for (index, activity) in pack.activities.iter().enumerate() {
            for rule in &activity.evidence {
                let (Some(files), Some(exclude)) = (globs(&rule.files), globs(&rule.exclude))
                else {
                    continue;
                };
                let (matcher, lits) = match &rule.matcher {
                    M::Pattern(p) => {
                        let Some(hir) = line_bounded(&p.value) else {
                            continue;
                        };
                        let lits = literals::query(&uncaptured(&hir), false);
                        let group = has_group(&hir, EVIDENCE_GROUP);
                        (
                            Matcher::Pattern {
                                regex: Lazy::new(hir),
                                group,
                            },
                            lits,
                        )
                    }
                    M::Command(p) => {
                        let Some(hir) = whole_value(&p.value) else {
                            continue;
                        };
                        // A command's words are joined by single spaces, and may have been
                        // split over lines or quoted in the file: only the longest run without
                        // white space of each literal is sure to be in the file's bytes.
                        let lits = literals::query(&uncaptured(&hir), true);
                        (Matcher::Command(Lazy::new(hir)), lits)
                    }
                    M::Ansible(a) => {
                        let modules: Vec<String> = a
                            .modules
                            .iter()
                            .map(|m| super::contexts::short(&m.value).to_owned())
                            .collect();
                        let Some(args) = a
                            .args
                            .iter()
                            .map(|(k, v)| Some((k.clone(), Lazy::new(whole_value(&v.value)?))))
                            .collect::<Option<Vec<_>>>()
                        else {
                            continue;
                        };
                        // The module's short name is in every form of the task, and so is one
                        // of the literals that each required argument's value must hold: a
                        // file with `copy:` tasks but no `unattended-upgrades` anywhere is not
                        // read as YAML for a rule that needs both.
                        let module = literals::usable(
                            modules
                                .iter()
                                .map(|m| m.to_ascii_lowercase().into_bytes())
                                .collect(),
                        )
                        .map_or(Query::Any, |set| {
                            Query::or(set.into_iter().map(Query::Lit).collect())
                        });
                        // With no usable module name, the rule needs nothing: its tasks can be
                        // anywhere, and only module names say where tasks are.
                        let lits = if module == Query::Any {
                            Query::Any
                        } else {
                            let values = args.iter().filter_map(|(_, regex)| {
                                let set = required_values(regex)?;
                                Some(Query::or(set.into_iter().map(Query::Lit).collect()))
                            });
                            Query::and(std::iter::once(module).chain(values).collect())
                        };
                        (Matcher::Ansible { modules, args }, lits)
                    }
                };
                required.push(lits);
                rules.push(Rule {
                    activity: index,
                    id: rule.id.value.clone(),
                    description: rule.description.clone(),
                    files,
                    exclude,
                    matcher,
                });
            }
        }
        let mut all: Vec<Vec<u8>> = Vec::new();
        let mut literal_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::with_capacity(rules.len());
        let mut queries = Vec::with_capacity(rules.len());
        for (rule, query) in required.into_iter().enumerate() {
            always.push(query == Query::Any);
            queries.push(query.map(&mut |lit| {
                let i = all.iter().position(|l| *l == lit).unwrap_or_else(|| {
                    all.push(lit);
                    literal_rules.push(Vec::new());
                    all.len() - 1
                });
                if !literal_rules[i].contains(&rule) {
                    literal_rules[i].push(rule);
                }
                i
            }));
        }
        let mut module_names = vec![false; all.len()];
        for rule in &rules {
            if let Matcher::Ansible { modules, .. } = &rule.matcher {
                for m in modules {
                    let m = m.to_ascii_lowercase().into_bytes();
                    if let Some(i) = all.iter().position(|l| *l == m) {
                        module_names[i] = true;
                    }
                }
            }
        }
        let literals = (!all.is_empty())
            .then(|| Occurrences::new(&all, few_files))
            .flatten();
        if literals.is_none() {
            always.iter_mut().for_each(|a| *a = true);
        }
        let mut set_rules = Vec::new();
        let mut patterns = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            if let Matcher::Command(lazy) = &rule.matcher {
                set_rules.push(i);
                patterns.push(lazy.hir.to_string());
            }
        }
        let commands = (!set_rules.is_empty()).then(|| CommandSet {
            rules: set_rules,
            patterns,
            dfa: OnceLock::new(),
        });
        let required_args = rules
            .iter()
            .map(|rule| match &rule.matcher {
                Matcher::Ansible { args, .. } => args
                    .iter()
                    .filter(|(_, regex)| must_be_written(regex))
                    .map(|(name, regex)| RequiredArg {
                        names: name
                            .split('|')
                            .map(|a| memchr::memmem::Finder::new(a.trim()).into_owned())
                            .collect(),
                        values: required_values(regex),
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let mut builder = globset::GlobSetBuilder::new();
        let mut list_of = Vec::new();
        for (i, list) in lists.iter().enumerate() {
            for glob in list {
                builder.add(glob.clone());
                list_of.push(i);
            }
        }
        let globs = Globs {
            // Every glob compiled on its own above: a set of them that still fails (too large
            // a regex) covers nothing rather than everything.
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
            list_of,
            lists: lists.len(),
        };
        PackRules {
            pack: Arc::clone(pack),
            rules,
            globs,
            literals,
            literal_rules,
            module_names,
            queries,
            always,
            commands,
            required_args,
        }
    }

    /// Builds now what is otherwise built by the first file that needs it: the set of the
    /// pack's `command` rules, which every scan thread would wait for.
    pub fn prepare(&self) {
        if let Some(set) = &self.commands {
            set.get();
        }
    }

    pub fn activity(&self, rule: &Rule) -> &Activity {
        &self.pack.activities[rule.activity]
    }

    /// Calls `each(rule, command index)` for every match of the `command` rules among `wanted`
    /// (indices into `rules`), command by command: one search of the pack's set per command,
    /// whatever the number of rules, and nothing held per match.
    pub fn each_command_match(
        &self,
        commands: &[super::shell::Command],
        wanted: &[usize],
        each: &mut dyn FnMut(usize, usize),
    ) -> Result<(), GaveUp> {
        let Some(set) = self.commands.as_ref() else {
            return Ok(());
        };
        if commands.is_empty() || wanted.is_empty() {
            return Ok(());
        }
        let mut want = vec![false; self.rules.len()];
        for &r in wanted {
            want[r] = true;
        }
        let Some(dfa) = set.get() else {
            // A set that does not build: each rule on its own.
            for (c, command) in commands.iter().enumerate() {
                for &r in wanted {
                    if self.rules[r].matches_command(&command.text)? {
                        each(r, c);
                    }
                }
            }
            return Ok(());
        };
        let mut cache = dfa.caches.get();
        let mut matched = regex_automata::PatternSet::new(dfa.dfa.pattern_len());
        for (c, command) in commands.iter().enumerate() {
            matched.clear();
            let input = regex_automata::Input::new(command.text.as_bytes());
            dfa.dfa
                .try_which_overlapping_matches(&mut cache, &input, &mut matched)
                .map_err(|_| GaveUp)?;
            for m in matched.iter() {
                let r = set.rules[m.as_usize()];
                if want[r] {
                    each(r, c);
                }
            }
        }
        Ok(())
    }

    /// The rules among `rules` whose globs take the file at `rel` (relative to the repository
    /// root): each distinct glob list is asked once.
    pub fn covering(&self, rel: &std::path::Path, rules: &[usize]) -> Vec<usize> {
        let candidate = globset::Candidate::new(rel);
        let mut hits = Vec::new();
        self.globs.set.matches_candidate_into(&candidate, &mut hits);
        let mut matched = vec![false; self.globs.lists];
        for hit in hits {
            matched[self.globs.list_of[hit]] = true;
        }
        rules
            .iter()
            .copied()
            .filter(|&r| {
                let rule = &self.rules[r];
                matched[rule.files] && !matched[rule.exclude]
            })
            .collect()
    }

    /// `candidates`, and where in `text` the candidates that read YAML could match, in one
    /// pass of the automaton: for an `ansible` rule its module's name written as a key (`apt:`,
    /// `x.y.apt :`, or after `action:`), with the rule; for a `command` rule any of its
    /// literals. The hits are `None` when a rule that reads YAML has no literals, so that any
    /// place may matter.
    pub fn candidates_and_hits(
        &self,
        text: &[u8],
        rules: &[usize],
    ) -> (Vec<usize>, Option<YamlHits>) {
        let reads_yaml = |r: usize| !matches!(self.rules[r].matcher, Matcher::Pattern { .. });
        if !rules.iter().any(|&r| reads_yaml(r)) {
            return (self.candidates(text, rules), Some(YamlHits::default()));
        }
        let mut taken = vec![false; self.rules.len()];
        for &r in rules {
            taken[r] = true;
        }
        let everywhere = rules.iter().any(|&r| reads_yaml(r) && self.always[r]);
        let mut hits = YamlHits::default();
        let mut seen = vec![false; self.literal_rules.len()];
        if let Some(ac) = &self.literals {
            // A literal at `start` (for a word joined across quotes or escapes: the word's
            // start); `key`: written as a module key, in the text as it is or as joined.
            // `bytes`: what the literal takes up in the file (for a joined word: the word).
            let mut place = |bytes: (usize, usize), lit: usize, key: &dyn Fn() -> bool| {
                let start = bytes.0;
                seen[lit] = true;
                // Each place once, however many rules share its literal.
                let (mut task, mut command) = (false, false);
                for &r in &self.literal_rules[lit] {
                    if !taken[r] {
                        continue;
                    }
                    match self.rules[r].matcher {
                        Matcher::Ansible { .. } => task |= self.module_names[lit],
                        Matcher::Command(_) => command = true,
                        Matcher::Pattern { .. } => {}
                    }
                }
                if task && key() {
                    hits.tasks.push((start, lit));
                }
                if command {
                    hits.commands.push((start, lit));
                    hits.spans.push(bytes);
                }
            };
            ac.each(text, &mut |start, end, lit| {
                place((start, end), lit, &|| module_key(text, start, end));
                false
            });
            joined_words(text, &mut |start, end, word| {
                ac.each(word, &mut |from, to, lit| {
                    place((start, end), lit, &|| module_key(word, from, to));
                    false
                });
                true
            });
        }
        let candidates = rules
            .iter()
            .copied()
            .filter(|&r| self.always[r] || self.queries[r].holds(&|&l| seen[l]))
            .collect();
        // Overlapping matches come in the order they end: sorted by where they start.
        hits.sort();
        (candidates, (!everywhere).then_some(hits))
    }

    /// Whether a part of a YAML file (a task or a play) holding a module key of literal `lit`
    /// writes what one of the `ansible` rules among `rules` with that literal needs to match:
    /// the name (or an alias) of every argument whose regex cannot match the empty string, and
    /// one of the literals each such regex requires.
    pub fn part_may_match(&self, lit: usize, part: &[u8], rules: &[usize]) -> bool {
        self.literal_rules[lit].iter().any(|&r| {
            matches!(self.rules[r].matcher, Matcher::Ansible { .. })
                && rules.contains(&r)
                && self.part_has_args(r, part)
        })
    }

    /// Whether a part of a YAML file holding the literals `lits` of `command` rules (sorted, no
    /// repeats) holds all that one of the `command` rules among `rules` needs: a command is
    /// made of one part's text.
    pub fn part_may_run(&self, lits: &[usize], rules: &[usize]) -> bool {
        rules.iter().any(|&r| {
            matches!(self.rules[r].matcher, Matcher::Command(_))
                && self.queries[r].holds(&|l| lits.binary_search(l).is_ok())
        })
    }

    /// `part_may_match` for the module keys `lits` found in one part, each distinct literal
    /// asked once (a part of 60,000 `apt:` keys asks once, not 60,000 times).
    pub fn part_may_match_any(&self, lits: &mut Vec<usize>, part: &[u8], rules: &[usize]) -> bool {
        lits.sort_unstable();
        lits.dedup();
        lits.iter()
            .any(|&lit| self.part_may_match(lit, part, rules))
    }

    fn part_has_args(&self, rule: usize, part: &[u8]) -> bool {
        // The part's words joined across quotes and escapes, read only when the text as it is
        // lacks something (`name: "unattended-upgr\x61des"`).
        let joined = std::cell::OnceCell::new();
        let words = || {
            joined.get_or_init(|| {
                let mut words: Vec<Vec<u8>> = Vec::new();
                joined_words(part, &mut |_, _, word| {
                    words.push(word.to_vec());
                    true
                });
                words
            })
        };
        let holds = |has: &dyn Fn(&[u8]) -> bool| has(part) || words().iter().any(|w| has(w));
        self.required_args[rule].iter().all(|arg| {
            arg.names.iter().any(|n| holds(&|t| n.find(t).is_some()))
                && arg.values.iter().all(|values| {
                    values
                        .iter()
                        .any(|v| holds(&|t| contains_ignore_ascii_case(t, v)))
                })
        })
    }

    /// The rules among `rules` that may match `text`: those whose required literals it holds
    /// (one pass of the automaton, as ripgrep's literal prefilter), and those without literals.
    pub fn candidates(&self, text: &[u8], rules: &[usize]) -> Vec<usize> {
        let mut wanted: Vec<bool> = vec![false; self.rules.len()];
        let mut open = 0;
        for &r in rules {
            if self.always[r] {
                wanted[r] = true;
            } else {
                open += 1;
            }
        }
        if open > 0
            && let Some(ac) = &self.literals
        {
            let mut seen = vec![false; self.literal_rules.len()];
            // Whether every rule is decided.
            let mut see = |lit: usize| -> bool {
                if !std::mem::replace(&mut seen[lit], true) {
                    // A query only turns true when one of its literals is first seen.
                    for &r in &self.literal_rules[lit] {
                        if !wanted[r] && rules.contains(&r) && self.queries[r].holds(&|&l| seen[l])
                        {
                            wanted[r] = true;
                            open -= 1;
                        }
                    }
                }
                open == 0
            };
            if !ac.each(text, &mut |_, _, lit| see(lit)) {
                joined_words(text, &mut |_, _, word| {
                    !ac.each(word, &mut |_, _, lit| see(lit))
                });
            }
        }
        rules.iter().copied().filter(|&r| wanted[r]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::registry;

    #[test]
    fn builtin_rules_have_literals() {
        let (packs, _) = registry::builtin();
        for pack in packs {
            let rules = PackRules::compile(&Arc::new(pack));
            assert!(!rules.rules.is_empty(), "{}", rules.pack.id());
            let without: Vec<&str> = (0..rules.rules.len())
                .filter(|&r| rules.always[r])
                .map(|r| rules.rules[r].id.as_str())
                .collect();
            // Rule files' `-A` lines have no literal of three bytes; the rule reads only files
            // named as firewall rule files, so it costs little to run on each.
            let expected: &[&str] = if rules.pack.id() == "sysbee" {
                &["firewall-rules-file"]
            } else {
                &[]
            };
            assert_eq!(without, expected, "{}", rules.pack.id());
            let all: Vec<usize> = (0..rules.rules.len()).collect();
            let ids = |text: &[u8]| -> Vec<&str> {
                let found = rules.candidates(text, &all);
                found.iter().map(|&r| rules.rules[r].id.as_str()).collect()
            };
            assert!(ids(b"x\n  sudo apt-get -y dist-upgrade\n").len() > expected.len());
            assert_eq!(ids(b"nothing to see here\n"), expected);
        }
    }

    #[test]
    fn an_ansible_rule_needs_its_module_and_its_arguments_literals() {
        let (packs, _) = registry::builtin();
        let pack = packs.into_iter().find(|p| p.id() == "sysbee").unwrap();
        let rules = PackRules::compile(&Arc::new(pack));
        let config = (0..rules.rules.len())
            .find(|&r| rules.rules[r].id == "ansible-unattended-upgrades-config")
            .unwrap();
        let candidates = |text: &str| rules.candidates_and_hits(text.as_bytes(), &[config]).0;
        // The module alone: no file of `copy:` tasks is read as YAML for this rule.
        assert!(candidates("- copy:\n    src: a\n    dest: /etc/motd\n").is_empty());
        assert_eq!(
            candidates("- copy:\n    src: a\n    dest: /etc/apt/apt.conf.d/20auto-upgrades\n"),
            [config]
        );
        // The argument's literal anywhere in the file, escaped in YAML, or split by quotes.
        assert_eq!(
            candidates(
                "- copy:\n    src: a\n    dest: \"/etc/apt/apt.conf.d/20auto-upgr\\x61des\"\n"
            ),
            [config]
        );
        assert_eq!(
            candidates("x: 20auto-up\"grades\"\n- template: {}\n"),
            [config]
        );
        // The literal without the module: nothing to read either.
        assert!(candidates("dest: /etc/apt/apt.conf.d/20auto-upgrades\n").is_empty());
        // Read twice (YAML, then the free-form arguments): the escaped quotes are gone.
        assert_eq!(
            candidates("- copy: \"src=a dest=/etc/apt/apt.conf.d/20auto-up\\\"grades\\\"\"\n"),
            [config]
        );
    }

    #[test]
    fn an_ansible_rule_without_a_usable_module_name_reads_every_file() {
        let text = "provider: { id: x, name: X }\nactivities:\n  - id: patching\n    title: Patching\n    category: maintenance\n    provider: [R, A]\n    customer: [I]\n    evidence:\n      - id: at-upgrade\n        files: [\"**/*.yml\"]\n        ansible:\n          module: [at]\n          args:\n            command: 'apt-get\\s+upgrade'\n        description: an at job upgrades every package\n";
        let source = crate::source::SourceFile::new("x.yaml", text.to_owned());
        let (pack, findings) = registry::load_one(&source, crate::model::PackOrigin::User);
        let pack = pack.unwrap_or_else(|| panic!("{findings:?}"));
        let rules = PackRules::compile(&Arc::new(pack));
        // `at` is too short to look for: the rule needs nothing, and every place may be a task.
        assert!(rules.always[0]);
        let (candidates, hits) =
            rules.candidates_and_hits(b"- at:\n    command: apt-get upgrade\n", &[0]);
        assert_eq!(candidates, [0]);
        assert!(hits.is_none());
    }

    #[test]
    fn matches_never_cross_a_line_end() {
        let re = build(&line_bounded(r"apt-get\s+upgrade").unwrap()).unwrap();
        assert!(re.is_match(b"apt-get  upgrade\n"));
        assert!(!re.is_match(b"apt-get\nupgrade\n"));
        assert!(!re.is_match(b"apt-get\r\nupgrade\r\n"));
        let anchored = build(&line_bounded(r"^\s*x\s*$").unwrap()).unwrap();
        let found: Vec<(usize, usize)> = anchored
            .find_iter(b"a\r\n  x \r\nb\n")
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(found, [(3, 7)]);
        let dot = build(&line_bounded(r"a.b|a[^z]b").unwrap()).unwrap();
        assert!(!dot.is_match(b"a\nb"));
    }
}
