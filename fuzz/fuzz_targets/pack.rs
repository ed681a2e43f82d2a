//! Fuzz target: any bytes as a user rule pack, loaded, validated and compiled for scanning.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use raci_lint::evidence::rules::PackRules;
use raci_lint::model::PackOrigin;
use raci_lint::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let source = SourceFile::new("pack.yaml", String::from_utf8_lossy(data).into_owned());
    let (pack, _findings) = raci_lint::load::registry::load_one(&source, PackOrigin::User);
    if let Some(pack) = pack {
        let _ = PackRules::compile(&Arc::new(pack));
    }
});
