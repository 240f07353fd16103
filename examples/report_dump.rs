//! Writes every report copydesk makes on a set of files, to check that a change meant to keep
//! behaviour (a faster scan, a refactor) keeps it byte for byte: run it before and after, then
//! `cmp` the two outputs. Each file is analysed as plain text and as Markdown, language
//! detected, default configuration: its findings (code, byte range, severity, message, fix),
//! the fix-all edits, and the speakers the hovers would show.
//!
//! Run: `cargo run --release --example report_dump -- FILE... > before.txt`, or with no
//! argument, one path per line on standard input (`find tests/drafts -type f | …`). A file
//! that cannot be read is named on standard error, and the others are still written; the last
//! line on standard error counts files, findings and bytes.

use copydesk::analysis::speakers;
use copydesk::{Config, analyze, fixes};
use std::io::{BufRead, BufWriter, Write};

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        paths = std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .filter(|l| !l.is_empty())
            .collect();
    }
    let config = Config::default();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut files, mut findings, mut bytes, mut unreadable) = (0usize, 0usize, 0usize, 0usize);
    for path in &paths {
        let text = match std::fs::read(path) {
            // Fuzz inputs need not be UTF-8: read them as the editor would show them.
            Ok(data) => String::from_utf8_lossy(&data).into_owned(),
            Err(e) => {
                eprintln!("{path}: {e}");
                unreadable += 1;
                continue;
            }
        };
        for markdown in [false, true] {
            let a = analyze(&text, &config, markdown);
            writeln!(out, "== {path} markdown={markdown} lang={}", a.lang.code()).unwrap();
            for f in &a.findings {
                writeln!(out, "{f:?}").unwrap();
            }
            writeln!(out, "fix-all {:?}", fixes::fix_all(&text, &config, &a)).unwrap();
            for (q, who) in a
                .quotes
                .quotations
                .iter()
                .zip(speakers(&text, &config, markdown))
            {
                writeln!(out, "quote {:?} {who:?}", q.open).unwrap();
            }
            findings += a.findings.len();
        }
        files += 1;
        bytes += text.len();
    }
    out.flush().unwrap();
    eprintln!("{files} files ({bytes} bytes), {findings} findings in both modes");
    if unreadable > 0 {
        eprintln!("{unreadable} files could not be read");
        std::process::exit(2);
    }
}
