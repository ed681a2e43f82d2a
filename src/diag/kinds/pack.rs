//! Wording of rule pack validation findings (`pack-*` codes).

use std::sync::Arc;

use crate::diag::{Code, Finding};
use crate::source::{SourceFile, Span};

/// Pack validation findings: small enough to share one type with a code per problem.
pub struct PackProblem<'a> {
    pub code: Code,
    pub span: Span,
    pub label: &'a str,
    pub message: String,
    pub help: Option<String>,
    pub provider: &'a str,
    pub activity: Option<&'a str>,
}

impl PackProblem<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let mut finding = Finding::new(self.code, self.message)
            .at(src, self.span, self.label)
            .provider(self.provider);
        if let Some(help) = self.help {
            finding = finding.help(help);
        }
        if let Some(activity) = self.activity {
            finding = finding.activity(activity);
        }
        finding
    }
}
