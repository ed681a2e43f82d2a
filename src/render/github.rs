//! GitHub Actions workflow commands: one `::error file=…,line=…,col=…,endLine=…,endColumn=…,
//! title=…::message` per finding, which GitHub shows as annotations on the changed files.

use super::escape;
use crate::Report;
use crate::diag::{Finding, Severity};

/// Escaping of a command's message (GitHub's "data"): `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value: the data escapes plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(f: &Finding) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(path) = &f.path {
        props.push(format!("file={}", escape_property(&escape::text(path))));
    }
    if let (Some(start), Some(end)) = (f.start(), f.end()) {
        props.push(format!("line={}", start.line));
        props.push(format!("col={}", start.column));
        props.push(format!("endLine={}", end.line));
        props.push(format!("endColumn={}", end.column));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("raci-lint {}", f.code))
    ));
    let mut message = escape::text(&f.message).into_owned();
    if let Some(help) = &f.help {
        // The one line break in a command's text is ours, GitHub-escaped.
        message.push_str("\nhelp: ");
        message.push_str(&escape::text(help));
    }
    // Control characters are escaped first (a file's text never reaches the log raw), then
    // GitHub's own `%` escapes make our one line one command.
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

pub fn render(report: &Report) -> String {
    report.findings.iter().map(|f| command(f) + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_github() {
        let cases = [
            ("plain", "plain", "plain"),
            ("100%", "100%25", "100%25"),
            ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
            ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
            ("%0A", "%250A", "%250A"),
        ];
        for (raw, data, property) in cases {
            assert_eq!(escape_data(raw), data, "{raw:?}");
            assert_eq!(escape_property(raw), property, "{raw:?}");
        }
    }
}
