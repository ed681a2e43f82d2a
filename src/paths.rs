//! How paths are shown to users: relative to the current folder where possible, `/`-separated,
//! without a leading `./`.

use std::path::{Component, Path, PathBuf};

pub fn display(path: &Path) -> String {
    display_from(std::env::current_dir().ok().as_deref(), path)
}

/// [`display`] with the current folder already known, for callers that show many paths.
pub fn display_from(cwd: Option<&Path>, path: &Path) -> String {
    let rel = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// [`display`]'s path as bytes: the real name, relative to the current folder where it lies
/// below it, `/`-separated, nothing replaced. For what must name the file exactly (a diff's
/// headers), where the shown path replaces bytes that are not UTF-8.
pub fn name_bytes(path: &Path) -> Vec<u8> {
    let cwd = std::env::current_dir().ok();
    let rel = match &cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut out = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => continue,
            Component::RootDir => {}
            other => {
                if !out.is_empty() && out != b"/" {
                    out.push(b'/');
                }
                out.extend_from_slice(other.as_os_str().as_encoded_bytes());
                continue;
            }
        }
        out.push(b'/');
    }
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

/// A path by its real name (bytes), made comparable: relative to the current folder where it
/// lies below it, without `.` components. Two spellings of one file (`./a`, `a`) are equal;
/// two names that only display alike stay apart.
pub fn normal(path: &Path) -> PathBuf {
    normal_from(std::env::current_dir().ok().as_deref(), path)
}

/// `path` made absolute against `cwd` and normalised lexically (`.` dropped, `..` applied), by
/// its real name: the key attribution compares ownership folders and scanned files by, so
/// that an ownership file above the current folder still governs the files below it.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    // The walk's paths (`./infra/x.yml`) need no normalising beyond the leading `./`: joined as
    // text, which takes a tenth of the time of going component by component.
    if let Some(plain) = plain_relative(path) {
        let mut out = cwd.to_path_buf();
        out.push(plain);
        return out;
    }
    let mut out = if path.is_absolute() {
        PathBuf::new()
    } else {
        cwd.to_path_buf()
    };
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` without a leading `./` when it is relative UTF-8 with no other `.` or `..` component
/// and no empty one (`a//b`): what joining its components one by one would give.
fn plain_relative(path: &Path) -> Option<&Path> {
    // Elsewhere a path may mix `/` and `\`, which joining by components would make all `\`.
    if !cfg!(unix) {
        return None;
    }
    let text = path.to_str()?;
    let text = text.strip_prefix("./").unwrap_or(text);
    let plain = !text.is_empty()
        && !path.is_absolute()
        && text
            .split(std::path::is_separator)
            .all(|part| !matches!(part, "" | "." | ".."));
    plain.then(|| Path::new(text))
}

/// `path` relative to `dir`, or `None` when `dir` is not one of its folders (or itself): what
/// `Path::strip_prefix` answers. Found by comparing bytes when `path` is spelt as `dir`
/// followed by more names (both normalised, as [`absolute`] makes them, or `path` found by
/// walking `dir`): the walk and attribution ask it for every file. Any other spelling is asked
/// of `strip_prefix`.
pub fn below<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    let by_components = || path.strip_prefix(dir).ok();
    let text = path.as_os_str().as_encoded_bytes();
    let folder = dir.as_os_str().as_encoded_bytes();
    let Some(rest) = text.strip_prefix(folder) else {
        return by_components();
    };
    let separator = |b: &u8| b.is_ascii() && std::path::is_separator(char::from(*b));
    let rest = match rest.first() {
        None => rest,
        Some(b) if separator(b) => &rest[1..],
        // The root folder ends with its separator.
        Some(_) if folder.last().is_some_and(separator) => rest,
        Some(_) => return by_components(),
    };
    // What is left must be plain names: `foo//x`, `foo/./x`, `foo/x/` read otherwise by
    // components.
    if !rest.is_empty() && !plain_names(rest) {
        return by_components();
    }
    from_bytes(rest).or_else(by_components)
}

