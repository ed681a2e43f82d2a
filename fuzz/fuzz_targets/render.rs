//! Fuzz target: any text with any spans, rendered in the human and concise formats: no panic,
//! and no control character but a line end ever reaches the output (DESIGN section 9).
#![no_main]

use libfuzzer_sys::fuzz_target;
use raci_lint::diag::{Code, Finding};
use raci_lint::source::{SourceFile, Span};

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let at = |i: usize| usize::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let text = String::from_utf8_lossy(&data[8..]).into_owned();
    let name = String::from_utf8_lossy(&data[8..data.len().min(24)]).into_owned();
    let source = SourceFile::new(name, text);
    let finding = Finding::new(Code::InvalidYaml, String::from_utf8_lossy(&data[8..]))
        .at(&source, Span::new(at(0), at(2)), "here\u{1b}")
        .also(Span::new(at(4), at(6)), "there\n::error::x");
    let shown = raci_lint::render::plain(&[finding]);
    assert!(
        !shown.chars().any(|c| c != '\n' && raci_lint::render::escape::is_unsafe(c)),
        "{shown:?}"
    );
});
