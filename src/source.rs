//! Source files as read from disk and byte spans into them: the one place that decodes a file's
//! bytes (UTF-8, BOM) and turns byte offsets into lines and columns, in characters for users and
//! in UTF-16 code units for editors (LSP positions).

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

/// 1-based line and column. The column counts characters in [`SourceFile::line_col`] and UTF-16
/// code units in [`SourceFile::line_col_utf16`], never bytes.
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
    /// Characters and UTF-16 code units before every [`CHECKPOINT`]-th byte (moved back to a
    /// character boundary), so that a column on a long line costs at most one checkpoint's
    /// worth of counting: many findings on one 1 MiB line stay linear. Empty for ASCII text,
    /// where bytes, characters and code units are the same.
    checkpoints: Vec<Checkpoint>,
}

/// Bytes between two checkpoints.
const CHECKPOINT: usize = 4096;

/// Counts at a byte offset on a character boundary.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    at: usize,
    chars: usize,
    utf16: usize,
}

/// Bytes that are not UTF-8: the text decoded lossily (each invalid sequence one U+FFFD),
/// and where the first invalid sequence starts in it.
#[derive(Debug)]
pub struct NotUtf8 {
    /// The lossy text, BOM removed like any other.
    pub source: Arc<SourceFile>,
    /// Byte offset of the first replacement character in `source.text`.
    pub at: usize,
}

