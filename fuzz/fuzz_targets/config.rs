//! Fuzz target: any bytes as a config file, loaded and validated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use raci_lint::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let source = SourceFile::new("raci-lint.yaml", String::from_utf8_lossy(data).into_owned());
    let _ = raci_lint::config::parse(&source, std::path::Path::new("."), std::path::Path::new("/"));
});
