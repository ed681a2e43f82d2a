//! Required literals: for a pattern, a set of strings one of which must occur in any match. An
//! Aho-Corasick automaton over every rule's set rejects a file before any regex runs, as
//! ripgrep's literal optimisations do. Extraction is conservative: a pattern with no usable set
//! (one that can match without any literal of at least three bytes) disables the prefilter for
//! its pack rather than risk missing evidence.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Literals shorter than this match too often to reject anything.
const MIN_LEN: usize = 3;
/// A set this large is no faster than the regex it stands in front of.
const MAX_SET: usize = 64;

/// A set of literals, lower-cased ASCII (the automaton matches case-insensitively, so a `(?i)`
/// pattern's literals and a case-sensitive one's share one automaton).
pub type Literals = Vec<Vec<u8>>;

/// The required literals of `hir`, if it has a usable set.
pub fn required(hir: &Hir) -> Option<Literals> {
    let set = walk(hir)?;
    (set.iter().all(|l| l.len() >= MIN_LEN) && set.len() <= MAX_SET).then_some(set)
}

/// `set` if it is usable as a prefilter: every literal long enough, not too many.
pub fn usable(set: Literals) -> Option<Literals> {
    (set.iter().all(|l| l.len() >= MIN_LEN) && set.len() <= MAX_SET && !set.is_empty())
        .then_some(set)
}

/// Each literal cut to its longest run without white space (a command's words may be split
/// over lines in the file); `None` when a run is too short to be of use.
pub fn unspaced(set: Literals) -> Option<Literals> {
    let mut cut: Literals = set
        .iter()
        .map(|l| {
            l.split(|b| b.is_ascii_whitespace())
                .max_by_key(|run| run.len())
                .unwrap_or_default()
                .to_vec()
        })
        .collect();
    cut.sort();
    cut.dedup();
    usable(cut)
}

/// What every match of a pattern needs in the text it is found in: literals (lower-cased ASCII,
/// as in [`Literals`]) joined by *and* and *or*, as a concatenation needs each of its parts and an
/// alternation one of its branches. `upgrade-command` needs `apt-get` (or `apt`, `aptitude`)
/// *and* `upgrade` (or ...), where a single set would keep every file naming `apt-get`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query<L> {
    /// Nothing usable is required: any text may match.
    Any,
    Lit(L),
    And(Vec<Query<L>>),
    Or(Vec<Query<L>>),
}

/// A query with more literals than this stands in front of a regex no faster than it: the
/// pattern's single required set is used instead.
const MAX_LEAVES: usize = 256;

impl<L> Query<L> {
    /// Whether a text holding the literals `has` says it holds may match.
    pub fn holds(&self, has: &dyn Fn(&L) -> bool) -> bool {
        match self {
            Query::Any => true,
            Query::Lit(l) => has(l),
            Query::And(all) => all.iter().all(|q| q.holds(has)),
            Query::Or(any) => any.iter().any(|q| q.holds(has)),
        }
    }

    /// Every literal, in order, repeats kept.
    pub fn leaves(&self) -> Vec<&L> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(q) = stack.pop() {
            match q {
                Query::Any => {}
                Query::Lit(l) => out.push(l),
                Query::And(qs) | Query::Or(qs) => stack.extend(qs.iter().rev()),
            }
        }
        out
    }

    /// The same query over other literals.
    pub fn map<M>(self, f: &mut dyn FnMut(L) -> M) -> Query<M> {
        match self {
            Query::Any => Query::Any,
            Query::Lit(l) => Query::Lit(f(l)),
            Query::And(qs) => Query::And(qs.into_iter().map(|q| q.map(f)).collect()),
            Query::Or(qs) => Query::Or(qs.into_iter().map(|q| q.map(f)).collect()),
        }
    }
}

impl<L: PartialEq> Query<L> {
    pub fn and(parts: Vec<Query<L>>) -> Query<L> {
        let mut all = Vec::new();
        for part in parts {
            match part {
                Query::Any => {}
                Query::And(inner) => all.extend(inner),
                other => all.push(other),
            }
        }
        match all.len() {
            0 => Query::Any,
            1 => all.pop().unwrap_or(Query::Any),
            _ => Query::And(all),
        }
    }

    pub fn or(branches: Vec<Query<L>>) -> Query<L> {
        let mut any: Vec<Query<L>> = Vec::new();
        for branch in branches {
            match branch {
                // A branch that needs nothing: the whole needs nothing.
                Query::Any => return Query::Any,
                Query::Or(inner) => any.extend(inner),
                other => {
                    if !any.contains(&other) {
                        any.push(other);
                    }
                }
            }
        }
        match any.len() {
            0 => Query::Any,
            1 => any.pop().unwrap_or(Query::Any),
            _ => Query::Or(any),
        }
    }
}

