//! Keystroke-to-diagnostics latency of a language server, over stdio, as an editor sees it.
//!
//! ```text
//! cargo build --release && cargo run --release --example latency -- [options]
//! ```
//!
//! For each server (`--server CMD`, repeatable; default `target/release/copydesk lsp`) it starts
//! the process, times the `initialize` answer from process start, opens one draft, times the
//! first diagnostics, then types `--edits` one-character edits (insertions and deletions) at
//! random places (seeded RNG, so every server gets the same edits), each timed from the
//! `didChange` until the `publishDiagnostics` for that version. Then it sends `--burst` edits at
//! once and times the final version's diagnostics, checking that no diagnostics for a stale
//! version ever arrive after a newer one. Last, the server's peak RSS (VmHWM).
//!
//! Servers that only support full sync (harper-ls) get the whole text per edit. Servers that do
//! not put a `version` in `publishDiagnostics` are matched by arrival order (the next
//! publication after an edit is taken as its answer), which the report says.
//!
//! The draft is `--file PATH`, or generated from `tests/drafts/` (`--lang`, `--size`,
//! `--markdown`, `--clean-after`) as the throughput bench does.

#[path = "../benches/support/drafts.rs"]
mod drafts;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Options {
    servers: Vec<String>,
    file: Option<String>,
    lang: String,
    size: usize,
    markdown: bool,
    clean_after: Option<usize>,
    edits: usize,
    burst: usize,
    seed: u64,
    timeout: Duration,
    json: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: latency [--server CMD]... [--file PATH | --lang fr|en --size BYTES [--markdown] \
         [--clean-after BYTES]] [--edits N] [--burst N] [--seed N] [--timeout SECS] [--json]"
    );
    std::process::exit(2)
}

fn parse_size(s: &str) -> usize {
    let s = s.trim().to_ascii_lowercase();
    let (num, mult) = if let Some(n) = s.strip_suffix("mb").or(s.strip_suffix('m')) {
        (n, 1_000_000)
    } else if let Some(n) = s.strip_suffix("kb").or(s.strip_suffix('k')) {
        (n, 1_000)
    } else {
        (s.as_str(), 1)
    };
    let n: f64 = num.parse().unwrap_or_else(|_| usage());
    (n * mult as f64) as usize
}

fn options() -> Options {
    let mut o = Options {
        servers: Vec::new(),
        file: None,
        lang: "en".into(),
        size: 60_000,
        markdown: false,
        clean_after: None,
        edits: 300,
        burst: 1000,
        seed: 42,
        timeout: Duration::from_secs(120),
        json: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--server" => o.servers.push(val()),
            "--file" => o.file = Some(val()),
            "--lang" => o.lang = val(),
            "--size" => o.size = parse_size(&val()),
            "--markdown" => o.markdown = true,
            "--clean-after" => o.clean_after = Some(parse_size(&val())),
            "--edits" => o.edits = val().parse().unwrap_or_else(|_| usage()),
            "--burst" => o.burst = val().parse().unwrap_or_else(|_| usage()),
            "--seed" => o.seed = val().parse().unwrap_or_else(|_| usage()),
            "--timeout" => {
                o.timeout = Duration::from_secs(val().parse().unwrap_or_else(|_| usage()))
            }
            "--json" => o.json = true,
            _ => usage(),
        }
    }
    if o.servers.is_empty() {
        let exe = std::env::current_exe().expect("the example's own path");
        let bin = exe
            .parent()
            .and_then(|d| d.parent())
            .map(|d| d.join("copydesk"))
            .filter(|p| p.exists())
            .unwrap_or_else(|| {
                eprintln!("target/release/copydesk not found: run `cargo build --release` first");
                std::process::exit(2)
            });
        o.servers.push(format!("{} lsp", bin.display()));
    }
    o
}

