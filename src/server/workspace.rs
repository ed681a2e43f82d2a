//! The server's view of one workspace folder: the settings and packs in force there (reloaded
//! when the config file or a pack changes), and each document's findings from the per-document
//! core ([`crate::document`]), open buffers standing in for the disk. Settings are found from
//! the folder as the command line finds them from the current folder, so every call first makes
//! the folder current (the server is single-threaded).

/// Open buffers by real path, shared by every folder.
pub type Buffers = HashMap<PathBuf, Buffer>;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;

use crate::checks::Resolved;
use crate::checks::waivers::WaiverSet;
use crate::cli::CheckArgs;
use crate::diag::{Finding, Sink};
use crate::model::Packs;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::{config, discover, document, load, paths, policy};

/// An open buffer.
pub struct Buffer {
    pub uri: lsp_types::Uri,
    pub text: String,
}

/// What a file is to raci-lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ownership,
    Config,
    Infrastructure,
}

pub struct Workspace {
    args: CheckArgs,
    pub settings: Settings,
    pub packs: Packs,
    /// Problems with the packs in force (a user pack with an error): shown on the config file.
    pub pack_findings: Vec<Finding>,
    ownership: GlobSet,
    /// The workspace folder: current while this workspace works, shown paths relative to it.
    pub cwd: PathBuf,
}

impl Workspace {
    pub fn new(args: CheckArgs, folder: PathBuf) -> Workspace {
        let _ = std::env::set_current_dir(&folder);
        let settings = Settings::resolve(args.clone());
        let mut ws = Workspace {
            args,
            settings,
            packs: Packs::default(),
            pack_findings: Vec::new(),
            ownership: GlobSet::empty(),
            cwd: folder,
        };
        ws.reload();
        ws
    }

    /// Makes the folder current: the config file, the repository root and shown paths are
    /// judged from it.
    fn enter(&self) {
        if std::env::current_dir().ok().as_deref() != Some(self.cwd.as_path()) {
            let _ = std::env::set_current_dir(&self.cwd);
        }
    }

    /// Whether `path` lies in this folder.
    pub fn holds(&self, path: &Path) -> bool {
        path.starts_with(&self.cwd)
    }

    /// Reads the config file and the packs again: they changed on disk.
    pub fn reload(&mut self) {
        self.enter();
        self.settings = Settings::resolve(self.args.clone());
        let (packs, findings) = load::registry::load_confined(
            &self.settings.packs,
            self.settings.config_packs,
            &self.settings.root,
        );
        self.packs = packs;
        self.pack_findings = findings;
        self.ownership =
            discover::globset(&self.settings.ownership_globs).unwrap_or_else(|_| GlobSet::empty());
    }

    pub fn kind(&self, path: &Path) -> Kind {
        self.enter();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "raci-lint.yaml" | ".raci-lint.yaml") {
            Kind::Config
        } else if discover::is_ownership_name(&self.ownership, path, &self.settings.root) {
            Kind::Ownership
        } else {
            Kind::Infrastructure
        }
    }

    /// Whether a change to `path` on disk changes the settings or packs.
    pub fn is_setting(&self, path: &Path) -> bool {
        let absolute = paths::absolute(&self.cwd, path);
        self.kind(path) == Kind::Config
            || self
                .settings
                .packs
                .iter()
                .any(|p| absolute.starts_with(paths::absolute(&self.cwd, p)))
    }

    /// The document at `path`: its buffer when open, else the disk, through the loader's checks
    /// (a regular file, at most 4 MiB, UTF-8).
    pub fn source(&self, buffers: &Buffers, path: &Path) -> Option<Arc<SourceFile>> {
        match buffers.get(path) {
            Some(buffer) => Some(SourceFile::new(self.shown(path), buffer.text.as_str())),
            None => load::read::from_disk(path, &self.shown(path), load::FileKind::Ownership).ok(),
        }
    }

    pub fn shown(&self, path: &Path) -> String {
        paths::display_from(Some(&self.cwd), path)
    }

    /// The findings of the document at `path` (`source`, from [`Workspace::source`]), as
    /// `raci-lint check` would report them for that file.
    pub fn findings(
        &self,
        buffers: &Buffers,
        path: &Path,
        source: &Arc<SourceFile>,
    ) -> Vec<Finding> {
        self.enter();
        let folder = path.parent().unwrap_or(path);
        match self.kind(path) {
            Kind::Ownership => {
                document::ownership_findings(source, &self.packs, folder, &self.settings)
            }
            Kind::Config => self.config_findings(source, folder),
            Kind::Infrastructure => self.evidence_findings(buffers, path, source),
        }
    }

    fn config_findings(&self, source: &Arc<SourceFile>, folder: &Path) -> Vec<Finding> {
        let mut findings = match config::parse(source, folder, &self.settings.root) {
            Ok(config) => config.problems,
            Err(finding) => vec![finding],
        };
        // A broken pack is the config file's business: it names the packs.
        findings.extend(self.pack_findings.iter().cloned());
        findings
    }

    /// The ownership files of the workspace, resolved, from buffers where open.
    fn owners(&self, buffers: &Buffers) -> (Vec<Resolved>, Vec<WaiverSet>) {
        let exclude =
            discover::globset(&self.settings.exclude).unwrap_or_else(|_| GlobSet::empty());
        let roots = [self.settings.root.clone()];
        let found = discover::discover(&discover::Walk {
            roots: &roots,
            ownership: &self.ownership,
            exclude: &exclude,
            keep_others: false,
            repo_root: &self.settings.root,
            threads: 1,
            on_ownership: None,
        });
        let mut owners = Vec::new();
        let mut sets = Vec::new();
        for candidate in found.ownership {
            let path = paths::absolute(&self.cwd, &candidate.path);
            let Some(source) = self.source(buffers, &path) else {
                continue;
            };
            let checked = document::ownership(&source, &self.packs, path.parent().unwrap_or(&path));
            owners.extend(checked.resolved);
            sets.extend(checked.waivers);
        }
        (owners, sets)
    }

    /// Evidence in an infrastructure file, with the waivers of the ownership files and the
    /// settings' severities applied.
    fn evidence_findings(
        &self,
        buffers: &Buffers,
        path: &Path,
        source: &Arc<SourceFile>,
    ) -> Vec<Finding> {
        if !self.settings.evidence {
            return Vec::new();
        }
        let (owners, sets) = self.owners(buffers);
        let mut bytes = Vec::new();
        if source.bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(source.text.as_bytes());
        // Waived where found, before the file's findings are cut, as in a run.
        let found = document::infrastructure(
            path,
            &source.path,
            &bytes,
            (&owners, &sets),
            &self.settings.root,
            &self.settings,
        );
        let mut kept: Vec<Finding> = found
            .into_iter()
            .filter(|f| f.path.as_deref() == Some(source.path.as_str()))
            .collect();
        policy::severities(&mut kept, &self.settings);
        let mut sink = Sink::default();
        sink.extend(kept);
        sink.into_sorted()
    }
}
