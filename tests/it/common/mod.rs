//! Shared helpers for the integration tests: run the library on a folder and flatten findings.
#![allow(dead_code)]

use raci_lint::cli::Cli;
use raci_lint::settings::Settings;
use raci_lint::{Outcome, Report};

/// Settings as the command line would build them.
pub fn settings(args: &[&str]) -> Settings {
    let cli = Cli::parse_anywhere(std::iter::once("raci-lint").chain(args.iter().copied()))
        .expect("valid arguments");
    Settings::resolve(cli.into_check().expect("check arguments"))
}

pub fn run(args: &[&str]) -> (Report, Outcome) {
    let settings = settings(args);
    let report = raci_lint::check(&settings);
    let outcome = report.outcome(settings.deny_warnings);
    (report, outcome)
}

/// A finding as a test sees it: code, start line:column, end line:column, activity.
pub type Row = (String, String, String, Option<String>);

pub fn rows(report: &Report) -> Vec<Row> {
    report
        .findings
        .iter()
        .map(|f| {
            let pos = |p: Option<raci_lint::source::LineCol>| {
                p.map_or("-".to_owned(), |p| format!("{}:{}", p.line, p.column))
            };
            (
                f.code.to_string(),
                pos(f.start()),
                pos(f.end()),
                f.activity.clone(),
            )
        })
        .collect()
}

pub fn row(code: &str, start: &str, end: &str, activity: Option<&str>) -> Row {
    (
        code.to_owned(),
        start.to_owned(),
        end.to_owned(),
        activity.map(str::to_owned),
    )
}

/// Writes `files` (path, text) into a fresh temporary folder.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The built-in packs, as the registry loads them.
pub fn builtin_packs() -> raci_lint::model::Packs {
    let (builtin, _) = raci_lint::load::registry::builtin();
    let mut packs = raci_lint::model::Packs::default();
    for pack in builtin {
        packs.insert(std::sync::Arc::new(pack));
    }
    packs
}
