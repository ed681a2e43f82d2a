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
        HirKind::Concat(subs) => Query::and(
            pieces(subs)
                .into_iter()
                .map(|piece| match piece {
                    Piece::Run(run) => literal(run, words),
                    Piece::Sub(sub) => build(sub, words),
                })
                .collect(),
        ),
        _ => Query::Any,
    }
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
            all.sort();
            all.dedup();
            (all.len() <= MAX_SET).then_some(all)
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
                And(vec![Or(vec![lit("apt-get"), lit("apt")]), lit("upgrade")]),
            ),
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
