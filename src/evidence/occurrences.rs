//! Every occurrence of a pack's literals in a text, ASCII case ignored, overlapping ones
//! included: the automaton that runs over every byte of every file the scan reads.
//!
//! Each byte's next state waits for the state before it (a load from the transition table), so
//! one pass over the text leaves the core idle most of each step. The text is read as two
//! halves at once instead, two independent chains the core runs side by side: the second half
//! starts early by the longest literal's length less one, so that an occurrence across the
//! middle is whole in it, and reports only occurrences that end past the middle.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, dfa, nfa::contiguous};

/// The literals, as one automaton.
pub enum Occurrences {
    /// Quick to search, slower to build: for scans of many files.
    Dfa(dfa::DFA),
    /// Quick to build: for a few files.
    Nfa(contiguous::NFA),
}

impl Occurrences {
    /// `None` when the automaton cannot be built (too large).
    pub fn new(literals: &[Vec<u8>], quick_to_build: bool) -> Option<Occurrences> {
        if quick_to_build {
            contiguous::NFA::builder()
                .ascii_case_insensitive(true)
                .prefilter(false)
                .build(literals)
                .ok()
                .map(Occurrences::Nfa)
        } else {
            dfa::DFA::builder()
                .ascii_case_insensitive(true)
                .prefilter(false)
                .build(literals)
                .ok()
                .map(Occurrences::Dfa)
        }
    }

    /// Calls `each(start, end, literal)` for every occurrence in `text`, in no set order, until
    /// it returns `true`; returns whether it did.
    pub fn each(&self, text: &[u8], each: &mut Each<'_>) -> bool {
        match self {
            Occurrences::Dfa(dfa) => search(dfa, text, each),
            Occurrences::Nfa(nfa) => search(nfa, text, each),
        }
    }
}

/// What is called with each occurrence: its start, its end and the literal's index.
pub type Each<'a> = dyn FnMut(usize, usize, usize) -> bool + 'a;

/// Below this many bytes, one pass: the halves would gain less than they cost to set up.
const HALVES_FROM: usize = 128;

fn search<A: Automaton>(aut: &A, text: &[u8], each: &mut Each<'_>) -> bool {
    let Ok(start) = aut.start_state(Anchored::No) else {
        return false;
    };
    let overlap = aut.max_pattern_len().saturating_sub(1);
    let mid = text.len() / 2;
    if text.len() < HALVES_FROM || overlap >= mid / 2 {
        let mut state = start;
        for (i, &byte) in text.iter().enumerate() {
            state = aut.next_state(Anchored::No, state, byte);
            if aut.is_special(state) && report(aut, state, i + 1, 0, each) {
                return true;
            }
        }
        return false;
    }
    // The second half from `from`: an occurrence that ends past `mid` starts at `from` or
    // after it. The second is the longer: `from <= mid`.
    let from = mid - overlap;
    let (first, second) = (&text[..mid], &text[from..]);
    let (mut a, mut b) = (start, start);
    for (i, (&x, &y)) in first.iter().zip(second).enumerate() {
        a = aut.next_state(Anchored::No, a, x);
        b = aut.next_state(Anchored::No, b, y);
        if aut.is_special(a) && report(aut, a, i + 1, 0, each) {
            return true;
        }
        if aut.is_special(b) && report(aut, b, from + i + 1, mid, each) {
            return true;
        }
    }
    for (i, &y) in second.iter().enumerate().skip(first.len()) {
        b = aut.next_state(Anchored::No, b, y);
        if aut.is_special(b) && report(aut, b, from + i + 1, mid, each) {
            return true;
        }
    }
    false
}

/// The occurrences that end at `end` (in a match state), when `end` is past `after`. Out of
/// the loop: inlined, its registers pushed the state out of one and slowed every byte.
#[cold]
#[inline(never)]
fn report<A: Automaton>(
    aut: &A,
    state: StateID,
    end: usize,
    after: usize,
    each: &mut Each<'_>,
) -> bool {
    if end <= after || !aut.is_match(state) {
        return false;
    }
    (0..aut.match_len(state)).any(|k| {
        let literal = aut.match_pattern(state, k);
        each(end - aut.pattern_len(literal), end, literal.as_usize())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(literals: &[Vec<u8>], text: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut occurrences = Vec::new();
        for quick in [true, false] {
            occurrences.push(Occurrences::new(literals, quick).unwrap());
        }
        let [nfa, dfa] = &occurrences[..] else {
            unreachable!()
        };
        nfa.each(text, &mut |start, end, literal| {
            assert!(text[start..end].eq_ignore_ascii_case(&literals[literal]));
            out.push((start, literal));
            false
        });
        let mut by_dfa = Vec::new();
        dfa.each(text, &mut |start, _, literal| {
            by_dfa.push((start, literal));
            false
        });
        out.sort_unstable();
        by_dfa.sort_unstable();
        assert_eq!(out, by_dfa, "the NFA and the DFA differ");
        out
    }

    fn expected(literals: &[Vec<u8>], text: &[u8]) -> Vec<(usize, usize)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(literals)
            .unwrap();
        let mut out: Vec<(usize, usize)> = ac
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.pattern().as_usize()))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn an_occurrence_across_the_middle_is_found_once() {
        let literals = vec![b"apt-get".to_vec(), b"get".to_vec(), b"t".to_vec()];
        for shift in 0..20 {
            let mut text = vec![b'x'; 200 + shift];
            text[95..102].copy_from_slice(b"APT-GET");
            assert_eq!(found(&literals, &text), expected(&literals, &text));
            assert_eq!(found(&literals, &text).len(), 4, "{shift}");
        }
    }

    #[test]
    fn stops_when_asked() {
        let literals = vec![b"a".to_vec()];
        let occurrences = Occurrences::new(&literals, false).unwrap();
        let mut seen = 0;
        let stopped = occurrences.each(&[b'a'; 1000], &mut |_, _, _| {
            seen += 1;
            seen == 3
        });
        assert!(stopped);
        assert_eq!(seen, 3);
    }

    proptest! {
        #[test]
        fn finds_what_aho_corasick_finds(
            literals in prop::collection::vec(prop::collection::vec(
                prop::sample::select(b"aAb-\n".to_vec()), 1..9), 1..8),
            text in prop::collection::vec(prop::sample::select(b"aAbB- \n".to_vec()), 0..600),
        ) {
            prop_assert_eq!(found(&literals, &text), expected(&literals, &text));
        }
    }
}
