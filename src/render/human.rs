//! Human output: each finding through miette's graphical handler, then a summary line.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::Report;
use crate::diag::{Finding, Severity};
use crate::source::SourceFile;

pub struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

pub fn render(report: &Report, style: &Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for finding in &report.findings {
        let shown = Shown::new(finding);
        if handler.render_report(&mut out, &shown).is_err() {
            // A span miette cannot place: fall back to one plain line rather than lose it.
            out.push_str(&super::concise::line(finding));
            out.push('\n');
        }
        out.push('\n');
    }
    if !style.quiet {
        out.push_str(&summary_line(report));
        out.push('\n');
    }
    out
}

/// "1 finding", "2 findings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "2 errors, 3 warnings in 4 ownership files" (notes only when there are some).
pub fn summary_line(report: &Report) -> String {
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
    if report.baselined > 0 {
        line.push_str(&format!(
            " ({} in the baseline not shown)",
            plural(report.baselined, "finding")
        ));
    }
    line
}

/// A finding as a miette diagnostic.
struct Shown<'a> {
    finding: &'a Finding,
    source: Option<Named>,
    code: String,
    related: Vec<Elsewhere<'a>>,
}

/// A secondary label in another file, shown as a note under the finding.
struct Elsewhere<'a> {
    related: &'a crate::diag::Related,
    source: Named,
}

impl fmt::Debug for Elsewhere<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.related.label.text.as_deref().unwrap_or(""))
    }
}

impl fmt::Display for Elsewhere<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.related.label.text.as_deref().unwrap_or(""))
    }
}

impl std::error::Error for Elsewhere<'_> {}

impl Diagnostic for Elsewhere<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = &self.related.label;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, miette_span(label.span)),
        )))
    }
}

impl<'a> Shown<'a> {
    fn new(finding: &'a Finding) -> Self {
        Shown {
            finding,
            source: finding.source.clone().map(Named),
            // A path without a span still belongs in the header.
            code: match (&finding.source, &finding.path) {
                (None, Some(path)) => format!("{} ({path})", finding.code),
                _ => finding.code.to_string(),
            },
            related: finding
                .related
                .iter()
                .map(|related| Elsewhere {
                    related,
                    source: Named(Arc::clone(&related.source)),
                })
                .collect(),
        }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Shown<'_> {}

fn miette_span(span: crate::source::Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = self.finding.primary.as_ref()?;
        let first =
            LabeledSpan::new_primary_with_span(primary.text.clone(), miette_span(primary.span));
        let rest = self
            .finding
            .secondary
            .iter()
            .map(|l| LabeledSpan::new_with_span(l.text.clone(), miette_span(l.span)));
        Some(Box::new(std::iter::once(first).chain(rest)))
    }
}

/// A source file as miette reads it, named by its path, without copying its text.
struct Named(Arc<SourceFile>);

impl SourceCode for Named {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.0.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.path.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
