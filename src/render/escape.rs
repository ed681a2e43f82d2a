//! Escaping of untrusted text (file names, YAML values, matched lines) before it reaches a
//! terminal or a CI log (DESIGN section 9): no control character is written raw, so no file
//! can start a GitHub workflow command, a terminal escape sequence or a line of its own.

use std::borrow::Cow;

/// Characters never written raw: C0 and C1 controls, DEL, the bidirectional marks, overrides
/// and isolates that reorder what a reader sees ("Trojan Source"), the Unicode line and
/// paragraph separators, and the noncharacters U+FFFE and U+FFFF (which XML forbids).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{fffe}'
                | '\u{ffff}'
        )
}

/// Text for a text format: every unsafe character as Rust's `escape_debug` writes it (`\n`,
/// `\u{1b}`); everything else as it is.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    Cow::Owned(out)
}

/// Appends `s` to `out`, escaped as [`text`] does.
pub fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        if is_unsafe(c) {
            // `escape_debug` leaves some of these (the bidi controls) as they are.
            match c {
                '\n' | '\r' | '\t' => out.extend(c.escape_debug()),
                _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            }
        } else {
            out.push(c);
        }
    }
}

/// JSON text (serde_json's output) with the unsafe characters serde_json leaves raw (DEL, C1
/// controls, bidi controls) written as `\uXXXX` escapes. They can only stand inside strings, so
/// the document means the same.
pub fn json(s: String) -> String {
    // serde_json already escaped the C0 controls inside strings; outside them, the line breaks
    // of pretty printing are its own.
    let raw = |c: char| is_unsafe(c) && !matches!(c, '\0'..='\u{1f}');
    if !s.chars().any(raw) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A whole document an authoring command writes (a table, Markdown, CSV, HTML, YAML, JSON):
/// JSON through [`json`]; any other text with every unsafe character but its line breaks and
/// tabs escaped as [`text`] does.
pub fn document(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t';
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    if s.trim_start().starts_with(['{', '[']) {
        return Cow::Owned(json(s.to_owned()));
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if keep(c) || !is_unsafe(c) {
            out.push(c);
        } else {
            push_escaped(&mut out, c.encode_utf8(&mut [0; 4]));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        let cases = [
            ("plain é ✓", "plain é ✓"),
            ("x\n::error file=a::b", "x\\n::error file=a::b"),
            ("a\rb\tc", "a\\rb\\tc"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("c1\u{85}\u{9b}", "c1\\u{85}\\u{9b}"),
            ("del\u{7f}", "del\\u{7f}"),
            ("bidi\u{202e}txt", "bidi\\u{202e}txt"),
        ];
        for (raw, want) in cases {
            assert_eq!(text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn documents_keep_their_lines_and_lose_their_controls() {
        assert_eq!(document("a\tb\nc\u{1b}[2J\n"), "a\tb\nc\\u{1b}[2J\n");
        assert_eq!(
            document("{\n  \"n\": \"x\u{85}\"\n}\n"),
            "{\n  \"n\": \"x\\u0085\"\n}\n"
        );
        assert_eq!(document("plain\n"), "plain\n");
    }

    #[test]
    fn json_escapes_what_serde_json_leaves() {
        let s = serde_json::to_string_pretty(&["a\u{85}b\u{1b}c\u{7f}\u{202e}"]).unwrap();
        let escaped = json(s);
        assert_eq!(escaped, "[\n  \"a\\u0085b\\u001bc\\u007f\\u202e\"\n]");
        let back: Vec<String> = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, ["a\u{85}b\u{1b}c\u{7f}\u{202e}"]);
    }
}