/// The query of `hir`. `words`: the text a match is found in may have been split at white space
/// (a command's words over continued lines, joined again by the lexer), so each literal needs only
/// its runs without white space.
pub fn query(hir: &Hir, words: bool) -> Query<Vec<u8>> {
    let q = build(hir, words);
    if q.leaves().len() <= MAX_LEAVES {
        return q;
    }
    let set = if words {
        required(hir).and_then(unspaced)
    } else {
        required(hir)
    };
    set.map_or(Query::Any, |set| {
        Query::or(set.into_iter().map(Query::Lit).collect())
    })
}

fn literal(bytes: Vec<u8>, words: bool) -> Query<Vec<u8>> {
    if words {
        Query::and(
            bytes
                .split(|b| b.is_ascii_whitespace())
                .filter(|run| run.len() >= MIN_LEN)
                .map(|run| Query::Lit(run.to_vec()))
                .collect(),
        )
    } else if bytes.len() >= MIN_LEN {
        Query::Lit(bytes)
    } else {
        Query::Any
    }
}

fn build(hir: &Hir, words: bool) -> Query<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(lit) => literal(lit.0.to_ascii_lowercase(), words),
        HirKind::Capture(cap) => build(&cap.sub, words),
        HirKind::Repetition(rep) if rep.min >= 1 => build(&rep.sub, words),
        HirKind::Alternation(subs) => Query::or(subs.iter().map(|s| build(s, words)).collect()),
        HirKind::Concat(subs) => {
            // Adjacent parts that match only a few strings are taken together, as every
            // string they can make: `\$\{?IPT` needs `$ipt` or `${ipt`, not merely `ipt` (in
            // every `description:`), and `ip6?tables` needs `iptables` or `ip6tables`.
            let mut parts = Vec::new();
            let mut strings: Option<Literals> = None;
            for sub in subs {
                match exact(sub) {
                    Some(set) => {
                        strings = Some(match strings.take() {
                            None => set,
                            Some(before) => product(&before, &set).unwrap_or_else(|| {
                                parts.push(one_of(before, words));
                                set
                            }),
                        });
                    }
                    None => {
                        parts.extend(strings.take().map(|set| one_of(set, words)));
                        parts.push(build(sub, words));
                    }
                }
            }
            parts.extend(strings.map(|set| one_of(set, words)));
            Query::and(parts)
        }
        _ => Query::Any,
    }
}

/// At most this many strings in a set that [`exact`] gives.
const MAX_EXACT: usize = 16;

/// Every string `hir` can match, lower-cased, when there are at most [`MAX_EXACT`]: literals,
/// characters of one letter in either case, optional parts, alternations and concatenations
/// of these.
fn exact(hir: &Hir) -> Option<Literals> {
    match hir.kind() {
        HirKind::Empty => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(_) => one_char(hir).map(|b| vec![vec![b]]),
        HirKind::Capture(cap) => exact(&cap.sub),
        HirKind::Repetition(rep) if rep.min == 0 && rep.max == Some(1) => {
            let mut set = exact(&rep.sub)?;
            set.push(Vec::new());
            at_most(set, MAX_EXACT)
        }
        HirKind::Alternation(subs) => {
            let mut set = Vec::new();
            for sub in subs {
                set.extend(exact(sub)?);
            }
            at_most(set, MAX_EXACT)
        }
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(vec![Vec::new()], |set, sub| product(&set, &exact(sub)?)),
        _ => None,
    }
}

/// Each string of `a` followed by each of `b`, when there are at most [`MAX_EXACT`].
fn product(a: &Literals, b: &Literals) -> Option<Literals> {
    if a.len().saturating_mul(b.len()) > MAX_EXACT {
        return None;
    }
    let set = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
        .collect();
    at_most(set, MAX_EXACT)
}

/// `set` sorted, without repeats, when it then holds at most `max` strings.
fn at_most(mut set: Literals, max: usize) -> Option<Literals> {
    set.sort();
    set.dedup();
    (set.len() <= max).then_some(set)
}

/// A match holds one of `set`'s strings. One that holds another of them (with no white space
/// in either) is left out: it is found whenever it could matter.
fn one_of(set: Literals, words: bool) -> Query<Vec<u8>> {
    if set.iter().any(Vec::is_empty) {
        // The parts may match nothing at all.
        return Query::Any;
    }
    let plain = |s: &[u8]| !s.iter().any(u8::is_ascii_whitespace);
    let kept: Vec<&Vec<u8>> = set
        .iter()
        .filter(|s| {
            !plain(s)
                || !set.iter().any(|t| {
                    t.len() < s.len() && plain(t) && s.windows(t.len()).any(|w| w == t.as_slice())
                })
        })
        .collect();
    Query::or(
        kept.into_iter()
            .map(|s| literal(s.clone(), words))
            .collect(),
    )
}

