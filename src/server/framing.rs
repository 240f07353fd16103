//! LSP framing on stdio, with a guard in front of the protocol library.
//!
//! `tower-lsp-server` stops reading its input at the first message it cannot decode (malformed
//! JSON, JSON that is not JSON-RPC, a frame without `Content-Length`): its framed reader ends
//! after an error, and the server exits with it. A single bad message from an editor plugin
//! would take every document's checks down. So the real stdin and stdout stay here: every frame
//! is read and checked first; well-formed JSON-RPC messages go on to the server through a pipe,
//! and the others are answered here with the JSON-RPC error the specification names (`-32700`
//! parse error, `-32600` invalid request) and a `window/logMessage` saying what was dropped.
//! The server's own output is copied to stdout whole frame by whole frame, so an answer given
//! here never cuts into one of its messages.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::{DidChangeTextDocumentParams, DidOpenTextDocumentParams};

/// Longest header line read; anything longer is garbage and skipped.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// Buffer of the pipes between the guard and the server.
const PIPE: usize = 1 << 16;

/// The streams the server reads and writes, and the task that copies its output to the real
/// output: await it after the server stops, so that its last answers are written.
pub struct Guarded {
    pub server_input: tokio::io::DuplexStream,
    pub server_output: tokio::io::DuplexStream,
    pub writer: tokio::task::JoinHandle<()>,
    /// Sends whole messages to the client beside the server's own.
    pub direct: Direct,
    /// The long texts of the client's messages, which the server takes from here.
    pub stash: Stash,
}

/// Long texts taken out of `didOpen` and `didChange` messages before the protocol library reads
/// them. Its framed reader grows its buffer by doubling and never gives it back: one 5 MB
/// draft left 8 MB held for the server's life, on top of the library's own copy of the text
/// while it decodes. Here the text is read once, kept aside, and the message goes on with a
/// token in its place, which the server exchanges for the text ([`Stash::take`]).
#[derive(Clone, Default)]
pub struct Stash(Arc<Mutex<StashInner>>);

#[derive(Default)]
struct StashInner {
    next: u64,
    texts: HashMap<u64, String>,
}

/// Texts at least this long are stashed (shorter ones cost the library little).
const STASH_FROM: usize = 64 * 1024;
/// A token: the prefix, then the text's number. No draft holds a NUL and this prefix.
const TOKEN: &str = "\u{0}copydesk-stashed-text:";

impl Stash {
    fn put(&self, text: String) -> String {
        let mut inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = inner.next;
        inner.next += 1;
        inner.texts.insert(n, text);
        format!("{TOKEN}{n}")
    }

    /// The text that `token` stands for, once: `None` when `token` is a text of its own.
    pub fn take(&self, token: &str) -> Option<String> {
        let n: u64 = token.strip_prefix(TOKEN)?.parse().ok()?;
        let mut inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        inner.texts.remove(&n)
    }

    /// `body` with the long texts of a `didOpen` or `didChange` stashed; `body` itself when
    /// there is nothing to take out.
    fn take_out(&self, body: Vec<u8>) -> Vec<u8> {
        if body.len() < STASH_FROM {
            return body;
        }
        let Ok(mut message) = serde_json::from_slice::<Value>(&body) else {
            return body;
        };
        let method = match message.get("method").and_then(Value::as_str) {
            Some("textDocument/didOpen") => "textDocument/didOpen",
            Some("textDocument/didChange") => "textDocument/didChange",
            _ => return body,
        };
        let texts: Vec<&mut Value> = match (method, message.get_mut("params")) {
            ("textDocument/didOpen", Some(p)) => p
                .get_mut("textDocument")
                .and_then(|d| d.get_mut("text"))
                .into_iter()
                .collect(),
            ("textDocument/didChange", Some(p)) => p
                .get_mut("contentChanges")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(|c| c.get_mut("text"))
                .collect(),
            _ => return body,
        };
        let mut tokens = Vec::new();
        for text in texts {
            if let Value::String(t) = text
                && t.len() >= STASH_FROM
            {
                *t = self.put(std::mem::take(t));
                tokens.push(t.clone());
            }
        }
        if tokens.is_empty() {
            return body;
        }
        // Only a message the server will take: one it cannot read would never claim its
        // texts, which would stay here for the server's life.
        let params = message.get("params").cloned().unwrap_or(Value::Null);
        let readable = if method == "textDocument/didOpen" {
            serde_json::from_value::<DidOpenTextDocumentParams>(params).is_ok()
        } else {
            serde_json::from_value::<DidChangeTextDocumentParams>(params).is_ok()
        };
        if !readable {
            for t in &tokens {
                self.take(t);
            }
            return body;
        }
        drop(body);
        serde_json::to_vec(&message).unwrap_or_default()
    }
}