/// Whether `rest` (not empty) has no empty name and no `.` name between its separators.
fn plain_names(rest: &[u8]) -> bool {
    // Unix's one separator is found with memchr: every walked entry asks this, and splitting
    // byte by byte with a predicate was most of `below`'s cost.
    if cfg!(unix) {
        // A name starting at `at` is empty or `.`.
        let odd = |at: usize| match rest.get(at) {
            None | Some(b'/') => true,
            Some(b'.') => matches!(rest.get(at + 1), None | Some(b'/')),
            Some(_) => false,
        };
        return !odd(0) && !memchr::memchr_iter(b'/', rest).any(|at| odd(at + 1));
    }
    let separator = |b: &u8| b.is_ascii() && std::path::is_separator(char::from(*b));
    !rest.split(separator).any(|name| matches!(name, b"" | b"."))
}

/// A path from the bytes of another's tail, cut after a separator.
#[cfg(unix)]
fn from_bytes(bytes: &[u8]) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt;
    Some(Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn from_bytes(bytes: &[u8]) -> Option<&Path> {
    std::str::from_utf8(bytes).ok().map(Path::new)
}

/// [`normal`] with the current folder already known.
pub fn normal_from(cwd: Option<&Path>, path: &Path) -> PathBuf {
    let rel = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    rel.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::display;
    use std::path::Path;

    #[test]
    fn below_answers_as_strip_prefix_does() {
        let cases = [
            ("/a/b/c", "/a/b"),
            ("/a/b", "/a/b"),
            ("/a/bc", "/a/b"),
            ("/a", "/"),
            ("/", "/"),
            ("/a/b", "/c"),
            ("/a/b/c.yml", "/a"),
            ("./a/b", "."),
            ("foo/x", "foo/"),
            ("foo/", "foo/"),
            ("../up/x", "../up"),
            // Spelt otherwise than `dir` and more names.
            ("foo//x", "foo"),
            ("./foo/x", "foo"),
            ("foo/./x", "foo"),
            ("foo", "foo/"),
            ("foo/x/", "foo"),
            ("foo/../x", "foo"),
        ];
        for (path, dir) in cases {
            let (path, dir) = (Path::new(path), Path::new(dir));
            assert_eq!(
                super::below(path, dir),
                path.strip_prefix(dir).ok(),
                "{path:?} {dir:?}"
            );
        }
    }

    #[test]
    fn below_answers_as_strip_prefix_does_for_every_short_spelling() {
        // Every path of up to seven bytes of `a`, `.` and `/` under a few folders: each odd
        // name (empty, `.`, `..`, `.a`, `a.`) at the start, between separators and at the end.
        let mut paths = vec![String::new()];
        for _ in 0..7 {
            let longer: Vec<String> = paths
                .iter()
                .filter(|p| p.len() == paths.last().map_or(0, String::len))
                .flat_map(|p| ["a", ".", "/"].map(|b| format!("{p}{b}")))
                .collect();
            paths.extend(longer);
        }
        for dir in ["a", "/a", "/", ".", "a/a"] {
            for tail in &paths {
                let path = format!("{dir}{tail}");
                let (path, dir) = (Path::new(&path), Path::new(dir));
                // As bytes: paths compare equal by components (`x//y` is `x/y`).
                assert_eq!(
                    super::below(path, dir).map(Path::as_os_str),
                    path.strip_prefix(dir).ok().map(Path::as_os_str),
                    "{path:?} {dir:?}"
                );
            }
        }
    }

    #[test]
    fn absolute_joins_plain_paths_as_it_normalises_others() {
        let cwd = Path::new("/work/repo");
        for (path, expected) in [
            ("./infra/x.yml", "/work/repo/infra/x.yml"),
            ("infra/x.yml", "/work/repo/infra/x.yml"),
            ("./a/../b/./c", "/work/repo/b/c"),
            ("a//b", "/work/repo/a/b"),
            ("/etc/./x", "/etc/x"),
            (".", "/work/repo"),
            ("..", "/work"),
        ] {
            assert_eq!(
                super::absolute(cwd, Path::new(path)),
                Path::new(expected),
                "{path}"
            );
        }
    }

    #[test]
    fn paths_are_relative_and_slash_separated() {
        assert_eq!(display(Path::new("./infra/raci.yaml")), "infra/raci.yaml");
        assert_eq!(display(Path::new(".")), ".");
        assert_eq!(display(Path::new("fixtures/demo")), "fixtures/demo");
        assert_eq!(
            display(Path::new("/nowhere/raci.yaml")),
            "/nowhere/raci.yaml"
        );
        let here = std::env::current_dir().unwrap().join("a/raci.yaml");
        assert_eq!(display(&here), "a/raci.yaml");
    }
}
