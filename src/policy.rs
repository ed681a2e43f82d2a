//! The run-wide policy over findings, public so that every front end (the command line, an
//! editor) applies the same: the config's severities (`off` removes), `--strict`, and which
//! baseline entries a run could have matched.

use crate::baseline;
use crate::diag::{Code, Finding, Severity};
use crate::settings::Settings;

/// Applies the config file's severities: `off` removes a finding whatever the flags.
pub fn severities(findings: &mut Vec<Finding>, settings: &Settings) {
    findings.retain_mut(|finding| {
        if finding.fatal || finding.waived {
            return true;
        }
        match settings.severity.get(&finding.code) {
            Some(Some(level)) => {
                finding.severity = *level;
                true
            }
            Some(None) => false,
            None => true,
        }
    });
}

/// Whether this run could have matched a baseline entry: its code is on, its path lies under
/// a PATH checked, and evidence entries only when evidence is searched. Other entries are not
/// reported as unused.
pub fn baseline_in_scope(entry: &baseline::Entry, settings: &Settings, roots: &[String]) -> bool {
    let code = Code::from_name(&entry.code);
    if code.is_some_and(|c| settings.severity.get(&c) == Some(&None)) {
        return false;
    }
    if !settings.evidence && code == Some(Code::PerformsProviderDuty) {
        return false;
    }
    let Some(path) = &entry.path else {
        return true;
    };
    roots.iter().any(|root| {
        root == "."
            || path == root
            || path
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// `--strict` raises `unowned-duty` and `performs-provider-duty` to errors.
pub fn strict(settings: &Settings, code: Code, severity: Severity) -> Severity {
    if settings.strict && matches!(code, Code::UnownedDuty | Code::PerformsProviderDuty) {
        Severity::Error
    } else {
        severity
    }
}