/// One of these must occur in every match of `hir`; `None` when nothing is required.
fn walk(hir: &Hir) -> Option<Literals> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Capture(cap) => walk(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => walk(&rep.sub),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for sub in subs {
                all.extend(walk(sub)?);
            }
            at_most(all, MAX_SET)
        }
        HirKind::Concat(subs) => concat(subs),
        _ => None,
    }
}

/// The best required set of a concatenation: runs of adjacent single characters glued into
/// literals (`(?i)ALTER` is a run of case-folded classes), or the best set of any one part.
fn concat(subs: &[Hir]) -> Option<Literals> {
    let mut best: Option<Literals> = None;
    let mut consider = |set: Literals| {
        let score = |s: &Literals| s.iter().map(Vec::len).min().unwrap_or(0);
        if set.len() <= MAX_SET && best.as_ref().is_none_or(|b| score(&set) > score(b)) {
            best = Some(set);
        }
    };
    for piece in pieces(subs) {
        match piece {
            Piece::Run(run) => consider(vec![run]),
            Piece::Sub(sub) => {
                if let Some(set) = walk(sub) {
                    consider(set);
                }
            }
        }
    }
    best
}

/// A part of a concatenation: a run of adjacent literals and single characters glued into one
/// literal (`(?i)ALTER` is a run of case-folded classes), or any other expression.
enum Piece<'a> {
    Run(Vec<u8>),
    Sub(&'a Hir),
}

fn pieces(subs: &[Hir]) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut run: Vec<u8> = Vec::new();
    for sub in subs {
        if let Some(byte) = one_char(sub) {
            run.push(byte);
        } else if let HirKind::Literal(lit) = sub.kind() {
            run.extend(lit.0.to_ascii_lowercase());
        } else {
            if !run.is_empty() {
                out.push(Piece::Run(std::mem::take(&mut run)));
            }
            out.push(Piece::Sub(sub));
        }
    }
    if !run.is_empty() {
        out.push(Piece::Run(run));
    }
    out
}

