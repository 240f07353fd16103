//! The language server: a thin layer that keeps documents, runs the analysis and speaks LSP.
//! One file per concern: documents, positions, conversions, hover, code actions.

mod actions;
mod configuration;
mod convert;
pub mod documents;
pub mod framing;
mod hover;
pub mod position;
mod symbols;

use crate::positions::Encoding;
use crate::settings;
use configuration::Configuration;
use documents::{Diagnostics, Document, analyse_incremental};
use ropey::Rope;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tokio::sync::watch;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService, Server};

/// How long first diagnostics wait for the editor's settings.
const CONFIGURATION_WAIT: std::time::Duration = std::time::Duration::from_millis(1000);

pub struct State {
    docs: Mutex<HashMap<Uri, Document>>,
    encoding: RwLock<Encoding>,
    configuration: Mutex<Configuration>,
    /// The client answers `workspace/configuration`.
    pulls_configuration: AtomicBool,
    /// The client can watch `copydesk.toml` files for us.
    watches_files: AtomicBool,
    /// The client resolves a code action's `edit` later, keeping its `data`.
    resolves_edits: AtomicBool,
    /// Set once the editor's settings have been asked for, so that first diagnostics already
    /// follow them.
    configured: watch::Sender<bool>,
    shutdown: AtomicBool,
    /// Over stdio, diagnostics are written here directly (see `output`).
    direct: OnceLock<framing::Direct>,
    /// Over stdio, the long texts of `didOpen` and `didChange`, taken out by the guard.
    stash: OnceLock<framing::Stash>,
}

