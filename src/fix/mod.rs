//! Applying fixes (DESIGN section 8): which fixes of a file go together in one round (none
//! overlapping) and the file's new text. Knows nothing of YAML ([`edits`] builds the edits) and
//! does no I/O: the caller reads and writes (`render::diff` prints `--diff`).

pub mod edits;

use crate::diag::{Applicability, Edit, Fix};
use crate::source::Span;

/// Rounds of fixing before `--fix` stops, whatever is left (DESIGN section 8).
pub const MAX_ROUNDS: usize = 10;

/// Which fixes a run applies: safe ones, and unsafe ones with `--unsafe-fixes`.
pub fn wanted(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Whether two edits touch the same text. Two insertions at one point overlap too: their
/// order would be a guess.
fn overlaps(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Chooses fixes for one round: in order of position, each fix whose edits overlap none already
/// chosen. The others wait for the next round, when they are found again if still needed.
/// Returns the indices of the chosen fixes.
pub fn choose(fixes: &[&Fix]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        let r = fixes[i].range().unwrap_or_default();
        (r.start, r.end, i)
    });
    let mut taken: Vec<Span> = Vec::new();
    let mut chosen = Vec::new();
    for i in order {
        let fix = fixes[i];
        if fix.edits.is_empty()
            || fix
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| overlaps(*t, e.span)))
        {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.span));
        chosen.push(i);
    }
    chosen.sort_unstable();
    chosen
}

/// `text` with `edits` applied (non-overlapping; any order). An edit outside the text or off a
/// character boundary is left out: a fix is built from the same text, so that only happens on a
/// bug, and a bug must not corrupt a file.
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut edits: Vec<&Edit> = edits
        .iter()
        .copied()
        .filter(|e| {
            e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        })
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        if edit.span.start < at {
            continue;
        }
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.content);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The bytes to write for a fixed text: the BOM the file had, then the text.
pub fn bytes(text: &str, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    out.extend_from_slice(text.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix::safe(
            "t",
            edits
                .iter()
                .map(|&(s, e, c)| Edit::replace(Span::new(s, e), c))
                .collect(),
        )
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let a = fix(&[(0, 3, "x")]);
        let b = fix(&[(2, 5, "y")]);
        let c = fix(&[(5, 6, "z")]);
        let d = fix(&[(5, 5, "w")]);
        assert_eq!(choose(&[&a, &b, &c]), vec![0, 2]);
        // Two edits starting at one point: only the first goes in this round.
        assert_eq!(choose(&[&d, &c]), vec![0]);
    }

    #[test]
    fn edits_apply_around_untouched_text() {
        let text = "ab\r\ncd # keep\r\n";
        let edits = [Edit::replace(Span::new(0, 2), "xyz"), Edit::insert(4, "- ")];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(apply(text, &refs), "xyz\r\n- cd # keep\r\n");
        assert_eq!(bytes("a", true), b"\xef\xbb\xbfa");
    }

    #[test]
    fn an_edit_off_a_character_boundary_is_left_out() {
        let edits = [Edit::replace(Span::new(1, 2), "x")];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(apply("é", &refs), "é");
    }
}
