//! Excerpts for the human format: the few lines around a finding's labels, long lines cut to a
//! window around the labels, control characters escaped, and the label spans moved into the
//! excerpt. miette then reads a small string per finding instead of the whole file, so
//! rendering stays linear in the findings whatever the file (DESIGN section 9).

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape;
use crate::source::{SourceFile, Span};

/// Lines of context above and below the labels, as miette shows them.
const CONTEXT: usize = 1;
/// A line longer than this (bytes) is cut to a window around its labels.
const MAX_LINE: usize = 240;
/// Bytes of a long line shown before its first label.
const LEAD: usize = 60;
/// A label over more lines than this is shortened to its first line.
const MAX_LABEL_LINES: usize = 8;
/// Secondary labels further than this from the primary one are left out of the excerpt.
const MAX_DISTANCE: usize = 20;

/// A piece of a source file, ready for miette.
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line of the file where the excerpt starts.
    first_line: usize,
    /// The primary label's start in the excerpt, with its real 0-based line and column, so
    /// miette's `[path:line:col]` header shows the file's position, not the excerpt's.
    primary: Option<(usize, usize, usize)>,
}

/// Builds the excerpt of `source` for `spans` (the first is the primary label); returns it with
/// the spans moved into it (`None` for a label left out).
pub fn build(source: &Arc<SourceFile>, spans: &[Span]) -> (Excerpt, Vec<Option<Span>>) {
    let len = source.text.len();
    let clamp = |at: usize| source.floor_char_boundary(at.min(len));
    let mut kept: Vec<Option<Span>> = Vec::with_capacity(spans.len());
    let primary_line = spans.first().map(|s| source.line_index(s.start.min(len)));
    for span in spans {
        let (start, mut end) = (clamp(span.start), clamp(span.end.max(span.start)));
        let first = source.line_index(start);
        if let Some(p) = primary_line
            && first.abs_diff(p) > MAX_DISTANCE
        {
            kept.push(None);
            continue;
        }
        if source.line_index(end).saturating_sub(first) > MAX_LABEL_LINES {
            end = source.line_range(first).1;
        }
        kept.push(Some(Span::new(start, end)));
    }
    let lines = kept.iter().flatten().flat_map(|s| {
        let last = source.line_index(s.end.saturating_sub(usize::from(s.end > s.start)));
        [
            source.line_index(s.start),
            last.max(source.line_index(s.start)),
        ]
    });
    let (lo, hi) = lines.fold((usize::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
    let name = escape::text(&source.path).into_owned();
    if lo == usize::MAX {
        let empty = Excerpt {
            name,
            text: String::new(),
            first_line: 0,
            primary: None,
        };
        return (empty, kept);
    }
    let first_line = lo.saturating_sub(CONTEXT);
    let last_line = (hi + CONTEXT)
        .min(source.line_count().saturating_sub(1))
        .max(hi);

    // Every label end point, resolved line by line into excerpt offsets.
    let mut points: Vec<usize> = kept
        .iter()
        .flatten()
        .flat_map(|s| [s.start, s.end])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut moved: Vec<(usize, usize)> = Vec::with_capacity(points.len());
    let mut text = String::new();
    for line in first_line..=last_line {
        let (start, end) = source.line_range(line);
        let next = if line + 1 < source.line_count() {
            source.line_range(line + 1).0
        } else {
            len
        };
        let on_line: Vec<usize> = points
            .iter()
            .copied()
            .filter(|&p| p >= start && (p < next || (line == last_line && p <= len)))
            .collect();
        let (from, to) = window(source, start, end, &on_line);
        if from > start {
            text.push('…');
        }
        let base = text.len();
        // Points before the window sit at its start; after it, at its end.
        let mut resolve = |p: usize, at: usize| {
            if on_line.contains(&p) && !moved.iter().any(|&(q, _)| q == p) {
                moved.push((p, at));
            }
        };
        for &p in on_line.iter().filter(|&&p| p <= from) {
            resolve(p, base);
        }
        for (i, c) in source.text[from..to].char_indices() {
            let at = from + i;
            if on_line.binary_search(&at).is_ok() {
                resolve(at, text.len());
            }
            if c == '\t' || !escape::is_unsafe(c) {
                text.push(c);
            } else {
                escape::push_escaped(&mut text, c.encode_utf8(&mut [0; 4]));
            }
        }
        for &p in on_line.iter().filter(|&&p| p >= to) {
            resolve(p, text.len());
        }
        if to < end {
            text.push('…');
        }
        if line < last_line {
            text.push('\n');
        }
    }
    let map = |p: usize| {
        moved
            .iter()
            .find(|&&(q, _)| q == p)
            .map_or(text.len(), |&(_, at)| at)
    };
    let moved_spans: Vec<Option<Span>> = kept
        .iter()
        .map(|s| s.map(|s| Span::new(map(s.start), map(s.end))))
        .collect();
    let primary = match (kept.first().copied().flatten(), moved_spans.first()) {
        (Some(real), Some(Some(at))) => {
            let lc = source.line_col(real.start);
            Some((at.start, lc.line - 1, lc.column - 1))
        }
        _ => None,
    };
    let excerpt = Excerpt {
        name,
        text,
        first_line,
        primary,
    };
    (excerpt, moved_spans)
}

/// The part of the line `start..end` to show: all of it when short, else a window that starts
/// a little before the first label point on it.
fn window(source: &SourceFile, start: usize, end: usize, points: &[usize]) -> (usize, usize) {
    if end - start <= MAX_LINE {
        return (start, end);
    }
    let inside: Vec<usize> = points.iter().copied().filter(|&p| p <= end).collect();
    let from = match inside.first() {
        Some(&p) => source.floor_char_boundary(p.saturating_sub(LEAD).max(start)),
        None => start,
    };
    let to = source.floor_char_boundary((from + MAX_LINE).min(end));
    (from, to.max(from))
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let (line, column) = match self.primary {
            Some((at, line, column)) if before == 0 && after == 0 && span.offset() == at => {
                (line, column)
            }
            _ => (inner.line() + self.first_line, inner.column()),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_files_are_shown_whole_around_the_label() {
        let src = SourceFile::new("a.yaml", "one: 1\ntwo: 2\nthree: 3\nfour: 4\n");
        let (ex, spans) = build(&src, &[Span::new(7, 10)]);
        assert_eq!(ex.text, "one: 1\ntwo: 2\nthree: 3");
        assert_eq!(ex.first_line, 0);
        assert_eq!(spans, [Some(Span::new(7, 10))]);
    }

    #[test]
    fn long_lines_are_cut_to_a_window_and_controls_escaped() {
        let line = format!("{}\u{1b}[2JXX{}", "a".repeat(5000), "b".repeat(5000));
        let src = SourceFile::new("x\n::error", format!("top\n{line}\nend\n"));
        let at = 4 + 5000 + 4;
        let (ex, spans) = build(&src, &[Span::new(at, at + 2)]);
        assert!(ex.text.len() < 2 * MAX_LINE, "{}", ex.text.len());
        assert!(!ex.text.contains('\u{1b}'));
        assert_eq!(ex.name, "x\\n::error");
        let span = spans[0].unwrap();
        assert_eq!(&ex.text[span.start..span.end], "XX");
        assert_eq!(ex.primary, Some((span.start, 1, 5004)));
    }
}