impl State {
    fn encoding(&self) -> Encoding {
        *self.encoding.read().unwrap_or_else(|e| e.into_inner())
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere must not take every document down with it.
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn configuration(&self) -> std::sync::MutexGuard<'_, Configuration> {
        self.configuration.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A text of the client's message: the one the guard stashed if `text` is its token.
    fn unstash(&self, text: &mut String) {
        if let Some(t) = self.stash.get().and_then(|s| s.take(text)) {
            *text = t;
        }
    }
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// The service and its client socket, for serving over any pair of streams (tests use a pipe).
pub fn service() -> (LspService<Backend>, ClientSocket) {
    let state = Arc::new(State {
        docs: Mutex::new(HashMap::new()),
        encoding: RwLock::new(Encoding::Utf16),
        configuration: Mutex::new(Configuration::default()),
        pulls_configuration: AtomicBool::new(false),
        watches_files: AtomicBool::new(false),
        resolves_edits: AtomicBool::new(false),
        configured: watch::channel(false).0,
        shutdown: AtomicBool::new(false),
        direct: OnceLock::new(),
        stash: OnceLock::new(),
    });
    LspService::new(|client| Backend { client, state })
}

/// Serves LSP on stdin/stdout. Exit status 0 after `shutdown` then `exit`, 1 otherwise (LSP).
pub fn run_stdio() -> ExitCode {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!("copydesk: internal error (panic), the server keeps serving: {info}");
        default_hook(info);
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("copydesk: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let clean = runtime.block_on(async {
        let (service, socket) = service();
        let state = service.inner().state.clone();
        // Malformed messages are answered by the guard; only JSON-RPC reaches the server.
        let guarded = framing::guard(tokio::io::stdin(), tokio::io::stdout());
        let _ = state.direct.set(guarded.direct.clone());
        let _ = state.stash.set(guarded.stash.clone());
        Server::new(guarded.server_input, guarded.server_output, socket)
            .serve(service)
            .await;
        // The server's output pipe is closed now; let its last answers reach the client.
        let _ = guarded.writer.await;
        state.shutdown.load(Ordering::SeqCst)
    });
    // Background analyses must not keep a departing server alive.
    runtime.shutdown_background();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    let offered = offered.map(Vec::as_slice).unwrap_or(&[]);
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

fn is_markdown(language_id: &str, uri: &Uri) -> bool {
    language_id.eq_ignore_ascii_case("markdown") || crate::analysis::is_markdown_path(uri.as_str())
}

impl Backend {
    async fn log(&self, typ: MessageType, message: impl std::fmt::Display) {
        self.client.log_message(typ, message).await;
    }

    /// Starts the task that analyses a document whenever it changes and publishes the result.
    /// Bursts coalesce: the task always analyses the latest version, and since one task per
    /// document publishes in order, a stale version is never published after a newer one.
    fn spawn_worker(&self, uri: Uri, mut wake: watch::Receiver<()>) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            let mut configured = state.configured.subscribe();
            // A client that never answers must not keep diagnostics back for long.
            let _ =
                tokio::time::timeout(CONFIGURATION_WAIT, configured.wait_for(|done| *done)).await;
            // The task's own incremental analysis of its document.
            let mut engine = None;
            while wake.changed().await.is_ok() {
                settle(&state, &uri).await;
                // Every wake-up so far is answered by the version about to be taken.
                wake.borrow_and_update();
                let Some((rope, version, markdown, config, dirty)) = ({
                    let mut docs = state.docs();
                    docs.get_mut(&uri).map(|d| {
                        let dirty = d.dirty.take();
                        // A snapshot of an older version is never served again (hovers on a
                        // newer one analyse it afresh): free it now rather than after this run.
                        if d.analysis.as_ref().is_some_and(|a| a.version != d.version) {
                            d.analysis = None;
                        }
                        (
                            d.rope.clone(),
                            d.version,
                            d.markdown,
                            d.config.clone(),
                            dirty,
                        )
                    })
                }) else {
                    break;
                };
                let enc = state.encoding();
                let large = rope.len_bytes() >= LARGE_DOCUMENT;
                let previous = engine.take();
                let direct = state.direct.get().is_some();
                let target = uri.clone();
                let work = move || {
                    let serialised = direct.then_some(&target);
                    analyse_incremental(
                        previous, rope, dirty, version, markdown, config, enc, serialised,
                    )
                };
                // A keystroke in a short draft is analysed right here (a thread hop costs more
                // than the analysis on a busy machine); long drafts go to the analysis thread.
                let result = if large {
                    on_analysis_thread(work).await
                } else {
                    Ok(work())
                };
                let (next, snapshot, diagnostics) = match result {
                    Ok(r) => r,
                    Err(why) => {
                        client
                            .log_message(
                                MessageType::ERROR,
                                format!("copydesk: analysis of {} failed: {why}", uri.as_str()),
                            )
                            .await;
                        continue;
                    }
                };
                engine = Some(next);
                {
                    let mut docs = state.docs();
                    let Some(doc) = docs.get_mut(&uri) else { break };
                    if doc.version != version || !Arc::ptr_eq(&doc.config, &snapshot.config) {
                        // A newer version arrived meanwhile; the loop picks it up.
                        continue;
                    }
                    doc.analysis = Some(Arc::new(snapshot));
                }
                match (diagnostics, state.direct.get()) {
                    (Diagnostics::Message(body), Some(out)) => out.send(body),
                    (Diagnostics::Values(diagnostics), _) => {
                        client
                            .publish_diagnostics(uri.clone(), diagnostics, Some(version))
                            .await;
                    }
                    (Diagnostics::Message(_), None) => {}
                }
            }
        });
    }

    /// Asks the client for its `copydesk` settings; false when it cannot answer.
    async fn pull_editor_settings(&self) -> bool {
        if !self.state.pulls_configuration.load(Ordering::SeqCst) {
            return false;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("copydesk".to_string()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(mut values) => {
                self.state.configuration().editor = values.pop().unwrap_or(serde_json::Value::Null);
                true
            }
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    format!("copydesk: the editor did not send its settings: {e}"),
                )
                .await;
                false
            }
        }
    }

    /// Recomputes every open draft's configuration (reading changed files again) and checks
    /// them all again at once.
    async fn reconfigure_all(&self) {
        let mut loaded = Vec::new();
        let mut problems = Vec::new();
        {
            let mut docs = self.state.docs();
            let mut configuration = self.state.configuration();
            for (uri, doc) in docs.iter_mut() {
                let (config, file, p) = configuration.for_document(uri);
                loaded.extend(file);
                if problems.is_empty() {
                    problems = p;
                }
                doc.config = config;
                doc.wake.send_replace(());
            }
        }
        self.report_configuration(loaded, problems).await;
    }

    /// Publishes the problems of configuration files on the files themselves (an empty list
    /// clears them) and logs them with those of the editor settings.
    async fn report_configuration(
        &self,
        loaded: Vec<configuration::Loaded>,
        editor: Vec<settings::Problem>,
    ) {
        let enc = self.state.encoding();
        for l in loaded {
            let shown = l.path.display().to_string();
            for p in &l.file.problems {
                let typ = if p.is_error {
                    MessageType::ERROR
                } else {
                    MessageType::WARNING
                };
                self.log(typ, format!("copydesk: {}", p.display(&shown)))
                    .await;
            }
            let Some(uri) = Uri::from_file_path(&l.path) else {
                continue;
            };
            let rope = Rope::from_str(&l.file.text);
            let diagnostics = l
                .file
                .problems
                .iter()
                .map(|p| {
                    let range = match (&p.span, p.line) {
                        (Some(span), _) => position::to_range(&rope, span, enc),
                        (None, Some(line)) => {
                            let start = Position::new(line.saturating_sub(1) as u32, 0);
                            Range::new(start, Position::new(start.line, u32::MAX))
                        }
                        (None, None) => Range::default(),
                    };
                    Diagnostic {
                        range,
                        severity: Some(if p.is_error {
                            DiagnosticSeverity::ERROR
                        } else {
                            DiagnosticSeverity::WARNING
                        }),
                        code: Some(NumberOrString::String("configuration".to_string())),
                        source: Some("copydesk".to_string()),
                        message: p.message.clone(),
                        ..Diagnostic::default()
                    }
                })
                .collect();
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
        for p in editor {
            self.log(
                MessageType::WARNING,
                format!("copydesk: editor setting copydesk.{}: {}", p.key, p.message),
            )
            .await;
        }
    }

    fn wake(&self, uri: &Uri) {
        if let Some(doc) = self.state.docs().get(uri) {
            doc.wake.send_replace(());
        }
    }

    /// Runs `f` on the current analysis of an open document, or fails with an LSP error. Work
    /// that grows with the draft (hovers and the outline resolve every speaker, fix-all analyses
    /// the fixed draft: a tenth of a second on 5 MB) runs on the analysis thread for long
    /// drafts, so that the async threads keep reading the editor's messages.
    async fn with_snapshot<T: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&documents::Snapshot, Encoding) -> T + Send + 'static,
    ) -> Result<T> {
        let snapshot = {
            let mut docs = self.state.docs();
            let doc = docs.get_mut(uri).ok_or_else(|| not_open(uri))?;
            doc.snapshot()
        };
        let enc = self.state.encoding();
        if snapshot.rope.len_bytes() < LARGE_DOCUMENT {
            return Ok(f(&snapshot, enc));
        }
        on_analysis_thread(move || f(&snapshot, enc))
            .await
            .map_err(|why| {
                let mut e = Error::internal_error();
                e.message = why.into();
                e
            })
    }
}