/// A class that stands for one ASCII character, or for both cases of one letter (Unicode case
/// folding adds U+017F to `s` and U+212A to `k`; the automaton matches ASCII only, so those
/// spellings are the one thing this prefilter could miss).
fn one_char(hir: &Hir) -> Option<u8> {
    let HirKind::Class(class) = hir.kind() else {
        return None;
    };
    let chars: Vec<u32> = match class {
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
            .take(4)
            .filter(|&c| c != 0x17F && c != 0x212A)
            .collect(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
            .take(3)
            .collect(),
    };
    let ascii = |c: u32| u8::try_from(c).ok().filter(u8::is_ascii);
    match chars.as_slice() {
        [c] => ascii(*c).map(|b| b.to_ascii_lowercase()),
        [a, b] => {
            let (a, b) = (ascii(*a)?, ascii(*b)?);
            a.eq_ignore_ascii_case(&b).then(|| a.to_ascii_lowercase())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::parse(pattern).unwrap();
        required(&hir).map(|s| {
            s.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    fn query_of(pattern: &str, words: bool) -> Query<String> {
        let hir = regex_syntax::parse(pattern).unwrap();
        query(&hir, words).map(&mut |l| String::from_utf8(l).unwrap())
    }

    fn lit(s: &str) -> Query<String> {
        Query::Lit(s.to_owned())
    }

    #[test]
    fn queries_need_every_part_and_one_branch() {
        use Query::{And, Any, Or};
        let cases: &[(&str, bool, Query<String>)] = &[
            (
                r"^(?:apt-get|apt)\s+(?:dist-)?upgrade",
                false,
                // `apt-get` holds `apt`: it is found whenever it could matter.
                And(vec![lit("apt"), lit("upgrade")]),
            ),
            // Parts that match a few strings, taken together.
            (
                r"\$\{?(?:IPT|IP6T|IPTABLES)\}?\s+-A",
                true,
                Or(vec![lit("$ip6t"), lit("$ipt"), lit("${ip6t"), lit("${ipt")]),
            ),
            (
                r"ip6?tables",
                false,
                Or(vec![lit("ip6tables"), lit("iptables")]),
            ),
            (r"(?i)apt(?:-get)?\s", false, lit("apt")),
            // A class of two letters is no one string; an optional tail may be absent.
            (r"xyz[bc]d?", false, lit("xyz")),
            (
                r"ufw\s+(?:allow|deny)|nft\s+-f",
                false,
                Or(vec![
                    And(vec![lit("ufw"), Or(vec![lit("allow"), lit("deny")])]),
                    lit("nft"),
                ]),
            ),
            // A command's literal with a space: each word on its own.
            (
                r"apt-get upgrade",
                true,
                And(vec![lit("apt-get"), lit("upgrade")]),
            ),
            (r"apt-get upgrade", false, lit("apt-get upgrade")),
            // A branch that needs nothing, a repetition that may be absent, a short literal.
            (r"(?:ufw\s+allow|\s+)", false, Any),
            (r"x?(?:upgrade)?", false, Any),
            (r"(?i)alter\s+ab", false, lit("alter")),
        ];
        for (pattern, words, want) in cases {
            assert_eq!(&query_of(pattern, *words), want, "{pattern}");
        }
        let q = query_of(r"ufw\s+(?:allow|deny)", false);
        assert!(q.holds(&|l| l == "ufw" || l == "deny"));
        assert!(!q.holds(&|l| l == "ufw"));
    }

    /// Small patterns of literals, optional parts, alternations, classes and repetitions over
    /// a few characters, so that random texts often match them.
    fn pattern() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            prop::sample::select(vec![
                "a", "b", "B", "ab", "ba", "aab", "abba", "\\$", "\\{", "[aA]", "[ab]", "\\s", " ",
                "ab ba"
            ])
            .prop_map(str::to_owned),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                4 => prop::collection::vec(inner.clone(), 2..5).prop_map(|v| v.concat()),
                3 => prop::collection::vec(inner.clone(), 2..4)
                    .prop_map(|v| format!("(?:{})", v.join("|"))),
                3 => inner.clone().prop_map(|p| format!("(?:{p})?")),
                1 => inner.clone().prop_map(|p| format!("(?:{p})+")),
                1 => inner.prop_map(|p| format!("(?:{p})*")),
            ]
        })
    }

    /// A string `hir` matches, each choice (a branch, a count, a character) taken from
    /// `choices` in turn.
    fn sample(hir: &Hir, choices: &mut impl Iterator<Item = usize>, out: &mut String) {
        let mut pick = |n: usize| choices.next().unwrap_or(0) % n.max(1);
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => out.push_str(std::str::from_utf8(&lit.0).unwrap()),
            HirKind::Class(Class::Unicode(c)) => {
                let r = &c.ranges()[pick(c.ranges().len())];
                let span = u32::from(r.end()) - u32::from(r.start()) + 1;
                let at = u32::from(r.start()) + u32::try_from(pick(span as usize)).unwrap();
                out.push(char::from_u32(at).unwrap_or(r.start()));
            }
            HirKind::Class(Class::Bytes(c)) => out.push(char::from(c.ranges()[0].start())),
            HirKind::Capture(cap) => sample(&cap.sub, choices, out),
            HirKind::Repetition(rep) => {
                let extra = pick(3) as u32;
                let count = rep
                    .max
                    .map_or(rep.min + extra, |max| (rep.min + extra).min(max));
                for _ in 0..count {
                    sample(&rep.sub, choices, out);
                }
            }
            HirKind::Alternation(subs) => {
                let branch = pick(subs.len());
                sample(&subs[branch], choices, out);
            }
            HirKind::Concat(subs) => subs.iter().for_each(|s| sample(s, choices, out)),
        }
    }

    proptest::proptest! {
        /// Whatever a pattern matches holds what its query asks for.
        #[test]
        fn a_match_holds_what_the_query_asks(
            pattern in pattern(),
            case_insensitive in proptest::bool::ANY,
            words in proptest::bool::ANY,
            choices in proptest::collection::vec(proptest::num::usize::ANY, 0..64),
            around in "[ab ]{0,4}",
        ) {
            let pattern = if case_insensitive { format!("(?i){pattern}") } else { pattern };
            let hir = regex_syntax::parse(&pattern).unwrap();
            let q = query(&hir, words);
            let mut text = around.clone();
            sample(&hir, &mut choices.into_iter(), &mut text);
            text.push_str(&around);
            let lower = text.to_ascii_lowercase();
            proptest::prop_assert!(
                q.holds(&|l| lower.as_bytes().windows(l.len()).any(|w| w == l.as_slice())),
                "{pattern} matches {text:?} without {q:?}"
            );
        }
    }

    #[test]
    fn required_literals() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            (r"^\s*apt-get\s+upgrade", Some(&["apt-get"])),
            (r"(?i)^\s*alter\s+system\s+set", Some(&["system"])),
            (
                r"(?:pg_dump|mysqldump|mongodump)\b",
                Some(&["mongodump", "mysqldump", "pg_dump"]),
            ),
            (r"^[^#]*?(?P<evidence>\bufw\s+allow)", Some(&["allow"])),
            (r"(?:yum|dnf)\s+update", Some(&["update"])),
            (r"\s+", None),
            (r"(?:ab|cde)", None),
            (r"x?(?:upgrade)?", None),
        ];
        for (pattern, want) in cases {
            let want = want.map(|w| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
            assert_eq!(lits(pattern), want, "{pattern}");
        }
    }
}
