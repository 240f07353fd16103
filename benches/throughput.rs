//! Throughput of the full analysis (`copydesk::analyze`), in bytes per second, on French and
//! English documents of about 5 KB, 60 KB and 5 MB generated from the project's drafts.
//!
//! Run: `cargo bench --bench throughput` (criterion prints MiB/s; one core is used).
//!
//! Criterion times wall-clock, which on a shared machine includes time spent waiting for the
//! CPU. After it, the bench prints the same analyses timed by the CPU time of the analysing
//! thread (`CLOCK_THREAD_CPUTIME_ID`): megabytes per second per core, the unit of the target,
//! as the median (and best) of twenty short samples, steady whatever else runs.
//! `COPYDESK_BENCH=cpu` runs only that pass, `COPYDESK_BENCH=criterion` only criterion.

use copydesk::{Config, analyze};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
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

/// Nanoseconds this thread has spent on a CPU, exactly. (`/proc/thread-self/schedstat`, read
/// before, moves in steps of the scheduler's tick, 4 ms on this machine, and a read cost 6 µs
/// of the thread's own time: a tenth of a 5 KB analysis.)
#[cfg(unix)]
fn cpu_ns() -> Option<u64> {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(ClockId::ThreadCPUTime);
    Some(u64::try_from(t.tv_sec).ok()? * 1_000_000_000 + u64::try_from(t.tv_nsec).ok()?)
}

#[cfg(not(unix))]
fn cpu_ns() -> Option<u64> {
    None
}

/// MB/s per core: twenty samples of at least 100 ms of CPU each (at least three analyses),
/// reported as their median and their best. The machine is shared: a neighbour's burst slows
/// a sample down (its caches, the core's clock) even in CPU time, and a median of short
/// samples sheds those bursts where one long average keeps them.
///
/// The clock is read once per [`batch`] of analyses, every 2 ms of CPU or so: each read is a
/// system call, and a 5 KB analysis takes under 50 µs.
///
/// Each analysis is dropped only once the next one is done. Dropping it at once made glibc
/// give the freed top of its heap back to the system after every 5 MB analysis and fault it
/// in again during the next: about 3,800 page faults (15 MB) and 15% of the time of each,
/// none of it analysis (0 faults in the steady state the other way).
fn cpu_pass() {
    const SAMPLES: usize = 20;
    let config = Config::default();
    println!(
        "\nCPU-time throughput (MB = 10^6 bytes, per core; median and best of {SAMPLES} samples):"
    );
    for (lang, markdown) in [("fr", false), ("en", false), ("fr", true), ("en", true)] {
        let kind = if markdown { "md" } else { "txt" };
        for &(label, size) in SIZES {
            let text = drafts::document(lang, markdown, size, None);
            // The last analysis is kept until the next one is done, as the server keeps a
            // draft's last analysis (for hovers and code actions) until the next replaces it.
            let mut last = None;
            let mut analyse = || {
                last = Some(black_box(analyze(black_box(&text), &config, markdown)));
            };
            let Some(batch) = batch(&mut analyse) else {
                println!("  (no thread CPU clock here: skipped)");
                return;
            };
            let mut rates = Vec::with_capacity(SAMPLES);
            let mut runs = 0u64;
            for _ in 0..SAMPLES {
                let start = cpu_ns().expect("read just before");
                let (mut n, mut spent) = (0u64, 0);
                while spent < 100_000_000 || n < 3 {
                    for _ in 0..batch {
                        analyse();
                    }
                    n += batch;
                    spent = cpu_ns().unwrap_or(start) - start;
                }
                runs += n;
                rates.push((text.len() as f64 * n as f64) / (spent as f64 / 1e9) / 1e6);
            }
            rates.sort_by(f64::total_cmp);
            let median = (rates[SAMPLES / 2 - 1] + rates[SAMPLES / 2]) / 2.0;
            let best = rates[SAMPLES - 1];
            println!(
                "  analyze/{lang}-{kind}/{label:<5} {median:8.1} MB/s  (best {best:.1}; {:.3} ms per analysis at the median, {runs} runs)",
                text.len() as f64 / median / 1e3
            );
        }
    }
}

/// How many analyses to run between two reads of the clock: about 2 ms of CPU, from 20 ms of
/// warm-up (which also fills the caches and the allocator). `None` without a CPU clock.
fn batch(mut analyse: impl FnMut()) -> Option<u64> {
    let start = cpu_ns()?;
    let (mut n, mut spent) = (0u64, 0);
    while spent < 20_000_000 {
        analyse();
        n += 1;
        spent = cpu_ns()? - start;
    }
    Some((2_000_000 * n / spent).max(1))
}

criterion_group!(benches, throughput);

fn main() {
    // COPYDESK_BENCH=criterion: criterion only; =cpu: the CPU-time pass only.
    let only = std::env::var("COPYDESK_BENCH").unwrap_or_default();
    if only != "cpu" {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    if only != "criterion" && std::env::args().any(|a| a == "--bench") {
        cpu_pass();
    }
}
