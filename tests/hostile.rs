//! Hostile protocol input against the real binary on stdio.
//!
//! Each test starts `copydesk lsp`, opens a good document, throws one kind of bad input at the
//! server, and then checks that the server still answers a hover on the good document, that it
//! never panicked (its panic hook prints `copydesk: internal error (panic)` on stderr), and that
//! it exits 0 after shutdown and exit (1 after exit alone).

mod common;

use common::Client;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;

const GOOD: &str = "file:///tmp/good.txt";
const GOOD_TEXT: &str = "Le maire a dit « non » hier.";
const PANIC: &str = "copydesk: internal error (panic)";

struct Session {
    child: tokio::process::Child,
    c: Client,
    stderr: Arc<Mutex<Vec<u8>>>,
}

fn pos(line: i64, character: i64) -> Value {
    json!({"line": line, "character": character})
}

impl Session {
    async fn start() -> Session {
        Session::start_in(None).await
    }

    async fn start_in(dir: Option<&std::path::Path>) -> Session {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"));
        cmd.args(["lsp", "--stdio"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let mut c = Client::new(stdout, stdin);
        c.initialize(&["utf-16"]).await;
        c.open(GOOD, "plaintext", GOOD_TEXT).await;
        assert_eq!(c.diagnostics(GOOD, 1).await.len(), 2);
        Session { child, c, stderr }
    }

    /// The server still answers a request about the good document, and has not panicked.
    async fn alive(&mut self) {
        let r = self
            .c
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": GOOD}, "position": pos(0, 15)}),
            )
            .await;
        let value = r["result"]["contents"]["value"].as_str().unwrap_or("");
        assert!(value.contains("guillemet-spacing"), "{r}");
        self.no_panic();
    }

    fn no_panic(&self) {
        let err = String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned();
        assert!(!err.contains(PANIC), "the server panicked:\n{err}");
    }

    /// Shutdown, exit, status 0, and never a panic.
    async fn finish(mut self) {
        self.alive().await;
        self.c.shutdown_and_exit().await;
        let status = tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("the server did not exit")
            .unwrap();
        self.no_panic();
        assert_eq!(status.code(), Some(0));
    }

    /// The next error response with this code, whatever its id.
    async fn error(&mut self, code: i64) -> Value {
        self.c
            .notification(|m| m["error"]["code"] == code && m.get("method").is_none())
            .await
    }

    async fn log(&mut self, fragment: &str) -> Value {
        self.c
            .notification(|m| {
                m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .is_some_and(|s| s.contains(fragment))
            })
            .await
    }

    async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.c
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
            )
            .await;
    }
}

fn expected_count(text: &str) -> usize {
    copydesk::analyze(text, &copydesk::Config::default(), false)
        .findings
        .len()
}

