//! Bounded cost: pathological drafts analysed in time proportional to their size.
//!
//! Each family is measured at 1×, 2× and 4× its base size; criterion's throughput figures
//! (bytes per second) should stay flat across the three, which is what linear means. The base
//! sizes are scaled down from the (one 100 MB line, 1 M quotation marks, 10,000 nested
//! quotations) so a run takes minutes; `COPYDESK_BENCH_SCALE=4` multiplies them.
//! Run: `cargo bench --bench pathological`.

use copydesk::{Config, analyze};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn scale() -> usize {
    std::env::var("COPYDESK_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// The pathological drafts, `n` units each: (name, draft, markdown).
fn drafts(n: usize) -> Vec<(&'static str, String, bool)> {
    let marks = [("« ", " »"), ("“", "”"), ("‘", "’")];
    let mut nested = String::new();
    for k in 0..n / 100 {
        nested.push_str(marks[k % 3].0);
        nested.push_str("mot ");
    }
    for k in (0..n / 100).rev() {
        nested.push_str(marks[k % 3].1);
    }
    vec![
        // One line, no break: ordinary prose (the "100 MB line", scaled).
        (
            "one-line",
            "Le maire a dit «\u{a0}non\u{a0}» hier, selon la mairie. ".repeat(n / 10),
            false,
        ),
        ("guillemets", "«".repeat(n), false),
        ("straight-quotes", "\"".repeat(n), false),
        (
            "unmatched-closers",
            "“".repeat(n / 2) + &"»".repeat(n / 2),
            false,
        ),
        ("nested-quotations", nested, false),
        ("unclosed-link-targets", "a](b ".repeat(n / 5), true),
        (
            "url-closing-parens",
            format!("www.a{}", ")".repeat(n)),
            false,
        ),
        (
            "teasers-with-links",
            "Read more: https://j.fr/a\n".repeat(n / 26),
            true,
        ),
        // Found quadratic in session 5: masking looked for a line break to the end of the
        // range at each 64-byte piece it filled (one URL over the whole line), and the
        // quotation scanner looked for the next `"` from every `<` of a paragraph.
        (
            "one-url-line",
            format!("https://j.fr/{}", "a/".repeat(n / 2)),
            false,
        ),
        ("markdown-ascii-quotes", "<<a>>\n".repeat(n / 6), true),
        // Guillemets at line ends in Markdown, each fix a line join read with the lines above.
        ("markdown-line-joins", "[«\n".repeat(n / 4), true),
        // One endless sentence of quotations and colons (cues): each quotation read its whole
        // sentence (quadratic until session 5); unclosed guillemets between full stops.
        ("quotations-and-colons", "\":".repeat(n / 2), false),
        ("unclosed-guillemets-and-stops", "«.".repeat(n / 3), false),
        // Nested marks and no word: each nested quotation read its whole sentence.
        ("nested-marks-no-words", "\"’‘".repeat(n / 7), false),
    ]
}

fn pathological(c: &mut Criterion) {
    let base = 200_000 * scale();
    let config = Config::default();
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10);
    for factor in [1, 2, 4] {
        for (name, text, markdown) in drafts(base * factor) {
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::new(name, factor), &text, |b, text| {
                b.iter(|| analyze(text, &config, markdown))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, pathological);
criterion_main!(benches);