/// How long edits spread over a long draft must pause before it is analysed again, and the
/// longest such an analysis waits (see [`settle`]).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(2);
const SETTLE_AT_MOST: std::time::Duration = std::time::Duration::from_millis(100);
/// Edits spread over at least this many bytes of a long draft wait for the others of their
/// burst.
const WIDE_EDITS: usize = 128 * 1024;

/// Waits while a burst of edits spread over a long draft keeps coming (a replace-all, a macro,
/// an editor flushing queued changes): every version would cost a new analysis of most of the
/// draft, and all but the last would be thrown away. A keystroke's narrow edit is analysed at
/// once; so is everything after [`SETTLE_AT_MOST`].
async fn settle(state: &State, uri: &Uri) {
    let start = std::time::Instant::now();
    loop {
        let version = {
            let docs = state.docs();
            match docs.get(uri) {
                Some(d)
                    if d.rope.len_bytes() >= LARGE_DOCUMENT
                        && d.dirty.as_ref().is_some_and(|r| r.len() >= WIDE_EDITS) =>
                {
                    d.version
                }
                _ => return,
            }
        };
        if start.elapsed() >= SETTLE_AT_MOST {
            return;
        }
        tokio::time::sleep(SETTLE).await;
        if state.docs().get(uri).is_none_or(|d| d.version == version) {
            return;
        }
    }
}

/// Documents at or above this size are analysed on the analysis thread.
const LARGE_DOCUMENT: usize = 256 * 1024;

type Job = Box<dyn FnOnce() + Send>;

/// Runs `work` on the analysis thread and waits for its result; an error if it panicked.
///
/// Every analysis runs on this one thread, off the async threads (a 5 MB draft's first
/// analysis takes a tenth of a second). One thread rather than a pool also keeps memory down:
/// glibc gives each allocating thread its own arena, and freed memory stays in the arena of
/// the thread that allocated it.
async fn on_analysis_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::result::Result<T, String> {
    static JOBS: OnceLock<std::sync::mpsc::Sender<Job>> = OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("copydesk-analysis".into())
            .spawn(move || {
                for job in rx {
                    // A panic is reported to the waiting task (its sender is dropped).
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        if let Err(e) = spawned {
            eprintln!("copydesk: cannot start the analysis thread: {e}");
        }
        tx
    });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(work());
    });
    if jobs.send(job).is_err() {
        return Err("the analysis thread is not running".to_string());
    }
    rx.await
        .map_err(|_| "internal error (panic) in the analysis; the server keeps serving".to_string())
}