#[tokio::test]
async fn malformed_json_and_broken_frames() {
    let mut s = Session::start().await;
    s.c.send_raw(br#"{"jsonrpc": "2.0", "id": 2, "method": "#)
        .await;
    assert!(s.error(-32700).await["id"].is_null());
    s.alive().await;
    s.c.send_raw(b"\xff\xfe{}").await;
    s.error(-32700).await;
    s.c.send_raw(b"").await;
    s.error(-32700).await;
    // Nesting deeper than any JSON parser's recursion limit: not a request either.
    s.c.send_raw("[".repeat(100_000).as_bytes()).await;
    s.error(-32600).await;
    s.c.write_raw(b"Content-Type: text/plain\r\n\r\n").await;
    s.error(-32700).await;
    s.c.write_raw(b"Content-Length: banana\r\n\r\n").await;
    s.error(-32700).await;
    s.log("not JSON").await;
    s.finish().await;
}

#[tokio::test]
async fn json_that_is_not_json_rpc() {
    let mut s = Session::start().await;
    for body in [&b"[1,2,3]"[..], b"42", b"\"x\"", br#"{"foo":1}"#, b"null"] {
        s.c.send_raw(body).await;
        assert!(s.error(-32600).await["id"].is_null());
    }
    s.c.send_raw(br#"{"jsonrpc":"1.0","id":5,"method":"textDocument/hover"}"#)
        .await;
    assert_eq!(s.error(-32600).await["id"], 5);
    s.finish().await;
}

#[tokio::test]
async fn unknown_methods() {
    let mut s = Session::start().await;
    let r = s.c.request("copydesk/noSuchMethod", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // Notifications nobody handles are ignored (no answer), `$/` ones included.
    s.c.notify("copydesk/noSuchNotification", json!({"x": 1}))
        .await;
    s.c.notify("$/noSuchThing", Value::Null).await;
    s.c.notify("$/cancelRequest", json!({"id": 12345})).await;
    s.alive().await;
    s.finish().await;
}

#[tokio::test]
async fn null_and_wrong_typed_params() {
    let mut s = Session::start().await;
    for params in [
        Value::Null,
        json!({"textDocument": 5, "position": "here"}),
        json!([1, 2]),
        json!({"textDocument": {"uri": GOOD}}),
    ] {
        let r = s.c.request("textDocument/hover", params).await;
        assert_eq!(r["error"]["code"], -32602, "{r}");
    }
    let r =
        s.c.request("textDocument/codeAction", json!({"range": 3}))
            .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // codeAction/resolve: not a code action, or data copydesk did not write.
    for params in [
        Value::Null,
        json!([1]),
        json!({"title": 7}),
        json!({"title": "x", "kind": "source.fixAll.copydesk", "data": {"uri": 5, "version": 1}}),
    ] {
        let r = s.c.request("codeAction/resolve", params).await;
        assert_eq!(r["error"]["code"], -32602, "{r}");
    }
    s.c.notify("textDocument/didOpen", Value::Null).await;
    s.c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/x.txt", "languageId": "plaintext", "version": "one", "text": 42}}),
    )
    .await;
    s.change(GOOD, 2, json!("not a list")).await;
    s.change(GOOD, 2, json!([{"range": "everything", "text": 1}]))
        .await;
    s.c.notify("textDocument/didClose", json!({"textDocument": null}))
        .await;
    s.c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": [1, "x", null]}),
    )
    .await;
    // The good document is unchanged: its guillemet is still where it was.
    s.alive().await;
    s.finish().await;
}

#[tokio::test]
async fn requests_for_unopened_documents() {
    let mut s = Session::start().await;
    let missing = "file:///tmp/never-opened.txt";
    let r =
        s.c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": missing}, "position": pos(0, 0)}),
        )
        .await;
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    let r = s.c.request("textDocument/codeAction", json!({"textDocument": {"uri": missing}, "range": {"start": pos(0, 0), "end": pos(0, 0)}, "context": {"diagnostics": []}})).await;
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    // Fix-all offered for a document since closed, or never opened.
    let r = s.c.request("codeAction/resolve", json!({"title": "x", "kind": "source.fixAll.copydesk", "data": {"uri": missing, "version": 1}})).await;
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    s.change(missing, 2, json!([{"text": "x"}])).await;
    s.log("not open").await;
    s.c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": missing}}),
    )
    .await;
    s.log("closed but not open").await;
    s.finish().await;
}

#[tokio::test]
async fn edits_past_the_end_and_reversed() {
    let mut s = Session::start().await;
    let uri = "file:///tmp/edits.txt";
    s.c.open(uri, "plaintext", "Il a dit « non ».").await;
    s.c.diagnostics(uri, 1).await;
    s.change(
        uri,
        2,
        json!([{"range": {"start": pos(99, 0), "end": pos(120, 5)}, "text": " «fin»"}]),
    )
    .await;
    s.log("past the end").await;
    let d = s.c.diagnostics(uri, 2).await;
    assert_eq!(d.len(), expected_count("Il a dit « non ». «fin»"));
    // Reversed: end before start, applied as the range the other way round (deletes the «).
    s.change(
        uri,
        3,
        json!([{"range": {"start": pos(0, 10), "end": pos(0, 9)}, "text": ""}]),
    )
    .await;
    s.log("ends before it starts").await;
    let d = s.c.diagnostics(uri, 3).await;
    assert_eq!(d.len(), expected_count("Il a dit  non ». «fin»"));
    // Past the end of a line: the line's end.
    s.change(
        uri,
        4,
        json!([{"range": {"start": pos(0, 500), "end": pos(0, 900)}, "text": "!"}]),
    )
    .await;
    let d = s.c.diagnostics(uri, 4).await;
    assert_eq!(d.len(), expected_count("Il a dit  non ». «fin»!"));
    s.finish().await;
}

