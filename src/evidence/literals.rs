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
    let mut run: Vec<u8> = Vec::new();
    for sub in subs {
        if let Some(byte) = one_char(sub) {
            run.push(byte);
            continue;
        }
        if let HirKind::Literal(lit) = sub.kind() {
            run.extend(lit.0.to_ascii_lowercase());
            continue;
        }
        if !run.is_empty() {
            consider(vec![std::mem::take(&mut run)]);
        }
        if let Some(set) = walk(sub) {
            consider(set);
        }
    }
    if !run.is_empty() {
        consider(vec![run]);
    }
    best
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
