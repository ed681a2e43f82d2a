//! Concise output: `path:line:col: severity[code] message`, one line per finding, for grep,
//! editors' quickfix lists and logs.

use crate::Report;
use crate::diag::Finding;

pub fn line(f: &Finding) -> String {
    let path = f.path.as_deref().unwrap_or(".");
    let at = match f.start() {
        Some(p) => format!("{path}:{}:{}", p.line, p.column),
        None => path.to_owned(),
    };
    // One finding, one line: a message never spans lines.
    let message = f.message.replace(['\n', '\r'], " ");
    format!("{at}: {}[{}] {message}", f.severity.as_str(), f.code)
}

pub fn render(report: &Report) -> String {
    report.findings.iter().map(|f| line(f) + "\n").collect()
}
