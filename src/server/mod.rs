//! `raci-lint server`: the language server (DESIGN section 10), LSP 3.17 on standard input and
//! output through `lsp-server`. One synchronous loop: messages already queued are taken
//! together, so a burst of keystrokes is checked once (the debounce); each request runs under
//! `catch_unwind`, so a bug answers one request with an error and the server goes on. Only
//! protocol messages reach standard output; logs go to the client (`window/logMessage`).

pub mod convert;
mod features;
mod workspace;

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidChangeWorkspaceFolders, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, HoverRequest, RegisterCapability, Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    CompletionResponse, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, LogMessageParams, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use self::convert::Encoding;
use self::workspace::{Buffer, Buffers, Kind, Workspace};
use crate::cli::CheckArgs;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server until the client says `exit`. `Ok(true)` when it asked for `shutdown` first,
/// `Ok(false)` when it left without (an `exit` alone, or its end of the pipe closed): the LSP
/// asks for exit status 1 then.
pub fn run(mut args: CheckArgs) -> Result<bool, Error> {
    // Standard input carries the protocol: `-` cannot name a file here.
    args.paths.retain(|p| p.as_os_str() != "-");
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start()?;
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let utf8 = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    let encoding = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    // Each workspace folder is a current folder in turn: its config file is found from it as
    // the command line finds it, and paths are shown relative to it.
    #[allow(deprecated)]
    let mut roots: Vec<PathBuf> = match &init.workspace_folders {
        Some(folders) if !folders.is_empty() => folders
            .iter()
            .filter_map(|f| convert::path_of(&f.uri))
            .collect(),
        _ => init
            .root_uri
            .as_ref()
            .and_then(convert::path_of)
            .into_iter()
            .collect(),
    };
    if roots.is_empty() {
        roots.push(std::env::current_dir().unwrap_or_default());
    }
    let capabilities = ServerCapabilities {
        position_encoding: Some(if utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        workspace: Some(lsp_types::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp_types::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp_types::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "(".into(), "-".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "raci-lint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result)?;
    let watch = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let folders = roots
        .into_iter()
        .map(|root| Workspace::new(args.clone(), root))
        .collect();
    let mut server = Server {
        connection: &connection,
        args,
        folders,
        buffers: Buffers::new(),
        encoding,
        published: BTreeSet::new(),
        next_id: 0,
    };
    if watch {
        server.watch_files();
    }
    let clean = server.main_loop();
    drop(connection);
    // A client that closed its end without waiting is gone, not an error of ours.
    let _ = io_threads.join();
    Ok(clean.unwrap_or(false))
}

struct Server<'a> {
    connection: &'a Connection,
    args: CheckArgs,
    /// One per workspace folder, never empty.
    folders: Vec<Workspace>,
    buffers: Buffers,
    encoding: Encoding,
    /// Documents with diagnostics published, to clear or refresh.
    published: BTreeSet<PathBuf>,
    next_id: i32,
}

impl Server<'_> {
    /// The workspace folder that holds `path` (the innermost), else the first.
    fn ws(&self, path: &Path) -> &Workspace {
        self.folders
            .iter()
            .filter(|w| w.holds(path))
            .max_by_key(|w| w.cwd.as_os_str().len())
            .unwrap_or(&self.folders[0])
    }

    /// Reloads the folders whose settings or packs `path` is; whether any was.
    fn reload_for(&mut self, paths: &[PathBuf]) -> bool {
        let mut any = false;
        for folder in &mut self.folders {
            if paths.iter().any(|p| folder.is_setting(p)) {
                folder.reload();
                any = true;
            }
        }
        any
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("raci-lint-{}", self.next_id));
        self.send(Message::Request(Request::new(
            id,
            R::METHOD.to_owned(),
            params,
        )));
    }

    fn log(&self, message: String) {
        self.notify::<LogMessage>(LogMessageParams {
            typ: MessageType::LOG,
            message,
        });
    }

    /// Asks the client to tell us when the config file, packs or ownership files change on disk.
    fn watch_files(&mut self) {
        let watchers = [
            "**/raci-lint.yaml",
            "**/.raci-lint.yaml",
            "**/*.yaml",
            "**/*.yml",
        ]
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_owned()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        self.request::<RegisterCapability>(RegistrationParams {
            registrations: vec![Registration {
                id: "raci-lint-watch".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        });
    }

    /// Whether the session ended with `shutdown` then `exit`.
    fn main_loop(&mut self) -> Result<bool, Error> {
        loop {
            let Ok(first) = self.connection.receiver.recv() else {
                return Ok(false);
            };
            // Everything already queued goes in one batch: a burst of changes is checked once.
            let mut batch = vec![first];
            while let Ok(more) = self.connection.receiver.try_recv() {
                batch.push(more);
            }
            let mut dirty: BTreeSet<PathBuf> = BTreeSet::new();
            let mut all = false;
            for message in batch {
                match message {
                    Message::Request(request) => {
                        if self.connection.handle_shutdown(&request)? {
                            return Ok(true);
                        }
                        self.answer(request);
                    }
                    Message::Notification(n) if n.method == "exit" => return Ok(false),
                    Message::Notification(n) => {
                        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            self.on_notification(n, &mut dirty)
                        }));
                        match outcome {
                            Ok(reload) => all |= reload,
                            Err(_) => self.log(
                                "raci-lint: a notification failed (a bug); the server goes on"
                                    .into(),
                            ),
                        }
                    }
                    Message::Response(_) => {}
                }
            }
            if all {
                dirty.extend(self.published.iter().cloned());
                dirty.extend(self.buffers.keys().cloned());
            }
            for path in dirty {
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.publish(&path)));
                if outcome.is_err() {
                    self.log(format!(
                        "raci-lint: checking {} failed (a bug); the server goes on",
                        path.display()
                    ));
                }
            }
        }
    }

    /// Updates the buffers; returns whether the settings or packs were reloaded.
    fn on_notification(&mut self, n: Notification, dirty: &mut BTreeSet<PathBuf>) -> bool {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                    && let Some(path) = convert::path_of(&p.text_document.uri)
                {
                    self.buffers.insert(
                        path.clone(),
                        Buffer {
                            uri: p.text_document.uri,
                            text: p.text_document.text,
                        },
                    );
                    dirty.insert(path);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    && let Some(path) = convert::path_of(&p.text_document.uri)
                    && let Some(change) = p.content_changes.into_iter().last()
                    && let Some(buffer) = self.buffers.get_mut(&path)
                {
                    buffer.text = change.text;
                    // Infrastructure files are judged on open and save only.
                    if self.ws(&path).kind(&path) != Kind::Infrastructure {
                        dirty.insert(path);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                    && let Some(path) = convert::path_of(&p.text_document.uri)
                {
                    if let (Some(text), Some(buffer)) = (p.text, self.buffers.get_mut(&path)) {
                        buffer.text = text;
                    }
                    if self.reload_for(std::slice::from_ref(&path)) {
                        return true;
                    }
                    dirty.insert(path);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    && let Some(path) = convert::path_of(&p.text_document.uri)
                {
                    self.buffers.remove(&path);
                    // Back to what the disk says (nothing for an infrastructure file not open).
                    dirty.insert(path);
                }
            }
            DidChangeWorkspaceFolders::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWorkspaceFoldersParams>(n.params)
                {
                    let removed: Vec<PathBuf> = p
                        .event
                        .removed
                        .iter()
                        .filter_map(|f| convert::path_of(&f.uri))
                        .collect();
                    let kept: Vec<Workspace> = std::mem::take(&mut self.folders)
                        .into_iter()
                        .filter(|w| !removed.contains(&w.cwd))
                        .collect();
                    self.folders = kept;
                    for added in p
                        .event
                        .added
                        .iter()
                        .filter_map(|f| convert::path_of(&f.uri))
                    {
                        if !self.folders.iter().any(|w| w.cwd == added) {
                            self.folders.push(Workspace::new(self.args.clone(), added));
                        }
                    }
                    if self.folders.is_empty() {
                        let here = std::env::current_dir().unwrap_or_default();
                        self.folders.push(Workspace::new(self.args.clone(), here));
                    }
                    return true;
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                {
                    let changed: Vec<PathBuf> = p
                        .changes
                        .iter()
                        .filter_map(|c| convert::path_of(&c.uri))
                        .collect();
                    if self.reload_for(&changed) {
                        return true;
                    }
                    // An ownership file changed: evidence of the open files may change.
                    if changed
                        .iter()
                        .any(|p| self.ws(p).kind(p) == Kind::Ownership)
                    {
                        dirty.extend(self.buffers.keys().cloned());
                    }
                }
            }
            _ => {}
        }
        false
    }

    /// Checks one document and publishes its diagnostics: from its buffer when open, else from
    /// the disk for ownership and config files (an infrastructure file not open gets none).
    fn publish(&mut self, path: &Path) {
        let ws = self.ws(path);
        let uri = match self.buffers.get(path) {
            Some(buffer) => buffer.uri.clone(),
            None => match convert::uri_of(path) {
                Some(uri) => uri,
                None => return,
            },
        };
        let open = self.buffers.contains_key(path);
        let source = (open || ws.kind(path) != Kind::Infrastructure)
            .then(|| ws.source(&self.buffers, path))
            .flatten();
        let diagnostics = match &source {
            Some(source) => ws
                .findings(&self.buffers, path, source)
                .iter()
                .filter(|f| f.path.as_deref().is_none_or(|p| p == source.path))
                .map(|f| convert::diagnostic(f, source, self.encoding, &ws.cwd))
                .collect(),
            None => Vec::new(),
        };
        if diagnostics.is_empty() {
            self.published.remove(path);
        } else {
            self.published.insert(path.to_path_buf());
        }
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        });
    }

    fn answer(&mut self, request: Request) {
        let id = request.id.clone();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.respond(request)));
        let response = match outcome {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "raci-lint: this request failed (a bug); the server goes on".to_owned(),
            ),
        };
        self.send(Message::Response(response));
    }

    /// The buffer of a request's document, with its path.
    fn buffer(&self, uri: &Uri) -> Result<(PathBuf, String), (ErrorCode, String)> {
        let path = convert::path_of(uri).ok_or((
            ErrorCode::InvalidParams,
            format!("not a file URI: {}", uri.as_str()),
        ))?;
        let buffer = self.buffers.get(&path).ok_or((
            ErrorCode::InvalidParams,
            format!("not an open document: {}", uri.as_str()),
        ))?;
        Ok((path, buffer.text.clone()))
    }

    fn respond(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let invalid = |e: serde_json::Error| (ErrorCode::InvalidParams, e.to_string());
        match request.method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams =
                    serde_json::from_value(request.params).map_err(invalid)?;
                let uri = &p.text_document_position_params.text_document.uri;
                let (path, text) = self.buffer(uri)?;
                let ws = self.ws(&path);
                if ws.kind(&path) != Kind::Ownership {
                    return Ok(serde_json::Value::Null);
                }
                let source = crate::source::SourceFile::new(ws.shown(&path), text);
                let at = convert::offset(
                    &source.text,
                    p.text_document_position_params.position,
                    self.encoding,
                );
                let hover = features::hover(&source, &ws.packs, at);
                Ok(serde_json::to_value(hover).unwrap_or_default())
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams =
                    serde_json::from_value(request.params).map_err(invalid)?;
                let uri = &p.text_document_position.text_document.uri;
                let (path, text) = self.buffer(uri)?;
                let ws = self.ws(&path);
                let source = crate::source::SourceFile::new(ws.shown(&path), text);
                let at = convert::offset(
                    &source.text,
                    p.text_document_position.position,
                    self.encoding,
                );
                let mut items = features::complete_allow(&source.text, at, &ws.packs);
                if items.is_empty() && ws.kind(&path) == Kind::Ownership {
                    items = features::complete(&source, &ws.packs, at);
                }
                Ok(serde_json::to_value(CompletionResponse::Array(items)).unwrap_or_default())
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams =
                    serde_json::from_value(request.params).map_err(invalid)?;
                let (path, text) = self.buffer(&p.text_document.uri)?;
                let ws = self.ws(&path);
                let source = crate::source::SourceFile::new(ws.shown(&path), text);
                let findings = ws.findings(&self.buffers, &path, &source);
                let actions = features::code_actions(
                    &p.text_document.uri,
                    &source,
                    &findings,
                    p.range,
                    self.encoding,
                    &ws.cwd,
                );
                Ok(serde_json::to_value(actions).unwrap_or_default())
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("raci-lint does not handle {}", request.method),
            )),
        }
    }
}
