//! Source files as read from disk and byte spans into them: the one place that turns byte
//! offsets into the 1-based line and column that users see.

use std::sync::Arc;

/// A half-open byte range into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A value with the span it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl Sp<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// 1-based line and column (the column counts characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A file's display path and its text (a leading UTF-8 BOM removed, so that columns on the first
/// line are what an editor shows).
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the current folder where possible, always with `/` separators.
    pub path: String,
    pub text: String,
    /// The file began with a UTF-8 byte order mark, removed from `text`: a fix writes it back.
    pub bom: bool,
    line_starts: Vec<usize>,
    /// Characters before every [`CHECKPOINT`]-th byte (moved back to a character boundary), so
    /// that a column on a long line costs at most one checkpoint's worth of counting: many
    /// findings on one 1 MiB line stay linear.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two character-count checkpoints.
const CHECKPOINT: usize = 4096;

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        let mut text: String = text.into();
        let bom = text.starts_with('\u{feff}');
        if bom {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut checkpoints = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while at + CHECKPOINT < text.len() {
                let mut next = at + CHECKPOINT;
                while !text.is_char_boundary(next) {
                    next -= 1;
                }
                chars += text[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
            checkpoints
        };
        Arc::new(SourceFile {
            path: path.into(),
            text,
            bom,
            line_starts,
            checkpoints,
        })
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        if self.checkpoints.is_empty() {
            return offset;
        }
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, chars) = self.checkpoints[i];
        chars + self.text[at..offset].chars().count()
    }

    /// The 0-based line holding a byte offset (clamped to the text).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// How many lines the text has (a final line end starts no new line to show).
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if n > 1 && self.line_starts[n - 1] == self.text.len() {
            n - 1
        } else {
            n
        }
    }

    /// The byte range of 0-based line `line`, without its line end (LF or CRLF).
    pub fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        if end > start && self.text.as_bytes()[end - 1] == b'\r' && end < self.text.len() {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// Line and column of a byte offset; offsets past the end clamp to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let mut column = self.chars_before(offset) - self.chars_before(start) + 1;
        // A CR of a CRLF line end is not a column anyone wants to be pointed at.
        if self.text[start..offset].ends_with('\r') {
            column -= 1;
        }
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and character column (as YAML parsers report them).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The byte offset of 1-based `line` and 1-based byte `column`, moved back to a character
    /// boundary and clamped to the text.
    pub fn byte_offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let mut at = start
            .saturating_add(column.saturating_sub(1))
            .min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The text of the line holding `offset`, without its line end.
    pub fn line_text(&self, offset: usize) -> &str {
        let (start, end) = self.line_range(self.line_index(offset));
        &self.text[start..end]
    }

    /// `offset` moved back to a character boundary.
    pub fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_lines_from_one() {
        let f = SourceFile::new("a.yaml", "ab\nçd: é\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "çd: " is 5 bytes but 4 characters.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 5 });
        assert_eq!(f.offset_of(2, 5), 8);
        assert_eq!(f.line_text(8), "çd: é");
    }

    #[test]
    fn columns_on_long_non_ascii_lines_use_checkpoints() {
        let line = "é".repeat(10_000) + "x";
        let f = SourceFile::new("a", format!("{line}\n{line}"));
        let x = line.len() - 1;
        assert_eq!(
            f.line_col(x),
            LineCol {
                line: 1,
                column: 10_001
            }
        );
        assert_eq!(
            f.line_col(line.len() + 1 + x),
            LineCol {
                line: 2,
                column: 10_001
            }
        );
        assert_eq!(f.line_range(1), (line.len() + 1, 2 * line.len() + 1));
        assert_eq!(f.line_count(), 2);
    }

    #[test]
    fn bom_is_removed_and_crlf_columns_ignore_the_cr() {
        let f = SourceFile::new("a.yaml", "\u{feff}a: b\r\nc: d\r\n");
        assert_eq!(f.text, "a: b\r\nc: d\r\n");
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 1, column: 5 });
        assert_eq!(f.line_text(0), "a: b");
    }
}