/// The method of a short message, to follow the server's life: texts are stashed only between
/// `initialized` and `shutdown` (the protocol library drops notifications outside, which would
/// never claim their texts).
fn short_method(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Method {
        method: Option<String>,
    }
    if body.len() > 1024 {
        return None;
    }
    serde_json::from_slice::<Method>(body).ok()?.method
}

/// Writes messages to the client without going through the protocol library: diagnostics of
/// long drafts, which tower-lsp would first turn into a `serde_json::Value` tree (a few
/// microseconds and a kilobyte of maps per diagnostic). Each message is one frame, written
/// whole between the server's frames.
#[derive(Clone)]
pub struct Direct(mpsc::UnboundedSender<Frame>);

impl Direct {
    /// Sends one JSON-RPC message (its JSON body).
    pub fn send(&self, body: Vec<u8>) {
        let _ = self.0.send(Frame::Body(body));
    }
}

/// Starts the guard between `input`/`output` (the client) and the returned pipes (the server).
/// Must be called inside a Tokio runtime.
pub fn guard<I, O>(input: I, output: O) -> Guarded
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_input) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let (frames_tx, frames_rx) = mpsc::unbounded_channel::<Frame>();
    let direct = Direct(frames_tx.clone());
    let stash = Stash::default();
    tokio::spawn(read_client(
        input,
        to_server,
        frames_tx.clone(),
        stash.clone(),
    ));
    tokio::spawn(read_server(from_server, frames_tx));
    let writer = tokio::spawn(write_client(output, frames_rx));
    Guarded {
        server_input,
        server_output,
        writer,
        direct,
        stash,
    }
}

enum Frame {
    /// A JSON body to frame and write.
    Body(Vec<u8>),
    /// The server's output has ended: nothing more will be written.
    End,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// What became of one frame from the client.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// A JSON-RPC message: pass it on.
    Pass,
    /// Not JSON, or not UTF-8: a parse error.
    ParseError(String),
    /// JSON, but not a JSON-RPC request, notification or response; the id, when one was
    /// readable, for the error response.
    InvalidRequest(String, Value),
}

/// The fields of a JSON-RPC request as the protocol library reads them (`Request`), with the
/// parameters checked as JSON but not built: a 5 MB `didOpen` is not turned into a
/// `serde_json::Value` twice. Anything this does not accept is judged by `Request` itself.
#[derive(serde::Deserialize)]
struct RequestShape<'a> {
    #[serde(borrow)]
    jsonrpc: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    #[allow(dead_code)]
    method: std::borrow::Cow<'a, str>,
    #[serde(default)]
    #[allow(dead_code)]
    params: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<tower_lsp_server::jsonrpc::Id>,
}

/// Checks one frame's body exactly as strictly as the protocol library will decode it.
pub fn judge(body: &[u8]) -> Verdict {
    if let Err(e) = std::str::from_utf8(body) {
        return Verdict::ParseError(format!("the message is not UTF-8 ({e})"));
    }
    let request = match serde_json::from_slice::<RequestShape>(body) {
        Ok(r) if r.jsonrpc == "2.0" => return Verdict::Pass,
        Ok(_) => match serde_json::from_slice::<Request>(body) {
            Ok(_) => return Verdict::Pass,
            Err(e) => e,
        },
        Err(e) => e,
    };
    if request.is_syntax() || request.is_eof() {
        return Verdict::ParseError(format!("the message is not JSON ({request})"));
    }
    if serde_json::from_slice::<Response>(body).is_ok() {
        return Verdict::Pass;
    }
    let id = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("id").cloned())
        .filter(|id| id.is_string() || id.is_i64())
        .unwrap_or(Value::Null);
    Verdict::InvalidRequest(
        format!("the message is not a JSON-RPC 2.0 request, notification or response ({request})"),
        id,
    )
}