#[tokio::test]
async fn positions_inside_a_surrogate_pair_negative_or_huge() {
    let mut s = Session::start().await;
    let uri = "file:///tmp/emoji.txt";
    s.c.open(uri, "plaintext", "😀«mot» et 😀 « mot »").await;
    s.c.diagnostics(uri, 1).await;
    for p in [pos(0, 1), pos(0, 12), pos(4_294_967_295, 4_294_967_295)] {
        let r =
            s.c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": p}),
            )
            .await;
        assert!(r.get("error").is_none(), "{r}");
        let r = s.c.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": {"start": p, "end": pos(0, 1)}, "context": {"diagnostics": []}})).await;
        assert!(r.get("error").is_none(), "{r}");
    }
    for p in [pos(-1, 0), pos(0, -3), pos(4_294_967_296, 0)] {
        let r =
            s.c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": p}),
            )
            .await;
        assert_eq!(r["error"]["code"], -32602, "{r}");
    }
    // An edit inside the surrogate pair replaces from the emoji's start; a negative one is
    // rejected whole.
    s.change(
        uri,
        2,
        json!([{"range": {"start": pos(0, 1), "end": pos(0, 1)}, "text": "x"}]),
    )
    .await;
    let d = s.c.diagnostics(uri, 2).await;
    assert_eq!(d.len(), expected_count("x😀«mot» et 😀 « mot »"));
    s.change(
        uri,
        3,
        json!([{"range": {"start": pos(0, -1), "end": pos(0, 1)}, "text": "y"}]),
    )
    .await;
    s.alive().await;
    s.finish().await;
}

#[tokio::test]
async fn double_open_and_double_close() {
    let mut s = Session::start().await;
    let uri = "file:///tmp/twice.txt";
    s.c.open(uri, "plaintext", "«a»").await;
    // The second open replaces the first; its own version tells its diagnostics apart.
    s.c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 2, "text": "« b »"}}),
    )
    .await;
    s.log("opened twice").await;
    assert_eq!(s.c.diagnostics(uri, 2).await.len(), 2);
    s.c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    s.c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    s.log("closed but not open").await;
    s.alive().await;
    s.finish().await;
}

/// Opens `text` as a new document, checks the good document is answered meanwhile, then waits
/// for the new one's diagnostics and compares their number with the analysis core's.
async fn open_and_survive(s: &mut Session, uri: &str, text: &str) -> Duration {
    let started = Instant::now();
    s.c.open(uri, "plaintext", text).await;
    // Messages are read in order: the hover is answered once the big message has been read.
    s.c.wait = Duration::from_secs(120);
    s.alive().await;
    eprintln!(
        "{uri}: good document answered after {:?}",
        started.elapsed()
    );
    let d = s.c.diagnostics(uri, 1).await;
    s.c.wait = Duration::from_secs(20);
    assert_eq!(d.len(), expected_count(text));
    started.elapsed()
}

/// Long texts travel beside the protocol library (the guard stashes them, see `framing`): they
/// arrive whole, in order with the short messages around them, in `didOpen` and in full and
/// ranged `didChange`s.
#[tokio::test]
async fn long_texts_of_opens_and_changes_arrive_whole() {
    let mut s = Session::start().await;
    let uri = "file:///tmp/long.txt";
    let para = "Le maire a dit « non » hier, selon la mairie.\n\n";
    let text = para.repeat(200_000 / para.len());
    open_and_survive(&mut s, uri, &text).await;
    // A full replacement, then a long paste at the start, in one change with a short edit.
    let replaced = text.replace("hier", "lundi");
    s.change(uri, 2, json!([{"text": replaced}])).await;
    let d = s.c.diagnostics(uri, 2).await;
    assert_eq!(d.len(), expected_count(&replaced));
    let pasted = "Selon lui, « rien n'est joué ».\n\n".repeat(3_000);
    s.change(
        uri,
        3,
        json!([
            {"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": pasted},
            {"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": "X"},
        ]),
    )
    .await;
    let d = s.c.diagnostics(uri, 3).await;
    let expected = format!("X{pasted}{replaced}");
    assert_eq!(d.len(), expected_count(&expected));
    s.finish().await;
}

