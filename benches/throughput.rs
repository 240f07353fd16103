//! Throughput of the full analysis (`copydesk::analyze`), in bytes per second, on French and
//! English documents of about 5 KB, 60 KB and 5 MB generated from the project's drafts.
//!
//! Run: `cargo bench --bench throughput` (criterion prints MiB/s; one core is used).

use copydesk::{Config, analyze};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

#[path = "support/drafts.rs"]
mod drafts;

const SIZES: &[(&str, usize)] = &[("5KB", 5_000), ("60KB", 60_000), ("5MB", 5_000_000)];

fn throughput(c: &mut Criterion) {
    let config = Config::default();
    for (lang, markdown) in [("fr", false), ("en", false), ("fr", true), ("en", true)] {
        let kind = if markdown { "md" } else { "txt" };
        let mut group = c.benchmark_group(format!("analyze/{lang}-{kind}"));
        for &(label, size) in SIZES {
            let text = drafts::document(lang, markdown, size, None);
            group.throughput(Throughput::Bytes(text.len() as u64));
            if size > 1_000_000 {
                group.sample_size(10);
                group.measurement_time(Duration::from_secs(8));
            } else {
                group.sample_size(50);
                group.measurement_time(Duration::from_secs(4));
            }
            group.bench_with_input(BenchmarkId::from_parameter(label), &text, |b, text| {
                b.iter(|| analyze(black_box(text), &config, markdown))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, throughput);
criterion_main!(benches);
