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
