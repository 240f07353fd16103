//! Looks for drafts whose analysis is not linear in their size: every pair of a set of units
//! (quotation marks, punctuation, Markdown syntax, URL starts, cue words…) is repeated to about
//! 30 KB and to four times that, in plain text and in Markdown, and the pairs whose analysis
//! takes more than 6.5 times longer at four times the size are printed (linear: about 4;
//! quadratic: about 16). A discovery tool beside `benches/pathological.rs`, which measures the
//! families it found; timings on a shared machine are noisy, so rerun what it prints.
//!
//! Run: `cargo run --release --example linearity_sweep [-- md|plain] [-- UNIT…]`
//! (with units: only those, each alone, at 60 KB and 240 KB), or `-- triples N [SEED]`: N
//! triples of units drawn at random. Exit status 1 if it printed any.

use copydesk::{Config, analyze};
use std::time::Instant;

const UNITS: &[&str] = &[
    "<",
    ">",
    "\"",
    "'",
    "’",
    "‘",
    "«",
    "»",
    "“",
    "”",
    "[",
    "]",
    "(",
    ")",
    "`",
    "\n",
    "\n\n",
    " ",
    "a",
    "é",
    ":",
    ";",
    "!",
    "?",
    ".",
    ",",
    "-",
    "—",
    "www.",
    "http://",
    "@",
    "&",
    "|",
    "#",
    "*",
    "_",
    "\\",
    "<!--",
    "-->",
    "\u{a0}",
    "\t",
    "\r",
    "dit",
    "Lire aussi",
    "said",
    "selon",
    "1",
];

/// Seconds to analyse `unit` repeated to about `size` bytes.
fn time(unit: &str, size: usize, config: &Config, markdown: bool) -> f64 {
    let text = unit.repeat(size / unit.len());
    let t = Instant::now();
    std::hint::black_box(analyze(&text, config, markdown));
    t.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let modes: &[bool] = match args.first().map(String::as_str) {
        Some("md") => &[true],
        Some("plain") => &[false],
        _ => &[false, true],
    };
    let given: Vec<String> = args
        .iter()
        .filter(|a| !matches!(a.as_str(), "md" | "plain"))
        .map(|a| a.replace("\\n", "\n"))
        .collect();
    let (units, size): (Vec<String>, usize) = if given.first().is_some_and(|a| a == "triples") {
        let n: usize = given.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
        let mut seed: u64 = given.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
        // A linear congruential generator is plenty to pick units.
        let mut pick = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            UNITS[(seed >> 33) as usize % UNITS.len()]
        };
        let triples = (0..n)
            .map(|_| format!("{}{}{}", pick(), pick(), pick()))
            .collect();
        (triples, 30_000)
    } else if given.is_empty() {
        let pairs = UNITS
            .iter()
            .flat_map(|a| UNITS.iter().map(move |b| format!("{a}{b}")))
            .collect();
        (pairs, 30_000)
    } else {
        (given, 60_000)
    };
    let config = Config::default();
    let mut found = 0;
    for &markdown in modes {
        for unit in &units {
            let small = time(unit, size, &config, markdown);
            let large = time(unit, 4 * size, &config, markdown);
            let ratio = large / small.max(1e-9);
            // Tiny timings are mostly noise: only a slow large run counts.
            if ratio > 6.5 && large > 0.02 {
                found += 1;
                println!(
                    "{} {unit:?}: {:.1} ms -> {:.1} ms (x{ratio:.1})",
                    if markdown { "markdown" } else { "plain" },
                    small * 1e3,
                    large * 1e3
                );
            }
        }
    }
    eprintln!(
        "{} units, {} mode(s): {found} superlinear",
        units.len(),
        modes.len()
    );
    std::process::exit(i32::from(found > 0));
}
