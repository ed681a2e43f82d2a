//! Findings: codes, severities, labels, the sink checks report into, and the fingerprint that
//! keeps a finding recognisable when lines move. The wording of every finding lives in
//! [`kinds`], one type per kind.

mod code;
pub mod explain;
pub mod fingerprint;
pub mod fix;
pub mod kinds;

use std::sync::Arc;

pub use code::Code;
pub use fix::{Applicability, Edit, Fix};

use crate::source::{LineCol, SourceFile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A labelled span in the finding's file.
#[derive(Clone, Debug)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
}

/// A secondary label that may sit in another file (an evidence match's ownership file, say).
#[derive(Clone, Debug)]
pub struct Related {
    pub source: Arc<SourceFile>,
    pub label: Label,
}

/// One reported problem. Built by the constructors in [`kinds`]; located with [`Finding::at`].
#[derive(Clone, Debug)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Path as shown to users, when the finding is about a file.
    pub path: Option<String>,
    pub source: Option<Arc<SourceFile>>,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub related: Vec<Related>,
    pub provider: Option<String>,
    pub activity: Option<String>,
    /// What the finding is about when no activity names it (an unknown id as written, a team),
    /// so that two such findings in one file keep different fingerprints.
    pub subject: Option<String>,
    /// The run cannot trust its own configuration (a broken config file): exit 2 whatever the
    /// code, and no severity setting applies.
    pub fatal: bool,
    /// Accepted by a waiver or an inline allow, listed only with `--show-waived` (as a note).
    pub waived: bool,
    /// Text edits to this finding's file that make it go away (DESIGN section 8).
    pub fix: Option<Box<Fix>>,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            message: message.into(),
            help: None,
            path: None,
            source: None,
            primary: None,
            secondary: Vec::new(),
            related: Vec::new(),
            provider: None,
            activity: None,
            subject: None,
            fatal: false,
            waived: false,
            fix: None,
        }
    }

    /// Attaches a fix (edits in this finding's file).
    pub fn with_fix(mut self, fix: Option<Fix>) -> Finding {
        self.fix = fix.map(Box::new);
        self
    }

    /// Marks the finding as one the run cannot go past (exit 2).
    pub fn fatal(mut self) -> Finding {
        self.fatal = true;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Places the finding in `source`, with its primary label on `span`.
    pub fn at(mut self, source: &Arc<SourceFile>, span: Span, label: impl Into<String>) -> Finding {
        self.path = Some(source.path.clone());
        self.source = Some(Arc::clone(source));
        let label: String = label.into();
        self.primary = Some(Label {
            span,
            text: (!label.is_empty()).then_some(label),
        });
        self
    }

    /// A finding about a path with no text to point into (unreadable file, empty search).
    pub fn at_path(mut self, path: impl Into<String>) -> Finding {
        self.path = Some(path.into());
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Finding {
        self.secondary.push(Label {
            span,
            text: Some(label.into()),
        });
        self
    }

    pub fn provider(mut self, provider: impl Into<String>) -> Finding {
        self.provider = Some(provider.into());
        self
    }

    pub fn activity(mut self, activity: impl Into<String>) -> Finding {
        self.activity = Some(activity.into());
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Finding {
        self.subject = Some(subject.into());
        self
    }

    /// Whether the finding makes the run exit 2: a broken config, or an error of a fatal code
    /// (`io-error`, a pack error).
    pub fn breaks_run(&self) -> bool {
        self.fatal || (self.code.is_fatal() && self.severity == Severity::Error)
    }

    /// Start of the primary label, if the finding has one.
    pub fn start(&self) -> Option<LineCol> {
        Some(
            self.source
                .as_ref()?
                .line_col(self.primary.as_ref()?.span.start),
        )
    }

    /// End of the primary label (exclusive column, as editors and SARIF count).
    pub fn end(&self) -> Option<LineCol> {
        Some(
            self.source
                .as_ref()?
                .line_col(self.primary.as_ref()?.span.end),
        )
    }

    /// The order every output uses: path, line, column, code, then the rest for ties.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.path.as_deref(),
            self.start(),
            self.code.as_str(),
            self.activity.as_deref(),
            self.subject.as_deref(),
            &self.message,
        )
    }
}

/// Where checks put their findings: every finding goes here; a check returns at most the resolved
/// context the pipeline needs next.
#[derive(Default, Debug)]
pub struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings in the order they were pushed.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// The findings in the deterministic order every output uses.
    pub fn into_sorted(self) -> Vec<Finding> {
        // Positions are computed once per finding, not once per comparison.
        let mut keyed: Vec<(Option<LineCol>, Finding)> =
            self.findings.into_iter().map(|f| (f.start(), f)).collect();
        keyed.sort_by(|(pa, a), (pb, b)| {
            (a.path.as_deref(), pa)
                .cmp(&(b.path.as_deref(), pb))
                .then_with(|| a.sort_key().cmp(&b.sort_key()))
        });
        keyed.into_iter().map(|(_, f)| f).collect()
    }
}

/// The first `max` of `findings` in output order, the rest dropped uncounted: for waived
/// findings, which are only listed (with `--show-waived`), never counted.
pub fn first_in_output_order(findings: Vec<Finding>, max: usize) -> Vec<Finding> {
    if findings.len() <= max {
        return findings;
    }
    let mut sink = Sink::default();
    sink.extend(findings);
    let mut kept = sink.into_sorted();
    kept.truncate(max);
    kept
}
