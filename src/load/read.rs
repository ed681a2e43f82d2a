//! Reading a YAML file (an ownership file or a rule pack) from disk into a [`SourceFile`],
//! refusing what is not a regular file, too large, or not UTF-8, each with a finding that says
//! so.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::yaml::FileKind;
use crate::diag::kinds::IoError;
use crate::diag::{Code, Finding};
use crate::discover::Candidate;
use crate::source::{SourceFile, Span};

/// Ownership files and packs are hand-written: anything larger is refused before it is read.
pub const MAX_YAML_FILE_SIZE: u64 = 4 * 1024 * 1024;

pub fn ownership_source(candidate: &Candidate) -> Result<Arc<SourceFile>, Finding> {
    match &candidate.contents {
        // Standard input, judged as the file it names.
        Some(bytes) => {
            let kind = FileKind::Ownership;
            from_bytes(
                bytes.to_vec(),
                &candidate.display,
                kind.code(),
                MAX_YAML_FILE_SIZE,
                kind.noun(),
            )
        }
        None => yaml_source(&candidate.path, &candidate.display, FileKind::Ownership),
    }
}

/// Reads `path` (shown as `shown`); problems with the content are findings of the code of its
/// kind (`invalid-yaml` for ownership and config files, `pack-invalid-yaml` for packs).
pub fn yaml_source(path: &Path, shown: &str, kind: FileKind) -> Result<Arc<SourceFile>, Finding> {
    text_source(path, shown, kind.code(), MAX_YAML_FILE_SIZE, kind.noun())
}

/// Reads the UTF-8 text file `path` (shown as `shown`) of at most `limit` bytes; `kind` names
/// the file in the message when it is larger ("a rule pack").
pub fn text_source(
    path: &Path,
    shown: &str,
    code: Code,
    limit: u64,
    kind: &str,
) -> Result<Arc<SourceFile>, Finding> {
    let io = |error: String| IoError { path: shown, error }.report();
    // metadata follows symlinks: a dangling one fails here, a FIFO is refused before a read
    // that could block forever.
    let meta = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if !meta.is_file() {
        return Err(io("not a regular file".into()));
    }
    if meta.len() > limit {
        return Err(too_large(shown, meta.len(), limit, code, kind));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| io(e.to_string()))?;
    from_bytes(bytes, shown, code, limit, kind)
}

/// A file's bytes, already read (standard input with `raci-lint -`), as a [`SourceFile`], or
/// the finding that says why not (too large, not UTF-8).
pub fn from_bytes(
    bytes: Vec<u8>,
    shown: &str,
    code: Code,
    limit: u64,
    kind: &str,
) -> Result<Arc<SourceFile>, Finding> {
    if bytes.len() as u64 > limit {
        return Err(too_large(shown, bytes.len() as u64, limit, code, kind));
    }
    SourceFile::decode(shown, bytes).map_err(|bad| {
        Finding::new(code, "the file is not valid UTF-8")
            .at(
                &bad.source,
                Span::new(bad.at, bad.at + '\u{fffd}'.len_utf8()),
                "invalid byte sequence here",
            )
            .help("the file must be UTF-8 text; re-save it as UTF-8")
    })
}

fn too_large(shown: &str, size: u64, limit: u64, code: Code, kind: &str) -> Finding {
    Finding::new(
        code,
        format!(
            "the file is too large for {kind} ({size} bytes; the limit is {} MiB)",
            limit / (1024 * 1024)
        ),
    )
    .help(format!(
        "{kind} is a short hand-written file; split it or leave this path out"
    ))
    .at_path(shown)
}
