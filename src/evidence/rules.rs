//! Evidence rules compiled for scanning: globs into glob sets, and patterns rewritten so that no
//! match can cross a line end (every class loses `\n` and `\r`, as ripgrep does), which lets each
//! pattern run over a whole file at once, with one union per pack as a prefilter that rejects
//! most files in a single pass.

use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use globset::GlobSet;
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{self, Class, Hir, HirKind};

use crate::checks::pack::REGEX_SIZE_LIMIT;
use crate::discover;
use crate::model::{Activity, Pack};

use super::literals;

/// The capture group whose text a finding underlines, when a pattern has it.
pub const EVIDENCE_GROUP: &str = "evidence";

/// One evidence rule, ready to run.
pub struct Rule {
    pub activity: usize,
    pub id: String,
    pub description: Option<String>,
    files: GlobSet,
    exclude: GlobSet,
    /// Line-bounded, multi-line: run over a whole file, every match lies within one line.
    /// Compiled the first time a file needs it: most runs need few of a pack's rules.
    regex: Lazy,
    /// The pattern has a group named `evidence`: that group, not the whole match, is what
    /// the finding underlines (patterns often need a prefix such as `^[^#]*` to skip
    /// comments, which is not the evidence itself).
    group: bool,
}

impl Rule {
    /// Whether this rule looks at a file, by its path relative to the scanned root.
    pub fn covers(&self, rel: &std::path::Path) -> bool {
        self.files.is_match(rel) && !self.exclude.is_match(rel)
    }

    /// The byte ranges in `text` (a whole file) that this rule matches, one at a time: a file
    /// with a million matches is never held as a list.
    pub fn matches<'t>(&'t self, text: &'t [u8]) -> Box<dyn Iterator<Item = (usize, usize)> + 't> {
        let Some(regex) = self.regex.get() else {
            return Box::new(std::iter::empty());
        };
        if self.group {
            Box::new(
                regex
                    .captures_iter(text)
                    .filter_map(|c| c.name(EVIDENCE_GROUP).or_else(|| c.get(0)))
                    .map(|m| (m.start(), m.end())),
            )
        } else {
            Box::new(regex.find_iter(text).map(|m| (m.start(), m.end())))
        }
    }
}

/// Every evidence rule of one pack.
pub struct PackRules {
    pub pack: Arc<Pack>,
    pub rules: Vec<Rule>,
    /// The required literals of every rule that has them, in one automaton: a file holding none
    /// of them can only match the residual rules.
    literals: Option<AhoCorasick>,
    /// The union of the rules without usable literals; `None` when every rule has some.
    residual: Option<Lazy>,
    /// All patterns in one regex, groups unnamed: a file it does not match has no evidence.
    prefilter: Option<Lazy>,
}

/// A regex compiled on first use, from its scanner form. Compiling every rule and union of a
/// pack up front cost about 30 ms a run, most of a small repository's time; a run compiles only
/// what the files it reads need. `None` inside when it does not compile within the limits.
struct Lazy {
    hir: Hir,
    regex: OnceLock<Option<Regex>>,
}

impl Lazy {
    fn new(hir: Hir) -> Lazy {
        Lazy {
            hir,
            regex: OnceLock::new(),
        }
    }

    fn get(&self) -> Option<&Regex> {
        self.regex.get_or_init(|| build(&self.hir)).as_ref()
    }
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
    match hir.kind() {
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
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(without_line_ends(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(without_line_ends(&cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_line_ends).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(without_line_ends).collect())
        }
        HirKind::Look(look) => Hir::look(ascii_boundary(*look)),
        _ => hir.clone(),
    }
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

impl PackRules {
    /// Compiles a validated pack's rules. Validation has already rejected bad globs and
    /// patterns, so a rule that still fails to compile is left out rather than trusted.
    pub fn compile(pack: &Arc<Pack>) -> PackRules {
        let mut rules = Vec::new();
        let mut hirs = Vec::new();
        for (index, activity) in pack.activities.iter().enumerate() {
            for rule in &activity.evidence {
                let globs = |list: &[crate::source::Sp<String>]| {
                    let globs: Vec<String> = list.iter().map(|g| g.value.clone()).collect();
                    discover::globset(&globs).ok()
                };
                let Some(hir) = line_bounded(&rule.pattern.value) else {
                    continue;
                };
                let (Some(files), Some(exclude)) = (globs(&rule.files), globs(&rule.exclude))
                else {
                    continue;
                };
                let group = has_group(&hir, EVIDENCE_GROUP);
                hirs.push(uncaptured(&hir));
                rules.push(Rule {
                    activity: index,
                    id: rule.id.value.clone(),
                    description: rule.description.clone(),
                    files,
                    exclude,
                    regex: Lazy::new(hir),
                    group,
                });
            }
        }
        let mut all_literals: Vec<Vec<u8>> = Vec::new();
        let mut residual = Vec::new();
        for hir in &hirs {
            match literals::required(hir) {
                Some(set) => all_literals.extend(set),
                None => residual.push(hir.clone()),
            }
        }
        all_literals.sort();
        all_literals.dedup();
        let literals = (!all_literals.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(all_literals)
                    .ok()
            })
            .flatten();
        let residual = (!residual.is_empty()).then(|| Lazy::new(Hir::alternation(residual)));
        let prefilter = (!hirs.is_empty()).then(|| Lazy::new(Hir::alternation(hirs)));
        PackRules {
            pack: Arc::clone(pack),
            rules,
            literals,
            residual,
            prefilter,
        }
    }

    pub fn activity(&self, rule: &Rule) -> &Activity {
        &self.pack.activities[rule.activity]
    }

    /// Whether the pack has a whole-file prefilter (the union may exceed the size limit; every
    /// rule then runs on every file it covers).
    pub fn has_prefilter(&self) -> bool {
        self.prefilter.as_ref().is_some_and(|p| p.get().is_some()) || self.rules.is_empty()
    }

    /// Whether the pack has a literal prefilter.
    pub fn has_literals(&self) -> bool {
        self.literals.is_some()
    }

    /// False when no line of `text` can match any rule of the pack. The literals come first and
    /// reject most files in one pass; a file they pass goes through the union of the patterns,
    /// one they reject only through the rules that have no literals.
    pub fn may_match(&self, text: &[u8]) -> bool {
        // A union that does not compile (over the size limit) rejects nothing.
        let union = |lazy: &Option<Lazy>, none: bool| match lazy.as_ref() {
            None => none,
            Some(l) => l.get().is_none_or(|r| r.is_match(text)),
        };
        let Some(literals) = &self.literals else {
            return union(&self.prefilter, true);
        };
        if literals.is_match(text) {
            union(&self.prefilter, true)
        } else {
            union(&self.residual, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::registry;

    #[test]
    fn builtin_packs_have_a_prefilter() {
        let (packs, _) = registry::builtin();
        for pack in packs {
            let rules = PackRules::compile(&Arc::new(pack));
            assert!(!rules.rules.is_empty(), "{}", rules.pack.id());
            assert!(rules.has_prefilter(), "{}", rules.pack.id());
            assert!(rules.has_literals(), "{}", rules.pack.id());
            assert!(rules.may_match(b"x\n  sudo apt-get -y dist-upgrade\n"));
            assert!(!rules.may_match(b"nothing to see here\n"));
        }
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
