//! Names the commit in `raci-lint --version` when the crate is built from its own git checkout:
//! sets `RACI_LINT_VERSION` to `0.1.0 (abc1234)`, or to the bare package version when git or
//! `.git` is missing (a crate tarball, a vendored copy inside another repository).
//!
//! The script reruns only when `HEAD` or the branch it points to moves, not on every build.
//! Uncommitted changes are not marked: noticing them would mean rerunning on every edit.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut lines = Vec::new();
    let shown = match commit(&manifest_dir, &mut lines) {
        Some(hash) => format!("{version} ({hash})"),
        None => version,
    };
    lines.push(format!("cargo:rustc-env=RACI_LINT_VERSION={shown}"));
    // Without any rerun-if-changed line, cargo would rerun the script whenever any file of the
    // package changes; with one, only when a named file does (and build.rs itself).
    lines.push("cargo:rerun-if-changed=build.rs".to_owned());
    let mut out = std::io::stdout().lock();
    for line in lines {
        // A build script that cannot talk to cargo has nothing better to do than stop.
        writeln!(out, "{line}").expect("cargo reads the build script's standard output");
    }
}

/// The short hash of `HEAD`, when `manifest_dir` is the top of a git work tree; pushes the
/// `rerun-if-changed` lines for the files that say where `HEAD` is.
fn commit(manifest_dir: &Path, lines: &mut Vec<String>) -> Option<String> {
    // Only this crate's own checkout counts: a tarball unpacked inside some other repository
    // would otherwise be stamped with that repository's commit.
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if !same_dir(Path::new(&top), manifest_dir) {
        return None;
    }
    // `--git-path` gives the right files in a linked work tree too: its own HEAD, the shared
    // refs and packed-refs of the main repository.
    let path = |name: &str| {
        git(manifest_dir, &["rev-parse", "--git-path", name]).map(|p| manifest_dir.join(p))
    };
    let head = path("HEAD").filter(|head| head.is_file())?;
    let mut watched = vec![head];
    if let Some(branch) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        // A ref is a loose file, or a line of packed-refs until the next commit writes it as a
        // file again: then the folder it will appear in is watched. Naming a file that does
        // not exist would make cargo rerun the script on every build.
        if let Some(loose) = path(&branch) {
            if loose.is_file() {
                watched.push(loose);
            } else if let Some(folder) = loose.parent().filter(|f| f.is_dir()) {
                watched.push(folder.to_owned());
            }
        }
        watched.extend(path("packed-refs").filter(|p| p.is_file()));
    }
    for file in watched {
        lines.push(format!("cargo:rerun-if-changed={}", file.display()));
    }
    git(manifest_dir, &["rev-parse", "--short", "HEAD"])
}

/// The first line of a git command's output, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_owned())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