impl SourceFile {
    /// A file's text; a leading BOM is removed (and remembered in [`SourceFile::bom`]).
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
            let mut checkpoints = vec![Checkpoint {
                at: 0,
                chars: 0,
                utf16: 0,
            }];
            let mut last = checkpoints[0];
            while last.at + CHECKPOINT < text.len() {
                let mut next = last.at + CHECKPOINT;
                while !text.is_char_boundary(next) {
                    next -= 1;
                }
                for c in text[last.at..next].chars() {
                    last.chars += 1;
                    last.utf16 += c.len_utf16();
                }
                last.at = next;
                checkpoints.push(last);
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

    /// A file's bytes as text: UTF-8 with its BOM removed, or, when the bytes are not UTF-8,
    /// [`NotUtf8`] with the lossy text and the offset of the first invalid sequence in it
    /// (moved with the BOM, so that it points where the text shows it).
    pub fn decode(path: impl Into<String>, bytes: Vec<u8>) -> Result<Arc<SourceFile>, NotUtf8> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(path, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let source = SourceFile::new(path, String::from_utf8_lossy(e.as_bytes()));
                // The bytes before the first invalid one are valid, so they are the same in
                // the lossy text; only the removed BOM moves the offset.
                let bom = if source.bom { '\u{feff}'.len_utf8() } else { 0 };
                Err(NotUtf8 {
                    at: valid.saturating_sub(bom),
                    source,
                })
            }
        }
    }

    /// The checkpoint at or before `offset`, if the text has any.
    fn checkpoint(&self, offset: usize) -> Option<Checkpoint> {
        let i = self.checkpoints.partition_point(|c| c.at <= offset);
        self.checkpoints.get(i.checked_sub(1)?).copied()
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        match self.checkpoint(offset) {
            None => offset,
            Some(c) => c.chars + self.text[c.at..offset].chars().count(),
        }
    }

    /// UTF-16 code units in `text[..offset]` (`offset` on a character boundary).
    fn utf16_before(&self, offset: usize) -> usize {
        match self.checkpoint(offset) {
            None => offset,
            Some(c) => {
                c.utf16
                    + self.text[c.at..offset]
                        .chars()
                        .map(char::len_utf16)
                        .sum::<usize>()
            }
        }
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

    /// Line and column of a byte offset with the column in UTF-16 code units, as editors count
    /// them: both 1-based, like [`SourceFile::line_col`], whose rules it shares (offsets past
    /// the end clamp to the end, the CR of a CRLF is not a column). An astral character (an
    /// emoji) is two units.
    pub fn line_col_utf16(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let mut column = self.utf16_before(offset) - self.utf16_before(start) + 1;
        if self.text[start..offset].ends_with('\r') {
            column -= 1;
        }
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and 1-based UTF-16 column, the inverse of
    /// [`SourceFile::line_col_utf16`]. Never panics: a line past the end is the end of the
    /// text, a column past the line's end is the line's end (before its LF or CRLF), and a
    /// column inside a surrogate pair is the start of its character.
    pub fn offset_of_utf16(&self, line: usize, column: usize) -> usize {
        match line.checked_sub(1) {
            Some(line) => self.offset_in_line_utf16(line, column.saturating_sub(1)),
            None => 0,
        }
    }

    /// The LSP position of a byte offset: 0-based line and 0-based character in UTF-16 code
    /// units (LSP's default encoding). An offset inside a line end (between CR and LF) is the
    /// end of the line; offsets past the text clamp to its end; counts past `u32::MAX`
    /// saturate.
    pub fn lsp_position(&self, offset: usize) -> (u32, u32) {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let (start, end) = self.line_range(line);
        let character = self.utf16_before(offset.min(end)) - self.utf16_before(start);
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (clamp(line), clamp(character))
    }

    /// The byte offset of an LSP position (0-based line, 0-based UTF-16 character), clamped
    /// as LSP says: a character past the line's end is the line's end, a line past the last is
    /// the end of the text. Inside a surrogate pair: the start of its character. Never panics.
    pub fn offset_at_lsp(&self, line: u32, character: u32) -> usize {
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let character = usize::try_from(character).unwrap_or(usize::MAX);
        self.offset_in_line_utf16(line, character)
    }

    /// The byte offset `units` UTF-16 code units into 0-based `line`, clamped to the line's
    /// content; starts counting from the nearest checkpoint, so long lines stay cheap.
    fn offset_in_line_utf16(&self, line: usize, units: usize) -> usize {
        if line >= self.line_starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_range(line);
        if self.checkpoints.is_empty() {
            return start.saturating_add(units).min(end);
        }
        let base = self.utf16_before(start);
        let target = base.saturating_add(units);
        if target >= self.utf16_before(end) {
            return end;
        }
        // The last checkpoint at or before the target, if it lies inside this line.
        let i = self.checkpoints.partition_point(|c| c.utf16 <= target);
        let (mut at, mut count) = (start, base);
        if let Some(c) = i.checked_sub(1).map(|i| self.checkpoints[i])
            && c.at > start
        {
            (at, count) = (c.at, c.utf16);
        }
        for c in self.text[at..end].chars() {
            let n = c.len_utf16();
            if count + n > target {
                break;
            }
            count += n;
            at += c.len_utf8();
        }
        at
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
    fn decode_removes_the_bom_and_points_at_the_first_invalid_byte() {
        let ok = SourceFile::decode("a", b"\xef\xbb\xbfa: b\n".to_vec()).unwrap();
        assert!(ok.bom);
        assert_eq!(ok.text, "a: b\n");
        let bad = SourceFile::decode("a", b"\xef\xbb\xbfa: \xff\xfe\n".to_vec()).unwrap_err();
        assert!(bad.source.bom);
        assert_eq!(bad.source.text, "a: \u{fffd}\u{fffd}\n");
        assert_eq!(bad.at, 3);
        assert!(bad.source.text[bad.at..].starts_with('\u{fffd}'));
        let bad = SourceFile::decode("a", b"ab\xc3".to_vec()).unwrap_err();
        assert!(!bad.source.bom);
        assert_eq!((bad.at, bad.source.text.as_str()), (2, "ab\u{fffd}"));
    }

    #[test]
    fn utf16_columns_count_astral_characters_twice() {
        // "é" is one unit, "😀" two; bytes: é 2, 😀 4.
        let f = SourceFile::new("a", "é😀x\n😀\r\nz");
        let x = "é😀".len();
        assert_eq!(f.line_col(x), LineCol { line: 1, column: 3 });
        assert_eq!(f.line_col_utf16(x), LineCol { line: 1, column: 4 });
        assert_eq!(f.offset_of_utf16(1, 4), x);
        assert_eq!(f.lsp_position(x), (0, 3));
        assert_eq!(f.offset_at_lsp(0, 3), x);
        // Inside the surrogate pair of 😀: the start of the emoji.
        assert_eq!(f.offset_at_lsp(0, 2), "é".len());
        // Past the line's end: the line's end, before its LF or CRLF.
        assert_eq!(f.offset_at_lsp(0, 99), "é😀x".len());
        let line2 = "é😀x\n".len();
        assert_eq!(f.offset_at_lsp(1, 99), line2 + "😀".len());
        assert_eq!(f.offset_of_utf16(2, 99), line2 + "😀".len());
        // The LF of a CRLF is the end of the line, not a column past the CR.
        assert_eq!(f.lsp_position(line2 + "😀\r".len()), (1, 2));
        assert_eq!(
            f.line_col_utf16(line2 + "😀\r".len()),
            LineCol { line: 2, column: 3 }
        );
        // Past the last line, or past the text: its end; line 0 (1-based) is the start.
        assert_eq!(f.offset_at_lsp(7, 0), f.text.len());
        assert_eq!(f.offset_at_lsp(u32::MAX, u32::MAX), f.text.len());
        assert_eq!(f.lsp_position(usize::MAX), (2, 1));
        assert_eq!(f.offset_of_utf16(0, 5), 0);
        // Inside a multi-byte character: moved back to its start.
        assert_eq!(f.lsp_position(1), (0, 0));
    }

    #[test]
    fn utf16_positions_after_a_bom_count_from_the_text() {
        let f = SourceFile::decode("a", b"\xef\xbb\xbf\xf0\x9f\x98\x80: b\r\n".to_vec()).unwrap();
        assert!(f.bom);
        let colon = "😀".len();
        assert_eq!(f.lsp_position(colon), (0, 2));
        assert_eq!(f.offset_at_lsp(0, 2), colon);
        assert_eq!(f.line_col_utf16(colon), LineCol { line: 1, column: 3 });
    }

    #[test]
    fn utf16_positions_on_long_lines_use_checkpoints_and_round_trip() {
        let line = "😀é".repeat(5_000) + "x";
        let f = SourceFile::new("a", format!("{line}\n{line}"));
        let x = line.len() - 1;
        assert_eq!(f.lsp_position(x), (0, 15_000));
        assert_eq!(f.offset_at_lsp(0, 15_000), x);
        let second = line.len() + 1 + x;
        assert_eq!(f.lsp_position(second), (1, 15_000));
        assert_eq!(f.offset_at_lsp(1, 15_000), second);
        assert_eq!(
            f.line_col_utf16(second),
            LineCol {
                line: 2,
                column: 15_001
            }
        );
        assert_eq!(f.offset_of_utf16(2, 15_001), second);
        // Every character boundary of a line round-trips.
        for (i, _) in line.char_indices().step_by(97) {
            let (l, c) = f.lsp_position(line.len() + 1 + i);
            assert_eq!(f.offset_at_lsp(l, c), line.len() + 1 + i);
        }
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
