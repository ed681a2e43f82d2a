//! Inline allows: `raci-lint: allow(<activity-id>) <reason>` in a comment on the matching line
//! or the line above accepts an evidence match on purpose.

use memchr::memmem;

/// What starts an allow; `(` must follow it.
const MARKER: &[u8] = b"raci-lint: allow";

/// What opens a comment in the files the scan reads: shell, YAML, INI and systemd units, HCL,
/// SQL, Jinja, XML.
const OPENERS: &[&[u8]] = &[b"#", b"//", b"/*", b"--", b";", b"<!--", b"{#"];

/// Whether the marker, after `before` on its line, is in a comment: an opener right before it
/// (blanks between), or a `#` that starts a word earlier on the line (`# TODO: raci-lint: ...`).
/// Text in a string (`echo "raci-lint: allow(...) ..."`, `msg: "raci-lint: ..."`) is not an
/// allow: it would hide a finding, and its fix would cut the string.
fn in_comment(before: &[u8]) -> bool {
    let trimmed = before.trim_ascii_end();
    OPENERS.iter().any(|o| trimmed.ends_with(o))
        || memchr::memchr_iter(b'#', before).any(|i| i == 0 || before[i - 1].is_ascii_whitespace())
}

/// One inline allow, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// 0-based line index in the file.
    pub line: usize,
    /// Byte range of the whole `raci-lint: allow(...) reason` text within the file.
    pub start: usize,
    pub end: usize,
    /// The activity id as written: `server-os-patching` or `sysbee/server-os-patching`.
    pub activity: String,
    pub reason: Option<String>,
    /// Written without its parentheses (`raci-lint: allow server-os-patching`) or without the
    /// closing one: it looks like an allow but is not one (`invalid-allow`).
    pub malformed: bool,
}

impl Allow {
    /// Whether this allow names `activity` of `provider`.
    pub fn names(&self, provider: &str, activity: &str) -> bool {
        self.activity == activity
            || self
                .activity
                .split_once('/')
                .is_some_and(|(p, a)| p == provider && a == activity)
    }

    /// The pack's id of the activity this allow names, if the pack has it.
    pub fn resolve<'p>(&self, pack: &'p crate::model::Pack) -> Option<&'p str> {
        let id = match self.activity.split_once('/') {
            Some((provider, rest)) if provider == pack.id() => rest,
            _ => self.activity.as_str(),
        };
        pack.activities
            .iter()
            .map(crate::model::Activity::id)
            .find(|a| *a == id)
    }

    /// It suppresses a match on lines `first..=last` (a task or a command may take several)
    /// when it sits on one of them or on the line above the first.
    pub fn covers_lines(&self, first: usize, last: usize) -> bool {
        self.line + 1 >= first && self.line <= last
    }
}

/// The first allow (index into `allows`, sorted by line) with a reason that covers a match on
/// lines `first..=last` of `activity`: found by binary search, so many allows and many matches
/// stay linear.
pub fn covering(
    allows: &[Allow],
    first: usize,
    last: usize,
    provider: &str,
    activity: &str,
) -> Option<usize> {
    let from = allows.partition_point(|a| a.line + 1 < first);
    allows[from..]
        .iter()
        .take_while(|a| a.line <= last)
        .position(|a| {
            a.reason.is_some() && a.covers_lines(first, last) && a.names(provider, activity)
        })
        .map(|i| from + i)
}

/// Whether the file mentions an allow at all: most files do not, and are not split into lines.
pub fn mentioned(text: &[u8]) -> bool {
    memmem::find(text, MARKER).is_some()
}

