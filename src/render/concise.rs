//! Concise output: `path:line:col: severity[code] message`, one line per finding, for grep,
//! editors' quickfix lists and logs.

use super::escape;
use crate::Report;
use crate::diag::Finding;

pub fn line(f: &Finding, unsafe_fixes: bool) -> String {
    let path = escape::text(f.path.as_deref().unwrap_or("."));
    let at = match f.start() {
        Some(p) => format!("{path}:{}:{}", p.line, p.column),
        None => path.into_owned(),
    };
    // One finding, one line: a message never spans lines, and nothing in it is a control.
    let message = escape::text(&f.message);
    let mark = if super::fixable(f, unsafe_fixes) {
        " [*]"
    } else {
        ""
    };
    format!("{at}: {}[{}]{mark} {message}", f.severity.as_str(), f.code)
}

pub fn render(report: &Report, unsafe_fixes: bool) -> String {
    report
        .findings
        .iter()
        .map(|f| line(f, unsafe_fixes) + "\n")
        .collect()
}
