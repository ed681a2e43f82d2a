//! Between raci-lint's terms and the protocol's: byte offsets and LSP positions (UTF-16 or UTF-8
//! code units, as negotiated), file URIs and paths, findings and diagnostics, fixes and
//! workspace edits. Pure functions: no I/O.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use crate::diag::{Finding, Fix, Severity};
use crate::source::{SourceFile, Span};

/// The unit of `Position.character`, as agreed at `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The position of byte `offset` of `source` (clamped, moved back to a character boundary; an
/// offset inside a CRLF is the end of its line). Uses the file's line index and checkpoints, so
/// a diagnostic costs the same whatever the file's size.
pub fn position(source: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let (line, character) = match encoding {
        Encoding::Utf16 => source.lsp_position(offset),
        Encoding::Utf8 => {
            let offset = source.floor_char_boundary(offset.min(source.text.len()));
            let line = source.line_index(offset);
            let (start, end) = source.line_range(line);
            let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            (clamp(line), clamp(offset.min(end) - start))
        }
    };
    Position::new(line, character)
}

/// The byte offset of `pos` in `text`: past the end of a line is its end (before the line end),
/// past the last line is the end of the text; never inside a character.
pub fn offset(text: &str, pos: Position, encoding: Encoding) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = text[line_start..line_end]
        .strip_suffix('\r')
        .unwrap_or(&text[line_start..line_end]);
    let want = pos.character as usize;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= want {
            return line_start + i;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
    }
    line_start + line.len()
}

pub fn range(source: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(source, span.start, encoding),
        position(source, span.end, encoding),
    )
}

/// A `file:` URI's path, percent-decoded; `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    let raw = uri.path().as_str();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex = [it.next()?, it.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(String::from_utf8(bytes).ok()?))
    }
}

/// The `file:` URI of an absolute path, every byte outside the unreserved set and `/`
/// percent-encoded.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy();
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// A finding of the document `source`, as a diagnostic: the primary label's range,
/// the message with its help, the ownership file of an evidence match as related information.
pub fn diagnostic(
    finding: &Finding,
    source: &SourceFile,
    encoding: Encoding,
    cwd: &Path,
) -> Diagnostic {
    let range = finding
        .primary
        .as_ref()
        .map_or_else(Range::default, |l| self::range(source, l.span, encoding));
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|r| {
            let uri = uri_of(&cwd.join(&r.source.path))?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, self::range(&r.source, r.label.span, encoding)),
                message: r.label.text.clone().unwrap_or_default(),
            })
        })
        .collect();
    Diagnostic {
        range,
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_owned())),
        source: Some("raci-lint".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// A fix as text edits of the document `source`.
pub fn edits(fix: &Fix, source: &SourceFile, encoding: Encoding) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|e| TextEdit::new(range(source, e.span, encoding), e.content.clone()))
        .collect()
}

pub fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_or_utf8_units() {
        let text = "a: é😀x\r\nb\n";
        let source = SourceFile::new("raci.yaml", text);
        let x = text.find('x').unwrap();
        assert_eq!(position(&source, x, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(position(&source, x, Encoding::Utf8), Position::new(0, 9));
        // Between the CR and the LF: the end of the line, not a column past it.
        assert_eq!(
            position(&source, x + 2, Encoding::Utf16),
            Position::new(0, 7)
        );
        assert_eq!(offset(text, Position::new(0, 6), Encoding::Utf16), x);
        assert_eq!(offset(text, Position::new(0, 9), Encoding::Utf8), x);
        // Inside a surrogate pair, past a line end, past the text: clamped, never a panic.
        assert_eq!(offset(text, Position::new(0, 5), Encoding::Utf16), x);
        assert_eq!(offset(text, Position::new(0, 99), Encoding::Utf16), x + 1);
        assert_eq!(
            offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            position(&source, text.len() + 5, Encoding::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/work/a b/raci#1.yaml");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///work/a%20b/raci%231.yaml");
        assert_eq!(path_of(&uri).unwrap(), path);
        assert!(path_of(&Uri::from_str("untitled:x").unwrap()).is_none());
    }
}