// About 150 s in a debug build on the shared 2-core machine (reading and analysing 100 MB
// unoptimised): run it with `cargo test --release --test hostile -- --include-ignored`.
#[tokio::test]
#[ignore = "over 30 s in a debug build; run with --release --include-ignored"]
async fn a_100_mb_document() {
    let mut s = Session::start().await;
    let para = "Le maire a dit «\u{a0}non\u{a0}» hier, selon la mairie.\n\n";
    let text = para.repeat(100_000_000 / para.len());
    let took = open_and_survive(&mut s, "file:///tmp/huge.txt", &text).await;
    eprintln!("100 MB document: diagnostics after {took:?}");
    // An edit at its start is applied to the rope, not to a 100 MB copy.
    s.change(
        "file:///tmp/huge.txt",
        2,
        json!([{"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": "«"}]),
    )
    .await;
    s.c.wait = Duration::from_secs(120);
    let d = s.c.diagnostics("file:///tmp/huge.txt", 2).await;
    s.c.wait = Duration::from_secs(20);
    assert!(!d.is_empty());
    s.c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///tmp/huge.txt"}}),
    )
    .await;
    s.finish().await;
}

// 200,000 guillemets make 600,000 diagnostics (a 150 MB publishDiagnostics): over 60 s in a
// debug build. Run it with `cargo test --release --test hostile -- --include-ignored`.
#[tokio::test]
#[ignore = "over 30 s in a debug build; run with --release --include-ignored"]
async fn a_line_of_200_000_quotation_marks() {
    let mut s = Session::start().await;
    for (name, mark) in [("straight", "\""), ("guillemets", "«")] {
        let text = mark.repeat(200_000);
        let took = open_and_survive(&mut s, &format!("file:///tmp/{name}.txt"), &text).await;
        eprintln!("200,000 {name}: diagnostics after {took:?}");
    }
    s.finish().await;
}

#[tokio::test]
async fn quotations_nested_10_000_deep() {
    let mut s = Session::start().await;
    let marks = [("« ", " »"), ("“", "”"), ("‘", "’")];
    let mut text = String::from("Il a dit ");
    for k in 0..10_000 {
        text.push_str(marks[k % 3].0);
        text.push_str("mot ");
    }
    for k in (0..10_000).rev() {
        text.push_str(marks[k % 3].1);
    }
    text.push_str(", selon elle.");
    let took = open_and_survive(&mut s, "file:///tmp/nested.txt", &text).await;
    eprintln!("10,000 nested quotations: diagnostics after {took:?}");
    s.finish().await;
}

#[tokio::test]
async fn exit_without_shutdown_after_hostile_input_is_status_one() {
    let mut s = Session::start().await;
    s.c.send_raw(b"{oops").await;
    s.error(-32700).await;
    s.alive().await;
    s.c.notify("exit", Value::Null).await;
    let status = tokio::time::timeout(Duration::from_secs(20), s.child.wait())
        .await
        .unwrap()
        .unwrap();
    s.no_panic();
    assert_eq!(status.code(), Some(1));
}

/// The server never writes to disk: a whole session, fixes and fix-all included, in an empty
/// working directory leaves it empty. Code actions return edits; applying them is the editor's.
#[tokio::test]
async fn never_writes_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(Some(dir.path())).await;
    let uri = format!("file://{}/brouillon.md", dir.path().display());
    s.c.open(&uri, "markdown", "Il a dit \"non\" : « oui ».\n")
        .await;
    s.c.diagnostics(&uri, 1).await;
    let r = s.c.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": {"start": pos(0, 0), "end": pos(0, 30)}, "context": {"diagnostics": []}})).await;
    let actions = r["result"].as_array().unwrap();
    assert!(
        actions
            .iter()
            .any(|a| a["kind"] == "source.fixAll.copydesk")
    );
    assert!(
        actions
            .iter()
            .all(|a| a["edit"]["changes"].is_object() && a.get("command").is_none())
    );
    s.finish().await;
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "the server wrote {left:?}");
}
