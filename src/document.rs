//! The per-document core: one document's text checked against the packs and settings in force,
//! with no file system access, returning findings with spans (and fixes). The command-line run
//! ([`crate::check`]) is this core plus discovery, reading, the run-wide policy (waivers across
//! files, baseline, severities, `max-findings`) and rendering; an editor calls it on an unsaved
//! buffer.

use std::path::Path;
use std::sync::Arc;

use crate::checks::waivers::{self, WaiverSet};
use crate::checks::{self, Resolved};
use crate::diag::{Finding, Sink};
use crate::model::Packs;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::{evidence, load, policy};

/// One ownership file checked: its findings, what the scan needs when it resolved (provider,
/// plan and products known), and its waivers for the run-wide policy.
pub struct Checked {
    pub findings: Vec<Finding>,
    pub resolved: Option<Resolved>,
    pub waivers: Option<WaiverSet>,
}

/// Loads and checks the ownership file `source` (its text as read, its shown path): parse,
/// per-file limits, references, RACI semantics. `folder` is the real folder it sits in, which
/// decides the files its scope covers.
pub fn ownership(source: &Arc<SourceFile>, packs: &Packs, folder: &Path) -> Checked {
    let mut sink = Sink::default();
    let mut file = match load::ownership::load(source) {
        Ok(file) => file,
        Err(finding) => {
            return Checked {
                findings: vec![finding],
                resolved: None,
                waivers: None,
            };
        }
    };
    sink.extend(load::ownership::enforce_limits(&mut file));
    let mut waivers = file.waivers.as_ref().map(|field| WaiverSet {
        source: Arc::clone(&file.source),
        folder: file
            .source
            .path
            .rsplit_once('/')
            .map_or(String::new(), |(dir, _)| dir.to_owned()),
        provider: file.provider.value.value.clone(),
        field: field.clone(),
        checked: false,
        used: vec![false; field.value.value.len()],
    });
    let resolved = checks::ownership_file(file, packs, &mut sink).map(|mut resolved| {
        resolved.folder = folder.to_path_buf();
        resolved
    });
    if let Some(set) = &mut waivers {
        set.checked = resolved.is_some();
    }
    Checked {
        findings: sink.into_findings(),
        resolved,
        waivers,
    }
}

/// An ownership file as an editor shows it: [`ownership`], then its own waivers and the
/// settings' severities. Evidence waivers are not judged (no scan ran), so they are never
/// reported unused here.
pub fn ownership_findings(
    source: &Arc<SourceFile>,
    packs: &Packs,
    folder: &Path,
    settings: &Settings,
) -> Vec<Finding> {
    let checked = ownership(source, packs, folder);
    let sets: Vec<WaiverSet> = checked.waivers.into_iter().collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    let (mut findings, _) = waivers::apply(checked.findings, &sets, (settings.today, &cwd), false);
    policy::severities(&mut findings, settings);
    let mut sink = Sink::default();
    sink.extend(findings);
    sink.into_sorted()
}

/// An infrastructure file's `bytes`, judged as the file at `path` (absolute), against the
/// ownership files `owners` that may govern it, with their waivers `sets`: evidence and inline
/// allows, as the scan reports them, waived matches left out before the file's findings are
/// cut to `max-findings`, as in a run. Nothing is read: `bytes` is the text.
pub fn infrastructure(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    (owners, sets): (&[Resolved], &[WaiverSet]),
    repo_root: &Path,
    settings: &Settings,
) -> Vec<Finding> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let waivers = waivers::Waivers::new(sets, settings.today, &cwd);
    evidence::check_document(
        &evidence::Document {
            path,
            shown,
            bytes,
            repo_root,
        },
        owners,
        (settings.max_file_size, settings.max_findings),
        Some(&waivers),
    )
}