/// SplitMix64: a small seeded generator, the same sequence for every server.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One edit of the local copy of the document: replace `start..end` (bytes) with `text`.
#[derive(Clone)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// The same edits for every server: insert a letter, a space or a mark, or delete a character
/// (never a line break), at a random place.
fn make_edits(text: &str, n: usize, seed: u64) -> Vec<Edit> {
    const TYPED: &[&str] = &[
        "e", "a", "s", "t", "n", "r", " ", " ", ",", ".", "i", "o", "l", "«", "»", ":", "’",
    ];
    let mut rng = Rng(seed);
    let mut doc = text.to_string();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut at = rng.below(doc.len());
        while !doc.is_char_boundary(at) {
            at -= 1;
        }
        let next = doc[at..].chars().next();
        let delete = rng.below(10) < 3;
        let edit = if delete {
            match next {
                Some(c) if c != '\n' && c != '\r' => Edit {
                    start: at,
                    end: at + c.len_utf8(),
                    text: String::new(),
                },
                _ => continue,
            }
        } else {
            if at > 0 && doc.as_bytes()[at - 1] == b'\r' && next == Some('\n') {
                continue; // never between the halves of a CRLF
            }
            Edit {
                start: at,
                end: at,
                text: TYPED[rng.below(TYPED.len())].to_string(),
            }
        };
        doc.replace_range(edit.start..edit.end, &edit.text);
        out.push(edit);
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Enc {
    Utf8,
    Utf16,
}

/// The LSP position of byte `at` of `text`.
fn position(text: &str, at: usize, enc: Enc) -> Value {
    let b = text.as_bytes();
    let mut line = 0;
    let mut line_start = 0;
    let mut i = 0;
    while i < at {
        match b[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if b.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let col = match enc {
        Enc::Utf8 => at - line_start,
        Enc::Utf16 => text[line_start..at].encode_utf16().count(),
    };
    json!({"line": line, "character": col})
}

/// What the reader thread keeps of each message from the server.
struct Incoming {
    at: Instant,
    id: Option<Value>,
    method: Option<String>,
    uri: Option<String>,
    version: Option<i64>,
    diagnostics: usize,
    result: Option<Value>,
}

#[derive(Deserialize)]
struct RawMessage {
    id: Option<Value>,
    method: Option<String>,
    params: Option<RawParams>,
    result: Option<Value>,
}

#[derive(Deserialize)]
struct RawParams {
    uri: Option<String>,
    version: Option<i64>,
    /// Counted, never built: a 5 MB draft's diagnostics must not slow the clock down.
    diagnostics: Option<Vec<IgnoredAny>>,
    items: Option<Vec<IgnoredAny>>,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn send(stdin: &Mutex<ChildStdin>, msg: &Value) {
    let bytes = frame(&serde_json::to_vec(msg).expect("JSON"));
    let mut w = stdin.lock().unwrap();
    w.write_all(&bytes).expect("write to the server");
    w.flush().expect("flush to the server");
}

/// Reads messages, stamps them on arrival, answers the server's own requests.
fn reader(stdout: impl Read + Send + 'static, stdin: Arc<Mutex<ChildStdin>>) -> Receiver<Incoming> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::with_capacity(1 << 20, stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    length = v.trim().parse::<usize>().ok();
                }
            }
            let Some(len) = length else { return };
            let mut body = vec![0; len];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            let at = Instant::now();
            let Ok(m) = serde_json::from_slice::<RawMessage>(&body) else {
                continue;
            };
            if let (Some(id), Some(method)) = (&m.id, &m.method) {
                // A request from the server: configuration gets nulls, the rest a null result.
                let result = if method == "workspace/configuration" {
                    let n = m
                        .params
                        .as_ref()
                        .and_then(|p| p.items.as_ref())
                        .map_or(1, Vec::len);
                    Value::Array(vec![Value::Null; n])
                } else {
                    Value::Null
                };
                send(
                    &stdin,
                    &json!({"jsonrpc": "2.0", "id": id, "result": result}),
                );
                continue;
            }
            let (uri, version, diagnostics) = m.params.map_or((None, None, 0), |p| {
                (p.uri, p.version, p.diagnostics.map_or(0, |d| d.len()))
            });
            let msg = Incoming {
                at,
                id: m.id,
                method: m.method,
                uri,
                version,
                diagnostics,
                result: m.result,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
    rx
}

struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    rx: Receiver<Incoming>,
    timeout: Duration,
    /// Diagnostics versions in arrival order, to check they never go back.
    published: Vec<Option<i64>>,
    went_back: usize,
}

impl Server {
    /// Keeps the order of publications, counting any that goes back to an older version.
    fn note(&mut self, m: &Incoming) {
        if m.method.as_deref() == Some("textDocument/publishDiagnostics") {
            let newest = self.published.iter().flatten().max().copied();
            if let (Some(v), Some(newest)) = (m.version, newest)
                && v < newest
            {
                self.went_back += 1;
            }
            self.published.push(m.version);
        }
    }

    /// Takes what already arrived (late extra publications are not the next edit's answer).
    fn drain(&mut self) {
        while let Ok(m) = self.rx.try_recv() {
            self.note(&m);
        }
    }

    fn recv(&mut self) -> Incoming {
        match self.rx.recv_timeout(self.timeout) {
            Ok(m) => {
                self.note(&m);
                m
            }
            Err(RecvTimeoutError::Timeout) => {
                eprintln!(
                    "latency: the server did not answer within {:?}",
                    self.timeout
                );
                let _ = self.child.kill();
                std::process::exit(1)
            }
            Err(RecvTimeoutError::Disconnected) => {
                eprintln!("latency: the server closed its output");
                std::process::exit(1)
            }
        }
    }

    /// Waits for diagnostics of `uri`: of `version` if the server sends versions, else the next.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Incoming {
        loop {
            let m = self.recv();
            if m.method.as_deref() == Some("textDocument/publishDiagnostics")
                && m.uri.as_deref() == Some(uri)
                && m.version.is_none_or(|v| v >= version)
            {
                return m;
            }
        }
    }

    fn rss(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Report {
    server: String,
    init_ms: f64,
    first_ms: f64,
    first_count: usize,
    p50: f64,
    p99: f64,
    max: f64,
    burst_ms: Option<f64>,
    burst_publications: usize,
    went_back: usize,
    versioned: bool,
    full_sync: bool,
    hwm_kb: u64,
}

fn run(cmd: &str, text: &str, markdown: bool, edits: &[Edit], o: &Options) -> Report {
    let mut parts = cmd.split_whitespace();
    let program = parts.next().unwrap_or_else(|| usage());
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(parts)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            eprintln!("latency: cannot start {cmd}: {e}");
            std::process::exit(2)
        });
    let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
    let rx = reader(child.stdout.take().expect("stdout"), stdin.clone());
    let mut s = Server {
        child,
        stdin,
        rx,
        timeout: o.timeout,
        published: Vec::new(),
        went_back: 0,
    };
    send(
        &s.stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": std::process::id(), "rootUri": null,
            "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]},
                "textDocument": {"publishDiagnostics": {"versionSupport": true}}}}}),
    );
    let init = loop {
        let m = s.recv();
        if m.id == Some(json!(1)) {
            break m;
        }
    };
    let init_ms = ms(init.at - start);
    let caps = init
        .result
        .as_ref()
        .map(|r| r["capabilities"].clone())
        .unwrap_or(Value::Null);
    let enc = if caps["positionEncoding"] == "utf-8" {
        Enc::Utf8
    } else {
        Enc::Utf16
    };
    let sync = &caps["textDocumentSync"];
    let kind = sync.get("change").unwrap_or(sync).as_i64().unwrap_or(1);
    let full_sync = kind != 2;
    send(
        &s.stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );

    let uri = if markdown {
        "file:///tmp/copydesk-latency/draft.md"
    } else {
        "file:///tmp/copydesk-latency/draft.txt"
    };
    let language = if markdown { "markdown" } else { "plaintext" };
    let opened = Instant::now();
    send(
        &s.stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": language, "version": 1, "text": text}}}),
    );
    let first = s.diagnostics(uri, 1);
    let first_ms = ms(first.at - opened);
    let versioned = first.version.is_some();

    // Keystrokes, one at a time.
    let mut doc = text.to_string();
    let mut version = 1i64;
    let mut times = Vec::with_capacity(edits.len());
    let message = |doc: &str, e: &Edit, version: i64| {
        let change = if full_sync {
            let mut after = doc.to_string();
            after.replace_range(e.start..e.end, &e.text);
            json!({"text": after})
        } else {
            json!({"range": {"start": position(doc, e.start, enc), "end": position(doc, e.end, enc)},
                   "text": e.text})
        };
        frame(
            &serde_json::to_vec(
                &json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [change]}}),
            )
            .expect("JSON"),
        )
    };
    for e in edits {
        version += 1;
        let bytes = message(&doc, e, version);
        doc.replace_range(e.start..e.end, &e.text);
        s.drain();
        let sent = Instant::now();
        {
            let mut w = s.stdin.lock().unwrap();
            w.write_all(&bytes).expect("write");
            w.flush().expect("flush");
        }
        let m = s.diagnostics(uri, version);
        times.push(ms(m.at - sent));
    }
    times.sort_by(|a, b| a.total_cmp(b));

    // A burst: the same edits again, all at once.
    let mut burst_ms = None;
    let mut burst_publications = 0;
    if o.burst > 0 {
        let burst: Vec<Vec<u8>> = make_edits(&doc, o.burst, o.seed ^ 0xB0B)
            .iter()
            .map(|e| {
                version += 1;
                let bytes = message(&doc, e, version);
                doc.replace_range(e.start..e.end, &e.text);
                bytes
            })
            .collect();
        s.drain();
        let before = s.published.len();
        let sent = Instant::now();
        let writer = {
            let stdin = s.stdin.clone();
            std::thread::spawn(move || {
                for bytes in burst {
                    let mut w = stdin.lock().unwrap();
                    w.write_all(&bytes).expect("write");
                }
                stdin.lock().unwrap().flush().expect("flush");
            })
        };
        if versioned {
            let m = s.diagnostics(uri, version);
            burst_ms = Some(ms(m.at - sent));
        } else {
            // No versions: the last publication before 2 s of quiet.
            let mut last = None;
            loop {
                match s.rx.recv_timeout(Duration::from_secs(2)) {
                    Ok(m) if m.method.as_deref() == Some("textDocument/publishDiagnostics") => {
                        last = Some(m.at);
                        s.note(&m);
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            burst_ms = last.map(|t| ms(t - sent));
        }
        writer.join().expect("burst writer");
        burst_publications = s.published.len() - before;
    }

    let (hwm_kb, _) = s.rss();
    send(
        &s.stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}),
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        match s.rx.recv_timeout(Duration::from_millis(500)) {
            Ok(m) if m.id == Some(json!(2)) => break,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    send(
        &s.stdin,
        &json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    );
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline && matches!(s.child.try_wait(), Ok(None)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = s.child.kill();
    let _ = s.child.wait();
    Report {
        server: cmd.to_string(),
        init_ms,
        first_ms,
        first_count: first.diagnostics,
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        max: times.last().copied().unwrap_or(f64::NAN),
        burst_ms,
        burst_publications,
        went_back: s.went_back,
        versioned,
        full_sync,
        hwm_kb,
    }
}

fn main() {
    let o = options();
    let (text, markdown) = match &o.file {
        Some(path) => (
            std::fs::read_to_string(path).unwrap_or_else(|e| {
                eprintln!("latency: cannot read {path}: {e}");
                std::process::exit(2)
            }),
            copydesk::analysis::is_markdown_path(path),
        ),
        None => (
            drafts::document(&o.lang, o.markdown, o.size, o.clean_after),
            o.markdown,
        ),
    };
    let edits = make_edits(&text, o.edits, o.seed);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "document: {} bytes, {}, {} keystrokes (seed {}), burst of {}; load average {}",
        text.len(),
        if markdown { "Markdown" } else { "plain text" },
        o.edits,
        o.seed,
        o.burst,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    for cmd in &o.servers {
        let r = run(cmd, &text, markdown, &edits, &o);
        let burst = r.burst_ms.map_or("-".to_string(), |b| format!("{b:.1} ms"));
        println!(
            "{}\n  initialize {:.1} ms | first diagnostics {:.1} ms ({} diagnostics) | keystroke p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n  burst: final diagnostics after {} ({} publications), stale after newer: {} | peak RSS {:.1} MB | sync {} | matched by {}",
            r.server,
            r.init_ms,
            r.first_ms,
            r.first_count,
            r.p50,
            r.p99,
            r.max,
            burst,
            r.burst_publications,
            r.went_back,
            r.hwm_kb as f64 / 1024.0,
            if r.full_sync { "full" } else { "incremental" },
            if r.versioned {
                "version"
            } else {
                "arrival order (no version sent)"
            },
        );
        if o.json {
            println!(
                "{}",
                json!({"server": r.server, "bytes": text.len(), "init_ms": r.init_ms,
                    "first_ms": r.first_ms, "first_diagnostics": r.first_count, "p50_ms": r.p50,
                    "p99_ms": r.p99, "max_ms": r.max, "burst_ms": r.burst_ms,
                    "burst_publications": r.burst_publications, "stale_after_newer": r.went_back,
                    "peak_rss_kb": r.hwm_kb, "full_sync": r.full_sync, "versioned": r.versioned})
            );
        }
    }
}
