//! The language server: a thin layer that keeps documents, runs the analysis and speaks LSP.
//! One file per concern: documents, positions, conversions, hover, code actions.

mod actions;
mod convert;
pub mod documents;
pub mod framing;
mod hover;
pub mod position;

use crate::config::Config;
use crate::language::LangSetting;
use crate::positions::Encoding;
use documents::{Document, analyse};
use ropey::Rope;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService, Server};

/// Documents at or above this size are analysed off the async threads.
const LARGE_DOCUMENT: usize = 256 * 1024;

pub struct State {
    docs: Mutex<HashMap<Uri, Document>>,
    encoding: RwLock<Encoding>,
    config: RwLock<Arc<Config>>,
    shutdown: AtomicBool,
}

impl State {
    fn encoding(&self) -> Encoding {
        *self.encoding.read().unwrap_or_else(|e| e.into_inner())
    }

    fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere must not take every document down with it.
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
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
        config: RwLock::new(Arc::new(Config::default())),
        shutdown: AtomicBool::new(false),
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
            while wake.changed().await.is_ok() {
                let Some((rope, version, markdown)) = ({
                    let docs = state.docs();
                    docs.get(&uri)
                        .map(|d| (d.rope.clone(), d.version, d.markdown))
                }) else {
                    break;
                };
                let config = state.config();
                let snapshot = if rope.len_bytes() >= LARGE_DOCUMENT {
                    match tokio::task::spawn_blocking(move || {
                        analyse(rope, version, markdown, &config)
                    })
                    .await
                    {
                        Ok(s) => s,
                        Err(e) => {
                            client
                                .log_message(
                                    MessageType::ERROR,
                                    format!("copydesk: analysis of {} failed: {e}", uri.as_str()),
                                )
                                .await;
                            continue;
                        }
                    }
                } else {
                    analyse(rope, version, markdown, &config)
                };
                let enc = state.encoding();
                let diagnostics = {
                    let mut docs = state.docs();
                    let Some(doc) = docs.get_mut(&uri) else { break };
                    if doc.version != version {
                        // A newer version arrived meanwhile; the loop picks it up.
                        continue;
                    }
                    let d: Vec<Diagnostic> = snapshot
                        .analysis
                        .findings
                        .iter()
                        .map(|f| convert::diagnostic(&snapshot.rope, f, enc))
                        .collect();
                    doc.analysis = Some(Arc::new(snapshot));
                    d
                };
                client
                    .publish_diagnostics(uri.clone(), diagnostics, Some(version))
                    .await;
            }
        });
    }

    fn wake(&self, uri: &Uri) {
        if let Some(doc) = self.state.docs().get(uri) {
            doc.wake.send_replace(());
        }
    }

    /// Runs `f` on the current analysis of an open document, or fails with an LSP error.
    fn with_snapshot<T>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&documents::Snapshot, Encoding) -> T,
    ) -> Result<T> {
        let config = self.state.config();
        let snapshot = {
            let mut docs = self.state.docs();
            let doc = docs.get_mut(uri).ok_or_else(|| not_open(uri))?;
            doc.snapshot(&config)
        };
        Ok(f(&snapshot, self.state.encoding()))
    }
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
        if let Some(lang) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("language"))
            .and_then(|v| v.as_str())
            .and_then(LangSetting::parse)
        {
            let mut config = (*self.state.config()).clone();
            config.language = lang;
            *self.state.config.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(config);
        }
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
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                            actions::FIX_ALL.clone(),
                        ]),
                        resolve_provider: Some(false),
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
        let item = params.text_document;
        let (tx, rx) = watch::channel(());
        let doc = Document {
            rope: Rope::from_str(&item.text),
            version: item.version,
            markdown: is_markdown(&item.language_id, &item.uri),
            analysis: None,
            wake: tx,
        };
        let reopened = self.state.docs().insert(item.uri.clone(), doc).is_some();
        self.spawn_worker(item.uri.clone(), rx);
        self.wake(&item.uri);
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

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
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

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.with_snapshot(&p.text_document.uri, |s, enc| {
            hover::hover(s, p.position, enc)
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot(&uri, |s, enc| actions::code_actions(s, &uri, &params, enc))
    }
}
