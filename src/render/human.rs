//! Human output: each finding through miette's graphical handler, then a summary line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan,
};

use super::escape;
use super::excerpt::{self, Excerpt};
use crate::Report;
use crate::diag::{Finding, Label, Severity};
use crate::source::Span;

pub struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
    /// `--unsafe-fixes`: unsafe fixes are marked `[*]` and counted as fixable too.
    pub unsafe_fixes: bool,
}

pub fn render(report: &Report, style: &Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Lines break at spaces only, never inside a word: an id (`seo-issues`), a path or a
    // snippet to copy (`allow(os-network-firewall-configuration)`) stays whole.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::Custom(words_outside_snippets))
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for finding in &report.findings {
        let shown = Shown::new(finding, style.unsafe_fixes);
        if handler.render_report(&mut out, &shown).is_err() {
            // A span miette cannot place: fall back to one plain line rather than lose it.
            out.push_str(&super::concise::line(finding, style.unsafe_fixes));
            out.push('\n');
        }
        out.push('\n');
    }
    if !style.quiet {
        out.push_str(&summary_line(report, style.unsafe_fixes));
        out.push('\n');
    }
    out
}

/// Words for line wrapping: split at spaces, except inside a `backticked` snippet, which stays
/// on one line so it can be copied (`raci-lint: allow(server-os-patching) <reason>`).
fn words_outside_snippets(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let (mut start, mut in_snippet) = (0, false);
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_snippet = !in_snippet,
            b' ' if !in_snippet => {
                let mut end = i;
                while end < bytes.len() && bytes[end] == b' ' {
                    end += 1;
                }
                words.push(textwrap::core::Word::from(&line[start..end]));
                start = end;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

/// "1 finding", "2 findings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "2 errors, 3 warnings in 4 ownership files" (notes only when there are some), then what
/// `--fix` did or could do: "; fixed 2 findings", "; 2 fixable with --fix (1 more with
/// --unsafe-fixes)".
pub fn summary_line(report: &Report, unsafe_fixes: bool) -> String {
    let s = &report.summary;
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.notes > 0 {
        parts.push(plural(s.notes, "note"));
    }
    let mut line = format!(
        "{} in {}",
        parts.join(", "),
        plural(s.files, "ownership file")
    );
    if s.skipped > 0 {
        line.push_str(&format!(
            "; {} skipped (--verbose lists them)",
            plural(s.skipped, "file")
        ));
    }
    if report.baselined > 0 {
        line.push_str(&format!(
            " ({} in the baseline not shown)",
            plural(report.baselined, "finding")
        ));
    }
    if let Some(fixed) = s.fixed {
        line.push_str(&format!("; fixed {}", plural(fixed, "finding")));
    }
    let (safe, more) = if unsafe_fixes {
        (s.fixable + report.unsafe_fixable, 0)
    } else {
        (s.fixable, report.unsafe_fixable)
    };
    match (safe, more) {
        (0, 0) => {}
        (0, more) => line.push_str(&format!("; {more} fixable with --fix --unsafe-fixes")),
        (safe, 0) => line.push_str(&format!("; {safe} fixable with --fix")),
        (safe, more) => line.push_str(&format!(
            "; {safe} fixable with --fix ({more} more with --unsafe-fixes)"
        )),
    }
    line
}

/// A finding as a miette diagnostic: its excerpt, escaped texts and labels moved into it.
struct Shown {
    message: String,
    help: Option<String>,
    code: String,
    severity: Severity,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

fn escaped(s: &str) -> String {
    escape::text(s).into_owned()
}

impl Shown {
    fn new(finding: &Finding, unsafe_fixes: bool) -> Self {
        let mut source = None;
        let mut labels = Vec::new();
        if let (Some(file), Some(primary)) = (&finding.source, &finding.primary) {
            let all: Vec<&Label> = std::iter::once(primary).chain(&finding.secondary).collect();
            let spans: Vec<Span> = all.iter().map(|l| l.span).collect();
            let (excerpt, moved) = excerpt::build(file, &spans);
            for (i, (label, span)) in all.iter().zip(moved).enumerate() {
                let Some(span) = span else { continue };
                let text = label.text.as_deref().map(escaped);
                labels.push(if i == 0 {
                    LabeledSpan::new_primary_with_span(text, miette_span(span))
                } else {
                    LabeledSpan::new_with_span(text, miette_span(span))
                });
            }
            source = Some(excerpt);
        }
        // Where else the finding points (an evidence match's ownership file): one line each
        // under the help, `attributed to this ownership file: infra/raci.yaml:3:1`.
        let elsewhere: Vec<String> = finding
            .related
            .iter()
            .map(|related| {
                let at = related.source.line_col(related.label.span.start);
                format!(
                    "{}: {}:{}:{}",
                    escaped(related.label.text.as_deref().unwrap_or("see")),
                    escaped(&related.source.path),
                    at.line,
                    at.column
                )
            })
            .collect();
        let help = match (finding.help.as_deref().map(escaped), elsewhere.is_empty()) {
            (help, true) => help,
            (None, false) => Some(elsewhere.join("\n")),
            (Some(help), false) => Some(format!("{help}\n{}", elsewhere.join("\n"))),
        };
        Shown {
            message: escaped(&finding.message),
            help,
            // A path without a span still belongs in the header.
            code: match (&finding.source, &finding.path) {
                (None, Some(path)) => format!("{} ({})", finding.code, escape::text(path)),
                _ if super::fixable(finding, unsafe_fixes) => format!("{} [*]", finding.code),
                _ => finding.code.to_string(),
            },
            severity: finding.severity,
            source,
            labels,
        }
    }
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

fn miette_span(span: Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

impl Diagnostic for Shown {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}
