//! Reading a file to load (an ownership file, a rule pack, the config file, a baseline) into a
//! [`SourceFile`], refusing what is not a regular file, too large for its kind, or not UTF-8,
//! each with a finding that says so. The [`FileKind`] decides the limit and the finding's code.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::FileKind;
use crate::diag::Finding;
use crate::diag::kinds::{InvalidUtf8, IoError, TooLarge, Unreadable};
use crate::source::SourceFile;

/// Ownership files, packs and config files are hand-written: anything larger is refused
/// before it is read.
pub const MAX_YAML_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Baselines grow with the findings of a large repository: larger than a hand-written file,
/// still bounded.
pub const MAX_BASELINE_SIZE: u64 = 64 * 1024 * 1024;

/// The largest file of a kind.
pub fn limit(kind: FileKind) -> u64 {
    match kind {
        FileKind::Ownership | FileKind::Pack | FileKind::Config => MAX_YAML_FILE_SIZE,
        FileKind::Baseline => MAX_BASELINE_SIZE,
    }
}

/// The text of the file at `path` (shown as `shown`), or `contents` when its bytes do not
/// come from the disk (standard input, judged as the file it names).
pub fn source(
    path: &Path,
    shown: &str,
    contents: Option<&[u8]>,
    kind: FileKind,
) -> Result<Arc<SourceFile>, Finding> {
    match contents {
        Some(bytes) => from_bytes(bytes.to_vec(), shown, kind),
        None => from_disk(path, shown, kind),
    }
}

/// Reads `path` (shown as `shown`): a regular file of at most its kind's [`limit`], UTF-8.
/// What cannot be opened is `io-error`; a problem with the content has the code of its kind
/// (`invalid-yaml`, `pack-invalid-yaml`, `invalid-baseline`).
pub fn from_disk(path: &Path, shown: &str, kind: FileKind) -> Result<Arc<SourceFile>, Finding> {
    let io = |error: String| IoError { path: shown, error }.report();
    // metadata follows symlinks: a dangling one fails here, a FIFO is refused before a read
    // that could block forever.
    let meta = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if !meta.is_file() {
        return Err(IoError::because(shown, Unreadable::NotRegularFile));
    }
    let limit = limit(kind);
    if meta.len() > limit {
        return Err(too_large(shown, meta.len(), kind));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| io(e.to_string()))?;
    from_bytes(bytes, shown, kind)
}

/// A file's bytes, already read, as a [`SourceFile`], or the finding that says why not (too
/// large, not UTF-8).
pub fn from_bytes(bytes: Vec<u8>, shown: &str, kind: FileKind) -> Result<Arc<SourceFile>, Finding> {
    if bytes.len() as u64 > limit(kind) {
        return Err(too_large(shown, bytes.len() as u64, kind));
    }
    SourceFile::decode(shown, bytes)
        .map_err(|bad| InvalidUtf8 { kind, at: bad.at }.report(&bad.source))
}

fn too_large(shown: &str, size: u64, kind: FileKind) -> Finding {
    TooLarge {
        path: shown,
        kind,
        size,
        limit: limit(kind),
    }
    .report()
}
