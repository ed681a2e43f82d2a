//! Reading a file from disk into a [`SourceFile`], refusing what is not a regular file, too
//! large, or not UTF-8, each with a finding that says so.

use std::io::Read;
use std::sync::Arc;

use crate::diag::kinds::IoError;
use crate::diag::{Code, Finding};
use crate::discover::Candidate;
use crate::source::{SourceFile, Span};

/// Ownership files are hand-written: anything larger is refused before it is read.
pub const MAX_OWNERSHIP_FILE_SIZE: u64 = 4 * 1024 * 1024;

pub fn ownership_source(candidate: &Candidate) -> Result<Arc<SourceFile>, Finding> {
    let shown = candidate.display.as_str();
    let io = |error: String| IoError { path: shown, error }.report();
    // metadata follows symlinks: a dangling one fails here, a FIFO is refused before a read
    // that could block forever.
    let meta = std::fs::metadata(&candidate.path).map_err(|e| io(e.to_string()))?;
    if !meta.is_file() {
        return Err(io("not a regular file".into()));
    }
    if meta.len() > MAX_OWNERSHIP_FILE_SIZE {
        return Err(too_large(shown, meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&candidate.path)
        .and_then(|f| f.take(MAX_OWNERSHIP_FILE_SIZE + 1).read_to_end(&mut bytes))
        .map_err(|e| io(e.to_string()))?;
    if bytes.len() as u64 > MAX_OWNERSHIP_FILE_SIZE {
        return Err(too_large(shown, bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(shown, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = SourceFile::new(shown, lossy);
            // The BOM, if any, was removed from the text: shift the offset with it.
            let shift = e.as_bytes().starts_with(b"\xef\xbb\xbf") as usize * 3;
            let at = at.saturating_sub(shift);
            Err(
                Finding::new(Code::InvalidYaml, "the file is not valid UTF-8")
                    .at(
                        &source,
                        Span::new(at, at + '\u{fffd}'.len_utf8()),
                        "invalid byte sequence here",
                    )
                    .help("YAML files are UTF-8 text; re-save the file as UTF-8"),
            )
        }
    }
}

fn too_large(shown: &str, size: u64) -> Finding {
    Finding::new(
        Code::InvalidYaml,
        format!(
            "the file is too large for an ownership file ({size} bytes; the limit is {} MiB)",
            MAX_OWNERSHIP_FILE_SIZE / (1024 * 1024)
        ),
    )
    .help("an ownership file is a short hand-written declaration; split it or exclude this path")
    .at_path(shown)
}
