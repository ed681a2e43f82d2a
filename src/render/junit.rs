//! JUnit XML (quick-junit): one test case per ownership file, failed when it has an error
//! finding (evidence findings count for the ownership file they are attributed to), with every
//! finding listed; files that are not ownership files but have findings (a rule pack, an
//! unreadable path) get a test case of their own.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report as JUnit, TestCase, TestCaseStatus, TestSuite};

use super::{concise, escape};
use crate::Report;
use crate::diag::{Finding, Severity};

/// The test case a finding belongs to: its ownership file.
fn case_of(f: &Finding) -> String {
    f.related
        .first()
        .map(|r| r.source.path.clone())
        .or_else(|| f.path.clone())
        .unwrap_or_else(|| ".".to_owned())
}

pub fn render(report: &Report) -> String {
    let mut cases: BTreeMap<String, Vec<&Finding>> = report
        .checked
        .iter()
        .map(|path| (path.clone(), Vec::new()))
        .collect();
    for f in &report.findings {
        cases.entry(case_of(f)).or_default().push(f);
    }
    let mut suite = TestSuite::new("raci-lint");
    for (path, findings) in cases {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        // Each finding with its help, as the format has no field of its own for it.
        let listing: String = findings
            .iter()
            .map(|f| match &f.help {
                Some(help) => format!(
                    "{}\n  help: {}\n",
                    concise::line(f, false),
                    escape::text(help)
                ),
                None => concise::line(f, false) + "\n",
            })
            .collect();
        let status = if errors > 0 {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(format!(
                    "{errors} error{}",
                    if errors == 1 { "" } else { "s" }
                ))
                .set_type("raci-lint")
                .set_description(listing.clone());
            status
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(escape::text(&path).into_owned(), status);
        case.set_classname("raci-lint");
        if errors == 0 && !listing.is_empty() {
            case.set_system_out(listing);
        }
        suite.add_test_case(case);
    }
    let mut junit = JUnit::new("raci-lint");
    junit.add_test_suite(suite);
    let mut text = junit.to_string().unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
