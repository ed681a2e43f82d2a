//! Fuzz target: any bytes as a baseline file, parsed and validated, then matched against a
//! finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use raci_lint::diag::{Code, Finding};
use raci_lint::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let source = SourceFile::new("baseline.json", String::from_utf8_lossy(data).into_owned());
    if let Ok(baseline) = raci_lint::baseline::parse(source) {
        let finding = Finding::new(Code::UnownedDuty, "m").at_path("raci.yaml");
        let _ = raci_lint::baseline::apply(&baseline, vec![finding], |_| true);
    }
});
