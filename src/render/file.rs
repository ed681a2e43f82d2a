//! Files raci-lint writes (`--output`, baselines, `init`, `matrix --output`), as DESIGN section
//! 9 says: a regular file is replaced atomically (a temporary file beside it, renamed over it,
//! removed on failure); through a symbolic link the link's target is replaced and the link
//! stays; a device, FIFO or `-` is written to directly. Nothing else is touched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`. With `replace` false an existing target is left as it is and the
/// error is `AlreadyExists` (`init` without `--force`).
pub fn write(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    if path == Path::new("-") {
        return stdout(bytes);
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return atomically(path, bytes, replace),
        Err(e) => return Err(e),
    };
    if !replace {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    if meta.file_type().is_symlink() {
        return through_link(path, bytes);
    }
    if meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"));
    }
    if meta.is_file() {
        atomically(path, bytes, true)
    } else {
        // A device, FIFO or socket: what it means to write there is its own business.
        directly(path, bytes)
    }
}

/// Standard output, where a closed pipe is not an error (`raci-lint . | head -1`).
pub fn stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    quiet_pipe(out.write_all(bytes).and_then(|()| out.flush()))
}

/// A closed pipe ends the output quietly, as ripgrep does; the run keeps its exit status.
pub fn quiet_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn through_link(link: &Path, bytes: &[u8]) -> io::Result<()> {
    // `/dev/stdout` and friends lead into /proc: whatever stands behind them is written to.
    if link.starts_with("/dev") || link.starts_with("/proc") {
        return directly(link, bytes);
    }
    match fs::metadata(link) {
        Ok(meta) if meta.is_dir() => {
            Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"))
        }
        Ok(meta) if meta.is_file() => {
            let target = fs::canonicalize(link)?;
            if target.starts_with("/proc") || target.starts_with("/dev") {
                directly(link, bytes)
            } else {
                atomically(&target, bytes, true)
            }
        }
        Ok(_) => directly(link, bytes),
        // A dangling link: its target is created, the link stays.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            atomically(&final_target(link)?, bytes, true)
        }
        Err(e) => Err(e),
    }
}

/// Where a chain of links ends, followed one link at a time (at most 40, as the kernel does).
fn final_target(link: &Path) -> io::Result<PathBuf> {
    let mut at = link.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) => dir.join(next),
                    None => next,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn directly(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Through a temporary file in the same folder (`.raci-lint-*.tmp`, removed if anything fails),
/// renamed over the target: a reader never sees half a file. With `replace` false the rename
/// fails with `AlreadyExists` rather than replace a file created meanwhile.
fn atomically(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".raci-lint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); a report is an ordinary file: keep the mode of the
    // file it replaces, else rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}
