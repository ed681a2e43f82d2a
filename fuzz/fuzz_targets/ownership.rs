//! Fuzz target: any bytes as an ownership file, loaded and checked against the built-in packs.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use raci_lint::diag::Sink;
use raci_lint::model::Packs;
use raci_lint::source::SourceFile;

static PACKS: LazyLock<Packs> = LazyLock::new(|| {
    let (builtin, _) = raci_lint::load::registry::builtin();
    let mut packs = Packs::default();
    for pack in builtin {
        packs.by_id.insert(pack.id().to_owned(), Arc::new(pack));
    }
    packs
});

fuzz_target!(|data: &[u8]| {
    let source = SourceFile::new("raci.yaml", String::from_utf8_lossy(data).into_owned());
    let mut sink = Sink::default();
    if let Ok(mut file) = raci_lint::load::ownership::load(&source) {
        use raci_lint::load::ownership::{MAX_SCOPE_GLOBS, MAX_TEAMS, MAX_WAIVERS, enforce_limits};
        sink.extend(enforce_limits(&mut file));
        // What lies past a limit is not used.
        assert!(file.scope.as_ref().is_none_or(|s| s.value.value.len() <= MAX_SCOPE_GLOBS));
        assert!(file.teams.as_ref().is_none_or(|t| t.value.value.len() <= MAX_TEAMS));
        assert!(file.waivers.as_ref().is_none_or(|w| w.value.value.len() <= MAX_WAIVERS));
        raci_lint::checks::ownership_file(file, &PACKS, &mut sink);
    }
    for f in sink.findings() {
        let _ = (f.start(), f.end());
    }
});