fn not_open(uri: &Uri) -> Error {
    Error::invalid_params(format!(
        "document {} is not open; send textDocument/didOpen first",
        uri.as_str()
    ))
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate(&params);
        *self
            .state
            .encoding
            .write()
            .unwrap_or_else(|e| e.into_inner()) = enc;
        if let Some(options) = params.initialization_options {
            self.state.configuration().init_options = options;
        }
        let workspace = params.capabilities.workspace.as_ref();
        let pulls = workspace.and_then(|w| w.configuration).unwrap_or(false);
        self.state
            .pulls_configuration
            .store(pulls, Ordering::SeqCst);
        let watches = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.state.watches_files.store(watches, Ordering::SeqCst);
        let code_action = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref());
        let resolves = code_action.is_some_and(|c| {
            c.data_support == Some(true)
                && c.resolve_support
                    .as_ref()
                    .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
        });
        self.state.resolves_edits.store(resolves, Ordering::SeqCst);
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind(enc)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                            actions::FIX_ALL.clone(),
                        ]),
                        resolve_provider: Some(true),
                        ..CodeActionOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "copydesk".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.state.watches_files.load(Ordering::SeqCst) {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{}", settings::FILE_NAME)),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "copydesk-toml".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log(
                    MessageType::WARNING,
                    format!("copydesk: cannot watch {} files: {e}", settings::FILE_NAME),
                )
                .await;
            }
        }
        if self.pull_editor_settings().await {
            self.reconfigure_all().await;
        }
        self.state.configured.send_replace(true);
        self.log(
            MessageType::INFO,
            format!("copydesk {} ready", env!("CARGO_PKG_VERSION")),
        )
        .await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let mut item = params.text_document;
        self.state.unstash(&mut item.text);
        let (tx, rx) = watch::channel(());
        // Read the house style before anything awaits, so that later edits find the document.
        let (config, loaded, problems) = self.state.configuration().for_document(&item.uri);
        let doc = Document {
            rope: Rope::from_str(&item.text),
            version: item.version,
            markdown: is_markdown(&item.language_id, &item.uri),
            config,
            analysis: None,
            dirty: None,
            wake: tx,
        };
        let reopened = self.state.docs().insert(item.uri.clone(), doc).is_some();
        self.spawn_worker(item.uri.clone(), rx);
        self.wake(&item.uri);
        self.report_configuration(loaded.into_iter().collect(), problems)
            .await;
        if reopened {
            self.log(
                MessageType::WARNING,
                format!(
                    "copydesk: {} was opened twice; the new text replaces the old",
                    item.uri.as_str()
                ),
            )
            .await;
        }
    }

    async fn did_change(&self, mut params: DidChangeTextDocumentParams) {
        for change in &mut params.content_changes {
            self.state.unstash(&mut change.text);
        }
        let uri = params.text_document.uri;
        let enc = self.state.encoding();
        let applied = {
            let mut docs = self.state.docs();
            docs.get_mut(&uri).map(|doc| {
                let notes = doc.apply(params.content_changes, enc);
                doc.version = params.text_document.version;
                doc.wake.send_replace(());
                notes
            })
        };
        let Some(notes) = applied else {
            self.log(
                MessageType::WARNING,
                format!(
                    "copydesk: ignored a change to {}, which is not open",
                    uri.as_str()
                ),
            )
            .await;
            return;
        };
        for note in notes {
            self.log(
                MessageType::WARNING,
                format!("copydesk: {}: {note}", uri.as_str()),
            )
            .await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.state.docs().remove(&uri).is_none() {
            self.log(
                MessageType::WARNING,
                format!("copydesk: {} was closed but not open", uri.as_str()),
            )
            .await;
            return;
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if !self.pull_editor_settings().await {
            // Clients that do not answer workspace/configuration push the settings here.
            let pushed = params
                .settings
                .get("copydesk")
                .cloned()
                .unwrap_or(params.settings);
            self.state.configuration().editor = pushed;
        }
        self.reconfigure_all().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        {
            let mut configuration = self.state.configuration();
            for change in &params.changes {
                match change.uri.to_file_path() {
                    Some(path) => configuration.forget(&path),
                    None => configuration.forget_all(),
                }
            }
        }
        self.reconfigure_all().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let position = p.position;
        self.with_snapshot(&p.text_document.uri, move |s, enc| {
            hover::hover(s, position, enc)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.with_snapshot(&params.text_document.uri, |s, enc| {
            Some(DocumentSymbolResponse::Nested(symbols::document_symbols(
                s, enc,
            )))
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let lazy = self.state.resolves_edits.load(Ordering::SeqCst);
        self.with_snapshot(&uri.clone(), move |s, enc| {
            actions::code_actions(s, &uri, &params, enc, lazy)
        })
        .await
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        let Some((uri, version)) = actions::resolve_target(&action)? else {
            return Ok(action);
        };
        self.with_snapshot(&uri.clone(), move |s, enc| {
            actions::resolve(s, &uri, version, action, enc)
        })
        .await?
    }
}
