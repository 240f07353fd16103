//! The server's standard output, shared by tower-lsp and the diagnostics publisher.
//!
//! tower-lsp sends a notification by turning its parameters into a `serde_json::Value` tree and
//! then serialising that: for thousands of diagnostics (a long draft) it costs a few
//! microseconds and a kilobyte of short-lived maps per diagnostic. Diagnostics are therefore
//! serialised straight to bytes and written here, beside tower-lsp's own messages.
//!
//! Every write is appended whole to one buffer that a thread copies to stdout. tower-lsp's
//! framed writer only ever hands over complete frames (it encodes a message fully before
//! flushing, and this writer accepts every byte at once), and the publisher appends complete
//! frames under the same lock, so messages never interleave.

use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll};
use std::thread::JoinHandle;

#[derive(Default)]
struct Shared {
    buf: Vec<u8>,
    closed: bool,
}

#[derive(Clone)]
pub struct Output {
    inner: Arc<(Mutex<Shared>, Condvar)>,
}

impl Output {
    /// An output to the process's stdout, and the thread that writes it.
    pub fn stdout() -> (Output, JoinHandle<()>) {
        let out = Output {
            inner: Arc::new((Mutex::new(Shared::default()), Condvar::new())),
        };
        let inner = out.inner.clone();
        let writer = std::thread::spawn(move || {
            let (lock, ready) = &*inner;
            let mut stdout = std::io::stdout();
            let mut spare = Vec::new();
            loop {
                let (mut bytes, closed) = {
                    let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while s.buf.is_empty() && !s.closed {
                        s = ready.wait(s).unwrap_or_else(|e| e.into_inner());
                    }
                    (
                        std::mem::replace(&mut s.buf, std::mem::take(&mut spare)),
                        s.closed,
                    )
                };
                if !bytes.is_empty()
                    && (stdout.write_all(&bytes).is_err() || stdout.flush().is_err())
                {
                    return; // the client is gone
                }
                if closed && bytes.is_empty() {
                    return;
                }
                bytes.clear();
                spare = bytes;
            }
        });
        (out, writer)
    }

    fn append(&self, parts: &[&[u8]]) {
        let (lock, ready) = &*self.inner;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        for p in parts {
            s.buf.extend_from_slice(p);
        }
        ready.notify_one();
    }

    /// Sends one JSON-RPC message (its body; the header is added here).
    pub fn send(&self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.append(&[header.as_bytes(), body]);
    }

    /// Lets the writer thread finish once everything is written.
    pub fn close(&self) {
        let (lock, ready) = &*self.inner;
        lock.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        ready.notify_one();
    }
}

impl tokio::io::AsyncWrite for Output {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.append(&[buf]);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
