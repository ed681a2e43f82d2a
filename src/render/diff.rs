//! `--diff`: the unified diff of every fixed file, as `patch -p1` and `git apply` read it.

use crate::FileDiff;

/// A unified diff of one file (`a/PATH`, `b/PATH` headers, three lines of context), as `git
/// diff` and `patch -p1` read it. Line ends are kept as they are, so CRLF survives a round trip
/// through `patch`.
/// `path` is the file's real name, relative to the current folder: bytes that are not UTF-8
/// are written as git writes them (`"a/x\377/raci.yaml"`), so that `patch` finds the file.
pub fn unified_diff(path: &[u8], old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    out.push_str(&format!(
        "--- {}\n+++ {}\n",
        diff_path("a/", path),
        diff_path("b/", path)
    ));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&format!("{}\n", hunk.header()));
        for change in hunk.iter_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            out.push(sign);
            out.push_str(change.value());
            if change.missing_newline() {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// A path in a diff header, C-quoted as git writes it when it holds a quote, a backslash, a
/// control character (`"a/x\nname"`) or bytes that are not UTF-8 (octal): a hostile file name
/// must not end the header line and smuggle in a header of its own that `patch` would follow.
/// A plain name with a space ends with a tab, as git writes it, so that `patch` reads the
/// whole name.
fn diff_path(prefix: &str, path: &[u8]) -> String {
    let text = std::str::from_utf8(path).ok();
    let plain = |c: char| c != '"' && c != '\\' && !super::escape::is_unsafe(c);
    if let Some(text) = text.filter(|t| t.chars().all(plain)) {
        let tab = if text.contains(' ') { "\t" } else { "" };
        return format!("{prefix}{text}{tab}");
    }
    let octal = |out: &mut String, bytes: &[u8]| {
        for byte in bytes {
            out.push_str(&format!("\\{byte:03o}"));
        }
    };
    let mut out = format!("\"{prefix}");
    for chunk in path.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                // In a name that is not UTF-8, every byte past ASCII is octal, as git writes it.
                c if super::escape::is_unsafe(c) || (text.is_none() && !c.is_ascii()) => {
                    octal(&mut out, c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                c => out.push(c),
            }
        }
        octal(&mut out, chunk.invalid());
    }
    out.push('"');
    out
}

/// Every file's diff, in the order given (sorted by path).
pub fn render(files: &[FileDiff]) -> String {
    files
        .iter()
        .map(|f| unified_diff(&f.header, &f.before, &f.after))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_headers_hunks_and_keeps_crlf() {
        let d = unified_diff(b"r.yaml", "a: 1\r\nb: 2\r\n", "a: 1\r\nb: 3\r\n");
        assert_eq!(
            d,
            "--- a/r.yaml\n+++ b/r.yaml\n@@ -1,2 +1,2 @@\n a: 1\r\n-b: 2\r\n+b: 3\r\n"
        );
        // A file name cannot end the header line.
        let d = unified_diff(b"x\n+++ b/.bashrc\n\"q", "a\n", "b\n");
        assert!(
            d.starts_with("--- \"a/x\\n+++ b/.bashrc\\n\\\"q\"\n+++ \"b/x\\n"),
            "{d}"
        );
        assert_eq!(d.lines().filter(|l| l.starts_with("+++")).count(), 1);
        let d = unified_diff(b"r.yaml", "a", "b");
        assert!(
            d.ends_with("-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n")
        );
        // As git writes them: a tab after a name with a space, octal for bytes not UTF-8.
        let d = unified_diff(b"sp ace/r.yaml", "a\n", "b\n");
        assert!(
            d.starts_with("--- a/sp ace/r.yaml\t\n+++ b/sp ace/r.yaml\t\n"),
            "{d}"
        );
        let d = unified_diff(b"\xc3\xa9\xff/r.yaml", "a\n", "b\n");
        assert!(d.starts_with("--- \"a/\\303\\251\\377/r.yaml\"\n"), "{d}");
        let d = unified_diff(b"x\xe9 \"/r.yaml", "a\n", "b\n");
        assert!(d.starts_with("--- \"a/x\\351 \\\"/r.yaml\"\n"), "{d}");
    }
}