fn error_reply(code: i64, message: &str, id: Value) -> Vec<u8> {
    let reply = json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id});
    serde_json::to_vec(&reply).unwrap_or_default()
}

fn log_message(message: &str) -> Vec<u8> {
    eprintln!("{message}");
    let note = json!({"jsonrpc": "2.0", "method": "window/logMessage",
                      "params": {"type": 2, "message": message}});
    serde_json::to_vec(&note).unwrap_or_default()
}

/// Reads one header line (without its line break) into `line`; `false` at the end of input.
/// Overlong lines are cut at `MAX_HEADER_LINE` bytes and the rest skipped.
async fn header_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>, line: &mut Vec<u8>) -> bool {
    line.clear();
    let n = match (&mut *reader)
        .take(MAX_HEADER_LINE)
        .read_until(b'\n', line)
        .await
    {
        Ok(n) => n,
        Err(_) => return false,
    };
    if n == 0 {
        return false;
    }
    if line.last() != Some(&b'\n') && n as u64 == MAX_HEADER_LINE {
        let mut rest = Vec::new();
        if reader.read_until(b'\n', &mut rest).await.is_err() {
            return false;
        }
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    true
}

/// The client's frames: the good ones to the server, an error answer for the others.
async fn read_client<R, W>(
    input: R,
    mut to_server: W,
    frames: mpsc::UnboundedSender<Frame>,
    stash: Stash,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    // Bodies are read a pipe's worth at a time: asked for a whole 5 MB body at once, stdin's
    // reader would set aside a 2 MB buffer of its own, and keep it.
    let mut piece = vec![0u8; PIPE];
    // Between `initialized` and `shutdown`: long texts may be stashed.
    let mut serving = false;
    loop {
        // Headers, up to a blank line.
        let mut length: Option<Result<u64, String>> = None;
        let mut saw_header = false;
        loop {
            if !header_line(&mut reader, &mut line).await {
                return; // end of input: dropping `to_server` ends the server
            }
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue; // blank lines between frames
            }
            saw_header = true;
            let text = String::from_utf8_lossy(&line);
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                let value = value.trim();
                length = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| format!("a Content-Length of `{value}` is not a length")),
                );
            }
        }
        let length = match length {
            Some(Ok(n)) => n,
            Some(Err(why)) => {
                let _ = frames.send(Frame::Body(log_message(&format!(
                    "copydesk: ignored a message: {why}"
                ))));
                let _ = frames.send(Frame::Body(error_reply(-32700, &why, Value::Null)));
                continue;
            }
            None => {
                let why = "a message came without a Content-Length header";
                let _ = frames.send(Frame::Body(log_message(&format!(
                    "copydesk: ignored a message: {why}"
                ))));
                let _ = frames.send(Frame::Body(error_reply(-32700, why, Value::Null)));
                continue;
            }
        };
        // The body: read as it arrives (a huge length that never comes allocates nothing).
        let mut body = Vec::new();
        // The announced length, up to 16 MB, is reserved at once: a 5 MB draft does not grow
        // the buffer by doubling to 8 MB (and a false huge length costs at most that).
        body.reserve_exact(length.min(1 << 24) as usize);
        let mut rest = (&mut reader).take(length);
        loop {
            match rest.read(&mut piece).await {
                Ok(0) => break,
                Ok(n) => body.extend_from_slice(&piece[..n]),
                Err(_) => return,
            }
        }
        if body.len() as u64 != length {
            return; // the input ended inside the body
        }
        match judge(&body) {
            Verdict::Pass => {
                match short_method(&body).as_deref() {
                    Some("initialized") => serving = true,
                    Some("shutdown") => serving = false,
                    _ => {}
                }
                let body = if serving { stash.take_out(body) } else { body };
                // Header and body written apart: a long draft's text is not copied again.
                let header = format!("Content-Length: {}\r\n\r\n", body.len());
                if to_server.write_all(header.as_bytes()).await.is_err()
                    || to_server.write_all(&body).await.is_err()
                {
                    return; // the server has stopped
                }
            }
            Verdict::ParseError(why) => {
                let _ = frames.send(Frame::Body(log_message(&format!(
                    "copydesk: ignored a message: {why}"
                ))));
                let _ = frames.send(Frame::Body(error_reply(-32700, &why, Value::Null)));
            }
            Verdict::InvalidRequest(why, id) => {
                let _ = frames.send(Frame::Body(log_message(&format!(
                    "copydesk: ignored a message: {why}"
                ))));
                let _ = frames.send(Frame::Body(error_reply(-32600, &why, id)));
            }
        }
    }
}

