//! Throughput of the attribution engine alone (`attribution::attribute`) on a draft file, in
//! MB/s of wall time, three runs with speakers as written (what the rules need) and three with
//! speakers resolved (hovers, outline).
//!
//! Run: `cargo run --release --example attribution_timing -- FILE [fr|en]`.

use copydesk::attribution::Speakers;
use copydesk::{Config, Lang};
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: attribution_timing FILE [fr|en]");
        std::process::exit(2);
    };
    let lang = if std::env::args().nth(2).as_deref() == Some("en") {
        Lang::En
    } else {
        Lang::Fr
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let masked = copydesk::prose::mask::mask(&text, false);
    let lines = copydesk::prose::mask::line_ranges(text.as_bytes());
    let paragraphs = copydesk::prose::paragraphs(&masked.text, &lines, &[], false);
    let quotes = copydesk::quotes::scan(&masked.text, &paragraphs);
    let config = Config::default();
    for speakers in [Speakers::AsWritten, Speakers::Resolved] {
        for _ in 0..3 {
            let t = Instant::now();
            let a = copydesk::attribution::attribute(
                &masked.text,
                &text,
                lang,
                &paragraphs,
                &quotes,
                &config,
                speakers,
            );
            let s = t.elapsed().as_secs_f64();
            println!(
                "attribution ({speakers:?}): {} quotations, {:.3} s, {:.1} MB/s",
                a.len(),
                s,
                text.len() as f64 / s / 1e6
            );
        }
    }
}
