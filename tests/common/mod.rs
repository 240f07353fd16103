//! A small LSP client for tests: frames JSON-RPC over any byte streams, either the server
//! in-process over a `tokio::io::duplex` pipe, or the real binary over its stdin and stdout.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

const WAIT: Duration = Duration::from_secs(20);

pub struct Client {
    write: Box<dyn AsyncWrite + Unpin + Send>,
    read: BufReader<Box<dyn AsyncRead + Unpin + Send>>,
    next_id: i64,
    /// How long to wait for a message before failing the test.
    pub wait: Duration,
    /// Notifications received while waiting for something else.
    pub notifications: VecDeque<Value>,
    /// What the client answers to `workspace/configuration` for the `copydesk` section.
    pub settings: Value,
    /// Server-to-client requests seen, by method.
    pub server_requests: Vec<String>,
}

impl Client {
    pub fn new(
        read: impl AsyncRead + Unpin + Send + 'static,
        write: impl AsyncWrite + Unpin + Send + 'static,
    ) -> Self {
        Client {
            write: Box::new(write),
            read: BufReader::new(Box::new(read)),
            next_id: 1,
            wait: WAIT,
            notifications: VecDeque::new(),
            settings: Value::Null,
            server_requests: Vec::new(),
        }
    }

    /// The server in-process, over a pipe.
    pub fn in_process() -> Self {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_side);
        let (service, socket) = copydesk::server::service();
        tokio::spawn(
            tower_lsp_server::Server::new(server_read, server_write, socket).serve(service),
        );
        let (read, write) = tokio::io::split(client_side);
        Client::new(read, write)
    }

    pub async fn send(&mut self, message: &Value) {
        self.send_raw(&serde_json::to_vec(message).unwrap()).await;
    }

    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.write.write_all(header.as_bytes()).await.unwrap();
        self.write.write_all(body).await.unwrap();
        self.write.flush().await.unwrap();
    }

    /// Writes bytes as they are, framing included (for hostile input).
    pub async fn write_raw(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.unwrap();
        self.write.flush().await.unwrap();
    }

    /// Reads one message; `None` when the stream ends.
    pub async fn recv(&mut self) -> Option<Value> {
        let mut length = None;
        loop {
            let mut line = String::new();
            if self.read.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length?];
        self.read.read_exact(&mut body).await.ok()?;
        Some(serde_json::from_slice(&body).unwrap())
    }

    async fn recv_timeout(&mut self) -> Value {
        tokio::time::timeout(self.wait, self.recv())
            .await
            .expect("the server did not answer in time")
            .expect("the server closed the stream")
    }

    /// Answers a request the server sends to the client (configuration, registration).
    async fn answer_server_request(&mut self, msg: &Value) {
        self.server_requests
            .push(msg["method"].as_str().unwrap_or_default().to_string());
        let result = match msg["method"].as_str() {
            Some("workspace/configuration") => {
                let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                Value::Array(vec![self.settings.clone(); n])
            }
            _ => Value::Null,
        };
        self.send(&json!({"jsonrpc": "2.0", "id": msg["id"], "result": result}))
            .await;
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response(id).await
    }

    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let msg = self.recv_timeout().await;
            if msg.get("method").is_some() {
                if msg.get("id").is_some() {
                    self.answer_server_request(&msg).await;
                } else {
                    self.notifications.push_back(msg);
                }
                continue;
            }
            if msg["id"] == json!(id) {
                return msg;
            }
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Waits for a notification matching `pred`, keeping the others.
    pub async fn notification(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(k) = self.notifications.iter().position(&pred) {
            return self.notifications.remove(k).unwrap();
        }
        loop {
            let msg = self.recv_timeout().await;
            if msg.get("method").is_some() && msg.get("id").is_some() {
                self.answer_server_request(&msg).await;
                continue;
            }
            if pred(&msg) {
                return msg;
            }
            self.notifications.push_back(msg);
        }
    }

    /// Waits until the server has sent a request with this method (and answers it).
    pub async fn server_request(&mut self, method: &str) {
        while !self.server_requests.iter().any(|m| m == method) {
            let msg = self.recv_timeout().await;
            if msg.get("method").is_some() && msg.get("id").is_some() {
                self.answer_server_request(&msg).await;
            } else {
                self.notifications.push_back(msg);
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self
            .notification(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            })
            .await;
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn initialize(&mut self, encodings: &[&str]) -> Value {
        let caps = if encodings.is_empty() {
            json!({})
        } else {
            json!({"general": {"positionEncodings": encodings}})
        };
        self.initialize_with(caps).await
    }

    /// Initializes with these client capabilities.
    pub async fn initialize_with(&mut self, caps: Value) -> Value {
        let r = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": caps}),
            )
            .await;
        self.notify("initialized", json!({})).await;
        r
    }

    pub async fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}})).await;
    }

    pub async fn shutdown_and_exit(&mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null).await;
    }
}

/// The seed draft of SPEC §6, beside the repository; `None` (with a note) when absent.
pub fn seed_article() -> Option<String> {
    let path = std::env::var("COPYDESK_SEED").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/examples/seed-article.txt"
        )
        .to_string()
    });
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("note: seed draft not found at {path} ({e}); skipping");
            None
        }
    }
}

/// Codes and 1-based lines of diagnostics, sorted.
pub fn codes_and_lines(diags: &[Value]) -> Vec<(String, u64)> {
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    v.sort();
    v
}

/// What SPEC §6 requires on the seed draft, as (code, line) pairs, sorted.
pub fn seed_expectation() -> Vec<(String, u64)> {
    let mut v = vec![
        ("teaser-unlinked".to_string(), 2),
        ("teaser-unlinked".to_string(), 5),
    ];
    for (line, n) in [(3, 4), (4, 6), (6, 2)] {
        for _ in 0..n {
            v.push(("guillemet-spacing".to_string(), line));
        }
    }
    for line in [3, 5, 6] {
        v.push(("punctuation-spacing".to_string(), line));
    }
    v.sort();
    v
}