/// The server's frames, passed on whole. The server writes well-formed frames; anything else
/// ends the copy.
async fn read_server<R: AsyncRead + Unpin>(output: R, frames: mpsc::UnboundedSender<Frame>) {
    let mut reader = BufReader::new(output);
    let mut line = Vec::new();
    'frames: loop {
        let mut length = None;
        loop {
            if !header_line(&mut reader, &mut line).await {
                break 'frames;
            }
            if line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(&line);
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<u64>().ok();
            }
        }
        let Some(length) = length else { continue };
        let mut body = Vec::new();
        match (&mut reader).take(length).read_to_end(&mut body).await {
            Ok(n) if n as u64 == length => {
                let _ = frames.send(Frame::Body(body));
            }
            _ => break,
        }
    }
    let _ = frames.send(Frame::End);
}

async fn write_client<W: AsyncWrite + Unpin>(
    mut output: W,
    mut frames: mpsc::UnboundedReceiver<Frame>,
) {
    while let Some(f) = frames.recv().await {
        match f {
            Frame::Body(body) => {
                if output.write_all(&frame(&body)).await.is_err() || output.flush().await.is_err() {
                    return; // the client has gone
                }
            }
            Frame::End => break,
        }
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_stashed_and_taken_back_once() {
        let stash = Stash::default();
        let long = "« Oui », a-t-il dit.\n".repeat(5000);
        let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file:///a.txt", "languageId": "plaintext", "version": 1,
                             "text": long}}});
        let body = stash.take_out(serde_json::to_vec(&open).unwrap());
        assert!(body.len() < 300, "{} bytes", body.len());
        let sent: Value = serde_json::from_slice(&body).unwrap();
        let token = sent["params"]["textDocument"]["text"].as_str().unwrap();
        assert_eq!(sent["params"]["textDocument"]["version"], 1);
        assert_eq!(stash.take(token).as_deref(), Some(long.as_str()));
        assert_eq!(stash.take(token), None);
        // Every long text of a change; short ones, and other methods, go as they are.
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///a.txt", "version": 2},
            "contentChanges": [{"text": long}, {"range": {"start": {"line": 0, "character": 0},
                "end": {"line": 0, "character": 1}}, "text": "x"}, {"text": long}]}});
        let body = stash.take_out(serde_json::to_vec(&change).unwrap());
        let sent: Value = serde_json::from_slice(&body).unwrap();
        let changes = sent["params"]["contentChanges"].as_array().unwrap();
        assert_eq!(changes[1]["text"], "x");
        for k in [0, 2] {
            let token = changes[k]["text"].as_str().unwrap();
            assert_eq!(stash.take(token).as_deref(), Some(long.as_str()));
        }
        let hover = serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": "x",
            "params": {"text": long}}))
        .unwrap();
        assert_eq!(stash.take_out(hover.clone()), hover);
        // A message the server could not read keeps its text (nothing would claim it).
        let broken = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file:///a.txt", "version": 1, "text": long}}});
        let body = serde_json::to_vec(&broken).unwrap();
        assert_eq!(stash.take_out(body.clone()), body);
        assert!(stash.0.lock().unwrap().texts.is_empty());
        // A text that only looks like a token stands for itself.
        assert_eq!(stash.take("\u{0}copydesk-stashed-text:99"), None);
    }

    #[test]
    fn judges_like_the_protocol_library() {
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#),
            Verdict::Pass
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","method":"x","params":null}"#),
            Verdict::Pass
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":3,"result":null}"#),
            Verdict::Pass
        );
        assert!(matches!(
            judge(br#"{"jsonrpc": "2.0", "id": 2, "method": "#),
            Verdict::ParseError(_)
        ));
        assert!(matches!(judge(b""), Verdict::ParseError(_)));
        assert!(matches!(judge(b"\xff\xfe"), Verdict::ParseError(_)));
        assert_eq!(
            judge(br#"{"id":7,"method":"x"}"#),
            Verdict::InvalidRequest(
                match judge(br#"{"id":7,"method":"x"}"#) {
                    Verdict::InvalidRequest(why, _) => why,
                    _ => unreachable!(),
                },
                json!(7)
            )
        );
        assert!(matches!(
            judge(b"[1,2,3]"),
            Verdict::InvalidRequest(_, Value::Null)
        ));
        assert!(matches!(
            judge(b"42"),
            Verdict::InvalidRequest(_, Value::Null)
        ));
    }

    #[tokio::test]
    async fn texts_are_stashed_only_while_the_server_serves() {
        let (mut client, client_side) = tokio::io::duplex(PIPE);
        let (client_read, client_write) = tokio::io::split(client_side);
        let g = guard(client_read, client_write);
        let mut server_input = BufReader::new(g.server_input);
        let long = "« Oui », a-t-il dit.\n".repeat(5000);
        let open = serde_json::to_vec(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "file:///a.txt", "languageId": "plaintext",
            "version": 1, "text": long}}}))
        .unwrap();
        let initialized = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let shutdown = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        // Written from a task: the pipes hold less than one of these messages.
        let writer = tokio::spawn(async move {
            for body in [&open[..], initialized, &open, shutdown, &open] {
                client.write_all(&frame(body)).await.unwrap();
            }
            (client, open)
        });
        // What the server reads: the text itself before `initialized` (the library would drop
        // the message, and nothing would claim its text) and after `shutdown`; a token between.
        let mut lengths = Vec::new();
        let mut line = Vec::new();
        for _ in 0..5 {
            assert!(header_line(&mut server_input, &mut line).await);
            let n: u64 = String::from_utf8_lossy(&line)["Content-Length: ".len()..]
                .parse()
                .unwrap();
            header_line(&mut server_input, &mut line).await;
            let mut body = Vec::new();
            (&mut server_input)
                .take(n)
                .read_to_end(&mut body)
                .await
                .unwrap();
            lengths.push(body.len());
        }
        let (_client, open) = writer.await.unwrap();
        assert_eq!(lengths[0], open.len());
        assert!(lengths[2] < 300, "{lengths:?}");
        assert_eq!(lengths[4], open.len());
        assert_eq!(g.stash.0.lock().unwrap().texts.len(), 1);
    }

    #[tokio::test]
    async fn a_malformed_message_is_answered_and_the_next_one_passes() {
        let (mut client, client_side) = tokio::io::duplex(PIPE);
        let (client_read, client_write) = tokio::io::split(client_side);
        let g = guard(client_read, client_write);
        let mut server_input = BufReader::new(g.server_input);
        client.write_all(&frame(b"{not json")).await.unwrap();
        client.write_all(b"X-Garbage: 1\r\n\r\n").await.unwrap();
        let good = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        client.write_all(&frame(good)).await.unwrap();
        // The server sees only the good message.
        let mut expected = frame(good);
        let mut seen = vec![0; expected.len()];
        server_input.read_exact(&mut seen).await.unwrap();
        assert_eq!(seen, std::mem::take(&mut expected));
        // The client gets a log message and a parse error for each bad one.
        let mut reader = BufReader::new(&mut client);
        let mut answers = Vec::new();
        let mut line = Vec::new();
        while answers.len() < 4 {
            assert!(header_line(&mut reader, &mut line).await);
            let n: u64 = String::from_utf8_lossy(&line)["Content-Length: ".len()..]
                .parse()
                .unwrap();
            header_line(&mut reader, &mut line).await;
            let mut body = Vec::new();
            (&mut reader).take(n).read_to_end(&mut body).await.unwrap();
            answers.push(serde_json::from_slice::<Value>(&body).unwrap());
        }
        let errors: Vec<_> = answers
            .iter()
            .filter(|a| a.get("error").is_some())
            .collect();
        assert_eq!(errors.len(), 2, "{answers:?}");
        assert!(
            errors
                .iter()
                .all(|e| e["error"]["code"] == -32700 && e["id"].is_null())
        );
    }
}