/// Every allow in a file, given the byte offsets where its lines start.
pub fn find(text: &[u8], line_starts: &[usize]) -> Vec<Allow> {
    let mut lines: Vec<usize> = memmem::find_iter(text, MARKER)
        .map(|at| line_starts.partition_point(|&s| s <= at) - 1)
        .collect();
    lines.dedup();
    lines
        .into_iter()
        .flat_map(|index| {
            let start = line_starts[index];
            let end = line_starts.get(index + 1).map_or(text.len(), |&e| e - 1);
            let line = &text[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            parse_line(line, index, start)
        })
        .collect()
}

/// The allows on one line (`line_start` is the line's byte offset in the file).
pub fn parse_line(line: &[u8], index: usize, line_start: usize) -> Vec<Allow> {
    let mut allows = Vec::new();
    // The first `)` at or after a position, remembered: many allows on one long line without
    // one must not each search to the line's end.
    let mut next_close: Option<Option<usize>> = None;
    let mut close_after = |from: usize| -> Option<usize> {
        let known = next_close.filter(|c| c.is_none_or(|c| c >= from));
        let found = known.unwrap_or_else(|| memchr::memchr(b')', &line[from..]).map(|i| from + i));
        next_close = Some(found);
        found
    };
    for at in memmem::find_iter(line, MARKER) {
        if !in_comment(&line[..at]) {
            continue;
        }
        let after = &line[at + MARKER.len()..];
        // `raci-lint: allowed ...` is another word, not an allow.
        if after
            .first()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            continue;
        }
        let open = at + MARKER.len();
        let close = (after.first() == Some(&b'('))
            .then(|| close_after(open + 1))
            .flatten()
            .map(|c| c - open);
        let Some(close) = close else {
            // What is shown of a malformed allow: its word, at most 256 bytes of it.
            let end = at
                + MARKER.len()
                + after
                    .iter()
                    .take(256)
                    .take_while(|b| !b.is_ascii_whitespace())
                    .count();
            allows.push(Allow {
                line: index,
                start: line_start + at,
                end: line_start + end,
                activity: String::new(),
                reason: None,
                malformed: true,
            });
            continue;
        };
        let after = &after[1..];
        let close = close - 1;
        // Bounded, as many allows may share one long line: an activity id is short, a reason a
        // sentence or two.
        let activity = String::from_utf8_lossy(&after[..close.min(256)])
            .trim()
            .to_owned();
        let rest_start = line.len() - after[close + 1..].len();
        let rest = &line[rest_start..line.len().min(rest_start + 4096)];
        let reason = String::from_utf8_lossy(rest)
            .trim()
            // A reason ends where a block comment or template comment closes.
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim_end_matches("#}")
            .trim()
            .to_owned();
        let end = rest_start + rest.trim_ascii_end().len();
        allows.push(Allow {
            line: index,
            start: line_start + at,
            end: line_start + end,
            activity,
            reason: (!reason.is_empty()).then_some(reason),
            malformed: false,
        });
    }
    allows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_with_and_without_reasons() {
        let line =
            b"    upgrade: dist  # raci-lint: allow(server-os-patching) lab VMs only, not Sysbee's";
        let allows = parse_line(line, 4, 100);
        assert_eq!(allows.len(), 1);
        let a = &allows[0];
        assert_eq!(a.activity, "server-os-patching");
        assert_eq!(a.reason.as_deref(), Some("lab VMs only, not Sysbee's"));
        assert_eq!(a.start, 100 + 21);
        assert_eq!(a.end, 100 + line.len());
        assert!(a.names("sysbee", "server-os-patching"));
        assert!(a.covers_lines(4, 4) && a.covers_lines(5, 5) && !a.covers_lines(6, 6));
        assert!(a.covers_lines(2, 4) && a.covers_lines(5, 9) && !a.covers_lines(1, 3));

        let bare = parse_line(b"# raci-lint: allow(sysbee/server-os-patching)   ", 0, 0);
        assert_eq!(bare[0].reason, None);
        assert!(bare[0].names("sysbee", "server-os-patching"));
        assert!(!bare[0].names("cegedim-cloud", "server-os-patching"));

        let sql = parse_line(
            b"/* raci-lint: allow(modify-configurations) tuning ticket 42 */",
            0,
            0,
        );
        assert_eq!(sql[0].reason.as_deref(), Some("tuning ticket 42"));
        let unclosed = parse_line(b"# raci-lint: allow(unclosed", 0, 0);
        assert!(unclosed[0].malformed);
        let bare = parse_line(b"  # raci-lint: allow server-os-patching lab only", 0, 10);
        assert_eq!(bare.len(), 1);
        assert!(bare[0].malformed && bare[0].reason.is_none());
        assert_eq!(
            (bare[0].start, bare[0].end),
            (14, 14 + "raci-lint: allow".len())
        );
        assert!(parse_line(b"# raci-lint: allowed here", 0, 0).is_empty());
    }

    #[test]
    fn only_a_comment_carries_an_allow() {
        let one = |line: &[u8]| parse_line(line, 0, 0).len();
        for comment in [
            &b"# raci-lint: allow(x) why"[..],
            b"apt-get upgrade  # raci-lint: allow(x) why",
            b"# TODO: raci-lint: allow(x) why",
            b"-- raci-lint: allow(x) why",
            b"// raci-lint: allow(x) why",
            b"; raci-lint: allow(x) why",
            b"<!-- raci-lint: allow(x) why -->",
            b"{# raci-lint: allow(x) why #}",
            b"/* raci-lint: allow(x) why */",
        ] {
            assert_eq!(one(comment), 1, "{}", String::from_utf8_lossy(comment));
        }
        for text in [
            &b"echo \"tip: raci-lint: allow(x) why\""[..],
            b"MSG=\"raci-lint: allow(x) why\"",
            b"    msg: \"raci-lint: allow(x) why\"",
            b"url=http://x/a#b raci-lint: allow(x) why",
            b"echo raci-lint: allow server-os-patching",
        ] {
            assert_eq!(one(text), 0, "{}", String::from_utf8_lossy(text));
        }
    }
}
